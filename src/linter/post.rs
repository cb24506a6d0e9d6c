//! Stage 3, post-processing: rule selection and severity overrides, findings about named
//! files only (pre-commit mode), sorting, inline suppressions, merging repeats, escaping,
//! the baseline.

use super::{Options, RuleFilter, RunError, merge};
use crate::baseline::{self, BaselineSummary};
use crate::coverage::Coverage;
use crate::diagnostic::{Diagnostic, Severity, ValueEdit};
use crate::rules;
use crate::source::sites::Sites;
use crate::source::{FileId, SourceDb, Span};
use crate::suppress;
use crate::terraform;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Every finding of the run, in its final order and state, and what the baseline matched.
/// `sites`: the suppression sites the Terraform front end returned with its parse;
/// `templates`: the ARM and Bicep templates (scanned for unused suppressions).
pub(super) fn process(
    diags: Vec<Diagnostic>,
    db: &SourceDb,
    sites: &HashMap<FileId, Sites>,
    templates: &[FileId],
    opts: &Options,
    named: Option<&BTreeSet<PathBuf>>,
) -> Result<(Vec<Diagnostic>, Option<BaselineSummary>), RunError> {
    let mut diagnostics = finish(diags, db, &opts.filter, named);
    apply_suppressions(&mut diagnostics, db, sites, templates, opts, named);
    // After the suppressions, which see each instance's finding with its own scopes.
    let mut diagnostics = merge::merge_repeats(diagnostics, db);
    // Values from the scanned files must not act on the terminal or the CI log.
    for d in &mut diagnostics {
        d.escape_controls();
    }
    let baseline = apply_baseline(&mut diagnostics, db, opts, named)?;
    Ok((diagnostics, baseline))
}

/// Read again, and keep, the texts the output needs: the files that findings and listed
/// resources point into (snippets, lines and columns, suppression comments, fixes). The
/// front ends read the others only while parsing them; a file no front end read stays
/// unread.
pub(super) fn keep_texts(db: &SourceDb, diags: &[Diagnostic], cov: &Coverage) {
    let files = pointed_into(diags, cov);
    // In parallel: also in the worker threads' memory that the freed trees left.
    use rayon::prelude::*;
    files.into_par_iter().for_each(|f| db.keep(f));
}

/// The files findings and listed resources point into: those whose texts the output needs.
/// A finding's or resource's `parameter_file` is not one of them: only its path is shown
/// (its values are pointed at by labels, which are).
pub(super) fn pointed_into(diags: &[Diagnostic], cov: &Coverage) -> HashSet<FileId> {
    reach(diags, cov).into_keys().collect()
}

/// [`pointed_into`], each file with the furthest offset pointed at in it.
pub(super) fn reach(diags: &[Diagnostic], cov: &Coverage) -> HashMap<FileId, usize> {
    let mut files: HashMap<FileId, usize> = HashMap::new();
    let mut at = |s: Span| {
        let furthest = files.entry(s.file).or_insert(0);
        *furthest = (*furthest).max(s.end as usize);
    };
    for d in diags {
        at(d.primary);
        d.labels.iter().for_each(|l| at(l.span));
        d.scopes.iter().copied().for_each(&mut at);
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            match e {
                ValueEdit::Replace { at: span, .. } | ValueEdit::Insert { beside: span, .. } => {
                    at(*span);
                }
            }
        }
    }
    for e in &cov.entries {
        at(e.at);
        at(e.extent);
        e.skipped.iter().for_each(|s| at(s.at));
        let scoped = e
            .catalog
            .iter()
            .flat_map(|c| c.provider.iter().chain(&c.location));
        scoped
            .flat_map(|v| v.spans.iter())
            .copied()
            .for_each(&mut at);
    }
    files
}

/// Named files (pre-commit mode): only the resources they declare, or deploy (a module
/// call or nested deployment written there leads to it) or evaluate (their parameter
/// file) are listed, as the findings kept are those that point into them.
pub(super) fn retain_named(cov: &mut Coverage, db: &SourceDb, named: Option<&BTreeSet<PathBuf>>) {
    if let Some(named) = named {
        let named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
        let is_named = |f: FileId| named.contains(&terraform::normalize(db.path(f)));
        cov.entries.retain(|e| {
            is_named(e.at.file)
                || e.parameter_file.is_some_and(is_named)
                || e.via_files.iter().any(|f| is_named(*f))
        });
    }
}

/// Inline suppressions: mark covered findings, add ER003 for bad suppressions.
fn apply_suppressions(
    diagnostics: &mut Vec<Diagnostic>,
    db: &SourceDb,
    sites: &HashMap<FileId, Sites>,
    templates: &[FileId],
    opts: &Options,
    named: Option<&BTreeSet<PathBuf>>,
) {
    let also_scan: Vec<FileId> = if opts.report_unused_ignores {
        let named: Option<HashSet<PathBuf>> =
            named.map(|n| n.iter().map(|p| terraform::normalize(p)).collect());
        sites
            .keys()
            .copied()
            .chain(templates.iter().copied())
            .filter(|f| {
                named
                    .as_ref()
                    .is_none_or(|n| n.contains(&terraform::normalize(db.path(*f))))
            })
            .collect()
    } else {
        Vec::new()
    };
    // Scanned for suppressions: their texts are needed again.
    for f in &also_scan {
        db.keep(*f);
    }
    let sopts = suppress::Options {
        today: suppress::Date::today(),
        report_unused: opts.report_unused_ignores,
        also_scan,
    };
    let problems = suppress::apply(diagnostics, db, sites, &sopts, &|id| {
        opts.filter.enabled(id)
    });
    if !problems.is_empty() {
        diagnostics.extend(problems);
        let all = std::mem::take(diagnostics);
        *diagnostics = finish(all, db, &opts.filter, named);
    }
}

/// `--write-baseline` then `--baseline`: findings in the baseline are marked suppressed.
fn apply_baseline(
    diagnostics: &mut [Diagnostic],
    db: &SourceDb,
    opts: &Options,
    named: Option<&BTreeSet<PathBuf>>,
) -> Result<Option<BaselineSummary>, RunError> {
    let keys_of = |path: &Path| {
        named.map(|n| {
            n.iter()
                .map(|p| baseline::file_key_of(p, path))
                .collect::<HashSet<_>>()
        })
    };
    if let Some(path) = &opts.write_baseline {
        let mut b = baseline::build(diagnostics, db, path);
        if let Some(keys) = keys_of(path)
            && let Ok(old) = baseline::read(path)
        {
            baseline::keep_other_files(&mut b, old, &keys);
        }
        baseline::write(path, &b).map_err(|e| RunError::Input(Box::new(e)))?;
    }
    let Some(path) = opts.baseline.as_ref().or(opts.write_baseline.as_ref()) else {
        return Ok(None);
    };
    let b = baseline::read(path).map_err(|e| RunError::Input(Box::new(e)))?;
    let named_keys = keys_of(path);
    Ok(Some(baseline::apply(
        diagnostics,
        db,
        &b,
        path,
        named_keys.as_ref(),
    )))
}

/// Apply overrides, drop duplicates, filter to named files, sort.
fn finish(
    mut diags: Vec<Diagnostic>,
    db: &SourceDb,
    filter: &RuleFilter,
    named: Option<&std::collections::BTreeSet<PathBuf>>,
) -> Vec<Diagnostic> {
    diags.retain(|d| filter.enabled(d.code));
    for d in &mut diags {
        let Some(meta) = rules::find(d.code) else {
            continue;
        };
        if d.severity != Severity::Info || meta.severity == Severity::Info {
            d.severity = filter.severity(meta);
        }
    }
    if let Some(named) = named {
        let named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
        let is_named = |f: FileId| named.contains(&terraform::normalize(db.path(f)));
        diags
            .retain(|d| is_named(d.primary.file) || d.labels.iter().any(|l| is_named(l.span.file)));
    }
    diags.sort_by(|a, b| {
        (
            db.display(a.primary.file),
            a.primary.start,
            a.primary.end,
            a.code,
            &a.message,
            &a.resource,
        )
            .cmp(&(
                db.display(b.primary.file),
                b.primary.start,
                b.primary.end,
                b.code,
                &b.message,
                &b.resource,
            ))
    });
    diags
}

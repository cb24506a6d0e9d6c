//! `--fix` and `--diff`: lint, make the chosen fixes in memory (the new texts laid over
//! the files as an [`Overlay`]), lint again, until a pass finds nothing more to fix (at
//! most [`MAX_PASSES`]). Overlapping fixes wait for the next pass, which sees the text the
//! first made; nothing is written here: the caller writes the changed files or prints
//! their diff.

use super::{apply, in_repository, plan};
use crate::linter::{self, Options, Report, RunError};
use crate::source::FileId;
use crate::terraform::normalize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Passes before giving up on fixes that keep making new findings.
pub const MAX_PASSES: usize = 10;

/// What may be fixed.
#[derive(Clone, Debug, Default)]
pub struct Mode {
    /// Apply `Unsafe` fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Files are written only inside this directory (the repository root).
    pub root: PathBuf,
    /// Only this file is changed (the file stdin stands for), when set.
    pub only: Option<PathBuf>,
}

/// A file the fixes changed.
#[derive(Clone, Debug)]
pub struct FileChange {
    /// The path to write.
    pub path: PathBuf,
    /// As shown in output.
    pub display: String,
    pub before: String,
    pub after: String,
    /// The file began with a byte-order mark (kept when it is written).
    pub bom: bool,
}

/// The outcome of fixing.
#[derive(Debug)]
pub struct Fixed {
    /// The findings left once the fixes are made (spans in the fixed texts).
    pub report: Report,
    pub changes: Vec<FileChange>,
    /// Findings fixed.
    pub fixed: usize,
    /// Fixable findings left because their fix overlapped another's in the last pass.
    pub conflicts: usize,
}

/// Lint with `opts` and fix what `mode` allows, in memory.
pub fn run(opts: &Options, mode: &Mode) -> Result<Fixed, RunError> {
    let mut overlay = opts.overlay.clone();
    let mut changed: BTreeMap<PathBuf, FileChange> = BTreeMap::new();
    // Every text each file has had: fixes that bring one back go round in circles.
    let mut seen: HashSet<(PathBuf, String)> = HashSet::new();
    let mut fixed = 0;
    let only = mode.only.as_deref().map(normalize);
    for pass in 1..=MAX_PASSES {
        let report = linter::run(&Options {
            overlay: overlay.clone(),
            ..opts.clone()
        })?;
        let db = &report.db;
        let may_write = |f: FileId| {
            let path = db.path(f);
            in_repository(path, &mode.root) && only.as_ref().is_none_or(|o| *o == normalize(path))
        };
        let chosen = plan(db, &report.diagnostics, mode.unsafe_fixes, &may_write);
        let mut next: Vec<(PathBuf, String)> = Vec::new();
        for (file, edits) in &chosen.edits {
            if let Some(text) = db.loaded_text(*file) {
                let path = normalize(db.path(*file));
                seen.insert((path.clone(), text.to_string()));
                next.push((path, apply(text, edits)));
            }
        }
        let circular = next.iter().any(|n| seen.contains(n));
        if chosen.fixed == 0 || circular || pass == MAX_PASSES {
            let changes = changed
                .into_values()
                .filter_map(|mut c| {
                    c.after = overlay.get(&c.path)?.to_string();
                    (c.after != c.before).then_some(c)
                })
                .collect();
            return Ok(Fixed {
                report,
                changes,
                fixed,
                conflicts: chosen.conflicts,
            });
        }
        for file in chosen.edits.keys() {
            let Some(text) = db.loaded_text(*file) else {
                continue;
            };
            let path = db.path(*file).to_path_buf();
            changed
                .entry(normalize(&path))
                .or_insert_with(|| FileChange {
                    path: path.clone(),
                    display: db.display(*file).to_string(),
                    before: text.to_string(),
                    after: String::new(),
                    bom: db.had_bom(*file),
                });
        }
        for (path, text) in next {
            overlay.insert(&path, text);
        }
        fixed += chosen.fixed;
    }
    // The loop returns on its last pass.
    Err(RunError::BadArgument("fixing did not finish".into()))
}

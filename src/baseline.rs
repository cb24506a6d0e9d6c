//! Baselines: accept today's findings, fail only on new ones (SPEC §5).
//!
//! `--write-baseline FILE` records the current unsuppressed findings, keyed by
//! (rule, file, resource address) with a count per key: not by line, so moving code does
//! not bring a finding back, and a second finding of the same key is still new.
//! `--baseline FILE` marks up to `count` findings of each key as suppressed (`external`,
//! justification "in baseline FILE") and reports the rest; entries (or parts of counts)
//! that match nothing any more are *stale* and reported in the summary.
//!
//! File format (JSON, versioned; paths relative to the baseline file's directory,
//! `/`-separated):
//!
//! ```json
//! {
//!   "version": 1,
//!   "generated_by": "erlint 0.1.0",
//!   "findings": [
//!     { "rule": "ER301", "file": "network/main.tf",
//!       "resource": "azurerm_express_route_circuit_peering.private", "count": 1,
//!       "message": "IPv4 peering has one BGP session: …" }
//!   ]
//! }
//! ```
//!
//! `message` is informational (the first finding's message, for reviewers); matching
//! ignores it.

use crate::diagnostic::{Diagnostic, Suppression, SuppressionKind};
use crate::error::FileError;
use crate::source::SourceDb;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_by: Option<String>,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub count: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What `--baseline` did, for the summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineSummary {
    /// The baseline file as given.
    pub file: String,
    /// Findings hidden by it.
    pub matched: usize,
    /// Entries that matched fewer findings than their count (count = how many fewer).
    pub stale: Vec<Entry>,
}

impl BaselineSummary {
    pub fn stale_count(&self) -> usize {
        self.stale.iter().map(|e| e.count).sum()
    }
}

type Key = (String, String, Option<String>);

/// The key of a finding; `base` is the baseline file's directory (absolute).
fn key(db: &SourceDb, d: &Diagnostic, base: &Path) -> Key {
    (
        d.code.to_string(),
        file_key(db, d, base),
        d.resource.clone(),
    )
}

fn file_key(db: &SourceDb, d: &Diagnostic, base: &Path) -> String {
    relative_key(db.path(d.primary.file), base)
        .unwrap_or_else(|| db.display(d.primary.file).to_string())
}

fn relative_key(path: &Path, base: &Path) -> Option<String> {
    let abs = crate::source::paths::normalize(path);
    abs.strip_prefix(base)
        .ok()
        .map(|rel| rel.to_string_lossy().replace('\\', "/"))
}

/// The key a file (as given on the command line) has in the baseline at `baseline`.
pub fn file_key_of(path: &Path, baseline: &Path) -> String {
    relative_key(path, &base_dir(baseline))
        .unwrap_or_else(|| path.to_string_lossy().replace('\\', "/"))
}

fn base_dir(path: &Path) -> PathBuf {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    crate::source::paths::normalize(parent.unwrap_or(Path::new(".")))
}

/// The baseline of the current unsuppressed findings.
pub fn build(diags: &[Diagnostic], db: &SourceDb, path: &Path) -> BaselineFile {
    let base = base_dir(path);
    let mut map: BTreeMap<Key, (usize, String)> = BTreeMap::new();
    for d in diags.iter().filter(|d| d.suppressed.is_none()) {
        let e = map
            .entry(key(db, d, &base))
            .or_insert_with(|| (0, d.message.clone()));
        e.0 += 1;
    }
    BaselineFile {
        version: VERSION,
        generated_by: Some(format!("erlint {}", env!("CARGO_PKG_VERSION"))),
        findings: map
            .into_iter()
            .map(|((rule, file, resource), (count, message))| Entry {
                rule,
                file,
                resource,
                count,
                message: Some(message),
            })
            .collect(),
    }
}

/// With file arguments the run saw only the named files (and the findings their values
/// lead to elsewhere): keep the entries of `old` for the other files, except those this
/// run found again, so that `--write-baseline` on one file neither forgets the rest nor
/// records a finding twice.
pub fn keep_other_files(new: &mut BaselineFile, old: BaselineFile, named: &HashSet<String>) {
    let covered: HashSet<(String, String, Option<String>)> = new
        .findings
        .iter()
        .map(|e| (e.rule.clone(), e.file.clone(), e.resource.clone()))
        .collect();
    new.findings.extend(old.findings.into_iter().filter(|e| {
        !named.contains(&e.file)
            && !covered.contains(&(e.rule.clone(), e.file.clone(), e.resource.clone()))
    }));
    new.findings
        .sort_by(|a, b| (&a.rule, &a.file, &a.resource).cmp(&(&b.rule, &b.file, &b.resource)));
}

pub fn write(path: &Path, b: &BaselineFile) -> Result<(), FileError> {
    let mut text = serde_json::to_string_pretty(b).map_err(|e| FileError::plain(e.to_string()))?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| FileError::plain(format!("cannot write baseline `{}`: {e}", path.display())))
}

pub fn read(path: &Path) -> Result<BaselineFile, FileError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        FileError::plain(format!("cannot read baseline `{}`: {e}", path.display()))
            .with_help("create it with `--write-baseline FILE`")
    })?;
    let shown = path.display().to_string();
    let b: BaselineFile = serde_json::from_str(&text).map_err(|e| {
        let offset = crate::error::offset_of_line_col(&text, e.line(), e.column());
        FileError::at(
            &shown,
            &text,
            offset..offset,
            format!("invalid baseline: {e}"),
            "here",
        )
        .with_help("regenerate it with `--write-baseline FILE`")
    })?;
    if b.version != VERSION {
        return Err(FileError::plain(format!(
            "baseline `{shown}` has version {}; this erlint reads version {VERSION}",
            b.version
        ))
        .with_help("regenerate it with `--write-baseline FILE`"));
    }
    Ok(b)
}

/// Hide the findings the baseline accepts; return what happened. With `only_files`
/// (pre-commit mode: the named files' keys), entries of other files are not stale.
pub fn apply(
    diags: &mut [Diagnostic],
    db: &SourceDb,
    baseline: &BaselineFile,
    path: &Path,
    only_files: Option<&HashSet<String>>,
) -> BaselineSummary {
    let base = base_dir(path);
    let shown = path.to_string_lossy().replace('\\', "/");
    let mut left: BTreeMap<Key, (usize, &Entry)> = BTreeMap::new();
    for e in &baseline.findings {
        let k = (e.rule.clone(), e.file.clone(), e.resource.clone());
        let slot = left.entry(k).or_insert((0, e));
        slot.0 += e.count;
    }
    let mut matched = 0;
    for d in diags.iter_mut().filter(|d| d.suppressed.is_none()) {
        if let Some((n, _)) = left.get_mut(&key(db, d, &base))
            && *n > 0
        {
            *n -= 1;
            matched += 1;
            d.suppressed = Some(Suppression {
                kind: SuppressionKind::External,
                justification: format!("in baseline {shown}"),
            });
        }
    }
    let stale = left
        .into_values()
        .filter(|(n, e)| *n > 0 && only_files.is_none_or(|f| f.contains(&e.file)))
        .map(|(n, e)| Entry {
            count: n,
            ..e.clone()
        })
        .collect();
    BaselineSummary {
        file: shown,
        matched,
        stale,
    }
}

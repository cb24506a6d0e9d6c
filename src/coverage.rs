//! What a run checked: every ExpressRoute resource found, in which format, evaluated with
//! which root or parameter file, and which checks were skipped because a value is not
//! known statically (`erlint resources`); the resource counts per format of the summary
//! line; and the ER006 note for a JSON file that names ExpressRoute types erlint skips.
//!
//! It reads the model only ([`Entry::of`]): a new front end's resources are listed
//! without a change here.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Existence, Model, Resource, SourceKind};
use crate::source::{FileId, SourceDb, Span};
use serde_json::json;
use std::fmt::Write as _;

/// Resources per format, and (for `erlint resources`) every resource.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Resources checked per format (an ARM template evaluated with several parameter
    /// files counts once).
    pub by_format: Vec<(SourceKind, usize)>,
    /// Every resource, when the run was asked to list them.
    pub entries: Vec<Entry>,
}

/// One resource found.
#[derive(Clone, Debug)]
pub struct Entry {
    pub address: String,
    pub kind: &'static str,
    /// Where it is declared (its block header, its `"type"` line).
    pub at: Span,
    pub format: SourceKind,
    /// What it was evaluated with: "Terraform root `envs/prod`", "ARM template `x.json`".
    pub unit: String,
    pub parameter_file: Option<FileId>,
    /// The module calls or deployments that lead to it.
    pub via: Vec<String>,
    /// The files those calls are written in.
    pub via_files: Vec<FileId>,
    /// Why it may not exist (an Unknown `count`).
    pub exists_unknown: Option<String>,
    /// Checks skipped because a value is not known statically.
    pub skipped: Vec<Skipped>,
    /// The whole resource (its block or object).
    pub extent: Span,
    /// A circuit's provider, peering location and cloud as evaluated ([`Entry::with_catalog`]:
    /// the language server completes and describes names from them).
    pub catalog: Option<CatalogScope>,
}

/// What a circuit's provider and peering location are checked against: the cloud its
/// configuration targets and the two values as evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogScope {
    /// `None`: any cloud (an ARM template, an Unknown `environment`).
    pub cloud: Option<crate::catalog::Cloud>,
    pub provider: Option<ScopedValue>,
    pub location: Option<ScopedValue>,
}

/// A Known string attribute and the places it is read from: where the resource uses it
/// and, when elsewhere, where its literal is written (a tfvars line, a parameter file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopedValue {
    pub value: String,
    pub spans: Vec<Span>,
}

impl CatalogScope {
    /// A circuit's scope; `None` for other kinds.
    pub fn of(
        model: &Model,
        res: &Resource,
        settings: &crate::rules::RuleSettings,
    ) -> Option<Self> {
        use crate::model::{Kind, Lookup, schema as attr};
        if res.kind != Kind::Circuit {
            return None;
        }
        let value = |a: &crate::model::Attr| match res.get(a) {
            Lookup::Known(f) => f.val.as_str().map(|s| ScopedValue {
                value: s.to_string(),
                spans: f.val.span.into_iter().chain(f.val.origin).collect(),
            }),
            _ => None,
        };
        Some(CatalogScope {
            cloud: crate::rules::provider::circuit::cloud_scope_with(settings, model, res).cloud,
            provider: value(&attr::SERVICE_PROVIDER),
            location: value(&attr::PEERING_LOCATION),
        })
    }
}

#[derive(Clone, Debug)]
pub struct Skipped {
    pub rule: &'static str,
    pub message: String,
    pub at: Span,
}

impl Coverage {
    /// Count a unit's models: per format, the largest count over its models.
    pub fn count(&mut self, models: &[&Model]) {
        for kind in SourceKind::ALL {
            let n = models
                .iter()
                .map(|m| {
                    m.resources
                        .iter()
                        // (The format first: whether a resource is listed may read its
                        // attributes.)
                        .filter(|r| r.dialect.source == kind && r.is_listed())
                        .count()
                })
                .max()
                .unwrap_or(0);
            if n > 0 {
                self.add(kind, n);
            }
        }
    }

    fn add(&mut self, kind: SourceKind, n: usize) {
        match self.by_format.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, c)) => *c += n,
            None => self.by_format.push((kind, n)),
        }
    }

    /// Add another unit's coverage.
    pub fn merge(&mut self, other: Coverage) {
        for (k, n) in other.by_format {
            self.add(k, n);
        }
        self.entries.extend(other.entries);
    }

    /// Formats in a fixed order (azurerm, azapi, ARM, embedded ARM, Bicep, plan).
    pub fn sorted(&self) -> Vec<(SourceKind, usize)> {
        SourceKind::ALL
            .iter()
            .filter_map(|k| self.by_format.iter().find(|(x, _)| x == k).copied())
            .collect()
    }

    /// "8 azurerm, 4 azapi".
    pub fn describe(&self) -> String {
        self.sorted()
            .iter()
            .map(|(k, n)| format!("{n} {}", k.describe()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Entry {
    /// The entry of `res`, evaluated in `unit`; `diagnostics` are that model's findings,
    /// whose skipped checks (`--report-unknown`) about `res` are collected.
    pub fn of(res: &Resource, unit: &str, diagnostics: &[Diagnostic]) -> Entry {
        let skipped = diagnostics
            .iter()
            .filter(|d| {
                d.severity == Severity::Info
                    && d.note.as_deref() == Some(crate::rules::SKIPPED_NOTE)
                    && d.resource.as_deref() == Some(res.address.as_str())
                    && d.parameter_file == res.parameter_file
            })
            .map(|d| Skipped {
                rule: d.code,
                message: d.message.clone(),
                at: d.primary,
            })
            .collect();
        Entry {
            address: res.address.clone(),
            kind: res.kind.describe(),
            at: res.header,
            format: res.dialect.source,
            unit: unit.to_string(),
            parameter_file: res.parameter_file,
            via: res.context.iter().map(|l| l.message.clone()).collect(),
            via_files: res.context.iter().map(|l| l.span.file).collect(),
            exists_unknown: match &res.exists {
                Existence::Yes => None,
                Existence::Unknown(why) => Some(why.clone()),
            },
            skipped,
            extent: res.extent,
            catalog: None,
        }
    }

    /// The entry with its [`CatalogScope`] (a circuit's).
    pub fn with_catalog(
        self,
        model: &Model,
        res: &Resource,
        settings: &crate::rules::RuleSettings,
    ) -> Entry {
        Entry {
            catalog: CatalogScope::of(model, res, settings),
            ..self
        }
    }
}

/// Sort entries by file, position and address.
pub fn sort(entries: &mut [Entry], db: &SourceDb) {
    entries.sort_by(|a, b| {
        (
            db.display(a.at.file),
            a.at.start,
            &a.address,
            a.parameter_file,
        )
            .cmp(&(
                db.display(b.at.file),
                b.at.start,
                &b.address,
                b.parameter_file,
            ))
    });
}

/// `erlint resources`: one line per resource, its skipped checks indented below, then a
/// summary line.
pub fn text(cov: &Coverage, db: &SourceDb) -> String {
    // Addresses, names and messages come from the scanned files: their control characters
    // are shown, not sent to the terminal (as in every finding).
    let esc = crate::diagnostic::escape_controls;
    let mut out = String::new();
    for e in &cov.entries {
        let at = db.line_col(e.at.file, e.at.start as usize);
        let _ = write!(
            out,
            "{}:{}  {}  {} ({})  {}",
            esc(db.display(e.at.file)),
            at.line,
            esc(&e.address),
            e.kind,
            e.format.describe(),
            esc(&e.unit)
        );
        if let Some(p) = e.parameter_file {
            let _ = write!(out, " with `{}`", esc(db.display(p)));
        }
        out.push('\n');
        if let Some(why) = &e.exists_unknown {
            let _ = writeln!(out, "    may not exist: {}", esc(why));
        }
        for s in &e.skipped {
            let at = db.line_col(s.at.file, s.at.start as usize);
            let _ = writeln!(
                out,
                "    skipped {} at {}:{}: {}",
                s.rule,
                esc(db.display(s.at.file)),
                at.line,
                esc(&s.message)
            );
        }
    }
    let total: usize = cov.entries.len();
    let skipped: usize = cov.entries.iter().map(|e| e.skipped.len()).sum();
    let mut counts = Coverage::default();
    for e in &cov.entries {
        counts.add(e.format, 1);
    }
    let _ = writeln!(
        out,
        "{} ({}); {} skipped because a value is not known statically",
        crate::text::plural(total, "resource"),
        if total == 0 {
            "none found".to_string()
        } else {
            counts.describe()
        },
        crate::text::plural(skipped, "check")
    );
    out
}

/// `erlint resources --format json`.
pub fn json(cov: &Coverage, db: &SourceDb) -> serde_json::Value {
    let pos = |s: Span| {
        let a = db.line_col(s.file, s.start as usize);
        json!({ "file": db.display(s.file), "line": a.line, "column": a.column })
    };
    let resources: Vec<serde_json::Value> = cov
        .entries
        .iter()
        .map(|e| {
            let mut v = json!({
                "address": e.address,
                "kind": e.kind,
                "format": e.format.describe(),
                "evaluated_with": e.unit,
                "parameter_file": e.parameter_file.map(|p| db.display(p)),
                "via": e.via,
                "exists": match &e.exists_unknown {
                    None => json!(true),
                    Some(why) => json!({ "unknown": why }),
                },
                "skipped": e.skipped.iter().map(|s| {
                    let mut v = pos(s.at);
                    if let Some(o) = v.as_object_mut() {
                        o.insert("rule".into(), json!(s.rule));
                        o.insert("message".into(), json!(s.message));
                    }
                    v
                }).collect::<Vec<_>>(),
            });
            if let (Some(o), Some(p)) = (v.as_object_mut(), pos(e.at).as_object()) {
                for (k, x) in p {
                    o.insert(k.clone(), x.clone());
                }
            }
            v
        })
        .collect();
    let mut by_format = serde_json::Map::new();
    for e in &cov.entries {
        let n = by_format
            .get(e.format.describe())
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        by_format.insert(e.format.describe().into(), json!(n + 1));
    }
    json!({
        "version": 1,
        "resources": resources,
        "summary": { "resources": cov.entries.len(), "by_format": by_format },
    })
}

/// ER006 for a JSON file erlint skips (no deployment `$schema`) that names an
/// ExpressRoute resource type: its resources would go unchecked in silence.
pub fn unevaluated_json(db: &SourceDb, file: FileId) -> Option<Diagnostic> {
    let text = db.text(file).ok()?;
    let lower = text.to_ascii_lowercase();
    // As the value of a `"type"` property, as a template writes a resource.
    let at = lower
        .match_indices("\"microsoft.network/expressroute")
        .find_map(|(i, _)| {
            let before = lower.get(..i)?.trim_end().strip_suffix(':')?.trim_end();
            before.ends_with("\"type\"").then_some(i)
        })?;
    let end = lower
        .get(at + 1..)
        .and_then(|r| r.find('"'))
        .map_or(at + 1, |e| at + 2 + e);
    let ty = text.get(at + 1..end.saturating_sub(1)).unwrap_or("");
    let mut d = crate::core::not_evaluated(
        Span::new(file, at, end),
        format!(
            "this file names `{ty}` but is not an ARM deployment template or parameter file (no deployment `$schema`): it was not checked"
        ),
    );
    d.help("add the deployment `$schema` (`https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#`) if it is a template; exclude the file otherwise");
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_files_naming_expressroute_types_are_noted() {
        let mut db = SourceDb::new(0);
        let f = db.add_text(
            "er.json",
            "{\n  \"resources\": [{ \"type\": \"Microsoft.Network/expressRouteCircuits\" }]\n}\n",
        );
        let d = unevaluated_json(&db, f).unwrap();
        assert_eq!(d.code, "ER006");
        let text = db.text(f).unwrap();
        assert_eq!(
            &text[d.primary.range()],
            "\"Microsoft.Network/expressRouteCircuits\""
        );
        let other = db.add_text("package.json", "{\"name\": \"x\"}");
        assert!(unevaluated_json(&db, other).is_none());
        // Named, but not as a resource's type.
        let list = db.add_text(
            "expected.json",
            "{\"resource\": \"Microsoft.Network/expressRouteCircuits/peerings\"}",
        );
        assert!(unevaluated_json(&db, list).is_none());
    }

    #[test]
    fn counts_per_format_in_a_fixed_order() {
        let mut c = Coverage::default();
        c.add(SourceKind::Azapi, 2);
        c.add(SourceKind::Azurerm, 3);
        c.add(SourceKind::Azapi, 1);
        assert_eq!(c.describe(), "3 azurerm, 3 azapi");
    }
}

//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning (and Azure DevOps' SARIF
//! viewer, GitLab's SARIF converters, VS Code's SARIF viewer).
//!
//! Hand-written serde structs for the subset erlint emits (as ruff and oxc do) rather
//! than `serde-sarif`: the subset is small, the field order stays readable in snapshots,
//! `level`/`columnKind`/`kind` are typed enums instead of `serde_json::Value`, and the
//! build avoids serde-sarif's code-generation dependencies. A test validates the output
//! against the official OASIS 2.1.0 schema (`tests/data/sarif-schema-2.1.0.json`).
//!
//! Choices:
//! - every rule of the registry is listed in `tool.driver.rules` (so `ruleIndex` is the
//!   rule's position in [`RULES`], stable for a given erlint version), with its docs as
//!   `help.text`/`help.markdown`;
//! - paths are relative POSIX URIs under `%SRCROOT%`: the repository root (see
//!   [`RepoPaths`]), given as an absolute `file://` URI in `originalUriBaseIds`, so that
//!   `cd infra && erlint` still writes `infra/network/main.tf` (code scanning resolves
//!   paths from the repository root and ignores the base);
//! - columns count Unicode code points (`columnKind: unicodeCodePoints`), like every other
//!   erlint format; end columns are exclusive, as SARIF defines them;
//! - `partialFingerprints.primaryLocationLineHash` (the key GitHub reads) is the
//!   finding's [`Identity`]: rule, repository-relative file, resource address and
//!   attribute, plus an occurrence counter; *not* the line or the message: moving a block
//!   or a catalogue refresh that rewords a message keeps its alert, a second finding with
//!   the same key gets its own;
//! - suppressed findings are kept with `suppressions` (`inSource` for comments and ARM
//!   metadata, `external` for the baseline) and their justification.

use super::identity::{Identity, identities};
use super::paths::RepoPaths;
use super::span_lines;
use crate::diagnostic::{Diagnostic, Severity, SuppressionKind, docs_url};
use crate::linter::Report;
use crate::rules::{RULES, RuleMeta};
use crate::source::{SourceDb, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/erlint/erlint";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
    description: Text,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: Level,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Warning,
    Note,
}

impl From<Severity> for Level {
    fn from(s: Severity) -> Level {
        match s {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Note,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: Level,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

pub fn write(out: &mut dyn Write, report: &Report, paths: &RepoPaths) -> io::Result<()> {
    let log = log(report, paths);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The SARIF log; `paths.root` (the directory paths are relative to) becomes `%SRCROOT%`.
pub fn log(report: &Report, paths: &RepoPaths) -> Log {
    let db = &report.db;
    let index: HashMap<&str, usize> = RULES
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().id, i))
        .collect();
    let results = report
        .diagnostics
        .iter()
        .zip(identities(report, paths))
        .map(|(d, id)| result(db, paths, d, index.get(d.code).copied().unwrap_or(0), &id))
        .collect();
    let mut bases = BTreeMap::new();
    if let Some(root) = &paths.root {
        bases.insert(
            SRCROOT,
            BaseUri {
                uri: dir_uri(root),
                description: Text {
                    text: "The repository root (outside a repository, the directory erlint ran in); result paths are relative to it.".into(),
                },
            },
        );
    }
    Log {
        schema: SCHEMA_URL,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "erlint",
                    full_name: "erlint, a linter for Azure ExpressRoute in Terraform, ARM templates and Bicep",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: RULES.iter().map(|r| rule(r.meta())).collect(),
                },
            },
            original_uri_base_ids: bases,
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

fn rule(m: &'static RuleMeta) -> Rule {
    let what = crate::docs::section(m.docs, "What it does");
    let full = if what.is_empty() {
        crate::docs::summary(m.docs)
    } else {
        what.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let markdown = crate::docs::page(m);
    Rule {
        id: m.id,
        name: m.name,
        short_description: Text {
            text: crate::docs::summary(m.docs),
        },
        full_description: Text { text: full },
        help: Help {
            text: markdown.clone(),
            markdown,
        },
        help_uri: docs_url(m.id),
        default_configuration: Configuration {
            level: m.severity.into(),
        },
        properties: RuleProperties {
            tags: tags(m.id),
            precision: "high",
            problem_severity: match m.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        },
    }
}

fn tags(id: &str) -> Vec<&'static str> {
    let area = match id.get(..3) {
        Some("ER0") => "erlint",
        Some("ER1") => "subscription",
        Some("ER2") => "connectivity-provider",
        Some("ER3") => "bgp",
        Some("ER4") => "routing",
        Some("ER5") => "sku",
        _ => "other",
    };
    vec!["expressroute", "azure", area]
}

fn result(
    db: &SourceDb,
    paths: &RepoPaths,
    d: &Diagnostic,
    rule_index: usize,
    id: &Identity,
) -> SarifResult {
    let mut text = d.message.clone();
    if let Some(n) = &d.note {
        text.push_str(&format!("\nnote: {n}"));
    }
    if let Some(h) = &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    let mut primary = location(db, paths, d.primary, None, None);
    if let Some(r) = &d.resource {
        primary.logical_locations.push(LogicalLocation {
            fully_qualified_name: r.clone(),
            kind: "resource",
        });
    }
    let related = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| location(db, paths, l.span, Some(i + 1), Some(l.message.clone())))
        .collect();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("primaryLocationLineHash", id.fingerprint());
    let suppressions = d
        .suppressed
        .iter()
        .map(|s| SarifSuppression {
            kind: match s.kind {
                SuppressionKind::InSource => "inSource",
                SuppressionKind::External => "external",
            },
            status: "accepted",
            justification: s.justification.clone(),
        })
        .collect();
    let mut properties = BTreeMap::new();
    if let Some(r) = &d.resource {
        properties.insert("resource", r.clone());
    }
    if let Some(p) = &d.json_path {
        properties.insert("jsonPath", p.clone());
    }
    if let Some(p) = d.parameter_file {
        properties.insert("parameterFile", paths.path(db, p));
    }
    SarifResult {
        rule_id: d.code,
        rule_index,
        level: d.severity.into(),
        message: Text { text },
        locations: vec![primary],
        related_locations: related,
        partial_fingerprints: fingerprints,
        suppressions,
        properties,
    }
}

fn location(
    db: &SourceDb,
    paths: &RepoPaths,
    span: Span,
    id: Option<usize>,
    message: Option<String>,
) -> Location {
    let (start, end) = span_lines(db, span);
    let (end_line, end_column) = if end < start {
        (start.line, start.column)
    } else {
        (end.line, end.column)
    };
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(&paths.path(db, span.file)),
            region: Region {
                start_line: start.line,
                start_column: start.column,
                end_line,
                end_column,
            },
        },
        logical_locations: Vec::new(),
        message: message.map(|text| Text { text }),
    }
}

fn artifact(display: &str) -> ArtifactLocation {
    let posix = display.replace('\\', "/");
    let absolute = posix.starts_with('/') || posix.get(1..3) == Some(":/");
    if absolute {
        ArtifactLocation {
            uri: file_uri(&posix),
            uri_base_id: None,
        }
    } else {
        // A relative reference whose first segment has a `:` would read as a scheme
        // (RFC 3986 §4.2): encode it.
        ArtifactLocation {
            uri: percent_encode(&posix).replace(':', "%3A"),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn file_uri(posix_abs: &str) -> String {
    if posix_abs.starts_with('/') {
        format!("file://{}", percent_encode(posix_abs))
    } else {
        format!("file:///{}", percent_encode(posix_abs))
    }
}

/// `file:///abs/dir/` (with the trailing slash SARIF requires of a base URI).
fn dir_uri(dir: &std::path::Path) -> String {
    let mut s = dir.to_string_lossy().replace('\\', "/");
    if !s.ends_with('/') {
        s.push('/');
    }
    file_uri(&s)
}

/// Percent-encode a path for a URI, keeping `/` and RFC 3986's unreserved and sub-delim
/// characters.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    /// erlint run in `infra/` of the repository checked out at /home/runner/work/infra.
    fn at_infra() -> RepoPaths {
        RepoPaths {
            root: Some("/home/runner/work/infra".into()),
            cwd_in_root: "infra".into(),
        }
    }

    pub fn render(report: &Report) -> String {
        let log = log(report, &at_infra());
        serde_json::to_string_pretty(&log).unwrap()
    }

    #[test]
    fn snapshot_results() {
        // The rules array is long and comes straight from the docs; snapshot the run
        // without it, and check the rules separately.
        let mut v: serde_json::Value = serde_json::from_str(&render(&sample::report())).unwrap();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].take();
        assert_eq!(rules.as_array().unwrap().len(), RULES.len());
        let text = serde_json::to_string_pretty(&v).unwrap();
        insta::assert_snapshot!(text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }

    #[test]
    fn every_rule_is_described() {
        let v: serde_json::Value = serde_json::from_str(&render(&sample::report())).unwrap();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        for (i, r) in rules.iter().enumerate() {
            let meta = RULES[i].meta();
            assert_eq!(r["id"], meta.id);
            assert_eq!(r["name"], meta.name);
            for key in ["shortDescription", "fullDescription"] {
                assert!(
                    !r[key]["text"].as_str().unwrap().is_empty(),
                    "{} {key}",
                    meta.id
                );
            }
            assert!(
                r["help"]["markdown"]
                    .as_str()
                    .unwrap()
                    .contains("## How to fix")
            );
            assert!(
                r["helpUri"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("{}.md", meta.id))
            );
        }
        let er301 = rules.iter().find(|r| r["id"] == "ER301").unwrap();
        insta::assert_json_snapshot!("er301_descriptor", {
            let mut r = er301.clone();
            r["help"] = serde_json::json!("<rule docs>");
            r["helpUri"] = serde_json::json!("<docs url>");
            r
        });
    }

    #[test]
    fn rule_index_points_at_the_rule() {
        let v: serde_json::Value = serde_json::from_str(&render(&sample::report())).unwrap();
        let run = &v["runs"][0];
        for res in run["results"].as_array().unwrap() {
            let i = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][i]["id"], res["ruleId"]);
        }
    }

    #[test]
    fn fingerprints_are_identities() {
        let r = sample::report();
        let v: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
        let ids = identities(&r, &at_infra());
        for (res, id) in v["runs"][0]["results"].as_array().unwrap().iter().zip(&ids) {
            assert_eq!(
                res["partialFingerprints"]["primaryLocationLineHash"],
                id.fingerprint()
            );
        }
        // A reworded message (a catalogue refresh) keeps the fingerprint.
        let mut reworded = sample::report();
        reworded.diagnostics[0].message =
            "`AT&T NetBond` is not an ExpressRoute partner at peering location `Zurich`: it serves Amsterdam, Frankfurt, London, Paris".into();
        let w: serde_json::Value = serde_json::from_str(&render(&reworded)).unwrap();
        assert_eq!(
            w["runs"][0]["results"][0]["partialFingerprints"],
            v["runs"][0]["results"][0]["partialFingerprints"]
        );
    }

    #[test]
    fn paths_are_relative_to_the_repository_root() {
        let v: serde_json::Value = serde_json::from_str(&render(&sample::report())).unwrap();
        let run = &v["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///home/runner/work/infra/"
        );
        let loc = &run["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc["uri"], "infra/network/main.tf");
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
        let related = &run["results"][2]["relatedLocations"][0]["physicalLocation"];
        assert_eq!(
            related["artifactLocation"]["uri"],
            "infra/network/terraform.tfvars"
        );
        assert_eq!(
            run["results"][0]["properties"]["parameterFile"],
            "infra/arm/circuit.parameters.json"
        );
    }

    fn schema() -> jsonschema::Validator {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/sarif-schema-2.1.0.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        // The schema's `language` pattern is not a valid regex for the `jsonschema` crate
        // (see tests/data/README.md).
        let bad = r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#;
        assert_eq!(text.matches(bad).count(), 2, "the schema changed");
        let text = text.replace(bad, "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
        v.iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn output_is_valid_sarif_2_1_0() {
        let v = schema();
        for report in [sample::report(), sample::clean_report()] {
            let doc: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{errs:#?}");
        }
        // Negative control: the validator does reject a bad level.
        let mut doc: serde_json::Value = serde_json::from_str(&render(&sample::report())).unwrap();
        doc["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
        assert!(!errors(&v, &doc).is_empty());
    }

    /// Findings in Bicep files (module call chains, labels in `.bicepparam` files,
    /// suppressed findings, ER003) are valid SARIF with Bicep locations.
    #[test]
    fn bicep_findings_are_valid_sarif() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::linter::Options {
            paths: vec![
                root.join("fixtures/rules/ER201/invalid-bicep-module"),
                root.join("fixtures/projects/bicep-suppressions"),
            ],
            max_file_size: 10 << 20,
            cwd: root,
            ..Default::default()
        };
        let report = crate::linter::run(&opts).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        let errs = errors(&schema(), &doc);
        assert!(errs.is_empty(), "{errs:#?}");
        let results = doc["runs"][0]["results"].as_array().unwrap();
        let uris: Vec<&str> = results
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert!(uris.iter().all(|u| u.ends_with(".bicep")), "{uris:?}");
        assert!(uris.len() >= 6, "{uris:?}");
        assert!(
            results.iter().any(|r| r["suppressions"].is_array()),
            "{results:?}"
        );
    }

    #[test]
    fn uris() {
        assert_eq!(
            artifact("network/main file.tf").uri,
            "network/main%20file.tf"
        );
        assert_eq!(artifact("network/main.tf").uri_base_id, Some(SRCROOT));
        let abs = artifact("/srv/infra/main.tf");
        assert_eq!(abs.uri, "file:///srv/infra/main.tf");
        assert!(abs.uri_base_id.is_none());
        assert_eq!(dir_uri(std::path::Path::new("/a b/c")), "file:///a%20b/c/");
        assert_eq!(artifact("Zürich.tf").uri, "Z%C3%BCrich.tf");
        // Not a URI with the scheme `c`.
        assert_eq!(artifact("c:d.tf").uri, "c%3Ad.tf");
    }
}

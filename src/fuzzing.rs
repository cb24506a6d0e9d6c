//! Entry points for the fuzz targets in `fuzz/` (and for tests that feed arbitrary
//! input): each lints one in-memory text through the whole pipeline (parse, evaluate,
//! every rule) and returns the diagnostics. They must never panic, hang or exhaust memory.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::rules::{self, RuleSettings};
use crate::source::SourceDb;
use crate::terraform::{self, ModuleSet, Role, module::ModuleIr};
use std::path::PathBuf;
use std::sync::Arc;

fn check(model: &crate::model::Model, out: &mut Vec<Diagnostic>) {
    out.extend(model.notes.iter().cloned());
    rules::check_model(
        model,
        Catalog::bundled(),
        &RuleSettings::default(),
        &|_| true,
        out,
    );
}

/// Lint `text` as a Terraform file (`main.tf`) of a root module.
pub fn lint_hcl(text: &str) -> Vec<Diagnostic> {
    let mut db = SourceDb::new(0);
    let file = db.add_text("main.tf", text);
    let module = ModuleIr::load(&db, PathBuf::from("/fuzz"), "fuzz".into(), &[file]);
    let mut out = module.diagnostics.clone();
    let mut set = ModuleSet::default();
    let dir = module.dir.clone();
    set.modules.insert(dir.clone(), Arc::new(module));
    if let Some(m) = set.modules.get(&dir) {
        for role in [Role::Root, Role::Library] {
            let model = terraform::evaluate(&set, m, role, &Default::default());
            check(&model, &mut out);
        }
    }
    out
}

/// Lint `text` as a JSON file: an ARM template, or a Terraform plan.
pub fn lint_json(text: &str) -> Vec<Diagnostic> {
    let mut db = SourceDb::new(0);
    let file = db.add_text("template.json", text);
    let mut out = Vec::new();
    let unit = crate::arm::build(&db, file, &[]);
    out.extend(unit.diagnostics);
    for m in &unit.models {
        check(m, &mut out);
    }
    let plan = terraform::plan::build(&db, file);
    out.extend(plan.diagnostics);
    for m in &plan.models {
        check(m, &mut out);
    }
    out
}

/// Lint `text` as a Bicep template (`main.bicep`): parse, evaluate, check. Files it
/// refers to (modules, `load*()` paths) are empty in-memory files, never read from disk.
pub fn lint_bicep(text: &str) -> Vec<Diagnostic> {
    let mut db = SourceDb::new(0);
    let file = db.add_text("main.bicep", text);
    let set = crate::bicep::load(&mut db, &[file], &mut |db, p| {
        db.add_text(&p.display().to_string(), "")
    });
    let mut out = set.diagnostics.clone();
    let unit = crate::bicep::build(&db, &set, file, &[]);
    out.extend(unit.diagnostics);
    for m in &unit.models {
        check(m, &mut out);
    }
    out
}

/// Parse `text` as a Bicep template and as a Bicep parameters file. Returns the syntax
/// errors' messages; never panics.
pub fn parse_bicep(text: &str) -> Vec<String> {
    use crate::bicep::{FileKind, parse};
    let mut db = SourceDb::new(0);
    let file = db.add_text("main.bicep", text);
    [FileKind::Template, FileKind::Params]
        .into_iter()
        .filter_map(|kind| parse(text, file, kind).err())
        .map(|e| {
            debug_assert!(e.span.end as usize <= text.len() && e.span.start <= e.span.end);
            e.message
        })
        .collect()
}

/// Lint an ARM template whose circuit's provider name is the expression `[expr]`.
pub fn lint_arm_expression(expr: &str) -> Vec<Diagnostic> {
    let quoted = serde_json::Value::String(format!("[{expr}]")).to_string();
    let template = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {{ "p": {{ "type": "string", "defaultValue": "Equinix" }} }},
  "variables": {{ "v": {quoted} }},
  "resources": [
    {{
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "c",
      "properties": {{ "serviceProviderProperties": {{ "serviceProviderName": {quoted}, "peeringLocation": "[variables('v')]" }} }}
    }}
  ]
}}"#
    );
    lint_json(&template)
}

/// The files of a whole-project input, in the order of its sections: two Terraform roots
/// (one calling the module), a module, automatic tfvars, Terraform JSON, an ARM template
/// with its parameter file, and a plan.
pub const PROJECT_FILES: &[&str] = &[
    "main.tf",
    "modules/m/main.tf",
    "terraform.tfvars",
    "override.tf.json",
    "arm/template.json",
    "arm/template.parameters.json",
    "plan/plan.json",
    "other/main.tf",
];

/// Sections of a whole-project input are separated by this line.
pub const SECTION: &str = "\n#==#\n";

/// The one entry point of every fuzz target, by name (`hcl`, `json`, `arm_expression`,
/// `project`, `bicep`, `git_index`); the fuzz targets and the corpus replay in `cargo test`
/// both call it.
/// Panics when erlint does: a panic, or an ER000 (a panic erlint caught).
pub fn run_target(target: &str, data: &[u8]) {
    if target == "git_index" {
        // Git's index, in chunks of a few sizes (a name or an entry across their ends).
        for chunk in [7, 64, 256 * 1024] {
            let _ = crate::discover::count_index_files(data, chunk);
        }
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let diags = match target {
        "hcl" => lint_hcl(text),
        "json" => lint_json(text),
        "arm_expression" => lint_arm_expression(text),
        "project" => {
            lint_project(text);
            return;
        }
        "bicep" => {
            let _ = parse_bicep(text);
            lint_bicep(text)
        }
        _ => return,
    };
    assert_no_internal_error(&diags);
}

#[allow(
    clippy::panic,
    reason = "the fuzzer's signal: a caught internal error is a crash"
)]
fn assert_no_internal_error(diags: &[Diagnostic]) {
    if let Some(d) = diags.iter().find(|d| d.code == "ER000") {
        panic!("ER000: {}", d.message);
    }
}

/// Lint a small project written to a temporary directory: the sections of `text`
/// (split at [`SECTION`]) are the [`PROJECT_FILES`]. The whole pipeline runs in directory
/// mode and in file mode (a root file, the module file), and every output format is
/// written; an ER000 panics.
pub fn lint_project(text: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "erlint-fuzz-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, content) in PROJECT_FILES.iter().zip(text.split(SECTION)) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(&path, content);
    }
    let runs: [&[&str]; 3] = [&["."], &["main.tf"], &["modules/m/main.tf"]];
    for paths in runs {
        let opts = crate::linter::Options {
            paths: paths.iter().map(|p| dir.join(p)).collect(),
            max_file_size: 1 << 20,
            cwd: dir.clone(),
            ..Default::default()
        };
        let Ok(report) = crate::linter::run(&opts) else {
            continue;
        };
        assert_no_internal_error(&report.diagnostics);
        let style = crate::output::Style::default();
        for format in <crate::output::Format as clap::ValueEnum>::value_variants() {
            let mut out = Vec::new();
            let _ = crate::output::write(*format, &mut out, &report, &style);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_lint() {
        assert!(lint_hcl("resource \"azurerm_express_route_circuit_peering\" \"p\" {\n  primary_peer_address_prefix = \"10.0.0.0/30\"\n}\n")
            .iter()
            .any(|d| d.code == "ER301"));
        assert!(
            lint_arm_expression("concat('Equi', 'nix')")
                .iter()
                .all(|d| d.code != "ER001")
        );
        assert!(
            lint_arm_expression("concat('a'")
                .iter()
                .any(|d| d.code == "ER001")
        );
        assert!(lint_json("{").iter().any(|d| d.code == "ER001"));
        assert_eq!(
            parse_bicep("param p string\n").len(),
            1,
            "not a params file"
        );
        assert_eq!(parse_bicep("var x = {").len(), 2);
        let found = lint_bicep(
            "resource p 'Microsoft.Network/expressRouteCircuits/peerings@2023-09-01' = {\n  name: 'c/AzurePrivatePeering'\n  properties: {\n    primaryPeerAddressPrefix: '10.0.0.0/30'\n  }\n}\n",
        );
        assert!(found.iter().any(|d| d.code == "ER301"), "{found:?}");
        assert_eq!(lint_bicep("var x = {")[0].code, "ER001");
        // `parent:` cycles and a name that reads itself end, with a located note.
        let cycles = lint_bicep(
            "resource a 'Microsoft.Network/expressRouteCircuits/peerings@2023-09-01' = {\n  parent: b\n  name: 'x'\n  properties: {\n    routeFilter: { id: a.id }\n  }\n}\nresource b 'Microsoft.Network/expressRouteCircuits/peerings@2023-09-01' = {\n  parent: a\n  name: 'y'\n}\nresource c 'Microsoft.Network/expressRouteCircuits@2023-09-01' = {\n  parent: c\n  name: c.name\n}\n",
        );
        assert!(cycles.iter().any(|d| d.code == "ER005"), "{cycles:?}");
    }

    /// Every committed corpus input and every past crash (`fuzz/corpus/<target>/`,
    /// `fuzz/regressions/<target>/`) through the fuzz targets' own entry point, so that
    /// CI replays them without a nightly toolchain.
    #[test]
    fn fuzz_corpora_and_past_crashes_replay() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let mut replayed = 0;
        for set in ["corpus", "regressions"] {
            for target in [
                "hcl",
                "json",
                "arm_expression",
                "project",
                "bicep",
                "git_index",
            ] {
                let Ok(entries) = std::fs::read_dir(root.join(set).join(target)) else {
                    continue;
                };
                for e in entries.flatten() {
                    let data = std::fs::read(e.path()).unwrap();
                    let result = std::panic::catch_unwind(|| run_target(target, &data));
                    assert!(result.is_ok(), "{target} crashes on {}", e.path().display());
                    replayed += 1;
                }
            }
        }
        assert!(replayed >= 20, "only {replayed} inputs replayed");
    }

    /// A cheap stand-in for the fuzzers in CI: mangled versions of real fixtures.
    #[test]
    fn mangled_fixtures_never_panic() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
        let mut inputs = Vec::new();
        for id in std::fs::read_dir(root).unwrap().flatten() {
            for f in std::fs::read_dir(id.path()).unwrap().flatten() {
                let p = f.path();
                if p.extension()
                    .is_some_and(|e| e == "tf" || e == "json" || e == "bicep")
                {
                    inputs.push((
                        p.extension().unwrap().to_string_lossy().to_string(),
                        std::fs::read_to_string(&p).unwrap(),
                    ));
                }
            }
        }
        for (ext, text) in inputs {
            let chars: Vec<char> = text.chars().collect();
            // Truncations and single-character deletions at 16 positions.
            for cut in (0..chars.len()).step_by(chars.len() / 16 + 1) {
                let truncated: String = chars[..cut].iter().collect();
                let deleted: String = chars
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != cut)
                    .map(|(_, c)| c)
                    .collect();
                for t in [truncated, deleted] {
                    let _ = match ext.as_str() {
                        "tf" => lint_hcl(&t),
                        "bicep" => lint_bicep(&t),
                        _ => lint_json(&t),
                    };
                }
            }
        }
    }
}

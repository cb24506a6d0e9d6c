//! The same configuration in another format finds the same things.
//!
//! - azapi: every `*-azapi.tf` rule fixture names its twin, the azurerm or ARM fixture it
//!   translates (`# twin: invalid.tf`), and finds what the twin finds: the same findings of
//!   its rule, per kind of resource, and the same resources (as many of each kind). A
//!   difference the schemas really have is declared in the fixture
//!   (`# differs: ER409 -1 (why)`).
//! - embedded ARM: every ARM template fixture, deployed from Terraform with the
//!   `azurerm_*_template_deployment` of its scope, finds exactly what the template finds
//!   on its own (rule, line, column, message) — read with `file()`, with its parameter
//!   file as `parameters_content`, and pasted into a heredoc (the same findings, on the
//!   heredoc's lines).
//! - Bicep: every `.bicep` rule fixture has a compiled twin under
//!   `fixtures/bicep/compiled/<ID>/`, written as `bicep build` writes it (classic output;
//!   the Bicep CLI is not on these machines), and finds the same: the same rule, resources
//!   and counts.

use crate::rules::{fixture_cases, fixture_formats};
use erlint::linter::{self, Options, Report, RuleFilter};
use erlint::model::{Kind, Schema};
use erlint::rules::RuleSettings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn lint_inventory(path: &Path, rule: &str) -> Report {
    let opts = Options {
        paths: vec![path.to_path_buf()],
        settings: RuleSettings {
            report_unknown: false,
            ..RuleSettings::default()
        },
        filter: RuleFilter {
            select: vec![rule.to_string()],
            ..Default::default()
        },
        max_file_size: 10 * 1024 * 1024,
        cwd: crate::common::repo(),
        inventory: true,
        ..Default::default()
    };
    linter::run(&opts).expect("lint run")
}

/// Lint a fixture as the rule fixtures are linted: a file alone in a directory.
fn lint_fixture(path: &Path, rule: &str) -> Report {
    if path.is_dir() {
        return lint_inventory(path, rule);
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(path, tmp.path().join(path.file_name().unwrap())).unwrap();
    lint_inventory(tmp.path(), rule)
}

/// Findings of `rule` per kind of resource (`provider` for a provider's).
fn findings_by_kind(r: &Report, rule: &str) -> BTreeMap<String, i64> {
    let kind_of: BTreeMap<&str, &str> = r
        .coverage
        .entries
        .iter()
        .map(|e| (e.address.as_str(), e.kind))
        .collect();
    let mut out = BTreeMap::new();
    for d in r.diagnostics.iter().filter(|d| d.code == rule) {
        let kind = d
            .resource
            .as_deref()
            .and_then(|a| kind_of.get(a).copied())
            .unwrap_or("provider");
        *out.entry(kind.to_string()).or_insert(0) += 1;
    }
    out
}

fn resources_by_kind(r: &Report) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for e in &r.coverage.entries {
        *out.entry(e.kind).or_insert(0) += 1;
    }
    out
}

fn azapi_fixtures() -> Vec<(String, PathBuf)> {
    let root = crate::common::repo().join("fixtures/rules");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        let id = dir.file_name().to_string_lossy().to_string();
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if name.ends_with("-azapi.tf") {
                out.push((id.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn azapi_fixtures_find_what_their_twins_find() {
    let cases = azapi_fixtures();
    assert!(cases.len() >= 60, "only {} azapi fixtures", cases.len());
    let mut failures = Vec::new();
    for (rule, path) in &cases {
        let text = std::fs::read_to_string(path).unwrap();
        let twin_name = text
            .lines()
            .find_map(|l| l.strip_prefix("# twin: "))
            .unwrap_or_else(|| panic!("{}: no `# twin:` line", path.display()));
        let twin = path.parent().unwrap().join(twin_name.trim());
        assert!(
            twin.exists(),
            "{}: twin {twin_name} missing",
            path.display()
        );
        let a = lint_fixture(path, rule);
        let b = lint_fixture(&twin, rule);
        let mut want = findings_by_kind(&b, rule);
        // Declared differences: `# differs: ER409 -1 (why)`, per kind `peering`-less: the
        // difference applies to the only kind the twin reports.
        for l in text.lines() {
            let Some(d) = l.strip_prefix("# differs: ") else {
                continue;
            };
            let mut words = d.split_whitespace();
            assert_eq!(words.next(), Some(rule.as_str()), "{}", path.display());
            let delta: i64 = words.next().unwrap().parse().unwrap();
            assert_eq!(
                want.len(),
                1,
                "{}: `differs` needs one kind",
                path.display()
            );
            if let Some(n) = want.values_mut().next() {
                *n += delta;
            }
        }
        want.retain(|_, n| *n != 0);
        let got = findings_by_kind(&a, rule);
        let label = path.strip_prefix(crate::common::repo()).unwrap().display();
        if got != want {
            failures.push(format!(
                "{label}: {rule} {got:?}, twin {twin_name}: {want:?}"
            ));
        }
        let (ra, rb) = (resources_by_kind(&a), resources_by_kind(&b));
        if ra != rb {
            failures.push(format!(
                "{label}: resources {ra:?}, twin {twin_name}: {rb:?}"
            ));
        }
        // Every resource read as azapi, but a subnet: one declared with azurerm beside azapi
        // resources (as the twin declares it) is what a mixed configuration writes.
        if a.coverage
            .entries
            .iter()
            .any(|e| e.format.describe() != "azapi" && e.kind != Kind::Subnet.describe())
        {
            failures.push(format!("{label}: resources not read as azapi"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A provider configuration whose `environment` is not known: like an ARM template, it
/// names no cloud.
const ANY_CLOUD: &str = "variable \"environment\" {\n  type = string\n}\n\nprovider \"azurerm\" {\n  features {}\n  environment = var.environment\n}\n\n";

/// The Terraform resource that deploys a template of this `$schema`, and its arguments.
fn deployment_for(template: &str) -> Option<(&'static str, &'static str)> {
    let schema = template
        .split("\"$schema\"")
        .nth(1)?
        .split('"')
        .nth(1)?
        .to_ascii_lowercase();
    Some(if schema.contains("subscriptiondeploymenttemplate") {
        (
            "azurerm_subscription_template_deployment",
            "  location = \"westeurope\"\n",
        )
    } else if schema.contains("managementgroupdeploymenttemplate") {
        (
            "azurerm_management_group_template_deployment",
            "  location            = \"westeurope\"\n  management_group_id = \"/providers/Microsoft.Management/managementGroups/connectivity\"\n",
        )
    } else if schema.contains("tenantdeploymenttemplate") {
        (
            "azurerm_tenant_template_deployment",
            "  location = \"westeurope\"\n",
        )
    } else if schema.contains("deploymenttemplate") {
        (
            "azurerm_resource_group_template_deployment",
            "  resource_group_name = \"rg-er\"\n  deployment_mode     = \"Incremental\"\n",
        )
    } else {
        return None;
    })
}

/// (rule, line, column, end line, end column, message) of the findings of `r` in the file
/// named `file`, lines shifted by `shift`.
fn located(
    r: &Report,
    file: &str,
    shift: usize,
) -> Vec<(String, usize, usize, usize, usize, String)> {
    let mut out: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| r.db.display(d.primary.file).ends_with(file))
        .map(|d| {
            let (s, e) = erlint::output::span_lines(&r.db, d.primary);
            (
                d.code.to_string(),
                s.line - shift,
                s.column,
                e.line - shift,
                e.column,
                d.message.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

/// An ARM fixture: its template file, and its parameter file when it has one.
fn arm_fixtures() -> Vec<(String, PathBuf, Option<PathBuf>)> {
    let root = crate::common::repo().join("fixtures/rules");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        let id = dir.file_name().to_string_lossy().to_string();
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let p = f.path();
            let name = f.file_name().to_string_lossy().to_string();
            if !(name.starts_with("valid") || name.starts_with("invalid")) {
                continue;
            }
            if p.is_dir() {
                let files: Vec<PathBuf> = std::fs::read_dir(&p)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                let json: Vec<&PathBuf> = files
                    .iter()
                    .filter(|f| f.extension().is_some_and(|e| e == "json"))
                    .collect();
                let params: Vec<&&PathBuf> = json
                    .iter()
                    .filter(|f| f.to_string_lossy().contains(".parameters"))
                    .collect();
                let templates: Vec<&&PathBuf> = json
                    .iter()
                    .filter(|f| !f.to_string_lossy().contains(".parameters"))
                    .collect();
                if files.len() == 2 && templates.len() == 1 && params.len() == 1 {
                    out.push((
                        id.clone(),
                        (*templates[0]).clone(),
                        Some((*params[0]).clone()),
                    ));
                }
            } else if name.ends_with(".json") {
                out.push((id.clone(), p, None));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn arm_fixtures_deployed_from_terraform_find_what_they_find_alone() {
    let cases = arm_fixtures();
    assert!(cases.len() >= 60, "only {} ARM fixtures", cases.len());
    let mut failures = Vec::new();
    let mut heredocs = 0;
    for (rule, template, params) in &cases {
        let text = std::fs::read_to_string(template).unwrap();
        let Some((resource, args)) = deployment_for(&text) else {
            continue;
        };
        let name = template.file_name().unwrap().to_string_lossy().to_string();
        let label = template
            .strip_prefix(crate::common::repo())
            .unwrap()
            .display()
            .to_string();
        // Alone.
        let alone = tempfile::tempdir().unwrap();
        std::fs::copy(template, alone.path().join(&name)).unwrap();
        let mut parameters = String::new();
        if let Some(p) = params {
            let pname = p.file_name().unwrap().to_string_lossy().to_string();
            std::fs::copy(p, alone.path().join(&pname)).unwrap();
            parameters = format!("  parameters_content = file(\"${{path.module}}/{pname}\")\n");
        }
        let want_report = lint_inventory(alone.path(), rule);
        let want = located(&want_report, &name, 0);
        // Deployed with file(), through a provider whose cloud is not known (an ARM
        // template names none).
        std::fs::write(
            alone.path().join("main.tf"),
            format!(
                "{ANY_CLOUD}resource \"{resource}\" \"twin\" {{\n  name = \"twin\"\n{args}  template_content = file(\"${{path.module}}/{name}\")\n{parameters}}}\n"
            ),
        )
        .unwrap();
        let got_report = lint_inventory(alone.path(), rule);
        let got = located(&got_report, &name, 0);
        if got != want {
            failures.push(format!("{label} with file(): {got:#?}\nalone: {want:#?}"));
        }
        let (kinds_got, kinds_want) = (
            resources_by_kind(&got_report),
            resources_by_kind(&want_report),
        );
        if kinds_got != kinds_want {
            failures.push(format!(
                "{label} with file(): resources {kinds_got:?}, alone {kinds_want:?}"
            ));
        }
        if got_report
            .coverage
            .entries
            .iter()
            .any(|e| e.format.describe() != "embedded ARM")
        {
            failures.push(format!("{label} with file(): not read as embedded ARM"));
        }
        // Pasted into a heredoc: the same findings, `shift` lines down.
        if text.contains("${") || text.contains("%{") || params.is_some() {
            continue;
        }
        heredocs += 1;
        let inline = tempfile::tempdir().unwrap();
        let head = format!(
            "{ANY_CLOUD}resource \"{resource}\" \"twin\" {{\n  name = \"twin\"\n{args}  template_content = <<EOT\n"
        );
        let shift = head.lines().count();
        std::fs::write(
            inline.path().join("main.tf"),
            format!(
                "{head}{}{}EOT\n}}\n",
                text,
                if text.ends_with('\n') { "" } else { "\n" }
            ),
        )
        .unwrap();
        let r = lint_inventory(inline.path(), rule);
        let got = located(&r, "main.tf", shift);
        if got != want {
            failures.push(format!("{label} in a heredoc: {got:#?}\nalone: {want:#?}"));
        }
    }
    assert!(heredocs >= 50, "only {heredocs} heredoc twins");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Where the compiled twin of a Bicep fixture is: `fixtures/bicep/compiled/<ID>/<name>`
/// with `.json` for `.bicep` (a directory stays a directory).
fn twin_of(id: &str, fixture: &Path) -> PathBuf {
    let name = fixture.file_name().unwrap().to_string_lossy().to_string();
    let name = name
        .strip_suffix(".bicep")
        .map_or(name.clone(), |n| format!("{n}.json"));
    crate::common::repo()
        .join("fixtures/bicep/compiled")
        .join(id)
        .join(name)
}

/// The rule's findings as (rule, resource, count), with an unknown name (written as its
/// expression in brackets, which differs between Bicep and JSON) shown as `[?]`.
fn findings_of(path: &Path, id: &str) -> BTreeMap<(String, String), usize> {
    let tmp = tempfile::tempdir().unwrap();
    let target = if path.is_dir() {
        path.to_path_buf()
    } else {
        let dest = tmp.path().join(path.file_name().unwrap());
        std::fs::copy(path, &dest).unwrap();
        tmp.path().to_path_buf()
    };
    let report = crate::common::lint(&[target], &[id]);
    let mut out = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| d.code == id) {
        let resource = normalize_address(d.resource.as_deref().unwrap_or("-"));
        *out.entry((d.code.to_string(), resource)).or_insert(0) += 1;
    }
    out
}

/// `…/[parameters('x')]/p[1]` → `…/[?][1]`: bracketed parts that are not loop indexes
/// become `[?]`, and what follows the first of them is dropped but for a final loop index:
/// a name not known statically is written otherwise in a source and its compiled form
/// (Bicep's `[vnetName]/gateway` is `[format('{0}/{1}', parameters('vnetName'),
/// 'gateway')]`), so such findings are compared by type.
fn normalize_address(a: &str) -> String {
    let full = normalize_brackets(a);
    let Some(i) = full.find("[?]") else {
        return full;
    };
    let index = full
        .strip_suffix(']')
        .and_then(|rest| rest.rsplit_once('['))
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map_or(String::new(), |(_, n)| format!("[{n}]"));
    format!("{}[?]{index}", &full[..i])
}

fn normalize_brackets(a: &str) -> String {
    let mut out = String::new();
    let mut rest = a;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        // The matching bracket (expressions nest them).
        let mut depth = 0;
        let mut end = after.len();
        for (j, c) in after.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &after[1..end.saturating_sub(1).max(1)];
        if inner.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&after[..end]);
        } else {
            out.push_str("[?]");
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every Bicep fixture has a compiled twin, written as `bicep build` writes it (classic
/// output), and both give the same findings: the same rule, resources and counts.
#[test]
fn bicep_fixtures_match_their_compiled_twins() {
    let mut failures = Vec::new();
    let mut compared = 0;
    // The rules on the model; erlint's own codes (ER006: what the Bicep front end does not
    // evaluate) differ between a source and its compiled form by nature.
    let model_rules: Vec<&str> = erlint::rules::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.checks_model())
        .map(|m| m.id)
        .collect();
    for (id, path) in fixture_cases() {
        if !model_rules.contains(&id.as_str())
            || !fixture_formats(&path).contains(&(Schema::Arm, "Bicep"))
        {
            continue;
        }
        let twin = twin_of(&id, &path);
        if !twin.exists() {
            failures.push(format!(
                "fixtures/rules/{id}/{}: no compiled twin at {}",
                path.file_name().unwrap().to_string_lossy(),
                twin.display()
            ));
            continue;
        }
        let (b, j) = (findings_of(&path, &id), findings_of(&twin, &id));
        compared += 1;
        if b != j {
            failures.push(format!(
                "fixtures/rules/{id}/{}: Bicep {b:?}\n  compiled twin {j:?}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(compared >= 58, "only {compared} Bicep fixtures compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn twin_addresses_are_normalized() {
    assert_eq!(
        normalize_address("Microsoft.Network/expressRouteCircuits/[parameters('x')[0]]/p[12]"),
        "Microsoft.Network/expressRouteCircuits/[?][12]"
    );
    assert_eq!(normalize_address("a/[circuitName]"), "a/[?]");
    assert_eq!(normalize_address("a/b/[unknown]/gateway"), "a/b/[?]");
    assert_eq!(
        normalize_address("a/b/[format('{0}/{1}', parameters('v'), 'gateway')]"),
        "a/b/[?]"
    );
    assert_eq!(normalize_address("a/b/x/gateway[3]"), "a/b/x/gateway[3]");
}

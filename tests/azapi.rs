//! azapi resources and ARM templates deployed from Terraform, end to end: bodies in every
//! form, `parent_id` placements and links, `azapi_update_resource`, Unknown values, ER006,
//! the deployment kinds and where their findings point (`fixtures/terraform/azapi/`,
//! `fixtures/terraform/arm-deployments/`).

use crate::common::{lint, repo};
use erlint::linter::{self, Options};
use erlint::rules::RuleSettings;
use std::path::PathBuf;

/// (code, file, line, column) of each finding.
fn findings(r: &erlint::linter::Report) -> Vec<(String, String, usize, usize)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let p = r.db.line_col(d.primary.file, d.primary.start as usize);
            (
                d.code.to_string(),
                r.db.display(d.primary.file).to_string(),
                p.line,
                p.column,
            )
        })
        .collect()
}

fn f(code: &str, file: &str, line: usize, col: usize) -> (String, String, usize, usize) {
    (code.into(), file.into(), line, col)
}

fn dir(name: &str) -> PathBuf {
    repo().join("fixtures/terraform").join(name)
}

/// The labels of the finding with `code`, as `file:line message`.
fn labels(r: &erlint::linter::Report, code: &str) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .flat_map(|d| d.labels.iter())
        .map(|l| {
            let p = r.db.line_col(l.span.file, l.span.start as usize);
            format!("{}:{} {}", r.db.display(l.span.file), p.line, l.message)
        })
        .collect()
}

#[test]
fn bodies_as_objects_jsonencode_heredocs_and_files() {
    let r = lint(&[dir("azapi/bodies")], &[]);
    let d = "fixtures/terraform/azapi/bodies/main.tf";
    assert_eq!(
        findings(&r),
        vec![
            // jsonencode({…}): at the value inside it, labelled where tfvars set it.
            f("ER201", d, 39, 31),
            // A `<<-` heredoc: the exact line and column inside it.
            f("ER406", d, 59, 19),
            // sensitive_body is merged over body.
            f("ER409", d, 64, 32),
            f("ER410", d, 64, 32),
            // jsondecode(file(…)): read; what is missing is reported at the resource.
            f("ER301", d, 69, 1),
            f("ER403", d, 69, 1),
            f("ER411", d, 69, 1),
        ]
    );
    assert_eq!(
        labels(&r, "ER201"),
        ["fixtures/terraform/azapi/bodies/terraform.tfvars:1 value set here"]
    );
    // main.tf, terraform.tfvars and the body file.
    assert_eq!(r.files, 3);
    assert_eq!(r.coverage.describe(), "3 azapi");
}

#[test]
fn parent_ids_place_and_link_resources() {
    let r = lint(&[dir("azapi/placement")], &[]);
    let d = "fixtures/terraform/azapi/placement/main.tf";
    assert_eq!(
        findings(&r),
        vec![
            // Inline peerings, one per circuit instance, at their `name`.
            f("ER301", d, 40, 18),
            f("ER301", d, 40, 18),
            // `azapi_resource.circuit[each.key].id` links each peering to its circuit.
            f("ER406", d, 64, 36),
            f("ER406", d, 64, 36),
            f("ER405", d, 77, 15),
            // A circuit id written out links by name.
            f("ER406", d, 84, 36),
            // `data.azurerm_subscription.current.id`: subscription scope.
            f("ER102", d, 117, 1),
        ]
    );
    let resources: Vec<&str> = r
        .diagnostics
        .iter()
        .filter_map(|d| d.resource.as_deref())
        .collect();
    assert!(resources.contains(&"azapi_resource.circuit[\"north\"]/peerings/AzurePrivatePeering"));
    assert!(resources.contains(&"azapi_resource.microsoft[\"south\"]"));
}

#[test]
fn updates_merge_into_their_resources() {
    let r = lint(&[dir("azapi/updates")], &[]);
    let d = "fixtures/terraform/azapi/updates/main.tf";
    assert_eq!(
        findings(&r),
        vec![
            // The update's second session is the first one: the merge is checked.
            f("ER302", d, 28, 18),
            // An update of a peering declared elsewhere: only what it sets is known.
            f("ER406", d, 58, 16),
        ]
    );
    assert_eq!(r.coverage.describe(), "3 azapi");
}

#[test]
fn a_sensitive_body_that_may_be_null_hides_only_what_it_may_set() {
    let r = lint(&[dir("azapi/sensitive")], &[]);
    let d = "fixtures/terraform/azapi/sensitive/main.tf";
    assert_eq!(
        findings(&r),
        vec![
            // `sensitive_body = null`: the body as written.
            f("ER501", d, 40, 16),
            // Set or not by a condition not known, elsewhere than the SKU.
            f("ER501", d, 58, 16),
            // The third may set the SKU: not reported.
        ]
    );
    assert_eq!(r.coverage.describe(), "3 azapi");
}

#[test]
fn unknown_values_stay_unknown_and_what_is_not_read_is_said() {
    let r = lint(&[dir("azapi/unknowns")], &[]);
    let d = "fixtures/terraform/azapi/unknowns/main.tf";
    assert_eq!(
        findings(&r),
        vec![
            f("ER006", d, 43, 3),
            f("ER006", d, 54, 3),
            f("ER006", d, 58, 1)
        ]
    );
    assert!(
        r.diagnostics
            .iter()
            .all(|x| x.severity == erlint::diagnostic::Severity::Info)
    );
    assert_eq!(r.coverage.describe(), "3 azapi");
}

#[test]
fn template_deployments_of_every_scope() {
    let r = lint(&[dir("arm-deployments")], &[]);
    let d = "fixtures/terraform/arm-deployments/main.tf";
    let t = "fixtures/terraform/arm-deployments/templates/circuit.json.tftpl";
    assert_eq!(
        findings(&r),
        vec![
            // Subscription scope, inline heredoc: no resource group.
            f("ER102", d, 49, 11),
            f("ER206", d, 58, 34),
            // Management-group scope, jsonencode({…}): a nested deployment's peering.
            f("ER301", d, 89, 30),
            f("ER006", d, 110, 3),
            f("ER006", d, 116, 3),
            // templatefile(): in the template file, at the interpolation.
            f("ER201", t, 17, 34),
        ]
    );
    let l = labels(&r, "ER201");
    assert!(
        l.contains(
            &"fixtures/terraform/arm-deployments/terraform.tfvars:1 value set here".to_string()
        ),
        "{l:?}"
    );
    assert!(
        l.contains(&format!(
            "{d}:20 deployed by `azurerm_resource_group_template_deployment.circuit`"
        )),
        "{l:?}"
    );
    // The Key Vault reference in `parameters_content` is a secret: no ER410.
    assert!(!r.diagnostics.iter().any(|x| x.code == "ER410"));
    assert_eq!(r.coverage.describe(), "4 embedded ARM");
}

#[test]
fn template_syntax_errors_point_into_the_terraform_file() {
    let r = lint(&[dir("arm-deployment-syntax")], &["ER001"]);
    let d = "fixtures/terraform/arm-deployment-syntax/main.tf";
    let parse: Vec<_> = findings(&r)
        .into_iter()
        .filter(|x| x.0 == "ER001")
        .collect();
    // In the heredoc, at the token after the missing comma; in jsonencode, at the string.
    assert_eq!(parse, vec![f("ER001", d, 9, 60), f("ER001", d, 24, 20)]);
}

#[test]
fn resources_are_listed_with_what_was_skipped() {
    let opts = Options {
        paths: vec![dir("azapi/unknowns"), dir("arm-deployments")],
        settings: RuleSettings {
            report_unknown: true,
            ..RuleSettings::default()
        },
        cwd: repo(),
        inventory: true,
        ..Default::default()
    };
    let r = linter::run(&opts).unwrap();
    let v = erlint::coverage::json(&r.coverage, &r.db);
    let list = v["resources"].as_array().unwrap();
    assert_eq!(list.len(), 7);
    let generated = list
        .iter()
        .find(|x| x["address"] == "azapi_resource.generated")
        .unwrap();
    assert_eq!(generated["format"], "azapi");
    assert_eq!(generated["kind"], "ExpressRoute peering");
    assert_eq!(generated["line"], 18);
    assert_eq!(
        generated["evaluated_with"],
        "Terraform root `fixtures/terraform/azapi/unknowns`"
    );
    // Its body comes from a data source: every check that reads it was skipped.
    let skipped = generated["skipped"].as_array().unwrap();
    assert!(skipped.len() >= 10, "{skipped:?}");
    assert!(skipped.iter().any(|s| s["rule"] == "ER301"));
    let embedded = list
        .iter()
        .find(|x| x["format"] == "embedded ARM" && x["file"].as_str().unwrap().ends_with(".tftpl"))
        .unwrap();
    assert_eq!(
        embedded["via"],
        serde_json::json!(["deployed by `azurerm_resource_group_template_deployment.circuit`"])
    );
    assert_eq!(v["summary"]["by_format"]["azapi"], 3);
    assert_eq!(v["summary"]["by_format"]["embedded ARM"], 4);
    let text = erlint::coverage::text(&r.coverage, &r.db);
    assert!(
        text.ends_with(" skipped because a value is not known statically\n"),
        "{text}"
    );
    assert!(
        text.contains("7 resources (3 azapi, 4 embedded ARM)"),
        "{text}"
    );
}

#[test]
fn arm_deployments_declared_with_azapi() {
    let r = lint(&[dir("azapi/deployment")], &[]);
    let d = "fixtures/terraform/azapi/deployment/main.tf";
    assert_eq!(
        findings(&r),
        vec![
            // At the resource's `type`, as in an ARM template; the value is the parameter's.
            f("ER301", d, 29, 26),
            // `parent_id` is a subscription: the template's root is outside a resource group.
            f("ER102", d, 58, 26),
            f("ER006", d, 82, 3),
        ]
    );
    assert_eq!(r.coverage.describe(), "2 embedded ARM");
}

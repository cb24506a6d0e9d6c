//! Terraform evaluation end to end: modules, instances, tfvars, `.tf.json`, plans,
//! remote modules, provider aliases, `count`, cycles, environment variables.

use crate::common::{lint, lint_with, repo};
use erlint::linter::{self, Options, VarArg};
use erlint::rules::RuleSettings;
use std::path::PathBuf;

/// (code, file, line, column, resource) of each finding.
fn findings(report: &erlint::linter::Report) -> Vec<(String, String, usize, usize, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let p = report.db.line_col(d.primary.file, d.primary.start as usize);
            (
                d.code.to_string(),
                report.db.display(d.primary.file).to_string(),
                p.line,
                p.column,
                d.resource.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn f(
    code: &str,
    file: &str,
    line: usize,
    col: usize,
    resource: &str,
) -> (String, String, usize, usize, String) {
    (code.into(), file.into(), line, col, resource.into())
}

fn dir(name: &str) -> PathBuf {
    repo().join("fixtures/terraform").join(name)
}

#[test]
fn nested_modules_for_each_optional_try_and_dynamic_blocks() {
    let r = lint(&[dir("avm-style")], &[]);
    assert_eq!(
        findings(&r),
        vec![f(
            "ER301",
            "fixtures/terraform/avm-style/modules/expressroute/modules/peering/main.tf",
            14,
            39,
            "module.er[\"east\"].module.peering[\"private\"].azurerm_express_route_circuit_peering.this"
        )]
    );
    let d = &r.diagnostics[0];
    let labels: Vec<String> = d
        .labels
        .iter()
        .map(|l| format!("{} {}", r.db.display(l.span.file), l.message))
        .collect();
    // The module calls that lead to the value, and the tfvars line that set it.
    assert!(
        labels
            .iter()
            .any(|l| l.ends_with("main.tf in `module.er[\"east\"]`, called here")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.contains("terraform.tfvars value set here")),
        "{labels:?}"
    );
}

#[test]
fn var_files_apply_in_command_line_order() {
    let run = |vars: Vec<VarArg>| {
        let opts = Options {
            paths: vec![dir("envs")],
            vars,
            cwd: repo(),
            max_file_size: 1 << 20,
            ..Default::default()
        };
        findings(&linter::run(&opts).unwrap())
    };
    // No values: the peering is Unknown, nothing to report.
    assert!(run(vec![]).is_empty());
    let dev = VarArg::File(dir("envs/envs/dev.tfvars"));
    let prod = VarArg::File(dir("envs/envs/prod.tfvars"));
    assert!(run(vec![dev.clone()]).is_empty());
    let with_prod = run(vec![prod.clone()]);
    assert_eq!(
        with_prod,
        vec![f(
            "ER301",
            "fixtures/terraform/envs/main.tf",
            29,
            35,
            "azurerm_express_route_circuit_peering.private"
        )]
    );
    // The later file wins.
    assert!(run(vec![prod.clone(), dev.clone()]).is_empty());
    assert_eq!(run(vec![dev, prod]).len(), 1);
    // --var after the file overrides it too.
    let fixed = VarArg::Pair(
        "peering".into(),
        "{ primary = \"10.20.0.0/30\", secondary = \"10.20.0.4/30\" }".into(),
    );
    assert!(run(vec![VarArg::File(dir("envs/envs/prod.tfvars")), fixed]).is_empty());
}

#[test]
fn tf_json_configuration_with_spans_inside_strings() {
    let r = lint(&[dir("tfjson")], &[]);
    assert_eq!(
        findings(&r),
        vec![
            f(
                "ER301",
                "fixtures/terraform/tfjson/main.tf.json",
                17,
                7,
                "azurerm_express_route_circuit_peering.private"
            ),
            f(
                "ER303",
                "fixtures/terraform/tfjson/main.tf.json",
                23,
                40,
                "azurerm_express_route_circuit_peering.private"
            ),
        ]
    );
}

#[test]
fn remote_modules_are_followed_through_modules_json_or_noted_once() {
    let r = lint(&[dir("remote-module")], &[]);
    assert_eq!(
        findings(&r),
        vec![f(
            "ER301",
            "fixtures/terraform/remote-module/.terraform/modules/er_vendor/main.tf",
            21,
            35,
            "module.er.azurerm_express_route_circuit_peering.this"
        )]
    );
    let r = lint(&[dir("remote-unmapped")], &[]);
    assert_eq!(
        findings(&r),
        vec![f(
            "ER004",
            "fixtures/terraform/remote-unmapped/main.tf",
            7,
            3,
            "module.er"
        )]
    );
    assert_eq!(
        r.diagnostics[0].severity,
        erlint::diagnostic::Severity::Info
    );
}

#[test]
fn aliased_provider_passed_to_a_module_is_the_one_checked() {
    let r = lint(&[dir("aliases")], &["ER101"]);
    assert_eq!(
        findings(&r),
        vec![f("ER101", "fixtures/terraform/aliases/main.tf", 7, 1, "")]
    );
    assert!(r.diagnostics[0].message.contains("`azurerm.connectivity`"));
}

#[test]
fn count_zero_removes_unknown_count_keeps_known_count_expands() {
    let r = lint(&[dir("count")], &[]);
    assert_eq!(
        findings(&r),
        vec![
            f(
                "ER301",
                "fixtures/terraform/count/main.tf",
                27,
                1,
                "azurerm_express_route_circuit_peering.sites"
            ),
            f(
                "ER302",
                "fixtures/terraform/count/main.tf",
                46,
                35,
                "azurerm_express_route_circuit_peering.pairs[0]"
            ),
        ]
    );
    assert!(
        r.diagnostics[0]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("`count` is not known"))
    );
}

#[test]
fn module_cycles_are_noted_not_followed_forever() {
    let r = lint(&[dir("cycle")], &[]);
    let codes: Vec<String> = findings(&r).into_iter().map(|x| x.0).collect();
    assert_eq!(codes, ["ER004", "ER004", "ER301"]);
    // `b` linted on its own and as `module.b` of `a`: one finding, naming both.
    let er301 = r.diagnostics.iter().find(|d| d.code == "ER301").unwrap();
    assert_eq!(
        er301.note.as_deref(),
        Some(
            "the same for `module.b.azurerm_express_route_circuit_peering.p` (called at fixtures/terraform/cycle/a/main.tf:1)"
        )
    );
    // Each note names the module call that was not followed, by its address.
    let calls: Vec<Option<&str>> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "ER004")
        .map(|d| d.resource.as_deref())
        .collect();
    assert_eq!(
        calls,
        [Some("module.a.module.b"), Some("module.b.module.a")]
    );
}

#[test]
fn unknown_values_are_reported_only_with_report_unknown() {
    let quiet = lint(&[dir("envs")], &[]);
    assert!(quiet.diagnostics.is_empty());
    let loud = lint_with(
        &[dir("envs")],
        &[],
        RuleSettings {
            report_unknown: true,
            ..Default::default()
        },
    );
    assert!(!loud.diagnostics.is_empty());
    for d in &loud.diagnostics {
        assert_eq!(
            d.severity,
            erlint::diagnostic::Severity::Info,
            "{}",
            d.message
        );
        assert!(
            d.message.contains("not known before deployment"),
            "{}",
            d.message
        );
    }
    assert!(
        loud.diagnostics
            .iter()
            .any(|d| d.code == "ER301" && d.message.contains("`primary_peer_address_prefix`")),
        "{:?}",
        loud.diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_module_linted_alone_reports_nothing_that_depends_on_its_inputs() {
    // `modules/peering` of the ER301 fixture: secondary defaults to null, but a caller may
    // set it; linted as a directory of its own (no caller in the scan) it is silent.
    let r = lint(
        &[repo().join("fixtures/rules/ER301/invalid-module/modules/peering")],
        &[],
    );
    assert!(r.diagnostics.is_empty(), "{:?}", findings(&r));
}

#[test]
fn plan_json_values_unknowns_and_deletions() {
    let r = lint(&[dir("plan")], &[]);
    // The Lab peering's secondary is unknown in the plan, the retired one is being deleted.
    assert_eq!(
        findings(&r),
        vec![f(
            "ER301",
            "fixtures/terraform/plan/plan.json",
            120,
            44,
            "module.peering[\"MicrosoftPeering\"].azurerm_express_route_circuit_peering.this"
        )]
    );
    assert_eq!(r.resources, 4);
}

#[test]
fn values_from_the_command_line_are_written_in_no_file() {
    // `--var` (like `TF_VAR_*`) supplies a value that is in no scanned file: ER410 does not
    // call it hard-coded, also once passed through functions or templates, ER409 still
    // checks it, and no message or label shows it.
    let tmp = tempfile::tempdir().unwrap();
    let peering = |name: &str, key: &str| {
        format!(
            "resource \"azurerm_express_route_circuit_peering\" \"{name}\" {{\n  peering_type                  = \"AzurePrivatePeering\"\n  express_route_circuit_name    = \"erc-{name}\"\n  resource_group_name           = \"rg-er\"\n  peer_asn                      = 65010\n  primary_peer_address_prefix   = \"172.16.0.0/30\"\n  secondary_peer_address_prefix = \"172.16.0.4/30\"\n  vlan_id                       = 100\n  shared_key                    = {key}\n}}\n"
        )
    };
    let main = [
        "variable \"bgp_key\" {\n  type      = string\n  sensitive = true\n}\n\nvariable \"bgp_keys\" {\n  type    = map(string)\n  default = {}\n}\n".to_string(),
        peering("plain", "var.bgp_key"),
        peering("map", "lookup(var.bgp_keys, \"sea\", null)"),
        peering("function", "trimspace(var.bgp_key)"),
        peering("template", "\"${var.bgp_key}2\""),
    ]
    .join("\n");
    std::fs::write(tmp.path().join("main.tf"), main).unwrap();
    let run = |vars: Vec<VarArg>| {
        let opts = Options {
            paths: vec![tmp.path().to_path_buf()],
            vars,
            cwd: tmp.path().to_path_buf(),
            max_file_size: 1 << 20,
            filter: erlint::linter::RuleFilter {
                select: vec!["ER409".into(), "ER410".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        linter::run(&opts).unwrap()
    };
    let secret = "Not a valid key!";
    let r = run(vec![
        VarArg::Pair("bgp_key".into(), secret.into()),
        VarArg::Pair("bgp_keys".into(), format!("{{ sea = \"{secret}\" }}")),
    ]);
    let got: Vec<(String, String)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.resource.clone().unwrap_or_default()))
        .collect();
    let want: Vec<(String, String)> = ["plain", "map", "function", "template"]
        .iter()
        .map(|n| {
            (
                "ER409".to_string(),
                format!("azurerm_express_route_circuit_peering.{n}"),
            )
        })
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want;
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "{got:?}");
    for d in &r.diagnostics {
        assert!(d.labels.is_empty(), "{:?}", d.labels);
        assert!(!format!("{d:?}").contains(secret));
        assert!(d.message.contains("special characters"), "{}", d.message);
    }
    let good = run(vec![VarArg::Pair("bgp_key".into(), "GoodKey123".into())]);
    assert!(good.diagnostics.is_empty(), "{:?}", good.diagnostics);
}

/// Write `files` (path, text) under a new temporary directory.
fn write_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    tmp
}

const PROVIDER: &str = "provider \"azurerm\" {\n  features {}\n  subscription_id = \"6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7\"\n}\n";

fn report_unknown() -> RuleSettings {
    RuleSettings {
        report_unknown: true,
        ..Default::default()
    }
}

#[test]
fn a_null_for_a_non_nullable_variable_without_default_is_unknown() {
    // Terraform rejects `null` for a `nullable = false` variable that has no default: erlint
    // cannot know the value, so ER406 is skipped (and says why), not reported.
    let module = "variable \"vlan_id\" {\n  type     = number\n  nullable = false\n}\n\nresource \"azurerm_express_route_circuit_peering\" \"this\" {\n  peering_type                  = \"AzurePrivatePeering\"\n  express_route_circuit_name    = \"erc-weu-01\"\n  resource_group_name           = \"rg-er\"\n  peer_asn                      = 65010\n  vlan_id                       = var.vlan_id\n  primary_peer_address_prefix   = \"172.16.60.0/30\"\n  secondary_peer_address_prefix = \"172.16.60.4/30\"\n}\n";
    let main = format!(
        "{PROVIDER}\nmodule \"peering\" {{\n  source  = \"./modules/peering\"\n  vlan_id = null\n}}\n"
    );
    let tmp = write_tree(&[("main.tf", &main), ("modules/peering/main.tf", module)]);
    let r = lint_with(&[tmp.path().to_path_buf()], &["ER406"], report_unknown());
    assert_eq!(r.diagnostics.len(), 1, "{:?}", findings(&r));
    let d = &r.diagnostics[0];
    assert_eq!(d.severity, erlint::diagnostic::Severity::Info);
    assert!(d.message.contains("`nullable = false`"), "{}", d.message);
}

#[test]
fn tf_json_array_bodies_and_type_strings() {
    // Blocks written as arrays of objects at every level, and a variable type written as a
    // string with `optional()` defaults (the VLAN default is reported, and located inside
    // the type string, past its escaped quotes).
    let r = lint(&[dir("tfjson-arrays")], &[]);
    let file = "fixtures/terraform/tfjson-arrays/main.tf.json";
    let peering = "azurerm_express_route_circuit_peering.private";
    assert_eq!(
        findings(&r),
        vec![
            f("ER103", file, 7, 61, ""),
            f("ER206", file, 30, 34, "azurerm_express_route_circuit.weu"),
            f("ER406", file, 46, 24, peering),
            f("ER301", file, 47, 13, peering),
        ]
    );
    let vlan = &r.diagnostics[2];
    let from = vlan
        .labels
        .iter()
        .find(|l| l.message == "value set here")
        .expect("origin label");
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    assert_eq!(&text[from.span.range()], "4095");
}

#[test]
fn a_broken_tfvars_file_makes_lower_precedence_values_unknown() {
    // `terraform.tfvars` does not parse: it might set any variable, so the defaults below
    // it are not what Terraform would use. A later `*.auto.tfvars` and the command line
    // still decide.
    let peering = |name: &str| {
        format!(
            "variable \"{name}_secondary\" {{\n  type    = string\n  default = null\n}}\n\nresource \"azurerm_express_route_circuit_peering\" \"{name}\" {{\n  peering_type                  = \"AzurePrivatePeering\"\n  express_route_circuit_name    = \"erc-{name}-01\"\n  resource_group_name           = \"rg-er\"\n  peer_asn                      = 65010\n  vlan_id                       = 100\n  primary_peer_address_prefix   = \"172.16.41.0/30\"\n  secondary_peer_address_prefix = var.{name}_secondary\n}}\n"
        )
    };
    let main = format!("{PROVIDER}\n{}\n{}", peering("weu"), peering("neu"));
    let tmp = write_tree(&[
        ("main.tf", &main),
        ("terraform.tfvars", "weu_secondary = [\n"),
        ("neu.auto.tfvars", "neu_secondary = null\n"),
    ]);
    let run = |vars: Vec<VarArg>, settings: RuleSettings| {
        let opts = Options {
            paths: vec![tmp.path().to_path_buf()],
            vars,
            cwd: tmp.path().to_path_buf(),
            max_file_size: 1 << 20,
            settings,
            ..Default::default()
        };
        linter::run(&opts).unwrap()
    };
    let codes = |r: &linter::Report| -> Vec<(String, String)> {
        r.diagnostics
            .iter()
            .map(|d| (d.code.to_string(), d.resource.clone().unwrap_or_default()))
            .collect()
    };
    let neu = "azurerm_express_route_circuit_peering.neu".to_string();
    let weu = "azurerm_express_route_circuit_peering.weu".to_string();
    let r = run(vec![], RuleSettings::default());
    assert_eq!(
        codes(&r),
        [
            ("ER301".to_string(), neu.clone()),
            ("ER001".into(), "".into())
        ]
    );
    let loud = run(vec![], report_unknown());
    assert!(
        loud.diagnostics
            .iter()
            .any(|d| d.resource.as_ref() == Some(&weu)
                && d.message.contains("`terraform.tfvars` could not be parsed")),
        "{:?}",
        codes(&loud)
    );
    // `--var` is of higher precedence than the broken file: its value is checked.
    let r = run(
        vec![VarArg::Pair("weu_secondary".into(), "172.16.41.4".into())],
        RuleSettings::default(),
    );
    assert_eq!(
        codes(&r),
        [
            ("ER303".to_string(), weu),
            ("ER301".into(), neu),
            ("ER001".into(), "".into())
        ]
    );
}

#[test]
fn an_unknown_list_element_is_a_skipped_check() {
    // One advertised prefix comes from a data source: ER401 checks the other and, with
    // --report-unknown, says that this one was not checked.
    let main = format!(
        "{PROVIDER}\ndata \"azurerm_public_ip_prefix\" \"nat\" {{\n  name                = \"pip-nat\"\n  resource_group_name = \"rg-er\"\n}}\n\nresource \"azurerm_express_route_circuit_peering\" \"ms\" {{\n  peering_type                  = \"MicrosoftPeering\"\n  express_route_circuit_name    = \"erc-weu-01\"\n  resource_group_name           = \"rg-er\"\n  peer_asn                      = 12345\n  vlan_id                       = 300\n  primary_peer_address_prefix   = \"185.64.113.0/30\"\n  secondary_peer_address_prefix = \"185.64.113.4/30\"\n\n  microsoft_peering_config {{\n    advertised_public_prefixes = [\"185.64.100.0/25\", data.azurerm_public_ip_prefix.nat.ip_prefix]\n  }}\n}}\n"
    );
    let tmp = write_tree(&[("main.tf", &main)]);
    let quiet = lint(&[tmp.path().to_path_buf()], &["ER401"]);
    assert!(quiet.diagnostics.is_empty(), "{:?}", findings(&quiet));
    let r = lint_with(&[tmp.path().to_path_buf()], &["ER401"], report_unknown());
    assert_eq!(r.diagnostics.len(), 1, "{:?}", findings(&r));
    let d = &r.diagnostics[0];
    assert_eq!(d.severity, erlint::diagnostic::Severity::Info);
    assert!(
        d.message
            .contains("`microsoft_peering_config.advertised_public_prefixes` is not known"),
        "{}",
        d.message
    );
    assert_eq!(
        &main[d.primary.range()],
        "data.azurerm_public_ip_prefix.nat.ip_prefix"
    );
}

/// OpenTofu: `.tofu` and `.tofu.json` files are read like `.tf` and `.tf.json`, modules
/// too, and a `.tofu` file replaces the `.tf` file of the same name (the defect in
/// `main.tf` is not reported: OpenTofu never reads that file).
#[test]
fn opentofu_files_are_read_and_replace_their_tf_twins() {
    let r = lint(&[dir("opentofu")], &[]);
    assert_eq!(
        findings(&r),
        vec![f(
            "ER301",
            "fixtures/terraform/opentofu/modules/peering/main.tofu",
            8,
            35,
            "module.private_peering.azurerm_express_route_circuit_peering.this"
        )]
    );
    // main.tofu, variables.tf, outputs.tofu.json and the module's two files.
    assert_eq!(r.files, 5);
    // Named in pre-commit style, the `.tofu` file is linted with its directory.
    let r = lint(&[dir("opentofu").join("modules/peering/main.tofu")], &[]);
    assert_eq!(findings(&r).len(), 1, "{:?}", findings(&r));
}

/// A VPN gateway and an IPsec connection are in the model (a connection's gateway, the
/// gateway subnet) but are not ExpressRoute: neither counted nor listed, in Terraform as
/// in Bicep; their ExpressRoute twins are.
#[test]
fn vpn_gateways_and_ipsec_connections_are_not_counted() {
    let tf = write_tree(&[(
        "main.tf",
        r#"
provider "azurerm" {
  features {}
  subscription_id = "4f6c1b2a-9d3e-4c5f-8a7b-6e5d4c3b2a19"
}

variable "gateway_type" {
  type    = string
  default = "ExpressRoute"
}

resource "azurerm_virtual_network_gateway" "vpn" {
  name                = "vgw-vpn-weu"
  location            = "westeurope"
  resource_group_name = "rg-hub"
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1"
}

resource "azurerm_virtual_network_gateway" "er" {
  name                = "vgw-er-weu"
  location            = "westeurope"
  resource_group_name = "rg-hub"
  type                = var.gateway_type
  sku                 = "ErGw1AZ"
}

resource "azurerm_virtual_network_gateway_connection" "branch" {
  name                       = "cn-branch"
  location                   = "westeurope"
  resource_group_name        = "rg-hub"
  type                       = "IPsec"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id   = "/subscriptions/4f6c1b2a-9d3e-4c5f-8a7b-6e5d4c3b2a19/resourceGroups/rg-hub/providers/Microsoft.Network/localNetworkGateways/lgw-branch"
}

resource "azurerm_virtual_network_gateway_connection" "er" {
  name                       = "cn-er"
  location                   = "westeurope"
  resource_group_name        = "rg-hub"
  type                       = "ExpressRoute"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.er.id
  express_route_circuit_id   = "/subscriptions/4f6c1b2a-9d3e-4c5f-8a7b-6e5d4c3b2a19/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/erc-weu"
}
"#,
    )]);
    let r = lint(&[tf.path().to_path_buf()], &[]);
    assert_eq!(r.resources, 2, "{:?}", r.coverage);
    let bicep = write_tree(&[(
        "main.bicep",
        r#"
resource vpn 'Microsoft.Network/virtualNetworkGateways@2024-05-01' = {
  name: 'vgw-vpn-weu'
  location: 'westeurope'
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    sku: { name: 'VpnGw1', tier: 'VpnGw1' }
  }
}

resource branch 'Microsoft.Network/connections@2024-05-01' = {
  name: 'cn-branch'
  location: 'westeurope'
  properties: {
    connectionType: 'IPsec'
    virtualNetworkGateway1: { id: vpn.id, properties: {} }
  }
}

resource er 'Microsoft.Network/virtualNetworkGateways@2024-05-01' = {
  name: 'vgw-er-weu'
  location: 'westeurope'
  properties: {
    gatewayType: 'ExpressRoute'
    sku: { name: 'ErGw1AZ', tier: 'ErGw1AZ' }
  }
}
"#,
    )]);
    let r = lint(&[bicep.path().to_path_buf()], &[]);
    assert_eq!(r.resources, 1, "{:?}", r.coverage);
}

//! One small, realistic report that every writer's snapshot test renders: a Terraform
//! finding with a label in the tfvars file and help, an ARM finding with a JSON path and
//! a parameter file (its message has `&`, `:` and `,` to exercise escaping), an ER001
//! parse error, and a finding suppressed by an inline comment.

use crate::diagnostic::{Diagnostic, Suppression, SuppressionKind};
use crate::linter::Report;
use crate::rules;
use crate::source::{FileId, SourceDb, Span};
use std::time::Duration;

pub const MAIN_TF: &str = r#"provider "azurerm" {
  features {}
}

resource "azurerm_express_route_circuit_peering" "private" {
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = "erc-weu-01"
  resource_group_name         = "rg-er-weu"
  peer_asn                    = 65010
  primary_peer_address_prefix = var.primary_prefix
  vlan_id                     = 100
}

# erlint-ignore: ER301 lab circuit with one router until the second one ships
resource "azurerm_express_route_circuit_peering" "lab" {
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = "erc-lab"
  resource_group_name         = "rg-er-lab"
  peer_asn                    = 65020
  primary_peer_address_prefix = "10.20.0.0/30"
  vlan_id                     = 200
}
"#;

pub const TFVARS: &str = "primary_prefix = \"172.16.40.0/30\"\n";

pub const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "providerName": { "type": "string" }
  },
  "resources": [
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "erc-zrh-01",
      "location": "switzerlandnorth",
      "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
      "properties": {
        "serviceProviderProperties": {
          "serviceProviderName": "[parameters('providerName')]",
          "peeringLocation": "Zurich",
          "bandwidthInMbps": 1000
        }
      }
    }
  ]
}
"#;

pub const PARAMETERS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "providerName": { "value": "AT&T NetBond" }
  }
}
"#;

pub const BROKEN_TF: &str =
    "resource \"azurerm_express_route_circuit\" \"x\" {\n  name = \"erc\n}\n";

fn span_of(db: &SourceDb, file: FileId, needle: &str) -> Span {
    let text = db.text(file).unwrap();
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    Span::new(file, start, start + needle.len())
}

fn diag(code: &str, primary: Span, message: &str) -> Diagnostic {
    let m = rules::find(code).unwrap();
    Diagnostic::new(m.id, m.name, m.severity, primary, message)
}

/// The sample report (files shown relative to the project root).
pub fn report() -> Report {
    let mut db = SourceDb::new(0);
    let main = db.add_text("network/main.tf", MAIN_TF);
    let tfvars = db.add_text("network/terraform.tfvars", TFVARS);
    let template = db.add_text("arm/circuit.json", TEMPLATE);
    let params = db.add_text("arm/circuit.parameters.json", PARAMETERS);
    let broken = db.add_text("network/broken.tf", BROKEN_TF);
    for id in db.ids().collect::<Vec<_>>() {
        let _ = db.line_index(id);
    }

    let private_block = span_of(
        &db,
        main,
        "resource \"azurerm_express_route_circuit_peering\" \"private\" {",
    );
    let private_extent = Span::new(
        main,
        private_block.start as usize,
        span_of(&db, main, "vlan_id                     = 100\n}").end as usize,
    );
    let mut tf = diag(
        "ER301",
        span_of(&db, main, "var.primary_prefix"),
        "IPv4 peering has one BGP session: `primary_peer_address_prefix` is `172.16.40.0/30` but `secondary_peer_address_prefix` is not set",
    );
    tf.help("set `secondary_peer_address_prefix` to a second /30 for the other BGP session, for example `172.16.40.4/30` (the other half of the same /29)")
        .label(span_of(&db, tfvars, "\"172.16.40.0/30\""), "value set here");
    tf.resource = Some("azurerm_express_route_circuit_peering.private".into());
    tf.scopes.push(private_extent);

    let mut arm = diag(
        "ER202",
        span_of(&db, template, "\"[parameters('providerName')]\""),
        "`AT&T NetBond` is not an ExpressRoute partner at peering location `Zurich`: it serves Amsterdam, Frankfurt, London",
    );
    arm.help("order the circuit at one of those locations, or from a partner at Zurich: Equinix, Interxion, Swisscom")
        .label(
            span_of(&db, params, "\"AT&T NetBond\""),
            "value set here",
        );
    arm.resource = Some("Microsoft.Network/expressRouteCircuits/erc-zrh-01".into());
    arm.json_path =
        Some("$.resources[0].properties.serviceProviderProperties.serviceProviderName".into());
    arm.parameter_file = Some(params);

    let mut parse = diag(
        "ER001",
        Span::new(broken, BROKEN_TF.len() - 2, BROKEN_TF.len() - 1),
        "HCL syntax error: unterminated string",
    );
    parse.help("fix the syntax here; `terraform validate` reports the same error");

    let lab_header = span_of(
        &db,
        main,
        "resource \"azurerm_express_route_circuit_peering\" \"lab\" {",
    );
    let mut suppressed = diag(
        "ER301",
        lab_header,
        "IPv4 peering has one BGP session: `primary_peer_address_prefix` is `10.20.0.0/30` but `secondary_peer_address_prefix` is not set",
    );
    suppressed.resource = Some("azurerm_express_route_circuit_peering.lab".into());
    suppressed.suppressed = Some(Suppression {
        kind: SuppressionKind::InSource,
        justification: "lab circuit with one router until the second one ships".into(),
    });

    // In the driver's order: (file, position, code).
    let diagnostics = vec![arm, parse, tf, suppressed];
    Report {
        db,
        diagnostics,
        files: 5,
        resources: 3,
        skipped_json: 0,
        skipped_generated: 0,
        duration: Duration::from_millis(12),
        baseline: None,
        coverage: Default::default(),
        gaps: Default::default(),
    }
}

/// The sample with nothing found (writers must still produce a well-formed document).
pub fn clean_report() -> Report {
    let mut db = SourceDb::new(0);
    db.add_text("network/main.tf", "");
    Report {
        db,
        diagnostics: Vec::new(),
        files: 1,
        resources: 0,
        skipped_json: 0,
        skipped_generated: 0,
        duration: Duration::from_millis(3),
        baseline: None,
        coverage: Default::default(),
        gaps: Default::default(),
    }
}

/// What a writer prints for `report`, as text.
pub fn render(
    write: impl Fn(&mut dyn std::io::Write, &Report) -> std::io::Result<()>,
    report: &Report,
) -> String {
    let mut out = Vec::new();
    write(&mut out, report).unwrap();
    String::from_utf8(out).unwrap()
}

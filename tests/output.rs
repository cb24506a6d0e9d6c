//! The human output's summary, `--quiet`, and colour (`--color`, `NO_COLOR`,
//! `FORCE_COLOR`, `CLICOLOR_FORCE`); and several formats from one run.

use crate::common::repo;
use assert_cmd::Command;

fn erlint() -> Command {
    let mut c = Command::cargo_bin("erlint").unwrap();
    c.current_dir(repo())
        .env_remove("ERLINT_CONFIG")
        .env_remove("ARM_SUBSCRIPTION_ID")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

const ESC: &str = "\u{1b}[";

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.output().unwrap().stdout).unwrap()
}

#[test]
fn summary_has_counts_files_resources_and_time() {
    let out = stdout(erlint().args(["fixtures/projects/suppressions", "--color", "never"]));
    let last = out.lines().last().unwrap();
    let re = predicates::str::is_match(
        r"^4 errors, 3 warnings in 3 files \(14 resources checked: 14 azurerm\); 8 suppressed, \d+\.\d\ds$",
    )
    .unwrap();
    assert!(predicates::Predicate::eval(&re, last), "{last}");
}

#[test]
fn quiet_prints_only_findings() {
    for format in ["human", "compact"] {
        let out = stdout(erlint().args([
            "fixtures/projects/suppressions",
            "--color",
            "never",
            "--quiet",
            "--format",
            format,
        ]));
        assert!(out.contains("ER301"), "{out}");
        assert!(!out.contains("resources checked"), "{format}: {out}");
    }
}

#[test]
fn colour_follows_flags_and_environment() {
    let project = "fixtures/rules/ER301/invalid.tf";
    // Not a terminal: no colour by default.
    assert!(!stdout(erlint().arg(project)).contains(ESC));
    assert!(stdout(erlint().arg(project).env("FORCE_COLOR", "1")).contains(ESC));
    assert!(stdout(erlint().arg(project).env("CLICOLOR_FORCE", "1")).contains(ESC));
    assert!(!stdout(erlint().arg(project).env("FORCE_COLOR", "0")).contains(ESC));
    // NO_COLOR wins over FORCE_COLOR; --color wins over both.
    assert!(
        !stdout(
            erlint()
                .arg(project)
                .env("FORCE_COLOR", "1")
                .env("NO_COLOR", "1")
        )
        .contains(ESC)
    );
    assert!(
        stdout(
            erlint()
                .args([project, "--color", "always"])
                .env("NO_COLOR", "1")
        )
        .contains(ESC)
    );
    assert!(
        !stdout(
            erlint()
                .args([project, "--color", "never"])
                .env("FORCE_COLOR", "1")
        )
        .contains(ESC)
    );
    // Files never get colour.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("out.txt");
    erlint()
        .args([project, "--color", "always", "--format"])
        .arg(format!("human={}", file.display()))
        .assert()
        .code(1);
    assert!(!std::fs::read_to_string(&file).unwrap().contains(ESC));
}

#[test]
fn several_formats_from_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("erlint.sarif");
    let junit = tmp.path().join("erlint.xml");
    let out = erlint()
        .args(["fixtures/rules/ER301/invalid.tf", "--format", "compact"])
        .arg("--format")
        .arg(format!("sarif={}", sarif.display()))
        .arg("--format")
        .arg(format!("junit={}", junit.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("fixtures/rules/ER301/invalid.tf:"),
        "{text}"
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let n = s["runs"][0]["results"].as_array().unwrap().len();
    let x = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(x.matches("<failure").count(), n);
    // Two formats to stdout is an error.
    erlint()
        .args([
            "fixtures/rules/ER301/invalid.tf",
            "--format",
            "compact",
            "--format",
            "json",
        ])
        .assert()
        .code(2);
}

/// Every output format locates findings in Bicep files: the `.bicep` path and the line
/// (and column, where the format has one) of the value.
#[test]
fn every_format_carries_bicep_locations() {
    let file = "fixtures/rules/ER301/invalid.bicep";
    let run = |format: &str| {
        stdout(
            erlint()
                .env("NO_COLOR", "1")
                .args([file, "--select", "ER301", "--format", format]),
        )
    };
    let expected = [
        ("human", format!("--> {file}:23:9")),
        ("compact", format!("{file}:23:9: error ER301")),
        (
            "github",
            format!("::error file={file},line=23,endLine=23,col=9,"),
        ),
        (
            "azure",
            format!("sourcepath={file};linenumber=23;columnnumber=9;"),
        ),
        ("checkstyle", format!("<file name=\"{file}\">")),
        ("checkstyle", "<error line=\"23\" column=\"9\"".to_string()),
        ("junit", format!("classname=\"{file}\"")),
    ];
    for (format, want) in expected {
        let out = run(format);
        assert!(out.contains(&want), "{format}: no `{want}` in\n{out}");
    }
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let first = &json["diagnostics"][0];
    assert_eq!(
        (
            &first["file"],
            &first["start"]["line"],
            &first["start"]["column"]
        ),
        (
            &serde_json::json!(file),
            &serde_json::json!(23),
            &serde_json::json!(9)
        )
    );
    let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
    assert_eq!(gitlab[0]["location"]["path"], file);
    assert_eq!(gitlab[0]["location"]["lines"]["begin"], 23);
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let at = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], file);
    assert_eq!(
        (&at["region"]["startLine"], &at["region"]["startColumn"]),
        (&serde_json::json!(23), &serde_json::json!(9))
    );
}

/// A template of `first` (a resource, indented as in the template's `resources`) and 40
/// network security groups after it, with `tail` (lines) before the end of its resources.
fn template_with_a_long_tail(first: &str, tail: &str) -> String {
    let nsgs: String = (0..40)
        .map(|i| {
            format!(
                ",\n    {{\n      \"type\": \"Microsoft.Network/networkSecurityGroups\",\n      \"apiVersion\": \"2023-09-01\",\n      \"name\": \"nsg-{i}\",\n      \"location\": \"westus2\"\n    }}"
            )
        })
        .collect();
    format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n{first}{nsgs}\n{tail}  ]\n}}\n"
    )
}

/// Of a template whose findings all point into its first half, only the lines through the
/// last of them are kept for the output; one that holds a suppression comment is kept
/// whole. The places and the snippets are those of the whole text.
#[test]
fn a_template_s_text_is_kept_through_the_lines_its_findings_point_into() {
    let dir = tempfile::tempdir().unwrap();
    let circuit = r#"    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2024-05-01",
      "name": "erc-sea-01",
      "location": "westus2",
      "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
      "properties": {
        "serviceProviderProperties": {
          "serviceProviderName": "Contoso Metro Networks",
          "peeringLocation": "Seattle",
          "bandwidthInMbps": 200
        }
      }
    }"#;
    let plain = template_with_a_long_tail(circuit, "");
    let noted = template_with_a_long_tail(circuit, "    // checked by erlint in CI\n");
    std::fs::write(dir.path().join("plain.json"), &plain).unwrap();
    std::fs::write(dir.path().join("noted.json"), &noted).unwrap();
    let report = crate::common::lint(&[dir.path().to_path_buf()], &["ER201"]);
    let db = &report.db;
    let mut human = Vec::new();
    erlint::output::human::write(&mut human, &report, &erlint::output::Style::default()).unwrap();
    let human = String::from_utf8(human).unwrap();
    assert_eq!(report.diagnostics.len(), 2, "{human}");
    for d in &report.diagnostics {
        let name = db.display(d.primary.file);
        let (text, in_part) = match name.rsplit('/').next() {
            Some("plain.json") => (&plain, true),
            _ => (&noted, false),
        };
        assert_eq!(db.kept_in_part(d.primary.file), in_part, "{name}");
        let at = text.find("\"Contoso Metro Networks\"").unwrap();
        assert_eq!(
            erlint::output::span_lines(db, d.primary),
            (
                erlint::source::LineCol {
                    line: 13,
                    column: 34
                },
                erlint::source::LineCol {
                    line: 13,
                    column: 58
                }
            )
        );
        assert_eq!(d.primary.start as usize, at);
        assert!(human.contains(&format!("{name}:13:34")), "{human}");
    }
    assert_eq!(
        human
            .matches("13 |           \"serviceProviderName\": \"Contoso Metro Networks\",")
            .count(),
        2,
        "{human}"
    );
    // Kept in part, the text is still there whole for what asks for it.
    let plain_id = report
        .diagnostics
        .iter()
        .map(|d| d.primary.file)
        .find(|f| db.kept_in_part(*f))
        .unwrap();
    assert_eq!(db.loaded_text(plain_id), Some(plain.as_str()));
}

/// A fix in a template kept in part is shown and made from its whole text.
#[test]
fn a_fix_in_a_template_kept_in_part_is_made_on_its_whole_text() {
    let dir = tempfile::tempdir().unwrap();
    let peering = r#"    {
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "apiVersion": "2024-05-01",
      "name": "erc-sea-01/AzurePrivatePeering",
      "properties": {
        "peeringType": "AzurePrivatePeering",
        "peerASN": 65010,
        "primaryPeerAddressPrefix": "192.168.50.1/30",
        "secondaryPeerAddressPrefix": "192.168.50.4/30",
        "vlanId": 200
      }
    }"#;
    let text = template_with_a_long_tail(peering, "");
    let file = dir.path().join("peering.json");
    std::fs::write(&file, &text).unwrap();
    let report = crate::common::lint(&[dir.path().to_path_buf()], &["ER304"]);
    let [d] = report.diagnostics.as_slice() else {
        panic!("{:?}", report.diagnostics);
    };
    assert!(report.db.kept_in_part(d.primary.file));
    let mut human = Vec::new();
    erlint::output::human::write(&mut human, &report, &erlint::output::Style::default()).unwrap();
    let human = String::from_utf8(human).unwrap();
    assert!(human.contains("= fix: `erlint --fix` makes it"), "{human}");
    let out = erlint()
        .current_dir(dir.path())
        .args([".", "--fix", "--select", "ER304", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text.replace("192.168.50.1/30", "192.168.50.0/30")
    );
}

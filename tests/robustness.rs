//! Bad input gets a diagnostic with a location and the run goes on: empty files, deep
//! nesting, NUL bytes, files over the size limit, symlink loops, FIFOs.

use crate::common::lint;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn codes(report: &erlint::linter::Report) -> Vec<(String, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let name = report
                .db
                .path(d.primary.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            (d.code.to_string(), name)
        })
        .collect()
}

#[test]
fn hostile_files_become_diagnostics_and_the_rest_is_still_linted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "empty.tf", "");
    write(d, "empty.json", "");
    write(
        d,
        "deep.json",
        &format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": {}{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    write(
        d,
        "deep.tf",
        &format!(
            "locals {{ x = {}{} }}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    write(
        d,
        "deep_expr.tf",
        &format!(
            "locals {{ x = {}1{} }}\n",
            "(".repeat(10_000),
            ")".repeat(10_000)
        ),
    );
    write(d, "nul.tf", "locals {\n  a = \"x\u{0}y\"\n}\n");
    let mut huge = String::from("locals {\n");
    while huge.len() <= 10 * 1024 * 1024 {
        huge.push_str(
            "  value = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
        );
    }
    write(d, "huge.tf", &huge);
    std::fs::write(d.join("latin1.tf"), b"locals { a = \"Z\xfcrich\" }\n").unwrap();
    // A real finding beside all of that.
    write(
        d,
        "peering.tf",
        "provider \"azurerm\" {\n  features {}\n  subscription_id = \"6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7\"\n}\n\nresource \"azurerm_express_route_circuit_peering\" \"p\" {\n  peering_type                = \"AzurePrivatePeering\"\n  express_route_circuit_name  = \"erc\"\n  resource_group_name         = \"rg\"\n  peer_asn                    = 65010\n  vlan_id                     = 100\n  primary_peer_address_prefix = \"10.0.0.0/30\"\n}\n",
    );
    let report = lint(&[d.to_path_buf()], &[]);
    let got = codes(&report);
    for want in [
        ("ER001", "deep.json"),
        // Deeper than erlint's HCL parser reads (Terraform reads it): a limit, not an error.
        ("ER005", "deep.tf"),
        ("ER005", "deep_expr.tf"),
        ("ER002", "huge.tf"),
        ("ER002", "latin1.tf"),
        ("ER301", "peering.tf"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "missing {want:?} in {got:?}"
        );
    }
    assert!(!got.iter().any(|(c, _)| c == "ER000"), "{got:?}");
    // An empty `.json` is not a template: skipped, not an error.
    assert!(!got.iter().any(|(_, f)| f == "empty.json"), "{got:?}");
    assert_eq!(report.skipped_json, 1);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_fifos_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", d.join("loop/up")).unwrap();
    write(d, "main.tf", "locals {}\n");
    let opts = erlint::linter::Options {
        paths: vec![d.to_path_buf()],
        walk: erlint::discover::WalkOptions {
            follow_links: true,
            ..Default::default()
        },
        cwd: d.to_path_buf(),
        ..Default::default()
    };
    let report = erlint::linter::run(&opts).unwrap();
    assert!(
        report
            .diagnostics
            .iter()
            .any(|x| x.code == "ER002" && x.message.contains("symbolic link loop"))
    );
    // Without --follow-links the link is not entered at all.
    assert!(lint(&[d.to_path_buf()], &[]).diagnostics.is_empty());

    let fifo = d.join("pipe.tf");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if status.is_ok_and(|s| s.success()) {
        // Named on the command line it must not block.
        let report = lint(std::slice::from_ref(&fifo), &[]);
        assert!(
            report
                .diagnostics
                .iter()
                .any(|x| x.code == "ER002" && x.message.contains("not a regular file"))
        );
        // Found by the walker it is skipped.
        assert!(lint(&[d.to_path_buf()], &[]).diagnostics.is_empty());
    }
}

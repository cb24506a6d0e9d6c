//! `--format junit`: JUnit XML (GitLab's `artifacts:reports:junit`, Azure Pipelines'
//! `PublishTestResults`, Jenkins). One `<testsuite>` per file with findings, one
//! `<testcase>` per finding, suppressed findings as skipped cases; a single passing case
//! when nothing was found, so dashboards show a green run rather than an empty report.
//!
//! A finding is a failure when it fails the run (at or above `--fail-on`); one below is
//! a passing case with the finding in its `system-out`, so the test report agrees with
//! the exit code. Cases are named by the finding's [identity](super::identity), not its
//! position: `ER301 single-bgp-session in azurerm_express_route_circuit_peering.private
//! (primary_peer_address_prefix)`, with ` #2` for a second finding of the same key, so a
//! finding that moves is the same test across runs.

use super::identity::{Identity, identities};
use super::paths::RepoPaths;
use super::span_lines;
use crate::diagnostic::{Diagnostic, Severity, SuppressionKind, docs_url};
use crate::linter::Report;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report, fail_on: Severity) -> io::Result<()> {
    let mut junit = quick_junit::Report::new("erlint");
    let mut suites: Vec<TestSuite> = Vec::new();
    let ids = identities(report, &RepoPaths::default());
    for (d, id) in report.diagnostics.iter().zip(&ids) {
        let file = report.db.display(d.primary.file);
        if suites.last().is_none_or(|s| s.name.as_str() != file) {
            suites.push(TestSuite::new(file));
        }
        if let Some(suite) = suites.last_mut() {
            suite.add_test_case(case(report, d, id, fail_on));
        }
    }
    if report.diagnostics.is_empty() {
        let mut suite = TestSuite::new("erlint");
        let mut ok = TestCase::new("no ExpressRoute problems found", TestCaseStatus::success());
        ok.set_classname("erlint");
        suite.add_test_case(ok);
        suites.push(suite);
    }
    junit.add_test_suites(suites);
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    if !xml.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// `ER301 single-bgp-session in <resource> (<attribute>) #2`.
fn name(d: &Diagnostic, id: &Identity) -> String {
    let mut name = format!("{} {}", d.code, d.name);
    if let Some(r) = &id.resource {
        name.push_str(&format!(" in {r}"));
    }
    if let Some(a) = &id.attribute {
        name.push_str(&format!(" ({a})"));
    }
    if id.occurrence > 1 {
        name.push_str(&format!(" #{}", id.occurrence));
    }
    name
}

fn case(report: &Report, d: &Diagnostic, id: &Identity, fail_on: Severity) -> TestCase {
    let file = report.db.display(d.primary.file);
    let mut below = None;
    let status = match &d.suppressed {
        Some(s) => {
            let mut st = TestCaseStatus::skipped();
            let how = match s.kind {
                SuppressionKind::InSource => "suppressed",
                SuppressionKind::External => "baselined",
            };
            st.set_message(format!("{how}: {}", s.justification));
            st
        }
        None if d.severity < fail_on => {
            below = Some(format!(
                "{} below --fail-on {fail_on}, not a failure\n{}",
                d.severity,
                details(report, d)
            ));
            TestCaseStatus::success()
        }
        None => {
            let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
            st.set_message(d.message.clone());
            st.set_type(d.severity.as_str());
            st.set_description(details(report, d));
            st
        }
    };
    let mut tc = TestCase::new(name(d, id), status);
    tc.set_classname(file);
    if let Some(text) = below {
        tc.set_system_out(text);
    }
    tc
}

/// The failure body: where, what, the fix, related places and the docs.
fn details(report: &Report, d: &Diagnostic) -> String {
    let db = &report.db;
    let (start, _) = span_lines(db, d.primary);
    let mut s = format!(
        "{}:{}:{}: {} {} {}\n",
        db.display(d.primary.file),
        start.line,
        start.column,
        d.severity,
        d.code,
        d.message
    );
    if let Some(r) = &d.resource {
        s.push_str(&format!("resource: {r}\n"));
    }
    if let Some(p) = &d.json_path {
        s.push_str(&format!("json path: {p}\n"));
    }
    if let Some(p) = d.parameter_file {
        s.push_str(&format!("parameter file: {}\n", db.display(p)));
    }
    for l in &d.labels {
        let (ls, _) = span_lines(db, l.span);
        s.push_str(&format!(
            "{}:{}:{}: {}\n",
            db.display(l.span.file),
            ls.line,
            ls.column,
            l.message
        ));
    }
    if let Some(h) = &d.help {
        s.push_str(&format!("help: {h}\n"));
    }
    s.push_str(&format!("docs: {}\n", docs_url(d.code)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    fn render(report: &Report) -> String {
        sample::render(|o, r| write(o, r, Severity::Warning), report)
    }

    #[test]
    fn snapshot() {
        let xml = render(&sample::report());
        insta::assert_snapshot!(xml.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }

    #[test]
    fn findings_below_fail_on_are_not_failures() {
        let mut r = sample::report();
        r.diagnostics[2].severity = Severity::Warning;
        let xml = sample::render(|o, r| write(o, r, Severity::Error), &r);
        assert!(
            xml.starts_with(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"erlint\" tests=\"4\" skipped=\"1\" failures=\"2\""
            ),
            "{xml}"
        );
        let case = xml
            .split("<testcase ")
            .find(|c| c.contains("azurerm_express_route_circuit_peering.private"))
            .unwrap();
        assert!(!case.contains("<failure"), "{case}");
        assert!(
            case.contains("<system-out>warning below --fail-on error, not a failure"),
            "{case}"
        );
        // At --fail-on warning, the same finding fails.
        let xml = sample::render(|o, r| write(o, r, Severity::Warning), &r);
        assert!(xml.contains("failures=\"3\""), "{xml}");
    }

    #[test]
    fn names_do_not_depend_on_the_position() {
        let r = sample::report();
        let mut moved = sample::report();
        moved.diagnostics[2].primary.start += 1;
        moved.diagnostics[2].primary.end += 1;
        assert_eq!(render(&r), render(&moved).replace(":10:34:", ":10:33:"));
        let names: Vec<String> = render(&r)
            .lines()
            .filter_map(|l| l.trim().strip_prefix("<testcase name=\""))
            .map(|l| l.split('"').next().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "ER202 provider-not-at-location in Microsoft.Network/expressRouteCircuits/erc-zrh-01 (resources.properties.serviceProviderProperties.serviceProviderName)",
                "ER001 parse-error",
                "ER301 single-bgp-session in azurerm_express_route_circuit_peering.private (primary_peer_address_prefix)",
                "ER301 single-bgp-session in azurerm_express_route_circuit_peering.lab",
            ]
        );
    }

    #[test]
    fn clean_has_one_passing_case() {
        insta::assert_snapshot!(render(&sample::clean_report()));
    }
}

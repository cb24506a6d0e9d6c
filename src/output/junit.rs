//! `--format junit`: JUnit XML (GitLab's `artifacts:reports:junit`, Azure Pipelines'
//! `PublishTestResults`, Jenkins). One `<testsuite>` per file with findings, one failing
//! `<testcase>` per finding (named `ERxxx rule-name at file:line:col`), suppressed
//! findings as skipped cases; a single passing case when nothing was found, so dashboards
//! show a green run rather than an empty report.

use super::span_lines;
use crate::diagnostic::{Diagnostic, SuppressionKind, docs_url};
use crate::linter::Report;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut junit = quick_junit::Report::new("erlint");
    let mut suites: Vec<TestSuite> = Vec::new();
    for d in &report.diagnostics {
        let file = report.db.display(d.primary.file);
        if suites.last().is_none_or(|s| s.name.as_str() != file) {
            suites.push(TestSuite::new(file));
        }
        if let Some(suite) = suites.last_mut() {
            suite.add_test_case(case(report, d));
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

fn case(report: &Report, d: &Diagnostic) -> TestCase {
    let db = &report.db;
    let file = db.display(d.primary.file);
    let (start, _) = span_lines(db, d.primary);
    let name = format!(
        "{} {} at {file}:{}:{}",
        d.code, d.name, start.line, start.column
    );
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
        None => {
            let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
            st.set_message(d.message.clone());
            st.set_type(d.severity.as_str());
            st.set_description(details(report, d));
            st
        }
    };
    let mut tc = TestCase::new(name, status);
    tc.set_classname(file);
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
        sample::render(write, report)
    }

    #[test]
    fn snapshot() {
        let xml = render(&sample::report());
        insta::assert_snapshot!(xml.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }

    #[test]
    fn clean_has_one_passing_case() {
        insta::assert_snapshot!(render(&sample::clean_report()));
    }
}

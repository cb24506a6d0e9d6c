//! `--format checkstyle`: Checkstyle XML (Jenkins' Warnings NG, reviewdog, GitLab's
//! code-quality converters). One `<file>` per file with findings, one `<error>` per finding.

use super::{active, span_lines, xml_escape};
use crate::diagnostic::Severity;
use crate::linter::Report;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    let mut current: Option<&str> = None;
    for d in active(report) {
        let file = report.db.display(d.primary.file);
        if current != Some(file) {
            if current.is_some() {
                writeln!(out, "  </file>")?;
            }
            writeln!(out, r#"  <file name="{}">"#, xml_escape(file))?;
            current = Some(file);
        }
        let (start, _) = span_lines(&report.db, d.primary);
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str(&format!(" (help: {h})"));
        }
        writeln!(
            out,
            r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="erlint.{}"/>"#,
            start.line,
            start.column,
            xml_escape(&message),
            d.code
        )?;
    }
    if current.is_some() {
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
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
        insta::assert_snapshot!(render(&sample::report()));
    }

    #[test]
    fn clean() {
        insta::assert_snapshot!(render(&sample::clean_report()), @r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <checkstyle version="4.3">
        </checkstyle>
        "#);
    }
}

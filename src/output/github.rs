//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=ER301 single-bgp-session::message`.
//!
//! `file` is relative to the repository root (see [`RepoPaths`]), as GitHub requires.
//! `info` findings become `notice`. `col`/`endColumn` are written only when the span is on
//! one line (GitHub rejects them otherwise). Data is escaped as the runner expects: `%`,
//! CR and LF in the message; additionally `:` and `,` in property values.

use super::paths::RepoPaths;
use super::{active, span_lines};
use crate::diagnostic::Severity;
use crate::linter::Report;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report, paths: &RepoPaths) -> io::Result<()> {
    for d in active(report) {
        let (start, end) = span_lines(&report.db, d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = vec![
            format!("file={}", property(&paths.path(&report.db, d.primary.file))),
            format!("line={}", start.line),
            format!("endLine={}", end.line.max(start.line)),
        ];
        if start.line == end.line {
            props.push(format!("col={}", start.column));
            props.push(format!("endColumn={}", end.column.max(start.column)));
        }
        props.push(format!(
            "title={}",
            property(&format!("{} {}", d.code, d.name))
        ));
        let mut message = d.message.clone();
        if let Some(r) = &d.resource {
            message.push_str(&format!("\nin {r}"));
        }
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        writeln!(out, "::{command} {}::{}", props.join(","), data(&message))?;
    }
    Ok(())
}

/// Escape a command's message.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command's property value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    fn render(report: &Report) -> String {
        sample::render(|o, r| write(o, r, &RepoPaths::default()), report)
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample::report()));
    }

    #[test]
    fn escaping() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn multi_line_spans_have_no_columns_and_info_is_a_notice() {
        let mut r = sample::report();
        let d = &mut r.diagnostics[0];
        d.primary.end = d.primary.start + 200;
        d.severity = Severity::Info;
        let s = render(&r);
        let first = s.lines().next().unwrap();
        assert!(
            first.starts_with("::notice file=arm/circuit.json,line=16,endLine="),
            "{first}"
        );
        assert!(!first.contains("col="), "{first}");
    }

    #[test]
    fn files_are_relative_to_the_repository_root() {
        let paths = RepoPaths {
            root: Some("/home/runner/work/infra".into()),
            cwd_in_root: "infra".into(),
        };
        let s = sample::render(|o, r| write(o, r, &paths), &sample::report());
        let files: Vec<&str> = s
            .lines()
            .filter_map(|l| l.split("file=").nth(1)?.split(',').next())
            .collect();
        assert_eq!(
            files,
            [
                "infra/arm/circuit.json",
                "infra/network/broken.tf",
                "infra/network/main.tf"
            ]
        );
    }

    #[test]
    fn clean_is_empty() {
        assert_eq!(render(&sample::clean_report()), "");
    }
}

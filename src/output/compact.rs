//! `--format compact`: one line per finding, `path:line:col: severity ERxxx message`, for
//! editors and CI problem matchers; then the summary line (unless `--quiet`).

use super::{Style, active, human, span_lines};
use crate::linter::Report;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report, style: &Style) -> io::Result<()> {
    for d in active(report) {
        let (start, _) = span_lines(&report.db, d.primary);
        writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            report.db.display(d.primary.file),
            start.line,
            start.column,
            d.severity,
            d.code,
            one_line(&d.message)
        )?;
    }
    if !style.quiet {
        writeln!(out, "{}", human::summary(report))?;
    }
    Ok(())
}

/// Messages are one line by convention; make sure of it for line-based consumers.
pub fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    fn render(report: &Report) -> String {
        sample::render(|o, r| write(o, r, &Style::default()), report)
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample::report()));
    }

    #[test]
    fn clean() {
        let s = render(&sample::clean_report());
        assert!(s.starts_with("0 errors, 0 warnings in 1 file"), "{s}");
    }
}

//! `--format azure`: Azure Pipelines logging commands, one per finding, which the agent
//! turns into the run's errors and warnings (with a link to the line in Azure Repos):
//!
//! ```text
//! ##vso[task.logissue type=error;sourcepath=infra/network/main.tf;linenumber=10;columnnumber=33;code=ER301]IPv4 peering has one BGP session: …
//! ```
//!
//! - `sourcepath` is relative to the repository root (see [`RepoPaths`]);
//! - errors and warnings are issues of that type; `info` findings, which Azure has no
//!   issue type for, are plain log lines (`info: path:line:col ER205 message`);
//! - escaping as the agent (2.184.0 and later) unescapes, the same as Microsoft's
//!   azure-pipelines-task-lib: in property values `%` → `%AZP25`, `;` → `%3B`, `]` →
//!   `%5D`, CR → `%0D`, LF → `%0A`; in the message `%`, CR and LF; other control
//!   characters made visible (`\u{1b}`), so that a hostile value cannot write escape
//!   sequences or further commands into the log (a plain info line has its `##vso[`
//!   written `##vso%5B`).

use super::paths::RepoPaths;
use super::{active, span_lines, visible_controls};
use crate::diagnostic::Severity;
use crate::linter::Report;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report, paths: &RepoPaths) -> io::Result<()> {
    for d in active(report) {
        let (start, _) = span_lines(&report.db, d.primary);
        let path = paths.path(&report.db, d.primary.file);
        let mut message = d.message.clone();
        if let Some(r) = &d.resource {
            message.push_str(&format!("\nin {r}"));
        }
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => {
                writeln!(
                    out,
                    "info: {}:{}:{} {} {}",
                    plain(&path),
                    start.line,
                    start.column,
                    d.code,
                    plain(&message)
                )?;
                continue;
            }
        };
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={}]{}",
            property(&path),
            start.line,
            start.column,
            property(d.code),
            data(&message)
        )?;
    }
    Ok(())
}

/// Text for a plain log line: one line, and no logging command or formatting command
/// inside (the agent finds `##vso[` anywhere in a line).
fn plain(s: &str) -> String {
    visible_controls(s)
        .replace(['\r', '\n'], " ")
        .replace("##vso[", "##vso%5B")
        .replace("##[", "##%5B")
}

/// Escape a logging command's message.
pub fn data(s: &str) -> String {
    visible_controls(s)
        .replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a logging command's property value.
pub fn property(s: &str) -> String {
    data(s).replace(';', "%3B").replace(']', "%5D")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;
    use std::collections::BTreeMap;

    fn render(report: &Report, paths: &RepoPaths) -> String {
        sample::render(|o, r| write(o, r, paths), report)
    }

    fn infra() -> RepoPaths {
        RepoPaths {
            root: Some("/home/vsts/work/1/s".into()),
            cwd_in_root: "infra".into(),
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&sample::report(), &infra()));
    }

    /// A logging command as the Azure Pipelines agent reads one (`Command.TryParse`):
    /// `##vso[` area `.` event, a space, `key=value` pairs split on `;` (each on its first
    /// `=`), up to the first `]`, then the message; values and message unescaped, `%AZP25`
    /// last.
    struct Command {
        area_event: String,
        properties: BTreeMap<String, String>,
        data: String,
    }

    fn unescape(s: &str) -> String {
        s.replace("%3B", ";")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%5D", "]")
            .replace("%AZP25", "%")
    }

    fn parse(line: &str) -> Option<Command> {
        let rest = line.strip_prefix("##vso[")?;
        let close = rest.find(']')?;
        let (info, data) = (&rest[..close], &rest[close + 1..]);
        let (area_event, props) = info.split_once(' ').unwrap_or((info, ""));
        let properties = props
            .split(';')
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), unescape(v))
            })
            .collect();
        Some(Command {
            area_event: area_event.to_string(),
            properties,
            data: unescape(data),
        })
    }

    #[test]
    fn every_line_parses_as_the_agent_reads_it() {
        let mut r = sample::report();
        // Everything a value could do to the syntax: close the command, end a property,
        // start a new line and a new command, and carry a literal `%3B` and `%AZP25`.
        r.diagnostics[0].message =
            "50%3B off; a]b%AZP25\r\n##vso[task.complete result=Succeeded]\u{1b}[31m".into();
        let out = render(&r, &infra());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "one line per unsuppressed finding:\n{out}");
        let active: Vec<_> = active(&r).collect();
        for (line, d) in lines.iter().zip(active) {
            let c = parse(line).unwrap_or_else(|| panic!("not a command: {line}"));
            assert_eq!(c.area_event, "task.logissue");
            let (start, _) = span_lines(&r.db, d.primary);
            let props: Vec<(&str, String)> = c
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            assert_eq!(
                props,
                [
                    ("code", d.code.to_string()),
                    ("columnnumber", start.column.to_string()),
                    ("linenumber", start.line.to_string()),
                    ("sourcepath", infra().path(&r.db, d.primary.file)),
                    ("type", d.severity.to_string()),
                ]
            );
            assert!(
                c.data.starts_with(&visible_controls(&d.message)),
                "{}",
                c.data
            );
        }
        let first = parse(lines[0]).unwrap();
        assert!(first.data.starts_with(
            "50%3B off; a]b%AZP25\r\n##vso[task.complete result=Succeeded]\\u{1b}[31m\nin Microsoft.Network"
        ));
        assert_eq!(
            first.properties["sourcepath"], "infra/arm/circuit.json",
            "relative to the repository root"
        );
    }

    #[test]
    fn property_values_cannot_break_out() {
        let raw = "a;b]c%d\ne";
        let escaped = property(raw);
        assert!(!escaped.contains([';', ']', '\n']), "{escaped}");
        assert_eq!(unescape(&escaped), raw);
    }

    #[test]
    fn info_is_a_plain_line() {
        let mut r = sample::report();
        r.diagnostics[1].severity = Severity::Info;
        let out = render(&r, &infra());
        let line = out.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "info: infra/network/broken.tf:3:1 ER001 HCL syntax error: unterminated string help: fix the syntax here; `terraform validate` reports the same error"
        );
        r.diagnostics[1].message = "x ##vso[task.setvariable variable=a]b ##[group]c\nd".into();
        let out = render(&r, &infra());
        let line = out.lines().nth(1).unwrap();
        assert!(!line.contains("##vso[") && !line.contains("##["), "{line}");
        assert!(line.contains("x ##vso%5Btask.setvariable variable=a]b ##%5Bgroup]c d"));
    }

    #[test]
    fn clean_is_empty() {
        assert_eq!(render(&sample::clean_report(), &infra()), "");
    }
}

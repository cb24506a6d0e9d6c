//! `--format checkstyle`: Checkstyle XML (Jenkins' Warnings NG, reviewdog, GitLab's
//! code-quality converters). One `<file>` per file with findings, one `<error>` per finding.

use super::{active, span_lines};
use crate::diagnostic::Severity;
use crate::linter::Report;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut xml = Writer::new_with_indent(&mut *out, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.write_event(Event::Start(
        BytesStart::new("checkstyle").with_attributes([("version", "4.3")]),
    ))?;
    let mut current: Option<&str> = None;
    for d in active(report) {
        let file = report.db.display(d.primary.file);
        if current != Some(file) {
            if current.is_some() {
                xml.write_event(Event::End(BytesEnd::new("file")))?;
            }
            xml.write_event(Event::Start(
                BytesStart::new("file").with_attributes([attribute("name", file)]),
            ))?;
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
        let (line, column) = (start.line.to_string(), start.column.to_string());
        let source = format!("erlint.{}", d.code);
        xml.write_event(Event::Empty(BytesStart::new("error").with_attributes([
            attribute("line", &line),
            attribute("column", &column),
            attribute("severity", severity),
            attribute("message", &message),
            attribute("source", &source),
        ])))?;
    }
    if current.is_some() {
        xml.write_event(Event::End(BytesEnd::new("file")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("checkstyle")))?;
    // The indenting writer puts a line break before each element, none after the last.
    xml.write_event(Event::Text(BytesText::from_escaped("\n")))
}

/// An attribute escaped by quick-xml, with the characters XML 1.0 cannot hold left out and
/// line breaks and tabs as character references (an attribute value's raw line break
/// reads back as a space).
fn attribute<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    let kept: String = value
        .chars()
        .filter(|c| (*c as u32) >= 0x20 || matches!(c, '\n' | '\r' | '\t'))
        .filter(|c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    let escaped = quick_xml::escape::escape(kept.as_str())
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;");
    Attribute {
        key: quick_xml::name::QName(key.as_bytes()),
        value: Cow::Owned(escaped.into_bytes()),
    }
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
    fn values_are_escaped_and_invalid_characters_left_out() {
        let a = attribute("message", "a & <b> \"c\" 'd'\nline\u{1b}[31m");
        assert_eq!(
            std::str::from_utf8(&a.value).unwrap(),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;&#10;line[31m"
        );
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

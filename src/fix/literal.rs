//! String literals as each kind of file writes them: read back (only a plain literal, no
//! interpolation or expression, reads as a string), written (by the renderer of that
//! syntax), and where a new attribute goes after one.

use crate::arm::{self, JsonKind};
use crate::render::{self, Literal, SyntaxRenderer};
use crate::terraform::module::{TfFileKind, tf_file_kind};
use std::ops::Range;
use std::path::Path;

/// How values are written in one file.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileSyntax {
    /// `.tf`, `.tfvars` (and azapi bodies in them).
    Hcl,
    /// `.tf.json`, `.tfvars.json`: JSON whose strings are HCL templates.
    TerraformJson,
    /// An ARM template or parameter file: JSON whose strings starting with `[` are
    /// expressions.
    ArmJson,
    /// `.bicep`, `.bicepparam`.
    Bicep,
}

impl FileSyntax {
    /// The syntax of a file erlint may write; `None` for anything else (a plan, other JSON).
    pub fn of(path: &Path, text: &str) -> Option<FileSyntax> {
        let name = path.file_name()?.to_str()?;
        match tf_file_kind(name) {
            Some(TfFileKind::Hcl | TfFileKind::Tfvars) => return Some(FileSyntax::Hcl),
            Some(TfFileKind::Json | TfFileKind::TfvarsJson) => {
                return Some(FileSyntax::TerraformJson);
            }
            None => {}
        }
        if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
            return Some(FileSyntax::Bicep);
        }
        let json = name.ends_with(".json") || name.ends_with(".jsonc");
        (json && matches!(arm::sniff(text), JsonKind::Template | JsonKind::Parameters))
            .then_some(FileSyntax::ArmJson)
    }

    /// The string a plain literal reads as; `None` for anything else (a template with
    /// interpolation, an ARM expression, a number, `null`).
    pub fn read(self, literal: &str) -> Option<String> {
        let literal = literal.trim();
        match self {
            FileSyntax::Hcl => match literal.parse::<hcl_edit::expr::Expression>().ok()? {
                hcl_edit::expr::Expression::String(s) => Some(s.value().clone()),
                _ => None,
            },
            FileSyntax::TerraformJson => {
                let s: String = serde_json::from_str(literal).ok()?;
                read_template_literal(&s)
            }
            FileSyntax::ArmJson => {
                let s: String = serde_json::from_str(literal).ok()?;
                match s.strip_prefix('[') {
                    Some(rest) if rest.starts_with('[') => Some(rest.to_string()),
                    Some(_) => None,
                    None => Some(s),
                }
            }
            FileSyntax::Bicep => read_bicep(literal),
        }
    }

    /// A string written as a literal of this syntax.
    pub fn string(self, s: &str) -> String {
        let value = Literal::str(s);
        match self {
            FileSyntax::Hcl => render::Hcl.literal(&value),
            FileSyntax::ArmJson => render::Json.literal(&value),
            FileSyntax::Bicep => render::Bicep.literal(&value),
            // A JSON string that HCL reads as a template: `${` and `%{` doubled.
            FileSyntax::TerraformJson => {
                let escaped = s.replace("${", "$${").replace("%{", "%%{");
                serde_json::Value::String(escaped).to_string()
            }
        }
    }

    /// Where a new attribute `key` holding the string `value` goes after the literal at
    /// `after` (its offset in `text`), and its text: on a line of its own with the same
    /// indentation (HCL aligns the `=` with the line above), or, in JSON whose object goes
    /// on after the value on the same line, right after it. `None` when the line goes on
    /// with something the attribute must not follow (a closing brace in HCL or Bicep).
    pub fn insert_after(
        self,
        text: &str,
        after: Range<usize>,
        key: &str,
        value: &str,
    ) -> Option<(usize, String)> {
        let line_start = text.get(..after.start)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text
            .get(after.end..)?
            .find('\n')
            .map_or(text.len(), |i| after.end + i);
        let (line_end, newline) = match text.get(..line_end) {
            Some(before) if before.ends_with('\r') => (line_end - 1, "\r\n"),
            _ => (line_end, "\n"),
        };
        let line = text.get(line_start..after.start)?;
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        let rest = text.get(after.end..line_end)?.trim();
        let value = self.string(value);
        match self {
            FileSyntax::Hcl | FileSyntax::Bicep => {
                let comment = rest.starts_with('#') || rest.starts_with("//");
                let (comma, rest) = match rest.strip_prefix(',') {
                    Some(r) => (",", r.trim()),
                    None => ("", rest),
                };
                if !(rest.is_empty() || comment || rest.starts_with('#') || rest.starts_with("//"))
                {
                    return None;
                }
                let assignment = if self == FileSyntax::Bicep {
                    format!("{key}: {value}")
                } else {
                    // `terraform fmt` aligns the `=` of consecutive attributes.
                    let eq_col = line
                        .rfind('=')
                        .map(|i| line.get(..i).map_or(0, |s| s.chars().count()));
                    let width = eq_col
                        .map(|c| c.saturating_sub(indent.chars().count()))
                        .unwrap_or(0)
                        .max(key.len() + 1);
                    format!("{key:<w$}= {value}", w = width)
                };
                Some((line_end, format!("{newline}{indent}{assignment}{comma}")))
            }
            FileSyntax::TerraformJson | FileSyntax::ArmJson => {
                let key = serde_json::Value::String(key.to_string()).to_string();
                let after_comma = rest.strip_prefix(',').unwrap_or(rest).trim();
                let own_line = after_comma.is_empty()
                    || after_comma.starts_with("//")
                    || after_comma.starts_with("/*");
                let text = if own_line {
                    format!(",{newline}{indent}{key}: {value}")
                } else {
                    format!(", {key}: {value}")
                };
                Some((after.end, text))
            }
        }
    }
}

/// An HCL template without interpolation or directive (`$${` and `%%{` are literal `${`
/// and `%{`), as the string it stands for.
fn read_template_literal(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['$', '%']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if let Some(t) = tail
            .strip_prefix("$${")
            .or_else(|| tail.strip_prefix("%%{"))
        {
            out.push_str(tail.get(1..3)?);
            rest = t;
        } else if tail.starts_with("${") || tail.starts_with("%{") {
            return None;
        } else {
            out.push_str(tail.get(..1)?);
            rest = tail.get(1..)?;
        }
    }
    out.push_str(rest);
    Some(out)
}

/// A Bicep string literal `'…'` without interpolation, unescaped; `None` for anything
/// else (a `'''` multi-line string, `${…}`, an unknown escape).
fn read_bicep(literal: &str) -> Option<String> {
    if literal.starts_with("'''") {
        return None;
    }
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                '$' => out.push('$'),
                'u' => {
                    if chars.next()? != '{' {
                        return None;
                    }
                    let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            },
            '$' if chars.peek() == Some(&'{') => return None,
            '\'' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

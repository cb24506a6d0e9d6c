//! The jsonc-parser options erlint parses JSON with. jsonc-parser's defaults accept JSON5
//! and more (single quotes, hex numbers, missing commas); erlint takes strict JSON, and for
//! ARM templates also `//` and `/* */` comments and trailing commas, as Azure's tooling does.

pub mod sites;

use jsonc_parser::ParseOptions;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use std::ops::Range;

/// Strict JSON (Terraform JSON syntax, tfvars JSON, plans).
pub fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// JSON with comments and trailing commas (ARM templates and parameter files).
pub fn with_comments() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        ..strict()
    }
}

/// ER001 for a JSON parse error of `file`, at [`error_at`].
pub fn error_diagnostic(
    file: crate::source::FileId,
    text: &str,
    e: &ParseError,
) -> crate::diagnostic::Diagnostic {
    let (range, message) = error_at(text, e);
    crate::core::parse_error(
        crate::source::Span::new(file, range.start, range.end),
        message,
    )
}

/// ER001 for JSON that the tool it is meant for would not read.
pub fn invalid_json(
    span: crate::source::Span,
    message: impl Into<String>,
) -> crate::diagnostic::Diagnostic {
    crate::core::parse_error(span, message)
}

/// Where a parse error is, and what to say: `invalid JSON: expected comma` on the token
/// that follows a value without a comma (jsonc-parser gives the end of the value before),
/// else on the range it gives, or the character there.
pub fn error_at(text: &str, e: &ParseError) -> (Range<usize>, String) {
    let r = e.range();
    let range = if matches!(e.kind(), ParseErrorKind::ExpectedComma) {
        let at = next_token_start(text, r.start);
        at..token_end(text, at)
    } else if r.end > r.start {
        r.start..r.end
    } else {
        r.start..next_char_end(text, r.start)
    };
    (
        range,
        format!("invalid JSON: {}", lower_first(&e.kind().to_string())),
    )
}

/// The start of the first token at or after `at`: whitespace and comments skipped.
fn next_token_start(text: &str, at: usize) -> usize {
    let mut i = crate::source::clamp_to_char_boundary(text, at);
    loop {
        let Some(rest) = text.get(i..) else {
            return i;
        };
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if let Some(body) = trimmed.strip_prefix("//") {
            i += 2 + body.find('\n').unwrap_or(body.len());
        } else if let Some(body) = trimmed.strip_prefix("/*") {
            match body.find("*/") {
                Some(n) => i += 2 + n + 2,
                None => return i,
            }
        } else {
            return i;
        }
    }
}

/// The end of the token starting at `at`: a string to its closing quote (on the same
/// line), a word or number to its last character, anything else one character.
fn token_end(text: &str, at: usize) -> usize {
    let Some(rest) = text.get(at..) else {
        return at;
    };
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            for (i, c) in chars {
                match c {
                    '\n' | '\r' => return at + i,
                    '"' if !escaped => return at + i + 1,
                    '\\' => escaped = !escaped,
                    _ => escaped = false,
                }
            }
            text.len()
        }
        Some((_, c)) if c.is_alphanumeric() || c == '-' => {
            let n = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '+' | '.' | '_')))
                .unwrap_or(rest.len());
            at + n
        }
        _ => next_char_end(text, at),
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    let at = crate::source::clamp_to_char_boundary(text, at);
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map(|c| at + c.len_utf8())
        .unwrap_or(at)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `text` with each `\uD800`–`\uDFFF` escape that is not half of a surrogate pair replaced
/// by `\uFFFD`, or `None` when there is none. RFC 8259 allows such escapes and the parsers
/// erlint mirrors accept them (Terraform's, Go's `encoding/json`, reads U+FFFD; ARM's .NET
/// strings keep the lone UTF-16 unit), but jsonc-parser rejects them. The replacement has
/// the same length, so every offset into the result is an offset into `text`.
pub fn lone_surrogates_replaced(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let unit = |at: usize| {
        let hex = bytes.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let mut lone: Vec<usize> = Vec::new();
    let mut i = 0;
    // Backslashes are found a vector at a time (most texts have none, or few).
    while let Some(off) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        i += off;
        match (bytes.get(i + 1), unit(i + 2)) {
            (Some(b'u'), Some(0xD800..=0xDBFF)) => {
                let paired = bytes.get(i + 6..i + 8) == Some(b"\\u")
                    && unit(i + 8).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low));
                if !paired {
                    lone.push(i);
                }
                i += if paired { 12 } else { 6 };
            }
            (Some(b'u'), Some(0xDC00..=0xDFFF)) => {
                lone.push(i);
                i += 6;
            }
            // Any other escape, `\\` included, is two characters at least.
            _ => i += 2,
        }
    }
    if lone.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    for at in lone {
        out.replace_range(at + 2..at + 6, "fffd");
    }
    Some(out)
}

/// The offset of the first raw control character (U+0000–U+001F) inside a string of a
/// strict JSON `text`, if any. RFC 8259 requires them to be escaped, and Terraform's JSON
/// parser rejects them; jsonc-parser accepts them (as ARM does a raw line break inside an
/// expression string). Only meaningful for text that parsed as strict JSON (no comments).
pub fn raw_control_in_string(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Quick exit: no control character other than the whitespace between tokens.
    if !bytes.iter().any(|&b| b < 0x20) {
        return None;
    }
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                0x00..=0x1F => return Some(i),
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters() {
        let text = r#"{"a": "\ud800", "b": "\ud83d\ude80", "c": "\\ud800", "d": "x\udc00\uD800"}"#;
        let fixed = lone_surrogates_replaced(text).unwrap();
        assert_eq!(
            fixed,
            r#"{"a": "\ufffd", "b": "\ud83d\ude80", "c": "\\ud800", "d": "x\ufffd\ufffd"}"#
        );
        assert_eq!(fixed.len(), text.len());
        assert_eq!(
            lone_surrogates_replaced(r#"{"b": "\ud83d\ude80 \u00e9"}"#),
            None
        );
        assert_eq!(lone_surrogates_replaced("{}"), None);
    }

    #[test]
    fn raw_control_characters_in_strings_are_found() {
        assert_eq!(raw_control_in_string("{\n\t\"a\": \"x\"\r\n}"), None);
        assert_eq!(raw_control_in_string("{\"a\": \"x\ny\"}"), Some(8));
        assert_eq!(raw_control_in_string("{\"a\": \"\\\"\ty\"}"), Some(9));
        assert_eq!(raw_control_in_string("{\"a\": \"\\\\\", \"b\": 1\n}"), None);
    }
}

//! The jsonc-parser options erlint parses JSON with. jsonc-parser's defaults accept JSON5
//! and more (single quotes, hex numbers, missing commas); erlint takes strict JSON, and for
//! ARM templates also `//` and `/* */` comments and trailing commas, as Azure's tooling does.

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

//! JSON with comments, as ARM reads it: parsing with strict options, case-insensitive
//! property access, literal → [`Val`] conversion, and the mapping from a string literal's
//! decoded content back to byte offsets in the file (escape-aware).

use crate::diagnostic::Diagnostic;
use crate::model::{Object, Val};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{Object as JObject, ObjectProp, StringLit, Value as JValue};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use std::collections::HashSet;
use std::sync::Arc;

/// Comments and trailing commas are allowed (Azure's own tooling accepts them); every other
/// JSON5-style leniency of jsonc-parser is off. Raw newlines inside strings are accepted by
/// the parser as they are by Azure (multi-line expression strings).
fn options() -> ParseOptions {
    crate::jsonc::with_comments()
}

/// Parse `text` (of `file`) into a borrowed AST whose root is an object. Errors are ER001
/// diagnostics at the exact position: a syntax error, an empty file, or a root that is not
/// an object (`what` names the expected document, "an ARM template").
pub fn parse<'t>(text: &'t str, file: FileId, what: &str) -> Result<JValue<'t>, Box<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(Box::new(parse_error(
            Span::new(file, 0, 0),
            format!("file is empty, which is not valid JSON ({what} is an object)"),
        )));
    }
    let result = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options())
        .map_err(|e| Box::new(crate::jsonc::error_diagnostic(file, text, &e)))?;
    match result.value {
        Some(v @ JValue::Object(_)) => Ok(v),
        Some(v) => {
            let r = v.range();
            Err(Box::new(parse_error(
                Span::new(file, r.start, r.end),
                format!("expected {what} (a JSON object), found {}", kind_name(&v)),
            )))
        }
        None => Err(Box::new(parse_error(
            Span::new(file, 0, 0),
            format!("file has no JSON value; expected {what}"),
        ))),
    }
}

pub fn kind_name(v: &JValue<'_>) -> &'static str {
    match v {
        JValue::StringLit(_) => "a string",
        JValue::NumberLit(_) => "a number",
        JValue::BooleanLit(_) => "a boolean",
        JValue::Object(_) => "an object",
        JValue::Array(_) => "an array",
        JValue::NullKeyword(_) => "null",
    }
}

/// An ER001 diagnostic.
pub fn parse_error(span: Span, message: impl Into<String>) -> Diagnostic {
    crate::core::parse_error(span, message)
}

pub fn span_of(file: FileId, r: &impl Ranged) -> Span {
    let r = r.range();
    Span::new(file, r.start, r.end)
}

/// Property by name, case-insensitively. A name given twice is valid in a template, and ARM
/// uses the last one (see docs/ARCHITECTURE.md, "What ARM accepts"), so does erlint.
pub fn prop<'a, 't>(obj: &'a JObject<'t>, name: &str) -> Option<&'a ObjectProp<'t>> {
    obj.properties
        .iter()
        .rev()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

pub fn get<'a, 't>(obj: &'a JObject<'t>, name: &str) -> Option<&'a JValue<'t>> {
    prop(obj, name).map(|p| &p.value)
}

pub fn get_object<'a, 't>(obj: &'a JObject<'t>, name: &str) -> Option<&'a JObject<'t>> {
    get(obj, name).and_then(JValue::as_object)
}

pub fn get_str<'a>(obj: &'a JObject<'_>, name: &str) -> Option<&'a str> {
    get(obj, name)
        .and_then(JValue::as_string_lit)
        .map(|s| s.value.as_ref())
}

/// Maps byte offsets in a string literal's decoded value to byte offsets in the file.
pub struct StrMap {
    /// File offset of the first content byte (after the opening quote).
    base: usize,
    /// When the literal has escapes: file offset of each decoded byte, plus one entry for
    /// the end.
    table: Option<Vec<u32>>,
    len: usize,
}

impl StrMap {
    pub fn new(lit: &StringLit<'_>, text: &str) -> StrMap {
        let base = lit.range.start + 1;
        let raw_end = lit.range.end.saturating_sub(1).max(base);
        let len = lit.value.len();
        let raw = text.get(base..raw_end).unwrap_or("");
        if raw.len() == len {
            // No escapes: decoded bytes are the raw bytes.
            return StrMap {
                base,
                table: None,
                len,
            };
        }
        let mut table = Vec::with_capacity(len + 1);
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = base + i;
            let (decoded_len, raw_len) = if bytes.get(i) == Some(&b'\\') {
                escape_lengths(raw, i)
            } else {
                let cl = utf8_len(bytes.get(i).copied().unwrap_or(0));
                (cl, cl)
            };
            for _ in 0..decoded_len {
                table.push(u32::try_from(start).unwrap_or(u32::MAX));
            }
            i += raw_len.max(1);
        }
        table.push(u32::try_from(base + raw.len()).unwrap_or(u32::MAX));
        StrMap {
            base,
            table: Some(table),
            len,
        }
    }

    /// File offset of decoded byte `i` (clamped to the end).
    pub fn offset(&self, i: usize) -> usize {
        match &self.table {
            None => self.base + i.min(self.len),
            Some(t) => t
                .get(i)
                .or_else(|| t.last())
                .map(|o| *o as usize)
                .unwrap_or(self.base),
        }
    }

    pub fn span(&self, file: FileId, r: std::ops::Range<usize>) -> Span {
        Span::new(file, self.offset(r.start), self.offset(r.end))
    }
}

fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// (decoded bytes, raw bytes) of the escape sequence at `raw[i]` (a backslash).
fn escape_lengths(raw: &str, i: usize) -> (usize, usize) {
    let bytes = raw.as_bytes();
    match bytes.get(i + 1) {
        Some(b'u') => {
            let hex = |at: usize| {
                raw.get(at..at + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            let Some(cp) = hex(i + 2) else {
                return (1, 2);
            };
            if (0xD800..0xDC00).contains(&cp)
                && bytes.get(i + 6) == Some(&b'\\')
                && bytes.get(i + 7) == Some(&b'u')
                && hex(i + 8).is_some_and(|lo| (0xDC00..0xE000).contains(&lo))
            {
                return (4, 12);
            }
            let decoded = char::from_u32(cp).map(char::len_utf8).unwrap_or(3);
            (decoded, 6)
        }
        Some(_) => (1, 2),
        None => (1, 1),
    }
}

/// A JSON literal as a value, every node with its span. Strings are taken literally (no
/// expression evaluation): values Azure does not evaluate.
pub fn literal(v: &JValue<'_>, file: FileId) -> Val {
    literal_with(v, file, &|_| false)
}

/// Like [`literal`], but strings for which `is_expression` holds become Unknown (parameter
/// files: Azure does not evaluate expressions there, so their text is not the value).
pub fn literal_with(v: &JValue<'_>, file: FileId, is_expression: &dyn Fn(&str) -> bool) -> Val {
    let sp = Some(span_of(file, v));
    match v {
        JValue::StringLit(s) => {
            if is_expression(&s.value) {
                return Val::unknown(
                    "a parameter file value shaped like a template expression is not evaluated",
                    sp,
                );
            }
            Val::str(s.value.as_ref(), sp)
        }
        JValue::NumberLit(n) => number(n.value)
            .map(|x| Val::number(x, sp))
            .unwrap_or_else(|| Val::unknown(format!("`{}` is not a number", n.value), sp)),
        JValue::BooleanLit(b) => Val::bool(b.value, sp),
        JValue::NullKeyword(_) => Val::null(sp),
        JValue::Array(a) => Val::list(
            a.elements
                .iter()
                .map(|e| literal_with(e, file, is_expression))
                .collect(),
            sp,
        ),
        JValue::Object(o) => {
            let mut obj = ObjectBuilder::with_capacity(o.properties.len());
            for p in &o.properties {
                obj.insert(p.name.as_str(), literal_with(&p.value, file, is_expression));
            }
            Val::object(obj.finish(), sp)
        }
    }
}

pub fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Builds an [`Object`] in document order, the last duplicate key winning, without the
/// quadratic cost of [`Object::insert`] on large objects.
pub struct ObjectBuilder {
    obj: Object,
    seen: Option<HashSet<Arc<str>>>,
    dup: bool,
}

impl ObjectBuilder {
    pub fn with_capacity(n: usize) -> ObjectBuilder {
        ObjectBuilder {
            obj: Object::with_capacity(n),
            seen: (n > 16).then(|| HashSet::with_capacity(n)),
            dup: false,
        }
    }

    pub fn insert(&mut self, key: &str, val: Val) {
        match &mut self.seen {
            Some(seen) => {
                if seen.contains(key) {
                    self.dup = true;
                    self.obj.insert(key, val);
                } else {
                    let k: Arc<str> = Arc::from(key);
                    seen.insert(k.clone());
                    self.obj.push(k, val);
                }
            }
            None => self.obj.insert(key, val),
        }
    }

    pub fn finish(self) -> Object {
        self.obj
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> JValue<'_> {
        parse(text, FileId(0), "an ARM template").unwrap()
    }

    #[test]
    fn comments_trailing_commas_crlf_and_raw_newlines() {
        let text = "{\r\n  // c\r\n  \"a\": [1, 2,],\r\n  /* b */ \"s\": \"[concat('x',\r\n 'y')]\",\r\n}\r\n";
        let v = root(text);
        let o = v.as_object().unwrap();
        assert_eq!(o.properties.len(), 2);
        assert_eq!(get_str(o, "S"), Some("[concat('x',\r\n 'y')]"));
    }

    #[test]
    fn lenient_extensions_are_off() {
        for bad in [
            "{'a': 1}",
            "{a: 1}",
            "{\"a\": 0x10}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": .5}",
        ] {
            assert!(parse(bad, FileId(0), "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_have_positions() {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}";
        let e = parse(text, FileId(0), "an ARM template").unwrap_err();
        assert_eq!(e.code, "ER001");
        assert_eq!(&text[e.primary.range()], "2");
        let e = parse("  \n", FileId(0), "an ARM template").unwrap_err();
        assert!(e.message.contains("empty"));
        let e = parse("[1]", FileId(0), "an ARM template").unwrap_err();
        assert!(e.message.contains("found an array"), "{}", e.message);
    }

    #[test]
    fn a_missing_comma_is_reported_at_the_token_that_follows() {
        let cases = [
            // In an object, after a string with non-ASCII characters.
            (
                "{\n  \"name\": \"é€x\" \"location\": \"westus\"\n}",
                "\"location\"",
            ),
            // Across a line break and a comment.
            ("{\n  \"a\": 1\n  // next\n  \"b\": 2\n}", "\"b\""),
            ("{\"a\": 1 /* x */ \"b\\\"c\": 2}", "\"b\\\"c\""),
            // In an array: a number, a word, an object.
            ("{\"a\": [1 22]}", "22"),
            ("{\"a\": [1\n  true]}", "true"),
            ("{\"a\": [{} {}]}", "{"),
        ];
        for (text, token) in cases {
            let e = parse(text, FileId(0), "an ARM template").unwrap_err();
            assert_eq!(e.message, "invalid JSON: expected comma", "{text}");
            assert_eq!(&text[e.primary.range()], token, "{text}");
            assert_eq!(Some(e.primary.start as usize), text.rfind(token), "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{{\"a\": {}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse(&text, FileId(0), "x").unwrap_err();
        assert!(e.message.contains("nesting"), "{}", e.message);
    }

    #[test]
    fn string_map_through_escapes() {
        let text = r#"{"k": "a\"b\u00e9c\\d\ud83d\ude00e"}"#;
        let v = root(text);
        let lit = v.as_object().unwrap().properties[0]
            .value
            .as_string_lit()
            .unwrap();
        let m = StrMap::new(lit, text);
        let decoded = lit.value.as_ref();
        for (ch, want) in [('a', "a"), ('b', "b"), ('c', "c"), ('d', "d"), ('e', "e")] {
            let i = decoded.find(ch).unwrap();
            assert_eq!(&text[m.offset(i)..m.offset(i) + 1], want);
        }
        let q = decoded.find('"').unwrap();
        assert_eq!(&text[m.offset(q)..m.offset(q + 1)], "\\\"");
        let e = decoded.find('é').unwrap();
        assert_eq!(&text[m.offset(e)..m.offset(e + 2)], "\\u00e9");
        let smile = decoded.find('😀').unwrap();
        assert_eq!(
            &text[m.offset(smile)..m.offset(smile + 4)],
            "\\ud83d\\ude00"
        );
        assert_eq!(m.offset(decoded.len()), text.len() - 2);
    }

    #[test]
    fn string_map_without_escapes_is_an_offset() {
        let text = "{\"k\": \"Zürich\"}";
        let v = root(text);
        let lit = v.as_object().unwrap().properties[0]
            .value
            .as_string_lit()
            .unwrap();
        let m = StrMap::new(lit, text);
        assert_eq!(m.offset(0), 7);
        assert_eq!(&text[m.offset(1)..m.offset(3)], "ü");
    }

    #[test]
    fn literals_keep_spans_and_order() {
        let text = r#"{"z": 1, "a": [true, null, "x"], "z": 2}"#;
        let v = literal(&root(text), FileId(3));
        let o = v.as_object().unwrap();
        assert_eq!(o.keys().collect::<Vec<_>>(), ["z", "a"]);
        assert_eq!(o.get("z").unwrap().as_f64(), Some(2.0));
        let x = &o.get("a").unwrap().as_list().unwrap()[2];
        assert_eq!(&text[x.span.unwrap().range()], "\"x\"");
        assert_eq!(x.span.unwrap().file, FileId(3));
    }
}

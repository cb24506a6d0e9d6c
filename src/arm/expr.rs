//! The ARM template expression language: `"[concat(parameters('a'), '-er')]"`.
//!
//! A JSON string is an expression when it starts with `[` and ends with `]`; `[[` at the
//! start makes it a literal with the first bracket removed. Inside: string literals in
//! single quotes (`''` is a quote), integers (optionally negative), function calls with
//! case-insensitive names (`ns.fn(...)` for user functions), property access `.name` and
//! indexing `[expr]`. Every node carries its span in the file (through [`StrMap`], so
//! escapes in the JSON literal are accounted for).

use super::json::StrMap;
use crate::source::{FileId, Span};
use std::sync::Arc;

/// Deepest nesting of calls, accesses and indexes the parser accepts.
pub const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Str(Arc<str>),
    Num(f64),
    Bool(bool),
    Null,
    /// `name` is lower-cased; `ns.fn` for user-defined functions.
    Call {
        name: Box<str>,
        args: Vec<Expr>,
    },
    Member {
        target: Box<Expr>,
        name: Box<str>,
    },
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
}

/// What a JSON string is, ARM-wise.
#[derive(Debug, PartialEq, Eq)]
pub enum StrForm<'s> {
    /// A plain string (possibly `[[…]` unescaped to `[…]`).
    Literal(std::borrow::Cow<'s, str>),
    /// The text between the outer brackets, starting at byte 1 of the decoded value.
    Expression(&'s str),
}

pub fn classify(s: &str) -> StrForm<'_> {
    let b = s.as_bytes();
    if b.len() >= 2 && b.first() == Some(&b'[') && b.last() == Some(&b']') {
        if b.get(1) == Some(&b'[') {
            return StrForm::Literal(std::borrow::Cow::Owned(s[1..].to_string()));
        }
        return StrForm::Expression(&s[1..s.len() - 1]);
    }
    StrForm::Literal(std::borrow::Cow::Borrowed(s))
}

/// A syntax error, with the decoded byte range it applies to.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub at: std::ops::Range<usize>,
}

/// Parse the expression `src` (the text between the brackets, which starts at decoded
/// byte 1 of the string literal mapped by `map`).
pub fn parse(src: &str, map: &StrMap, file: FileId) -> Result<Expr, (String, Span)> {
    parse_at(src, 1, map, file)
}

/// [`parse`] for an expression that starts at decoded byte `start` of its string literal
/// (2 for an escaped `[[…]` read one level down).
pub fn parse_at(
    src: &str,
    start: usize,
    map: &StrMap,
    file: FileId,
) -> Result<Expr, (String, Span)> {
    let spans = Spans { map, file, start };
    run(src, Some(&spans)).map_err(|e| (e.message, spans.span(e.at.start, e.at.end)))
}

/// The syntax error [`parse`] would give for `src`, without building its tree (for the
/// expressions nothing evaluated: only their syntax is checked); its span is
/// [`SyntaxError::span`].
pub fn check(src: &str) -> Result<(), SyntaxError> {
    run(src, None).map(|_| ())
}

impl SyntaxError {
    /// Where the error of an expression that starts at decoded byte 1 of the literal
    /// mapped by `map` is, in the file.
    pub fn span(&self, map: &StrMap, file: FileId) -> Span {
        map.span(file, self.at.start + 1..self.at.end + 1)
    }
}

/// The whole expression `src`; nodes are built when `spans` is given.
fn run(src: &str, spans: Option<&Spans<'_>>) -> Result<Expr, SyntaxError> {
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        pos: 0,
        depth: 0,
        spans,
    };
    let e = p.expression()?;
    p.ws();
    if p.pos < p.b.len() {
        return Err(p.err_here(format!(
            "unexpected `{}` after the end of the expression",
            p.token_text()
        )));
    }
    Ok(e)
}

/// Decoded offsets (relative to the text after the opening bracket, decoded byte `start`
/// of the literal) to spans in the file.
struct Spans<'m> {
    map: &'m StrMap,
    file: FileId,
    start: usize,
}

impl Spans<'_> {
    fn span(&self, from: usize, to: usize) -> Span {
        self.map.span(self.file, from + self.start..to + self.start)
    }
}

/// What a node is when only the syntax is checked (nothing is built).
const UNBUILT: Expr = Expr {
    kind: ExprKind::Null,
    span: Span {
        file: FileId(0),
        start: 0,
        end: 0,
    },
};

struct Parser<'s, 'm> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    depth: usize,
    /// `None`: the syntax is checked, no node is built.
    spans: Option<&'m Spans<'m>>,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

impl<'s> Parser<'s, '_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// A node of `kind` over decoded bytes `from..to` (made only when nodes are built).
    fn node(&self, from: usize, to: usize, kind: impl FnOnce() -> ExprKind) -> Expr {
        match self.spans {
            Some(s) => Expr {
                kind: kind(),
                span: s.span(from, to),
            },
            None => UNBUILT,
        }
    }

    fn char_end(&self, at: usize) -> usize {
        self.src
            .get(at..)
            .and_then(|s| s.chars().next())
            .map(|c| at + c.len_utf8())
            .unwrap_or(at)
    }

    fn token_text(&self) -> &'s str {
        let end = self.char_end(self.pos);
        self.src.get(self.pos..end).unwrap_or("")
    }

    fn err_here(&self, message: String) -> SyntaxError {
        SyntaxError {
            message,
            at: self.pos..self.char_end(self.pos),
        }
    }

    fn expected(&self, what: &str) -> SyntaxError {
        if self.pos >= self.b.len() {
            SyntaxError {
                message: format!("expected {what}, found the end of the expression"),
                at: self.b.len()..self.b.len(),
            }
        } else {
            self.err_here(format!("expected {what}, found `{}`", self.token_text()))
        }
    }

    fn expression(&mut self) -> Result<Expr, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err_here(format!(
                "expression is nested more than {MAX_DEPTH} levels deep"
            )));
        }
        self.ws();
        let start = self.pos;
        let mut node = self.primary()?;
        loop {
            self.ws();
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.ws();
                    let name_start = self.pos;
                    if !self.peek().is_some_and(is_ident_start) {
                        return Err(self.expected("a property name after `.`"));
                    }
                    while self.peek().is_some_and(is_ident) {
                        self.pos += 1;
                    }
                    let name = self.src.get(name_start..self.pos).unwrap_or("");
                    node = self.node(start, self.pos, || ExprKind::Member {
                        target: Box::new(node),
                        name: name.into(),
                    });
                }
                Some(b'[') => {
                    self.pos += 1;
                    let index = self.expression()?;
                    self.ws();
                    if self.peek() != Some(b']') {
                        return Err(self.expected("`]`"));
                    }
                    self.pos += 1;
                    node = self.node(start, self.pos, || ExprKind::Index {
                        target: Box::new(node),
                        index: Box::new(index),
                    });
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(node)
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let start = self.pos;
        match self.peek() {
            Some(b'\'') => self.string(),
            Some(c) if c.is_ascii_digit() || c == b'-' => self.number(),
            Some(c) if is_ident_start(c) => {
                while self.peek().is_some_and(is_ident) {
                    self.pos += 1;
                }
                // `ns.fn(` is a user-defined function call.
                let save = self.pos;
                self.user_function_name();
                let name_end = self.pos;
                let name = self.src.get(start..name_end).unwrap_or("");
                let after_name = self.pos;
                self.ws();
                if self.peek() != Some(b'(') {
                    self.pos = save;
                    return if name.eq_ignore_ascii_case("true") {
                        Ok(self.node(start, name_end, || ExprKind::Bool(true)))
                    } else if name.eq_ignore_ascii_case("false") {
                        Ok(self.node(start, name_end, || ExprKind::Bool(false)))
                    } else if name.eq_ignore_ascii_case("null") {
                        Ok(self.node(start, name_end, || ExprKind::Null))
                    } else {
                        self.pos = after_name;
                        self.ws();
                        Err(self.expected(&format!("`(` after function name `{name}`")))
                    };
                }
                self.pos += 1;
                let args = self.call_args(name)?;
                Ok(self.node(start, self.pos, || ExprKind::Call {
                    name: name.to_ascii_lowercase().into(),
                    args,
                }))
            }
            _ => Err(self.expected("a function call, a string or a number")),
        }
    }

    /// After an identifier: takes `.fn` when `ns.fn(` follows (a user-defined function
    /// call).
    fn user_function_name(&mut self) {
        if self.peek() == Some(b'.') {
            let mut p = self.pos + 1;
            if self.b.get(p).is_some_and(|c| is_ident_start(*c)) {
                while self.b.get(p).is_some_and(|c| is_ident(*c)) {
                    p += 1;
                }
                let mut q = p;
                while self.b.get(q).is_some_and(|c| c.is_ascii_whitespace()) {
                    q += 1;
                }
                if self.b.get(q) == Some(&b'(') {
                    self.pos = p;
                }
            }
        }
    }

    /// A call's arguments, after its `(`, up to and including its `)` (none kept when
    /// nodes are not built).
    fn call_args(&mut self, name: &str) -> Result<Vec<Expr>, SyntaxError> {
        let mut args = Vec::new();
        self.ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            loop {
                let arg = self.expression()?;
                if self.spans.is_some() {
                    args.push(arg);
                }
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(
                            self.expected(&format!("`,` or `)` in the arguments of `{name}`"))
                        );
                    }
                }
            }
        }
        Ok(args)
    }

    fn string(&mut self) -> Result<Expr, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let first = self.pos;
        // The value, built only when a quote is doubled (`''`); else a slice of `src`.
        let mut out: Option<String> = None;
        let mut seg = self.pos;
        loop {
            match self.peek() {
                None => {
                    return Err(SyntaxError {
                        message: "string literal is not terminated (missing `'`)".into(),
                        at: start..start + 1,
                    });
                }
                Some(b'\'') => {
                    if self.b.get(self.pos + 1) == Some(&b'\'') {
                        if self.spans.is_some() {
                            let o = out.get_or_insert_with(String::new);
                            o.push_str(self.src.get(seg..self.pos).unwrap_or(""));
                            o.push('\'');
                        }
                        self.pos += 2;
                        seg = self.pos;
                    } else {
                        self.pos += 1;
                        break;
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
        let last = self.pos - 1;
        Ok(self.node(start, self.pos, || {
            ExprKind::Str(match out {
                Some(mut o) => {
                    o.push_str(self.src.get(seg..last).unwrap_or(""));
                    o.into()
                }
                None => self.src.get(first..last).unwrap_or("").into(),
            })
        }))
    }

    fn number(&mut self) -> Result<Expr, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            return Err(self.expected("a digit after `-`"));
        }
        if self.peek() == Some(b'.') && self.b.get(self.pos + 1).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        let text = self.src.get(start..self.pos).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(self.node(start, self.pos, || ExprKind::Num(x))),
            _ => Err(SyntaxError {
                message: format!("`{text}` is not a number"),
                at: start..self.pos,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::json;

    /// Parse the expression in the first property's string value of `{"k": <lit>}`.
    fn parse_lit(text: &str) -> Result<Expr, (String, Span)> {
        let root = json::parse(text, FileId(0), "x").unwrap();
        let lit = root.as_object().unwrap().properties[0]
            .value
            .as_string_lit()
            .unwrap()
            .clone();
        let map = StrMap::new(&lit, text);
        let StrForm::Expression(src) = classify(&lit.value) else {
            panic!("not an expression")
        };
        let src = src.to_string();
        parse(&src, &map, FileId(0))
    }

    fn at(text: &str, s: Span) -> &str {
        &text[s.range()]
    }

    #[test]
    fn classify_forms() {
        assert_eq!(classify("[a()]"), StrForm::Expression("a()"));
        assert_eq!(classify("[[a()]"), StrForm::Literal("[a()]".into()));
        assert_eq!(classify("[a()"), StrForm::Literal("[a()".into()));
        assert_eq!(classify("x"), StrForm::Literal("x".into()));
        assert_eq!(classify("[]"), StrForm::Expression(""));
        assert_eq!(classify("["), StrForm::Literal("[".into()));
    }

    #[test]
    fn spans_of_nested_calls() {
        let text = r#"{"k": "[concat(parameters('a'), '-er', variables('v').x[0])]"}"#;
        let e = parse_lit(text).unwrap();
        assert_eq!(
            at(text, e.span),
            "concat(parameters('a'), '-er', variables('v').x[0])"
        );
        let ExprKind::Call { name, args } = &e.kind else {
            panic!()
        };
        assert_eq!(&**name, "concat");
        assert_eq!(at(text, args[0].span), "parameters('a')");
        assert_eq!(at(text, args[1].span), "'-er'");
        assert!(matches!(&args[1].kind, ExprKind::Str(s) if &**s == "-er"));
        assert_eq!(at(text, args[2].span), "variables('v').x[0]");
        let ExprKind::Index { target, index } = &args[2].kind else {
            panic!()
        };
        assert_eq!(at(text, target.span), "variables('v').x");
        assert!(matches!(index.kind, ExprKind::Num(n) if n == 0.0));
    }

    #[test]
    fn quote_escapes_numbers_and_case() {
        let text = r#"{"k": "[IF(Equals(-1, 2), 'it''s', [concat]('a'))]"}"#;
        // `[concat]` is not valid; check a well-formed variant first
        assert!(parse_lit(text).is_err());
        let text = r#"{"k": "[IF(Equals(-1, 2), 'it''s', null)]"}"#;
        let e = parse_lit(text).unwrap();
        let ExprKind::Call { name, args, .. } = &e.kind else {
            panic!()
        };
        assert_eq!(&**name, "if");
        assert!(matches!(&args[1].kind, ExprKind::Str(s) if &**s == "it's"));
        assert_eq!(at(text, args[1].span), "'it''s'");
        let ExprKind::Call { args: eq, .. } = &args[0].kind else {
            panic!()
        };
        assert!(matches!(eq[0].kind, ExprKind::Num(n) if n == -1.0));
        assert!(matches!(args[2].kind, ExprKind::Null));
    }

    #[test]
    fn spans_through_json_escapes() {
        let text = r#"{"k": "[concat('a\"b', \u0070arameters('x'))]"}"#;
        let e = parse_lit(text).unwrap();
        let ExprKind::Call { args, .. } = &e.kind else {
            panic!()
        };
        assert_eq!(at(text, args[0].span), r#"'a\"b'"#);
        assert_eq!(at(text, args[1].span), r#"\u0070arameters('x')"#);
    }

    #[test]
    fn multi_line_and_namespaced() {
        let text = "{\"k\": \"[concat(\n   'a',\r\n   __bicep.fn( 'b' ) )]\"}";
        let e = parse_lit(text).unwrap();
        let ExprKind::Call { args, .. } = &e.kind else {
            panic!()
        };
        assert!(matches!(&args[1].kind, ExprKind::Call { name, .. } if &**name == "__bicep.fn"));
        assert_eq!(at(text, args[1].span), "__bicep.fn( 'b' )");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            (r#"{"k": "[concat('a', 'b']"}"#, "", "end of the expression"),
            (r#"{"k": "[concat('a' 'b')]"}"#, "'", "`,` or `)`"),
            (r#"{"k": "[concat('a)]"}"#, "'", "not terminated"),
            (
                r#"{"k": "[parameters]"}"#,
                "",
                "`(` after function name `parameters`",
            ),
            (r#"{"k": "[concat() x]"}"#, "x", "after the end"),
            (r#"{"k": "[a().]"}"#, "", "property name"),
            (r#"{"k": "[a()[0]"}"#, "", "`]`"),
            (r#"{"k": "[-]"}"#, "", "digit"),
        ];
        for (text, want, msg) in cases {
            let (m, span) = parse_lit(text).unwrap_err();
            assert!(m.contains(msg), "{text}: {m}");
            assert_eq!(at(text, span), want, "{text}: {m}");
        }
        // The exact offset of the stray token.
        let text = r#"{"k": "[concat('a' 'b')]"}"#;
        let (_, span) = parse_lit(text).unwrap_err();
        assert_eq!(span.start as usize, text.find("'b'").unwrap());
    }

    #[test]
    fn depth_is_limited() {
        let deep = format!(
            "{{\"k\": \"[{}1{}]\"}}",
            "a(".repeat(MAX_DEPTH + 5),
            ")".repeat(MAX_DEPTH + 5)
        );
        let (m, _) = parse_lit(&deep).unwrap_err();
        assert!(m.contains("nested"), "{m}");
        let ok = format!("{{\"k\": \"[{}1{}]\"}}", "a(".repeat(50), ")".repeat(50));
        assert!(parse_lit(&ok).is_ok());
    }
}

//! Text erlint parses that is not a file as written: the content of a heredoc, a rendered
//! `templatefile()`, the JSON text `jsonencode()` makes of a value. Each is a [`Mapped`]
//! text: the string, and where each byte range of it was written (a file range, byte for
//! byte, or the whole expression that produced it). It is parsed as the virtual file
//! [`VIRTUAL`], and the spans that parsing and evaluation produce are mapped back with
//! [`Mapped::map`], so that findings point at the line and column in the `.tf` file or the
//! template file.
//!
//! A value erlint keeps as a value rather than as text is written as a marker
//! ([`Mapped::push_value`]): one not known statically (an interpolated `var.x` without a
//! value), and a string that makes a whole JSON string (so that it keeps where it was set:
//! a tfvars line). A JSON string that is one marker is read as that value; one that holds
//! a marker of an Unknown value is Unknown ([`Mapped::resolve`]).

use super::ast::{Expr, ExprKind, TemplatePart};
use super::eval::{EvalResult, Resolver, Scope, iterate};
use super::hcl::Conv;
use crate::model::value::format_number;
use crate::model::{Object, Unknown, Val, ValKind};
use crate::source::{FileId, Span};
use hcl_edit::Span as _;
use hcl_edit::template as ht;
use std::collections::HashMap;
use std::sync::Arc;

/// The file id of a [`Mapped`] text while it is parsed and evaluated.
pub const VIRTUAL: FileId = FileId(u32::MAX - 1);

/// Most bytes a rendered text may have.
const MAX_TEXT: usize = 16 * 1024 * 1024;

const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

/// What a JSON string with markers stands for ([`Mapped::resolve`]).
pub enum Resolved<'m> {
    /// A value (Known, or the Unknown that makes the string Unknown).
    Value(&'m Val),
    /// Text, the markers' Known values written in.
    Text(String),
}

/// Where a piece of a [`Mapped`] text was written.
#[derive(Clone, Debug)]
enum Src {
    /// Byte for byte: the file offset of each byte of the piece, plus one for its end.
    Bytes { file: FileId, offsets: Arc<[u32]> },
    /// Produced as a whole by the expression at this span.
    Whole(Span),
}

#[derive(Clone, Debug)]
struct Piece {
    start: usize,
    end: usize,
    src: Src,
}

/// Where a JSON text being built is: inside a string (so that an Unknown value is written
/// as a marker inside it, not as a quoted marker), or a comment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
enum JsonState {
    #[default]
    Code,
    Str,
    StrEscape,
    LineComment,
    BlockComment,
}

impl JsonState {
    fn step(self, prev: char, c: char) -> JsonState {
        match self {
            JsonState::Code => match c {
                '"' => JsonState::Str,
                '/' if prev == '/' => JsonState::LineComment,
                '*' if prev == '/' => JsonState::BlockComment,
                _ => JsonState::Code,
            },
            JsonState::Str => match c {
                '\\' => JsonState::StrEscape,
                '"' => JsonState::Code,
                _ => JsonState::Str,
            },
            JsonState::StrEscape => JsonState::Str,
            JsonState::LineComment if c == '\n' => JsonState::Code,
            JsonState::BlockComment if c == '/' && prev == '*' => JsonState::Code,
            other => other,
        }
    }
}

/// A text with the origin of each of its pieces.
#[derive(Clone, Debug, Default)]
pub struct Mapped {
    pub text: String,
    pieces: Vec<Piece>,
    /// The values behind the markers, by marker number.
    values: Vec<Val>,
    json: JsonState,
    last: char,
    too_long: bool,
}

impl Mapped {
    /// A whole file as written.
    pub fn file(text: &str, file: FileId) -> Mapped {
        let mut m = Mapped::default();
        let offsets: Arc<[u32]> = (0..=text.len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        m.push_bytes(text, file, offsets);
        m
    }

    fn push(&mut self, text: &str, src: Src) {
        if self.text.len() + text.len() > MAX_TEXT {
            self.too_long = true;
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        for c in text.chars() {
            self.json = self.json.step(self.last, c);
            self.last = c;
        }
        if !text.is_empty() {
            self.pieces.push(Piece {
                start,
                end: self.text.len(),
                src,
            });
        }
    }

    /// Text written byte for byte at `offsets` of `file` (one offset per byte, plus one
    /// for the end).
    pub fn push_bytes(&mut self, text: &str, file: FileId, offsets: Arc<[u32]>) {
        self.push(text, Src::Bytes { file, offsets });
    }

    /// Text produced as a whole by the expression at `span`.
    pub fn push_whole(&mut self, text: &str, span: Span) {
        self.push(text, Src::Whole(span));
    }

    /// A value kept as a value: a marker, quoted unless the text is inside a JSON string.
    pub fn push_value(&mut self, v: Val, span: Span) {
        let n = self.values.len();
        self.values.push(v);
        let mark = format!("{MARK_START}{n}{MARK_END}");
        if self.json == JsonState::Str {
            self.push_whole(&mark, span);
        } else {
            self.push_whole(&format!("\"{mark}\""), span);
        }
    }

    /// Whether the text being built is inside a JSON string.
    fn in_string(&self) -> bool {
        self.json == JsonState::Str
    }

    /// Whether the text grew beyond what erlint renders.
    pub fn too_long(&self) -> bool {
        self.too_long
    }

    /// What a JSON string holding markers is: the value of its one marker, Unknown when
    /// one of them is, else the text with each marker replaced by its value's text.
    /// `None`: it holds no marker.
    pub fn resolve(&self, s: &str) -> Option<Resolved<'_>> {
        let mut marks = Vec::new();
        let mut rest = s;
        let mut text = String::new();
        while let Some(start) = rest.find(MARK_START) {
            text.push_str(rest.get(..start)?);
            let after = rest.get(start + MARK_START.len_utf8()..)?;
            let end = after.find(MARK_END)?;
            let v = self.values.get(after.get(..end)?.parse::<usize>().ok()?)?;
            marks.push(v);
            text.push_str(&v.to_string());
            rest = after.get(end + MARK_END.len_utf8()..)?;
        }
        text.push_str(rest);
        let first = *marks.first()?;
        let whole = marks.len() == 1 && s.starts_with(MARK_START) && s.ends_with(MARK_END);
        Some(if whole {
            Resolved::Value(first)
        } else if let Some(u) = marks.iter().find(|v| v.is_unknown()) {
            Resolved::Value(u)
        } else {
            Resolved::Text(text)
        })
    }

    fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.end <= offset);
        self.pieces.get(i).or_else(|| self.pieces.last())
    }

    /// The span in the files of a span in the virtual text (other spans unchanged).
    pub fn map(&self, span: Span) -> Span {
        if span.file != VIRTUAL {
            return span;
        }
        let (s, e) = (span.start as usize, span.end as usize);
        let Some(first) = self.piece_at(s) else {
            return span;
        };
        let last = if e > s { self.piece_at(e - 1) } else { None }.unwrap_or(first);
        let (file, start) = match &first.src {
            Src::Bytes { file, offsets } => (*file, at(offsets, s.saturating_sub(first.start))),
            Src::Whole(w) => (w.file, w.start as usize),
        };
        let end_in = |p: &Piece, off: usize| match &p.src {
            Src::Bytes { file, offsets } => (*file, at(offsets, off.saturating_sub(p.start))),
            Src::Whole(w) => (w.file, w.end as usize),
        };
        let (end_file, end) = end_in(last, e.max(s));
        let end = if end_file == file {
            end
        } else {
            end_in(first, first.end).1
        };
        Span::new(file, start, end.max(start))
    }
}

fn at(offsets: &[u32], i: usize) -> usize {
    offsets
        .get(i)
        .or_else(|| offsets.last())
        .map(|o| *o as usize)
        .unwrap_or(0)
}

/// The file offset of each byte of `value`, which was written as `raw` at `raw_start`
/// with some characters left out (a heredoc's stripped indentation, `$${` for `${`), plus
/// one for the end: each byte is matched to the next equal byte of `raw`.
pub fn align(value: &str, raw: &str, raw_start: usize) -> Arc<[u32]> {
    let raw = raw.as_bytes();
    let mut out = Vec::with_capacity(value.len() + 1);
    let mut j = 0;
    for b in value.bytes() {
        let mut k = j;
        while k < raw.len() && raw.get(k) != Some(&b) {
            k += 1;
        }
        let found = if k < raw.len() { k } else { j.min(raw.len()) };
        out.push(u32::try_from(raw_start + found).unwrap_or(u32::MAX));
        j = (found + 1).min(raw.len());
    }
    out.push(u32::try_from(raw_start + j).unwrap_or(u32::MAX));
    out.into()
}

/// A heredoc string of a host resource: where each literal part of it was written.
#[derive(Clone, Debug)]
pub struct Heredoc {
    pub file: FileId,
    pub parts: Vec<HeredocPart>,
}

/// One template element of a heredoc.
#[derive(Clone, Debug)]
pub enum HeredocPart {
    /// Literal text (indentation already stripped for `<<-`) and its file offsets.
    Literal { value: String, offsets: Arc<[u32]> },
    /// An interpolation or a directive.
    Other,
}

/// Attributes of host resources whose string content erlint parses.
const MAPPED_ATTRIBUTES: [&str; 4] = [
    "body",
    "sensitive_body",
    "template_content",
    "parameters_content",
];

/// The heredocs of the attributes erlint parses (`body`, `template_content`, …) of the
/// host resources (azapi, template deployments) of one HCL file, by span.
pub fn heredocs_of_hosts(
    file: FileId,
    text: &str,
    body: &hcl_edit::structure::Body,
) -> Vec<(Span, Heredoc)> {
    use hcl_edit::expr::Expression;
    use hcl_edit::structure::Structure;
    let mut out = Vec::new();
    for s in body.structures() {
        let Structure::Block(b) = s else { continue };
        let is_host = b.ident.as_str() == "resource"
            && b.labels
                .first()
                .is_some_and(|l| super::module::HostClass::of(l.as_str()).is_some());
        if !is_host {
            continue;
        }
        for s in b.body.structures() {
            let Structure::Attribute(a) = s else { continue };
            if !MAPPED_ATTRIBUTES.contains(&a.key.as_str()) {
                continue;
            }
            let Expression::HeredocTemplate(h) = &a.value else {
                continue;
            };
            let Some(r) = h.span() else { continue };
            let parts = h
                .template
                .iter()
                .map(|el| match el {
                    ht::Element::Literal(l) => {
                        let raw_range = l.span().unwrap_or(0..0);
                        let raw = text.get(raw_range.clone()).unwrap_or("");
                        HeredocPart::Literal {
                            value: l.value().to_string(),
                            offsets: align(l.value(), raw, raw_range.start),
                        }
                    }
                    _ => HeredocPart::Other,
                })
                .collect();
            out.push((Span::new(file, r.start, r.end), Heredoc { file, parts }));
        }
    }
    out
}

/// The outcome of rendering a string that erlint parses.
pub enum Rendered {
    Text(Mapped),
    /// The text is not known statically (the reason names the value).
    Unknown(Unknown),
    /// The text is known to be no string erlint can read (a list, a number).
    Invalid(String),
}

impl Rendered {
    fn unknown(why: &Unknown) -> Rendered {
        Rendered::Unknown(why.clone())
    }
}

/// The string an expression evaluates to, with where each piece was written: a heredoc's
/// literal parts byte for byte (`heredoc` from [`heredocs_of_hosts`]), interpolations as
/// a whole; any other expression as a whole.
pub fn render_expr(expr: &Expr, heredoc: Option<&Heredoc>, scope: &Scope<'_>) -> Rendered {
    if let Some(h) = heredoc
        && let Some(r) = render_heredoc(expr, h, scope)
    {
        return r;
    }
    let v = scope.eval_or_unknown(expr);
    match &v.kind {
        ValKind::Str(s) => {
            let mut m = Mapped::default();
            m.push_whole(s, expr.span);
            Rendered::Text(m)
        }
        ValKind::Unknown(u) => Rendered::unknown(u),
        _ => Rendered::Invalid(format!("a {}, not a string", v.type_name())),
    }
}

/// A heredoc of literals and interpolations, piece by piece (`None`: it has directives, or
/// its parts do not match what was recorded).
fn render_heredoc(expr: &Expr, h: &Heredoc, scope: &Scope<'_>) -> Option<Rendered> {
    let literal = |s: &str, i: usize, m: &mut Mapped| -> Option<()> {
        let HeredocPart::Literal { value, offsets } = h.parts.get(i)? else {
            return None;
        };
        let at = value.find(s)?;
        let slice: Arc<[u32]> = offsets.get(at..=at + s.len())?.into();
        m.push_bytes(s, h.file, slice);
        Some(())
    };
    let mut m = Mapped::default();
    match &expr.kind {
        ExprKind::Str(s) => {
            if h.parts.len() != 1 {
                return None;
            }
            literal(s, 0, &mut m)?;
        }
        ExprKind::Template(parts) => {
            if parts.len() != h.parts.len() {
                return None;
            }
            for (i, p) in parts.iter().enumerate() {
                match p {
                    TemplatePart::Literal(s) => literal(s, i, &mut m)?,
                    TemplatePart::Interpolation(e) => {
                        if let Err(stop) = interpolate(&mut m, scope.eval_or_unknown(e), e.span) {
                            return Some(stop);
                        }
                    }
                    TemplatePart::If(_) | TemplatePart::For(_) => return None,
                }
            }
        }
        _ => return None,
    }
    Some(Rendered::Text(m))
}

/// An interpolated value: Known scalars as Terraform writes them (a string inside a JSON
/// string as a marker, to keep where it was set), Unknown as a marker.
fn interpolate(m: &mut Mapped, v: Val, span: Span) -> Result<(), Rendered> {
    match &v.kind {
        // Text that starts an ARM expression stays text: ARM evaluates it.
        ValKind::Str(s) if m.in_string() && !s.starts_with('[') => m.push_value(v, span),
        ValKind::Str(s) => m.push_whole(s, span),
        ValKind::Number(n) => m.push_whole(&format_number(*n), span),
        ValKind::Bool(b) => m.push_whole(&b.to_string(), span),
        ValKind::Unknown(_) => m.push_value(v, span),
        ValKind::Null => {
            return Err(Rendered::Invalid(
                "an interpolated value is null (Terraform rejects this)".into(),
            ));
        }
        _ => {
            return Err(Rendered::Invalid(format!(
                "an interpolated value is a {} (Terraform rejects this)",
                v.type_name()
            )));
        }
    }
    Ok(())
}

/// Resolves nothing: a `templatefile()` template sees only its variables.
struct NoResolver;

impl Resolver for NoResolver {
    fn var(&self, name: &str, site: Span) -> EvalResult {
        Err(no_name(&format!("var.{name}"), site))
    }
    fn local(&self, name: &str, site: Span) -> EvalResult {
        Err(no_name(&format!("local.{name}"), site))
    }
    fn module_output(&self, call: &str, _: Option<&Val>, _: &str, site: Span) -> EvalResult {
        Err(no_name(&format!("module.{call}"), site))
    }
    fn module_call(&self, _: &str) -> Option<bool> {
        None
    }
    fn resource_address(&self, _: &str, _: &str) -> Option<String> {
        None
    }
    fn path(&self, _: &str) -> Option<String> {
        None
    }
}

fn no_name(what: &str, span: Span) -> super::eval::EvalError {
    super::eval::EvalError {
        message: format!("a template file sees only its variables, not `{what}`"),
        span,
    }
}

/// Render a `templatefile()` template (`text` of `file`) with `vars` (an object), piece
/// by piece: literal text byte for byte, interpolations and directives at their spans.
pub fn render_template_file(text: &str, file: FileId, vars: &Val) -> Rendered {
    let template = match hcl_edit::parser::parse_template(text) {
        Ok(t) => t,
        Err(e) => {
            return Rendered::Invalid(format!(
                "the template does not parse: {}",
                e.message().lines().next().unwrap_or("syntax error")
            ));
        }
    };
    let resolver = NoResolver;
    let base = Scope::new(&resolver);
    let ValKind::Object(o) = &vars.kind else {
        return match &vars.kind {
            ValKind::Unknown(u) => Rendered::unknown(u),
            _ => Rendered::Invalid("the template variables are not an object".into()),
        };
    };
    let names: Vec<(Arc<str>, Val)> = o.iter().map(|(k, v)| (Arc::from(k), v.clone())).collect();
    let r = TemplateRun {
        text,
        conv: Conv::new(file),
        file,
    };
    let mut m = Mapped::default();
    let result = r.bind_all(&base, &names, &mut |scope| {
        r.elements(
            &mut m,
            template.iter().collect::<Vec<_>>().as_slice(),
            scope,
        )
    });
    match result {
        Ok(()) => Rendered::Text(m),
        Err(stop) => stop,
    }
}

struct TemplateRun<'t> {
    text: &'t str,
    conv: Conv,
    file: FileId,
}

type Step<'a> = &'a mut dyn FnMut(&Scope<'_>) -> Result<(), Rendered>;

impl TemplateRun<'_> {
    /// Bind `names` one by one (scopes nest), then run `f` in the innermost scope.
    fn bind_all(
        &self,
        scope: &Scope<'_>,
        names: &[(Arc<str>, Val)],
        f: Step<'_>,
    ) -> Result<(), Rendered> {
        match names.split_first() {
            None => f(scope),
            Some(((name, val), rest)) => {
                let inner = scope.bind(name.clone(), val.clone());
                self.bind_all(&inner, rest, f)
            }
        }
    }

    fn elements(
        &self,
        m: &mut Mapped,
        els: &[&ht::Element],
        scope: &Scope<'_>,
    ) -> Result<(), Rendered> {
        for (i, el) in els.iter().enumerate() {
            match el {
                ht::Element::Literal(l) => {
                    let strip_start = i
                        .checked_sub(1)
                        .and_then(|p| els.get(p))
                        .is_some_and(|p| strip_after(p));
                    let strip_end = els.get(i + 1).is_some_and(|n| strip_before(n));
                    let mut value: &str = l.value();
                    if strip_start {
                        value = value.trim_start();
                    }
                    if strip_end {
                        value = value.trim_end();
                    }
                    let raw_range = l.span().unwrap_or(0..0);
                    let raw = self.text.get(raw_range.clone()).unwrap_or("");
                    let full = align(l.value(), raw, raw_range.start);
                    let at = l.value().find(value).unwrap_or(0);
                    let offsets: Arc<[u32]> = full
                        .get(at..=at + value.len())
                        .map(Arc::from)
                        .unwrap_or_else(|| align(value, raw, raw_range.start));
                    m.push_bytes(value, self.file, offsets);
                }
                ht::Element::Interpolation(x) => {
                    let e = self.conv.expr(&x.expr);
                    interpolate(m, scope.eval_or_unknown(&e), e.span)?;
                }
                ht::Element::Directive(d) => match d.as_ref() {
                    ht::Directive::If(dir) => {
                        let cond = self.conv.expr(&dir.if_expr.cond_expr);
                        let v = scope.eval_or_unknown(&cond);
                        let branch = match &v.kind {
                            ValKind::Bool(true) => Some(&dir.if_expr.template),
                            ValKind::Bool(false) => dir.else_expr.as_ref().map(|e| &e.template),
                            ValKind::Unknown(u) => return Err(Rendered::unknown(u)),
                            _ => {
                                return Err(Rendered::Invalid(
                                    "a template `if` condition is not a bool".into(),
                                ));
                            }
                        };
                        if let Some(t) = branch {
                            self.elements(m, &t.iter().collect::<Vec<_>>(), scope)?;
                        }
                    }
                    ht::Directive::For(dir) => {
                        let f = &dir.for_expr;
                        let coll = self.conv.expr(&f.collection_expr);
                        let v = scope.eval_or_unknown(&coll);
                        let items = match iterate(&v, coll.span) {
                            Ok(Some(items)) => items,
                            Ok(None) => {
                                let u = v.first_unknown().cloned().unwrap_or_default();
                                return Err(Rendered::Unknown(u));
                            }
                            Err(e) => return Err(Rendered::Invalid(e.message)),
                        };
                        let body: Vec<&ht::Element> = f.template.iter().collect();
                        for (k, item) in items {
                            let mut names = vec![(Arc::from(f.value_var.as_str()), item)];
                            if let Some(kv) = &f.key_var {
                                names.push((Arc::from(kv.as_str()), k));
                            }
                            self.bind_all(scope, &names, &mut |s| self.elements(m, &body, s))?;
                        }
                    }
                },
            }
            if m.too_long() {
                return Err(Rendered::Invalid(
                    "the rendered template is too large".into(),
                ));
            }
        }
        Ok(())
    }
}

/// Whether a template element strips the whitespace after it (`~}`).
fn strip_after(el: &ht::Element) -> bool {
    match el {
        ht::Element::Interpolation(i) => i.strip.strip_end(),
        ht::Element::Directive(d) => match d.as_ref() {
            ht::Directive::If(dir) => dir.endif_expr.strip.strip_end(),
            ht::Directive::For(dir) => dir.endfor_expr.strip.strip_end(),
        },
        ht::Element::Literal(_) => false,
    }
}

/// Whether a template element strips the whitespace before it (`${~`).
fn strip_before(el: &ht::Element) -> bool {
    match el {
        ht::Element::Interpolation(i) => i.strip.strip_start(),
        ht::Element::Directive(d) => match d.as_ref() {
            ht::Directive::If(dir) => dir.if_expr.strip.strip_start(),
            ht::Directive::For(dir) => dir.for_expr.strip.strip_start(),
        },
        ht::Element::Literal(_) => false,
    }
}

/// The JSON text `jsonencode()` makes of `v`, each scalar mapped to where it was written,
/// brackets and keys to their object or list; Unknown values as markers. `at` is used for
/// values that carry no span.
pub fn json_of(v: &Val, at: Span) -> Mapped {
    let mut m = Mapped::default();
    write_json(&mut m, v, at);
    m
}

fn write_json(m: &mut Mapped, v: &Val, parent: Span) {
    let at = v.span.unwrap_or(parent);
    match &v.kind {
        ValKind::Null => m.push_whole("null", at),
        ValKind::Bool(b) => m.push_whole(&b.to_string(), at),
        ValKind::Number(n) => m.push_whole(&format_number(*n), at),
        // A string keeps where it was set (a tfvars line), unless ARM evaluates it.
        ValKind::Str(s) if !s.starts_with('[') => m.push_value(v.clone(), at),
        ValKind::Str(s) => m.push_whole(&serde_json::Value::String(s.to_string()).to_string(), at),
        ValKind::Unknown(_) => m.push_value(v.clone(), at),
        ValKind::List(items) => {
            m.push_whole("[", at);
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    m.push_whole(",", at);
                }
                write_json(m, x, at);
            }
            m.push_whole("]", at);
        }
        ValKind::Object(o) => {
            m.push_whole("{", at);
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    m.push_whole(",", at);
                }
                let key = serde_json::Value::String(k.to_string()).to_string();
                m.push_whole(&format!("{key}:"), x.span.unwrap_or(at));
                write_json(m, x, at);
            }
            m.push_whole("}", at);
        }
    }
}

/// A JSON text as a value, every node with its span mapped back; strings holding a
/// marker are the Unknown values they mark. Comments and trailing commas are accepted, as
/// in the ARM files the text is often copied from (erlint does not validate what the
/// provider would reject). `Err`: the text is not JSON (a message, and where in the files).
pub fn json_value(m: &Mapped) -> Result<Val, (String, Span)> {
    let parsed = jsonc_parser::parse_to_ast(
        &m.text,
        &jsonc_parser::CollectOptions::default(),
        &crate::jsonc::with_comments(),
    );
    match parsed {
        Ok(r) => match r.value {
            Some(v) => Ok(convert(m, &v)),
            None => Err((
                "it holds no JSON value".into(),
                m.map(Span::new(VIRTUAL, 0, m.text.len())),
            )),
        },
        Err(e) => {
            let (range, msg) = crate::jsonc::error_at(&m.text, &e);
            Err((msg, m.map(Span::new(VIRTUAL, range.start, range.end))))
        }
    }
}

fn convert(m: &Mapped, v: &jsonc_parser::ast::Value<'_>) -> Val {
    use jsonc_parser::ast::Value as J;
    use jsonc_parser::common::Ranged;
    let r = v.range();
    let sp = Some(m.map(Span::new(VIRTUAL, r.start, r.end)));
    match v {
        J::StringLit(s) => match m.resolve(&s.value) {
            Some(Resolved::Value(v)) => v.clone().resited(sp),
            Some(Resolved::Text(t)) => Val::str(t, sp),
            None => Val::str(s.value.as_ref(), sp),
        },
        J::NumberLit(n) => n
            .value
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(|x| Val::number(x, sp))
            .unwrap_or_else(|| Val::unknown(format!("`{}` is not a number", n.value), sp)),
        J::BooleanLit(b) => Val::bool(b.value, sp),
        J::NullKeyword(_) => Val::null(sp),
        J::Array(a) => Val::list(a.elements.iter().map(|e| convert(m, e)).collect(), sp),
        J::Object(o) => {
            let mut obj = Object::with_capacity(o.properties.len());
            for p in &o.properties {
                obj.insert(key_text(m, p.name.as_str()), convert(m, &p.value));
            }
            Val::object(obj, sp)
        }
    }
}

/// A property name with markers: their Known values written in (an Unknown one stays a
/// marker: the key is not known).
fn key_text(m: &Mapped, name: &str) -> String {
    match m.resolve(name) {
        Some(Resolved::Value(v)) if !v.is_unknown() => v.to_string(),
        Some(Resolved::Text(t)) => t,
        _ => name.to_string(),
    }
}

/// Rewrite the strings of a parsed JSON text that hold markers of `m`: one that stands
/// for a value into a `[parameters('<name>')]` expression (its value added to `out`), so
/// that the ARM template evaluates it as that value, Known with where it was set, or
/// Unknown; one of text into that text.
pub fn markers_to_parameters(
    m: &Mapped,
    v: &mut jsonc_parser::ast::Value<'_>,
    out: &mut HashMap<String, Val>,
) {
    use jsonc_parser::ast::Value as J;
    match v {
        J::StringLit(s) => match m.resolve(&s.value) {
            Some(Resolved::Value(x)) => {
                let name = format!("__erlint_value_{}", out.len());
                s.value = std::borrow::Cow::Owned(format!("[parameters('{name}')]"));
                out.insert(name, x.clone());
            }
            Some(Resolved::Text(t)) => s.value = std::borrow::Cow::Owned(t),
            None => {}
        },
        J::Array(a) => {
            for e in &mut a.elements {
                markers_to_parameters(m, e, out);
            }
        }
        J::Object(o) => {
            for p in &mut o.properties {
                if let jsonc_parser::ast::ObjectPropName::String(k) = &mut p.name
                    && m.resolve(&k.value).is_some()
                {
                    k.value = std::borrow::Cow::Owned(key_text(m, &k.value));
                }
                markers_to_parameters(m, &mut p.value, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::hcl;

    fn f(n: u32) -> FileId {
        FileId(n)
    }

    #[test]
    fn align_skips_what_the_value_leaves_out() {
        let raw = "    a\n    bc $${x}";
        let value = "a\nbc ${x}";
        let o = align(value, raw, 100);
        let got: String = o
            .iter()
            .take(value.len())
            .map(|i| raw.as_bytes()[*i as usize - 100] as char)
            .collect();
        assert_eq!(got, value);
        assert_eq!(*o.last().unwrap() as usize, 100 + raw.len());
    }

    #[test]
    fn spans_map_through_pieces() {
        let mut m = Mapped::default();
        m.push_bytes("{\"a\": ", f(1), align("{\"a\": ", "{\"a\": ", 10));
        m.push_whole("\"westeurope\"", Span::new(f(1), 40, 52));
        m.push_bytes("}", f(1), align("}", "}", 60));
        let a = m.text.find("\"a\"").unwrap();
        assert_eq!(m.map(Span::new(VIRTUAL, a, a + 3)), Span::new(f(1), 11, 14));
        let w = m.text.find("west").unwrap();
        assert_eq!(m.map(Span::new(VIRTUAL, w, w + 4)), Span::new(f(1), 40, 52));
        // A span over several pieces covers them.
        assert_eq!(
            m.map(Span::new(VIRTUAL, 0, m.text.len())),
            Span::new(f(1), 10, 61)
        );
        // Other files are left alone.
        assert_eq!(m.map(Span::new(f(3), 1, 2)), Span::new(f(3), 1, 2));
    }

    #[test]
    fn unknowns_are_markers_quoted_outside_strings() {
        let mut m = Mapped::default();
        let sp = Span::new(f(1), 0, 1);
        m.push_whole("{\"asn\": ", sp);
        m.push_value(Val::unknown("var.asn has no value", None), sp);
        m.push_whole(", \"name\": \"er-", sp);
        m.push_value(Val::unknown("var.env has no value", None), sp);
        m.push_whole("\", \"site\": \"er-", sp);
        m.push_value(Val::str("ams", Some(Span::new(f(4), 1, 4))), sp);
        m.push_whole("\", \"tier\": \"", sp);
        m.push_value(Val::str("Premium", Some(Span::new(f(4), 7, 14))), sp);
        m.push_whole("\"}", sp);
        let v = json_value(&m).unwrap();
        let asn = v.get("asn").unwrap().as_unknown().unwrap();
        assert_eq!(asn.reason, "var.asn has no value");
        let name = v.get("name").unwrap().as_unknown().unwrap();
        assert_eq!(name.reason, "var.env has no value");
        assert_eq!(v.get("site").unwrap().as_str(), Some("er-ams"));
        // A whole string keeps where it was set.
        let tier = v.get("tier").unwrap();
        assert_eq!(tier.as_str(), Some("Premium"));
        assert_eq!(tier.origin, Some(Span::new(f(4), 7, 14)));
    }

    #[test]
    fn json_of_a_value_keeps_the_spans_of_its_scalars() {
        let mut o = Object::new();
        o.insert("tier", Val::str("Premium", Some(Span::new(f(1), 20, 29))));
        o.insert("n", Val::number(2.0, Some(Span::new(f(1), 40, 41))));
        o.insert(
            "name",
            Val::str("[parameters('x')]", Some(Span::new(f(1), 50, 68))),
        );
        let v = Val::object(o, Some(Span::new(f(1), 10, 70)));
        let m = json_of(&v, Span::new(f(1), 0, 80));
        // An ARM expression stays text, for ARM to evaluate.
        assert!(
            m.text.ends_with(r#","n":2,"name":"[parameters('x')]"}"#),
            "{}",
            m.text
        );
        let back = json_value(&m).unwrap();
        let tier = back.get("tier").unwrap();
        assert_eq!(tier.as_str(), Some("Premium"));
        assert_eq!(tier.span, Some(Span::new(f(1), 20, 29)));
        let n = back.get("n").unwrap();
        assert_eq!(
            (n.as_f64(), n.span),
            (Some(2.0), Some(Span::new(f(1), 40, 41)))
        );
        assert_eq!(
            back.get("name").unwrap().span,
            Some(Span::new(f(1), 50, 68))
        );
    }

    #[test]
    fn heredoc_literals_map_byte_for_byte_through_dedent() {
        let text = "resource \"azapi_resource\" \"x\" {\n  body = <<-EOT\n    {\"a\":\n      \"b\"}\n    EOT\n}\n";
        let body = hcl::parse(text).unwrap();
        let docs = heredocs_of_hosts(f(0), text, &body);
        assert_eq!(docs.len(), 1);
        let (span, h) = &docs[0];
        let conv = hcl::Conv::new(f(0));
        let attr = match body.iter().next().unwrap() {
            hcl_edit::structure::Structure::Block(b) => conv.block(b).body.attrs[0].clone(),
            _ => unreachable!(),
        };
        assert_eq!(attr.expr.span, *span);
        let scope = Scope::new(&NoResolver);
        let Rendered::Text(m) = render_expr(&attr.expr, Some(h), &scope) else {
            panic!("not rendered");
        };
        let v = json_value(&m).unwrap();
        let b = v.get("a").unwrap().span.unwrap();
        assert_eq!(&text[b.range()], "\"b\"");
    }

    #[test]
    fn template_files_render_with_their_variables() {
        let text = "{\"name\": \"${name}\", %{ for p in peerings ~}\n\"${p}\": 1, %{ endfor ~}\n\"x\": ${n}}";
        let mut vars = Object::new();
        vars.insert("name", Val::str("er-1", Some(Span::new(f(5), 1, 5))));
        vars.insert(
            "peerings",
            Val::list(vec![Val::str("a", None), Val::str("b", None)], None),
        );
        vars.insert("n", Val::unknown("var.n has no value", None));
        let Rendered::Text(m) = render_template_file(text, f(2), &Val::object(vars, None)) else {
            panic!("not rendered");
        };
        let v = json_value(&m).unwrap();
        let name = v.get("name").unwrap();
        assert_eq!(name.as_str(), Some("er-1"));
        // At the interpolation, set where the variable was.
        assert_eq!(&text[name.span.unwrap().range()], "\"${name}\"");
        assert_eq!(name.origin, Some(Span::new(f(5), 1, 5)));
        assert!(v.get("a").is_some() && v.get("b").is_some());
        assert!(v.get("x").unwrap().is_unknown());
        let lit = m.text.find("\"name\"").unwrap();
        let sp = m.map(Span::new(VIRTUAL, lit, lit + 6));
        assert_eq!((sp.file, &text[sp.range()]), (f(2), "\"name\""));
    }
}

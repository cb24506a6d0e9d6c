//! Terraform's JSON syntax (`.tf.json`, `.tfvars.json`) → the same syntax tree as HCL.
//!
//! In a `.tf.json` body every string is a template (`"${var.x}-er"`); its spans point into
//! the JSON string when it has no escape sequences, else at the whole string. Objects and
//! arrays of objects stand for nested blocks as well as object attributes; erlint treats
//! both as values, which reads the same. `"//"` keys are comments.

use super::ast::*;
use super::hcl;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use jsonc_parser::ast as j;
use jsonc_parser::common::Ranged;
use std::sync::Arc;

/// Parse Terraform JSON as HCL's JSON parser reads it (hashicorp/hcl `json/parser.go`): RFC
/// 8259 JSON, whose strings may hold no raw control character, with an object or an array
/// at the root (`json/public.go`). `text` must have gone through
/// [`crate::jsonc::lone_surrogates_replaced`].
fn parse_json(file: FileId, text: &str) -> Result<j::Value<'_>, Box<Diagnostic>> {
    let opts = crate::jsonc::strict();
    let root = match jsonc_parser::parse_to_ast(text, &Default::default(), &opts) {
        Ok(r) => r.value.ok_or_else(|| {
            invalid(
                Span::new(file, 0, 0),
                "invalid JSON: the file is empty; Terraform JSON holds an object",
            )
        })?,
        Err(e) => {
            let mut d = crate::jsonc::error_diagnostic(file, text, &e);
            d.help("fix the syntax here; `terraform validate` reports the same error");
            return Err(Box::new(d));
        }
    };
    if let Some(at) = crate::jsonc::raw_control_in_string(text) {
        return Err(invalid(
            Span::new(file, at, at + 1),
            "invalid JSON: a control character (line break, tab…) inside a string must be escaped (`\\n`, `\\t`)",
        ));
    }
    match &root {
        j::Value::Object(_) | j::Value::Array(_) => Ok(root),
        other => Err(invalid(
            span(file, other),
            format!(
                "invalid Terraform JSON: the root value must be an object (or an array of objects), found {}",
                json_kind(other)
            ),
        )),
    }
}

/// ER001 for a Terraform JSON file Terraform would reject.
fn invalid(at: Span, message: impl Into<String>) -> Box<Diagnostic> {
    let mut d = crate::jsonc::invalid_json(at, message);
    d.help("fix it here; `terraform validate` rejects this file");
    Box::new(d)
}

fn json_kind(v: &j::Value<'_>) -> &'static str {
    match v {
        j::Value::StringLit(_) => "a string",
        j::Value::NumberLit(_) => "a number",
        j::Value::BooleanLit(_) => "a boolean",
        j::Value::NullKeyword(_) => "null",
        j::Value::Array(_) => "an array",
        j::Value::Object(_) => "an object",
    }
}

/// ER001 for a Terraform JSON file that begins with a byte-order mark: HCL's JSON parser
/// reads it as an invalid character ("Invalid start of value"). The file is still read.
pub fn bom_error(file: FileId) -> Diagnostic {
    let mut d = crate::jsonc::invalid_json(
        Span::new(file, 0, 0),
        "invalid JSON: the file starts with a byte-order mark, which Terraform's JSON parser rejects",
    );
    d.help("save the file as UTF-8 without a byte-order mark (BOM)");
    d
}

fn span(file: FileId, r: &impl Ranged) -> Span {
    let r = r.range();
    Span::new(file, r.start, r.end)
}

/// The span of a property's name, quotes included.
fn name_span(file: FileId, p: &j::ObjectProp<'_>) -> Span {
    match &p.name {
        j::ObjectPropName::String(s) => span(file, s),
        j::ObjectPropName::Word(w) => span(file, w),
    }
}

fn prop_name<'a>(p: &'a j::ObjectProp<'_>) -> &'a str {
    match &p.name {
        j::ObjectPropName::String(s) => &s.value,
        j::ObjectPropName::Word(w) => w.value,
    }
}

/// A `.tf.json` configuration file → its top-level blocks.
pub fn parse_config(file: FileId, text: &str) -> Result<Body, Box<Diagnostic>> {
    let fixed = crate::jsonc::lone_surrogates_replaced(text);
    let text = fixed.as_deref().unwrap_or(text);
    let root = parse_json(file, text)?;
    let mut body = Body::default();
    // The root is an object, or an array of objects read as one.
    for p in props_of(&root) {
        let ident = prop_name(p);
        match ident {
            "resource" | "data" => {
                // resource.<type>.<name> = body | [body]; the header is the name property.
                for (ty, ty_val) in object_props(&p.value) {
                    for np in props_of(ty_val) {
                        for b in each_body(&np.value) {
                            body.blocks
                                .push(block(file, ident, &[ty, prop_name(np)], np, b));
                        }
                    }
                }
            }
            "variable" | "output" | "module" => {
                for np in props_of(&p.value) {
                    let name = prop_name(np);
                    for b in each_body(&np.value) {
                        let mut blk = block(file, ident, &[name], np, b);
                        if ident == "variable" {
                            // A variable's default is a literal JSON value, not a template.
                            if let Some(d) = object_props(b).find(|(k, _)| *k == "default")
                                && let Some(a) =
                                    blk.body.attrs.iter_mut().find(|a| &*a.name == "default")
                            {
                                a.expr = literal(file, d.1);
                            }
                            // Its type is a type expression written as a string.
                            if let Some((_, j::Value::StringLit(t))) =
                                object_props(b).find(|(k, _)| *k == "type")
                                && let Some(a) =
                                    blk.body.attrs.iter_mut().find(|a| &*a.name == "type")
                            {
                                a.expr = type_expr(file, text, t);
                            }
                        }
                        body.blocks.push(blk);
                    }
                }
            }
            "provider" => {
                for np in props_of(&p.value) {
                    for b in each_body(&np.value) {
                        body.blocks
                            .push(block(file, ident, &[prop_name(np)], np, b));
                    }
                }
            }
            "locals" | "terraform" => {
                for b in each_body(&p.value) {
                    body.blocks.push(block(file, ident, &[], p, b));
                }
            }
            _ => {}
        }
    }
    Ok(body)
}

/// A `.tfvars.json` file: each property is a literal value.
pub fn parse_tfvars_json(file: FileId, text: &str) -> Result<Vec<Attribute>, Box<Diagnostic>> {
    let fixed = crate::jsonc::lone_surrogates_replaced(text);
    let text = fixed.as_deref().unwrap_or(text);
    let root = parse_json(file, text)?;
    let j::Value::Object(top) = &root else {
        // Terraform reads a variable definitions file's attributes from its root object.
        return Err(invalid(
            span(file, &root),
            "invalid variable definitions: the root value of a .tfvars.json file must be an object",
        ));
    };
    Ok(top
        .properties
        .iter()
        .map(|p| Attribute {
            name: intern(prop_name(p)),
            span: span(file, p),
            expr: literal(file, &p.value),
        })
        .collect())
}

fn object_props<'a, 'b>(v: &'b j::Value<'a>) -> impl Iterator<Item = (&'b str, &'b j::Value<'a>)> {
    props_of(v).map(|p| (prop_name(p), &p.value))
}

/// The properties of a body or label level. The HCL JSON syntax allows an object or an
/// array of objects at every such level (`"resource": [ { "azurerm_x": { … } }, … ]`);
/// the objects of an array are read in order, as if their properties were written in one.
fn props_of<'a, 'b>(v: &'b j::Value<'a>) -> impl Iterator<Item = &'b j::ObjectProp<'a>> {
    let objects: Vec<&'b j::Object<'a>> = match v {
        j::Value::Object(o) => vec![o],
        j::Value::Array(a) => a
            .elements
            .iter()
            .filter_map(|e| match e {
                j::Value::Object(o) => Some(o),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    objects
        .into_iter()
        .flat_map(|o| o.properties.iter())
        .filter(|p| prop_name(p) != "//")
}

/// A block value is an object, or an array of objects for repeated blocks.
fn each_body<'a, 'b>(v: &'b j::Value<'a>) -> Vec<&'b j::Value<'a>> {
    match v {
        j::Value::Array(a) => a
            .elements
            .iter()
            .filter(|e| matches!(e, j::Value::Object(_)))
            .collect(),
        j::Value::Object(_) => vec![v],
        _ => Vec::new(),
    }
}

fn block(
    file: FileId,
    ident: &str,
    labels: &[&str],
    outer: &j::ObjectProp<'_>,
    b: &j::Value<'_>,
) -> Block {
    let sp = span(file, b);
    Block {
        ident: intern(ident),
        labels: labels.iter().map(|l| intern(l)).collect(),
        // `"name": {`: the property whose value is the block (resource name, provider…).
        header: Span::new(file, outer.start(), outer.name_range_end()),
        span: sp,
        body: body_of(file, b),
    }
}

trait NameEnd {
    fn name_range_end(&self) -> usize;
}

impl NameEnd for j::ObjectProp<'_> {
    fn name_range_end(&self) -> usize {
        match &self.name {
            j::ObjectPropName::String(s) => s.range.end,
            j::ObjectPropName::Word(w) => w.range.end,
        }
    }
}

/// A block body: `dynamic` becomes dynamic blocks, everything else an attribute.
fn body_of(file: FileId, v: &j::Value<'_>) -> Body {
    let mut body = Body::default();
    let j::Value::Object(o) = v else { return body };
    for p in &o.properties {
        let name = prop_name(p);
        if name == "//" {
            continue;
        }
        if name == "dynamic" {
            for (label, dv) in object_props(&p.value) {
                for d in each_body(dv) {
                    let mut blk = Block {
                        ident: intern("dynamic"),
                        labels: smallvec::smallvec![intern(label)],
                        header: Span::new(file, p.start(), p.name_range_end()),
                        span: span(file, d),
                        body: body_of(file, d),
                    };
                    // `content` is a nested block, not an attribute.
                    if let Some(i) = blk.body.attrs.iter().position(|a| &*a.name == "content") {
                        let c = blk.body.attrs.remove(i);
                        let content = object_props(d)
                            .find(|(k, _)| *k == "content")
                            .and_then(|(_, v)| each_body(v).first().map(|c| body_of(file, c)));
                        blk.body.blocks.push(Block {
                            ident: intern("content"),
                            labels: Few::new(),
                            header: c.span,
                            span: c.span,
                            body: content.unwrap_or_default(),
                        });
                    }
                    body.blocks.push(blk);
                }
            }
            continue;
        }
        body.attrs.push(Attribute {
            name: intern(name),
            span: span(file, p),
            expr: expr(file, &p.value),
        });
    }
    body
}

/// A JSON value in an expression position: strings are templates.
fn expr(file: FileId, v: &j::Value<'_>) -> Expr {
    let sp = span(file, v);
    match v {
        j::Value::StringLit(s) => template(file, s),
        j::Value::Array(a) => Expr::new(
            ExprKind::Array(a.elements.iter().map(|e| expr(file, e)).collect()),
            sp,
        ),
        j::Value::Object(o) => Expr::new(
            ExprKind::Object(
                o.properties
                    .iter()
                    .filter(|p| prop_name(p) != "//")
                    .map(|p| {
                        (
                            ObjectKey::Ident(intern(prop_name(p)), name_span(file, p)),
                            expr(file, &p.value),
                        )
                    })
                    .collect(),
            ),
            sp,
        ),
        _ => literal(file, v),
    }
}

/// A JSON value taken literally (tfvars, variable defaults).
fn literal(file: FileId, v: &j::Value<'_>) -> Expr {
    let sp = span(file, v);
    let kind = match v {
        j::Value::StringLit(s) => ExprKind::Str(Arc::from(&*s.value)),
        j::Value::NumberLit(n) => ExprKind::Number(n.value.parse().unwrap_or(f64::NAN)),
        j::Value::BooleanLit(b) => ExprKind::Bool(b.value),
        j::Value::NullKeyword(_) => ExprKind::Null,
        j::Value::Array(a) => {
            ExprKind::Array(a.elements.iter().map(|e| literal(file, e)).collect())
        }
        j::Value::Object(o) => ExprKind::Object(
            o.properties
                .iter()
                .map(|p| {
                    (
                        ObjectKey::Ident(intern(prop_name(p)), name_span(file, p)),
                        literal(file, &p.value),
                    )
                })
                .collect(),
        ),
    };
    Expr::new(kind, sp)
}

fn template(file: FileId, s: &j::StringLit<'_>) -> Expr {
    let whole = span(file, s);
    if !s.value.contains("${") && !s.value.contains("%{") {
        return Expr::new(ExprKind::Str(Arc::from(&*s.value)), whole);
    }
    let no_escapes = s.range.end - s.range.start == s.value.len() + 2;
    match hcl::parse_template(file, s.range.start + 1, &s.value, whole) {
        Ok(mut e) => {
            if !no_escapes {
                flatten_spans(&mut e, whole);
            }
            e
        }
        Err(f) => Expr::new(
            ExprKind::Invalid(Arc::from(format!("template does not parse: {}", f.message))),
            whole,
        ),
    }
}

/// A variable's `"type"` string (`"object({a = string, b = optional(string, \"x\")})"`),
/// parsed as the HCL type expression it holds. Spans point into the JSON string (through
/// its escape sequences); a string that does not parse stays a string, which reads as
/// "any type" unless it names a primitive type.
fn type_expr(file: FileId, text: &str, s: &j::StringLit<'_>) -> Expr {
    let whole = span(file, s);
    let Ok(parsed) = hcl_edit::parser::parse_expr(&s.value) else {
        return Expr::new(ExprKind::Str(Arc::from(&*s.value)), whole);
    };
    let conv = hcl::Conv {
        file,
        base: 0,
        fallback: whole,
    };
    let mut e = conv.expr(&parsed);
    let raw = text
        .get(s.range.start + 1..s.range.end.saturating_sub(1))
        .unwrap_or("");
    let offsets = decoded_offsets(raw, s.value.len());
    let base = s.range.start + 1;
    let at = |o: usize| offsets.get(o).map(|r| base + r);
    map_spans(
        &mut e,
        &|sp: Span| match (at(sp.start as usize), at(sp.end as usize)) {
            (Some(a), Some(b)) if a <= b => Span::new(file, a, b),
            _ => whole,
        },
    );
    e
}

/// For each byte offset of a JSON string's decoded value (and its end), the offset of the
/// same position in the raw text between the quotes. Empty when the two do not agree in
/// length (so every span falls back to the whole string).
fn decoded_offsets(raw: &str, decoded_len: usize) -> Vec<usize> {
    let unit = |at: usize| {
        raw.get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let mut out = Vec::with_capacity(decoded_len + 1);
    let mut i = 0;
    while let Some(c) = raw.get(i..).and_then(|r| r.chars().next()) {
        if c != '\\' {
            out.extend(i..i + c.len_utf8());
            i += c.len_utf8();
            continue;
        }
        // An escape: every byte it decodes to maps to the backslash.
        let (raw_len, dec_len) = match (raw.get(i + 1..i + 2), unit(i + 2)) {
            (Some("u"), Some(0xD800..=0xDBFF))
                if raw.get(i + 6..i + 8) == Some("\\u")
                    && unit(i + 8).is_some_and(|lo| (0xDC00..=0xDFFF).contains(&lo)) =>
            {
                (12, 4)
            }
            (Some("u"), Some(u)) => (6, char::from_u32(u).map_or(3, char::len_utf8)),
            _ => (2, 1),
        };
        out.extend(std::iter::repeat_n(i, dec_len));
        i += raw_len;
    }
    out.push(raw.len());
    if out.len() != decoded_len + 1 {
        return Vec::new();
    }
    out
}

/// Point every node at `whole` (used when string escapes make inner offsets unreliable).
fn flatten_spans(e: &mut Expr, whole: Span) {
    map_spans(e, &|_| whole);
}

/// Rewrite every span of an expression.
fn map_spans(e: &mut Expr, f: &dyn Fn(Span) -> Span) {
    e.span = f(e.span);
    match &mut e.kind {
        ExprKind::Template(parts) => parts.iter_mut().for_each(|p| map_part(p, f)),
        ExprKind::Array(items) => items.iter_mut().for_each(|x| map_spans(x, f)),
        ExprKind::Object(items) => items.iter_mut().for_each(|(k, v)| {
            match k {
                ObjectKey::Expr(k) => map_spans(k, f),
                ObjectKey::Ident(_, s) => *s = f(*s),
            }
            map_spans(v, f);
        }),
        ExprKind::Traversal(t) => {
            map_spans(&mut t.root, f);
            for op in &mut t.ops {
                match op {
                    TraversalOp::Attr(_, s) => *s = f(*s),
                    TraversalOp::Index(x) => map_spans(x, f),
                    TraversalOp::Splat => {}
                }
            }
        }
        ExprKind::Call(c) => c.args.iter_mut().for_each(|x| map_spans(x, f)),
        ExprKind::Conditional(c) => {
            map_spans(&mut c.cond, f);
            map_spans(&mut c.then, f);
            map_spans(&mut c.otherwise, f);
        }
        ExprKind::Unary(_, x) => map_spans(x, f),
        ExprKind::Binary(_, a, b) => {
            map_spans(a, f);
            map_spans(b, f);
        }
        ExprKind::For(fe) => {
            map_spans(&mut fe.collection, f);
            map_spans(&mut fe.value_expr, f);
            if let Some(k) = &mut fe.key_expr {
                map_spans(k, f);
            }
            if let Some(c) = &mut fe.cond {
                map_spans(c, f);
            }
        }
        _ => {}
    }
}

fn map_part(p: &mut TemplatePart, f: &dyn Fn(Span) -> Span) {
    match p {
        TemplatePart::Literal(_) => {}
        TemplatePart::Interpolation(x) => map_spans(x, f),
        TemplatePart::If(i) => {
            map_spans(&mut i.cond, f);
            i.then.iter_mut().for_each(|x| map_part(x, f));
            i.otherwise.iter_mut().for_each(|x| map_part(x, f));
        }
        TemplatePart::For(fo) => {
            map_spans(&mut fo.collection, f);
            fo.body.iter_mut().for_each(|x| map_part(x, f));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_comma_is_reported_at_the_next_token() {
        let text = "{\n  \"variable\": {\n    \"a\": {\"default\": 1}\n    \"b\": {\"default\": 2}\n  }\n}\n";
        let e = parse_json(FileId(0), text).unwrap_err();
        assert_eq!(e.message, "invalid JSON: expected comma");
        assert_eq!(&text[e.primary.range()], "\"b\"");
    }

    #[test]
    fn resources_and_templates_with_spans() {
        let text = r#"{
  "resource": {
    "azurerm_express_route_circuit_peering": {
      "p": {
        "peering_type": "AzurePrivatePeering",
        "primary_peer_address_prefix": "${var.prefix}",
        "vlan_id": 100,
        "ipv6": { "primary_peer_address_prefix": "2001:db8::/126" }
      }
    }
  },
  "variable": { "prefix": { "default": "10.0.0.0/30", "type": "string" } }
}"#;
        let body = parse_config(FileId(0), text).unwrap();
        let r = body
            .blocks
            .iter()
            .find(|b| &*b.ident == "resource")
            .unwrap();
        assert_eq!(r.labels.len(), 2);
        let p = r.body.attr("primary_peer_address_prefix").unwrap();
        let ExprKind::Template(parts) = &p.expr.kind else {
            panic!("{:?}", p.expr.kind)
        };
        let TemplatePart::Interpolation(x) = &parts[0] else {
            panic!()
        };
        assert_eq!(&text[x.span.range()], "var.prefix");
        assert_eq!(&text[p.expr.span.range()], "\"${var.prefix}\"");
        let v = body
            .blocks
            .iter()
            .find(|b| &*b.ident == "variable")
            .unwrap();
        assert!(matches!(
            v.body.attr("default").unwrap().expr.kind,
            ExprKind::Str(_)
        ));
    }

    #[test]
    fn inner_spans_map_into_the_string() {
        let text = r#"{"locals": {"a": "x-${var.name}"}}"#;
        let body = parse_config(FileId(0), text).unwrap();
        let a = &body.blocks[0].body.attrs[0];
        let ExprKind::Template(parts) = &a.expr.kind else {
            panic!()
        };
        let TemplatePart::Interpolation(e) = &parts[1] else {
            panic!()
        };
        assert_eq!(&text[e.span.range()], "var.name");
    }

    #[test]
    fn array_bodies_at_every_level() {
        let text = r#"{
  "resource": [
    { "azurerm_express_route_circuit": [ { "a": { "name": "a" } } ] },
    { "azurerm_express_route_circuit": { "b": [ { "name": "b" } ] } }
  ],
  "variable": [ { "x": [ { "default": "1" } ] }, { "y": {} } ],
  "provider": [ { "azurerm": [ { "alias": "hub" }, { "alias": "spoke" } ] } ],
  "module": [ { "m": { "source": "./m" } } ],
  "locals": [ { "l": 1 }, { "k": 2 } ]
}"#;
        let body = parse_config(FileId(0), text).unwrap();
        let named = |ident: &str| -> Vec<String> {
            body.blocks
                .iter()
                .filter(|b| &*b.ident == ident)
                .map(|b| b.labels.join("."))
                .collect()
        };
        assert_eq!(
            named("resource"),
            [
                "azurerm_express_route_circuit.a",
                "azurerm_express_route_circuit.b"
            ]
        );
        assert_eq!(named("variable"), ["x", "y"]);
        assert_eq!(named("provider"), ["azurerm", "azurerm"]);
        assert_eq!(named("module"), ["m"]);
        assert_eq!(named("locals").len(), 2);
    }

    #[test]
    fn dynamic_blocks_in_array_form() {
        let text = r#"{"resource": {"azurerm_express_route_circuit_peering": {"p": {
  "dynamic": [ { "ipv6": [ { "for_each": "${var.v6}", "content": [ { "primary_peer_address_prefix": "x" } ] } ] } ]
}}}}"#;
        let body = parse_config(FileId(0), text).unwrap();
        let d = &body.blocks[0].body.blocks[0];
        assert_eq!((&*d.ident, &*d.labels[0]), ("dynamic", "ipv6"));
        let content = d.body.blocks_named("content").next().unwrap();
        assert!(content.body.attr("primary_peer_address_prefix").is_some());
    }

    #[test]
    fn variable_type_strings_are_type_expressions() {
        let text = r#"{"variable": {"v": {"type": "object({a = optional(string, \"x\u00e9\"), b = optional(number, 5)})"}}}"#;
        let body = parse_config(FileId(0), text).unwrap();
        let ty = &body.blocks[0].body.attr("type").unwrap().expr;
        let ExprKind::Call(c) = &ty.kind else {
            panic!("{:?}", ty.kind)
        };
        assert_eq!(&*c.name, "object");
        let ExprKind::Object(items) = &c.args[0].kind else {
            panic!()
        };
        // Spans map through the escapes into the JSON text.
        let ExprKind::Call(a) = &items[0].1.kind else {
            panic!()
        };
        assert_eq!(&text[a.args[1].span.range()], r#"\"x\u00e9\""#);
        let ExprKind::Call(b) = &items[1].1.kind else {
            panic!()
        };
        assert_eq!(&text[b.args[1].span.range()], "5");
        // A type that is not an expression stays a string.
        let body = parse_config(FileId(0), r#"{"variable": {"v": {"type": "list("}}}"#).unwrap();
        let ty = &body.blocks[0].body.attr("type").unwrap().expr;
        assert!(matches!(ty.kind, ExprKind::Str(_)));
    }

    #[test]
    fn bad_json_is_er001() {
        let d = parse_config(FileId(0), "{\"resource\": }").unwrap_err();
        assert_eq!(d.code, "ER001");
    }
}

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

fn parse_json(file: FileId, text: &str) -> Result<j::Value<'_>, Box<Diagnostic>> {
    let opts = crate::jsonc::strict();
    match jsonc_parser::parse_to_ast(text, &Default::default(), &opts) {
        Ok(r) => r.value.ok_or_else(|| {
            Box::new(super::module::parse_error(
                file,
                text,
                0,
                "file is empty; Terraform JSON needs an object",
            ))
        }),
        Err(e) => {
            let r = e.range();
            Err(Box::new(super::module::parse_error(
                file,
                text,
                r.start,
                &e.kind().to_string(),
            )))
        }
    }
}

fn span(file: FileId, r: &impl Ranged) -> Span {
    let r = r.range();
    Span::new(file, r.start, r.end)
}

fn prop_name<'a>(p: &'a j::ObjectProp<'_>) -> &'a str {
    match &p.name {
        j::ObjectPropName::String(s) => &s.value,
        j::ObjectPropName::Word(w) => w.value,
    }
}

/// A `.tf.json` configuration file → its top-level blocks.
pub fn parse_config(file: FileId, text: &str) -> Result<Body, Box<Diagnostic>> {
    let root = parse_json(file, text)?;
    let j::Value::Object(top) = &root else {
        return Err(Box::new(super::module::parse_error(
            file,
            text,
            root.start(),
            "a .tf.json file must hold an object",
        )));
    };
    let mut body = Body::default();
    for p in &top.properties {
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
    let root = parse_json(file, text)?;
    let j::Value::Object(top) = &root else {
        return Err(Box::new(super::module::parse_error(
            file,
            text,
            root.start(),
            "a .tfvars.json file must hold an object",
        )));
    };
    Ok(top
        .properties
        .iter()
        .map(|p| Attribute {
            name: Arc::from(prop_name(p)),
            span: span(file, p),
            expr: literal(file, &p.value),
        })
        .collect())
}

fn object_props<'a, 'b>(v: &'b j::Value<'a>) -> impl Iterator<Item = (&'b str, &'b j::Value<'a>)> {
    props_of(v).map(|p| (prop_name(p), &p.value))
}

fn props_of<'a, 'b>(v: &'b j::Value<'a>) -> impl Iterator<Item = &'b j::ObjectProp<'a>> {
    let props: &'b [j::ObjectProp<'a>] = match v {
        j::Value::Object(o) => &o.properties,
        _ => &[],
    };
    props.iter().filter(|p| prop_name(p) != "//")
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
        ident: Arc::from(ident),
        labels: labels.iter().map(|l| Arc::from(*l)).collect(),
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
                        ident: Arc::from("dynamic"),
                        labels: vec![Arc::from(label)],
                        header: Span::new(file, p.start(), p.name_range_end()),
                        span: span(file, d),
                        body: body_of(file, d),
                    };
                    // `content` is a nested block, not an attribute.
                    if let Some(i) = blk.body.attrs.iter().position(|a| &*a.name == "content") {
                        let c = blk.body.attrs.remove(i);
                        let content = object_props(d)
                            .find(|(k, _)| *k == "content")
                            .map(|(_, v)| body_of(file, v));
                        blk.body.blocks.push(Block {
                            ident: Arc::from("content"),
                            labels: vec![],
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
            name: Arc::from(name),
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
                            ObjectKey::Ident(Arc::from(prop_name(p))),
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
                        ObjectKey::Ident(Arc::from(prop_name(p))),
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

/// Point every node at `whole` (used when string escapes make inner offsets unreliable).
fn flatten_spans(e: &mut Expr, whole: Span) {
    e.span = whole;
    match &mut e.kind {
        ExprKind::Template(parts) => parts.iter_mut().for_each(|p| flatten_part(p, whole)),
        ExprKind::Array(items) => items.iter_mut().for_each(|x| flatten_spans(x, whole)),
        ExprKind::Object(items) => items.iter_mut().for_each(|(k, v)| {
            if let ObjectKey::Expr(k) = k {
                flatten_spans(k, whole);
            }
            flatten_spans(v, whole);
        }),
        ExprKind::Traversal(root, ops) => {
            flatten_spans(root, whole);
            for op in ops {
                match op {
                    TraversalOp::Attr(_, s) => *s = whole,
                    TraversalOp::Index(x) => flatten_spans(x, whole),
                    TraversalOp::Splat => {}
                }
            }
        }
        ExprKind::Call(c) => c.args.iter_mut().for_each(|x| flatten_spans(x, whole)),
        ExprKind::Conditional(a, b, c) => {
            flatten_spans(a, whole);
            flatten_spans(b, whole);
            flatten_spans(c, whole);
        }
        ExprKind::Unary(_, x) => flatten_spans(x, whole),
        ExprKind::Binary(_, a, b) => {
            flatten_spans(a, whole);
            flatten_spans(b, whole);
        }
        ExprKind::For(f) => {
            flatten_spans(&mut f.collection, whole);
            flatten_spans(&mut f.value_expr, whole);
            if let Some(k) = &mut f.key_expr {
                flatten_spans(k, whole);
            }
            if let Some(c) = &mut f.cond {
                flatten_spans(c, whole);
            }
        }
        _ => {}
    }
}

fn flatten_part(p: &mut TemplatePart, whole: Span) {
    match p {
        TemplatePart::Literal(_) => {}
        TemplatePart::Interpolation(x) => flatten_spans(x, whole),
        TemplatePart::If {
            cond,
            then,
            otherwise,
        } => {
            flatten_spans(cond, whole);
            then.iter_mut().for_each(|x| flatten_part(x, whole));
            otherwise.iter_mut().for_each(|x| flatten_part(x, whole));
        }
        TemplatePart::For {
            collection, body, ..
        } => {
            flatten_spans(collection, whole);
            body.iter_mut().for_each(|x| flatten_part(x, whole));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn bad_json_is_er001() {
        let d = parse_config(FileId(0), "{\"resource\": }").unwrap_err();
        assert_eq!(d.code, "ER001");
    }
}

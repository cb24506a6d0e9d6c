//! HCL (`hcl-edit`, spans kept) → erlint's Terraform syntax tree.

use super::ast::*;
use crate::source::{FileId, Span};
use hcl_edit::Span as _;
use hcl_edit::expr::{self as he, Expression};
use hcl_edit::structure as hs;
use hcl_edit::template as ht;
use std::sync::Arc;

/// Converts hcl-edit nodes of one text into [`ast`](super::ast) nodes. `base` is added to
/// every offset (non-zero for templates parsed out of a `.tf.json` string).
#[derive(Copy, Clone)]
pub struct Conv {
    pub file: FileId,
    pub base: usize,
    /// Used when a node has no span (should not happen for parsed input).
    pub fallback: Span,
}

impl Conv {
    pub fn new(file: FileId) -> Conv {
        Conv {
            file,
            base: 0,
            fallback: Span::new(file, 0, 0),
        }
    }

    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        match r {
            Some(r) => Span::new(self.file, self.base + r.start, self.base + r.end),
            None => self.fallback,
        }
    }

    pub fn body(&self, body: &hs::Body) -> Body {
        // Sized exactly: the bodies are kept for the whole run.
        let blocks = body.structures().iter().filter(|s| s.is_block()).count();
        let mut out = Body {
            attrs: Vec::with_capacity(body.len() - blocks),
            blocks: Vec::with_capacity(blocks),
        };
        for s in body.structures() {
            match s {
                hs::Structure::Attribute(a) => out.attrs.push(self.attribute(a)),
                hs::Structure::Block(b) => out.blocks.push(self.block(b)),
            }
        }
        out
    }

    pub fn attribute(&self, a: &hs::Attribute) -> Attribute {
        Attribute {
            name: intern(a.key.as_str()),
            span: self.span(a.span()),
            expr: self.expr(&a.value),
        }
    }

    pub fn block(&self, b: &hs::Block) -> Block {
        let mut out = self.block_header(b);
        out.body = self.body(&b.body);
        out
    }

    /// The block's identifier, labels and spans, without converting its body.
    pub fn block_header(&self, b: &hs::Block) -> Block {
        let span = self.span(b.span());
        let ident_span = self.span(b.ident.span());
        let header_end = b
            .labels
            .last()
            .and_then(|l| l.span())
            .map(|r| self.base + r.end)
            .unwrap_or(ident_span.end as usize);
        Block {
            ident: intern(b.ident.as_str()),
            labels: b.labels.iter().map(|l| intern(l.as_str())).collect(),
            header: Span::new(self.file, span.start as usize, header_end),
            span,
            body: Body::default(),
        }
    }

    pub fn expr(&self, e: &Expression) -> Expr {
        let span = self.span(e.span());
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => ExprKind::Str(Arc::from(s.value().as_str())),
            Expression::Array(a) => {
                ExprKind::Array(self.exprs(a.len(), |i| a.get(i)).into_boxed_slice())
            }
            Expression::Object(o) => ExprKind::Object(self.object_items(o)),
            Expression::StringTemplate(t) => template_kind(self.template_parts(t)),
            Expression::HeredocTemplate(h) => template_kind(self.template_parts(&h.template)),
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => ExprKind::Variable(intern(v.as_str())),
            Expression::Conditional(c) => ExprKind::Conditional(Box::new(Conditional {
                cond: self.expr(&c.cond_expr),
                then: self.expr(&c.true_expr),
                otherwise: self.expr(&c.false_expr),
            })),
            Expression::FuncCall(f) => ExprKind::Call(Box::new(Call {
                name: intern(f.name.name.as_str()),
                namespace: f
                    .name
                    .namespace
                    .iter()
                    .map(|n| intern(n.as_str()))
                    .collect(),
                args: self.exprs(f.args.len(), |i| f.args.get(i)),
                expand_final: f.args.expand_final(),
            })),
            Expression::Traversal(t) => ExprKind::Traversal(Box::new(Traversal {
                root: self.expr(&t.expr),
                ops: self.traversal_ops(t),
            })),
            Expression::UnaryOp(u) => {
                let op = match u.operator.value() {
                    he::UnaryOperator::Neg => UnaryOp::Neg,
                    he::UnaryOperator::Not => UnaryOp::Not,
                };
                ExprKind::Unary(op, Box::new(self.expr(&u.expr)))
            }
            Expression::BinaryOp(b) => ExprKind::Binary(
                binary_op(b.operator.value()),
                Box::new(self.expr(&b.lhs_expr)),
                Box::new(self.expr(&b.rhs_expr)),
            ),
            Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.intro.key_var.as_ref().map(|k| intern(k.as_str())),
                value_var: intern(f.intro.value_var.as_str()),
                collection: self.expr(&f.intro.collection_expr),
                key_expr: f.key_expr.as_ref().map(|k| self.expr(k)),
                value_expr: self.expr(&f.value_expr),
                cond: f.cond.as_ref().map(|c| self.expr(&c.expr)),
                grouping: f.grouping,
            })),
        };
        Expr::new(kind, span)
    }

    /// `len` expressions read with `get`, converted, sized exactly (hcl-edit's `iter` of
    /// an array or a call's arguments is a boxed iterator: an allocation each).
    fn exprs<'a>(&self, len: usize, get: impl Fn(usize) -> Option<&'a Expression>) -> Vec<Expr> {
        let mut out = Vec::with_capacity(len);
        out.extend((0..len).filter_map(get).map(|x| self.expr(x)));
        out
    }

    /// A traversal's operators (`.a`, `[i]`, `.*`, `[*]`, `.0`).
    fn traversal_ops(&self, t: &he::Traversal) -> Few<TraversalOp> {
        t.operators
            .iter()
            .map(|op| match op.value() {
                he::TraversalOperator::AttrSplat(_) | he::TraversalOperator::FullSplat(_) => {
                    TraversalOp::Splat
                }
                he::TraversalOperator::GetAttr(i) => {
                    TraversalOp::Attr(intern(i.as_str()), self.span(op.span()))
                }
                he::TraversalOperator::Index(x) => TraversalOp::Index(self.expr(x)),
                he::TraversalOperator::LegacyIndex(n) => TraversalOp::Index(Expr::new(
                    ExprKind::Number(*n.value() as f64),
                    self.span(op.span()),
                )),
            })
            .collect()
    }

    /// An object constructor's items in source order. A repeated key is valid HCL (the last
    /// value wins); the patched hcl-edit keeps the items it overrides aside
    /// (`Object::overridden`), and they are merged back here by position so that evaluation
    /// sees every item in the order it was written.
    fn object_items(&self, o: &he::Object) -> Box<[(ObjectKey, Expr)]> {
        if o.overridden().is_empty() {
            // Sized exactly, in one allocation (the common case).
            return o
                .iter()
                .map(|(k, v)| (self.object_key(k), self.expr(v.expr())))
                .collect();
        }
        let mut items: Vec<(usize, ObjectKey, Expr)> = o
            .iter()
            .chain(o.overridden().iter().map(|(k, v)| (k, v)))
            .map(|(k, v)| {
                let at = k.span().map_or(0, |r| r.start);
                (at, self.object_key(k), self.expr(v.expr()))
            })
            .collect();
        items.sort_by_key(|(at, _, _)| *at);
        items.into_iter().map(|(_, k, v)| (k, v)).collect()
    }

    fn object_key(&self, k: &he::ObjectKey) -> ObjectKey {
        match k {
            he::ObjectKey::Ident(i) => ObjectKey::Ident(intern(i.as_str()), self.span(i.span())),
            // `"key" = v` is a literal key; `(var.k) = v` is evaluated.
            he::ObjectKey::Expression(Expression::String(s)) => {
                ObjectKey::Ident(intern(s.value().as_str()), self.span(s.span()))
            }
            he::ObjectKey::Expression(other) => ObjectKey::Expr(self.expr(other)),
        }
    }

    /// Template elements, with `~` strip markers applied to the neighbouring literals.
    pub fn template_parts(&self, t: &ht::Template) -> Vec<TemplatePart> {
        // One part per element: sized exactly, so that boxing it does not reallocate.
        // Read by index: hcl-edit's `iter` is a boxed iterator (an allocation per template).
        let mut parts: Vec<TemplatePart> = Vec::with_capacity(t.len());
        let mut strip_next = false;
        for el in (0..t.len()).filter_map(|i| t.get(i)) {
            match el {
                ht::Element::Literal(l) => {
                    let mut s: &str = l.value();
                    if strip_next {
                        s = s.trim_start();
                    }
                    parts.push(TemplatePart::Literal(Arc::from(s)));
                    strip_next = false;
                }
                ht::Element::Interpolation(i) => {
                    if i.strip.strip_start() {
                        strip_last_literal(&mut parts);
                    }
                    parts.push(TemplatePart::Interpolation(self.expr(&i.expr)));
                    strip_next = i.strip.strip_end();
                }
                ht::Element::Directive(d) => match d.as_ref() {
                    ht::Directive::If(dir) => {
                        if dir.if_expr.strip.strip_start() {
                            strip_last_literal(&mut parts);
                        }
                        parts.push(TemplatePart::If(Box::new(TemplateIf {
                            cond: self.expr(&dir.if_expr.cond_expr),
                            then: self.template_parts(&dir.if_expr.template).into(),
                            otherwise: dir
                                .else_expr
                                .as_ref()
                                .map(|e| self.template_parts(&e.template))
                                .unwrap_or_default()
                                .into(),
                        })));
                        strip_next = dir.endif_expr.strip.strip_end();
                    }
                    ht::Directive::For(dir) => {
                        if dir.for_expr.strip.strip_start() {
                            strip_last_literal(&mut parts);
                        }
                        parts.push(TemplatePart::For(Box::new(TemplateFor {
                            key_var: dir.for_expr.key_var.as_ref().map(|k| intern(k.as_str())),
                            value_var: intern(dir.for_expr.value_var.as_str()),
                            collection: self.expr(&dir.for_expr.collection_expr),
                            body: self.template_parts(&dir.for_expr.template).into(),
                        })));
                        strip_next = dir.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
        parts
    }
}

fn strip_last_literal(parts: &mut [TemplatePart]) {
    if let Some(TemplatePart::Literal(s)) = parts.last_mut() {
        *s = Arc::from(s.trim_end());
    }
}

/// A template of one literal is a plain string.
fn template_kind(parts: Vec<TemplatePart>) -> ExprKind {
    match parts.as_slice() {
        [] => ExprKind::Str(intern("")),
        [TemplatePart::Literal(s)] => ExprKind::Str(s.clone()),
        _ => ExprKind::Template(parts.into()),
    }
}

/// Parse an HCL file into hcl-edit's body, as an ER001-ready error on failure.
pub fn parse(text: &str) -> Result<hs::Body, ParseFailure> {
    hcl_edit::parser::parse_body_spanned(text).map_err(|e| ParseFailure {
        offset: e.location().offset(),
        message: e.message().to_string(),
    })
}

/// Parse `text` as an HCL body, with the byte ranges of its comments.
pub fn parse_with_comments(
    text: &str,
) -> Result<(hs::Body, Vec<std::ops::Range<usize>>), ParseFailure> {
    hcl_edit::parser::parse_body_with_comments(text).map_err(|e| ParseFailure {
        offset: e.location().offset(),
        message: e.message().to_string(),
    })
}

/// Parse the content of a `.tf.json` string as a template; offsets relative to `base`.
pub fn parse_template(
    file: FileId,
    base: usize,
    text: &str,
    whole: Span,
) -> Result<Expr, ParseFailure> {
    let t = hcl_edit::parser::parse_template(text).map_err(|e| ParseFailure {
        offset: e.location().offset(),
        message: e.message().to_string(),
    })?;
    let conv = Conv {
        file,
        base,
        fallback: whole,
    };
    Ok(Expr::new(template_kind(conv.template_parts(&t)), whole))
}

/// A syntax error: byte offset into the parsed text and hcl-edit's message.
#[derive(Debug, Clone)]
pub struct ParseFailure {
    pub offset: usize,
    pub message: String,
}

/// erlint's binary operator for hcl-edit's.
fn binary_op(op: &he::BinaryOperator) -> BinaryOp {
    use he::BinaryOperator as B;
    match op {
        B::Eq => BinaryOp::Eq,
        B::NotEq => BinaryOp::NotEq,
        B::LessEq => BinaryOp::LessEq,
        B::GreaterEq => BinaryOp::GreaterEq,
        B::Less => BinaryOp::Less,
        B::Greater => BinaryOp::Greater,
        B::Plus => BinaryOp::Add,
        B::Minus => BinaryOp::Sub,
        B::Mul => BinaryOp::Mul,
        B::Div => BinaryOp::Div,
        B::Mod => BinaryOp::Mod,
        B::And => BinaryOp::And,
        B::Or => BinaryOp::Or,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv_body(src: &str) -> Body {
        let body = parse(src).unwrap();
        Conv::new(FileId(0)).body(&body)
    }

    #[test]
    fn spans_point_into_the_text() {
        let src = "resource \"a\" \"b\" {\n  x = \"${var.p}-er\"\n  y = 1\n}\n";
        let body = conv_body(src);
        let b = &body.blocks[0];
        assert_eq!(&src[b.header.range()], "resource \"a\" \"b\"");
        let x = b.body.attr("x").unwrap();
        assert_eq!(&src[x.expr.span.range()], "\"${var.p}-er\"");
        let ExprKind::Template(parts) = &x.expr.kind else {
            panic!("{:?}", x.expr.kind)
        };
        let TemplatePart::Interpolation(e) = &parts[0] else {
            panic!()
        };
        assert_eq!(&src[e.span.range()], "var.p");
    }

    #[test]
    fn strip_markers_trim_literals() {
        let src = "x = \"a  ${~ \"b\" ~}  c\"\n";
        let body = conv_body(src);
        let ExprKind::Template(parts) = &body.attrs[0].expr.kind else {
            panic!()
        };
        let lits: Vec<_> = parts
            .iter()
            .filter_map(|p| {
                if let TemplatePart::Literal(s) = p {
                    Some(s.to_string())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(lits, ["a", "c"]);
    }

    #[test]
    fn repeated_object_keys_keep_every_item_in_source_order() {
        let src =
            "locals {\n  x = { team = \"a\", other = 1, \"team\" = \"b\"\n    team = \"c\" }\n}\n";
        let body = conv_body(src);
        let x = body.blocks[0].body.attr("x").unwrap();
        let ExprKind::Object(items) = &x.expr.kind else {
            panic!("{:?}", x.expr.kind)
        };
        let seen: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|(k, v)| {
                (
                    k.literal().unwrap(),
                    &src[k.span().range()],
                    &src[v.span.range()],
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("team", "team", "\"a\""),
                ("other", "other", "1"),
                ("team", "\"team\"", "\"b\""),
                ("team", "team", "\"c\""),
            ]
        );
    }

    #[test]
    fn repeated_attributes_in_a_body_stay_errors() {
        assert!(parse("a = 1\na = 2\n").is_err());
        assert!(parse("resource \"x\" \"y\" {\n  a = 1\n  a = 2\n}\n").is_err());
    }

    #[test]
    fn parse_errors_have_offsets() {
        let err = parse("resource \"a\" \"b\" {\n  x = \n").unwrap_err();
        assert!(err.offset > 0);
    }
}

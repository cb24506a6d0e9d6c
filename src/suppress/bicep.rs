//! Suppression comments in Bicep files: the comments the Bicep parser keeps, and the
//! declarations, properties, nested resources and array elements they can cover.

use super::{Comment, Item};
use crate::bicep::ast::{ArrayItem, Body, Expr, ExprKind, Object, ObjectItem, StatementKind};
use crate::bicep::{BicepFile, FileKind};
use crate::source::FileId;

/// The comments holding `erlint-ignore`, and the items of the file, sorted as the
/// directive matching expects (by start, outermost first). A file that does not parse
/// has neither (its ER001 is reported).
pub(super) fn comments_and_items(file: FileId, text: &str) -> (Vec<Comment>, Vec<Item>) {
    // Whichever grammar the file is written in (`.bicep` or `.bicepparam`).
    let parsed = crate::bicep::parse(text, file, FileKind::Template)
        .or_else(|_| crate::bicep::parse(text, file, FileKind::Params));
    let Ok(ast) = parsed else {
        return (Vec::new(), Vec::new());
    };
    (comments(text, &ast), items(&ast))
}

fn comments(text: &str, ast: &BicepFile) -> Vec<Comment> {
    let mut out = Vec::new();
    for c in &ast.comments {
        let (start, end) = (c.span.start as usize, c.span.end as usize);
        let Some(body) = text.get(start..end) else {
            continue;
        };
        let Some(key) = body.find("erlint-ignore") else {
            continue;
        };
        let line_start = text
            .get(..start)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let before = text.get(line_start..start).unwrap_or("");
        // A block comment is read to the end of its first line, as in the other languages.
        let end = body.find('\n').map_or(end, |i| start + i).min(end);
        let end = text
            .get(..end)
            .map_or(end, |s| s.trim_end_matches(['\r', ' ', '\t']).len());
        out.push(Comment {
            start,
            end,
            own_line: before.trim().is_empty(),
            key: start + key,
        });
    }
    out
}

fn items(ast: &BicepFile) -> Vec<Item> {
    let mut out = Vec::new();
    for s in &ast.statements {
        let container = matches!(
            s.kind,
            StatementKind::Resource(_) | StatementKind::Module(_)
        );
        out.push(Item {
            span: s.span,
            container,
        });
        match &s.kind {
            StatementKind::Resource(r) => body(&r.body, &mut out),
            StatementKind::Module(m) => body(&m.body, &mut out),
            StatementKind::Var(v) => expr(&v.value, &mut out),
            StatementKind::Param(p) => {
                if let Some(d) = &p.default {
                    expr(d, &mut out);
                }
            }
            StatementKind::ParamValue(p) => {
                if let Some(v) = &p.value {
                    expr(v, &mut out);
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|i| (i.span.start, std::cmp::Reverse(i.span.end)));
    out
}

fn body(b: &Body, out: &mut Vec<Item>) {
    object(b.object(), out);
}

fn object(o: &Object, out: &mut Vec<Item>) {
    for item in &o.items {
        match item {
            ObjectItem::Property(p) => {
                out.push(Item {
                    span: p.span,
                    container: matches!(p.value.kind, ExprKind::Object(_)),
                });
                expr(&p.value, out);
            }
            ObjectItem::Resource(n) => {
                out.push(Item {
                    span: n.span,
                    container: true,
                });
                body(&n.resource.body, out);
            }
            ObjectItem::Spread(_) => {}
        }
    }
}

fn expr(e: &Expr, out: &mut Vec<Item>) {
    match &e.kind {
        ExprKind::Object(o) => object(o, out),
        ExprKind::Array(items) => {
            for i in items {
                if let ArrayItem::Value(v) = i {
                    out.push(Item {
                        span: v.span,
                        container: matches!(v.kind, ExprKind::Object(_)),
                    });
                    expr(v, out);
                }
            }
        }
        ExprKind::For(f) => expr(&f.body, out),
        _ => {}
    }
}

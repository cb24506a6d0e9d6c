//! Suppression sites of a Bicep file (see [`crate::source::sites`]): the comments the
//! Bicep parser keeps, and the declarations, properties, nested resources and array
//! elements they can cover.

use super::ast::{ArrayItem, Body, Expr, ExprKind, Object, ObjectItem, StatementKind};
use super::{BicepFile, FileKind};
use crate::source::FileId;
use crate::source::sites::{CommentSite, Item, Sites};

/// The sites of a `.bicep` or `.bicepparam` file. A file that does not parse has none
/// (its ER001 is reported).
pub fn of_text(file: FileId, text: &str) -> Sites {
    // Whichever grammar the file is written in (`.bicep` or `.bicepparam`).
    let parsed = super::parse(text, file, FileKind::Template)
        .or_else(|_| super::parse(text, file, FileKind::Params));
    let Ok(ast) = parsed else {
        return Sites::default();
    };
    Sites {
        comments: comments(text, &ast),
        items: items(&ast),
        ..Sites::default()
    }
}

fn comments(text: &str, ast: &BicepFile) -> Vec<CommentSite> {
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
        out.push(CommentSite {
            start,
            end,
            own_line: before.trim().is_empty(),
            key: start + key,
            holder: None,
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

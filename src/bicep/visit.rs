//! Visiting every expression of a file (to find `load*()` calls before evaluation).

use super::ast::{ArrayItem, Body, ExprKind, Object, ObjectItem, Statement, StatementKind};
use super::ast::{BicepFile, Expr};

/// Call `f` on every expression of `file`, outermost first (decorators included).
pub fn exprs(file: &BicepFile, f: &mut dyn FnMut(&Expr)) {
    let mut v = Visitor { f, depth: 0 };
    for s in &file.statements {
        v.statement(s);
    }
}

struct Visitor<'f> {
    f: &'f mut dyn FnMut(&Expr),
    depth: u32,
}

impl Visitor<'_> {
    fn statement(&mut self, s: &Statement) {
        for d in &s.decorators {
            self.expr(&d.expr);
        }
        match &s.kind {
            StatementKind::TargetScope(e) => self.expr(e),
            StatementKind::Metadata(m) => self.expr(&m.value),
            StatementKind::Param(p) => {
                if let Some(d) = &p.default {
                    self.expr(d);
                }
            }
            StatementKind::Var(v) => self.expr(&v.value),
            StatementKind::Func(f) => self.expr(&f.body),
            StatementKind::Resource(r) => self.body(&r.body),
            StatementKind::Module(m) => self.body(&m.body),
            StatementKind::Output(o) => self.expr(&o.value),
            StatementKind::Assert(a) => self.expr(&a.value),
            StatementKind::ParamValue(p) => {
                if let Some(v) = &p.value {
                    self.expr(v);
                }
            }
            StatementKind::Extension(e) => {
                if let Some(c) = &e.config {
                    self.object(c);
                }
            }
            StatementKind::ExtensionConfig(c) => self.object(&c.config),
            StatementKind::Test(t) => self.object(&t.body),
            StatementKind::Using(u) => {
                if let Some(c) = &u.config {
                    self.object(c);
                }
            }
            StatementKind::Type(_) | StatementKind::Import(_) | StatementKind::Extends(_) => {}
        }
    }

    fn body(&mut self, b: &Body) {
        match b {
            Body::Object(o) => self.object(o),
            Body::If(i) => {
                self.expr(&i.condition);
                self.object(&i.object);
            }
            Body::For(f) => {
                self.expr(&f.iterable);
                if let Some(c) = &f.filter {
                    self.expr(c);
                }
                self.object(&f.object);
            }
        }
    }

    fn object(&mut self, o: &Object) {
        for item in &o.items {
            match item {
                ObjectItem::Property(p) => self.expr(&p.value),
                ObjectItem::Spread(s) => self.expr(&s.value),
                ObjectItem::Resource(n) => {
                    for d in &n.decorators {
                        self.expr(&d.expr);
                    }
                    self.body(&n.resource.body);
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        // The parser bounds nesting; this guard only keeps the visitor's own stack small.
        if self.depth > 2 * super::MAX_DEPTH as u32 {
            return;
        }
        self.depth += 1;
        (self.f)(e);
        match &e.kind {
            ExprKind::Str(s) => {
                for h in &s.holes {
                    self.expr(h);
                }
            }
            ExprKind::Array(items) => {
                for i in items {
                    match i {
                        ArrayItem::Value(v) => self.expr(v),
                        ArrayItem::Spread(s) => self.expr(&s.value),
                    }
                }
            }
            ExprKind::Object(o) => self.object(o),
            ExprKind::Call(c) => {
                if let Some(t) = &c.target {
                    self.expr(t);
                }
                for a in &c.args {
                    self.expr(a);
                }
            }
            ExprKind::Member { target, .. } | ExprKind::ResourceAccess { target, .. } => {
                self.expr(target)
            }
            ExprKind::Index { target, index, .. } => {
                self.expr(target);
                self.expr(index);
            }
            ExprKind::NonNull(x) | ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Ternary(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            ExprKind::Lambda(l) => self.expr(&l.body),
            ExprKind::For(f) => {
                self.expr(&f.iterable);
                self.expr(&f.body);
            }
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Var(_) => {}
        }
        self.depth -= 1;
    }
}

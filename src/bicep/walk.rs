//! Declarations → model resources: resources (nested children with relative types,
//! `parent:`, `existing`, `if (…)` conditions, `[for …]` loops with an index and a
//! filter), inline peerings and authorizations of a circuit, and modules (local Bicep
//! files, ARM templates, registry modules), each instance with its call chain and the
//! deployment scope it lands in.
//!
//! Addresses are those of the compiled template (`type/full name`, `[i]` per loop
//! instance), so that a `.bicep` file and its `main.json` name resources alike. As in
//! `bicep build`'s classic output, `existing` resources are not deployed and are not
//! model resources: a child declared under one (or with it as `parent:`) names its
//! parent by name.

use super::ast::{Body, Expr, ExprKind, Module, Object, ObjectItem};
use super::eval::{Ctx, Eval, Supplied, Sym};
use super::limits;
use super::load::ModuleTarget;
use super::unevaluated;
use crate::arm::Named;
use crate::diagnostic::Label;
use crate::model::schema::kind_from_arm;
use crate::model::value::{format_number, is_symbolic};
use crate::model::{
    ArmScope, Dialect, Existence, Kind, Model, ParentRef, Resource, SubscriptionValue, Val, ValKind,
};
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};

/// Where declarations are deployed: the scope, the module calls on the way.
#[derive(Clone)]
pub struct Site {
    pub scope: ArmScope,
    pub names_sub: bool,
    pub names_rg: bool,
    pub context: Vec<Label>,
    pub scopes: Vec<Span>,
    pub exists: Existence,
    /// Module calls on the way.
    pub depth: u32,
    /// Loop indexes of enclosing modules, appended to addresses (`[1]`).
    pub suffix: String,
    /// The Bicep files of the module calls on the way (a file calling itself is a cycle).
    pub files: Vec<FileId>,
}

impl Site {
    pub fn root(scope: ArmScope, file: FileId) -> Site {
        Site {
            scope,
            names_sub: false,
            names_rg: false,
            context: Vec::new(),
            scopes: Vec::new(),
            exists: Existence::Yes,
            depth: 0,
            suffix: String::new(),
            files: vec![file],
        }
    }
}

/// One resource instance, as its nested children see it.
struct ParentInst<'a> {
    /// The full name, as shown and as references know it (Known, or with symbols).
    names: Named,
    key: Key,
    exists: Existence,
    suffix: String,
    ctx: Ctx<'a>,
}

/// A resource instance: scope, declaration, address suffix.
type Key = (usize, usize, String);

/// One instance of a resource or module declaration.
struct Inst<'a> {
    ctx: Ctx<'a>,
    exists: Existence,
    suffix: String,
    /// The loop index, when the declaration is a loop with known items.
    index: Option<usize>,
}

pub struct Walker<'e, 'a> {
    ev: &'e mut Eval<'a>,
    param_file: Option<FileId>,
    pub model: Model,
    placed: HashMap<Key, usize>,
    /// Model resources whose parent is the resource instance `Key`.
    pending: Vec<(usize, Key)>,
    notes_seen: HashSet<(FileId, u32)>,
    subs_seen: HashSet<(u32, String)>,
    full: bool,
}

fn and_exists(a: &Existence, b: Existence) -> Existence {
    match a {
        Existence::Unknown(_) => a.clone(),
        Existence::Yes => b,
    }
}

/// A resource's parent named by the first segment of its `parent/child` name as
/// references know it (Known, or with symbols), for a kind that has one.
fn named_parent(kind: Kind, key_name: Option<&str>) -> Option<ParentRef> {
    wanted_parent(kind)?;
    let full_name = key_name.filter(|n| n.contains('/'))?;
    Some(ParentRef::Name {
        name: full_name.split('/').next().unwrap_or("").to_string(),
        resource_group: None,
    })
}

/// The kinds that hang off a circuit, port or route filter, and which.
fn wanted_parent(kind: Kind) -> Option<Kind> {
    match kind {
        k if k.is_circuit_child() => Some(Kind::Circuit),
        Kind::PortAuthorization => Some(Kind::Port),
        Kind::RouteFilterRule => Some(Kind::RouteFilter),
        _ => None,
    }
}

impl<'e, 'a> Walker<'e, 'a> {
    pub fn new(ev: &'e mut Eval<'a>, param_file: Option<FileId>) -> Walker<'e, 'a> {
        Walker {
            ev,
            param_file,
            model: Model::default(),
            placed: HashMap::new(),
            pending: Vec::new(),
            notes_seen: HashSet::new(),
            subs_seen: HashSet::new(),
            full: false,
        }
    }

    /// The finished model: parents linked.
    pub fn finish(mut self) -> Model {
        for (child, key) in std::mem::take(&mut self.pending) {
            let Some(&parent) = self.placed.get(&key) else {
                continue;
            };
            let Some(want) = self
                .model
                .resources
                .get(child)
                .and_then(|r| wanted_parent(r.kind))
            else {
                continue;
            };
            // A circuit connection is declared under a peering: its circuit is above.
            let mut at = parent;
            for _ in 0..3 {
                match self.model.resources.get(at) {
                    Some(r) if r.kind == want => break,
                    Some(r) => match r.parent_ref {
                        Some(ParentRef::Index(up)) => at = up,
                        _ => break,
                    },
                    None => break,
                }
            }
            if let Some(r) = self.model.resources.get_mut(child)
                && at != child
            {
                r.parent_ref = Some(ParentRef::Index(at));
            }
        }
        let mut model = self.model;
        model.link();
        model
    }

    fn file_text(&self, file: FileId) -> &'a str {
        self.ev.db.text(file).unwrap_or("")
    }

    /// A value as address text: Known scalars as they are, else the expression in brackets.
    fn name_text(&self, v: &Val, e: Option<&Expr>) -> String {
        match &v.kind {
            ValKind::Str(s) => s.to_string(),
            ValKind::Number(n) => format_number(*n),
            _ => match e {
                Some(e) => {
                    let text = self.file_text(e.span.file);
                    format!("[{}]", text.get(e.span.range()).unwrap_or("unknown"))
                }
                None => "[unknown]".into(),
            },
        }
    }

    /// The declarations of scope `scope` (a template or a module instance).
    pub fn template(&mut self, site: &Site, scope: usize) {
        let Some(d) = self.ev.decls_of(scope) else {
            return;
        };
        let ctx = Ctx::new(scope);
        let tops: Vec<usize> = d.children(None).collect();
        let mut next_top = tops.into_iter();
        for s in &d.ast.statements {
            match &s.kind {
                super::ast::StatementKind::Resource(_) => {
                    if let Some(i) = next_top.next() {
                        self.resource(site, &ctx, scope, i, None);
                    }
                }
                super::ast::StatementKind::Module(m) => self.module(site, &ctx, m, s.span),
                _ => {}
            }
        }
    }

    /// The instances of a declaration body: one, none (a false condition), one per loop
    /// item, or one whose existence is Unknown.
    fn instances(
        &mut self,
        ctx: &Ctx<'a>,
        body: &'a Body,
        exists: Existence,
        suffix: &str,
    ) -> Vec<Inst<'a>> {
        let one = |ctx: Ctx<'a>, exists: Existence| Inst {
            ctx,
            exists,
            suffix: suffix.to_string(),
            index: None,
        };
        match body {
            Body::Object(_) => vec![one(ctx.clone(), exists)],
            Body::If(i) => match self.condition(ctx, &i.condition, exists) {
                Some(e) => vec![one(ctx.clone(), e)],
                None => Vec::new(),
            },
            Body::For(f) => {
                let items = self.ev.expr(ctx, &f.iterable);
                let list = match &items.kind {
                    ValKind::List(l) if l.len() <= limits::MAX_LOOP => l.clone(),
                    other => {
                        let why = match other {
                            ValKind::Unknown(u) => {
                                format!("the items of its loop are not known ({})", u.reason)
                            }
                            ValKind::List(l) => format!(
                                "its loop has {} items, more than Azure's limit of {}",
                                l.len(),
                                limits::MAX_LOOP
                            ),
                            _ => format!("its loop is over a {}", items.type_name()),
                        };
                        let unknown = Val::unknown(why.clone(), Some(f.iterable.span));
                        let mut c = ctx.with(&f.item.name, unknown.clone());
                        if let Some(ix) = &f.index {
                            c = c.with(&ix.name, unknown);
                        }
                        let exists = and_exists(&exists, Existence::Unknown(why));
                        let exists = match &f.filter {
                            Some(cond) => match self.condition(&c, cond, exists) {
                                Some(e) => e,
                                None => return Vec::new(),
                            },
                            None => exists,
                        };
                        return vec![one(c, exists)];
                    }
                };
                let mut out = Vec::with_capacity(list.len());
                for (k, item) in list.iter().enumerate() {
                    let mut c = ctx.with(&f.item.name, item.clone());
                    if let Some(ix) = &f.index {
                        c = c.with(&ix.name, Val::number(k as f64, Some(ix.span)));
                    }
                    let e = match &f.filter {
                        Some(cond) => match self.condition(&c, cond, exists.clone()) {
                            Some(e) => e,
                            None => continue,
                        },
                        None => exists.clone(),
                    };
                    out.push(Inst {
                        ctx: c,
                        exists: e,
                        suffix: format!("{suffix}[{k}]"),
                        index: Some(k),
                    });
                }
                out
            }
        }
    }

    /// `if (cond)`: `None` when false, else the existence.
    fn condition(&mut self, ctx: &Ctx<'a>, cond: &'a Expr, exists: Existence) -> Option<Existence> {
        let v = self.ev.expr(ctx, cond);
        match &v.kind {
            ValKind::Bool(false) => None,
            ValKind::Bool(true) => Some(exists),
            ValKind::Unknown(u) => Some(and_exists(
                &exists,
                Existence::Unknown(format!("its condition is not known ({})", u.reason)),
            )),
            _ => Some(and_exists(
                &exists,
                Existence::Unknown("its condition is not a boolean".into()),
            )),
        }
    }

    fn resource(
        &mut self,
        site: &Site,
        ctx: &Ctx<'a>,
        scope: usize,
        decl: usize,
        parent: Option<&ParentInst<'a>>,
    ) {
        let Some(d) = self.ev.decls_of(scope) else {
            return;
        };
        let Some(r) = d.resources.get(decl).copied() else {
            return;
        };
        let Some((full_type, _)) = self.ev.decl_type(&d, decl) else {
            return;
        };
        let kind = kind_from_arm(&full_type);
        let children: Vec<usize> = d.children(Some(decl)).collect();
        let existing = r.res.existing.is_some();
        let deployment = !existing && unevaluated::is_deployment(&full_type);
        if kind.is_none() && children.is_empty() && !deployment {
            return;
        }
        let base_exists = match parent {
            Some(p) => and_exists(&site.exists, p.exists.clone()),
            None => site.exists.clone(),
        };
        let suffix_base = parent.map_or(site.suffix.as_str(), |p| p.suffix.as_str());
        let ctx = parent.map_or(ctx, |p| &p.ctx).clone();
        let obj = r.res.body.object();
        for inst in self.instances(&ctx, &r.res.body, base_exists, suffix_base) {
            if self.model.resources.len() >= limits::MAX_RESOURCES {
                self.limit(r.res.header);
                return;
            }
            let (name, names, parent_key) =
                self.instance_names(&inst.ctx, obj, r.res.header, parent, site);
            let key: Key = (scope, decl, inst.suffix.clone());
            let address = format!("{full_type}/{}{}", names.display, inst.suffix);
            if deployment {
                self.deployment(site, &inst.ctx, obj, r.extent, address.clone());
            }
            if let Some(kind) = kind
                && !existing
            {
                let parent_ref = named_parent(kind, names.key.as_deref());
                let body = self.body(&inst.ctx, obj, &name, kind);
                self.body_gap(site, &body, r.res.header, r.extent, &address);
                let idx = self.model.resources.len();
                self.model.resources.push(Resource {
                    exists: inst.exists.clone(),
                    parent_ref,
                    alias: crate::arm::alias(&full_type, names.key.as_deref()),
                    ..self.site_resource(site, kind, address, r.res.header, r.extent, body)
                });
                self.placed.insert(key.clone(), idx);
                match kind {
                    Kind::Peering => {
                        self.peering_connections(idx, obj, &names, &inst.suffix, &parent_key);
                    }
                    _ => self.inline_children(idx, obj, &names, &inst.suffix),
                }
                if let Some(pk) = parent_key {
                    self.pending.push((idx, pk));
                }
            }
            if !children.is_empty() {
                let me = ParentInst {
                    names,
                    key,
                    exists: inst.exists.clone(),
                    suffix: inst.suffix.clone(),
                    ctx: inst.ctx.clone(),
                };
                for c in &children {
                    self.resource(site, &inst.ctx, scope, *c, Some(&me));
                }
            }
        }
    }

    /// An instance's name; its full name as shown and as references know it, under its
    /// parent's (the resource it is declared in, or its `parent:`); and its parent's
    /// instance, when it has one.
    fn instance_names(
        &mut self,
        ctx: &Ctx<'a>,
        obj: &'a Object,
        header: Span,
        parent: Option<&ParentInst<'a>>,
        site: &Site,
    ) -> (Val, Named, Option<Key>) {
        let (parent_name, parent_key) = match parent {
            Some(p) => (
                Some(Named {
                    display: p.names.display.clone(),
                    key: p.names.key.clone(),
                }),
                Some(p.key.clone()),
            ),
            None => self.parent_property(ctx, obj, site),
        };
        let (name, name_str) = self.resource_name(ctx, obj, header);
        let own_key = name.name_text().map(|n| n.into_owned());
        let names = match parent_name {
            Some(p) => Named {
                display: format!("{}/{name_str}", p.display),
                key: p.key.zip(own_key).map(|(p, n)| format!("{p}/{n}")),
            },
            None => Named {
                display: name_str,
                key: own_key,
            },
        };
        (name, names, parent_key)
    }

    /// A resource instance's `name`: its value and its text.
    fn resource_name(&mut self, ctx: &Ctx<'a>, obj: &'a Object, header: Span) -> (Val, String) {
        let name_expr = obj.get("name", false).map(|p| &p.value);
        let name = match name_expr {
            Some(e) => self.ev.expr(ctx, e),
            None => Val::unknown("the resource has no name", Some(header)),
        };
        let name_str = self.name_text(&name, name_expr);
        (name, name_str)
    }

    /// A resource's `parent:` property, when it has one: the parent's full name and
    /// instance.
    fn parent_property(
        &mut self,
        ctx: &Ctx<'a>,
        obj: &'a Object,
        site: &Site,
    ) -> (Option<Named>, Option<Key>) {
        match obj.get("parent", false) {
            Some(pp) => self.explicit_parent(ctx, &pp.value, site),
            None => (None, None),
        }
    }

    /// The evaluated body of a resource of `kind` named `name`, without what only steers
    /// the deployment.
    fn body(&mut self, ctx: &Ctx<'a>, obj: &'a Object, name: &Val, kind: Kind) -> Val {
        let mut body = self
            .ev
            .object_without(ctx, obj, &["name", "parent", "scope", "dependsOn"]);
        if let ValKind::Object(o) = &mut body.kind {
            std::sync::Arc::make_mut(o).insert("name", name.clone());
        }
        if kind == Kind::Circuit {
            crate::arm::sku_from_name(&mut body);
        }
        body
    }

    /// ER006 when the body, or its `properties`, of the resource at `address` cannot be
    /// evaluated.
    fn body_gap(&mut self, site: &Site, body: &Val, header: Span, extent: Span, address: &str) {
        let Some((part, u)) = unevaluated::body_gap(body) else {
            return;
        };
        let at = part.span.unwrap_or(header);
        let message = format!(
            "the {} of `{address}` cannot be evaluated ({}): the resource was not checked",
            if part.span == body.span {
                "body"
            } else {
                "`properties`"
            },
            u.reason
        );
        let help = "write the values in the Bicep file, or read them with `loadJsonContent()`, which erlint evaluates";
        self.not_evaluated(site, at, extent, message, help, address.to_string());
    }

    /// A model resource with what the deployment site says about it.
    fn site_resource(
        &self,
        site: &Site,
        kind: Kind,
        address: String,
        header: Span,
        extent: Span,
        body: Val,
    ) -> Resource {
        Resource {
            context: site.context.clone(),
            scopes: site.scopes.clone(),
            parameter_file: self.param_file,
            arm_scope: Some(site.scope),
            names_subscription: site.names_sub,
            names_resource_group: site.names_rg,
            nested: site.depth,
            ..Resource::new(kind, Dialect::BICEP, address, header, extent, body)
        }
    }

    /// `parent: circuit` (or `circuits[i]`, `circuit::child`): the parent's full name and
    /// instance.
    fn explicit_parent(
        &mut self,
        ctx: &Ctx<'a>,
        e: &'a Expr,
        site: &Site,
    ) -> (Option<Named>, Option<Key>) {
        let Some(sym) = self.ev.sym_of(ctx, e) else {
            return (None, None);
        };
        let segments = self.ev.sym_name_segments(&sym);
        // Each segment as the parent's own address shows it: Known, else the expression
        // its name is written with (`[hubName]`).
        let shown: Vec<String> = segments
            .iter()
            .map(|v| match &v.kind {
                ValKind::Str(s) => s.to_string(),
                ValKind::Number(n) => format_number(*n),
                _ => v
                    .span
                    .and_then(|s| self.file_text(s.file).get(s.range()))
                    .map_or_else(|| "[unknown]".to_string(), |t| format!("[{t}]")),
            })
            .collect();
        let key: Option<Vec<_>> = segments.iter().map(Val::name_text).collect();
        let name = Some(Named {
            display: shown.join("/"),
            key: key.map(|k| k.join("/")),
        });
        let key = match &sym {
            Sym::Res { scope, decl, index } => {
                let suffix = match index.as_ref().map(|i| &i.kind) {
                    None => Some(site.suffix.clone()),
                    Some(ValKind::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
                        Some(format!("{}[{}]", site.suffix, *n as usize))
                    }
                    Some(_) => None,
                };
                // A nested parent carries its own parent's suffix: only top-level ones
                // (the common case) are matched by instance.
                suffix.map(|s| (*scope, *decl, s))
            }
            Sym::Module { .. } => None,
        };
        (name, key)
    }

    /// The resources written inside resource `holder` ([`Kind::inline_children`]: a
    /// circuit's inline `properties.peerings[]` and `properties.authorizations[]`, a
    /// virtual network's `properties.subnets[]`), each its own resource; header: the
    /// element's `name:` (or the element, or the attribute when the list comes from
    /// elsewhere).
    fn inline_children(&mut self, holder: usize, obj: &'a Object, names: &Named, suffix: &str) {
        let Some(c) = self
            .model
            .resources
            .get(holder)
            .filter(|c| !c.kind.inline_children().is_empty())
            .cloned()
        else {
            return;
        };
        let holder_type = c
            .kind
            .type_name(crate::model::Schema::Arm)
            .unwrap_or_default();
        for &(attr, kind) in c.kind.inline_children() {
            let Some(list) = c.body.property(attr) else {
                continue;
            };
            let address = Named {
                display: format!("{holder_type}/{attr}/{}", names.display),
                key: (names.key.as_deref()).map(|k| format!("{holder_type}/{attr}/{k}")),
            };
            let parent = kind.is_circuit_child().then_some(ParentRef::Index(holder));
            self.inline_list(parent, &c, obj, list, kind, (&address, suffix));
        }
    }

    /// A peering resource's own inline `properties.connections[]` (Global Reach): each a
    /// resource under the peering's circuit, found as the peering's is (its `parent:` or
    /// enclosing resource, `parent_key`, when it has one).
    fn peering_connections(
        &mut self,
        peering: usize,
        obj: &'a Object,
        names: &Named,
        suffix: &str,
        parent_key: &Option<Key>,
    ) {
        let Some(p) = self.model.resources.get(peering).cloned() else {
            return;
        };
        let Some(list) = p.body.property("connections") else {
            return;
        };
        let prefix = "Microsoft.Network/expressRouteCircuits/peerings/connections";
        let address = Named {
            display: format!("{prefix}/{}", names.display),
            key: names.key.as_deref().map(|k| format!("{prefix}/{k}")),
        };
        let first = self.model.resources.len();
        let kind = Kind::CircuitConnection;
        self.inline_list(
            p.parent_ref.clone(),
            &p,
            obj,
            list,
            kind,
            (&address, suffix),
        );
        if let Some(pk) = parent_key {
            for idx in first..self.model.resources.len() {
                self.pending.push((idx, pk.clone()));
            }
        }
    }

    /// The elements of one inline list of resource `c` (a circuit or a peering, declared
    /// as `obj`), each a resource of `kind` named `{address}/{name}{suffix}` whose circuit
    /// is `parent`; a peering's own inline `properties.connections[]` (Global Reach)
    /// become resources too, under the same circuit.
    fn inline_list(
        &mut self,
        parent: Option<ParentRef>,
        c: &Resource,
        obj: &'a Object,
        list: &Val,
        kind: Kind,
        (address, suffix): (&Named, &str),
    ) {
        let Some(items) = list.as_list() else {
            return;
        };
        let attr_span = list
            .span
            .filter(|s| c.extent.contains(*s))
            .unwrap_or(c.header);
        for el in items.iter() {
            if el.as_object().is_none() || self.model.resources.len() >= limits::MAX_RESOURCES {
                continue;
            }
            let (header, extent) = match el.span.filter(|s| c.extent.contains(*s)) {
                Some(s) => match object_at(obj, s) {
                    Some(o) => (o.get("name", true).map_or(s, |p| p.span), s),
                    None => (s, s),
                },
                None => (attr_span, attr_span),
            };
            let name = el.get_ci("name");
            let pname = match name.map(|n| &n.kind) {
                Some(ValKind::Str(s)) => s.to_string(),
                _ => "[unknown]".into(),
            };
            // The element's name as references know it, under its holder's.
            let key = address.key.as_deref().zip(name.and_then(Val::name_text));
            let own = format!("{}/{pname}{suffix}", address.display);
            let child = Resource {
                alias: key
                    .as_ref()
                    .map(|(a, n)| format!("{a}/{n}"))
                    .filter(|k| is_symbolic(k)),
                ..c.inline_child(kind, own, (header, extent), el.clone(), parent.clone())
            };
            self.model.resources.push(child);
            if kind == Kind::Peering
                && let Some(conns) = el.property("connections")
            {
                let address = Named {
                    display: crate::arm::connections_address(&address.display, &pname),
                    key: key.map(|(a, n)| crate::arm::connections_address(a, &n)),
                };
                self.inline_list(
                    parent.clone(),
                    c,
                    obj,
                    conns,
                    Kind::CircuitConnection,
                    (&address, suffix),
                );
            }
        }
    }

    /// A module declaration: each instance's parameters, scope, and the resources of the
    /// file it calls.
    fn module(&mut self, site: &Site, ctx: &Ctx<'a>, m: &'a Module, extent: Span) {
        let Some(d) = self.ev.decls_of(ctx.scope) else {
            return;
        };
        let target = self.ev.set.module(d.file, &m.path).cloned();
        let obj = m.body.object();
        for inst in self.instances(ctx, &m.body, site.exists.clone(), &site.suffix) {
            let name_expr = obj.get("name", false).map(|p| &p.value);
            let deployment = match name_expr {
                Some(e) => {
                    let v = self.ev.expr(&inst.ctx, e);
                    self.name_text(&v, Some(e))
                }
                None => m.name.name.to_string(),
            };
            let shown = match inst.index {
                Some(k) => format!("{}[{k}]", m.name.name),
                None => m.name.name.to_string(),
            };
            let supplied = self.module_params(&inst.ctx, obj, &shown);
            let scope_expr = obj.get("scope", false).map(|p| &p.value);
            let (scope, names_sub, names_rg, sub) = self.module_scope(site, &inst.ctx, scope_expr);
            let mut nsite = Site {
                scope,
                names_sub,
                names_rg,
                context: site.context.clone(),
                scopes: site.scopes.clone(),
                exists: inst.exists.clone(),
                depth: site.depth + 1,
                suffix: inst.suffix.clone(),
                files: site.files.clone(),
            };
            nsite.context.push(Label::context(
                m.header,
                format!("in module `{shown}`, called here"),
            ));
            nsite.scopes.push(extent);
            let before = self.model.resources.len();
            match &target {
                None => {}
                Some(ModuleTarget::NotFollowed { message, help }) => {
                    let message = message.clone();
                    self.note(m.path.span, message, help);
                }
                Some(ModuleTarget::Bicep(file)) => {
                    self.bicep_module(site, nsite, m, &shown, *file, supplied);
                }
                Some(ModuleTarget::Arm {
                    file,
                    template_spec,
                }) => self.arm_module(nsite, *file, *template_spec, supplied),
            }
            let deploys_er = self
                .model
                .resources
                .get(before..)
                .is_some_and(|new| new.iter().any(|r| r.is_expressroute() != Some(false)));
            if deploys_er && let Some(v) = sub {
                self.subscription_id(&v, &deployment);
            }
        }
    }

    /// A module instance's `params`, evaluated.
    fn module_params(&mut self, ctx: &Ctx<'a>, obj: &'a Object, shown: &str) -> Supplied {
        match obj.get("params", false) {
            None => Supplied::Values(HashMap::new()),
            Some(p) => {
                let v = self.ev.expr(ctx, &p.value);
                match &v.kind {
                    ValKind::Object(o) => Supplied::Values(
                        o.iter()
                            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                            .collect(),
                    ),
                    ValKind::Unknown(u) => Supplied::AllUnknown(format!(
                        "the parameters of module `{shown}` are not known ({})",
                        u.reason
                    )),
                    _ => Supplied::AllUnknown(format!(
                        "the parameters of module `{shown}` are not an object"
                    )),
                }
            }
        }
    }

    /// A Bicep file called as a module at `nsite` (a cycle or a chain too deep gets a
    /// note instead).
    fn bicep_module(
        &mut self,
        site: &Site,
        mut nsite: Site,
        m: &'a Module,
        shown: &str,
        file: FileId,
        supplied: Supplied,
    ) {
        if site.files.contains(&file) {
            self.note(
                m.path.span,
                format!("module `{shown}` calls itself through a cycle of modules: erlint does not follow it, so its resources are not checked"),
                "break the cycle: Bicep rejects it",
            );
            return;
        }
        if site.depth >= limits::MAX_MODULE_DEPTH {
            if self
                .notes_seen
                .insert((m.path.span.file, m.path.span.start))
            {
                let mut d = limits::reached(
                    m.path.span,
                    format!(
                        "module `{shown}` is nested more than {} modules deep: erlint does not follow it, so its resources are not checked",
                        limits::MAX_MODULE_DEPTH
                    ),
                );
                d.parameter_file = self.param_file;
                self.model.notes.push(d);
            }
            return;
        }
        let Some(callee) = self.ev.decls(file) else {
            return;
        };
        nsite.files.push(file);
        let s = self.ev.add_scope(callee, supplied);
        self.template(&nsite, s);
    }

    /// An ARM template (a file or a template spec) called as a module at `nsite`.
    fn arm_module(&mut self, nsite: Site, file: FileId, template_spec: bool, supplied: Supplied) {
        let values = match supplied {
            Supplied::Values(v) => Ok(v),
            Supplied::AllUnknown(why) => Err(why),
            Supplied::None => Ok(HashMap::new()),
        };
        let arm_site = crate::arm::DeploymentSite {
            scope: nsite.scope,
            names_sub: nsite.names_sub,
            names_rg: nsite.names_rg,
            context: nsite.context,
            scopes: nsite.scopes,
            exists: nsite.exists,
            depth: nsite.depth,
            suffix: nsite.suffix,
        };
        let unit = crate::arm::build_module(
            self.ev.db,
            file,
            template_spec,
            values,
            arm_site,
            self.param_file,
        );
        for diag in unit.diagnostics {
            self.ev.diagnostic(diag);
        }
        self.merge(unit.model);
    }

    /// Resources (and notes) of an ARM template followed as a module.
    fn merge(&mut self, model: Model) {
        let base = self.model.resources.len();
        for mut r in model.resources {
            if let Some(ParentRef::Index(j)) = r.parent_ref {
                r.parent_ref = Some(ParentRef::Index(j + base));
            }
            if let Some(p) = r.parent {
                r.parent = Some(p + base);
            }
            self.model.resources.push(r);
        }
        self.model.notes.extend(model.notes);
        self.model.subscription_ids.extend(model.subscription_ids);
    }

    /// The deployment scope of a module instance from its `scope:` (as the compiled
    /// deployment's `subscriptionId`, `resourceGroup` and `scope` fields give it), and the
    /// subscription id it names.
    fn module_scope(
        &mut self,
        site: &Site,
        ctx: &Ctx<'a>,
        e: Option<&'a Expr>,
    ) -> (ArmScope, bool, bool, Option<Val>) {
        let same = (site.scope, site.names_sub, site.names_rg, None);
        let Some(e) = e else { return same };
        let call = match &e.kind {
            ExprKind::Call(c)
                if c.target
                    .as_ref()
                    .is_none_or(|t| t.as_var().is_some_and(|v| &*v.name == "az")) =>
            {
                Some(c)
            }
            _ => None,
        };
        // (subscriptionId, resourceGroup, scope, location) of the compiled deployment.
        let (sub, rg, target, location, sub_val) = match call.map(|c| (&*c.name.name, &c.args)) {
            Some(("resourceGroup", args)) => match args.as_slice() {
                [] => return same,
                [_] => (false, true, None, false, None),
                [s, ..] => {
                    let v = self.ev.expr(ctx, s);
                    (true, true, None, false, Some(v))
                }
            },
            Some(("subscription", args)) => match args.as_slice() {
                [] if site.scope == ArmScope::Subscription => return same,
                [] => (true, false, None, true, None),
                [s, ..] => {
                    let v = self.ev.expr(ctx, s);
                    (true, false, None, true, Some(v))
                }
            },
            Some(("managementGroup", args)) => match args.as_slice() {
                [] if site.scope == ArmScope::ManagementGroup => return same,
                _ => (
                    false,
                    false,
                    Some(Val::str(
                        "Microsoft.Management/managementGroups/group",
                        None,
                    )),
                    false,
                    None,
                ),
            },
            Some(("tenant", _)) => (false, false, Some(Val::str("/", None)), false, None),
            _ => {
                let rg_symbol = self.ev.sym_of(ctx, e).and_then(|s| self.ev.sym_type(&s));
                match rg_symbol {
                    Some((t, _))
                        if t.eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") =>
                    {
                        (false, true, None, false, None)
                    }
                    _ => (
                        false,
                        false,
                        Some(Val::unknown("the module's scope is not known", None)),
                        false,
                        None,
                    ),
                }
            }
        };
        let (scope, s, r) = crate::arm::deployment_scope(
            site.scope,
            site.names_sub,
            site.names_rg,
            sub,
            rg,
            target.as_ref(),
            location,
        );
        (scope, s, r, sub_val)
    }

    fn subscription_id(&mut self, v: &Val, deployment: &str) {
        let (Some(s), Some(at)) = (v.as_str(), v.span) else {
            return;
        };
        if !self.subs_seen.insert((at.start, s.to_string())) {
            return;
        }
        let from = v.origin.filter(|o| *o != at && !at.contains(*o));
        self.model.subscription_ids.push(SubscriptionValue {
            value: s.to_string(),
            at,
            from,
            holder: format!("the subscription of module `{deployment}`'s `scope`"),
        });
    }

    fn note(&mut self, at: Span, message: String, help: &str) {
        if !self.notes_seen.insert((at.file, at.start)) {
            return;
        }
        let mut d = crate::core::module_not_followed(at, message);
        d.help(help);
        d.parameter_file = self.param_file;
        self.model.notes.push(d);
    }

    /// A `Microsoft.Resources/deployments` resource: ER006 when its template may hold
    /// ExpressRoute resources (they are not evaluated).
    fn deployment(
        &mut self,
        site: &Site,
        ctx: &Ctx<'a>,
        obj: &'a Object,
        extent: Span,
        address: String,
    ) {
        let Some(p) = obj.get("properties", false) else {
            return;
        };
        let props = self.ev.expr(ctx, &p.value);
        let Some(why) = unevaluated::deployment_gap(&props) else {
            return;
        };
        let message = format!("the template of `{address}` {why}: its resources were not checked");
        let help = "deploy the template as a `module` (`module m './template.json' = { … }`, or the resources in a `.bicep` file), which erlint follows";
        self.not_evaluated(site, p.value.span, extent, message, help, address);
    }

    /// ER006 at `at`, about the resource `address` declared at `extent`.
    fn not_evaluated(
        &mut self,
        site: &Site,
        at: Span,
        extent: Span,
        message: String,
        help: &str,
        address: String,
    ) {
        if !self.notes_seen.insert((at.file, at.start)) {
            return;
        }
        let mut d = crate::core::not_evaluated(at, message);
        d.help(help);
        d.resource = Some(address);
        d.parameter_file = self.param_file;
        d.scopes.push(extent);
        d.scopes.extend(site.scopes.iter().copied());
        d.labels.extend(site.context.iter().cloned());
        self.model.notes.push(d);
    }

    fn limit(&mut self, at: Span) {
        if self.full {
            return;
        }
        self.full = true;
        let mut d = limits::reached(
            at,
            format!(
                "more than {} resources: erlint stops here, so the rest is not checked",
                limits::MAX_RESOURCES
            ),
        );
        d.parameter_file = self.param_file;
        self.model.notes.push(d);
    }
}

/// The object literal written exactly at `span`, searching `obj`'s values.
fn object_at(obj: &Object, span: Span) -> Option<&Object> {
    if obj.span == span {
        return Some(obj);
    }
    if !(obj.span.start <= span.start && span.end <= obj.span.end) {
        return None;
    }
    obj.items.iter().find_map(|i| match i {
        ObjectItem::Property(p) => expr_object_at(&p.value, span),
        _ => None,
    })
}

fn expr_object_at(e: &Expr, span: Span) -> Option<&Object> {
    if !(e.span.start <= span.start && span.end <= e.span.end) {
        return None;
    }
    match &e.kind {
        ExprKind::Object(o) => object_at(o, span),
        ExprKind::Array(items) => items.iter().find_map(|i| match i {
            super::ast::ArrayItem::Value(v) => expr_object_at(v, span),
            super::ast::ArrayItem::Spread(_) => None,
        }),
        ExprKind::For(f) => expr_object_at(&f.body, span),
        _ => None,
    }
}

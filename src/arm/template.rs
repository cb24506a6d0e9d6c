//! Walking a template into model resources: top-level and child resources, symbolic
//! names (`languageVersion` 2.0), copy loops, conditions, `existing`, inline peerings, and
//! nested deployments with their scopes.
//!
//! Only what rules need is evaluated: the full body of ExpressRoute resources; type, name,
//! condition and copy of resources that have children; nested deployments enough to find
//! their resources. Every other resource is looked at for its `type` only.

use super::eval::{Ctx, Eval, Scope, Supplied, count_of};
use super::json::{self, ObjectBuilder, get, get_object, prop, span_of};
use crate::diagnostic::Label;
use crate::model::schema::kind_from_arm;
use crate::model::value::{format_number, is_symbolic};
use crate::model::{
    ArmScope, Dialect, Existence, Kind, Model, ParentRef, Resource, SubscriptionValue, Unknown,
    Val, ValKind,
};
use crate::source::{FileId, Span};
use jsonc_parser::ast::{Object as JObject, ObjectProp as JProperty, Value as JValue};
use jsonc_parser::common::Ranged;
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::Arc;

/// Deepest chain of nested deployments followed; a deeper one gets an ER004 note. The
/// JSON parser's nesting limit stops a template at about 73 levels of inline nested
/// deployments; this bound keeps the walk's recursion small whatever that limit becomes.
pub(super) const MAX_NESTING: u32 = 64;
/// Most model resources one evaluation produces.
const MAX_RESOURCES: usize = 50_000;

/// ARM's `sku.name` is `<Tier>_<Family>` (`Standard_MeteredData`). A circuit's `sku`
/// that has a name but no `tier` (or no `family`) gets the part of a Known name before
/// (after) the first `_`, sited at the name, so that every rule reading the tier or
/// family sees it; an Unknown name gives an Unknown tier and family. A name without `_`
/// gives neither.
pub(crate) fn sku_from_name(body: &mut Val) {
    let ValKind::Object(top) = &mut body.kind else {
        return;
    };
    let Some(sku_key) = top
        .keys()
        .find(|k| k.eq_ignore_ascii_case("sku"))
        .map(str::to_string)
    else {
        return;
    };
    let Some(sku) = Arc::make_mut(top).get_mut(&sku_key) else {
        return;
    };
    let ValKind::Object(o) = &mut sku.kind else {
        return;
    };
    let Some(name) = o.get_ci("name").cloned() else {
        return;
    };
    let parts = match &name.kind {
        ValKind::Str(s) => match s.split_once('_') {
            Some((tier, family)) => [tier.trim(), family.trim()].map(str::to_string),
            None => return,
        },
        ValKind::Unknown(_) => [String::new(), String::new()],
        _ => return,
    };
    for (field, part) in ["tier", "family"].into_iter().zip(parts) {
        if o.get_ci(field).is_some_and(|v| !v.is_null()) {
            continue;
        }
        let derived = match &name.kind {
            ValKind::Unknown(u) => Val {
                kind: ValKind::Unknown(u.derived()),
                ..name.clone()
            },
            _ if part.is_empty() => continue,
            _ => Val {
                kind: ValKind::Str(part.into()),
                ..name.clone()
            },
        };
        // A `tier` written as null is replaced under the key it was written with.
        let key = o
            .keys()
            .find(|k| k.eq_ignore_ascii_case(field))
            .unwrap_or(field)
            .to_string();
        Arc::make_mut(o).insert(key, derived);
    }
}

/// The deployment context resources are declared in.
#[derive(Clone)]
pub struct Site {
    pub scope: ArmScope,
    pub names_sub: bool,
    pub names_rg: bool,
    pub context: Vec<Label>,
    pub scopes: Vec<Span>,
    pub exists: Existence,
    pub depth: u32,
    /// Copy index of enclosing deployments, appended to addresses (`[1]`).
    pub suffix: String,
}

impl Site {
    pub fn root(scope: ArmScope) -> Site {
        Site {
            scope,
            names_sub: false,
            names_rg: false,
            context: Vec::new(),
            scopes: Vec::new(),
            exists: Existence::Yes,
            depth: 0,
            suffix: String::new(),
        }
    }
}

/// A parent resource, as its children see it.
struct Parent {
    full_type: String,
    full_name: String,
    /// The full name as references know it: Known, or with the symbols of values each the
    /// same in the whole deployment ([`crate::model::Unknown::symbol`]); `None` when a
    /// segment is neither.
    key_name: Option<String>,
    circuit: Option<usize>,
    port: Option<usize>,
    route_filter: Option<usize>,
    exists: Existence,
    suffix: String,
}

pub struct Walker<'e, 'a, 't> {
    ev: &'e mut Eval<'a, 't>,
    root: &'a JValue<'t>,
    param_file: Option<FileId>,
    /// What the resources are written in: an ARM template, or one inside Terraform.
    pub dialect: Dialect,
    pub model: Model,
    notes_seen: HashSet<u32>,
    subs_seen: HashSet<(u32, String)>,
}

/// A resource's `resources` (child resources), when there are some.
fn child_resources<'a, 't>(obj: &'a JObject<'t>) -> Option<&'a JValue<'t>> {
    get(obj, "resources").filter(|c| match c {
        JValue::Array(a) => !a.elements.is_empty(),
        JValue::Object(o) => !o.properties.is_empty(),
        _ => false,
    })
}

/// How a resource of `kind` names its parent: the circuit, port or route filter it is
/// nested in (`me`: the resource's full name and what encloses it), or the first segment
/// of a `parent/child` name (`own_name`: the name as references know it, when it is not
/// prefixed by the enclosing resource's).
fn parent_ref_of(kind: Kind, me: &Parent, own_name: Option<&str>) -> Option<ParentRef> {
    match kind {
        k if k.is_circuit_child() => me.circuit.map(ParentRef::Index),
        Kind::PortAuthorization => me.port.map(ParentRef::Index),
        Kind::RouteFilterRule => me.route_filter.map(ParentRef::Index),
        _ => None,
    }
    .or_else(|| {
        let wants = kind.is_circuit_child()
            || matches!(kind, Kind::PortAuthorization | Kind::RouteFilterRule);
        let full_name = own_name.filter(|n| wants && n.contains('/'))?;
        Some(ParentRef::Name {
            name: full_name.split('/').next().unwrap_or("").to_string(),
            resource_group: None,
        })
    })
}

/// The address prefix of the inline Global Reach connections of peering `peering`, from
/// its own (`Microsoft.Network/expressRouteCircuits/peerings/erc`):
/// `Microsoft.Network/expressRouteCircuits/peerings/connections/erc/peering`.
pub(crate) fn connections_address(peerings: &str, peering: &str) -> String {
    let circuit = peerings
        .strip_prefix("Microsoft.Network/expressRouteCircuits/peerings/")
        .unwrap_or(peerings);
    format!("Microsoft.Network/expressRouteCircuits/peerings/connections/{circuit}/{peering}")
}

/// An address as shown, and as references know it (see `Parent::key_name`).
pub(crate) struct Named {
    pub display: String,
    pub key: Option<String>,
}

/// The address by which references know a resource of `full_type` whose full name, as
/// they know it, is `key_name`, when that name holds a symbol (else its address is).
pub(crate) fn alias(full_type: &str, key_name: Option<&str>) -> Option<String> {
    key_name
        .filter(|k| is_symbolic(k))
        .map(|k| format!("{full_type}/{k}"))
}

fn and_exists(a: &Existence, b: Existence) -> Existence {
    match a {
        Existence::Unknown(_) => a.clone(),
        Existence::Yes => b,
    }
}

/// A value as address text: Known scalars as written, anything else as the expression.
fn name_text(v: &Val, raw: Option<&JValue<'_>>) -> String {
    match &v.kind {
        ValKind::Str(s) => s.to_string(),
        ValKind::Number(n) => format_number(*n),
        _ => match raw {
            Some(JValue::StringLit(s)) => s.value.to_string(),
            _ => "[unknown]".to_string(),
        },
    }
}

fn path_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    {
        format!(".{name}")
    } else {
        format!("['{}']", name.replace('\'', "\\'"))
    }
}

/// Where a resource is written: its index in a `resources` array, or its symbolic name
/// in a `resources` object, under the JSON path of that `resources`. The path text is
/// made only for the resources that are walked further.
#[derive(Clone, Copy)]
enum At<'p> {
    Index(&'p str, usize),
    Key(&'p str, &'p str),
}

impl At<'_> {
    fn path(self) -> String {
        match self {
            At::Index(path, i) => format!("{path}.resources[{i}]"),
            At::Key(path, name) => format!("{path}.resources{}", path_key(name)),
        }
    }
}

/// Whether a child resource declared inside its parent's `resources` gives only its own
/// name (`AzurePrivatePeering`), so that its full name is the parent's full name, `/`,
/// and that name. A child may be written with a relative type (`peerings`) or its full
/// type (`Microsoft.Network/expressRouteCircuits/peerings`), and with a short name or its
/// full name (`er1/AzurePrivatePeering`, one segment per type segment after the
/// namespace). `known_name` is `None` when the name is not known: then a relative type
/// means a short name, and a full type a full name.
fn short_child_name(full_type: &str, known_name: Option<&str>, relative: bool) -> bool {
    let Some(name) = known_name else {
        return relative;
    };
    let type_segments = full_type.split('/').count().saturating_sub(1);
    name.split('/').count() < type_segments
}

/// Where a nested deployment's `scope` property points.
pub(super) enum Target {
    Tenant,
    ManagementGroup,
    Subscription,
    ResourceGroup,
    Unknown,
}

pub(super) fn target_of(v: &Val) -> Target {
    let Some(s) = v.as_str() else {
        return Target::Unknown;
    };
    let t = s.trim();
    if t == "/" {
        return Target::Tenant;
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("microsoft.management/managementgroups/") {
        return Target::ManagementGroup;
    }
    let segs: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    match segs.as_slice() {
        ["subscriptions", _] => Target::Subscription,
        ["subscriptions", _, "resourcegroups", _] => Target::ResourceGroup,
        _ => Target::Unknown,
    }
}

/// The scope a nested deployment deploys to, from its parent's scope and what it names.
pub(super) fn transition(
    parent: &Site,
    sub: bool,
    rg: bool,
    target: Option<Target>,
    location: bool,
) -> (ArmScope, bool, bool) {
    let (scope, s, r) = match target {
        Some(Target::Tenant) => (ArmScope::Tenant, false, false),
        Some(Target::ManagementGroup) => (ArmScope::ManagementGroup, false, false),
        Some(Target::Subscription) => (ArmScope::Subscription, true, false),
        Some(Target::ResourceGroup) => (ArmScope::ResourceGroup, true, true),
        // A scope that cannot be read: assume it is right rather than guess.
        Some(Target::Unknown) => (ArmScope::ResourceGroup, true, true),
        None => {
            let scope = match parent.scope {
                ArmScope::ResourceGroup if sub && !rg && location => ArmScope::Subscription,
                ArmScope::ResourceGroup => ArmScope::ResourceGroup,
                ArmScope::Subscription if rg => ArmScope::ResourceGroup,
                ArmScope::Subscription => ArmScope::Subscription,
                ArmScope::ManagementGroup | ArmScope::Tenant if sub && rg => {
                    ArmScope::ResourceGroup
                }
                ArmScope::ManagementGroup | ArmScope::Tenant if sub => ArmScope::Subscription,
                other => other,
            };
            (scope, sub, rg)
        }
    };
    (scope, parent.names_sub || s, parent.names_rg || r)
}

/// Find the object whose range is exactly `span`, descending from `v`.
fn object_at<'x, 't>(v: &'x JValue<'t>, span: Span) -> Option<&'x JObject<'t>> {
    let (start, end) = (span.start as usize, span.end as usize);
    let mut cur = v;
    loop {
        let r = cur.range();
        if r.start == start && r.end == end {
            return cur.as_object();
        }
        if !(r.start <= start && end <= r.end) {
            return None;
        }
        cur = match cur {
            JValue::Object(o) => {
                let i = o.properties.partition_point(|p| p.range.end <= start);
                &o.properties.get(i)?.value
            }
            JValue::Array(a) => {
                let i = a.elements.partition_point(|e| e.range().end <= start);
                a.elements.get(i)?
            }
            _ => return None,
        };
    }
}

impl<'e, 'a, 't> Walker<'e, 'a, 't> {
    pub fn new(
        ev: &'e mut Eval<'a, 't>,
        root: &'a JValue<'t>,
        param_file: Option<FileId>,
    ) -> Walker<'e, 'a, 't> {
        Walker {
            ev,
            root,
            param_file,
            dialect: Dialect::ARM,
            model: Model::default(),
            notes_seen: HashSet::new(),
            subs_seen: HashSet::new(),
        }
    }

    fn file(&self) -> FileId {
        self.ev.file
    }

    /// Whether the model holds [`MAX_RESOURCES`] already: then the evaluation stops here
    /// (an ER005 at `at`) and the resources after it are not checked.
    fn too_many(&self, at: Span) -> bool {
        if self.model.resources.len() < MAX_RESOURCES {
            return false;
        }
        crate::limits::exhaust(
            at,
            format!(
                "this template reached erlint's limit of {} resources",
                crate::limits::thousands(MAX_RESOURCES as u64)
            ),
        );
        true
    }

    /// Walk the `resources` of template `tpl` (array or symbolic-name object).
    pub fn template(&mut self, site: &Site, ctx: &Ctx, tpl: &'a JObject<'t>, path: &str) {
        if let Some(res) = get(tpl, "resources") {
            self.resources(site, ctx, res, path, None);
        }
    }

    fn resources(
        &mut self,
        site: &Site,
        ctx: &Ctx,
        res: &'a JValue<'t>,
        path: &str,
        parent: Option<&Parent>,
    ) {
        match res {
            JValue::Array(a) => {
                for (i, r) in a.elements.iter().enumerate() {
                    if let Some(o) = r.as_object() {
                        self.resource(site, ctx, o, At::Index(path, i), parent);
                    }
                }
            }
            JValue::Object(o) => {
                for p in &o.properties {
                    if let Some(r) = p.value.as_object() {
                        self.resource(site, ctx, r, At::Key(path, p.name.as_str()), parent);
                    }
                }
            }
            _ => {}
        }
    }

    fn resource(
        &mut self,
        site: &Site,
        ctx: &Ctx,
        obj: &'a JObject<'t>,
        at: At<'_>,
        parent: Option<&Parent>,
    ) {
        let Some(type_prop) = prop(obj, "type") else {
            return;
        };
        let Some(ty) = self.type_name(ctx, type_prop) else {
            return;
        };
        let relative = parent.is_some() && !ty.contains('/');
        let full_type = match parent {
            Some(p) if relative => Cow::Owned(format!("{}/{}", p.full_type, ty)),
            _ => ty,
        };
        let kind = kind_from_arm(&full_type);
        let is_deployment = full_type.eq_ignore_ascii_case("Microsoft.Resources/deployments");
        let children = child_resources(obj);
        if (kind.is_none() && !is_deployment && children.is_none())
            || self.too_many(span_of(self.file(), obj))
        {
            return;
        }
        let path = at.path();
        let reportable = get(obj, "existing")
            .map(|e| self.ev.node(ctx, e))
            .is_none_or(|v| v.as_bool() != Some(true));
        let base_exists = and_exists(
            &site.exists,
            parent.map(|p| p.exists.clone()).unwrap_or(Existence::Yes),
        );
        let suffix_base = parent.map(|p| p.suffix.as_str()).unwrap_or(&site.suffix);

        for (ictx, exists, suffix) in self.instances(ctx, obj, base_exists, suffix_base) {
            if self.too_many(span_of(self.file(), obj)) {
                break;
            }
            let Some(exists) = self.condition(&ictx, obj, exists) else {
                continue;
            };
            if is_deployment {
                self.deployment(site, &ictx, obj, &path, exists, suffix);
                continue;
            }
            let (name, prefixed, full_name, key_name) =
                self.instance_name(&ictx, obj, parent, &full_type, relative);
            let mut me = Parent {
                full_type: full_type.to_string(),
                full_name,
                key_name,
                circuit: parent.and_then(|p| p.circuit),
                port: parent.and_then(|p| p.port),
                route_filter: parent.and_then(|p| p.route_filter),
                exists,
                suffix,
            };
            if let Some(kind) = kind {
                let unprefixed = me.key_name.as_deref().filter(|_| !prefixed);
                let parent_ref = parent_ref_of(kind, &me, unprefixed);
                let mut body =
                    super::eval::sized(self.body(&ictx, obj, name), span_of(self.file(), obj));
                if kind == Kind::Circuit {
                    sku_from_name(&mut body);
                }
                let idx = self.model.resources.len();
                let address = format!("{full_type}/{}{}", me.full_name, me.suffix);
                self.model.resources.push(Resource {
                    exists: me.exists.clone(),
                    parent_ref,
                    alias: alias(&full_type, me.key_name.as_deref()),
                    json_path: Some(path.clone()),
                    reportable,
                    ..self.site_resource(site, kind, address, type_prop, obj, body)
                });
                self.placed(kind, idx, &mut me, &path);
            }
            if let Some(children) = children {
                self.resources(site, &ictx, children, &path, Some(&me));
            }
        }
    }

    /// After resource `idx` of `kind` is placed: what its child resources need of it (`me`),
    /// and the resources written inside it.
    fn placed(&mut self, kind: Kind, idx: usize, me: &mut Parent, path: &str) {
        match kind {
            Kind::Circuit => {
                me.circuit = Some(idx);
                self.inline_children(idx, me, path);
            }
            Kind::VirtualNetwork => self.inline_children(idx, me, path),
            Kind::Peering => self.peering_connections(idx, me, path),
            Kind::Port => me.port = Some(idx),
            Kind::RouteFilter => me.route_filter = Some(idx),
            _ => {}
        }
    }

    /// An instance's name: its value, whether it is prefixed with the enclosing
    /// resource's, and the full name as shown and as references know it.
    fn instance_name(
        &mut self,
        ictx: &Ctx,
        obj: &'a JObject<'t>,
        parent: Option<&Parent>,
        full_type: &str,
        relative: bool,
    ) -> (Val, bool, String, Option<String>) {
        let name_raw = get(obj, "name");
        let name = match name_raw {
            Some(n) => self.ev.node(ictx, n),
            None => Val::unknown("the resource has no name", None),
        };
        let name_str = name_text(&name, name_raw);
        let prefixed = parent.is_some_and(|_| {
            short_child_name(
                full_type,
                name.as_str().map(|_| name_str.as_str()),
                relative,
            )
        });
        let own_key = name.name_text().map(|n| n.into_owned());
        let (full_name, key_name) = match parent {
            Some(p) if prefixed => (
                format!("{}/{}", p.full_name, name_str),
                p.key_name
                    .as_deref()
                    .zip(own_key)
                    .map(|(p, n)| format!("{p}/{n}")),
            ),
            _ => (name_str, own_key),
        };
        (name, prefixed, full_name, key_name)
    }

    /// A resource's `type` as written or evaluated; `None` when it is not a string.
    fn type_name(&mut self, ctx: &Ctx, type_prop: &'a JProperty<'t>) -> Option<Cow<'a, str>> {
        match &type_prop.value {
            JValue::StringLit(s) if !s.value.starts_with('[') => Some(Cow::Borrowed(&s.value)),
            v => self
                .ev
                .node(ctx, v)
                .as_str()
                .map(|t| Cow::Owned(t.to_string())),
        }
    }

    /// The instances of a resource, each with its context, existence and address suffix:
    /// one per index of a copy loop (an unknown count gives one instance whose existence
    /// is unknown), or the resource itself.
    fn instances(
        &mut self,
        ctx: &Ctx,
        obj: &'a JObject<'t>,
        base_exists: Existence,
        suffix_base: &str,
    ) -> Vec<(Ctx, Existence, String)> {
        let Some(copy) = get_object(obj, "copy") else {
            return vec![(ctx.clone(), base_exists, suffix_base.to_string())];
        };
        let name = json::get_str(copy, "name").unwrap_or("");
        let count = match get(copy, "count") {
            Some(c) => self.ev.node(ctx, c),
            None => Val::unknown("copy has no `count`", Some(span_of(self.file(), copy))),
        };
        match count_of(&count) {
            Ok(n) => (0..n)
                .map(|i| {
                    (
                        ctx.with_frame(name, Some(i), true),
                        base_exists.clone(),
                        format!("{suffix_base}[{i}]"),
                    )
                })
                .collect(),
            Err(u) => vec![(
                ctx.with_frame(name, None, true),
                and_exists(&base_exists, Existence::Unknown(u.reason)),
                suffix_base.to_string(),
            )],
        }
    }

    /// An instance's existence under the resource's `condition`; `None` when the
    /// condition is false.
    fn condition(
        &mut self,
        ictx: &Ctx,
        obj: &'a JObject<'t>,
        exists: Existence,
    ) -> Option<Existence> {
        let Some(c) = get(obj, "condition") else {
            return Some(exists);
        };
        let v = self.ev.node(ictx, c);
        Some(match &v.kind {
            ValKind::Bool(false) => return None,
            ValKind::Bool(true) => exists,
            ValKind::Unknown(u) => and_exists(
                &exists,
                Existence::Unknown(format!("its condition is not known ({})", u.reason)),
            ),
            _ => and_exists(
                &exists,
                Existence::Unknown("its condition is not a boolean".into()),
            ),
        })
    }

    /// A model resource with what the deployment site says about it.
    fn site_resource(
        &self,
        site: &Site,
        kind: Kind,
        address: String,
        type_prop: &JProperty<'_>,
        obj: &JObject<'_>,
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
            ..Resource::new(
                kind,
                self.dialect,
                address,
                span_of(self.file(), type_prop),
                span_of(self.file(), obj),
                body,
            )
        }
    }

    /// The evaluated resource object, without what only steers the deployment.
    fn body(&mut self, ctx: &Ctx, obj: &'a JObject<'t>, name: Val) -> Val {
        let mut b = ObjectBuilder::with_capacity(obj.properties.len());
        let mut name = Some(name);
        for p in &obj.properties {
            let k = p.name.as_str();
            let skip = [
                "resources",
                "copy",
                "condition",
                "dependsOn",
                "comments",
                "existing",
            ]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(k));
            if skip {
                continue;
            }
            let v = if k.eq_ignore_ascii_case("name") {
                name.take().unwrap_or_else(|| self.ev.node(ctx, &p.value))
            } else if k.eq_ignore_ascii_case("metadata") {
                json::literal(&p.value, self.file())
            } else {
                self.ev.node(ctx, &p.value)
            };
            b.insert(k, v);
        }
        Val::object(b.finish(), Some(span_of(self.file(), obj)))
    }

    /// The resources written inside resource `holder` ([`Kind::inline_children`]: a
    /// circuit's `properties.peerings[]` and `properties.authorizations[]`, a virtual
    /// network's `properties.subnets[]`), each its own resource. Header: the element's
    /// `"name"` property (or the element, or the attribute when the list comes from
    /// another file).
    fn inline_children(&mut self, holder: usize, me: &Parent, path: &str) {
        let Some(c) = self.model.resources.get(holder) else {
            return;
        };
        let c = c.clone();
        let holder_type = c
            .kind
            .type_name(crate::model::Schema::Arm)
            .unwrap_or_default();
        for &(attr, kind) in c.kind.inline_children() {
            let Some(list) = c.body.property(attr) else {
                continue;
            };
            let path = format!("{path}.properties.{attr}");
            let address = Named {
                display: format!("{holder_type}/{attr}/{}", me.full_name),
                key: (me.key_name.as_deref()).map(|k| format!("{holder_type}/{attr}/{k}")),
            };
            let parent = kind.is_circuit_child().then_some(ParentRef::Index(holder));
            self.inline_list(parent, &c, list, kind, (&address, &me.suffix, &path));
        }
    }

    /// A peering resource's own inline `properties.connections[]` (Global Reach), as an
    /// exported template writes them: each a resource under the peering's circuit.
    fn peering_connections(&mut self, peering: usize, me: &Parent, path: &str) {
        let Some(p) = self.model.resources.get(peering) else {
            return;
        };
        let p = p.clone();
        let Some(list) = p.body.property("connections") else {
            return;
        };
        let prefix = "Microsoft.Network/expressRouteCircuits/peerings/connections";
        let address = Named {
            display: format!("{prefix}/{}", me.full_name),
            key: me.key_name.as_deref().map(|k| format!("{prefix}/{k}")),
        };
        let path = format!("{path}.properties.connections");
        let parent = p.parent_ref.clone();
        let kind = Kind::CircuitConnection;
        self.inline_list(parent, &p, list, kind, (&address, &me.suffix, &path));
    }

    /// The elements of one inline list of resource `c` (a circuit, or a peering), each a
    /// resource of `kind` named `{address}/{name}{suffix}` at JSON path `{path}[i]`, whose
    /// circuit is `parent`; a peering's own inline `properties.connections[]` (Global
    /// Reach) become resources too, under the same circuit.
    fn inline_list(
        &mut self,
        parent: Option<ParentRef>,
        c: &Resource,
        list: &Val,
        kind: Kind,
        (address, suffix, path): (&Named, &str, &str),
    ) {
        let Some(items) = list.as_list() else {
            return;
        };
        let attr_span = list
            .span
            .filter(|s| c.extent.contains(*s))
            .unwrap_or(c.header);
        for (i, el) in items.iter().enumerate() {
            if el.as_object().is_none() || self.too_many(attr_span) {
                continue;
            }
            let (header, extent) = match el.span {
                Some(s) if s.file == self.file() => match object_at(self.root, s) {
                    Some(o) => (
                        prop(o, "name")
                            .map(|p| span_of(self.file(), p))
                            .unwrap_or(s),
                        s,
                    ),
                    None => (s, s),
                },
                _ => (attr_span, attr_span),
            };
            let name = el.get_ci("name");
            let pname = name
                .map(|n| name_text(n, None))
                .unwrap_or_else(|| "[unknown]".into());
            // The element's name as references know it, under its holder's.
            let key = address.key.as_deref().zip(name.and_then(Val::name_text));
            let json_path = format!("{path}[{i}]");
            let own = format!("{}/{pname}{suffix}", address.display);
            self.model.resources.push(Resource {
                json_path: Some(json_path.clone()),
                alias: key
                    .as_ref()
                    .map(|(a, n)| format!("{a}/{n}"))
                    .filter(|k| is_symbolic(k)),
                ..c.inline_child(kind, own, (header, extent), el.clone(), parent.clone())
            });
            if kind == Kind::Peering
                && let Some(conns) = el.property("connections")
            {
                let address = Named {
                    display: connections_address(&address.display, &pname),
                    key: key.map(|(a, n)| connections_address(a, &n)),
                };
                let path = format!("{json_path}.properties.connections");
                self.inline_list(
                    parent.clone(),
                    c,
                    conns,
                    Kind::CircuitConnection,
                    (&address, suffix, &path),
                );
            }
        }
    }

    /// ER004: the nested deployment `name` is deeper than erlint follows.
    fn note_too_deep<'o>(
        &mut self,
        obj: &'o JObject<'t>,
        name_prop: Option<&'o JProperty<'t>>,
        name: &str,
    ) {
        let file = self.file();
        let at = name_prop
            .or_else(|| prop(obj, "type"))
            .map(|p| span_of(file, p))
            .unwrap_or_else(|| span_of(file, obj));
        self.note(
            at,
            format!(
                "nested deployment `{name}` is nested more than {MAX_NESTING} deployments deep: erlint does not follow it, so its resources are not checked"
            ),
            "lint the deepest deployments as a template of their own, or flatten the nesting",
        );
    }

    /// The inline template of a nested deployment (its `properties`), and whether it is
    /// one escape level down; `None` for a template erlint does not follow (with an ER004
    /// note when there is one).
    fn nested_template(
        &mut self,
        props: &'a JObject<'t>,
        name: &str,
        inner: bool,
    ) -> Option<(&'a JObject<'t>, bool)> {
        let file = self.file();
        // A template Bicep wrote into a variable (`loadJsonContent`) is read like an inline
        // one, one escape level down (its expressions are written `[[…]`).
        match get(props, "template") {
            Some(JValue::Object(t)) if prop(props, "templateLink").is_none() => Some((t, false)),
            Some(JValue::StringLit(s))
                if prop(props, "templateLink").is_none()
                    && let Some(held) = self.template_in_variable(&s.value, inner) =>
            {
                Some((held, true))
            }
            other => {
                let (at, what) = match (prop(props, "templateLink"), other) {
                    (Some(l), _) => (span_of(file, l), "links its template (`templateLink`)"),
                    (None, Some(JValue::StringLit(s))) if is_text_variable_template(&s.value) => (
                        span_of(file, s),
                        "has a template held as text in a variable (`json(loadTextContent(…))`)",
                    ),
                    (None, Some(t)) => (span_of(file, t), "has a template that is an expression"),
                    (None, None) => return None,
                };
                self.note(
                    at,
                    format!(
                        "nested deployment `{name}` {what}: erlint does not follow it, so its resources are not checked"
                    ),
                    "inline the template in `properties.template` (in Bicep, `loadJsonContent` is followed), or lint the template on its own",
                );
                None
            }
        }
    }

    /// A `Microsoft.Resources/deployments` instance: its scope, then the resources of its
    /// inline template.
    fn deployment(
        &mut self,
        site: &Site,
        ctx: &Ctx,
        obj: &'a JObject<'t>,
        path: &str,
        exists: Existence,
        suffix: String,
    ) {
        let file = self.file();
        let name_prop = prop(obj, "name");
        let name = match name_prop {
            Some(p) => {
                let v = self.ev.node(ctx, &p.value);
                name_text(&v, Some(&p.value))
            }
            None => "[unnamed]".to_string(),
        };
        if site.depth >= MAX_NESTING {
            self.note_too_deep(obj, name_prop, &name);
            return;
        }
        let named = |w: &mut Self, key: &str| {
            get(obj, key)
                .map(|v| w.ev.node(ctx, v))
                .filter(|v| !v.is_null())
        };
        let sub = named(self, "subscriptionId");
        let rg = named(self, "resourceGroup");
        let target = named(self, "scope").map(|v| target_of(&v));
        let location = get(obj, "location").is_some();
        let (scope, names_sub, names_rg) =
            transition(site, sub.is_some(), rg.is_some(), target, location);

        let Some(props) = get_object(obj, "properties") else {
            return;
        };
        let label_at = name_prop
            .map(|p| span_of(file, p))
            .unwrap_or_else(|| span_of(file, obj));
        let inner = get_object(props, "expressionEvaluationOptions")
            .and_then(|o| json::get_str(o, "scope"))
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let Some((template, escaped)) = self.nested_template(props, &name, inner) else {
            return;
        };
        let ictx = if inner {
            let supplied = self.nested_parameters(ctx, props, &name);
            let s = self.ev.add_scope(Scope::of_template(template, supplied));
            Ctx::new(s)
        } else {
            ctx.clone()
        };
        let mut nsite = Site {
            scope,
            names_sub,
            names_rg,
            context: site.context.clone(),
            scopes: site.scopes.clone(),
            exists,
            depth: site.depth + 1,
            suffix,
        };
        nsite.context.push(Label::context(
            label_at,
            format!("in nested deployment `{name}`"),
        ));
        nsite.scopes.push(span_of(file, obj));
        let before = self.model.resources.len();
        let was_escaped = self.ev.escaped;
        self.ev.escaped = was_escaped || escaped;
        self.template(
            &nsite,
            &ictx,
            template,
            &format!("{path}.properties.template"),
        );
        self.ev.escaped = was_escaped;
        // Subscription ids matter for deployments that deploy ExpressRoute resources.
        let deploys_er = self
            .model
            .resources
            .get(before..)
            .is_some_and(|new| new.iter().any(|r| r.is_expressroute() != Some(false)));
        if deploys_er && let Some(v) = sub {
            self.subscription_id(&v, &name);
        }
    }

    /// The template object held by a root variable that `template` names
    /// (`[variables('$fxv#0')]`, what Bicep writes for `loadJsonContent`), for an
    /// inner-scope deployment: with outer scope, the nested template's expressions would be
    /// read with the outer template's, which this reading does not model.
    fn template_in_variable(&self, template: &str, inner: bool) -> Option<&'a JObject<'t>> {
        if !inner || self.ev.escaped {
            return None;
        }
        let name = variable_reference(template)?;
        let vars = get_object(self.root.as_object()?, "variables")?;
        let held = vars
            .properties
            .iter()
            .rev()
            .find(|p| p.name.as_str().eq_ignore_ascii_case(name))?;
        held.value.as_object()
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
            holder: format!("`subscriptionId` of nested deployment `{deployment}`"),
        });
    }

    /// An inner-scope deployment's parameter values, evaluated in the outer context.
    fn nested_parameters(&mut self, ctx: &Ctx, props: &'a JObject<'t>, name: &str) -> Supplied {
        if prop(props, "parametersLink").is_some() {
            return Supplied::AllUnknown(format!(
                "nested deployment `{name}` takes its parameters from `parametersLink`"
            ));
        }
        let mut values = HashMap::new();
        match get(props, "parameters") {
            None => {}
            Some(JValue::Object(o)) => {
                for p in &o.properties {
                    let key = p.name.as_str().to_ascii_lowercase();
                    let v = match p.value.as_object() {
                        Some(po) => match (get(po, "value"), get(po, "reference")) {
                            (Some(v), _) => self.ev.node(ctx, v),
                            (None, Some(_)) => Val::unknown_with(
                                Unknown {
                                    reason: format!(
                                        "parameter `{}` is a Key Vault reference",
                                        p.name.as_str()
                                    ),
                                    refers_to: None,
                                    secret: true,
                                    symbol: None,
                                },
                                Some(span_of(self.file(), &p.value)),
                            ),
                            (None, None) => continue,
                        },
                        None => continue,
                    };
                    values.insert(key, v);
                }
            }
            Some(_) => {
                return Supplied::AllUnknown(format!(
                    "the parameters of nested deployment `{name}` are an expression"
                ));
            }
        }
        Supplied::Values(values)
    }

    fn note(&mut self, at: Span, message: String, help: &str) {
        if !self.notes_seen.insert(at.start) {
            return;
        }
        let mut d = crate::core::module_not_followed(at, message);
        d.help(help);
        d.parameter_file = self.param_file;
        self.model.notes.push(d);
    }
}

/// `NAME` of a string `[variables('NAME')]` (whitespace and case as ARM allows).
fn variable_reference(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?.trim();
    let (func, rest) = inner.split_at_checked("variables".len())?;
    if !func.eq_ignore_ascii_case("variables") {
        return None;
    }
    let arg = rest
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let name = arg.strip_prefix('\'')?.strip_suffix('\'')?;
    (!name.contains('\'')).then_some(name)
}

/// `[json(variables('NAME'))]`: what Bicep writes for `json(loadTextContent(…))`.
fn is_text_variable_template(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return false;
    };
    let inner = inner.trim();
    inner.len() > 5
        && inner
            .get(..5)
            .is_some_and(|f| f.eq_ignore_ascii_case("json("))
        && inner.ends_with(')')
        && inner
            .get(5..inner.len() - 1)
            .and_then(|v| variable_reference(&format!("[{v}]")).map(|_| ()))
            .is_some()
}

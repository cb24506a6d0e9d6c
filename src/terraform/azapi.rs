//! The azapi provider: `azapi_resource` (and `azapi_update_resource`,
//! `azapi_resource_action`) → model resources in the ARM schema, written in HCL
//! ([`Dialect::AZAPI`]).
//!
//! - `type` (`Microsoft.Network/expressRouteCircuits@2024-05-01`, case-insensitive) gives
//!   the kind; other types are not read (resource groups only as `parent_id` targets).
//! - `body` is an HCL object (azapi 2.x) or a JSON string (1.x: `jsonencode({…})`, a
//!   heredoc); `sensitive_body` is merged over it. `name`, `location` and `tags` join it
//!   as the ARM resource's top-level properties, and `parent_id` as itself (so that a
//!   resource id written there is checked like one in the body).
//! - `parent_id` places the resource: a resource group id (literal, or a reference to an
//!   `azurerm_resource_group`, its data source, or an azapi resource group) puts it in a
//!   resource group; a subscription, management group or tenant id outside one. A
//!   child's `parent_id = azapi_resource.circuit.id` links it to its circuit, as a literal
//!   circuit id does by name. The subscription follows the chain: the provider
//!   configuration of the resource group it ends at, or a subscription the chain names.
//! - `azapi_update_resource` merges its `body` into the resource it updates (see
//!   [`apply_updates`]).
//!
//! A value that is not known statically stays Unknown; a `body` erlint cannot read at
//! all is ER006.

use super::arm_deployment::Text;
use super::ast::Expr;
use super::ast::{ExprKind, TemplatePart, TraversalOp};
use super::eval::Scope;
use super::instance::Instance;
use super::module::{CLIENT_CONFIG_TYPES, HostClass, HostIr};
use super::text_map::{self, Mapped};
use crate::diagnostic::Diagnostic;
use crate::model::schema::{self, Kind, kind_from_arm};
use crate::model::{
    ArmScope, Dialect, Existence, Object, ParentRef, ProviderBlock, ProviderConfig, Resource, Val,
    ValKind,
};
use crate::source::Span;
use std::sync::Arc;

/// Deepest `parent_id` chain followed.
const MAX_CHAIN: usize = 8;

/// One instance of a host resource: its key suffix, the scope its attributes are
/// evaluated in, and whether it exists.
pub(super) struct HostInstance<'s> {
    pub suffix: String,
    pub scope: Scope<'s>,
    pub exists: Existence,
}

/// Where an azapi resource's subscription comes from.
#[derive(Clone, Debug)]
enum Subscription {
    /// A provider configuration's (its `subscription_id`, or none).
    Provider(Option<usize>),
    /// A subscription id written in the `parent_id` chain (the GUID, where written).
    Named(Option<Val>),
    /// Not known statically.
    Unknown,
}

/// What `parent_id` says about a resource.
#[derive(Clone, Debug)]
struct Placement {
    scope: Option<ArmScope>,
    parent_ref: Option<ParentRef>,
    subscription: Subscription,
}

impl Placement {
    fn unknown() -> Placement {
        Placement {
            scope: None,
            parent_ref: None,
            subscription: Subscription::Unknown,
        }
    }
}

/// An `azapi_update_resource` body, merged into its target once every resource exists.
#[derive(Clone, Debug)]
pub struct Update {
    target: Target,
    /// The kind its `type` names, if known.
    kind: Option<Kind>,
    body: Val,
    /// The update resource itself, for an overlay whose target is not declared here.
    resource: Resource,
    root_item: Span,
}

#[derive(Clone, Debug)]
enum Target {
    /// A resource of this configuration (`azapi_resource.er.id`).
    Address(String),
    /// A resource id or `name` + `parent_id`: the resource's name (and resource group).
    Name(String),
    Unknown,
}

impl Instance<'_> {
    /// Evaluate a resource that holds ARM resources (azapi, template deployments).
    pub(super) fn instantiate_host(&self, h: &HostIr) {
        match h.class {
            HostClass::AzapiResource => self.azapi_resource(h),
            HostClass::AzapiUpdate => self.azapi_update(h),
            HostClass::AzapiAction => self.azapi_action(h),
            HostClass::TemplateDeployment(scope) => self.template_deployment(h, scope),
        }
    }

    /// Run `f` once per instance (`count`/`for_each`) of `h`.
    pub(super) fn each_host_instance(&self, h: &HostIr, f: &mut dyn FnMut(&HostInstance<'_>)) {
        let (keys, unknown) = self
            .expand(h.count.as_ref(), h.for_each.as_ref())
            .into_keys();
        let base = self.scope();
        for k in keys {
            let scope = match &k.binding {
                Some((name, v)) => base.bind(*name, v.clone()),
                None => self.scope(),
            };
            let exists = match unknown.as_ref().or(self.maybe_absent.as_ref()) {
                Some(why) => Existence::Unknown(why.clone()),
                None => Existence::Yes,
            };
            f(&HostInstance {
                suffix: k.suffix.clone(),
                scope,
                exists,
            });
        }
    }

    /// A note (ER006 and the like), once per place.
    pub(super) fn note(&self, d: Diagnostic) {
        let mut notes = self.run.notes.borrow_mut();
        if !notes
            .iter()
            .any(|n| n.primary == d.primary && n.code == d.code)
        {
            notes.push(d);
        }
    }

    /// A model resource of this instance, with its context.
    pub(super) fn push_resource(&self, res: Resource, header: Span) -> usize {
        let mut all = self.run.resources.borrow_mut();
        all.push((res, self.root_item.unwrap_or(header)));
        all.len() - 1
    }

    /// The host's address for instance `suffix`.
    pub(super) fn host_address(&self, h: &HostIr, suffix: &str) -> String {
        self.address(&h.ty, &h.name, suffix)
    }

    fn azapi_resource(&self, h: &HostIr) {
        self.each_host_instance(h, &mut |inst| {
            if self.is_deployment(h, &inst.scope) {
                let address = self.host_address(h, &inst.suffix);
                let body = self.azapi_body(h, &inst.scope, &address);
                let placement = self.placement(h, &inst.scope, 0);
                let provider = self.subscription_provider(h, &placement.subscription);
                self.azapi_deployment(h, inst, &body, placement.scope, provider);
                return;
            }
            let Some(kind) = self.azapi_kind(h, &inst.scope, true) else {
                return;
            };
            let address = self.host_address(h, &inst.suffix);
            let body = self.azapi_body(h, &inst.scope, &address);
            let placement = self.placement(h, &inst.scope, 0);
            let body = arm_body(h, &inst.scope, kind, body);
            let provider = self.subscription_provider(h, &placement.subscription);
            let res = Resource {
                exists: inst.exists.clone(),
                parent_ref: placement.parent_ref.clone(),
                provider,
                context: self.context.clone(),
                scopes: self.scopes.clone(),
                arm_scope: placement.scope,
                ..Resource::new(kind, Dialect::AZAPI, address, h.header, h.span, body)
            };
            let idx = self.push_resource(res.clone(), h.header);
            match kind {
                Kind::Circuit | Kind::VirtualNetwork => self.inline_children(&res, idx),
                Kind::Peering => self.peering_connections(&res),
                _ => {}
            }
        });
    }

    /// Whether `type` is `Microsoft.Resources/deployments` (an ARM template inside).
    fn is_deployment(&self, h: &HostIr, scope: &Scope<'_>) -> bool {
        h.body.attr("type").is_some_and(|a| {
            scope.eval_or_unknown(&a.expr).as_str().is_some_and(|t| {
                arm_type(t).eq_ignore_ascii_case("Microsoft.Resources/deployments")
            })
        })
    }

    /// The kind `type` names (`None`: not an ExpressRoute-related type, or not known; an
    /// Unknown type is noted as ER006 when `note` is set).
    fn azapi_kind(&self, h: &HostIr, scope: &Scope<'_>, note: bool) -> Option<Kind> {
        let attr = h.body.attr("type")?;
        let v = scope.eval_or_unknown(&attr.expr);
        match &v.kind {
            ValKind::Str(t) => kind_from_arm(arm_type(t)),
            ValKind::Unknown(u) if note => {
                let mut d = crate::core::not_evaluated(
                    attr.span,
                    format!(
                        "the `type` of `{}.{}` is not known statically ({}): if it is an ExpressRoute resource type, the resource was not checked",
                        h.ty, h.name, u.reason
                    ),
                );
                d.help("write the resource type as a literal (`type = \"Microsoft.Network/expressRouteCircuits@2024-05-01\"`)");
                d.resource = Some(self.host_address(h, ""));
                d.scopes.push(h.span);
                self.note(d);
                None
            }
            _ => None,
        }
    }

    /// `body` (with `sensitive_body` merged over it) as a value; a body erlint cannot read
    /// is noted (ER006) and Unknown. A `sensitive_body` that is null sets nothing; one set
    /// or not by a condition not known (`cond ? { properties = { … } } : null`) makes each
    /// property it may set Unknown, and only those.
    fn azapi_body(&self, h: &HostIr, scope: &Scope<'_>, address: &str) -> Val {
        let Some(body) = self.body_attr(h, scope, "body", address) else {
            return Val::object(Object::new(), Some(h.header));
        };
        let Some(sensitive) = self.body_attr(h, scope, "sensitive_body", address) else {
            return body;
        };
        match &sensitive.kind {
            ValKind::Null => body,
            ValKind::Unknown(u) => match self.maybe_set(h, scope) {
                Some(branches) => branches
                    .iter()
                    .fold(body, |b, x| merge(b, unknown_leaves(x, &u.reason))),
                None => merge(body, sensitive),
            },
            _ => merge(body, sensitive),
        }
    }

    /// The objects a `sensitive_body` written `cond ? { … } : null` (or the reverse) may
    /// be when `cond` is not known; `None` when it is written otherwise, or a branch is
    /// neither an object nor null.
    fn maybe_set(&self, h: &HostIr, scope: &Scope<'_>) -> Option<Vec<Val>> {
        let ExprKind::Conditional(c) = &h.body.attr("sensitive_body")?.expr.kind else {
            return None;
        };
        let mut out = Vec::new();
        for branch in [&c.then, &c.otherwise] {
            let v = scope.eval_or_unknown(branch);
            match v.kind {
                ValKind::Null => {}
                ValKind::Object(_) => out.push(v),
                _ => return None,
            }
        }
        Some(out)
    }

    /// One of the body attributes, read as azapi reads it: an object, or a JSON string
    /// (`jsonencode(…)`, a heredoc, `file(…)`, `jsondecode(file(…))`).
    fn body_attr(&self, h: &HostIr, scope: &Scope<'_>, name: &str, address: &str) -> Option<Val> {
        let attr = h.body.attr(name)?;
        let expr = &attr.expr;
        let call = match &expr.kind {
            ExprKind::Call(c) if c.namespace.is_empty() => Some((&*c.name, c.args.as_slice())),
            _ => None,
        };
        let text = match call {
            // `jsonencode(x)` (azapi 1.x): the object itself, with its spans.
            Some(("jsonencode", [arg])) => {
                return Some(scope.eval_or_unknown(arg).resited(Some(expr.span)));
            }
            // `jsondecode(file(…))` (2.x): the file's JSON.
            Some(("jsondecode", [arg])) if is_file_call(arg) => Some(self.read_text(arg, scope)),
            Some(("file" | "templatefile", _)) => Some(self.read_text(expr, scope)),
            _ => None,
        };
        let text = match text {
            Some(t) => t,
            None => {
                let v = scope.eval_or_unknown(expr);
                match &v.kind {
                    ValKind::Str(_) => self.read_text(expr, scope),
                    ValKind::Unknown(u) if u.reason.contains("not evaluated by erlint") => {
                        Text::Unreadable(u.reason.clone())
                    }
                    _ => return Some(v),
                }
            }
        };
        let why = match text {
            Text::File(id, t) => match text_map::json_value(&Mapped::file(&t, id)) {
                Ok(v) => return Some(v.resited(Some(expr.span))),
                Err((msg, _)) => format!("it is not JSON ({msg})"),
            },
            Text::Mapped(m) => match text_map::json_value(&m) {
                Ok(v) => return Some(v),
                Err((msg, _)) => format!("it is a string that is not JSON ({msg})"),
            },
            Text::Unknown(u) => return Some(Val::unknown_with(u, Some(expr.span))),
            Text::Unreadable(why) => why,
        };
        let mut d = crate::core::not_evaluated(
            attr.span,
            format!("`{name}` of `{address}` cannot be read: {why}; the resource was not checked"),
        );
        d.help("write the body as an HCL object (azapi 2.x), `jsonencode({ … })` or `jsondecode(file(\"${path.module}/body.json\"))`");
        d.resource = Some(address.to_string());
        d.scopes.push(h.span);
        self.note(d);
        Some(Val::unknown(
            format!("`{name}` of `{address}` cannot be read"),
            Some(expr.span),
        ))
    }

    /// The resources written inside resource `holder` ([`Kind::inline_children`]: a
    /// circuit's inline `properties.peerings[]` and `properties.authorizations[]`, a
    /// virtual network's `properties.subnets[]`), each its own resource (as in an ARM
    /// template).
    fn inline_children(&self, holder: &Resource, idx: usize) {
        for &(attr, kind) in holder.kind.inline_children() {
            let Some(list) = holder.body.property(attr) else {
                continue;
            };
            let address = format!("{}/{attr}", holder.address);
            let parent = kind.is_circuit_child().then_some(ParentRef::Index(idx));
            self.inline_list(holder, parent, list, kind, &address);
        }
    }

    /// A peering resource's own inline `properties.connections[]` (Global Reach): each a
    /// resource under the peering's circuit (its `parent_id`).
    fn peering_connections(&self, peering: &Resource) {
        let Some(list) = peering.body.property("connections") else {
            return;
        };
        let address = format!("{}/connections", peering.address);
        let parent = peering.parent_ref.clone();
        self.inline_list(peering, parent, list, Kind::CircuitConnection, &address);
    }

    /// The elements of one inline list of resource `c` (a circuit or a peering), each a
    /// resource of `kind` named `{address}/{name}` whose circuit is `parent`; a peering's
    /// own inline `properties.connections[]` (Global Reach) become resources too, under
    /// the same circuit.
    fn inline_list(
        &self,
        c: &Resource,
        parent: Option<ParentRef>,
        list: &Val,
        kind: Kind,
        address: &str,
    ) {
        let Some(items) = list.as_list() else {
            return;
        };
        let attr_span = list
            .span
            .filter(|s| c.extent.contains(*s))
            .unwrap_or(c.header);
        for (i, el) in items.iter().enumerate() {
            if el.as_object().is_none() {
                continue;
            }
            let inside = |s: Option<Span>| s.filter(|s| c.extent.contains(*s));
            let extent = inside(el.span).unwrap_or(attr_span);
            let header = inside(el.get_ci("name").and_then(|n| n.span)).unwrap_or(extent);
            let name = el
                .get_ci("name")
                .and_then(Val::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| i.to_string());
            let own = format!("{address}/{name}");
            let res = c.inline_child(kind, own, (header, extent), el.clone(), parent.clone());
            self.push_resource(res, c.header);
            if kind == Kind::Peering
                && let Some(conns) = el.property("connections")
            {
                let address = format!("{address}/{name}/connections");
                self.inline_list(c, parent.clone(), conns, Kind::CircuitConnection, &address);
            }
        }
    }

    /// Where `parent_id` places the resource `h` (evaluated in `scope`).
    fn placement(&self, h: &HostIr, scope: &Scope<'_>, depth: usize) -> Placement {
        let Some(attr) = h.body.attr("parent_id") else {
            // Only a resource group may omit it: the provider's subscription.
            return Placement {
                scope: None,
                parent_ref: None,
                subscription: Subscription::Provider(
                    self.provider_of(&h.ty, h.provider.as_deref()),
                ),
            };
        };
        let v = scope.eval_or_unknown(&attr.expr);
        match &v.kind {
            ValKind::Str(id) => from_id(id, &v),
            ValKind::Unknown(u) => match &u.refers_to {
                Some(addr) if depth < MAX_CHAIN => self.placement_of_ref(addr, depth + 1),
                _ => self
                    .client_config_placement(&attr.expr)
                    .unwrap_or_else(Placement::unknown),
            },
            _ => Placement::unknown(),
        }
    }

    /// A `parent_id` built on the subscription of a provider's client configuration
    /// (`"${data.azapi_client_config.c.subscription_resource_id}/resourceGroups/rg"`,
    /// `"/subscriptions/${data.azurerm_client_config.c.subscription_id}"`, directly or
    /// through a local): that provider's subscription, at the scope the rest of the id
    /// names.
    fn client_config_placement(&self, expr: &Expr) -> Option<Placement> {
        let expr = match &expr.kind {
            ExprKind::Traversal(t) => match (&t.root.kind, &*t.ops) {
                (ExprKind::Variable(root), [TraversalOp::Attr(name, _)]) if &**root == "local" => {
                    self.module.locals.get(&**name)?
                }
                _ => return None,
            },
            _ => expr,
        };
        let ExprKind::Template(parts) = &expr.kind else {
            return None;
        };
        let ((ty, name), rest) = match &**parts {
            [TemplatePart::Interpolation(x), rest @ ..] => match client_config(x)? {
                ("azapi_client_config", name, "subscription_resource_id") => {
                    (("azapi_client_config", name), rest)
                }
                _ => return None,
            },
            [
                TemplatePart::Literal(l),
                TemplatePart::Interpolation(x),
                rest @ ..,
            ] if l.eq_ignore_ascii_case("/subscriptions/") => match client_config(x)? {
                (ty, name, "subscription_id") => ((ty, name), rest),
                _ => return None,
            },
            _ => return None,
        };
        // Declared here, with the provider it reads (an alias, or the default one).
        let config = self.module.client_config(ty, name)?;
        let scope = match rest {
            [] => Some(ArmScope::Subscription),
            [TemplatePart::Literal(l), ..]
                if l.get(..16)
                    .is_some_and(|p| p.eq_ignore_ascii_case("/resourceGroups/")) =>
            {
                Some(ArmScope::ResourceGroup)
            }
            _ => None,
        };
        Some(Placement {
            scope,
            parent_ref: None,
            subscription: Subscription::Provider(self.provider_of(ty, config.provider.as_deref())),
        })
    }

    /// The placement a reference to `addr`'s `id` gives: a resource group, a parent resource.
    fn placement_of_ref(&self, addr: &str, depth: usize) -> Placement {
        let prefix = self.prefix();
        // A resource of this module instance, or (only its type is looked at) of another.
        let own = addr
            .strip_prefix(prefix.as_str())
            .filter(|r| !r.starts_with("module."));
        let Some((is_data, ty, name, key)) = reference_tail(own.unwrap_or(addr)) else {
            return Placement::unknown();
        };
        if ty.starts_with("azurerm_") {
            let declared = own
                .filter(|_| !is_data)
                .and_then(|_| self.module.declared_scope(ty, name).cloned());
            let provider = self.provider_of(ty, declared.flatten().as_deref());
            return scope_placement(ty, provider).unwrap_or_else(Placement::unknown);
        }
        if is_data || ty != "azapi_resource" || own.is_none() {
            return Placement::unknown();
        }
        let Some(target) = self
            .module
            .hosts
            .iter()
            .find(|x| x.class == HostClass::AzapiResource && &*x.name == name)
        else {
            return Placement::unknown();
        };
        let mut out = Placement::unknown();
        self.each_host_instance(target, &mut |inst| {
            let wanted = key.is_none_or(|k| k == inst.suffix);
            if !wanted || out.scope.is_some() {
                return;
            }
            let Some(ty) = target
                .body
                .attr("type")
                .map(|a| inst.scope.eval_or_unknown(&a.expr))
            else {
                return;
            };
            let Some(t) = ty.as_str().map(arm_type) else {
                return;
            };
            let parent = self.placement(target, &inst.scope, depth);
            if t.eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") {
                out = Placement {
                    scope: Some(ArmScope::ResourceGroup),
                    parent_ref: None,
                    subscription: parent.subscription,
                };
            } else if t.eq_ignore_ascii_case("Microsoft.Management/managementGroups") {
                out = Placement {
                    scope: Some(ArmScope::ManagementGroup),
                    parent_ref: None,
                    subscription: Subscription::Unknown,
                };
            } else if let Some(kind) = kind_from_arm(t) {
                // A child of this resource: linked to it (a Global Reach connection to the
                // circuit of its peering).
                let parent_ref = match kind {
                    Kind::Peering => parent.parent_ref.clone(),
                    _ => Some(ParentRef::Address(addr.to_string())),
                };
                out = Placement {
                    scope: parent.scope,
                    parent_ref,
                    subscription: parent.subscription,
                };
            }
        });
        out
    }

    /// The provider configuration a resource deploys through, given where its subscription
    /// comes from: one whose `subscription_id` is the subscription its `parent_id` chain
    /// names, when it names one (so that ER101 sees it named); none when not known.
    fn subscription_provider(&self, h: &HostIr, sub: &Subscription) -> Option<usize> {
        match sub {
            Subscription::Provider(p) => *p,
            Subscription::Unknown | Subscription::Named(None) => None,
            Subscription::Named(Some(guid)) => {
                let own = self.provider_of(&h.ty, h.provider.as_deref());
                let mut providers = self.run.providers.borrow_mut();
                let base = own.and_then(|i| providers.get(i)).cloned();
                let at = guid.span.unwrap_or(h.header);
                let mut body = base
                    .as_ref()
                    .and_then(|p| p.block.as_ref())
                    .and_then(|b| b.body.as_object().cloned())
                    .unwrap_or_default();
                body.insert("subscription_id", guid.clone());
                let block = base.as_ref().and_then(|p| p.block.as_ref());
                providers.push(ProviderConfig {
                    address: base
                        .as_ref()
                        .map_or_else(|| "azapi".to_string(), |p| p.address.clone()),
                    alias: base.as_ref().and_then(|p| p.alias.clone()),
                    block: Some(ProviderBlock {
                        header: block.map_or(at, |b| b.header),
                        extent: block.map_or(at, |b| b.extent),
                        body: Val::object(body, Some(at)),
                    }),
                    root: self.run.root.display.clone(),
                    first_use: None,
                });
                Some(providers.len() - 1)
            }
        }
    }

    fn azapi_update(&self, h: &HostIr) {
        self.each_host_instance(h, &mut |inst| {
            let kind = self.azapi_kind(h, &inst.scope, false);
            let address = self.host_address(h, &inst.suffix);
            let body = self.azapi_body(h, &inst.scope, &address);
            let target = match h.body.attr("resource_id") {
                Some(a) => {
                    let v = inst.scope.eval_or_unknown(&a.expr);
                    match &v.kind {
                        ValKind::Str(id) => id_name(id).map_or(Target::Unknown, Target::Name),
                        ValKind::Unknown(u) => {
                            u.refers_to.clone().map_or(Target::Unknown, Target::Address)
                        }
                        _ => Target::Unknown,
                    }
                }
                None => h
                    .body
                    .attr("name")
                    .and_then(|a| {
                        inst.scope
                            .eval_or_unknown(&a.expr)
                            .as_str()
                            .map(String::from)
                    })
                    .map_or(Target::Unknown, Target::Name),
            };
            let placement = self.placement(h, &inst.scope, 0);
            let resource = Resource {
                exists: inst.exists.clone(),
                provider: self.subscription_provider(h, &placement.subscription),
                parent_ref: placement.parent_ref,
                context: self.context.clone(),
                scopes: self.scopes.clone(),
                arm_scope: placement.scope,
                ..Resource::new(
                    kind.unwrap_or(Kind::Circuit),
                    Dialect::AZAPI,
                    address,
                    h.header,
                    h.span,
                    Val::null(None),
                )
            };
            self.run.updates.borrow_mut().push(Update {
                target,
                kind,
                body,
                resource,
                root_item: self.root_item.unwrap_or(h.header),
            });
        });
    }

    /// `azapi_resource_action` that `PUT`s or `PATCH`es an ExpressRoute resource: not a
    /// declaration erlint evaluates (ER006).
    fn azapi_action(&self, h: &HostIr) {
        self.each_host_instance(h, &mut |inst| {
            let Some(kind) = self.azapi_kind(h, &inst.scope, false) else {
                return;
            };
            let text = |name: &str| {
                h.body
                    .attr(name)
                    .map(|a| inst.scope.eval_or_unknown(&a.expr))
            };
            let method = text("method");
            let changes = match method.as_ref().map(|m| &m.kind) {
                Some(ValKind::Str(m)) => {
                    m.eq_ignore_ascii_case("PUT") || m.eq_ignore_ascii_case("PATCH")
                }
                Some(ValKind::Unknown(_)) => true,
                _ => false,
            };
            let action_empty = text("action")
                .is_none_or(|a| a.as_str().is_some_and(|s| s.is_empty()));
            if !changes || !action_empty {
                return;
            }
            let address = self.host_address(h, &inst.suffix);
            let mut d = crate::core::not_evaluated(
                h.header,
                format!(
                    "`{address}` changes an {} with a `PUT`/`PATCH` call, which erlint does not evaluate; the change was not checked",
                    kind.describe()
                ),
            );
            d.help("declare the change with `azapi_update_resource` (a `body` merged into the resource), which erlint checks");
            d.resource = Some(address);
            d.scopes.push(h.span);
            self.note(d);
        });
    }
}

/// `azapi_resource.rg["k"]`, `data.azurerm_resource_group.net` → (data source?, type,
/// name, instance key).
fn reference_tail(path: &str) -> Option<(bool, &str, &str, Option<&str>)> {
    let (path, key) = match path
        .strip_suffix(']')
        .and_then(|p| p.rfind('[').map(|i| (p, i)))
    {
        Some((p, i)) => (p.get(..i)?, path.get(i..)),
        None => (path, None),
    };
    let mut parts = path.rsplitn(3, '.');
    let name = parts.next()?;
    let ty = parts.next()?;
    let is_data = parts
        .next()
        .is_some_and(|p| p == "data" || p.ends_with(".data"));
    Some((is_data, ty, name, key))
}

/// `file(…)` or `templatefile(…)`.
fn is_file_call(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Call(c) if c.namespace.is_empty() && matches!(&*c.name, "file" | "templatefile"))
}

/// `Microsoft.Network/expressRouteCircuits@2024-05-01` → the type without its version.
fn arm_type(t: &str) -> &str {
    t.split('@').next().unwrap_or(t).trim()
}

/// The ARM resource body of an azapi resource: `body`, with `name`, `location` and
/// `tags` given as attributes, and `parent_id`.
fn arm_body(h: &HostIr, scope: &Scope<'_>, kind: Kind, body: Val) -> Val {
    let (mut obj, span) = match &body.kind {
        ValKind::Object(o) => ((**o).clone(), body.span),
        // Unknown (or not an object): every property is.
        _ => {
            let mut o = Object::new();
            let unknown = match &body.kind {
                ValKind::Unknown(_) => body.clone(),
                _ => Val::unknown("`body` is not an object", body.span),
            };
            for key in ["sku", "properties"] {
                o.insert(key, unknown.clone());
            }
            (o, body.span)
        }
    };
    for name in ["name", "location", "tags", "parent_id"] {
        if obj.get_ci(name).is_some() {
            continue;
        }
        if let Some(a) = h.body.attr(name) {
            obj.insert(name, scope.eval_or_unknown(&a.expr));
        }
    }
    let mut v = Val::object(obj, span.or(Some(h.header)));
    if kind == Kind::Circuit {
        crate::arm::sku_from_name(&mut v);
    }
    v
}

/// What a literal `parent_id` says: its scope, the subscription it names, and for a child
/// resource the name (and resource group) of the resource it belongs to.
fn from_id(id: &str, v: &Val) -> Placement {
    let t = id.trim();
    if t == "/" {
        return Placement {
            scope: Some(ArmScope::Tenant),
            parent_ref: None,
            subscription: Subscription::Unknown,
        };
    }
    let segs: Vec<&str> = t.split('/').filter(|s| !s.is_empty()).collect();
    let is = |i: usize, want: &str| segs.get(i).is_some_and(|s| s.eq_ignore_ascii_case(want));
    if is(0, "providers") && is(1, "Microsoft.Management") && is(2, "managementGroups") {
        return Placement {
            scope: Some(ArmScope::ManagementGroup),
            parent_ref: None,
            subscription: Subscription::Unknown,
        };
    }
    if !is(0, "subscriptions") {
        return Placement::unknown();
    }
    let sub = segs.get(1).copied().unwrap_or("");
    let subscription = Subscription::Named(is_guid(sub).then(|| Val::str(sub, v.span)));
    if segs.len() <= 2 {
        return Placement {
            scope: Some(ArmScope::Subscription),
            parent_ref: None,
            subscription,
        };
    }
    if !is(2, "resourceGroups") {
        return Placement {
            scope: None,
            parent_ref: None,
            subscription,
        };
    }
    let rg = segs.get(3).map(|s| s.to_string());
    // `…/providers/Microsoft.Network/expressRouteCircuits/er-1[/peerings/…]`: a child.
    let parent_ref = (is(4, "providers") && segs.len() >= 8).then(|| ParentRef::Name {
        name: segs.get(7).map(|s| s.to_string()).unwrap_or_default(),
        resource_group: rg,
    });
    Placement {
        scope: Some(ArmScope::ResourceGroup),
        parent_ref,
        subscription,
    }
}

/// The resource name a resource id ends with.
fn id_name(id: &str) -> Option<String> {
    let last = id.trim().trim_end_matches('/').rsplit('/').next()?;
    (!last.is_empty() && id.contains("/providers/")).then(|| last.to_string())
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits.
fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `v` with every value that is not an object Unknown (`why`): the properties a body
/// may set, each not known.
fn unknown_leaves(v: &Val, why: &str) -> Val {
    match &v.kind {
        ValKind::Object(o) => {
            let mut out = Object::with_capacity(o.len());
            for (k, x) in o.iter() {
                out.insert(k, unknown_leaves(x, why));
            }
            Val::object(out, v.span)
        }
        _ => Val::unknown(why, v.span),
    }
}

/// azapi's merge of `b` over `a`: objects key by key (ARM keys without regard to case),
/// lists of named objects by name, anything else replaced.
pub fn merge(a: Val, b: Val) -> Val {
    match (&a.kind, &b.kind) {
        (ValKind::Object(x), ValKind::Object(y)) => {
            let mut out = (**x).clone();
            for (k, v) in y.iter() {
                let key = out
                    .keys()
                    .find(|e| e.eq_ignore_ascii_case(k))
                    .map(str::to_string)
                    .unwrap_or_else(|| k.to_string());
                let merged = match out.get(&key) {
                    Some(old) => merge(old.clone(), v.clone()),
                    None => v.clone(),
                };
                out.insert(key, merged);
            }
            Val::object(out, a.span.or(b.span))
        }
        (ValKind::List(x), ValKind::List(y)) if !x.is_empty() && !y.is_empty() => {
            let name = |v: &Val| v.get_ci("name").and_then(Val::as_str).map(str::to_string);
            if x.iter().chain(y.iter()).all(|v| name(v).is_some()) {
                let mut out: Vec<Val> = x.to_vec();
                for v in y.iter() {
                    match out.iter().position(|o| name(o) == name(v)) {
                        Some(i) => {
                            if let Some(slot) = out.get_mut(i) {
                                *slot = merge(slot.clone(), v.clone());
                            }
                        }
                        None => out.push(v.clone()),
                    }
                }
                Val::list(out, b.span.or(a.span))
            } else if x.len() == y.len() {
                let out = x
                    .iter()
                    .zip(y.iter())
                    .map(|(p, q)| merge(p.clone(), q.clone()))
                    .collect();
                Val::list(out, b.span.or(a.span))
            } else {
                b
            }
        }
        _ => b,
    }
}

/// Merge each `azapi_update_resource` body into the resource it updates. An update of a
/// resource that is not declared here is a resource of its own: its body over one where
/// every property is Unknown (it is set on the live resource).
pub(super) fn apply_updates(resources: &mut Vec<(Resource, Span)>, updates: Vec<Update>) {
    for u in updates {
        let target = resources.iter().position(|(r, _)| {
            !r.kind.is_supporting()
                && u.kind.is_none_or(|k| k == r.kind)
                && match &u.target {
                    Target::Address(a) => {
                        r.address == *a || r.address.rsplit_once('[').is_some_and(|(s, _)| s == a)
                    }
                    Target::Name(n) => r
                        .known_str(&schema::NAME)
                        .is_some_and(|(x, _)| x.eq_ignore_ascii_case(n)),
                    Target::Unknown => false,
                }
        });
        match target {
            Some(i) => {
                if let Some((r, _)) = resources.get_mut(i) {
                    r.body = merge(r.body.clone(), u.body);
                }
            }
            None => {
                let Some(kind) = u.kind else { continue };
                let why = format!(
                    "set on the resource `{}` updates, which is not declared here",
                    u.resource.address
                );
                let base = unknown_body(&why, u.resource.header);
                let mut res = u.resource;
                res.kind = kind;
                res.body = merge(base, u.body);
                if kind == Kind::Circuit {
                    crate::arm::sku_from_name(&mut res.body);
                }
                resources.push((res, u.root_item));
            }
        }
    }
}

/// A body where every ARM property erlint reads is Unknown (`why`).
fn unknown_body(why: &str, at: Span) -> Val {
    let mut root = Val::object(Object::new(), Some(at));
    for attr in schema::ALL {
        let Some(path) = attr.arm else { continue };
        let segs: Vec<&str> = path.split('.').collect();
        set_path(&mut root, &segs, &Val::unknown(why, Some(at)), at);
    }
    root
}

fn set_path(v: &mut Val, segs: &[&str], leaf: &Val, at: Span) {
    let Some((first, rest)) = segs.split_first() else {
        return;
    };
    let ValKind::Object(o) = &mut v.kind else {
        return;
    };
    let o = Arc::make_mut(o);
    if rest.is_empty() {
        if o.get(first).is_none() {
            o.insert(*first, leaf.clone());
        }
        return;
    }
    if o.get(first).is_none_or(|x| x.as_object().is_none()) {
        o.insert(*first, Val::object(Object::new(), Some(at)));
    }
    if let Some(child) = o.get_mut(first) {
        set_path(child, rest, leaf, at);
    }
}

/// `data.<type>.<name>.<attr>` of a client configuration data source (`azapi_client_config`,
/// `azurerm_client_config`): its type, name and attribute.
fn client_config(x: &Expr) -> Option<(&'static str, &str, &str)> {
    let ExprKind::Traversal(t) = &x.kind else {
        return None;
    };
    let ExprKind::Variable(root) = &t.root.kind else {
        return None;
    };
    match (&**root, &*t.ops) {
        (
            "data",
            [
                TraversalOp::Attr(ty, _),
                TraversalOp::Attr(name, _),
                TraversalOp::Attr(attr, _),
            ],
        ) => {
            let ty = CLIENT_CONFIG_TYPES.into_iter().find(|c| *c == &**ty)?;
            Some((ty, &**name, &**attr))
        }
        _ => None,
    }
}

/// The placement in an azurerm resource group, subscription or management group of type
/// `ty`, deployed through `provider`.
fn scope_placement(ty: &str, provider: Option<usize>) -> Option<Placement> {
    let scope = match ty {
        "azurerm_resource_group" => ArmScope::ResourceGroup,
        "azurerm_subscription" => ArmScope::Subscription,
        "azurerm_management_group" => ArmScope::ManagementGroup,
        _ => return None,
    };
    Some(Placement {
        scope: Some(scope),
        parent_ref: None,
        subscription: Subscription::Provider(provider),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn s(x: &str) -> Val {
        Val::str(x, None)
    }

    #[test]
    fn parent_ids_place_resources() {
        let v = s("");
        let rg = from_id(
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net",
            &v,
        );
        assert_eq!(rg.scope, Some(ArmScope::ResourceGroup));
        assert!(matches!(rg.subscription, Subscription::Named(Some(_))));
        let sub = from_id("/subscriptions/00000000-0000-0000-0000-000000000001", &v);
        assert_eq!(sub.scope, Some(ArmScope::Subscription));
        let mg = from_id("/providers/Microsoft.Management/managementGroups/mg", &v);
        assert_eq!(mg.scope, Some(ArmScope::ManagementGroup));
        assert_eq!(from_id("/", &v).scope, Some(ArmScope::Tenant));
        let child = from_id(
            "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-1",
            &v,
        );
        assert!(matches!(
            child.parent_ref,
            Some(ParentRef::Name { ref name, .. }) if name == "er-1"
        ));
        // A subscription that is not a GUID is named, but not usable as one.
        assert!(matches!(child.subscription, Subscription::Named(None)));
        assert_eq!(from_id("rg-net", &v).scope, None);
    }

    #[test]
    fn merge_is_azapis_merge() {
        let sp = Some(Span::new(FileId(0), 0, 1));
        let mut sku = Object::new();
        sku.insert("tier", s("Standard"));
        sku.insert("family", s("MeteredData"));
        let mut a = Object::new();
        a.insert("sku", Val::object(sku, sp));
        let mut sku2 = Object::new();
        sku2.insert("Tier", s("Premium"));
        let mut b = Object::new();
        b.insert("SKU", Val::object(sku2, sp));
        let m = merge(Val::object(a, sp), Val::object(b, sp));
        let sku = m.get_ci("sku").unwrap();
        assert_eq!(sku.get_ci("tier").and_then(Val::as_str), Some("Premium"));
        assert_eq!(
            sku.get_ci("family").and_then(Val::as_str),
            Some("MeteredData")
        );
    }

    #[test]
    fn an_unknown_body_has_every_property_unknown() {
        let at = Span::new(FileId(0), 0, 1);
        let b = unknown_body("why", at);
        let r = Resource::new(
            Kind::Peering,
            Dialect::AZAPI,
            "x".into(),
            at,
            at,
            merge(b, Val::object(Object::new(), Some(at))),
        );
        assert!(r.get(&schema::SECONDARY_PREFIX).is_unknown());
        assert!(r.get(&schema::SKU_TIER).is_unknown());
    }
}

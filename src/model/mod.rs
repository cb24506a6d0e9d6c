//! The normalized model between the parsers and the rules.
//!
//! A [`Model`] holds what one evaluation unit deploys: a Terraform root (with its module
//! instances), an ARM template with one parameter file, or a Terraform plan. Rules see
//! [`Resource`]s of a [`Kind`], read their values through [`Resource::lookup`] (Known,
//! Unknown or Absent, each with the span to report at) and never look at syntax.

pub mod dialect;
pub mod peering;
pub mod schema;
pub mod value;

pub use dialect::{Dialect, Schema, SourceKind, Syntax};
pub use peering::{PeeringType, PeeringTypeLookup};
pub use schema::{Attr, Family, Kind};
pub use value::{Object, Unknown, Val, ValKind};

use crate::diagnostic::{Diagnostic, Label};
use crate::source::{FileId, Span};
use std::collections::HashMap;

/// Whether a resource will exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Existence {
    Yes,
    /// `count`/`for_each`/`condition` could not be decided.
    Unknown(String),
}

/// How a child resource names its circuit, before linking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParentRef {
    /// Index of the parent in the same model (ARM child or inline resource).
    Index(usize),
    /// A Terraform reference to the circuit's address.
    Address(String),
    /// A circuit name (and resource group, when known) written as values.
    Name {
        name: String,
        resource_group: Option<String>,
    },
}

/// ARM deployment scope of a resource.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ArmScope {
    ResourceGroup,
    Subscription,
    ManagementGroup,
    Tenant,
}

impl ArmScope {
    pub fn describe(self) -> &'static str {
        match self {
            ArmScope::ResourceGroup => "resource group",
            ArmScope::Subscription => "subscription",
            ArmScope::ManagementGroup => "management group",
            ArmScope::Tenant => "tenant",
        }
    }
}

/// One ExpressRoute (or related) resource instance.
#[derive(Clone, Debug)]
pub struct Resource {
    pub kind: Kind,
    /// What it was written in: source kind, attribute schema, syntax for fixes.
    pub dialect: Dialect,
    /// `azurerm_express_route_circuit.main`, `module.er["east"].azurerm_…peering.this`,
    /// or for ARM `Microsoft.Network/expressRouteCircuits/er-1` (name when known).
    pub address: String,
    /// ARM and Bicep: when the name is not known statically but is the same in the whole
    /// deployment (a parameter without value, text built from one), the address by which
    /// references in that deployment know it: `Microsoft.Network/virtualNetworks/⟨vnetname#0⟩`
    /// ([`Unknown::symbol`]). Only a reference from the same deployment (same context, same
    /// file) matches it.
    pub alias: Option<String>,
    /// Where to point when an attribute is absent: the block's first line, the ARM
    /// resource's `"type"` property, or an inline peering's `"name"` property.
    pub header: Span,
    /// The whole block or JSON object; values written inside it are reported where
    /// written, values from elsewhere at the attribute that uses them.
    pub extent: Span,
    /// Evaluated attributes (an object; nested blocks are objects or lists of objects).
    pub body: Val,
    pub exists: Existence,
    /// After linking: the circuit (or port) this resource belongs to.
    pub parent: Option<usize>,
    pub parent_ref: Option<ParentRef>,
    /// Terraform: index into [`Model::providers`].
    pub provider: Option<usize>,
    /// Module calls or nested deployments leading to this resource, outermost first.
    pub context: Vec<Label>,
    /// Spans of enclosing module calls / nested deployments (for suppressions).
    pub scopes: Vec<Span>,
    /// ARM: JSON path of the resource object (`$.resources[0].resources[1]`).
    pub json_path: Option<String>,
    pub parameter_file: Option<FileId>,
    /// ARM: deployment scope the resource is deployed at.
    pub arm_scope: Option<ArmScope>,
    /// ARM nested deployments: whether one names a subscription / a resource group.
    pub names_subscription: bool,
    pub names_resource_group: bool,
    /// ARM: how many nested deployments deep the resource is declared (0: at the
    /// template's own scope).
    pub nested: u32,
    /// `false` for resources that are read, not deployed (ARM `existing`).
    pub reportable: bool,
}

/// A Terraform provider configuration that ExpressRoute resources use.
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    /// `azurerm`, or `azurerm.hub` for an alias.
    pub address: String,
    pub alias: Option<String>,
    /// The `provider "azurerm" { … }` block, if there is one.
    pub block: Option<ProviderBlock>,
    /// The root module directory (display form).
    pub root: String,
    /// With no block: the root's first resource or module call that leads to ExpressRoute
    /// resources using this configuration.
    pub first_use: Option<Span>,
}

impl ProviderConfig {
    /// The provider's local name (`azurerm`, `azapi`), without alias or module path.
    pub fn name(&self) -> &str {
        let local = self
            .address
            .rsplit_once("provider[\"")
            .map_or(self.address.as_str(), |(_, rest)| {
                rest.trim_end_matches("\"]")
            });
        local.split('.').next().unwrap_or(local)
    }
}

#[derive(Clone, Debug)]
pub struct ProviderBlock {
    pub header: Span,
    pub extent: Span,
    pub body: Val,
}

impl ProviderBlock {
    pub fn get(&self, name: &str) -> Lookup<'_> {
        // Terraform syntax: keys match exactly.
        lookup_in(
            &self.body,
            self.header,
            self.extent,
            Schema::Azurerm,
            &[name],
        )
    }
}

/// A subscription id written somewhere other than a resource body: a provider's
/// `subscription_id`, a nested deployment's `subscriptionId`.
#[derive(Clone, Debug)]
pub struct SubscriptionValue {
    pub value: String,
    pub at: Span,
    pub from: Option<Span>,
    /// What holds it, for messages: "`subscription_id` of provider `azurerm`".
    pub holder: String,
}

/// What one evaluation unit deploys.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub resources: Vec<Resource>,
    pub providers: Vec<ProviderConfig>,
    /// Known subscription ids of deployments (ARM nested deployments).
    pub subscription_ids: Vec<SubscriptionValue>,
    /// Findings the front end made while building the model (ER004 and the like).
    pub notes: Vec<Diagnostic>,
}

/// What every front end returns for one evaluation unit (a Terraform root, a template
/// with its parameter files, a plan): the driver checks each model and keeps the
/// diagnostics, whatever the format.
#[derive(Debug, Default)]
pub struct UnitOutput {
    /// One model per evaluation (per parameter file, or one); empty when the unit's file
    /// does not parse or is not what it looked like.
    pub models: Vec<Model>,
    /// Problems of the unit's files (ER001 and the like), once each, not per model.
    pub diagnostics: Vec<Diagnostic>,
    /// `false` when the file turned out not to be of its front end's kind (a JSON file
    /// whose `$schema` is no template's, not a plan): skipped silently.
    pub recognised: bool,
    /// The texts the unit read and did not keep ([`SourceDb::read`]'s owned ones): the
    /// driver keeps those its findings point into, for the output, and drops the rest.
    ///
    /// [`SourceDb::read`]: crate::source::SourceDb::read
    pub texts: Vec<(FileId, String)>,
}

impl UnitOutput {
    /// One model, nothing else: a Terraform root.
    pub fn of(model: Model) -> UnitOutput {
        UnitOutput::new(vec![model], Vec::new())
    }

    /// A unit of its front end's kind, with its models and diagnostics, no texts handed
    /// over.
    pub fn new(models: Vec<Model>, diagnostics: Vec<Diagnostic>) -> UnitOutput {
        UnitOutput {
            models,
            diagnostics,
            recognised: true,
            texts: Vec::new(),
        }
    }
}

/// The result of reading one attribute.
#[derive(Clone, Debug)]
pub enum Lookup<'a> {
    Known(Found<'a>),
    Unknown {
        unknown: &'a Unknown,
        at: Span,
    },
    /// Not set, or set to null. `at` is where the attribute was written (when `written`),
    /// else the header of the block or object that should hold it; `from` is where the
    /// null was set, when elsewhere (a module argument, a variable default).
    Absent {
        at: Span,
        written: bool,
        from: Option<Span>,
    },
}

/// A Known value and where to report it.
#[derive(Clone, Debug)]
pub struct Found<'a> {
    pub val: &'a Val,
    /// Primary span: the value if written in the resource, else the attribute using it.
    pub at: Span,
    /// Where the value was set, when elsewhere (a tfvars line, a parameter file entry).
    pub from: Option<Span>,
}

impl<'a> Found<'a> {
    pub fn as_str(&self) -> Option<&'a str> {
        self.val.as_str()
    }
}

impl<'a> Lookup<'a> {
    pub fn known(&self) -> Option<&Found<'a>> {
        match self {
            Lookup::Known(f) => Some(f),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Lookup::Absent { .. })
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Lookup::Unknown { .. })
    }

    /// The span to report at, whatever the state.
    pub fn at(&self) -> Span {
        match self {
            Lookup::Known(f) => f.at,
            Lookup::Unknown { at, .. } | Lookup::Absent { at, .. } => *at,
        }
    }
}

impl Resource {
    /// A reportable resource that exists, with nothing linked yet; set the other fields
    /// with struct update syntax.
    pub fn new(
        kind: Kind,
        dialect: Dialect,
        address: String,
        header: Span,
        extent: Span,
        body: Val,
    ) -> Resource {
        Resource {
            kind,
            dialect,
            address,
            alias: None,
            header,
            extent,
            body,
            exists: Existence::Yes,
            parent: None,
            parent_ref: None,
            provider: None,
            context: Vec::new(),
            scopes: Vec::new(),
            json_path: None,
            parameter_file: None,
            arm_scope: None,
            names_subscription: false,
            names_resource_group: false,
            nested: 0,
            reportable: true,
        }
    }

    /// A resource written inside this one's body (a circuit's inline peering or
    /// authorization, a peering's inline Global Reach connection): deployed with it, so
    /// with its existence, deployment context, scope, provider and parameter file; its
    /// circuit is `parent`.
    pub fn inline_child(
        &self,
        kind: Kind,
        address: String,
        (header, extent): (Span, Span),
        body: Val,
        parent: Option<ParentRef>,
    ) -> Resource {
        Resource {
            exists: self.exists.clone(),
            parent_ref: parent,
            provider: self.provider,
            context: self.context.clone(),
            scopes: self.scopes.clone(),
            parameter_file: self.parameter_file,
            arm_scope: self.arm_scope,
            names_subscription: self.names_subscription,
            names_resource_group: self.names_resource_group,
            nested: self.nested,
            reportable: self.reportable,
            ..Resource::new(kind, self.dialect, address, header, extent, body)
        }
    }

    /// The attribute vocabulary of its body.
    pub fn schema(&self) -> Schema {
        self.dialect.schema
    }

    pub fn file(&self) -> FileId {
        self.header.file
    }

    /// Read an attribute by its schema entry (Absent at the header when the schema has no
    /// such attribute).
    pub fn get(&self, attr: &Attr) -> Lookup<'_> {
        self.lookup(attr.split(self.schema()))
    }

    /// Whether this resource's schema has the attribute at all.
    pub fn has(&self, attr: &Attr) -> bool {
        attr.path(self.schema()).is_some()
    }

    /// The one name of an attribute in messages ([`Attr::name`]: the path as the user
    /// writes it, for ARM without the leading `properties.`). An attribute this schema
    /// lacks is named as the other schema names it.
    pub fn attr_name(&self, attr: &Attr) -> &'static str {
        attr.message_name(self.schema())
    }

    /// [`Self::attr_name`] inside `container` (`routing_registry_name` of
    /// `microsoft_peering_config`).
    pub fn attr_name_in(&self, attr: &Attr, container: &Attr) -> &'static str {
        attr.name_in(container, self.schema())
            .unwrap_or_else(|| self.attr_name(attr))
    }

    /// Read a path of keys from the body. Terraform blocks (lists of objects) are entered
    /// transparently when there is exactly one.
    pub fn lookup(&self, path: &[&str]) -> Lookup<'_> {
        lookup_in(&self.body, self.header, self.extent, self.schema(), path)
    }

    /// Where to report a value reached from an attribute at `fallback`: the value itself
    /// when written inside this resource, else the attribute; plus its origin elsewhere.
    pub fn locate(&self, val: &Val, fallback: Span) -> (Span, Option<Span>) {
        locate_in(self.extent, val, fallback)
    }

    /// The resource's Known name, else its address: how messages name it.
    pub fn display_name(&self) -> &str {
        self.known_str(&schema::NAME)
            .map_or(self.address.as_str(), |(n, _)| n)
    }

    /// Known string shortcut (Unknown and Absent give `None`).
    pub fn known_str(&self, attr: &Attr) -> Option<(&str, Span)> {
        match self.get(attr) {
            Lookup::Known(f) => f.val.as_str().map(|s| (s, f.at)),
            _ => None,
        }
    }

    /// Counted and listed (`erlint resources`) as a resource erlint checked: a reportable
    /// one, except a gateway or connection known not to be ExpressRoute (a VPN gateway,
    /// an IPsec connection), which no rule checks.
    pub fn is_listed(&self) -> bool {
        self.reportable
            && !(matches!(self.kind, Kind::VnetGateway | Kind::GatewayConnection)
                && self.is_expressroute() == Some(false))
    }

    /// Whether this resource deploys ExpressRoute (gateways and connections only when their
    /// type says so; `None` when that type is Unknown).
    pub fn is_expressroute(&self) -> Option<bool> {
        let attr = match self.kind {
            Kind::VnetGateway => &schema::GATEWAY_TYPE,
            Kind::GatewayConnection => &schema::CONNECTION_TYPE,
            k if k.is_supporting() => return Some(false),
            _ => return Some(true),
        };
        match self.get(attr) {
            Lookup::Known(f) => Some(
                f.val
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("ExpressRoute")),
            ),
            Lookup::Unknown { .. } => None,
            Lookup::Absent { .. } => Some(false),
        }
    }
}

/// Read `path` from `body`, a block or object declared at `header` spanning `extent`.
/// See [`Lookup`] for where each outcome points.
pub fn lookup_in<'v>(
    body: &'v Val,
    header: Span,
    extent: Span,
    schema: Schema,
    path: &[&str],
) -> Lookup<'v> {
    let arm = schema.case_insensitive();
    if path.is_empty() {
        return Lookup::Absent {
            at: header,
            written: false,
            from: None,
        };
    }
    let mut cur = body;
    let mut container = header;
    let mut site: Option<Span> = None;
    let skip_properties = arm
        && path
            .first()
            .is_some_and(|p| p.eq_ignore_ascii_case("properties"));
    for (i, seg) in path.iter().enumerate() {
        cur = match single_block(cur) {
            Ok(v) => v,
            Err(()) => {
                return Lookup::Absent {
                    at: container,
                    written: false,
                    from: None,
                };
            }
        };
        if let ValKind::Unknown(u) = &cur.kind {
            return Lookup::Unknown {
                unknown: u,
                at: site.unwrap_or(container),
            };
        }
        if i > 0
            && !(skip_properties && i == 1)
            && let Some(s) = cur.span.filter(|s| extent.contains(*s))
        {
            container = s;
        }
        let next = match &cur.kind {
            ValKind::Object(o) if arm => o.get_ci(seg),
            ValKind::Object(o) => o.get(seg),
            _ => None,
        };
        let Some(next) = next else {
            return Lookup::Absent {
                at: container,
                written: false,
                from: None,
            };
        };
        cur = next;
        if let Some(s) = cur.span.filter(|s| extent.contains(*s)) {
            site = Some(s);
        }
    }
    match &cur.kind {
        ValKind::Unknown(u) => Lookup::Unknown {
            unknown: u,
            at: site.unwrap_or(container),
        },
        ValKind::Null => match site {
            Some(at) => Lookup::Absent {
                at,
                written: true,
                from: locate_in(extent, cur, at).1,
            },
            None => Lookup::Absent {
                at: container,
                written: false,
                from: None,
            },
        },
        _ => {
            let (at, from) = locate_in(extent, cur, site.unwrap_or(container));
            Lookup::Known(Found { val: cur, at, from })
        }
    }
}

/// Where to report `val`, reached from an attribute at `fallback`, for a resource or block
/// spanning `extent`.
pub fn locate_in(extent: Span, val: &Val, fallback: Span) -> (Span, Option<Span>) {
    let at = val.span.filter(|s| extent.contains(*s)).unwrap_or(fallback);
    let from = val.origin_span().filter(|o| *o != at && !at.contains(*o));
    (at, from)
}

/// A Terraform block (a list of block objects) with exactly one element is read through;
/// an empty list means "absent".
fn single_block(v: &Val) -> Result<&Val, ()> {
    match &v.kind {
        ValKind::List(items) if items.is_empty() => Err(()),
        ValKind::List(items)
            if items
                .first()
                .is_some_and(|f| matches!(f.kind, ValKind::Object(_))) =>
        {
            items.first().ok_or(())
        }
        _ => Ok(v),
    }
}

impl Model {
    /// Pass every span of the model through `f`: resources (header, extent, values,
    /// context), subscription ids and notes. A front end that evaluated a text it rendered
    /// itself (a heredoc, a `templatefile()`) maps the spans back into the files with it.
    pub fn map_spans(&mut self, f: &dyn Fn(Span) -> Span) {
        for r in &mut self.resources {
            r.header = f(r.header);
            r.extent = f(r.extent);
            r.body.map_spans(f);
            for l in &mut r.context {
                l.span = f(l.span);
            }
            for s in &mut r.scopes {
                *s = f(*s);
            }
        }
        for s in &mut self.subscription_ids {
            s.at = f(s.at);
            s.from = s.from.map(f);
        }
        for d in &mut self.notes {
            map_diagnostic_spans(d, f);
        }
    }

    /// The resource a reference value points at: a Terraform reference
    /// (`azurerm_route_filter.ms.id`, Unknown but remembering its address), an ARM
    /// `resourceId(…)` (Unknown when it uses the deployment's subscription, but naming
    /// `type/name`), or a Known resource id string (`/subscriptions/…/providers/Microsoft.
    /// Network/routeFilters/rf`), matched against the resources of this model, as `from`
    /// reads it. An ARM or Bicep address names a type and a name, not a deployment: of
    /// several resources with it (one module or nested deployment deployed twice, into
    /// two resource groups), the one deployed with `from` (through the same module calls
    /// or nested deployments) is meant, else the first.
    pub fn resolve_ref(&self, v: &Val, from: &Resource) -> Option<usize> {
        match &v.kind {
            ValKind::Unknown(u) => self.resolve_unknown(u, from),
            ValKind::Str(s) => self.resolve_address(&arm_address_of_id(s)?, from),
            _ => None,
        }
    }

    /// [`Self::resolve_ref`] of an attribute as read: a Known value, or an Unknown one that
    /// remembers what it refers to (`None` when Absent).
    pub fn resolve_lookup(&self, l: &Lookup<'_>, from: &Resource) -> Option<usize> {
        match l {
            Lookup::Known(f) => self.resolve_ref(f.val, from),
            Lookup::Unknown { unknown, .. } => self.resolve_unknown(unknown, from),
            Lookup::Absent { .. } => None,
        }
    }

    /// [`Self::resolve_ref`] of an Unknown value: the resource it remembers referring to.
    pub fn resolve_unknown(&self, u: &Unknown, from: &Resource) -> Option<usize> {
        self.resolve_address(u.refers_to.as_deref()?, from)
    }

    fn resolve_address(&self, want: &str, from: &Resource) -> Option<usize> {
        if value::is_symbolic(want) {
            return self.resources.iter().position(|r| {
                r.alias
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(want))
                    && same_deployment(r, from)
            });
        }
        let named = self.resources.iter().enumerate().filter(|(_, r)| {
            r.address == want
                || strip_key(&r.address) == want
                || (r.schema().case_insensitive() && r.address.eq_ignore_ascii_case(want))
        });
        same_deployment_first(named, from)
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Resource)> {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.kind == kind)
    }

    pub fn parent_of(&self, r: &Resource) -> Option<&Resource> {
        r.parent.and_then(|i| self.resources.get(i))
    }

    /// The circuit a peering, authorization or Global Reach connection belongs to (its
    /// index), as [`Self::link`] found it.
    pub fn circuit_of(&self, r: &Resource) -> Option<usize> {
        r.parent.filter(|i| {
            self.resources
                .get(*i)
                .is_some_and(|c| c.kind == Kind::Circuit)
        })
    }

    /// Resolve every [`ParentRef`] to an index. Terraform references match a circuit by
    /// address (with or without an instance key); names match a circuit whose Known name
    /// (and resource group, when both are known) is the same, case-insensitively.
    pub fn link(&mut self) {
        // Circuits, ports and route filters by kind, source and lower-cased Known name, in
        // model order, so that linking by name is not quadratic in big templates; and the
        // same by deployment (the module calls or nested deployments that lead to them), as
        // a name means its own deployment's resource first (`same_deployment_first`).
        type Named = (Kind, SourceKind, String);
        let mut by_name: HashMap<Named, Vec<usize>> = HashMap::new();
        let mut by_deployment: HashMap<(Named, &[Label]), Vec<usize>> = HashMap::new();
        // A name with a symbol means a resource of its own deployment only.
        let mut by_symbol: HashMap<(Kind, String, &[Label], FileId), usize> = HashMap::new();
        for (j, c) in self.resources.iter().enumerate() {
            if !matches!(c.kind, Kind::Circuit | Kind::Port | Kind::RouteFilter) {
                continue;
            }
            if let Some((n, _)) = c.known_str(&schema::NAME) {
                let key = (c.kind, c.dialect.source, n.to_ascii_lowercase());
                by_deployment
                    .entry((key.clone(), c.context.as_slice()))
                    .or_default()
                    .push(j);
                by_name.entry(key).or_default().push(j);
            } else if let Some(name) = c.alias.as_deref().and_then(|a| a.splitn(3, '/').nth(2)) {
                // `Microsoft.Network/expressRouteCircuits/⟨name⟩`: these are top-level types.
                let key = (
                    c.kind,
                    name.to_lowercase(),
                    c.context.as_slice(),
                    c.extent.file,
                );
                by_symbol.entry(key).or_insert(j);
            }
        }
        let mut links = Vec::new();
        for (i, r) in self.resources.iter().enumerate() {
            let Some(pref) = &r.parent_ref else { continue };
            let want = match r.kind {
                Kind::PortAuthorization => Kind::Port,
                Kind::RouteFilterRule => Kind::RouteFilter,
                _ => Kind::Circuit,
            };
            let found = match pref {
                ParentRef::Index(j) => Some(*j),
                ParentRef::Address(a) => same_deployment_first(
                    self.resources.iter().enumerate().filter(|(_, c)| {
                        c.kind == want && (c.address == *a || strip_key(&c.address) == a)
                    }),
                    r,
                ),
                ParentRef::Name { name, .. } if value::is_symbolic(name) => {
                    let key = (
                        want,
                        name.to_lowercase(),
                        r.context.as_slice(),
                        r.extent.file,
                    );
                    by_symbol.get(&key).copied()
                }
                ParentRef::Name {
                    name,
                    resource_group,
                } => {
                    let in_group = |j: &usize| {
                        let rg = self
                            .resources
                            .get(*j)
                            .and_then(|c| c.known_str(&schema::RESOURCE_GROUP));
                        match (resource_group, rg) {
                            (Some(a), Some((b, _))) => a.eq_ignore_ascii_case(b),
                            _ => true,
                        }
                    };
                    let key = (want, r.dialect.source, name.to_ascii_lowercase());
                    let first = |list: Option<&Vec<usize>>| list?.iter().copied().find(in_group);
                    first(by_deployment.get(&(key.clone(), r.context.as_slice())))
                        .or_else(|| first(by_name.get(&key)))
                }
            };
            if let Some(j) = found.filter(|j| *j != i) {
                links.push((i, j));
            }
        }
        for (i, j) in links {
            if let Some(r) = self.resources.get_mut(i) {
                r.parent = Some(j);
            }
        }
    }
}

/// Whether `r` and `from` are deployed by the same deployment, where a symbol
/// ([`Unknown::symbol`]) has one value: the same module calls or nested deployments, the
/// same template file.
fn same_deployment(r: &Resource, from: &Resource) -> bool {
    r.context == from.context && r.extent.file == from.extent.file
}

/// Of the resources a reference or a parent's name matches, in model order: the first one
/// deployed with `from` (through the same module calls or nested deployments: an ARM or
/// Bicep name does not say which deployment, and each deployment's own resources are what
/// its names mean), else the first.
fn same_deployment_first<'m>(
    mut matches: impl Iterator<Item = (usize, &'m Resource)>,
    from: &Resource,
) -> Option<usize> {
    let (first, r) = matches.next()?;
    if r.context == from.context {
        return Some(first);
    }
    Some(
        matches
            .find(|(_, r)| r.context == from.context)
            .map_or(first, |(i, _)| i),
    )
}

/// Pass every span of a diagnostic through `f`.
pub fn map_diagnostic_spans(d: &mut Diagnostic, f: &dyn Fn(Span) -> Span) {
    d.primary = f(d.primary);
    for l in &mut d.labels {
        l.span = f(l.span);
    }
    for s in &mut d.scopes {
        *s = f(*s);
    }
}

/// `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/expressRouteCircuits/c/peerings/p`
/// → `Microsoft.Network/expressRouteCircuits/peerings/c/p` (the ARM address form: full
/// type, then full name).
fn arm_address_of_id(id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest = id.get(at + "/providers/".len()..)?;
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let ns = parts.next()?;
    let parts: Vec<&str> = parts.collect();
    if parts.is_empty() || !parts.len().is_multiple_of(2) {
        return None;
    }
    let types: Vec<&str> = parts.iter().step_by(2).copied().collect();
    let names: Vec<&str> = parts.iter().skip(1).step_by(2).copied().collect();
    Some(format!("{ns}/{}/{}", types.join("/"), names.join("/")))
}

/// The segments of a child resource's path below its parent's id (`/subnets/GatewaySubnet`
/// → `subnets`, `GatewaySubnet`): pairs of a type and a name, each plain text.
pub fn child_path(path: &str) -> Option<Vec<&str>> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    let plain = |s: &&str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '?');
    (segments.len().is_multiple_of(2) && segments.iter().all(plain)).then_some(segments)
}

/// The ARM address of a child resource (`Microsoft.Network/virtualNetworks/subnets/hub/
/// GatewaySubnet`) from its parent's (`Microsoft.Network/virtualNetworks/hub`) and its
/// [`child_path`] (`/subnets/GatewaySubnet`).
pub fn arm_child_address(parent: &str, path: &str) -> Option<String> {
    let child = child_path(path)?;
    let segments: Vec<&str> = parent.split('/').collect();
    let (ns, rest) = segments.split_first()?;
    // As many names as types after the namespace.
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return None;
    }
    let (types, names) = rest.split_at(rest.len() / 2);
    let types: Vec<&str> = types
        .iter()
        .copied()
        .chain(child.iter().step_by(2).copied())
        .collect();
    let names: Vec<&str> = names
        .iter()
        .copied()
        .chain(child.iter().skip(1).step_by(2).copied())
        .collect();
    Some(format!("{ns}/{}/{}", types.join("/"), names.join("/")))
}

/// `a.b["k"]` → `a.b`; `a.b[0]` → `a.b` (only a trailing instance key).
fn strip_key(address: &str) -> &str {
    if address.ends_with(']')
        && let Some(i) = address.rfind('[')
    {
        return address.get(..i).unwrap_or(address);
    }
    address
}

/// Helpers for unit tests that build resources by hand.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::source::FileId;

    /// A value tree from JSON; every node gets the span `0..1` of file 0 (inside the
    /// resource extent `0..1000`, so lookups report values where "written").
    pub fn val(json: &serde_json::Value) -> Val {
        let sp = Some(Span::new(FileId(0), 0, 1));
        match json {
            serde_json::Value::Null => Val::null(sp),
            serde_json::Value::Bool(b) => Val::bool(*b, sp),
            serde_json::Value::Number(n) => Val::number(n.as_f64().unwrap_or(0.0), sp),
            serde_json::Value::String(s) if s == "<unknown>" => Val::unknown("test unknown", sp),
            serde_json::Value::String(s) => Val::str(s.as_str(), sp),
            serde_json::Value::Array(a) => Val::list(a.iter().map(val).collect(), sp),
            serde_json::Value::Object(o) => Val::object(
                o.iter()
                    .map(|(k, v)| (std::sync::Arc::from(k.as_str()), val(v)))
                    .collect(),
                sp,
            ),
        }
    }

    /// A reportable resource of `kind` whose body is `json` (`"<unknown>"` strings become
    /// Unknown values).
    pub fn resource(kind: Kind, dialect: Dialect, json: serde_json::Value) -> Resource {
        Resource::new(
            kind,
            dialect,
            format!("test.{kind:?}"),
            Span::new(FileId(0), 0, 1),
            Span::new(FileId(0), 0, 1000),
            val(&json),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn a_symbolic_address_names_a_resource_of_its_own_deployment_only() {
        use testing::resource;
        let alias = "Microsoft.Network/virtualNetworks/subnets/\u{27e8}vnet\u{27e9}/gw";
        let subnet = |file: u32, context: Vec<Label>| Resource {
            alias: Some(alias.to_string()),
            context,
            extent: Span::new(FileId(file), 0, 1000),
            ..resource(Kind::Subnet, Dialect::ARM, serde_json::json!({}))
        };
        let label = |n: usize| Label::context(Span::new(FileId(9), n, n + 1), "a deployment");
        let model = Model {
            resources: vec![
                subnet(1, Vec::new()),
                subnet(2, vec![label(1)]),
                subnet(2, Vec::new()),
            ],
            ..Model::default()
        };
        let reference = Val::unknown_with(
            Unknown {
                reason: "parameter `vnet` has no value".into(),
                refers_to: Some(alias.to_ascii_uppercase()),
                ..Unknown::default()
            },
            None,
        );
        let from = |file: u32, context: Vec<Label>| Resource {
            context,
            extent: Span::new(FileId(file), 0, 10),
            ..resource(Kind::VnetGateway, Dialect::ARM, serde_json::json!({}))
        };
        // The same context and file: the first, third; not another template's resource
        // of the same name, nor one of a nested deployment.
        assert_eq!(model.resolve_ref(&reference, &from(2, Vec::new())), Some(2));
        assert_eq!(model.resolve_ref(&reference, &from(1, Vec::new())), Some(0));
        assert_eq!(
            model.resolve_ref(&reference, &from(2, vec![label(1)])),
            Some(1)
        );
        assert_eq!(model.resolve_ref(&reference, &from(3, Vec::new())), None);
        assert_eq!(
            model.resolve_ref(&reference, &from(1, vec![label(2)])),
            None
        );
    }

    #[test]
    fn child_addresses() {
        assert_eq!(
            arm_child_address("Microsoft.Network/virtualNetworks/hub", "/subnets/gw").as_deref(),
            Some("Microsoft.Network/virtualNetworks/subnets/hub/gw")
        );
        assert_eq!(
            arm_child_address(
                "Microsoft.Network/expressRouteCircuits/peerings/er/AzurePrivatePeering",
                "/connections/gr"
            )
            .as_deref(),
            Some(
                "Microsoft.Network/expressRouteCircuits/peerings/connections/er/AzurePrivatePeering/gr"
            )
        );
        for (parent, path) in [
            ("Microsoft.Network/virtualNetworks/hub", "/subnets"),
            ("Microsoft.Network/virtualNetworks/hub", "subnets/gw"),
            ("Microsoft.Network/virtualNetworks/hub", "/subnets/a b"),
            ("Microsoft.Network/virtualNetworks/hub", "/subnets//"),
            ("Microsoft.Network/virtualNetworks", "/subnets/gw"),
            ("Microsoft.Network", "/subnets/gw"),
        ] {
            assert_eq!(arm_child_address(parent, path), None, "{parent} {path}");
        }
    }

    fn sp(a: usize, b: usize) -> Span {
        Span::new(FileId(0), a, b)
    }

    fn peering(body: Val) -> Resource {
        Resource::new(
            Kind::Peering,
            Dialect::AZURERM,
            "azurerm_express_route_circuit_peering.p".into(),
            sp(0, 10),
            sp(0, 100),
            body,
        )
    }

    #[test]
    fn lookup_reports_value_written_elsewhere_at_the_attribute() {
        let mut o = Object::new();
        // value from a tfvars file (other file), re-sited at the attribute expression
        let v =
            Val::str("10.0.0.0/29", Some(Span::new(FileId(1), 5, 18))).resited(Some(sp(40, 55)));
        o.insert("primary_peer_address_prefix", v);
        o.insert("secondary_peer_address_prefix", Val::null(Some(sp(60, 70))));
        let r = peering(Val::object(o, Some(sp(0, 100))));
        match r.get(&schema::PRIMARY_PREFIX) {
            Lookup::Known(f) => {
                assert_eq!(f.at, sp(40, 55));
                assert_eq!(f.from, Some(Span::new(FileId(1), 5, 18)));
            }
            other => panic!("{other:?}"),
        }
        match r.get(&schema::SECONDARY_PREFIX) {
            Lookup::Absent { at, written, .. } => {
                assert_eq!(at, sp(60, 70));
                assert!(written);
            }
            other => panic!("{other:?}"),
        }
        match r.get(&schema::IPV6_PRIMARY_PREFIX) {
            Lookup::Absent { at, written, .. } => {
                assert_eq!(at, sp(0, 10));
                assert!(!written);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lookup_enters_single_blocks_and_stops_at_unknown() {
        let mut ipv6 = Object::new();
        ipv6.insert(
            "primary_peer_address_prefix",
            Val::unknown("var.x has no value", Some(sp(30, 35))),
        );
        let mut o = Object::new();
        o.insert(
            "ipv6",
            Val::list(vec![Val::object(ipv6, Some(sp(20, 26)))], Some(sp(20, 26))),
        );
        let r = peering(Val::object(o, Some(sp(0, 100))));
        assert!(r.get(&schema::IPV6_PRIMARY_PREFIX).is_unknown());
        match r.get(&schema::IPV6_SECONDARY_PREFIX) {
            Lookup::Absent { at, .. } => assert_eq!(at, sp(20, 26)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn resource_ids_become_addresses() {
        assert_eq!(
            arm_address_of_id("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/expressRouteCircuits/c/peerings/p")
                .as_deref(),
            Some("Microsoft.Network/expressRouteCircuits/peerings/c/p")
        );
        assert_eq!(
            arm_address_of_id(
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/routeFilters/rf"
            )
            .as_deref(),
            Some("Microsoft.Network/routeFilters/rf")
        );
        assert_eq!(arm_address_of_id("/subscriptions/s/resourceGroups/g"), None);
    }

    #[test]
    fn provider_names() {
        let p = |address: &str| ProviderConfig {
            address: address.into(),
            alias: None,
            block: None,
            root: ".".into(),
            first_use: None,
        };
        assert_eq!(p("azapi").name(), "azapi");
        assert_eq!(p("azurerm.hub").name(), "azurerm");
        assert_eq!(p("module.er.provider[\"azapi.west\"]").name(), "azapi");
    }

    #[test]
    fn strip_key_only_strips_trailing_index() {
        assert_eq!(strip_key("a.b[\"k\"]"), "a.b");
        assert_eq!(strip_key("module.m[0].a.b"), "module.m[0].a.b");
    }
}

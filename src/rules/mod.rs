//! The rule registry.
//!
//! Ids are `ER` + 3 digits; the hundreds digit is the area, and an id is never reused:
//!
//! | area | what |
//! |---|---|
//! | ER0xx | erlint itself: parse errors, unreadable files, suppressions, modules |
//! | ER1xx | subscriptions |
//! | ER2xx | connectivity provider and peering location |
//! | ER3xx | BGP sessions and peer subnets |
//! | ER4xx | routing: Microsoft peering, route filters, VLANs, ASNs, BGP keys |
//! | ER5xx | gateways and their connections, SKUs, ExpressRoute Direct, Global Reach |
//!
//! One rule is one file: a [`declare_rule!`] with the doc comment that *is* the rule's
//! documentation (shown by `erlint explain`, written to `rules/ERxxx.md` by a test), and
//! an `impl Rule` that reads the [`Model`] through [`Ctx`]. Rules never build a
//! [`Diagnostic`] by hand and never read syntax. A rule is registered by one line in the
//! [`rules!`] list below, which declares its module and puts it in [`RULES`].

pub use crate::core::Stage;

use crate::catalog::Catalog;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity, ValueEdit};
use crate::model::{
    Attr, Found, Kind, Lookup, Model, PeeringType, PeeringTypeLookup, Resource, Schema, Unknown,
    Val,
};
use crate::source::Span;

/// Register every rule: `area { helpers… } [ file::Rule, … ]` declares the area module
/// `rules::area` (its files under `src/rules/area/`), its helper modules and one module
/// per rule file, and lists the rules in [`RULES`] in this order.
macro_rules! rules {
    ($(
        $(#[doc = $doc:literal])*
        $area:ident { $($helper:ident),* } [ $($file:ident :: $rule:ident),* $(,)? ]
    )*) => {
        $(
            $(#[doc = $doc])*
            pub mod $area {
                $(pub(crate) mod $helper;)*
                $(mod $file; pub use $file::$rule;)*
            }
        )*

        /// All rules, sorted by id (a test checks it).
        pub static RULES: &[&dyn Rule] = &[$($(&$area::$rule),*),*];
    };
}

rules! {
    /// ER0xx: problems with erlint's own input (files, suppressions, modules). The front
    /// ends and the driver report these ([`crate::core`]); the rule files hold their
    /// metadata and docs.
    core {} [
        internal_error::InternalError,
        parse_error::ParseError,
        unreadable_file::UnreadableFile,
        invalid_suppression::InvalidSuppression,
        module_not_followed::ModuleNotFollowed,
        limit_reached::LimitReached,
        not_evaluated::NotEvaluated,
    ]
    /// ER1xx: subscriptions (facts F1.x).
    subscription { office365 } [
        missing_subscription_id::MissingSubscriptionId,
        resource_outside_subscription::ResourceOutsideSubscription,
        malformed_subscription_id::MalformedSubscriptionId,
        office365_without_subscription::Office365WithoutSubscription,
        office365_without_premium::Office365WithoutPremium,
        office365_in_china::Office365CommunityInChina,
    ]
    /// ER2xx: connectivity provider and peering location (facts F2.x, F5.x, F6.x).
    ///
    /// These rules read the bundled catalogue ([`crate::catalog`]): a circuit's service
    /// provider must be a connectivity partner or exchange, listed at its peering location,
    /// which must be a peering location of the circuit's cloud.
    provider { circuit } [
        non_partner_provider::NonPartnerProvider,
        provider_not_at_location::ProviderNotAtLocation,
        unknown_peering_location::UnknownPeeringLocation,
        carrier_not_via_exchange::CarrierNotViaExchange,
        legacy_provider_name::LegacyProviderName,
        bandwidth_not_offered::BandwidthNotOffered,
        provider_and_port_conflict::ProviderAndPortConflict,
        local_sku_unavailable::LocalSkuUnavailable,
        port_size_not_offered::PortSizeNotOffered,
    ]
    /// ER3xx: BGP sessions and peer subnets (facts F3.x, F4.1–F4.8).
    bgp { prefix } [
        single_bgp_session::SingleBgpSession,
        duplicate_bgp_session_subnet::DuplicateBgpSessionSubnet,
        invalid_peer_subnet::InvalidPeerSubnet,
        peer_subnet_host_bits::PeerSubnetHostBits,
        peer_subnet_overlaps_vnet::PeerSubnetOverlapsVnet,
    ]
    /// ER4xx: routing requirements (facts F4.x): Microsoft peering, route filters, VLANs,
    /// ASNs and BGP keys.
    routing { microsoft_peering } [
        private_address_on_microsoft_peering::PrivateAddressOnMicrosoftPeering,
        microsoft_peering_without_prefixes::MicrosoftPeeringWithoutPrefixes,
        microsoft_peering_without_route_filter::MicrosoftPeeringWithoutRouteFilter,
        route_filter_on_private_peering::RouteFilterOnPrivatePeering,
        azure_public_peering::AzurePublicPeering,
        invalid_vlan_id::InvalidVlanId,
        reserved_asn::ReservedAsn,
        private_asn_on_microsoft_peering::PrivateAsnOnMicrosoftPeering,
        invalid_shared_key::InvalidSharedKey,
        hardcoded_shared_key::HardcodedSharedKey,
        invalid_routing_registry::InvalidRoutingRegistry,
        too_many_advertised_prefixes::TooManyAdvertisedPrefixes,
        invalid_route_filter_rule::InvalidRouteFilterRule,
    ]
    /// ER5xx: ExpressRoute gateways and their connections (the gateway SKUs, a connection's
    /// circuit, FastPath; facts sheet section 10, ERL-GW).
    gateway {} [
        expressroute_gateway_sku::ExpressRouteGatewaySku,
        connection_without_circuit::ConnectionWithoutCircuit,
        fast_path_without_gateway_bypass::FastPathWithoutGatewayBypass,
        fast_path_gateway_sku::FastPathGatewaySku,
    ]
    /// ER5xx: Global Reach connections between circuits (fact F5.10): their address
    /// prefixes and the two circuits they link (their locations and tiers).
    global_reach { ends } [
        global_reach_prefix_size::GlobalReachPrefixSize,
        global_reach_same_location::GlobalReachSameLocation,
        global_reach_on_local_circuit::GlobalReachOnLocalCircuit,
        global_reach_without_premium::GlobalReachWithoutPremium,
    ]
    /// ER5xx: capacity limits: how many circuits an ExpressRoute gateway connects (its
    /// SKU's limit, and 4 per peering location; fact F5.9).
    capacity { connections } [
        too_many_circuit_connections::TooManyCircuitConnections,
    ]
    /// ER51x: the gateway subnet of an ExpressRoute gateway (its name and its size; the
    /// gateway subnet section of the gateways' documentation, S12).
    gateway_subnet { subnets } [
        gateway_subnet_too_small::GatewaySubnetTooSmall,
        gateway_subnet_name::GatewaySubnetName,
    ]
    /// ER512: the virtual network links a circuit takes by SKU (fact F5.8).
    vnet_links {} [
        too_many_vnet_links::TooManyVnetLinks,
    ]
}

/// Static metadata of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// `"ER301"`: stable, never reused.
    pub id: &'static str,
    /// `"single-bgp-session"`: kebab-case, names the bad pattern.
    pub name: &'static str,
    /// Default severity; the config may override it (not for a [gate](Self::gate) rule).
    pub severity: Severity,
    /// Keeps the gate closed on a file erlint could not check (ER000–ER002): always runs,
    /// at its own severity; cannot be turned off, lowered or left out by `--select`.
    pub gate: bool,
    /// When its findings are made: [`Stage::Check`] for the rules on the model, another
    /// stage for erlint's own diagnostics ([`crate::core`]).
    pub stage: Stage,
    /// Resources of these kinds reach [`Rule::check_resource`].
    pub kinds: &'static [Kind],
    /// The schemas the rule applies to: resources of other schemas do not reach
    /// [`Rule::check_resource`], and each needs its fixtures. A new front end of an
    /// existing schema (Bicep and azapi are ARM) needs no change here.
    pub schemas: &'static [Schema],
    /// erlint version that added the rule.
    pub since: &'static str,
    /// What it flags, in a few words (the README's rule table).
    pub flags: &'static str,
    /// The rule's documentation (Markdown), from its doc comment.
    pub docs: &'static str,
}

impl RuleMeta {
    /// A rule on the model (ER1xx–ER5xx), which `--select` and the configuration choose;
    /// erlint's own diagnostics (ER0xx) are made by the front ends and the driver.
    pub fn checks_model(&self) -> bool {
        self.stage == Stage::Check
    }

    /// Whether `res` reaches [`Rule::check_resource`]: reportable, of one of the rule's
    /// kinds and schemas (a rule that checks its resources in [`Rule::check_model`] picks
    /// them with this too).
    pub fn applies_to(&self, res: &Resource) -> bool {
        res.reportable && self.kinds.contains(&res.kind) && self.schemas.contains(&res.schema())
    }
}

/// The metadata [`declare_rule!`] gives a rule.
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

pub trait Rule: Declared + Sync + 'static {
    /// Called once per reportable resource whose kind is in `meta().kinds` and whose
    /// schema is in `meta().schemas`.
    fn check_resource(&self, _cx: &mut Ctx<'_>, _model: &Model, _res: &Resource) {}
    /// Called once per model, for rules that relate resources or look at providers.
    fn check_model(&self, _cx: &mut Ctx<'_>, _model: &Model) {}
}

/// Declare a rule: a unit struct whose doc comment is the rule's documentation. A rule on
/// the model gives its id, name, severity, the resource kinds and schemas it checks; one
/// of erlint's own diagnostics names its [`crate::core::Code`] instead (`code:
/// PARSE_ERROR`) and has no checks.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:ident,
            since: $since:literal,
            flags: $flags:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $crate::core::$code.id,
                name: $crate::core::$code.name,
                severity: $crate::core::$code.severity,
                gate: $crate::core::$code.gate,
                stage: $crate::core::$code.stage,
                kinds: &[],
                schemas: &[],
                since: $since,
                flags: $flags,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rules::Declared for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }

        impl $crate::rules::Rule for $name {}
    };
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            name: $rname:literal,
            severity: $sev:ident,
            kinds: [$($kind:ident),* $(,)?],
            schemas: [$($schema:ident),* $(,)?],
            since: $since:literal,
            flags: $flags:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                name: $rname,
                severity: $crate::diagnostic::Severity::$sev,
                gate: false,
                stage: $crate::core::Stage::Check,
                kinds: &[$($crate::model::Kind::$kind),*],
                schemas: &[$($crate::model::Schema::$schema),*],
                since: $since,
                flags: $flags,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rules::Declared for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}

/// Everything a rule file needs.
pub mod prelude {
    pub use crate::declare_rule;
    pub use crate::diagnostic::Severity;
    pub use crate::diagnostic::{Applicability, Fix, ValueEdit};
    pub use crate::model::schema::{self as attr, Attr, Kind};
    pub use crate::model::{
        Family, Found, Lookup, Model, PeeringType, PeeringTypeLookup, Resource, Schema, Val,
        ValKind,
    };
    pub use crate::render::{Edit, Literal, Spelling};
    pub use crate::rules::{Ctx, Declared, Rule, RuleMeta, fix, rewrite};
    pub use crate::source::Span;
}

/// A fix that writes `new` where the string `val` was written (its origin: a tfvars line,
/// a parameter file entry, a module argument, or the attribute itself); `None` for a value
/// written in no file (`TF_VAR_*`, `--var`) or that is not a string.
pub fn rewrite(val: &Val, new: impl Into<String>) -> Option<ValueEdit> {
    if val.holds_external() {
        return None;
    }
    Some(ValueEdit::Replace {
        at: val.origin_span()?,
        old: Some(val.as_str()?.to_string()),
        new: new.into(),
    })
}

/// A fix of `applicability` made of `edits`, or `None` when one of them cannot be made.
pub fn fix(applicability: Applicability, edits: Vec<Option<ValueEdit>>) -> Option<Fix> {
    let edits: Option<Vec<ValueEdit>> = edits.into_iter().collect();
    Some(Fix {
        applicability,
        edits: edits.filter(|e| !e.is_empty())?,
    })
}

/// Ids that were used once and must never be reused.
pub const RETIRED: &[&str] = &[];

/// Whether `id` names a [gate](RuleMeta::gate) rule: one that keeps the gate closed on a
/// file erlint could not check (an internal error, a parse error, an unreadable file). It
/// cannot be turned off or lowered, so a broken file never passes (SPEC §4); exclude such
/// a file instead.
pub fn is_gate(id: &str) -> bool {
    find(id).is_some_and(|m| m.gate)
}

/// The ids of the [gate](RuleMeta::gate) rules, in order.
pub fn gate_ids() -> Vec<&'static str> {
    RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.gate)
        .map(|m| m.id)
        .collect()
}

pub fn find(id: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

/// A rule by its id or its name (`ER301`, `single-bgp-session`), case-insensitively.
pub fn lookup(id_or_name: &str) -> Option<&'static RuleMeta> {
    let key = id_or_name.trim();
    find(key).or_else(|| {
        RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.name.eq_ignore_ascii_case(key))
    })
}

/// The rule whose id or name is nearest to a misspelt one (`ER3O1`, `single-bgp-sesion`):
/// within two edits, or a quarter of a long name's length (the first of equals); else the
/// one rule whose name starts with it (`legacy-provider`).
pub fn closest(text: &str) -> Option<&'static RuleMeta> {
    let key = text.trim().to_ascii_lowercase();
    if key.is_empty() || key.len() > 100 {
        return None;
    }
    let limit = 2.max(key.chars().count() / 4);
    let metas = || RULES.iter().map(|r| r.meta());
    let near = metas()
        .map(|m| {
            let by_id = strsim::levenshtein(&m.id.to_ascii_lowercase(), &key);
            (by_id.min(strsim::levenshtein(m.name, &key)), m)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, m)| m);
    near.or_else(|| {
        let mut starting = metas().filter(|m| key.len() >= 5 && m.name.starts_with(&key));
        match (starting.next(), starting.next()) {
            (Some(m), None) => Some(m),
            _ => None,
        }
    })
}

/// "; did you mean `ER301` (`single-bgp-session`)?" for a misspelt id or name, else "".
pub fn did_you_mean(text: &str) -> String {
    match closest(text) {
        Some(m) => format!("; did you mean `{}` (`{}`)?", m.id, m.name),
        None => String::new(),
    }
}

/// What `--select`, `--ignore` and a `[rules]` key name: a rule id, a rule name or an id
/// prefix (`ER3`), as the id or prefix; or why it names nothing (with the nearest rule).
pub fn selector(text: &str) -> Result<String, String> {
    let key = text.trim();
    if let Some(m) = lookup(key) {
        return Ok(m.id.to_string());
    }
    let up = key.to_ascii_uppercase();
    let digits = up.strip_prefix("ER");
    let is_prefix = digits.is_some_and(|d| d.len() < 3 && d.bytes().all(|b| b.is_ascii_digit()));
    if is_prefix {
        if RULES.iter().any(|r| r.meta().id.starts_with(&up)) {
            return Ok(up);
        }
        return Err(format!("`{key}` matches no erlint rule"));
    }
    Err(format!(
        "`{key}` is not an erlint rule id, name or id prefix{}",
        did_you_mean(key)
    ))
}

/// Settings rules may read (from the config and the environment).
#[derive(Clone, Debug, Default)]
pub struct RuleSettings {
    /// `terraform.subscription_from_env`, or `ARM_SUBSCRIPTION_ID` set for this run.
    pub subscription_from_env: bool,
    /// `ARM_ENVIRONMENT` of this run, if set (the azurerm provider's default cloud).
    pub arm_environment: Option<String>,
    /// `--report-unknown`: say which checks were skipped and why.
    pub report_unknown: bool,
    /// `subscriptions.office365`.
    pub office365: bool,
    /// `connectivity.carrier_tag`.
    pub carrier_tag: String,
}

/// What a rule gets while checking: the catalogue, the settings, and a place to report.
pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub settings: &'a RuleSettings,
    meta: &'static RuleMeta,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        catalog: &'a Catalog,
        settings: &'a RuleSettings,
        meta: &'static RuleMeta,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Ctx<'a> {
        Ctx {
            catalog,
            settings,
            meta,
            diags,
        }
    }

    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    /// Report a finding about `res` at `at`. Fills in code, name, severity, resource
    /// address, JSON path, parameter file and the module-call context.
    pub fn report(
        &mut self,
        res: &Resource,
        at: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::new(
            self.meta.id,
            self.meta.name,
            self.meta.severity,
            at,
            message,
        );
        d.resource = Some(res.address.clone());
        d.json_path = res.json_path.clone();
        d.parameter_file = res.parameter_file;
        d.scopes.push(res.extent);
        d.scopes.extend(res.scopes.iter().copied());
        for l in &res.context {
            if l.span.file != at.file || !res.extent.contains(l.span) {
                d.labels.push(l.clone());
            }
        }
        if let crate::model::Existence::Unknown(why) = &res.exists {
            d.note = Some(format!(
                "whether this resource is created is not known statically ({why}); the finding holds for every instance that is"
            ));
        }
        self.push(d)
    }

    /// Report a finding that belongs to no single resource (a provider block).
    pub fn report_at(&mut self, at: Span, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::new(
            self.meta.id,
            self.meta.name,
            self.meta.severity,
            at,
            message,
        );
        self.push(d)
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diags.push(d);
        let last = self.diags.len() - 1;
        #[allow(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.diags[last]
    }

    /// Report a finding with `at`/`from` of a Known value: the origin becomes a label.
    pub fn report_found(
        &mut self,
        res: &Resource,
        found: &Found<'_>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let from = found.from;
        let d = self.report(res, found.at, message);
        if let Some(from) = from {
            d.label(from, "value set here");
        }
        d
    }

    /// Report a finding at an Absent value (`at`); a null set elsewhere (`from`: a module
    /// argument, a variable default) gets the same origin label as a Known value.
    pub fn report_absent(
        &mut self,
        res: &Resource,
        at: Span,
        from: Option<Span>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = self.report(res, at, message);
        if let Some(from) = from {
            d.label(from, "value set here");
        }
        d
    }

    /// Read an attribute; when it is Unknown and `--report-unknown` is on, say that this
    /// rule's check was skipped and why.
    pub fn get<'r>(&mut self, res: &'r Resource, attr: &Attr) -> Lookup<'r> {
        let l = res.get(attr);
        if let Lookup::Unknown { unknown, at } = &l {
            let name = res.attr_name(attr);
            self.skipped(res, *at, name, unknown);
        }
        l
    }

    /// The peering's Known type and where it was read; an Unknown one is a skipped check.
    pub fn peering_type<'r>(&mut self, res: &'r Resource) -> Option<(PeeringType, Found<'r>)> {
        match res.peering_type() {
            PeeringTypeLookup::Known(t, f) => Some((t, f)),
            PeeringTypeLookup::Unknown { unknown, at, what } => {
                self.skipped(res, at, what, unknown);
                None
            }
            PeeringTypeLookup::Invalid(_) | PeeringTypeLookup::Absent => None,
        }
    }

    /// Read a reference attribute (`route_filter_id`, `express_route_port_id`) and the index
    /// of the resource of `model` it names ([`Model::resolve_ref`]). A reference is usually
    /// Unknown (`azurerm_route_filter.ms.id`); only one that names no resource of the model
    /// is recorded as a skipped check.
    pub fn get_ref<'r>(
        &mut self,
        model: &Model,
        res: &'r Resource,
        attr: &Attr,
    ) -> (Lookup<'r>, Option<usize>) {
        let l = res.get(attr);
        let target = model.resolve_lookup(&l, res);
        if let (Lookup::Unknown { unknown, at }, None) = (&l, target) {
            let name = res.attr_name(attr);
            self.skipped(res, *at, name, unknown);
        }
        (l, target)
    }

    /// The elements of a Known list attribute `found` (`what` names it) that are not
    /// Unknown; each Unknown element is a skipped check, recorded at the element like an
    /// Unknown attribute. Not a list: no elements.
    pub fn known_items<'v>(
        &mut self,
        res: &Resource,
        found: &Found<'v>,
        what: &str,
    ) -> Vec<&'v Val> {
        let items = found.val.as_list().unwrap_or_default();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.as_unknown() {
                Some(u) => {
                    let (at, _) = res.locate(item, found.at);
                    self.skipped(res, at, what, u);
                }
                None => out.push(item),
            }
        }
        out
    }

    /// Record a skipped check (only with `--report-unknown`).
    pub fn skipped(&mut self, res: &Resource, at: Span, what: &str, why: &Unknown) {
        if !self.settings.report_unknown {
            return;
        }
        let code = self.meta.id;
        if self.diags.iter().any(|d| {
            d.code == code
                && d.primary == at
                && d.severity == Severity::Info
                && d.resource.as_deref() == Some(res.address.as_str())
        }) {
            return;
        }
        let msg = format!(
            "`{what}` is not known before deployment ({}); {code} not checked",
            why.reason
        );
        let mut d = Diagnostic::new(code, self.meta.name, Severity::Info, at, msg);
        d.resource = Some(res.address.clone());
        d.json_path = res.json_path.clone();
        d.parameter_file = res.parameter_file;
        d.scopes.push(res.extent);
        d.note = Some(SKIPPED_NOTE.into());
        self.diags.push(d);
    }
}

/// The note of a skipped check's info diagnostic (`--report-unknown`).
pub const SKIPPED_NOTE: &str = "reported because of --report-unknown";

/// Run every enabled rule over one model.
pub fn check_model(
    model: &Model,
    catalog: &Catalog,
    settings: &RuleSettings,
    enabled: &dyn Fn(&RuleMeta) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    for rule in RULES {
        let meta = rule.meta();
        if !meta.checks_model() || !enabled(meta) {
            continue;
        }
        check_model_with(*rule, model, catalog, settings, out);
    }
}

/// Run one rule (one that [checks models](RuleMeta::checks_model)) on `model`.
pub fn check_model_with(
    rule: &dyn Rule,
    model: &Model,
    catalog: &Catalog,
    settings: &RuleSettings,
    out: &mut Vec<Diagnostic>,
) {
    let meta = rule.meta();
    let mut cx = Ctx::new(catalog, settings, meta, out);
    if !meta.kinds.is_empty() {
        for res in model.resources.iter().filter(|r| meta.applies_to(r)) {
            rule.check_resource(&mut cx, model, res);
        }
    }
    rule.check_model(&mut cx, model);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_well_formed() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "RULES must be sorted by id with no duplicates");
        for id in ids {
            assert!(
                id.len() == 5
                    && id.starts_with("ER")
                    && id[2..].chars().all(|c| c.is_ascii_digit())
            );
            assert!(!RETIRED.contains(&id), "{id} is retired");
        }
    }

    #[test]
    fn names_are_unique_kebab_case_and_name_the_bad_pattern() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        for n in &names {
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{n} is not kebab-case"
            );
            for bad in ["use-", "avoid-", "prefer-", "do-not-", "consider-", "no-"] {
                assert!(!n.starts_with(bad), "{n} starts with {bad}");
            }
        }
        names.sort_unstable();
        let len = names.len();
        names.dedup();
        assert_eq!(len, names.len(), "duplicate rule names");
    }

    #[test]
    fn rules_by_id_or_name_and_the_nearest_to_a_typo() {
        assert_eq!(lookup("single-bgp-session").map(|m| m.id), Some("ER301"));
        assert_eq!(lookup(" Single-BGP-Session ").map(|m| m.id), Some("ER301"));
        assert_eq!(lookup("er301").map(|m| m.id), Some("ER301"));
        assert!(lookup("ER3").is_none());
        assert_eq!(closest("ER3O1").map(|m| m.id), Some("ER301"));
        assert_eq!(closest("single-bgp-sesion").map(|m| m.id), Some("ER301"));
        assert_eq!(closest("singlebgpsession").map(|m| m.id), Some("ER301"));
        assert_eq!(closest("legacy-provider").map(|m| m.id), Some("ER205"));
        assert!(closest("the second router ships in Q3").is_none());
        assert!(closest("lab").is_none());

        assert_eq!(selector("single-bgp-session").as_deref(), Ok("ER301"));
        assert_eq!(selector("er3").as_deref(), Ok("ER3"));
        assert_eq!(selector("ER").as_deref(), Ok("ER"));
        assert_eq!(
            selector("ER4").as_deref(),
            Ok("ER4"),
            "a prefix of some rule"
        );
        assert_eq!(
            selector("ER9"),
            Err("`ER9` matches no erlint rule".to_string())
        );
        // An id no rule has (built at run time, so that tools listing the ids used in
        // `src/` do not take it for one).
        let missing = format!("ER{}", 391);
        assert_eq!(
            selector(&missing),
            Err(format!(
                "`{missing}` is not an erlint rule id, name or id prefix; did you mean `ER301` (`single-bgp-session`)?"
            ))
        );
        assert!(selector("ER3011").is_err());
        assert_eq!(
            selector("BGP"),
            Err("`BGP` is not an erlint rule id, name or id prefix".to_string())
        );
    }

    #[test]
    fn docs_have_the_required_sections_in_order() {
        for rule in RULES {
            let m = rule.meta();
            let docs = m.docs;
            let mut at = 0;
            for h in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
                "## References",
            ] {
                let pos = docs[at..]
                    .find(h)
                    .unwrap_or_else(|| panic!("{}: missing or misplaced `{h}`", m.id));
                at += pos + h.len();
            }
            assert_eq!(
                docs.matches("```").count() % 2,
                0,
                "{}: unbalanced code fences",
                m.id
            );
            assert!(docs.contains("https://"), "{}: no reference link", m.id);
        }
    }
}

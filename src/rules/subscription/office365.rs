//! What ER104, ER105 and ER106 share: the Microsoft 365 BGP communities, the route filters
//! of Microsoft peerings that select them, and whether a peering's circuit is in Azure
//! China.

use crate::catalog::{Cloud, Location};
use crate::model::schema::{self, Kind};
use crate::model::{Lookup, Model, PeeringType, PeeringTypeLookup, Resource};
use crate::reference::communities::service_community;
use crate::rules::Ctx;
use crate::rules::provider::circuit::cloud_scope;
use crate::source::Span;
use std::collections::BTreeMap;

/// The Microsoft 365 (Office 365) service a written community value (`12076:5010`)
/// selects: the rows of Microsoft's community tables marked "Authorization required from
/// Microsoft" ([`crate::reference::communities`]). CRM Online (`12076:5040`, Dynamics
/// v8.2 and earlier), Microsoft Entra ID and the Azure communities are not among them.
pub(crate) fn office365_service(community: &str) -> Option<String> {
    let c = service_community(community).filter(|c| c.office365)?;
    Some(match c.cloud {
        Cloud::Global => c.service.to_string(),
        cloud => format!("{}, {}", c.service, cloud.display()),
    })
}

/// A Microsoft 365 community selected by a route filter.
pub(crate) struct Community {
    /// As written (`12076:5010`).
    pub value: String,
    pub service: String,
    /// Where to report it in the route filter, and where it was set when elsewhere.
    pub at: Span,
    pub from: Option<Span>,
}

impl Community {
    /// "`12076:5010` (Exchange Online)".
    pub fn describe(&self) -> String {
        format!("`{}` ({})", self.value, self.service)
    }
}

/// A route filter that selects Microsoft 365 communities, attached to Microsoft peerings.
pub(crate) struct Office365Filter<'m> {
    pub filter: &'m Resource,
    /// In the order written.
    pub communities: Vec<Community>,
    /// The Microsoft peerings that attach the filter.
    pub peerings: Vec<Attached>,
}

/// A Microsoft peering that attaches a route filter.
pub(crate) struct Attached {
    /// The peering's index in the model.
    pub peering: usize,
    /// The attribute that attaches the filter.
    pub at: Span,
    /// Set when the peering's circuit is in Azure China (21Vianet), where Microsoft 365
    /// communities are not offered at all (ER106 reports them instead of ER104/ER105).
    pub china: Option<InChina>,
}

/// How erlint knows that a circuit is in Azure China.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct InChina {
    /// "provider `azurerm` sets `environment = \"china\"`".
    pub why: String,
    /// Where the cloud was chosen, when that is a value of the configuration, and what to
    /// say there.
    pub at: Option<(Span, &'static str)>,
}

/// Whether the circuit of a Microsoft peering (the peering itself when its circuit is not
/// in the model) is known to be in Azure China: by the cloud of its Terraform provider
/// configuration, else, when that names no cloud (an ARM template, an `environment` that
/// is not known), by the circuit's Azure region or by a peering location that exists in
/// Azure China only.
pub(crate) fn in_china(cx: &Ctx<'_>, model: &Model, peering: &Resource) -> Option<InChina> {
    let circuit = model
        .circuit_of(peering)
        .and_then(|c| model.resources.get(c))
        .unwrap_or(peering);
    let scope = cloud_scope(cx, model, circuit);
    if let Some(cloud) = scope.cloud {
        return (cloud == Cloud::China).then(|| InChina {
            why: scope.why,
            at: scope.at.map(|at| (at, "cloud chosen here")),
        });
    }
    if let Some((region, at)) = circuit.known_str(&schema::LOCATION)
        && let Some(r) = cx.catalog.azure_region(region)
    {
        return (r.cloud == Cloud::China).then(|| InChina {
            why: format!(
                "the circuit's region `{}` is in {}",
                region.trim(),
                Cloud::China.display()
            ),
            at: Some((at, "region in Azure China (21Vianet)")),
        });
    }
    let (name, at) = circuit.known_str(&schema::PEERING_LOCATION)?;
    let locations: Vec<&Location> = cx.catalog.locations_named(name);
    (!locations.is_empty() && locations.iter().all(|l| l.cloud == Cloud::China)).then(|| InChina {
        why: format!(
            "peering location `{}` is a location of {} only",
            name.trim(),
            Cloud::China.display()
        ),
        at: Some((at, "peering location of Azure China (21Vianet) only")),
    })
}

/// "`12076:5010` (Exchange Online) and `12076:5020` (SharePoint Online)".
pub(crate) fn describe_all(communities: &[&Community]) -> String {
    let names: Vec<String> = communities.iter().map(|c| c.describe()).collect();
    crate::text::join_names(&names, false)
}

/// The route filters Microsoft peerings attach (by index), each with the peerings that
/// attach it.
fn attached_filters(cx: &mut Ctx<'_>, model: &Model) -> BTreeMap<usize, Vec<Attached>> {
    let mut attached: BTreeMap<usize, Vec<Attached>> = BTreeMap::new();
    for (i, peering) in model.of_kind(Kind::Peering) {
        if !peering.reportable {
            continue;
        }
        // Only a Microsoft peering matters: decided on Known facts before anything else is
        // read, so that no skipped check is recorded for a peering this never applies to.
        let typed = match peering.peering_type() {
            PeeringTypeLookup::Known(PeeringType::Microsoft, _) => None,
            PeeringTypeLookup::Unknown { unknown, at, what } => Some((unknown, at, what)),
            _ => continue,
        };
        let mut filters = Vec::new();
        for attr in [&schema::ROUTE_FILTER_ID, &schema::IPV6_ROUTE_FILTER_ID] {
            let (l, target) = cx.get_ref(model, peering, attr);
            if let Some(t) = target.filter(|t| {
                model
                    .resources
                    .get(*t)
                    .is_some_and(|r| r.kind == Kind::RouteFilter)
            }) {
                filters.push((t, l.at()));
            }
        }
        if filters.is_empty() {
            continue;
        }
        if let Some((unknown, at, what)) = typed {
            // Recorded as a skipped check only now that a route filter is attached.
            cx.skipped(peering, at, what, unknown);
            continue;
        }
        let china = in_china(cx, model, peering);
        for (t, at) in filters {
            let list = attached.entry(t).or_default();
            if !list.iter().any(|a| a.peering == i) {
                list.push(Attached {
                    peering: i,
                    at,
                    china: china.clone(),
                });
            }
        }
    }
    attached
}

/// Every route filter of the model that a Microsoft peering attaches (IPv4 or IPv6) and that
/// selects Microsoft 365 communities, in its inline rules or (ARM) in `routeFilterRules`
/// resources linked to it. Peerings of Unknown type, Unknown filter references
/// and Unknown community lists are left out (recorded for `--report-unknown`).
pub(crate) fn office365_filters<'m>(
    cx: &mut Ctx<'_>,
    model: &'m Model,
) -> Vec<Office365Filter<'m>> {
    let attached = attached_filters(cx, model);
    let mut out = Vec::new();
    for (t, peerings) in attached {
        let Some(filter) = model.resources.get(t).filter(|f| f.reportable) else {
            continue;
        };
        // The filter's inline rules, then its `routeFilterRules` child resources (ARM).
        let rules = model
            .of_kind(Kind::RouteFilterRule)
            .filter(|(_, r)| r.parent == Some(t))
            .map(|(_, r)| (r, &schema::ROUTE_FILTER_RULE_COMMUNITIES));
        let sources = std::iter::once((filter, &schema::ROUTE_FILTER_COMMUNITIES)).chain(rules);
        let mut communities = Vec::new();
        let mut unknown = Vec::new();
        for (holder, attr) in sources {
            let Lookup::Known(found) = cx.get(holder, attr) else {
                continue;
            };
            for item in found.val.as_list().unwrap_or_default() {
                if let Some(u) = item.as_unknown() {
                    unknown.push((holder, attr, item, found.at, u));
                    continue;
                }
                let Some(value) = item.as_str() else { continue };
                let Some(service) = office365_service(value) else {
                    continue;
                };
                let (at, from) = holder.locate(item, found.at);
                communities.push(Community {
                    value: value.trim().to_string(),
                    service,
                    at,
                    from,
                });
            }
        }
        // An Unknown community could be a Microsoft 365 one, which matters only when no
        // Known one is.
        if communities.is_empty() {
            for (holder, attr, item, attr_at, u) in unknown {
                let (at, _) = holder.locate(item, attr_at);
                cx.skipped(holder, at, holder.attr_name(attr), u);
            }
        }
        if !communities.is_empty() {
            out.push(Office365Filter {
                filter,
                communities,
                peerings,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office365_communities() {
        assert_eq!(
            office365_service("12076:5010").as_deref(),
            Some("Exchange Online")
        );
        assert_eq!(
            office365_service(" 12076:5100 ").as_deref(),
            Some("Other Office 365 Online services")
        );
        assert_eq!(
            office365_service("12076:5200").as_deref(),
            Some("Other Office 365 Online services, Azure US Government")
        );
        // CRM Online, Azure regions, Entra ID and other ASNs are not Microsoft 365.
        for c in [
            "12076:5040",
            "12076:51004",
            "12076:5060",
            "65000:5010",
            "5010",
            "x:y",
            "",
        ] {
            assert_eq!(office365_service(c), None, "{c}");
        }
    }
}

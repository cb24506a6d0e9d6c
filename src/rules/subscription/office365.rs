//! What ER104 and ER105 share: the Microsoft 365 BGP communities and the route filters
//! of Microsoft peerings that select them.

use crate::model::schema::{self, Kind};
use crate::model::{Lookup, Model, PeeringType, PeeringTypeLookup, Resource};
use crate::rules::Ctx;
use crate::source::Span;
use std::collections::BTreeMap;

/// The BGP communities of Microsoft 365 services on Microsoft peering, which a route
/// filter may select only with Microsoft's authorization (Microsoft Learn, "ExpressRoute
/// routing requirements", BGP community values). Dynamics 365 (`12076:5040`) and the
/// Azure communities need none.
const OFFICE365_COMMUNITIES: &[(u32, &str)] = &[
    (5010, "Exchange Online"),
    (5020, "SharePoint Online"),
    (5030, "Skype for Business Online and Microsoft Teams"),
    (5100, "other Microsoft 365 services"),
    (5110, "Exchange Online in Azure US Government"),
    (5120, "SharePoint Online in Azure US Government"),
    (5130, "Skype for Business Online in Azure US Government"),
    (5200, "other Microsoft 365 services in Azure US Government"),
];

/// The Microsoft 365 service a written community value (`12076:5010`) selects.
pub(crate) fn office365_service(community: &str) -> Option<&'static str> {
    let (asn, value) = community.trim().split_once(':')?;
    if asn.trim().parse::<u32>().ok()? != 12076 {
        return None;
    }
    let value = value.trim().parse::<u32>().ok()?;
    OFFICE365_COMMUNITIES
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, s)| *s)
}

/// A Microsoft 365 community selected by a route filter.
pub(crate) struct Community {
    /// As written (`12076:5010`).
    pub value: String,
    pub service: &'static str,
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
    /// The Microsoft peerings (index in the model) that attach the filter, with the span of
    /// the attribute that does.
    pub peerings: Vec<(usize, Span)>,
}

/// "`12076:5010` (Exchange Online) and `12076:5020` (SharePoint Online)".
pub(crate) fn describe_all(communities: &[&Community]) -> String {
    let names: Vec<String> = communities.iter().map(|c| c.describe()).collect();
    crate::text::join_names(&names, false)
}

/// Every route filter of the model that a Microsoft peering attaches (IPv4 or IPv6) and that
/// selects Microsoft 365 communities, in its inline rules or (ARM) in `routeFilterRules`
/// resources linked to it. Peerings of Unknown type, Unknown filter references
/// and Unknown community lists are left out (recorded for `--report-unknown`).
pub(crate) fn office365_filters<'m>(
    cx: &mut Ctx<'_>,
    model: &'m Model,
) -> Vec<Office365Filter<'m>> {
    let mut attached: BTreeMap<usize, Vec<(usize, Span)>> = BTreeMap::new();
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
        for (t, at) in filters {
            let list = attached.entry(t).or_default();
            if !list.iter().any(|(p, _)| *p == i) {
                list.push((i, at));
            }
        }
    }
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
        assert_eq!(office365_service("12076:5010"), Some("Exchange Online"));
        assert_eq!(
            office365_service(" 12076:5100 "),
            Some("other Microsoft 365 services")
        );
        assert!(office365_service("12076:5200").is_some());
        // Dynamics 365, Azure regions, Entra ID and other ASNs are not Microsoft 365.
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

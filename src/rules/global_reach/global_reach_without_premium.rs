//! ER508 global-reach-without-premium
use super::ends::{linked, set_str};
use crate::rules::prelude::*;
use crate::catalog::Cloud;
use crate::rules::provider::circuit::{cloud_scope, locations_in};

declare_rule! {
    /// ## What it does
    /// Flags a Global Reach connection between circuits in two geopolitical regions
    /// (Europe and Asia, say) when a circuit at either end is not of the Premium tier.
    ///
    /// ## Why is this bad?
    /// A Standard circuit reaches the Azure regions of its own geopolitical region;
    /// Premium extends it worldwide. Global Reach follows the same line: two circuits in
    /// one geopolitical region can be linked as Standard circuits, but circuits in
    /// different geopolitical regions need the Premium tier, both of them. Without it the
    /// link between the two on-premises networks is not offered.
    ///
    /// The geopolitical region of each circuit is that of its peering location in
    /// Microsoft's table of geopolitical regions, as the bundled catalogue holds it. A
    /// location the table does not map (some newer ones), a peering location or tier not
    /// known before deployment, and a circuit outside the configuration are not checked.
    /// A Local circuit has no Global Reach at all: that is ER507's finding. This rule is a
    /// warning because the table is older than some locations: `erlint catalog
    /// <location>` shows the region erlint uses.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "ams" {
    ///   name                  = "er-ams"
    ///   resource_group_name   = "rg-network"
    ///   location              = "westeurope"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Amsterdam"   # Europe
    ///   bandwidth_in_mbps     = 1000
    ///
    ///   sku {
    ///     tier   = "Standard"
    ///     family = "MeteredData"
    ///   }
    /// }
    ///
    /// resource "azurerm_express_route_circuit_connection" "ams_to_sg" {
    ///   name                = "gr-ams-sg"
    ///   peering_id          = azurerm_express_route_circuit_peering.ams_private.id   # ER508
    ///   peer_peering_id     = azurerm_express_route_circuit_peering.sg_private.id    # Singapore: Asia
    ///   address_prefix_ipv4 = "192.168.8.0/29"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings/connections",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-ams/AzurePrivatePeering/gr-ams-sg",
    ///   "properties": {
    ///     "expressRouteCircuitPeering": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits/peerings', 'er-ams', 'AzurePrivatePeering')]" },
    ///     "peerExpressRouteCircuitPeering": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits/peerings', 'er-sg', 'AzurePrivatePeering')]" },
    ///     "addressPrefix": "192.168.8.0/29"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Upgrade each circuit that is not Premium to the Premium tier (Azure allows Standard
    /// to Premium in place), or link circuits within one geopolitical region.
    ///
    /// ## References
    /// - [ExpressRoute FAQ: Global Reach](https://learn.microsoft.com/azure/expressroute/expressroute-faqs#globalreach):
    ///   circuits in the same geopolitical region need no Premium to be linked; circuits
    ///   in different geopolitical regions need Premium, both of them.
    /// - [ExpressRoute locations: geopolitical regions](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers#azure-regions-to-expressroute-locations-within-a-geopolitical-region)
    /// - [About ExpressRoute Global Reach](https://learn.microsoft.com/azure/expressroute/expressroute-global-reach)
    pub struct GlobalReachWithoutPremium {
        id: "ER508",
        name: "global-reach-without-premium",
        severity: Warning,
        kinds: [CircuitConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Global Reach connection across geopolitical regions on a circuit that is not Premium",
    }
}

/// Where a circuit is: its peering location as written, where it was set, and the
/// geopolitical region (in Microsoft's table; `None`: not in it) of each location the
/// name can mean, by cloud (one cloud when the circuit's is known).
struct Place<'r> {
    location: &'r str,
    at: Span,
    regions: Vec<(Cloud, Option<String>)>,
}

impl Rule for GlobalReachWithoutPremium {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some(link) = linked(cx, model, res) else {
            return;
        };
        let (a, b) = (link.own_circuit, link.peer_circuit);
        let (Some(pa), Some(pb)) = (place(cx, model, a), place(cx, model, b)) else {
            return;
        };
        let Some((ra, rb)) = crossing(&pa, &pb) else {
            return;
        };
        let (na, nb) = (a.display_name(), b.display_name());
        for (end, circuit, name) in [(link.own, a, na), (link.peer, b, nb)] {
            let Some((tier, tier_at)) = set_str(circuit, &attr::SKU_TIER) else {
                continue;
            };
            let tier = tier.trim();
            // Premium is what it needs; Local has no Global Reach at all (ER507).
            if tier.eq_ignore_ascii_case("Premium") || tier.eq_ignore_ascii_case("Local") {
                continue;
            }
            cx.report(
                res,
                end.at,
                format!(
                    "Global Reach between `{na}` ({}, {}) and `{nb}` ({}, {}) crosses geopolitical regions, which needs the Premium tier on both circuits; `{name}` is `{tier}`",
                    pa.location, ra, pb.location, rb
                ),
            )
            .label(tier_at, format!("`{name}` is `{tier}`"))
            .label(pa.at, format!("`{na}` is in {ra}"))
            .label(pb.at, format!("`{nb}` is in {rb}"))
            .help(format!(
                "upgrade `{name}` to the Premium tier (Azure changes Standard to Premium in place), or link circuits within one geopolitical region"
            ));
        }
    }
}

/// A circuit's Known peering location and the geopolitical regions it can be in; `None`
/// when the location is not known or not in the catalogue.
fn place<'r>(cx: &Ctx<'_>, model: &Model, circuit: &'r Resource) -> Option<Place<'r>> {
    let (location, at) = set_str(circuit, &attr::PEERING_LOCATION)?;
    let scope = cloud_scope(cx, model, circuit);
    let regions: Vec<(Cloud, Option<String>)> = locations_in(cx.catalog, location, scope.cloud)
        .into_iter()
        .map(|l| (l.cloud, l.geopolitical_region.clone()))
        .collect();
    if regions.is_empty() {
        return None;
    }
    Some(Place {
        location: location.trim(),
        at,
        regions,
    })
}

/// The two geopolitical regions of a Global Reach link that crosses them, when it does
/// whichever cloud the two circuits are in: in every cloud that has both locations, both
/// are in Microsoft's table, in different regions (the first such cloud's are named).
/// `None` when no cloud has both (Global Reach stays within one cloud), or when in some
/// cloud the two could be in one region or a location is not in the table.
fn crossing(a: &Place<'_>, b: &Place<'_>) -> Option<(String, String)> {
    let mut found = None;
    for (ca, ra) in &a.regions {
        for (_, rb) in b.regions.iter().filter(|(cb, _)| cb == ca) {
            match (ra, rb) {
                (Some(x), Some(y)) if x != y => {
                    found.get_or_insert_with(|| (x.clone(), y.clone()));
                }
                _ => return None,
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{Place, crossing};
    use crate::catalog::Cloud;
    use crate::source::{FileId, Span};

    fn place(regions: &[(Cloud, Option<&str>)]) -> Place<'static> {
        Place {
            location: "x",
            at: Span::new(FileId(0), 0, 1),
            regions: regions
                .iter()
                .map(|(c, r)| (*c, r.map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn regions_cross_only_when_they_differ_in_every_shared_cloud() {
        let london = place(&[(Cloud::Global, Some("Europe"))]);
        let new_york = place(&[
            (Cloud::Global, Some("North America")),
            (Cloud::UsGovernment, Some("US Government cloud")),
        ]);
        let seattle = place(&[
            (Cloud::Global, Some("North America")),
            (Cloud::UsGovernment, Some("US Government cloud")),
        ]);
        assert_eq!(
            crossing(&london, &new_york),
            Some(("Europe".into(), "North America".into()))
        );
        // The same two regions in each cloud: no crossing, whichever the cloud.
        assert_eq!(crossing(&new_york, &seattle), None);
        // A location Microsoft's table does not map: not checked.
        let unmapped = place(&[(Cloud::Global, None)]);
        assert_eq!(crossing(&london, &unmapped), None);
        // No cloud with both: Global Reach stays in one cloud, nothing to say.
        let beijing = place(&[(Cloud::China, Some("China North"))]);
        assert_eq!(crossing(&london, &beijing), None);
    }
}

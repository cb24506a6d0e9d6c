//! ER404 route-filter-on-private-peering
use super::microsoft_peering::is_set;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a route filter attached to a peering that is not a Microsoft peering (Azure
    /// private peering, or the retired Azure public peering), for its IPv4 or its IPv6
    /// sessions.
    ///
    /// ## Why is this bad?
    /// Route filters select which Microsoft service prefixes (by BGP community) a
    /// Microsoft peering advertises to you; they are defined for Microsoft peering only.
    /// The azurerm provider refuses to apply `route_filter_id` unless `peering_type` is
    /// `MicrosoftPeering`, so the plan fails; an ARM template attaching one to another
    /// peering asks Azure for a configuration it does not offer. Private peering carries
    /// your virtual network prefixes and is filtered with your own router policy instead.
    ///
    /// A route filter counts as attached when its id is written as a string or refers to a
    /// route filter declared in the same configuration (`azurerm_route_filter.x.id`, ARM
    /// `resourceId('Microsoft.Network/routeFilters', …)`). An id from a variable or a
    /// parameter that has no value, or a peering type that is not known, is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 65010
    ///   vlan_id                       = 100
    ///   primary_peer_address_prefix   = "172.16.0.0/30"
    ///   secondary_peer_address_prefix = "172.16.0.4/30"
    ///   route_filter_id               = azurerm_route_filter.microsoft.id   # ER404
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-circuit/AzurePrivatePeering",
    ///   "properties": {
    ///     "peeringType": "AzurePrivatePeering",
    ///     "peerASN": 65010,
    ///     "vlanId": 100,
    ///     "primaryPeerAddressPrefix": "172.16.0.0/30",
    ///     "secondaryPeerAddressPrefix": "172.16.0.4/30",
    ///     "routeFilter": { "id": "[resourceId('Microsoft.Network/routeFilters', 'rf-microsoft')]" }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `route_filter_id` (`routeFilter`) from the peering. If you meant to filter
    /// the Microsoft services you receive, attach the route filter to the circuit's
    /// `MicrosoftPeering` instead.
    ///
    /// ## References
    /// - [Configure route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-routefilter-portal)
    /// - [ExpressRoute circuits and peering](https://learn.microsoft.com/azure/expressroute/expressroute-circuit-peerings)
    /// - [azurerm_express_route_circuit_peering](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit_peering)
    pub struct RouteFilterOnPrivatePeering {
        id: "ER404",
        name: "route-filter-on-private-peering",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a route filter on a peering that is not Microsoft peering",
    }
}

impl Rule for RouteFilterOnPrivatePeering {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some((ty, _)) = cx.peering_type(res) else {
            return;
        };
        if ty == PeeringType::Microsoft {
            return;
        }
        let filter_at = |i: usize| {
            model
                .resources
                .get(i)
                .filter(|r| r.kind == Kind::RouteFilter)
        };
        for fam in &attr::FAMILIES {
            let attr = fam.route_filter;
            let name = res.attr_name(attr);
            // Read without `cx.get`: an Unknown id that names a declared route filter is
            // still an attached route filter.
            let (at, from, filter, shown) = match res.get(attr) {
                Lookup::Known(f) if is_set(&f) => {
                    let Some(id) = f.as_str() else { continue };
                    let filter = model.resolve_ref(f.val, res).and_then(filter_at);
                    let shown = match filter {
                        Some(r) => r.address.clone(),
                        None => last_segment(id).to_string(),
                    };
                    (f.at, f.from, filter, shown)
                }
                Lookup::Unknown { unknown, at } => {
                    match model.resolve_unknown(unknown, res).and_then(filter_at) {
                        Some(r) => (at, None, Some(r), r.address.clone()),
                        None => {
                            cx.skipped(res, at, name, unknown);
                            continue;
                        }
                    }
                }
                _ => continue,
            };
            let d = cx.report(
                res,
                at,
                format!(
                    "route filter `{shown}` is attached to `{}`; route filters apply only to `MicrosoftPeering`",
                    ty.name()
                ),
            );
            d.help(format!(
                "remove `{name}` from this peering; to filter the Microsoft services you receive, attach the route filter to the circuit's `MicrosoftPeering` instead"
            ));
            if let Some(from) = from {
                d.label(from, "value set here");
            }
            if let Some(rf) = filter {
                d.label(rf.header, "route filter declared here");
            }
        }
    }
}

/// `/subscriptions/…/routeFilters/rf-microsoft` → `rf-microsoft`.
fn last_segment(id: &str) -> &str {
    let id = id.trim().trim_end_matches('/');
    id.rsplit('/').next().unwrap_or(id)
}

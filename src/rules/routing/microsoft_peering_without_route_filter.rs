//! ER403 microsoft-peering-without-route-filter
use super::microsoft_peering::{Sessions, is_set, sessions};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Microsoft peering whose IPv4 or IPv6 BGP sessions have no route filter
    /// attached.
    ///
    /// ## Why is this bad?
    /// Since 1 August 2017 a new Microsoft peering advertises no Microsoft routes at all
    /// until a route filter is attached to it. The route filter's rule selects the BGP
    /// communities of the services you want (the Azure regions, Microsoft Entra ID,
    /// Microsoft 365, CRM Online for Dynamics v8.2 and earlier);
    /// without one the sessions come up, but your network learns no prefixes and reaches
    /// nothing through the circuit. The IPv6 sessions take their own route filter
    /// (`ipv6.route_filter_id`, `ipv6PeeringConfig.routeFilter`), so a filter on the IPv4
    /// sessions does not cover them.
    ///
    /// Only families whose sessions are configured are checked (a primary or secondary
    /// peer prefix is set and the family is not turned off). A route filter id that is
    /// not known before deployment counts as attached. Circuits created before August 2017
    /// that still advertise every prefix cannot be told apart in code: suppress the finding
    /// there, with a reason.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {   # ER403
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 54496   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "185.64.100.0/30"
    ///   secondary_peer_address_prefix = "185.64.100.4/30"
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.113.0/28"]
    ///     routing_registry_name      = "ARIN"
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-circuit/MicrosoftPeering",
    ///   "properties": {
    ///     "peeringType": "MicrosoftPeering",
    ///     "peerASN": 54496,
    ///     "vlanId": 300,
    ///     "primaryPeerAddressPrefix": "185.64.100.0/30",
    ///     "secondaryPeerAddressPrefix": "185.64.100.4/30",
    ///     "microsoftPeeringConfig": {
    ///       "advertisedPublicPrefixes": ["185.64.113.0/28"],
    ///       "routingRegistryName": "ARIN"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Create a route filter with one rule that allows the BGP communities of the services
    /// you use (for example `12076:5060` for Microsoft Entra ID, and the regional
    /// communities of your Azure regions, which newer Dynamics deployments use too; `12076:5040`
    /// is CRM Online, Dynamics v8.2 and earlier) and attach it: `route_filter_id =
    /// azurerm_route_filter.microsoft.id` (and `route_filter_id` inside the `ipv6` block for
    /// IPv6) in Terraform, `"routeFilter": { "id": "[resourceId('Microsoft.Network/routeFilters',
    /// 'rf-microsoft')]" }` (and under `ipv6PeeringConfig`) in ARM.
    ///
    /// ## References
    /// - [Configure route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-routefilter-portal)
    /// - [ExpressRoute FAQ: route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    /// - [ExpressRoute routing requirements: BGP communities](https://learn.microsoft.com/azure/expressroute/expressroute-routing#bgp)
    ///   (03/12/2026): "(4) CRM Online supports Dynamics v8.2 and earlier. For higher
    ///   versions, select the regional community for your Dynamics deployments."
    /// - [azurerm_route_filter](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/route_filter)
    pub struct MicrosoftPeeringWithoutRouteFilter {
        id: "ER403",
        name: "microsoft-peering-without-route-filter",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "Microsoft peering sessions without a route filter: Microsoft advertises nothing to them",
    }
}

impl Rule for MicrosoftPeeringWithoutRouteFilter {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((PeeringType::Microsoft, _)) = cx.peering_type(res) else {
            return;
        };
        for fam in &attr::FAMILIES {
            if sessions(cx, res, fam) != Sessions::Configured {
                continue;
            }
            let name = res.attr_name(fam.route_filter);
            let (at, from, found, how) = match cx.get(res, fam.route_filter) {
                Lookup::Unknown { .. } => continue,
                Lookup::Known(f) if is_set(&f) => continue,
                Lookup::Known(f) => (f.at, None, Some(f), "is empty"),
                Lookup::Absent { at, written, from } => (
                    at,
                    from,
                    None,
                    if written { "is null" } else { "is not set" },
                ),
            };
            let message = format!(
                "`MicrosoftPeering` has no route filter for its {} sessions (`{name}` {how}): Microsoft advertises no routes over them",
                fam.name
            );
            let sp = Spelling::of(res);
            let help = format!(
                "create {} whose rule allows the BGP communities of the services you use (for example `12076:5060` for Microsoft Entra ID, or the regional communities of your Azure regions) and set `{name}` to {}",
                sp.resource_type(Kind::RouteFilter),
                sp.id_reference()
            );
            match found {
                Some(f) => cx.report_found(res, &f, message),
                None => cx.report_absent(res, at, from, message),
            }
            .help(help);
        }
    }
}

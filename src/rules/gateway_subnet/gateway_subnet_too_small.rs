//! ER510 gateway-subnet-too-small
use super::subnets::subnet_refs;
use crate::rules::bgp::prefix::parse_prefix;
use crate::rules::capacity::connections::by_gateway;
use crate::rules::prelude::*;
use ipnet::{IpNet, Ipv4Net};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Flags the gateway subnet of an ExpressRoute virtual network gateway when its IPv4
    /// prefix is smaller than a /27, or smaller than a /26 when 16 circuits connect to the
    /// gateway.
    ///
    /// ## Why is this bad?
    /// Azure deploys an ExpressRoute gateway's virtual machines into the virtual network's
    /// `GatewaySubnet`, with addresses from it. Microsoft asks for a gateway subnet of /27
    /// or larger for an ExpressRoute gateway, and of /26 or larger to connect 16 circuits
    /// to it, so that the subnet holds the addresses the gateway's instances take.
    ///
    /// The subnet is the one the gateway's IP configuration names (a reference to a subnet
    /// resource, a virtual network's inline subnet by its id, in ARM and Bicep its resource
    /// id), declared in the configuration erlint reads. The connections counted for the
    /// /26 are the ExpressRoute connections to the gateway in the same configuration (as
    /// ER509 counts them). A VPN gateway, a gateway whose type is not known statically, a
    /// subnet read from a data source or declared `existing`, and a prefix not known
    /// before deployment are not reported; IPv6 prefixes are not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_subnet" "gateway" {
    ///   name                 = "GatewaySubnet"
    ///   resource_group_name  = "rg-hub"
    ///   virtual_network_name = azurerm_virtual_network.hub.name
    ///   address_prefixes     = ["10.1.255.0/28"]   # ER510
    /// }
    ///
    /// resource "azurerm_virtual_network_gateway" "er" {
    ///   name                = "ergw-hub"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-hub"
    ///   type                = "ExpressRoute"
    ///   sku                 = "ErGw1AZ"
    ///
    ///   ip_configuration {
    ///     public_ip_address_id = azurerm_public_ip.ergw.id
    ///     subnet_id            = azurerm_subnet.gateway.id
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/virtualNetworks",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "vnet-hub",
    ///   "location": "westeurope",
    ///   "properties": {
    ///     "addressSpace": { "addressPrefixes": ["10.1.0.0/16"] },
    ///     "subnets": [
    ///       { "name": "GatewaySubnet", "properties": { "addressPrefix": "10.1.255.0/28" } }
    ///     ]
    ///   }
    /// }
    /// ```
    /// (With an ExpressRoute gateway whose `ipConfigurations[].properties.subnet.id` is
    /// `resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'GatewaySubnet')`.)
    ///
    /// ## How to fix
    /// Give `GatewaySubnet` a /27 or larger prefix (a /26 or larger for 16 circuits), from
    /// the virtual network's address space and clear of its other subnets.
    ///
    /// ## References
    /// - [About ExpressRoute virtual network gateways: gateway subnet](https://learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways#gateway-subnet):
    ///   the gateway subnet should be /27 or larger; to connect 16 ExpressRoute circuits
    ///   to the gateway, /26 or larger.
    /// - [Configure a virtual network gateway for ExpressRoute](https://learn.microsoft.com/azure/expressroute/expressroute-howto-add-gateway-portal-resource-manager)
    pub struct GatewaySubnetTooSmall {
        id: "ER510",
        name: "gateway-subnet-too-small",
        severity: Warning,
        kinds: [VnetGateway],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "the gateway subnet of an ExpressRoute gateway smaller than /27, or than /26 for 16 circuits",
    }
}

/// The longest IPv4 prefix Microsoft asks for: for any ExpressRoute gateway, and for one
/// that connects [`MANY_CIRCUITS`] circuits.
const PREFIX_LEN: u8 = 27;
const MANY_PREFIX_LEN: u8 = 26;
const MANY_CIRCUITS: usize = 16;

impl Rule for GatewaySubnetTooSmall {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        // Circuits connected per gateway; a gateway reference not known is not recorded
        // here (ER509 records it).
        let connections = by_gateway(model, |res| {
            let l = res.get(&attr::CONNECTION_GATEWAY_ID);
            (l.at(), model.resolve_lookup(&l, res))
        });
        // A prefix reported once, however many gateways name its subnet.
        let mut reported: HashSet<(usize, Span)> = HashSet::new();
        for (g, gateway) in model.of_kind(Kind::VnetGateway) {
            if !self.meta().applies_to(gateway) || gateway.is_expressroute() != Some(true) {
                continue;
            }
            let circuits = connections.get(&g).map_or(0, Vec::len);
            for r in subnet_refs(cx, model, gateway) {
                let subnet = r.subnet.and_then(|i| Some((i, model.resources.get(i)?)));
                match (subnet, &r.lookup) {
                    (Some(subnet), l) => {
                        check_subnet(cx, (gateway, l.at(), circuits), subnet, &mut reported);
                    }
                    // A reference to no subnet of the model: not checked.
                    (None, Lookup::Unknown { unknown, at }) => {
                        let name = gateway.attr_name(&attr::IP_CONFIGURATION_SUBNET_ID);
                        cx.skipped(gateway, *at, name, unknown);
                    }
                    (None, _) => {}
                }
            }
        }
    }
}

/// Report each Known IPv4 prefix of `subnet` longer than the gateway needs.
fn check_subnet(
    cx: &mut Ctx<'_>,
    (gateway, reference, circuits): (&Resource, Span, usize),
    (index, subnet): (usize, &Resource),
    reported: &mut HashSet<(usize, Span)>,
) {
    if !subnet.reportable {
        return;
    }
    let many = circuits >= MANY_CIRCUITS;
    let want = if many { MANY_PREFIX_LEN } else { PREFIX_LEN };
    let gateway_name = gateway.display_name();
    let subnet_name = subnet.display_name().to_string();
    for attr in [&attr::SUBNET_PREFIXES, &attr::SUBNET_PREFIX] {
        let Lookup::Known(found) = cx.get(subnet, attr) else {
            continue;
        };
        let what = subnet.attr_name(attr);
        let items = match found.val.as_list() {
            Some(_) => cx.known_items(subnet, &found, what),
            None => vec![found.val],
        };
        for item in items {
            let Some(written) = item.as_str() else {
                continue;
            };
            let Ok(IpNet::V4(net)) = parse_prefix(written) else {
                continue;
            };
            if net.prefix_len() <= want {
                continue;
            }
            let (at, from) = subnet.locate(item, found.at);
            if !reported.insert((index, at)) {
                continue;
            }
            let len = net.prefix_len();
            let message = if many {
                format!(
                    "`{subnet_name}` is a /{len} (`{written}`), and {circuits} circuits connect to the ExpressRoute gateway `{gateway_name}` in it: a gateway subnet for {MANY_CIRCUITS} circuits must be /{want} or larger"
                )
            } else {
                format!(
                    "`{subnet_name}` is a /{len} (`{written}`), the gateway subnet of the ExpressRoute gateway `{gateway_name}`: an ExpressRoute gateway subnet should be /{want} or larger"
                )
            };
            let wider = Ipv4Net::new(net.addr(), want).map(|n| n.trunc());
            let example = wider.map_or(String::new(), |w| format!(" (`{w}` holds `{written}`)"));
            let d = cx.report(subnet, at, message);
            if let Some(from) = from {
                d.label(from, "value set here");
            }
            d.label(
                reference,
                format!("the ExpressRoute gateway `{gateway_name}` is deployed into this subnet"),
            )
            .help(format!(
                "widen `{subnet_name}` to a /{want} or larger{example}, inside the virtual network's address space and clear of its other subnets"
            ));
        }
    }
}

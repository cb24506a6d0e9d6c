//! ER305 peer-subnet-overlaps-vnet
use super::prefix::parse_prefix;
use crate::model::Existence;
use crate::rules::prelude::*;
use ipnet::IpNet;

declare_rule! {
    /// ## What it does
    /// Flags a private-peering peer prefix that overlaps the address space of a virtual
    /// network declared in the same configuration.
    ///
    /// ## Why is this bad?
    /// The subnets of the two private-peering BGP sessions may be private or public
    /// addresses, but Microsoft requires that they do not overlap the address spaces of
    /// your Azure virtual networks (nor other ranges you use in Azure). Over private
    /// peering Azure advertises the VNet ranges to your routers, which reach the Microsoft
    /// edge through these very subnets: with an overlap, your routers have two meanings for
    /// the same addresses, and traffic to the VNet or the BGP sessions themselves break.
    /// Only virtual networks of the same Terraform root or ARM deployment are compared,
    /// and only when their address space is known and they are deployed for certain.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_virtual_network" "hub" {
    ///   name                = "vnet-hub"
    ///   address_space       = ["10.10.0.0/16"]
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-network"
    /// }
    ///
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   primary_peer_address_prefix   = "10.10.255.0/30"   # ER305
    ///   secondary_peer_address_prefix = "172.16.0.4/30"
    ///   vlan_id                       = 100
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/virtualNetworks",
    ///   "name": "vnet-hub",
    ///   "properties": { "addressSpace": { "addressPrefixes": [ "10.10.0.0/16" ] } }
    /// },
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "name": "er-circuit/AzurePrivatePeering",
    ///   "properties": {
    ///     "primaryPeerAddressPrefix": "10.10.255.0/30",
    ///     "secondaryPeerAddressPrefix": "172.16.0.4/30"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Take the peer subnets from a range that no virtual network uses, typically a /29
    /// reserved for the circuit and split into its two /30 halves (`172.16.0.0/30` and
    /// `172.16.0.4/30`), or move the virtual network's address space.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: IP addresses used for Azure private peering](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [Configure peering for an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    pub struct PeerSubnetOverlapsVnet {
        id: "ER305",
        name: "peer-subnet-overlaps-vnet",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a private-peering prefix overlapping a virtual network's address space",
    }
}

/// One Known address space of a virtual network in the model.
struct Space<'m> {
    net: IpNet,
    written: &'m str,
    vnet: &'m Resource,
    at: Span,
    from: Option<Span>,
}

impl Rule for PeerSubnetOverlapsVnet {
    /// The virtual networks' address spaces are collected once per model, not once per
    /// peering (100,000 peerings against a list rebuilt each time took minutes).
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        let spaces = vnet_spaces(model);
        if spaces.is_empty() {
            return;
        }
        let meta = cx.meta();
        for res in model.resources.iter().filter(|r| meta.applies_to(r)) {
            check_peering(cx, &spaces, res);
        }
    }
}

/// A private peering's prefixes against the address spaces.
fn check_peering(cx: &mut Ctx<'_>, spaces: &[Space<'_>], res: &Resource) {
    let Some((PeeringType::Private, _)) = cx.peering_type(res) else {
        return;
    };
    for fam in &attr::FAMILIES {
        for attr in [fam.primary, fam.secondary] {
            let Lookup::Known(f) = cx.get(res, attr) else {
                continue;
            };
            let Some(value) = f.as_str() else { continue };
            let Ok(net) = parse_prefix(value) else {
                continue;
            };
            if matches!(net, IpNet::V6(_)) != fam.v6 {
                continue;
            }
            let net = net.trunc();
            let Some(space) = spaces
                .iter()
                .find(|s| s.net.contains(&net) || net.contains(&s.net))
            else {
                continue;
            };
            let name = res.attr_name(attr);
            let vnet_name = space.vnet.display_name();
            let d = cx.report_found(
                res,
                &f,
                format!(
                    "`{name}` `{value}` overlaps the address space `{}` of virtual network `{vnet_name}`",
                    space.written
                ),
            );
            d.help(format!(
                "take the BGP session subnets from a range outside every virtual network's address space, not from `{}`",
                space.written
            ));
            d.label(
                space.at,
                format!("address space of `{}`", space.vnet.address),
            );
            if let Some(from) = space.from {
                d.label(from, format!("`{}` set here", space.written));
            }
        }
    }
}

/// Every Known, valid address space of the virtual networks that the model deploys.
fn vnet_spaces(model: &Model) -> Vec<Space<'_>> {
    let mut out = Vec::new();
    for (_, vnet) in model.of_kind(Kind::VirtualNetwork) {
        if vnet.exists != Existence::Yes {
            continue;
        }
        let Lookup::Known(f) = vnet.get(&attr::VNET_ADDRESS_SPACE) else {
            continue;
        };
        let Some(items) = f.val.as_list() else {
            continue;
        };
        for item in items {
            let Some(written) = item.as_str() else {
                continue;
            };
            let Ok(net) = parse_prefix(written) else {
                continue;
            };
            let (at, from) = vnet.locate(item, f.at);
            out.push(Space {
                net: net.trunc(),
                written,
                vnet,
                at,
                from,
            });
        }
    }
    out
}

//! What the gateway subnet rules share: the subnets a virtual network gateway's IP
//! configurations name.

use crate::model::value::{SYMBOL_CLOSE, SYMBOL_OPEN};
use crate::model::{Kind, Lookup, Model, Resource, lookup_in};
use crate::rules::Ctx;
use crate::rules::prelude::attr;

/// One IP configuration's subnet reference (`subnet_id`, `properties.subnet.id`): as
/// read, and the subnet of the model it names.
pub(crate) struct SubnetRef<'g> {
    pub lookup: Lookup<'g>,
    pub subnet: Option<usize>,
}

/// The subnet references of `gateway`'s IP configurations (an IP configuration list not
/// known statically is a skipped check).
pub(crate) fn subnet_refs<'g>(
    cx: &mut Ctx<'_>,
    model: &Model,
    gateway: &'g Resource,
) -> Vec<SubnetRef<'g>> {
    let Lookup::Known(found) = cx.get(gateway, &attr::GATEWAY_IP_CONFIGURATIONS) else {
        return Vec::new();
    };
    let what = gateway.attr_name(&attr::GATEWAY_IP_CONFIGURATIONS);
    let schema = gateway.schema();
    let path = attr::IP_CONFIGURATION_SUBNET_ID.split(schema);
    cx.known_items(gateway, &found, what)
        .into_iter()
        .map(|config| {
            let header = gateway.locate(config, found.at).0;
            let lookup = lookup_in(config, header, gateway.extent, schema, path);
            let subnet = model.resolve_lookup(&lookup, gateway).filter(|i| {
                model
                    .resources
                    .get(*i)
                    .is_some_and(|r| r.kind == Kind::Subnet)
            });
            SubnetRef { lookup, subnet }
        })
        .collect()
}

/// The name of the subnet a subnet id names, as written in the id: a Known id
/// (`/subscriptions/…/virtualNetworks/hub/subnets/GatewaySubnet`), an ARM reference's
/// address (`Microsoft.Network/virtualNetworks/subnets/hub/GatewaySubnet`), or a Terraform
/// id built on the network's (`azurerm_virtual_network.hub/subnets/GatewaySubnet`).
pub(crate) fn name_in_id(id: &str) -> Option<&str> {
    const ARM: &str = "Microsoft.Network/virtualNetworks/subnets/";
    let name = match id.get(..ARM.len()) {
        Some(p) if p.eq_ignore_ascii_case(ARM) => id.rsplit('/').next()?,
        _ => {
            let mut segments = id.trim_end_matches('/').rsplit('/');
            let name = segments.next()?;
            let kind = segments.next()?;
            if !kind.eq_ignore_ascii_case("subnets") {
                return None;
            }
            name
        }
    };
    let plain = !name.is_empty()
        && !name.contains(['[', ']', '$', '{', '}', ' ', SYMBOL_OPEN, SYMBOL_CLOSE]);
    plain.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::name_in_id;

    #[test]
    fn a_subnet_ids_name() {
        for (id, want) in [
            (
                "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/GatewaySubnet",
                Some("GatewaySubnet"),
            ),
            (
                "microsoft.network/virtualnetworks/subnets/hub/gw",
                Some("gw"),
            ),
            ("azurerm_virtual_network.hub/subnets/snet-gw", Some("snet-gw")),
            ("azurerm_virtual_network.hub[\"weu\"]/subnets/GatewaySubnet", Some("GatewaySubnet")),
            ("azurerm_subnet.gateway", None),
            ("Microsoft.Network/virtualNetworks/hub", None),
            ("Microsoft.Network/virtualNetworks/subnets/hub/[unknown]", None),
            ("azurerm_virtual_network.hub/subnets/", None),
        ] {
            assert_eq!(name_in_id(id), want, "{id}");
        }
    }
}

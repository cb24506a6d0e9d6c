//! ER511 gateway-subnet-name
use super::subnets::{name_in_id, subnet_refs};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute virtual network gateway whose IP configuration names a subnet
    /// that is not called `GatewaySubnet`.
    ///
    /// ## Why is this bad?
    /// Azure deploys a virtual network gateway only into the virtual network's subnet named
    /// `GatewaySubnet`: that name is how Azure recognizes the gateway subnet and deploys
    /// the gateway's components into it. A gateway whose IP configuration points at a
    /// subnet of another name (`snet-gateway`, `gateway-subnet`) is not deployed.
    ///
    /// The name is read from the subnet when it is declared in the configuration erlint
    /// reads (an `azurerm_subnet`, a virtual network's inline subnet, an ARM or Bicep
    /// subnet), else from the subnet id the gateway names (`…/subnets/<name>`, in a
    /// Terraform id built on the network's, or an ARM `resourceId()`). A subnet named
    /// after a network whose name is a parameter without value
    /// (`format('{0}/{1}', parameters('vnetName'), 'snet-gateway')`) is read by its own
    /// segment. A name not known statically is not reported, nor one that differs from
    /// `GatewaySubnet` only in case.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_subnet" "gateway" {
    ///   name                 = "snet-gateway"   # ER511
    ///   resource_group_name  = "rg-hub"
    ///   virtual_network_name = azurerm_virtual_network.hub.name
    ///   address_prefixes     = ["10.1.255.0/27"]
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
    ///   "type": "Microsoft.Network/virtualNetworkGateways",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "ergw-hub",
    ///   "location": "westeurope",
    ///   "properties": {
    ///     "gatewayType": "ExpressRoute",
    ///     "sku": { "name": "ErGw1AZ", "tier": "ErGw1AZ" },
    ///     "ipConfigurations": [{
    ///       "name": "default",
    ///       "properties": {
    ///         "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'snet-gateway')]" }
    ///       }
    ///     }]
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Name the gateway's subnet `GatewaySubnet` (a virtual network has one), and point
    /// the gateway's IP configuration at it.
    ///
    /// ## References
    /// - [About ExpressRoute virtual network gateways: gateway subnet](https://learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways#gateway-subnet):
    ///   "The gateway subnet must be named GatewaySubnet for Azure to recognize it and
    ///   deploy the gateway components correctly."
    /// - [Configure a virtual network gateway for ExpressRoute](https://learn.microsoft.com/azure/expressroute/expressroute-howto-add-gateway-portal-resource-manager)
    pub struct GatewaySubnetName {
        id: "ER511",
        name: "gateway-subnet-name",
        severity: Error,
        kinds: [VnetGateway],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "an ExpressRoute gateway deployed into a subnet not named GatewaySubnet",
    }
}

const GATEWAY_SUBNET: &str = "GatewaySubnet";

impl Rule for GatewaySubnetName {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, gateway: &Resource) {
        if gateway.is_expressroute() != Some(true) {
            return;
        }
        let gateway_name = gateway.display_name().to_string();
        for r in subnet_refs(cx, model, gateway) {
            let subnet = r.subnet.and_then(|i| model.resources.get(i));
            // The subnet's own name, where the model declares it.
            if let Some(subnet) = subnet {
                // The subnet's own name (its last segment) and where it is written.
                let own = match cx.get(subnet, &attr::NAME) {
                    Lookup::Known(found) => match found.as_str().map(short_name) {
                        Some(name) => Some((name.to_string(), Written::Found(found))),
                        None => continue,
                    },
                    // A full name not known statically whose own segment is written
                    // (`format('{0}/{1}', parameters('vnet'), 'snet-gateway')`): that
                    // segment, as references in its deployment know the subnet.
                    Lookup::Unknown { at, .. } => subnet
                        .alias
                        .as_deref()
                        .and_then(name_in_id)
                        .map(|name| (name.to_string(), Written::At(at))),
                    // A subnet resource without a name is the reference's to tell.
                    Lookup::Absent { .. } => None,
                };
                if let Some((name, written)) = own {
                    if is_gateway_subnet(&name) {
                        continue;
                    }
                    let message = message(&name, &gateway_name);
                    let at = r.lookup.at();
                    let label =
                        format!("the ExpressRoute gateway `{gateway_name}` is deployed into this subnet");
                    // At the subnet's name; a subnet read, not deployed (`existing`), at the
                    // gateway's reference to it.
                    let d = match written {
                        _ if !subnet.reportable => cx.report(gateway, at, message),
                        Written::Found(found) => {
                            cx.report_found(subnet, &found, message).label(at, label)
                        }
                        Written::At(name_at) => cx.report(subnet, name_at, message).label(at, label),
                    };
                    d.help(HELP);
                    continue;
                }
            }
            // Else the name the subnet id is written with.
            let named = match &r.lookup {
                Lookup::Known(f) => f.as_str().and_then(name_in_id),
                Lookup::Unknown { unknown, .. } => {
                    unknown.refers_to.as_deref().and_then(name_in_id)
                }
                Lookup::Absent { .. } => continue,
            };
            match (named, &r.lookup) {
                (Some(name), _) if !is_gateway_subnet(name) => {
                    let at = r.lookup.at();
                    cx.report(gateway, at, message(name, &gateway_name))
                        .help(HELP);
                }
                (None, Lookup::Unknown { unknown, at }) if subnet.is_none() => {
                    let what = gateway.attr_name(&attr::IP_CONFIGURATION_SUBNET_ID);
                    cx.skipped(gateway, *at, what, unknown);
                }
                _ => {}
            }
        }
    }
}

/// Where a subnet's name is written: a Known value, or the expression of a name that is
/// not known statically but whose own segment is.
enum Written<'a> {
    Found(Found<'a>),
    At(Span),
}

const HELP: &str = "name the subnet `GatewaySubnet` (a virtual network has one) and deploy the gateway into it";

fn message(name: &str, gateway: &str) -> String {
    format!(
        "the ExpressRoute gateway `{gateway}` is deployed into the subnet `{name}`: a gateway's subnet must be named `{GATEWAY_SUBNET}`"
    )
}

/// `GatewaySubnet`, in any case (names that differ only in case are not reported).
fn is_gateway_subnet(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(GATEWAY_SUBNET)
}

/// A child resource's own name, without its parent's (`vnet-hub/GatewaySubnet`).
fn short_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

//! ER501 expressroute-gateway-sku
use crate::rules::prelude::*;
use crate::text::or_names;

declare_rule! {
    /// ## What it does
    /// Flags a virtual network gateway of type ExpressRoute whose SKU is not an
    /// ExpressRoute gateway SKU: a VPN gateway SKU (`Basic`, `VpnGw1` … `VpnGw5`,
    /// `VpnGw1AZ` … `VpnGw5AZ`) or a name that is no gateway SKU at all (`ErGw4AZ`).
    ///
    /// ## Why is this bad?
    /// A virtual network gateway is either a VPN gateway or an ExpressRoute gateway, and
    /// each type has its own SKUs. An ExpressRoute gateway takes `Standard`,
    /// `HighPerformance`, `UltraPerformance`, `ErGw1AZ`, `ErGw2AZ`, `ErGw3AZ` or
    /// `ErGwScale`; the SKU decides how much throughput and how many circuit connections
    /// the gateway has, and whether it spreads across availability zones. A VPN SKU on an
    /// ExpressRoute gateway (a copy of a VPN gateway's block with only `type` changed is
    /// the usual way in) is rejected by Azure when the gateway is created, which for a
    /// gateway comes after a long wait in the deployment.
    ///
    /// Only gateways whose type is known to be `ExpressRoute` are checked; a VPN
    /// gateway's SKU is not. SKU names match case-insensitively. A SKU or a type that is
    /// not known before deployment is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_virtual_network_gateway" "er" {
    ///   name                = "ergw-hub"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-network"
    ///   type                = "ExpressRoute"
    ///   sku                 = "VpnGw1"   # ER501
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
    ///     "sku": { "name": "Basic", "tier": "Basic" }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Choose an ExpressRoute gateway SKU by the throughput and the number of circuit
    /// connections you need; Microsoft recommends the zone-redundant ones (`ErGw1AZ`,
    /// `ErGw2AZ`, `ErGw3AZ`, `ErGwScale`). In ARM and Bicep, set `sku.tier` to the same
    /// name. If the gateway is meant to be a VPN gateway, set its type to `Vpn` instead.
    ///
    /// ## References
    /// - [About ExpressRoute virtual network gateways: gateway SKUs](https://learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways#gateway-types)
    /// - [About migrating to an availability zone-enabled ExpressRoute virtual network gateway](https://learn.microsoft.com/azure/expressroute/gateway-migration):
    ///   "The following SKUs are available for ExpressRoute virtual network gateways:
    ///   Standard, HighPerformance, UltraPerformance, ErGw1Az, ErGw2Az, ErGw3Az,
    ///   ErGwScale".
    /// - [azurerm_virtual_network_gateway](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_gateway):
    ///   `sku` "Valid options … depend on the `type`".
    pub struct ExpressRouteGatewaySku {
        id: "ER501",
        name: "expressroute-gateway-sku",
        severity: Error,
        kinds: [VnetGateway],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "an ExpressRoute virtual network gateway with a VPN gateway SKU, or a SKU that is no gateway SKU",
    }
}

/// The SKUs of an ExpressRoute virtual network gateway.
pub(crate) const EXPRESSROUTE_SKUS: [&str; 7] = [
    "Standard",
    "HighPerformance",
    "UltraPerformance",
    "ErGw1AZ",
    "ErGw2AZ",
    "ErGw3AZ",
    "ErGwScale",
];

impl Rule for ExpressRouteGatewaySku {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        if res.is_expressroute() != Some(true) {
            return;
        }
        let Lookup::Known(f) = cx.get(res, &attr::GATEWAY_SKU) else {
            return;
        };
        let written = f.val.to_string();
        let sku = written.trim();
        if EXPRESSROUTE_SKUS.iter().any(|s| s.eq_ignore_ascii_case(sku)) {
            return;
        }
        let name = res.attr_name(&attr::GATEWAY_SKU);
        let listed = or_names(&EXPRESSROUTE_SKUS, true);
        let message = if sku.is_empty() {
            format!("`{name}` is empty: an ExpressRoute gateway needs an ExpressRoute gateway SKU")
        } else if is_vpn_sku(sku) {
            format!(
                "`{written}` is a VPN gateway SKU; an ExpressRoute gateway takes an ExpressRoute gateway SKU"
            )
        } else {
            format!("`{written}` is not an ExpressRoute gateway SKU")
        };
        let help = match suggest(sku) {
            Some(s) => format!(
                "{} (the ExpressRoute gateway SKU of that size), or another of {listed}",
                Spelling::of(res).fix(&[Edit::set(&attr::GATEWAY_SKU, s)])
            ),
            None => format!(
                "set `{name}` to an ExpressRoute gateway SKU: {listed} (the zone-redundant `ErGw…AZ` and `ErGwScale` are recommended); a VPN gateway takes the type `Vpn`"
            ),
        };
        cx.report_found(res, &f, message).help(help);
    }
}

/// A VPN gateway SKU: `Basic`, `VpnGw1`…`VpnGw5`, with or without `AZ`.
fn is_vpn_sku(sku: &str) -> bool {
    let lower = sku.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("vpngw") else {
        return lower == "basic";
    };
    let size = rest.strip_suffix("az").unwrap_or(rest);
    !size.is_empty() && size.bytes().all(|b| b.is_ascii_digit())
}

/// The ExpressRoute SKU a near miss means: `ErGw1Az` spelt `ErGw1-AZ` or `ergw1`
/// (punctuation and the zone suffix aside).
fn suggest(sku: &str) -> Option<&'static str> {
    let norm: String = sku
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if norm.is_empty() {
        return None;
    }
    EXPRESSROUTE_SKUS.iter().copied().find(|s| {
        let s = s.to_ascii_lowercase();
        s == norm || s.strip_suffix("az") == Some(norm.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::{is_vpn_sku, suggest};

    #[test]
    fn vpn_skus_are_told_apart() {
        for s in ["Basic", "VpnGw1", "vpngw5", "VpnGw2AZ", "VPNGW3AZ"] {
            assert!(is_vpn_sku(s), "{s}");
        }
        for s in ["ErGw1AZ", "Standard", "VpnGw", "VpnGwAZ", "VpnGwX", "UltraPerformance"] {
            assert!(!is_vpn_sku(s), "{s}");
        }
    }

    #[test]
    fn near_misses_are_suggested() {
        assert_eq!(suggest("ErGw1-AZ"), Some("ErGw1AZ"));
        assert_eq!(suggest("ergw2"), Some("ErGw2AZ"));
        assert_eq!(suggest("Ultra_Performance"), Some("UltraPerformance"));
        assert_eq!(suggest("VpnGw1"), None);
        assert_eq!(suggest("ErGw4AZ"), None);
        assert_eq!(suggest(""), None);
    }
}

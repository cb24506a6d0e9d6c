//! ER504 fast-path-gateway-sku
use super::expressroute_gateway_sku::EXPRESSROUTE_SKUS;
use super::fast_path_without_gateway_bypass::as_bool;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute connection with FastPath turned on
    /// (`express_route_gateway_bypass`, `expressRouteGatewayBypass`) whose virtual network
    /// gateway, declared in the same configuration, has an ExpressRoute SKU that FastPath
    /// does not work on: `Standard`, `HighPerformance`, `ErGw1AZ` or `ErGw2AZ`.
    ///
    /// ## Why is this bad?
    /// FastPath sends traffic from on-premises straight to the virtual machines, past the
    /// gateway, for the bandwidth the gateway itself would limit. Microsoft offers it on
    /// the largest gateways only: the gateway must be `UltraPerformance` or `ErGw3AZ`
    /// (the scalable `ErGwScale` has its own conditions, and is not reported). On a smaller
    /// gateway the setting does not give you FastPath: traffic still goes through the
    /// gateway, at the gateway's throughput, which is what the setting was meant to avoid.
    ///
    /// Only a gateway in the configuration erlint reads is looked at (a reference to it, or
    /// its resource id). A SKU or a FastPath setting not known before deployment is not
    /// reported. A SKU that is no ExpressRoute gateway SKU at all is ER501's finding.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_virtual_network_gateway" "er" {
    ///   name                = "ergw-hub"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-network"
    ///   type                = "ExpressRoute"
    ///   sku                 = "ErGw1AZ"
    ///   # ip_configuration { … }
    /// }
    ///
    /// resource "azurerm_virtual_network_gateway_connection" "er" {
    ///   name                         = "conn-hub-er"
    ///   location                     = "westeurope"
    ///   resource_group_name          = "rg-network"
    ///   type                         = "ExpressRoute"
    ///   virtual_network_gateway_id   = azurerm_virtual_network_gateway.er.id
    ///   express_route_circuit_id     = azurerm_express_route_circuit.main.id
    ///   express_route_gateway_bypass = true   # ER504
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/connections",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "conn-hub-er",
    ///   "location": "westeurope",
    ///   "properties": {
    ///     "connectionType": "ExpressRoute",
    ///     "virtualNetworkGateway1": { "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', 'ergw-hub')]" },
    ///     "peer": { "id": "[resourceId('Microsoft.Network/expressRouteCircuits', 'er-circuit')]" },
    ///     "expressRouteGatewayBypass": true
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Resize the gateway to `ErGw3AZ` (or `UltraPerformance`) if you need FastPath, or
    /// turn FastPath off on the connection.
    ///
    /// ## References
    /// - [About ExpressRoute FastPath: gateways](https://learn.microsoft.com/azure/expressroute/about-fastpath#gateways):
    ///   "To configure FastPath, the virtual network gateway must be either: Ultra
    ///   Performance, ErGw3AZ".
    /// - [About ExpressRoute virtual network gateways](https://learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways)
    pub struct FastPathGatewaySku {
        id: "ER504",
        name: "fast-path-gateway-sku",
        severity: Warning,
        kinds: [GatewayConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "FastPath turned on for a connection whose gateway's SKU is not UltraPerformance or ErGw3AZ",
    }
}

/// The ExpressRoute gateway SKUs FastPath works on, and `ErGwScale`, whose FastPath
/// depends on its scale units (not checked).
const FAST_PATH_SKUS: [&str; 3] = ["UltraPerformance", "ErGw3AZ", "ErGwScale"];

impl Rule for FastPathGatewaySku {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        if res.is_expressroute() != Some(true) {
            return;
        }
        let Lookup::Known(bypass) = cx.get(res, &attr::GATEWAY_BYPASS) else {
            return;
        };
        if as_bool(bypass.val) != Some(true) {
            return;
        }
        let (_, target) = cx.get_ref(model, res, &attr::CONNECTION_GATEWAY_ID);
        let Some(gateway) = target
            .and_then(|i| model.resources.get(i))
            .filter(|g| g.kind == Kind::VnetGateway)
        else {
            return;
        };
        let Lookup::Known(sku) = cx.get(gateway, &attr::GATEWAY_SKU) else {
            return;
        };
        let Some(written) = sku.as_str().map(str::trim) else {
            return;
        };
        let is = |list: &[&str]| list.iter().any(|s| s.eq_ignore_ascii_case(written));
        // FastPath's SKUs pass; a SKU that is no ExpressRoute SKU is ER501's finding.
        if is(&FAST_PATH_SKUS) || !is(&EXPRESSROUTE_SKUS) {
            return;
        }
        let gateway_name = gateway.display_name();
        let name = res.attr_name(&attr::GATEWAY_BYPASS);
        cx.report_found(
            res,
            &bypass,
            format!(
                "`{name}` turns FastPath on, but the gateway `{gateway_name}` is `{written}`: FastPath needs an `UltraPerformance` or `ErGw3AZ` gateway, so traffic still goes through the gateway"
            ),
        )
        .label(
            sku.from.unwrap_or(sku.at),
            format!("`{gateway_name}` is `{written}`"),
        )
        .help(format!(
            "resize `{gateway_name}` to `ErGw3AZ` (or `UltraPerformance`) to use FastPath, or turn FastPath off on this connection"
        ));
    }
}

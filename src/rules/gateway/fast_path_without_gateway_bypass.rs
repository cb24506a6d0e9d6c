//! ER503 fast-path-without-gateway-bypass
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute connection that turns on Private Link FastPath
    /// (`private_link_fast_path_enabled`, `enablePrivateLinkFastPath`) without FastPath
    /// itself, the gateway bypass (`express_route_gateway_bypass`,
    /// `express_route_gateway_bypass_enabled` on a Virtual WAN connection,
    /// `expressRouteGatewayBypass`), which is off when it is not set.
    ///
    /// ## Why is this bad?
    /// FastPath sends traffic from on-premises straight to the virtual machines of the
    /// virtual network, past the ExpressRoute gateway. Private Link FastPath extends that
    /// to private endpoints and Private Link services, and works only on top of FastPath:
    /// the API describes it as "ExpressRoute FastPath (expressRouteGatewayBypass) must be
    /// enabled". The azurerm provider fails the apply of such a connection
    /// ("`express_route_gateway_bypass` must be enabled when
    /// `private_link_fast_path_enabled` is set to `true`") after the plan passed.
    ///
    /// Both virtual network gateway connections of type ExpressRoute and Virtual WAN
    /// ExpressRoute connections are checked. A value that is not known before deployment
    /// is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_virtual_network_gateway_connection" "er" {
    ///   name                           = "conn-hub-er"
    ///   location                       = "westeurope"
    ///   resource_group_name            = "rg-network"
    ///   type                           = "ExpressRoute"
    ///   virtual_network_gateway_id     = azurerm_virtual_network_gateway.er.id
    ///   express_route_circuit_id       = azurerm_express_route_circuit.main.id
    ///   private_link_fast_path_enabled = true   # ER503
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
    ///     "expressRouteGatewayBypass": false,
    ///     "enablePrivateLinkFastPath": true
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Turn FastPath on as well (`express_route_gateway_bypass = true`,
    /// `"expressRouteGatewayBypass": true`), on a gateway whose SKU supports FastPath, or
    /// turn Private Link FastPath off.
    ///
    /// ## References
    /// - [About ExpressRoute FastPath](https://learn.microsoft.com/azure/expressroute/about-fastpath)
    /// - [Virtual network gateway connections REST API: enablePrivateLinkFastPath](https://learn.microsoft.com/rest/api/network-gateway/virtual-network-gateway-connections/create-or-update):
    ///   "Bypass the ExpressRoute gateway when accessing private-links. ExpressRoute
    ///   FastPath (expressRouteGatewayBypass) must be enabled."
    /// - [azurerm_virtual_network_gateway_connection](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_gateway_connection)
    ///   and [azurerm_express_route_connection](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_connection):
    ///   `private_link_fast_path_enabled`
    pub struct FastPathWithoutGatewayBypass {
        id: "ER503",
        name: "fast-path-without-gateway-bypass",
        severity: Error,
        kinds: [GatewayConnection, ErConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "Private Link FastPath turned on without FastPath (the ExpressRoute gateway bypass)",
    }
}

impl Rule for FastPathWithoutGatewayBypass {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        if res.is_expressroute() != Some(true) {
            return;
        }
        let Lookup::Known(fast) = cx.get(res, &attr::PRIVATE_LINK_FAST_PATH) else {
            return;
        };
        if as_bool(fast.val) != Some(true) {
            return;
        }
        let bypass = if res.kind == Kind::ErConnection {
            &attr::ER_CONNECTION_GATEWAY_BYPASS
        } else {
            &attr::GATEWAY_BYPASS
        };
        // How FastPath is off, and where it was turned off when that is written.
        let (how, off_at) = match cx.get(res, bypass) {
            Lookup::Unknown { .. } => return,
            Lookup::Known(f) => match as_bool(f.val) {
                Some(false) => ("is false", Some(f.from.unwrap_or(f.at))),
                // On, or not a boolean (not this rule's finding).
                _ => return,
            },
            Lookup::Absent {
                written: true,
                at,
                from,
            } => ("is null, which leaves it off", Some(from.unwrap_or(at))),
            Lookup::Absent { written: false, .. } => ("is not set, which leaves it off", None),
        };
        let fast_name = res.attr_name(&attr::PRIVATE_LINK_FAST_PATH);
        let bypass_name = res.attr_name(bypass);
        let message = format!(
            "`{fast_name}` turns on Private Link FastPath, but FastPath itself (`{bypass_name}`) {how}"
        );
        let help = format!(
            "{} as well, or turn Private Link FastPath off",
            Spelling::of(res).fix(&[Edit::Set(bypass, Literal::Bool(true))])
        );
        let d = cx.report_found(res, &fast, message).help(help);
        if let Some(at) = off_at {
            d.label(at, "FastPath turned off here");
        }
    }
}

/// A boolean, also written as the string `"true"` or `"false"` (a Terraform variable of
/// type string, converted by Terraform).
pub(super) fn as_bool(v: &Val) -> Option<bool> {
    v.as_bool().or_else(|| match v.as_str()?.trim() {
        s if s.eq_ignore_ascii_case("true") => Some(true),
        s if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

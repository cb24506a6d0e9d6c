//! ER502 expressroute-connection-without-circuit
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a virtual network gateway connection of type ExpressRoute that names no
    /// circuit: `express_route_circuit_id` (`peer.id` in ARM and Bicep) not set, null or
    /// empty.
    ///
    /// ## Why is this bad?
    /// An ExpressRoute connection links a virtual network's ExpressRoute gateway to a
    /// circuit's private peering; the circuit is what it connects to. Without one there
    /// is nothing to connect: the azurerm provider fails the apply ("`express_route_circuit_id`
    /// must be specified when `type` is set to `ExpressRoute`") after the plan passed, and
    /// Azure rejects an ARM connection of type ExpressRoute without a `peer`. A connection
    /// copied from an IPsec one, whose `local_network_gateway_id` is not needed here, is
    /// the usual way in.
    ///
    /// Only connections whose type is known to be `ExpressRoute` are checked. A circuit id
    /// that is not known before deployment (a reference to a circuit, a variable without a
    /// default) is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_virtual_network_gateway_connection" "er" {   # ER502
    ///   name                       = "conn-hub-er"
    ///   location                   = "westeurope"
    ///   resource_group_name        = "rg-network"
    ///   type                       = "ExpressRoute"
    ///   virtual_network_gateway_id = azurerm_virtual_network_gateway.er.id
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
    ///     "virtualNetworkGateway1": {
    ///       "id": "[resourceId('Microsoft.Network/virtualNetworkGateways', 'ergw-hub')]"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set `express_route_circuit_id` (`peer: { id: … }`) to the id of the circuit whose
    /// private peering the virtual network connects to. A circuit in another subscription
    /// is named by its full resource id, with the `authorization_key` (`authorizationKey`)
    /// its owner issued.
    ///
    /// ## References
    /// - [Connect a virtual network to an ExpressRoute circuit](https://learn.microsoft.com/azure/expressroute/expressroute-howto-linkvnet-arm)
    /// - [azurerm_virtual_network_gateway_connection](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_gateway_connection):
    ///   "`express_route_circuit_id` - The ID of the Express Route Circuit when creating an
    ///   ExpressRoute connection (i.e. when `type` is `ExpressRoute`)"
    /// - [Virtual network gateway connections REST API: peer](https://learn.microsoft.com/rest/api/network-gateway/virtual-network-gateway-connections/create-or-update)
    pub struct ConnectionWithoutCircuit {
        id: "ER502",
        name: "expressroute-connection-without-circuit",
        severity: Error,
        kinds: [GatewayConnection],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a virtual network gateway connection of type ExpressRoute that names no circuit",
    }
}

impl Rule for ConnectionWithoutCircuit {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        if res.is_expressroute() != Some(true) {
            return;
        }
        let name = res.attr_name(&attr::CONNECTION_CIRCUIT_ID);
        let help = format!(
            "set `{name}` to the id of the circuit whose private peering this connection links the gateway to"
        );
        match res.get(&attr::CONNECTION_CIRCUIT_ID) {
            // A reference to a resource (`azurerm_express_route_circuit.main.id`) names a
            // circuit, whatever its id turns out to be: nothing was skipped. Any other
            // value not known before deployment (a variable without a default) may be
            // null: a skipped check.
            Lookup::Unknown { unknown, at } => {
                if unknown.refers_to.is_none() {
                    cx.skipped(res, at, name, unknown);
                }
            }
            Lookup::Absent { at, written, from } => {
                let how = if written { "is null" } else { "is not set" };
                cx.report_absent(
                    res,
                    at,
                    from,
                    format!("ExpressRoute connection names no circuit: `{name}` {how}"),
                )
                .help(help);
            }
            Lookup::Known(f) => {
                if f.val.as_str().is_some_and(|s| s.trim().is_empty()) {
                    cx.report_found(
                        res,
                        &f,
                        format!("ExpressRoute connection names no circuit: `{name}` is empty"),
                    )
                    .help(help);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind, Unknown, Val, ValKind};
    use crate::rules::RuleSettings;
    use crate::rules::provider::circuit::test_support::{model, run, run_with};
    use std::sync::Arc;

    const ER: &str = "ER502";

    /// An ExpressRoute connection whose circuit id is `id` (`None`: not set).
    fn connection(id: Option<Val>) -> crate::model::Resource {
        let mut res = resource(
            Kind::GatewayConnection,
            Dialect::AZURERM,
            serde_json::json!({"type": "ExpressRoute", "virtual_network_gateway_id": "<unknown>"}),
        );
        if let (Some(id), ValKind::Object(o)) = (id, &mut res.body.kind) {
            Arc::make_mut(o).insert("express_route_circuit_id", id);
        }
        res
    }

    fn unknown(refers_to: Option<&str>) -> Val {
        Val::unknown_with(
            Unknown {
                reason: "only known after apply".into(),
                refers_to: refers_to.map(str::to_string),
                secret: false,
                symbol: None,
            },
            None,
        )
    }

    #[test]
    fn a_missing_circuit_is_reported() {
        assert_eq!(run(&model(connection(None)), ER).len(), 1);
        let blank = Val::str("  ", None);
        assert_eq!(run(&model(connection(Some(blank))), ER).len(), 1);
    }

    #[test]
    fn a_reference_to_a_circuit_is_no_skipped_check() {
        let settings = RuleSettings {
            report_unknown: true,
            ..RuleSettings::default()
        };
        let by_reference = model(connection(Some(unknown(Some(
            "azurerm_express_route_circuit.main",
        )))));
        assert!(run_with(&by_reference, &settings, ER).is_empty());
        // A variable without a default may be null: not checked, and said so.
        let by_variable = model(connection(Some(unknown(None))));
        let skipped = run_with(&by_variable, &settings, ER);
        assert_eq!(skipped.len(), 1, "{skipped:#?}");
        assert!(skipped[0].message.contains("not checked"), "{skipped:#?}");
        assert!(run(&by_variable, ER).is_empty());
    }
}

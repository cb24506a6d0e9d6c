//! ER207 provider-and-port-conflict
use crate::catalog::join_names;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit that names both a connectivity provider (service
    /// provider, peering location or bandwidth in Mbps) and an ExpressRoute Direct port, or
    /// neither of them.
    ///
    /// ## Why is this bad?
    /// A circuit is built one of two ways. Either it is ordered from a connectivity partner
    /// at a peering location, with a bandwidth in Mbps (`serviceProviderProperties`), or it
    /// is carved out of your own ExpressRoute Direct port, with a bandwidth in Gbps
    /// (`expressRoutePort`, `bandwidthInGbps`). Azure rejects a circuit that mixes the two,
    /// and a circuit with neither has no physical path to Microsoft and cannot be created.
    /// The azurerm provider catches the mix at plan time; ARM templates only fail at
    /// deployment.
    ///
    /// A port counts as named when `express_route_port_id` / `expressRoutePort.id` is
    /// written (a reference to a port declared in the same configuration counts even though
    /// its id is only known after deployment). When a provider property or the port is not
    /// known before deployment, the rule does not decide that it is missing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "direct" {
    ///   name                  = "er-direct"
    ///   resource_group_name   = "rg-network"
    ///   location              = "westus2"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Seattle"
    ///   bandwidth_in_mbps     = 1000
    ///   express_route_port_id = azurerm_express_route_port.sea.id   # ER207
    ///   bandwidth_in_gbps     = 5
    ///
    ///   sku {
    ///     tier   = "Premium"
    ///     family = "MeteredData"
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-direct",
    ///   "location": "westus2",
    ///   "sku": { "name": "Premium_MeteredData", "tier": "Premium", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Equinix",
    ///       "peeringLocation": "Seattle",
    ///       "bandwidthInMbps": 1000
    ///     },
    ///     "expressRoutePort": { "id": "[resourceId('Microsoft.Network/expressRoutePorts', 'erd-sea')]" },
    ///     "bandwidthInGbps": 5
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// For a circuit on your ExpressRoute Direct port, remove the provider properties and
    /// keep `express_route_port_id` with `bandwidth_in_gbps`. For a provider circuit, remove
    /// the port and set `service_provider_name`, `peering_location` and
    /// `bandwidth_in_mbps`.
    ///
    /// ## References
    /// - [Create an ExpressRoute circuit (provider)](https://learn.microsoft.com/azure/expressroute/expressroute-howto-circuit-portal-resource-manager)
    /// - [Configure ExpressRoute Direct: create circuits on the port](https://learn.microsoft.com/azure/expressroute/expressroute-howto-erdirect)
    /// - [ExpressRoute circuits REST API](https://learn.microsoft.com/rest/api/expressroute/express-route-circuits/create-or-update)
    /// - [azurerm_express_route_circuit](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit)
    pub struct ProviderAndPortConflict {
        id: "ER207",
        name: "provider-and-port-conflict",
        severity: Error,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a circuit with both provider properties and an ExpressRoute Direct port, or neither",
    }
}

const PROVIDER_ATTRS: [&Attr; 3] = [
    &attr::SERVICE_PROVIDER,
    &attr::PEERING_LOCATION,
    &attr::BANDWIDTH_MBPS,
];

impl Rule for ProviderAndPortConflict {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let provider: Vec<(&Attr, Lookup<'_>)> = PROVIDER_ATTRS
            .iter()
            .map(|a| (*a, cx.get(res, a)))
            .collect();
        let (port, target) = cx.get_ref(model, res, &attr::PORT_ID);
        let port_named = match &port {
            Lookup::Known(_) => Some(true),
            // A reference to a port of this configuration: its id exists once deployed.
            Lookup::Unknown { .. } => target
                .and_then(|t| model.resources.get(t))
                .is_some_and(|p| p.kind == Kind::Port)
                .then_some(true),
            Lookup::Absent { .. } => Some(false),
        };
        let known: Vec<(&Attr, &Found<'_>)> = provider
            .iter()
            .filter_map(|(a, l)| l.known().map(|f| (*a, f)))
            .collect();
        let port_name = res.attr_name(&attr::PORT_ID);
        let gbps = res.attr_name(&attr::BANDWIDTH_GBPS);
        // A schema may group the provider attributes in one object (ARM's
        // `serviceProviderProperties`), which is then named, set and removed as one.
        let group = &attr::SERVICE_PROVIDER_PROPERTIES;
        let short = |a: &Attr| res.attr_name_in(a, group);
        let provider_names: Vec<&str> = PROVIDER_ATTRS.iter().map(|a| short(a)).collect();
        let group_name = res.has(group).then(|| res.attr_name(group));
        let (provider_short, provider_set) = match group_name {
            Some(g) => (
                format!("`{g}`"),
                format!("`{g}` with {}", join_names(&provider_names, true)),
            ),
            None => {
                let all = join_names(&provider_names, true);
                (all.clone(), all)
            }
        };
        match port_named {
            Some(true) if !known.is_empty() => {
                let set: Vec<String> = known
                    .iter()
                    .map(|(a, f)| format!("`{}` `{}`", short(a), f.val))
                    .collect();
                let remove = match group_name {
                    Some(g) => format!("`{g}`"),
                    None => {
                        let names: Vec<&str> = known.iter().map(|(a, _)| short(a)).collect();
                        join_names(&names, true)
                    }
                };
                let d = cx.report(
                    res,
                    port.at(),
                    format!(
                        "circuit names an ExpressRoute Direct port (`{port_name}`) and also a connectivity provider ({}); a circuit is either on your port or ordered from a provider",
                        set.join(", ")
                    ),
                );
                d.help(format!(
                    "for a circuit on your ExpressRoute Direct port remove {remove}; for a provider circuit remove `{port_name}` and `{gbps}` and set {provider_set}"
                ));
                for (a, f) in &known {
                    d.label(f.at, format!("`{}` makes it a provider circuit", short(a)));
                    if let Some(from) = f.from {
                        d.label(from, "value set here");
                    }
                }
            }
            Some(false) if known.is_empty() && provider.iter().all(|(_, l)| l.is_absent()) => {
                let at = provider.first().map_or(res.header, |(_, l)| l.at());
                cx.report(
                    res,
                    at,
                    format!(
                        "circuit names neither a connectivity provider ({provider_short}) nor an ExpressRoute Direct port (`{port_name}`)"
                    ),
                )
                .help(format!(
                    "for a provider circuit set {provider_set}; for a circuit on your ExpressRoute Direct port set `{port_name}` and `{gbps}`"
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind};

    const ER: &str = "ER207";

    fn circuit(dialect: Dialect, body: serde_json::Value) -> crate::model::Resource {
        resource(Kind::Circuit, dialect, body)
    }

    #[test]
    fn provider_or_port_alone_passes() {
        assert!(run(&model(tf("Equinix", "Amsterdam")), ER).is_empty());
        assert!(run(&model(arm("Equinix", "Amsterdam")), ER).is_empty());
        let direct = circuit(
            Dialect::ARM,
            serde_json::json!({"properties": {"expressRoutePort": {"id": "/subscriptions/x/resourceGroups/g/providers/Microsoft.Network/expressRoutePorts/p"}, "bandwidthInGbps": 10}}),
        );
        assert!(run(&model(direct), ER).is_empty());
    }

    #[test]
    fn both_and_neither_are_reported() {
        let both = circuit(
            Dialect::ARM,
            serde_json::json!({"properties": {
                "serviceProviderProperties": {"serviceProviderName": "Equinix", "peeringLocation": "Seattle", "bandwidthInMbps": 1000},
                "expressRoutePort": {"id": "/subscriptions/x/resourceGroups/g/providers/Microsoft.Network/expressRoutePorts/p"},
                "bandwidthInGbps": 10}}),
        );
        let m = one(&model(both), ER);
        assert!(m.contains("names an ExpressRoute Direct port (`expressRoutePort.id`) and also a connectivity provider (`serviceProviderName` `Equinix`"), "{m}");
        let neither = circuit(
            Dialect::AZURERM,
            serde_json::json!({"name": "er", "sku": [{"tier": "Standard", "family": "MeteredData"}]}),
        );
        let m = one(&model(neither), ER);
        assert!(m.contains("names neither a connectivity provider (`service_provider_name`, `peering_location` and `bandwidth_in_mbps`) nor an ExpressRoute Direct port (`express_route_port_id`)"), "{m}");
    }

    #[test]
    fn unknown_stays_silent() {
        // An unresolved port reference with provider properties: not decided.
        let c = circuit(
            Dialect::AZURERM,
            serde_json::json!({"service_provider_name": "Equinix", "express_route_port_id": "<unknown>"}),
        );
        assert!(run(&model(c), ER).is_empty());
        // No port and an Unknown provider name: it may well be set.
        let c = circuit(
            Dialect::AZURERM,
            serde_json::json!({"service_provider_name": "<unknown>"}),
        );
        assert!(run(&model(c), ER).is_empty());
    }
}

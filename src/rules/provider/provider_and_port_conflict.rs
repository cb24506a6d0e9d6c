//! ER207 provider-and-port-conflict
use crate::rules::prelude::*;
use crate::text::join_names;

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

/// The attributes of a circuit ordered from a provider.
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
        match port_named {
            Some(true) if !known.is_empty() => {
                // An empty string shown as one (`""`), not as empty backticks.
                let set = known
                    .iter()
                    .map(|(a, f)| match f.val.as_str() {
                        Some("") => (Names::short(res, a), "\"\"".to_string()),
                        _ => (Names::short(res, a), f.val.to_string()),
                    })
                    .collect();
                let finding = Conflict::Both {
                    names: Names::of(res),
                    set,
                };
                let d = cx.report(res, port.at(), finding.message());
                d.help(finding.help());
                for (a, f) in &known {
                    let name = res.attr_name_in(a, &attr::SERVICE_PROVIDER_PROPERTIES);
                    d.label(f.at, format!("`{name}` makes it a provider circuit"));
                    if let Some(from) = f.from {
                        d.label(from, "value set here");
                    }
                }
            }
            Some(false) if known.is_empty() && provider.iter().all(|(_, l)| l.is_absent()) => {
                let at = provider.first().map_or(res.header, |(_, l)| l.at());
                let finding = Conflict::Neither {
                    names: Names::of(res),
                };
                cx.report(res, at, finding.message())
                    .help(finding.help());
            }
            _ => {}
        }
    }
}

/// The attribute names ER207 writes.
#[derive(Debug)]
struct Names {
    port: &'static str,
    gbps: &'static str,
    /// The three provider attributes, inside their group when the schema groups them.
    provider: Vec<&'static str>,
    /// The object holding the provider attributes, in a schema that groups them in one
    /// (ARM's `serviceProviderProperties`), which is then named, set and removed as one.
    group: Option<&'static str>,
}

impl Names {
    fn of(res: &Resource) -> Names {
        let group = &attr::SERVICE_PROVIDER_PROPERTIES;
        Names {
            port: res.attr_name(&attr::PORT_ID),
            gbps: res.attr_name(&attr::BANDWIDTH_GBPS),
            provider: PROVIDER_ATTRS.iter().map(|a| Self::short(res, a)).collect(),
            group: res.has(group).then(|| res.attr_name(group)),
        }
    }

    fn short(res: &Resource, a: &Attr) -> &'static str {
        res.attr_name_in(a, &attr::SERVICE_PROVIDER_PROPERTIES)
    }

    /// What names the provider: the group, or the three attributes.
    fn provider_short(&self) -> String {
        match self.group {
            Some(g) => format!("`{g}`"),
            None => join_names(&self.provider, true),
        }
    }

    /// What a provider circuit sets.
    fn provider_set(&self) -> String {
        match self.group {
            Some(g) => format!("`{g}` with {}", join_names(&self.provider, true)),
            None => join_names(&self.provider, true),
        }
    }
}

/// What ER207 found.
#[derive(Debug)]
enum Conflict {
    /// A port and provider attributes (name, value) at once.
    Both {
        names: Names,
        set: Vec<(&'static str, String)>,
    },
    /// Neither a port nor a provider.
    Neither { names: Names },
}

impl Conflict {
    fn message(&self) -> String {
        match self {
            Conflict::Both { names, set } => {
                let set: Vec<String> = set.iter().map(|(a, v)| format!("`{a}` `{v}`")).collect();
                format!(
                    "circuit names an ExpressRoute Direct port (`{}`) and also a connectivity provider ({}); a circuit is either on your port or ordered from a provider",
                    names.port,
                    set.join(", ")
                )
            }
            Conflict::Neither { names } => format!(
                "circuit names neither a connectivity provider ({}) nor an ExpressRoute Direct port (`{}`)",
                names.provider_short(),
                names.port
            ),
        }
    }

    fn help(&self) -> String {
        match self {
            Conflict::Both { names, set } => {
                let remove = match names.group {
                    Some(g) => format!("`{g}`"),
                    None => {
                        let set: Vec<&str> = set.iter().map(|(a, _)| *a).collect();
                        join_names(&set, true)
                    }
                };
                format!(
                    "for a circuit on your ExpressRoute Direct port remove {remove}; for a provider circuit remove `{}` and `{}` and set {}",
                    names.port,
                    names.gbps,
                    names.provider_set()
                )
            }
            Conflict::Neither { names } => format!(
                "for a provider circuit set {}; for a circuit on your ExpressRoute Direct port set `{}` and `{}`",
                names.provider_set(),
                names.port,
                names.gbps
            ),
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
        // An empty string is shown as one.
        let blank = circuit(
            Dialect::AZURERM,
            serde_json::json!({"service_provider_name": "", "peering_location": "Amsterdam",
                "express_route_port_id": "/subscriptions/x/resourceGroups/g/providers/Microsoft.Network/expressRoutePorts/p"}),
        );
        let m = one(&model(blank), ER);
        assert!(m.contains("(`service_provider_name` `\"\"`, `peering_location` `Amsterdam`)"), "{m}");
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

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::{Conflict, Names};
        let arm = Names {
            port: "expressRoutePort.id",
            gbps: "bandwidthInGbps",
            provider: vec!["serviceProviderName", "peeringLocation", "bandwidthInMbps"],
            group: Some("serviceProviderProperties"),
        };
        let both = Conflict::Both {
            names: arm,
            set: vec![("serviceProviderName", "Equinix".into())],
        };
        assert_eq!(
            both.message(),
            "circuit names an ExpressRoute Direct port (`expressRoutePort.id`) and also a connectivity provider (`serviceProviderName` `Equinix`); a circuit is either on your port or ordered from a provider"
        );
        assert_eq!(
            both.help(),
            "for a circuit on your ExpressRoute Direct port remove `serviceProviderProperties`; for a provider circuit remove `expressRoutePort.id` and `bandwidthInGbps` and set `serviceProviderProperties` with `serviceProviderName`, `peeringLocation` and `bandwidthInMbps`"
        );
        let tf = Names {
            port: "express_route_port_id",
            gbps: "bandwidth_in_gbps",
            provider: vec!["service_provider_name", "peering_location", "bandwidth_in_mbps"],
            group: None,
        };
        let neither = Conflict::Neither { names: tf };
        assert_eq!(
            neither.message(),
            "circuit names neither a connectivity provider (`service_provider_name`, `peering_location` and `bandwidth_in_mbps`) nor an ExpressRoute Direct port (`express_route_port_id`)"
        );
    }
}

//! ER209 port-size-not-offered
use super::bandwidth_not_offered::{code_list, nearest, plain_list};
use crate::catalog::Direct;
use crate::model::value::format_number;
use crate::rules::prelude::*;
use crate::text::or_names;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute Direct port whose `bandwidth_in_gbps` (`bandwidthInGbps`) is
    /// not one of the port sizes ExpressRoute Direct offers: 10, 100 or 400 Gbps.
    ///
    /// ## Why is this bad?
    /// An ExpressRoute Direct port is a pair of physical Ethernet ports on Microsoft's
    /// routers, and they come in three speeds only: 10, 100 and 400 Gigabit Ethernet. A
    /// port of any other size (40 Gbps, 25 Gbps, 1 Gbps) cannot be provisioned, and Azure
    /// rejects it. A common slip is to give the port a circuit's size: 40 Gbps is a
    /// circuit size on a 100 or 400 Gbps port, not a port size. The circuits on a port are
    /// checked against the port's size by ER206.
    ///
    /// 400 Gbps ports exist only at some peering locations and need enrollment; erlint
    /// accepts the size and does not check the location. A size that is not known before
    /// deployment is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_port" "sea" {
    ///   name                = "erd-sea"
    ///   resource_group_name = "rg-network"
    ///   location            = "westus2"
    ///   peering_location    = "Equinix-Seattle-SE2"
    ///   bandwidth_in_gbps   = 40   # ER209
    ///   encapsulation       = "Dot1Q"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRoutePorts",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "erd-sea",
    ///   "location": "westus2",
    ///   "properties": {
    ///     "peeringLocation": "Equinix-Seattle-SE2",
    ///     "bandwidthInGbps": 40,
    ///     "encapsulation": "Dot1Q"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set the port's size to 10, 100 or 400 (Gbps), the speed of the ports you ordered,
    /// and give each circuit on the port its own size (`bandwidth_in_gbps` of the
    /// circuit), within what the port allows.
    ///
    /// ## References
    /// - [About ExpressRoute Direct](https://learn.microsoft.com/azure/expressroute/expressroute-erdirect-about)
    ///   (03/02/2026): "ExpressRoute Direct provides dual 400-Gbps, 100-Gbps or 10-Gbps
    ///   connectivity"; its technical requirements: "Dual 10-Gigabit, 100-Gigabit or
    ///   400-Gigabit Ethernet ports only across router pair"; and "400-Gbps is available in
    ///   limited ExpressRoute peering locations and requires enrollment."
    /// - [Configure ExpressRoute Direct](https://learn.microsoft.com/azure/expressroute/expressroute-howto-erdirect)
    /// - [azurerm_express_route_port](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_port)
    /// - [ExpressRoute ports REST API: bandwidthInGbps](https://learn.microsoft.com/rest/api/expressroute/express-route-ports/create-or-update)
    pub struct PortSizeNotOffered {
        id: "ER209",
        name: "port-size-not-offered",
        severity: Error,
        kinds: [Port],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "an ExpressRoute Direct port whose size is not 10, 100 or 400 Gbps",
    }
}

impl Rule for PortSizeNotOffered {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Lookup::Known(f) = cx.get(res, &attr::BANDWIDTH_GBPS) else {
            return;
        };
        let name = res.attr_name(&attr::BANDWIDTH_GBPS);
        if let Some(finding) = PortSize::find(name, f.val, cx.catalog.direct()) {
            cx.report_found(res, &f, finding.message())
                .help(finding.help());
        }
    }
}

/// What ER209 found: a port size ExpressRoute Direct does not offer.
#[derive(Debug, PartialEq)]
struct PortSize<'a> {
    /// The attribute, and its value as written.
    name: &'a str,
    written: String,
    /// The value as a number, when it is one.
    n: Option<f64>,
    /// The port sizes (Gbps).
    sizes: Vec<f64>,
    /// The port sizes on which `n` is a circuit size, when it is one.
    circuit_on: Vec<u32>,
}

impl<'a> PortSize<'a> {
    fn find(name: &'a str, v: &Val, direct: &Direct) -> Option<PortSize<'a>> {
        let sizes: Vec<f64> = direct
            .port_bandwidths_gbps
            .iter()
            .map(|s| f64::from(*s))
            .collect();
        if sizes.is_empty() {
            return None; // an empty catalogue: no finding rather than a wrong one
        }
        let n = v.as_number();
        if n.is_some_and(|n| sizes.contains(&n)) {
            return None;
        }
        let mut circuit_on: Vec<u32> = n
            .map(|n| {
                direct
                    .circuit_bandwidths_gbps_by_port
                    .iter()
                    .filter(|(_, c)| c.iter().any(|s| f64::from(*s) == n))
                    .filter_map(|(port, _)| port.parse::<u32>().ok())
                    .collect()
            })
            .unwrap_or_default();
        circuit_on.sort_unstable();
        Some(PortSize {
            name,
            written: v.to_string(),
            n,
            sizes,
            circuit_on,
        })
    }

    fn message(&self) -> String {
        let name = self.name;
        let sizes = plain_list(&self.sizes);
        match self.n {
            None => format!(
                "`{name}` is `{}`, not a number of gigabits per second; ExpressRoute Direct ports come in {sizes} Gbps",
                self.written
            ),
            Some(n) => format!(
                "`{name}` `{}` is not an ExpressRoute Direct port size; ports come in {sizes} Gbps",
                format_number(n)
            ),
        }
    }

    fn help(&self) -> String {
        let name = self.name;
        let Some(n) = self.n else {
            return format!(
                "set `{name}` to {}, the speed of the ports you ordered",
                code_list(&self.sizes)
            );
        };
        let near = nearest(&self.sizes, n);
        let mut help = format!(
            "set `{name}` to {}, the nearest port {}",
            code_list(&near),
            if near.len() == 1 { "size" } else { "sizes" }
        );
        if !self.circuit_on.is_empty() {
            let ports: Vec<String> = self.circuit_on.iter().map(|p| format!("{p} Gbps")).collect();
            help.push_str(&format!(
                "; {} Gbps is a circuit size (on a {} port), set on the circuit that uses the port",
                format_number(n),
                or_names(&ports, false)
            ));
        }
        help
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use super::PortSize;
    use crate::catalog::Catalog;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind, Resource, Val};

    const ER: &str = "ER209";

    fn port(dialect: Dialect, gbps: serde_json::Value) -> Resource {
        let body = if dialect.schema == crate::model::Schema::Arm {
            serde_json::json!({"properties": {"peeringLocation": "Equinix-Seattle-SE2", "bandwidthInGbps": gbps, "encapsulation": "Dot1Q"}})
        } else {
            serde_json::json!({"peering_location": "Equinix-Seattle-SE2", "bandwidth_in_gbps": gbps, "encapsulation": "Dot1Q"})
        };
        resource(Kind::Port, dialect, body)
    }

    #[test]
    fn the_three_port_sizes_pass() {
        for d in [Dialect::AZURERM, Dialect::ARM] {
            for g in [
                serde_json::json!(10),
                serde_json::json!(100),
                serde_json::json!(400),
                serde_json::json!("100"),
                serde_json::json!("<unknown>"),
            ] {
                assert!(run(&model(port(d, g.clone())), ER).is_empty(), "{g}");
            }
        }
    }

    #[test]
    fn other_sizes_are_reported() {
        let m = one(&model(port(Dialect::AZURERM, serde_json::json!(40))), ER);
        assert_eq!(
            m,
            "`bandwidth_in_gbps` `40` is not an ExpressRoute Direct port size; ports come in 10, 100 and 400 Gbps || set `bandwidth_in_gbps` to `10` or `100`, the nearest port sizes; 40 Gbps is a circuit size (on a 100 Gbps or 400 Gbps port), set on the circuit that uses the port"
        );
        let m = one(&model(port(Dialect::ARM, serde_json::json!(25))), ER);
        assert_eq!(
            m,
            "`bandwidthInGbps` `25` is not an ExpressRoute Direct port size; ports come in 10, 100 and 400 Gbps || set `bandwidthInGbps` to `10` or `100`, the nearest port sizes"
        );
        for g in [1.0, 0.0, 1000.0, 10.5, -10.0] {
            assert_eq!(
                run(&model(port(Dialect::ARM, serde_json::json!(g))), ER).len(),
                1,
                "{g}"
            );
        }
        let m = one(&model(port(Dialect::AZURERM, serde_json::json!("10G"))), ER);
        assert!(m.starts_with("`bandwidth_in_gbps` is `10G`, not a number"), "{m}");
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        let direct = Catalog::bundled().direct();
        let f = PortSize::find("bandwidth_in_gbps", &Val::number(1000.0, None), direct).unwrap();
        assert_eq!(
            f,
            PortSize {
                name: "bandwidth_in_gbps",
                written: "1000".into(),
                n: Some(1000.0),
                sizes: vec![10.0, 100.0, 400.0],
                circuit_on: vec![],
            }
        );
        assert_eq!(
            f.message(),
            "`bandwidth_in_gbps` `1000` is not an ExpressRoute Direct port size; ports come in 10, 100 and 400 Gbps"
        );
        assert_eq!(
            f.help(),
            "set `bandwidth_in_gbps` to `400`, the nearest port size"
        );
        let f = PortSize {
            n: Some(5.0),
            written: "5".into(),
            circuit_on: vec![10, 100, 400],
            ..f
        };
        assert_eq!(
            f.help(),
            "set `bandwidth_in_gbps` to `10`, the nearest port size; 5 Gbps is a circuit size (on a 10 Gbps, 100 Gbps or 400 Gbps port), set on the circuit that uses the port"
        );
        let f = PortSize {
            n: None,
            written: "ten".into(),
            circuit_on: vec![],
            ..f
        };
        assert_eq!(
            f.help(),
            "set `bandwidth_in_gbps` to `10`, `100` or `400`, the speed of the ports you ordered"
        );
    }
}

//! ER206 bandwidth-not-offered
use crate::catalog::Direct as DirectSizes;
use crate::model::value::format_number;
use crate::rules::prelude::*;
use crate::text::{join_names, or_names};

declare_rule! {
    /// ## What it does
    /// Flags a circuit bandwidth that ExpressRoute does not offer: a provider circuit's
    /// `bandwidth_in_mbps` other than 50, 100, 200, 500, 1000, 2000, 5000 or 10000, or an
    /// ExpressRoute Direct circuit's `bandwidth_in_gbps` that its port's size does not allow.
    ///
    /// ## Why is this bad?
    /// Provider circuits come in fixed sizes: 50, 100, 200 and 500 Mbps and 1, 2, 5 and
    /// 10 Gbps (each provider offers a subset of these). Circuits on an ExpressRoute Direct
    /// port come in sizes that depend on the port: 1, 2, 5 or 10 Gbps on a 10 Gbps port;
    /// 5, 10, 40 or 100 Gbps on a 100 Gbps port; 5, 10, 40, 100, 200 or 400 Gbps on a
    /// 400 Gbps port. Azure rejects any other value when the circuit is created.
    ///
    /// The port is found through `express_route_port_id` / `expressRoutePort.id` when it is
    /// declared in the same configuration; when it is not, a size that no port allows is
    /// still reported. A port whose own size is not 10, 100 or 400 Gbps is ER209's finding;
    /// its circuits are then checked against every size some port allows. Values not known
    /// before deployment are not checked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-ams"
    ///   resource_group_name   = "rg-network"
    ///   location              = "westeurope"
    ///   service_provider_name = "Equinix"
    ///   peering_location      = "Amsterdam"
    ///   bandwidth_in_mbps     = 300   # ER206
    ///
    ///   sku {
    ///     tier   = "Standard"
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
    ///     "expressRoutePort": { "id": "[resourceId('Microsoft.Network/expressRoutePorts', 'erd-sea')]" },
    ///     "bandwidthInGbps": 40
    ///   }
    /// }
    /// ```
    /// (`bandwidthInGbps` 40 on a port whose `bandwidthInGbps` is 10.)
    ///
    /// ## How to fix
    /// Use an offered size: the message names the nearest ones. Note that
    /// `bandwidth_in_mbps` is in megabits per second (`1000` for 1 Gbps); a provider
    /// circuit tops out at 10 Gbps, and larger circuits need ExpressRoute Direct. Check which
    /// sizes your provider offers with `az network express-route list-service-providers`.
    ///
    /// ## References
    /// - [ExpressRoute FAQ: supported bandwidths](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    /// - [ExpressRoute circuits and peering](https://learn.microsoft.com/azure/expressroute/expressroute-circuit-peerings)
    /// - [About ExpressRoute Direct: circuit sizes](https://learn.microsoft.com/azure/expressroute/expressroute-erdirect-about)
    /// - [azurerm_express_route_circuit](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit)
    pub struct BandwidthNotOffered {
        id: "ER206",
        name: "bandwidth-not-offered",
        severity: Error,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a provider circuit bandwidth ExpressRoute does not offer, or a Direct circuit size its port does not allow",
    }
}

impl Rule for BandwidthNotOffered {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        if let Lookup::Known(f) = cx.get(res, &attr::BANDWIDTH_MBPS) {
            let offered: Vec<f64> = cx
                .catalog
                .provider_bandwidths_mbps()
                .iter()
                .map(|n| f64::from(*n))
                .collect();
            let name = res.attr_name(&attr::BANDWIDTH_MBPS);
            if let Some(finding) = Finding::mbps(name, f.val, offered) {
                cx.report_found(res, &f, finding.message())
                    .help(finding.help());
            }
        }
        let (port, target) = cx.get_ref(model, res, &attr::PORT_ID);
        if port.is_absent() {
            return;
        }
        let Lookup::Known(f) = cx.get(res, &attr::BANDWIDTH_GBPS) else {
            return;
        };
        // The port's size (ports have `bandwidth_in_gbps` / `bandwidthInGbps` too).
        let port = target
            .and_then(|t| model.resources.get(t))
            .filter(|p| p.kind == Kind::Port);
        let size = port.and_then(|p| match cx.get(p, &attr::BANDWIDTH_GBPS) {
            Lookup::Known(s) => s.val.as_number().map(|n| (n, s.at)),
            _ => None,
        });
        let name = res.attr_name(&attr::BANDWIDTH_GBPS);
        let direct = cx.catalog.direct();
        if let Some(finding) = Finding::gbps(name, f.val, direct, size.map(|(n, _)| n)) {
            let d = cx.report_found(res, &f, finding.message());
            d.help(finding.help());
            if let (Finding::NotForPort { port, .. }, Some((_, at))) = (&finding, size) {
                d.label(at, format!("the port is {} Gbps", format_number(*port)));
            }
        }
    }
}

/// What ER206 found.
#[derive(Debug, PartialEq)]
enum Finding<'a> {
    /// `bandwidth_in_mbps` is not a number; the offered bandwidths.
    MbpsNotANumber {
        name: &'a str,
        written: String,
        offered: Vec<f64>,
    },
    /// `bandwidth_in_gbps` is not a number.
    GbpsNotANumber { name: &'a str, written: String },
    /// A provider circuit bandwidth ExpressRoute does not offer.
    NotOffered { name: &'a str, n: f64, offered: Vec<f64> },
    /// An ExpressRoute Direct circuit size its port does not allow; the port sizes that
    /// would allow it.
    NotForPort {
        name: &'a str,
        n: f64,
        port: f64,
        allowed: Vec<f64>,
        fitting: Vec<u32>,
    },
    /// A size no ExpressRoute Direct port allows.
    NotADirectSize { name: &'a str, n: f64, all: Vec<f64> },
}

impl<'a> Finding<'a> {
    /// `bandwidth_in_mbps` against the provider bandwidths.
    fn mbps(name: &'a str, v: &Val, offered: Vec<f64>) -> Option<Finding<'a>> {
        if offered.is_empty() {
            return None;
        }
        let Some(n) = v.as_number() else {
            return Some(Finding::MbpsNotANumber {
                name,
                written: v.to_string(),
                offered,
            });
        };
        (!offered.contains(&n)).then_some(Finding::NotOffered { name, n, offered })
    }

    /// `bandwidth_in_gbps` against the sizes its port allows (`port`: the port's size,
    /// when known), or every size some port allows.
    fn gbps(name: &'a str, v: &Val, direct: &DirectSizes, port: Option<f64>) -> Option<Finding<'a>> {
        let Some(n) = v.as_number() else {
            return Some(Finding::GbpsNotANumber {
                name,
                written: v.to_string(),
            });
        };
        let sized = port.and_then(|p| {
            let whole =
                (p.fract() == 0.0 && p >= 0.0 && p <= f64::from(u32::MAX)).then_some(p as u32)?;
            let sizes = direct.circuit_bandwidths(whole)?;
            Some((p, sizes.iter().map(|s| f64::from(*s)).collect::<Vec<_>>()))
        });
        if let Some((port, allowed)) = sized {
            if allowed.contains(&n) {
                return None;
            }
            let mut fitting: Vec<u32> = direct
                .circuit_bandwidths_gbps_by_port
                .iter()
                .filter(|(_, sizes)| sizes.iter().any(|s| f64::from(*s) == n))
                .filter_map(|(port, _)| port.parse::<u32>().ok())
                .collect();
            fitting.sort_unstable();
            return Some(Finding::NotForPort {
                name,
                n,
                port,
                allowed,
                fitting,
            });
        }
        let mut all: Vec<f64> = direct
            .circuit_bandwidths_gbps_by_port
            .values()
            .flatten()
            .map(|s| f64::from(*s))
            .collect();
        all.sort_by(f64::total_cmp);
        all.dedup();
        (!all.is_empty() && !all.contains(&n)).then_some(Finding::NotADirectSize { name, n, all })
    }

    fn message(&self) -> String {
        match self {
            Finding::MbpsNotANumber { name, written, .. } => {
                format!("`{name}` is `{written}`, not a number of megabits per second")
            }
            Finding::GbpsNotANumber { name, written } => {
                format!("`{name}` is `{written}`, not a number of gigabits per second")
            }
            Finding::NotOffered { name, n, offered } => format!(
                "`{name}` `{}` is not an ExpressRoute bandwidth; provider circuits come in {} Mbps",
                format_number(*n),
                plain_list(offered)
            ),
            Finding::NotForPort {
                name,
                n,
                port,
                allowed,
                ..
            } => format!(
                "`{name}` `{}` is not a circuit size for a {} Gbps ExpressRoute Direct port, which allows {} Gbps",
                format_number(*n),
                format_number(*port),
                plain_list(allowed)
            ),
            Finding::NotADirectSize { name, n, all } => format!(
                "`{name}` `{}` is not an ExpressRoute Direct circuit size; circuits on a port come in {} Gbps",
                format_number(*n),
                plain_list(all)
            ),
        }
    }

    fn help(&self) -> String {
        match self {
            Finding::MbpsNotANumber { name, offered, .. } => {
                format!("set `{name}` to one of {} (Mbps)", code_list(offered))
            }
            Finding::GbpsNotANumber { name, .. } => {
                format!("set `{name}` to a circuit size its ExpressRoute Direct port allows")
            }
            Finding::NotOffered { name, n, offered } => {
                let largest = offered.iter().copied().fold(0.0, f64::max);
                let near = nearest(offered, *n);
                if offered.contains(&(n * 1000.0)) {
                    format!(
                        "write `{}` for {} Gbps: `{name}` is in megabits per second",
                        format_number(n * 1000.0),
                        format_number(*n)
                    )
                } else if *n > largest {
                    format!(
                        "set `{name}` to at most `{}` (10 Gbps, the largest provider circuit); larger circuits need ExpressRoute Direct",
                        format_number(largest)
                    )
                } else {
                    format!(
                        "set `{name}` to {}, the nearest offered {}",
                        code_list(&near),
                        if near.len() == 1 { "value" } else { "values" }
                    )
                }
            }
            Finding::NotForPort {
                name,
                n,
                allowed,
                fitting,
                ..
            } => {
                let ports: Vec<String> = fitting.iter().map(|p| format!("{p} Gbps")).collect();
                let other = if ports.is_empty() {
                    String::new()
                } else {
                    format!(", or put the circuit on a {} port", or_names(&ports, false))
                };
                format!("set `{name}` to {}{other}", code_list(&nearest(allowed, *n)))
            }
            Finding::NotADirectSize { name, n, all } => format!(
                "set `{name}` to {} (the sizes a port allows depend on the port: 1 to 10 Gbps on a 10 Gbps port, 5 to 100 on a 100 Gbps port, 5 to 400 on a 400 Gbps port)",
                code_list(&nearest(all, *n))
            ),
        }
    }
}

/// The offered values just below and just above `n` (one when `n` is outside the range).
pub(super) fn nearest(offered: &[f64], n: f64) -> Vec<f64> {
    let below = offered.iter().copied().filter(|o| *o < n).reduce(f64::max);
    let above = offered.iter().copied().filter(|o| *o > n).reduce(f64::min);
    below.into_iter().chain(above).collect()
}

pub(super) fn code_list(values: &[f64]) -> String {
    let v: Vec<String> = values.iter().map(|n| format_number(*n)).collect();
    or_names(&v, true)
}

pub(super) fn plain_list(values: &[f64]) -> String {
    let v: Vec<String> = values.iter().map(|n| format_number(*n)).collect();
    join_names(&v, false)
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;
    use super::nearest;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind};

    const ER: &str = "ER206";

    fn mbps(v: serde_json::Value) -> crate::model::Resource {
        resource(
            Kind::Circuit,
            Dialect::AZURERM,
            serde_json::json!({"service_provider_name": "Equinix", "peering_location": "Amsterdam", "bandwidth_in_mbps": v}),
        )
    }

    #[test]
    fn nearest_values() {
        let o = [50.0, 100.0, 200.0, 500.0, 1000.0];
        assert_eq!(nearest(&o, 300.0), vec![200.0, 500.0]);
        assert_eq!(nearest(&o, 10.0), vec![50.0]);
        assert_eq!(nearest(&o, 5000.0), vec![1000.0]);
    }

    #[test]
    fn offered_mbps_pass_others_are_reported() {
        for v in [50, 100, 200, 500, 1000, 2000, 5000, 10000] {
            assert!(
                run(&model(mbps(serde_json::json!(v))), ER).is_empty(),
                "{v}"
            );
        }
        assert!(run(&model(mbps(serde_json::json!("1000"))), ER).is_empty());
        assert!(run(&model(mbps(serde_json::json!("<unknown>"))), ER).is_empty());
        let m = one(&model(mbps(serde_json::json!(300))), ER);
        assert!(
            m.contains("`bandwidth_in_mbps` `300` is not an ExpressRoute bandwidth"),
            "{m}"
        );
        assert!(
            m.contains("`200` or `500`, the nearest offered values"),
            "{m}"
        );
        let m = one(&model(mbps(serde_json::json!(1))), ER);
        assert!(m.contains("write `1000` for 1 Gbps"), "{m}");
        let m = one(&model(mbps(serde_json::json!(20000))), ER);
        assert!(m.contains("at most `10000`"), "{m}");
        let m = one(&model(mbps(serde_json::json!(0.5))), ER);
        assert!(m.contains("write `500` for 0.5 Gbps"), "{m}");
        let m = one(&model(mbps(serde_json::json!(7))), ER);
        assert!(m.contains("`50`, the nearest offered value"), "{m}");
        let m = one(&model(mbps(serde_json::json!("1Gbps"))), ER);
        assert!(m.contains("not a number"), "{m}");
    }

    #[test]
    fn direct_sizes_without_a_known_port() {
        let c = |g: serde_json::Value| {
            resource(
                Kind::Circuit,
                Dialect::AZURERM,
                serde_json::json!({"express_route_port_id": "<unknown>", "bandwidth_in_gbps": g}),
            )
        };
        for g in [1, 2, 5, 10, 40, 100, 200, 400] {
            assert!(run(&model(c(serde_json::json!(g))), ER).is_empty(), "{g}");
        }
        let m = one(&model(c(serde_json::json!(3))), ER);
        assert!(
            m.contains("`bandwidth_in_gbps` `3` is not an ExpressRoute Direct circuit size"),
            "{m}"
        );
        assert!(m.contains("`2` or `5`"), "{m}");
        // No port: not a Direct circuit (ER207's business).
        let no_port = resource(
            Kind::Circuit,
            Dialect::AZURERM,
            serde_json::json!({"bandwidth_in_gbps": 3}),
        );
        assert!(run(&model(no_port), ER).is_empty());
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        use super::Finding;
        let offered = vec![50.0, 100.0, 200.0, 500.0, 1000.0, 10000.0];
        let f = Finding::NotOffered {
            name: "bandwidth_in_mbps",
            n: 300.0,
            offered: offered.clone(),
        };
        assert_eq!(
            f.message(),
            "`bandwidth_in_mbps` `300` is not an ExpressRoute bandwidth; provider circuits come in 50, 100, 200, 500, 1000 and 10000 Mbps"
        );
        assert_eq!(
            f.help(),
            "set `bandwidth_in_mbps` to `200` or `500`, the nearest offered values"
        );
        let gbps = Finding::NotOffered {
            name: "bandwidthInMbps",
            n: 10.0,
            offered,
        };
        assert_eq!(
            gbps.help(),
            "write `10000` for 10 Gbps: `bandwidthInMbps` is in megabits per second"
        );
        let port = Finding::NotForPort {
            name: "bandwidth_in_gbps",
            n: 40.0,
            port: 10.0,
            allowed: vec![1.0, 2.0, 5.0, 10.0],
            fitting: vec![100, 400],
        };
        assert_eq!(
            port.message(),
            "`bandwidth_in_gbps` `40` is not a circuit size for a 10 Gbps ExpressRoute Direct port, which allows 1, 2, 5 and 10 Gbps"
        );
        assert_eq!(
            port.help(),
            "set `bandwidth_in_gbps` to `10`, or put the circuit on a 100 Gbps or 400 Gbps port"
        );
    }
}

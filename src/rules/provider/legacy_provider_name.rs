//! ER205 legacy-provider-name
use super::circuit::known_str;
use crate::catalog::MatchKind;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ExpressRoute circuit whose service provider is written with a former name
    /// of a connectivity partner, such as "Telia Carrier" for "Arelion (Telia Carrier)" or
    /// "Interxion" for "Interxion (Digital Realty)".
    ///
    /// ## Why is this bad?
    /// Providers rename themselves, and Microsoft's provider tables then show the new name
    /// with the old one in parentheses. Azure keeps existing circuits working, and a
    /// former name may well still be what the service-provider API returns, so this is
    /// only information. But a name that Azure no longer lists makes new deployments fail,
    /// and configuration that mixes old and new names is hard to audit. The docs do not
    /// publish the exact strings the API accepts, so check them once.
    ///
    /// A name that is both a partner of its own and a former name of another partner
    /// ("NTT Communications") is not flagged.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit" "main" {
    ///   name                  = "er-stockholm"
    ///   resource_group_name   = "rg-network"
    ///   location              = "Sweden Central"
    ///   service_provider_name = "Telia Carrier"   # ER205
    ///   peering_location      = "Stockholm"
    ///   bandwidth_in_mbps     = 500
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
    ///   "name": "er-stockholm",
    ///   "location": "swedencentral",
    ///   "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
    ///   "properties": {
    ///     "serviceProviderProperties": {
    ///       "serviceProviderName": "Telia Carrier",
    ///       "peeringLocation": "Stockholm",
    ///       "bandwidthInMbps": 500
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// List the names Azure accepts with
    /// `az network express-route list-service-providers --query "[].name"` (or
    /// `Get-AzExpressRouteServiceProvider`) and use the current one. For an existing
    /// circuit, note that azurerm forces a new circuit when `service_provider_name`
    /// changes other than in case: if the old name still works, keep it and suppress this
    /// finding with a reason.
    ///
    /// ## References
    /// - [ExpressRoute connectivity providers by location](https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers)
    /// - [List ExpressRoute service providers (REST API)](https://learn.microsoft.com/rest/api/expressroute/express-route-service-providers/list)
    /// - [az network express-route list-service-providers](https://learn.microsoft.com/cli/azure/network/express-route#az-network-express-route-list-service-providers)
    pub struct LegacyProviderName {
        id: "ER205",
        name: "legacy-provider-name",
        severity: Info,
        kinds: [Circuit],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a former provider name (\"Telia Carrier\")",
    }
}

impl Rule for LegacyProviderName {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((found, name)) = known_str(cx, res, &attr::SERVICE_PROVIDER) else {
            return;
        };
        let Some(m) = cx.catalog.provider(name) else {
            return;
        };
        if m.how != MatchKind::FormerName {
            return;
        }
        let finding = FormerName {
            name: name.trim(),
            current: &m.partner.name,
            field: res.attr_name(&attr::SERVICE_PROVIDER),
        };
        // Unsafe: the azurerm provider replaces a circuit whose `service_provider_name`
        // changes other than in case, and the docs do not say which spelling the API takes.
        let renamed = fix(
            Applicability::Unsafe,
            vec![rewrite(found.val, m.partner.name.clone())],
        );
        cx.report_found(res, &found, finding.message())
            .help(finding.help())
            .fix(renamed);
    }
}

/// What ER205 found: a former name of a partner.
#[derive(Debug)]
struct FormerName<'a> {
    name: &'a str,
    current: &'a str,
    field: &'static str,
}

impl FormerName<'_> {
    fn message(&self) -> String {
        format!(
            "`{}` is a former name of the ExpressRoute partner `{}`",
            self.name, self.current
        )
    }

    fn help(&self) -> String {
        format!(
            "check the names Azure accepts with `az network express-route list-service-providers --query \"[].name\"` and set `{}` to the current one (the docs list `{}`)",
            self.field, self.current
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::circuit::test_support::*;

    const ER: &str = "ER205";

    #[test]
    fn former_names_are_reported() {
        let m = one(&model(tf("Telia Carrier", "Stockholm")), ER);
        assert!(m.contains("`Telia Carrier` is a former name of the ExpressRoute partner `Arelion (Telia Carrier)`"), "{m}");
        let m = one(&model(arm("interxion", "Amsterdam")), ER);
        assert!(m.contains("`Interxion (Digital Realty)`"), "{m}");
        assert!(
            m.contains("`serviceProviderProperties.serviceProviderName`"),
            "{m}"
        );
        let m = one(&model(tf("PCCW Global Limited", "London")), ER);
        assert!(m.contains("Console Connect (PCCW Global Limited)"), "{m}");
        let d = run(
            &model(tf("NTT Communications - Flexible InterConnect", "Tokyo")),
            ER,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, crate::diagnostic::Severity::Info);
    }

    #[test]
    fn current_names_spellings_halves_and_unknown_stay_silent() {
        for p in [
            "Arelion (Telia Carrier)",
            "Arelion",
            "AT&T Netbond",
            "Equinix",
            "NTT Communications",
            "Acme Telecom",
            "<unknown>",
        ] {
            assert!(run(&model(tf(p, "Amsterdam")), ER).is_empty(), "{p}");
        }
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        let f = super::FormerName {
            name: "Telia Carrier",
            current: "Arelion (Telia Carrier)",
            field: "serviceProviderProperties.serviceProviderName",
        };
        assert_eq!(
            f.message(),
            "`Telia Carrier` is a former name of the ExpressRoute partner `Arelion (Telia Carrier)`"
        );
        assert!(f.help().ends_with(
            "set `serviceProviderProperties.serviceProviderName` to the current one (the docs list `Arelion (Telia Carrier)`)"
        ));
    }
}

//! ER405 azure-public-peering
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an Azure public peering (`AzurePublicPeering`), which can no longer be created
    /// on new circuits.
    ///
    /// ## Why is this bad?
    /// Azure public peering is deprecated: Azure does not create it on new circuits, and
    /// the Azure services it used to reach (public endpoints of Azure PaaS services) are
    /// reached through Microsoft peering instead. Declaring it for a new circuit fails at
    /// deployment; on an old circuit that still has it, it keeps a retired configuration
    /// alive that should be migrated.
    ///
    /// The type is read from `peering_type` (`peeringType`), or in ARM from the peering's
    /// name, which Azure requires to be the type. A type that is not known before
    /// deployment is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "public" {
    ///   peering_type                  = "AzurePublicPeering"   # ER405
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 54496   # your public ASN
    ///   vlan_id                       = 200
    ///   primary_peer_address_prefix   = "185.64.100.0/30"
    ///   secondary_peer_address_prefix = "185.64.100.4/30"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-circuit/AzurePublicPeering",
    ///   "properties": {
    ///     "peerASN": 54496,
    ///     "vlanId": 200,
    ///     "primaryPeerAddressPrefix": "185.64.100.0/30",
    ///     "secondaryPeerAddressPrefix": "185.64.100.4/30"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use `MicrosoftPeering` instead, with public peer prefixes, your advertised public
    /// prefixes, and a route filter that allows the BGP communities of the Azure services
    /// you need. On an existing circuit that still runs Azure public peering, plan the
    /// migration to Microsoft peering and suppress the finding with a reason until then.
    ///
    /// ## References
    /// - [Create and manage ExpressRoute public peering (deprecated)](https://learn.microsoft.com/azure/expressroute/about-public-peering)
    /// - [Migrate from Azure public peering to Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-move-peering)
    /// - [ExpressRoute routing requirements: IP addresses used for Azure public peering](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    pub struct AzurePublicPeering {
        id: "ER405",
        name: "azure-public-peering",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "Azure public peering, which new circuits cannot have",
    }
}

impl Rule for AzurePublicPeering {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((PeeringType::Public, found)) = cx.peering_type(res) else {
            return;
        };
        let sp = Spelling::of(res);
        let mut edits = vec![Edit::set(&attr::PEERING_TYPE, "MicrosoftPeering")];
        // Where the schema names a peering by its type (ARM), the name changes with it.
        if let Some((name, _)) = res.known_str(&attr::PEERING_NAME) {
            let renamed = match name.rsplit_once('/') {
                Some((circuit, _)) => format!("{circuit}/MicrosoftPeering"),
                None => "MicrosoftPeering".to_string(),
            };
            edits.push(Edit::set(&attr::PEERING_NAME, renamed));
        }
        let help = format!(
            "{} with public peer prefixes, `{}` and a `{}` allowing the BGP communities of the Azure services you need",
            sp.fix(&edits),
            sp.name(&attr::MICROSOFT_PEERING_CONFIG),
            sp.name(&attr::ROUTE_FILTER_ID)
        );
        // In ARM the type may come from the name (`circuit/AzurePublicPeering`).
        let value = found
            .as_str()
            .map(|v| v.rsplit('/').next().unwrap_or(v))
            .unwrap_or("AzurePublicPeering");
        cx.report_found(
            res,
            &found,
            format!(
                "`{value}` cannot be created on new circuits: Azure public peering is deprecated, use Microsoft peering"
            ),
        )
        .help(help);
    }
}

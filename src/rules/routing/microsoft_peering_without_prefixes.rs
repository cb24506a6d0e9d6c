//! ER402 microsoft-peering-without-prefixes
use super::microsoft_peering::{Sessions, sessions};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Microsoft peering that declares no advertised public prefixes for an address
    /// family whose BGP sessions it configures: the Microsoft peering configuration is
    /// missing, or its list of advertised public prefixes is missing or empty.
    ///
    /// ## Why is this bad?
    /// On Microsoft peering you must declare every public prefix you will advertise over
    /// the BGP sessions. Microsoft checks that these prefixes (with your peer or customer
    /// ASN) are registered to you, and builds the access lists of its core routers from
    /// them: only traffic from declared, validated prefixes is let in, so with none
    /// declared nothing from your network reaches Microsoft's services. IPv4 sessions need
    /// IPv4 prefixes and IPv6 sessions need IPv6 prefixes, each in their own configuration.
    /// The azurerm provider also refuses a Microsoft peering with IPv4 session prefixes and
    /// no `microsoft_peering_config`.
    ///
    /// A family counts as configured when its primary or secondary peer prefix is set (for
    /// IPv6, in an `ipv6` block / `ipv6PeeringConfig` that is not disabled; for IPv4, unless
    /// `ipv4_enabled = false`). When the prefixes, the type or the list are not known before
    /// deployment, nothing is reported. A peering with no session prefixes at all is left to
    /// ER301.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {   # ER402
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 54496   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "185.64.100.0/30"
    ///   secondary_peer_address_prefix = "185.64.100.4/30"
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/expressRouteCircuits/peerings",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "er-circuit/MicrosoftPeering",
    ///   "properties": {
    ///     "peeringType": "MicrosoftPeering",
    ///     "peerASN": 54496,
    ///     "vlanId": 300,
    ///     "primaryPeerAddressPrefix": "185.64.100.0/30",
    ///     "secondaryPeerAddressPrefix": "185.64.100.4/30",
    ///     "microsoftPeeringConfig": { "advertisedPublicPrefixes": [] }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// List the public prefixes you will advertise: `microsoft_peering_config {
    /// advertised_public_prefixes = ["185.64.113.0/28"] }` for IPv4 and `ipv6 {
    /// microsoft_peering { advertised_public_prefixes = [...] } }` for IPv6 in Terraform,
    /// `microsoftPeeringConfig.advertisedPublicPrefixes` and
    /// `ipv6PeeringConfig.microsoftPeeringConfig.advertisedPublicPrefixes` in ARM. Use
    /// prefixes registered to you or to your ASN in an RIR or IRR, and name that registry
    /// (see ER411).
    ///
    /// ## References
    /// - [Configure peering for an ExpressRoute circuit: Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [ExpressRoute routing requirements: IP addresses used for Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-routing#ip-addresses-used-for-microsoft-peering)
    /// - [ExpressRoute FAQ: Microsoft peering prefix validation](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    /// - [azurerm_express_route_circuit_peering](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit_peering)
    pub struct MicrosoftPeeringWithoutPrefixes {
        id: "ER402",
        name: "microsoft-peering-without-prefixes",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "Microsoft peering sessions with no advertised public prefixes for their address family",
    }
}

impl Rule for MicrosoftPeeringWithoutPrefixes {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((PeeringType::Microsoft, _)) = cx.peering_type(res) else {
            return;
        };
        for fam in &attr::FAMILIES {
            if sessions(cx, res, fam) != Sessions::Configured {
                continue;
            }
            check_family(cx, res, fam);
        }
    }
}

fn check_family(cx: &mut Ctx<'_>, res: &Resource, fam: &Family) {
    let sp = Spelling::of(res);
    let config = res.attr_name(fam.config);
    let advertised = res.attr_name(fam.advertised);
    let what = format!(
        "the public {} prefixes you will advertise over these sessions, registered to you or to your ASN in an RIR or IRR",
        fam.name
    );
    // The configuration is missing: add it; it is there: fill in its list.
    let add = format!("{} listing {what}", sp.add_list(fam.config, fam.advertised));
    let fill = format!("set `{advertised}` to {what}");
    let lead = format!(
        "`MicrosoftPeering` declares no public prefixes for its {} sessions",
        fam.name
    );
    match cx.get(res, fam.config) {
        Lookup::Unknown { .. } => {}
        Lookup::Absent { at, written, from } => {
            let how = if written { "is null" } else { "is not set" };
            cx.report_absent(res, at, from, format!("{lead}: `{config}` {how}"))
                .help(add);
        }
        // A `dynamic` block that expands to nothing.
        Lookup::Known(f) if f.val.as_list().is_some_and(<[Val]>::is_empty) => {
            cx.report_found(res, &f, format!("{lead}: `{config}` is empty"))
                .help(add);
        }
        Lookup::Known(_) => match cx.get(res, fam.advertised) {
            Lookup::Unknown { .. } => {}
            Lookup::Absent { at, written, from } => {
                let how = if written { "is null" } else { "is not set" };
                cx.report_absent(res, at, from, format!("{lead}: `{advertised}` {how}"))
                    .help(fill);
            }
            Lookup::Known(f) => {
                if f.val.as_list().is_some_and(<[Val]>::is_empty) {
                    cx.report_found(res, &f, format!("{lead}: `{advertised}` is empty"))
                        .help(fill);
                }
            }
        },
    }
}

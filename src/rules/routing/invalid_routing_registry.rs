//! ER411 invalid-routing-registry
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Microsoft peering configuration whose routing registry is not one of the
    /// registries Microsoft validates against (ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB,
    /// ALTDB), including `NONE` and a registry that is not set.
    ///
    /// ## Why is this bad?
    /// Microsoft accepts the public prefixes you advertise on Microsoft peering only once
    /// it has verified that they, and your peer or customer ASN, are registered to you. It
    /// checks them automatically against the routing registry you name, which must be one
    /// of ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB or ALTDB. With any other value, or
    /// none, the automatic validation cannot succeed: the advertised prefixes stay in the
    /// `ValidationNeeded` state until you open a support case with documents (such as a
    /// letter of authorization) and Microsoft validates them by hand.
    ///
    /// An absent registry is reported like an explicit `NONE`: the azurerm provider sends
    /// `NONE` when `routing_registry_name` is not set, and an ARM template without
    /// `routingRegistryName` names no registry either. It is reported only where the
    /// Microsoft peering configuration itself is written (`microsoft_peering_config`,
    /// `ipv6 { microsoft_peering { … } }`, `microsoftPeeringConfig`,
    /// `ipv6PeeringConfig.microsoftPeeringConfig`); a missing configuration is ER402's
    /// finding. Registry names match case-insensitively. A registry or a peering type
    /// that is not known before deployment is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = azurerm_resource_group.main.name
    ///   peer_asn                      = 54496   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "185.64.100.0/30"
    ///   secondary_peer_address_prefix = "185.64.100.4/30"
    ///   route_filter_id               = azurerm_route_filter.microsoft.id
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.113.0/28"]
    ///     routing_registry_name      = "RIPE"   # ER411
    ///   }
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
    ///     "microsoftPeeringConfig": {
    ///       "advertisedPublicPrefixes": ["185.64.113.0/28"],
    ///       "routingRegistryName": "NONE"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set `routing_registry_name` (`routingRegistryName`) to the registry where your
    /// prefixes and ASN are registered, spelled as Azure expects: `RIPENCC` for the RIPE
    /// NCC, not `RIPE`. If they are registered in none of these registries, keep the value
    /// and suppress the finding with a reason, and prepare the documents for the manual
    /// validation.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: public IP address requirement for Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-routing#public-ip-address-requirement)
    /// - [Configure peering for an ExpressRoute circuit: Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [ExpressRoute FAQ: Microsoft peering validation](https://learn.microsoft.com/azure/expressroute/expressroute-faqs)
    pub struct InvalidRoutingRegistry {
        id: "ER411",
        name: "invalid-routing-registry",
        severity: Warning,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Microsoft peering routing registry that is not ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB or ALTDB (`NONE` or unset included)",
    }
}

/// The registries Microsoft validates Microsoft peering prefixes against.
const REGISTRIES: [&str; 7] = [
    "ARIN", "APNIC", "AFRINIC", "LACNIC", "RIPENCC", "RADB", "ALTDB",
];

const LISTED: &str = "ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB or ALTDB";

impl Rule for InvalidRoutingRegistry {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Some((PeeringType::Microsoft, _)) = cx.peering_type(res) else {
            return;
        };
        for fam in &attr::FAMILIES {
            // Only a configuration that is written: a missing one is ER402's finding.
            match cx.get(res, fam.config) {
                Lookup::Known(f) if !f.val.as_list().is_some_and(<[Val]>::is_empty) => {}
                _ => continue,
            }
            let field = res.attr_name(fam.registry);
            let generic = format!(
                "set `{field}` to the registry where your advertised prefixes and ASN are registered: {LISTED}"
            );
            match cx.get(res, fam.registry) {
                Lookup::Unknown { .. } => {}
                Lookup::Absent { at, written, from } => {
                    let config = res.attr_name(fam.config);
                    let inner = res.attr_name_in(fam.registry, fam.config);
                    // Meaning differs: the azurerm provider sends `NONE` for an unset
                    // registry; an ARM body sends nothing.
                    let message = match (res.schema(), written) {
                        (Schema::Azurerm, false) => format!(
                            "`{config}` sets no `{inner}`, so the azurerm provider sends `NONE`: Microsoft cannot validate the advertised prefixes against a registry"
                        ),
                        (Schema::Azurerm, true) => format!(
                            "`{field}` is null, so the azurerm provider sends `NONE`: Microsoft cannot validate the advertised prefixes against a registry"
                        ),
                        (Schema::Arm, _) => format!(
                            "`{config}` names no `{inner}`: Microsoft cannot validate the advertised prefixes against a registry"
                        ),
                    };
                    cx.report_absent(res, at, from, message).help(generic);
                }
                Lookup::Known(f) => {
                    let value = f.val.to_string();
                    let trimmed = value.trim();
                    if REGISTRIES.iter().any(|r| r.eq_ignore_ascii_case(trimmed)) {
                        continue;
                    }
                    let message = if trimmed.is_empty() {
                        format!(
                            "`{field}` is empty: Microsoft cannot validate the advertised prefixes against a registry"
                        )
                    } else if trimmed.eq_ignore_ascii_case("NONE") {
                        format!(
                            "routing registry `{value}` names no registry: Microsoft cannot validate the advertised prefixes against one"
                        )
                    } else {
                        format!(
                            "routing registry `{value}` is not one Microsoft validates against ({})",
                            REGISTRIES.join(", ")
                        )
                    };
                    let help = match suggest(trimmed) {
                        Some(s) => Spelling::of(res).fix(&[Edit::set(fam.registry, s)]),
                        None => generic,
                    };
                    cx.report_found(res, &f, message).help(help);
                }
            }
        }
    }
}

/// The registry a misspelt name most likely means.
fn suggest(value: &str) -> Option<&'static str> {
    let norm: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    if norm.is_empty() || norm == "NONE" {
        return None;
    }
    match norm.as_str() {
        "RIPE" | "RIPEDB" => return Some("RIPENCC"),
        "MERIT" | "MERITRADB" => return Some("RADB"),
        _ => {}
    }
    // The one registry within two edits; none when two are equally close.
    let mut near: Vec<(usize, &'static str)> = REGISTRIES
        .iter()
        .map(|r| (distance(&norm, r), *r))
        .filter(|(d, _)| *d <= 2)
        .collect();
    near.sort_unstable();
    match near.as_slice() {
        [(d, r), rest @ ..] if rest.first().is_none_or(|(e, _)| e > d) => Some(r),
        _ => None,
    }
}

/// Levenshtein distance of two short ASCII strings.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<u8> = b.bytes().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let best = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = best;
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_common_misspellings() {
        assert_eq!(suggest("RIPE"), Some("RIPENCC"));
        assert_eq!(suggest("ripe-ncc"), Some("RIPENCC"));
        assert_eq!(suggest("RIPE NCC"), Some("RIPENCC"));
        assert_eq!(suggest("AFRNIC"), Some("AFRINIC"));
        assert_eq!(suggest("APNC"), Some("APNIC"));
        // As close to ARIN as to APNIC: no guess.
        assert_eq!(suggest("APINC"), None);
        assert_eq!(suggest("NONE"), None);
        assert_eq!(suggest(""), None);
        assert_eq!(suggest("LEVEL3"), None);
    }
}

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
    /// it has verified that they, and your peer or customer ASN, are registered to you.
    /// The routing registry name tells it where they are registered, and Microsoft names
    /// seven registries for that: ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB and ALTDB. A
    /// value that is none of them (usually a misspelling such as `RIPE` for `RIPENCC`)
    /// points Microsoft at no registry it checks. `NONE`, or no registry at all, names
    /// none: Microsoft then has no registry named to check your prefixes against, and if
    /// they are not registered to you in one of the seven, the docs ask for a support case
    /// with documents (such as a letter of authorization) for a manual validation, during
    /// which the advertised prefixes are not accepted.
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
    ///   (03/12/2026): "Make sure that you're registered as the owner of your IP address
    ///   and AS number in one of the following registries: ARIN, APNIC, AFRINIC, LACNIC,
    ///   RIPENCC, RADB, ALTDB. If your prefixes and AS number aren't assigned to you in
    ///   the preceding registries, you need to open a support case for manual validation
    ///   of your prefixes and ASN."
    /// - [Configure peering for an ExpressRoute circuit: Microsoft peering](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager):
    ///   "Routing Registry Name: You can specify the RIR / IRR against which the AS number
    ///   and prefixes are registered."
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
                "set `{field}` to the registry where your advertised prefixes and ASN are registered: {LISTED}; if they are registered in none of these, Microsoft validates them by hand through a support case"
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
                            "`{config}` sets no `{inner}`, so the azurerm provider sends `NONE`: it names no registry for Microsoft to check the advertised prefixes against"
                        ),
                        (Schema::Azurerm, true) => format!(
                            "`{field}` is null, so the azurerm provider sends `NONE`: it names no registry for Microsoft to check the advertised prefixes against"
                        ),
                        (Schema::Arm, _) => format!(
                            "`{config}` names no `{inner}`: there is no registry for Microsoft to check the advertised prefixes against"
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
                            "`{field}` is empty: it names no registry for Microsoft to check the advertised prefixes against"
                        )
                    } else if trimmed.eq_ignore_ascii_case("NONE") {
                        format!(
                            "routing registry `{value}` names no registry for Microsoft to check the advertised prefixes against"
                        )
                    } else {
                        format!(
                            "routing registry `{value}` is not one Microsoft validates against ({})",
                            REGISTRIES.join(", ")
                        )
                    };
                    let suggested = suggest(trimmed);
                    let help = match suggested {
                        Some(s) => Spelling::of(res).fix(&[Edit::set(fam.registry, s)]),
                        None => generic,
                    };
                    // Another name of the registry is safe to replace; a guess is not.
                    let how = if alias_of(trimmed).is_some() {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    let canonical = suggested.and_then(|s| fix(how, vec![rewrite(f.val, s)]));
                    cx.report_found(res, &f, message).help(help).fix(canonical);
                }
            }
        }
    }
}

/// The registry another name of it means: an alias (`RIPE` for `RIPENCC`, `MERIT` for
/// `RADB`) or its name with other punctuation or spacing (`RIPE-NCC`).
fn alias_of(value: &str) -> Option<&'static str> {
    let norm: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    match norm.as_str() {
        "RIPE" | "RIPEDB" => Some("RIPENCC"),
        "MERIT" | "MERITRADB" => Some("RADB"),
        _ => REGISTRIES.iter().find(|r| **r == norm).copied(),
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
    if let Some(r) = alias_of(value) {
        return Some(r);
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

    #[test]
    fn aliases_are_other_names_not_guesses() {
        assert_eq!(alias_of("RIPE"), Some("RIPENCC"));
        assert_eq!(alias_of("ripe-ncc"), Some("RIPENCC"));
        assert_eq!(alias_of("Merit RADb"), Some("RADB"));
        assert_eq!(alias_of("AFRNIC"), None, "a misspelling is a guess");
        assert_eq!(alias_of("NONE"), None);
    }
}

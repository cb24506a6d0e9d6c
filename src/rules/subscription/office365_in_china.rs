//! ER106 office365-community-in-china
use super::office365::{describe_all, office365_filters};
use crate::catalog::Cloud;
use crate::reference::communities::CHINA_OFFICE365;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a route filter that selects Microsoft 365 (Office 365) BGP communities and is
    /// attached to the Microsoft peering of a circuit in Azure China, operated by 21Vianet.
    ///
    /// ## Why is this bad?
    /// Microsoft's community table lists the Office 365 communities (Exchange Online
    /// `12076:5010`, SharePoint Online `12076:5020`, Skype for Business Online and Teams
    /// `12076:5030`, other Office 365 Online services `12076:5100`, and their US Government
    /// counterparts), but states that they are not supported over Microsoft peering in
    /// Azure China (21Vianet). A route filter there that selects them asks for routes the
    /// circuit does not carry, so the Microsoft 365 traffic it was meant for never takes
    /// the circuit. The communities of Microsoft Entra ID, CRM Online and the Azure
    /// regions are not Office 365 communities (the page does not mark them as needing
    /// Microsoft's authorization) and are not flagged.
    ///
    /// The circuit's cloud comes from the `environment` of its azurerm provider
    /// configuration (or `ARM_ENVIRONMENT`); when that names no cloud (an ARM template, an
    /// `environment` that is not known), from the circuit's Azure region (`chinanorth2`)
    /// or from a peering location that only Azure China has (`Beijing2`). ER104 and ER105
    /// say nothing about these peerings: no authorization or SKU makes the communities
    /// available there. Filters, references, communities and peering types that are not
    /// known before deployment are not checked.
    ///
    /// ## Example
    /// ```hcl
    /// provider "azurerm" {
    ///   features {}
    ///   environment     = "china"
    ///   subscription_id = var.subscription_id
    /// }
    ///
    /// resource "azurerm_route_filter" "microsoft" {
    ///   name                = "rf-microsoft"
    ///   resource_group_name = "rg-network"
    ///   location            = "chinanorth2"
    ///
    ///   rule {
    ///     name        = "allow"
    ///     access      = "Allow"
    ///     rule_type   = "Community"
    ///     communities = ["12076:5010"]   # ER106
    ///   }
    /// }
    ///
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type                  = "MicrosoftPeering"
    ///   express_route_circuit_name    = azurerm_express_route_circuit.main.name
    ///   resource_group_name           = "rg-network"
    ///   peer_asn                      = 54496   # your public ASN
    ///   vlan_id                       = 300
    ///   primary_peer_address_prefix   = "185.64.113.0/30"
    ///   secondary_peer_address_prefix = "185.64.113.4/30"
    ///   route_filter_id               = azurerm_route_filter.microsoft.id
    ///
    ///   microsoft_peering_config {
    ///     advertised_public_prefixes = ["185.64.113.128/27"]
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/routeFilters",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "rf-microsoft",
    ///   "location": "chinanorth2",
    ///   "properties": {
    ///     "rules": [
    ///       {
    ///         "name": "allow",
    ///         "properties": {
    ///           "access": "Allow",
    ///           "routeFilterRuleType": "Community",
    ///           "communities": ["12076:5010"]
    ///         }
    ///       }
    ///     ]
    ///   }
    /// }
    /// ```
    /// (attached to the Microsoft peering of a circuit whose `location` is `chinanorth2`.)
    ///
    /// ## How to fix
    /// Remove the Office 365 communities from the route filter of the circuit in Azure
    /// China, keeping the communities of the services the circuit does carry. If the
    /// circuit was meant for the public cloud, correct its cloud (`environment`, region,
    /// peering location) instead.
    ///
    /// ## References
    /// - [ExpressRoute routing requirements: BGP community support in national clouds](https://learn.microsoft.com/azure/expressroute/expressroute-routing#bgp)
    ///   (03/12/2026): "Office 365 communities aren't supported over Microsoft Peering for
    ///   Microsoft Azure operated by 21Vianet region." The service table marks the Office
    ///   365 rows with "(2) Authorization required from Microsoft".
    /// - [Configure route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-routefilter-portal)
    pub struct Office365CommunityInChina {
        id: "ER106",
        name: "office365-community-in-china",
        severity: Error,
        kinds: [],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a Microsoft peering's route filter selects Microsoft 365 communities on a circuit in Azure China (21Vianet), where they are not supported",
    }
}

impl Rule for Office365CommunityInChina {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        for sel in office365_filters(cx, model) {
            let china: Vec<_> = sel.peerings.iter().filter(|a| a.china.is_some()).collect();
            let Some(first_peering) = china.first() else {
                continue;
            };
            let Some(first) = sel.communities.first() else {
                continue;
            };
            let all: Vec<_> = sel.communities.iter().collect();
            let finding = InChina {
                communities: describe_all(&all),
                count: all.len(),
            };
            let d = cx.report(sel.filter, first.at, finding.message());
            d.help(finding.help());
            for c in sel.communities.iter().skip(1) {
                if c.at != first.at {
                    d.label(c.at, format!("Microsoft 365 community {}", c.describe()));
                }
            }
            for c in &sel.communities {
                if let Some(from) = c.from {
                    d.label(from, format!("{} set here", c.describe()));
                }
            }
            for a in &china {
                let name = model
                    .resources
                    .get(a.peering)
                    .map_or_else(String::new, |r| format!(" `{}`", r.address));
                d.label(a.at, format!("attached to Microsoft peering{name} here"));
            }
            if let Some(how) = &first_peering.china {
                match how.at {
                    Some((at, text)) => {
                        d.label(at, text);
                    }
                    None if d.note.is_none() => {
                        d.note = Some(format!("the circuit is in Azure China: {}", how.why));
                    }
                    None => {}
                }
            }
        }
    }
}

/// What ER106 found: Office 365 communities selected on a circuit in Azure China.
#[derive(Debug)]
struct InChina {
    /// The communities, described (`` `12076:5010` (Exchange Online) ``).
    communities: String,
    count: usize,
}

impl InChina {
    fn message(&self) -> String {
        let what = if self.count == 1 {
            "community"
        } else {
            "communities"
        };
        format!(
            "route filter selects Microsoft 365 {what} {} on a circuit in {}, which does not support Office 365 communities over Microsoft peering",
            self.communities,
            Cloud::China.display()
        )
    }

    fn help(&self) -> String {
        let these = if self.count == 1 {
            "this community"
        } else {
            "these communities"
        };
        format!(
            "remove {these} from the route filter (Microsoft: \"{CHINA_OFFICE365}\"), or, if the circuit is meant for the public cloud, correct its cloud"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::InChina;
    use crate::fuzzing::{lint_hcl, lint_json};

    fn count(diags: &[crate::diagnostic::Diagnostic], code: &str) -> usize {
        diags.iter().filter(|d| d.code == code).count()
    }

    #[test]
    fn er104_and_er105_leave_circuits_in_china_to_er106() {
        // Standard circuits in China selecting Office 365 communities, with no
        // `subscriptions.office365`: only ER106 speaks.
        let tf = include_str!("../../../fixtures/rules/ER106/invalid.tf")
            .replace("tier   = \"Premium\"", "tier   = \"Standard\"");
        let d = lint_hcl(&tf);
        assert!(count(&d, "ER106") >= 1, "{d:#?}");
        assert_eq!(count(&d, "ER104") + count(&d, "ER105"), 0, "{d:#?}");
        let json = include_str!("../../../fixtures/rules/ER106/invalid.json");
        let d = lint_json(json);
        assert_eq!(count(&d, "ER106"), 2, "{d:#?}");
        assert_eq!(count(&d, "ER104") + count(&d, "ER105"), 0, "{d:#?}");
        // The same filter on a public-cloud circuit: ER104 (and ER105 on Standard).
        let public = json
            .replace("chinaeast2", "westeurope")
            .replace("Shanghai2", "Amsterdam")
            .replace("Beijing2", "Amsterdam")
            .replace("Premium_MeteredData\", \"tier\": \"Premium", "Standard_MeteredData\", \"tier\": \"Standard");
        let d = lint_json(&public);
        assert_eq!(count(&d, "ER106"), 0, "{d:#?}");
        assert_eq!(count(&d, "ER104"), 2, "{d:#?}");
        assert_eq!(count(&d, "ER105"), 2, "{d:#?}");
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        let f = InChina {
            communities: "`12076:5010` (Exchange Online)".into(),
            count: 1,
        };
        assert_eq!(
            f.message(),
            "route filter selects Microsoft 365 community `12076:5010` (Exchange Online) on a circuit in Azure China (21Vianet), which does not support Office 365 communities over Microsoft peering"
        );
        assert_eq!(
            f.help(),
            "remove this community from the route filter (Microsoft: \"Office 365 communities aren't supported over Microsoft Peering for Microsoft Azure operated by 21Vianet region.\"), or, if the circuit is meant for the public cloud, correct its cloud"
        );
        let f = InChina {
            communities: "`12076:5010` (Exchange Online) and `12076:5020` (SharePoint Online)"
                .into(),
            count: 2,
        };
        assert!(f.message().starts_with(
            "route filter selects Microsoft 365 communities `12076:5010` (Exchange Online) and `12076:5020` (SharePoint Online) on a circuit"
        ));
        assert!(f.help().starts_with("remove these communities"));
    }
}

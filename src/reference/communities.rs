//! The BGP community values Microsoft tags its Microsoft-peering routes with, per
//! service, which a route filter selects (expressroute-routing.md of 03/12/2026,
//! "Service to BGP community value" and "BGP community support in national clouds").
//!
//! The page, on the public cloud's table: "(2) Authorization required from Microsoft",
//! on Exchange Online, SharePoint Online, Skype For Business Online and Other Office 365
//! Online services; "(4) CRM Online supports Dynamics v8.2 and earlier. For higher
//! versions, select the regional community for your Dynamics deployments." Below the
//! national-cloud tables: "Office 365 communities aren't supported over Microsoft Peering
//! for Microsoft Azure operated by 21Vianet region."

use crate::catalog::Cloud;

/// Microsoft's ASN, the first half of every community value (`12076:5010`).
pub const MICROSOFT_ASN: u32 = 12076;

/// One row of the service tables.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ServiceCommunity {
    /// The value after `12076:`.
    pub value: u32,
    /// The service, as the page names it.
    pub service: &'static str,
    /// The cloud whose table lists it (the public cloud's table or the US Government one).
    pub cloud: Cloud,
    /// An Office 365 (Microsoft 365) service: selecting it needs Microsoft's
    /// authorization, and it is not offered in Azure China.
    pub office365: bool,
}

const fn s(value: u32, service: &'static str, cloud: Cloud, office365: bool) -> ServiceCommunity {
    ServiceCommunity {
        value,
        service,
        cloud,
        office365,
    }
}

/// Every service community of the page.
pub const SERVICES: &[ServiceCommunity] = &[
    s(5010, "Exchange Online", Cloud::Global, true),
    s(5020, "SharePoint Online", Cloud::Global, true),
    s(
        5030,
        "Skype For Business Online and Microsoft Teams",
        Cloud::Global,
        true,
    ),
    s(
        5040,
        "CRM Online (Dynamics v8.2 and earlier)",
        Cloud::Global,
        false,
    ),
    s(
        5050,
        "Azure Global Services (Azure DevOps)",
        Cloud::Global,
        false,
    ),
    s(5060, "Microsoft Entra ID", Cloud::Global, false),
    s(5070, "Azure Resource Manager", Cloud::Global, false),
    s(
        5100,
        "Other Office 365 Online services",
        Cloud::Global,
        true,
    ),
    s(
        5220,
        "Microsoft Defender for Identity",
        Cloud::Global,
        false,
    ),
    s(5250, "Microsoft PSTN services", Cloud::Global, false),
    s(5110, "Exchange Online", Cloud::UsGovernment, true),
    s(5120, "SharePoint Online", Cloud::UsGovernment, true),
    s(5130, "Skype For Business Online", Cloud::UsGovernment, true),
    s(5160, "Microsoft Entra ID", Cloud::UsGovernment, false),
    s(
        5200,
        "Other Office 365 Online services",
        Cloud::UsGovernment,
        true,
    ),
];

/// The page's sentence on Office 365 communities in Azure China.
pub const CHINA_OFFICE365: &str = "Office 365 communities aren't supported over Microsoft Peering for Microsoft Azure operated by 21Vianet region.";

/// The service a written community value (`12076:5040`, spaces allowed) selects.
pub fn service_community(written: &str) -> Option<&'static ServiceCommunity> {
    let (asn, value) = written.trim().split_once(':')?;
    if asn.trim().parse::<u32>().ok()? != MICROSOFT_ASN {
        return None;
    }
    let value = value.trim().parse::<u32>().ok()?;
    SERVICES.iter().find(|c| c.value == value)
}

/// Why a community cannot be used on a circuit of `cloud`, with the page's sentence:
/// today only the Office 365 communities in Azure China.
pub fn unsupported_in(cloud: Cloud, written: &str) -> Option<&'static str> {
    let c = service_community(written)?;
    (cloud == Cloud::China && c.office365).then_some(CHINA_OFFICE365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_and_name_their_service() {
        let c = service_community("12076:5040").unwrap();
        assert_eq!(c.service, "CRM Online (Dynamics v8.2 and earlier)");
        assert!(!c.office365);
        assert_eq!(
            service_community(" 12076 : 5010 ").unwrap().service,
            "Exchange Online"
        );
        assert_eq!(
            service_community("12076:5110").unwrap().cloud,
            Cloud::UsGovernment
        );
        // regional communities, other ASNs and junk are not service communities
        for w in [
            "12076:51004",
            "12076:5999",
            "8075:5010",
            "5010",
            "12076:",
            "x:y",
            "",
        ] {
            assert!(service_community(w).is_none(), "{w}");
        }
    }

    #[test]
    fn values_are_unique() {
        for (i, a) in SERVICES.iter().enumerate() {
            assert!(
                SERVICES[i + 1..].iter().all(|b| b.value != a.value),
                "{a:?}"
            );
        }
    }

    #[test]
    fn office365_communities_are_unsupported_in_china_only() {
        for w in [
            "12076:5010",
            "12076:5020",
            "12076:5030",
            "12076:5100",
            "12076:5110",
            "12076:5200",
        ] {
            assert_eq!(
                unsupported_in(Cloud::China, w),
                Some(CHINA_OFFICE365),
                "{w}"
            );
            assert_eq!(unsupported_in(Cloud::Global, w), None, "{w}");
            assert_eq!(unsupported_in(Cloud::UsGovernment, w), None, "{w}");
        }
        for w in [
            "12076:5040",
            "12076:5060",
            "12076:5070",
            "12076:51301",
            "65000:1",
        ] {
            assert_eq!(unsupported_in(Cloud::China, w), None, "{w}");
        }
    }
}

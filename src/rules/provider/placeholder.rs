use crate::rules::prelude::*;

macro_rules! placeholder {
    ($name:ident, $id:literal, $rname:literal) => {
        declare_rule! {
            /// ## What it does
            /// Placeholder.
            ///
            /// ## Why is this bad?
            /// ## Example
            /// ## How to fix
            /// ## References
            /// - https://learn.microsoft.com/azure/expressroute/expressroute-locations-providers
            pub struct $name {
                id: $id,
                name: $rname,
                severity: Error,
                kinds: [Circuit],
                since: "0.1.0",
            }
        }
        impl Rule for $name {
            fn meta(&self) -> &'static RuleMeta {
                &Self::META
            }
        }
    };
}

placeholder!(NonPartnerProvider, "ER201", "non-partner-provider");
placeholder!(ProviderNotAtLocation, "ER202", "provider-not-at-location");
placeholder!(UnknownPeeringLocation, "ER203", "unknown-peering-location");

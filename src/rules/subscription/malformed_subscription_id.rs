//! ER103 malformed-subscription-id
use crate::model::{Lookup, Val, ValKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a subscription id that is not a GUID: a provider's `subscription_id`, a nested
    /// deployment's `subscriptionId`, or the `/subscriptions/<id>/` segment of a resource id
    /// written in an ExpressRoute resource.
    ///
    /// ## Why is this bad?
    /// Every Azure resource id starts with `/subscriptions/{subscriptionId}/`, and a
    /// subscription id is always a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`). A
    /// subscription name, a placeholder such as `<sub-id>` or a truncated value makes the
    /// provider, the deployment or the reference fail, and an ExpressRoute circuit cannot
    /// exist outside a subscription.
    ///
    /// ## Example
    /// ```hcl
    /// provider "azurerm" {
    ///   features {}
    ///   subscription_id = "network-prod"   # ER103
    /// }
    /// ```
    /// ```json
    /// "peer": { "id": "/subscriptions/network-prod/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er-1" }
    /// ```
    ///
    /// ## How to fix
    /// Use the subscription's id (`az account show --query id`), not its name, ideally from a
    /// variable or parameter.
    ///
    /// ## References
    /// - [ExpressRoute prerequisites](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [Azure resource id format](https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource#resourceid)
    pub struct MalformedSubscriptionId {
        id: "ER103",
        name: "malformed-subscription-id",
        severity: Error,
        kinds: [Circuit, Peering, CircuitAuthorization, CircuitConnection, Port, PortAuthorization, ErGateway, ErConnection, VnetGateway, GatewayConnection, RouteFilter],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a subscription id that is not a GUID",
    }
}

impl Rule for MalformedSubscriptionId {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let mut found = Vec::new();
        collect_ids(&res.body, &mut found);
        for v in found {
            let Some(s) = v.as_str() else { continue };
            let Some(seg) = subscription_segment(s) else {
                continue;
            };
            if is_guid(seg) {
                continue;
            }
            let (at, from) = res.locate(v, res.header);
            let d = cx.report(
                res,
                at,
                format!("resource id names subscription `{seg}`, which is not a GUID"),
            );
            d.help("use the subscription's id (a GUID, `az account show --query id`), not its name or a placeholder");
            if let Some(from) = from {
                d.label(from, "value set here");
            }
        }
    }

    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        for p in &model.providers {
            let Some(block) = &p.block else { continue };
            if let Lookup::Known(f) = block.get("subscription_id") {
                let Some(s) = f.as_str() else { continue };
                if s.trim().is_empty() || is_guid(s) {
                    continue;
                }
                let d = cx.report_at(
                    f.at,
                    format!(
                        "`subscription_id` of provider `{}` is `{s}`, which is not a GUID",
                        p.address
                    ),
                );
                d.help("use the subscription's id (a GUID, `az account show --query id`), not its name or a placeholder");
                if let Some(from) = f.from {
                    d.label(from, "value set here");
                }
            }
        }
        for sv in &model.subscription_ids {
            if is_guid(&sv.value) {
                continue;
            }
            let d = cx.report_at(
                sv.at,
                format!("{} is `{}`, which is not a GUID", sv.holder, sv.value),
            );
            d.help("use the subscription's id (a GUID), for example `[subscription().subscriptionId]` or a parameter");
            if let Some(from) = sv.from {
                d.label(from, "value set here");
            }
        }
    }
}

/// Every Known string in a body that looks like a resource id.
fn collect_ids<'v>(v: &'v Val, out: &mut Vec<&'v Val>) {
    match &v.kind {
        ValKind::Str(s)
            if s.len() > 15
                && s.get(..15)
                    .is_some_and(|p| p.eq_ignore_ascii_case("/subscriptions/")) =>
        {
            out.push(v)
        }
        ValKind::List(items) => items.iter().for_each(|i| collect_ids(i, out)),
        ValKind::Object(o) => o.values().for_each(|i| collect_ids(i, out)),
        _ => {}
    }
}

/// The `<id>` of `/subscriptions/<id>/…`.
fn subscription_segment(s: &str) -> Option<&str> {
    let rest = s.get(15..)?;
    let seg = rest.split('/').next()?;
    (!seg.is_empty()).then_some(seg)
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits.
pub(crate) fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_shape() {
        assert!(is_guid("00000000-0000-0000-0000-000000000042"));
        assert!(is_guid("AbCdEf01-2345-6789-abcd-ef0123456789"));
        assert!(!is_guid("network-prod"));
        assert!(!is_guid("00000000-0000-0000-0000-00000000004"));
        assert!(!is_guid("{00000000-0000-0000-0000-000000000042}"));
    }

    #[test]
    fn segment_of_resource_id() {
        assert_eq!(
            subscription_segment("/subscriptions/abc/resourceGroups/x"),
            Some("abc")
        );
        assert_eq!(subscription_segment("/SUBSCRIPTIONS/abc"), Some("abc"));
        assert_eq!(subscription_segment("/subscriptions//x"), None);
    }
}

//! ER409 invalid-shared-key
use crate::rules::prelude::*;
use crate::text::join_names;

declare_rule! {
    /// ## What it does
    /// Flags a peering's BGP MD5 key (`shared_key`, `sharedKey`) that is longer than 25
    /// characters or holds anything but letters and digits. The message gives the key's
    /// length and the kind of character that is not allowed, never the key.
    ///
    /// ## Why is this bad?
    /// Authenticating the BGP sessions with an MD5 hash is optional, but when you set a
    /// key, ExpressRoute limits it to 25 characters, letters and digits only (no spaces,
    /// punctuation or other special characters), and your routers must use the same key.
    /// A key outside these limits is not supported, and a BGP session whose keys differ
    /// on the two sides stays down. The azurerm provider checks only the length (1 to 25),
    /// so a key with special characters passes `terraform validate`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type                  = "AzurePrivatePeering"
    ///   primary_peer_address_prefix   = "172.16.0.0/30"
    ///   secondary_peer_address_prefix = "172.16.0.4/30"
    ///   vlan_id                       = 100
    ///   shared_key                    = var.bgp_key   # ER409 when the value is "s3cret!key"
    /// }
    /// ```
    /// ```json
    /// "properties": {
    ///   "primaryPeerAddressPrefix": "172.16.0.0/30",
    ///   "secondaryPeerAddressPrefix": "172.16.0.4/30",
    ///   "vlanId": 100,
    ///   "sharedKey": "[parameters('bgpKey')]"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Choose a key of at most 25 letters and digits (`A–Z`, `a–z`, `0–9`), for example
    /// from `openssl rand -hex 12`, and set the same key on both of your routers. Keep it
    /// out of the repository (see ER410).
    ///
    /// ## References
    /// - [Configure peering for an ExpressRoute circuit: MD5 hash](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [ExpressRoute routing requirements: BGP authentication](https://learn.microsoft.com/azure/expressroute/expressroute-routing)
    /// - [azurerm_express_route_circuit_peering: shared_key](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/express_route_circuit_peering)
    pub struct InvalidSharedKey {
        id: "ER409",
        name: "invalid-shared-key",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a BGP MD5 key longer than 25 characters or not alphanumeric",
    }
}

/// The longest BGP MD5 key ExpressRoute takes.
const MAX_LEN: usize = 25;

impl Rule for InvalidSharedKey {
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Lookup::Known(f) = cx.get(res, &attr::SHARED_KEY) else {
            return;
        };
        let key = match &f.val.kind {
            ValKind::Str(s) => s.to_string(),
            // `shared_key = 12345` is converted to a string by Terraform.
            ValKind::Number(_) => f.val.to_string(),
            _ => return,
        };
        let name = res.attr_name(&attr::SHARED_KEY);
        let help = format!(
            "set `{name}` to a key of at most {MAX_LEN} letters and digits (for example from `openssl rand -hex 12`) and configure the same key on your routers"
        );
        if key.is_empty() {
            // Meaning differs: the azurerm provider requires 1 to 25 characters; what the
            // ARM API makes of an empty key is not documented, so only azurerm's is reported.
            if res.schema() == Schema::Azurerm {
                cx.report_found(
                    res,
                    &f,
                    format!("`{name}` is empty; the azurerm provider requires 1 to {MAX_LEN} characters"),
                )
                .help(format!(
                    "remove `{name}` to run the BGP sessions without MD5 authentication, or set a key of at most {MAX_LEN} letters and digits"
                ));
            }
            return;
        }
        let len = key.chars().count();
        let classes = bad_classes(&key);
        let message = match (len > MAX_LEN, classes.is_empty()) {
            (false, true) => return,
            (true, true) => format!(
                "`{name}` is {len} characters long; a BGP MD5 key on ExpressRoute has at most {MAX_LEN}"
            ),
            (false, false) => format!(
                "`{name}` contains {}; a BGP MD5 key on ExpressRoute takes letters and digits only",
                join_names(&classes, false)
            ),
            (true, false) => format!(
                "`{name}` is {len} characters long and contains {}; a BGP MD5 key on ExpressRoute is at most {MAX_LEN} letters and digits",
                join_names(&classes, false)
            ),
        };
        cx.report_found(res, &f, message).help(help);
    }
}

/// The kinds of character in `key` that are not ASCII letters or digits, in a fixed order.
fn bad_classes(key: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut add = |c: &'static str| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            continue;
        }
        add(if c.is_whitespace() {
            "whitespace"
        } else if c.is_control() {
            "control characters"
        } else if c.is_ascii() {
            "special characters (punctuation or symbols)"
        } else {
            "non-ASCII characters"
        });
    }
    let order = [
        "special characters (punctuation or symbols)",
        "whitespace",
        "non-ASCII characters",
        "control characters",
    ];
    out.sort_by_key(|c| order.iter().position(|o| o == c));
    out
}

/// "a", "a and b", "a, b and c".
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_classes() {
        assert!(bad_classes("Abc123xyz").is_empty());
        assert_eq!(
            bad_classes("a b!c"),
            ["special characters (punctuation or symbols)", "whitespace"]
        );
        assert_eq!(bad_classes("schlüssel"), ["non-ASCII characters"]);
        assert_eq!(bad_classes("a\tb"), ["whitespace"]);
        assert_eq!(bad_classes("a\u{7}b"), ["control characters"]);
        assert_eq!(
            join_names(&["x", "y", "z"], false),
            "x, y and z".to_string(),
            "list joining"
        );
    }
}

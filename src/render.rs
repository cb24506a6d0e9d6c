//! Help and fix text in the user's own syntax.
//!
//! A rule says *what* to change with [`Edit`]s and names attributes with [`Attr`]s; a
//! [`Spelling`] (the resource's [`Schema`] and [`Syntax`]) writes it: attribute names from
//! the schema, assignments and literals by one [`SyntaxRenderer`] per syntax:
//!
//! | edit | HCL | JSON (ARM) | Bicep |
//! |---|---|---|---|
//! | set `peering_type` | `` `peering_type = "MicrosoftPeering"` `` | `` `"peeringType": "MicrosoftPeering"` `` | `` `peeringType: 'MicrosoftPeering'` `` |
//! | set `sku.tier` | `` `tier = "Premium"` in `sku` `` | `` `"tier": "Premium"` in `sku` `` | `` `tier: 'Premium'` in `sku` `` |
//!
//! A front end chooses the renderer through the [`Syntax`] of its resources' `Dialect`.

use crate::model::value::format_number;
use crate::model::{Attr, Kind, Resource, Schema, Syntax};
use crate::text::join_names;

/// A literal value in a fix.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Str(String),
    Number(f64),
    Bool(bool),
}

impl Literal {
    pub fn str(s: impl Into<String>) -> Literal {
        Literal::Str(s.into())
    }
}

/// One change a rule asks for, whatever the syntax.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit<'a> {
    /// Give an attribute this value. Dropped where the schema has no such attribute
    /// (azurerm has no `sku.name`), so a rule may list what every schema needs.
    Set(&'a Attr, Literal),
}

impl<'a> Edit<'a> {
    pub fn set(attr: &'a Attr, value: impl Into<String>) -> Edit<'a> {
        Edit::Set(attr, Literal::Str(value.into()))
    }
}

/// How one syntax writes literals, assignments and a few idioms.
pub trait SyntaxRenderer: Sync {
    /// A literal as written in this syntax (`"x"`, `'x'`, `5`).
    fn literal(&self, value: &Literal) -> String;
    /// `key = value` / `"key": value` / `key: value` (no backticks).
    fn assignment(&self, key: &str, value: &Literal) -> String;
    /// An object or block `key` holding an empty list `list` to fill in, without backticks
    /// (`microsoft_peering { advertised_public_prefixes = [...] }`).
    fn object_with_list(&self, key: &str, list: &str) -> String;
    /// Where a nested thing goes: "the `ipv6` block", "`ipv6PeeringConfig`".
    fn container(&self, path: &str) -> String;
    /// How another resource's id is referenced: "its `id`", "its `resourceId()`".
    fn id_reference(&self) -> &'static str;
    /// How to pass a secret in, for the value of `attr` (its name), when the plain value is
    /// in a parameter file or elsewhere; the rule adds what to do next.
    fn secret_input(&self, attr: &str, in_parameter_file: bool) -> String;
    /// What deploys resources into another scope: "nested deployment", "module".
    fn deployment(&self) -> &'static str;
    /// What a deployment must name to reach a resource group: "`subscriptionId` and
    /// `resourceGroup`" (the fields), "subscription and resource group" (Bicep's `scope`).
    fn scope_needs(&self, subscription: bool, resource_group: bool) -> String;
    /// How to deploy resources of type `ty` into a resource group from a wider scope.
    fn move_to_resource_group(&self, ty: &str, subscription: bool) -> String;
    /// How to complete the scope of the deployment that holds a resource.
    fn complete_scope(&self, subscription: bool, resource_group: bool) -> String;
}

/// ARM's fields of a deployment's target, in backticks.
fn deployment_fields(subscription: bool, resource_group: bool) -> String {
    match (subscription, resource_group) {
        (true, true) => "`subscriptionId` and `resourceGroup`".into(),
        (true, false) => "`subscriptionId`".into(),
        _ => "`resourceGroup`".into(),
    }
}

/// How a Terraform resource (azapi) reaches a resource group: its `parent_id`.
const HCL_PARENT_ID: &str = "set `parent_id` to a resource group's id (`azurerm_resource_group.<name>.id`, or `/subscriptions/<id>/resourceGroups/<name>`)";

/// Terraform's HCL (azurerm arguments and blocks, a plan's configuration).
pub struct Hcl;
/// An azapi `body`: ARM properties written as HCL objects (`ipv6PeeringConfig = { … }`,
/// not blocks).
pub struct HclBody;
/// JSON, as ARM templates are written.
pub struct Json;
/// Bicep.
pub struct Bicep;

impl SyntaxRenderer for Hcl {
    fn literal(&self, value: &Literal) -> String {
        match value {
            Literal::Str(s) => {
                let mut out = String::with_capacity(s.len() + 2);
                out.push('"');
                let mut chars = s.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        // `${` and `%{` start a template sequence: doubled, they are literal.
                        '$' | '%' if chars.peek() == Some(&'{') => {
                            out.push(c);
                            out.push(c);
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
            Literal::Number(n) => format_number(*n),
            Literal::Bool(b) => b.to_string(),
        }
    }

    fn assignment(&self, key: &str, value: &Literal) -> String {
        format!("{key} = {}", self.literal(value))
    }

    fn object_with_list(&self, key: &str, list: &str) -> String {
        format!("{key} {{ {list} = [...] }}")
    }

    fn container(&self, path: &str) -> String {
        format!("the `{path}` block")
    }

    fn id_reference(&self) -> &'static str {
        "its `id`"
    }

    fn secret_input(&self, _attr: &str, _in_parameter_file: bool) -> String {
        "declare the key as a `sensitive` variable without a default, set from your pipeline's secret store (`TF_VAR_…`) or read with `data \"azurerm_key_vault_secret\"`".into()
    }

    // A Terraform resource reaches a resource group through its `parent_id`; nested ARM
    // deployments in an HCL body are still `Microsoft.Resources/deployments`.
    fn deployment(&self) -> &'static str {
        "nested deployment"
    }

    fn scope_needs(&self, subscription: bool, resource_group: bool) -> String {
        deployment_fields(subscription, resource_group)
    }

    fn move_to_resource_group(&self, _ty: &str, _subscription: bool) -> String {
        HCL_PARENT_ID.into()
    }

    fn complete_scope(&self, _subscription: bool, _resource_group: bool) -> String {
        HCL_PARENT_ID.into()
    }
}

impl SyntaxRenderer for HclBody {
    fn literal(&self, value: &Literal) -> String {
        Hcl.literal(value)
    }

    fn assignment(&self, key: &str, value: &Literal) -> String {
        Hcl.assignment(key, value)
    }

    fn object_with_list(&self, key: &str, list: &str) -> String {
        format!("{key} = {{ {list} = [...] }}")
    }

    fn container(&self, path: &str) -> String {
        format!("`{path}`")
    }

    fn id_reference(&self) -> &'static str {
        Hcl.id_reference()
    }

    fn secret_input(&self, attr: &str, in_parameter_file: bool) -> String {
        Hcl.secret_input(attr, in_parameter_file)
    }

    fn deployment(&self) -> &'static str {
        Hcl.deployment()
    }

    fn scope_needs(&self, subscription: bool, resource_group: bool) -> String {
        Hcl.scope_needs(subscription, resource_group)
    }

    fn move_to_resource_group(&self, ty: &str, subscription: bool) -> String {
        Hcl.move_to_resource_group(ty, subscription)
    }

    fn complete_scope(&self, subscription: bool, resource_group: bool) -> String {
        Hcl.complete_scope(subscription, resource_group)
    }
}

impl SyntaxRenderer for Json {
    fn literal(&self, value: &Literal) -> String {
        match value {
            // A string that starts with `[` is an ARM expression; `[[` writes the bracket.
            Literal::Str(s) if s.starts_with('[') => {
                serde_json::Value::String(format!("[{s}")).to_string()
            }
            Literal::Str(s) => serde_json::Value::String(s.clone()).to_string(),
            Literal::Number(n) => format_number(*n),
            Literal::Bool(b) => b.to_string(),
        }
    }

    fn assignment(&self, key: &str, value: &Literal) -> String {
        format!("\"{key}\": {}", self.literal(value))
    }

    fn object_with_list(&self, key: &str, list: &str) -> String {
        format!("\"{key}\": {{ \"{list}\": [...] }}")
    }

    fn container(&self, path: &str) -> String {
        format!("`{path}`")
    }

    fn id_reference(&self) -> &'static str {
        "its `resourceId()`"
    }

    fn secret_input(&self, attr: &str, in_parameter_file: bool) -> String {
        if in_parameter_file {
            "replace the plain value in the parameter file with a Key Vault reference (`\"reference\": {\"keyVault\": {\"id\": …}, \"secretName\": …}`)".into()
        } else {
            format!(
                "pass `{attr}` in a `secureString` parameter without `defaultValue`, from a Key Vault reference in the parameter file"
            )
        }
    }

    fn deployment(&self) -> &'static str {
        "nested deployment"
    }

    fn scope_needs(&self, subscription: bool, resource_group: bool) -> String {
        deployment_fields(subscription, resource_group)
    }

    fn move_to_resource_group(&self, ty: &str, subscription: bool) -> String {
        format!(
            "put `{ty}` in a nested `Microsoft.Resources/deployments` that sets {}, or deploy the template at resource-group scope",
            deployment_fields(subscription, true)
        )
    }

    fn complete_scope(&self, subscription: bool, resource_group: bool) -> String {
        format!(
            "set {} on the nested deployment as well, or deploy the template at resource-group scope",
            deployment_fields(subscription, resource_group)
        )
    }
}

impl SyntaxRenderer for Bicep {
    fn literal(&self, value: &Literal) -> String {
        match value {
            Literal::Str(s) => {
                let mut out = String::with_capacity(s.len() + 2);
                out.push('\'');
                let mut chars = s.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\'' => out.push_str("\\'"),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
                out
            }
            // Bicep has integers only; other numbers go through `json()`.
            Literal::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => format_number(*n),
            Literal::Number(n) => format!("json('{}')", format_number(*n)),
            Literal::Bool(b) => b.to_string(),
        }
    }

    fn assignment(&self, key: &str, value: &Literal) -> String {
        format!("{key}: {}", self.literal(value))
    }

    fn object_with_list(&self, key: &str, list: &str) -> String {
        format!("{key}: {{ {list}: [...] }}")
    }

    fn container(&self, path: &str) -> String {
        format!("`{path}`")
    }

    fn id_reference(&self) -> &'static str {
        "its `id`"
    }

    fn secret_input(&self, attr: &str, in_parameter_file: bool) -> String {
        if in_parameter_file {
            "replace the plain value in the parameter file with `az.getSecret(…)` from a Key Vault"
                .into()
        } else {
            format!(
                "pass `{attr}` in a `@secure()` parameter without a default value, set with `az.getSecret(…)` in the parameter file"
            )
        }
    }

    fn deployment(&self) -> &'static str {
        "module"
    }

    fn scope_needs(&self, subscription: bool, resource_group: bool) -> String {
        match (subscription, resource_group) {
            (true, true) => "subscription and resource group".into(),
            (true, false) => "subscription".into(),
            _ => "resource group".into(),
        }
    }

    fn move_to_resource_group(&self, ty: &str, subscription: bool) -> String {
        format!(
            "move `{ty}` to a module whose `scope` is {}, or deploy the file at resource-group scope",
            bicep_group_scope(subscription)
        )
    }

    fn complete_scope(&self, subscription: bool, _resource_group: bool) -> String {
        format!(
            "give the module the `scope` {}, or deploy the file at resource-group scope",
            bicep_group_scope(subscription)
        )
    }
}

/// A resource group as a Bicep module `scope`, with its subscription when one is needed.
fn bicep_group_scope(subscription: bool) -> &'static str {
    if subscription {
        "`resourceGroup('<subscription id>', '<resource group>')`"
    } else {
        "`resourceGroup('<resource group>')`"
    }
}

/// A provider block that names the subscription (`provider "azapi" { … }`), in HCL.
pub fn provider_block_with_subscription(provider: &str, alias: Option<&str>) -> String {
    let alias = alias.map_or(String::new(), |a| format!("alias = \"{a}\" "));
    let features = if provider == "azurerm" {
        "features {} "
    } else {
        ""
    };
    format!("provider \"{provider}\" {{ {alias}{features}subscription_id = var.subscription_id }}")
}

/// The renderer of a syntax.
pub fn renderer(syntax: Syntax) -> &'static dyn SyntaxRenderer {
    match syntax {
        Syntax::Hcl => &Hcl,
        Syntax::Json => &Json,
        Syntax::Bicep => &Bicep,
    }
}

/// How one resource spells attribute names and fixes: its schema and its syntax.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Spelling {
    pub schema: Schema,
    pub syntax: Syntax,
}

impl Spelling {
    pub fn new(schema: Schema, syntax: Syntax) -> Spelling {
        Spelling { schema, syntax }
    }

    pub fn of(res: &Resource) -> Spelling {
        Spelling::new(res.dialect.schema, res.dialect.syntax)
    }

    fn renderer(&self) -> &'static dyn SyntaxRenderer {
        // ARM properties in HCL (an azapi body) are objects, not blocks.
        if self.syntax == Syntax::Hcl && self.schema == Schema::Arm {
            return &HclBody;
        }
        renderer(self.syntax)
    }

    /// The one name of an attribute in messages ([`Attr::name`]); an attribute this schema
    /// lacks is named as the other schema names it.
    pub fn name(&self, attr: &Attr) -> &'static str {
        attr.message_name(self.schema)
    }

    /// Whether the schema has the attribute.
    pub fn has(&self, attr: &Attr) -> bool {
        attr.path(self.schema).is_some()
    }

    /// A literal in this syntax, in backticks.
    pub fn literal(&self, value: &Literal) -> String {
        format!("`{}`", self.renderer().literal(value))
    }

    /// The assignments of `edits`, in backticks, those with one parent grouped
    /// (`` `tier = "Premium"` in `sku` ``); edits of attributes the schema lacks are left
    /// out.
    pub fn assignments(&self, edits: &[Edit<'_>]) -> String {
        let r = self.renderer();
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for Edit::Set(attr, value) in edits {
            let Some(name) = attr.name(self.schema) else {
                continue;
            };
            let (parent, key) = name.rsplit_once('.').unwrap_or(("", name));
            let text = format!("`{}`", r.assignment(key, value));
            match groups.iter_mut().find(|(p, _)| *p == parent) {
                Some((_, items)) => items.push(text),
                None => groups.push((parent, vec![text])),
            }
        }
        let parts: Vec<String> = groups
            .into_iter()
            .map(|(parent, items)| {
                let set = join_names(&items, false);
                if parent.is_empty() {
                    set
                } else {
                    format!("{set} in `{parent}`")
                }
            })
            .collect();
        join_names(&parts, false)
    }

    /// "set …" with [`Self::assignments`].
    pub fn fix(&self, edits: &[Edit<'_>]) -> String {
        format!("set {}", self.assignments(edits))
    }

    /// "add `container { list = [...] }`", and where it goes when it is nested.
    pub fn add_list(&self, container: &Attr, list: &Attr) -> String {
        let r = self.renderer();
        let name = self.name(container);
        let (parent, key) = name.rsplit_once('.').unwrap_or(("", name));
        let inner = list.name_in(container, self.schema).unwrap_or_default();
        let add = format!("add `{}`", r.object_with_list(key, inner));
        if parent.is_empty() {
            add
        } else {
            format!("{add} to {}", r.container(parent))
        }
    }

    /// "its `id`" / "its `resourceId()`".
    pub fn id_reference(&self) -> &'static str {
        self.renderer().id_reference()
    }

    /// "an `azurerm_route_filter`" / "a `Microsoft.Network/routeFilters` resource".
    pub fn resource_type(&self, kind: Kind) -> String {
        match (self.schema, kind.type_name(self.schema)) {
            (Schema::Azurerm, Some(t)) => format!("an `{t}`"),
            (Schema::Arm, Some(t)) => format!("a `{t}` resource"),
            (_, None) => format!("a {}", kind.describe()),
        }
    }

    /// How to pass the value of `attr` in as a secret.
    pub fn secret_input(&self, attr: &Attr, in_parameter_file: bool) -> String {
        self.renderer()
            .secret_input(self.name(attr), in_parameter_file)
    }

    /// What deploys resources into another scope ("nested deployment", "module").
    pub fn deployment(&self) -> &'static str {
        self.renderer().deployment()
    }

    /// What a deployment must name to reach a resource group.
    pub fn scope_needs(&self, subscription: bool, resource_group: bool) -> String {
        self.renderer().scope_needs(subscription, resource_group)
    }

    /// How to deploy resources of type `ty` into a resource group (naming its
    /// subscription when `subscription`) from a wider scope.
    pub fn move_to_resource_group(&self, ty: &str, subscription: bool) -> String {
        self.renderer().move_to_resource_group(ty, subscription)
    }

    /// How to give the deployment that holds a resource what its target lacks.
    pub fn complete_scope(&self, subscription: bool, resource_group: bool) -> String {
        self.renderer().complete_scope(subscription, resource_group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{
        ADVERTISED_PREFIXES, IPV6_ADVERTISED_PREFIXES, IPV6_MICROSOFT_PEERING_CONFIG,
        IPV6_PRIMARY_PREFIX, IPV6_SECONDARY_PREFIX, MICROSOFT_PEERING_CONFIG, PEERING_NAME,
        PEERING_TYPE, SHARED_KEY, SKU_NAME, SKU_TIER,
    };

    const HCL: Spelling = Spelling {
        schema: Schema::Azurerm,
        syntax: Syntax::Hcl,
    };
    const ARM: Spelling = Spelling {
        schema: Schema::Arm,
        syntax: Syntax::Json,
    };
    const AZAPI: Spelling = Spelling {
        schema: Schema::Arm,
        syntax: Syntax::Hcl,
    };
    const BICEP: Spelling = Spelling {
        schema: Schema::Arm,
        syntax: Syntax::Bicep,
    };

    #[test]
    fn provider_blocks() {
        assert_eq!(
            provider_block_with_subscription("azurerm", None),
            "provider \"azurerm\" { features {} subscription_id = var.subscription_id }"
        );
        assert_eq!(
            provider_block_with_subscription("azapi", None),
            "provider \"azapi\" { subscription_id = var.subscription_id }"
        );
        assert_eq!(
            provider_block_with_subscription("azurerm", Some("hub")),
            "provider \"azurerm\" { alias = \"hub\" features {} subscription_id = var.subscription_id }"
        );
    }

    #[test]
    fn literals_per_syntax() {
        let s = Literal::str("a'b\"c\\d ${x}");
        assert_eq!(Hcl.literal(&s), r#""a'b\"c\\d $${x}""#);
        assert_eq!(Json.literal(&s), r#""a'b\"c\\d ${x}""#);
        assert_eq!(Bicep.literal(&s), r#"'a\'b"c\\d \${x}'"#);
        assert_eq!(Json.literal(&Literal::str("[x]")), r#""[[x]""#);
        assert_eq!(Hcl.literal(&Literal::str("%{ if }")), r#""%%{ if }""#);
        for r in [&Hcl as &dyn SyntaxRenderer, &Json, &Bicep] {
            assert_eq!(r.literal(&Literal::Number(100.0)), "100");
            assert_eq!(r.literal(&Literal::Bool(false)), "false");
        }
        assert_eq!(Bicep.literal(&Literal::Number(1.5)), "json('1.5')");
        assert_eq!(Bicep.literal(&Literal::str("a\nb")), r"'a\nb'");
    }

    #[test]
    fn one_set_in_each_syntax() {
        let set = [Edit::set(&PEERING_TYPE, "MicrosoftPeering")];
        assert_eq!(HCL.fix(&set), r#"set `peering_type = "MicrosoftPeering"`"#);
        assert_eq!(ARM.fix(&set), r#"set `"peeringType": "MicrosoftPeering"`"#);
        assert_eq!(AZAPI.fix(&set), r#"set `peeringType = "MicrosoftPeering"`"#);
        assert_eq!(BICEP.fix(&set), "set `peeringType: 'MicrosoftPeering'`");
    }

    #[test]
    fn sets_group_by_parent_and_skip_what_the_schema_lacks() {
        let sku = [
            Edit::set(&SKU_TIER, "Premium"),
            Edit::set(&SKU_NAME, "Premium_MeteredData"),
        ];
        assert_eq!(HCL.fix(&sku), r#"set `tier = "Premium"` in `sku`"#);
        assert_eq!(
            ARM.fix(&sku),
            r#"set `"tier": "Premium"` and `"name": "Premium_MeteredData"` in `sku`"#
        );
        assert_eq!(
            BICEP.fix(&sku),
            "set `tier: 'Premium'` and `name: 'Premium_MeteredData'` in `sku`"
        );
        let pair = [
            Edit::set(&IPV6_PRIMARY_PREFIX, "2001:db8::/126"),
            Edit::set(&IPV6_SECONDARY_PREFIX, "2001:db8::4/126"),
            Edit::set(&PEERING_NAME, "MicrosoftPeering"),
        ];
        assert_eq!(
            HCL.assignments(&pair),
            r#"`primary_peer_address_prefix = "2001:db8::/126"` and `secondary_peer_address_prefix = "2001:db8::4/126"` in `ipv6`"#
        );
        assert_eq!(
            BICEP.assignments(&pair),
            "`primaryPeerAddressPrefix: '2001:db8::/126'` and `secondaryPeerAddressPrefix: '2001:db8::4/126'` in `ipv6PeeringConfig` and `name: 'MicrosoftPeering'`"
        );
    }

    #[test]
    fn nested_lists_and_idioms() {
        assert_eq!(
            HCL.add_list(&MICROSOFT_PEERING_CONFIG, &ADVERTISED_PREFIXES),
            "add `microsoft_peering_config { advertised_public_prefixes = [...] }`"
        );
        assert_eq!(
            HCL.add_list(&IPV6_MICROSOFT_PEERING_CONFIG, &IPV6_ADVERTISED_PREFIXES),
            "add `microsoft_peering { advertised_public_prefixes = [...] }` to the `ipv6` block"
        );
        assert_eq!(
            ARM.add_list(&IPV6_MICROSOFT_PEERING_CONFIG, &IPV6_ADVERTISED_PREFIXES),
            r#"add `"microsoftPeeringConfig": { "advertisedPublicPrefixes": [...] }` to `ipv6PeeringConfig`"#
        );
        assert_eq!(
            AZAPI.add_list(&IPV6_MICROSOFT_PEERING_CONFIG, &IPV6_ADVERTISED_PREFIXES),
            "add `microsoftPeeringConfig = { advertisedPublicPrefixes = [...] }` to `ipv6PeeringConfig`"
        );
        assert_eq!(
            BICEP.add_list(&MICROSOFT_PEERING_CONFIG, &ADVERTISED_PREFIXES),
            "add `microsoftPeeringConfig: { advertisedPublicPrefixes: [...] }`"
        );
        assert_eq!(HCL.id_reference(), "its `id`");
        assert_eq!(ARM.id_reference(), "its `resourceId()`");
        assert_eq!(BICEP.id_reference(), "its `id`");
        assert_eq!(
            HCL.resource_type(Kind::RouteFilter),
            "an `azurerm_route_filter`"
        );
        assert_eq!(
            BICEP.resource_type(Kind::RouteFilter),
            "a `Microsoft.Network/routeFilters` resource"
        );
        assert!(
            BICEP
                .secret_input(&SHARED_KEY, false)
                .contains("`@secure()`")
        );
        assert!(
            ARM.secret_input(&SHARED_KEY, false)
                .contains("`secureString`")
        );
        assert!(HCL.secret_input(&SHARED_KEY, true).contains("`sensitive`"));
        assert_eq!(ARM.name(&SHARED_KEY), "sharedKey");
        assert_eq!(HCL.name(&PEERING_NAME), "name");
    }

    #[test]
    fn deployments_into_a_resource_group() {
        assert_eq!(ARM.deployment(), "nested deployment");
        assert_eq!(BICEP.deployment(), "module");
        assert_eq!(
            ARM.scope_needs(true, true),
            "`subscriptionId` and `resourceGroup`"
        );
        assert_eq!(BICEP.scope_needs(false, true), "resource group");
        assert_eq!(
            ARM.move_to_resource_group("Microsoft.Network/routeFilters", false),
            "put `Microsoft.Network/routeFilters` in a nested `Microsoft.Resources/deployments` that sets `resourceGroup`, or deploy the template at resource-group scope"
        );
        assert_eq!(
            BICEP.move_to_resource_group("Microsoft.Network/routeFilters", false),
            "move `Microsoft.Network/routeFilters` to a module whose `scope` is `resourceGroup('<resource group>')`, or deploy the file at resource-group scope"
        );
        assert_eq!(
            BICEP.complete_scope(true, false),
            "give the module the `scope` `resourceGroup('<subscription id>', '<resource group>')`, or deploy the file at resource-group scope"
        );
        assert_eq!(
            ARM.complete_scope(true, false),
            "set `subscriptionId` on the nested deployment as well, or deploy the template at resource-group scope"
        );
        assert!(
            AZAPI
                .move_to_resource_group("Microsoft.Network/routeFilters", false)
                .starts_with("set `parent_id` to a resource group's id")
        );
    }
}

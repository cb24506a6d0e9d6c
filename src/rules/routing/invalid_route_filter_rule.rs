//! ER413 invalid-route-filter-rule
use crate::model::{Existence, lookup_in};
use crate::rules::prelude::*;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Flags a route filter with more than one rule, and a route filter rule whose access
    /// is not `Allow` or whose type is not `Community`.
    ///
    /// ## Why is this bad?
    /// A route filter tells Microsoft peering which services' prefixes to advertise to
    /// you. It holds a single rule, and that rule allows: it lists the BGP community
    /// values of the services you want (`12076:5040` for Dynamics 365, for example), and
    /// everything it does not list stays out. A second rule, a rule that denies, or a rule
    /// of another type than `Community` is rejected when the filter is deployed, and
    /// until a valid filter is attached the Microsoft peering advertises nothing.
    ///
    /// The rules counted are the filter's inline rules (`rule` blocks, `properties.rules`)
    /// and, in ARM and Bicep, its `routeFilters/routeFilterRules` child resources; a
    /// child resource with the name of an inline rule is that rule. A rule whose name or
    /// existence is not known statically is not counted, and an access or type not known
    /// statically is not checked. (azurerm itself refuses a second `rule` block, a
    /// `Deny` or another rule type when it validates the configuration.)
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_route_filter" "m365" {
    ///   name                = "rf-m365"
    ///   resource_group_name = "rg-network"
    ///   location            = "westeurope"
    ///
    ///   rule {
    ///     name        = "no-exchange"
    ///     access      = "Deny"          # ER413
    ///     rule_type   = "Community"
    ///     communities = ["12076:5010"]
    ///   }
    /// }
    /// ```
    /// ```json
    /// {
    ///   "type": "Microsoft.Network/routeFilters",
    ///   "apiVersion": "2024-05-01",
    ///   "name": "rf-m365",
    ///   "location": "westeurope",
    ///   "properties": {
    ///     "rules": [
    ///       { "name": "exchange", "properties": { "access": "Allow", "routeFilterRuleType": "Community", "communities": ["12076:5010"] } },
    ///       { "name": "sharepoint", "properties": { "access": "Allow", "routeFilterRuleType": "Community", "communities": ["12076:5020"] } }
    ///     ]
    ///   }
    /// }
    /// ```
    /// (The second rule `sharepoint` is the finding.)
    ///
    /// ## How to fix
    /// Keep one rule per route filter, with `access` `Allow` and rule type `Community`,
    /// and list in its `communities` every service community to receive; leave out the
    /// communities you do not want instead of denying them.
    ///
    /// ## References
    /// - [Configure route filters for Microsoft peering](https://learn.microsoft.com/azure/expressroute/how-to-routefilter-portal):
    ///   a route filter can have only one rule, and the rule must be of type "Allow".
    /// - [ExpressRoute routing requirements: BGP community values](https://learn.microsoft.com/azure/expressroute/expressroute-routing#bgp)
    /// - [azurerm_route_filter](https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/route_filter)
    pub struct InvalidRouteFilterRule {
        id: "ER413",
        name: "invalid-route-filter-rule",
        severity: Error,
        kinds: [RouteFilter, RouteFilterRule],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a route filter with more than one rule, or a rule that is not an `Allow` rule of type `Community`",
    }
}

impl Rule for InvalidRouteFilterRule {
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        // The `routeFilterRules` resources of each route filter, in model order.
        let mut children: HashMap<usize, Vec<&Resource>> = HashMap::new();
        for (_, r) in model.of_kind(Kind::RouteFilterRule) {
            if let Some(filter) = r.parent {
                children.entry(filter).or_default().push(r);
            }
        }
        for (i, res) in model.resources.iter().enumerate() {
            if !self.meta().applies_to(res) {
                continue;
            }
            match res.kind {
                Kind::RouteFilter => {
                    let inline = inline_rules(cx, res);
                    for r in &inline {
                        check_rule(cx, res, r);
                    }
                    let own = children.get(&i).map(Vec::as_slice).unwrap_or_default();
                    check_count(cx, res, &inline, own);
                }
                Kind::RouteFilterRule => {
                    let whole = RuleAt {
                        body: &res.body,
                        header: res.header,
                    };
                    check_rule(cx, res, &whole);
                }
                _ => {}
            }
        }
    }
}

/// One rule: an inline rule of a filter, or a `routeFilterRules` resource's body.
#[derive(Copy, Clone)]
struct RuleAt<'v> {
    body: &'v Val,
    /// Where the rule is written: the inline rule object, or the resource's header.
    header: Span,
}

impl RuleAt<'_> {
    fn get<'s>(&'s self, res: &Resource, attr: &Attr) -> Lookup<'s> {
        let schema = res.schema();
        lookup_in(
            self.body,
            self.header,
            res.extent,
            schema,
            attr.split(schema),
        )
    }
}

/// The inline rules of route filter `res` that are not Unknown (an Unknown list or rule is
/// a skipped check).
fn inline_rules<'r>(cx: &mut Ctx<'_>, res: &'r Resource) -> Vec<RuleAt<'r>> {
    let Lookup::Known(found) = cx.get(res, &attr::ROUTE_FILTER_RULES) else {
        return Vec::new();
    };
    let what = res.attr_name(&attr::ROUTE_FILTER_RULES);
    cx.known_items(res, &found, what)
        .into_iter()
        .filter(|item| matches!(item.kind, ValKind::Object(_)))
        .map(|item| RuleAt {
            body: item,
            header: res.locate(item, found.at).0,
        })
        .collect()
}

/// A rule's access and type: `Allow` and `Community` (compared as Azure compares enum
/// values, ignoring case).
fn check_rule(cx: &mut Ctx<'_>, res: &Resource, rule: &RuleAt<'_>) {
    let name = rule_name(res, rule).map_or(String::new(), |n| format!(" `{n}`"));
    for (attr, want) in [
        (&attr::ROUTE_FILTER_RULE_ACCESS, "Allow"),
        (&attr::ROUTE_FILTER_RULE_TYPE, "Community"),
    ] {
        let what = res.attr_name(attr);
        let found = match rule.get(res, attr) {
            Lookup::Known(f) => f,
            Lookup::Unknown { unknown, at } => {
                cx.skipped(res, at, what, unknown);
                continue;
            }
            Lookup::Absent { .. } => continue,
        };
        let Some(value) = found.val.as_str() else {
            continue;
        };
        if value.trim().eq_ignore_ascii_case(want) {
            continue;
        }
        let (message, help) = if want == "Allow" {
            (
                format!(
                    "route filter rule{name} has `{what}` `{value}`: a route filter's rule must be `Allow`"
                ),
                format!(
                    "set `{what}` to `Allow` and list in the rule only the communities of the services to receive; a route filter advertises nothing it does not list"
                ),
            )
        } else {
            (
                format!(
                    "route filter rule{name} has `{what}` `{value}`: the only rule type is `Community`"
                ),
                format!(
                    "set `{what}` to `Community`: a route filter rule selects prefixes by BGP community"
                ),
            )
        };
        cx.report_found(res, &found, message).help(help);
    }
}

/// A rule's Known name, without its route filter's.
fn rule_name(res: &Resource, rule: &RuleAt<'_>) -> Option<String> {
    let Lookup::Known(f) = rule.get(res, &attr::NAME) else {
        return None;
    };
    let short = short_name(f.val.as_str()?);
    (!short.is_empty()).then(|| short.to_string())
}

/// More than one rule on the filter `res`: its inline rules and its `routeFilterRules`
/// resources `children` that will exist, one rule per name (a child resource with an
/// inline rule's name updates that rule; a rule whose name is Unknown could be any other,
/// and is not counted).
fn check_count(cx: &mut Ctx<'_>, res: &Resource, inline: &[RuleAt<'_>], children: &[&Resource]) {
    let declared = inline.iter().map(|r| (res, *r)).chain(
        children
            .iter()
            .filter(|c| c.exists == Existence::Yes)
            .map(|c| {
                let rule = RuleAt {
                    body: &c.body,
                    header: c.header,
                };
                (*c, rule)
            }),
    );
    let mut rules: Vec<Named<'_>> = Vec::new();
    for (holder, rule) in declared {
        let (name, at, from) = match rule.get(holder, &attr::NAME) {
            Lookup::Known(f) => match f.val.as_str() {
                Some(n) => (Some(short_name(n).to_ascii_lowercase()), f.at, f.from),
                None => continue,
            },
            Lookup::Unknown { unknown, at } => {
                cx.skipped(holder, at, holder.attr_name(&attr::NAME), unknown);
                continue;
            }
            Lookup::Absent { .. } => (None, rule.header, None),
        };
        if name.is_some() && rules.iter().any(|r| r.name == name) {
            continue;
        }
        rules.push(Named {
            holder,
            name,
            at,
            from,
        });
    }
    let [first, second, rest @ ..] = rules.as_slice() else {
        return;
    };
    let holder = if second.holder.reportable {
        second.holder
    } else {
        res
    };
    let filter = res.display_name();
    let count = rules.len();
    let d = cx.report(
        holder,
        second.at,
        format!("route filter `{filter}` has {count} rules: a route filter holds one rule"),
    );
    // Rules of one `dynamic` block or loop share the attribute: point where each name was
    // set instead.
    let mut labelled = vec![second.at];
    for (r, text) in std::iter::once((first, "its first rule"))
        .chain(rest.iter().map(|r| (r, "another rule")))
    {
        let at = if r.at == second.at {
            r.from.unwrap_or(r.at)
        } else {
            r.at
        };
        if !labelled.contains(&at) {
            labelled.push(at);
            d.label(at, text);
        }
    }
    d.help(
        "keep one `Allow` rule of type `Community` and list in its `communities` every service community to receive",
    );
}

/// A rule counted on a filter: the resource that declares it, its name (lower case;
/// `None` when it has none), where it is named and where that name was set.
struct Named<'r> {
    holder: &'r Resource,
    name: Option<String>,
    at: Span,
    from: Option<Span>,
}

/// A rule's name without its route filter's (`rf-m365/exchange` → `exchange`).
fn short_name(name: &str) -> &str {
    let n = name.trim();
    n.rsplit('/').next().unwrap_or(n).trim()
}

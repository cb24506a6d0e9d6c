//! What a Bicep file deploys that erlint does not evaluate (ER006), so that no
//! ExpressRoute resource goes unchecked in silence:
//!
//! - a `Microsoft.Resources/deployments` resource declared in Bicep (a nested deployment
//!   written by hand instead of a `module`) whose template declares, or may declare, an
//!   ExpressRoute resource type, or is linked (`templateLink`) or not known statically;
//! - an ExpressRoute resource whose body or `properties` comes from something erlint
//!   does not evaluate (`loadYamlContent()`, a function it does not implement).
//!
//! A value that is not known because of the deployment (a parameter without a value) is
//! Unknown as usual, not ER006.

use crate::model::schema::kind_from_arm;
use crate::model::{Kind, Unknown, Val, ValKind};

/// Whether a (full, unversioned) resource type is a nested deployment.
pub fn is_deployment(full_type: &str) -> bool {
    full_type.eq_ignore_ascii_case("Microsoft.Resources/deployments")
}

/// Why the template of a nested deployment whose `properties` evaluated to `props` may
/// hold ExpressRoute resources erlint did not check, if it may.
pub fn deployment_gap(props: &Val) -> Option<String> {
    if let Some(u) = props.as_unknown() {
        return Some(format!("is not known statically ({})", u.reason));
    }
    match props.get_ci("template").map(|t| &t.kind) {
        Some(ValKind::Unknown(u)) => Some(format!("is not known statically ({})", u.reason)),
        Some(ValKind::Object(_)) => {
            let template = props.get_ci("template")?;
            let declares = match expressroute_in(template.get_ci("resources")?, "") {
                Found::Type(ty) => format!("declares `{ty}`"),
                Found::Maybe => "may declare ExpressRoute resources".to_string(),
                Found::Nothing => return None,
            };
            Some(format!(
                "{declares}, but a `Microsoft.Resources/deployments` resource written in Bicep is not evaluated by erlint"
            ))
        }
        _ if props.get_ci("templateLink").is_some() => {
            Some("is linked (`templateLink`), which erlint does not fetch".into())
        }
        _ => None,
    }
}

/// What a template's `resources` hold.
#[derive(Debug, PartialEq)]
enum Found {
    /// An ExpressRoute-related resource of this type.
    Type(String),
    /// A type that is not known statically (an expression, an Unknown value).
    Maybe,
    Nothing,
}

/// The first ExpressRoute-related type among `resources` (an array, or an object of
/// symbolic names), their child resources and the templates of nested deployments;
/// `parent` is the enclosing resource's type, for the relative types of children.
fn expressroute_in(resources: &Val, parent: &str) -> Found {
    let list: Vec<&Val> = match &resources.kind {
        ValKind::List(items) => items.iter().collect(),
        ValKind::Object(o) => o.iter().map(|(_, v)| v).collect(),
        ValKind::Unknown(_) => return Found::Maybe,
        _ => return Found::Nothing,
    };
    let mut maybe = false;
    for r in list {
        let found = match r.get_ci("type").map(|t| &t.kind) {
            Some(ValKind::Str(t)) if !t.starts_with('[') => {
                let ty = if parent.is_empty() || t.contains('/') {
                    t.to_string()
                } else {
                    format!("{parent}/{t}")
                };
                match expressroute(&ty, r) {
                    Found::Type(_) => return Found::Type(ty),
                    Found::Maybe => maybe = true,
                    Found::Nothing => {}
                }
                let nested = if is_deployment(&ty) {
                    r.get_ci("properties")
                        .and_then(|p| p.get_ci("template"))
                        .and_then(|t| t.get_ci("resources"))
                        .map_or(Found::Nothing, |rs| expressroute_in(rs, ""))
                } else {
                    Found::Nothing
                };
                match nested {
                    Found::Nothing => r
                        .get_ci("resources")
                        .map_or(Found::Nothing, |rs| expressroute_in(rs, &ty)),
                    other => other,
                }
            }
            Some(ValKind::Str(_) | ValKind::Unknown(_)) => Found::Maybe,
            _ => Found::Nothing,
        };
        match found {
            Found::Type(_) => return found,
            Found::Maybe => maybe = true,
            Found::Nothing => {}
        }
    }
    if maybe { Found::Maybe } else { Found::Nothing }
}

/// Whether the resource `r` of type `ty` deploys ExpressRoute: its types, route filters,
/// and gateways and connections whose type says so (a virtual network does not).
fn expressroute(ty: &str, r: &Val) -> Found {
    let field = match kind_from_arm(ty) {
        None => return Found::Nothing,
        Some(k) if k.is_supporting() => return Found::Nothing,
        Some(Kind::VnetGateway) => "gatewayType",
        Some(Kind::GatewayConnection) => "connectionType",
        Some(_) => return Found::Type(ty.to_string()),
    };
    match r
        .get_ci("properties")
        .and_then(|p| p.get_ci(field))
        .map(|t| &t.kind)
    {
        Some(ValKind::Str(t)) if t.eq_ignore_ascii_case("ExpressRoute") => {
            Found::Type(ty.to_string())
        }
        Some(ValKind::Str(t)) if !t.starts_with('[') => Found::Nothing,
        None => Found::Nothing,
        Some(_) => Found::Maybe,
    }
}

/// The part of an ExpressRoute resource's `body` erlint could not evaluate (the body
/// itself, or its `properties`), with why, when it is erlint's own gap.
pub fn body_gap(body: &Val) -> Option<(&Val, &Unknown)> {
    let part = match &body.kind {
        ValKind::Unknown(_) => body,
        _ => body.get_ci("properties")?,
    };
    let u = part.as_unknown()?;
    u.reason
        .contains("not evaluated by erlint")
        .then_some((part, u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Object;

    fn obj(items: &[(&str, Val)]) -> Val {
        let mut o = Object::new();
        for (k, v) in items {
            o.insert(*k, v.clone());
        }
        Val::object(o, None)
    }

    fn res(ty: &str) -> Val {
        obj(&[("type", Val::str(ty, None))])
    }

    fn props_with(resources: Vec<Val>) -> Val {
        obj(&[(
            "template",
            obj(&[("resources", Val::list(resources, None))]),
        )])
    }

    #[test]
    fn templates_that_declare_expressroute_are_gaps() {
        let why = deployment_gap(&props_with(vec![
            res("Microsoft.Storage/storageAccounts"),
            res("Microsoft.Network/expressRouteCircuits"),
        ]))
        .unwrap();
        assert!(why.starts_with("declares `Microsoft.Network/expressRouteCircuits`"));
        // A child written with its relative type.
        let circuit = obj(&[
            ("type", Val::str("Microsoft.Network/virtualNetworks", None)),
            ("resources", Val::list(vec![res("subnets")], None)),
        ]);
        assert!(deployment_gap(&props_with(vec![circuit])).is_none());
        let gateway = |ty: &str| {
            obj(&[
                (
                    "type",
                    Val::str("Microsoft.Network/virtualNetworkGateways", None),
                ),
                ("properties", obj(&[("gatewayType", Val::str(ty, None))])),
            ])
        };
        assert!(deployment_gap(&props_with(vec![gateway("Vpn")])).is_none());
        assert!(deployment_gap(&props_with(vec![gateway("ExpressRoute")])).is_some());
        // Children with relative types.
        let vnet = obj(&[
            ("type", Val::str("Microsoft.Network/virtualNetworks", None)),
            ("resources", Val::list(vec![res("subnets")], None)),
        ]);
        assert!(deployment_gap(&props_with(vec![vnet])).is_none());
        let filter = obj(&[
            ("type", Val::str("Microsoft.Network/routeFilters", None)),
            ("resources", Val::list(vec![res("routeFilterRules")], None)),
        ]);
        assert!(
            deployment_gap(&props_with(vec![filter]))
                .unwrap()
                .contains("`Microsoft.Network/routeFilters`")
        );
        let nested = obj(&[
            ("type", Val::str("Microsoft.Resources/deployments", None)),
            (
                "properties",
                props_with(vec![res("Microsoft.Network/expressRoutePorts")]),
            ),
        ]);
        assert!(
            deployment_gap(&props_with(vec![nested]))
                .unwrap()
                .contains("expressRoutePorts")
        );
        // Nothing of ExpressRoute: no gap.
        assert!(
            deployment_gap(&props_with(vec![res("Microsoft.Storage/storageAccounts")])).is_none()
        );
        // A type that is an expression may be one.
        assert!(
            deployment_gap(&props_with(vec![res("[variables('t')]")]))
                .unwrap()
                .starts_with("may declare")
        );
    }

    #[test]
    fn linked_and_unknown_templates_are_gaps() {
        let linked = obj(&[("templateLink", obj(&[("uri", Val::str("https://x", None))]))]);
        assert!(deployment_gap(&linked).unwrap().contains("templateLink"));
        let unknown = obj(&[("template", Val::unknown("a parameter", None))]);
        assert!(deployment_gap(&unknown).unwrap().contains("a parameter"));
        assert!(deployment_gap(&obj(&[])).is_none());
    }

    #[test]
    fn only_erlints_own_gaps_in_a_body() {
        let yaml = obj(&[(
            "properties",
            Val::unknown("`loadYamlContent()` is not evaluated by erlint", None),
        )]);
        assert!(body_gap(&yaml).is_some());
        let param = obj(&[(
            "properties",
            Val::unknown("parameter `p` has no value", None),
        )]);
        assert!(body_gap(&param).is_none());
        assert!(body_gap(&obj(&[("properties", obj(&[]))])).is_none());
    }
}

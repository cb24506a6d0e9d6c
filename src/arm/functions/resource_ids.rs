//! `resourceId` and its siblings. An id is Known only when every segment is, including
//! the subscription (and resource group) that default to the deployment's own. When only
//! those are missing, the Unknown still says which resource it names (`type/name`, the
//! form of ARM resource addresses in the model), so references can be linked.

use super::super::format::to_text;
use super::{Call, Out, Stop};
use crate::model::{Unknown, Val, ValKind};

pub(super) fn resource_id(c: &Call, a: &[Val]) -> Out {
    build(c, a, Scope::ResourceGroup)
}

pub(super) fn subscription_resource_id(c: &Call, a: &[Val]) -> Out {
    build(c, a, Scope::Subscription)
}

pub(super) fn tenant_resource_id(c: &Call, a: &[Val]) -> Out {
    build(c, a, Scope::Tenant)
}

pub(super) fn extension_resource_id(c: &Call, a: &[Val]) -> Out {
    build(c, a, Scope::Extension)
}

pub(super) fn management_group_resource_id(c: &Call, a: &[Val]) -> Out {
    build(c, a, Scope::ManagementGroup)
}

/// Which function: where the id starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    ResourceGroup,
    Subscription,
    Tenant,
    Extension,
    ManagementGroup,
}

/// Why an id is not known: the reason, and the `type/name` address it would name.
type NotKnown = (String, Option<String>);

fn build(c: &Call, a: &[Val], scope: Scope) -> Out {
    match id(c.name, a, scope) {
        Ok((id, sub)) => {
            // The subscription is the part of an id rules judge (ER103): where it was
            // written (a parameter file, a `defaultValue`) travels with the id.
            let mut v = c.text(id);
            v.origin = sub.and_then(|i| a.get(i)).and_then(|s| s.origin);
            Ok(v)
        }
        Err((reason, refers_to)) => Err(Stop::Unknown(Val::unknown_with(
            Unknown {
                reason,
                refers_to,
                secret: false,
                symbol: None,
            },
            c.site(),
        ))),
    }
}

/// The id, and the index of the argument that gave its subscription, if one did.
fn id(name: &str, a: &[Val], scope: Scope) -> Result<(String, Option<usize>), NotKnown> {
    let bad = || {
        (
            format!("`{name}()` cannot be applied to these arguments"),
            None,
        )
    };
    let texts: Vec<String> = a
        .iter()
        .map(|v| match &v.kind {
            ValKind::Str(s) => Some(s.to_string()),
            ValKind::Number(_) => to_text(v),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let (base, rest) = if scope == Scope::Extension {
        let (b, r) = texts.split_first().ok_or_else(bad)?;
        (Some(b.trim_end_matches('/').to_string()), r)
    } else {
        (None, texts.as_slice())
    };
    let t = rest.iter().position(|s| s.contains('/')).ok_or_else(bad)?;
    let (leading, tail) = rest.split_at(t);
    let (ty, names) = tail.split_first().ok_or_else(bad)?;
    // A type written with a trailing slash (`'Microsoft.Network/virtualNetworks/subnets/'`,
    // as a quickstart template does) is the same type.
    let ty = ty.trim_end_matches('/');
    let path = provider_path(ty, names).ok_or_else(bad)?;
    let address = format!("{ty}/{}", names.join("/"));
    let scope_unknown = |what: &str| {
        (
            format!(
                "`{name}()` without {what} uses the deployment's own, known only during deployment"
            ),
            Some(address.clone()),
        )
    };
    let (prefix, sub_arg) = match (scope, leading) {
        (Scope::ResourceGroup, [sub, rg]) => {
            (format!("/subscriptions/{sub}/resourceGroups/{rg}"), Some(0))
        }
        (Scope::ResourceGroup, [_]) => return Err(scope_unknown("a subscription id")),
        (Scope::ResourceGroup, []) => {
            return Err(scope_unknown("a subscription id and resource group"));
        }
        (Scope::Subscription, [sub]) => (format!("/subscriptions/{sub}"), Some(0)),
        (Scope::Subscription, []) => return Err(scope_unknown("a subscription id")),
        (Scope::ManagementGroup, [mg]) => (
            format!("/providers/Microsoft.Management/managementGroups/{mg}"),
            None,
        ),
        (Scope::ManagementGroup, []) => return Err(scope_unknown("a management group")),
        (Scope::Tenant, []) => (String::new(), None),
        (Scope::Extension, []) => (base.unwrap_or_default(), None),
        _ => return Err(bad()),
    };
    Ok((prefix + &path, sub_arg))
}

/// `/providers/Ns/type1/name1/type2/name2` from `Ns/type1/type2` and the names.
fn provider_path(ty: &str, names: &[String]) -> Option<String> {
    let mut segs = ty.split('/');
    let ns = segs.next().unwrap_or("");
    let types: Vec<&str> = segs.collect();
    if types.len() != names.len() || ns.is_empty() {
        return None;
    }
    let mut path = format!("/providers/{ns}");
    for (t, n) in types.iter().zip(names) {
        path.push('/');
        path.push_str(t);
        path.push('/');
        path.push_str(n);
    }
    Some(path)
}

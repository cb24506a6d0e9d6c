//! Functions whose value only exists during (or after) a deployment, and `fail`.

use super::{Call, Out};
use crate::model::Val;

/// `reference`, `resourceGroup`, `subscription`, `uniqueString`, `list*`, …: Unknown
/// whatever their arguments.
pub fn is_deployment_time(name: &str) -> bool {
    matches!(
        name,
        "reference"
            | "resourcegroup"
            | "subscription"
            | "deployment"
            | "tenant"
            | "managementgroup"
            | "environment"
            | "uniquestring"
            | "newguid"
            | "guid"
            | "utcnow"
            | "pickzones"
            | "providers"
            | "deployer"
            | "externalinput"
    ) || name.starts_with("list")
}

/// `fail(message)`: the deployment stops with this error. The value is never known.
pub(super) fn fail(c: &Call, a: &[Val]) -> Out {
    match a.first().and_then(Val::as_str) {
        Some(m) => c.unknown(format!("the deployment fails here: {m}")),
        None => c.unknown("the deployment fails here"),
    }
}

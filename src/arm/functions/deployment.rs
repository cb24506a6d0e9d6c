//! Functions whose value only exists during (or after) a deployment.

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
            | "datetimeadd"
            | "pickzones"
            | "providers"
            | "deployer"
            | "externalinput"
    ) || name.starts_with("list")
}

//! ER102 resource-outside-subscription
use crate::model::ArmScope;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an ARM or Bicep ExpressRoute resource deployed at subscription, management-group
    /// or tenant scope: at the root of such a template (`targetScope` in Bicep), or in a
    /// nested deployment or module that does not name a `resourceGroup` (and, at
    /// management-group or tenant scope, a `subscriptionId`).
    ///
    /// ## Why is this bad?
    /// ExpressRoute circuits, peerings, ports, gateways, connections and route filters are
    /// resource-group resources: their ids always start with
    /// `/subscriptions/{id}/resourceGroups/{name}/`. A template deployed at a wider scope
    /// must hand them to a nested deployment that targets a resource group in a named
    /// subscription; otherwise the deployment fails, or the resources have no subscription
    /// to live in. Child resources (peerings, authorizations) of a circuit that is itself
    /// reported are not reported again.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "$schema": "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
    ///   "resources": [
    ///     { "type": "Microsoft.Network/expressRouteCircuits", "name": "er-circuit" }
    ///   ]
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Wrap the resources in a `Microsoft.Resources/deployments` resource that sets
    /// `subscriptionId` and `resourceGroup` (only `resourceGroup` at subscription scope) and
    /// carries them in `properties.template`, or deploy the template at resource-group scope
    /// (`deploymentTemplate.json` schema). In Bicep, move them to a module whose `scope` is
    /// `resourceGroup('<subscription id>', '<resource group>')` (`resourceGroup('<resource
    /// group>')` from a subscription-scope file); a module's `scope` is its nested
    /// deployment's target.
    ///
    /// ## References
    /// - [ExpressRoute prerequisites](https://learn.microsoft.com/azure/expressroute/expressroute-prerequisites)
    /// - [Deploy to tenant scope with ARM templates](https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-to-tenant)
    /// - [Deploy to management group scope](https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-to-management-group)
    /// - [Deploy to subscription scope](https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-to-subscription)
    pub struct ResourceOutsideSubscription {
        id: "ER102",
        name: "resource-outside-subscription",
        severity: Error,
        kinds: [Circuit, Peering, CircuitAuthorization, CircuitConnection, Port, PortAuthorization, ErGateway, ErConnection, VnetGateway, GatewayConnection, RouteFilter],
        schemas: [Arm],
        since: "0.1.0",
        flags: "an ARM or Bicep ExpressRoute resource deployed at subscription, management-group or tenant scope",
    }
}

impl Rule for ResourceOutsideSubscription {
    fn check_resource(&self, cx: &mut Ctx<'_>, model: &Model, res: &Resource) {
        let Some(scope) = res.arm_scope else { return };
        if scope == ArmScope::ResourceGroup || res.is_expressroute() != Some(true) {
            return;
        }
        // A child of a circuit that is reported itself is covered by that finding.
        if let Some(parent) = model.parent_of(res)
            && parent.arm_scope == Some(scope)
            && parent.reportable
        {
            return;
        }
        let ty = res.address.split('/').take(2).collect::<Vec<_>>().join("/");
        // Outside a subscription, a deployment that names only `resourceGroup` is missing
        // only `subscriptionId`.
        let partial = scope != ArmScope::Subscription && res.names_resource_group;
        let (need_sub, need_rg) = match scope {
            ArmScope::Subscription => (false, true),
            _ if partial => (true, false),
            _ => (true, true),
        };
        // How the fix is written (ARM nested deployments, Bicep modules) is the renderer's.
        let sp = Spelling::of(res);
        let outside = match scope {
            ArmScope::Subscription => "outside any resource group",
            _ => "outside any subscription and resource group",
        };
        let message = if res.nested == 0 {
            format!(
                "{} is deployed at {} scope, {outside}",
                res.kind.describe(),
                scope.describe()
            )
        } else {
            format!(
                "{} is in a {} at {} scope that names no {}",
                res.kind.describe(),
                sp.deployment(),
                scope.describe(),
                sp.scope_needs(need_sub, need_rg)
            )
        };
        let help = if partial && res.nested > 0 {
            sp.complete_scope(need_sub, need_rg)
        } else {
            sp.move_to_resource_group(&ty, need_sub)
        };
        cx.report(res, res.header, message).help(help);
    }
}

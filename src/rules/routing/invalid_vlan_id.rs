//! ER406 invalid-vlan-id
use crate::model::{Existence, ParentRef};
use crate::model::value::whole;
use crate::rules::prelude::*;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Flags a peering VLAN id outside 1–4094 or not a number (a placeholder left in), or a
    /// VLAN id that another peering of the same circuit already uses (on an ExpressRoute
    /// Direct port with Dot1Q encapsulation: that another peering of any circuit on the
    /// port uses).
    ///
    /// ## Why is this bad?
    /// Each peering of a circuit runs on its own VLAN: the primary and secondary links of
    /// one peering use the same VLAN id, and no other peering of the circuit may use it.
    /// On an ExpressRoute Direct port with QinQ encapsulation Azure adds an outer tag per
    /// circuit, so the peering VLAN only has to be unique within the circuit; with Dot1Q
    /// there is no outer tag, and every peering of every circuit on the port pair needs
    /// its own VLAN. An 802.1Q VLAN id is a number from 1 to 4094 (0 and 4095 are
    /// reserved). A clash or an id outside that range is rejected, or leaves the peering's
    /// BGP sessions down.
    ///
    /// Peerings are matched to their circuit through `express_route_circuit_name` (a
    /// reference to the circuit, or its name and resource group), the ARM parent resource
    /// or the name `circuit/peering`. Terraform peerings of a circuit the scan does not
    /// declare (one that exists already) are compared when they name the same circuit and
    /// resource group through the same provider configuration. Circuits are matched to
    /// their port through `express_route_port_id` / `expressRoutePort.id`: when instances
    /// of a Bicep module or ARM nested deployment (one per resource group) each declare a
    /// port of the same name, a circuit's port is the one its own instance declares. The
    /// later peering is reported,
    /// with a label at the one that has the VLAN first. Two declarations of the same
    /// peering type on one circuit (an inline peering and a child resource) are one
    /// peering, and peerings whose type is not known are not compared.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_express_route_circuit_peering" "private" {
    ///   peering_type               = "AzurePrivatePeering"
    ///   express_route_circuit_name = azurerm_express_route_circuit.main.name
    ///   vlan_id                    = 100
    ///   # …
    /// }
    ///
    /// resource "azurerm_express_route_circuit_peering" "microsoft" {
    ///   peering_type               = "MicrosoftPeering"
    ///   express_route_circuit_name = azurerm_express_route_circuit.main.name
    ///   vlan_id                    = 100   # ER406
    ///   # …
    /// }
    /// ```
    /// ```json
    /// "peerings": [
    ///   { "name": "AzurePrivatePeering", "properties": { "vlanId": 100 } },
    ///   { "name": "MicrosoftPeering", "properties": { "vlanId": 100 } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Give each peering of the circuit (with Dot1Q, each peering on the port) its own
    /// VLAN id from 1 to 4094, and configure the same id on your routers or with your
    /// connectivity provider.
    ///
    /// ## References
    /// - [Configure peering for an ExpressRoute circuit: VLAN ID](https://learn.microsoft.com/azure/expressroute/expressroute-howto-routing-portal-resource-manager)
    /// - [About ExpressRoute Direct: Dot1Q and QinQ encapsulation](https://learn.microsoft.com/azure/expressroute/expressroute-erdirect-about)
    /// - [Configure ExpressRoute Direct](https://learn.microsoft.com/azure/expressroute/expressroute-howto-erdirect)
    pub struct InvalidVlanId {
        id: "ER406",
        name: "invalid-vlan-id",
        severity: Error,
        kinds: [Peering],
        schemas: [Azurerm, Arm],
        since: "0.1.0",
        flags: "a VLAN outside 1–4094, or two peerings of one circuit (or of one Dot1Q port) on the same VLAN",
    }
}

const VLAN_MIN: i128 = 1;
const VLAN_MAX: i128 = 4094;

impl Rule for InvalidVlanId {
    /// The range: one value at a time.
    fn check_resource(&self, cx: &mut Ctx<'_>, _model: &Model, res: &Resource) {
        let Lookup::Known(f) = cx.get(res, &attr::VLAN_ID) else {
            return;
        };
        let name = res.attr_name(&attr::VLAN_ID);
        let shown = f.val.to_string();
        let message = match f.val.as_number().map(whole) {
            Some(Some(v)) if (VLAN_MIN..=VLAN_MAX).contains(&v) => return,
            Some(Some(_)) => format!("`{name}` `{shown}` is outside the VLAN id range 1–4094"),
            Some(None) => format!("`{name}` `{shown}` is not a whole number, so not a VLAN id"),
            // A placeholder left in (`"TBD"`): no number converts from it.
            None if matches!(f.val.kind, ValKind::Str(_)) => {
                format!("`{name}` `{shown}` is not a number, so not a VLAN id")
            }
            None => return,
        };
        cx.report_found(res, &f, message).help(format!(
            "set `{name}` to the VLAN id (1 to 4094) configured on your routers or by your provider, one that no other peering of the circuit uses"
        ));
    }

    /// Clashes: a VLAN used twice on one circuit, or on one Dot1Q port.
    fn check_model(&self, cx: &mut Ctx<'_>, model: &Model) {
        let mut ports: HashMap<usize, Option<usize>> = HashMap::new();
        let mut entries: Vec<Entry<'_>> = Vec::new();
        let mut existing = ExistingCircuits::default();
        for (_, res) in model.of_kind(Kind::Peering) {
            let Some(circuit) = model
                .circuit_of(res)
                .or_else(|| existing.of(model, res))
            else {
                continue;
            };
            let Lookup::Known(found) = res.get(&attr::VLAN_ID) else {
                continue;
            };
            let Some(vlan) = found
                .val
                .as_number()
                .and_then(whole)
                .filter(|v| (VLAN_MIN..=VLAN_MAX).contains(v))
            else {
                continue;
            };
            let port = *ports
                .entry(circuit)
                .or_insert_with(|| dot1q_port(model, circuit));
            entries.push(Entry {
                res,
                found,
                vlan,
                circuit,
                port,
                ty: res.peering_type().known(),
            });
        }
        for (j, e) in entries.iter().enumerate() {
            if !e.res.reportable {
                continue;
            }
            let Some((first, on_port)) = entries.iter().take(j).find_map(|s| {
                if s.vlan != e.vlan || s.res.exists != Existence::Yes {
                    return None;
                }
                if s.circuit == e.circuit {
                    let differ = matches!((s.ty, e.ty), (Some(a), Some(b)) if a != b);
                    return differ.then_some((s, false));
                }
                (e.port.is_some() && s.port == e.port).then_some((s, true))
            }) else {
                continue;
            };
            report_clash(cx, model, &existing, &entries, e, first, on_port);
        }
    }
}

/// Circuits the scan does not declare, named by Terraform peerings (a circuit that exists
/// already: `express_route_circuit_name = "erc-hub"`, `resource_group_name = "rg-net"`),
/// numbered after the model's resources so that they are told apart from declared ones.
#[derive(Default)]
struct ExistingCircuits {
    /// (name, resource group, both lowercase; provider configuration) → number.
    ids: HashMap<(String, String, Option<usize>), usize>,
    /// The name as the first peering wrote it, by number.
    names: HashMap<usize, String>,
}

impl ExistingCircuits {
    /// The number of the undeclared circuit `res` names, when it names one by its Known
    /// name and resource group (Terraform only: ARM names a parent in its deployment's
    /// scope, which nested deployments change).
    fn of(&mut self, model: &Model, res: &Resource) -> Option<usize> {
        if res.schema() != Schema::Azurerm || res.parent.is_some() {
            return None;
        }
        let Some(ParentRef::Name {
            name,
            resource_group: Some(rg),
        }) = &res.parent_ref
        else {
            return None;
        };
        let key = (name.to_lowercase(), rg.to_lowercase(), res.provider);
        let next = model.resources.len() + self.ids.len();
        let id = *self.ids.entry(key).or_insert(next);
        self.names.entry(id).or_insert_with(|| name.clone());
        Some(id)
    }
}

/// A peering with a valid, Known VLAN on a known circuit.
struct Entry<'m> {
    res: &'m Resource,
    found: Found<'m>,
    vlan: i128,
    circuit: usize,
    /// The circuit's ExpressRoute Direct port, when it is in the model with Dot1Q
    /// encapsulation.
    port: Option<usize>,
    ty: Option<PeeringType>,
}

fn report_clash(
    cx: &mut Ctx<'_>,
    model: &Model,
    existing: &ExistingCircuits,
    entries: &[Entry<'_>],
    e: &Entry<'_>,
    first: &Entry<'_>,
    on_port: bool,
) {
    // VLANs taken in this peering's scope: its circuit, and its Dot1Q port.
    let taken: Vec<i128> = entries
        .iter()
        .filter(|s| s.circuit == e.circuit || (e.port.is_some() && s.port == e.port))
        .map(|s| s.vlan)
        .collect();
    let finding = VlanClash {
        name: e.res.attr_name(&attr::VLAN_ID),
        vlan: e.vlan,
        other: describe_peering(model, existing, first),
        port: on_port.then(|| {
            e.port
                .and_then(|p| model.resources.get(p))
                .map(Resource::display_name)
                .unwrap_or_default()
        }),
        free: (e.vlan + 1..=VLAN_MAX)
            .chain(VLAN_MIN..e.vlan)
            .find(|v| !taken.contains(v)),
    };
    // For instances of one block, the attribute is the same: point at where the other
    // value was set instead.
    let label_at = if first.found.at == e.found.at {
        first.found.from.unwrap_or(first.found.at)
    } else {
        first.found.at
    };
    let d = cx.report_found(e.res, &e.found, finding.message());
    d.help(finding.help());
    d.label(label_at, format!("VLAN `{}` is used here first", e.vlan));
}

/// What ER406 found: a VLAN another peering of the circuit (or of its Dot1Q port) uses.
#[derive(Debug)]
struct VlanClash<'a> {
    name: &'static str,
    vlan: i128,
    /// The peering that uses it first ("peering `X` of circuit `c`").
    other: String,
    /// The Dot1Q port's name, when the clash is on the port.
    port: Option<&'a str>,
    /// A VLAN free in the same scope, when there is one.
    free: Option<i128>,
}

impl VlanClash<'_> {
    fn message(&self) -> String {
        let (name, vlan, other) = (self.name, self.vlan, &self.other);
        match self.port {
            Some(port) => {
                format!("`{name}` `{vlan}` is already used on Dot1Q port `{port}` by {other}")
            }
            None => format!("`{name}` `{vlan}` is already used by {other}"),
        }
    }

    fn help(&self) -> String {
        let scope = if self.port.is_some() {
            "on the Dot1Q port"
        } else {
            "on the circuit"
        };
        match self.free {
            Some(v) => format!(
                "give this peering its own VLAN, for example `{v}` (free {scope}), and configure the same id on your routers or with your provider"
            ),
            None => format!("give this peering a VLAN id that no other peering {scope} uses"),
        }
    }
}

/// "peering `AzurePrivatePeering` of circuit `erc-1`".
fn describe_peering(model: &Model, existing: &ExistingCircuits, e: &Entry<'_>) -> String {
    let circuit = model
        .resources
        .get(e.circuit)
        .map(Resource::display_name)
        .or_else(|| existing.names.get(&e.circuit).map(String::as_str))
        .unwrap_or_default();
    match e.ty {
        Some(t) => format!("peering `{}` of circuit `{circuit}`", t.name()),
        None => format!("peering `{}` of circuit `{circuit}`", e.res.address),
    }
}

/// The ExpressRoute Direct port of circuit `circuit`, when the circuit names a port of this
/// model whose encapsulation is Known to be Dot1Q.
fn dot1q_port(model: &Model, circuit: usize) -> Option<usize> {
    let c = model.resources.get(circuit)?;
    let p = model.resolve_lookup(&c.get(&attr::PORT_ID), c)?;
    let port = model.resources.get(p)?;
    let dot1q = port.kind == Kind::Port
        && port.exists == Existence::Yes
        && port
            .known_str(&attr::PORT_ENCAPSULATION)
            .is_some_and(|(e, _)| e.trim().eq_ignore_ascii_case("Dot1Q"));
    dot1q.then_some(p)
}

#[cfg(test)]
mod tests {
    use crate::model::Val;
    use crate::model::value::whole;

    #[test]
    fn vlan_numbers() {
        let n = |v: Val| v.as_number().and_then(whole);
        assert_eq!(n(Val::number(100.0, None)), Some(100));
        assert_eq!(n(Val::str("4094", None)), Some(4094));
        // Terraform does not convert a string with spaces to a number.
        assert_eq!(n(Val::str(" 7 ", None)), None);
        assert_eq!(n(Val::number(100.5, None)), None);
        assert_eq!(n(Val::str("-1", None)), Some(-1));
        assert_eq!(n(Val::str("vlan100", None)), None);
        assert_eq!(n(Val::str("", None)), None);
        assert_eq!(n(Val::bool(true, None)), None);
    }

    #[test]
    fn message_and_help_come_from_the_finding() {
        let f = super::VlanClash {
            name: "vlanId",
            vlan: 100,
            other: "peering `AzurePrivatePeering` of circuit `er-1`".into(),
            port: Some("port-ams"),
            free: Some(101),
        };
        assert_eq!(
            f.message(),
            "`vlanId` `100` is already used on Dot1Q port `port-ams` by peering `AzurePrivatePeering` of circuit `er-1`"
        );
        assert_eq!(
            f.help(),
            "give this peering its own VLAN, for example `101` (free on the Dot1Q port), and configure the same id on your routers or with your provider"
        );
        let f = super::VlanClash {
            port: None,
            free: None,
            ..f
        };
        assert_eq!(
            f.help(),
            "give this peering a VLAN id that no other peering on the circuit uses"
        );
    }
}

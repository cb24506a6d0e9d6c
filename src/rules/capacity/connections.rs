//! What the capacity rules share: the ExpressRoute circuit connections of each virtual
//! network gateway.

use crate::model::{Existence, Kind, Model, Resource};
use crate::rules::prelude::attr;
use crate::source::Span;
use std::collections::BTreeMap;

/// A connection counted on a gateway: the connection, where it names the gateway, and
/// its circuit when the model holds it.
pub(crate) struct Counted<'m> {
    pub res: &'m Resource,
    pub at: Span,
    pub circuit: Option<usize>,
    pub circuit_at: Span,
}

/// The circuit connections of each virtual network gateway of `model` (by index), in
/// model order: the reportable gateway connections of type ExpressRoute that will exist
/// and name a circuit (even one not known statically: it connects one), on a gateway of
/// the model that will exist. `gateway_of` reads a connection's gateway reference: where
/// it is, and the resource it names (a rule may record a skipped check there).
pub(crate) fn by_gateway<'m>(
    model: &'m Model,
    mut gateway_of: impl FnMut(&'m Resource) -> (Span, Option<usize>),
) -> BTreeMap<usize, Vec<Counted<'m>>> {
    let is = |i: &usize, kind: Kind| {
        model
            .resources
            .get(*i)
            .is_some_and(|r| r.kind == kind && r.exists == Existence::Yes)
    };
    let mut out: BTreeMap<usize, Vec<Counted<'m>>> = BTreeMap::new();
    for (_, res) in model.of_kind(Kind::GatewayConnection) {
        if !res.reportable
            || res.exists != Existence::Yes
            || res.is_expressroute() != Some(true)
        {
            continue;
        }
        // A connection that names no circuit is ER502's finding, not a circuit.
        let circuit_lookup = res.get(&attr::CONNECTION_CIRCUIT_ID);
        if circuit_lookup.is_absent() {
            continue;
        }
        let circuit = model.resolve_lookup(&circuit_lookup, res);
        let (at, gateway) = gateway_of(res);
        let Some(gateway) = gateway.filter(|g| is(g, Kind::VnetGateway)) else {
            continue;
        };
        let circuit = circuit.filter(|c| {
            model
                .resources
                .get(*c)
                .is_some_and(|r| r.kind == Kind::Circuit)
        });
        out.entry(gateway).or_default().push(Counted {
            res,
            at,
            circuit,
            circuit_at: circuit_lookup.at(),
        });
    }
    out
}

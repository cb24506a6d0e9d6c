//! What the Global Reach rules share: the two circuits a Global Reach connection links.

use crate::rules::prelude::*;

/// One end of a Global Reach connection: the circuit (its index in the model) and where
/// the connection names it (its peering's id).
#[derive(Copy, Clone, Debug)]
pub(crate) struct End {
    pub circuit: usize,
    pub at: Span,
}

/// The circuits at both ends of a Global Reach connection, each when the model holds it:
/// its own (`peering_id`, `expressRouteCircuitPeering.id`, or the circuit it is declared
/// under) and its peer's (`peer_peering_id`, `peerExpressRouteCircuitPeering.id`). A
/// peering that is not in the configuration (another template, another state) gives
/// `None` for that end.
pub(crate) fn ends(cx: &mut Ctx<'_>, model: &Model, res: &Resource) -> [Option<End>; 2] {
    let own = end(cx, model, res, &attr::CIRCUIT_CONNECTION_PEERING_ID).or_else(|| {
        model.circuit_of(res).map(|circuit| End {
            circuit,
            at: res.header,
        })
    });
    let peer = end(cx, model, res, &attr::CIRCUIT_CONNECTION_PEER_PEERING_ID);
    [own, peer]
}

/// Two different circuits a Global Reach connection links, both in the model: its own
/// end and its peer's, each with the circuit resource.
pub(crate) struct Linked<'m> {
    pub own: End,
    pub peer: End,
    pub own_circuit: &'m Resource,
    pub peer_circuit: &'m Resource,
}

/// [`ends`], when both are known and name two circuits.
pub(crate) fn linked<'m>(cx: &mut Ctx<'_>, model: &'m Model, res: &Resource) -> Option<Linked<'m>> {
    let [Some(own), Some(peer)] = ends(cx, model, res) else {
        return None;
    };
    if own.circuit == peer.circuit {
        return None;
    }
    Some(Linked {
        own,
        peer,
        own_circuit: model.resources.get(own.circuit)?,
        peer_circuit: model.resources.get(peer.circuit)?,
    })
}

fn end(cx: &mut Ctx<'_>, model: &Model, res: &Resource, attr: &Attr) -> Option<End> {
    let (lookup, target) = cx.get_ref(model, res, attr);
    let at = match lookup {
        Lookup::Known(f) => f.at,
        Lookup::Unknown { at, .. } => at,
        Lookup::Absent { .. } => return None,
    };
    let peering = model.resources.get(target?)?;
    let circuit = match peering.kind {
        Kind::Peering => model.circuit_of(peering)?,
        _ => return None,
    };
    Some(End { circuit, at })
}

/// A Known string attribute of `res` and where a label about it goes: where the value
/// was set (a variable default, a `locals` entry, a parameter), else where it is used.
pub(crate) fn set_str<'r>(res: &'r Resource, attr: &Attr) -> Option<(&'r str, Span)> {
    match res.get(attr) {
        Lookup::Known(f) => f.as_str().map(|s| (s, f.from.unwrap_or(f.at))),
        _ => None,
    }
}

//! Object functions, and `union`/`intersection`, which also take arrays.

use super::{Call, MAX_LIST, OrInvalid, Out, Stop, unknown_at};
use crate::model::{Object, Val, ValKind};
use crate::source::Span;
use std::sync::Arc;

/// `createObject(k1, v1, k2, v2, …)`: Unknown values stay inside; keys must be known.
pub(super) fn create_object(c: &Call, a: &[Val]) -> Out {
    if !a.len().is_multiple_of(2) {
        return c.unknown("`createObject()` needs key/value pairs");
    }
    let mut o = Object::with_capacity(a.len() / 2);
    for pair in a.chunks_exact(2) {
        let [k, v] = pair else { continue };
        match &k.kind {
            ValKind::Str(k) => o.insert(k.clone(), v.clone()),
            ValKind::Unknown(u) => return Err(Stop::Unknown(unknown_at(u, c.span))),
            _ => return c.unknown("`createObject()` keys must be strings"),
        }
    }
    Ok(c.object(o))
}

/// Objects: a deep merge (later values win; nested objects merge, arrays are replaced).
/// Arrays: the distinct elements of all, in order.
pub(super) fn union(c: &Call, a: &[Val]) -> Out {
    if a.is_empty() {
        return Err(Stop::Invalid);
    }
    if a.iter().all(|v| v.as_object().is_some()) {
        let mut acc = Object::new();
        for o in a.iter().filter_map(Val::as_object) {
            merge_into(&mut acc, o);
        }
        return Ok(c.object(acc));
    }
    if a.iter().all(|v| v.as_list().is_some()) {
        let mut out: Vec<Val> = Vec::new();
        for v in a.iter().filter_map(Val::as_list).flatten() {
            if !out.iter().any(|o| o.known_eq(v) == Some(true)) {
                out.push(v.clone());
            }
            if out.len() > MAX_LIST {
                return Err(Stop::Invalid);
            }
        }
        return c.list(out);
    }
    Err(Stop::Invalid)
}

fn merge_into(acc: &mut Object, o: &Object) {
    for (k, v) in o.iter() {
        let merged = match (acc.get(k).and_then(Val::as_object), v.as_object()) {
            (Some(old), Some(new)) => {
                let mut m = old.clone();
                merge_into(&mut m, new);
                Some(Val::object(m, v.span))
            }
            _ => None,
        };
        acc.insert(k, merged.unwrap_or_else(|| v.clone()));
    }
}

/// The elements (or properties with equal values) common to all arguments.
pub(super) fn intersection(c: &Call, a: &[Val]) -> Out {
    let (first, rest) = a.split_first().or_invalid()?;
    if rest.is_empty() {
        return Err(Stop::Invalid);
    }
    if let Some(items) = first.as_list() {
        let others: Vec<&[Val]> = rest
            .iter()
            .map(Val::as_list)
            .collect::<Option<_>>()
            .or_invalid()?;
        return common_elements(c, items, &others);
    }
    let o = first.as_object().or_invalid()?;
    let others: Vec<&Object> = rest
        .iter()
        .map(Val::as_object)
        .collect::<Option<_>>()
        .or_invalid()?;
    let mut out = Object::new();
    for (k, v) in o.iter() {
        let mut all = true;
        for other in &others {
            match other.get(k).map(|x| x.known_eq(v)) {
                Some(Some(true)) => {}
                Some(None) => return c.unknown("a property is not known"),
                _ => all = false,
            }
        }
        if all {
            out.insert(k, v.clone());
        }
    }
    Ok(c.object(out))
}

fn common_elements(c: &Call, items: &[Val], others: &[&[Val]]) -> Out {
    let mut out = Vec::new();
    for v in items {
        let mut all = true;
        for o in others {
            match o.iter().map(|x| x.known_eq(v)).find(|r| *r != Some(false)) {
                Some(Some(true)) => {}
                Some(None) => return c.unknown("an element is not known"),
                _ => all = false,
            }
        }
        if all && !out.iter().any(|x: &Val| x.known_eq(v) == Some(true)) {
            out.push(v.clone());
        }
    }
    Ok(Val::list(out, c.site()))
}

/// `shallowMerge([o1, o2, …])`: top-level properties, later ones win.
pub(super) fn shallow_merge(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    let mut o = Object::new();
    for i in x.as_list().or_invalid()? {
        for (k, v) in i.as_object().or_invalid()?.iter() {
            o.insert(k, v.clone());
        }
    }
    Ok(c.object(o))
}

/// `items(o)`: `[{key, value}]`, sorted by key.
pub(super) fn items(c: &Call, a: &[Val]) -> Out {
    let [o] = a else { return Err(Stop::Invalid) };
    let o = o.as_object().or_invalid()?;
    let mut entries: Vec<(&str, &Val)> = o.iter().collect();
    entries.sort_by(|x, y| x.0.cmp(y.0));
    let sp = c.site();
    let list = entries
        .into_iter()
        .map(|(k, v)| {
            let mut e = Object::with_capacity(2);
            e.push("key", Val::str(k, sp));
            e.push("value", v.clone());
            Val::object(e, sp)
        })
        .collect();
    Ok(Val::list(list, sp))
}

pub(super) fn object_keys(c: &Call, a: &[Val]) -> Out {
    let [o] = a else { return Err(Stop::Invalid) };
    let o = o.as_object().or_invalid()?;
    let keys = o.keys().map(|k| c.text(k)).collect();
    Ok(Val::list(keys, c.site()))
}

/// `tryGet(value, key or index, …)`: null where a key or index does not exist.
pub(super) fn try_get(c: &Call, a: &[Val]) -> Out {
    let (base, keys) = a.split_first().or_invalid()?;
    if keys.is_empty() {
        return Err(Stop::Invalid);
    }
    let mut cur = base.clone();
    for k in keys {
        let next = match (&cur.kind, &k.kind) {
            (ValKind::Object(o), ValKind::Str(k)) => o.get_ci(k).cloned(),
            (ValKind::List(l), ValKind::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
                l.get(*n as usize).cloned()
            }
            (ValKind::Unknown(u), _) => return Err(Stop::Unknown(unknown_at(u, c.span))),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return Ok(c.null()),
        }
    }
    Ok(c.pass(&cur))
}

/// `json(text)`: the value the JSON text holds.
pub(super) fn json(c: &Call, a: &[Val]) -> Out {
    let [s] = a else { return Err(Stop::Invalid) };
    let j: serde_json::Value = s
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .or_invalid()?;
    Ok(from_json(&j, c.site()))
}

pub(super) fn from_json(j: &serde_json::Value, sp: Option<Span>) -> Val {
    match j {
        serde_json::Value::Null => Val::null(sp),
        serde_json::Value::Bool(b) => Val::bool(*b, sp),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(x) => Val::number(x, sp),
            None => Val::unknown("number out of range", sp),
        },
        serde_json::Value::String(s) => Val::str(s.as_str(), sp),
        serde_json::Value::Array(a) => Val::list(a.iter().map(|v| from_json(v, sp)).collect(), sp),
        serde_json::Value::Object(o) => Val::object(
            o.iter()
                .map(|(k, v)| (Arc::from(k.as_str()), from_json(v, sp)))
                .collect(),
            sp,
        ),
    }
}

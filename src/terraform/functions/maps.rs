//! Map and object functions. Objects built here have their keys in lexical order.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::convert::prim_string;
use super::{Call, Out, Stop, fail, null_arg};
use crate::model::{Object, Val, ValKind};

/// Later arguments win; null arguments are skipped. Unknown members stay Unknown.
pub(super) fn merge(c: &Call, args: &[Val]) -> Out {
    let mut merged = BTreeMap::new();
    for arg in args {
        match &arg.kind {
            ValKind::Null => {}
            ValKind::Object(obj) => {
                for (key, val) in obj.iter() {
                    merged.insert(Arc::from(key), val.clone());
                }
            }
            ValKind::Unknown(_) => return Err(c.unknown_stop(arg)),
            _ => {
                return fail(format!(
                    "arguments must be maps or objects, got {:?}",
                    arg.type_name()
                ));
            }
        }
    }
    Ok(c.object(sorted_object(merged)))
}

/// `lookup(map, key)` and `lookup(map, key, default)`. The member is found even when
/// other members are Unknown.
pub(super) fn lookup(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 2, 3)?;
    let map = c.arg(args, 0)?;
    let obj = match &map.kind {
        ValKind::Object(obj) => obj,
        ValKind::Unknown(_) => return Err(c.unknown_stop(map)),
        ValKind::Null => return Err(null_arg("inputMap")),
        _ => return fail("lookup() requires a map as the first argument"),
    };
    let key = c.get_str(c.arg(args, 1)?, "key")?;
    if let Some(val) = obj.get(&key) {
        return Ok(c.pass(val));
    }
    match args.get(2) {
        Some(default) => Ok(c.pass(default)),
        None => fail(format!("lookup failed to find key {key}")),
    }
}

/// The keys in lexical order; known even when values are Unknown.
pub(super) fn keys(c: &Call, args: &[Val]) -> Out {
    let [map] = c.fixed(args)?;
    let obj = map_arg(c, map)?;
    let mut keys: Vec<&str> = obj.keys().collect();
    keys.sort_unstable();
    Ok(c.list(keys.into_iter().map(|k| c.str(k)).collect()))
}

/// The values in the lexical order of their keys.
pub(super) fn values(c: &Call, args: &[Val]) -> Out {
    let [map] = c.fixed(args)?;
    let obj = map_arg(c, map)?;
    let mut entries: Vec<(&str, &Val)> = obj.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    Ok(c.list(entries.into_iter().map(|(_, v)| v.clone()).collect()))
}

fn map_arg<'v>(c: &Call, map: &'v Val) -> Result<&'v Object, Stop> {
    match &map.kind {
        ValKind::Object(obj) => Ok(obj),
        ValKind::Unknown(_) => Err(c.unknown_stop(map)),
        ValKind::Null => Err(null_arg("inputMap")),
        _ => fail("must have map or object type"),
    }
}

/// An object from a list of keys and a list of values; a later duplicate key wins.
pub(super) fn zipmap(c: &Call, args: &[Val]) -> Out {
    let [keys, values] = c.fixed(args)?;
    let key_items = c.get_list(keys, "keys")?;
    let value_items = match &values.kind {
        ValKind::List(items) => items,
        ValKind::Unknown(_) => return Err(c.unknown_stop(values)),
        ValKind::Null => return Err(null_arg("values")),
        _ => return fail("values argument must be a list or tuple value"),
    };
    c.wholly_known(keys)?;
    if key_items.len() != value_items.len() {
        return fail(format!(
            "number of keys ({}) does not match number of values ({})",
            key_items.len(),
            value_items.len()
        ));
    }
    let mut map = BTreeMap::new();
    for (i, (key, val)) in key_items.iter().zip(value_items.iter()).enumerate() {
        if key.is_null() {
            return fail(format!("keys list has null value at index {i}"));
        }
        map.insert(c.get_str(key, "keys")?, val.clone());
    }
    Ok(c.object(sorted_object(map)))
}

/// Swaps keys and values of a map of lists of strings.
pub(super) fn transpose(c: &Call, args: &[Val]) -> Out {
    let [map] = c.fixed(args)?;
    let obj = c.get_object(map, "values")?;
    c.wholly_known(map)?;
    let mut swapped: BTreeMap<Arc<str>, Vec<Arc<str>>> = BTreeMap::new();
    for (key, list) in obj.iter() {
        let Some(items) = list.as_list() else {
            return fail("input must be a map of lists of strings");
        };
        for item in items.iter() {
            let Some(out_key) = prim_string(item) else {
                return fail("input must be a map of lists of strings");
            };
            swapped.entry(out_key).or_default().push(Arc::from(key));
        }
    }
    let lists = swapped.into_iter().map(|(key, mut names)| {
        names.sort();
        let names = names.into_iter().map(|n| c.str(n)).collect();
        (key, c.list(names))
    });
    Ok(c.object(sorted_object(lists.collect())))
}

/// An object whose keys come in the map's (lexical) order.
fn sorted_object(map: BTreeMap<Arc<str>, Val>) -> Object {
    let mut obj = Object::with_capacity(map.len());
    for (key, val) in map {
        obj.push(key, val);
    }
    obj
}

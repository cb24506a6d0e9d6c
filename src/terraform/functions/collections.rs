//! List functions (lists, tuples and sets are all [`ValKind::List`]).

use std::collections::HashSet;

use super::convert::{unify, with_kind};
use super::encoding::write_json;
use super::strings::graphemes;
use super::{Call, Out, Stop, fail, null_arg};
use crate::model::{Val, ValKind};

pub(super) fn concat(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let mut out = Vec::new();
    for seq in args {
        match &seq.kind {
            ValKind::List(items) => out.extend(items.iter().cloned()),
            ValKind::Unknown(_) => return Err(c.unknown_stop(seq)),
            _ => {
                return fail(format!(
                    "all arguments must be lists or tuples; got {}",
                    seq.type_name()
                ));
            }
        }
    }
    Ok(c.list(out))
}

/// The first argument that is neither null nor an empty string (when the arguments are
/// strings). Mixed primitives convert to strings first, like Terraform.
pub(super) fn coalesce(c: &Call, args: &[Val]) -> Out {
    let Some(vals) = unify(args) else {
        return fail("all arguments must have the same type");
    };
    let strings = vals.iter().any(|v| matches!(v.kind, ValKind::Str(_)));
    for v in &vals {
        if v.is_null() || (strings && v.as_str() == Some("")) {
            continue;
        }
        // An Unknown comes back as it is: unless it turns out null or empty, it is the
        // result.
        return Ok(c.pass(v));
    }
    fail("no non-null, non-empty-string arguments")
}

/// The first non-empty list.
pub(super) fn coalescelist(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let all_known = args.iter().all(|a| !a.is_unknown());
    let not_list = |a: &Val| !a.is_null() && a.as_list().is_none();
    if all_known && args.iter().any(not_list) {
        return fail("coalescelist arguments must be lists or tuples");
    }
    for arg in args {
        match &arg.kind {
            ValKind::Unknown(_) => return Err(c.unknown_stop(arg)),
            ValKind::List(items) if !items.is_empty() => return Ok(c.pass(arg)),
            _ => {}
        }
    }
    fail("no non-null arguments")
}

/// Removes null and empty-string elements from a list of strings.
pub(super) fn compact(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    let items = c.get_list(list, "list")?;
    c.wholly_known(list)?;
    let mut out = Vec::new();
    for el in items.iter().filter(|el| !el.is_null()) {
        let s = c.get_str(el, "list")?;
        if !s.is_empty() {
            out.push(with_kind(el, ValKind::Str(s)));
        }
    }
    Ok(c.list(out))
}

/// `element(list, index)`: the index wraps around; a negative index is an error.
pub(super) fn element(c: &Call, args: &[Val]) -> Out {
    let [list, index] = c.fixed(args)?;
    let index = c.get_int(index, "index")?;
    let Ok(index) = u64::try_from(index) else {
        return fail("cannot use element function with a negative index");
    };
    let items = match &list.kind {
        ValKind::List(items) => items,
        // `element(azurerm_x.main[*].name, 0)`: the first instance's, whatever their
        // number, so the result still names the resource (as `one()` does). Another
        // index wraps around a number of instances that is not known here.
        ValKind::Unknown(u) if index == 0 && u.refers_to.is_some() => return Ok(c.pass(list)),
        ValKind::Unknown(_) => return Err(c.unknown_stop(list)),
        ValKind::Null => return Err(null_arg("list")),
        _ => return fail(format!("cannot read elements from {}", list.type_name())),
    };
    if items.is_empty() {
        return fail("cannot use element function with an empty list");
    }
    let len = u64::try_from(items.len()).unwrap_or(u64::MAX);
    let i = usize::try_from(index % len).unwrap_or(0);
    match items.get(i) {
        Some(el) => Ok(c.pass(el)),
        None => fail("cannot use element function with an empty list"),
    }
}

/// Characters of a string, elements of a list, attributes of an object. A list with
/// Unknown elements still has a known length.
pub(super) fn length(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    let n = match &v.kind {
        ValKind::Str(s) => graphemes(s).len(),
        ValKind::List(items) => items.len(),
        ValKind::Object(obj) => obj.len(),
        ValKind::Unknown(_) => return Err(c.unknown_stop(v)),
        ValKind::Null => return Err(null_arg("value")),
        _ => return fail("argument must be a string, a collection type, or a structural type"),
    };
    Ok(c.num(n as f64))
}

/// True when a Known element equals `value`; Unknown when no Known element does but an
/// Unknown one might.
pub(super) fn contains(c: &Call, args: &[Val]) -> Out {
    let [list, value] = c.fixed(args)?;
    let items = match &list.kind {
        ValKind::List(items) => items,
        ValKind::Unknown(_) => return Err(c.unknown_stop(list)),
        ValKind::Null => return fail("cannot search a nil list or set"),
        _ => return fail("argument must be list, tuple, or set"),
    };
    if items.is_empty() {
        return Ok(c.bool(false));
    }
    if value.is_unknown() {
        return Err(c.unknown_stop(value));
    }
    let mut undecided = None;
    for el in items.iter() {
        match value.known_eq(el) {
            Some(true) => return Ok(c.bool(true)),
            Some(false) => {}
            None => undecided = undecided.or(Some(el)),
        }
    }
    match undecided {
        Some(el) => Err(c.unknown_stop(unknown_side(el, value))),
        None => Ok(c.bool(false)),
    }
}

/// Of two values compared, the one holding the Unknown (for the reason).
fn unknown_side<'v>(a: &'v Val, b: &'v Val) -> &'v Val {
    if a.is_wholly_known() { b } else { a }
}

/// Flattens nested lists. An Unknown element could itself be a list, so it makes the
/// whole result Unknown (as an Unknown of unknown type does in Terraform); objects with
/// Unknown members are kept.
pub(super) fn flatten(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    let items = match &list.kind {
        ValKind::List(items) => items,
        ValKind::Unknown(_) => return Err(c.unknown_stop(list)),
        _ => return fail("can only flatten lists, sets and tuples"),
    };
    let mut out = Vec::new();
    flatten_into(c, items, &mut out)?;
    Ok(c.list(out))
}

fn flatten_into(c: &Call, items: &[Val], out: &mut Vec<Val>) -> Result<(), Stop> {
    for el in items {
        match &el.kind {
            ValKind::List(inner) => flatten_into(c, inner, out)?,
            ValKind::Unknown(_) => return Err(c.unknown_stop(el)),
            _ => out.push(el.clone()),
        }
    }
    Ok(())
}

/// Removes duplicates, keeping the first of each.
pub(super) fn distinct(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    let items = c.get_list(list, "list")?;
    c.wholly_known(list)?;
    let Some(items) = unify(items) else {
        return fail("all list elements must have the same type");
    };
    Ok(c.list(distinct_values(&items)))
}

/// The first of each group of equal (wholly known) values, in order.
pub(super) fn distinct_values(items: &[Val]) -> Vec<Val> {
    let mut seen = HashSet::new();
    items
        .iter()
        .filter(|el| seen.insert(identity(el)))
        .cloned()
        .collect()
}

/// A key equal for equal wholly known values (and different across types): their JSON
/// with object keys sorted.
pub(super) fn identity(v: &Val) -> String {
    let mut key = String::new();
    write_json(&mut key, v);
    key
}

pub(super) fn slice(c: &Call, args: &[Val]) -> Out {
    let [list, start, end] = c.fixed(args)?;
    let start = c.get_int(start, "start_index")?;
    let end = c.get_int(end, "end_index")?;
    let items = match &list.kind {
        ValKind::List(items) => items,
        ValKind::Unknown(_) => return Err(c.unknown_stop(list)),
        ValKind::Null => return Err(null_arg("list")),
        _ => return fail("must be a list or tuple value"),
    };
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    if start < 0 {
        return fail("start index must not be less than zero");
    }
    if start > len {
        return fail("start index must not be greater than the length of the list");
    }
    if end < 0 {
        return fail("end index must not be less than zero");
    }
    if end > len {
        return fail("end index must not be greater than the length of the list");
    }
    if start > end {
        return fail("start index must not be greater than end index");
    }
    let range = usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0);
    Ok(c.list(items.get(range).unwrap_or_default().to_vec()))
}

pub(super) fn reverse(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    match &list.kind {
        ValKind::List(items) => Ok(c.list(items.iter().rev().cloned().collect())),
        ValKind::Unknown(_) => Err(c.unknown_stop(list)),
        _ => fail(format!(
            "can only reverse list or tuple values, not {}",
            list.type_name()
        )),
    }
}

/// Sorts strings lexically (numbers are converted to strings first).
pub(super) fn sort(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    let items = c.get_list(list, "list")?;
    c.wholly_known(list)?;
    let mut keyed = Vec::with_capacity(items.len());
    for (i, el) in items.iter().enumerate() {
        if el.is_null() {
            return fail(format!(
                "given list element {i} is null; a null string cannot be sorted"
            ));
        }
        let s = c.get_str(el, "list")?;
        keyed.push(with_kind(el, ValKind::Str(s)));
    }
    keyed.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    Ok(c.list(keyed))
}

/// The index of the first element equal to `value`.
pub(super) fn index(c: &Call, args: &[Val]) -> Out {
    let [list, value] = c.fixed(args)?;
    let items = match &list.kind {
        ValKind::List(items) => items,
        ValKind::Unknown(_) => return Err(c.unknown_stop(list)),
        _ => return fail("argument must be a list or tuple"),
    };
    if value.is_unknown() {
        return Err(c.unknown_stop(value));
    }
    if items.is_empty() {
        return fail("cannot search an empty list");
    }
    for (i, el) in items.iter().enumerate() {
        match el.known_eq(value) {
            Some(true) => return Ok(c.num(i as f64)),
            Some(false) => {}
            None => return Err(c.unknown_stop(unknown_side(el, value))),
        }
    }
    fail("item not found")
}

/// Null for an empty list, the element of a one-element list, else an error.
pub(super) fn one(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    match &list.kind {
        ValKind::List(items) => match &**items {
            [] => Ok(c.null()),
            [el] => Ok(c.pass(el)),
            _ => fail("must be a list, set, or tuple value with either zero or one elements"),
        },
        // `one(azurerm_x.main[*].name)`, the idiom for an optional resource: its one
        // element, if any, is that resource's, so the result still names it (a peering
        // written so is linked to its circuit).
        ValKind::Unknown(u) if u.refers_to.is_some() => Ok(c.pass(list)),
        ValKind::Unknown(_) => Err(c.unknown_stop(list)),
        ValKind::Null => Err(null_arg("list")),
        _ => fail("must be a list, set, or tuple value with either zero or one elements"),
    }
}

/// Splits a list into chunks of `size` (0: one chunk holding the whole list).
pub(super) fn chunklist(c: &Call, args: &[Val]) -> Out {
    let [list, size] = c.fixed(args)?;
    let size = c.get_int(size, "size")?;
    let Ok(size) = usize::try_from(size) else {
        return fail("the size argument must be positive");
    };
    let items = c.get_list(list, "list")?;
    let Some(items) = unify(items) else {
        return fail("all list elements must have the same type");
    };
    if items.is_empty() {
        return Ok(c.list(Vec::new()));
    }
    if size == 0 {
        return Ok(c.list(vec![with_kind(list, ValKind::List(items.into()))]));
    }
    let chunks = items.chunks(size).map(|chunk| c.list(chunk.to_vec()));
    Ok(c.list(chunks.collect()))
}

/// True when every element is true (an empty list too). A null element is false.
pub(super) fn alltrue(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    for el in c.get_list(list, "list")? {
        if el.is_null() {
            return Ok(c.bool(false));
        }
        if !c.get_bool(el, "list")? {
            return Ok(c.bool(false));
        }
    }
    Ok(c.bool(true))
}

/// True when any element is true; Unknown when none is but an Unknown one might be.
pub(super) fn anytrue(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    let mut undecided = None;
    for el in c.get_list(list, "list")? {
        if el.is_unknown() {
            undecided = undecided.or(Some(el));
            continue;
        }
        if !el.is_null() && c.get_bool(el, "list")? {
            return Ok(c.bool(true));
        }
    }
    match undecided {
        Some(el) => Err(c.unknown_stop(el)),
        None => Ok(c.bool(false)),
    }
}

/// The elements of `values` whose key (at the same index in `keys`) is in `searchset`.
pub(super) fn matchkeys(c: &Call, args: &[Val]) -> Out {
    let [values, keys, searchset] = c.fixed(args)?;
    let vals = c.get_list(values, "values")?;
    let key_items = c.get_list(keys, "keys")?;
    let search_items = c.get_list(searchset, "searchset")?;
    if vals.len() != key_items.len() {
        return fail("length of keys and values should be equal");
    }
    if search_items.is_empty() {
        return Ok(c.list(Vec::new()));
    }
    c.wholly_known(values)?;
    c.wholly_known(keys)?;
    let Some(vals) = unify(vals) else {
        return fail("all list elements must have the same type");
    };
    let both = [key_items, search_items].concat();
    let Some(both) = unify(&both) else {
        return fail("keys and searchset must be of the same type");
    };
    let (key_items, search_items) = both.split_at(key_items.len());
    let mut out = Vec::new();
    for (key, val) in key_items.iter().zip(vals.iter()) {
        for search in search_items {
            match key.known_eq(search) {
                Some(true) => {
                    out.push(val.clone());
                    break;
                }
                Some(false) => {}
                None => return Err(c.unknown_stop(search)),
            }
        }
    }
    Ok(c.list(out))
}

/// `sensitive()` is the identity for erlint.
pub(super) fn sensitive(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    Ok(c.pass(v))
}

/// `nonsensitive()` is the identity for erlint.
pub(super) fn nonsensitive(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    Ok(c.pass(v))
}

//! Array functions. Several also take a string as a sequence of characters: .NET strings
//! are UTF-16, so lengths and positions count UTF-16 units.

use super::super::format::{to_text, utf16_len, utf16_slice};
use super::{Call, MAX_LIST, MAX_STR, OrInvalid, Out, Stop, int};
use crate::model::{Val, ValKind};

/// `createArray(a, b, …)`: Unknown arguments become Unknown elements.
pub(super) fn create_array(c: &Call, a: &[Val]) -> Out {
    Ok(Val::list(a.to_vec(), c.site()))
}

/// `array(x)`: a list (or Unknown) as it is, anything else as a one-element list.
pub(super) fn array(c: &Call, a: &[Val]) -> Out {
    match a.first() {
        Some(v) if matches!(v.kind, ValKind::List(_)) => Ok(c.pass(v)),
        Some(Val {
            kind: ValKind::Unknown(u),
            ..
        }) => Ok(super::unknown_at(u, c.span)),
        Some(v) => Ok(Val::list(vec![v.clone()], c.site())),
        None => c.unknown("`array()` takes one argument"),
    }
}

/// Arrays concatenated, or strings (numbers and booleans as text), never a mix.
pub(super) fn concat(c: &Call, a: &[Val]) -> Out {
    if a.is_empty() {
        return Err(Stop::Invalid);
    }
    if a.iter().all(|v| matches!(v.kind, ValKind::List(_))) {
        let total: usize = a.iter().filter_map(Val::as_list).map(<[Val]>::len).sum();
        if total > MAX_LIST {
            return Err(Stop::Invalid);
        }
        let mut out = Vec::with_capacity(total);
        for l in a.iter().filter_map(Val::as_list) {
            out.extend(l.iter().cloned());
        }
        return c.list(out);
    }
    let mut s = String::new();
    for v in a {
        match &v.kind {
            ValKind::Str(_) | ValKind::Number(_) | ValKind::Bool(_) => {
                s.push_str(&to_text(v).or_invalid()?);
            }
            _ => return Err(Stop::Invalid),
        }
        if s.len() > MAX_STR {
            return Err(Stop::Invalid);
        }
    }
    Ok(c.text(s))
}

pub(super) fn first(c: &Call, a: &[Val]) -> Out {
    end(c, a, true)
}

pub(super) fn last(c: &Call, a: &[Val]) -> Out {
    end(c, a, false)
}

/// The first or last element (null for an empty array), or character.
fn end(c: &Call, a: &[Val], first: bool) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    match &x.kind {
        ValKind::List(items) => {
            let item = if first { items.first() } else { items.last() };
            Ok(item.map(|v| c.pass(v)).unwrap_or_else(|| c.null()))
        }
        ValKind::Str(s) => {
            let ch = if first {
                s.chars().next()
            } else {
                s.chars().last()
            };
            Ok(c.text(ch.map(String::from).unwrap_or_default()))
        }
        _ => Err(Stop::Invalid),
    }
}

pub(super) fn take(c: &Call, a: &[Val]) -> Out {
    take_or_skip(c, a, true)
}

pub(super) fn skip(c: &Call, a: &[Val]) -> Out {
    take_or_skip(c, a, false)
}

/// The first `n` elements or characters, or all after them. `n` below 0 counts as 0,
/// beyond the end as the length.
fn take_or_skip(c: &Call, a: &[Val], take: bool) -> Out {
    let [x, n] = a else { return Err(Stop::Invalid) };
    let n = int(n).or_invalid()?.max(0) as usize;
    match &x.kind {
        ValKind::List(items) => {
            let n = n.min(items.len());
            let part = if take { items.get(..n) } else { items.get(n..) };
            part.map(|p| Val::list(p.to_vec(), c.site())).or_invalid()
        }
        ValKind::Str(s) => {
            let len = utf16_len(s);
            let n = n.min(len);
            let (from, to) = if take { (0, n) } else { (n, len) };
            utf16_slice(s, from, to).map(|t| c.text(t)).or_invalid()
        }
        _ => Err(Stop::Invalid),
    }
}

/// `contains(container, item)`: a substring (case-sensitive), an element (deep equality),
/// or an object key (case-insensitive).
pub(super) fn contains(c: &Call, a: &[Val]) -> Out {
    let [container, item] = a else {
        return Err(Stop::Invalid);
    };
    match &container.kind {
        ValKind::Str(s) => {
            let needle = match &item.kind {
                ValKind::Str(_) | ValKind::Number(_) => to_text(item).or_invalid()?,
                _ => return Err(Stop::Invalid),
            };
            Ok(c.bool(s.contains(needle.as_str())))
        }
        ValKind::List(items) => {
            let mut unknown = false;
            for i in items.iter() {
                match i.known_eq(item) {
                    Some(true) => return Ok(c.bool(true)),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            if unknown {
                // Some element cannot be compared: the Unknown inside says why.
                c.wholly_known(a)?;
                return Err(Stop::Invalid);
            }
            Ok(c.bool(false))
        }
        ValKind::Object(o) => {
            let k = item.as_str().or_invalid()?;
            Ok(c.bool(o.get_ci(k).is_some()))
        }
        _ => Err(Stop::Invalid),
    }
}

pub(super) fn empty(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    let empty = match &x.kind {
        ValKind::Null => true,
        ValKind::Str(s) => s.is_empty(),
        ValKind::List(l) => l.is_empty(),
        ValKind::Object(o) => o.is_empty(),
        _ => return Err(Stop::Invalid),
    };
    Ok(c.bool(empty))
}

/// Elements, properties, or UTF-16 units of a string.
pub(super) fn length(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    let n = match &x.kind {
        ValKind::Str(s) => utf16_len(s),
        ValKind::List(l) => l.len(),
        ValKind::Object(o) => o.len(),
        _ => return Err(Stop::Invalid),
    };
    Ok(c.number(n as f64))
}

/// `range(start, count)`: `count` integers from `start`. Documented limits: a count up
/// to 10000, and `start + count` no greater than 2147483647.
pub(super) fn range(c: &Call, a: &[Val]) -> Out {
    let [start, count] = a else {
        return Err(Stop::Invalid);
    };
    match (int(start), int(count)) {
        (Some(s), Some(n))
            if (0..=10_000).contains(&n)
                && s >= i64::from(i32::MIN)
                && s + n <= i64::from(i32::MAX) =>
        {
            let items = (0..n).map(|i| c.number((s + i) as f64)).collect();
            c.list(items)
        }
        _ => Err(Stop::Invalid),
    }
}

/// `flatten([[…], […]])`: the elements of the sub-arrays, one level only.
pub(super) fn flatten(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    let mut out = Vec::new();
    for sub in x.as_list().or_invalid()? {
        match &sub.kind {
            ValKind::List(items) => out.extend(items.iter().cloned()),
            ValKind::Unknown(_) => {
                return c.unknown("an element of `flatten()`'s array is not known");
            }
            _ => return Err(Stop::Invalid),
        }
        if out.len() > MAX_LIST {
            return Err(Stop::Invalid);
        }
    }
    c.list(out)
}

/// `indexFromEnd(array, n)`: element `n` counted from the end, from 1 (Bicep's `a[^n]`).
pub(super) fn index_from_end(c: &Call, a: &[Val]) -> Out {
    from_end(a)?.map(|v| c.pass(v)).or_invalid()
}

/// `tryIndexFromEnd(array, n)`: the same, null when there is no such element.
pub(super) fn try_index_from_end(c: &Call, a: &[Val]) -> Out {
    Ok(from_end(a)?.map_or_else(|| c.null(), |v| c.pass(v)))
}

fn from_end(a: &[Val]) -> Result<Option<&Val>, Stop> {
    let [x, n] = a else { return Err(Stop::Invalid) };
    let (items, n) = (x.as_list().or_invalid()?, int(n).or_invalid()?);
    let i = usize::try_from(n).ok().filter(|n| *n >= 1);
    Ok(i.and_then(|i| items.len().checked_sub(i))
        .and_then(|i| items.get(i)))
}

/// The position of `item` in `items` by deep equality (strings case-sensitive), or -1.
/// An element that cannot be compared before the match makes it Unknown.
pub(super) fn element_position(c: &Call, items: &[Val], item: &Val, last: bool) -> Out {
    let order: Box<dyn Iterator<Item = (usize, &Val)>> = if last {
        Box::new(items.iter().enumerate().rev())
    } else {
        Box::new(items.iter().enumerate())
    };
    for (i, v) in order {
        match v.known_eq(item) {
            Some(true) => return Ok(c.number(i as f64)),
            Some(false) => {}
            None => {
                c.wholly_known(std::slice::from_ref(v))?;
                c.wholly_known(std::slice::from_ref(item))?;
                return Err(Stop::Invalid);
            }
        }
    }
    Ok(c.number(-1.0))
}

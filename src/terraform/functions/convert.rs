//! Type conversion: `tostring`, `tonumber`, `tobool`, `tolist`, `tomap`, and the
//! primitive conversions and type unification the other functions share.

use std::sync::Arc;

use super::{Call, Out, bool_str, fail};
use crate::model::value::format_number;
use crate::model::{Object, Val, ValKind};

pub(super) fn tostring(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    match &v.kind {
        ValKind::Str(_) | ValKind::Null | ValKind::Unknown(_) => Ok(c.pass(v)),
        ValKind::Number(n) => Ok(c.str(format_number(*n))),
        ValKind::Bool(b) => Ok(c.str(bool_str(*b))),
        ValKind::List(_) | ValKind::Object(_) => cannot_convert(v, "string"),
    }
}

pub(super) fn tonumber(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    match &v.kind {
        ValKind::Number(_) | ValKind::Null | ValKind::Unknown(_) => Ok(c.pass(v)),
        ValKind::Str(s) => match parse_number(s) {
            Some(n) => Ok(c.num(n)),
            None => fail(format!(
                "cannot convert {s:?} to number; given string must be a decimal representation of a number"
            )),
        },
        _ => cannot_convert(v, "number"),
    }
}

pub(super) fn tobool(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    match &v.kind {
        ValKind::Bool(_) | ValKind::Null | ValKind::Unknown(_) => Ok(c.pass(v)),
        ValKind::Str(s) => match parse_bool(s) {
            Some(b) => Ok(c.bool(b)),
            None => fail(format!(
                "cannot convert {s:?} to bool; only the strings \"true\" or \"false\" are allowed"
            )),
        },
        _ => cannot_convert(v, "bool"),
    }
}

/// Elements converted to one type; the list itself passes through.
pub(super) fn tolist(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    match &v.kind {
        ValKind::List(items) => match unify(items) {
            Some(items) => Ok(with_kind(v, ValKind::List(items.into())).resited(c.site)),
            None => cannot_convert(v, "list of any single type"),
        },
        ValKind::Null | ValKind::Unknown(_) => Ok(c.pass(v)),
        _ => cannot_convert(v, "list of any single type"),
    }
}

/// Values converted to one type, keys in lexical order; the object itself passes through.
pub(super) fn tomap(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    match &v.kind {
        ValKind::Object(obj) => {
            let values: Vec<Val> = obj.values().cloned().collect();
            let Some(values) = unify(&values) else {
                return cannot_convert(v, "map of any single type");
            };
            let mut map = Object::with_capacity(obj.len());
            for (key, value) in obj.keys().zip(values) {
                map.push(key, value);
            }
            map.sort_keys();
            Ok(with_kind(v, ValKind::Object(Arc::new(map))).resited(c.site))
        }
        ValKind::Null | ValKind::Unknown(_) => Ok(c.pass(v)),
        _ => cannot_convert(v, "map of any single type"),
    }
}

fn cannot_convert(v: &Val, to: &str) -> Out {
    fail(format!("cannot convert {} to {to}", v.type_name()))
}

/// The same value (span and origin) with another kind: a conversion of what was written.
pub(super) fn with_kind(v: &Val, kind: ValKind) -> Val {
    Val {
        kind,
        span: v.span,
        origin: v.origin,
        external: v.external,
    }
}

/// A primitive converted to a string, as Terraform converts it (`5` → `"5"`).
pub(super) fn prim_string(v: &Val) -> Option<Arc<str>> {
    match &v.kind {
        ValKind::Str(s) => Some(s.clone()),
        ValKind::Number(n) => Some(format_number(*n).into()),
        ValKind::Bool(b) => Some(bool_str(*b).into()),
        _ => None,
    }
}

/// A primitive converted to a number (`"5"` → `5`).
pub(super) fn prim_number(v: &Val) -> Option<f64> {
    match &v.kind {
        ValKind::Number(n) => Some(*n),
        ValKind::Str(s) => parse_number(s),
        _ => None,
    }
}

/// A primitive converted to a bool (`"true"` → `true`).
pub(super) fn prim_bool(v: &Val) -> Option<bool> {
    match &v.kind {
        ValKind::Bool(b) => Some(*b),
        ValKind::Str(s) => parse_bool(s),
        _ => None,
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Terraform's string-to-number conversion (one definition, in the model).
pub(super) use crate::model::value::parse_number;

/// Convert values to the one type Terraform would choose for a list of them: strings
/// absorb numbers and bools (`["a", 1]` → `["a", "1"]`). `None` when there is no common
/// type (a number and a bool, a primitive and a collection, a list and an object). Null and
/// Unknown fit any type. Spans are kept.
pub(super) fn unify(vals: &[Val]) -> Option<Vec<Val>> {
    let has = |pred: fn(&ValKind) -> bool| vals.iter().any(|v| pred(&v.kind));
    let strs = has(|k| matches!(k, ValKind::Str(_)));
    let nums = has(|k| matches!(k, ValKind::Number(_)));
    let bools = has(|k| matches!(k, ValKind::Bool(_)));
    let lists = has(|k| matches!(k, ValKind::List(_)));
    let objects = has(|k| matches!(k, ValKind::Object(_)));
    let prims = strs || nums || bools;
    if (prims && (lists || objects)) || (lists && objects) || (!strs && nums && bools) {
        return None;
    }
    if strs && (nums || bools) {
        return Some(vals.iter().map(to_string_kind).collect());
    }
    Some(vals.to_vec())
}

fn to_string_kind(v: &Val) -> Val {
    match (&v.kind, prim_string(v)) {
        (ValKind::Number(_) | ValKind::Bool(_), Some(s)) => with_kind(v, ValKind::Str(s)),
        _ => v.clone(),
    }
}

//! Comparison and logical functions. (`if` and `coalesce`, which leave arguments
//! unevaluated, are in `special.rs`.)

use super::{Call, OrInvalid, Out, Stop};
use crate::model::{Val, ValKind};
use std::cmp::Ordering;

pub(super) fn r#true(c: &Call, _: &[Val]) -> Out {
    Ok(c.bool(true))
}

pub(super) fn r#false(c: &Call, _: &[Val]) -> Out {
    Ok(c.bool(false))
}

pub(super) fn null(c: &Call, _: &[Val]) -> Out {
    Ok(c.null())
}

pub(super) fn and(c: &Call, a: &[Val]) -> Out {
    logic(c, a, true)
}

pub(super) fn or(c: &Call, a: &[Val]) -> Out {
    logic(c, a, false)
}

/// `and`/`or` of two or more booleans. A known argument that decides the result decides
/// it even when another argument is Unknown (`and(false, x)` is false).
fn logic(c: &Call, a: &[Val], and: bool) -> Out {
    let needs = || c.unknown(format!("`{}()` needs two or more booleans", c.name));
    if a.len() < 2 {
        return needs();
    }
    let mut unknown = false;
    for v in a {
        match v.as_bool() {
            Some(b) if b != and => return Ok(c.bool(!and)),
            Some(_) => {}
            None if v.is_unknown() => unknown = true,
            None => return needs(),
        }
    }
    if unknown {
        return c.unknown("a condition is not known");
    }
    Ok(c.bool(and))
}

pub(super) fn not(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    Ok(c.bool(!x.as_bool().or_invalid()?))
}

/// `bool(x)`: a boolean, the strings `true`/`false` (any case), or a number (non-zero is
/// true).
pub(super) fn bool(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    let b = match &x.kind {
        ValKind::Bool(b) => *b,
        ValKind::Str(s) if s.eq_ignore_ascii_case("true") => true,
        ValKind::Str(s) if s.eq_ignore_ascii_case("false") => false,
        ValKind::Number(n) => *n != 0.0,
        _ => return Err(Stop::Invalid),
    };
    Ok(c.bool(b))
}

/// Deep equality; strings compare case-sensitively.
pub(super) fn equals(c: &Call, a: &[Val]) -> Out {
    let [x, y] = a else { return Err(Stop::Invalid) };
    match x.known_eq(y) {
        Some(b) => Ok(c.bool(b)),
        None => {
            c.wholly_known(a)?;
            c.unknown("a compared value is not known")
        }
    }
}

pub(super) fn greater(c: &Call, a: &[Val]) -> Out {
    compare(c, a, |o| o == Ordering::Greater)
}

pub(super) fn less(c: &Call, a: &[Val]) -> Out {
    compare(c, a, |o| o == Ordering::Less)
}

pub(super) fn greater_or_equals(c: &Call, a: &[Val]) -> Out {
    compare(c, a, |o| o != Ordering::Less)
}

pub(super) fn less_or_equals(c: &Call, a: &[Val]) -> Out {
    compare(c, a, |o| o != Ordering::Greater)
}

/// Two numbers, or two strings in ordinal order (`less('A', 'a')` is true).
fn compare(c: &Call, a: &[Val], holds: fn(Ordering) -> bool) -> Out {
    let [x, y] = a else { return Err(Stop::Invalid) };
    let ord = match (&x.kind, &y.kind) {
        (ValKind::Number(p), ValKind::Number(q)) => p.partial_cmp(q),
        (ValKind::Str(p), ValKind::Str(q)) => Some(p.cmp(q)),
        _ => None,
    };
    Ok(c.bool(holds(ord.or_invalid()?)))
}

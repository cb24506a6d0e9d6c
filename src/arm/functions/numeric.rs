//! Numeric functions. ARM's arithmetic is on 64-bit integers; a result that overflows is
//! an error (Unknown), as is a division by zero.

use super::{Call, OrInvalid, Out, Stop, int};
use crate::model::{Val, ValKind};

/// `int(x)`: a number truncated, or a string holding an integer.
pub(super) fn int_of(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    match &x.kind {
        ValKind::Number(n) if n.abs() < 9.0e15 => Ok(c.number(n.trunc())),
        ValKind::Str(s) => c.int(s.trim().parse::<i64>().ok().or_invalid()?),
        _ => Err(Stop::Invalid),
    }
}

pub(super) fn add(c: &Call, a: &[Val]) -> Out {
    arithmetic(c, a, i64::checked_add)
}

pub(super) fn sub(c: &Call, a: &[Val]) -> Out {
    arithmetic(c, a, i64::checked_sub)
}

pub(super) fn mul(c: &Call, a: &[Val]) -> Out {
    arithmetic(c, a, i64::checked_mul)
}

/// Integer division, truncated toward zero (like .NET).
pub(super) fn div(c: &Call, a: &[Val]) -> Out {
    arithmetic(c, a, i64::checked_div)
}

/// The remainder, with the sign of the dividend (like .NET's `%`).
pub(super) fn rem(c: &Call, a: &[Val]) -> Out {
    arithmetic(c, a, i64::checked_rem)
}

fn arithmetic(c: &Call, a: &[Val], op: fn(i64, i64) -> Option<i64>) -> Out {
    let [x, y] = a else { return Err(Stop::Invalid) };
    let (p, q) = (int(x).or_invalid()?, int(y).or_invalid()?);
    c.int(op(p, q).or_invalid()?)
}

pub(super) fn min(c: &Call, a: &[Val]) -> Out {
    extreme(c, a, Iterator::min)
}

pub(super) fn max(c: &Call, a: &[Val]) -> Out {
    extreme(c, a, Iterator::max)
}

/// `min`/`max` of integers given as arguments or as one array.
fn extreme(c: &Call, a: &[Val], pick: fn(std::vec::IntoIter<i64>) -> Option<i64>) -> Out {
    let items = match a {
        [l] if l.as_list().is_some() => l.as_list().unwrap_or_default(),
        _ => a,
    };
    c.wholly_known(items)?;
    let ints = items
        .iter()
        .map(int)
        .collect::<Option<Vec<i64>>>()
        .or_invalid()?;
    c.int(pick(ints.into_iter()).or_invalid()?)
}

/// `float(x)`: a number, or a string holding a decimal number (`'2.5'`, `'1e3'`).
pub(super) fn float(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    match &x.kind {
        ValKind::Number(n) => Ok(c.number(*n)),
        ValKind::Str(s) => {
            let t = s.trim();
            // Rust also reads `inf` and `NaN`; .NET's invariant culture spells them
            // differently, and they are no value a template means.
            let decimal = t
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
            let n = t.parse::<f64>().ok().filter(|n| decimal && n.is_finite());
            Ok(c.number(n.or_invalid()?))
        }
        _ => Err(Stop::Invalid),
    }
}

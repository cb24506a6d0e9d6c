//! Number functions.

use super::convert::prim_number;
use super::{Call, Out, Stop, fail, invalid, null_arg};
use crate::model::{Val, ValKind};

/// Terraform's limit on the length of a `range()` result.
const RANGE_LIMIT: usize = 1024;

pub(super) fn min(c: &Call, args: &[Val]) -> Out {
    let nums = numbers(c, args)?;
    Ok(c.num(nums.into_iter().fold(f64::INFINITY, f64::min)))
}

pub(super) fn max(c: &Call, args: &[Val]) -> Out {
    let nums = numbers(c, args)?;
    Ok(c.num(nums.into_iter().fold(f64::NEG_INFINITY, f64::max)))
}

fn numbers(c: &Call, args: &[Val]) -> Result<Vec<f64>, Stop> {
    if args.is_empty() {
        return fail("must pass at least one number");
    }
    args.iter().map(|a| c.get_num(a, "numbers")).collect()
}

pub(super) fn abs(c: &Call, args: &[Val]) -> Out {
    let [n] = c.fixed(args)?;
    Ok(c.num(c.get_num(n, "num")?.abs()))
}

pub(super) fn ceil(c: &Call, args: &[Val]) -> Out {
    let [n] = c.fixed(args)?;
    Ok(c.num(c.get_num(n, "num")?.ceil()))
}

pub(super) fn floor(c: &Call, args: &[Val]) -> Out {
    let [n] = c.fixed(args)?;
    Ok(c.num(c.get_num(n, "num")?.floor()))
}

/// `pow(num, power)`: a result too large to be a number (`pow(10, 400)`) is an error.
pub(super) fn pow(c: &Call, args: &[Val]) -> Out {
    let [num, power] = c.fixed(args)?;
    let (num, power) = (c.get_num(num, "num")?, c.get_num(power, "power")?);
    finite(c, num.powf(power))
}

/// `log(num, base)`: the logarithm of `num` in `base`.
pub(super) fn log(c: &Call, args: &[Val]) -> Out {
    let [num, base] = c.fixed(args)?;
    let (num, base) = (c.get_num(num, "num")?, c.get_num(base, "base")?);
    finite(c, num.ln() / base.ln())
}

/// A result that is a number: infinities and NaN (`log(0, 10)`, `pow(0, -1)`) are not
/// numbers erlint reasons about.
fn finite(c: &Call, n: f64) -> Out {
    if n.is_finite() {
        Ok(c.num(n))
    } else {
        fail("the result is not a finite number")
    }
}

/// -1, 0 or 1.
pub(super) fn signum(c: &Call, args: &[Val]) -> Out {
    let [n] = c.fixed(args)?;
    let n = c.get_num(n, "num")?;
    let sign = if n > 0.0 {
        1.0
    } else if n < 0.0 {
        -1.0
    } else {
        0.0
    };
    Ok(c.num(sign))
}

/// `parseint(string, base)`, base 2 to 62 (digits, then `a`–`z`, then `A`–`Z` above 36).
pub(super) fn parseint(c: &Call, args: &[Val]) -> Out {
    let [number, base] = c.fixed(args)?;
    let s = match &number.kind {
        ValKind::Str(s) => s.clone(),
        ValKind::Unknown(_) => return Err(c.unknown_stop(number)),
        ValKind::Null => return Err(null_arg("number")),
        _ => {
            let msg = format!(
                "first argument must be a string, not {}",
                number.type_name()
            );
            return Err(invalid("number", &msg));
        }
    };
    let base = c.get_int(base, "base")?;
    let Some(base) = u32::try_from(base).ok().filter(|b| (2..=62).contains(b)) else {
        return Err(invalid(
            "base",
            "base must be a whole number between 2 and 62 inclusive",
        ));
    };
    match parse_int(&s, base) {
        Some(n) => Ok(c.num(n)),
        None => fail(format!("cannot parse {s:?} as a base {base} integer")),
    }
}

fn parse_int(s: &str, base: u32) -> Option<f64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() {
        return None;
    }
    let mut exact: Option<u128> = Some(0);
    let mut approx = 0.0;
    for ch in digits.chars() {
        let d = digit_value(ch, base)?;
        exact = exact.and_then(|n| n.checked_mul(u128::from(base))?.checked_add(u128::from(d)));
        approx = approx * f64::from(base) + f64::from(d);
    }
    let n = exact.map_or(approx, |n| n as f64);
    Some(if negative { -n } else { n })
}

fn digit_value(ch: char, base: u32) -> Option<u32> {
    let value = match ch {
        '0'..='9' => u32::from(ch) - u32::from('0'),
        'a'..='z' => u32::from(ch) - u32::from('a') + 10,
        'A'..='Z' if base <= 36 => u32::from(ch) - u32::from('A') + 10,
        'A'..='Z' => u32::from(ch) - u32::from('A') + 36,
        _ => return None,
    };
    (value < base).then_some(value)
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`.
pub(super) fn range(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, 3)?;
    let nums = args
        .iter()
        .map(|a| c.get_num(a, "params"))
        .collect::<Result<Vec<f64>, _>>()?;
    let (start, end, step) = match *nums.as_slice() {
        [end] => (0.0, end, if end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (start, end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (start, end, step),
        _ => return fail("must have one, two, or three arguments"),
    };
    if step == 0.0 {
        return fail("step must not be zero");
    }
    let down = step < 0.0;
    if down && end > start {
        return fail("end must be less than start when step is negative");
    }
    if !down && end < start {
        return fail("end must be greater than start when step is positive");
    }
    let mut out = Vec::new();
    loop {
        let n = start + out.len() as f64 * step;
        if (down && n <= end) || (!down && n >= end) {
            break;
        }
        if out.len() >= RANGE_LIMIT {
            return fail(
                "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
            );
        }
        out.push(c.num(n));
    }
    Ok(c.list(out))
}

/// The sum of a list of numbers (strings holding numbers convert).
pub(super) fn sum(c: &Call, args: &[Val]) -> Out {
    let [list] = c.fixed(args)?;
    let items = match &list.kind {
        ValKind::List(items) => items,
        ValKind::Unknown(_) => return Err(c.unknown_stop(list)),
        ValKind::Null => return Err(null_arg("list")),
        ValKind::Object(_) => {
            return fail(format!(
                "argument must be list, set, or tuple. Received {}",
                list.type_name()
            ));
        }
        _ => return fail("cannot sum noniterable"),
    };
    if items.is_empty() {
        return fail("cannot sum an empty list");
    }
    c.wholly_known(list)?;
    let mut total = 0.0;
    for el in items.iter() {
        let Some(n) = prim_number(el) else {
            return fail("argument must be list, set, or tuple of number values");
        };
        total += n;
    }
    if total.is_nan() {
        return fail("can't compute sum of opposing infinities");
    }
    Ok(c.num(total))
}

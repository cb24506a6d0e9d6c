//! `format` and `formatlist`: cty's printf.
//!
//! A verb is `%`, flags (`0 # - + space`), an optional argument index `[n]`, an optional
//! width, an optional `.precision`, and a letter: `%v` (`%#v` is JSON), `%t`, `%d %b %o %x
//! %X` (integers), `%e %E %f %g %G` (numbers, printed like Go prints a `big.Float`), `%s`,
//! `%q`, and `%%` for a literal percent sign.

use std::iter::Peekable;
use std::str::CharIndices;

use super::convert::{prim_bool, prim_number, prim_string};
use super::encoding::{quote_json, write_json};
use super::strings::graphemes;
use super::{Call, MAX_STRING, Out, fail};
use crate::model::{Val, ValKind};

/// Largest width or precision accepted in a verb.
const MAX_WIDTH: usize = 1_000_000;

pub(super) fn format(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let fmt = c.get_str(c.arg(args, 0)?, "format")?;
    let values = args.get(1..).unwrap_or_default();
    // Collections print as JSON, which needs them wholly known.
    for v in values {
        c.wholly_known(v)?;
    }
    match format_values(&fmt, values) {
        Ok(s) => Ok(c.str(s)),
        Err(msg) => fail(msg),
    }
}

/// Formats once per element of the list arguments (which must have one length); other
/// arguments repeat. An element whose arguments are not all known is Unknown.
pub(super) fn formatlist(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let fmt = c.get_str(c.arg(args, 0)?, "format")?;
    let values = args.get(1..).unwrap_or_default();
    let mut length: Option<(usize, usize)> = None; // (length, argument index)
    for (i, v) in values.iter().enumerate() {
        match (&v.kind, length) {
            (ValKind::Unknown(_), _) => return Err(c.unknown_stop(v)),
            (ValKind::List(items), None) => length = Some((items.len(), i)),
            (ValKind::List(items), Some((n, first))) if items.len() != n => {
                return fail(format!(
                    "argument {} has length {}, which is inconsistent with argument {} of length {n}",
                    i + 1,
                    items.len(),
                    first + 1
                ));
            }
            _ => {}
        }
    }
    let rows = length.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(rows);
    let mut size = 0usize;
    for row in 0..rows {
        let row_args: Vec<Val> = values
            .iter()
            .map(|v| match &v.kind {
                ValKind::List(items) => items.get(row).cloned().unwrap_or_else(|| v.clone()),
                _ => v.clone(),
            })
            .collect();
        if let Some(partial) = row_args.iter().find(|v| !v.is_wholly_known()) {
            out.push(c.unknown(partial));
            continue;
        }
        match format_values(&fmt, &row_args) {
            Ok(s) => {
                size = size.saturating_add(s.len());
                out.push(c.str(s));
            }
            Err(msg) => return fail(format!("error on format iteration {row}: {msg}")),
        }
        if size > MAX_STRING {
            return fail("the result of `formatlist()` would be too large");
        }
    }
    Ok(c.list(out))
}

/// One `%…` verb of a format string.
#[derive(Default)]
struct Verb<'f> {
    /// The verb as written, and its byte offset (for messages).
    raw: &'f str,
    offset: usize,
    /// 1-based argument number.
    arg: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    minus: bool,
    plus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Verb<'_> {
    fn unsupported(&self, why: &str) -> String {
        format!(
            "unsupported value for {:?} at {}: {why}",
            self.raw, self.offset
        )
    }
}

fn format_values(fmt: &str, args: &[Val]) -> Result<String, String> {
    let mut out = String::new();
    let mut next_arg = 1;
    let mut chars = fmt.char_indices().peekable();
    while let Some((start, ch)) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        if chars.next_if(|&(_, ch)| ch == '%').is_some() {
            out.push('%');
            continue;
        }
        let verb = parse_verb(fmt, start, next_arg, &mut chars)?;
        next_arg = verb.arg.saturating_add(1);
        append_verb(&mut out, &verb, args)?;
        if out.len() > MAX_STRING {
            return Err("the result of `format()` would be too large".into());
        }
    }
    Ok(out)
}

fn parse_verb<'f>(
    fmt: &'f str,
    start: usize,
    next_arg: usize,
    chars: &mut Peekable<CharIndices<'f>>,
) -> Result<Verb<'f>, String> {
    let mut verb = Verb {
        offset: start,
        arg: next_arg,
        ..Verb::default()
    };
    while let Some((_, flag)) = chars.next_if(|&(_, ch)| "0#-+ ".contains(ch)) {
        match flag {
            '0' => verb.zero = true,
            '#' => verb.sharp = true,
            '-' => verb.minus = true,
            '+' => verb.plus = true,
            _ => verb.space = true,
        }
    }
    if chars.next_if(|&(_, ch)| ch == '[').is_some() {
        verb.arg = read_number(chars, false).ok_or_else(|| unexpected(fmt, chars))?;
        if chars.next_if(|&(_, ch)| ch == ']').is_none() {
            return Err(unexpected(fmt, chars));
        }
    }
    verb.width = read_number(chars, false);
    if chars.next_if(|&(_, ch)| ch == '.').is_some() {
        verb.prec = Some(read_number(chars, true).unwrap_or(0));
    }
    if verb.width.max(verb.prec).is_some_and(|n| n > MAX_WIDTH) {
        return Err(format!(
            "format width or precision too large at offset {start}"
        ));
    }
    match chars.next() {
        Some((end, mode)) if mode.is_ascii_alphabetic() => {
            verb.mode = mode;
            verb.raw = fmt.get(start..=end).unwrap_or_default();
            Ok(verb)
        }
        Some((at, ch)) => Err(format!(
            "unrecognized format character {ch:?} at offset {at}"
        )),
        None => Err(format!(
            "invalid format string starting at offset {}",
            fmt.len()
        )),
    }
}

/// Decimal digits; without `leading_zero`, the first digit must not be 0 (a 0 there is
/// a flag or an error).
fn read_number(chars: &mut Peekable<CharIndices<'_>>, leading_zero: bool) -> Option<usize> {
    let first_ok = |&(_, ch): &(usize, char)| ch.is_ascii_digit() && (leading_zero || ch != '0');
    let (_, first) = chars.next_if(first_ok)?;
    let mut n = digit(first);
    while let Some((_, ch)) = chars.next_if(|&(_, ch)| ch.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(digit(ch));
    }
    Some(n)
}

fn digit(ch: char) -> usize {
    ch.to_digit(10).map_or(0, |d| d as usize)
}

fn unexpected(fmt: &str, chars: &mut Peekable<CharIndices<'_>>) -> String {
    match chars.peek() {
        Some(&(at, ch)) => format!("unrecognized format character {ch:?} at offset {at}"),
        None => format!("invalid format string starting at offset {}", fmt.len()),
    }
}

fn append_verb(out: &mut String, verb: &Verb, args: &[Val]) -> Result<(), String> {
    let Some(arg) = verb.arg.checked_sub(1).and_then(|i| args.get(i)) else {
        return Err(format!(
            "not enough arguments for {:?} at {}: need index {} but have {} total",
            verb.raw,
            verb.offset,
            verb.arg,
            args.len()
        ));
    };
    if verb.mode != 'v' && arg.is_null() {
        return Err(verb.unsupported("null value cannot be formatted"));
    }
    match verb.mode {
        'v' => out.push_str(&pad(verb, &as_is(verb, arg))),
        't' => {
            let b = prim_bool(arg).ok_or_else(|| verb.unsupported("a bool is required"))?;
            out.push_str(super::bool_str(b));
        }
        'b' | 'd' | 'o' | 'x' | 'X' => out.push_str(&integer(verb, number_arg(verb, arg)?)?),
        'e' | 'E' | 'f' | 'g' | 'G' => out.push_str(&float(verb, number_arg(verb, arg)?)),
        's' | 'q' => out.push_str(&string(verb, arg)?),
        mode => {
            return Err(format!(
                "unsupported format verb {mode:?} in {:?} at offset {}",
                verb.raw, verb.offset
            ));
        }
    }
    Ok(())
}

/// `%v`: strings as they are, numbers like `%g`, everything else (and `%#v`) as JSON.
fn as_is(verb: &Verb, arg: &Val) -> String {
    match &arg.kind {
        ValKind::Str(s) if !verb.sharp => s.to_string(),
        ValKind::Number(n) if !verb.sharp => match *n {
            f64::INFINITY => "+Inf".into(),
            f64::NEG_INFINITY => "-Inf".into(),
            n if n < 0.0 => format!("-{}", general(-n, None, false)),
            n => general(n, None, false),
        },
        _ => {
            let mut json = String::new();
            write_json(&mut json, arg);
            json
        }
    }
}

fn number_arg(verb: &Verb, arg: &Val) -> Result<f64, String> {
    prim_number(arg).ok_or_else(|| verb.unsupported("a number is required"))
}

/// `%s` and `%q`: a precision keeps that many characters of the string.
fn string(verb: &Verb, arg: &Val) -> Result<String, String> {
    let s = prim_string(arg).ok_or_else(|| verb.unsupported("string required"))?;
    let kept = match verb.prec {
        Some(prec) if prec > 0 => graphemes(&s).into_iter().take(prec).collect(),
        _ => s.to_string(),
    };
    if verb.mode == 'q' {
        let mut quoted = String::new();
        quote_json(&mut quoted, &kept);
        return Ok(pad(verb, &quoted));
    }
    Ok(pad(verb, &kept))
}

/// Pads to the verb's width in characters: zeros or spaces, on the left unless `-`.
fn pad(verb: &Verb, s: &str) -> String {
    let Some(width) = verb.width else {
        return s.to_string();
    };
    let len = graphemes(s).len();
    if len >= width {
        return s.to_string();
    }
    let fill = if verb.zero { "0" } else { " " }.repeat(width - len);
    if verb.minus {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

/// Integer verbs, laid out like Go's `big.Int` formatting:
/// `[spaces][sign][0x prefix][zeros][digits][spaces]`.
fn integer(verb: &Verb, n: f64) -> Result<String, String> {
    if !n.is_finite() || n.fract() != 0.0 {
        return Err(verb.unsupported("an integer is required"));
    }
    let magnitude = n.abs();
    // 2^128: the first f64 outside u128.
    let digits = if magnitude < 340_282_366_920_938_463_463_374_607_431_768_211_456.0 {
        let m = magnitude as u128;
        match verb.mode {
            'b' => format!("{m:b}"),
            'o' => format!("{m:o}"),
            'x' => format!("{m:x}"),
            'X' => format!("{m:X}"),
            _ => m.to_string(),
        }
    } else if verb.mode == 'd' {
        format!("{magnitude:.0}")
    } else {
        return Err(verb.unsupported("the integer is too large"));
    };
    let sign = number_sign(verb, n < 0.0);
    let prefix = match verb.mode {
        'b' if verb.sharp => "0b",
        'o' if verb.sharp => "0",
        'x' if verb.sharp => "0x",
        'X' if verb.sharp => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(prec) = verb.prec {
        if digits == "0" && prec == 0 {
            return Ok(String::new());
        }
        zeros = prec.saturating_sub(digits.len());
    }
    let len = sign.len() + prefix.len() + zeros + digits.len();
    let (mut left, mut right) = (0, 0);
    if let Some(width) = verb.width.filter(|&w| w > len) {
        if verb.minus {
            right = width - len;
        } else if verb.zero && verb.prec.is_none() {
            zeros = width - len;
        } else {
            left = width - len;
        }
    }
    Ok(format!(
        "{}{sign}{prefix}{}{digits}{}",
        " ".repeat(left),
        "0".repeat(zeros),
        " ".repeat(right)
    ))
}

fn number_sign(verb: &Verb, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if verb.plus {
        "+"
    } else if verb.space {
        " "
    } else {
        ""
    }
}

/// `%e %E %f %g %G`, laid out like Go's `big.Float` formatting (a `0` flag wins over
/// `-`).
fn float(verb: &Verb, n: f64) -> String {
    let upper = verb.mode.is_ascii_uppercase();
    let magnitude = n.abs();
    let body = if n.is_nan() {
        "NaN".to_string()
    } else if n.is_infinite() {
        "Inf".to_string()
    } else {
        match verb.mode {
            'f' => fixed(magnitude, verb.prec.unwrap_or(6)),
            'e' | 'E' => {
                let prec = verb.prec.unwrap_or(6);
                let (digits, point) = decimal(magnitude, Some(prec + 1));
                exponent_form(&digits, point, prec, upper)
            }
            _ => general(magnitude, verb.prec, upper),
        }
    };
    let sign = if n == f64::INFINITY && !verb.space {
        "+"
    } else {
        number_sign(verb, n < 0.0)
    };
    let len = sign.len() + body.len();
    let padding = verb.width.map_or(0, |w| w.saturating_sub(len));
    if verb.zero && !n.is_infinite() {
        format!("{sign}{}{body}", "0".repeat(padding))
    } else if verb.minus {
        format!("{sign}{body}{}", " ".repeat(padding))
    } else {
        format!("{}{sign}{body}", " ".repeat(padding))
    }
}

/// More than the digits of any `f64`'s exact decimal expansion (at most 767 significant,
/// 1,074 after the point): further digits are zeros. Rust's formatter panics on a
/// precision above 65,535; Terraform accepts any.
const EXACT_DIGITS: usize = 1_100;

/// `x` with `prec` digits after the point (`%f`), for any precision.
fn fixed(x: f64, prec: usize) -> String {
    let mut s = format!("{x:.*}", prec.min(EXACT_DIGITS));
    s.extend(std::iter::repeat_n('0', prec.saturating_sub(EXACT_DIGITS)));
    s
}

/// The significant digits of `x` (rounded to `sig` digits, or the shortest that round-trip)
/// without trailing zeros, and the position of the decimal point relative to them
/// (`123.4` → `("1234", 3)`). Zero has no digits.
fn decimal(x: f64, sig: Option<usize>) -> (String, i64) {
    let sci = match sig {
        // Digits past the exact ones are zeros, which are trimmed below.
        Some(sig) => format!("{:.*e}", sig.clamp(1, EXACT_DIGITS) - 1, x),
        None => format!("{x:e}"),
    };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0').to_string();
    if digits.is_empty() {
        return (digits, 0);
    }
    (digits, exp.parse::<i64>().unwrap_or(0) + 1)
}

/// Go's `%g`: `%e` for large and small exponents, else `%f`, without trailing zeros.
/// Without a precision, the shortest digits that round-trip.
fn general(x: f64, prec: Option<usize>, upper: bool) -> String {
    let shortest = prec.is_none();
    let (digits, point) = decimal(x, prec.map(|p| p.max(1)));
    let count = digits.len() as i64;
    let mut prec = prec.map_or(count, |p| p.max(1) as i64);
    // The exponent from which `%e` is used.
    let mut eprec = prec;
    if eprec > count && count >= point {
        eprec = count;
    }
    if shortest {
        eprec = 6;
    }
    let exp = point - 1;
    if exp < -4 || exp >= eprec {
        prec = prec.min(count);
        return exponent_form(
            &digits,
            point,
            usize::try_from(prec - 1).unwrap_or(0),
            upper,
        );
    }
    if prec > point {
        prec = count;
    }
    fixed_form(&digits, point, usize::try_from(prec - point).unwrap_or(0))
}

/// `d.ddde±dd` with `prec` digits after the point.
fn exponent_form(digits: &str, point: i64, prec: usize, upper: bool) -> String {
    let mut out = String::new();
    out.push(digits.chars().next().unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        let rest: String = digits.chars().skip(1).take(prec).collect();
        out.push_str(&rest);
        out.push_str(&"0".repeat(prec - rest.len()));
    }
    out.push(if upper { 'E' } else { 'e' });
    let exp = if digits.is_empty() { 0 } else { point - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

/// `ddd.ddd` with `prec` digits after the point.
fn fixed_form(digits: &str, point: i64, prec: usize) -> String {
    let at = |i: i64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.as_bytes().get(i))
            .map_or('0', |&d| char::from(d))
    };
    let mut out = String::new();
    if point > 0 {
        out.extend((0..point).map(at));
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        out.extend((0..prec as i64).map(|i| at(point + i)));
    }
    out
}

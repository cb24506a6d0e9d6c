//! String functions, with .NET semantics (`format.rs`): UTF-16 lengths and positions,
//! `True`/`False` as the text of booleans, case-insensitive searches.

use super::super::format::{composite, find_ci, to_text, utf16_len, utf16_slice};
use super::arrays::element_position;
use super::{Call, MAX_LIST, MAX_STR, OrInvalid, Out, Stop, int};
use crate::model::{Val, ValKind};

/// `format(fmt, args…)`: .NET composite formatting.
pub(super) fn format(c: &Call, a: &[Val]) -> Out {
    let (f, rest) = a.split_first().or_invalid()?;
    c.wholly_known(rest)?;
    let f = f.as_str().or_invalid()?;
    c.string(composite(f, rest).or_invalid()?)
}

pub(super) fn to_lower(c: &Call, a: &[Val]) -> Out {
    change_case(c, a, |ch| ch.to_lowercase())
}

pub(super) fn to_upper(c: &Call, a: &[Val]) -> Out {
    change_case(c, a, |ch| ch.to_uppercase())
}

/// .NET changes case one character at a time (`ToLowerInvariant`): a final `Σ` becomes
/// `σ`, not `ς` as in Rust's `to_lowercase`. Where Unicode maps one character to
/// several (`ß` to `SS`), what .NET keeps is not documented: Unknown.
fn change_case<I: Iterator<Item = char>>(c: &Call, a: &[Val], map: fn(char) -> I) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    let s = x.as_str().or_invalid()?;
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let mut m = map(ch);
        match (m.next(), m.next()) {
            (Some(one), None) => out.push(one),
            _ => return c.unknown(format!("`{}()` of `{ch}` is not documented", c.name)),
        }
    }
    Ok(c.text(out))
}

/// `string(x)`: strings as they are, numbers and booleans as .NET prints them, arrays
/// and objects as compact JSON.
pub(super) fn string(c: &Call, a: &[Val]) -> Out {
    let [x] = a else { return Err(Stop::Invalid) };
    c.wholly_known(a)?;
    c.string(to_text(x).or_invalid()?)
}

/// Every occurrence replaced (case-sensitive); an empty `old` is an error in .NET.
pub(super) fn replace(c: &Call, a: &[Val]) -> Out {
    let [s, old, new] = a else {
        return Err(Stop::Invalid);
    };
    match (s.as_str(), old.as_str(), new.as_str()) {
        (Some(s), Some(old), Some(new)) if !old.is_empty() => c.string(s.replace(old, new)),
        _ => Err(Stop::Invalid),
    }
}

/// `split(s, delimiter or [delimiters])`: at the earliest (then longest) delimiter.
pub(super) fn split(c: &Call, a: &[Val]) -> Out {
    let [s, d] = a else { return Err(Stop::Invalid) };
    let s = s.as_str().or_invalid()?;
    let delims: Vec<&str> = match &d.kind {
        ValKind::Str(d) => vec![&**d],
        ValKind::List(items) => items
            .iter()
            .map(Val::as_str)
            .collect::<Option<_>>()
            .or_invalid()?,
        _ => return Err(Stop::Invalid),
    };
    if delims.iter().any(|d| d.is_empty()) {
        return Err(Stop::Invalid);
    }
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        let next = delims
            .iter()
            .filter_map(|d| rest.find(d).map(|i| (i, d.len())))
            .min_by_key(|(i, len)| (*i, usize::MAX - len));
        match next {
            Some((i, len)) => {
                parts.push(c.text(rest.get(..i).unwrap_or("")));
                rest = rest.get(i + len..).unwrap_or("");
            }
            None => {
                parts.push(c.text(rest));
                break;
            }
        }
        if parts.len() > MAX_LIST {
            return Err(Stop::Invalid);
        }
    }
    c.list(parts)
}

/// `join(array, delimiter)`.
pub(super) fn join(c: &Call, a: &[Val]) -> Out {
    let [l, d] = a else { return Err(Stop::Invalid) };
    let (items, d) = (l.as_list().or_invalid()?, d.as_str().or_invalid()?);
    c.wholly_known(a)?;
    let parts = items
        .iter()
        .map(|i| match &i.kind {
            ValKind::Str(_) | ValKind::Number(_) | ValKind::Bool(_) => to_text(i),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .or_invalid()?;
    c.string(parts.join(d))
}

/// `substring(s, start[, length])` in UTF-16 units; out of range is an error.
pub(super) fn substring(c: &Call, a: &[Val]) -> Out {
    let [s, start, rest @ ..] = a else {
        return Err(Stop::Invalid);
    };
    if rest.len() > 1 {
        return Err(Stop::Invalid);
    }
    let (s, start) = (s.as_str().or_invalid()?, int(start).or_invalid()?);
    let total = utf16_len(s) as i64;
    let len = match rest.first().map(int) {
        Some(Some(l)) => l,
        Some(None) => return c.unknown("invalid `substring()` length"),
        None => total - start,
    };
    if start < 0 || len < 0 || start + len > total {
        return Err(Stop::Invalid);
    }
    utf16_slice(s, start as usize, (start + len) as usize)
        .map(|t| c.text(t))
        .or_invalid()
}

pub(super) fn trim(c: &Call, a: &[Val]) -> Out {
    let [s] = a else { return Err(Stop::Invalid) };
    Ok(c.text(s.as_str().or_invalid()?.trim()))
}

pub(super) fn starts_with(c: &Call, a: &[Val]) -> Out {
    affix(c, a, true)
}

pub(super) fn ends_with(c: &Call, a: &[Val]) -> Out {
    affix(c, a, false)
}

/// `startsWith`/`endsWith`: case-insensitive.
fn affix(c: &Call, a: &[Val], start: bool) -> Out {
    let [s, v] = a else { return Err(Stop::Invalid) };
    let (h, n) = (
        s.as_str().or_invalid()?.to_lowercase(),
        v.as_str().or_invalid()?.to_lowercase(),
    );
    Ok(c.bool(if start {
        h.starts_with(&n)
    } else {
        h.ends_with(&n)
    }))
}

pub(super) fn index_of(c: &Call, a: &[Val]) -> Out {
    position(c, a, false)
}

pub(super) fn last_index_of(c: &Call, a: &[Val]) -> Out {
    position(c, a, true)
}

/// The UTF-16 position of a substring, case-insensitively, or -1. In an array, the
/// position of an element (`arrays::element_position`).
fn position(c: &Call, a: &[Val], last: bool) -> Out {
    let [s, v] = a else { return Err(Stop::Invalid) };
    if let Some(items) = s.as_list() {
        return element_position(c, items, v, last);
    }
    let (s, v) = (s.as_str().or_invalid()?, v.as_str().or_invalid()?);
    let at = find_ci(s, v, last).or_invalid()?;
    Ok(c.number(at.map(|i| i as f64).unwrap_or(-1.0)))
}

/// `padLeft(value, totalLength[, char])`: a string or number, right-aligned.
pub(super) fn pad_left(c: &Call, a: &[Val]) -> Out {
    let [v, total, rest @ ..] = a else {
        return Err(Stop::Invalid);
    };
    if rest.len() > 1 {
        return Err(Stop::Invalid);
    }
    let pad = match rest.first() {
        Some(p) => p.as_str().and_then(single_char),
        None => Some(' '),
    };
    let text = match &v.kind {
        ValKind::Str(_) | ValKind::Number(_) => to_text(v),
        _ => None,
    };
    match (text, int(total), pad) {
        (Some(t), Some(total), Some(pad)) if (0..=MAX_STR as i64).contains(&total) => {
            let fill = (total as usize).saturating_sub(utf16_len(&t));
            let mut out: String = std::iter::repeat_n(pad, fill).collect();
            out.push_str(&t);
            c.string(out)
        }
        _ => Err(Stop::Invalid),
    }
}

fn single_char(s: &str) -> Option<char> {
    let mut cs = s.chars();
    let c = cs.next();
    if cs.next().is_some() { None } else { c }
}

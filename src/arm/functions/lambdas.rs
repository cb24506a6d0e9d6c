//! The lambda functions: `filter`, `map`, `reduce`, `sort`, `toObject`, `groupBy`,
//! `mapValues` (learn.microsoft.com, "Lambda functions for ARM templates").
//!
//! The lambdas themselves belong to the caller's evaluator (`lambda('x', body)` in ARM,
//! `x => body` in Bicep): it passes them through [`Lambdas`], and this module decides
//! which lambda is applied to which values, in which order.

use super::{Call, MAX_LIST, OrInvalid, Out, Stop, finish, unknown_at};
use crate::model::{Object, Val, ValKind};
use crate::source::Span;
use std::collections::HashSet;

/// The lambda arguments of one call, in order, as the caller's evaluator holds them.
pub trait Lambdas {
    /// How many lambda arguments the call has.
    fn count(&self) -> usize;
    /// How many parameters lambda `i` declares (`lambda('a', 'b', …)` has two).
    fn params(&self, i: usize) -> usize;
    /// Lambda `i`'s body evaluated with its parameters bound to `args` (exactly
    /// [`Lambdas::params`] values).
    fn call(&mut self, i: usize, args: &[Val]) -> Val;
}

/// The functions whose last argument(s) are lambdas.
pub fn is_lambda_function(name: &str) -> bool {
    matches!(
        name,
        "filter" | "map" | "reduce" | "sort" | "toobject" | "groupby" | "mapvalues"
    )
}

/// Apply the lambda function `name` to its value arguments (`values`, evaluated, in order:
/// the input array or object, and `reduce`'s initial value) and its lambda arguments.
pub fn apply_with_lambdas(
    name: &str,
    values: &[Val],
    lambdas: &mut dyn Lambdas,
    span: Span,
) -> Val {
    let c = Call { name, span };
    let out = match values.first().map(|v| &v.kind) {
        Some(ValKind::Unknown(u)) => Ok(unknown_at(u, span)),
        _ => dispatch(&c, values, lambdas),
    };
    finish(&c, out)
}

fn dispatch(c: &Call, values: &[Val], l: &mut dyn Lambdas) -> Out {
    match (c.name, values) {
        ("filter", [input]) => filter(c, input.as_list().or_invalid()?, l),
        ("map", [input]) => map(c, input.as_list().or_invalid()?, l),
        ("reduce", [input, initial]) => reduce(c, input.as_list().or_invalid()?, initial, l),
        ("sort", [input]) => sort(c, input.as_list().or_invalid()?, l),
        ("toobject", [input]) => to_object(c, input.as_list().or_invalid()?, l),
        ("groupby", [input]) => group_by(c, input.as_list().or_invalid()?, l),
        ("mapvalues", [input]) => map_values(c, input.as_object().or_invalid()?, l),
        _ => Err(Stop::Invalid),
    }
}

/// Check that the call has `count` lambdas (`optional` more allowed) and that lambda `i`
/// declares one of `params[i]` parameter counts.
fn shape(c: &Call, l: &dyn Lambdas, params: &[&[usize]], optional: usize) -> Result<(), Stop> {
    let n = l.count();
    let fits = (params.len() - optional..=params.len()).contains(&n)
        && (0..n).all(|i| params.get(i).is_some_and(|p| p.contains(&l.params(i))));
    if fits {
        Ok(())
    } else {
        c.unknown(format!(
            "the lambda arguments of `{}()` do not have the parameters it passes",
            c.name
        ))
    }
}

/// An element and, when the lambda declares two parameters, its index.
fn item_args(item: &Val, index: usize, params: usize, sp: Option<Span>) -> Vec<Val> {
    let mut args = vec![item.clone()];
    if params == 2 {
        args.push(Val::number(index as f64, sp));
    }
    args
}

/// A boolean a lambda returned; an Unknown one stops the function.
fn decision(c: &Call, v: &Val) -> Result<bool, Stop> {
    match &v.kind {
        ValKind::Bool(b) => Ok(*b),
        ValKind::Unknown(u) => Err(Stop::Unknown(unknown_at(u, c.span))),
        _ => c.unknown(format!(
            "the lambda of `{}()` returned a {}",
            c.name,
            v.type_name()
        )),
    }
}

/// `filter(array, lambda(item[, index]))`: the elements for which it is true.
fn filter(c: &Call, input: &[Val], l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[1, 2]], 0)?;
    let mut out = Vec::new();
    for (i, item) in input.iter().enumerate() {
        let keep = l.call(0, &item_args(item, i, l.params(0), c.site()));
        if decision(c, &keep)? {
            out.push(item.clone());
        }
    }
    c.list(out)
}

/// `map(array, lambda(item[, index]))`: an Unknown result is an Unknown element.
fn map(c: &Call, input: &[Val], l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[1, 2]], 0)?;
    let out = input
        .iter()
        .enumerate()
        .map(|(i, item)| l.call(0, &item_args(item, i, l.params(0), c.site())))
        .collect();
    c.list(out)
}

/// `reduce(array, initial, lambda(current, next[, index]))`.
fn reduce(c: &Call, input: &[Val], initial: &Val, l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[2, 3]], 0)?;
    let mut acc = initial.clone();
    for (i, item) in input.iter().enumerate() {
        let mut args = vec![acc, item.clone()];
        if l.params(0) == 3 {
            args.push(c.number(i as f64));
        }
        acc = l.call(0, &args);
    }
    Ok(c.pass(&acc))
}

/// `sort(array, lambda(a, b))`: `true` orders `a` before `b`. A stable merge sort; the
/// order .NET gives elements that compare equal is not specified, so two different
/// elements that neither precede nor follow each other make the result Unknown.
fn sort(c: &Call, input: &[Val], l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[2]], 0)?;
    let mut before = |a: &Val, b: &Val| decision(c, &l.call(0, &[a.clone(), b.clone()]));
    let sorted = merge_sort(input.to_vec(), &mut before)?;
    for pair in sorted.windows(2) {
        let [a, b] = pair else { continue };
        if !before(a, b)? && a.known_eq(b) != Some(true) {
            return c.unknown("`sort()` leaves the order of equal elements unspecified");
        }
    }
    c.list(sorted)
}

type Before<'l> = dyn FnMut(&Val, &Val) -> Result<bool, Stop> + 'l;

fn merge_sort(mut v: Vec<Val>, before: &mut Before) -> Result<Vec<Val>, Stop> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let right = v.split_off(v.len() / 2);
    let (left, right) = (merge_sort(v, before)?, merge_sort(right, before)?);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    while let (Some(x), Some(y)) = (l.peek(), r.peek()) {
        // Take from the right only when it strictly precedes: equal elements keep order.
        let next = if before(y, x)? { r.next() } else { l.next() };
        out.extend(next);
    }
    out.extend(l);
    out.extend(r);
    Ok(out)
}

/// A string key a lambda returned (`toObject`, `groupBy`).
fn key_of(c: &Call, v: &Val) -> Result<String, Stop> {
    match &v.kind {
        ValKind::Str(s) => Ok(s.to_string()),
        ValKind::Unknown(u) => Err(Stop::Unknown(unknown_at(u, c.span))),
        _ => c.unknown(format!(
            "a key of `{}()` is a {}, not a string",
            c.name,
            v.type_name()
        )),
    }
}

/// `toObject(array, lambda(item) → key[, lambda(item) → value])`. ARM property names
/// match case-insensitively; keys that collide are not decided here (Unknown).
fn to_object(c: &Call, input: &[Val], l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[1], &[1]], 1)?;
    let mut o = Object::with_capacity(input.len());
    let mut seen = HashSet::new();
    for item in input {
        let key = key_of(c, &l.call(0, std::slice::from_ref(item)))?;
        if !seen.insert(key.to_lowercase()) {
            return c.unknown(format!("`toObject()` makes the key `{key}` twice"));
        }
        let value = if l.count() == 2 {
            l.call(1, std::slice::from_ref(item))
        } else {
            item.clone()
        };
        o.push(key, value);
    }
    Ok(c.object(o))
}

/// `groupBy(array, lambda(item) → key)`: `{key: [items…]}`, keys in order of first
/// appearance. Keys that differ only in case are not decided here (Unknown).
fn group_by(c: &Call, input: &[Val], l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[1]], 0)?;
    let mut groups: Vec<(String, Vec<Val>)> = Vec::new();
    for item in input {
        let key = key_of(c, &l.call(0, std::slice::from_ref(item)))?;
        match groups
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some((k, items)) if *k == key => items.push(item.clone()),
            Some(_) => return c.unknown(format!("`groupBy()` keys differ only in case: `{key}`")),
            None => groups.push((key, vec![item.clone()])),
        }
        if groups.len() > MAX_LIST {
            return Err(Stop::Invalid);
        }
    }
    let sp = c.site();
    let o = groups
        .into_iter()
        .map(|(k, items)| (k.into(), Val::list(items, sp)))
        .collect();
    Ok(c.object(o))
}

/// `mapValues(object, lambda(value))`: the same keys, mapped values.
fn map_values(c: &Call, input: &Object, l: &mut dyn Lambdas) -> Out {
    shape(c, l, &[&[1]], 0)?;
    let mut o = Object::with_capacity(input.len());
    for (k, v) in input.iter() {
        o.push(k, l.call(0, std::slice::from_ref(v)));
    }
    Ok(c.object(o))
}

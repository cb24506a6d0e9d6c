//! Set functions. A set is a list whose elements have one type, are distinct, and come
//! in cty's order: numbers numerically, strings lexically, `false` before `true`, nulls
//! last (other elements in their first-seen order).
//!
//! A set cannot be built while an element is Unknown (it might equal another element), so
//! the result is then Unknown.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::collections::{distinct_values, identity};
use super::convert::unify;
use super::{Call, MAX_ELEMENTS, Out, Stop, fail};
use crate::model::{Val, ValKind};

pub(super) fn toset(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    match &v.kind {
        ValKind::List(items) => {
            c.wholly_known(v)?;
            match unify(items) {
                Some(items) => Ok(c.list(set_of(&items))),
                None => fail(format!(
                    "cannot convert {} to set of any single type",
                    v.type_name()
                )),
            }
        }
        ValKind::Null | ValKind::Unknown(_) => Ok(c.pass(v)),
        _ => fail(format!(
            "cannot convert {} to set of any single type",
            v.type_name()
        )),
    }
}

pub(super) fn setunion(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let sets = unified_sets(c, args)?;
    Ok(c.list(set_of(&sets.concat())))
}

pub(super) fn setintersection(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let sets = unified_sets(c, args)?;
    let Some((first, others)) = sets.split_first() else {
        return Ok(c.list(Vec::new()));
    };
    let others: Vec<HashSet<String>> = others.iter().map(|s| identities(s)).collect();
    let common: Vec<Val> = first
        .iter()
        .filter(|el| others.iter().all(|other| other.contains(&identity(el))))
        .cloned()
        .collect();
    Ok(c.list(set_of(&common)))
}

pub(super) fn setsubtract(c: &Call, args: &[Val]) -> Out {
    c.fixed::<2>(args)?;
    let sets = unified_sets(c, args)?;
    let (Some(a), Some(b)) = (sets.first(), sets.get(1)) else {
        return fail("`setsubtract()` expects 2 argument(s)");
    };
    let b = identities(b);
    let rest: Vec<Val> = a
        .iter()
        .filter(|el| !b.contains(&identity(el)))
        .cloned()
        .collect();
    Ok(c.list(set_of(&rest)))
}

/// Every combination of one element from each argument, as lists, in argument order.
pub(super) fn setproduct(c: &Call, args: &[Val]) -> Out {
    if args.len() < 2 {
        return fail("at least two arguments are required");
    }
    let mut lists = Vec::with_capacity(args.len());
    for arg in args {
        let items = match &arg.kind {
            ValKind::List(items) => items,
            ValKind::Unknown(_) => return Err(c.unknown_stop(arg)),
            _ => return fail("a set or a list is required"),
        };
        match unify(items) {
            Some(items) => lists.push(items),
            None => return fail("all elements must be of the same type"),
        }
    }
    // Rows times their length: the number of values the result holds.
    let total = lists
        .iter()
        .try_fold(lists.len(), |acc, l| acc.checked_mul(l.len()));
    if total.is_none_or(|t| t > MAX_ELEMENTS) {
        return fail("the result of `setproduct()` would be too large");
    }
    let mut rows: Vec<Vec<Val>> = vec![Vec::new()];
    for list in &lists {
        rows = rows
            .iter()
            .flat_map(|row| {
                list.iter().map(move |el| {
                    let mut row = row.clone();
                    row.push(el.clone());
                    row
                })
            })
            .collect();
    }
    Ok(c.list(rows.into_iter().map(|row| c.list(row)).collect()))
}

/// The arguments as lists of elements converted to one common type.
fn unified_sets(c: &Call, args: &[Val]) -> Result<Vec<Vec<Val>>, Stop> {
    let mut lists = Vec::with_capacity(args.len());
    for arg in args {
        lists.push(c.get_list(arg, "sets")?);
        c.wholly_known(arg)?;
    }
    let Some(mut all) = unify(&lists.concat()) else {
        return fail("given sets must all have compatible element types");
    };
    let mut sets = Vec::with_capacity(lists.len());
    for list in lists.iter().rev() {
        sets.push(all.split_off(all.len().saturating_sub(list.len())));
    }
    sets.reverse();
    Ok(sets)
}

fn identities(items: &[Val]) -> HashSet<String> {
    items.iter().map(identity).collect()
}

/// Distinct elements in set order.
pub(super) fn set_of(items: &[Val]) -> Vec<Val> {
    let mut out = distinct_values(items);
    out.sort_by(set_order);
    out
}

fn set_order(a: &Val, b: &Val) -> Ordering {
    match (&a.kind, &b.kind) {
        (ValKind::Number(x), ValKind::Number(y)) => x.total_cmp(y),
        (ValKind::Str(x), ValKind::Str(y)) => x.cmp(y),
        (ValKind::Bool(x), ValKind::Bool(y)) => x.cmp(y),
        (ValKind::Null, ValKind::Null) => Ordering::Equal,
        (ValKind::Null, _) => Ordering::Greater,
        (_, ValKind::Null) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

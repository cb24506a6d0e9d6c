//! Template functions. Names arrive lower-cased. Functions whose result depends on the
//! deployment (`reference`, `resourceGroup`, `uniqueString`, `list*`, …) are Unknown; a
//! function erlint does not implement is Unknown; wrong arguments (which Azure rejects)
//! are Unknown too, never a guess.

use super::eval::{Ctx, Eval, MAX_LIST, MAX_STR, unknown_at};
use super::expr::Expr;
use super::format::{composite, find_ci, to_text, utf16_len, utf16_slice};
use crate::model::{Object, Val, ValKind};
use crate::source::Span;
use std::sync::Arc;

/// Functions whose value only exists during (or after) deployment.
fn deployment_time(name: &str) -> bool {
    matches!(
        name,
        "reference"
            | "resourcegroup"
            | "subscription"
            | "deployment"
            | "tenant"
            | "managementgroup"
            | "environment"
            | "uniquestring"
            | "newguid"
            | "guid"
            | "utcnow"
            | "datetimeadd"
            | "pickzones"
            | "providers"
            | "deployer"
            | "externalinput"
    ) || name.starts_with("list")
}

impl<'a, 't> Eval<'a, 't> {
    pub(super) fn call(&mut self, ctx: &Ctx, name: &str, args: &[Expr], span: Span) -> Val {
        let sp = Some(span);
        match name {
            "parameters" | "variables" => {
                let Some(a) = args.first() else {
                    return Val::unknown(format!("`{name}()` needs a name"), sp);
                };
                let a = self.expr(ctx, a);
                return match &a.kind {
                    ValKind::Str(n) if name == "parameters" => self.param(ctx.scope, n, span),
                    ValKind::Str(n) => self.var(ctx.scope, n, span),
                    ValKind::Unknown(u) => unknown_at(u, span),
                    _ => Val::unknown(format!("`{name}()` needs a string"), sp),
                };
            }
            "if" => {
                let [c, t, f] = args else {
                    return Val::unknown("`if()` takes three arguments", sp);
                };
                let c = self.expr(ctx, c);
                return match &c.kind {
                    ValKind::Bool(true) => self.expr(ctx, t).resited(sp),
                    ValKind::Bool(false) => self.expr(ctx, f).resited(sp),
                    ValKind::Unknown(u) => unknown_at(u, span),
                    _ => Val::unknown("the condition of `if()` is not a boolean", sp),
                };
            }
            "coalesce" => {
                for a in args {
                    let v = self.expr(ctx, a);
                    match &v.kind {
                        ValKind::Null => continue,
                        ValKind::Unknown(u) => return unknown_at(u, span),
                        _ => return v.resited(sp),
                    }
                }
                return Val::null(sp);
            }
            "copyindex" => return self.copy_index(ctx, args, span),
            _ => {}
        }
        if deployment_time(name) {
            return Val::unknown(format!("`{name}()` is only known during deployment"), sp);
        }
        let vals: Vec<Val> = args.iter().map(|a| self.expr(ctx, a)).collect();
        if name.contains('.') {
            return match self.user_fn(ctx, name, vals, span) {
                Some(v) => v,
                None => Val::unknown(format!("function `{name}` is not defined"), sp),
            };
        }
        builtin(name, vals, span)
    }

    fn copy_index(&mut self, ctx: &Ctx, args: &[Expr], span: Span) -> Val {
        let sp = Some(span);
        let vals: Vec<Val> = args.iter().map(|a| self.expr(ctx, a)).collect();
        if let Some(u) = vals.iter().find_map(unknown_of) {
            return unknown_at(u, span);
        }
        let (name, offset) = match vals.as_slice() {
            [] => (None, 0),
            [v] => match &v.kind {
                ValKind::Str(s) => (Some(s.clone()), 0),
                _ => (None, int(v).unwrap_or(0)),
            },
            [n, o] => (n.as_str().map(Arc::from), int(o).unwrap_or(0)),
            _ => return Val::unknown("`copyIndex()` takes at most two arguments", sp),
        };
        let mut frame = ctx.copy.as_deref();
        while let Some(f) = frame {
            let hit = match &name {
                Some(n) => f.name.eq_ignore_ascii_case(n),
                None => f.resource,
            };
            if hit {
                return match f.index {
                    Some(i) => Val::number((i + offset) as f64, sp),
                    None => Val::unknown(
                        format!("the count of copy loop `{}` is not known", f.name),
                        sp,
                    ),
                };
            }
            frame = f.parent.as_deref();
        }
        Val::unknown("`copyIndex()` is used outside a copy loop", sp)
    }
}

fn unknown_of(v: &Val) -> Option<&Arc<crate::model::Unknown>> {
    match &v.kind {
        ValKind::Unknown(u) => Some(u),
        _ => None,
    }
}

fn int(v: &Val) -> Option<i64> {
    match &v.kind {
        ValKind::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        _ => None,
    }
}

fn num(i: i64, sp: Option<Span>) -> Option<Val> {
    (i.unsigned_abs() < 9_000_000_000_000_000).then(|| Val::number(i as f64, sp))
}

fn string(s: String, sp: Option<Span>) -> Option<Val> {
    (s.len() <= MAX_STR).then(|| Val::str(s, sp))
}

/// The first Unknown anywhere inside, as a value at `span`.
fn deep_unknown(vals: &[Val], span: Span) -> Option<Val> {
    vals.iter()
        .find_map(Val::first_unknown)
        .map(|u| Val::unknown_with(u.clone(), Some(span)))
}

/// Pure functions of evaluated arguments.
fn builtin(name: &str, a: Vec<Val>, span: Span) -> Val {
    let sp = Some(span);
    // These wrap their arguments; Unknown arguments become Unknown elements.
    match name {
        "createarray" => return Val::list(a, sp),
        "true" => return Val::bool(true, sp),
        "false" => return Val::bool(false, sp),
        "null" => return Val::null(sp),
        "array" => {
            return match a.into_iter().next() {
                Some(v) if matches!(v.kind, ValKind::List(_) | ValKind::Unknown(_)) => {
                    v.resited(sp)
                }
                Some(v) => Val::list(vec![v], sp),
                None => Val::unknown("`array()` takes one argument", sp),
            };
        }
        "createobject" => return create_object(a, span),
        "and" | "or" => {
            return logic(name == "and", &a, sp).unwrap_or_else(|| {
                Val::unknown(format!("`{name}()` needs two or more booleans"), sp)
            });
        }
        _ => {}
    }
    if let Some(u) = a.iter().find_map(unknown_of) {
        return unknown_at(u, span);
    }
    let r = match name {
        "concat" => concat(&a, sp),
        "format" => match a.split_first() {
            Some((f, rest)) => match (f.as_str(), deep_unknown(rest, span)) {
                (_, Some(u)) => return u,
                (Some(f), None) => composite(f, rest).and_then(|s| string(s, sp)),
                _ => None,
            },
            None => None,
        },
        "equals" => match a.as_slice() {
            [x, y] => match x.known_eq(y) {
                Some(b) => Some(Val::bool(b, sp)),
                None => {
                    return deep_unknown(&a, span)
                        .unwrap_or_else(|| Val::unknown("a compared value is not known", sp));
                }
            },
            _ => None,
        },
        "not" => match a.as_slice() {
            [x] => x.as_bool().map(|b| Val::bool(!b, sp)),
            _ => None,
        },
        "empty" => match a.as_slice() {
            [x] => match &x.kind {
                ValKind::Null => Some(true),
                ValKind::Str(s) => Some(s.is_empty()),
                ValKind::List(l) => Some(l.is_empty()),
                ValKind::Object(o) => Some(o.is_empty()),
                _ => None,
            }
            .map(|b| Val::bool(b, sp)),
            _ => None,
        },
        "length" => match a.as_slice() {
            [x] => match &x.kind {
                ValKind::Str(s) => Some(utf16_len(s)),
                ValKind::List(l) => Some(l.len()),
                ValKind::Object(o) => Some(o.len()),
                _ => None,
            }
            .map(|n| Val::number(n as f64, sp)),
            _ => None,
        },
        "tolower" | "toupper" => match a.as_slice() {
            [x] => x.as_str().map(|s| {
                Val::str(
                    if name == "tolower" {
                        s.to_lowercase()
                    } else {
                        s.to_uppercase()
                    },
                    sp,
                )
            }),
            _ => None,
        },
        "string" => match a.as_slice() {
            [x] => match deep_unknown(&a, span) {
                Some(u) => return u,
                None => to_text(x).and_then(|s| string(s, sp)),
            },
            _ => None,
        },
        "int" => match a.as_slice() {
            [x] => match &x.kind {
                ValKind::Number(n) if n.abs() < 9.0e15 => Some(Val::number(n.trunc(), sp)),
                ValKind::Str(s) => s.trim().parse::<i64>().ok().and_then(|i| num(i, sp)),
                _ => None,
            },
            _ => None,
        },
        "bool" => match a.as_slice() {
            [x] => match &x.kind {
                ValKind::Bool(b) => Some(*b),
                ValKind::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
                ValKind::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
                ValKind::Number(n) => Some(*n != 0.0),
                _ => None,
            }
            .map(|b| Val::bool(b, sp)),
            _ => None,
        },
        "union" => union(&a, sp),
        "intersection" => intersection(&a, sp),
        "shallowmerge" => match a.as_slice() {
            [x] => x.as_list().and_then(|items| {
                let mut o = Object::new();
                for i in items {
                    for (k, v) in i.as_object()?.iter() {
                        o.insert(k, v.clone());
                    }
                }
                Some(Val::object(o, sp))
            }),
            _ => None,
        },
        "replace" => match a.as_slice() {
            [s, old, new] => match (s.as_str(), old.as_str(), new.as_str()) {
                (Some(s), Some(old), Some(new)) if !old.is_empty() => {
                    string(s.replace(old, new), sp)
                }
                _ => None,
            },
            _ => None,
        },
        "split" => split(&a, sp),
        "join" => match a.as_slice() {
            [l, d] => match (l.as_list(), d.as_str()) {
                (Some(items), Some(d)) => match deep_unknown(&a, span) {
                    Some(u) => return u,
                    None => items
                        .iter()
                        .map(|i| match &i.kind {
                            ValKind::Str(_) | ValKind::Number(_) | ValKind::Bool(_) => to_text(i),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()
                        .and_then(|parts| string(parts.join(d), sp)),
                },
                _ => None,
            },
            _ => None,
        },
        "first" | "last" => match a.as_slice() {
            [x] => match &x.kind {
                ValKind::List(items) => Some(
                    if name == "first" {
                        items.first()
                    } else {
                        items.last()
                    }
                    .map(|v| v.clone().resited(sp))
                    .unwrap_or_else(|| Val::null(sp)),
                ),
                ValKind::Str(s) => {
                    let c = if name == "first" {
                        s.chars().next()
                    } else {
                        s.chars().last()
                    };
                    Some(Val::str(c.map(String::from).unwrap_or_default(), sp))
                }
                _ => None,
            },
            _ => None,
        },
        "contains" => contains(&a, span),
        "resourceid"
        | "subscriptionresourceid"
        | "tenantresourceid"
        | "extensionresourceid"
        | "managementgroupresourceid" => {
            return match resource_id(name, &a) {
                Ok((id, sub)) => {
                    // The subscription is the part of an id rules judge (ER103): where it
                    // was written (a parameter file, a `defaultValue`) travels with the id.
                    let mut v = Val::str(id, sp);
                    v.origin = sub.and_then(|i| a.get(i)).and_then(|s| s.origin);
                    v
                }
                Err((reason, refers_to)) => Val::unknown_with(
                    crate::model::Unknown {
                        reason,
                        refers_to,
                        secret: false,
                    },
                    sp,
                ),
            };
        }
        "greater" | "less" | "greaterorequals" | "lessorequals" => match a.as_slice() {
            [x, y] => {
                let ord = match (&x.kind, &y.kind) {
                    (ValKind::Number(p), ValKind::Number(q)) => p.partial_cmp(q),
                    (ValKind::Str(p), ValKind::Str(q)) => Some(p.cmp(q)),
                    _ => None,
                };
                ord.map(|o| {
                    use std::cmp::Ordering::*;
                    let b = match name {
                        "greater" => o == Greater,
                        "less" => o == Less,
                        "greaterorequals" => o != Less,
                        _ => o != Greater,
                    };
                    Val::bool(b, sp)
                })
            }
            _ => None,
        },
        "add" | "sub" | "mul" | "div" | "mod" => match a.as_slice() {
            [x, y] => match (int(x), int(y)) {
                (Some(p), Some(q)) => match name {
                    "add" => p.checked_add(q),
                    "sub" => p.checked_sub(q),
                    "mul" => p.checked_mul(q),
                    "div" => p.checked_div(q),
                    _ => p.checked_rem(q),
                }
                .and_then(|r| num(r, sp)),
                _ => None,
            },
            _ => None,
        },
        "min" | "max" => {
            let items: Vec<Val> = match a.as_slice() {
                [l] if l.as_list().is_some() => l.as_list().unwrap_or_default().to_vec(),
                _ => a.clone(),
            };
            match deep_unknown(&items, span) {
                Some(u) => return u,
                None => items
                    .iter()
                    .map(int)
                    .collect::<Option<Vec<i64>>>()
                    .and_then(|v| {
                        if name == "min" {
                            v.into_iter().min()
                        } else {
                            v.into_iter().max()
                        }
                    })
                    .and_then(|r| num(r, sp)),
            }
        }
        "range" => match a.as_slice() {
            [s, c] => match (int(s), int(c)) {
                (Some(s), Some(c)) if (0..=10_000).contains(&c) && s.abs() < (1 << 40) => {
                    Some(Val::list(
                        (0..c).map(|i| Val::number((s + i) as f64, sp)).collect(),
                        sp,
                    ))
                }
                _ => None,
            },
            _ => None,
        },
        "take" | "skip" => match a.as_slice() {
            [x, n] => int(n).and_then(|n| {
                let n = n.max(0) as usize;
                match &x.kind {
                    ValKind::List(items) => {
                        let n = n.min(items.len());
                        let part = if name == "take" {
                            items.get(..n)
                        } else {
                            items.get(n..)
                        };
                        part.map(|p| Val::list(p.to_vec(), sp))
                    }
                    ValKind::Str(s) => {
                        let len = utf16_len(s);
                        let n = n.min(len);
                        let (from, to) = if name == "take" { (0, n) } else { (n, len) };
                        utf16_slice(s, from, to).map(|t| Val::str(t, sp))
                    }
                    _ => None,
                }
            }),
            _ => None,
        },
        "substring" => match a.as_slice() {
            [s, start, rest @ ..] if rest.len() <= 1 => {
                match (s.as_str(), int(start), rest.first().map(int)) {
                    (Some(s), Some(start), len) => {
                        let total = utf16_len(s) as i64;
                        let len = match len {
                            Some(Some(l)) => l,
                            Some(None) => return Val::unknown("invalid `substring()` length", sp),
                            None => total - start,
                        };
                        if start < 0 || len < 0 || start + len > total {
                            None
                        } else {
                            utf16_slice(s, start as usize, (start + len) as usize)
                                .map(|t| Val::str(t, sp))
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        "trim" => match a.as_slice() {
            [s] => s.as_str().map(|s| Val::str(s.trim(), sp)),
            _ => None,
        },
        "startswith" | "endswith" => match a.as_slice() {
            [s, v] => match (s.as_str(), v.as_str()) {
                (Some(s), Some(v)) => {
                    let (h, n) = (s.to_lowercase(), v.to_lowercase());
                    Some(Val::bool(
                        if name == "startswith" {
                            h.starts_with(&n)
                        } else {
                            h.ends_with(&n)
                        },
                        sp,
                    ))
                }
                _ => None,
            },
            _ => None,
        },
        "indexof" | "lastindexof" => match a.as_slice() {
            [s, v] => match (s.as_str(), v.as_str()) {
                (Some(s), Some(v)) => find_ci(s, v, name == "lastindexof")
                    .map(|at| Val::number(at.map(|i| i as f64).unwrap_or(-1.0), sp)),
                _ => None,
            },
            _ => None,
        },
        "padleft" => match a.as_slice() {
            [v, total, rest @ ..] if rest.len() <= 1 => {
                let pad = match rest.first() {
                    Some(p) => p.as_str().and_then(|p| {
                        let mut cs = p.chars();
                        let c = cs.next();
                        if cs.next().is_some() { None } else { c }
                    }),
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
                        string(out, sp)
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        "json" => match a.as_slice() {
            [s] => s
                .as_str()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                .map(|j| from_json(&j, sp)),
            _ => None,
        },
        "items" => match a.as_slice() {
            [o] => o.as_object().map(|o| {
                let mut entries: Vec<(&str, &Val)> = o.iter().collect();
                entries.sort_by(|x, y| x.0.cmp(y.0));
                Val::list(
                    entries
                        .into_iter()
                        .map(|(k, v)| {
                            let mut e = Object::with_capacity(2);
                            e.push("key", Val::str(k, sp));
                            e.push("value", v.clone());
                            Val::object(e, sp)
                        })
                        .collect(),
                    sp,
                )
            }),
            _ => None,
        },
        "objectkeys" => match a.as_slice() {
            [o] => o
                .as_object()
                .map(|o| Val::list(o.keys().map(|k| Val::str(k, sp)).collect(), sp)),
            _ => None,
        },
        "tryget" => match a.split_first() {
            Some((base, keys)) if !keys.is_empty() => {
                let mut cur = base.clone();
                for k in keys {
                    let next = match (&cur.kind, &k.kind) {
                        (ValKind::Object(o), ValKind::Str(k)) => o.get_ci(k).cloned(),
                        (ValKind::List(l), ValKind::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
                            l.get(*n as usize).cloned()
                        }
                        (ValKind::Unknown(u), _) => return unknown_at(u, span),
                        (ValKind::Null, _) => None,
                        _ => None,
                    };
                    match next {
                        Some(v) => cur = v,
                        None => return Val::null(sp),
                    }
                }
                Some(cur.resited(sp))
            }
            _ => None,
        },
        _ => {
            return Val::unknown(format!("`{name}()` is not evaluated by erlint"), sp);
        }
    };
    r.unwrap_or_else(|| {
        Val::unknown(
            format!("`{name}()` cannot be applied to these arguments"),
            sp,
        )
    })
}

fn create_object(a: Vec<Val>, span: Span) -> Val {
    let sp = Some(span);
    if !a.len().is_multiple_of(2) {
        return Val::unknown("`createObject()` needs key/value pairs", sp);
    }
    let mut o = Object::with_capacity(a.len() / 2);
    let mut it = a.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        match &k.kind {
            ValKind::Str(k) => o.insert(k.clone(), v),
            ValKind::Unknown(u) => return unknown_at(u, span),
            _ => return Val::unknown("`createObject()` keys must be strings", sp),
        }
    }
    Val::object(o, sp)
}

fn concat(a: &[Val], sp: Option<Span>) -> Option<Val> {
    if a.is_empty() {
        return None;
    }
    if a.iter().all(|v| matches!(v.kind, ValKind::List(_))) {
        let total: usize = a.iter().filter_map(Val::as_list).map(<[Val]>::len).sum();
        if total > MAX_LIST {
            return None;
        }
        let mut out = Vec::with_capacity(total);
        for l in a.iter().filter_map(Val::as_list) {
            out.extend(l.iter().cloned());
        }
        return Some(Val::list(out, sp));
    }
    let mut s = String::new();
    for v in a {
        match &v.kind {
            ValKind::Str(_) | ValKind::Number(_) | ValKind::Bool(_) => s.push_str(&to_text(v)?),
            _ => return None,
        }
        if s.len() > MAX_STR {
            return None;
        }
    }
    Some(Val::str(s, sp))
}

fn logic(and: bool, a: &[Val], sp: Option<Span>) -> Option<Val> {
    if a.len() < 2 {
        return None;
    }
    let mut unknown = false;
    for v in a {
        match v.as_bool() {
            Some(b) if b != and => return Some(Val::bool(!and, sp)),
            Some(_) => {}
            None if v.is_unknown() => unknown = true,
            None => return None,
        }
    }
    if unknown {
        return Some(Val::unknown("a condition is not known", sp));
    }
    Some(Val::bool(and, sp))
}

/// Deep merge of objects (later values win; nested objects merge); distinct concatenation
/// of arrays.
fn union(a: &[Val], sp: Option<Span>) -> Option<Val> {
    if a.is_empty() {
        return None;
    }
    if a.iter().all(|v| v.as_object().is_some()) {
        let mut acc = Object::new();
        for v in a {
            merge_into(&mut acc, v.as_object()?);
        }
        return Some(Val::object(acc, sp));
    }
    if a.iter().all(|v| v.as_list().is_some()) {
        let mut out: Vec<Val> = Vec::new();
        for v in a.iter().filter_map(Val::as_list).flatten() {
            if !out.iter().any(|o| o.known_eq(v) == Some(true)) {
                out.push(v.clone());
            }
            if out.len() > MAX_LIST {
                return None;
            }
        }
        return Some(Val::list(out, sp));
    }
    None
}

fn merge_into(acc: &mut Object, o: &Object) {
    for (k, v) in o.iter() {
        let merged = match (acc.get(k).and_then(Val::as_object), v.as_object()) {
            (Some(old), Some(new)) => {
                let mut m = old.clone();
                merge_into(&mut m, new);
                Some(Val::object(m, v.span))
            }
            _ => None,
        };
        acc.insert(k, merged.unwrap_or_else(|| v.clone()));
    }
}

fn intersection(a: &[Val], sp: Option<Span>) -> Option<Val> {
    let (first, rest) = a.split_first()?;
    if rest.is_empty() {
        return None;
    }
    if let Some(items) = first.as_list() {
        let others: Vec<&[Val]> = rest.iter().map(Val::as_list).collect::<Option<_>>()?;
        let mut out = Vec::new();
        for v in items {
            let mut all = true;
            for o in &others {
                match o.iter().map(|x| x.known_eq(v)).find(|r| *r != Some(false)) {
                    Some(Some(true)) => {}
                    Some(None) => return Some(Val::unknown("an element is not known", sp)),
                    _ => all = false,
                }
            }
            if all && !out.iter().any(|x: &Val| x.known_eq(v) == Some(true)) {
                out.push(v.clone());
            }
        }
        return Some(Val::list(out, sp));
    }
    let o = first.as_object()?;
    let others: Vec<&Object> = rest.iter().map(Val::as_object).collect::<Option<_>>()?;
    let mut out = Object::new();
    for (k, v) in o.iter() {
        let mut all = true;
        for other in &others {
            match other.get(k).map(|x| x.known_eq(v)) {
                Some(Some(true)) => {}
                Some(None) => return Some(Val::unknown("a property is not known", sp)),
                _ => all = false,
            }
        }
        if all {
            out.insert(k, v.clone());
        }
    }
    Some(Val::object(out, sp))
}

fn split(a: &[Val], sp: Option<Span>) -> Option<Val> {
    let [s, d] = a else { return None };
    let s = s.as_str()?;
    let delims: Vec<&str> = match &d.kind {
        ValKind::Str(d) => vec![&**d],
        ValKind::List(items) => items.iter().map(Val::as_str).collect::<Option<_>>()?,
        _ => return None,
    };
    if delims.iter().any(|d| d.is_empty()) {
        return None;
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
                parts.push(Val::str(rest.get(..i).unwrap_or(""), sp));
                rest = rest.get(i + len..).unwrap_or("");
            }
            None => {
                parts.push(Val::str(rest, sp));
                break;
            }
        }
        if parts.len() > MAX_LIST {
            return None;
        }
    }
    Some(Val::list(parts, sp))
}

fn contains(a: &[Val], span: Span) -> Option<Val> {
    let sp = Some(span);
    let [c, item] = a else { return None };
    match &c.kind {
        ValKind::Str(s) => {
            let needle = match &item.kind {
                ValKind::Str(_) | ValKind::Number(_) => to_text(item)?,
                _ => return None,
            };
            Some(Val::bool(s.contains(needle.as_str()), sp))
        }
        ValKind::List(items) => {
            let mut unknown = false;
            for i in items.iter() {
                match i.known_eq(item) {
                    Some(true) => return Some(Val::bool(true, sp)),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            if unknown {
                return deep_unknown(a, span);
            }
            Some(Val::bool(false, sp))
        }
        ValKind::Object(o) => {
            let k = item.as_str()?;
            Some(Val::bool(o.get_ci(k).is_some(), sp))
        }
        _ => None,
    }
}

/// `resourceId` and friends. Known only when every segment is, including the
/// subscription (and resource group) that default to the deployment's own. When only those
/// are missing, the Unknown still says which resource it names (`type/name`, the form of
/// ARM resource addresses in the model), so references can be linked. With the id comes
/// the index of the argument that gave its subscription, if one did.
fn resource_id(name: &str, a: &[Val]) -> Result<(String, Option<usize>), (String, Option<String>)> {
    let bad = || {
        (
            format!("`{name}()` cannot be applied to these arguments"),
            None,
        )
    };
    let texts: Vec<String> = a
        .iter()
        .map(|v| match &v.kind {
            ValKind::Str(s) => Some(s.to_string()),
            ValKind::Number(_) => to_text(v),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let (base, rest) = if name == "extensionresourceid" {
        let (b, r) = texts.split_first().ok_or_else(bad)?;
        (Some(b.trim_end_matches('/').to_string()), r)
    } else {
        (None, texts.as_slice())
    };
    let t = rest.iter().position(|s| s.contains('/')).ok_or_else(bad)?;
    let (leading, tail) = rest.split_at(t);
    let (ty, names) = tail.split_first().ok_or_else(bad)?;
    let mut segs = ty.split('/');
    let ns = segs.next().unwrap_or("");
    let types: Vec<&str> = segs.collect();
    if types.len() != names.len() || ns.is_empty() {
        return Err(bad());
    }
    let mut path = format!("/providers/{ns}");
    for (t, n) in types.iter().zip(names) {
        path.push('/');
        path.push_str(t);
        path.push('/');
        path.push_str(n);
    }
    let address = format!("{ty}/{}", names.join("/"));
    let scope_unknown = |what: &str| {
        (
            format!(
                "`{name}()` without {what} uses the deployment's own, known only during deployment"
            ),
            Some(address.clone()),
        )
    };
    let mut sub_arg = None;
    let prefix = match name {
        "resourceid" => match leading {
            [sub, rg] => {
                sub_arg = Some(0);
                format!("/subscriptions/{sub}/resourceGroups/{rg}")
            }
            [_] => return Err(scope_unknown("a subscription id")),
            [] => return Err(scope_unknown("a subscription id and resource group")),
            _ => return Err(bad()),
        },
        "subscriptionresourceid" => match leading {
            [sub] => {
                sub_arg = Some(0);
                format!("/subscriptions/{sub}")
            }
            [] => return Err(scope_unknown("a subscription id")),
            _ => return Err(bad()),
        },
        "managementgroupresourceid" => match leading {
            [mg] => format!("/providers/Microsoft.Management/managementGroups/{mg}"),
            [] => return Err(scope_unknown("a management group")),
            _ => return Err(bad()),
        },
        "tenantresourceid" if leading.is_empty() => String::new(),
        "extensionresourceid" if leading.is_empty() => base.unwrap_or_default(),
        _ => return Err(bad()),
    };
    Ok((prefix + &path, sub_arg))
}

fn from_json(j: &serde_json::Value, sp: Option<Span>) -> Val {
    match j {
        serde_json::Value::Null => Val::null(sp),
        serde_json::Value::Bool(b) => Val::bool(*b, sp),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(x) => Val::number(x, sp),
            None => Val::unknown("number out of range", sp),
        },
        serde_json::Value::String(s) => Val::str(s.as_str(), sp),
        serde_json::Value::Array(a) => Val::list(a.iter().map(|v| from_json(v, sp)).collect(), sp),
        serde_json::Value::Object(o) => Val::object(
            o.iter()
                .map(|(k, v)| (Arc::from(k.as_str()), from_json(v, sp)))
                .collect(),
            sp,
        ),
    }
}

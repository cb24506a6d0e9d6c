//! Variable type constraints: `string`, `number`, `list(object({ a = optional(string, "x") }))`…
//! Values given to a variable are converted as Terraform converts them (a `"200"` for a
//! `number`, missing optional attributes filled with their defaults).

use super::ast::{Expr, ExprKind, ObjectKey};
use super::eval::to_number;
use crate::model::value::format_number;
use crate::model::{Object, Val, ValKind};
use crate::source::Span;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub enum TypeSpec {
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeSpec>),
    Set(Box<TypeSpec>),
    Map(Box<TypeSpec>),
    Tuple(Vec<TypeSpec>),
    Object(Vec<ObjectAttr>),
}

#[derive(Clone, Debug)]
pub struct ObjectAttr {
    pub name: Arc<str>,
    pub ty: TypeSpec,
    pub optional: bool,
    /// `optional(type, default)`'s default (a constant expression).
    pub default: Option<Val>,
}

impl TypeSpec {
    /// Read a type expression; anything unrecognised is `Any` (no conversion).
    pub fn parse(e: &Expr) -> TypeSpec {
        Self::parse_depth(e, 0)
    }

    fn parse_depth(e: &Expr, depth: usize) -> TypeSpec {
        if depth > 32 {
            return TypeSpec::Any;
        }
        match &e.kind {
            ExprKind::Variable(n) => match &**n {
                "string" => TypeSpec::String,
                "number" => TypeSpec::Number,
                "bool" => TypeSpec::Bool,
                _ => TypeSpec::Any,
            },
            ExprKind::Str(s) => match &**s {
                // Terraform JSON syntax writes types as strings.
                "string" => TypeSpec::String,
                "number" => TypeSpec::Number,
                "bool" => TypeSpec::Bool,
                _ => TypeSpec::Any,
            },
            ExprKind::Call(c) => {
                let arg = |i: usize| {
                    c.args
                        .get(i)
                        .map(|a| Self::parse_depth(a, depth + 1))
                        .unwrap_or(TypeSpec::Any)
                };
                match &*c.name {
                    "list" => TypeSpec::List(Box::new(arg(0))),
                    "set" => TypeSpec::Set(Box::new(arg(0))),
                    "map" => TypeSpec::Map(Box::new(arg(0))),
                    "tuple" => match c.args.first().map(|a| &a.kind) {
                        Some(ExprKind::Array(items)) => TypeSpec::Tuple(
                            items
                                .iter()
                                .map(|i| Self::parse_depth(i, depth + 1))
                                .collect(),
                        ),
                        _ => TypeSpec::Any,
                    },
                    "object" => match c.args.first().map(|a| &a.kind) {
                        Some(ExprKind::Object(items)) => {
                            let mut attrs: Vec<ObjectAttr> = Vec::with_capacity(items.len());
                            for (k, v) in items {
                                // A repeated name is an error (see `repeated_attributes`);
                                // Terraform keeps the first.
                                let Some(name) = k.literal() else { continue };
                                if attrs.iter().all(|a| &*a.name != name) {
                                    attrs.push(Self::object_attr(Arc::from(name), v, depth));
                                }
                            }
                            TypeSpec::Object(attrs)
                        }
                        _ => TypeSpec::Any,
                    },
                    _ => TypeSpec::Any,
                }
            }
            _ => TypeSpec::Any,
        }
    }

    /// Attribute names given twice in an `object({...})` type constructor, anywhere in the
    /// type expression `e`: Terraform rejects the type while decoding the variable
    /// ("Invalid type specification: Object constructor map keys must be unique", at the
    /// later key). Each is (name, the later key, the first key). An `optional(type,
    /// default)`'s default is a value, where a repeated key is valid (the last one wins).
    pub fn repeated_attributes(e: &Expr) -> Vec<(Arc<str>, Span, Span)> {
        let mut out = Vec::new();
        Self::find_repeats(e, 0, &mut out);
        out
    }

    fn find_repeats(e: &Expr, depth: usize, out: &mut Vec<(Arc<str>, Span, Span)>) {
        let ExprKind::Call(c) = &e.kind else { return };
        if depth > 32 || !c.namespace.is_empty() {
            return;
        }
        match (&*c.name, c.args.first().map(|a| &a.kind)) {
            ("list" | "set" | "map", _) | ("optional", _) => {
                if let Some(a) = c.args.first() {
                    Self::find_repeats(a, depth + 1, out);
                }
            }
            ("tuple", Some(ExprKind::Array(items))) => {
                for i in items {
                    Self::find_repeats(i, depth + 1, out);
                }
            }
            ("object", Some(ExprKind::Object(items))) => {
                let mut seen: Vec<(&str, Span)> = Vec::with_capacity(items.len());
                for (k, v) in items {
                    if let Some(name) = k.literal() {
                        match seen.iter().find(|(n, _)| *n == name) {
                            Some((_, first)) => out.push((Arc::from(name), k.span(), *first)),
                            None => seen.push((name, k.span())),
                        }
                    }
                    Self::find_repeats(v, depth + 1, out);
                }
            }
            _ => {}
        }
    }

    fn object_attr(name: Arc<str>, v: &Expr, depth: usize) -> ObjectAttr {
        if let ExprKind::Call(c) = &v.kind
            && &*c.name == "optional"
        {
            let ty = c
                .args
                .first()
                .map(|a| Self::parse_depth(a, depth + 1))
                .unwrap_or(TypeSpec::Any);
            let default = c.args.get(1).and_then(constant);
            return ObjectAttr {
                name,
                ty,
                optional: true,
                default,
            };
        }
        ObjectAttr {
            name,
            ty: Self::parse_depth(v, depth + 1),
            optional: false,
            default: None,
        }
    }

    /// Convert `v` to this type. `Err` when Terraform would reject the value.
    pub fn convert(&self, v: Val) -> Result<Val, String> {
        self.convert_depth(v, 0)
    }

    fn convert_depth(&self, v: Val, depth: usize) -> Result<Val, String> {
        if depth > 64 || matches!(v.kind, ValKind::Unknown(_) | ValKind::Null) {
            return Ok(v);
        }
        let (span, origin, external) = (v.span, v.origin, v.external);
        let rebuild = |kind: ValKind| Val {
            kind,
            span,
            origin,
            external,
        };
        match self {
            TypeSpec::Any => Ok(v),
            TypeSpec::String => match &v.kind {
                ValKind::Str(_) => Ok(v),
                ValKind::Number(n) => Ok(rebuild(ValKind::Str(Arc::from(format_number(*n))))),
                ValKind::Bool(b) => Ok(rebuild(ValKind::Str(Arc::from(b.to_string())))),
                _ => Err(format!("a string is required, not {}", v.type_name())),
            },
            TypeSpec::Number => match to_number(&v) {
                Some(n) => Ok(rebuild(ValKind::Number(n))),
                None => Err(format!("a number is required, not {}", v.type_name())),
            },
            TypeSpec::Bool => match &v.kind {
                ValKind::Bool(_) => Ok(v),
                ValKind::Str(s) if &**s == "true" => Ok(rebuild(ValKind::Bool(true))),
                ValKind::Str(s) if &**s == "false" => Ok(rebuild(ValKind::Bool(false))),
                _ => Err(format!("a bool is required, not {}", v.type_name())),
            },
            TypeSpec::List(t) | TypeSpec::Set(t) => {
                let set = matches!(self, TypeSpec::Set(_));
                Ok(rebuild(ValKind::List(
                    convert_list(t, set, &v, depth)?.into(),
                )))
            }
            TypeSpec::Tuple(ts) => {
                let items = match &v.kind {
                    ValKind::List(items) if items.len() == ts.len() => items.to_vec(),
                    _ => return Err(format!("a tuple of {} elements is required", ts.len())),
                };
                let out = items
                    .into_iter()
                    .zip(ts)
                    .map(|(i, t)| t.convert_depth(i, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rebuild(ValKind::List(out.into())))
            }
            TypeSpec::Map(t) => {
                let o = match &v.kind {
                    ValKind::Object(o) => o,
                    _ => return Err(format!("a map is required, not {}", v.type_name())),
                };
                let mut out = Object::with_capacity(o.len());
                for (k, x) in o.iter() {
                    out.push(k, t.convert_depth(x.clone(), depth + 1)?);
                }
                out.sort_keys();
                Ok(rebuild(ValKind::Object(Arc::new(out))))
            }
            TypeSpec::Object(attrs) => {
                let out = convert_object(attrs, &v, depth)?;
                Ok(rebuild(ValKind::Object(Arc::new(out))))
            }
        }
    }
}

/// The elements of `v` converted to a `list(t)` (or a `set(t)`: deduplicated and sorted
/// when every element is known).
fn convert_list(t: &TypeSpec, set: bool, v: &Val, depth: usize) -> Result<Vec<Val>, String> {
    let items = match &v.kind {
        ValKind::List(items) => items.to_vec(),
        _ => return Err(format!("a list is required, not {}", v.type_name())),
    };
    let mut out = items
        .into_iter()
        .map(|i| t.convert_depth(i, depth + 1))
        .collect::<Result<Vec<_>, _>>()?;
    if set && out.iter().all(Val::is_wholly_known) {
        let mut dedup: Vec<Val> = Vec::new();
        for x in out {
            if !dedup.iter().any(|d| d.known_eq(&x) == Some(true)) {
                dedup.push(x);
            }
        }
        dedup.sort_by_key(|a| a.to_string());
        out = dedup;
    }
    Ok(out)
}

/// The members of `v` converted to an `object({...})` of `attrs`: missing optional
/// attributes take their defaults.
fn convert_object(attrs: &[ObjectAttr], v: &Val, depth: usize) -> Result<Object, String> {
    let o = match &v.kind {
        ValKind::Object(o) => o,
        _ => return Err(format!("an object is required, not {}", v.type_name())),
    };
    let mut out = Object::with_capacity(attrs.len());
    for a in attrs {
        match o.get(&a.name) {
            Some(x) if !(x.is_null() && a.optional) => {
                out.push(a.name.clone(), a.ty.convert_depth(x.clone(), depth + 1)?)
            }
            present => {
                if !a.optional {
                    return Err(format!("attribute `{}` is required", a.name));
                }
                // A missing optional attribute takes its default, re-sited where
                // the object was written (the default's own span is the origin).
                let filled = match &a.default {
                    Some(d) => {
                        a.ty.convert_depth(d.clone(), depth + 1)?
                            .resited(present.and_then(|p| p.span).or(v.span))
                    }
                    None => Val::null(present.and_then(|p| p.span)),
                };
                out.push(a.name.clone(), filled);
            }
        }
    }
    out.sort_keys();
    Ok(out)
}

/// A constant expression's value (literals only), for `optional()` defaults.
fn constant(e: &Expr) -> Option<Val> {
    let sp = Some(e.span);
    Some(match &e.kind {
        ExprKind::Null => Val::null(sp),
        ExprKind::Bool(b) => Val::bool(*b, sp),
        ExprKind::Number(n) => Val::number(*n, sp),
        ExprKind::Str(s) => Val::str(s.clone(), sp),
        ExprKind::Unary(super::ast::UnaryOp::Neg, x) => Val::number(-constant(x)?.as_f64()?, sp),
        ExprKind::Array(items) => {
            Val::list(items.iter().map(constant).collect::<Option<Vec<_>>>()?, sp)
        }
        ExprKind::Object(items) => {
            let mut o = Object::new();
            for (k, v) in items {
                let key = match k {
                    ObjectKey::Ident(s, _) => s.clone(),
                    ObjectKey::Expr(x) => Arc::from(x.as_str()?),
                };
                o.insert(key, constant(v)?);
            }
            Val::object(o, sp)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::terraform::hcl;

    fn ty(src: &str) -> TypeSpec {
        let text = format!("x = {src}\n");
        let b = hcl::Conv::new(FileId(0)).body(&hcl::parse(&text).unwrap());
        TypeSpec::parse(&b.attrs[0].expr)
    }

    #[test]
    fn repeated_object_type_attributes_are_found_at_every_depth() {
        let text = "x = map(object({ a = string, b = optional(object({ c = number, c = bool })), \"a\" = number, d = optional(map(string), { k = \"1\", k = \"2\" }) }))\n";
        let b = hcl::Conv::new(FileId(0)).body(&hcl::parse(text).unwrap());
        let found: Vec<(String, &str, &str)> = TypeSpec::repeated_attributes(&b.attrs[0].expr)
            .into_iter()
            .map(|(n, at, first)| (n.to_string(), &text[at.range()], &text[first.range()]))
            .collect();
        // Not the repeated key of the default value.
        assert_eq!(
            found,
            [("c".to_string(), "c", "c"), ("a".to_string(), "\"a\"", "a")]
        );
        let TypeSpec::Map(inner) = TypeSpec::parse(&b.attrs[0].expr) else {
            panic!()
        };
        let TypeSpec::Object(attrs) = *inner else {
            panic!()
        };
        // Terraform keeps the first definition.
        assert_eq!(attrs.len(), 3);
        assert!(matches!(attrs[0].ty, TypeSpec::String));
    }

    #[test]
    fn optional_attributes_get_defaults() {
        let t = ty(
            "map(object({ primary = string, secondary = optional(string), vlan = optional(number, 100) }))",
        );
        let mut east = Object::new();
        east.insert("primary", Val::str("10.0.0.0/30", None));
        let mut m = Object::new();
        m.insert("east", Val::object(east, None));
        let v = t.convert(Val::object(m, None)).unwrap();
        let e = v.get("east").unwrap();
        assert!(e.get("secondary").unwrap().is_null());
        assert_eq!(e.get("vlan").unwrap().as_f64(), Some(100.0));
    }

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(
            ty("number")
                .convert(Val::str("200", None))
                .unwrap()
                .as_f64(),
            Some(200.0)
        );
        assert_eq!(
            ty("string")
                .convert(Val::number(5.0, None))
                .unwrap()
                .as_str(),
            Some("5")
        );
        assert!(ty("number").convert(Val::str("abc", None)).is_err());
        assert!(
            ty("object({ a = string })")
                .convert(Val::object(Object::new(), None))
                .is_err()
        );
    }
}

//! Unit tests of the function library through its public entry points, without a
//! template (as a Bicep evaluator calls it). The ARM scenario tests (`arm/tests.rs`)
//! cover the same functions inside templates.

use super::*;
use crate::source::FileId;
use serde_json::json;

fn at() -> Span {
    Span::new(FileId(0), 10, 20)
}

fn s(x: &str) -> Val {
    Val::str(x, None)
}

fn n(x: f64) -> Val {
    Val::number(x, None)
}

fn list(items: Vec<Val>) -> Val {
    Val::list(items, None)
}

/// Apply and convert a Known result to JSON.
fn known(name: &str, args: Vec<Val>) -> serde_json::Value {
    let v = apply(name, &args, at());
    assert!(v.is_wholly_known(), "{name}: {:?}", v.first_unknown());
    assert_eq!(v.span, Some(at()), "{name}: produced at the call");
    v.to_json()
}

/// Apply, expecting an Unknown; its reason.
fn unknown(name: &str, args: Vec<Val>) -> String {
    let v = apply(name, &args, at());
    match v.as_unknown() {
        Some(u) => u.reason.clone(),
        None => panic!("{name} is known: {v:?}"),
    }
}

#[test]
fn apply_needs_no_template() {
    assert_eq!(known("concat", vec![s("er-"), n(1.0)]), json!("er-1"));
    assert_eq!(known("tolower", vec![s("ER")]), json!("er"));
    assert_eq!(known("createarray", vec![s("a")]), json!(["a"]));
    assert!(unknown("resourcegroup", vec![]).contains("only known during deployment"));
    assert!(unknown("nosuchfunction", vec![]).contains("not evaluated"));
    assert!(unknown("substring", vec![s("abc"), n(2.0), n(5.0)]).contains("cannot be applied"));
}

#[test]
fn unknown_arguments_make_unknown_results_except_for_wrappers() {
    let u = Val::unknown("`param` has no value", None);
    assert_eq!(unknown("tolower", vec![u.clone()]), "`param` has no value");
    // createArray keeps the Unknown as an element; and/or decide when they can.
    let v = apply("createarray", &[s("a"), u.clone()], at());
    assert_eq!(v.as_list().map(<[Val]>::len), Some(2));
    assert_eq!(
        known("and", vec![Val::bool(false, None), u.clone()]),
        json!(false)
    );
    assert_eq!(
        unknown("and", vec![Val::bool(true, None), u]),
        "a condition is not known"
    );
}

#[test]
fn passed_through_values_keep_their_origin() {
    let mut item = s("x");
    item.span = Some(Span::new(FileId(1), 1, 4));
    let v = apply("first", &[list(vec![item])], at());
    assert_eq!(v.span, Some(at()));
    assert_eq!(v.origin, Some(Span::new(FileId(1), 1, 4)));
}

#[test]
fn special_forms_evaluate_lazily() {
    let mut evaluated = Vec::new();
    let v = if_then_else(
        &Val::bool(false, None),
        |taken| {
            evaluated.push(taken);
            s("else")
        },
        at(),
    );
    assert_eq!(v.to_json(), json!("else"));
    assert_eq!(evaluated, [false]);
    let mut count = 0;
    let args = [Val::null(None), s("first"), s("never")]
        .into_iter()
        .inspect(|_| count += 1);
    assert_eq!(coalesce(args, at()).to_json(), json!("first"));
    assert_eq!(count, 2, "arguments after the result are not evaluated");
    assert!(if_then_else(&s("yes"), |_| s("x"), at()).is_unknown());
}

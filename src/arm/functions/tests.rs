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

fn b(x: bool) -> Val {
    Val::bool(x, None)
}

/// learn.microsoft.com, "CIDR functions for ARM templates": the documented examples.
#[test]
fn parse_cidr_as_documented() {
    assert_eq!(
        known("parsecidr", vec![s("10.144.0.0/20")]),
        json!({"network": "10.144.0.0", "netmask": "255.255.240.0", "broadcast": "10.144.15.255",
               "firstUsable": "10.144.0.1", "lastUsable": "10.144.15.254", "cidr": 20})
    );
    // IPv6 has no broadcast address, and every address is usable.
    assert_eq!(
        known("parsecidr", vec![s("fdad:3236:5555::/48")]),
        json!({"network": "fdad:3236:5555::", "netmask": "ffff:ffff:ffff::",
               "firstUsable": "fdad:3236:5555::", "lastUsable": "fdad:3236:5555:ffff:ffff:ffff:ffff:ffff",
               "cidr": 48})
    );
    // Not documented: host bits, /31 and /32. Not CIDR at all: Unknown too.
    for bad in [
        "10.144.1.0/20",
        "10.0.0.0/31",
        "10.0.0.1/32",
        "10.0.0.0",
        "10.0.0.0/33",
        "x/8",
    ] {
        unknown("parsecidr", vec![s(bad)]);
    }
    unknown("parsecidr", vec![n(10.0)]);
}

#[test]
fn cidr_subnet_takes_the_new_prefix_length() {
    // Unlike Terraform's cidrsubnet(prefix, newbits, netnum): the second argument is the
    // new prefix length itself.
    let subnets: Vec<_> = (0..5)
        .map(|i| {
            known(
                "cidrsubnet",
                vec![s("10.144.0.0/20"), n(24.0), n(f64::from(i))],
            )
        })
        .collect();
    assert_eq!(
        subnets,
        [
            json!("10.144.0.0/24"),
            json!("10.144.1.0/24"),
            json!("10.144.2.0/24"),
            json!("10.144.3.0/24"),
            json!("10.144.4.0/24")
        ]
    );
    assert_eq!(
        known(
            "cidrsubnet",
            vec![s("fdad:3236:5555::/48"), n(52.0), n(3.0)]
        ),
        json!("fdad:3236:5555:3000::/52")
    );
    assert_eq!(
        known("cidrsubnet", vec![s("10.0.0.0/8"), n(8.0), n(0.0)]),
        json!("10.0.0.0/8")
    );
    assert_eq!(
        known("cidrsubnet", vec![s("::/0"), n(1.0), n(1.0)]),
        json!("8000::/1")
    );
    // A /20 has 16 /24s; a shorter prefix, a longer one than 32, a negative index: errors.
    for (len, i) in [
        (24.0, 16.0),
        (16.0, 0.0),
        (33.0, 0.0),
        (24.0, -1.0),
        (24.5, 0.0),
    ] {
        unknown("cidrsubnet", vec![s("10.144.0.0/20"), n(len), n(i)]);
    }
}

#[test]
fn cidr_host_counts_usable_addresses_from_zero() {
    let hosts: Vec<_> = (0..3)
        .map(|i| known("cidrhost", vec![s("10.144.3.0/24"), n(f64::from(i))]))
        .collect();
    assert_eq!(
        hosts,
        [
            json!("10.144.3.1"),
            json!("10.144.3.2"),
            json!("10.144.3.3")
        ]
    );
    assert_eq!(
        known("cidrhost", vec![s("fdad:3236:5555:3000::/52"), n(4.0)]),
        json!("fdad:3236:5555:3000::5")
    );
    // 253 is the last usable of a /24 (.254); .255 is the broadcast address.
    assert_eq!(
        known("cidrhost", vec![s("10.0.0.0/24"), n(253.0)]),
        json!("10.0.0.254")
    );
    unknown("cidrhost", vec![s("10.0.0.0/24"), n(254.0)]);
    unknown("cidrhost", vec![s("10.0.0.0/24"), n(-1.0)]);
    unknown("cidrhost", vec![s("10.0.0.0/31"), n(0.0)]);
}

/// learn.microsoft.com, "String functions for ARM templates".
#[test]
fn base64_and_data_uris() {
    assert_eq!(
        known("base64", vec![s("one, two, three")]),
        json!("b25lLCB0d28sIHRocmVl")
    );
    assert_eq!(
        known("base64tostring", vec![s("b25lLCB0d28sIHRocmVl")]),
        json!("one, two, three")
    );
    assert_eq!(
        known("base64tojson", vec![s("eyJvbmUiOiAiYSIsICJ0d28iOiAiYiJ9")]),
        json!({"one": "a", "two": "b"})
    );
    assert_eq!(known("base64", vec![s("Zürich")]), json!("WsO8cmljaA=="));
    assert_eq!(
        known("base64tostring", vec![s("WsO8\ncmljaA==")]),
        json!("Zürich")
    );
    unknown("base64tostring", vec![s("not base64!")]);
    // Bytes that are not UTF-8.
    unknown("base64tostring", vec![s("/w==")]);
    // "charset=utf8", as documented, without a hyphen.
    assert_eq!(
        known("datauri", vec![s("Hello")]),
        json!("data:text/plain;charset=utf8;base64,SGVsbG8=")
    );
    assert_eq!(
        known(
            "datauritostring",
            vec![s("data:;base64,SGVsbG8sIFdvcmxkIQ==")]
        ),
        json!("Hello, World!")
    );
    assert_eq!(
        known(
            "datauritostring",
            vec![s("data:text/plain;charset=utf8;base64,SGVsbG8=")]
        ),
        json!("Hello")
    );
    unknown("datauritostring", vec![s("data:text/plain,Hello")]);
    unknown(
        "datauritostring",
        vec![s("data:text/plain;charset=latin1;base64,SGVsbG8=")],
    );
    unknown("datauritostring", vec![s("SGVsbG8=")]);
    unknown("datauri", vec![list(vec![])]);
}

#[test]
fn uris() {
    let url = "http://contoso.com/resources/nested/azuredeploy.json";
    let escaped = "http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json";
    assert_eq!(known("uricomponent", vec![s(url)]), json!(escaped));
    assert_eq!(known("uricomponenttostring", vec![s(escaped)]), json!(url));
    assert_eq!(
        known("uricomponent", vec![s("a b~ü")]),
        json!("a%20b~%C3%BC")
    );
    unknown("uricomponenttostring", vec![s("100%")]);
    unknown("uricomponenttostring", vec![s("%FF")]);
    // The documented cases of the trailing slash.
    for (base, want) in [
        (
            "http://contoso.org/firstpath",
            "http://contoso.org/myscript.sh",
        ),
        (
            "http://contoso.org/firstpath/",
            "http://contoso.org/firstpath/myscript.sh",
        ),
        (
            "http://contoso.org/firstpath/azuredeploy.json",
            "http://contoso.org/firstpath/myscript.sh",
        ),
        (
            "http://contoso.org/firstpath/azuredeploy.json/",
            "http://contoso.org/firstpath/azuredeploy.json/myscript.sh",
        ),
    ] {
        assert_eq!(
            known("uri", vec![s(base), s("myscript.sh")]),
            json!(want),
            "{base}"
        );
    }
    assert_eq!(
        known("uri", vec![s("https://contoso.org/a/b"), s("/c/d.json")]),
        json!("https://contoso.org/c/d.json")
    );
    // What .NET would normalise or resolve differently is not decided here.
    for (base, rel) in [
        ("http://Contoso.org/a", "b"),
        ("http://contoso.org", "b"),
        ("http://contoso.org:80/a", "b"),
        ("http://contoso.org/a", "../b"),
        ("http://contoso.org/a", "b?x=1"),
        ("http://contoso.org/a", "https://other/b"),
        ("http://contoso.org/a b", "c"),
    ] {
        unknown("uri", vec![s(base), s(rel)]);
    }
}

#[test]
fn epoch_times() {
    // learn.microsoft.com, "Date functions for ARM templates".
    assert_eq!(
        known("datetimefromepoch", vec![n(1_683_040_573.0)]),
        json!("2023-05-02T15:16:13Z")
    );
    assert_eq!(
        known("datetimetoepoch", vec![s("2023-05-02T15:16:13Z")]),
        json!(1_683_040_573)
    );
    assert_eq!(
        known("datetimetoepoch", vec![s("2023-05-02T17:16:13+02:00")]),
        json!(1_683_040_573)
    );
    unknown("datetimetoepoch", vec![s("2023-05-02T15:16:13")]);
    unknown("datetimetoepoch", vec![s("2023-05-02T15:16:13.5Z")]);
    unknown("datetimefromepoch", vec![n(1.5)]);
    unknown("datetimefromepoch", vec![s("0")]);
    // Its base is usually utcNow(): only known during deployment.
    assert!(unknown("utcnow", vec![]).contains("deployment"));
    // Not evaluated (its default format is .NET's rendering of the base value).
    assert!(
        unknown("datetimeadd", vec![s("2020-01-01T00:00:00Z"), s("P1D")]).contains("not evaluated")
    );
}

#[test]
fn flatten_and_index_from_end() {
    let nested = list(vec![
        list(vec![n(1.0), n(2.0)]),
        list(vec![]),
        list(vec![list(vec![n(3.0)])]),
    ]);
    assert_eq!(known("flatten", vec![nested]), json!([1, 2, [3]]));
    unknown("flatten", vec![list(vec![n(1.0)])]);
    let l = list(vec![s("a"), s("b"), s("c")]);
    assert_eq!(known("indexfromend", vec![l.clone(), n(1.0)]), json!("c"));
    assert_eq!(known("indexfromend", vec![l.clone(), n(3.0)]), json!("a"));
    unknown("indexfromend", vec![l.clone(), n(4.0)]);
    unknown("indexfromend", vec![l.clone(), n(0.0)]);
    assert_eq!(
        known("tryindexfromend", vec![l.clone(), n(2.0)]),
        json!("b")
    );
    assert_eq!(
        known("tryindexfromend", vec![l.clone(), n(4.0)]),
        json!(null)
    );
    assert_eq!(known("tryindexfromend", vec![l, n(-1.0)]), json!(null));
}

#[test]
fn index_of_in_arrays_is_exact() {
    let l = list(vec![s("a"), s("B"), n(1.0), s("a")]);
    assert_eq!(known("indexof", vec![l.clone(), s("a")]), json!(0));
    assert_eq!(known("lastindexof", vec![l.clone(), s("a")]), json!(3));
    // Strings in arrays compare case-sensitively (in strings, indexOf ignores case).
    assert_eq!(known("indexof", vec![l.clone(), s("b")]), json!(-1));
    assert_eq!(known("indexof", vec![s("aBc"), s("b")]), json!(1));
    assert_eq!(known("indexof", vec![l, n(1.0)]), json!(2));
    let partly = list(vec![s("x"), Val::unknown("not known", None), s("a")]);
    assert_eq!(known("indexof", vec![partly.clone(), s("x")]), json!(0));
    assert_eq!(unknown("indexof", vec![partly, s("a")]), "not known");
}

#[test]
fn float_and_fail() {
    assert_eq!(known("float", vec![s("2.5")]), json!(2.5));
    assert_eq!(known("float", vec![s(" 1e3 ")]), json!(1000));
    assert_eq!(known("float", vec![n(3.0)]), json!(3));
    unknown("float", vec![s("NaN")]);
    unknown("float", vec![s("1,5")]);
    unknown("float", vec![b(true)]);
    assert_eq!(
        unknown("fail", vec![s("no circuit")]),
        "the deployment fails here: no circuit"
    );
}

#[test]
fn case_changes_one_character_at_a_time() {
    // .NET's ToLowerInvariant: a final sigma is σ (Rust's to_lowercase gives ς).
    assert_eq!(known("tolower", vec![s("ΟΔΟΣ")]), json!("οδοσ"));
    assert_eq!(known("toupper", vec![s("Zürich")]), json!("ZÜRICH"));
    // ß has no one-character upper case: what .NET keeps is not documented.
    unknown("toupper", vec![s("Straße")]);
}

#[test]
fn range_stays_within_int32() {
    // Documented: start + count must be no greater than 2147483647.
    assert_eq!(
        known("range", vec![n(2_147_483_646.0), n(1.0)]),
        json!([2_147_483_646i64])
    );
    unknown("range", vec![n(2_147_483_647.0), n(1.0)]);
    assert_eq!(known("range", vec![n(-2.0), n(2.0)]), json!([-2, -1]));
    unknown("range", vec![n(0.0), n(10_001.0)]);
}

/// Lambdas as a Bicep evaluator passes them: closures over evaluated values.
type Closure = Box<dyn FnMut(&[Val]) -> Val>;
struct Closures(Vec<(usize, Closure)>);

impl Lambdas for Closures {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn params(&self, i: usize) -> usize {
        self.0.get(i).map_or(0, |(p, _)| *p)
    }
    fn call(&mut self, i: usize, args: &[Val]) -> Val {
        assert_eq!(args.len(), self.params(i), "as many values as parameters");
        (self.0[i].1)(args)
    }
}

fn lambda(params: usize, f: impl FnMut(&[Val]) -> Val + 'static) -> Closures {
    Closures(vec![(params, Box::new(f))])
}

#[test]
fn lambda_functions_with_the_callers_lambdas() {
    let nums = list(vec![n(3.0), n(1.0), n(2.0)]);
    let odd = |a: &[Val]| b(a[0].as_f64().unwrap() % 2.0 == 1.0);
    let v = apply_with_lambdas(
        "filter",
        std::slice::from_ref(&nums),
        &mut lambda(1, odd),
        at(),
    );
    assert_eq!(v.to_json(), json!([3, 1]));
    let with_index = |a: &[Val]| n(a[0].as_f64().unwrap() * 10.0 + a[1].as_f64().unwrap());
    let v = apply_with_lambdas(
        "map",
        std::slice::from_ref(&nums),
        &mut lambda(2, with_index),
        at(),
    );
    assert_eq!(v.to_json(), json!([30, 11, 22]));
    let sum = |a: &[Val]| n(a[0].as_f64().unwrap() + a[1].as_f64().unwrap());
    let v = apply_with_lambdas(
        "reduce",
        &[nums.clone(), n(10.0)],
        &mut lambda(2, sum),
        at(),
    );
    assert_eq!(v.to_json(), json!(16));
    let less = |a: &[Val]| b(a[0].as_f64() < a[1].as_f64());
    let v = apply_with_lambdas(
        "sort",
        std::slice::from_ref(&nums),
        &mut lambda(2, less),
        at(),
    );
    assert_eq!(v.to_json(), json!([1, 2, 3]));
    let name = |a: &[Val]| s(&format!("k{}", a[0]));
    let v = apply_with_lambdas(
        "toobject",
        std::slice::from_ref(&nums),
        &mut lambda(1, name),
        at(),
    );
    assert_eq!(v.to_json(), json!({"k3": 3, "k1": 1, "k2": 2}));
    let parity = |a: &[Val]| {
        s(if a[0].as_f64().unwrap() % 2.0 == 0.0 {
            "even"
        } else {
            "odd"
        })
    };
    let v = apply_with_lambdas(
        "groupby",
        std::slice::from_ref(&nums),
        &mut lambda(1, parity),
        at(),
    );
    assert_eq!(v.to_json(), json!({"odd": [3, 1], "even": [2]}));
    let o = Val::object([("a".into(), n(1.0))].into_iter().collect(), None);
    let double = |a: &[Val]| n(a[0].as_f64().unwrap() * 2.0);
    let v = apply_with_lambdas("mapvalues", &[o], &mut lambda(1, double), at());
    assert_eq!(v.to_json(), json!({"a": 2}));
    // Wrong shapes: no lambda, a lambda with the wrong parameters, two inputs.
    let none = &mut Closures(Vec::new());
    assert!(apply_with_lambdas("map", std::slice::from_ref(&nums), none, at()).is_unknown());
    assert!(
        apply_with_lambdas(
            "sort",
            std::slice::from_ref(&nums),
            &mut lambda(1, odd),
            at()
        )
        .is_unknown()
    );
    let v = apply_with_lambdas(
        "map",
        &[nums.clone(), nums.clone()],
        &mut lambda(1, odd),
        at(),
    );
    assert!(v.is_unknown());
    // Without its lambdas, `apply` cannot evaluate a lambda function.
    assert!(unknown("filter", vec![nums]).contains("lambda"));
}

#[test]
fn a_child_id_built_on_an_unknown_parent_id_names_the_child() {
    let refers = |name: &str, args: Vec<Val>| {
        apply(name, &args, at())
            .as_unknown()
            .and_then(|u| u.refers_to.clone())
    };
    let vnet = || {
        apply(
            "resourceid",
            &[s("Microsoft.Network/virtualNetworks"), s("hub")],
            at(),
        )
    };
    assert_eq!(
        refers("concat", vec![vnet(), s("/subnets/GatewaySubnet")]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/subnets/hub/GatewaySubnet")
    );
    assert_eq!(
        refers("concat", vec![vnet(), s("/subnets/"), s("GatewaySubnet")]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/subnets/hub/GatewaySubnet")
    );
    // Bicep's `'${hub.id}/subnets/GatewaySubnet'`.
    assert_eq!(
        refers("format", vec![s("{0}/subnets/GatewaySubnet"), vnet()]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/subnets/hub/GatewaySubnet")
    );
    // A type written with a trailing slash is the same type.
    assert_eq!(
        refers(
            "resourceid",
            vec![
                s("Microsoft.Network/virtualNetworks/subnets/"),
                s("hub"),
                s("gw")
            ]
        )
        .as_deref(),
        Some("Microsoft.Network/virtualNetworks/subnets/hub/gw")
    );
    // Not a child's path: the parent's Unknown as before (or none).
    assert_eq!(
        refers("concat", vec![vnet(), s("/subnets")]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/hub")
    );
    assert_eq!(
        refers("format", vec![s("{0}/subnets/{1}"), vnet(), s("x")]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/hub")
    );
    assert_eq!(
        refers("concat", vec![s("/subscriptions/x"), vnet()]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/hub")
    );
}

/// A parameter without value, as the ARM evaluator gives it: Unknown, with its symbol.
fn unset(name: &str) -> Val {
    Val::unknown_with(
        Unknown {
            reason: format!("parameter `{name}` has no value"),
            symbol: Some(crate::model::value::symbol(name, 0)),
            ..Unknown::default()
        },
        None,
    )
}

fn symbol_of(v: &Val) -> Option<String> {
    v.as_unknown()
        .and_then(|u| u.symbol.as_deref().map(str::to_string))
}

#[test]
fn a_name_built_from_a_parameter_without_value_keeps_its_symbol() {
    let v = apply("concat", &[unset("vnet"), s("/"), s("GatewaySubnet")], at());
    assert_eq!(symbol_of(&v).as_deref(), Some("⟨vnet#0⟩/GatewaySubnet"));
    // Still Unknown, for the parameter's reason, at the call.
    assert_eq!(
        v.as_unknown().unwrap().reason,
        "parameter `vnet` has no value"
    );
    assert_eq!(v.span, Some(at()));
    let v = apply("format", &[s("{0}-ergw-{1}"), unset("vnet"), n(2.0)], at());
    assert_eq!(symbol_of(&v).as_deref(), Some("⟨vnet#0⟩-ergw-2"));
    // resourceId: the address of the resource the name names.
    let v = apply(
        "resourceid",
        &[
            s("Microsoft.Network/virtualNetworks/subnets"),
            unset("vnet"),
            s("gw"),
        ],
        at(),
    );
    let u = v.as_unknown().unwrap();
    assert_eq!(
        u.refers_to.as_deref(),
        Some("Microsoft.Network/virtualNetworks/subnets/⟨vnet#0⟩/gw")
    );
    assert_eq!(
        (u.reason.as_str(), u.symbol.is_none()),
        ("parameter `vnet` has no value", true)
    );
    // A child's id built on it names the child.
    let vnet = apply(
        "resourceid",
        &[s("Microsoft.Network/virtualNetworks"), unset("vnet")],
        at(),
    );
    let v = apply("format", &[s("{0}/subnets/GatewaySubnet"), vnet], at());
    assert_eq!(
        v.as_unknown().and_then(|u| u.refers_to.as_deref()),
        Some("Microsoft.Network/virtualNetworks/subnets/⟨vnet#0⟩/GatewaySubnet")
    );
    // Bicep's id of a child whose name holds its parent's: the segments.
    let name = apply("format", &[s("{0}/snet-er"), unset("vnet")], at());
    let v = apply("split", &[name, s("/")], at());
    let segments = v.as_list().expect("a list of two segments");
    assert_eq!(segments.len(), 2);
    assert_eq!(symbol_of(&segments[0]).as_deref(), Some("⟨vnet#0⟩"));
    assert_eq!(segments[1].as_str(), Some("snet-er"));
}

#[test]
fn a_value_computed_from_a_symbol_is_another_value() {
    // Other functions give another value: no symbol, the same reason.
    for (name, args) in [
        ("tolower", vec![unset("vnet")]),
        ("take", vec![unset("vnet"), n(8.0)]),
        ("replace", vec![unset("vnet"), s("-"), s("")]),
        ("if", vec![unset("north"), s("vnet-a"), s("vnet-b")]),
        ("array", vec![unset("vnet")]),
        ("string", vec![list(vec![unset("vnet")])]),
    ] {
        let v = apply(name, &args, at());
        let u = v.as_unknown().unwrap_or_else(|| panic!("{name}: {v:?}"));
        assert_eq!(u.symbol, None, "{name}");
        assert!(u.reason.contains("has no value"), "{name}: {}", u.reason);
    }
    // A text built from one without a symbol has none.
    let v = apply(
        "concat",
        &[unset("vnet"), Val::unknown("`reference()`", None)],
        at(),
    );
    assert_eq!(symbol_of(&v), None);
}

#[test]
fn a_member_of_a_symbol_has_its_own() {
    let hub = unset("hub");
    let ValKind::Unknown(u) = &hub.kind else {
        panic!("{hub:?}")
    };
    let member = |m: Option<Val>| u.member(m.as_ref()).symbol.as_deref().map(str::to_string);
    assert_eq!(
        member(Some(s("VnetName"))).as_deref(),
        Some("⟨hub#0⟩.vnetname")
    );
    assert_eq!(member(Some(n(1.0))).as_deref(), Some("⟨hub#0⟩[1]"));
    // Keys that would read as a name's segments, and keys not known, have none.
    assert_eq!(member(Some(s("a/b"))), None);
    assert_eq!(member(Some(Val::unknown("x", None))), None);
    assert_eq!(member(None), None);
}

#[test]
fn a_symbol_is_kept_only_where_the_text_is_the_values() {
    let symbol = |name: &str, args: Vec<Val>| symbol_of(&apply(name, &args, at()));
    let refers = |args: Vec<Val>| {
        apply("resourceid", &args, at())
            .as_unknown()
            .and_then(|u| u.refers_to.clone())
    };
    // `{0:D2}` writes `07` for 7, `{0,8}` pads: not the parameter's text.
    assert_eq!(symbol("format", vec![s("vnet-{0:D2}"), unset("i")]), None);
    assert_eq!(symbol("format", vec![s("vnet-{0,8}"), unset("i")]), None);
    assert_eq!(
        symbol("format", vec![s("{{vnet}}-{0}"), unset("i")]).as_deref(),
        Some("{vnet}-⟨i#0⟩")
    );
    // A format not known is not text either.
    assert_eq!(symbol("format", vec![unset("f"), unset("i")]), None);
    // Split only a name's segments joined with `/`: a parameter's value may hold any
    // other separator, or a `/` of its own.
    for (text, separator) in [
        (unset("p"), s("-")),
        (unset("p"), s("/")),
        (apply("concat", &[unset("p"), s("/x")], at()), s("-")),
        (apply("concat", &[unset("p"), s("/x")], at()), unset("sep")),
    ] {
        let v = apply("split", &[text, separator], at());
        assert!(v.is_unknown(), "{v:?}");
        assert_eq!(symbol_of(&v), None);
    }
    // A resource in another resource group or subscription is not this deployment's.
    let subnets = || s("Microsoft.Network/virtualNetworks/subnets");
    assert_eq!(
        refers(vec![s("rg-hub"), subnets(), unset("v"), s("gw")]),
        None
    );
    assert_eq!(
        refers(vec![unset("rg"), subnets(), unset("v"), s("gw")]),
        None
    );
    assert_eq!(
        refers(vec![s("sub"), s("rg-hub"), subnets(), unset("v"), s("gw")]),
        None
    );
    // Literal names keep naming what they name.
    assert_eq!(
        refers(vec![s("rg-hub"), subnets(), s("hub"), s("gw")]).as_deref(),
        Some("Microsoft.Network/virtualNetworks/subnets/hub/gw")
    );
}

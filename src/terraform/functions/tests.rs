//! The function library against Terraform's behaviour. Results are rendered compactly
//! (JSON-like, `?` for Unknown) and compared with what Terraform returns; expected errors
//! are written `error: <part of the message>`.

#![allow(clippy::too_many_lines, reason = "a test lists its cases")]

use super::{call, is_supported};
use crate::model::{Object, Unknown, Val, ValKind};
use crate::source::{FileId, Span};

const SITE: Span = Span {
    file: FileId(0),
    start: 100,
    end: 120,
};

/// A span in another file (where a literal was written).
fn at(start: u32) -> Option<Span> {
    Some(Span {
        file: FileId(1),
        start,
        end: start + 1,
    })
}

fn s(x: &str) -> Val {
    Val::str(x, None)
}

fn n(x: f64) -> Val {
    Val::number(x, None)
}

fn b(x: bool) -> Val {
    Val::bool(x, None)
}

fn null() -> Val {
    Val::null(None)
}

fn unk() -> Val {
    Val::unknown(
        "`azurerm_public_ip.a.ip_address` is only known after apply",
        None,
    )
}

fn list(items: Vec<Val>) -> Val {
    Val::list(items, None)
}

fn strs(items: &[&str]) -> Val {
    list(items.iter().map(|x| s(x)).collect())
}

fn nums(items: &[f64]) -> Val {
    list(items.iter().map(|x| n(*x)).collect())
}

/// An object with keys in the given order.
fn obj(entries: Vec<(&str, Val)>) -> Val {
    let mut o = Object::new();
    for (k, v) in entries {
        o.insert(k, v);
    }
    Val::object(o, None)
}

/// Compact rendering: JSON-like, keys in stored order, `?` for Unknown.
fn show(v: &Val) -> String {
    match &v.kind {
        ValKind::Null => "null".into(),
        ValKind::Bool(x) => x.to_string(),
        ValKind::Number(x) => crate::model::value::format_number(*x),
        ValKind::Str(x) => serde_json::to_string(&**x).unwrap(),
        ValKind::Unknown(_) => "?".into(),
        ValKind::List(items) => {
            let items: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", items.join(","))
        }
        ValKind::Object(o) => {
            let entries: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), show(v)))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
    }
}

fn eval(name: &str, args: Vec<Val>) -> Result<Val, String> {
    call(name, args, Some(SITE)).unwrap_or_else(|| panic!("`{name}` is not implemented"))
}

/// The string a call returns (for results whose quoting would be hard to read).
fn text(name: &str, args: Vec<Val>) -> String {
    match eval(name, args) {
        Ok(v) => v
            .as_str()
            .unwrap_or_else(|| panic!("not a string: {v:?}"))
            .to_string(),
        Err(e) => format!("error: {e}"),
    }
}

/// Runs a table of `(function, arguments, expected)` and reports every mismatch.
fn check(cases: Vec<(&str, Vec<Val>, &str)>) {
    let mut failures = Vec::new();
    for (name, args, want) in cases {
        let shown: Vec<String> = args.iter().map(show).collect();
        let shown = format!("{name}({})", shown.join(", "));
        let got = match eval(name, args) {
            Ok(v) => show(&v),
            Err(e) => format!("error: {e}"),
        };
        let ok = match want.strip_prefix("error: ") {
            Some(part) => got.starts_with("error: ") && got.contains(part),
            None => got == want,
        };
        if !ok {
            failures.push(format!("{shown}\n    got:  {got}\n    want: {want}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn case_conversion() {
    check(vec![
        ("lower", vec![s("HELLO Zürich")], r#""hello zürich""#),
        ("lower", vec![s("İ")], r#""i""#),
        ("upper", vec![s("ü")], r#""Ü""#),
        ("upper", vec![s("straße")], r#""STRAßE""#),
        ("upper", vec![n(5.0)], r#""5""#),
        ("upper", vec![b(true)], r#""TRUE""#),
        (
            "title",
            vec![s("hello world-foo bar_baz")],
            r#""Hello World-Foo Bar_baz""#,
        ),
        ("title", vec![s("élan vital")], r#""Élan Vital""#),
        ("lower", vec![strs(&["A"])], "error: string required"),
        ("lower", vec![null()], "error: must not be null"),
        ("lower", vec![], "error: expects 1 argument"),
        ("lower", vec![s("a"), s("b")], "error: expects 1 argument"),
    ]);
}

#[test]
fn join_and_split() {
    check(vec![
        (
            "join",
            vec![s(", "), strs(&["a", "b"]), strs(&["c"])],
            r#""a, b, c""#,
        ),
        ("join", vec![s("-"), list(vec![])], r#""""#),
        (
            "join",
            vec![s(","), list(vec![n(1.0), b(true)])],
            r#""1,true""#,
        ),
        (
            "join",
            vec![s(","), list(vec![s("a"), null()])],
            "error: element 1 is null",
        ),
        (
            "join",
            vec![s(","), strs(&["a"]), list(vec![null()])],
            "error: element 0 of list 2 is null",
        ),
        ("join", vec![s(",")], "error: at least one list is required"),
        (
            "join",
            vec![s(","), s("a")],
            "error: list, set or tuple required",
        ),
        ("join", vec![s(","), list(vec![s("a"), unk()])], "?"),
        ("split", vec![s(","), s("a,b,,c")], r#"["a","b","","c"]"#),
        ("split", vec![s(","), s("")], r#"[""]"#),
        ("split", vec![s(""), s("aü")], r#"["a","ü"]"#),
        ("split", vec![s(""), s("")], "[]"),
    ]);
}

#[test]
fn replace_and_trim() {
    check(vec![
        ("replace", vec![s("a-b-c"), s("-"), s("+")], r#""a+b+c""#),
        ("replace", vec![s("abc"), s(""), s("-")], r#""-a-b-c-""#),
        ("replace", vec![s("abc"), s("/b/"), s("x")], "?"),
        ("replace", vec![s("a/b"), s("/"), s("x")], r#""axb""#),
        ("trimspace", vec![s("  a b \n\t")], r#""a b""#),
        ("trim", vec![s("?!hello?!"), s("!?")], r#""hello""#),
        (
            "trimprefix",
            vec![s("helloworld"), s("hello")],
            r#""world""#,
        ),
        (
            "trimprefix",
            vec![s("hellohello"), s("hello")],
            r#""hello""#,
        ),
        ("trimprefix", vec![s("hello"), s("x")], r#""hello""#),
        (
            "trimsuffix",
            vec![s("helloworld"), s("world")],
            r#""hello""#,
        ),
        ("startswith", vec![s("hello"), s("he")], "true"),
        ("startswith", vec![s("hello"), s("")], "true"),
        ("startswith", vec![s("hello"), s("lo")], "false"),
        ("endswith", vec![s("hello"), s("lo")], "true"),
        ("endswith", vec![s("hello"), s("x")], "false"),
        ("chomp", vec![s("hello\n")], r#""hello""#),
        ("chomp", vec![s("hello\r\n\n\r")], r#""hello""#),
        ("chomp", vec![s("hello\n world")], r#""hello\n world""#),
        (
            "indent",
            vec![n(2.0), s("[\n  foo,\n]")],
            r#""[\n    foo,\n  ]""#,
        ),
        (
            "indent",
            vec![n(-1.0), s("a")],
            "error: must not be negative",
        ),
        ("indent", vec![n(1e8), s("a\nb")], "error: too large"),
        ("indent", vec![n(1e12), s("one line")], r#""one line""#),
    ]);
}

#[test]
fn characters_are_grapheme_clusters() {
    check(vec![
        ("length", vec![s("Zürich")], "6"),
        ("length", vec![s("")], "0"),
        ("length", vec![s("e\u{301}")], "1"),
        ("length", vec![s("👍🏽")], "1"),
        ("length", vec![s("🇩🇪🇫🇷")], "2"),
        ("length", vec![s("👨‍👩‍👧")], "1"),
        ("length", vec![s("a\r\nb")], "3"),
        (
            "substr",
            vec![s("hello world"), n(1.0), n(4.0)],
            r#""ello""#,
        ),
        ("substr", vec![s("Zürich"), n(1.0), n(3.0)], r#""üri""#),
        ("substr", vec![s("🤔🤷"), n(0.0), n(1.0)], r#""🤔""#),
        (
            "substr",
            vec![s("e\u{301}x"), n(0.0), n(1.0)],
            "\"e\u{301}\"",
        ),
        ("substr", vec![s("hello"), n(-3.0), n(-1.0)], r#""llo""#),
        ("substr", vec![s("hello"), n(-3.0), n(2.0)], r#""ll""#),
        ("substr", vec![s("hello"), n(1.0), n(-10.0)], r#""ello""#),
        ("substr", vec![s("hello"), n(1.0), n(10.0)], r#""ello""#),
        ("substr", vec![s("hello"), n(10.0), n(10.0)], r#""""#),
        ("substr", vec![s("hello"), n(1.0), n(0.0)], r#""""#),
        ("substr", vec![s("hello"), n(-1.0), n(0.0)], r#""o""#),
        ("substr", vec![s("hello"), n(-10.0), n(2.0)], r#""he""#),
        (
            "substr",
            vec![s("hello"), n(1.5), n(2.0)],
            "error: whole number",
        ),
        ("strrev", vec![s("hello")], r#""olleh""#),
        ("strrev", vec![s("ab\u{301}c")], "\"cb\u{301}a\""),
        ("strrev", vec![s("🇩🇪🇫🇷")], r#""🇫🇷🇩🇪""#),
    ]);
}

#[test]
fn format_strings_and_values() {
    check(vec![
        (
            "format",
            vec![s("Hello, %s!"), s("Ander")],
            r#""Hello, Ander!""#,
        ),
        (
            "format",
            vec![s("%s|%5s|%-5s|"), s("a"), s("ab"), s("ab")],
            r#""a|   ab|ab   |""#,
        ),
        (
            "format",
            vec![s("%.3s|%5s"), s("abcdef"), s("Zür")],
            r#""abc|  Zür""#,
        ),
        ("format", vec![s("%05s"), s("ab")], r#""000ab""#),
        ("format", vec![s("%s %s"), n(5.0), b(false)], r#""5 false""#),
        ("format", vec![s("%q"), s("a\"b")], r#""\"a\\\"b\"""#),
        (
            "format",
            vec![s("%v %v %v"), s("a"), n(5.0), b(true)],
            r#""a 5 true""#,
        ),
        ("format", vec![s("%v|%v"), n(1.5), n(-2.0)], r#""1.5|-2""#),
        ("format", vec![s("%v"), n(1234567.0)], r#""1.234567e+06""#),
        ("format", vec![s("%#v"), s("a")], r#""\"a\"""#),
        (
            "format",
            vec![s("%v"), list(vec![s("a"), n(1.0)])],
            r#""[\"a\",1]""#,
        ),
        ("format", vec![s("%v"), null()], r#""null""#),
        (
            "format",
            vec![s("%t %t"), b(true), s("false")],
            r#""true false""#,
        ),
        ("format", vec![s("%%|100%% sure")], r#""%|100% sure""#),
        (
            "format",
            vec![s("%[2]s %[1]s %s"), s("a"), s("b")],
            r#""b a b""#,
        ),
        ("format", vec![s("no verbs")], r#""no verbs""#),
        (
            "format",
            vec![s("%s"), null()],
            "error: null value cannot be formatted",
        ),
        ("format", vec![s("%t"), n(1.0)], "error: a bool is required"),
        (
            "format",
            vec![s("%s"), strs(&["a"])],
            "error: string required",
        ),
        (
            "format",
            vec![s("%s %s"), s("a")],
            r#"error: not enough arguments for "%s" at 3: need index 2 but have 1 total"#,
        ),
        (
            "format",
            vec![s("%z"), n(1.0)],
            "error: unsupported format verb 'z'",
        ),
        (
            "format",
            vec![s("%!"), n(1.0)],
            "error: unrecognized format character '!' at offset 1",
        ),
        ("format", vec![s("abc %")], "error: invalid format string"),
        ("format", vec![s("%9999999s"), s("a")], "error: too large"),
    ]);
}

#[test]
fn format_numbers() {
    check(vec![
        (
            "format",
            vec![s("There are %d lights"), n(4.0)],
            r#""There are 4 lights""#,
        ),
        ("format", vec![s("%d"), s("12")], r#""12""#),
        (
            "format",
            vec![s("%d"), n(4.5)],
            "error: an integer is required",
        ),
        (
            "format",
            vec![s("%d"), s("x")],
            "error: a number is required",
        ),
        (
            "format",
            vec![s("%5d|%-5d|%05d"), n(42.0), n(42.0), n(42.0)],
            r#""   42|42   |00042""#,
        ),
        (
            "format",
            vec![s("%+d % d %d"), n(5.0), n(5.0), n(-5.0)],
            r#""+5  5 -5""#,
        ),
        ("format", vec![s("%010d"), n(-42.0)], r#""-000000042""#),
        (
            "format",
            vec![s("%.3d|%-6.3d|"), n(7.0), n(7.0)],
            r#""007|007   |""#,
        ),
        (
            "format",
            vec![
                s("%x %X %o %b %#x"),
                n(255.0),
                n(255.0),
                n(8.0),
                n(5.0),
                n(255.0),
            ],
            r#""ff FF 10 101 0xff""#,
        ),
        ("format", vec![s("%f"), n(1.23456)], r#""1.234560""#),
        (
            "format",
            vec![s("%.2f|%8.2f|%-8.2f|"), n(1.23456), n(1.23456), n(-1.23456)],
            r#""1.23|    1.23|-1.23   |""#,
        ),
        (
            "format",
            vec![s("%08.2f|%+.1f"), n(-1.23456), n(2.0)],
            r#""-0001.23|+2.0""#,
        ),
        ("format", vec![s("%e"), n(123456.789)], r#""1.234568e+05""#),
        ("format", vec![s("%E"), n(0.000123)], r#""1.230000E-04""#),
        ("format", vec![s("%.0e"), n(5.0)], r#""5e+00""#),
        (
            "format",
            vec![s("%g %g %g"), n(100000.0), n(1000000.0), n(3.5)],
            r#""100000 1e+06 3.5""#,
        ),
        (
            "format",
            vec![s("%g %g"), n(0.0001), n(0.00001)],
            r#""0.0001 1e-05""#,
        ),
        ("format", vec![s("%g"), n(0.0)], r#""0""#),
        (
            "format",
            vec![s("%v|%e"), n(f64::INFINITY), n(f64::NEG_INFINITY)],
            r#""+Inf|-Inf""#,
        ),
        (
            "format",
            vec![s("%.20f"), n(0.1)],
            r#""0.10000000000000000555""#,
        ),
        (
            "format",
            vec![s("%.3g %.2g %G"), n(1.23456), n(123.0), n(1e-7)],
            r#""1.23 1.2e+02 1E-07""#,
        ),
    ]);
}

#[test]
fn formatlist_iterates_lists() {
    check(vec![
        (
            "formatlist",
            vec![s("Hello, %s!"), strs(&["Valentina", "Ander"])],
            r#"["Hello, Valentina!","Hello, Ander!"]"#,
        ),
        (
            "formatlist",
            vec![
                s("%s, %s!"),
                s("Salutations"),
                strs(&["Valentina", "Ander"]),
            ],
            r#"["Salutations, Valentina!","Salutations, Ander!"]"#,
        ),
        (
            "formatlist",
            vec![s("%s=%s"), strs(&["a", "b"]), strs(&["1"])],
            "error: argument 2 has length 1, which is inconsistent with argument 1 of length 2",
        ),
        ("formatlist", vec![s("%s"), list(vec![])], "[]"),
        ("formatlist", vec![s("x")], r#"["x"]"#),
        ("formatlist", vec![s("%s"), s("a")], r#"["a"]"#),
        (
            "formatlist",
            vec![s("%s"), list(vec![s("a"), unk()])],
            r#"["a",?]"#,
        ),
        ("formatlist", vec![s("%s"), unk()], "?"),
        (
            "formatlist",
            vec![s("%d"), strs(&["x"])],
            "error: error on format iteration 0: unsupported value",
        ),
    ]);
}

#[test]
fn list_functions() {
    check(vec![
        (
            "concat",
            vec![strs(&["a"]), list(vec![]), strs(&["b", "c"])],
            r#"["a","b","c"]"#,
        ),
        (
            "concat",
            vec![strs(&["a"]), s("b")],
            "error: all arguments must be lists or tuples",
        ),
        ("concat", vec![strs(&["a"]), unk()], "?"),
        (
            "concat",
            vec![list(vec![unk()]), strs(&["b"])],
            r#"[?,"b"]"#,
        ),
        (
            "compact",
            vec![list(vec![s("a"), s(""), null(), s("b")])],
            r#"["a","b"]"#,
        ),
        ("compact", vec![list(vec![n(1.0), s("")])], r#"["1"]"#),
        ("compact", vec![list(vec![s("a"), unk()])], "?"),
        ("element", vec![strs(&["a", "b", "c"]), n(1.0)], r#""b""#),
        ("element", vec![strs(&["a", "b", "c"]), n(3.0)], r#""a""#),
        ("element", vec![list(vec![]), n(0.0)], "error: empty list"),
        (
            "element",
            vec![strs(&["a"]), n(-1.0)],
            "error: negative index",
        ),
        ("element", vec![strs(&["a"]), n(1.5)], "error: whole number"),
        (
            "element",
            vec![s("abc"), n(0.0)],
            "error: cannot read elements from string",
        ),
        ("element", vec![list(vec![s("a"), unk()]), n(0.0)], r#""a""#),
        ("element", vec![list(vec![s("a"), unk()]), n(1.0)], "?"),
        ("element", vec![unk(), n(0.0)], "?"),
        ("length", vec![list(vec![s("a"), unk()])], "2"),
        ("length", vec![obj(vec![("a", n(1.0)), ("b", unk())])], "2"),
        ("length", vec![unk()], "?"),
        (
            "length",
            vec![n(5.0)],
            "error: argument must be a string, a collection type",
        ),
        ("length", vec![null()], "error: must not be null"),
        ("contains", vec![strs(&["a", "b"]), s("b")], "true"),
        ("contains", vec![strs(&["a"]), s("c")], "false"),
        ("contains", vec![list(vec![]), unk()], "false"),
        ("contains", vec![list(vec![s("a"), unk()]), s("a")], "true"),
        ("contains", vec![list(vec![s("a"), unk()]), s("b")], "?"),
        ("contains", vec![strs(&["1"]), n(1.0)], "false"),
        (
            "contains",
            vec![
                list(vec![obj(vec![("a", n(1.0))])]),
                obj(vec![("a", n(1.0))]),
            ],
            "true",
        ),
        (
            "contains",
            vec![s("a"), s("a")],
            "error: argument must be list, tuple, or set",
        ),
        (
            "flatten",
            vec![list(vec![strs(&["a", "b"]), list(vec![]), strs(&["c"])])],
            r#"["a","b","c"]"#,
        ),
        (
            "flatten",
            vec![list(vec![list(vec![strs(&["a"])]), s("b")])],
            r#"["a","b"]"#,
        ),
        ("flatten", vec![list(vec![strs(&["a"]), unk()])], "?"),
        (
            "flatten",
            vec![list(vec![list(vec![obj(vec![("a", unk())])])])],
            r#"[{"a":?}]"#,
        ),
        ("flatten", vec![s("a")], "error: can only flatten lists"),
        (
            "distinct",
            vec![strs(&["a", "b", "a", "c", "b"])],
            r#"["a","b","c"]"#,
        ),
        ("distinct", vec![list(vec![n(1.0), s("1")])], r#"["1"]"#),
        ("distinct", vec![list(vec![s("a"), unk()])], "?"),
        (
            "distinct",
            vec![list(vec![
                obj(vec![("a", n(1.0)), ("b", n(2.0))]),
                obj(vec![("b", n(2.0)), ("a", n(1.0))]),
            ])],
            r#"[{"a":1,"b":2}]"#,
        ),
        (
            "slice",
            vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)],
            r#"["b","c"]"#,
        ),
        ("slice", vec![strs(&["a"]), n(0.0), n(0.0)], "[]"),
        (
            "slice",
            vec![strs(&["a"]), n(0.0), n(2.0)],
            "error: end index must not be greater than the length",
        ),
        (
            "slice",
            vec![strs(&["a"]), n(-1.0), n(1.0)],
            "error: start index must not be less than zero",
        ),
        (
            "slice",
            vec![strs(&["a", "b"]), n(2.0), n(1.0)],
            "error: start index must not be greater than end index",
        ),
        (
            "slice",
            vec![list(vec![unk(), s("b")]), n(1.0), n(2.0)],
            r#"["b"]"#,
        ),
        ("reverse", vec![strs(&["a", "b"])], r#"["b","a"]"#),
        (
            "reverse",
            vec![s("a")],
            "error: can only reverse list or tuple values",
        ),
        ("sort", vec![strs(&["b", "a", "c"])], r#"["a","b","c"]"#),
        ("sort", vec![nums(&[10.0, 9.0, 1.0])], r#"["1","10","9"]"#),
        (
            "sort",
            vec![list(vec![s("a"), null()])],
            "error: given list element 1 is null",
        ),
        ("sort", vec![list(vec![s("a"), unk()])], "?"),
        ("index", vec![strs(&["a", "b", "c"]), s("b")], "1"),
        ("index", vec![strs(&["a"]), s("z")], "error: item not found"),
        (
            "index",
            vec![list(vec![]), s("a")],
            "error: cannot search an empty list",
        ),
        ("index", vec![list(vec![unk(), s("b")]), s("b")], "?"),
        ("index", vec![list(vec![s("b"), unk()]), s("b")], "0"),
        ("one", vec![list(vec![])], "null"),
        ("one", vec![strs(&["a"])], r#""a""#),
        (
            "one",
            vec![strs(&["a", "b"])],
            "error: either zero or one elements",
        ),
        ("one", vec![list(vec![unk()])], "?"),
        ("one", vec![unk()], "?"),
        (
            "chunklist",
            vec![strs(&["a", "b", "c", "d", "e"]), n(2.0)],
            r#"[["a","b"],["c","d"],["e"]]"#,
        ),
        ("chunklist", vec![strs(&["a"]), n(0.0)], r#"[["a"]]"#),
        ("chunklist", vec![list(vec![]), n(3.0)], "[]"),
        (
            "chunklist",
            vec![strs(&["a"]), n(-1.0)],
            "error: the size argument must be positive",
        ),
    ]);
}

#[test]
fn bool_and_key_functions() {
    check(vec![
        ("alltrue", vec![list(vec![b(true), s("true")])], "true"),
        ("alltrue", vec![list(vec![])], "true"),
        ("alltrue", vec![list(vec![b(true), b(false)])], "false"),
        ("alltrue", vec![list(vec![b(true), unk()])], "?"),
        ("alltrue", vec![list(vec![b(false), unk()])], "false"),
        ("alltrue", vec![list(vec![null()])], "false"),
        ("alltrue", vec![list(vec![n(1.0)])], "error: bool required"),
        ("anytrue", vec![list(vec![b(false), b(true)])], "true"),
        ("anytrue", vec![list(vec![])], "false"),
        ("anytrue", vec![list(vec![unk(), b(true)])], "true"),
        ("anytrue", vec![list(vec![unk(), b(false)])], "?"),
        ("anytrue", vec![list(vec![null(), b(false)])], "false"),
        (
            "matchkeys",
            vec![
                strs(&["i-123", "i-abc", "i-def"]),
                strs(&["us-west", "us-east", "us-east"]),
                strs(&["us-east"]),
            ],
            r#"["i-abc","i-def"]"#,
        ),
        (
            "matchkeys",
            vec![strs(&["a", "b"]), nums(&[1.0, 2.0]), strs(&["2"])],
            r#"["b"]"#,
        ),
        (
            "matchkeys",
            vec![strs(&["a"]), strs(&["x", "y"]), strs(&["x"])],
            "error: length of keys and values should be equal",
        ),
        (
            "matchkeys",
            vec![strs(&["a"]), strs(&["x"]), list(vec![])],
            "[]",
        ),
        (
            "matchkeys",
            vec![strs(&["a"]), strs(&["x"]), list(vec![unk()])],
            "?",
        ),
        ("coalesce", vec![s(""), s("b")], r#""b""#),
        ("coalesce", vec![null(), n(1.0), n(2.0)], "1"),
        ("coalesce", vec![n(0.0), n(1.0)], "0"),
        ("coalesce", vec![n(1.0), s("a")], r#""1""#),
        ("coalesce", vec![s(""), n(1.0)], r#""1""#),
        ("coalesce", vec![null(), s(""), s("x")], r#""x""#),
        (
            "coalesce",
            vec![null(), null()],
            "error: no non-null, non-empty-string arguments",
        ),
        (
            "coalesce",
            vec![n(1.0), b(true)],
            "error: all arguments must have the same type",
        ),
        ("coalesce", vec![unk(), s("a")], "?"),
        ("coalesce", vec![s("a"), unk()], r#""a""#),
        ("coalesce", vec![null(), unk()], "?"),
        ("coalescelist", vec![list(vec![]), strs(&["a"])], r#"["a"]"#),
        (
            "coalescelist",
            vec![list(vec![]), list(vec![])],
            "error: no non-null arguments",
        ),
        (
            "coalescelist",
            vec![s("a")],
            "error: must be lists or tuples",
        ),
        ("coalescelist", vec![list(vec![]), unk(), strs(&["x"])], "?"),
        ("coalescelist", vec![strs(&["a"]), unk()], r#"["a"]"#),
        ("sensitive", vec![s("a")], r#""a""#),
        ("nonsensitive", vec![unk()], "?"),
    ]);
}

#[test]
fn map_functions() {
    check(vec![
        (
            "merge",
            vec![
                obj(vec![("a", s("b")), ("c", s("d"))]),
                obj(vec![("e", s("f")), ("c", s("z"))]),
            ],
            r#"{"a":"b","c":"z","e":"f"}"#,
        ),
        (
            "merge",
            vec![obj(vec![("b", n(1.0))]), null(), obj(vec![("a", unk())])],
            r#"{"a":?,"b":1}"#,
        ),
        ("merge", vec![], "{}"),
        ("merge", vec![obj(vec![("a", n(1.0))]), unk()], "?"),
        (
            "merge",
            vec![obj(vec![("a", n(1.0))]), strs(&["x"])],
            "error: arguments must be maps or objects",
        ),
        (
            "lookup",
            vec![
                obj(vec![("a", s("ay")), ("b", s("bee"))]),
                s("a"),
                s("what?"),
            ],
            r#""ay""#,
        ),
        (
            "lookup",
            vec![obj(vec![("a", s("ay"))]), s("c"), s("what?")],
            r#""what?""#,
        ),
        (
            "lookup",
            vec![obj(vec![("a", n(1.0))]), s("c")],
            "error: lookup failed to find key c",
        ),
        (
            "lookup",
            vec![obj(vec![("a", n(1.0)), ("b", unk())]), s("a")],
            "1",
        ),
        (
            "lookup",
            vec![obj(vec![("a", n(1.0)), ("b", unk())]), s("b")],
            "?",
        ),
        ("lookup", vec![unk(), s("a")], "?"),
        ("lookup", vec![obj(vec![("a", n(1.0))]), unk()], "?"),
        (
            "lookup",
            vec![strs(&["a"]), s("a")],
            "error: requires a map as the first argument",
        ),
        (
            "lookup",
            vec![obj(vec![])],
            "error: expects 2 to 3 argument(s)",
        ),
        (
            "keys",
            vec![obj(vec![("b", n(1.0)), ("a", unk())])],
            r#"["a","b"]"#,
        ),
        ("keys", vec![unk()], "?"),
        ("keys", vec![s("x")], "error: must have map or object type"),
        (
            "values",
            vec![obj(vec![("b", n(2.0)), ("a", unk())])],
            "[?,2]",
        ),
        (
            "zipmap",
            vec![strs(&["b", "a"]), list(vec![n(1.0), unk()])],
            r#"{"a":?,"b":1}"#,
        ),
        (
            "zipmap",
            vec![strs(&["a", "a"]), nums(&[1.0, 2.0])],
            r#"{"a":2}"#,
        ),
        (
            "zipmap",
            vec![strs(&["a"]), nums(&[1.0, 2.0])],
            "error: number of keys (1) does not match number of values (2)",
        ),
        (
            "zipmap",
            vec![list(vec![s("a"), unk()]), nums(&[1.0, 2.0])],
            "?",
        ),
        (
            "zipmap",
            vec![list(vec![null()]), nums(&[1.0])],
            "error: keys list has null value at index 0",
        ),
        (
            "zipmap",
            vec![strs(&["a"]), obj(vec![("x", n(1.0))])],
            "error: values argument must be a list or tuple",
        ),
        (
            "transpose",
            vec![obj(vec![
                ("a", strs(&["1", "2"])),
                ("b", strs(&["2", "3"])),
            ])],
            r#"{"1":["a"],"2":["a","b"],"3":["b"]}"#,
        ),
        (
            "transpose",
            vec![obj(vec![("a", s("x"))])],
            "error: input must be a map of lists of strings",
        ),
        ("transpose", vec![obj(vec![("a", list(vec![unk()]))])], "?"),
    ]);
}

#[test]
fn set_functions() {
    check(vec![
        (
            "toset",
            vec![strs(&["c", "b", "b", "a"])],
            r#"["a","b","c"]"#,
        ),
        ("toset", vec![nums(&[10.0, 9.0, 100.0, 9.0])], "[9,10,100]"),
        ("toset", vec![list(vec![s("a"), n(1.0)])], r#"["1","a"]"#),
        ("toset", vec![list(vec![b(true), b(false)])], "[false,true]"),
        ("toset", vec![list(vec![])], "[]"),
        ("toset", vec![list(vec![s("a"), unk()])], "?"),
        ("toset", vec![unk()], "?"),
        (
            "toset",
            vec![list(vec![n(1.0), b(true)])],
            "error: cannot convert list to set of any single type",
        ),
        ("toset", vec![s("a")], "error: cannot convert string to set"),
        (
            "setunion",
            vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])],
            r#"["a","b","c","d"]"#,
        ),
        ("setunion", vec![nums(&[1.0]), strs(&["a"])], r#"["1","a"]"#),
        ("setunion", vec![strs(&["a"]), unk()], "?"),
        (
            "setunion",
            vec![nums(&[1.0]), list(vec![nums(&[1.0])])],
            "error: compatible element types",
        ),
        (
            "setintersection",
            vec![
                strs(&["a", "b", "c"]),
                strs(&["b", "c", "d"]),
                strs(&["c", "b"]),
            ],
            r#"["b","c"]"#,
        ),
        (
            "setintersection",
            vec![strs(&["a"]), list(vec![unk()])],
            "?",
        ),
        (
            "setsubtract",
            vec![strs(&["a", "b", "c"]), strs(&["a", "c"])],
            r#"["b"]"#,
        ),
        (
            "setsubtract",
            vec![strs(&["a"])],
            "error: expects 2 argument(s)",
        ),
        (
            "setproduct",
            vec![strs(&["development", "staging"]), strs(&["app1", "app2"])],
            r#"[["development","app1"],["development","app2"],["staging","app1"],["staging","app2"]]"#,
        ),
        ("setproduct", vec![strs(&["a"]), list(vec![])], "[]"),
        (
            "setproduct",
            vec![strs(&["a"])],
            "error: at least two arguments are required",
        ),
        ("setproduct", vec![strs(&["a"]), unk()], "?"),
    ]);
}

#[test]
fn type_conversions() {
    check(vec![
        ("tostring", vec![n(5.0)], r#""5""#),
        ("tostring", vec![n(1.5)], r#""1.5""#),
        ("tostring", vec![b(true)], r#""true""#),
        ("tostring", vec![s("a")], r#""a""#),
        ("tostring", vec![null()], "null"),
        ("tostring", vec![unk()], "?"),
        (
            "tostring",
            vec![strs(&["a"])],
            "error: cannot convert list to string",
        ),
        ("tonumber", vec![s("5")], "5"),
        ("tonumber", vec![s("1e3")], "1000"),
        ("tonumber", vec![s("-2.5")], "-2.5"),
        (
            "tonumber",
            vec![s("abc")],
            r#"error: cannot convert "abc" to number; given string must be a decimal representation of a number"#,
        ),
        ("tonumber", vec![s(" 5")], "error: cannot convert"),
        ("tonumber", vec![s("inf")], "error: cannot convert"),
        (
            "tonumber",
            vec![b(true)],
            "error: cannot convert bool to number",
        ),
        ("tonumber", vec![null()], "null"),
        ("tobool", vec![s("true")], "true"),
        ("tobool", vec![b(false)], "false"),
        (
            "tobool",
            vec![s("no")],
            r#"error: cannot convert "no" to bool; only the strings "true" or "false" are allowed"#,
        ),
        (
            "tobool",
            vec![n(1.0)],
            "error: cannot convert number to bool",
        ),
        ("tobool", vec![null()], "null"),
        (
            "tolist",
            vec![list(vec![s("a"), n(1.0), b(true)])],
            r#"["a","1","true"]"#,
        ),
        ("tolist", vec![list(vec![unk(), s("a")])], r#"[?,"a"]"#),
        (
            "tolist",
            vec![list(vec![n(1.0), b(true)])],
            "error: cannot convert list to list of any single type",
        ),
        (
            "tolist",
            vec![obj(vec![("a", n(1.0))])],
            "error: cannot convert object to list",
        ),
        (
            "tomap",
            vec![obj(vec![("b", n(1.0)), ("a", s("x"))])],
            r#"{"a":"x","b":"1"}"#,
        ),
        ("tomap", vec![obj(vec![("a", unk())])], r#"{"a":?}"#),
        (
            "tomap",
            vec![obj(vec![("a", n(1.0)), ("b", b(true))])],
            "error: cannot convert object to map",
        ),
        (
            "tomap",
            vec![strs(&["a"])],
            "error: cannot convert list to map",
        ),
    ]);
}

#[test]
fn number_functions() {
    check(vec![
        ("min", vec![n(12.0), n(54.0), n(3.0)], "3"),
        ("max", vec![n(12.0), n(54.0), n(3.0)], "54"),
        ("max", vec![s("5"), n(3.0)], "5"),
        ("min", vec![], "error: must pass at least one number"),
        ("min", vec![n(1.0), s("x")], "error: a number is required"),
        ("min", vec![n(1.0), unk()], "?"),
        ("abs", vec![n(-12.4)], "12.4"),
        ("ceil", vec![n(5.1)], "6"),
        ("floor", vec![n(-5.1)], "-6"),
        ("signum", vec![n(-3.0)], "-1"),
        ("signum", vec![n(0.0)], "0"),
        ("signum", vec![n(7.0)], "1"),
        ("pow", vec![n(2.0), n(5.0)], "32"),
        ("pow", vec![n(2.0), n(0.0)], "1"),
        ("pow", vec![n(4.0), n(0.5)], "2"),
        ("pow", vec![s("3"), n(2.0)], "9"),
        (
            "pow",
            vec![n(0.0), n(-1.0)],
            "error: the result is not a finite number",
        ),
        ("pow", vec![n(2.0), unk()], "?"),
        ("log", vec![n(8.0), n(2.0)], "3"),
        ("log", vec![n(100.0), n(10.0)], "2"),
        (
            "log",
            vec![n(0.0), n(10.0)],
            "error: the result is not a finite number",
        ),
        ("parseint", vec![s("100"), n(10.0)], "100"),
        ("parseint", vec![s("FF"), n(16.0)], "255"),
        ("parseint", vec![s("-10"), n(16.0)], "-16"),
        ("parseint", vec![s("1011111011101111"), n(2.0)], "48879"),
        ("parseint", vec![s("aA"), n(62.0)], "656"),
        (
            "parseint",
            vec![s("12"), n(2.0)],
            r#"error: cannot parse "12" as a base 2 integer"#,
        ),
        ("parseint", vec![s(""), n(10.0)], "error: cannot parse"),
        ("parseint", vec![s("0x10"), n(16.0)], "error: cannot parse"),
        (
            "parseint",
            vec![s("ff"), n(1.0)],
            "error: base must be a whole number between 2 and 62",
        ),
        (
            "parseint",
            vec![n(10.0), n(10.0)],
            "error: first argument must be a string, not number",
        ),
        ("range", vec![n(3.0)], "[0,1,2]"),
        ("range", vec![n(1.0), n(4.0)], "[1,2,3]"),
        ("range", vec![n(1.0), n(8.0), n(2.0)], "[1,3,5,7]"),
        ("range", vec![n(4.0), n(1.0)], "[4,3,2]"),
        ("range", vec![n(-3.0)], "[0,-1,-2]"),
        ("range", vec![n(0.0)], "[]"),
        ("range", vec![n(0.0), n(1.0), n(0.25)], "[0,0.25,0.5,0.75]"),
        (
            "range",
            vec![n(1.0), n(2.0), n(0.0)],
            "error: step must not be zero",
        ),
        (
            "range",
            vec![n(1.0), n(0.0), n(1.0)],
            "error: end must be greater than start",
        ),
        (
            "range",
            vec![n(0.0), n(1.0), n(-1.0)],
            "error: end must be less than start",
        ),
        (
            "range",
            vec![n(2000.0)],
            "error: more than 1024 values were generated",
        ),
        (
            "range",
            vec![n(1e9)],
            "error: more than 1024 values were generated",
        ),
        ("range", vec![], "error: expects 1 to 3 argument(s)"),
        ("sum", vec![nums(&[1.0, 2.0, 3.5])], "6.5"),
        ("sum", vec![list(vec![s("1"), n(2.0)])], "3"),
        ("sum", vec![list(vec![])], "error: cannot sum an empty list"),
        ("sum", vec![list(vec![n(1.0), unk()])], "?"),
        (
            "sum",
            vec![list(vec![n(1.0), null()])],
            "error: list, set, or tuple of number values",
        ),
        ("sum", vec![n(5.0)], "error: cannot sum noniterable"),
    ]);
    let range = eval("range", vec![n(1024.0)]).unwrap();
    assert_eq!(range.as_list().map(<[Val]>::len), Some(1024));
}

#[test]
fn json_encoding() {
    let value = obj(vec![
        ("b", list(vec![n(1.0), s("x"), b(true), null()])),
        ("a", s("<&>\u{2028}\n")),
        ("c", n(1.5)),
    ]);
    assert_eq!(
        text("jsonencode", vec![value]),
        r#"{"a":"\u003c\u0026\u003e\u2028\n","b":[1,"x",true,null],"c":1.5}"#
    );
    assert_eq!(text("jsonencode", vec![s("a\"b")]), r#""a\"b""#);
    assert_eq!(text("jsonencode", vec![null()]), "null");
    assert_eq!(text("jsonencode", vec![n(1e21)]), "1000000000000000000000");
    check(vec![
        ("jsonencode", vec![obj(vec![("a", unk())])], "?"),
        (
            "jsondecode",
            vec![s(r#"{"b": [1, "x", true, null], "a": {"c": 1.5}}"#)],
            r#"{"a":{"c":1.5},"b":[1,"x",true,null]}"#,
        ),
        ("jsondecode", vec![s(r#""x""#)], r#""x""#),
        ("jsondecode", vec![s("[")], "error: invalid JSON"),
        ("jsondecode", vec![s("1 2")], "error: invalid JSON"),
        (
            "jsondecode",
            vec![s(r#"{"a":1,"a":2}"#)],
            r#"error: duplicate "a" property"#,
        ),
        ("jsondecode", vec![unk()], "?"),
    ]);
}

#[test]
fn cidr_functions() {
    check(vec![
        (
            "cidrsubnet",
            vec![s("172.16.0.0/12"), n(4.0), n(2.0)],
            r#""172.18.0.0/16""#,
        ),
        (
            "cidrsubnet",
            vec![s("10.1.2.0/24"), n(4.0), n(15.0)],
            r#""10.1.2.240/28""#,
        ),
        (
            "cidrsubnet",
            vec![s("192.168.2.0/20"), n(4.0), n(6.0)],
            r#""192.168.6.0/24""#,
        ),
        (
            "cidrsubnet",
            vec![s("10.1.2.3/16"), n(8.0), n(0.0)],
            r#""10.1.0.0/24""#,
        ),
        (
            "cidrsubnet",
            vec![s("fe80::/48"), n(16.0), n(6.0)],
            r#""fe80:0:0:6::/64""#,
        ),
        (
            "cidrsubnet",
            vec![s("fe80::/48"), n(33.0), n(6.0)],
            r#""fe80::3:0:0:0/81""#,
        ),
        (
            "cidrsubnet",
            vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)],
            r#""fd00:fd12:3456:7800:a200::/72""#,
        ),
        (
            "cidrsubnet",
            vec![s("::ffff:192.168.0.0/112"), n(8.0), n(6.0)],
            r#""192.168.6.0/24""#,
        ),
        (
            "cidrsubnet",
            vec![s("010.001.0.0/24"), n(4.0), n(1.0)],
            r#""10.1.0.16/28""#,
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/8"), n(0.0), n(0.0)],
            r#""10.0.0.0/8""#,
        ),
        (
            "cidrsubnet",
            vec![s("192.168.0.0/30"), n(4.0), n(6.0)],
            "error: insufficient address space to extend prefix of 30 by 4",
        ),
        (
            "cidrsubnet",
            vec![s("192.168.0.0/16"), n(2.0), n(16.0)],
            "error: prefix extension of 2 does not accommodate a subnet numbered 16",
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/8"), n(2.0), n(-1.0)],
            "error: does not accommodate a subnet numbered -1",
        ),
        (
            "cidrsubnet",
            vec![s("not-a-cidr"), n(4.0), n(6.0)],
            "error: invalid CIDR expression",
        ),
        (
            "cidrsubnet",
            vec![s("10.256.0.0/8"), n(4.0), n(6.0)],
            "error: invalid CIDR expression",
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/33"), n(1.0), n(0.0)],
            "error: invalid CIDR expression",
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0"), n(1.0), n(0.0)],
            "error: invalid CIDR expression",
        ),
        (
            "cidrsubnet",
            vec![s("10.0.0.0/8"), n(0.5), n(1.0)],
            "error: whole number",
        ),
        ("cidrsubnet", vec![unk(), n(4.0), n(1.0)], "?"),
        (
            "cidrhost",
            vec![s("10.12.112.0/20"), n(16.0)],
            r#""10.12.112.16""#,
        ),
        (
            "cidrhost",
            vec![s("10.12.112.0/20"), n(268.0)],
            r#""10.12.113.12""#,
        ),
        (
            "cidrhost",
            vec![s("fd00:fd12:3456:7890:00a2::/72"), n(34.0)],
            r#""fd00:fd12:3456:7890::22""#,
        ),
        (
            "cidrhost",
            vec![s("192.168.1.0/24"), n(-5.0)],
            r#""192.168.1.251""#,
        ),
        (
            "cidrhost",
            vec![s("192.168.1.0/24"), n(-256.0)],
            r#""192.168.1.0""#,
        ),
        (
            "cidrhost",
            vec![s("010.001.0.0/24"), n(6.0)],
            r#""10.1.0.6""#,
        ),
        (
            "cidrhost",
            vec![s("192.168.1.0/30"), n(255.0)],
            "error: prefix of 30 does not accommodate a host numbered 255",
        ),
        (
            "cidrhost",
            vec![s("192.168.1.0/30"), n(-255.0)],
            "error: prefix of 30 does not accommodate a host numbered -251",
        ),
        (
            "cidrhost",
            vec![s("10.0.0.0/8"), n(0.75)],
            "error: whole number",
        ),
        ("cidrnetmask", vec![s("172.16.0.0/12")], r#""255.240.0.0""#),
        ("cidrnetmask", vec![s("0.0.0.0/0")], r#""0.0.0.0""#),
        (
            "cidrnetmask",
            vec![s("192.168.1.0/32")],
            r#""255.255.255.255""#,
        ),
        (
            "cidrnetmask",
            vec![s("1::/64")],
            "error: IPv6 addresses cannot have a netmask: 1::/64",
        ),
        (
            "cidrsubnets",
            vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)],
            r#"["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24","10.1.48.0/20"]"#,
        ),
        (
            "cidrsubnets",
            vec![
                s("10.0.0.0/21"),
                n(3.0),
                n(3.0),
                n(3.0),
                n(4.0),
                n(4.0),
                n(4.0),
                n(7.0),
                n(7.0),
                n(7.0),
            ],
            r#"["10.0.0.0/24","10.0.1.0/24","10.0.2.0/24","10.0.3.0/25","10.0.3.128/25","10.0.4.0/25","10.0.4.128/28","10.0.4.144/28","10.0.4.160/28"]"#,
        ),
        (
            "cidrsubnets",
            vec![
                s("fd00:fd12:3456:7890::/56"),
                n(16.0),
                n(16.0),
                n(16.0),
                n(32.0),
            ],
            r#"["fd00:fd12:3456:7800::/72","fd00:fd12:3456:7800:100::/72","fd00:fd12:3456:7800:200::/72","fd00:fd12:3456:7800:300::/88"]"#,
        ),
        ("cidrsubnets", vec![s("10.0.0.0/8")], "[]"),
        (
            "cidrsubnets",
            vec![s("10.0.0.0/30"), n(1.0), n(3.0)],
            "error: would extend prefix to 33 bits, which is too long for an IPv4 address",
        ),
        (
            "cidrsubnets",
            vec![s("10.0.0.0/8"), n(1.0), n(1.0), n(1.0)],
            "error: not enough remaining address space for a subnet with a prefix of 9 bits after 10.128.0.0/9",
        ),
        (
            "cidrsubnets",
            vec![s("10.0.0.0/8"), n(1.0), n(0.0)],
            "error: must extend prefix by at least one bit",
        ),
        (
            "cidrsubnets",
            vec![s("fe80::/48"), n(1.0), n(33.0)],
            "error: may not extend prefix by more than 32 bits",
        ),
    ]);
}

#[test]
fn passed_through_values_are_resited() {
    let literal = Val::str("x", at(5));
    let cases = vec![
        ("lookup", vec![obj(vec![("a", literal.clone())]), s("a")]),
        ("lookup", vec![obj(vec![]), s("a"), literal.clone()]),
        ("element", vec![list(vec![literal.clone()]), n(0.0)]),
        ("coalesce", vec![null(), literal.clone()]),
        ("one", vec![list(vec![literal.clone()])]),
        ("sensitive", vec![literal.clone()]),
        ("nonsensitive", vec![literal.clone()]),
        ("tostring", vec![literal.clone()]),
        ("tolist", vec![Val::list(vec![s("a")], at(5))]),
        ("tomap", vec![Val::object(Object::new(), at(5))]),
        ("coalescelist", vec![Val::list(vec![s("a")], at(5))]),
    ];
    for (name, args) in cases {
        let v = eval(name, args).unwrap();
        assert_eq!(v.span, Some(SITE), "{name}");
        assert_eq!(v.origin, at(5), "{name}");
    }
    // The innermost origin is kept.
    let mut from_tfvars = Val::str("x", at(5));
    from_tfvars.origin = at(9);
    let v = eval("lookup", vec![obj(vec![("a", from_tfvars)]), s("a")]).unwrap();
    assert_eq!((v.span, v.origin), (Some(SITE), at(9)));
}

#[test]
fn computed_values_are_produced_at_the_call() {
    let literal = Val::str("x", at(5));
    for (name, args) in [
        ("upper", vec![literal.clone()]),
        ("length", vec![literal.clone()]),
        ("format", vec![s("%s"), literal.clone()]),
        ("cidrhost", vec![Val::str("10.0.0.0/8", at(5)), n(1.0)]),
    ] {
        let v = eval(name, args).unwrap();
        assert_eq!((v.span, v.origin), (Some(SITE), None), "{name}");
    }
}

#[test]
fn built_collections_keep_element_spans() {
    let v = eval(
        "concat",
        vec![
            list(vec![Val::str("a", at(1))]),
            list(vec![Val::str("b", at(2))]),
        ],
    )
    .unwrap();
    assert_eq!(v.span, Some(SITE));
    let spans: Vec<_> = v.as_list().unwrap().iter().map(|e| e.span).collect();
    assert_eq!(spans, vec![at(1), at(2)]);

    let v = eval("merge", vec![obj(vec![("k", Val::number(1.0, at(3)))])]).unwrap();
    assert_eq!(v.get("k").unwrap().span, at(3));

    // A converted element is still the literal that was written.
    let v = eval("tolist", vec![list(vec![s("a"), Val::number(1.0, at(4))])]).unwrap();
    let converted = &v.as_list().unwrap()[1];
    assert_eq!((converted.as_str(), converted.span), (Some("1"), at(4)));
}

#[test]
fn unknown_results_explain_why() {
    let v = eval("upper", vec![unk()]).unwrap();
    let u = v.as_unknown().unwrap();
    assert_eq!(
        u.reason,
        "`azurerm_public_ip.a.ip_address` is only known after apply"
    );
    assert_eq!(v.span, Some(SITE));

    let v = eval("join", vec![s(","), list(vec![Val::unknown("", None)])]).unwrap();
    assert_eq!(
        v.as_unknown().unwrap().reason,
        "argument of `join()` is not known before deployment"
    );

    let secret = Val::unknown_with(
        Unknown {
            reason: "Key Vault reference".into(),
            refers_to: None,
            secret: true,
            symbol: None,
        },
        None,
    );
    let v = eval("lower", vec![secret]).unwrap();
    assert!(v.as_unknown().unwrap().secret);

    // Passed through, an Unknown keeps what it refers to (circuit linking).
    let circuit_name = Val::unknown_with(
        Unknown {
            reason: "known after apply".into(),
            refers_to: Some("azurerm_express_route_circuit.main".into()),
            secret: false,
            symbol: None,
        },
        at(7),
    );
    for (name, args) in [
        (
            "lookup",
            vec![obj(vec![("c", circuit_name.clone())]), s("c")],
        ),
        ("coalesce", vec![null(), circuit_name.clone()]),
        ("element", vec![list(vec![circuit_name.clone()]), n(0.0)]),
    ] {
        let v = eval(name, args).unwrap();
        let u = v.as_unknown().unwrap();
        assert_eq!(
            u.refers_to.as_deref(),
            Some("azurerm_express_route_circuit.main"),
            "{name}"
        );
        assert_eq!((v.span, v.origin), (Some(SITE), at(7)), "{name}");
    }
}

#[test]
fn huge_results_are_errors() {
    let big = list((0..2000).map(|i| n(f64::from(i))).collect());
    check(vec![
        (
            "setproduct",
            vec![big.clone(), big.clone()],
            "error: too large",
        ),
        ("format", vec![s("%.9999999f"), n(1.0)], "error: too large"),
    ]);
    let pairs: Vec<Val> = (0..21).map(|_| strs(&["a", "b"])).collect();
    let err = eval("setproduct", pairs).unwrap_err();
    assert!(err.contains("too large"), "{err}");
    let wide = list((0..100).map(|_| s("x")).collect());
    let err = eval("formatlist", vec![s("%999999s"), wide]).unwrap_err();
    assert!(err.contains("too large"), "{err}");
    let many = list((0..5000).map(|_| s("x")).collect());
    let err = eval("join", vec![s(&"-".repeat(5000)), many]).unwrap_err();
    assert!(err.contains("too large"), "{err}");
    let long = s(&"a".repeat(5000));
    let err = eval("replace", vec![long.clone(), s(""), long]).unwrap_err();
    assert!(err.contains("too large"), "{err}");
}

/// Every function named in erlint's brief; anything else is not implemented.
const SUPPORTED: &[&str] = &[
    "lower",
    "upper",
    "title",
    "format",
    "formatlist",
    "join",
    "split",
    "concat",
    "merge",
    "lookup",
    "coalesce",
    "coalescelist",
    "compact",
    "tostring",
    "tonumber",
    "tobool",
    "toset",
    "tolist",
    "tomap",
    "element",
    "length",
    "keys",
    "values",
    "contains",
    "flatten",
    "distinct",
    "replace",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "startswith",
    "endswith",
    "substr",
    "strrev",
    "chomp",
    "indent",
    "min",
    "max",
    "abs",
    "ceil",
    "floor",
    "signum",
    "pow",
    "log",
    "parseint",
    "range",
    "zipmap",
    "slice",
    "reverse",
    "sort",
    "index",
    "one",
    "chunklist",
    "setunion",
    "setintersection",
    "setsubtract",
    "setproduct",
    "alltrue",
    "anytrue",
    "sum",
    "jsondecode",
    "jsonencode",
    "cidrsubnet",
    "cidrsubnets",
    "cidrhost",
    "cidrnetmask",
    "sensitive",
    "nonsensitive",
    "transpose",
    "matchkeys",
];

#[test]
fn supported_functions() {
    for name in SUPPORTED {
        assert!(is_supported(name), "{name}");
    }
    assert!(is_supported("core::lower"));
    assert_eq!(
        eval("core::upper", vec![s("a")]).unwrap().as_str(),
        Some("A")
    );
    for name in [
        "try",
        "can",
        "file",
        "regex",
        "timestamp",
        "uuid",
        "provider::a::b",
        "",
    ] {
        assert!(!is_supported(name), "{name}");
        assert!(call(name, vec![s("a")], None).is_none(), "{name}");
    }
}

/// No function panics, whatever it is given.
#[test]
fn never_panics() {
    let pool = vec![
        s("abc"),
        s(""),
        s("10.0.0.0/8"),
        s("%[3]5.2f %d %"),
        n(-1.5),
        n(3.0),
        n(1e300),
        b(true),
        null(),
        unk(),
        list(vec![]),
        list(vec![s("a"), n(1.0), unk(), null()]),
        list(vec![list(vec![s("x")]), obj(vec![("k", unk())])]),
        obj(vec![("a", list(vec![s("b")])), ("c", null())]),
    ];
    for name in SUPPORTED {
        let _ = call(name, vec![], None);
        for a in &pool {
            let _ = call(name, vec![a.clone()], None);
            for b in &pool {
                let _ = call(name, vec![a.clone(), b.clone()], None);
                for c in &pool {
                    let _ = call(name, vec![a.clone(), b.clone(), c.clone()], None);
                }
            }
        }
    }
}

/// Rust's formatter panics on a precision above 65,535; Terraform prints any precision
/// (`format("%.70000f", 1)` is `1.` and 70,000 zeros).
#[test]
fn format_precision_beyond_rusts_formatter() {
    for (fmt, len, head) in [
        ("%.70000f", 70_002, "1.000"),
        ("%.65536f", 65_538, "1.000"),
        ("%.70000e", 70_006, "1.000"),
        ("%.70000g", 1, "1"),
    ] {
        let v = call("format", vec![s(fmt), n(1.0)], Some(SITE))
            .unwrap()
            .unwrap();
        let out = v.as_str().unwrap();
        assert_eq!(out.len(), len, "{fmt}");
        assert!(
            out.starts_with(head),
            "{fmt}: {}",
            &out[..10.min(out.len())]
        );
    }
    let v = call("format", vec![s("%.2000f"), n(0.1)], Some(SITE))
        .unwrap()
        .unwrap();
    let out = v.as_str().unwrap();
    // 0.1's exact binary value, then zeros.
    assert!(
        out.starts_with("0.1000000000000000055511151231257827"),
        "{out:.40}"
    );
    assert!(out.ends_with("0000"));
}

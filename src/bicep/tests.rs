use super::ast::*;
use super::*;
use crate::source::LineIndex;

const F: FileId = FileId(7);

fn template(text: &str) -> BicepFile {
    match parse(text, F, FileKind::Template) {
        Ok(f) => f,
        Err(e) => panic!("{}: {}", at(text, e.span), e.message),
    }
}

fn error(text: &str, kind: FileKind) -> (String, String) {
    let e = parse(text, F, kind).expect_err("should not parse");
    assert_eq!(e.span.file, F);
    (at(text, e.span), e.message)
}

fn at(text: &str, span: Span) -> String {
    LineIndex::new(text)
        .line_col(text, span.start as usize)
        .to_string()
}

fn src(text: &str, span: Span) -> &str {
    assert_eq!(span.file, F);
    &text[span.range()]
}

fn var_value(file: &BicepFile, name: &str) -> Expr {
    file.statements
        .iter()
        .find_map(|s| match &s.kind {
            StatementKind::Var(v) if &*v.name.name == name => Some(v.value.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no var {name}"))
}

fn resource<'f>(file: &'f BicepFile, name: &str) -> (&'f Statement, &'f Resource) {
    file.statements
        .iter()
        .find_map(|s| match &s.kind {
            StatementKind::Resource(r) if &*r.name.name == name => Some((s, r)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no resource {name}"))
}

fn str_of(e: &Expr) -> &Str {
    match &e.kind {
        ExprKind::Str(s) => s,
        other => panic!("not a string: {other:?}"),
    }
}

const CIRCUIT: &str = "@description('The circuit')
@batchSize(1)
resource er 'Microsoft.Network/expressRouteCircuits@2024-05-01' = {
  name: 'er-weu'
  properties: {
    serviceProviderProperties: {
      serviceProviderName: 'Equinix'
      bandwidthInMbps: 1000
    }
  }

  @description('private')
  resource pvt 'peerings' = {
    name: 'AzurePrivatePeering'
  }
}
";

#[test]
fn property_spans_point_at_the_key_the_value_and_the_pair() {
    let f = template(CIRCUIT);
    let (_, er) = resource(&f, "er");
    let props = er.body.object().get("properties", false).unwrap();
    let ExprKind::Object(o) = &props.value.kind else {
        panic!()
    };
    let ExprKind::Object(spp) = &o
        .get("serviceProviderProperties", false)
        .unwrap()
        .value
        .kind
    else {
        panic!()
    };
    let p = spp.get("serviceProviderName", false).unwrap();
    assert_eq!(src(CIRCUIT, p.value.span), "'Equinix'");
    assert_eq!(src(CIRCUIT, p.key.span()), "serviceProviderName");
    assert_eq!(src(CIRCUIT, p.span), "serviceProviderName: 'Equinix'");
    assert_eq!(at(CIRCUIT, p.value.span), "7:28");
    assert_eq!(p.value.as_str(), Some("Equinix"));
    let bw = spp.get("BANDWIDTHINMBPS", true).unwrap();
    assert!(matches!(bw.value.kind, ExprKind::Int(1000)));
    assert_eq!(src(CIRCUIT, bw.value.span), "1000");
    assert!(spp.get("BANDWIDTHINMBPS", false).is_none());
}

#[test]
fn declaration_spans_keyword_header_and_decorators() {
    let f = template(CIRCUIT);
    let (st, er) = resource(&f, "er");
    assert_eq!(src(CIRCUIT, st.keyword), "resource");
    assert_eq!(
        src(CIRCUIT, er.header),
        "resource er 'Microsoft.Network/expressRouteCircuits@2024-05-01'"
    );
    assert!(
        src(CIRCUIT, st.span)
            .starts_with("@description('The circuit')\n@batchSize(1)\nresource er")
    );
    assert!(src(CIRCUIT, st.span).ends_with("}\n}"));
    assert_eq!(src(CIRCUIT, er.name.span), "er");
    assert_eq!(
        er.type_ref.as_literal(),
        Some("Microsoft.Network/expressRouteCircuits@2024-05-01")
    );
    let batch = st.decorator("batchSize").unwrap();
    assert_eq!(src(CIRCUIT, batch.span), "@batchSize(1)");
    assert!(matches!(
        batch.args(),
        [Expr {
            kind: ExprKind::Int(1),
            ..
        }]
    ));
    assert_eq!(
        st.decorator("description").unwrap().args()[0].as_str(),
        Some("The circuit")
    );
    let nested: Vec<_> = er.body.object().resources().collect();
    assert_eq!(nested.len(), 1);
    assert_eq!(&*nested[0].resource.name.name, "pvt");
    assert_eq!(nested[0].resource.type_ref.as_literal(), Some("peerings"));
    assert_eq!(nested[0].decorators.len(), 1);
    assert!(src(CIRCUIT, nested[0].span).starts_with("@description('private')\n  resource pvt"));
    assert_eq!(er.body.object().properties().count(), 2);
}

#[test]
fn namespaced_decorators_are_named_without_their_namespace() {
    let text = "@sys.description('x')\n@secure()\n@az.foo\nparam p string\n";
    let f = template(text);
    let st = &f.statements[0];
    let names: Vec<_> = st
        .decorators
        .iter()
        .map(|d| d.name().unwrap().name.to_string())
        .collect();
    assert_eq!(names, ["description", "secure", "foo"]);
    let ExprKind::Call(c) = &st.decorators[0].expr.kind else {
        panic!()
    };
    assert_eq!(
        c.target.as_ref().and_then(Expr::as_var).map(|i| &*i.name),
        Some("sys")
    );
    assert_eq!(st.name().map(|n| &*n.name), Some("p"));
}

#[test]
fn escaped_string_offsets_map_to_the_characters_that_wrote_them() {
    let text = r"var k = 'a\'b\u{2713}c${x}d\\e'";
    let f = template(text);
    let s = str_of(&var_value(&f, "k")).clone();
    assert_eq!(s.form, StrForm::Quoted);
    assert_eq!(src(text, s.span), r"'a\'b\u{2713}c${x}d\\e'");
    assert_eq!(s.segments.len(), 2);
    assert_eq!(s.holes.len(), 1);
    assert_eq!(s.holes[0].as_var().map(|i| &*i.name), Some("x"));
    let first = &s.segments[0];
    assert_eq!(&*first.value, "a'b✓c");
    assert_eq!(src(text, first.raw), r"a\'b\u{2713}c");
    // decoded byte → the text that produced it
    let byte = |seg: &Segment, needle: &str| seg.value.find(needle).unwrap();
    let one = |seg: &Segment, needle: &str| {
        let i = byte(seg, needle);
        src(text, seg.span(i..i + needle.len())).to_string()
    };
    assert_eq!(one(first, "a"), "a");
    assert_eq!(one(first, "'"), r"\'");
    assert_eq!(one(first, "b"), "b");
    assert_eq!(one(first, "✓"), r"\u{2713}");
    assert_eq!(one(first, "c"), "c");
    assert_eq!(
        src(text, first.span(0..first.value.len())),
        r"a\'b\u{2713}c"
    );
    let second = &s.segments[1];
    assert_eq!(&*second.value, r"d\e");
    assert_eq!(one(second, "\\"), r"\\");
    assert_eq!(one(second, "e"), "e");
    // Past the end clamps to the end of the raw text.
    assert_eq!(second.offset(99), second.raw.end as usize);
}

#[test]
fn strings_without_escapes_map_one_to_one_and_keep_unicode() {
    let text = "var s = 'Zürich — 東京'\n";
    let f = template(text);
    let s = str_of(&var_value(&f, "s")).clone();
    let seg = &s.segments[0];
    assert!(seg.table.is_none());
    let i = seg.value.find('東').unwrap();
    assert_eq!(src(text, seg.span(i..i + '東'.len_utf8())), "東");
    assert_eq!(s.literal_span(0..3).map(|sp| src(text, sp)), Some("Zü"));
    assert_eq!(at(text, seg.span(i..i + 1)), "1:19");
}

#[test]
fn multiline_strings_are_raw_and_drop_the_first_line_break() {
    let text = "var a = '''\r\nx \\n ${y}\r\n'''\nvar b = ''''q''''\nvar c = ''''''\n";
    let f = template(text);
    let a = str_of(&var_value(&f, "a")).clone();
    assert_eq!(a.form, StrForm::Multiline);
    assert_eq!(a.as_literal(), Some("x \\n ${y}\r\n"));
    let seg = &a.segments[0];
    assert_eq!(src(text, seg.raw), "x \\n ${y}\r\n");
    assert_eq!(src(text, seg.span(2..4)), "\\n");
    assert_eq!(str_of(&var_value(&f, "b")).as_literal(), Some("'q'"));
    assert_eq!(str_of(&var_value(&f, "c")).as_literal(), Some(""));
}

#[test]
fn interpolated_multiline_strings_count_dollars() {
    let text = "var m = $$'''\n a ${b} $${c} $$$${d}'''\n";
    let f = template(text);
    let s = str_of(&var_value(&f, "m")).clone();
    assert_eq!(s.form, StrForm::MultilineInterpolated { dollars: 2 });
    let values: Vec<&str> = s.segments.iter().map(|s| &*s.value).collect();
    assert_eq!(values, [" a ${b} ", " $$", ""]);
    let holes: Vec<&str> = s.holes.iter().map(|h| &*h.as_var().unwrap().name).collect();
    assert_eq!(holes, ["c", "d"]);
    assert_eq!(src(text, s.holes[1].span), "d");
    assert_eq!(src(text, s.segments[1].raw), " $$");
}

#[test]
fn binary_operators_follow_bicep_precedence() {
    let f = template("var x = a ?? b || c && d == e < f + g * h\nvar t = a ? b : c ? d : e\n");
    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Var(i) => i.name.to_string(),
            ExprKind::Binary(op, l, r) => format!("({} {op:?} {})", shape(l), shape(r)),
            ExprKind::Ternary(c, t, o) => format!("({} ? {} : {})", shape(c), shape(t), shape(o)),
            other => format!("{other:?}"),
        }
    }
    assert_eq!(
        shape(&var_value(&f, "x")),
        "(a Coalesce (b Or (c And (d Eq (e Less (f Add (g Mul h)))))))"
    );
    assert_eq!(shape(&var_value(&f, "t")), "(a ? b : (c ? d : e))");
    let f = template("var l = a - b - c\n");
    assert_eq!(shape(&var_value(&f, "l")), "((a Sub b) Sub c)");
}

#[test]
fn postfix_forms_and_calls_keep_their_parts() {
    let text = "var x = az.resourceGroup().location\nvar y = p.?a[?0][^1]!::c\nvar z = kv.getSecret('s')\n";
    let f = template(text);
    let ExprKind::Member { target, name, safe } = &var_value(&f, "x").kind else {
        panic!()
    };
    assert_eq!((&*name.name, *safe), ("location", false));
    let ExprKind::Call(c) = &target.kind else {
        panic!()
    };
    assert_eq!(&*c.name.name, "resourceGroup");
    assert_eq!(
        c.target.as_ref().and_then(Expr::as_var).map(|i| &*i.name),
        Some("az")
    );
    assert!(c.args.is_empty());
    assert_eq!(src(text, c.args_span), "()");
    assert_eq!(src(text, target.span), "az.resourceGroup()");

    let y = var_value(&f, "y");
    assert_eq!(src(text, y.span), "p.?a[?0][^1]!::c");
    let ExprKind::ResourceAccess { target, name } = &y.kind else {
        panic!()
    };
    assert_eq!(&*name.name, "c");
    let ExprKind::NonNull(inner) = &target.kind else {
        panic!()
    };
    let ExprKind::Index {
        target,
        safe,
        from_end,
        ..
    } = &inner.kind
    else {
        panic!()
    };
    assert_eq!((*safe, *from_end), (false, true));
    let ExprKind::Index { target, safe, .. } = &target.kind else {
        panic!()
    };
    assert!(*safe);
    assert!(matches!(&target.kind, ExprKind::Member { safe: true, .. }));

    let ExprKind::Call(c) = &var_value(&f, "z").kind else {
        panic!()
    };
    assert_eq!(&*c.name.name, "getSecret");
    assert_eq!(c.args[0].as_str(), Some("s"));
}

#[test]
fn loops_conditions_and_lambdas() {
    let text = "@batchSize(2)
resource p 'Microsoft.Network/expressRouteCircuits/peerings@2024-05-01' = [for (x, i) in items: if (x.enabled) {
  name: x.name
}]
resource g 'Microsoft.Network/virtualNetworkGateways@2024-05-01' =
  if (deploy) {
    name: 'gw'
  }
var m = map(items, (a, b) => a.name)
var l = [for x in items: x.id]
";
    let f = template(text);
    let (_, p) = resource(&f, "p");
    let Body::For(fb) = &p.body else { panic!() };
    assert_eq!(&*fb.item.name, "x");
    assert_eq!(fb.index.as_ref().map(|i| &*i.name), Some("i"));
    assert_eq!(src(text, fb.iterable.span), "items");
    assert_eq!(src(text, fb.filter.as_ref().unwrap().span), "x.enabled");
    assert!(fb.object.get("name", false).is_some());
    assert!(src(text, fb.span).starts_with("[for") && src(text, fb.span).ends_with("}]"));
    let (_, g) = resource(&f, "g");
    let Body::If(ib) = &g.body else { panic!() };
    assert_eq!(src(text, ib.condition.span), "deploy");
    assert!(src(text, ib.span).starts_with("if (deploy) {"));
    let ExprKind::Call(c) = &var_value(&f, "m").kind else {
        panic!()
    };
    let ExprKind::Lambda(lam) = &c.args[1].kind else {
        panic!()
    };
    let params: Vec<&str> = lam.params.iter().map(|p| &*p.name).collect();
    assert_eq!(params, ["a", "b"]);
    assert_eq!(src(text, c.args[1].span), "(a, b) => a.name");
    let ExprKind::For(fe) = &var_value(&f, "l").kind else {
        panic!()
    };
    assert_eq!(src(text, fe.body.span), "x.id");
}

#[test]
fn types_parse_into_their_forms() {
    let text = "type t = {
  @description('d')
  a: string?
  b?: int[]
  *: 'x' | 'y'
}
param r resource 'Microsoft.KeyVault/vaults@2023-07-01'
output o resource = r
type g = resourceInput<'Microsoft.Network/expressRouteCircuits@2024-05-01'>.properties
type u =
  | 'a'
  | -1
";
    let f = template(text);
    let types: Vec<&TypeExpr> = f
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Type(t) => &t.ty,
            StatementKind::Param(p) => &p.ty,
            StatementKind::Output(o) => &o.ty,
            _ => panic!(),
        })
        .collect();
    let TypeKind::Object(members) = &types[0].kind else {
        panic!()
    };
    assert_eq!(members.len(), 3);
    assert_eq!(members[0].decorators.len(), 1);
    assert!(matches!(members[0].ty.kind, TypeKind::Nullable(_)));
    assert!(members[1].optional);
    assert!(matches!(members[1].ty.kind, TypeKind::Array(_)));
    assert!(matches!(members[2].key, ObjectTypeKey::Star(_)));
    assert!(matches!(&members[2].ty.kind, TypeKind::Union(m) if m.len() == 2));
    let TypeKind::Resource(Some(s)) = &types[1].kind else {
        panic!()
    };
    assert_eq!(s.as_literal(), Some("Microsoft.KeyVault/vaults@2023-07-01"));
    assert!(matches!(types[2].kind, TypeKind::Resource(None)));
    let TypeKind::Member { target, name } = &types[3].kind else {
        panic!()
    };
    assert_eq!(&*name.name, "properties");
    assert!(
        matches!(&target.kind, TypeKind::Generic { name, args, .. } if &*name.name == "resourceInput" && args.len() == 1)
    );
    let TypeKind::Union(m) = &types[4].kind else {
        panic!()
    };
    assert!(matches!(m[1].kind, TypeKind::Unary(UnaryOp::Neg, _)));
}

#[test]
fn comments_and_pragmas_are_kept_with_spans() {
    let text = concat!(
        "// erlint-ignore: ER301 known single session\n",
        "param a string /* inline */\n",
        "  #disable-next-line BCP081 no-unused-params // why\n",
        "var b = 1 // trailing \\\n",
        "var c = 2\n"
    );
    let f = template(text);
    assert_eq!(
        f.statements.len(),
        3,
        "the comment ending in `\\` does not swallow `var c`"
    );
    let texts: Vec<&str> = f.comments.iter().map(|c| c.text(text)).collect();
    assert_eq!(
        texts,
        [
            " erlint-ignore: ER301 known single session",
            " inline ",
            " why",
            " trailing \\"
        ]
    );
    assert_eq!(f.comments[1].kind, CommentKind::Block);
    assert_eq!(src(text, f.comments[1].span), "/* inline */");
    assert_eq!(f.pragmas.len(), 1);
    let p = &f.pragmas[0];
    assert_eq!(p.kind, PragmaKind::DisableNextLine);
    let codes: Vec<&str> = p.codes.iter().map(|c| &*c.name).collect();
    assert_eq!(codes, ["BCP081", "no-unused-params"]);
    assert_eq!(src(text, p.codes[1].span), "no-unused-params");
    assert_eq!(
        src(text, p.span),
        "#disable-next-line BCP081 no-unused-params"
    );
    assert_eq!(at(text, p.span), "3:3");
}

#[test]
fn parameter_files() {
    let text = "using none\nextends './base.bicepparam'\n@inline()\nparam a\nparam b = { ...base.tags, env: 'prod' }\nextensionConfig g with {}\n";
    let f = parse(text, F, FileKind::Params).unwrap();
    assert_eq!(f.kind, FileKind::Params);
    assert!(matches!(
        &f.statements[0].kind,
        StatementKind::Using(Using {
            target: None,
            config: None
        })
    ));
    let StatementKind::Extends(path) = &f.statements[1].kind else {
        panic!()
    };
    assert_eq!(path.as_literal(), Some("./base.bicepparam"));
    let StatementKind::ParamValue(a) = &f.statements[2].kind else {
        panic!()
    };
    assert!(a.value.is_none());
    assert_eq!(f.statements[2].decorators.len(), 1);
    let StatementKind::ParamValue(b) = &f.statements[3].kind else {
        panic!()
    };
    let Some(Expr {
        kind: ExprKind::Object(o),
        ..
    }) = &b.value
    else {
        panic!()
    };
    assert!(matches!(&o.items[0], ObjectItem::Spread(s) if src(text, s.span) == "...base.tags"));
    // The same text is not a template.
    assert_eq!(error(text, FileKind::Template).0, "1:1");
    assert_eq!(
        FileKind::of_path(std::path::Path::new("x/prod.bicepparam")),
        FileKind::Params
    );
    assert_eq!(
        FileKind::of_path(std::path::Path::new("main.bicep")),
        FileKind::Template
    );
}

#[test]
fn the_first_error_in_the_file_wins_between_lexer_and_parser() {
    // Syntax error first, lexical error later.
    let (loc, msg) = error("var a = = 1\nvar b = '\\q'\n", FileKind::Template);
    assert_eq!(
        (loc.as_str(), msg.as_str()),
        ("1:9", "expected an expression, found `=`")
    );
    // Lexical error first.
    let (loc, msg) = error("var b = '\\q'\nvar a = = 1\n", FileKind::Template);
    assert_eq!(loc, "1:10");
    assert!(msg.starts_with("unknown escape `\\q`"), "{msg}");
    // A lexical error inside an expression the parser is reading.
    let (loc, msg) = error("var s = concat('a', \"b\")\n", FileKind::Template);
    assert_eq!(loc, "1:21");
    assert!(msg.contains("single quotes"), "{msg}");
    let e = parse("var = 1", F, FileKind::Template).unwrap_err();
    assert_eq!(e.to_string(), e.message);
}

#[test]
fn newline_rules() {
    let ok = [
        "var a = [\n  1\n  2\n]\n",
        "var a = [1, 2,]\n",
        "var a = f(\n  1,\n  2\n)\n",
        "var a = b\n  ? 1\n  : 2\n",
        "var a = map(x, y =>\n  y)\n",
        "type t =\n  | 'a'\n  | 'b'\n",
        "var a = [\n  for x in y: x\n]\n",
        "resource r 'T@1' =\n  if (c) {\n  }\n",
        "var a = { b: 1 /*\n comment across lines \n*/, c: 2 }\n",
    ];
    for text in ok {
        template(text);
    }
    let bad = [
        ("var a = [\n  1,\n  2\n]\n", "2:4"),
        ("var a = f(1\n, 2)\n", "2:1"),
        ("var a = 1 +\n2\n", "1:12"),
        ("var a = 1\n+ 2\n", "2:1"),
        ("var a = b ?\n 1 : 2\n", "1:12"),
        ("param p string var q = 1\n", "1:16"),
        ("resource r 'T@1' = if (c)\n{}\n", "1:26"),
        ("var f = x =>\nparam p string\n", "1:13"),
        ("var s = 'a${\nb}'\n", "1:9"),
    ];
    for (text, loc) in bad {
        assert_eq!(error(text, FileKind::Template).0, loc, "{text:?}");
    }
}

/// Deep nesting gives an error, not a stack overflow, on a small stack; nesting just
/// under the limit parses there too.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let hostile = [
        format!("var x = {}1{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        format!("var x = {}1{}\n", "(".repeat(50_000), ")".repeat(50_000)),
        format!("var x = {}\n", "{a:".repeat(50_000)),
        format!("var x = a{}\n", ".b".repeat(50_000)),
        format!("var x = 1{}\n", " + 1".repeat(50_000)),
        format!("var x = {}\n", "!".repeat(50_000)),
        format!("var x = {}\n", "a ? b : ".repeat(50_000)),
        format!("var x = {}x{}\n", "'${".repeat(50_000), "}'".repeat(50_000)),
        format!(
            "type t = {}string{}\n",
            "{a:".repeat(50_000),
            "}".repeat(50_000)
        ),
        format!("type t = string{}\n", "[]".repeat(50_000)),
        format!("var x = {}1{}\n", "f(".repeat(50_000), ")".repeat(50_000)),
        format!("var x = {}1\n", "a => ".repeat(50_000)),
        format!("var x = a{}\n", "[a".repeat(50_000)),
        format!(
            "type t = {}string{}\n",
            "(".repeat(50_000),
            ")".repeat(50_000)
        ),
        format!(
            "type t = {}string{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
        format!(
            "type t = {}string{}\n",
            "g<".repeat(50_000),
            ">".repeat(50_000)
        ),
        format!(
            "@d({}1{})\nparam p string\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    ];
    let ok = format!(
        "var x = {}1{}\n",
        "[".repeat(MAX_DEPTH / 2 - 1),
        "]".repeat(MAX_DEPTH / 2 - 1)
    );
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            for text in &hostile {
                match parse(text, F, FileKind::Template) {
                    Ok(_) => panic!("parsed: {}", &text[..40]),
                    Err(e) => assert!(
                        e.message.contains("nested too deeply")
                            || e.message.starts_with("expected"),
                        "{}: {}",
                        &text[..40],
                        e.message
                    ),
                }
            }
            parse(&ok, F, FileKind::Template).map(|_| ())
        })
        .unwrap();
    handle.join().unwrap().unwrap();
}

/// Long flat input (many statements, long arrays, long strings) parses: nothing in the
/// parser is quadratic or recursive in the length.
#[test]
fn long_flat_input_parses() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("var v{i} = 'value-${{i}}-{i}'\n"));
    }
    text.push_str("var big = [\n");
    for i in 0..50_000 {
        text.push_str(&format!("  {i}\n"));
    }
    text.push_str("]\n");
    text.push_str(&format!("var long = '{}'\n", "x".repeat(1_000_000)));
    let f = template(&text);
    assert_eq!(f.statements.len(), 20_002);
}

#[test]
fn never_panics_on_arbitrary_bytes() {
    // Every prefix of a text with every construct, and a few odd characters spliced in.
    let base = format!(
        "{CIRCUIT}var s = $'''a${{b}}''' ?? '\\u{{41}}' // c\n#disable-next-line x\ntype t = {{ a?: int[] }}\n"
    );
    for (i, _) in base.char_indices() {
        let _ = parse(&base[..i], F, FileKind::Template);
        let _ = parse(&base[..i], F, FileKind::Params);
        for odd in [
            "\u{0}", "'", "$", "${", "}", "\\", "\r", "'''", "#", "\u{feff}", "é",
        ] {
            let spliced = format!("{}{odd}{}", &base[..i], &base[i..]);
            if let Err(e) = parse(&spliced, F, FileKind::Template) {
                assert!(e.span.end as usize <= spliced.len());
                assert!(spliced.is_char_boundary(e.span.start as usize));
            }
        }
    }
}

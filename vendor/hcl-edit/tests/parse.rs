use hcl_edit::parser::parse_body;
use indoc::indoc;
use pretty_assertions::assert_eq;

macro_rules! assert_error {
    ($hcl:expr, $msg:expr) => {
        match parse_body($hcl) {
            Ok(s) => panic!("parsed to: {:#?}", s),
            Err(e) => assert_eq!($msg, e.to_string()),
        }
    };
}

#[test]
fn invalid_structures() {
    assert_error!(
        "foo = 1\nbar [",
        indoc! {r#"
             --> HCL parse error in line 2, column 5
              |
            2 | bar [
              |     ^---
              |
              = invalid structure; expected `{`, `=`, `"` or identifier"#}
    );

    assert_error!(
        "foo = 1\nfoo = 2",
        indoc! {r#"
             --> HCL parse error in line 2, column 1
              |
            2 | foo = 2
              | ^---
              |
              = invalid attribute; expected unique attribute key; found redefined attribute"#}
    );
}

#[test]
fn invalid_blocks() {
    assert_error!(
        "ident {",
        indoc! {r#"
             --> HCL parse error in line 1, column 8
              |
            1 | ident {
              |        ^---
              |
              = invalid block body; expected `}`, newline or identifier"#}
    );

    assert_error!(
        "ident \"label\" {",
        indoc! {r#"
             --> HCL parse error in line 1, column 16
              |
            1 | ident "label" {
              |                ^---
              |
              = invalid block body; expected `}`, newline or identifier"#}
    );

    assert_error!(
        "ident { foo }",
        indoc! {r#"
             --> HCL parse error in line 1, column 13
              |
            1 | ident { foo }
              |             ^---
              |
              = invalid attribute; expected `=`"#}
    );

    assert_error!(
        "ident { [ }",
        indoc! {r#"
             --> HCL parse error in line 1, column 9
              |
            1 | ident { [ }
              |         ^---
              |
              = invalid block body; expected `}`, newline or identifier"#}
    );
}

#[test]
fn invalid_exprs() {
    assert_error!(
        "ident = ''",
        indoc! {r#"
             --> HCL parse error in line 1, column 9
              |
            1 | ident = ''
              |         ^---
              |
              = invalid expression; expected `"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit"#}
    );

    assert_error!(
        "ident = var.%",
        indoc! {r#"
             --> HCL parse error in line 1, column 13
              |
            1 | ident = var.%
              |             ^---
              |
              = invalid traversal operator; expected `*`, identifier or unsigned integer"#}
    );

    assert_error!(
        "ident = { foo = \"\"\" }",
        indoc! {r#"
             --> HCL parse error in line 1, column 19
              |
            1 | ident = { foo = """ }
              |                   ^---
              |
              = invalid object item; expected `}`, `,` or newline"#}
    );

    assert_error!(
        "ident = foo::",
        indoc! {r#"
             --> HCL parse error in line 1, column 14
              |
            1 | ident = foo::
              |              ^---
              |
              = expected identifier"#}
    );

    assert_error!(
        "ident = foo::bar",
        indoc! {r#"
             --> HCL parse error in line 1, column 17
              |
            1 | ident = foo::bar
              |                 ^---
              |
              = expected `(`"#}
    );

    assert_error!(
        "ident = foo( ",
        indoc! {r#"
             --> HCL parse error in line 1, column 14
              |
            1 | ident = foo( 
              |              ^---
              |
              = expected `)` or expression"#}
    );

    assert_error!(
        "unicodé_ident = '4",
        indoc! {r#"
             --> HCL parse error in line 1, column 17
              |
            1 | unicodé_ident = '4
              |                 ^---
              |
              = invalid expression; expected `"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit"#}
    );
}

// erlint patch: a repeated object key is valid HCL; the last value wins and the earlier items
// are kept in `Object::overridden`.
#[test]
fn redefined_object_keys() {
    use hcl_edit::expr::Expression;
    use hcl_edit::structure::Body;
    use hcl_edit::Span;

    for (input, kept, overridden) in [
        ("ident = { foo = 1, foo = 2 }", "2", vec!["1"]),
        ("ident = { \"foo\" = 1, \"foo\" = 2 }", "2", vec!["1"]),
        (
            "ident = {\n  foo = 1\n  foo = 2\n  foo = 3\n}",
            "3",
            vec!["1", "2"],
        ),
    ] {
        let body: Body = input.parse().unwrap();
        let attr = body.get_attribute("ident").unwrap();
        let Expression::Object(object) = &attr.value else {
            panic!("not an object: {input}");
        };
        assert_eq!(object.len(), 1, "{input}");
        let (_, value) = object.iter().next().unwrap();
        assert_eq!(&input[value.expr().span().unwrap()], kept, "{input}");
        let earlier: Vec<&str> = object
            .overridden()
            .iter()
            .map(|(_, v)| &input[v.expr().span().unwrap()])
            .collect();
        assert_eq!(earlier, overridden, "{input}");
    }
}

// Builds the expected error with `message` at `column` of `line`.
fn expected_error(line: usize, column: usize, line_content: &str, message: &str) -> String {
    let s = " ".repeat(line.to_string().len());
    let caret = " ".repeat(column - 1);
    format!(
        "{s}--> HCL parse error in line {line}, column {column}\n\
         {s} |\n\
         {line} | {line_content}\n\
         {s} | {caret}^---\n\
         {s} |\n\
         {s} = {message}"
    )
}

#[test]
fn max_nesting_depth_exceeded() {
    fn expected(line: usize, column: usize, line_content: &str) -> String {
        let message = "invalid nesting depth; expected at most 256 nested levels";
        expected_error(line, column, line_content, message)
    }

    // erlint patch: the limit is 256 (was 64).
    // The attribute value itself does not count towards the nesting depth, but each array element
    // takes one level. After 257 `[` the limit is reached, so the element starting at the 258th
    // `[` is one level too deep. `x = ` takes 4 columns.
    let input = format!("x = {}1{}", "[".repeat(400), "]".repeat(400));
    assert_error!(&input, expected(1, 4 + 257 + 1, &input));

    // Same with leading content on the line and a preceding line. `foo = [1, {a = ` takes 15
    // columns and 2 levels (array element, object value), so the limit is reached after 255 `[`
    // and the error is reported at the 256th.
    let line = format!("foo = [1, {{a = {}1{}}}]", "[".repeat(400), "]".repeat(400));
    let input = format!("bar = 1\n{line}");
    assert_error!(&input, expected(2, 15 + 255 + 1, &line));

    // Block bodies take one level, so within a block the limit is reached after 256 `[` and the
    // error is reported at the 257th. `  x = ` takes 6 columns.
    let line = format!("  x = {}1{}", "[".repeat(400), "]".repeat(400));
    let input = format!("a {{\n{line}\n}}");
    assert_error!(&input, expected(2, 6 + 256 + 1, &line));

    // Blocks: the 257th block body is one level too deep. The error is reported at its `{`.
    let input = format!("{}{}", "a {\n".repeat(400), "}\n".repeat(400));
    assert_error!(&input, expected(257, 3, "a {"));
}

#[test]
fn max_operator_depth_exceeded() {
    fn expected(line: usize, column: usize, line_content: &str) -> String {
        let message = "invalid binary operation; expected at most 512 chained binary operators";
        expected_error(line, column, line_content, message)
    }

    // erlint patch: the limit is 512 (was 128).
    // The error is reported at the 513th operator. `x = 1` takes 5 columns, followed by
    // ` + 1` repeated, with the `+` in the second column of each repetition.
    let input = format!("x = 1{}", " + 1".repeat(600));
    assert_error!(&input, expected(1, 5 + 512 * 4 + 2, &input));

    // Operators of a chain within the first operand of another chain add up. The parenthesis
    // contains 100 operators, so the error is reported at the 413th operator after it.
    // `x = (1` takes 6 columns, followed by 100 ` + 1` and the closing parenthesis.
    let input = format!("x = (1{}){}", " + 1".repeat(100), " + 1".repeat(500));
    assert_error!(&input, expected(1, 6 + 100 * 4 + 1 + 412 * 4 + 2, &input));

    // Operators of sibling chains do not add up: both array elements are within the limit, so
    // the error is only reported at the 513th operator of the second element.
    let line = format!("x = [1{}, 1{}]", " + 1".repeat(512), " + 1".repeat(600));
    let input = format!("y = 1\n{line}");
    assert_error!(&input, expected(2, 6 + 512 * 4 + 3 + 512 * 4 + 2, &line));
}

// erlint patch: traversal operators and number literals as HCL scans them.
#[test]
fn traversals_and_numbers_as_hcl_scans_them() {
    use hcl_edit::structure::Body;

    for ok in [
        "a = var.x.0.y",
        "a = var.x.1e3",
        "a = var.x.*[0].*",
        "a = var.x[*].y.*",
        "a = (var.x.\n0)",
        "a = [var.x[\n*]]",
        "a = \"${var.x.\ny}\"",
        "a = 1.0.a",
        "a = 1.5 .2",
    ] {
        assert!(ok.parse::<Body>().is_ok(), "{ok:?} should parse");
    }
    for bad in [
        "a = var.x.0.1",
        "a = var.x.*.y.*",
        "a = var.x.\ny",
        "a = { b = var.x.\ny }",
        "a = var.x[\n*]",
        "a = 1.0.0",
        "a = -1.5e3.2",
    ] {
        assert!(bad.parse::<Body>().is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn comments_with_their_spans() {
    let input = "# one\na = \"# not a comment\" // two\nb = <<EOT\n# heredoc text\nEOT\nc { /* three */ d = [1, # four\n 2] }\n";
    let (body, comments) = hcl_edit::parser::parse_body_with_comments(input).unwrap();
    let texts: Vec<&str> = comments.iter().map(|r| &input[r.clone()]).collect();
    assert_eq!(texts, ["# one", "// two", "/* three */", "# four"]);
    let despanned = hcl_edit::parser::parse_body(input).unwrap();
    assert_eq!(body.to_string(), hcl_edit::parser::parse_body_spanned(input).unwrap().to_string());
    // The same tree, whitespace and comments aside.
    assert_eq!(body.len(), despanned.len());
    assert_eq!(
        body.get_attribute("a").unwrap().value.to_string().trim(),
        despanned.get_attribute("a").unwrap().value.to_string().trim()
    );
}

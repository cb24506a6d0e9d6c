//! Tests of the ARM front end on templates written the way users write them: the
//! evaluator through variables, resources in every shape, nested deployments and scopes,
//! and end to end through the rules with exact line:column.

#![allow(clippy::too_many_lines, reason = "a test lists its cases")]

use super::*;
use crate::model::{Existence, Kind, Lookup, ParentRef, Resource, Val, ValKind, schema};

const RG: &str = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const TENANT: &str =
    "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#";
const MG: &str = "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#";
const SUB: &str =
    "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";

struct Built {
    db: SourceDb,
    template: FileId,
    unit: crate::model::UnitOutput,
}

impl Built {
    fn text(&self) -> &str {
        self.db.text(self.template).unwrap()
    }

    fn model(&self) -> &Model {
        assert_eq!(self.unit.models.len(), 1, "{:?}", self.unit.diagnostics);
        &self.unit.models[0]
    }

    fn of_kind(&self, kind: Kind) -> Vec<&Resource> {
        self.model().of_kind(kind).map(|(_, r)| r).collect()
    }

    /// 1-based line:column of a span start.
    fn lc(&self, s: crate::source::Span) -> String {
        self.db.line_col(s.file, s.start as usize).to_string()
    }

    /// Line:column of the first occurrence of `needle` in the template.
    fn pos(&self, needle: &str) -> String {
        let t = self.text();
        let i = t
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in template"));
        self.db.line_col(self.template, i).to_string()
    }

    /// All findings (rules over every model, plus the unit's diagnostics and notes) as
    /// `ERxxx line:col`, sorted.
    fn findings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in &self.unit.models {
            // The scenarios' circuits leave out provider and port properties, which the
            // ER2xx rules read (ER207 would flag a circuit with neither).
            crate::rules::check_model(
                m,
                crate::catalog::Catalog::bundled(),
                &Default::default(),
                &|r| !r.id.starts_with("ER2"),
                &mut out,
            );
            out.extend(m.notes.iter().cloned());
        }
        out.extend(self.unit.diagnostics.iter().cloned());
        let mut v: Vec<String> = out
            .iter()
            .map(|d| {
                let lc = self.db.line_col(d.primary.file, d.primary.start as usize);
                let file = if d.primary.file == self.template {
                    String::new()
                } else {
                    format!("{}:", self.db.display(d.primary.file))
                };
                format!("{} {file}{lc}", d.code)
            })
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

fn build_with(template: &str, params: &[&str]) -> Built {
    let mut db = SourceDb::new(0);
    let t = db.add_text("azuredeploy.json", template);
    let ids: Vec<FileId> = params
        .iter()
        .enumerate()
        .map(|(i, p)| db.add_text(&format!("azuredeploy.parameters.{i}.json"), p))
        .collect();
    let pfs: Vec<ParameterFile> = ids
        .iter()
        .map(|id| parse_parameter_file(&db, *id).unwrap())
        .collect();
    let refs: Vec<&ParameterFile> = pfs.iter().collect();
    let unit = build(&db, t, &refs);
    Built {
        db,
        template: t,
        unit,
    }
}

fn build1(template: &str) -> Built {
    build_with(template, &[])
}

/// A resource-group template with the given parameters, variables and resources JSON.
fn tpl(parameters: &str, variables: &str, resources: &str) -> String {
    format!(
        r#"{{
  "$schema": "{RG}",
  "contentVersion": "1.0.0.0",
  "parameters": {parameters},
  "variables": {variables},
  "resources": {resources}
}}"#
    )
}

/// Evaluate variable `v` of a template whose variables are `vars` (and parameters
/// `params`), with no parameter file.
fn var(params: &str, vars: &str) -> (Val, Vec<crate::diagnostic::Diagnostic>) {
    let text = tpl(params, vars, "[]");
    let root = json::parse(&text, FileId(0), "x").unwrap();
    let obj = root.as_object().unwrap();
    let mut ev = eval::Eval::new(&text, FileId(0));
    let s = ev.add_scope(eval::Scope::of_template(obj, eval::Supplied::None));
    let site = crate::source::Span::new(FileId(0), 0, 0);
    // As `arm::build` does: one evaluation budget, its limits reported.
    let (v, hits) = crate::limits::run(|| ev.var(s, "v", site));
    let mut diags = ev.take_diagnostics();
    diags.extend(crate::limits::diagnostics(&hits));
    (v, diags)
}

fn json_of(v: &Val) -> serde_json::Value {
    assert!(v.is_wholly_known(), "unknown: {:?}", v.first_unknown());
    v.to_json()
}

fn eval_json(expr: &str) -> serde_json::Value {
    let (v, d) = var(
        r#"{"name": {"type": "string", "defaultValue": "er-ams"}, "n": {"type": "int", "defaultValue": 3}}"#,
        &format!(r#"{{"obj": {{"a": {{"x": 1}}, "list": ["p", "q"]}}, "v": "{expr}"}}"#),
    );
    assert!(d.is_empty(), "{expr}: {d:?}");
    json_of(&v)
}

fn eval_unknown(expr: &str) -> String {
    let (v, d) = var("{}", &format!(r#"{{"v": "{expr}"}}"#));
    assert!(d.is_empty(), "{expr}: {d:?}");
    match &v.kind {
        ValKind::Unknown(u) => u.reason.clone(),
        _ => panic!("{expr} is known: {v:?}"),
    }
}

// ---------------------------------------------------------------------------------
// Functions

#[test]
fn string_functions() {
    use serde_json::json;
    let cases: &[(&str, serde_json::Value)] = &[
        (
            "[concat(parameters('name'), '-', 'pr')]",
            json!("er-ams-pr"),
        ),
        ("[concat('n', parameters('n'))]", json!("n3")),
        (
            "[format('{0}/{1}', parameters('name'), 'AzurePrivatePeering')]",
            json!("er-ams/AzurePrivatePeering"),
        ),
        ("[format('vlan-{0:D4}', 42)]", json!("vlan-0042")),
        ("[toLower('ExpressRoute')]", json!("expressroute")),
        ("[toUpper('er')]", json!("ER")),
        (
            "[replace('10.0.0.0/29', '/29', '/30')]",
            json!("10.0.0.0/30"),
        ),
        (
            "[split('a,b;c', createArray(',', ';'))]",
            json!(["a", "b", "c"]),
        ),
        ("[first('abc')]", json!("a")),
        ("[last(split('x/y/z', '/'))]", json!("z")),
        ("[substring('AzurePrivatePeering', 5, 7)]", json!("Private")),
        ("[trim('  x ')]", json!("x")),
        ("[padLeft(7, 3, '0')]", json!("007")),
        ("[string(parameters('n'))]", json!("3")),
        ("[string(variables('obj').list)]", json!("[\"p\",\"q\"]")),
        ("[string(true)]", json!("True")),
        ("[join(variables('obj').list, '+')]", json!("p+q")),
        ("[take('abcdef', 2)]", json!("ab")),
        ("[skip('abcdef', 4)]", json!("ef")),
        ("[indexOf('ExpressRoute', 'ROUTE')]", json!(7)),
        ("[lastIndexOf('abcabc', 'x')]", json!(-1)),
        ("[startsWith('AzurePrivatePeering', 'azure')]", json!(true)),
        ("[endsWith('AzurePrivatePeering', 'peering')]", json!(true)),
        ("[[not an expression]", json!("[not an expression]")),
    ];
    for (e, want) in cases {
        assert_eq!(&eval_json(e), want, "{e}");
    }
}

#[test]
fn logic_comparison_and_numbers() {
    use serde_json::json;
    let cases: &[(&str, serde_json::Value)] = &[
        (
            "[if(equals(parameters('n'), 3), 'three', 'other')]",
            json!("three"),
        ),
        (
            "[if(not(equals('a', 'A')), 'case-sensitive', 'no')]",
            json!("case-sensitive"),
        ),
        ("[and(true, or(false, true), not(false))]", json!(true)),
        ("[or(false, false)]", json!(false)),
        ("[empty('')]", json!(true)),
        ("[empty(variables('obj').list)]", json!(false)),
        ("[length(variables('obj').list)]", json!(2)),
        ("[length('Zürich')]", json!(6)),
        ("[int('42')]", json!(42)),
        ("[bool('True')]", json!(true)),
        ("[greater(parameters('n'), 2)]", json!(true)),
        ("[lessOrEquals('a', 'b')]", json!(true)),
        ("[add(1, mul(2, 3))]", json!(7)),
        ("[sub(10, div(7, 2))]", json!(7)),
        ("[mod(7, 3)]", json!(1)),
        ("[min(3, 1, 2)]", json!(1)),
        ("[max(createArray(3, 9, 2))]", json!(9)),
        ("[range(1, 3)]", json!([1, 2, 3])),
        ("[true()]", json!(true)),
        ("[null()]", json!(null)),
        (
            "[coalesce(null(), tryGet(variables('obj'), 'missing'), 'fallback')]",
            json!("fallback"),
        ),
        ("[tryGet(variables('obj'), 'a', 'x')]", json!(1)),
        ("[contains('ExpressRoute', 'Route')]", json!(true)),
        ("[contains(variables('obj').list, 'q')]", json!(true)),
        ("[contains(variables('obj'), 'A')]", json!(true)),
    ];
    for (e, want) in cases {
        assert_eq!(&eval_json(e), want, "{e}");
    }
}

#[test]
fn collections() {
    use serde_json::json;
    let cases: &[(&str, serde_json::Value)] = &[
        (
            "[concat(createArray(1, 2), createArray(3))]",
            json!([1, 2, 3]),
        ),
        (
            "[createObject('a', 1, 'b', createArray('x'))]",
            json!({"a": 1, "b": ["x"]}),
        ),
        (
            "[union(variables('obj'), createObject('a', createObject('y', 2)))]",
            json!({"a": {"x": 1, "y": 2}, "list": ["p", "q"]}),
        ),
        (
            "[union(createArray(1, 2), createArray(2, 3))]",
            json!([1, 2, 3]),
        ),
        (
            "[intersection(createArray(1, 2, 3), createArray(3, 1))]",
            json!([1, 3]),
        ),
        ("[array('x')]", json!(["x"])),
        ("[json('{\\\"a\\\": [1, true]}').a]", json!([1, true])),
        ("[items(createObject('b', 2, 'a', 1))[0].key]", json!("a")),
        ("[objectKeys(variables('obj'))]", json!(["a", "list"])),
        ("[take(variables('obj').list, 1)]", json!(["p"])),
        ("[variables('obj')['list'][1]]", json!("q")),
        ("[variables('OBJ').A.X]", json!(1)),
        ("[first(variables('obj').list)]", json!("p")),
    ];
    for (e, want) in cases {
        assert_eq!(&eval_json(e), want, "{e}");
    }
}

/// The examples of learn.microsoft.com, "Lambda functions for ARM templates".
#[test]
fn lambda_functions() {
    use serde_json::json;
    let dogs = "createArray(createObject('name', 'Evie', 'age', 5), createObject('name', 'Casper', 'age', 3), createObject('name', 'Indy', 'age', 2), createObject('name', 'Kira', 'age', 8))";
    let cases: Vec<(String, serde_json::Value)> = vec![
        (
            "[filter(range(0, 10), lambda('i', equals(0, mod(lambdaVariables('i'), 2))))]".into(),
            json!([0, 2, 4, 6, 8]),
        ),
        (
            format!("[map(filter({dogs}, lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5))), lambda('d', lambdaVariables('d').name))]"),
            json!(["Evie", "Kira"]),
        ),
        (
            format!("[map({dogs}, lambda('dog', format('Hello {{0}}!', lambdaVariables('dog').name)))]"),
            json!(["Hello Evie!", "Hello Casper!", "Hello Indy!", "Hello Kira!"]),
        ),
        (
            "[map(variables('obj').list, lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]".into(),
            json!(["p0", "q1"]),
        ),
        (
            format!("[reduce(map({dogs}, lambda('d', lambdaVariables('d').age)), 1, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]"),
            json!(19),
        ),
        (
            "[reduce(createArray(createObject('foo', 123), createObject('bar', 456), createObject('baz', 789)), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]".into(),
            json!({"foo": 123, "bar": 456, "baz": 789}),
        ),
        (
            format!("[map(sort({dogs}, lambda('a', 'b', less(lambdaVariables('a').age, lambdaVariables('b').age))), lambda('d', lambdaVariables('d').name))]"),
            json!(["Indy", "Casper", "Evie", "Kira"]),
        ),
        (
            format!("[toObject({dogs}, lambda('entry', lambdaVariables('entry').name), lambda('entry', lambdaVariables('entry').age))]"),
            json!({"Evie": 5, "Casper": 3, "Indy": 2, "Kira": 8}),
        ),
        (
            "[toObject(variables('obj').list, lambda('x', lambdaVariables('x')))]".into(),
            json!({"p": "p", "q": "q"}),
        ),
        (
            "[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]".into(),
            json!({"f": ["foo"], "b": ["bar", "baz"]}),
        ),
        (
            "[mapValues(createObject('foo', 'foo'), lambda('val', toUpper(lambdaVariables('val'))))]".into(),
            json!({"foo": "FOO"}),
        ),
        // Inner lambdas see the outer ones' variables, and the template's names.
        (
            "[map(createArray(1, 2), lambda('x', map(createArray(10), lambda('y', add(lambdaVariables('x'), add(lambdaVariables('y'), parameters('n')))))))]".into(),
            json!([[14], [15]]),
        ),
    ];
    for (e, want) in &cases {
        assert_eq!(&eval_json(e), want, "{e}");
    }
}

#[test]
fn lambdas_that_cannot_be_decided_are_unknown() {
    for e in [
        "[lambdaVariables('x')]",
        "[lambda('x', 1)]",
        "[filter(createArray(1), 5)]",
        "[filter(createArray(1, 2), lambda('i', 'yes'))]",
        "[filter(createArray(1), lambda('i', 'j', 'k', true()))]",
        "[map(createArray(1), lambda('i', 1), createArray(2))]",
        "[toObject(createArray('a', 'A'), lambda('x', lambdaVariables('x')))]",
        "[toObject(createArray(1), lambda('x', lambdaVariables('x')))]",
        "[groupBy(createArray('a', 'A'), lambda('x', lambdaVariables('x')))]",
        "[sort(createArray(createObject('a', 1, 'k', 'x'), createObject('a', 1, 'k', 'y')), lambda('p', 'q', less(lambdaVariables('p').a, lambdaVariables('q').a)))]",
        "[filter(createArray(1), lambda('i', equals(lambdaVariables('i'), parameters('missing'))))]",
        "[filter(parameters('missing'), lambda('i', true()))]",
    ] {
        eval_unknown(e);
    }
    // Equal elements may be in any order when they are equal all through.
    assert_eq!(
        eval_json(
            "[sort(createArray(2, 1, 2), lambda('p', 'q', less(lambdaVariables('p'), lambdaVariables('q'))))]"
        ),
        serde_json::json!([1, 2, 2])
    );
    // `map` keeps an Unknown result as an Unknown element.
    let (v, d) = var(
        "{}",
        r#"{"v": "[map(createArray(1, 2), lambda('x', if(equals(lambdaVariables('x'), 1), resourceGroup().location, 'b')))]"}"#,
    );
    assert!(d.is_empty(), "{d:?}");
    let items = v.as_list().unwrap();
    assert!(items[0].is_unknown());
    assert_eq!(items[1].as_str(), Some("b"));
    // Names match exactly, and a variable evaluated inside a lambda does not see the
    // lambda's parameters (Azure does not allow that either).
    let (v, _) = var(
        "{}",
        r#"{"w": "[lambdaVariables('x')]", "v": "[map(createArray(1), lambda('x', createArray(variables('w'), lambdaVariables('X'))))]"}"#,
    );
    let inner = v.as_list().unwrap()[0].as_list().unwrap();
    assert!(inner.iter().all(Val::is_unknown), "{inner:?}");
}

#[test]
fn hostile_lambdas_are_bounded() {
    let start = std::time::Instant::now();
    let (v, _) = var(
        "{}",
        r#"{"v": "[map(range(0, 10000), lambda('a', map(range(0, 10000), lambda('b', map(range(0, 10000), lambda('c', range(0, 10000)))))))]"}"#,
    );
    assert!(!v.is_wholly_known());
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn resource_ids() {
    use serde_json::json;
    assert_eq!(
        eval_json(
            "[resourceId('00000000-0000-0000-0000-000000000001', 'rg-er', 'Microsoft.Network/expressRouteCircuits/peerings', 'er', 'AzurePrivatePeering')]"
        ),
        json!(
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er/peerings/AzurePrivatePeering"
        )
    );
    assert_eq!(
        eval_json("[subscriptionResourceId('sub-1', 'Microsoft.Resources/resourceGroups', 'rg')]"),
        json!("/subscriptions/sub-1/providers/Microsoft.Resources/resourceGroups/rg")
    );
    assert_eq!(
        eval_json("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]"),
        json!("/providers/Microsoft.Management/managementGroups/mg")
    );
    assert_eq!(
        eval_json(
            "[extensionResourceId('/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/expressRouteCircuits/er', 'Microsoft.Authorization/locks', 'lock')]"
        ),
        json!(
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/expressRouteCircuits/er/providers/Microsoft.Authorization/locks/lock"
        )
    );
    // Without subscription (and group) the id starts with the deployment's own: unknown.
    assert!(
        eval_unknown("[resourceId('Microsoft.Network/expressRouteCircuits', 'er')]")
            .contains("subscription")
    );
    assert!(
        eval_unknown("[resourceId('rg', 'Microsoft.Network/expressRouteCircuits', 'er')]")
            .contains("subscription")
    );
    eval_unknown("[subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg')]");
}

#[test]
fn deployment_time_and_unimplemented_functions_are_unknown() {
    for e in [
        "[resourceGroup().location]",
        "[subscription().subscriptionId]",
        "[reference('x').outputs.y.value]",
        "[uniqueString(resourceGroup().id)]",
        "[newGuid()]",
        "[utcNow()]",
        "[listKeys('x', '2020-01-01').keys[0].value]",
        "[environment().name]",
        "[concat('er-', uniqueString('a'))]",
        "[if(equals(resourceGroup().location, 'x'), 'a', 'b')]",
        "[dateTimeAdd('2020-01-01T00:00:00Z', 'PT1H')]",
        "[buildUri(createObject('scheme', 'https', 'host', 'example.com'))]",
        "[filter(createArray(1), lambda('i', equals(resourceGroup().location, 'x')))]",
        "[parameters('missing')]",
    ] {
        eval_unknown(e);
    }
    assert!(eval_unknown("[resourceGroup().location]").contains("resourcegroup()"));
    // Unknown inside a list stays inside; the list is known.
    let (v, _) = var(
        "{}",
        r#"{"v": "[createArray('a', resourceGroup().location)]"}"#,
    );
    assert_eq!(v.as_list().map(<[Val]>::len), Some(2));
    assert!(!v.is_wholly_known());
    // `and` / `or` decide when a known argument decides.
    assert_eq!(
        eval_json_with_unknown("[and(false, equals(resourceGroup().location, 'x'))]"),
        serde_json::json!(false)
    );
    assert_eq!(
        eval_json_with_unknown("[or(true, equals(resourceGroup().location, 'x'))]"),
        serde_json::json!(true)
    );
    eval_unknown("[and(true, equals(resourceGroup().location, 'x'))]");
    eval_unknown("[coalesce(resourceGroup().tags, 'x')]");
}

fn eval_json_with_unknown(expr: &str) -> serde_json::Value {
    let (v, _) = var("{}", &format!(r#"{{"v": "{expr}"}}"#));
    json_of(&v)
}

#[test]
fn wrong_arguments_are_unknown_not_errors() {
    for e in [
        "[concat('a', createArray(1))]",
        "[substring('abc', 2, 5)]",
        "[div(1, 0)]",
        "[int('x')]",
        "[first(1)]",
        "[createObject('a')]",
        "[format('{1}', 'a')]",
        "[variables('obj').missing]",
        "[createArray(1)[5]]",
        "[range(0, 100000)]",
        "[padLeft('x', 100000000)]",
        "[add(9000000000000000000, 9000000000000000000)]",
    ] {
        let (v, d) = var("{}", &format!(r#"{{"obj": {{}}, "v": "{e}"}}"#));
        assert!(d.is_empty(), "{e}: {d:?}");
        assert!(v.is_unknown(), "{e}: {v:?}");
    }
}

#[test]
fn user_defined_functions() {
    let text = format!(
        r#"{{
  "$schema": "{RG}",
  "functions": [{{
    "namespace": "contoso",
    "members": {{
      "peeringName": {{
        "parameters": [{{"name": "circuit", "type": "string"}}, {{"name": "kind", "type": "string"}}],
        "output": {{"type": "string", "value": "[format('{{0}}/{{1}}Peering', parameters('circuit'), parameters('kind'))]"}}
      }}
    }}
  }}],
  "variables": {{"v": "[contoso.peeringName('er', 'AzurePrivate')]"}},
  "resources": []
}}"#
    );
    let root = json::parse(&text, FileId(0), "x").unwrap();
    let mut ev = eval::Eval::new(&text, FileId(0));
    let s = ev.add_scope(eval::Scope::of_template(
        root.as_object().unwrap(),
        eval::Supplied::None,
    ));
    let v = ev.var(s, "v", crate::source::Span::new(FileId(0), 0, 0));
    assert_eq!(v.as_str(), Some("er/AzurePrivatePeering"));
}

#[test]
fn recursive_variables_are_reported_not_overflowed() {
    let (v, d) = var(
        "{}",
        r#"{"v": "[concat(variables('w'), 'x')]", "w": "[variables('v')]"}"#,
    );
    assert!(v.is_unknown());
    assert_eq!(d.len(), 1);
    assert!(
        d[0].message.contains("refers to itself"),
        "{}",
        d[0].message
    );
    // A long chain is cut off by the depth limit, without a stack overflow.
    let mut vars = String::from("{\"v\": \"[variables('v1')]\"");
    for i in 1..5000 {
        vars.push_str(&format!(", \"v{i}\": \"[variables('v{}')]\"", i + 1));
    }
    vars.push_str(", \"v5000\": \"end\"}");
    let (v, _) = var("{}", &vars);
    assert!(v.is_unknown());
    // Exponential doubling is bounded.
    let mut vars = String::from("{\"v0\": [1, 2]");
    for i in 1..64 {
        vars.push_str(&format!(
            ", \"v{i}\": \"[concat(variables('v{p}'), variables('v{p}'))]\"",
            p = i - 1
        ));
    }
    vars.push_str(", \"v\": \"[length(variables('v63'))]\"}");
    let (v, _) = var("{}", &vars);
    assert!(v.is_unknown());
}

#[test]
fn variable_cycles_name_the_chain_at_the_closing_reference() {
    let vars = r#"{
    "v": "[variables('a')]",
    "a": "[variables('b')]",
    "b": "[concat(variables('c'), '/30')]",
    "c": "[variables('a')]"
  }"#;
    let text = tpl("{}", vars, "[]");
    let (v, d) = var("{}", vars);
    assert!(v.is_unknown());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].message,
        "variable `a` refers to itself through a cycle: `a` → `b` → `c` → `a`"
    );
    // At the reference that closes the cycle: `variables('a')` in `c`.
    let closing = text.find("\"c\": \"[").unwrap() + "\"c\": \"[".len();
    assert_eq!(
        &text[d[0].primary.range()],
        "variables('a')",
        "{}",
        &text[closing..]
    );
    assert_eq!(d[0].primary.start as usize, closing);
    // A variable that names itself directly.
    let text = tpl("{}", r#"{"v": "[variables('v')]"}"#, "[]");
    let (_, d) = var("{}", r#"{"v": "[variables('v')]"}"#);
    assert_eq!(d[0].message, "variable `v` refers to itself");
    assert_eq!(&text[d[0].primary.range()], "variables('v')");
}

#[test]
fn variable_copy_and_copy_index() {
    use serde_json::json;
    let (v, d) = var(
        r#"{"count": {"type": "int", "defaultValue": 2}}"#,
        r#"{
          "copy": [{"name": "prefixes", "count": "[parameters('count')]", "input": "[format('10.0.{0}.0/30', copyIndex('prefixes', 1))]"}],
          "v": "[variables('prefixes')]"
        }"#,
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(json_of(&v), json!(["10.0.1.0/30", "10.0.2.0/30"]));
    assert!(eval_unknown("[copyIndex()]").contains("outside"));
}

#[test]
fn parameter_precedence_and_origins() {
    let template = tpl(
        r#"{
    "fromFile": {"type": "string", "defaultValue": "default-a"},
    "fromDefault": {"type": "string", "defaultValue": "[concat(parameters('fromFile'), '-d')]"},
    "noValue": {"type": "string"},
    "secret": {"type": "secureString"}
  }"#,
        r#"{
    "a": "[parameters('fromFile')]",
    "b": "[parameters('fromDefault')]",
    "c": "[parameters('noValue')]",
    "d": "[parameters('secret')]"
  }"#,
        "[]",
    );
    let params = r#"{"parameters": {"fromFile": {"value": "from-file"}}}"#;
    let mut db = SourceDb::new(0);
    let t = db.add_text("t.json", &template);
    let p = db.add_text("t.parameters.json", params);
    let pf = parse_parameter_file(&db, p).unwrap();
    let text = db.text(t).unwrap();
    let root = json::parse(text, t, "x").unwrap();
    let mut ev = eval::Eval::new(text, t);
    let s = ev.add_scope(eval::Scope::of_template(
        root.as_object().unwrap(),
        eval::Supplied::Values(pf.values.clone()),
    ));
    let at = |needle: &str| {
        let i = text.find(needle).unwrap();
        crate::source::Span::new(t, i, i + needle.len())
    };
    let a = ev.var(s, "a", at("\"a\""));
    assert_eq!(a.as_str(), Some("from-file"));
    // The origin is the parameter file's literal.
    let o = a.origin.unwrap();
    assert_eq!(o.file, p);
    assert_eq!(&params[o.range()], "\"from-file\"");
    let b = ev.var(s, "b", at("\"b\""));
    assert_eq!(b.as_str(), Some("from-file-d"));
    let c = ev.var(s, "c", at("\"c\""));
    let u = c.as_unknown().unwrap();
    assert!(u.reason.contains("`noValue` has no value"), "{}", u.reason);
    assert!(!u.secret);
    let d = ev.var(s, "d", at("\"d\""));
    assert!(d.as_unknown().unwrap().secret);
}

#[test]
fn malformed_expressions_are_er001_at_the_right_offset() {
    let template = tpl(
        "{}",
        "{}",
        r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "[concat('er', 'x'",
      "location": "[resourceGroup(.location]",
      "properties": {}
    },
    {
      "type": "Microsoft.Storage/storageAccounts",
      "name": "[toLower('a' 'b')]"
    }
  ]"#,
    );
    let b = build1(&template);
    assert_eq!(b.model().resources.len(), 1);
    let f = b.findings();
    let loc = b.pos("(.location]");
    let loc = format!("ER001 {}:{}", loc.split(':').next().unwrap(), {
        // column of `.` inside `resourceGroup(.location`
        let t = b.text();
        let i = t.find("(.location").unwrap() + 1;
        b.db.line_col(b.template, i).column
    });
    assert!(f.contains(&loc), "{f:?} lacks {loc}");
    // The unevaluated storage account's expression is still checked.
    let t = b.text();
    let i = t.find("'b')]").unwrap();
    let want = format!("ER001 {}", b.db.line_col(b.template, i));
    assert!(f.contains(&want), "{f:?} lacks {want}");
    // `[concat('er', 'x'` does not end with `]`: a literal, no error.
    assert_eq!(
        f.iter().filter(|s| s.starts_with("ER001")).count(),
        2,
        "{f:?}"
    );
    let circuit = b.of_kind(Kind::Circuit)[0];
    assert_eq!(
        circuit.body.get("name").and_then(Val::as_str),
        Some("[concat('er', 'x'")
    );
}

// ---------------------------------------------------------------------------------
// Resources

const PRIVATE_PEERING_PROPS: &str = r#"{
          "peeringType": "AzurePrivatePeering",
          "peerASN": 65010,
          "primaryPeerAddressPrefix": "192.168.10.0/30",
          "secondaryPeerAddressPrefix": "192.168.10.4/30",
          "vlanId": 200
        }"#;

fn circuit_params() -> &'static str {
    r#"{
    "circuitName": {"type": "string", "defaultValue": "er-ams"},
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
  }"#
}

fn circuit(extra_props: &str, children: &str) -> String {
    format!(
        r#"{{
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "[parameters('circuitName')]",
      "location": "[parameters('location')]",
      "sku": {{"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"}},
      "properties": {{
        "serviceProviderProperties": {{"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam", "bandwidthInMbps": 200}}{extra_props}
      }}{children}
    }}"#
    )
}

#[test]
fn child_top_level_and_inline_peerings() {
    let child = circuit(
        "",
        &format!(
            r#",
      "resources": [
        {{
          "type": "peerings",
          "apiVersion": "2023-09-01",
          "name": "AzurePrivatePeering",
          "dependsOn": ["[resourceId('Microsoft.Network/expressRouteCircuits', parameters('circuitName'))]"],
          "properties": {PRIVATE_PEERING_PROPS}
        }}
      ]"#
        ),
    );
    let b = build1(&tpl(circuit_params(), "{}", &format!("[{child}]")));
    let peerings = b.of_kind(Kind::Peering);
    assert_eq!(peerings.len(), 1);
    let p = peerings[0];
    assert_eq!(
        p.address,
        "Microsoft.Network/expressRouteCircuits/peerings/er-ams/AzurePrivatePeering"
    );
    assert_eq!(p.json_path.as_deref(), Some("$.resources[0].resources[0]"));
    assert_eq!(p.parent, Some(0));
    assert_eq!(p.parent_ref, Some(ParentRef::Index(0)));
    assert_eq!(b.lc(p.header), b.pos("\"type\": \"peerings\""));
    assert_eq!(p.arm_scope, Some(ArmScope::ResourceGroup));
    let c = b.of_kind(Kind::Circuit)[0];
    assert_eq!(c.address, "Microsoft.Network/expressRouteCircuits/er-ams");
    assert!(c.body.get("location").unwrap().is_unknown());

    // Top-level child with a format() name links by name.
    let top = format!(
        r#"[{}, {{
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "apiVersion": "2023-09-01",
      "name": "[format('{{0}}/{{1}}', parameters('circuitName'), 'AzurePrivatePeering')]",
      "properties": {PRIVATE_PEERING_PROPS}
    }}]"#,
        circuit("", "")
    );
    let b = build1(&tpl(circuit_params(), "{}", &top));
    let p = b.of_kind(Kind::Peering)[0];
    assert_eq!(
        p.parent_ref,
        Some(ParentRef::Name {
            name: "er-ams".into(),
            resource_group: None
        })
    );
    assert_eq!(p.parent, Some(0));
    assert_eq!(
        p.peering_type().found().and_then(|f| f.as_str()),
        Some("AzurePrivatePeering")
    );

    // Inline peerings: one resource per element, header at its "name".
    let inline = circuit(
        &format!(
            r#",
        "peerings": [
          {{"name": "AzurePrivatePeering", "properties": {PRIVATE_PEERING_PROPS}}},
          {{"name": "MicrosoftPeering", "properties": {{"peerASN": 65020}}}}
        ]"#
        ),
        "",
    );
    let b = build1(&tpl(circuit_params(), "{}", &format!("[{inline}]")));
    let ps = b.of_kind(Kind::Peering);
    assert_eq!(ps.len(), 2);
    assert_eq!(
        b.lc(ps[0].header),
        b.pos("\"name\": \"AzurePrivatePeering\"")
    );
    assert_eq!(b.lc(ps[1].header), b.pos("\"name\": \"MicrosoftPeering\""));
    assert_eq!(
        ps[1].json_path.as_deref(),
        Some("$.resources[0].properties.peerings[1]")
    );
    assert_eq!(ps[1].parent, Some(0));
    assert_eq!(
        ps[1].peering_type().found().and_then(|f| f.as_str()),
        Some("MicrosoftPeering")
    );
}

#[test]
fn child_and_grandchild_names_with_full_or_relative_types() {
    // A child peering written with its full type and short name, its connection with a
    // relative type; a second connection written with full type and full name.
    let connection = |ty: &str, name: &str| {
        format!(
            r#"{{
              "type": "{ty}",
              "apiVersion": "2023-09-01",
              "name": "{name}",
              "properties": {{"expressRouteCircuitPeering": {{"id": "x"}}, "addressPrefix": "10.9.0.0/29"}}
            }}"#
        )
    };
    for peering_type in [
        "Microsoft.Network/expressRouteCircuits/peerings",
        "peerings",
    ] {
        let children = format!(
            r#",
      "resources": [
        {{
          "type": "{peering_type}",
          "apiVersion": "2023-09-01",
          "name": "AzurePrivatePeering",
          "properties": {PRIVATE_PEERING_PROPS},
          "resources": [{}, {}]
        }}
      ]"#,
            connection("connections", "to-weu"),
            connection(
                "Microsoft.Network/expressRouteCircuits/peerings/connections",
                "er-ams/AzurePrivatePeering/to-neu"
            ),
        );
        let b = build1(&tpl(
            circuit_params(),
            "{}",
            &format!("[{}]", circuit("", &children)),
        ));
        let p = b.of_kind(Kind::Peering)[0];
        assert_eq!(
            p.address, "Microsoft.Network/expressRouteCircuits/peerings/er-ams/AzurePrivatePeering",
            "{peering_type}"
        );
        let conns: Vec<&str> = b
            .of_kind(Kind::CircuitConnection)
            .iter()
            .map(|c| c.address.as_str())
            .collect();
        assert_eq!(
            conns,
            [
                "Microsoft.Network/expressRouteCircuits/peerings/connections/er-ams/AzurePrivatePeering/to-weu",
                "Microsoft.Network/expressRouteCircuits/peerings/connections/er-ams/AzurePrivatePeering/to-neu",
            ],
            "{peering_type}"
        );
    }
}

#[test]
fn resource_copy_conditions_and_existing() {
    let resources = r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "[concat('er-', copyIndex(1))]",
      "copy": {"name": "circuits", "count": 3},
      "properties": {}
    },
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "unknown-count",
      "copy": {"name": "more", "count": "[length(reference('x').items)]"},
      "properties": {}
    },
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "never",
      "condition": "[equals(parameters('env'), 'test')]",
      "properties": {}
    },
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "maybe",
      "condition": "[parameters('deploy')]",
      "properties": {}
    },
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "existing-one",
      "existing": true
    },
    {
      "type": "microsoft.network/EXPRESSROUTEPORTS",
      "name": "port",
      "properties": {}
    }
  ]"#;
    let b = build1(&tpl(
        r#"{"env": {"type": "string", "defaultValue": "prod"}, "deploy": {"type": "bool"}}"#,
        "{}",
        resources,
    ));
    let c = b.of_kind(Kind::Circuit);
    let addrs: Vec<&str> = c.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addrs,
        [
            "Microsoft.Network/expressRouteCircuits/er-1[0]",
            "Microsoft.Network/expressRouteCircuits/er-2[1]",
            "Microsoft.Network/expressRouteCircuits/er-3[2]",
            "Microsoft.Network/expressRouteCircuits/unknown-count",
            "Microsoft.Network/expressRouteCircuits/maybe",
            "Microsoft.Network/expressRouteCircuits/existing-one",
        ]
    );
    assert_eq!(c[0].exists, Existence::Yes);
    assert!(matches!(&c[3].exists, Existence::Unknown(r) if r.contains("copy count")));
    assert!(matches!(&c[4].exists, Existence::Unknown(r) if r.contains("condition")));
    assert!(!c[5].reportable);
    assert!(c[..5].iter().all(|r| r.reportable));
    assert_eq!(b.of_kind(Kind::Port).len(), 1);
}

#[test]
fn property_copy_generates_peerings() {
    let resources = r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "er-copy",
      "properties": {
        "copy": [
          {
            "name": "peerings",
            "count": "[length(parameters('peerings'))]",
            "input": {
              "name": "[parameters('peerings')[copyIndex('peerings')].type]",
              "properties": {
                "peeringType": "[parameters('peerings')[copyIndex('peerings')].type]",
                "primaryPeerAddressPrefix": "[parameters('peerings')[copyIndex('peerings')].primary]",
                "secondaryPeerAddressPrefix": "[parameters('peerings')[copyIndex('peerings')].secondary]",
                "vlanId": "[add(100, copyIndex('peerings'))]"
              }
            }
          }
        ]
      }
    }
  ]"#;
    let params = r#"{
    "peerings": {"type": "array", "defaultValue": [
      {"type": "AzurePrivatePeering", "primary": "10.0.0.0/30", "secondary": "10.0.0.4/30"},
      {"type": "MicrosoftPeering", "primary": "203.0.113.0/30", "secondary": "203.0.113.4/30"}
    ]}
  }"#;
    let b = build1(&tpl(params, "{}", resources));
    let ps = b.of_kind(Kind::Peering);
    assert_eq!(ps.len(), 2);
    assert_eq!(
        ps[1].address,
        "Microsoft.Network/expressRouteCircuits/peerings/er-copy/MicrosoftPeering"
    );
    // Both instances come from the one `input` object; the header is its "name".
    assert_eq!(
        b.lc(ps[0].header),
        b.pos("\"name\": \"[parameters('peerings')[copyIndex('peerings')].type]\"")
    );
    let vlan = ps[1].lookup(&["properties", "vlanId"]);
    assert_eq!(vlan.known().and_then(|f| f.val.as_f64()), Some(101.0));
    let primary = ps[0].get(&crate::model::schema::PRIMARY_PREFIX);
    let f = primary.known().unwrap();
    assert_eq!(f.as_str(), Some("10.0.0.0/30"));
    // Reported at the expression in the input, with the default value as origin.
    assert_eq!(
        b.lc(f.at),
        b.pos("\"[parameters('peerings')[copyIndex('peerings')].primary]\"")
    );
    assert_eq!(b.lc(f.from.unwrap()), b.pos("\"10.0.0.0/30\""));
}

#[test]
fn symbolic_names_and_bicep_output() {
    let text = format!(
        r#"{{
  "$schema": "{RG}",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "metadata": {{"_generator": {{"name": "bicep", "version": "0.30.23.60470"}}}},
  "parameters": {{"circuitName": {{"type": "string", "defaultValue": "er-bicep"}}}},
  "resources": {{
    "circuit": {{
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "[parameters('circuitName')]",
      "location": "westeurope",
      "properties": {{}}
    }},
    "private": {{
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "apiVersion": "2023-09-01",
      "name": "[format('{{0}}/{{1}}', parameters('circuitName'), 'AzurePrivatePeering')]",
      "properties": {{"peeringType": "AzurePrivatePeering", "primaryPeerAddressPrefix": "10.1.0.0/30"}},
      "dependsOn": ["circuit"]
    }},
    "peer-existing": {{
      "existing": true,
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "other"
    }}
  }}
}}"#
    );
    let b = build1(&text);
    let c = b.of_kind(Kind::Circuit);
    assert_eq!(c[0].json_path.as_deref(), Some("$.resources.circuit"));
    assert_eq!(
        c[1].json_path.as_deref(),
        Some("$.resources['peer-existing']")
    );
    assert!(!c[1].reportable);
    let p = b.of_kind(Kind::Peering)[0];
    assert_eq!(p.parent, Some(0));
    assert_eq!(
        b.findings(),
        [format!(
            "ER301 {}",
            b.pos("\"type\": \"Microsoft.Network/expressRouteCircuits/peerings\"")
        )]
    );
}

// ---------------------------------------------------------------------------------
// Nested deployments and scopes

fn nested(
    schema: &str,
    deployment_props: &str,
    scope: &str,
    inner_params: &str,
    passed: &str,
) -> String {
    format!(
        r#"{{
  "$schema": "{schema}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "circuitName": {{"type": "string", "defaultValue": "er-outer"}},
    "secondary": {{"type": "string"}}
  }},
  "variables": {{"outerVar": "from-outer"}},
  "resources": [
    {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "er-deploy",
      "location": "westeurope",{deployment_props}
      "properties": {{
        "mode": "Incremental",
        "expressionEvaluationOptions": {{"scope": "{scope}"}},
        "parameters": {passed},
        "template": {{
          "$schema": "{RG}",
          "contentVersion": "1.0.0.0",
          "parameters": {inner_params},
          "resources": [
            {{
              "type": "Microsoft.Network/expressRouteCircuits",
              "apiVersion": "2023-09-01",
              "name": "[parameters('circuitName')]",
              "location": "westeurope",
              "properties": {{
                "peerings": [
                  {{
                    "name": "AzurePrivatePeering",
                    "properties": {{
                      "primaryPeerAddressPrefix": "10.0.0.0/30",
                      "secondaryPeerAddressPrefix": "[parameters('secondary')]"
                    }}
                  }}
                ]
              }}
            }}
          ]
        }}
      }}
    }}
  ]
}}"#
    )
}

#[test]
fn inner_scope_binds_parameters_with_origins() {
    let text = nested(
        RG,
        "",
        "inner",
        r#"{"circuitName": {"type": "string"}, "secondary": {"type": "string", "defaultValue": "10.9.9.4/30"}}"#,
        r#"{"circuitName": {"value": "[concat(parameters('circuitName'), '-inner')]"}, "secondary": {"value": "[parameters('secondary')]"}}"#,
    );
    let params = r#"{"parameters": {"secondary": {"value": "10.0.0.4/30"}}}"#;
    let b = build_with(&text, &[params]);
    let c = b.of_kind(Kind::Circuit)[0];
    assert_eq!(
        c.address,
        "Microsoft.Network/expressRouteCircuits/er-outer-inner"
    );
    assert_eq!(
        c.json_path.as_deref(),
        Some("$.resources[0].properties.template.resources[0]")
    );
    assert_eq!(c.context.len(), 1);
    assert_eq!(c.context[0].message, "in nested deployment `er-deploy`");
    assert_eq!(b.lc(c.context[0].span), b.pos("\"name\": \"er-deploy\""));
    assert_eq!(c.scopes.len(), 1);
    assert!(c.parameter_file.is_some());
    let p = b.of_kind(Kind::Peering)[0];
    let f = p.get(&crate::model::schema::SECONDARY_PREFIX);
    let f = f.known().unwrap();
    assert_eq!(f.as_str(), Some("10.0.0.4/30"));
    // Reported in the inner template, origin chained back to the parameter file.
    assert_eq!(b.lc(f.at), b.pos("\"[parameters('secondary')]\"\n"));
    let from = f.from.unwrap();
    assert_eq!(from.file, p.parameter_file.unwrap());
    assert!(b.findings().is_empty(), "{:?}", b.findings());
}

#[test]
fn outer_scope_sees_the_parent_and_unknown_stays_silent() {
    // Outer scope (the default): the inner template's own parameters are not used.
    let text = nested(
        RG,
        "",
        "outer",
        r#"{"circuitName": {"type": "string", "defaultValue": "ignored"}}"#,
        "{}",
    );
    let b = build1(&text);
    let c = b.of_kind(Kind::Circuit)[0];
    assert_eq!(c.address, "Microsoft.Network/expressRouteCircuits/er-outer");
    // `secondary` has no value anywhere: Unknown, so ER301 stays silent.
    let p = b.of_kind(Kind::Peering)[0];
    assert!(p.get(&crate::model::schema::SECONDARY_PREFIX).is_unknown());
    assert!(b.findings().is_empty(), "{:?}", b.findings());
}

#[test]
fn nested_deployment_scopes() {
    let inner = r#"{"circuitName": {"type": "string"}, "secondary": {"type": "string", "defaultValue": "10.0.0.4/30"}}"#;
    let passed = r#"{"circuitName": {"value": "[parameters('circuitName')]"}}"#;
    let cases = [
        // (schema, deployment properties, expected scope, names sub, names rg)
        (
            TENANT,
            r#""subscriptionId": "[subscription().subscriptionId]", "resourceGroup": "rg-er","#,
            ArmScope::ResourceGroup,
            true,
            true,
        ),
        (
            TENANT,
            r#""subscriptionId": "00000000-0000-0000-0000-000000000001","#,
            ArmScope::Subscription,
            true,
            false,
        ),
        (TENANT, "", ArmScope::Tenant, false, false),
        (
            MG,
            r#""resourceGroup": "rg-er","#,
            ArmScope::ManagementGroup,
            false,
            true,
        ),
        (
            MG,
            r#""subscriptionId": "[parameters('circuitName')]", "resourceGroup": "rg","#,
            ArmScope::ResourceGroup,
            true,
            true,
        ),
        (
            SUB,
            r#""resourceGroup": "rg-er","#,
            ArmScope::ResourceGroup,
            false,
            true,
        ),
        (SUB, "", ArmScope::Subscription, false, false),
        (RG, "", ArmScope::ResourceGroup, false, false),
        (
            RG,
            r#""subscriptionId": "[parameters('circuitName')]","#,
            ArmScope::Subscription,
            true,
            false,
        ),
        (
            TENANT,
            r#""scope": "[format('Microsoft.Management/managementGroups/{0}', 'mg-er')]","#,
            ArmScope::ManagementGroup,
            false,
            false,
        ),
        (RG, r#""scope": "/","#, ArmScope::Tenant, false, false),
    ];
    for (schema, props, scope, s, r) in cases {
        let b = build1(&nested(schema, props, "inner", inner, passed));
        let c = b.of_kind(Kind::Circuit)[0];
        assert_eq!(c.arm_scope, Some(scope), "{schema} {props}");
        assert_eq!(
            (c.names_subscription, c.names_resource_group),
            (s, r),
            "{props}"
        );
    }
}

#[test]
fn template_link_is_an_info_note() {
    let text = format!(
        r#"{{
  "$schema": "{RG}",
  "resources": [
    {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "linked",
      "properties": {{
        "mode": "Incremental",
        "templateLink": {{"uri": "https://example.com/er.json"}}
      }}
    }}
  ]
}}"#
    );
    let b = build1(&text);
    let notes = &b.model().notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].code, "ER004");
    assert_eq!(notes[0].severity, crate::diagnostic::Severity::Info);
    assert_eq!(b.lc(notes[0].primary), b.pos("\"templateLink\""));
    assert!(b.unit.diagnostics.is_empty());
}

/// `levels` inline nested deployments (`level-1` outermost), the innermost deploying a
/// peering with a /29 primary prefix (ER303).
fn nested_deployments(levels: u32) -> String {
    let mut inner = r#"{
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "apiVersion": "2023-09-01",
      "name": "er-ams/AzurePrivatePeering",
      "properties": {"peeringType": "AzurePrivatePeering", "peerASN": 65010, "vlanId": 100,
        "primaryPeerAddressPrefix": "10.0.0.0/29", "secondaryPeerAddressPrefix": "10.0.0.8/30"}
    }"#
    .to_string();
    for level in (1..=levels).rev() {
        inner = format!(
            r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "level-{level}",
      "properties": {{
        "mode": "Incremental",
        "template": {{"$schema": "{RG}", "contentVersion": "1.0.0.0", "resources": [{inner}]}}
      }}
    }}"#
        );
    }
    format!(r#"{{"$schema": "{RG}", "contentVersion": "1.0.0.0", "resources": [{inner}]}}"#)
}

#[test]
fn nested_deployments_deeper_than_the_limit_are_noted_not_dropped() {
    let max = template::MAX_NESTING;
    // At the limit: followed to the peering.
    let b = build1(&nested_deployments(max));
    assert_eq!(b.of_kind(Kind::Peering).len(), 1);
    assert!(b.model().notes.is_empty());
    assert!(b.findings().iter().any(|f| f.starts_with("ER303")));
    // One deeper: the deployment that is not followed gets an ER004 note at its name.
    let b = build1(&nested_deployments(max + 1));
    assert!(b.unit.diagnostics.is_empty(), "{:?}", b.unit.diagnostics);
    assert_eq!(b.of_kind(Kind::Peering).len(), 0);
    let notes = &b.model().notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].code, "ER004");
    let deepest = format!("\"name\": \"level-{}\"", max + 1);
    assert_eq!(b.lc(notes[0].primary), b.pos(&deepest));
    assert!(
        notes[0]
            .message
            .contains(&format!("more than {max} deployments deep")),
        "{}",
        notes[0].message
    );
}

// ---------------------------------------------------------------------------------
// Robustness

#[test]
fn comments_crlf_raw_newlines_and_bom() {
    let text = format!(
        "\u{feff}{{\r\n  \"$schema\": \"{RG}\", // scope\r\n  /* parameters */\r\n  \"parameters\": {{\"n\": {{\"type\": \"string\", \"defaultValue\": \"er\"}},}},\r\n  \"resources\": [\r\n    {{\r\n      \"type\": \"Microsoft.Network/expressRouteCircuits\",\r\n      \"name\": \"[concat(\r\n        parameters('n'),\r\n        '-multi')]\",\r\n      \"properties\": {{}},\r\n    }},\r\n  ],\r\n}}\r\n"
    );
    let b = build1(&text);
    let c = b.of_kind(Kind::Circuit)[0];
    assert_eq!(c.address, "Microsoft.Network/expressRouteCircuits/er-multi");
    assert_eq!(b.lc(c.header), "7:7");
}

#[test]
fn broken_and_odd_files() {
    let b = build1("");
    assert!(b.unit.recognised);
    assert_eq!(b.unit.diagnostics[0].code, "ER001");
    assert!(b.unit.diagnostics[0].message.contains("empty"));

    let text =
        format!("{{\n  \"$schema\": \"{RG}\",\n  \"resources\": [\n    {{\"type\": }}\n  ]\n}}");
    let b = build1(&text);
    assert_eq!(b.findings(), ["ER001 4:14"]);

    let b = build1("[1, 2]");
    assert_eq!(b.unit.diagnostics[0].code, "ER001");

    // Not a deployment template: skipped silently.
    let b = build1(r#"{"$schema": "https://json.schemastore.org/package.json", "name": "x"}"#);
    assert!(!b.unit.recognised);
    assert!(b.unit.models.is_empty() && b.unit.diagnostics.is_empty());

    // Deep nesting is an error with a position, not a crash.
    let deep = format!(
        "{{\"$schema\": \"{RG}\", \"resources\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let b = build1(&deep);
    assert_eq!(b.unit.diagnostics[0].code, "ER001");

    // Resources of the wrong shape are ignored.
    let b = build1(&tpl(
        "{}",
        "{}",
        r#"[1, "x", {"type": 5}, {"name": "no-type"}, {"type": "Microsoft.Network/expressRouteCircuits"}]"#,
    ));
    assert_eq!(b.of_kind(Kind::Circuit).len(), 1);
}

#[test]
fn hostile_copy_counts_are_bounded() {
    let resources = r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "[concat('er', copyIndex())]",
      "copy": {"name": "c", "count": 100000},
      "properties": {
        "copy": [{"name": "peerings", "count": 800, "input": {"name": "[string(copyIndex('peerings'))]"}}]
      }
    }
  ]"#;
    let b = build1(&tpl("{}", "{}", resources));
    // 100000 is beyond Azure's limit of 800: one instance of unknown existence.
    let c = b.of_kind(Kind::Circuit);
    assert_eq!(c.len(), 1);
    assert!(matches!(c[0].exists, Existence::Unknown(_)));
}

#[test]
fn sniffing_the_start_answers_only_when_the_start_says() {
    let template = format!("{{\"$schema\": \"{RG}\", \"resources\": []}}");
    assert_eq!(sniff_start(&template), Some(JsonKind::Template));
    // The value cut off, another schema, none yet: the whole text is needed.
    assert_eq!(sniff_start(&template[..20]), None);
    assert_eq!(
        sniff_start(r#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#),
        None
    );
    assert_eq!(
        sniff_start(r#"{"metadata": {"_generator": {"name": "bicep"}}"#),
        None
    );
    for text in [template.as_str(), r#"{"$schema": "x", "$schema": "y"}"#] {
        if let Some(kind) = sniff_start(text) {
            assert_eq!(kind, sniff(text));
        }
    }
}

#[test]
fn sniffing() {
    assert_eq!(
        sniff(&format!("{{\"$schema\": \"{RG}\"}}")),
        JsonKind::Template
    );
    assert_eq!(
        sniff(
            "{ \"$schema\" : \"https://schema.management.azure.com/schemas/2019-08-01/TENANTDeploymentTemplate.json#\" }"
        ),
        JsonKind::Template
    );
    assert_eq!(
        sniff(
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"}"#
        ),
        JsonKind::Parameters
    );
    assert_eq!(
        sniff(r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{}}"#),
        JsonKind::Plan
    );
    assert_eq!(
        sniff(r#"{"name": "app", "version": "1.0.0"}"#),
        JsonKind::Other
    );
    assert_eq!(
        sniff(r#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#),
        JsonKind::Other
    );
    // Not templates: skipped, whatever state they are in.
    for other in ["", "  \n", "{\"name\": ", "[1, 2", "not json"] {
        assert_eq!(sniff(other), JsonKind::Other, "{other:?}");
    }
    // A template is recognised even when its JSON is broken (its error is then reported).
    assert_eq!(
        sniff(&format!("{{\"$schema\": \"{RG}\", \"resources\": [")),
        JsonKind::Template
    );
    assert_eq!(
        sniff(
            r#"{"metadata": {"_generator": {"name": "bicep", "version": "0.30.3.12046"}}, "resources": ["#
        ),
        JsonKind::Template
    );
    assert_eq!(schema_scope(MG), Some(ArmScope::ManagementGroup));
    assert_eq!(schema_scope(SUB), Some(ArmScope::Subscription));
    assert_eq!(
        schema_scope("https://x/2015-01-01/deploymentTemplate.json"),
        Some(ArmScope::ResourceGroup)
    );
}

// ---------------------------------------------------------------------------------
// End to end through the rules

#[test]
fn er102_tenant_scope() {
    // A circuit at the root of a tenant template, with a child peering: one finding, at
    // the circuit's "type" line.
    let text = format!(
        r#"{{
  "$schema": "{TENANT}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {{
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "er-tenant",
      "location": "westeurope",
      "properties": {{}},
      "resources": [
        {{
          "type": "peerings",
          "name": "AzurePrivatePeering",
          "properties": {PRIVATE_PEERING_PROPS}
        }}
      ]
    }}
  ]
}}"#
    );
    let b = build1(&text);
    assert_eq!(b.findings(), ["ER102 6:7"]);

    // Nested deployment naming subscription and group: clean.
    let inner = r#"{"circuitName": {"type": "string"}, "secondary": {"type": "string", "defaultValue": "10.0.0.4/30"}}"#;
    let passed = r#"{"circuitName": {"value": "[parameters('circuitName')]"}}"#;
    let ok = nested(
        TENANT,
        r#"
      "subscriptionId": "22222222-2222-2222-2222-000000000001",
      "resourceGroup": "rg-er","#,
        "inner",
        inner,
        passed,
    );
    let b = build1(&ok);
    assert!(b.findings().is_empty(), "{:?}", b.findings());

    // Management-group scope naming only the resource group: flagged.
    let mg = nested(MG, r#""resourceGroup": "rg-er","#, "inner", inner, passed);
    let b = build1(&mg);
    let line = b.pos("\"type\": \"Microsoft.Network/expressRouteCircuits\"");
    assert_eq!(b.findings(), [format!("ER102 {line}")]);
}

#[test]
fn er103_nested_subscription_id() {
    let inner = r#"{"circuitName": {"type": "string"}, "secondary": {"type": "string", "defaultValue": "10.0.0.4/30"}}"#;
    let passed = r#"{"circuitName": {"value": "[parameters('circuitName')]"}}"#;
    let text = nested(
        TENANT,
        r#"
      "subscriptionId": "[parameters('sub')]",
      "resourceGroup": "rg-er","#,
        "inner",
        inner,
        passed,
    )
    .replace(
        "\"secondary\": {\"type\": \"string\"}",
        "\"secondary\": {\"type\": \"string\"}, \"sub\": {\"type\": \"string\"}",
    );
    let params = r#"{
  "parameters": {
    "sub": {"value": "network-prod"}
  }
}"#;
    let b = build_with(&text, &[params]);
    let at = b.pos("\"[parameters('sub')]\"");
    assert_eq!(b.findings(), [format!("ER103 {at}")]);
    let sv = &b.model().subscription_ids[0];
    assert_eq!(
        sv.holder,
        "`subscriptionId` of nested deployment `er-deploy`"
    );
    assert_eq!(
        sv.from.map(|f| f.file),
        b.model().resources[0].parameter_file
    );
    // Without a value: Unknown, silent.
    let b = build1(&text);
    assert!(b.findings().is_empty(), "{:?}", b.findings());
}

#[test]
fn er3xx_on_every_peering_shape() {
    let bad = r#"{
          "peeringType": "AzurePrivatePeering",
          "peerASN": 65010,
          "primaryPeerAddressPrefix": "192.168.10.0/29",
          "vlanId": 200
        }"#;
    let dup = r#"{
          "primaryPeerAddressPrefix": "192.168.20.0/30",
          "secondaryPeerAddressPrefix": "192.168.20.0/30",
          "vlanId": 201
        }"#;
    let unknown = r#"{
          "primaryPeerAddressPrefix": "192.168.30.0/30",
          "secondaryPeerAddressPrefix": "[parameters('secondary')]",
          "vlanId": 202
        }"#;
    let resources = format!(
        r#"[
    {{
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "er-a",
      "properties": {{
        "peerings": [
          {{
            "name": "AzurePrivatePeering",
            "properties": {bad}
          }}
        ]
      }},
      "resources": [
        {{
          "type": "peerings",
          "name": "MicrosoftPeering",
          "properties": {dup}
        }}
      ]
    }},
    {{
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "apiVersion": "2023-09-01",
      "name": "er-a/AzurePublicPeering",
      "properties": {unknown}
    }}
  ]"#
    );
    let b = build1(&tpl(
        r#"{"secondary": {"type": "string"}}"#,
        "{}",
        &resources,
    ));
    let inline_name = b.pos("\"name\": \"AzurePrivatePeering\"");
    let slash29 = b.pos("\"192.168.10.0/29\"");
    let dup_secondary = b.pos("\"secondaryPeerAddressPrefix\": \"192.168.20.0/30\"");
    let dup_value = {
        let t = b.text();
        let i = t
            .find("\"secondaryPeerAddressPrefix\": \"192.168.20.0/30\"")
            .unwrap()
            + "\"secondaryPeerAddressPrefix\": ".len();
        b.db.line_col(b.template, i).to_string()
    };
    let _ = dup_secondary;
    let mut want = vec![
        // the /29 primary with no secondary: one session (at the peering's "name") and
        // not a /30
        format!("ER301 {inline_name}"),
        format!("ER303 {slash29}"),
        // identical primary and secondary
        format!("ER302 {dup_value}"),
    ];
    want.sort();
    // Only the ER3xx findings: the Microsoft and public peerings above break ER4xx rules too.
    let er3: Vec<String> = b
        .findings()
        .into_iter()
        .filter(|f| f.starts_with("ER3"))
        .collect();
    assert_eq!(er3, want);
}

#[test]
fn parameter_files_one_model_each() {
    let text = tpl(
        r#"{"secondary": {"type": "string", "defaultValue": "10.0.0.4/30"}}"#,
        "{}",
        r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "name": "er/AzurePrivatePeering",
      "properties": {
        "primaryPeerAddressPrefix": "10.0.0.0/30",
        "secondaryPeerAddressPrefix": "[parameters('secondary')]"
      }
    }
  ]"#,
    );
    let dev = r#"{"parameters": {"secondary": {"value": "10.0.0.4/30"}}}"#;
    let prod = r#"{"parameters": {"secondary": {"value": "10.0.0.0/30"}}}"#;
    let b = build_with(&text, &[dev, prod]);
    assert_eq!(b.unit.models.len(), 2);
    let at = b.pos("\"[parameters('secondary')]\"");
    assert_eq!(b.findings(), [format!("ER302 {at}")]);
    let mut out = Vec::new();
    crate::rules::check_model(
        &b.unit.models[1],
        crate::catalog::Catalog::bundled(),
        &Default::default(),
        &|_| true,
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].parameter_file, Some(FileId(2)));
    assert!(
        out[0]
            .labels
            .iter()
            .any(|l| l.span.file == FileId(2) && l.message == "value set here"),
        "{:?}",
        out[0].labels
    );
}

#[test]
fn literal_bodies_evaluate_to_their_json() {
    // A body with no expressions is the JSON itself, read the same way rules read a
    // hand-built resource.
    let props = serde_json::json!({
        "peeringType": "MicrosoftPeering",
        "peerASN": 65020,
        "primaryPeerAddressPrefix": "203.0.113.0/30",
        "secondaryPeerAddressPrefix": "203.0.113.4/30",
        "microsoftPeeringConfig": {"advertisedPublicPrefixes": ["203.0.113.128/25"], "routingRegistryName": "ARIN"},
        "vlanId": 300,
        "state": null,
        "ipv6PeeringConfig": {}
    });
    let resources = format!(
        r#"[{{"type": "Microsoft.Network/expressRouteCircuits/peerings", "name": "er/MicrosoftPeering", "properties": {props}}}]"#
    );
    let b = build1(&tpl("{}", "{}", &resources));
    let built = b.of_kind(Kind::Peering)[0];
    let hand = crate::model::testing::resource(
        Kind::Peering,
        crate::model::Dialect::ARM,
        serde_json::json!({"name": "er/MicrosoftPeering", "properties": props}),
    );
    let want = crate::model::testing::val(&props);
    assert_eq!(
        built.body.get("properties").and_then(|p| p.known_eq(&want)),
        Some(true)
    );
    for attr in [
        &crate::model::schema::PEERING_TYPE,
        &crate::model::schema::PRIMARY_PREFIX,
        &crate::model::schema::ADVERTISED_PREFIXES,
        &crate::model::schema::VLAN_ID,
    ] {
        let (x, y) = (built.get(attr), hand.get(attr));
        assert_eq!(
            x.known().map(|f| f.val.to_json()),
            y.known().map(|f| f.val.to_json()),
            "{attr:?}"
        );
    }
    assert!(
        built
            .get(&crate::model::schema::IPV6_PRIMARY_PREFIX)
            .is_absent()
    );
}

/// `line → ids` from `// ER301` markers at line ends.
fn markers(text: &str) -> std::collections::BTreeMap<usize, Vec<String>> {
    let mut out = std::collections::BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let Some(p) = line.rfind(" // ") else {
            continue;
        };
        let comment = line[p + 4..].trim_start();
        if !comment.starts_with("ER") {
            continue;
        }
        let ids: Vec<String> = comment
            .split([' ', ','])
            .filter(|w| {
                w.len() == 5 && w.starts_with("ER") && w[2..].chars().all(|c| c.is_ascii_digit())
            })
            .map(str::to_string)
            .collect();
        out.insert(i + 1, ids);
    }
    out
}

/// Lint the templates of `files` (paired with the parameter files among them) with the
/// rules `enabled` accepts; findings in `file` as `line → ids`.
fn lint_files(
    files: &[std::path::PathBuf],
    enabled: &dyn Fn(&crate::rules::RuleMeta) -> bool,
) -> (SourceDb, Vec<crate::diagnostic::Diagnostic>) {
    let mut db = SourceDb::new(0);
    let ids: Vec<FileId> = files
        .iter()
        .map(|f| db.add(f.clone(), f.display().to_string()))
        .collect();
    let mut templates = Vec::new();
    let mut params = Vec::new();
    let mut out = Vec::new();
    for id in &ids {
        match sniff(db.text(*id).unwrap()) {
            JsonKind::Template => templates.push(*id),
            JsonKind::Parameters => {
                let (pf, problem) = load_parameter_file(&db, *id);
                out.extend(problem);
                params.push(pf);
            }
            _ => {}
        }
    }
    let tpaths: Vec<(FileId, &std::path::Path)> =
        templates.iter().map(|t| (*t, db.path(*t))).collect();
    let ppaths: Vec<(&ParameterFile, &std::path::Path)> =
        params.iter().map(|p| (p, db.path(p.file))).collect();
    let pairing = pair_parameter_files(&tpaths, &ppaths, &[]);
    for t in &templates {
        let chosen: Vec<&ParameterFile> = pairing
            .get(t)
            .map(|ix| ix.iter().filter_map(|i| params.get(*i)).collect())
            .unwrap_or_default();
        let unit = build(&db, *t, &chosen);
        assert!(unit.recognised);
        out.extend(unit.diagnostics);
        for m in &unit.models {
            out.extend(m.notes.iter().cloned());
            crate::rules::check_model(
                m,
                crate::catalog::Catalog::bundled(),
                &Default::default(),
                enabled,
                &mut out,
            );
        }
    }
    (db, out)
}

fn check_markers(
    db: &SourceDb,
    diags: &[crate::diagnostic::Diagnostic],
    file: &std::path::Path,
    only: Option<&str>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut want = markers(&text);
    if let Some(id) = only {
        want = want
            .into_iter()
            .map(|(l, ids)| (l, ids.into_iter().filter(|i| i == id).collect::<Vec<_>>()))
            .filter(|(_, ids)| !ids.is_empty())
            .collect();
    }
    let mut got: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for d in diags.iter().filter(|d| db.path(d.primary.file) == file) {
        let line = db.line_col(d.primary.file, d.primary.start as usize).line;
        got.entry(line).or_default().push(d.code.to_string());
    }
    for ids in want.values_mut().chain(got.values_mut()) {
        ids.sort();
    }
    if want == got {
        Ok(())
    } else {
        let msgs: Vec<String> = diags
            .iter()
            .map(|d| {
                format!(
                    "{} {}: {}",
                    d.code,
                    db.line_col(d.primary.file, d.primary.start as usize),
                    d.message
                )
            })
            .collect();
        Err(format!(
            "{}: marked {want:?}, found {got:?}\n  {}",
            file.display(),
            msgs.join("\n  ")
        ))
    }
}

fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_rule_fixtures_match_their_markers() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for dir in std::fs::read_dir(repo().join("fixtures/rules"))
        .unwrap()
        .flatten()
    {
        let id = dir.file_name().to_string_lossy().to_string();
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let path = f.path();
            let name = f.file_name().to_string_lossy().to_string();
            if !name.ends_with(".json")
                || !(name.starts_with("valid") || name.starts_with("invalid"))
            {
                continue;
            }
            seen += 1;
            let (db, diags) = lint_files(std::slice::from_ref(&path), &|m| m.id == id);
            if let Err(e) = check_markers(&db, &diags, &path, Some(&id)) {
                failures.push(e);
            }
            if name.starts_with("invalid") && !diags.iter().any(|d| d.code == id) {
                failures.push(format!("{}: no {id} finding", path.display()));
            }
            if diags.iter().any(|d| d.code != id) {
                failures.push(format!("{}: findings of other rules", path.display()));
            }
        }
    }
    assert!(seen >= 10, "only {seen} JSON fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn arm_fixtures_match_their_markers() {
    let enabled = |m: &crate::rules::RuleMeta| {
        m.id.starts_with("ER0") || m.id.starts_with("ER1") || m.id.starts_with("ER3")
    };
    let mut failures = Vec::new();
    for dir in std::fs::read_dir(repo().join("fixtures/arm"))
        .unwrap()
        .flatten()
    {
        if !dir.path().is_dir() {
            continue;
        }
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let (db, diags) = lint_files(&files, &enabled);
        for f in &files {
            if let Err(e) = check_markers(&db, &diags, f, None) {
                failures.push(e);
            }
        }
        if dir.file_name() == "two-environments" {
            let prod = diags
                .iter()
                .find(|d| d.code == "ER302")
                .map(|d| d.parameter_file.map(|p| db.display(p).to_string()));
            assert!(
                prod.flatten()
                    .is_some_and(|p| p.ends_with("er.parameters.prod.json"))
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn arm_fixtures_are_evaluated_as_intended() {
    let dir = repo().join("fixtures/arm");
    // Bicep output: the circuit, one peering from the parameter file's array, the module's
    // connection in the hub resource group; existing resources read but not reported.
    let files = [
        dir.join("bicep/main.json"),
        dir.join("bicep/main.parameters.json"),
    ];
    let mut db = SourceDb::new(0);
    let t = db.add(files[0].clone(), "main.json".into());
    let p = db.add(files[1].clone(), "main.parameters.json".into());
    let pf = parse_parameter_file(&db, p).unwrap();
    let unit = build(&db, t, &[&pf]);
    let m = &unit.models[0];
    let addrs: Vec<(&str, bool)> = m
        .resources
        .iter()
        .map(|r| (r.address.as_str(), r.reportable))
        .collect();
    assert_eq!(
        addrs,
        [
            ("Microsoft.Network/virtualNetworks/vnet-hub", false),
            ("Microsoft.Network/expressRouteCircuits/er-ams-hub", true),
            (
                "Microsoft.Network/expressRouteCircuits/peerings/er-ams-hub/AzurePrivatePeering[0]",
                true
            ),
            ("Microsoft.Network/virtualNetworkGateways/ergw-hub", false),
            ("Microsoft.Network/connections/conn-er-hub", true),
        ]
    );
    let conn = &m.resources[4];
    assert_eq!(
        conn.context[0].message,
        "in nested deployment `er-ams-hub-connection`"
    );
    assert_eq!(conn.is_expressroute(), Some(true));
    assert!(unit.diagnostics.is_empty());

    // Landing zone: the circuit is at resource-group scope, in a subscription given by a
    // parameter without a value; its inline peering's prefixes come from the default.
    let mut db = SourceDb::new(0);
    let t = db.add(
        dir.join("landing-zone/connectivity.json"),
        "connectivity.json".into(),
    );
    let unit = build(&db, t, &[]);
    let m = &unit.models[0];
    let c = m.of_kind(Kind::Circuit).next().unwrap().1;
    assert_eq!(c.arm_scope, Some(ArmScope::ResourceGroup));
    assert_eq!(
        c.address,
        "Microsoft.Network/expressRouteCircuits/er-weu-hub"
    );
    let p = m.of_kind(Kind::Peering).next().unwrap().1;
    let sec = p.get(&crate::model::schema::SECONDARY_PREFIX);
    assert_eq!(sec.known().and_then(|f| f.as_str()), Some("172.20.0.4/30"));
    assert!(m.subscription_ids.is_empty());
}

/// A small deterministic generator for the robustness tests.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn robustness_template() -> String {
    let inner = r#"{"circuitName": {"type": "string"}, "secondary": {"type": "string", "defaultValue": "10.0.0.4/30"}}"#;
    let passed = r#"{"circuitName": {"value": "[concat(parameters('circuitName'), '-', string(copyIndex()))]"}}"#;
    nested(
        TENANT,
        r#""subscriptionId": "[parameters('circuitName')]", "resourceGroup": "[format('rg-{0}', variables('outerVar'))]", "copy": {"name": "d", "count": 2},"#,
        "inner",
        inner,
        passed,
    )
}

#[test]
fn truncated_and_mutated_templates_never_panic() {
    let text = robustness_template();
    // Sanity: the intact template works.
    let b = build1(&text);
    assert_eq!(b.of_kind(Kind::Circuit).len(), 2);
    let mut cuts = 0;
    for (i, _) in text.char_indices().step_by(5) {
        let _ = build1(&text[..i]);
        cuts += 1;
    }
    assert!(cuts > 100);
    let alphabet = [
        "[",
        "]",
        "'",
        "(",
        ")",
        ",",
        ".",
        "\"",
        "{",
        "}",
        "-",
        "0",
        "copyIndex(",
        "parameters(",
        "[[",
        "\\u0000",
        "\\\"",
        "/*",
        "\n",
        "é",
        "😀",
    ];
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let mut t = text.clone();
        for _ in 0..1 + rng.next() % 4 {
            let mut at = rng.next() % t.len();
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            let ins = alphabet[rng.next() % alphabet.len()];
            if rng.next().is_multiple_of(2) {
                t.insert_str(at, ins);
            } else {
                let mut end = (at + 1 + rng.next() % 3).min(t.len());
                while !t.is_char_boundary(end) {
                    end += 1;
                }
                t.replace_range(at..end, ins);
            }
        }
        let b = build1(&t);
        // Whatever happens, every diagnostic points inside the file.
        for d in &b.unit.diagnostics {
            assert!(d.primary.end as usize <= t.len(), "{d:?}");
        }
    }
}

#[test]
fn expression_fragments_never_panic() {
    let exprs = [
        "[concat(parameters('a'), '-', variables('b')[0].c, format('{0:D3}', copyIndex('x', 1)))]",
        "[if(and(equals(1, 1), not(empty(createArray()))), json('{\\\"a\\\": [1]}').a, union(createObject('k', 1), createObject()))]",
        "[resourceId('s', 'g', 'Microsoft.Network/expressRouteCircuits/peerings', 'c', 'p')]",
        "[padLeft(substring('abcdef', 1, 3), 10, '0')]",
    ];
    for e in exprs {
        let chars: Vec<(usize, char)> = e.char_indices().collect();
        for (i, _) in &chars {
            for tail in ["]", "", ")]", "')]"] {
                let frag = format!("{}{tail}", &e[..*i]);
                let json = serde_json::to_string(&frag).unwrap();
                let _ = var(
                    r#"{"a": {"type": "string", "defaultValue": "x"}}"#,
                    &format!(r#"{{"b": [{{"c": 1}}], "v": {json}}}"#),
                );
            }
        }
    }
}

#[test]
fn nested_copies_stay_within_limits() {
    // 800 circuits with 800 inline peerings each would be 640,000 resources.
    let resources = r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "name": "[concat('er', copyIndex())]",
      "copy": {"name": "c", "count": 800},
      "properties": {
        "copy": [{"name": "peerings", "count": 800, "input": {"name": "[concat('p', copyIndex('peerings'))]", "properties": {"vlanId": "[copyIndex('peerings')]"}}}]
      }
    }
  ]"#;
    let start = std::time::Instant::now();
    let b = build1(&tpl("{}", "{}", resources));
    let n = b.model().resources.len();
    assert!(n <= 50_000, "{n} resources");
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn whitespace_around_an_expression_is_not_taken_literally() {
    let resources = r#"[
    {
      "type": "Microsoft.Network/expressRouteCircuits/peerings",
      "name": "er/AzurePrivatePeering",
      "properties": {
        "primaryPeerAddressPrefix": "10.0.0.0/30",
        "secondaryPeerAddressPrefix": " [parameters('secondary')]"
      }
    }
  ]"#;
    let b = build1(&tpl(
        r#"{"secondary": {"type": "string"}}"#,
        "{}",
        resources,
    ));
    assert!(b.findings().is_empty(), "{:?}", b.findings());
}

#[test]
fn large_templates_scale_linearly() {
    // 3,000 circuits with a top-level child peering each (linked by name) and filler.
    let mut res = Vec::new();
    for i in 0..3000 {
        res.push(format!(
            r#"{{"type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "er-{i}", "location": "westeurope", "properties": {{"serviceProviderProperties": {{"serviceProviderName": "Equinix", "peeringLocation": "Amsterdam", "bandwidthInMbps": 200}}}}}}"#
        ));
        res.push(format!(
            r#"{{"type": "Microsoft.Network/expressRouteCircuits/peerings", "apiVersion": "2023-09-01", "name": "[format('{{0}}/AzurePrivatePeering', 'er-{i}')]", "properties": {{"primaryPeerAddressPrefix": "10.{a}.{b}.0/30", "secondaryPeerAddressPrefix": "10.{a}.{b}.4/30", "vlanId": 100}}}}"#,
            a = i / 250,
            b = i % 250
        ));
        res.push(format!(
            r#"{{"type": "Microsoft.Network/networkSecurityGroups", "name": "[concat('nsg-', '{i}')]", "properties": {{"securityRules": []}}}}"#
        ));
    }
    let text = tpl("{}", "{}", &format!("[{}]", res.join(",\n")));
    let start = std::time::Instant::now();
    let b = build1(&text);
    let built = start.elapsed();
    let m = b.model();
    assert_eq!(m.resources.len(), 6000);
    assert!(m.of_kind(Kind::Peering).all(|(_, p)| p.parent.is_some()));
    assert!(b.findings().is_empty());
    let mut again = m.clone();
    let t0 = std::time::Instant::now();
    again.link();
    eprintln!(
        "{} bytes built in {built:?}, link alone {:?}",
        text.len(),
        t0.elapsed()
    );
}

#[test]
fn copying_big_values_is_bounded() {
    // Each variable copies a ~1 MB string or a 100,000-element list: the unit's budget
    // runs out long before memory does, and says so (ER005).
    let mut vars = String::from(
        r#"{"big": "[padLeft('x', 1000000, 'y')]", "list": "[range(0, 10000)]", "l1": "[concat(variables('list'), variables('list'), variables('list'), variables('list'), variables('list'), variables('list'), variables('list'), variables('list'), variables('list'), variables('list'))]""#,
    );
    for i in 0..2000 {
        vars.push_str(&format!(
            r#", "s{i}": "[concat(variables('big'), '{i}')]", "c{i}": "[concat(variables('l1'), createArray({i}))]""#
        ));
    }
    let mut refs = Vec::new();
    for i in 0..2000 {
        refs.push(format!(
            "length(variables('s{i}')), length(variables('c{i}'))"
        ));
    }
    vars.push_str(&format!(r#", "v": "[createArray({})]"}}"#, refs.join(", ")));
    let start = std::time::Instant::now();
    let (v, d) = var("{}", &vars);
    assert!(!v.is_wholly_known());
    assert!(
        d.iter()
            .any(|d| d.code == "ER005" && d.message.contains("limit of")),
        "{d:?}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn references_by_resource_id_resolve_to_the_resource() {
    let b = build1(&format!(
        r#"{{
  "$schema": "{RG}",
  "resources": [
    {{ "type": "Microsoft.Network/routeFilters", "apiVersion": "2023-09-01", "name": "rf-m365", "location": "westeurope",
       "properties": {{ "rules": [] }} }},
    {{ "type": "Microsoft.Network/expressRouteCircuits/peerings", "apiVersion": "2023-09-01", "name": "erc/MicrosoftPeering",
       "properties": {{
         "peeringType": "MicrosoftPeering",
         "routeFilter": {{ "id": "[resourceId('Microsoft.Network/routeFilters', 'rf-m365')]" }},
         "microsoftPeeringConfig": {{ "advertisedPublicPrefixes": ["203.0.113.0/28"] }}
       }} }},
    {{ "type": "Microsoft.Network/connections", "apiVersion": "2023-09-01", "name": "conn", "location": "westeurope",
       "properties": {{ "connectionType": "ExpressRoute",
         "peer": {{ "id": "/subscriptions/6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7/resourceGroups/rg/providers/Microsoft.Network/routeFilters/rf-m365" }} }} }}
  ]
}}"#
    ));
    let m = b.model();
    let peering = m
        .resources
        .iter()
        .find(|r| r.kind == Kind::Peering)
        .unwrap();
    let id = peering
        .body
        .get_ci("properties")
        .and_then(|p| p.get_ci("routeFilter"))
        .and_then(|f| f.get_ci("id"))
        .unwrap();
    assert!(id.is_unknown(), "{id:?}");
    let target = m.resolve_ref(id, peering).map(|i| m.resources[i].kind);
    assert_eq!(target, Some(Kind::RouteFilter));
    let conn = m
        .resources
        .iter()
        .find(|r| r.kind == Kind::GatewayConnection)
        .unwrap();
    let peer = conn
        .body
        .get_ci("properties")
        .and_then(|p| p.get_ci("peer"))
        .and_then(|f| f.get_ci("id"))
        .unwrap();
    assert_eq!(
        m.resolve_ref(peer, conn).map(|i| m.resources[i].kind),
        Some(Kind::RouteFilter)
    );
}

#[test]
fn circuit_sku_tier_and_family_from_sku_name() {
    let one = |sku: &str| {
        let c = format!(
            r#"[{{"type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2024-05-01", "name": "er", "location": "westeurope", "sku": {sku}}}]"#
        );
        build1(&tpl(
            r#"{"sku": {"type": "string"}, "local": {"type": "string", "defaultValue": "Local_UnlimitedData"}}"#,
            "{}",
            &c,
        ))
    };
    // A Known name without a tier: the tier and family are its parts, at the name.
    let b = one(r#"{"name": "[parameters('local')]"}"#);
    let c = b.of_kind(Kind::Circuit)[0];
    let Lookup::Known(tier) = c.get(&schema::SKU_TIER) else {
        panic!("tier not Known")
    };
    assert_eq!(tier.as_str(), Some("Local"));
    assert_eq!(b.lc(tier.at), b.pos("\"[parameters('local')]\""));
    assert!(tier.from.is_some(), "the default value is the origin");
    assert_eq!(
        c.known_str(&schema::SKU_FAMILY).map(|(f, _)| f),
        Some("UnlimitedData")
    );
    // A written tier or family wins; a name without `_` gives nothing.
    let b = one(r#"{"name": "Local_UnlimitedData", "Tier": "Standard"}"#);
    let c = b.of_kind(Kind::Circuit)[0];
    assert_eq!(
        c.known_str(&schema::SKU_TIER).map(|(t, _)| t),
        Some("Standard")
    );
    assert_eq!(
        c.known_str(&schema::SKU_FAMILY).map(|(f, _)| f),
        Some("UnlimitedData")
    );
    let b = one(r#"{"name": "Standard"}"#);
    assert!(
        b.of_kind(Kind::Circuit)[0]
            .get(&schema::SKU_TIER)
            .is_absent()
    );
    // An Unknown name: an Unknown tier.
    let b = one(r#"{"name": "[parameters('sku')]"}"#);
    assert!(
        b.of_kind(Kind::Circuit)[0]
            .get(&schema::SKU_TIER)
            .is_unknown()
    );
}

#[test]
fn what_arm_accepts_parses_and_a_repeated_name_takes_the_last_value() {
    // Comments, a trailing comma, a line break inside an expression string, a lone
    // surrogate escape, and names given twice (the last one counts, as in ARM).
    let text = format!(
        r#"{{
  "$schema": "{RG}", // the template language
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "bw": {{ "type": "int", "defaultValue": 50 }},
    "bw": {{ "type": "int", "defaultValue": 200 }},
  }},
  /* a note */
  "variables": {{ "v": "a", "v": "b", "w": "x\ud800", "e": "[concat(
      'er-',
      variables('v'))]" }},
  "resources": [],
}}"#
    );
    let b = build1(&text);
    assert!(b.unit.diagnostics.is_empty(), "{:?}", b.unit.diagnostics);
    let (v, d) = var("{}", r#"{ "x": "a", "x": "b", "v": "[variables('x')]" }"#);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(json_of(&v), serde_json::json!("b"));
    let (v, _) = var(
        r#"{ "p": { "type": "int", "defaultValue": 1 }, "P": { "type": "int", "defaultValue": 2 } }"#,
        r#"{ "v": "[parameters('p')]" }"#,
    );
    assert_eq!(json_of(&v), serde_json::json!(2));
}

/// A Bicep deployment whose template is `loadJsonContent('er.json')`: compiled, the
/// template sits in a variable (`$fxv#0`) with its expressions escaped once, and the
/// deployment's `template` names the variable.
fn bicep_loaded_template(template: &str, scope: &str) -> String {
    format!(
        r#"{{
  "$schema": "{RG}",
  "contentVersion": "1.0.0.0",
  "metadata": {{ "_generator": {{ "name": "bicep", "version": "0.30.3.12046" }} }},
  "parameters": {{ "primary": {{ "type": "string", "defaultValue": "10.0.0.0/30" }} }},
  "variables": {{
    "$fxv#0": {{
      "$schema": "{RG}",
      "contentVersion": "1.0.0.0",
      "parameters": {{ "primaryPrefix": {{ "type": "string" }} }},
      "resources": [
        {{
          "type": "Microsoft.Network/expressRouteCircuits/peerings",
          "apiVersion": "2023-09-01",
          "name": "er-ams/AzurePrivatePeering",
          "properties": {{ "peeringType": "AzurePrivatePeering", "peerASN": 65010, "vlanId": 100,
            "primaryPeerAddressPrefix": "[[parameters('primaryPrefix')]",
            "sharedKey": "[[[not an expression]" }}
        }}
      ]
    }},
    "$fxv#1": "{{\"resources\": []}}"
  }},
  "resources": [
    {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "er",
      "properties": {{
        "mode": "Incremental",
        "expressionEvaluationOptions": {{ "scope": "{scope}" }},
        "parameters": {{ "primaryPrefix": {{ "value": "[parameters('primary')]" }} }},
        "template": "{template}"
      }}
    }}
  ]
}}"#
    )
}

#[test]
fn a_template_bicep_loaded_into_a_variable_is_followed() {
    let b = build1(&bicep_loaded_template("[variables('$fxv#0')]", "inner"));
    assert!(b.unit.diagnostics.is_empty(), "{:?}", b.unit.diagnostics);
    assert!(b.model().notes.is_empty(), "{:?}", b.model().notes);
    let peerings = b.of_kind(Kind::Peering);
    assert_eq!(peerings.len(), 1);
    // The escaped expression is read one level down, with the value passed in.
    let Lookup::Known(f) = peerings[0].get(&schema::PRIMARY_PREFIX) else {
        panic!("{:?}", peerings[0].get(&schema::PRIMARY_PREFIX))
    };
    assert_eq!(f.val.as_str(), Some("10.0.0.0/30"));
    assert_eq!(b.lc(f.at), b.pos("\"[[parameters('primaryPrefix')]\""));
    // ER301: one BGP session, found inside the loaded template.
    assert!(
        b.findings().iter().any(|f| f.starts_with("ER301")),
        "{:?}",
        b.findings()
    );
    // Text loaded with loadTextContent, or an outer-scope deployment: noted, not followed.
    for (template, scope) in [
        ("[json(variables('$fxv#1'))]", "inner"),
        ("[variables('$fxv#0')]", "outer"),
    ] {
        let b = build1(&bicep_loaded_template(template, scope));
        assert_eq!(b.of_kind(Kind::Peering).len(), 0);
        let notes = &b.model().notes;
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].code, "ER004");
    }
}

#[test]
fn a_nullable_parameter_left_out_is_null() {
    let params = r#"{
        "links": {"type": "array", "nullable": true},
        "prefix": {"type": "string", "nullable": true},
        "required": {"type": "string"},
        "notNullable": {"type": "string", "nullable": false}
    }"#;
    let (v, d) = var(
        params,
        r#"{"v": "[coalesce(parameters('prefix'), '10.0.0.0/30')]"}"#,
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(json_of(&v), serde_json::json!("10.0.0.0/30"));
    let (v, _) = var(
        params,
        r#"{"v": "[length(coalesce(parameters('links'), createArray()))]"}"#,
    );
    assert_eq!(json_of(&v), serde_json::json!(0));
    // Without `nullable`, a parameter with no value is not known.
    for name in ["required", "notNullable"] {
        let (v, _) = var(params, &format!(r#"{{"v": "[parameters('{name}')]"}}"#));
        assert!(v.is_unknown(), "{name}: {v:?}");
    }
}

#[test]
fn a_virtual_networks_inline_subnets_are_resources_a_gateway_names() {
    let resources = r#"[
    {
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2024-05-01",
      "name": "vnet-hub",
      "location": "westeurope",
      "properties": {
        "addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
        "subnets": [
          {"name": "GatewaySubnet", "properties": {"addressPrefix": "10.1.255.0/27"}},
          {"name": "workload", "properties": {"addressPrefixes": ["10.1.1.0/24"]}}
        ]
      }
    },
    {
      "type": "Microsoft.Network/virtualNetworkGateways",
      "apiVersion": "2024-05-01",
      "name": "ergw-hub",
      "location": "westeurope",
      "properties": {
        "gatewayType": "ExpressRoute",
        "sku": {"name": "ErGw1AZ", "tier": "ErGw1AZ"},
        "ipConfigurations": [{
          "name": "default",
          "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'GatewaySubnet')]"}}
        }]
      }
    }
  ]"#;
    let b = build1(&tpl("{}", "{}", resources));
    let subnets = b.of_kind(Kind::Subnet);
    assert_eq!(subnets.len(), 2);
    let s = subnets[0];
    assert_eq!(
        s.address,
        "Microsoft.Network/virtualNetworks/subnets/vnet-hub/GatewaySubnet"
    );
    assert_eq!(
        s.json_path.as_deref(),
        Some("$.resources[0].properties.subnets[0]")
    );
    assert_eq!(b.lc(s.header), b.pos("\"name\": \"GatewaySubnet\""));
    assert_eq!(s.parent_ref, None);
    assert_eq!(s.is_expressroute(), Some(false));
    assert_eq!(
        s.get(&crate::model::schema::SUBNET_PREFIX)
            .known()
            .and_then(|f| f.as_str()),
        Some("10.1.255.0/27")
    );
    let gw = b.of_kind(Kind::VnetGateway)[0];
    let configs = gw
        .body
        .property("ipConfigurations")
        .unwrap()
        .as_list()
        .unwrap();
    let id = configs[0].property("subnet").unwrap().get_ci("id").unwrap();
    let target = b.model().resolve_ref(id, gw).unwrap();
    assert_eq!(b.model().resources[target].address, s.address);
}

//! Evaluated values, shared by the Terraform and the ARM evaluators.
//!
//! A [`Val`] is Known (null, bool, number, string, list, object) or [`Unknown`]: a value
//! that cannot be decided before deployment (a resource attribute, `reference()`, a
//! variable nobody set). Unknown may sit anywhere inside a list or object; a list of
//! three prefixes where one comes from a data source is a Known list with one Unknown
//! element. Each value remembers where it was written: `span` is the expression that
//! produced it in the context it was last evaluated in, `origin` the literal it came from
//! when that is elsewhere (a tfvars line, a variable default, a parameter file entry).

use crate::source::Span;
use std::fmt;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Val {
    pub kind: ValKind,
    /// Where this value was produced (the expression in the current context).
    pub span: Option<Span>,
    /// Where the underlying literal was written, when that is not `span`.
    pub origin: Option<Span>,
    /// The value was written in no file: it came from the environment (`TF_VAR_*`) or the
    /// command line (`--var`). Kept when the value is re-sited, so that wherever it is
    /// used, a rule can tell it from a literal written in the scanned files.
    pub external: bool,
}

#[derive(Clone, Debug)]
pub enum ValKind {
    Null,
    Bool(bool),
    Number(f64),
    Str(Arc<str>),
    List(Arc<[Val]>),
    Object(Arc<Object>),
    Unknown(Arc<Unknown>),
}

/// Why a value is not known, and what it refers to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unknown {
    /// Human-readable: "`var.region` has no value", "`reference()` is only known at deployment".
    pub reason: String,
    /// When the value is an attribute of a declared resource, that resource's address
    /// (`azurerm_express_route_circuit.main`, `module.x.azurerm_…["k"]`). Used to link
    /// peerings to circuits; never used as a value.
    pub refers_to: Option<String>,
    /// Known to be a secret (Key Vault reference, `secureString`), value not visible.
    pub secret: bool,
    /// ARM and Bicep: a value that is the same wherever its deployment computes it, as
    /// text standing for it: a parameter or variable whose value is not known is
    /// [`symbol`]`("vnetname", 0)` (`⟨vnetname#0⟩`), and text built from it keeps it
    /// (`⟨vnetname#0⟩-ergw`). Two resources, or a resource and a `resourceId()`, of one
    /// deployment whose names have the same symbol have the same name; never a value,
    /// never shown.
    pub symbol: Option<Arc<str>>,
}

/// Where a symbol starts and ends in text ([`Unknown::symbol`]); no Azure resource name
/// holds these characters.
pub const SYMBOL_OPEN: char = '\u{27e8}';
pub const SYMBOL_CLOSE: char = '\u{27e9}';

/// The text standing for the value of `name` (a parameter, `var.x` for a variable) of
/// the template or module instance `scope` (one deployment: a value passed to a nested
/// deployment or module keeps its caller's symbol, and the callee's own are others).
pub fn symbol(name: &str, scope: usize) -> Arc<str> {
    // A name's segments are separated by `/`: a symbol holds none.
    let name = name.replace('/', "%2F");
    Arc::from(format!("{SYMBOL_OPEN}{name}#{scope}{SYMBOL_CLOSE}"))
}

/// Whether `text` (a name, an address) holds a symbol.
pub fn is_symbolic(text: &str) -> bool {
    text.contains(SYMBOL_OPEN)
}

impl Unknown {
    /// This Unknown for a value computed from the one it stands for (`toLower(x)`, a
    /// property of `x`): the same reason, no symbol, as the value is another.
    pub fn derived(self: &Arc<Unknown>) -> Arc<Unknown> {
        if self.symbol.is_none() {
            return self.clone();
        }
        Arc::new(Unknown {
            symbol: None,
            ..(**self).clone()
        })
    }

    /// This Unknown for a member of the value it stands for (`x.vnetName`, `x[0]`), whose
    /// symbol is the member's: `⟨hub#0⟩.vnetname` (property names without regard to case, as
    /// ARM reads them). `member` is `None` when it is not known.
    pub fn member(self: &Arc<Unknown>, member: Option<&Val>) -> Arc<Unknown> {
        let Some(symbol) = &self.symbol else {
            return self.clone();
        };
        let path = match member.map(|m| &m.kind) {
            // A key with a `/` would read as a name's segments.
            Some(ValKind::Str(s)) if !s.contains(['/', SYMBOL_OPEN, SYMBOL_CLOSE]) => {
                format!("{symbol}.{}", s.to_lowercase())
            }
            Some(ValKind::Number(n)) => format!("{symbol}[{}]", format_number(*n)),
            _ => return self.derived(),
        };
        Arc::new(Unknown {
            symbol: Some(Arc::from(path)),
            ..(**self).clone()
        })
    }
}

/// An object (or map) with keys in insertion order.
#[derive(Clone, Debug, Default)]
pub struct Object {
    entries: Vec<(Arc<str>, Val)>,
}

impl Object {
    pub fn new() -> Object {
        Object {
            entries: Vec::new(),
        }
    }

    pub fn with_capacity(n: usize) -> Object {
        Object {
            entries: Vec::with_capacity(n),
        }
    }

    /// Insert or replace.
    pub fn insert(&mut self, key: impl Into<Arc<str>>, val: Val) {
        let key = key.into();
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = val;
        } else {
            self.entries.push((key, val));
        }
    }

    /// Append without checking for an existing key (callers that know keys are unique).
    pub fn push(&mut self, key: impl Into<Arc<str>>, val: Val) {
        self.entries.push((key.into(), val));
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        self.entries
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v)
    }

    /// Case-insensitive lookup (ARM property names); an exact match wins.
    pub fn get_ci(&self, key: &str) -> Option<&Val> {
        // One pass: the first key equal but for case is kept until an exact one is met.
        let mut ci = None;
        for (k, v) in &self.entries {
            if k.len() != key.len() {
                continue;
            }
            if **k == *key {
                return Some(v);
            }
            if ci.is_none() && k.eq_ignore_ascii_case(key) {
                ci = Some(v);
            }
        }
        ci
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Val> {
        self.entries
            .iter_mut()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v)
    }

    pub fn remove(&mut self, key: &str) -> Option<Val> {
        let i = self.entries.iter().position(|(k, _)| &**k == key)?;
        Some(self.entries.remove(i).1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Val)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Val> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sort keys lexically (Terraform maps and objects iterate in key order).
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
    }
}

impl FromIterator<(Arc<str>, Val)> for Object {
    fn from_iter<T: IntoIterator<Item = (Arc<str>, Val)>>(iter: T) -> Self {
        let mut o = Object::new();
        for (k, v) in iter {
            o.insert(k, v);
        }
        o
    }
}

impl Val {
    pub fn new(kind: ValKind, span: Option<Span>) -> Val {
        Val {
            kind,
            span,
            origin: None,
            external: false,
        }
    }

    pub fn null(span: Option<Span>) -> Val {
        Val::new(ValKind::Null, span)
    }

    pub fn bool(b: bool, span: Option<Span>) -> Val {
        Val::new(ValKind::Bool(b), span)
    }

    pub fn number(n: f64, span: Option<Span>) -> Val {
        Val::new(ValKind::Number(n), span)
    }

    pub fn str(s: impl Into<Arc<str>>, span: Option<Span>) -> Val {
        Val::new(ValKind::Str(s.into()), span)
    }

    pub fn list(items: Vec<Val>, span: Option<Span>) -> Val {
        Val::new(ValKind::List(items.into()), span)
    }

    pub fn object(obj: Object, span: Option<Span>) -> Val {
        Val::new(ValKind::Object(Arc::new(obj)), span)
    }

    pub fn unknown(reason: impl Into<String>, span: Option<Span>) -> Val {
        Val::new(
            ValKind::Unknown(Arc::new(Unknown {
                reason: reason.into(),
                ..Unknown::default()
            })),
            span,
        )
    }

    pub fn unknown_with(u: Unknown, span: Option<Span>) -> Val {
        Val::new(ValKind::Unknown(Arc::new(u)), span)
    }

    /// The same value, now produced at `site`: the old position becomes the origin (the
    /// innermost origin is kept). Children are untouched.
    pub fn resited(mut self, site: Option<Span>) -> Val {
        if site.is_some() && site != self.span {
            if self.origin.is_none() {
                self.origin = self.span;
            }
            self.span = site;
        }
        self
    }

    /// This value and everything inside it, marked as written in no file (see
    /// [`Val::external`]), with no span.
    pub fn into_external(mut self) -> Val {
        self.span = None;
        self.origin = None;
        self.external = true;
        match &mut self.kind {
            ValKind::List(items) => {
                let marked: Vec<Val> = items.iter().cloned().map(Val::into_external).collect();
                *items = marked.into();
            }
            ValKind::Object(o) => {
                let marked: Object = o
                    .entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone().into_external()))
                    .collect();
                *o = Arc::new(marked);
            }
            _ => {}
        }
        self
    }

    /// An [`Val::external`] value anywhere inside.
    pub fn holds_external(&self) -> bool {
        self.external
            || match &self.kind {
                ValKind::List(items) => items.iter().any(Val::holds_external),
                ValKind::Object(o) => o.values().any(Val::holds_external),
                _ => false,
            }
    }

    /// The same value with every span inside it (its own, its origin's, its children's)
    /// passed through `f`.
    pub fn map_spans(&mut self, f: &dyn Fn(Span) -> Span) {
        self.span = self.span.map(f);
        self.origin = self.origin.map(f);
        match &mut self.kind {
            ValKind::List(items) => {
                let mapped: Vec<Val> = items
                    .iter()
                    .cloned()
                    .map(|mut v| {
                        v.map_spans(f);
                        v
                    })
                    .collect();
                *items = mapped.into();
            }
            ValKind::Object(o) => {
                for (_, v) in Arc::make_mut(o).entries.iter_mut() {
                    v.map_spans(f);
                }
            }
            _ => {}
        }
    }

    /// Where the literal behind this value was written.
    pub fn origin_span(&self) -> Option<Span> {
        self.origin.or(self.span)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, ValKind::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, ValKind::Unknown(_))
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.kind {
            ValKind::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// No Unknown anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match &self.kind {
            ValKind::Unknown(_) => false,
            ValKind::List(items) => items.iter().all(Val::is_wholly_known),
            ValKind::Object(o) => o.values().all(Val::is_wholly_known),
            _ => true,
        }
    }

    /// The first Unknown inside (depth first), for "why" messages.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match &self.kind {
            ValKind::Unknown(u) => Some(u),
            ValKind::List(items) => items.iter().find_map(Val::first_unknown),
            ValKind::Object(o) => o.values().find_map(Val::first_unknown),
            _ => None,
        }
    }

    /// A name as it is compared: a Known string or number as text, an Unknown one by its
    /// [`Unknown::symbol`]; `None` for anything else.
    pub fn name_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.kind {
            ValKind::Str(s) => Some(std::borrow::Cow::Borrowed(s)),
            ValKind::Number(n) => Some(std::borrow::Cow::Owned(format_number(*n))),
            ValKind::Unknown(u) => u.symbol.as_deref().map(std::borrow::Cow::Borrowed),
            _ => None,
        }
    }

    /// This value, when it is Unknown without a symbol, with `symbol()` as its
    /// [`Unknown::symbol`]: a parameter's or variable's value, the same wherever its
    /// deployment uses it (a parameter without value, a default of `resourceGroup().location`,
    /// a module output passed in).
    pub fn or_symbol(self, symbol: impl FnOnce() -> Arc<str>) -> Val {
        match &self.kind {
            ValKind::Unknown(u) if u.symbol.is_none() => {
                let u = Unknown {
                    symbol: Some(symbol()),
                    ..(**u).clone()
                };
                Val {
                    kind: ValKind::Unknown(Arc::new(u)),
                    ..self
                }
            }
            _ => self,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            ValKind::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// A number, or a string Terraform converts to one (`"100"` → 100; see
    /// [`parse_number`]). Rules read every numeric attribute through this, in every schema.
    pub fn as_number(&self) -> Option<f64> {
        match &self.kind {
            ValKind::Number(n) => Some(*n),
            ValKind::Str(s) => parse_number(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValKind::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Val]> {
        match &self.kind {
            ValKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match &self.kind {
            ValKind::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Object member (exact key).
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.as_object()?.get(key)
    }

    /// Object member, ARM style (case-insensitive).
    pub fn get_ci(&self, key: &str) -> Option<&Val> {
        self.as_object()?.get_ci(key)
    }

    /// `properties.<key>` of an ARM resource or inline child object (case-insensitive).
    pub fn property(&self, key: &str) -> Option<&Val> {
        self.get_ci("properties")?.get_ci(key)
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            ValKind::Null => "null",
            ValKind::Bool(_) => "bool",
            ValKind::Number(_) => "number",
            ValKind::Str(_) => "string",
            ValKind::List(_) => "list",
            ValKind::Object(_) => "object",
            ValKind::Unknown(_) => "unknown",
        }
    }

    /// Structural equality of Known values (spans ignored). `None` when either side has an
    /// Unknown where the comparison needs it.
    pub fn known_eq(&self, other: &Val) -> Option<bool> {
        match (&self.kind, &other.kind) {
            (ValKind::Unknown(_), _) | (_, ValKind::Unknown(_)) => None,
            (ValKind::Null, ValKind::Null) => Some(true),
            (ValKind::Bool(a), ValKind::Bool(b)) => Some(a == b),
            (ValKind::Number(a), ValKind::Number(b)) => Some(a == b),
            (ValKind::Str(a), ValKind::Str(b)) => Some(a == b),
            (ValKind::List(a), ValKind::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut all = Some(true);
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.known_eq(y) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            (ValKind::Object(a), ValKind::Object(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut all = Some(true);
                for (k, x) in a.iter() {
                    let Some(y) = b.get(k) else {
                        return Some(false);
                    };
                    match x.known_eq(y) {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            _ => Some(false),
        }
    }

    /// Convert a Known value to JSON (Unknown becomes null).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.kind {
            ValKind::Null | ValKind::Unknown(_) => serde_json::Value::Null,
            ValKind::Bool(b) => serde_json::Value::Bool(*b),
            ValKind::Number(n) => number_to_json(*n),
            ValKind::Str(s) => serde_json::Value::String(s.to_string()),
            ValKind::List(items) => {
                serde_json::Value::Array(items.iter().map(Val::to_json).collect())
            }
            ValKind::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Terraform's string-to-number conversion, as cty parses a decimal number: sign, digits,
/// fraction, exponent (`"-1.5e3"`); no spaces, no `0x`, no `inf`/`nan` words.
pub fn parse_number(s: &str) -> Option<f64> {
    let decimal = !s.is_empty()
        && s.chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '+' | '-' | '.' | 'e' | 'E'));
    if !decimal {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `n` as a whole number, when it is one (and not absurdly large).
pub fn whole(n: f64) -> Option<i128> {
    (n.is_finite() && n.fract() == 0.0 && n.abs() < 1e30).then_some(n as i128)
}

/// Format a number the way Terraform and ARM print it (no `.0` on integers).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl fmt::Display for Val {
    /// A compact rendering for messages: strings unquoted at the top level.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ValKind::Str(s) => f.write_str(s),
            ValKind::Number(n) => f.write_str(&format_number(*n)),
            ValKind::Unknown(_) => f.write_str("(known after apply)"),
            _ => write!(f, "{}", self.to_json()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_convert_to_numbers_as_terraform_converts_them() {
        for (s, n) in [
            ("100", 100.0),
            ("-1.5e3", -1500.0),
            ("+7", 7.0),
            (".5", 0.5),
        ] {
            assert_eq!(Val::str(s, None).as_number(), Some(n), "{s}");
        }
        for s in [" 100", "0x10", "inf", "NaN", "", "1,000", "1e999"] {
            assert_eq!(Val::str(s, None).as_number(), None, "{s}");
        }
        assert_eq!(whole(4094.0), Some(4094));
        assert_eq!(whole(1.5), None);
    }

    #[test]
    fn wholly_known_looks_inside() {
        let v = Val::list(vec![Val::str("a", None), Val::unknown("x", None)], None);
        assert!(!v.is_wholly_known());
        assert!(!v.is_unknown());
        assert_eq!(v.first_unknown().map(|u| u.reason.as_str()), Some("x"));
    }

    #[test]
    fn known_eq_is_three_valued() {
        let a = Val::list(vec![Val::str("a", None)], None);
        let b = Val::list(vec![Val::str("a", None)], None);
        let u = Val::list(vec![Val::unknown("x", None)], None);
        assert_eq!(a.known_eq(&b), Some(true));
        assert_eq!(a.known_eq(&u), None);
        assert_eq!(a.known_eq(&Val::str("a", None)), Some(false));
    }

    #[test]
    fn external_values_stay_external_wherever_used() {
        let f = |a| Some(Span::new(crate::source::FileId(0), a, a + 1));
        let v = Val::list(vec![Val::str("k", f(3))], f(1)).into_external();
        assert!(v.external && v.span.is_none());
        let item = v.as_list().unwrap()[0].clone();
        assert!(item.external && item.span.is_none());
        let used = item.resited(f(9));
        assert!(used.external);
        assert_eq!((used.span, used.origin), (f(9), None));
        assert!(!Val::str("k", f(3)).resited(f(9)).external);
    }

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(format_number(200.0), "200");
        assert_eq!(format_number(1.5), "1.5");
    }
}

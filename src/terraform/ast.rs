//! erlint's own syntax tree for Terraform: what the evaluator reads, built from HCL
//! (`hcl-edit`, see [`super::hcl`]) and from Terraform's JSON syntax (see [`super::tfjson`]).
//! Every node carries a [`Span`] into its file.

use crate::source::Span;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

/// A name of the syntax tree (attribute, block type, label, variable, traversal step,
/// object key, function), shared: the same names (`name`, `var`, `location`,
/// `azurerm_resource_group`, `main`…) are written in every directory, and each would
/// otherwise be its own allocation, kept for the whole run. One table per thread (the
/// directories are converted in parallel), holding short strings only, and emptied when
/// it reaches [`INTERNED_MOST`] entries so that a long-running process (the language
/// server) does not grow it without bound; emptying it only stops later strings from
/// sharing with earlier ones.
///
/// String values are not interned: most are distinct, and a table holding them as well
/// cost more time in lookups (cache misses) than the allocations it saved (+12 % CPU on
/// the scale 3000 benchmark corpus, against 2 % less with names only). Hashed with
/// foldhash (seeded per process): std's SipHash made the lookups 1 % of a run.
pub fn intern(s: &str) -> Arc<str> {
    if s.len() > INTERNED_LONGEST {
        return Arc::from(s);
    }
    thread_local! {
        static STRINGS: RefCell<Interner> = RefCell::new(Interner::default());
    }
    STRINGS.with_borrow_mut(|strings| {
        // The same few names come again and again (`name`, `var`, `location`…): a slot
        // chosen from the length and three bytes remembers the last one seen there,
        // found without hashing the whole name or probing the table.
        let slot = recent_slot(s);
        if let Some(Some(shared)) = strings.recent.get(slot)
            && **shared == *s
        {
            return shared.clone();
        }
        let shared = match strings.table.get(s) {
            Some(shared) => shared.clone(),
            None => {
                if strings.table.len() >= INTERNED_MOST {
                    strings.table.clear();
                    strings.recent = [const { None }; RECENT];
                }
                let shared: Arc<str> = Arc::from(s);
                strings.table.insert(shared.clone());
                shared
            }
        };
        if let Some(r) = strings.recent.get_mut(slot) {
            *r = Some(shared.clone());
        }
        shared
    })
}

/// [`intern`]'s table, and the names it found last, by [`recent_slot`].
struct Interner {
    table: HashSet<Arc<str>, foldhash::fast::RandomState>,
    recent: [Option<Arc<str>>; RECENT],
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            table: HashSet::default(),
            recent: [const { None }; RECENT],
        }
    }
}

/// How many names [`intern`] remembers without its table.
const RECENT: usize = 256;

/// The slot of [`Interner::recent`] for `s`: its length and first, second, middle and
/// last bytes, mixed by a multiplication.
fn recent_slot(s: &str) -> usize {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).map_or(0, |&x| u64::from(x));
    let n = b.len();
    let key = (n as u64) | at(0) << 8 | at(1) << 16 | at(n / 2) << 24 | at(n.wrapping_sub(1)) << 32;
    // The top 8 bits: RECENT slots.
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// The longest string [`intern`] shares (longer ones are mostly values, rarely repeated).
const INTERNED_LONGEST: usize = 64;
/// How many strings one thread's table holds before it is emptied.
const INTERNED_MOST: usize = 1 << 14;

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    Str(Arc<str>),
    /// A string with interpolations or directives.
    Template(Box<[TemplatePart]>),
    Array(Box<[Expr]>),
    /// The items in source order. A key may repeat (`{ a = 1, a = 2 }` is valid): items
    /// are evaluated in order, so the last value wins.
    Object(Box<[(ObjectKey, Expr)]>),
    /// A root name: `var`, `local`, `each`, `azurerm_express_route_circuit`, an iterator…
    Variable(Arc<str>),
    Traversal(Box<Traversal>),
    Call(Box<Call>),
    Conditional(Box<Conditional>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
    /// Something that could not be turned into an expression (a `.tf.json` string that
    /// does not parse as a template): evaluates to Unknown with this reason.
    Invalid(Arc<str>),
}

// The tree is kept for the whole run: every expression node is 40 bytes on 64-bit targets
// (no variant's fields larger than 16 bytes; the rare large ones boxed).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Expr>() == 40);

/// `root.a[0].b`: operators applied to an expression (boxed with its root: one or two
/// operators, the common case, need no allocation of their own).
#[derive(Clone, Debug)]
pub struct Traversal {
    pub root: Expr,
    pub ops: Few<TraversalOp>,
}

/// A short sequence, read as a slice: up to two items are kept inline (a traversal's
/// operators, a block's labels: nearly always one or two), more on the heap.
pub type Few<T> = smallvec::SmallVec<[T; 2]>;

/// `cond ? then : otherwise`.
#[derive(Clone, Debug)]
pub struct Conditional {
    pub cond: Expr,
    pub then: Expr,
    pub otherwise: Expr,
}

#[derive(Clone, Debug)]
pub enum ObjectKey {
    /// A bare identifier key (`name = …`) or a quoted one, which is a literal string; the
    /// span is the key as written.
    Ident(Arc<str>, Span),
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub enum TraversalOp {
    Attr(Arc<str>, Span),
    Index(Expr),
    /// `.*` / `[*]`: the remaining operators apply to each element.
    Splat,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub name: Arc<str>,
    /// `provider::azurerm::…` namespaces (non-empty means a provider-defined function).
    pub namespace: Vec<Arc<str>>,
    pub args: Vec<Expr>,
    /// `f(list...)`: the final argument is expanded.
    pub expand_final: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

#[derive(Clone, Debug)]
pub struct ForExpr {
    pub key_var: Option<Arc<str>>,
    pub value_var: Arc<str>,
    pub collection: Expr,
    /// Present for `{ for … : k => v }`.
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    pub cond: Option<Expr>,
    /// `...` after the value: group values by key.
    pub grouping: bool,
}

#[derive(Clone, Debug)]
pub enum TemplatePart {
    Literal(Arc<str>),
    Interpolation(Expr),
    /// `%{ if … }…%{ else }…%{ endif }` (boxed: rare, and large).
    If(Box<TemplateIf>),
    /// `%{ for … in … }…%{ endfor }`.
    For(Box<TemplateFor>),
}

#[derive(Clone, Debug)]
pub struct TemplateIf {
    pub cond: Expr,
    pub then: Box<[TemplatePart]>,
    pub otherwise: Box<[TemplatePart]>,
}

#[derive(Clone, Debug)]
pub struct TemplateFor {
    pub key_var: Option<Arc<str>>,
    pub value_var: Arc<str>,
    pub collection: Expr,
    pub body: Box<[TemplatePart]>,
}

/// A block body: attributes and nested blocks in source order.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub attrs: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: Arc<str>,
    /// The whole `name = value`.
    pub span: Span,
    pub expr: Expr,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub ident: Arc<str>,
    pub labels: Few<Arc<str>>,
    /// The first line of the block up to `{` (identifier and labels).
    pub header: Span,
    /// The whole block.
    pub span: Span,
    pub body: Body,
}

impl ObjectKey {
    /// The key's name when it is written as a literal (`a = …`, `"a" = …`).
    pub fn literal(&self) -> Option<&str> {
        match self {
            ObjectKey::Ident(s, _) => Some(s),
            ObjectKey::Expr(x) => x.as_str(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            ObjectKey::Ident(_, s) => *s,
            ObjectKey::Expr(x) => x.span,
        }
    }
}

impl Body {
    /// Give back spare capacity (after meta-arguments are removed).
    pub fn shrink(&mut self) {
        self.attrs.shrink_to_fit();
        self.blocks.shrink_to_fit();
    }

    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attrs.iter().find(|a| &*a.name == name)
    }

    pub fn blocks_named<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| &*b.ident == ident)
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// A literal string expression's value (no interpolation).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A bare traversal's dotted text (`azurerm.hub`, `var.x`), for meta-arguments that take
    /// references rather than values (`provider = azurerm.hub`).
    pub fn reference_text(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Variable(v) => Some(v.to_string()),
            ExprKind::Traversal(t) => {
                let mut s = t.root.reference_text()?;
                for op in &t.ops {
                    match op {
                        TraversalOp::Attr(a, _) => {
                            s.push('.');
                            s.push_str(a);
                        }
                        _ => return None,
                    }
                }
                Some(s)
            }
            ExprKind::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }
}

/// ER001 at a byte offset of `text`, for the HCL parser and the Terraform JSON reader.
pub fn parse_error(
    file: crate::source::FileId,
    text: &str,
    offset: usize,
    message: &str,
) -> crate::diagnostic::Diagnostic {
    let start = crate::source::clamp_to_char_boundary(text, offset);
    let end = text
        .get(start..)
        .and_then(|s| s.chars().next())
        .map(|c| start + c.len_utf8())
        .unwrap_or(start);
    let msg = message
        .lines()
        .next()
        .unwrap_or("syntax error")
        .trim()
        .to_string();
    if msg.contains("nesting depth") {
        // hcl-edit stops at 256 nested levels (vendor/hcl-edit/PATCHES.md); Terraform
        // reads deeper nesting, so this is a limit of erlint's (ER005), not a syntax error.
        return crate::limits::diagnostic(&crate::limits::Hit {
            span: Span::new(file, start, end),
            message: "erlint's HCL parser reads at most 256 levels of expressions and blocks nested inside each other (Terraform accepts more); this file was not checked".into(),
            internal: false,
        });
    }
    let mut d = crate::core::parse_error(
        Span::new(file, start, end),
        format!("HCL syntax error: {msg}"),
    );
    d.help("fix the syntax here; `terraform validate` reports the same error");
    d
}

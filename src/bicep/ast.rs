//! erlint's syntax tree for Bicep (`.bicep`) and Bicep parameter (`.bicepparam`) files.
//!
//! Every node carries a [`Span`] into its file (byte offsets). The tree keeps what an
//! evaluator needs and drops the rest (tokens, parentheses, separators): names and their
//! spans, call arguments, member and index access, declaration bodies. Strings keep, for
//! each literal piece, the mapping from decoded bytes back to the file ([`Segment`]), so a
//! finding can point at a character inside an escaped string.

use crate::source::Span;
use std::sync::Arc;

/// Which grammar a file is read with.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A `.bicep` template (or module).
    Template,
    /// A `.bicepparam` parameters file.
    Params,
}

impl FileKind {
    /// `.bicepparam` files are parameter files; everything else is read as a template.
    pub fn of_path(path: &std::path::Path) -> FileKind {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
        {
            FileKind::Params
        } else {
            FileKind::Template
        }
    }
}

/// One parsed file.
#[derive(Clone, Debug)]
pub struct BicepFile {
    pub kind: FileKind,
    pub statements: Vec<Statement>,
    /// Every `//` and `/* */` comment, in file order (also those inside expressions).
    pub comments: Vec<Comment>,
    /// `#disable-next-line`, `#disable-diagnostics` and `#restore-diagnostics` lines.
    pub pragmas: Vec<Pragma>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …` (the span stops before the line break).
    Line,
    /// `/* … */`
    Block,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    /// The whole comment, delimiters included.
    pub span: Span,
}

impl Comment {
    /// The comment's text without its delimiters (`src` is the file's text).
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        let whole = src.get(self.span.range()).unwrap_or("");
        match self.kind {
            CommentKind::Line => whole.strip_prefix("//").unwrap_or(whole),
            CommentKind::Block => {
                let inner = whole.strip_prefix("/*").unwrap_or(whole);
                inner.strip_suffix("*/").unwrap_or(inner)
            }
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PragmaKind {
    /// `#disable-next-line CODE…`: the codes are off for the next line.
    DisableNextLine,
    /// `#disable-diagnostics CODE…`: off until a matching `#restore-diagnostics`.
    DisableDiagnostics,
    /// `#restore-diagnostics CODE…`
    RestoreDiagnostics,
}

#[derive(Clone, Debug)]
pub struct Pragma {
    pub kind: PragmaKind,
    /// Diagnostic codes (`BCP081`, `no-unused-params`, …), each with its span.
    pub codes: Vec<Ident>,
    /// From `#` to the end of the last code.
    pub span: Span,
}

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: Arc<str>,
    pub span: Span,
}

/// A declaration with its decorators.
#[derive(Clone, Debug)]
pub struct Statement {
    pub decorators: Vec<Decorator>,
    /// The declaration keyword (`param`, `resource`, `using`, …).
    pub keyword: Span,
    pub kind: StatementKind,
    /// The whole statement, decorators included.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StatementKind {
    /// `targetScope = 'subscription'`
    TargetScope(Expr),
    /// `metadata name = value`
    Metadata(Metadata),
    /// `param name type [= default]` (templates).
    Param(Param),
    /// `var name [type] = value`
    Var(Var),
    /// `type name = typeExpr`
    Type(TypeDecl),
    /// `func name(a type, …) type => body`
    Func(Func),
    Resource(Resource),
    Module(Module),
    /// `output name type = value`
    Output(Output),
    /// `import {a, b as c} from 'path'` or `import * as ns from 'path'`.
    Import(Import),
    /// `extension name [with {…}] [as alias]` (also the legacy `import 'spec' …` form).
    Extension(Extension),
    /// `assert name = condition` (experimental).
    Assert(Assert),
    /// `test name 'path' = {…}` (experimental).
    Test(Test),
    /// `.bicepparam`: `using './main.bicep'` or `using none`, optionally `with {…}`.
    Using(Using),
    /// `.bicepparam`: `extends './base.bicepparam'`
    Extends(Str),
    /// `.bicepparam`: `param name = value` (or `param name` under a decorator).
    ParamValue(ParamValue),
    /// `.bicepparam`: `extensionConfig name with {…}` (experimental).
    ExtensionConfig(ExtensionConfig),
}

#[derive(Clone, Debug)]
pub struct Metadata {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug)]
pub struct Var {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub value: Expr,
}

#[derive(Clone, Debug)]
pub struct TypeDecl {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug)]
pub struct Func {
    pub name: Ident,
    pub params: Vec<FuncParam>,
    pub returns: TypeExpr,
    pub body: Expr,
}

#[derive(Clone, Debug)]
pub struct FuncParam {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug)]
pub struct Output {
    pub name: Ident,
    pub ty: TypeExpr,
    pub value: Expr,
}

/// `resource name 'type@version' [existing] = body`
#[derive(Clone, Debug)]
pub struct Resource {
    pub name: Ident,
    /// `'Microsoft.Network/expressRouteCircuits@2024-05-01'`, or relative (`'peerings'`)
    /// for a resource declared inside another one.
    pub type_ref: Str,
    /// The `existing` keyword, when present.
    pub existing: Option<Span>,
    pub body: Body,
    /// From the `resource` keyword to the type string (or `existing`): the declaration
    /// line a finding about the whole resource points at.
    pub header: Span,
}

/// `module name 'path-or-registry-ref' = body`
#[derive(Clone, Debug)]
pub struct Module {
    pub name: Ident,
    pub path: Str,
    pub body: Body,
    /// From the `module` keyword to the path string.
    pub header: Span,
}

/// The value of a resource or module declaration.
#[derive(Clone, Debug)]
pub enum Body {
    /// `= { … }`
    Object(Object),
    /// `= if (condition) { … }`
    If(IfBody),
    /// `= [for … in …: { … }]` or `= [for … in …: if (condition) { … }]`
    For(Box<ForBody>),
}

#[derive(Clone, Debug)]
pub struct IfBody {
    pub condition: Expr,
    pub object: Object,
    /// From `if` to the closing brace.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ForBody {
    pub item: Ident,
    /// `i` in `for (x, i) in …`.
    pub index: Option<Ident>,
    pub iterable: Expr,
    /// The `if (…)` filter of a resource or module loop.
    pub filter: Option<Expr>,
    pub object: Object,
    /// From `[` to `]`.
    pub span: Span,
}

impl Body {
    /// The object holding the properties, whatever the form of the body.
    pub fn object(&self) -> &Object {
        match self {
            Body::Object(o) => o,
            Body::If(i) => &i.object,
            Body::For(f) => &f.object,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Import {
    pub items: ImportItems,
    /// The `from` path or registry reference.
    pub from: Str,
}

#[derive(Clone, Debug)]
pub enum ImportItems {
    /// `{ a, 'b.c' as d }`
    List(Vec<ImportItem>),
    /// `* as ns`
    Wildcard { alias: Ident },
}

#[derive(Clone, Debug)]
pub struct ImportItem {
    pub name: ImportName,
    pub alias: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ImportName {
    Ident(Ident),
    /// A quoted name (`'foo.bar' as fb`); always has an alias.
    Str(Str),
}

#[derive(Clone, Debug)]
pub struct Extension {
    pub spec: ExtensionSpec,
    pub config: Option<Object>,
    pub alias: Option<Ident>,
    /// Written with the legacy `import 'spec'` keyword.
    pub legacy_import: bool,
}

#[derive(Clone, Debug)]
pub enum ExtensionSpec {
    /// `extension microsoftGraphV1` (a name from `bicepconfig.json`).
    Name(Ident),
    /// `extension 'br:…'`
    Str(Str),
}

#[derive(Clone, Debug)]
pub struct Assert {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Clone, Debug)]
pub struct Test {
    pub name: Ident,
    pub path: Str,
    pub body: Object,
}

#[derive(Clone, Debug)]
pub struct Using {
    /// `None` for `using none`.
    pub target: Option<Str>,
    pub config: Option<Object>,
}

#[derive(Clone, Debug)]
pub struct ParamValue {
    pub name: Ident,
    /// `None` for a parameter named without a value (`@inline() param x`).
    pub value: Option<Expr>,
}

#[derive(Clone, Debug)]
pub struct ExtensionConfig {
    pub name: Ident,
    pub config: Object,
}

/// `@name`, `@name(args)` or `@ns.name(args)`.
#[derive(Clone, Debug)]
pub struct Decorator {
    /// A [`ExprKind::Call`], [`ExprKind::Var`] or [`ExprKind::Member`].
    pub expr: Expr,
    /// From `@` to the end of the decorator.
    pub span: Span,
}

impl Decorator {
    /// The decorator's name without its namespace (`description` for `@sys.description`).
    pub fn name(&self) -> Option<&Ident> {
        match &self.expr.kind {
            ExprKind::Call(c) => Some(&c.name),
            ExprKind::Var(i) => Some(i),
            ExprKind::Member { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The arguments (empty for `@secure` without parentheses).
    pub fn args(&self) -> &[Expr] {
        match &self.expr.kind {
            ExprKind::Call(c) => &c.args,
            _ => &[],
        }
    }
}

/// An object literal (also a resource or module body).
#[derive(Clone, Debug)]
pub struct Object {
    pub items: Vec<ObjectItem>,
    /// From `{` to `}`.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ObjectItem {
    Property(Property),
    /// `...expr`
    Spread(Spread),
    /// A child resource declared in a resource body.
    Resource(Box<NestedResource>),
}

#[derive(Clone, Debug)]
pub struct Property {
    pub key: Key,
    pub value: Expr,
    /// `key: value`
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Key {
    /// `name: …` (any identifier, keywords included: `type: …`, `scope: …`).
    Ident(Ident),
    /// `'quoted-name': …`, possibly interpolated.
    Str(Str),
}

impl Key {
    /// The key's name, unless it is an interpolated string.
    pub fn name(&self) -> Option<&str> {
        match self {
            Key::Ident(i) => Some(&i.name),
            Key::Str(s) => s.as_literal(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Key::Ident(i) => i.span,
            Key::Str(s) => s.span,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Spread {
    pub value: Expr,
    /// `...value`
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct NestedResource {
    pub decorators: Vec<Decorator>,
    pub resource: Resource,
    /// Decorators included.
    pub span: Span,
}

impl Object {
    /// The properties in source order (spreads and nested resources left out).
    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.items.iter().filter_map(|i| match i {
            ObjectItem::Property(p) => Some(p),
            _ => None,
        })
    }

    /// The first property whose key is `name` (Bicep keys are case-sensitive as written;
    /// `ignore_case` compares them as ARM does).
    pub fn get(&self, name: &str, ignore_case: bool) -> Option<&Property> {
        self.properties().find(|p| {
            p.key.name().is_some_and(|k| {
                if ignore_case {
                    k.eq_ignore_ascii_case(name)
                } else {
                    k == name
                }
            })
        })
    }

    /// Child resources declared in this body.
    pub fn resources(&self) -> impl Iterator<Item = &NestedResource> {
        self.items.iter().filter_map(|i| match i {
            ObjectItem::Resource(r) => Some(&**r),
            _ => None,
        })
    }
}

/// A string: literal pieces (`segments`) around interpolation holes (`holes`), with
/// `segments.len() == holes.len() + 1` (pieces may be empty).
#[derive(Clone, Debug)]
pub struct Str {
    pub segments: Vec<Segment>,
    pub holes: Vec<Expr>,
    pub form: StrForm,
    /// The whole literal, quotes included.
    pub span: Span,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StrForm {
    /// `'…'` with escapes and `${}` holes.
    Quoted,
    /// `'''…'''`: raw, no escapes, no holes.
    Multiline,
    /// `$'''…${x}…'''` (`dollars` is the number of leading `$`, which a hole's `${` repeats).
    MultilineInterpolated { dollars: u32 },
}

impl Str {
    /// The value, when the string has no interpolation.
    pub fn as_literal(&self) -> Option<&str> {
        if self.holes.is_empty() {
            self.segments.first().map(|s| &*s.value)
        } else {
            None
        }
    }

    /// The file span of decoded bytes `range` of a string without interpolation.
    pub fn literal_span(&self, range: std::ops::Range<usize>) -> Option<Span> {
        if self.holes.is_empty() {
            self.segments.first().map(|s| s.span(range))
        } else {
            None
        }
    }
}

/// A literal piece of a string: its decoded value and where each decoded byte was written.
#[derive(Clone, Debug)]
pub struct Segment {
    pub value: Arc<str>,
    /// The raw text in the file (between the quote or `}` and the quote or `${`).
    pub raw: Span,
    /// With escapes: the file offset of each decoded byte, then one for the end.
    pub(crate) table: Option<Box<[u32]>>,
}

impl Segment {
    /// File offset of decoded byte `i` (clamped to the end). A byte produced by an escape
    /// maps to the escape's backslash.
    pub fn offset(&self, i: usize) -> usize {
        match &self.table {
            None => self.raw.start as usize + i.min(self.value.len()),
            Some(t) => t
                .get(i)
                .or_else(|| t.last())
                .map_or(self.raw.start as usize, |o| *o as usize),
        }
    }

    /// The file span of decoded bytes `r`.
    pub fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span::new(self.raw.file, self.offset(r.start), self.offset(r.end))
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// Integers are unsigned in the syntax (`-1` is [`UnaryOp::Neg`] applied to `1`).
    Int(u64),
    Str(Str),
    Array(Vec<ArrayItem>),
    Object(Object),
    /// A symbol: parameter, variable, resource, module, loop or lambda variable, namespace.
    Var(Ident),
    /// `f(args)`, `az.resourceGroup()`, `kv.getSecret('s')`.
    Call(Box<Call>),
    /// `target.name` or `target.?name`.
    Member {
        target: Box<Expr>,
        name: Ident,
        /// `.?`: null instead of an error when the property is missing.
        safe: bool,
    },
    /// `target[index]`, `target[?index]`, `target[^index]`, `target[?^index]`.
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
        /// `[^n]`: counted from the end (`[^1]` is the last element).
        from_end: bool,
    },
    /// `parent::child`: a resource declared inside another.
    ResourceAccess {
        target: Box<Expr>,
        name: Ident,
    },
    /// `x!`: only silences Bicep's nullability check.
    NonNull(Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `cond ? then : otherwise`
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `x => body`, `(acc, x) => body`
    Lambda(Box<Lambda>),
    /// `[for (x, i) in items: body]`
    For(Box<ForExpr>),
}

#[derive(Clone, Debug)]
pub enum ArrayItem {
    Value(Expr),
    Spread(Spread),
}

#[derive(Clone, Debug)]
pub struct Call {
    /// `az` in `az.resourceGroup()`, `kv` in `kv.getSecret(…)`; `None` for a plain call.
    pub target: Option<Expr>,
    pub name: Ident,
    pub args: Vec<Expr>,
    /// From `(` to `)`.
    pub args_span: Span,
}

#[derive(Clone, Debug)]
pub struct Lambda {
    pub params: Vec<Ident>,
    pub body: Expr,
}

#[derive(Clone, Debug)]
pub struct ForExpr {
    pub item: Ident,
    pub index: Option<Ident>,
    pub iterable: Expr,
    pub body: Expr,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!x`
    Not,
    /// `-x`
    Neg,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `??`
    Coalesce,
    Or,
    And,
    Eq,
    NotEq,
    /// `=~` (case-insensitive)
    EqI,
    /// `!~`
    NotEqI,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// A type expression (`param`, `output`, `var`, `type`, `func`).
#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    /// `string`, `int`, `bool`, `array`, `object`, a user-defined type, an imported one.
    Name(Ident),
    /// A literal type: `'Standard'`, `1`, `true`, `null`.
    Str(Str),
    Int(u64),
    Bool(bool),
    Null,
    /// `-1`
    Unary(UnaryOp, Box<TypeExpr>),
    /// `sys.string`, `ns.MyType`, `MyType.prop`
    Member {
        target: Box<TypeExpr>,
        name: Ident,
    },
    /// `resourceInput<'Microsoft.X/y@v'>`, `ns.T<…>`
    Generic {
        target: Option<Box<TypeExpr>>,
        name: Ident,
        args: Vec<TypeExpr>,
    },
    /// `T[0]`
    Index {
        target: Box<TypeExpr>,
        index: Box<Expr>,
    },
    /// `T[*]`: the element type.
    Items(Box<TypeExpr>),
    /// `T.*`: the additional-properties type.
    AdditionalProperties(Box<TypeExpr>),
    /// `T[]`
    Array(Box<TypeExpr>),
    /// `T?`
    Nullable(Box<TypeExpr>),
    /// `T!`
    NonNull(Box<TypeExpr>),
    /// `'a' | 'b'`
    Union(Vec<TypeExpr>),
    /// `{ name: string, *: int }`
    Object(Vec<ObjectTypeMember>),
    /// `[string, int]`
    Tuple(Vec<TupleTypeItem>),
    /// `resource 'Microsoft.X/y@v'` (the string is optional on outputs).
    Resource(Option<Str>),
}

#[derive(Clone, Debug)]
pub struct ObjectTypeMember {
    pub decorators: Vec<Decorator>,
    pub key: ObjectTypeKey,
    /// `name?: type`: the property may be left out.
    pub optional: bool,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ObjectTypeKey {
    Ident(Ident),
    Str(Str),
    /// `*`: any other property.
    Star(Span),
}

#[derive(Clone, Debug)]
pub struct TupleTypeItem {
    pub decorators: Vec<Decorator>,
    pub ty: TypeExpr,
}

impl Expr {
    /// The value of a string literal without interpolation.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => s.as_literal(),
            _ => None,
        }
    }

    /// The name of a bare symbol reference.
    pub fn as_var(&self) -> Option<&Ident> {
        match &self.kind {
            ExprKind::Var(i) => Some(i),
            _ => None,
        }
    }
}

impl Statement {
    /// The declared name, for declarations that have one.
    pub fn name(&self) -> Option<&Ident> {
        match &self.kind {
            StatementKind::Metadata(d) => Some(&d.name),
            StatementKind::Param(d) => Some(&d.name),
            StatementKind::Var(d) => Some(&d.name),
            StatementKind::Type(d) => Some(&d.name),
            StatementKind::Func(d) => Some(&d.name),
            StatementKind::Resource(d) => Some(&d.name),
            StatementKind::Module(d) => Some(&d.name),
            StatementKind::Output(d) => Some(&d.name),
            StatementKind::Assert(d) => Some(&d.name),
            StatementKind::Test(d) => Some(&d.name),
            StatementKind::ParamValue(d) => Some(&d.name),
            StatementKind::ExtensionConfig(d) => Some(&d.name),
            StatementKind::Extension(e) => e.alias.as_ref().or(match &e.spec {
                ExtensionSpec::Name(n) => Some(n),
                ExtensionSpec::Str(_) => None,
            }),
            StatementKind::TargetScope(_)
            | StatementKind::Import(_)
            | StatementKind::Using(_)
            | StatementKind::Extends(_) => None,
        }
    }

    /// The decorator named `name` (namespace ignored: `@sys.description` is `description`).
    pub fn decorator(&self, name: &str) -> Option<&Decorator> {
        self.decorators
            .iter()
            .find(|d| d.name().is_some_and(|n| &*n.name == name))
    }
}

//! Recursive-descent parser over the tokens of [`super::lexer`], shaped like Bicep's own
//! `Parser.cs`/`BaseParser.cs`: statements end at a newline; binary operators by a
//! precedence table; newlines are accepted only where Bicep accepts them (see the module
//! documentation of [`super`]). It stops at the first error.

use super::ast::*;
use super::lexer::{Lexed, T, Token};
use super::{MAX_DEPTH, ParseError};
use crate::source::{FileId, Span};
use std::sync::Arc;

type PResult<T> = Result<T, ParseError>;

/// What an expression may contain where it is parsed.
#[derive(Copy, Clone)]
struct Flags {
    /// Object and array literals (not inside a `${}` hole).
    complex: bool,
    /// Nested `resource` declarations (directly in a resource body).
    resources: bool,
}

const VALUE: Flags = Flags {
    complex: true,
    resources: false,
};
const IN_HOLE: Flags = Flags {
    complex: false,
    resources: false,
};
const RESOURCE_BODY: Flags = Flags {
    complex: true,
    resources: true,
};

/// Keywords that start a declaration: after `=>`, a newline followed by one of these ends
/// the lambda instead of continuing it on the next line.
const DECLARATION_KEYWORDS: &[&str] = &[
    "metadata",
    "param",
    "var",
    "output",
    "resource",
    "module",
    "targetScope",
    "import",
    "type",
    "func",
    "extension",
    "assert",
    "test",
    "using",
    "extends",
    "extensionConfig",
];

pub(crate) struct Parser<'s> {
    src: &'s str,
    file: FileId,
    kind: FileKind,
    toks: Vec<Token>,
    segs: Vec<Option<Segment>>,
    lex_error: Option<ParseError>,
    pos: usize,
    depth: usize,
}

impl<'s> Parser<'s> {
    pub(crate) fn new(src: &'s str, file: FileId, kind: FileKind, lexed: Lexed) -> Self {
        Parser {
            src,
            file,
            kind,
            toks: lexed.tokens,
            segs: lexed.segments,
            lex_error: lexed.error,
            pos: 0,
            depth: 0,
        }
    }

    // ----- tokens -----

    fn peek(&self) -> Token {
        self.nth(0)
    }

    fn nth(&self, n: usize) -> Token {
        self.toks
            .get(self.pos + n)
            .or_else(|| self.toks.last())
            .copied()
            .unwrap_or(Token {
                kind: T::Eof,
                start: 0,
                end: 0,
                seg: u32::MAX,
            })
    }

    fn at(&self, kind: T) -> bool {
        self.peek().kind == kind
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if self.pos < self.toks.len().saturating_sub(1) {
            self.pos += 1;
        }
        t
    }

    fn bump_span(&mut self) -> Span {
        let t = self.bump();
        self.tspan(t)
    }

    fn eat(&mut self, kind: T) -> Option<Token> {
        if self.at(kind) {
            Some(self.bump())
        } else {
            None
        }
    }

    fn text(&self, t: Token) -> &'s str {
        self.src.get(t.start as usize..t.end as usize).unwrap_or("")
    }

    fn is_kw(&self, t: Token, kw: &str) -> bool {
        t.kind == T::Ident && self.text(t) == kw
    }

    fn at_kw(&self, kw: &str) -> bool {
        self.is_kw(self.peek(), kw)
    }

    fn tspan(&self, t: Token) -> Span {
        Span::new(self.file, t.start as usize, t.end as usize)
    }

    /// The span from `start` to the end of the last consumed token.
    fn since(&self, start: Span) -> Span {
        let prev = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .copied();
        match prev {
            Some(p) if p.end >= start.start => {
                Span::new(self.file, start.start as usize, p.end as usize)
            }
            _ => start,
        }
    }

    fn skip_newlines(&mut self) {
        while self.at(T::NewLine) {
            self.bump();
        }
    }

    /// How a token is named in messages.
    fn describe(&self, t: Token) -> String {
        match t.kind {
            T::NewLine => "a new line".into(),
            T::Eof | T::LexError => "the end of the file".into(),
            T::StrComplete | T::StrLeft | T::MultilineStr => "a string".into(),
            T::StrMiddle | T::StrRight => "`}`".into(),
            _ => {
                let text = self.text(t);
                let short: String = text.chars().take(40).collect();
                format!("`{short}`")
            }
        }
    }

    /// An error at token `t` (the lexer's error if lexing stopped there).
    fn error_at(&mut self, t: Token, message: impl Into<String>) -> ParseError {
        if t.kind == T::LexError
            && let Some(e) = self.lex_error.take()
        {
            return e;
        }
        let span = if t.kind == T::NewLine {
            // Point at the line break itself, not at the blank lines after it.
            Span::new(
                self.file,
                t.start as usize,
                (t.start as usize + 1).min(t.end as usize),
            )
        } else {
            self.tspan(t)
        };
        ParseError {
            span,
            message: message.into(),
        }
    }

    /// `expected …, found …` at the current token.
    fn expected(&mut self, what: &str) -> ParseError {
        let t = self.peek();
        let found = self.describe(t);
        self.error_at(t, format!("expected {what}, found {found}"))
    }

    fn expect(&mut self, kind: T, what: &str) -> PResult<Token> {
        match self.eat(kind) {
            Some(t) => Ok(t),
            None => Err(self.expected(what)),
        }
    }

    fn expect_kw(&mut self, kw: &str, what: &str) -> PResult<Token> {
        if self.at_kw(kw) {
            Ok(self.bump())
        } else {
            Err(self.expected(what))
        }
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        let t = self.peek();
        if t.kind != T::Ident {
            return Err(self.expected(what));
        }
        self.bump();
        Ok(self.ident_of(t))
    }

    fn ident_of(&self, t: Token) -> Ident {
        Ident {
            name: Arc::from(self.text(t)),
            span: self.tspan(t),
        }
    }

    /// Counts one level of nesting; an error past [`MAX_DEPTH`].
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let t = self.peek();
            return Err(self.error_at(
                t,
                format!("the expression is nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self, levels: usize) {
        self.depth = self.depth.saturating_sub(levels);
    }

    // ----- files and statements -----

    pub(crate) fn file(mut self) -> PResult<BicepFile> {
        let mut statements = Vec::new();
        loop {
            self.skip_newlines();
            let t = self.peek();
            match t.kind {
                T::Eof => break,
                T::LexError => return Err(self.error_at(t, "")),
                _ => {}
            }
            statements.push(self.statement()?);
            let t = self.peek();
            match t.kind {
                T::NewLine | T::Eof => {}
                _ => {
                    let found = self.describe(t);
                    return Err(self.error_at(
                        t,
                        format!(
                            "expected a new line after the declaration, found {found} (each declaration goes on its own line)"
                        ),
                    ));
                }
            }
        }
        Ok(BicepFile {
            kind: self.kind,
            statements,
            comments: Vec::new(),
            pragmas: Vec::new(),
        })
    }

    /// `@a\n@b(…)\n` before a declaration; each decorator ends its line.
    fn decorators(&mut self) -> PResult<Vec<Decorator>> {
        let mut out = Vec::new();
        while self.at(T::At) {
            out.push(self.decorator()?);
            let t = self.peek();
            match t.kind {
                T::NewLine => self.skip_newlines(),
                T::Eof => {
                    return Err(self.error_at(
                        t,
                        "expected a declaration after the decorator, found the end of the file",
                    ));
                }
                _ => {
                    let found = self.describe(t);
                    return Err(self.error_at(
                        t,
                        format!("expected a new line after the decorator, found {found} (a decorator goes on its own line)"),
                    ));
                }
            }
        }
        Ok(out)
    }

    fn decorator(&mut self) -> PResult<Decorator> {
        let at = self.bump();
        let at_span = self.tspan(at);
        let name = self.ident("a decorator name after `@`")?;
        let mut expr = if self.at(T::LParen) {
            self.call(None, name, VALUE)?
        } else {
            Expr {
                span: name.span,
                kind: ExprKind::Var(name),
            }
        };
        while self.eat(T::Dot).is_some() {
            let name = self.ident("a name after `.`")?;
            expr = if self.at(T::LParen) {
                self.call(Some(expr), name, VALUE)?
            } else {
                Expr {
                    span: expr.span.to(name.span),
                    kind: ExprKind::Member {
                        target: Box::new(expr),
                        name,
                        safe: false,
                    },
                }
            };
        }
        Ok(Decorator {
            span: at_span.to(expr.span),
            expr,
        })
    }

    fn statement(&mut self) -> PResult<Statement> {
        let decorators = self.decorators()?;
        let t = self.peek();
        let keyword = self.tspan(t);
        let word = if t.kind == T::Ident { self.text(t) } else { "" };
        let known = matches!(
            (self.kind, word),
            (
                FileKind::Template,
                "targetScope" | "param" | "resource" | "module" | "output"
            ) | (FileKind::Template, "assert" | "test")
                | (
                    FileKind::Params,
                    "param" | "using" | "extends" | "extensionConfig"
                )
                | (
                    _,
                    "metadata" | "var" | "type" | "func" | "import" | "extension"
                )
        );
        if !known {
            return Err(self.not_a_statement(t, decorators.is_empty()));
        }
        self.bump();
        let kind = self.statement_kind(word, keyword)?;
        let start = decorators.first().map_or(keyword, |d| d.span);
        Ok(Statement {
            decorators,
            keyword,
            kind,
            span: self.since(start),
        })
    }

    /// The declaration after its keyword `word` (consumed), one this file kind allows.
    fn statement_kind(&mut self, word: &str, keyword: Span) -> PResult<StatementKind> {
        Ok(match (self.kind, word) {
            (FileKind::Template, "targetScope") => {
                self.expect(T::Assign, "`=` after `targetScope`")?;
                StatementKind::TargetScope(self.expr(VALUE)?)
            }
            (_, "metadata") => {
                let name = self.ident("a name after `metadata`")?;
                self.expect(T::Assign, "`=` after the metadata name")?;
                let value = self.expr(VALUE)?;
                StatementKind::Metadata(Metadata { name, value })
            }
            (FileKind::Template, "param") => StatementKind::Param(self.param()?),
            (FileKind::Params, "param") => StatementKind::ParamValue(self.param_value()?),
            (_, "var") => {
                let name = self.ident("a variable name after `var`")?;
                let ty = if self.at(T::Assign) {
                    None
                } else {
                    Some(self.declared_type(false, "a type or `=` after the variable name")?)
                };
                self.expect(T::Assign, "`=` after the variable name")?;
                let value = self.expr(VALUE)?;
                StatementKind::Var(Var { name, ty, value })
            }
            (_, "type") => {
                let name = self.ident("a type name after `type`")?;
                self.expect(T::Assign, "`=` after the type name")?;
                let ty = self.declared_type(false, "a type after `=`")?;
                StatementKind::Type(TypeDecl { name, ty })
            }
            (_, "func") => StatementKind::Func(self.func()?),
            (FileKind::Template, "resource") => StatementKind::Resource(self.resource(keyword)?),
            (FileKind::Template, "module") => StatementKind::Module(self.module(keyword)?),
            (FileKind::Template, "output") => {
                let name = self.ident("an output name after `output`")?;
                let ty = self.declared_type(true, "the output's type (e.g. `string`)")?;
                self.expect(T::Assign, "`=` after the output type")?;
                let value = self.expr(VALUE)?;
                StatementKind::Output(Output { name, ty, value })
            }
            (_, "import") => self.import()?,
            (_, "extension") => StatementKind::Extension(self.extension(false)?),
            (FileKind::Template, _) => self.assert_or_test(word)?,
            (FileKind::Params, _) => self.params_statement(word)?,
        })
    }

    /// `assert` or `test` (Template files), after the keyword.
    fn assert_or_test(&mut self, word: &str) -> PResult<StatementKind> {
        if word == "assert" {
            let name = self.ident("a name after `assert`")?;
            self.expect(T::Assign, "`=` after the assertion name")?;
            let value = self.expr(VALUE)?;
            return Ok(StatementKind::Assert(Assert { name, value }));
        }
        let name = self.ident("a name after `test`")?;
        let path = self.string_token("the path of the tested file (a string)")?;
        self.expect(T::Assign, "`=` after the test path")?;
        let body = self.object(VALUE)?;
        Ok(StatementKind::Test(Test { name, path, body }))
    }

    /// `param` in a parameters file, after the keyword.
    fn param_value(&mut self) -> PResult<ParamValue> {
        let name = self.ident("a parameter name after `param`")?;
        // `@inline() param x` names a parameter without giving it a value.
        let value = match self.peek().kind {
            T::NewLine | T::Eof => None,
            T::Assign => {
                self.bump();
                Some(self.expr(VALUE)?)
            }
            _ => {
                return Err(self.expected(
                    "`=` after the parameter name (a parameters file takes each type from its template)",
                ));
            }
        };
        Ok(ParamValue { name, value })
    }

    /// `using`, `extends` or `extensionConfig` (parameters files), after the keyword.
    fn params_statement(&mut self, word: &str) -> PResult<StatementKind> {
        Ok(match word {
            "using" => {
                let target = if self.at_kw("none") {
                    self.bump();
                    None
                } else {
                    Some(self.string_token(
                        "the template after `using` (a path string such as `'./main.bicep'`, or `none`)",
                    )?)
                };
                let config = if self.at_kw("with") {
                    self.bump();
                    Some(self.object(VALUE)?)
                } else {
                    None
                };
                StatementKind::Using(Using { target, config })
            }
            "extends" => StatementKind::Extends(
                self.string_token("the base parameters file after `extends` (a path string)")?,
            ),
            _ => {
                let name = self.ident("an extension name after `extensionConfig`")?;
                self.expect_kw("with", "`with` after the extension name")?;
                let config = self.object(VALUE)?;
                StatementKind::ExtensionConfig(ExtensionConfig { name, config })
            }
        })
    }

    /// The error for a token `t` that starts no declaration of this file kind.
    fn not_a_statement(&mut self, t: Token, no_decorators: bool) -> ParseError {
        let found = self.describe(t);
        let (what, list) = match self.kind {
            FileKind::Template => (
                "a declaration",
                "`param`, `var`, `resource`, `module`, `output`, `type`, `func`, `import`, `extension`, `metadata` or `targetScope`",
            ),
            FileKind::Params => (
                "a parameters-file declaration",
                "`using`, `extends`, `param`, `var`, `type`, `func`, `import`, `extension` or `extensionConfig`",
            ),
        };
        let msg = if no_decorators {
            format!("expected {what} ({list}), found {found}")
        } else {
            format!("expected {what} after the decorators ({list}), found {found}")
        };
        self.error_at(t, msg)
    }

    fn param(&mut self) -> PResult<Param> {
        let name = self.ident("a parameter name after `param`")?;
        if self.at(T::Assign) {
            return Err(self.expected("the parameter's type (e.g. `string`) before `=`"));
        }
        let ty = self.declared_type(false, "the parameter's type (e.g. `string`)")?;
        let default = match self.peek().kind {
            T::NewLine | T::Eof => None,
            T::Assign => {
                self.bump();
                Some(self.expr(VALUE)?)
            }
            // `param x string { default: … }`: the modifiers of early Bicep versions.
            T::LBrace => {
                let t = self.peek();
                return Err(self.error_at(
                    t,
                    "expected `=` or a new line after the parameter type, found `{`: parameter modifiers in braces are early Bicep syntax that current Bicep rejects; write them as decorators (`@allowed([…])`, `@description('…')`) and the default after `=`",
                ));
            }
            _ => return Err(self.expected("`=` or a new line after the parameter type")),
        };
        Ok(Param { name, ty, default })
    }

    fn func(&mut self) -> PResult<Func> {
        let name = self.ident("a function name after `func`")?;
        self.expect(T::LParen, "`(` after the function name")?;
        let mut params = Vec::new();
        self.skip_newlines();
        if self.eat(T::RParen).is_none() {
            loop {
                let pname = self.ident("a parameter name")?;
                let ty = self.declared_type(false, "the parameter's type (e.g. `string`)")?;
                params.push(FuncParam { name: pname, ty });
                self.skip_newlines();
                if self.eat(T::Comma).is_some() {
                    self.skip_newlines();
                    continue;
                }
                self.expect(T::RParen, "`,` or `)` in the function's parameter list")?;
                break;
            }
        }
        let returns = self.declared_type(false, "the function's return type after `)`")?;
        self.expect(T::Arrow, "`=>` after the function's return type")?;
        self.newlines_before_lambda_body();
        let body = self.expr(VALUE)?;
        Ok(Func {
            name,
            params,
            returns,
            body,
        })
    }

    fn resource(&mut self, keyword: Span) -> PResult<Resource> {
        let name = self.ident("the resource's symbolic name after `resource`")?;
        let type_ref = self.string_token(
            "the resource type (a string such as `'Microsoft.Network/expressRouteCircuits@2024-05-01'`)",
        )?;
        let existing = if self.at_kw("existing") {
            Some(self.bump_span())
        } else {
            None
        };
        let header = keyword.to(existing.unwrap_or(type_ref.span));
        self.expect(T::Assign, "`=` after the resource type")?;
        let body = self.body(RESOURCE_BODY)?;
        Ok(Resource {
            name,
            type_ref,
            existing,
            body,
            header,
        })
    }

    fn module(&mut self, keyword: Span) -> PResult<Module> {
        let name = self.ident("the module's symbolic name after `module`")?;
        let path = self.string_token(
            "the module path (a string such as `'./peering.bicep'` or `'br/public:…'`)",
        )?;
        let header = keyword.to(path.span);
        self.expect(T::Assign, "`=` after the module path")?;
        let body = self.body(VALUE)?;
        Ok(Module {
            name,
            path,
            body,
            header,
        })
    }

    /// A resource or module value: `{…}`, `if (…) {…}` or `[for …: …]`.
    fn body(&mut self, flags: Flags) -> PResult<Body> {
        // A newline may come between `=` and `if`, nowhere else.
        if self.at(T::NewLine) && self.is_kw(self.nth(1), "if") {
            self.bump();
        }
        match self.peek().kind {
            T::LBrace => Ok(Body::Object(self.object(flags)?)),
            T::Ident if self.at_kw("if") => Ok(Body::If(self.if_body(flags)?)),
            T::LSquare => {
                let open = self.bump_span();
                self.skip_newlines();
                self.expect_kw(
                    "for",
                    "`for` after `[` (a resource or module loop is `[for x in items: {…}]`)",
                )?;
                let (item, index) = self.loop_vars()?;
                self.expect_kw("in", "`in` after the loop variable")?;
                let iterable = self.expr(VALUE)?;
                self.expect(T::Colon, "`:` after the loop's collection")?;
                let (filter, object) = if self.at_kw("if") {
                    let b = self.if_body(flags)?;
                    (Some(b.condition), b.object)
                } else if self.at(T::LBrace) {
                    (None, self.object(flags)?)
                } else {
                    return Err(self.expected("`{` or `if` to start the loop body"));
                };
                self.skip_newlines();
                self.expect(T::RSquare, "`]` to close the `for` loop")?;
                Ok(Body::For(Box::new(ForBody {
                    item,
                    index,
                    iterable,
                    filter,
                    object,
                    span: self.since(open),
                })))
            }
            _ => Err(self.expected("`{`, `if` or `[for …]` after `=`")),
        }
    }

    fn if_body(&mut self, flags: Flags) -> PResult<IfBody> {
        let kw = self.bump_span();
        if !self.at(T::LParen) {
            return Err(self.expected("`(` after `if` (the condition goes in parentheses)"));
        }
        let condition = self.paren_expr(VALUE)?;
        if !self.at(T::LBrace) {
            return Err(self.expected("`{` after the condition, on the same line"));
        }
        let object = self.object(flags)?;
        Ok(IfBody {
            condition,
            span: kw.to(object.span),
            object,
        })
    }

    /// `x` or `(x, i)`.
    fn loop_vars(&mut self) -> PResult<(Ident, Option<Ident>)> {
        if self.eat(T::LParen).is_some() {
            let item = self.ident("the loop's item name after `(`")?;
            self.expect(
                T::Comma,
                "`,` and an index name: a loop variable block is `(item, index)`",
            )?;
            let index = self.ident("the loop's index name after `,`")?;
            self.expect(
                T::RParen,
                "`)` after the index name: a loop variable block is `(item, index)`",
            )?;
            Ok((item, Some(index)))
        } else {
            Ok((
                self.ident("a loop variable name (or `(item, index)`) after `for`")?,
                None,
            ))
        }
    }

    fn import(&mut self) -> PResult<StatementKind> {
        let items = match self.peek().kind {
            T::LBrace => {
                self.bump();
                let items = self.elements(T::RBrace, "the import list", |p| p.import_item())?;
                self.expect(T::RBrace, "`}` to close the import list")?;
                ImportItems::List(items)
            }
            T::Star => {
                self.bump();
                self.expect_kw("as", "`as` after `import *`")?;
                let alias = self.ident("a namespace name after `as`")?;
                ImportItems::Wildcard { alias }
            }
            T::StrComplete | T::StrLeft => {
                // Legacy form of `extension`: `import 'az@1.0.0' [with {…}] [as name]`.
                return Ok(StatementKind::Extension(self.extension(true)?));
            }
            _ => return Err(self.expected("`{`, `*` or a string after `import`")),
        };
        self.expect_kw("from", "`from` after the imported names")?;
        let from = self.string_token("the path to import from (a string)")?;
        Ok(StatementKind::Import(Import { items, from }))
    }

    fn import_item(&mut self) -> PResult<ImportItem> {
        let t = self.peek();
        let name = match t.kind {
            T::Ident => ImportName::Ident(self.ident("a name")?),
            T::StrComplete => ImportName::Str(self.string()?),
            _ => return Err(self.expected("a name to import")),
        };
        let alias = if self.at_kw("as") {
            self.bump();
            Some(self.ident("an alias after `as`")?)
        } else {
            None
        };
        if alias.is_none() && matches!(name, ImportName::Str(_)) {
            return Err(self.expected("`as` and a name after a quoted import name"));
        }
        Ok(ImportItem {
            name,
            alias,
            span: self.since(self.tspan(t)),
        })
    }

    fn extension(&mut self, legacy_import: bool) -> PResult<Extension> {
        let spec = match self.peek().kind {
            T::Ident if !legacy_import => ExtensionSpec::Name(self.ident("an extension")?),
            T::StrComplete | T::StrLeft => ExtensionSpec::Str(self.string()?),
            _ => return Err(self.expected("an extension name or reference string")),
        };
        let config = if self.at_kw("with") {
            self.bump();
            Some(self.object(VALUE)?)
        } else {
            None
        };
        let alias = if self.at_kw("as") {
            self.bump();
            Some(self.ident("an alias after `as`")?)
        } else {
            None
        };
        Ok(Extension {
            spec,
            config,
            alias,
            legacy_import,
        })
    }

    /// A string that is part of a declaration's syntax (resource type, module path, …).
    fn string_token(&mut self, what: &str) -> PResult<Str> {
        match self.peek().kind {
            T::StrComplete | T::StrLeft => self.string(),
            _ => Err(self.expected(what)),
        }
    }

    // ----- lists -----

    /// The elements of `{…}` or `[…]` after the opening bracket, up to (not including)
    /// `close`: separated by one comma or by newlines, never a comma then a newline; a
    /// trailing comma on the closing line is fine.
    fn elements<X>(
        &mut self,
        close: T,
        what: &str,
        mut item: impl FnMut(&mut Self) -> PResult<X>,
    ) -> PResult<Vec<X>> {
        let mut out = Vec::new();
        if self.at(close) {
            return Ok(out);
        }
        self.skip_newlines();
        let closing = if close == T::RBrace { "`}`" } else { "`]`" };
        loop {
            let t = self.peek();
            if t.kind == close {
                break;
            }
            if t.kind == T::Eof {
                return Err(self.error_at(
                    t,
                    format!("expected {closing} to close {what}, found the end of the file"),
                ));
            }
            out.push(item(self)?);
            let t = self.peek();
            match t.kind {
                k if k == close => break,
                T::NewLine => self.skip_newlines(),
                T::Comma => {
                    self.bump();
                    if self.at(T::NewLine) {
                        return Err(self.error_at(
                            t,
                            "a `,` may not be followed by a new line: separate elements with either a comma or a new line",
                        ));
                    }
                }
                T::Eof => {
                    return Err(self.error_at(
                        t,
                        format!("expected {closing} to close {what}, found the end of the file"),
                    ));
                }
                _ => {
                    let found = self.describe(t);
                    return Err(self.error_at(
                        t,
                        format!("expected a comma or a new line between the elements of {what}, found {found}"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// `(args)` after a function name (the `(` is the current token).
    fn call(&mut self, target: Option<Expr>, name: Ident, flags: Flags) -> PResult<Expr> {
        let open = self.bump_span();
        self.enter()?;
        let mut args = Vec::new();
        self.skip_newlines();
        if !self.at(T::RParen) {
            loop {
                args.push(self.expr(flags)?);
                if self.at(T::NewLine) {
                    self.skip_newlines();
                    let t = self.peek();
                    if t.kind == T::Comma {
                        return Err(self.error_at(
                            t,
                            "a `,` between function arguments goes before the line break, not after it",
                        ));
                    }
                    if t.kind != T::RParen {
                        return Err(self.expected("`,` or `)` after the function's argument"));
                    }
                }
                let t = self.peek();
                match t.kind {
                    T::RParen => break,
                    T::Comma => {
                        self.bump();
                        self.skip_newlines();
                        if self.at(T::RParen) {
                            return Err(self.error_at(
                                t,
                                "a trailing `,` is not allowed in a function's arguments",
                            ));
                        }
                    }
                    _ => return Err(self.expected("`,` or `)` after the function's argument")),
                }
            }
        }
        let close = self.bump();
        self.leave(1);
        let args_span = open.to(self.tspan(close));
        let start = target.as_ref().map_or(name.span, |t| t.span);
        Ok(Expr {
            span: start.to(args_span),
            kind: ExprKind::Call(Box::new(Call {
                target,
                name,
                args,
                args_span,
            })),
        })
    }

    // ----- expressions -----

    // The recursive path (expr → binary → unary → postfix → primary → …) is split into
    // small functions so that each nesting level costs little stack, in debug builds too.

    fn expr(&mut self, flags: Flags) -> PResult<Expr> {
        self.enter()?;
        let cond = self.binary(flags, 0)?;
        // A newline may come before `?` and before `:`.
        let question =
            self.at(T::Question) || (self.at(T::NewLine) && self.nth(1).kind == T::Question);
        let out = if question {
            self.ternary(cond, flags)
        } else {
            Ok(cond)
        };
        self.leave(1);
        out
    }

    fn ternary(&mut self, cond: Expr, flags: Flags) -> PResult<Expr> {
        self.skip_newlines();
        self.bump();
        let then = self.expr(flags)?;
        if self.at(T::NewLine) && self.nth(1).kind == T::Colon {
            self.skip_newlines();
        }
        self.expect(
            T::Colon,
            "`:` in the conditional expression `condition ? a : b`",
        )?;
        let otherwise = self.expr(flags)?;
        Ok(Expr {
            span: cond.span.to(otherwise.span),
            kind: ExprKind::Ternary(Box::new(cond), Box::new(then), Box::new(otherwise)),
        })
    }

    fn binary(&mut self, flags: Flags, min: u8) -> PResult<Expr> {
        let mut lhs = self.unary(flags)?;
        let mut levels = 0;
        while let Some((op, prec)) = binary_op(self.peek().kind) {
            if prec <= min {
                break;
            }
            self.bump();
            // A long chain builds a deep tree: count it like nesting.
            self.enter()?;
            levels += 1;
            let rhs = self.binary(flags, prec)?;
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            };
        }
        self.leave(levels);
        Ok(lhs)
    }

    fn unary(&mut self, flags: Flags) -> PResult<Expr> {
        let op = match self.peek().kind {
            T::Bang => UnaryOp::Not,
            T::Minus => UnaryOp::Neg,
            _ => return self.postfix(flags),
        };
        let t = self.bump();
        let operand = self.postfix(flags)?;
        Ok(Expr {
            span: self.tspan(t).to(operand.span),
            kind: ExprKind::Unary(op, Box::new(operand)),
        })
    }

    fn postfix(&mut self, flags: Flags) -> PResult<Expr> {
        let mut e = self.primary(flags)?;
        let mut levels = 0;
        loop {
            let kind = self.peek().kind;
            if !matches!(kind, T::LSquare | T::Dot | T::DoubleColon | T::Bang) {
                break;
            }
            // A long chain builds a deep tree: count it like nesting.
            self.enter()?;
            levels += 1;
            e = match kind {
                T::LSquare => self.index(e, flags)?,
                T::Dot => self.dot(e, flags)?,
                T::DoubleColon => self.resource_access(e)?,
                _ => {
                    let bang = self.bump_span();
                    Expr {
                        span: e.span.to(bang),
                        kind: ExprKind::NonNull(Box::new(e)),
                    }
                }
            };
        }
        self.leave(levels);
        Ok(e)
    }

    /// `[index]`, `[?index]`, `[^index]`, `[?^index]` after `target`.
    fn index(&mut self, target: Expr, flags: Flags) -> PResult<Expr> {
        self.bump();
        let safe = self.eat(T::Question).is_some();
        let from_end = self.eat(T::Hat).is_some();
        if self.at(T::RSquare) {
            let t = self.peek();
            return Err(self.error_at(t, "expected an index expression inside `[…]`, found `]`"));
        }
        let index = self.expr(flags)?;
        let close = self.expect(T::RSquare, "`]` to close the index")?;
        Ok(Expr {
            span: target.span.to(self.tspan(close)),
            kind: ExprKind::Index {
                target: Box::new(target),
                index: Box::new(index),
                safe,
                from_end,
            },
        })
    }

    /// `.name`, `.?name` or `.name(args)` after `target`.
    fn dot(&mut self, target: Expr, flags: Flags) -> PResult<Expr> {
        let dot = self.bump();
        let question = self.eat(T::Question);
        let t = self.peek();
        if t.kind == T::Int
            && matches!(target.kind, ExprKind::Int(_))
            && target.span.end == dot.start
        {
            return Err(ParseError {
                span: target.span.to(self.tspan(t)),
                message: "Bicep has no decimal numbers: write the value as a string, or `json('…')` where a number is needed".into(),
            });
        }
        let name = self.ident("a property or function name after `.`")?;
        if self.at(T::LParen) {
            if let Some(q) = question {
                return Err(self.error_at(q, "a function cannot be called with `.?`; use `.`"));
            }
            return self.call(Some(target), name, flags);
        }
        Ok(Expr {
            span: target.span.to(name.span),
            kind: ExprKind::Member {
                target: Box::new(target),
                name,
                safe: question.is_some(),
            },
        })
    }

    fn resource_access(&mut self, target: Expr) -> PResult<Expr> {
        self.bump();
        let name = self.ident("a child resource name after `::`")?;
        Ok(Expr {
            span: target.span.to(name.span),
            kind: ExprKind::ResourceAccess {
                target: Box::new(target),
                name,
            },
        })
    }

    fn primary(&mut self, flags: Flags) -> PResult<Expr> {
        let t = self.peek();
        match t.kind {
            T::Int => self.int_literal(),
            T::Ident => self.name_or_call(flags),
            T::StrComplete | T::StrLeft | T::MultilineStr => self.string_expr(),
            T::LBrace | T::LSquare if !flags.complex => Err(self.error_at(
                t,
                "object and array literals are not allowed inside a string interpolation `${…}`",
            )),
            T::LBrace => self.object_expr(),
            T::LSquare => {
                let after = if self.nth(1).kind == T::NewLine {
                    self.nth(2)
                } else {
                    self.nth(1)
                };
                if self.is_kw(after, "for") {
                    self.for_expr()
                } else {
                    self.array()
                }
            }
            T::LParen => self.paren_or_lambda(flags),
            T::StrMiddle | T::StrRight => {
                Err(self.error_at(t, "expected an expression inside `${…}`, found `}`"))
            }
            _ => Err(self.expected("an expression")),
        }
    }

    fn int_literal(&mut self) -> PResult<Expr> {
        let t = self.bump();
        match self.text(t).parse::<u64>() {
            Ok(n) => Ok(Expr {
                kind: ExprKind::Int(n),
                span: self.tspan(t),
            }),
            Err(_) => Err(self.error_at(t, "the integer is too large")),
        }
    }

    /// `true`, `false`, `null`, a symbol, a call `f(…)` or a lambda `x => …`.
    fn name_or_call(&mut self, flags: Flags) -> PResult<Expr> {
        let t = self.bump();
        let span = self.tspan(t);
        let kind = match self.text(t) {
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "null" => ExprKind::Null,
            _ => {
                let name = self.ident_of(t);
                return match self.peek().kind {
                    T::LParen => self.call(None, name, flags),
                    T::Arrow => self.lambda_body(vec![name], span),
                    _ => Ok(Expr {
                        span,
                        kind: ExprKind::Var(name),
                    }),
                };
            }
        };
        Ok(Expr { kind, span })
    }

    fn string_expr(&mut self) -> PResult<Expr> {
        let s = self.string()?;
        Ok(Expr {
            span: s.span,
            kind: ExprKind::Str(s),
        })
    }

    fn object_expr(&mut self) -> PResult<Expr> {
        let o = self.object(VALUE)?;
        Ok(Expr {
            span: o.span,
            kind: ExprKind::Object(o),
        })
    }

    fn array(&mut self) -> PResult<Expr> {
        let open = self.bump_span();
        self.enter()?;
        let items = self.elements(T::RSquare, "the array", |p| {
            if p.at(T::Ellipsis) {
                Ok(ArrayItem::Spread(p.spread()?))
            } else {
                Ok(ArrayItem::Value(p.expr(VALUE)?))
            }
        })?;
        let close = self.expect(T::RSquare, "`]` to close the array")?;
        self.leave(1);
        Ok(Expr {
            span: open.to(self.tspan(close)),
            kind: ExprKind::Array(items),
        })
    }

    fn spread(&mut self) -> PResult<Spread> {
        let dots = self.bump_span();
        let value = self.expr(VALUE)?;
        Ok(Spread {
            span: dots.to(value.span),
            value,
        })
    }

    fn object(&mut self, flags: Flags) -> PResult<Object> {
        let open = self.expect(T::LBrace, "`{`")?;
        let open = self.tspan(open);
        self.enter()?;
        let items = self.elements(T::RBrace, "the object", |p| p.object_item(flags))?;
        let close = self.expect(T::RBrace, "`}` to close the object")?;
        self.leave(1);
        Ok(Object {
            items,
            span: open.to(self.tspan(close)),
        })
    }

    fn object_item(&mut self, flags: Flags) -> PResult<ObjectItem> {
        let t = self.peek();
        if flags.resources
            && (t.kind == T::At || (self.is_kw(t, "resource") && self.nth(1).kind == T::Ident))
        {
            return self.nested_resource();
        }
        let key = match t.kind {
            T::Ellipsis => return Ok(ObjectItem::Spread(self.spread()?)),
            T::Ident => {
                let text = self.text(t);
                if matches!(text, "true" | "false" | "null") {
                    return Err(self.error_at(
                        t,
                        format!("`{text}` is a keyword and cannot be an object key: quote it (`'{text}'`)"),
                    ));
                }
                Key::Ident(self.ident("a property name")?)
            }
            T::StrComplete | T::StrLeft => Key::Str(self.string()?),
            _ => return Err(self.expected("a property name")),
        };
        self.expect(T::Colon, "`:` after the object key")?;
        let value = self.expr(VALUE)?;
        Ok(ObjectItem::Property(Property {
            span: key.span().to(value.span),
            key,
            value,
        }))
    }

    /// A child resource declared in a resource body, with its decorators.
    fn nested_resource(&mut self) -> PResult<ObjectItem> {
        let decorators = self.decorators()?;
        let kw = self.peek();
        if !self.is_kw(kw, "resource") {
            return Err(self.expected("a nested `resource` declaration after the decorators"));
        }
        self.bump();
        let keyword = self.tspan(kw);
        let resource = self.resource(keyword)?;
        let start = decorators.first().map_or(keyword, |d| d.span);
        Ok(ObjectItem::Resource(Box::new(NestedResource {
            decorators,
            span: self.since(start),
            resource,
        })))
    }

    /// `(expr)` with newlines allowed inside (the `(` is the current token).
    fn paren_expr(&mut self, flags: Flags) -> PResult<Expr> {
        self.bump();
        self.skip_newlines();
        let e = self.expr(flags)?;
        self.skip_newlines();
        self.expect(T::RParen, "`)` to close the parentheses")?;
        Ok(e)
    }

    /// `(expr)`, or a lambda `(a, b) => body` / `() => body`.
    fn paren_or_lambda(&mut self, flags: Flags) -> PResult<Expr> {
        let open = self.bump_span();
        self.enter()?;
        let mut items = Vec::new();
        let mut commas = Vec::new();
        self.skip_newlines();
        while !self.at(T::RParen) {
            items.push(self.expr(flags)?);
            self.skip_newlines();
            match self.eat(T::Comma) {
                Some(c) => {
                    commas.push(c);
                    self.skip_newlines();
                }
                None => break,
            }
        }
        self.expect(T::RParen, "`)` to close the parentheses")?;
        self.leave(1);
        if self.at(T::Arrow) {
            let mut params = Vec::with_capacity(items.len());
            for e in items {
                match e.kind {
                    ExprKind::Var(i) => params.push(i),
                    _ => {
                        return Err(ParseError {
                            span: e.span,
                            message: "a lambda parameter must be a plain name".into(),
                        });
                    }
                }
            }
            return self.lambda_body(params, open);
        }
        let mut items = items.into_iter();
        match (items.next(), items.next()) {
            (Some(e), None) if commas.is_empty() => Ok(e),
            (None, _) => Err(ParseError {
                span: open,
                message: "expected an expression inside `(…)`, found `)`".into(),
            }),
            _ => {
                let c = commas.first().copied().unwrap_or_else(|| self.peek());
                Err(self.error_at(
                    c,
                    "parentheses hold exactly one expression (a `,` here is only valid in a lambda's parameters followed by `=>`)",
                ))
            }
        }
    }

    /// After the parameters of a lambda: `=> body` (the `=>` is the current token).
    fn lambda_body(&mut self, params: Vec<Ident>, start: Span) -> PResult<Expr> {
        self.bump();
        self.newlines_before_lambda_body();
        self.enter()?;
        let body = self.expr(VALUE)?;
        self.leave(1);
        Ok(Expr {
            span: start.to(body.span),
            kind: ExprKind::Lambda(Box::new(Lambda { params, body })),
        })
    }

    /// After `=>`, a line break is allowed unless a declaration follows it.
    fn newlines_before_lambda_body(&mut self) {
        if self.at(T::NewLine) {
            let next = self.nth(1);
            if !(next.kind == T::Ident && DECLARATION_KEYWORDS.contains(&self.text(next))) {
                self.skip_newlines();
            }
        }
    }

    /// `[for x in items: body]` outside a resource or module.
    fn for_expr(&mut self) -> PResult<Expr> {
        let open = self.bump_span();
        self.enter()?;
        self.skip_newlines();
        self.bump(); // `for`
        let (item, index) = self.loop_vars()?;
        self.expect_kw("in", "`in` after the loop variable")?;
        let iterable = self.expr(VALUE)?;
        self.expect(T::Colon, "`:` after the loop's collection")?;
        let body = self.expr(VALUE)?;
        self.skip_newlines();
        let close = self.expect(T::RSquare, "`]` to close the `for` expression")?;
        self.leave(1);
        Ok(Expr {
            span: open.to(self.tspan(close)),
            kind: ExprKind::For(Box::new(ForExpr {
                item,
                index,
                iterable,
                body,
            })),
        })
    }

    /// A string literal: the current token is `StrComplete`, `StrLeft` or `MultilineStr`.
    fn string(&mut self) -> PResult<Str> {
        let first = self.bump();
        let form = match first.kind {
            T::MultilineStr => StrForm::Multiline,
            _ if self.text(first).starts_with('$') => StrForm::MultilineInterpolated {
                dollars: u32::try_from(self.text(first).bytes().take_while(|b| *b == b'$').count())
                    .unwrap_or(u32::MAX),
            },
            _ => StrForm::Quoted,
        };
        let mut segments = vec![self.take_segment(first)];
        let mut holes = Vec::new();
        let mut last = first;
        if first.kind == T::StrLeft {
            self.enter()?;
            loop {
                holes.push(self.expr(IN_HOLE)?);
                let t = self.peek();
                match t.kind {
                    T::StrMiddle | T::StrRight => {
                        self.bump();
                        segments.push(self.take_segment(t));
                        last = t;
                        if t.kind == T::StrRight {
                            break;
                        }
                    }
                    _ => return Err(self.expected("`}` to close the `${…}` interpolation")),
                }
            }
            self.leave(1);
        }
        Ok(Str {
            segments,
            holes,
            form,
            span: self.tspan(first).to(self.tspan(last)),
        })
    }

    fn take_segment(&mut self, t: Token) -> Segment {
        self.segs
            .get_mut(t.seg as usize)
            .and_then(Option::take)
            .unwrap_or_else(|| Segment {
                value: Arc::from(""),
                raw: Span::new(self.file, t.start as usize, t.start as usize),
                table: None,
            })
    }

    // ----- types -----

    /// A declaration's type: `resource 'T@v'` or a type expression. On outputs the
    /// resource type string is optional.
    fn declared_type(&mut self, output: bool, what: &str) -> PResult<TypeExpr> {
        let t = self.peek();
        if self.is_kw(t, "resource") && self.nth(1).kind != T::Less {
            self.bump();
            let kw = self.tspan(t);
            let ty = match self.peek().kind {
                T::StrComplete | T::StrLeft => Some(self.string()?),
                _ if output => None,
                _ => return Err(self.expected("the resource type string after `resource`")),
            };
            return Ok(TypeExpr {
                span: ty.as_ref().map_or(kw, |s| kw.to(s.span)),
                kind: TypeKind::Resource(ty),
            });
        }
        match t.kind {
            T::NewLine if self.nth(1).kind == T::Pipe => self.type_expr(),
            T::NewLine | T::Eof | T::Assign | T::Arrow => Err(self.expected(what)),
            _ => self.type_expr(),
        }
    }

    /// A union or a single type. A newline may come before each `|`.
    fn type_expr(&mut self) -> PResult<TypeExpr> {
        self.enter()?;
        let start = self.peek();
        let leading = self.pipe_next();
        if leading {
            self.skip_newlines();
            self.bump();
        }
        let first = self.unary_type()?;
        let out = if leading || self.pipe_next() {
            self.union(first, self.tspan(start))
        } else {
            Ok(first)
        };
        self.leave(1);
        out
    }

    /// A `|` follows, possibly on the next line.
    fn pipe_next(&self) -> bool {
        self.at(T::Pipe) || (self.at(T::NewLine) && self.nth(1).kind == T::Pipe)
    }

    /// The rest of a union after its first member.
    fn union(&mut self, first: TypeExpr, start: Span) -> PResult<TypeExpr> {
        let mut members = vec![first];
        while self.pipe_next() {
            self.skip_newlines();
            self.bump();
            if self.at(T::NewLine) {
                return Err(self.expected("a type after `|`"));
            }
            members.push(self.unary_type()?);
        }
        let span = start.to(members.last().map_or(start, |m| m.span));
        Ok(TypeExpr {
            span,
            kind: TypeKind::Union(members),
        })
    }

    fn unary_type(&mut self) -> PResult<TypeExpr> {
        let t = self.peek();
        let mut ty = match t.kind {
            T::Minus | T::Bang => self.negated_type()?,
            _ => self.member_type()?,
        };
        let mut levels = 0;
        while matches!(self.peek().kind, T::Question | T::Bang) {
            // A long chain builds a deep tree: count it like nesting.
            self.enter()?;
            levels += 1;
            let q = self.bump();
            let span = ty.span.to(self.tspan(q));
            let inner = Box::new(ty);
            ty = TypeExpr {
                span,
                kind: if q.kind == T::Question {
                    TypeKind::Nullable(inner)
                } else {
                    TypeKind::NonNull(inner)
                },
            };
        }
        self.leave(levels);
        Ok(ty)
    }

    /// `-1` or `!true` as a literal type.
    fn negated_type(&mut self) -> PResult<TypeExpr> {
        let t = self.bump();
        let op = if t.kind == T::Minus {
            UnaryOp::Neg
        } else {
            UnaryOp::Not
        };
        let inner = self.member_type()?;
        Ok(TypeExpr {
            span: self.tspan(t).to(inner.span),
            kind: TypeKind::Unary(op, Box::new(inner)),
        })
    }

    fn member_type(&mut self) -> PResult<TypeExpr> {
        let mut ty = self.primary_type()?;
        let mut levels = 0;
        while matches!(self.peek().kind, T::LSquare | T::Dot) {
            // A long chain builds a deep tree: count it like nesting.
            self.enter()?;
            levels += 1;
            ty = if self.at(T::LSquare) {
                self.type_bracket(ty)?
            } else {
                self.type_dot(ty)?
            };
        }
        self.leave(levels);
        Ok(ty)
    }

    /// `T[]`, `T[*]` or `T[index]`.
    fn type_bracket(&mut self, ty: TypeExpr) -> PResult<TypeExpr> {
        self.bump();
        if let Some(close) = self.eat(T::RSquare) {
            return Ok(TypeExpr {
                span: ty.span.to(self.tspan(close)),
                kind: TypeKind::Array(Box::new(ty)),
            });
        }
        if self.eat(T::Star).is_some() {
            let close = self.expect(T::RSquare, "`]` after `[*`")?;
            return Ok(TypeExpr {
                span: ty.span.to(self.tspan(close)),
                kind: TypeKind::Items(Box::new(ty)),
            });
        }
        let index = self.expr(IN_HOLE)?;
        let close = self.expect(T::RSquare, "`]` to close the type index")?;
        Ok(TypeExpr {
            span: ty.span.to(self.tspan(close)),
            kind: TypeKind::Index {
                target: Box::new(ty),
                index: Box::new(index),
            },
        })
    }

    /// `T.*`, `T.name` or `T.name<args>`.
    fn type_dot(&mut self, ty: TypeExpr) -> PResult<TypeExpr> {
        self.bump();
        if let Some(star) = self.eat(T::Star) {
            return Ok(TypeExpr {
                span: ty.span.to(self.tspan(star)),
                kind: TypeKind::AdditionalProperties(Box::new(ty)),
            });
        }
        let name = self.ident("a property or type name after `.`")?;
        if self.at(T::Less) {
            return self.generic(Some(ty), name);
        }
        Ok(TypeExpr {
            span: ty.span.to(name.span),
            kind: TypeKind::Member {
                target: Box::new(ty),
                name,
            },
        })
    }

    /// `name<args>` (the `<` is the current token).
    fn generic(&mut self, target: Option<TypeExpr>, name: Ident) -> PResult<TypeExpr> {
        self.bump();
        self.enter()?;
        let mut args = Vec::new();
        self.skip_newlines();
        if !self.at(T::Greater) {
            loop {
                args.push(self.type_expr()?);
                self.skip_newlines();
                if self.eat(T::Comma).is_some() {
                    self.skip_newlines();
                    continue;
                }
                break;
            }
        }
        let close = self.expect(T::Greater, "`>` to close the type arguments")?;
        self.leave(1);
        let start = target.as_ref().map_or(name.span, |t| t.span);
        Ok(TypeExpr {
            span: start.to(self.tspan(close)),
            kind: TypeKind::Generic {
                target: target.map(Box::new),
                name,
                args,
            },
        })
    }

    fn primary_type(&mut self) -> PResult<TypeExpr> {
        let t = self.peek();
        let span = self.tspan(t);
        match t.kind {
            T::Int => {
                self.bump();
                match self.text(t).parse::<u64>() {
                    Ok(n) => Ok(TypeExpr {
                        kind: TypeKind::Int(n),
                        span,
                    }),
                    Err(_) => Err(self.error_at(t, "the integer is too large")),
                }
            }
            T::Ident => {
                self.bump();
                let kind = match self.text(t) {
                    "true" => TypeKind::Bool(true),
                    "false" => TypeKind::Bool(false),
                    "null" => TypeKind::Null,
                    _ => {
                        let name = self.ident_of(t);
                        if self.at(T::Less) {
                            return self.generic(None, name);
                        }
                        TypeKind::Name(name)
                    }
                };
                Ok(TypeExpr { kind, span })
            }
            T::StrComplete | T::StrLeft | T::MultilineStr => {
                let s = self.string()?;
                Ok(TypeExpr {
                    span: s.span,
                    kind: TypeKind::Str(s),
                })
            }
            T::LBrace => self.object_type(),
            T::LSquare => self.tuple_type(),
            T::LParen => {
                self.bump();
                self.enter()?;
                let inner = self.type_expr()?;
                self.expect(T::RParen, "`)` to close the parenthesized type")?;
                self.leave(1);
                Ok(inner)
            }
            _ => Err(self.expected("a type")),
        }
    }

    fn object_type(&mut self) -> PResult<TypeExpr> {
        let open = self.bump_span();
        self.enter()?;
        let members = self.elements(T::RBrace, "the object type", |p| p.object_type_member())?;
        let close = self.expect(T::RBrace, "`}` to close the object type")?;
        self.leave(1);
        Ok(TypeExpr {
            span: open.to(self.tspan(close)),
            kind: TypeKind::Object(members),
        })
    }

    fn object_type_member(&mut self) -> PResult<ObjectTypeMember> {
        let decorators = self.decorators()?;
        let t = self.peek();
        let key = match t.kind {
            T::Ident => ObjectTypeKey::Ident(self.ident("a property name")?),
            T::StrComplete | T::StrLeft => ObjectTypeKey::Str(self.string()?),
            T::Star => ObjectTypeKey::Star(self.bump_span()),
            _ => return Err(self.expected("a property name or `*`")),
        };
        let optional = self.eat(T::Question).is_some();
        self.expect(T::Colon, "`:` after the property name")?;
        let ty = self.type_expr()?;
        let start = decorators.first().map_or(self.tspan(t), |d| d.span);
        Ok(ObjectTypeMember {
            span: start.to(ty.span),
            decorators,
            key,
            optional,
            ty,
        })
    }

    fn tuple_type(&mut self) -> PResult<TypeExpr> {
        let open = self.bump_span();
        self.enter()?;
        let items = self.elements(T::RSquare, "the tuple type", |p| {
            let decorators = p.decorators()?;
            let ty = p.type_expr()?;
            Ok(TupleTypeItem { decorators, ty })
        })?;
        let close = self.expect(T::RSquare, "`]` to close the tuple type")?;
        self.leave(1);
        Ok(TypeExpr {
            span: open.to(self.tspan(close)),
            kind: TypeKind::Tuple(items),
        })
    }
}

/// Binary operators and their precedence (higher binds tighter), as in Bicep.
fn binary_op(kind: T) -> Option<(BinaryOp, u8)> {
    Some(match kind {
        T::Star => (BinaryOp::Mul, 100),
        T::Slash => (BinaryOp::Div, 100),
        T::Percent => (BinaryOp::Mod, 100),
        T::Plus => (BinaryOp::Add, 90),
        T::Minus => (BinaryOp::Sub, 90),
        T::Greater => (BinaryOp::Greater, 80),
        T::GreaterEq => (BinaryOp::GreaterEq, 80),
        T::Less => (BinaryOp::Less, 80),
        T::LessEq => (BinaryOp::LessEq, 80),
        T::EqEq => (BinaryOp::Eq, 70),
        T::NotEq => (BinaryOp::NotEq, 70),
        T::EqI => (BinaryOp::EqI, 70),
        T::NotEqI => (BinaryOp::NotEqI, 70),
        T::AndAnd => (BinaryOp::And, 50),
        T::OrOr => (BinaryOp::Or, 40),
        T::DoubleQuestion => (BinaryOp::Coalesce, 30),
        _ => return None,
    })
}

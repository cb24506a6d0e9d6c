//! Bicep front end, part 1: the parser of `.bicep` and `.bicepparam` files into erlint's
//! own span-carrying syntax tree ([`ast`]). Evaluation into the model comes later.
//!
//! # What is parsed
//!
//! The whole current language (Bicep v0.40+): `targetScope`, `metadata`, `param`, `var`
//! (typed or not), `type`, `func`, `resource` (`existing`, `if (…)` bodies, `[for …]`
//! loops with an `if` filter, nested child resources with their decorators), `module`,
//! `output` (including `resource` outputs), `import` (`{…} from`, `* as … from`, and the
//! legacy `import 'spec'` extension form), `extension`, `assert`, `test`; decorators;
//! every expression form (literals, `'…${…}…'`, `'''…'''`, `$'''…'''` with any number of
//! `$`, objects and arrays with Bicep's separator rules, spread `...`, `?:`, `??`, the
//! binary and unary operators, `.`/`.?`/`[…]`/`[?…]`/`[^…]`/`::`/postfix `!`, calls on
//! functions, namespaces and instances, lambdas, `for` expressions); every type form
//! (unions, `?`, `!`, `[]`, literals, object and tuple types with decorators, `T.x`,
//! `T[*]`, `T.*`, `resourceInput<…>`); comments and the `#disable-next-line`,
//! `#disable-diagnostics` and `#restore-diagnostics` pragmas (kept in [`ast::BicepFile`]).
//! `.bicepparam` files: `using '…'`/`using none` (with `with {…}`), `extends`,
//! `param x = value`, `var`, `type`, `func`, `import`, `extension`, `extensionConfig`.
//!
//! Newlines are significant where Bicep makes them so: a declaration ends its line; a
//! decorator ends its line; elements of objects and arrays are separated by one comma or
//! by line breaks, never a comma followed by a line break; a `'…'` string (and its
//! `${}` holes) stays on one line. Line breaks are accepted inside `(…)` argument and
//! parameter lists (after `(`, after a `,`, before `)`), around a `[for …]`'s brackets,
//! between `=` and `if` of a resource or module, before `?` and `:` of a conditional,
//! before `|` in a union type, and after `=>` unless a declaration follows.
//!
//! # What is not checked
//!
//! Only syntax. Names, types, the placement of decorators and of declarations (a
//! `targetScope` after a resource, a decorator Bicep does not know), duplicate keys and
//! experimental-feature flags are left to later stages or not checked at all: a file the
//! Bicep compiler rejects for those reasons may parse here. The reverse must not happen:
//! a file Bicep parses must parse here.
//!
//! # Why a hand-written parser
//!
//! `tree-sitter-bicep` (crates.io 1.1.0, grammar unchanged since 2024-04) was measured
//! on current syntax (see `/work/shared/reference/bicep.md` §7): it produces ERROR
//! nodes on typed `var`, `extension`, spread, `[^n]`, postfix `!` in several positions,
//! `$'''` strings, `resourceInput<…>` and every `.bicepparam` assignment; it treats
//! newlines as whitespace, so Bicep's separator rules cannot be reported and some wrong
//! input parses silently (a `//` comment ending in `\` swallows the next line); and its
//! errors carry no message. It is also a C build step and a concrete tree that would
//! need converting anyway. The language is small (about fifteen statement forms, one
//! expression grammar, one type grammar), so this module is a modal lexer
//! (`lexer.rs`: a stack tells a `}` closing an interpolation hole from one closing an
//! object) and a recursive-descent parser (`parser.rs`) with a precedence table, shaped
//! like the compiler's own `Lexer.cs`/`Parser.cs`, which we can follow release by
//! release. Errors carry the exact token and a message saying what was expected.
//!
//! # Limits
//!
//! Parsing stops at the first error (no recovery). Nesting (brackets, parentheses,
//! interpolations, operator and access chains) is limited to [`MAX_DEPTH`] levels so
//! that hostile input gets an error instead of a stack overflow; time is linear in the
//! input.

pub mod ast;
mod lexer;
mod parser;

pub use ast::{BicepFile, FileKind};

use crate::source::{FileId, Span};
use std::fmt;

/// The deepest nesting the parser accepts (each bracket, parenthesis, interpolation,
/// binary operator in a chain, and access in a chain counts one level).
pub const MAX_DEPTH: usize = 100;

/// A syntax error: where (the offending token) and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses `text` (the contents of `file`) with the grammar of `kind`.
pub fn parse(text: &str, file: FileId, kind: FileKind) -> Result<BicepFile, ParseError> {
    let mut lexed = lexer::lex(text, file);
    let comments = std::mem::take(&mut lexed.comments);
    let pragmas = std::mem::take(&mut lexed.pragmas);
    let mut tree = parser::Parser::new(text, file, kind, lexed).file()?;
    tree.comments = comments;
    tree.pragmas = pragmas;
    Ok(tree)
}

#[cfg(test)]
mod tests;

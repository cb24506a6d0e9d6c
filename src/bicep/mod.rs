//! The Bicep front end: `.bicep` and `.bicepparam` files read natively (no Bicep CLI),
//! evaluated into the same model as ARM templates (ARM schema, Bicep syntax: fixes are
//! written `name: 'x'`).
//!
//! # API (what the run driver calls)
//!
//! - [`load`] → [`BicepSet`]: every Bicep file of the run parsed once, with what module
//!   paths, `using`/`extends`/`import` and `load*()` calls refer to (registered in the
//!   `SourceDb` before the parallel phase); [`BicepSet::evaluate_params`] turns the
//!   `.bicepparam` files into parameter files that pair with their `using` template like
//!   ARM parameter files; [`BicepSet::roots`] are the templates to evaluate (a file called
//!   as a module is evaluated through its calls).
//! - [`build`]: a template evaluated once per parameter file (or once with none) →
//!   a [`UnitOutput`], one model per evaluation.
//!
//! # What is evaluated
//!
//! Parameters (the parameter file, else the default, else Unknown), variables, user
//! functions, compile-time imports of variables and functions, loops (`[for (x, i) in …:
//! if (…) {…}]` on resources, modules, properties and values), conditions, lambdas, the ARM
//! function library (`az.`/`sys.` namespaces included), `loadTextContent`/
//! `loadJsonContent`/`loadFileAsBase64`, and symbolic references: `circuit.name`,
//! `circuit.type`, `circuit.apiVersion` are known when written; `circuit.id` is
//! `resourceId()` (Unknown unless an `existing` resource names its subscription and group,
//! but it names the resource, so references link); `circuit.properties.x` and a module's
//! `outputs` are read after deployment: Unknown. Nested child resources (relative types),
//! `parent:`, `existing`, modules (local `.bicep` and `.json`, registry modules and
//! template specs restored in the local cache, see [`registry`]) with their `params` and
//! `scope`; `targetScope` and module scopes feed the deployment scope (ER102) as nested
//! deployments do. Not evaluated (Unknown): `loadYamlContent`, `loadDirectoryFileInfo`,
//! `readEnvironmentVariable`, `getSecret`, extension resources' `scope:`, types. What
//! may deploy ExpressRoute resources erlint does not evaluate (a
//! `Microsoft.Resources/deployments` resource written in Bicep, a circuit's `properties`
//! from `loadYamlContent()`) is ER006, see [`unevaluated`].
//! Limits are in [`limits`].
//!
//! # Parsing
//!
//! ## What is parsed
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
//! ## What is not checked
//!
//! Only syntax. Names, types, the placement of decorators and of declarations (a
//! `targetScope` after a resource, a decorator Bicep does not know), duplicate keys and
//! experimental-feature flags are left to later stages or not checked at all: a file the
//! Bicep compiler rejects for those reasons may parse here. The reverse must not happen:
//! a file Bicep parses must parse here.
//!
//! ## Why a hand-written parser
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
//! ## Limits of the parser
//!
//! Parsing stops at the first error (no recovery). Nesting (brackets, parentheses,
//! interpolations, operator and access chains) is limited to [`MAX_DEPTH`] levels so
//! that hostile input gets an error instead of a stack overflow; time is linear in the
//! input.

pub mod ast;
mod decls;
mod eval;
mod lexer;
pub mod limits;
mod load;
mod params;
mod parser;
pub mod registry;
pub mod sites;
mod unevaluated;
#[cfg(test)]
mod visit;
mod walk;

pub use ast::{BicepFile, FileKind};
pub use load::{BicepSet, is_bicep_name, load};
pub use params::textual_using as using_target;

use crate::arm::ParameterFile;
use crate::diagnostic::Diagnostic;
use crate::model::{ArmScope, UnitOutput};
use crate::source::{FileId, SourceDb, Span};
use eval::{Ctx, Eval, Supplied};
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

/// Whether a JSON text is a template `bicep build` wrote (`metadata._generator.name` is
/// `"bicep"`). A textual look: the generator block is at the top of the compiled file.
pub fn is_generated(text: &str) -> bool {
    let Some(at) = text.find("\"_generator\"") else {
        return false;
    };
    let block = text.get(at..).unwrap_or("");
    let block = block
        .get(..block.find('}').unwrap_or(block.len()))
        .unwrap_or("");
    block.split("\"name\"").nth(1).is_some_and(|rest| {
        rest.trim_start()
            .strip_prefix(':')
            .is_some_and(|v| v.trim_start().starts_with("\"bicep\""))
    })
}

/// Evaluate `template` once per parameter file (or once with none): one model per
/// parameter file (in the order given), or one with none, none when the file does not
/// parse; the syntax errors of the files evaluated (ER001), and problems evaluation found
/// (reference cycles, unreadable `load*()` files, limits), once each.
pub fn build(
    db: &SourceDb,
    set: &BicepSet,
    template: FileId,
    params: &[&ParameterFile],
) -> UnitOutput {
    let (files, syntax_errors) = set.files_of(db, template);
    if !files.contains_key(&template) {
        return UnitOutput::new(Vec::new(), syntax_errors);
    }
    let mut ev = Eval::new(db, set, &files);
    let mut limit_notes = Vec::new();
    let runs: Vec<Option<&ParameterFile>> = if params.is_empty() {
        vec![None]
    } else {
        params.iter().map(|p| Some(*p)).collect()
    };
    let mut models = Vec::with_capacity(runs.len());
    for pf in runs {
        ev.reset();
        let supplied = match pf {
            Some(p) => match &p.unusable {
                Some(why) => Supplied::AllUnknown(why.clone()),
                None => Supplied::Values(p.values.clone()),
            },
            None => Supplied::None,
        };
        let Some(decls) = ev.decls(template) else {
            continue;
        };
        let target = decls.target_scope;
        let scope = ev.add_scope(decls, supplied);
        let deployed_at = match target.map(|e| ev.expr(&Ctx::new(scope), e)) {
            Some(v) => match v.as_str() {
                Some("subscription") => ArmScope::Subscription,
                Some("managementGroup") => ArmScope::ManagementGroup,
                Some("tenant") => ArmScope::Tenant,
                _ => ArmScope::ResourceGroup,
            },
            None => ArmScope::ResourceGroup,
        };
        // One budget per evaluation (per parameter file); its limits are ER005s.
        let (model, hits) = crate::limits::run(|| {
            let mut w = walk::Walker::new(&mut ev, pf.map(|p| p.file));
            w.template(&walk::Site::root(deployed_at, template), scope);
            w.finish()
        });
        for d in crate::limits::diagnostics(&hits) {
            let repeated = limit_notes
                .iter()
                .any(|x: &Diagnostic| x.primary == d.primary && x.message == d.message);
            if !repeated {
                limit_notes.push(d);
            }
        }
        models.push(model);
    }
    let mut diagnostics = syntax_errors;
    diagnostics.extend(ev.take_diagnostics());
    diagnostics.extend(limit_notes);
    diagnostics.sort_by_key(|d| (d.primary.file, d.primary.start, d.primary.end));
    UnitOutput::new(models, diagnostics)
}

#[cfg(test)]
mod tests;

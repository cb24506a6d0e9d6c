//! Finding the Bicep files of a run before evaluation: every `.bicep` and `.bicepparam`
//! file found, and everything they refer to, registered in the [`SourceDb`]: local
//! modules (`.bicep`, or `.json` ARM templates read by the ARM front end), registry
//! modules and template specs restored in the local module cache ([`super::registry`]),
//! `using`/`extends`/`import` targets, and the files `load*Content()` reads. References
//! are read from the tokens (the lexer, in parallel: cheaper than a parse, and exact about
//! comments and strings); each unit then parses the files it evaluates
//! ([`BicepSet::files_of`]), once, and reports their syntax errors. Evaluation
//! ([`super::build`]) only reads the set, so units run in parallel.

use super::ast::{BicepFile, FileKind, Str};
use super::registry::{self, Reference};
use crate::arm::ParameterFile;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceDb, Span};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where a module call leads.
#[derive(Clone, Debug)]
pub enum ModuleTarget {
    /// A Bicep file.
    Bicep(FileId),
    /// An ARM template (a local `.json`, or a registry module's compiled `main.json`); for
    /// a template spec the template is the file's `properties.mainTemplate`.
    Arm { file: FileId, template_spec: bool },
    /// Not followed: why, and what to do.
    NotFollowed { message: String, help: String },
}

/// Parsed Bicep files, by id: what one unit evaluates.
pub type Files = HashMap<FileId, BicepFile>;

/// The functions that read a file at compile time (their first argument is its path).
pub const LOAD_FUNCTIONS: [&str; 5] = [
    "loadTextContent",
    "loadJsonContent",
    "loadYamlContent",
    "loadFileAsBase64",
    "loadDirectoryFileInfo",
];

/// Every Bicep file of the run, with what its references resolve to. The syntax trees are
/// not kept (they are several times the size of the text): a unit parses the files it
/// evaluates again ([`BicepSet::files_of`]), so memory stays per unit.
#[derive(Debug, Default)]
pub struct BicepSet {
    /// The files read, and with which grammar (by extension).
    kinds: HashMap<FileId, FileKind>,
    /// The Bicep files each file refers to (modules, `using`, `extends`, `import`).
    deps: HashMap<FileId, Vec<FileId>>,
    /// Module calls, by file and the start of the path string.
    modules: HashMap<(FileId, u32), ModuleTarget>,
    /// `using`, `extends` and `import … from` paths (local files), by file and the start of
    /// the path string.
    links: HashMap<(FileId, u32), FileId>,
    /// The files `load*()` calls read, by file and the start of the path argument.
    data: HashMap<(FileId, u32), FileId>,
    /// The files found by discovery (the others were reached by following references).
    scanned: Vec<FileId>,
    /// `.bicepparam` files and the local template their `using` names.
    usings: Vec<(FileId, FileId)>,
    /// Module calls between Bicep files: caller → called files.
    calls: HashMap<FileId, Vec<FileId>>,
    /// `.bicepparam` files read, parsed or not.
    param_ids: Vec<FileId>,
    /// Bicep templates read (found or followed), parsed or not.
    templates_read: usize,
    /// `.bicepparam` files, evaluated into parameter values ([`BicepSet::evaluate_params`]).
    params: Vec<ParameterFile>,
    /// Problems of the files themselves: ER001, ER002.
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a file name is a Bicep file (`.bicep` or `.bicepparam`).
pub fn is_bicep_name(name: &str) -> bool {
    // Compared in place: asked for every file of the walk.
    let ends_with = |suffix: &str| {
        name.len()
            .checked_sub(suffix.len())
            .and_then(|start| name.as_bytes().get(start..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix.as_bytes()))
    };
    ends_with(".bicep") || ends_with(".bicepparam")
}

impl BicepSet {
    /// Whether `id` is a Bicep file of the run that could be read.
    pub fn has(&self, id: FileId) -> bool {
        self.kinds.contains_key(&id)
    }

    /// `root` and the Bicep files it reaches (modules, imports, `extends`), parsed, with
    /// the syntax errors of those that do not parse (ER001; every unit that reaches a file
    /// reports it, and the run keeps one of identical reports).
    pub fn files_of(&self, db: &SourceDb, root: FileId) -> (Files, Vec<Diagnostic>) {
        let mut out = Files::new();
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![root];
        while let Some(f) = stack.pop() {
            if !seen.insert(f) || !self.has(f) {
                continue;
            }
            match parse_file(db, f) {
                Ok(ast) => {
                    out.insert(f, ast);
                }
                Err(d) => errors.push(d),
            }
            stack.extend(self.deps.get(&f).into_iter().flatten().copied());
        }
        (out, errors)
    }

    pub fn module(&self, file: FileId, path: &Str) -> Option<&ModuleTarget> {
        self.modules.get(&(file, path.span.start))
    }

    pub fn link(&self, file: FileId, path: &Str) -> Option<FileId> {
        self.links.get(&(file, path.span.start)).copied()
    }

    pub fn data(&self, file: FileId, arg: Span) -> Option<FileId> {
        self.data.get(&(file, arg.start)).copied()
    }

    /// The files `load*()` calls read (data the Bicep evaluates, not templates of their
    /// own).
    pub fn data_files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.data.values().copied()
    }

    /// The templates to evaluate: the `.bicep` files found that no Bicep file of the run
    /// calls as a module (a called file is evaluated through its calls, once per call),
    /// or that are called only through a cycle of calls back to themselves (Bicep rejects
    /// the cycle; the file is still linted, and the cycle is noted where it closes); and
    /// the templates that `.bicepparam` files found name in `using` although they were not
    /// found themselves (`envs/prod/prod.bicepparam` with `using '../../main.bicep'`, the
    /// directory `envs` linted): evaluated with those parameter files, else these would
    /// pair with nothing, and the run pass in silence.
    pub fn roots(&self) -> Vec<FileId> {
        let mut callers: HashMap<FileId, Vec<FileId>> = HashMap::new();
        for (from, to) in &self.calls {
            for t in to {
                callers.entry(*t).or_default().push(*from);
            }
        }
        let mut out: Vec<FileId> = self
            .scanned
            .iter()
            .copied()
            .filter(|f| {
                let is_template = self.kinds.get(f) == Some(&FileKind::Template);
                let outside = callers.get(f).is_some_and(|cs| {
                    let reach = self.reachable(*f);
                    cs.iter().any(|c| !reach.contains(c))
                });
                is_template && !outside
            })
            .collect();
        let scanned: HashSet<FileId> = self.scanned.iter().copied().collect();
        out.extend(
            self.usings
                .iter()
                .filter(|(p, t)| {
                    scanned.contains(p)
                        && !scanned.contains(t)
                        && self.kinds.get(t) == Some(&FileKind::Template)
                })
                .map(|(_, t)| *t),
        );
        out.sort();
        out.dedup();
        out
    }

    /// The files `from` calls, directly or not (itself included).
    fn reachable(&self, from: FileId) -> HashSet<FileId> {
        let mut seen: HashSet<FileId> = [from].into_iter().collect();
        let mut stack = vec![from];
        while let Some(f) = stack.pop() {
            for t in self.calls.get(&f).into_iter().flatten() {
                if seen.insert(*t) {
                    stack.push(*t);
                }
            }
        }
        seen
    }

    /// How many `.bicep` files were read (found or followed as modules).
    pub fn templates_read(&self) -> usize {
        self.templates_read
    }

    /// The `.bicepparam` files of the run (found, or reached by `extends`).
    pub fn param_files(&self) -> Vec<FileId> {
        let mut out = self.param_ids.clone();
        out.sort();
        out
    }

    /// The `.bicepparam` files as parameter files (after [`BicepSet::evaluate_params`]).
    pub fn take_params(&mut self) -> Vec<ParameterFile> {
        std::mem::take(&mut self.params)
    }

    /// Evaluate every `.bicepparam` file of the run into parameter values (in parallel).
    pub fn evaluate_params(&mut self, db: &SourceDb, files: &[FileId]) {
        let out: Vec<(ParameterFile, Vec<Diagnostic>)> = files
            .par_iter()
            .map(|f| super::params::evaluate(db, self, *f))
            .collect();
        for (pf, diags) in out {
            self.diagnostics.extend(diags);
            self.params.push(pf);
        }
    }
}

/// Parse `files` (registered already) and everything they refer to; `add` registers a
/// file reached by a reference (or returns its id when it is registered). Texts are read
/// for the references only, not kept: a unit parses its files again.
pub fn load(
    db: &mut SourceDb,
    files: &[FileId],
    add: &mut dyn FnMut(&mut SourceDb, &Path) -> FileId,
) -> BicepSet {
    let mut set = BicepSet {
        scanned: files.to_vec(),
        ..BicepSet::default()
    };
    let mut queued: HashSet<FileId> = files.iter().copied().collect();
    let mut round: Vec<FileId> = files.to_vec();
    let mut configs: HashMap<PathBuf, registry::Config> = HashMap::new();
    while !round.is_empty() {
        let db_ref: &SourceDb = db;
        // Parsing and finding a file's references run in parallel; resolving them
        // registers files, so it is serial.
        let parsed: Vec<(FileId, Result<Vec<Ref>, Diagnostic>)> = round
            .par_iter()
            .map(|f| {
                let r = db_ref
                    .read(*f)
                    .map(|t| references(&t, *f))
                    .map_err(|e| crate::core::unreadable_file(Span::new(*f, 0, 0), e.to_string()));
                (*f, r)
            })
            .collect();
        let mut next = Vec::new();
        for (file, result) in parsed {
            let kind = FileKind::of_path(db.path(file));
            match kind {
                FileKind::Template => set.templates_read += 1,
                FileKind::Params => set.param_ids.push(file),
            }
            let refs = match result {
                Ok(a) => a,
                Err(d) => {
                    set.diagnostics.push(d);
                    continue;
                }
            };
            let dir = db
                .path(file)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let config = registry::Config::for_dir(&dir, &mut configs);
            let mut follow = |db: &mut SourceDb, path: &Path| {
                let id = add(db, &lexical(path));
                if is_bicep_name(&path.to_string_lossy()) && queued.insert(id) {
                    next.push(id);
                }
                id
            };
            set.kinds.insert(file, kind);
            set.resolve(db, file, refs, &dir, &config, &mut follow);
        }
        round = next;
    }
    set
}

impl BicepSet {
    /// Resolves the references `refs` of `file` (in `dir`): module targets, linked,
    /// `using` and data files, each registered through `follow`.
    fn resolve(
        &mut self,
        db: &mut SourceDb,
        file: FileId,
        refs: Vec<Ref>,
        dir: &Path,
        config: &registry::Config,
        follow: &mut dyn FnMut(&mut SourceDb, &Path) -> FileId,
    ) {
        let params = self.kinds.get(&file) == Some(&FileKind::Params);
        for r in refs {
            // A `using` target is not needed to evaluate the parameters file; one that does
            // not exist is noted (ER004) at its path.
            let mut using = None;
            let (at, literal, dependency) = match r {
                Ref::Module(at, literal) => {
                    let target = module_target(db, literal.as_deref(), dir, config, follow);
                    if let ModuleTarget::Bicep(t) = &target {
                        self.calls.entry(file).or_default().push(*t);
                        self.deps.entry(file).or_default().push(*t);
                    }
                    self.modules.insert((file, at), target);
                    continue;
                }
                Ref::Link(at, literal) => (at, literal, true),
                Ref::Using(span, literal) => {
                    using = params.then_some(span);
                    (span.start, literal, false)
                }
                Ref::Data(span, p) => {
                    let path = Path::new(&p);
                    // Only files of the repository: a relative path, as Bicep requires.
                    if path.is_absolute() || p.is_empty() {
                        continue;
                    }
                    let id = follow(db, &dir.join(p.replace('\\', "/")));
                    self.data.insert((file, span.start), id);
                    continue;
                }
            };
            let Some(p) = literal else { continue };
            if registry::is_external(&p) || p.is_empty() {
                continue;
            }
            let path = dir.join(p.replace('\\', "/"));
            if path.is_file() || db.overlay().contains(&path) {
                let id = follow(db, &path);
                self.links.insert((file, at), id);
                if dependency {
                    self.deps.entry(file).or_default().push(id);
                } else {
                    self.usings.push((file, id));
                }
            } else if let Some(span) = using {
                let mut d = crate::core::module_not_followed(
                    span,
                    format!(
                        "the template `{p}` that `using` names does not exist, so these parameters are not checked with it"
                    ),
                );
                d.help("check the path: it is relative to this parameters file");
                self.diagnostics.push(d);
            }
        }
    }
}

/// Read and parse one file: ER002 if it cannot be read, ER001 if it does not parse.
fn parse_file(db: &SourceDb, file: FileId) -> Result<BicepFile, Diagnostic> {
    let text = db
        .read(file)
        .map_err(|e| crate::core::unreadable_file(Span::new(file, 0, 0), e.to_string()))?;
    let kind = FileKind::of_path(db.path(file));
    super::parse(&text, file, kind).map_err(|e| crate::core::parse_error(e.span, e.message))
}

/// A reference a file makes to another file: where its path string starts, and the path
/// when it is a literal.
enum Ref {
    Module(u32, Option<String>),
    /// `extends`, `import … from`.
    Link(u32, Option<String>),
    /// `using`: the template a parameters file is for (not needed to evaluate it), with the
    /// span of its path string.
    Using(Span, Option<String>),
    /// The path argument of a `load*()` call.
    Data(Span, String),
}

/// The references of a file, from its tokens: `module name 'path'`, `using 'path'`,
/// `extends 'path'`, `from 'path'` (imports), `loadJsonContent('path'` and the other
/// load functions. A string's start is where the parser's string begins: the key
/// evaluation looks references up by.
fn references(text: &str, file: FileId) -> Vec<Ref> {
    // A reference starts with one of its words as an identifier token, which the text
    // holds as a whole word; the tokens after the last such word and the two that follow
    // it cannot start one. So most modules (no such word) are not lexed at all, and a
    // template is lexed only as far as its last `module` (the unit lexes it whole).
    let Some(last) = last_reference_word(text) else {
        return Vec::new();
    };
    references_in(text, file, &super::lexer::lex_until(text, file, last, 3))
}

/// Where the last whole-word occurrence of a word that starts a reference begins.
fn last_reference_word(text: &str) -> Option<usize> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    ["module", "using", "extends", "from"]
        .iter()
        .chain(LOAD_FUNCTIONS.iter())
        .filter_map(|w| {
            // Forward: memchr's forward search is vectorized, its reverse one is not.
            memchr::memmem::find_iter(bytes, w.as_bytes())
                .filter(|&at| {
                    let before = at.checked_sub(1).and_then(|i| bytes.get(i));
                    let after = bytes.get(at + w.len());
                    !before.is_some_and(|b| ident(*b)) && !after.is_some_and(|b| ident(*b))
                })
                .last()
        })
        .max()
}

/// The references the tokens of `lexed` (of `text`) hold.
fn references_in(text: &str, file: FileId, lexed: &super::lexer::Lexed) -> Vec<Ref> {
    use super::lexer::T;
    let toks = &lexed.tokens;
    let is_str = |k: T| matches!(k, T::StrComplete | T::StrLeft | T::MultilineStr);
    let literal = |i: usize| {
        let t = toks.get(i)?;
        if !matches!(t.kind, T::StrComplete | T::MultilineStr) {
            return None;
        }
        let seg = lexed.segments.get(t.seg as usize)?.as_ref()?;
        Some(seg.value.to_string())
    };
    let kind = |i: usize| toks.get(i).map(|t| t.kind);
    let at = |i: usize| toks.get(i).map_or(0, |t| t.start);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != T::Ident {
            continue;
        }
        let word = text.get(t.start as usize..t.end as usize).unwrap_or("");
        match word {
            "module" if kind(i + 1) == Some(T::Ident) && kind(i + 2).is_some_and(is_str) => {
                out.push(Ref::Module(at(i + 2), literal(i + 2)));
            }
            "using" if kind(i + 1).is_some_and(is_str) => {
                if let Some(path) = toks.get(i + 1) {
                    let span = Span::new(file, path.start as usize, path.end as usize);
                    out.push(Ref::Using(span, literal(i + 1)));
                }
            }
            "extends" | "from" if kind(i + 1).is_some_and(is_str) => {
                out.push(Ref::Link(at(i + 1), literal(i + 1)));
            }
            w if LOAD_FUNCTIONS.contains(&w) && kind(i + 1) == Some(T::LParen) => {
                if let (Some(p), Some(arg)) = (literal(i + 2), toks.get(i + 2)) {
                    let span = Span::new(file, arg.start as usize, arg.end as usize);
                    out.push(Ref::Data(span, p));
                }
            }
            _ => {}
        }
    }
    out
}

/// Where a module path (written in a file of `dir`; `None` when it is not a literal)
/// leads.
fn module_target(
    db: &mut SourceDb,
    reference: Option<&str>,
    dir: &Path,
    config: &registry::Config,
    follow: &mut dyn FnMut(&mut SourceDb, &Path) -> FileId,
) -> ModuleTarget {
    let Some(reference) = reference else {
        return ModuleTarget::NotFollowed {
            message: "the module path is interpolated: Bicep needs a literal path, so this module is not followed".into(),
            help: "write the module path as a literal string".into(),
        };
    };
    match registry::resolve(reference, dir, config) {
        Reference::Local(path) => {
            if !(path.is_file() || db.overlay().contains(&path)) {
                return ModuleTarget::NotFollowed {
                    message: format!(
                        "module file `{reference}` does not exist, so its resources are not checked"
                    ),
                    help: "check the path: it is relative to the file that calls the module".into(),
                };
            }
            let id = follow(db, &path);
            let is_json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if is_json {
                ModuleTarget::Arm {
                    file: id,
                    template_spec: false,
                }
            } else {
                ModuleTarget::Bicep(id)
            }
        }
        Reference::Cached {
            path,
            template_spec,
        } => {
            if !(path.is_file() || db.overlay().contains(&path)) {
                let what = if template_spec {
                    "template spec"
                } else {
                    "registry module"
                };
                return ModuleTarget::NotFollowed {
                    message: format!(
                        "{what} `{reference}` is not in the local Bicep module cache (`{}`), so its resources are not checked",
                        path.display()
                    ),
                    help: format!(
                        "run `bicep restore` on this file to download it, or point `{}` at the cache erlint should read",
                        registry::CACHE_ENV
                    ),
                };
            }
            ModuleTarget::Arm {
                file: follow(db, &path),
                template_spec,
            }
        }
        Reference::Invalid(why) => ModuleTarget::NotFollowed {
            message: format!("{why}, so this module is not followed"),
            help: "fix the module reference (see `bicepconfig.json` for aliases)".into(),
        },
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (paths stay as discovered, so
/// a file found by the walk and by a reference is one file).
fn lexical(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_lexically() {
        assert_eq!(
            lexical(Path::new("infra/./modules/../main.bicep")),
            PathBuf::from("infra/main.bicep")
        );
        assert_eq!(
            lexical(Path::new("../a/./b.bicep")),
            PathBuf::from("../a/b.bicep")
        );
        assert_eq!(lexical(Path::new("./x.bicep")), PathBuf::from("x.bicep"));
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;
    use crate::bicep::ast::{ExprKind, StatementKind};

    /// The references as the syntax tree has them: (kind, string start, literal).
    fn from_tree(ast: &BicepFile) -> Vec<(char, u32, Option<String>)> {
        let lit = |s: &Str| s.as_literal().map(str::to_string);
        let mut out = Vec::new();
        for s in &ast.statements {
            match &s.kind {
                StatementKind::Module(m) => out.push(('m', m.path.span.start, lit(&m.path))),
                StatementKind::Using(u) => {
                    if let Some(t) = &u.target {
                        out.push(('u', t.span.start, lit(t)));
                    }
                }
                StatementKind::Extends(e) => out.push(('l', e.span.start, lit(e))),
                StatementKind::Import(i) => out.push(('l', i.from.span.start, lit(&i.from))),
                _ => {}
            }
        }
        super::super::visit::exprs(ast, &mut |e| {
            if let ExprKind::Call(c) = &e.kind
                && LOAD_FUNCTIONS.contains(&&*c.name.name)
                && let Some(arg) = c.args.first()
                && let Some(p) = arg.as_str()
            {
                out.push(('d', arg.span.start, Some(p.to_string())));
            }
        });
        out.sort();
        out
    }

    fn from_tokens(text: &str) -> Vec<(char, u32, Option<String>)> {
        let mut out: Vec<_> = references(text, FileId(0))
            .into_iter()
            .map(|r| match r {
                Ref::Module(a, l) => ('m', a, l),
                Ref::Using(s, l) => ('u', s.start, l),
                Ref::Link(a, l) => ('l', a, l),
                Ref::Data(s, p) => ('d', s.start, Some(p)),
            })
            .collect();
        out.sort();
        out
    }

    /// Every Bicep file of the fixtures that parses: the tokens give the references the
    /// tree has, at the same positions.
    #[test]
    fn token_references_match_the_syntax_tree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut stack = vec![root];
        let mut checked = 0;
        let mut with_refs = 0;
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if !is_bicep_name(&p.to_string_lossy()) {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let Ok(ast) = crate::bicep::parse(&text, FileId(0), FileKind::of_path(&p)) else {
                    continue;
                };
                let want = from_tree(&ast);
                with_refs += usize::from(!want.is_empty());
                assert_eq!(from_tokens(&text), want, "{}", p.display());
                checked += 1;
            }
        }
        assert!(
            checked > 150 && with_refs > 20,
            "{checked} files, {with_refs} with references"
        );
    }
    fn tuples(refs: Vec<Ref>) -> Vec<(char, u32, Option<String>)> {
        refs.into_iter()
            .map(|r| match r {
                Ref::Module(a, l) => ('m', a, l),
                Ref::Using(s, l) => ('u', s.start, l),
                Ref::Link(a, l) => ('l', a, l),
                Ref::Data(s, p) => ('d', s.start, Some(p)),
            })
            .collect()
    }

    /// Lexing stops after the last word that can start a reference: the references are
    /// those of the whole file's tokens, also when that word is in a comment or a string,
    /// is part of a longer name, or follows a lexical error.
    #[test]
    fn references_from_a_cut_lexing_are_the_whole_files() {
        let texts = [
            "module a './a.bicep' = {\n  name: 'a'\n}\n// a module b 'x' in a comment\n",
            "module /* module */ a './a.bicep' = {}\nresource r 'x@1' = {}\n",
            "var s = 'module x \\'y\\''\nmodule a 'p.bicep' = {}\nvar t = 'from'\n",
            "var v = loadJsonContent('a.json')\nvar w = loadJsonContentX('b.json')\n",
            "param modules int\nvar frommer = 1\nvar usingX = 2\n",
            "module a 'p.bicep' = {}\nvar bad = 'unterminated\nmodule b 'q.bicep' = {}\n",
            "var bad = 'unterminated\nmodule b 'q.bicep' = {}\n",
            "module a\n'p.bicep' = {}\nmodule",
            "import {x} from 'types.bicep'\nextends 'base.bicepparam'\nusing 'main.bicep'\n",
            "var m = $'''module a 'z' ${loadTextContent('t.txt')} '''\n",
            "var n = '''module a 'z' '''\nmodule b 'y.bicep' = {}\n",
            "\u{feff}using 'main.bicep'\nparam p = 1\n",
            "",
            "module",
        ];
        for text in texts {
            let whole = super::super::lexer::lex(text, FileId(0));
            assert_eq!(
                tuples(references(text, FileId(0))),
                tuples(references_in(text, FileId(0), &whole)),
                "{text:?}"
            );
        }
        // The long tail after the last `module` is not lexed.
        let text = format!("module a 'p.bicep' = {{}}\n{}", "var x = 1\n".repeat(100));
        let cut = super::super::lexer::lex_until(&text, FileId(0), 0, 3);
        assert_eq!(cut.tokens.len(), 3);
        assert_eq!(tuples(references(&text, FileId(0))).len(), 1);
    }
}

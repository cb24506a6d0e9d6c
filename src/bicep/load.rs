//! Reading the Bicep files of a run once, before evaluation: every `.bicep` and
//! `.bicepparam` file found, and everything they refer to, registered in the
//! [`SourceDb`] and parsed (in parallel): local modules (`.bicep`, or `.json` ARM
//! templates read by the ARM front end), registry modules and template specs restored in
//! the local module cache ([`super::registry`]), `using`/`extends` targets, `import`
//! sources, and the files `load*Content()` reads. Evaluation ([`super::build`]) then only
//! reads, so units run in parallel.

use super::ast::{BicepFile, ExprKind, FileKind, StatementKind, Str};
use super::registry::{self, Reference};
use super::visit;
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

/// The functions that read a file at compile time (their first argument is its path).
pub const LOAD_FUNCTIONS: [&str; 5] = [
    "loadTextContent",
    "loadJsonContent",
    "loadYamlContent",
    "loadFileAsBase64",
    "loadDirectoryFileInfo",
];

/// Every Bicep file of the run, parsed, with what its references resolve to.
#[derive(Default)]
pub struct BicepSet {
    parsed: HashMap<FileId, BicepFile>,
    /// Module calls, by file and the start of the path string.
    modules: HashMap<(FileId, u32), ModuleTarget>,
    /// `using`, `extends` and `import … from` paths (local files), by file and the start of
    /// the path string.
    links: HashMap<(FileId, u32), FileId>,
    /// The files `load*()` calls read, by file and the start of the path argument.
    data: HashMap<(FileId, u32), FileId>,
    /// The files found by discovery (the others were reached by following references).
    scanned: Vec<FileId>,
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
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".bicep") || lower.ends_with(".bicepparam")
}

impl BicepSet {
    /// The parsed file, if it is a Bicep file that parses.
    pub fn file(&self, id: FileId) -> Option<&BicepFile> {
        self.parsed.get(&id)
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

    /// The templates to evaluate: the `.bicep` files found that no Bicep file of the run
    /// calls as a module (a called file is evaluated through its calls, once per call),
    /// or that are called only through a cycle of calls back to themselves (Bicep rejects
    /// the cycle; the file is still linted, and the cycle is noted where it closes).
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
                let is_template = self
                    .parsed
                    .get(f)
                    .is_some_and(|a| a.kind == FileKind::Template);
                let outside = callers.get(f).is_some_and(|cs| {
                    let reach = self.reachable(*f);
                    cs.iter().any(|c| !reach.contains(c))
                });
                is_template && !outside
            })
            .collect();
        out.sort();
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
/// file reached by a reference (or returns its id when it is registered).
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
        let parsed: Vec<(FileId, Result<BicepFile, Diagnostic>)> = round
            .par_iter()
            .map(|f| (*f, parse_file(db_ref, *f)))
            .collect();
        let mut next = Vec::new();
        for (file, result) in parsed {
            match FileKind::of_path(db.path(file)) {
                FileKind::Template => set.templates_read += 1,
                FileKind::Params => set.param_ids.push(file),
            }
            let ast = match result {
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
            let mut follow = |db: &mut SourceDb, path: &Path, next: &mut Vec<FileId>| {
                let id = add(db, &lexical(path));
                if is_bicep_name(&path.to_string_lossy()) && queued.insert(id) {
                    next.push(id);
                }
                id
            };
            for r in references(&ast) {
                match r {
                    Ref::Module(s) => {
                        let target = module_target(db, s, &dir, &config, &mut |db, p| {
                            follow(db, p, &mut next)
                        });
                        if let ModuleTarget::Bicep(t) = &target {
                            set.calls.entry(file).or_default().push(*t);
                        }
                        set.modules.insert((file, s.span.start), target);
                    }
                    Ref::Link(s) => {
                        let Some(p) = s.as_literal() else { continue };
                        if registry::is_external(p) || p.is_empty() {
                            continue;
                        }
                        let path = dir.join(p.replace('\\', "/"));
                        if path.is_file() {
                            let id = follow(db, &path, &mut next);
                            set.links.insert((file, s.span.start), id);
                        }
                    }
                    Ref::Data(span, p) => {
                        let path = Path::new(&p);
                        // Only files of the repository: a relative path, as Bicep requires.
                        if path.is_absolute() || p.is_empty() {
                            continue;
                        }
                        let id = follow(db, &dir.join(p.replace('\\', "/")), &mut next);
                        set.data.insert((file, span.start), id);
                    }
                }
            }
            set.parsed.insert(file, ast);
        }
        round = next;
    }
    set
}

/// Read and parse one file: ER002 if it cannot be read, ER001 if it does not parse.
fn parse_file(db: &SourceDb, file: FileId) -> Result<BicepFile, Diagnostic> {
    let text = db
        .text(file)
        .map_err(|e| crate::core::unreadable_file(Span::new(file, 0, 0), e.to_string()))?;
    let kind = FileKind::of_path(db.path(file));
    super::parse(text, file, kind).map_err(|e| crate::core::parse_error(e.span, e.message))
}

/// A reference a file makes to another file.
enum Ref<'a> {
    Module(&'a Str),
    /// `using`, `extends`, `import … from`.
    Link(&'a Str),
    /// The path argument of a `load*()` call.
    Data(Span, String),
}

fn references(ast: &BicepFile) -> Vec<Ref<'_>> {
    let mut out = Vec::new();
    for s in &ast.statements {
        match &s.kind {
            StatementKind::Module(m) => out.push(Ref::Module(&m.path)),
            StatementKind::Using(u) => {
                if let Some(t) = &u.target {
                    out.push(Ref::Link(t));
                }
            }
            StatementKind::Extends(e) => out.push(Ref::Link(e)),
            StatementKind::Import(i) => out.push(Ref::Link(&i.from)),
            _ => {}
        }
    }
    let mut data = Vec::new();
    visit::exprs(ast, &mut |e| {
        if let ExprKind::Call(c) = &e.kind
            && LOAD_FUNCTIONS.contains(&&*c.name.name)
            && let Some(arg) = c.args.first()
            && let Some(p) = arg.as_str()
        {
            data.push(Ref::Data(arg.span, p.to_string()));
        }
    });
    out.extend(data);
    out
}

/// Where module path `s` (written in a file of `dir`) leads.
fn module_target(
    db: &mut SourceDb,
    s: &Str,
    dir: &Path,
    config: &registry::Config,
    follow: &mut dyn FnMut(&mut SourceDb, &Path) -> FileId,
) -> ModuleTarget {
    let Some(reference) = s.as_literal() else {
        return ModuleTarget::NotFollowed {
            message: "the module path is interpolated: Bicep needs a literal path, so this module is not followed".into(),
            help: "write the module path as a literal string".into(),
        };
    };
    match registry::resolve(reference, dir, config) {
        Reference::Local(path) => {
            if !path.is_file() {
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
            if !path.is_file() {
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

//! Terraform units evaluated while the module directories are parsed: each syntax tree
//! is dropped by the unit that parsed it once its findings are made (a small cache keeps
//! the modules several directories call), so a run's memory follows the units in flight,
//! not the size of the repository.
//!
//! Which directories are units is certain only once every directory is parsed: a
//! directory some module calls is evaluated through that call, never on its own. So
//! [`stream`] evaluates each scanned directory when its turn comes unless a directory
//! parsed before it calls it, keeps the result, and at the end decides the units exactly
//! as `units` says; a result computed too early (its caller was parsed later, in another
//! thread) is dropped, and a unit without a result (its modules lay outside the scan, or
//! it is only reached through a cycle) is evaluated then. A directory's own problems,
//! file count and suppression sites are kept from its first parse; parsing it again
//! (a shared module the cache let go) yields the same tree.

use super::arm_deployment::{self, ReadFile};
use super::module::ModuleIr;
use super::{
    ModuleSet, Role, has_config, is_local_source, normalize, read_modules_json, standalone_role,
    tf_files_in,
};
use crate::diagnostic::Diagnostic;
use crate::source::paths::{PathMap, PathSet, normalize_in};
use crate::source::sites::Sites;
use crate::source::{FileId, PathIndex, SourceDb};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// Configuration bytes whose trees the cache keeps once no unit in flight holds them:
/// the modules more than one directory calls (such a module is then parsed once, not once
/// per root).
const CACHE_BYTES: usize = 4 << 20;
/// How deep module sources are followed outside the scanned directories.
const MAX_ROUNDS: usize = 64;

/// Evaluates one unit: the modules it reaches, its own directory's tree, its role.
pub type Evaluate<'a, R> = dyn Fn(&ModuleSet, &ModuleIr, Role) -> R + Sync + 'a;

/// What the Terraform part of a run produced.
pub struct Streamed<R> {
    /// One result per unit, in the order of the units' directories.
    pub results: Vec<R>,
    /// Every loaded directory's own problems (ER001, ER002, unreadable files).
    pub diagnostics: Vec<Diagnostic>,
    /// Configuration and variable files of every loaded directory.
    pub module_files: usize,
    /// Files `file()` and `templatefile()` read, by normalized path.
    pub files: PathMap<ReadFile>,
    /// The suppression sites of the Terraform files that hold any.
    pub sites: HashMap<FileId, Sites>,
}

/// Where the Terraform files are and how to evaluate them.
pub struct Plan<'a, R> {
    /// Registered files by directory (the scanned ones and any other the walk found).
    pub dirs: BTreeMap<PathBuf, Vec<FileId>>,
    /// Directories with configuration files, evaluated on their own unless called.
    pub scanned: &'a [PathBuf],
    /// Every file the walk registered, by path: a template `file()` reads keeps its id.
    pub known: &'a PathIndex,
    /// The shown path of a file registered here.
    pub display: &'a (dyn Fn(&Path) -> String + Sync),
    pub evaluate: &'a Evaluate<'a, R>,
}

/// What a directory's first parse tells the scheduling.
struct Facts {
    /// Directories its module calls name through local sources (normalized).
    calls: Vec<PathBuf>,
    /// Directories named as local sources in its files that do not parse.
    broken: Vec<PathBuf>,
    /// `.terraform/modules/modules.json`: module key → directory.
    modules_json: Option<HashMap<String, PathBuf>>,
    has_config: bool,
    /// Files its host resources read ([`arm_deployment::wanted_files`]).
    wanted: Vec<PathBuf>,
}

impl Facts {
    fn of(m: &ModuleIr, modules_json: Option<HashMap<String, PathBuf>>) -> Facts {
        Facts {
            calls: m
                .module_calls
                .iter()
                .filter_map(|c| c.source.as_deref().filter(|s| is_local_source(s)))
                .map(|s| normalize_in(&m.dir, Path::new(s)))
                .collect(),
            broken: m
                .broken_calls
                .iter()
                .map(|s| normalize_in(&m.dir, Path::new(s)))
                .collect(),
            modules_json,
            has_config: has_config(m),
            wanted: arm_deployment::wanted_files(m),
        }
    }

    /// The directories this one calls through `modules.json` and its local sources.
    fn called(&self) -> impl Iterator<Item = &PathBuf> {
        self.calls
            .iter()
            .chain(self.modules_json.iter().flat_map(|m| m.values()))
    }
}

/// The call graph of the directories parsed so far.
#[derive(Default)]
struct Graph {
    facts: PathMap<Arc<Facts>>,
    /// Directories some parsed directory calls (module calls and `modules.json`).
    called: PathSet,
    /// Directories named in files that do not parse.
    called_from_broken: PathSet,
    /// How many parsed directories call each directory: a tree two call is kept in the
    /// cache for the callers still to come.
    callers: PathMap<u32>,
}

/// What the first parse of each directory leaves for the output.
#[derive(Default)]
struct Kept {
    diagnostics: Vec<Diagnostic>,
    module_files: usize,
    sites: Vec<(FileId, Sites)>,
}

/// A unit's result with the roles it was evaluated in and would have standalone.
struct Early<R> {
    role: Role,
    standalone: Role,
    result: R,
}

/// Recently parsed trees, by directory, within [`CACHE_BYTES`].
struct Cache {
    /// By normalized directory, compared by its bytes (see [`PathMap`]).
    trees: lru::LruCache<OsString, Arc<ModuleIr>>,
    bytes: usize,
    budget: usize,
}

impl Cache {
    /// Keep `m`; what no longer fits is returned, for the caller to drop once the lock
    /// is released (freeing a tree is thousands of frees: not while the other workers
    /// wait for the cache).
    #[must_use]
    fn put(&mut self, dir: &Path, m: Arc<ModuleIr>) -> Vec<Arc<ModuleIr>> {
        let mut out = Vec::new();
        self.bytes += m.source_bytes;
        if let Some(old) = self.trees.put(dir.as_os_str().to_os_string(), m) {
            self.bytes -= old.source_bytes;
            out.push(old);
        }
        while self.bytes > self.budget && self.trees.len() > 1 {
            match self.trees.pop_lru() {
                Some((_, old)) => {
                    self.bytes -= old.source_bytes;
                    out.push(old);
                }
                None => break,
            }
        }
        out
    }
}

/// A directory's tree, or why there is none.
enum Got {
    Tree(Arc<ModuleIr>),
    /// It holds no Terraform file (or does not exist): calls to it are reported as such.
    Absent,
    /// Not registered yet: the end of the run registers it.
    Pending,
}

/// What the phases of a run share: the registered directories, the call graph found so
/// far, the trees in the cache, the files read, the results.
struct State<R> {
    /// Registered files by (normalized) directory.
    dirs: PathMap<Vec<FileId>>,
    /// Directories called from outside the scan that hold no Terraform file.
    absent: PathSet,
    scanned: PathSet,
    /// The walk's files by normalized path, made when a template file is first wanted.
    known_normalized: OnceLock<PathMap<FileId>>,
    graph: Mutex<Graph>,
    cache: Mutex<Cache>,
    files: Mutex<PathMap<ReadFile>>,
    early: Mutex<PathMap<Early<R>>>,
    kept: Mutex<Kept>,
}

/// The workers' view of a phase: the state and the run's inputs.
struct Stream<'a, R> {
    db: &'a SourceDb,
    st: &'a State<R>,
    plan: &'a Plan<'a, R>,
}

/// A lock that a panic elsewhere does not poison for the other workers (a unit's panic is
/// its ER000; no critical section here leaves its data half-changed).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<R: Send> Stream<'_, R> {
    fn facts(&self, dir: &Path) -> Option<Arc<Facts>> {
        lock(&self.st.graph).facts.get(dir).cloned()
    }

    fn get(&self, dir: &Path) -> Got {
        if let Some(m) = lock(&self.st.cache).trees.get(dir.as_os_str()) {
            return Got::Tree(m.clone());
        }
        if self.st.absent.contains(dir) {
            return Got::Absent;
        }
        match self.st.dirs.get(dir) {
            Some(files) => Got::Tree(self.load(dir, files)),
            None => Got::Pending,
        }
    }

    /// Parse a directory; the first time, record its facts and keep its problems.
    fn load(&self, dir: &Path, files: &[FileId]) -> Arc<ModuleIr> {
        let mut m = ModuleIr::load(self.db, dir.to_path_buf(), (self.plan.display)(dir), files);
        let diagnostics = std::mem::take(&mut m.diagnostics);
        let sites = std::mem::take(&mut m.sites);
        if !lock(&self.st.graph).facts.contains_key(dir) {
            // Looked for beside the directory's files, by the path they were read with
            // (relative to the working directory when they were found so): most
            // directories have no `.terraform`, and a short path is a short failed lookup.
            let beside = files.first().and_then(|f| self.db.path(*f).parent());
            let facts = Facts::of(&m, read_modules_json(dir, beside.unwrap_or(dir)));
            let mut g = lock(&self.st.graph);
            if !g.facts.contains_key(dir) {
                g.called.extend(facts.called().cloned());
                let mut distinct: Vec<&OsStr> = facts.called().map(|d| d.as_os_str()).collect();
                distinct.sort_unstable();
                distinct.dedup();
                for d in distinct {
                    *g.callers.entry(PathBuf::from(d)).or_default() += 1;
                }
                g.called_from_broken.extend(facts.broken.iter().cloned());
                g.facts.insert(dir.to_path_buf(), Arc::new(facts));
                drop(g);
                let mut k = lock(&self.st.kept);
                k.diagnostics.extend(diagnostics);
                k.module_files += m.files.len();
                k.sites.extend(sites);
            }
        }
        let m = Arc::new(m);
        // Kept for later units only when more than one directory calls it (a module
        // shared by roots). Any other tree is dropped by the unit that parsed it, on its
        // thread: a tree freed by another worker contends for the allocator's lock of
        // the thread that made it.
        let shared = lock(&self.st.graph)
            .callers
            .get(dir)
            .is_some_and(|&n| n > 1);
        if shared {
            let evicted = lock(&self.st.cache).put(dir, m.clone());
            drop(evicted);
        }
        m
    }

    /// A directory's turn: parsed (if no unit has yet), and evaluated if it is scanned,
    /// has configuration, nothing parsed so far calls it and it does not look like a
    /// reusable module (that one waits for its callers, or the end).
    fn turn(&self, dir: &Path) {
        let mut tree = None;
        if self.facts(dir).is_none()
            && let Got::Tree(m) = self.get(dir)
        {
            tree = Some(m);
        }
        let Some(facts) = self.facts(dir) else {
            return;
        };
        if !self.st.scanned.contains(dir) || !facts.has_config {
            return;
        }
        let (called, broken) = {
            let g = lock(&self.st.graph);
            (g.called.contains(dir), g.called_from_broken.contains(dir))
        };
        if called {
            return;
        }
        let root = match tree {
            Some(m) => m,
            None => match self.get(dir) {
                Got::Tree(m) => m,
                Got::Absent | Got::Pending => return,
            },
        };
        let standalone = standalone_role(&root);
        if standalone == Role::Library && !broken {
            // A reusable module nothing parsed so far calls: its callers usually come
            // later in the walk (`modules/` before `stacks/`). Kept for them, or for the
            // end if none comes, rather than evaluated now for nothing.
            let evicted = lock(&self.st.cache).put(dir, root);
            drop(evicted);
            return;
        }
        let role = if broken { Role::Library } else { standalone };
        let Some(set) = self.unit_set(dir, &root, true) else {
            return;
        };
        let result = (self.plan.evaluate)(&set, &root, role);
        lock(&self.st.early).insert(
            dir.to_path_buf(),
            Early {
                role,
                standalone,
                result,
            },
        );
    }

    /// The modules a unit rooted at `dir` reaches (through local sources and its
    /// `modules.json`) and the files their host resources read; `None` when `strict`
    /// and some are not registered yet.
    fn unit_set(&self, dir: &Path, root: &Arc<ModuleIr>, strict: bool) -> Option<ModuleSet> {
        let facts = self.facts(dir)?;
        let mut modules: PathMap<Arc<ModuleIr>> = PathMap::default();
        modules.insert(dir.to_path_buf(), root.clone());
        let mut seen = PathSet::default();
        let mut stack: Vec<PathBuf> = facts.called().cloned().collect();
        let mut wanted: Vec<PathBuf> = facts.wanted.clone();
        let mut complete = true;
        while let Some(d) = stack.pop() {
            if modules.contains_key(&d) || !seen.insert(d.clone()) {
                continue;
            }
            match self.get(&d) {
                Got::Tree(m) => {
                    if let Some(f) = self.facts(&d) {
                        stack.extend(f.calls.iter().cloned());
                        wanted.extend(f.wanted.iter().cloned());
                    }
                    modules.insert(d, m);
                }
                Got::Absent => {}
                Got::Pending => complete = false,
            }
        }
        let mut files = PathMap::default();
        for p in wanted {
            match self.read_wanted(&p) {
                Some(f) => {
                    files.insert(p, f);
                }
                None => complete = false,
            }
        }
        if strict && !complete {
            return None;
        }
        Some(ModuleSet {
            modules,
            modules_json: facts
                .modules_json
                .clone()
                .map(|m| (dir.to_path_buf(), m))
                .into_iter()
                .collect(),
            files,
        })
    }

    /// A wanted file, read; `None` if the walk did not register it (the end of the run
    /// does).
    fn read_wanted(&self, path: &Path) -> Option<ReadFile> {
        if let Some(f) = lock(&self.st.files).get(path) {
            return Some(f.clone());
        }
        let id = self.st.known_id(self.plan, self.db, path)?;
        let f = arm_deployment::read(self.db, id);
        Some(
            lock(&self.st.files)
                .entry(path.to_path_buf())
                .or_insert(f)
                .clone(),
        )
    }
}

/// Evaluate every Terraform unit of `plan` (see the module's documentation). New
/// directories (called from outside the scan) and files (`file()` templates the walk did
/// not find) are registered in `db`.
pub fn stream<R: Send>(db: &mut SourceDb, plan: Plan<'_, R>) -> Streamed<R> {
    stream_within(db, plan, CACHE_BYTES)
}

/// [`stream`] with a cache of `cache_bytes`.
fn stream_within<R: Send>(db: &mut SourceDb, plan: Plan<'_, R>, cache_bytes: usize) -> Streamed<R> {
    let (mut st, order, scanned) = State::new(&plan, cache_bytes);
    // Every directory's turn, in the walk's order, in parallel.
    Stream::of(db, &st, &plan).turns(&order);
    st.follow_calls(db, &plan);
    st.read_wanted_files(db, &plan);
    let decided = units(&lock(&st.graph), &scanned);
    let results = Stream::of(db, &st, &plan).finish(&decided);
    st.into_streamed(results)
}

impl<'a, R: Send> Stream<'a, R> {
    fn of(db: &'a SourceDb, st: &'a State<R>, plan: &'a Plan<'a, R>) -> Stream<'a, R> {
        Stream { db, st, plan }
    }

    /// Each directory's [`turn`](Self::turn), in parallel.
    fn turns(&self, order: &[PathBuf]) {
        order.par_iter().for_each(|d| self.turn(d));
    }

    /// The units' results, in `decided`'s order: those of their turns when evaluated in
    /// the role they must have, else evaluated now.
    fn finish(&self, decided: &[(PathBuf, Option<Role>)]) -> Vec<R> {
        decided
            .par_iter()
            .filter_map(|(dir, forced)| {
                let done = lock(&self.st.early).remove(dir);
                if let Some(e) = done
                    && forced.unwrap_or(e.standalone) == e.role
                {
                    return Some(e.result);
                }
                let Got::Tree(root) = self.get(dir) else {
                    return None;
                };
                let role = forced.unwrap_or_else(|| standalone_role(&root));
                let set = self.unit_set(dir, &root, false)?;
                Some((self.plan.evaluate)(&set, &root, role))
            })
            .collect()
    }
}

impl<R: Send> State<R> {
    /// The state, with the registered directories in the walk's order and the scanned
    /// ones, each path normalized once.
    fn new(plan: &Plan<'_, R>, cache_bytes: usize) -> (State<R>, Vec<PathBuf>, Vec<PathBuf>) {
        let mut dirs: PathMap<Vec<FileId>> = PathMap::default();
        let mut order = Vec::with_capacity(plan.dirs.len());
        for (d, files) in &plan.dirs {
            let d = normalize(d);
            order.push(d.clone());
            dirs.insert(d, files.clone());
        }
        let scanned: Vec<PathBuf> = plan.scanned.iter().map(|d| normalize(d)).collect();
        let st = State {
            dirs,
            absent: PathSet::default(),
            scanned: scanned.iter().cloned().collect(),
            known_normalized: OnceLock::new(),
            graph: Mutex::new(Graph::default()),
            cache: Mutex::new(Cache {
                trees: lru::LruCache::unbounded(),
                bytes: 0,
                budget: cache_bytes,
            }),
            files: Mutex::new(PathMap::default()),
            early: Mutex::new(PathMap::default()),
            kept: Mutex::new(Kept::default()),
        };
        (st, order, scanned)
    }

    /// The id the walk gave a file, by normalized path.
    fn known_id(&self, plan: &Plan<'_, R>, db: &SourceDb, path: &Path) -> Option<FileId> {
        let known = self.known_normalized.get_or_init(|| {
            plan.known
                .iter(db)
                .map(|(p, id)| (normalize(p), id))
                .collect()
        });
        known.get(path).copied()
    }

    /// The directories the parsed ones call or name, outside the scan: registered and
    /// parsed (for their own problems and calls), round after round.
    fn follow_calls(&mut self, db: &mut SourceDb, plan: &Plan<'_, R>) {
        for _ in 0..MAX_ROUNDS {
            let named: Vec<PathBuf> = {
                let g = lock(&self.graph);
                let mut named: Vec<PathBuf> = g
                    .called
                    .iter()
                    .chain(g.called_from_broken.iter())
                    .filter(|d| !g.facts.contains_key(d) && !self.absent.contains(d))
                    .map(Path::to_path_buf)
                    .collect();
                named.sort();
                named.dedup();
                named
            };
            if named.is_empty() {
                return;
            }
            for dir in &named {
                if self.dirs.contains_key(dir) {
                    continue;
                }
                let found = tf_files_in(dir);
                if found.is_empty() {
                    self.absent.insert(dir.clone());
                    continue;
                }
                let ids = found
                    .into_iter()
                    .map(|f| {
                        let shown = (plan.display)(&f);
                        db.add(f, shown)
                    })
                    .collect();
                self.dirs.insert(dir.clone(), ids);
            }
            let s = Stream::of(db, self, plan);
            named.par_iter().for_each(|d| {
                if self.dirs.contains_key(d) {
                    let _ = s.get(d);
                }
            });
        }
    }

    /// Every file a parsed directory's host resources read: registered (if the walk did
    /// not find it) and read.
    fn read_wanted_files(&mut self, db: &mut SourceDb, plan: &Plan<'_, R>) {
        let wanted: Vec<PathBuf> = {
            let g = lock(&self.graph);
            let mut w: Vec<PathBuf> = g.facts.values().flat_map(|f| f.wanted.clone()).collect();
            w.sort();
            w.dedup();
            w
        };
        for path in wanted {
            if lock(&self.files).contains_key(&path) {
                continue;
            }
            let id = match self.known_id(plan, db, &path) {
                Some(id) => id,
                None => {
                    let shown = (plan.display)(&path);
                    db.add(path.clone(), shown)
                }
            };
            let f = arm_deployment::read(db, id);
            lock(&self.files).insert(path, f);
        }
    }

    /// What the output needs; the trees left in the cache are freed.
    fn into_streamed(self, results: Vec<R>) -> Streamed<R> {
        let Kept {
            diagnostics,
            module_files,
            sites,
        } = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        Streamed {
            results,
            diagnostics,
            module_files,
            files: self.files.into_inner().unwrap_or_else(|e| e.into_inner()),
            sites: sites.into_iter().collect(),
        }
    }
}

/// The directories among `scanned` to evaluate, with the role they must have (`None`:
/// the one [`standalone_role`] gives). A directory some parsed module calls is evaluated
/// through that call only. One called only from files that do not parse is a library
/// (its caller cannot be evaluated, and it is not a root). Directories only reachable
/// through a cycle of calls (a → b → a) have no uncalled caller: they are evaluated as
/// libraries so their content is still checked.
fn units(g: &Graph, scanned: &[PathBuf]) -> Vec<(PathBuf, Option<Role>)> {
    let with_config = |d: &PathBuf| g.facts.get(d).is_some_and(|f| f.has_config);
    let mut out: Vec<(PathBuf, Option<Role>)> = scanned
        .iter()
        .filter(|d| !g.called.contains(d) && with_config(d))
        .map(|d| {
            let forced = g.called_from_broken.contains(d).then_some(Role::Library);
            (d.clone(), forced)
        })
        .collect();
    let mut reachable = PathSet::default();
    let mut stack: Vec<PathBuf> = out.iter().map(|(d, _)| d.clone()).collect();
    while let Some(d) = stack.pop() {
        if !reachable.insert(d.clone()) {
            continue;
        }
        if let Some(f) = g.facts.get(&d) {
            stack.extend(f.calls.iter().cloned());
        }
    }
    for d in scanned {
        if !reachable.contains(d) && with_config(d) {
            out.push((d.clone(), Some(Role::Library)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::display_path;

    /// `files`: (path, text) under a temporary directory; `scan`: the directories
    /// registered (the others are found through calls). Runs [`stream_within`] on one
    /// thread and gives each unit as (directory, role, modules it reached).
    struct Run {
        units: Vec<(String, Role, usize)>,
        problems: Vec<String>,
        module_files: usize,
        /// Evaluations made, kept or not.
        evaluations: usize,
    }

    fn run(files: &[(&str, &str)], scan: &[&str], cache: usize) -> Run {
        let tmp = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let p = tmp.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        }
        let base = tmp.path().to_path_buf();
        let show = move |p: &Path| display_path(p.strip_prefix(&base).unwrap_or(p), Path::new("."));
        let mut db = SourceDb::new(0);
        let mut dirs = BTreeMap::new();
        for d in scan {
            let dir = tmp.path().join(d);
            let ids: Vec<FileId> = tf_files_in(&dir)
                .into_iter()
                .map(|f| {
                    let shown = show(&f);
                    db.add(f, shown)
                })
                .collect();
            dirs.insert(dir, ids);
        }
        let scanned: Vec<PathBuf> = dirs.keys().cloned().collect();
        let known = PathIndex::default();
        let evaluations = std::sync::atomic::AtomicUsize::new(0);
        let evaluate = |set: &ModuleSet, m: &ModuleIr, role: Role| {
            evaluations.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (m.display.clone(), role, set.modules.len())
        };
        let plan = Plan {
            dirs,
            scanned: &scanned,
            known: &known,
            display: &show,
            evaluate: &evaluate,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let out = pool.install(|| stream_within(&mut db, plan, cache));
        Run {
            units: out.results,
            problems: out.diagnostics.iter().map(|d| d.code.to_string()).collect(),
            module_files: out.module_files,
            evaluations: evaluations.into_inner(),
        }
    }

    const MODULE: &str = "variable \"vlan\" {}\nresource \"azurerm_express_route_circuit_peering\" \"p\" {\n  vlan_id = var.vlan\n}\n";

    fn caller(source: &str) -> String {
        format!(
            "provider \"azurerm\" {{\n  features {{}}\n}}\nmodule \"er\" {{\n  source = \"{source}\"\n  vlan   = 100\n}}\n"
        )
    }

    #[test]
    fn a_module_whose_turn_comes_before_its_caller_is_evaluated_through_the_call_only() {
        let root = caller("../../modules/er");
        let r = run(
            &[
                ("modules/er/main.tf", MODULE),
                ("stacks/root/main.tf", &root),
            ],
            &["modules/er", "stacks/root"],
            CACHE_BYTES,
        );
        // `modules/er` looks like a library on its turn: kept for a caller, not evaluated.
        assert_eq!(r.units, [("stacks/root".to_string(), Role::Root, 2)]);
        assert_eq!(r.evaluations, 1);
        assert!(r.problems.is_empty());
        assert_eq!(r.module_files, 2);
    }

    #[test]
    fn a_result_computed_before_the_caller_was_parsed_is_dropped() {
        // `a/er` looks like a root (no `modules/` in its path, no module interface): it
        // is evaluated on its turn, and that result is dropped once `b/root` calls it.
        let root = caller("../../a/er");
        let r = run(
            &[("a/er/main.tf", MODULE), ("b/root/main.tf", &root)],
            &["a/er", "b/root"],
            CACHE_BYTES,
        );
        assert_eq!(r.units, [("b/root".to_string(), Role::Root, 2)]);
        assert_eq!(r.evaluations, 2);
        assert_eq!(r.module_files, 2);
    }

    #[test]
    fn a_library_nothing_calls_is_evaluated_at_the_end_with_or_without_its_tree_kept() {
        for cache in [CACHE_BYTES, 0] {
            let r = run(&[("modules/er/main.tf", MODULE)], &["modules/er"], cache);
            assert_eq!(r.units, [("modules/er".to_string(), Role::Library, 1)]);
            assert_eq!(r.evaluations, 1);
        }
    }

    #[test]
    fn modules_outside_the_scan_are_registered_and_the_unit_evaluated_at_the_end() {
        let root = caller("../../a/er");
        let r = run(
            &[("a/er/main.tf", MODULE), ("b/root/main.tf", &root)],
            &["b/root"],
            CACHE_BYTES,
        );
        assert_eq!(r.units, [("b/root".to_string(), Role::Root, 2)]);
        assert_eq!(r.module_files, 2);
    }

    #[test]
    fn a_shared_module_gives_the_same_units_and_its_problems_once_without_a_cache() {
        let broken_module = format!("{MODULE}output \"x\" {{\n");
        let root = caller("../modules/er");
        let files = [
            ("modules/er/main.tf", MODULE),
            ("modules/er/broken.tf", broken_module.as_str()),
            ("r1/main.tf", root.as_str()),
            ("r2/main.tf", root.as_str()),
            ("r3/main.tf", root.as_str()),
        ];
        let scan = ["modules/er", "r1", "r2", "r3"];
        let cached = run(&files, &scan, CACHE_BYTES);
        let uncached = run(&files, &scan, 0);
        let expected: Vec<(String, Role, usize)> = ["r1", "r2", "r3"]
            .iter()
            .map(|r| (r.to_string(), Role::Root, 2))
            .collect();
        assert_eq!(cached.units, expected);
        assert_eq!(uncached.units, expected);
        assert_eq!(cached.problems, ["ER001"]);
        assert_eq!(uncached.problems, ["ER001"]);
        assert_eq!(uncached.module_files, 5);
    }

    #[test]
    fn a_directory_named_by_a_broken_caller_parsed_later_is_evaluated_again_as_a_library() {
        // `a/mod` looks like a root (a provider block) and is evaluated as one on its turn;
        // `b/root`, parsed later, names it in a file that does not parse.
        let module = "provider \"azurerm\" {\n  features {}\n}\nvariable \"vlan\" {}\n";
        let broken = "module \"m\" {\n  source = \"../../a/mod\"\n";
        let r = run(
            &[("a/mod/main.tf", module), ("b/root/main.tf", broken)],
            &["a/mod", "b/root"],
            CACHE_BYTES,
        );
        assert_eq!(r.units, [("a/mod".to_string(), Role::Library, 1)]);
        assert_eq!(r.problems, ["ER001"]);
    }

    #[test]
    fn directories_only_reached_through_a_cycle_are_libraries() {
        let a = caller("../b");
        let b = caller("../a");
        let r = run(
            &[("a/main.tf", &a), ("b/main.tf", &b)],
            &["a", "b"],
            CACHE_BYTES,
        );
        assert_eq!(
            r.units,
            [
                ("a".to_string(), Role::Library, 2),
                ("b".to_string(), Role::Library, 2)
            ]
        );
    }
}

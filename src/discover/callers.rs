//! Pre-commit context: the Terraform modules that call a named module directory.
//!
//! A commit that touches `modules/er/main.tf` names only that file, but the module's
//! inputs come from the directories that call it (`envs/prod` with
//! `source = "../../modules/er"`), which may sit anywhere in the repository. So for each
//! named directory that is not a root module (by `terraform::standalone_role`, the
//! predicate evaluation uses), the directories around it are
//! searched for `.tf` and `.tf.json` files whose local module sources resolve to it,
//! widening one directory at a time up to the repository (the nearest ancestor with
//! `.git`; outside one, at most three levels up) until a chain of callers reaches a root
//! module outside the module's own directory; the callers' files are added as context.
//!
//! Cost: parsing the named directory (and each caller found, once) to tell a root; for a
//! named library module, one substring search per Terraform file of the area searched.

use super::Discovered;
use super::callers_cache::{
    CallersCache, Found, RACY, Stamp, TopDir, finish_writes, read_staged, read_stamped, walk_tree,
    write_later,
};
#[cfg(test)]
use super::callers_index::object_id;
use super::callers_index::{Caller, Copy, IndexSource, object_id_matches};
use super::git_index::ObjectId;
use crate::source::paths::{normalize, normalize_in, tf_file_kind, tf_files_in};
use crate::source::{FileId, Overlay, SourceDb};
use crate::terraform::module::{ModuleIr, local_sources};
use crate::terraform::{Role, standalone_role};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A file read whose content is the staged one: its id and size.
type Staged = (ObjectId, u64);
/// A file's sources, and the stamp or the staged content's id to cache them under.
type Taken = (Vec<String>, Option<Stamp>, Option<Staged>);

/// How many levels of callers are followed (module → caller → its caller …).
const MAX_LEVELS: usize = 8;

/// How many areas around the named module (its directory, then each parent) are searched
/// before the cache is opened, unless the area is the repository's top: a module's callers
/// usually sit this near (`modules/x` called from the directory that holds `modules/`), and
/// opening a cache that holds a whole big repository costs more than reading the few files
/// of these areas (BENCHMARKS.md).
const NEAR_LEVELS: usize = 3;

/// The cache's use in a search: the window within which a change is too recent to be
/// cached, and the level (0: the module's own directory) from which it is used.
#[derive(Clone, Copy)]
struct CacheUse {
    racy: Duration,
    from_level: usize,
    /// Whether the cache is written on a thread of its own while the run goes on
    /// (`add_callers`; [`finish_writes`] waits for it).
    later: bool,
}

/// Local module calls found so far.
#[derive(Default)]
struct Calls {
    /// The files that call a local module, with its sources as written: resolved only
    /// where a source's last component names a directory the search looks for (most
    /// never do, and resolving every source of a big repository costs more than its
    /// search).
    by_caller: Vec<Caller>,
    /// Files already read (their paths' bytes), when several modules are searched for: the
    /// areas searched for one module never overlap (each widening skips the area before),
    /// but another module's may.
    read: Option<HashSet<OsString>>,
    /// How many were read from disk (not taken from the cache).
    files_read: usize,
    /// Larger files are not read (0: no limit).
    max_file_size: u64,
    /// The repository's cache of module sources (`None`: not in a repository, or
    /// `--no-cache`).
    cache: Option<CallersCache>,
    /// The repository's index, when the files are taken from it (`--callers-from-index`).
    index: Option<IndexSource>,
    /// The repository whose index was opened last (or could not be: it is not read again
    /// for each module of that repository).
    index_top: Option<PathBuf>,
    /// Whether the caches are written on a thread of their own ([`CacheUse::later`]).
    write_later: bool,
}

/// A file's sources: the cached ones taken, or read (within `max` bytes); and the stamp
/// it had when read (to be cached), or the id of the content read (when it is the staged
/// content's).
fn take(f: &mut Found, max: u64, overlay: &Overlay, top: Option<&TopDir>) -> Taken {
    if overlay.contains(&f.path) {
        let sources = read_within(&f.path, max, overlay)
            .map(|t| owned_sources(&t))
            .unwrap_or_default();
        return (sources, None, None);
    }
    if let Some(cached) = f.cached.take() {
        // Files over the size limit are not read here either.
        let large = f.stamp.is_some_and(|s| max > 0 && s.size() > max);
        return (if large { Vec::new() } else { cached }, None, None);
    }
    if let (Some(blob), Some(top)) = (&f.blob, top) {
        return match read_staged(&f.path, top, blob, max, |b| object_id_matches(b, &blob.id)) {
            Some((text, staged)) => {
                let id = staged.then_some((blob.id, text.len() as u64));
                (owned_sources(&text), None, id)
            }
            None => (Vec::new(), None, None),
        };
    }
    match read_stamped(&f.path, max) {
        (Some(stamp), Some(text)) => (owned_sources(&text), Some(stamp), None),
        _ => (Vec::new(), None, None),
    }
}

/// A copy takes the sources of the file of its content when that file holds the staged
/// content, as a warm search takes them from the cache by the content's id (its path is
/// made only when it has sources, pushed to `by_caller`); the others are returned, to be
/// read.
fn take_copies(
    index: Option<&IndexSource>,
    by_caller: &mut Vec<Caller>,
    copies: Vec<Copy>,
    read: &[Taken],
) -> Vec<Found> {
    let mut again = Vec::new();
    let Some(index) = index else {
        return again;
    };
    for c in copies {
        match read.get(c.of) {
            Some((sources, _, Some(_))) => {
                if !sources.is_empty()
                    && let Some(path) = index.copy_path(&c)
                {
                    by_caller.push(Caller::Made(path, sources.clone()));
                }
            }
            _ => again.extend(
                index
                    .copy_path(&c)
                    .zip(index.copy_blob(&c))
                    .map(|(p, blob)| Found::from_index(p, None, blob)),
            ),
        }
    }
    again
}

/// Of the files and copies a search found, those no search for another module read
/// already, which are then marked read. A copy whose file was read already is found on
/// its own (read, not taken from it).
fn not_read_yet(
    read: &mut HashSet<OsString>,
    index: Option<&IndexSource>,
    files: Vec<Found>,
    copies: Vec<Copy>,
) -> (Vec<Found>, Vec<Copy>) {
    let mut place = Vec::with_capacity(files.len());
    let mut kept = Vec::with_capacity(files.len());
    for f in files {
        if read.insert(f.path.as_os_str().to_os_string()) {
            place.push(Some(kept.len()));
            kept.push(f);
        } else {
            place.push(None);
        }
    }
    let mut rest = Vec::new();
    for mut c in copies {
        let Some(path) = index.and_then(|i| i.copy_path(&c)) else {
            continue;
        };
        if !read.insert(path.as_os_str().to_os_string()) {
            continue;
        }
        match place.get(c.of).copied().flatten() {
            Some(of) => {
                c.of = of;
                rest.push(c);
            }
            None => {
                if let Some(blob) = index.and_then(|i| i.copy_blob(&c)) {
                    kept.push(Found::from_index(path, None, blob));
                }
            }
        }
    }
    (kept, rest)
}

impl Calls {
    /// Read the Terraform files below `area`, except below `done` (already read), in
    /// parallel; with the cache, only those that changed since it was written.
    fn scan(&mut self, area: &Path, done: Option<&Path>, overlay: &Overlay) {
        let mut copies = Vec::new();
        let files: Vec<Found> = match (&mut self.index, &mut self.cache) {
            (Some(index), _) => {
                // Callers given by their place in the index (made only when looked at)
                // unless an overlay is to be looked at, or several modules are searched
                // for: files already read are then skipped by path, and the modules may
                // be in other repositories, whose index replaces this one.
                let lazy = overlay.is_empty() && self.read.is_none();
                let below = index.files_below(area, done, overlay, lazy);
                copies = below.copies;
                let mut cached = below.cached;
                if let Some(read) = &mut self.read {
                    cached.retain(|c| match c {
                        Caller::Made(path, _) => read.insert(path.as_os_str().to_os_string()),
                        Caller::Indexed { .. } => true,
                    });
                }
                // The longer list kept and the other moved into it: a warm search of the
                // top area finds one entry per calling file, not copied again entry by
                // entry. (The order of the list does not matter: `callers_of` answers a set.)
                if cached.len() > self.by_caller.len() {
                    std::mem::swap(&mut self.by_caller, &mut cached);
                }
                self.by_caller.append(&mut cached);
                below.files
            }
            (None, Some(cache)) => cache.files_below(area, done, overlay),
            (None, None) => terraform_files(area, done)
                .into_iter()
                .map(Found::uncached)
                .collect(),
        };
        let (mut files, copies) = match (&mut self.read, &self.index) {
            (Some(read), index) => not_read_yet(read, index.as_ref(), files, copies),
            (None, _) => (files, copies),
        };
        self.files_read += files.iter().filter(|f| f.cached.is_none()).count();
        let max = self.max_file_size;
        // Nothing to read (a warm search): the cached sources taken on this thread,
        // which is cheaper than handing them out.
        if files.iter().all(|f| f.cached.is_some()) && overlay.is_empty() {
            for mut f in files {
                let (sources, _, _) = take(&mut f, max, overlay, None);
                if !sources.is_empty() {
                    self.by_caller.push(Caller::Made(f.path, sources));
                }
            }
            return;
        }
        let top = self.index.as_ref().map(|i| &i.dir);
        let mut read: Vec<Taken> = files
            .par_iter_mut()
            .map(|f| take(f, max, overlay, top))
            .collect();
        let mut again = take_copies(self.index.as_ref(), &mut self.by_caller, copies, &read);
        if !again.is_empty() {
            self.files_read += again.len();
            read.extend(
                again
                    .par_iter_mut()
                    .map(|f| take(f, max, overlay, top))
                    .collect::<Vec<_>>(),
            );
            files.append(&mut again);
        }
        // (Room made once for what this area adds.)
        self.by_caller.reserve(files.len());
        if let Some(index) = &mut self.index {
            index.reserve_records(files.len());
        }
        for (f, (sources, stamp, staged)) in files.into_iter().zip(read) {
            if let (Some(stamp), Some(cache)) = (stamp, &mut self.cache) {
                cache.record(&f, stamp, &sources);
            }
            if let (Some((id, size)), Some(index)) = (staged, &mut self.index) {
                index.record(id, size, &sources);
            }
            if !sources.is_empty() {
                self.by_caller.push(Caller::Made(f.path, sources));
            }
        }
    }

    /// The directories that call `target`, directly or through other modules. (Paths are
    /// compared by their bytes: all are normalized.)
    fn callers_of(&self, target: &Path) -> BTreeSet<PathBuf> {
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut frontier: HashSet<PathBuf> = [target.to_path_buf()].into_iter().collect();
        for _ in 0..MAX_LEVELS {
            // A source resolves to a directory of the frontier only if it ends with that
            // directory's name (or with `..`, which `file_name` does not give).
            let names: Option<HashSet<&OsStr, foldhash::fast::RandomState>> =
                frontier.iter().map(|d| d.file_name()).collect();
            let mut next: HashSet<PathBuf> = HashSet::new();
            // The directory of `file` when one of its sources resolves to the frontier.
            // (Its path is made only then.)
            let calls = |file: &dyn Fn() -> Option<PathBuf>,
                         sources: &mut dyn Iterator<Item = &str>| {
                let mut dir: Option<PathBuf> = None;
                for src in sources {
                    let named = |n: &OsStr| names.as_ref().is_none_or(|names| names.contains(n));
                    if file_name(src).is_some_and(|n| !named(n)) {
                        continue;
                    }
                    let src = Path::new(src);
                    let dir = match &mut dir {
                        Some(dir) => dir,
                        None => {
                            let file = file()?;
                            dir.insert(normalize(file.parent().unwrap_or(Path::new("."))))
                        }
                    };
                    if dir.as_path() != target
                        && !seen.contains(dir.as_path())
                        && frontier.contains(&normalize_in(dir, src))
                    {
                        return Some(dir.clone());
                    }
                }
                None
            };
            for caller in &self.by_caller {
                let dir = match caller {
                    Caller::Made(file, sources) => calls(
                        &|| Some(file.clone()),
                        &mut sources.iter().map(String::as_str),
                    ),
                    Caller::Indexed { name, record } => {
                        let Some(index) = &self.index else { continue };
                        calls(
                            &|| index.caller_path(name),
                            &mut index.caller_sources(*record),
                        )
                    }
                };
                next.extend(dir);
            }
            if next.is_empty() {
                break;
            }
            seen.extend(next.iter().cloned());
            frontier = next;
        }
        seen.into_iter().collect()
    }
}

/// Add the Terraform files of the directories that (transitively) call a named module.
///
/// The search widens one directory at a time, from the module's own directory up to the
/// repository root, and stops as soon as a chain of callers reaches a root module (whose
/// inputs are then all known): callers usually sit near the module, and a commit hook
/// must not read the whole monorepo when it need not.
pub fn add_callers(
    found: &mut Discovered,
    cwd: &Path,
    max_file_size: u64,
    overlay: &Overlay,
    use_cache: bool,
    from_index: bool,
) {
    search(
        found,
        cwd,
        max_file_size,
        overlay,
        use_cache.then_some(CacheUse {
            racy: RACY,
            from_level: NEAR_LEVELS,
            later: true,
        }),
        from_index,
    );
}

/// [`add_callers`], with the cache if `cache` is the window within which a change is too
/// recent to be cached; the number of Terraform files read (not taken from the cache).
fn search(
    found: &mut Discovered,
    cwd: &Path,
    max_file_size: u64,
    overlay: &Overlay,
    cache: Option<CacheUse>,
    from_index: bool,
) -> usize {
    let Some(named) = &found.named else { return 0 };
    let mut roots = Roots::new(max_file_size, overlay);
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    for f in named {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if tf_file_kind(name).is_none() {
            continue;
        }
        // `main.tf` named in the current directory has an empty parent.
        let dir = normalize(
            f.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        );
        if !roots.is_root(&dir) {
            targets.insert(dir);
        }
    }
    let cwd = normalize(cwd);
    // The caches an earlier search of this process is writing (the language server's).
    finish_writes();
    let mut calls = Calls {
        max_file_size,
        read: (targets.len() > 1).then(HashSet::new),
        write_later: cache.is_some_and(|c| c.later),
        ..Calls::default()
    };
    for target in targets {
        let top = search_top(&target, &cwd);
        let in_repository = top.join(".git").exists();
        // One cache per repository (the top holds `.git`).
        let cached = cache.filter(|_| in_repository);
        if calls
            .cache
            .as_ref()
            .is_some_and(|c| cached.is_none() || c.top() != top)
        {
            calls.save_cache();
        }
        if from_index && calls.index_top.as_ref() != Some(&top) {
            calls.save_cache();
            calls.index = in_repository
                .then(|| IndexSource::open(&top, &cwd, cached.is_some(), max_file_size, overlay))
                .flatten();
            calls.index_top = Some(top.clone());
        }
        let mut area = target.clone();
        let mut done: Option<PathBuf> = None;
        for level in 0.. {
            // Near areas are small: read without opening the cache, whose cost grows
            // with the repository; the repository's top never is.
            if let Some(CacheUse {
                racy, from_level, ..
            }) = cached
                && (level >= from_level || area == top)
                && calls.cache.is_none()
                && calls.index.is_none()
            {
                calls.cache = Some(CallersCache::open(&top, racy));
            }
            calls.scan(&area, done.as_deref(), overlay);
            let callers = calls.callers_of(&target);
            // A root inside the module (its `examples/`, `tests/`) is not the real caller.
            let reached_root = callers
                .iter()
                .any(|d| !d.starts_with(&target) && roots.is_root(d));
            let widen = area
                .parent()
                .filter(|_| area != top && area.starts_with(&top))
                .map(Path::to_path_buf);
            match widen {
                Some(parent) if !reached_root => {
                    done = Some(std::mem::replace(&mut area, parent));
                }
                _ => {
                    for c in &callers {
                        found.files.extend(tf_files_in(c));
                    }
                    break;
                }
            }
        }
    }
    calls.save_cache();
    calls.files_read
}

impl Calls {
    fn save_cache(&mut self) {
        let cache = self.cache.take().filter(CallersCache::changed);
        let index = self.index.take().filter(IndexSource::changed);
        if cache.is_none() && index.is_none() {
            // Nothing to write (a warm search): no thread for it.
            return;
        }
        let save = move || {
            if let Some(cache) = cache {
                cache.save();
            }
            if let Some(index) = index {
                index.save();
            }
        };
        if self.write_later {
            // Encoded and written while the files found are linted (a cold search of a
            // big repository writes thousands of records).
            write_later(save);
        } else {
            save();
        }
    }
}

/// `Path::file_name` of `src`, read off its last `/` when that gives a plain name (the
/// common case: `../modules/net`), without parsing the whole path.
fn file_name(src: &str) -> Option<&OsStr> {
    match src.rsplit_once('/') {
        Some((_, last)) if !matches!(last, "" | "." | "..") && !last.contains('\\') => {
            Some(OsStr::new(last))
        }
        _ => Path::new(src).file_name(),
    }
}

/// The local module sources written in `text`, owned.
fn owned_sources(text: &str) -> Vec<String> {
    local_sources(text)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// What the pre-commit searches need to know about a directory, read once each: whether
/// it is a root module, by the predicate evaluation uses ([`standalone_role`]), and which
/// variables it declares.
#[derive(Default)]
pub(super) struct Roots {
    known: HashMap<PathBuf, DirSummary>,
    /// Texts read instead of the files on disk (stdin, an editor's buffers).
    overlay: Overlay,
    /// Larger files are not read (0: [`MAX_FILE_SIZE`]).
    max_file_size: u64,
}

#[derive(Clone, Default)]
pub(super) struct DirSummary {
    /// A root module with configuration (not a directory of tfvars only).
    pub root: bool,
    pub variables: HashSet<String>,
}

impl Roots {
    /// Files over `max_file_size` (the run's limit; 0: none) or over [`MAX_FILE_SIZE`] are
    /// not read; files in `overlay` are read from it.
    pub(super) fn new(max_file_size: u64, overlay: &Overlay) -> Roots {
        Roots {
            known: HashMap::new(),
            overlay: overlay.clone(),
            max_file_size,
        }
    }

    pub(super) fn summary(&mut self, dir: &Path) -> &DirSummary {
        let max_size = match self.max_file_size {
            0 => MAX_FILE_SIZE,
            n => n.min(MAX_FILE_SIZE),
        };
        let overlay = &self.overlay;
        self.known.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut db = SourceDb::with_overlay(max_size, overlay.clone());
            let mut paths = tf_files_in(dir);
            // A file that exists only in the overlay (an unsaved buffer) is there too.
            for p in overlay.paths() {
                let is_tf = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(tf_file_kind)
                    .is_some();
                if is_tf && p.parent() == Some(dir) && !paths.iter().any(|f| normalize(f) == p) {
                    paths.push(p.to_path_buf());
                }
            }
            let files: Vec<FileId> = paths
                .into_iter()
                .map(|f| {
                    let shown = f.display().to_string();
                    db.add(f, shown)
                })
                .collect();
            let m = ModuleIr::load(&db, dir.to_path_buf(), String::new(), &files);
            // A backend makes a root even with nothing erlint reads in it (only other
            // resources): its callers need not be searched.
            let has_config = !m.resources.is_empty()
                || !m.module_calls.is_empty()
                || !m.providers.is_empty()
                || !m.variables.is_empty()
                || m.has_backend;
            DirSummary {
                root: has_config && standalone_role(&m) == Role::Root,
                variables: m.variables.iter().map(|v| v.name.to_string()).collect(),
            }
        })
    }

    pub(super) fn is_root(&mut self, dir: &Path) -> bool {
        self.summary(dir).root
    }
}

/// Files larger than this are not read to decide whether a directory is a root (the run
/// itself reports them).
const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// The text of `file` (from `overlay` when it holds the file) unless it is larger than
/// `max_file_size` (the run's limit, 0: none) or cannot be read as UTF-8: the searches read
/// no more than the run would.
pub(super) fn read_within(file: &Path, max_file_size: u64, overlay: &Overlay) -> Option<String> {
    if let Some(text) = overlay.get(file) {
        let small = max_file_size == 0 || text.len() as u64 <= max_file_size;
        return small.then(|| text.to_string());
    }
    // (A FIFO or a device where a file was expected would block or never end: not read.)
    let small = std::fs::metadata(file)
        .is_ok_and(|m| m.is_file() && (max_file_size == 0 || m.len() <= max_file_size));
    small.then(|| std::fs::read_to_string(file).ok()).flatten()
}

/// Where the search for callers stops widening: the nearest ancestor of `dir` holding
/// `.git`; outside a repository, three directories up and never above the current
/// directory (never a walk of the whole file system).
pub(super) fn search_top(dir: &Path, cwd: &Path) -> PathBuf {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        cur = d.parent();
    }
    let mut top = dir.to_path_buf();
    for _ in 0..3 {
        if top == cwd {
            break;
        }
        match top.parent() {
            Some(p) if !p.as_os_str().is_empty() => top = p.to_path_buf(),
            _ => break,
        }
    }
    top
}

/// `.tf`, `.tf.json`, `.tofu` and `.tofu.json` files below `root`, as a walk of the repository finds them
/// (`.gitignore` honoured, `.git`, `.terraform` and `node_modules` skipped).
fn terraform_files(root: &Path, skip: Option<&Path>) -> Vec<PathBuf> {
    walk_tree(root, skip, false).files
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::git_index::tests::git;
    use super::*;

    #[test]
    fn sources_in_hcl_and_json() {
        let hcl = "module \"er\" {\n  source   = \"../../modules/er\"\n  for_each = var.x\n}\nmodule \"r\" {\n  source = \"Azure/avm-res/azurerm\"\n}\n";
        assert_eq!(local_sources(hcl), ["../../modules/er"]);
        let json = r#"{"module": {"er": {"source": "./modules/er", "vlan": 100}}}"#;
        assert_eq!(local_sources(json), ["./modules/er"]);
        assert!(local_sources("data_source = \"./x\"").is_empty());
        assert!(local_sources("# source: ./x\n").is_empty());
        // A source's last name, as `Path::file_name` gives it.
        for src in [
            "../modules/er",
            "./m",
            "m",
            "../../a/b/",
            "./a/.",
            "../..",
            "..",
            ".",
            "/",
            "",
            "./a//b",
            "a\\b/c",
            "./a/b\\c",
        ] {
            assert_eq!(file_name(src), Path::new(src).file_name(), "{src}");
        }
    }

    #[test]
    fn roots_are_told_by_the_predicate_evaluation_uses() {
        let tmp = tempfile::tempdir().unwrap();
        let w = |p: &str, t: &str| write(tmp.path(), p, t);
        let interface = "terraform {\n  required_providers {\n    azurerm = { source = \"hashicorp/azurerm\" }\n  }\n}\nvariable \"name\" {}\n";
        w("registry/main.tf", interface);
        w("registry-with-var-file/main.tf", interface);
        w("registry-with-var-file/prod.tfvars", "name = \"x\"\n");
        w("plain/main.tf", "variable \"name\" {}\n");
        w("modules/er/main.tf", "variable \"name\" {}\n");
        w(
            "modules/env/main.tf",
            "provider \"azurerm\" {\n  features {}\n}\n",
        );
        w("modules/locked/main.tf", "variable \"name\" {}\n");
        w("modules/locked/.terraform.lock.hcl", "");
        w(
            "stacks/nsg/main.tf",
            "terraform {\n  backend \"azurerm\" {}\n}\nresource \"azurerm_network_security_group\" \"a\" {}\n",
        );
        w(
            "stacks/other/main.tf",
            "resource \"azurerm_network_security_group\" \"a\" {}\n",
        );
        let mut roots = Roots::default();
        let mut is_root = |d: &str| roots.is_root(&normalize(&tmp.path().join(d)));
        assert!(!is_root("registry"));
        assert!(is_root("registry-with-var-file"));
        assert!(is_root("plain"));
        assert!(!is_root("modules/er"));
        assert!(is_root("modules/env"));
        assert!(is_root("modules/locked"));
        // Nothing erlint reads, but a backend: a root, whose callers are not searched.
        assert!(is_root("stacks/nsg"));
        assert!(!is_root("stacks/other"));
    }

    #[test]
    fn callers_anywhere_in_the_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let w = |p: &str, t: &str| write(root, p, t);
        std::fs::create_dir_all(root.join(".git")).unwrap();
        // A comment that mentions a provider block does not make the module a root.
        w(
            "modules/er/main.tf",
            "# the caller configures provider \"azurerm\" {}\nvariable \"primary\" {}\n",
        );
        // A root inside the module (its example) does not end the search.
        w(
            "modules/er/examples/basic/main.tf",
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../..\"\n}\n",
        );
        w(
            "modules/hub/main.tf",
            "module \"er\" {\n  source = \"../er\"\n}\n",
        );
        w(
            "envs/prod/main.tf",
            "provider \"azurerm\" {}\nmodule \"hub\" {\n  source = \"../../modules/hub\"\n}\n",
        );
        w("envs/dev/main.tf", "provider \"azurerm\" {}\n");
        let mut found = named_file(&root.join("modules/er/main.tf"));
        add_callers(&mut found, root, 0, &Overlay::default(), false, false);
        let files = relative(root, &found.files);
        assert_eq!(
            files,
            [
                "envs/prod/main.tf",
                "modules/er/examples/basic/main.tf",
                "modules/er/main.tf",
                "modules/hub/main.tf"
            ]
        );
    }

    /// A repository where `modules/er` is called from far away: by `envs/prod` (a root)
    /// through `modules/hub`, and by `regions/weu/prod` directly; plus unrelated roots.
    fn far_callers_repo() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let w = |p: &str, t: &str| write(root, p, t);
        w("modules/er/main.tf", "variable \"primary\" {}\n");
        w(
            "modules/hub/main.tf",
            "module \"er\" {\n  source = \"../er\"\n}\n",
        );
        w(
            "envs/prod/main.tf",
            "provider \"azurerm\" {}\nmodule \"hub\" {\n  source = \"../../modules/hub\"\n}\n",
        );
        w(
            "regions/weu/prod/main.tf",
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../../modules/er\"\n}\n",
        );
        for i in 0..5 {
            w(
                &format!("stacks/s{i}/main.tf"),
                "provider \"azurerm\" {}\nmodule \"net\" {\n  source = \"./modules/net\"\n}\n",
            );
            w(
                &format!("stacks/s{i}/modules/net/main.tf"),
                "variable \"x\" {}\n",
            );
        }
        tmp
    }

    /// Write `t` to `root/p`, making its directories.
    pub(crate) fn write(root: &Path, p: &str, t: &str) {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    }

    /// A file of the index read with the index's size for it: whole and confirmed staged
    /// when the file has that size; read to its end when it grew, shrank, or changed at
    /// the same size (then not staged); over the size limit or not UTF-8, nothing.
    #[test]
    fn staged_files_are_read_whole_whatever_size_the_index_recorded() {
        use super::super::git_index::IndexBlob;
        let tmp = tempfile::tempdir().unwrap();
        let text = "module \"er\" {\n  source = \"../er\"\n}\n";
        write(tmp.path(), "main.tf", text);
        let path = tmp.path().join("main.tf");
        let staged = |size: usize| IndexBlob {
            id: object_id(text.as_bytes()),
            size: u32::try_from(size).unwrap(),
        };
        let top = TopDir::new(tmp.path());
        let read = |blob: &IndexBlob, max: u64| {
            read_staged(&path, &top, blob, max, |b| object_id_matches(b, &blob.id))
        };
        let whole = Some((text.to_string(), true));
        // The size git saw, less (the file grew), more (it shrank), none recorded, more
        // than anything is allocated for.
        for size in [
            text.len(),
            text.len() - 10,
            text.len() + 7,
            0,
            u32::MAX as usize,
        ] {
            assert_eq!(read(&staged(size), 0), whole, "index size {size}");
        }
        // Changed at the same size: read whole, not the staged content.
        let other = text.replace("er", "ex");
        write(tmp.path(), "main.tf", &other);
        assert_eq!(read(&staged(text.len()), 0), Some((other.clone(), false)));
        // The limit is the file's own size, not the recorded one.
        write(tmp.path(), "main.tf", text);
        assert_eq!(read(&staged(10_000), 100), whole);
        assert_eq!(read(&staged(text.len()), 10), None);
        assert_eq!(read(&staged(4), 10), None);
        std::fs::write(&path, b"source = \"\xff\"").unwrap();
        assert_eq!(read(&staged(13), 0), None);
    }

    /// What discovery gives for one named file (the pre-commit case).
    fn named_file(named: &Path) -> Discovered {
        Discovered {
            files: [named.to_path_buf()].into_iter().collect(),
            named: Some([named.to_path_buf()].into_iter().collect()),
            ..Default::default()
        }
    }

    /// The cache from the module's own directory on, with no racy window (the tests control
    /// the clock).
    fn eager() -> Option<CacheUse> {
        Some(CacheUse {
            racy: Duration::ZERO,
            from_level: 0,
            later: false,
        })
    }

    /// The files a search for the callers of `modules/er/main.tf` adds (relative), and how
    /// many Terraform files it read; with the cache (no racy window: the test controls
    /// the clock) or without.
    fn callers_search(root: &Path, cache: bool) -> (Vec<String>, usize) {
        searched(root, cache, false)
    }

    /// [`callers_search`] over git's index (`--callers-from-index`), with the cache
    /// (no racy window) or without.
    fn index_search(root: &Path, cache: bool) -> (Vec<String>, usize) {
        searched(root, cache, true)
    }

    fn searched(root: &Path, cache: bool, from_index: bool) -> (Vec<String>, usize) {
        let mut found = named_file(&root.join("modules/er/main.tf"));
        let cache = if cache { eager() } else { None };
        let read = search(&mut found, root, 0, &Overlay::default(), cache, from_index);
        (relative(root, &found.files), read)
    }

    /// `files` relative to `root`, in their order.
    fn relative(root: &Path, files: &BTreeSet<PathBuf>) -> Vec<String> {
        let root = normalize(root);
        files
            .iter()
            .map(|p| {
                normalize(p)
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    /// [`far_callers_repo`] as a git repository, every file staged.
    fn staged_far_callers_repo() -> tempfile::TempDir {
        let tmp = far_callers_repo();
        let root = tmp.path();
        std::fs::remove_dir_all(root.join(".git")).unwrap();
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        tmp
    }

    #[test]
    fn callers_from_the_index_are_the_walks_when_everything_is_staged() {
        let repo = staged_far_callers_repo();
        let root = repo.path();
        let (mut walked, _) = callers_search(root, false);
        walked.sort();
        assert_eq!(
            walked,
            [
                "envs/prod/main.tf",
                "modules/er/main.tf",
                "modules/hub/main.tf",
                "regions/weu/prod/main.tf"
            ]
        );
        // Without the cache every content is read once (the five stacks' `main.tf` have
        // one content, and their modules' `main.tf` another: 14 files, 6 contents); with
        // it, the first search reads them and the next none; the answer is the same each
        // time.
        let contents = 6;
        assert_eq!(index_search(root, false), (walked.clone(), contents));
        assert_eq!(index_search(root, true), (walked.clone(), contents));
        assert!(root.join(".erlint_cache/blobs").is_file());
        assert_eq!(index_search(root, true), (walked.clone(), 0));
        // The walk's own cache is not written by these searches.
        assert!(!root.join(".erlint_cache/callers").exists());
        // Hidden directories and those always skipped are left out as by the walk.
        for dir in [".hidden", "node_modules/x", ".terraform/modules/x"] {
            write(
                root,
                &format!("{dir}/main.tf"),
                "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../modules/er\"\n}\n",
            );
        }
        git(root, &["add", "-f", "-A"]);
        assert_eq!(index_search(root, true).0, walked);
    }

    #[test]
    fn the_cache_written_on_its_own_thread_is_there_once_waited_for() {
        let repo = staged_far_callers_repo();
        let root = repo.path();
        let mut found = named_file(&root.join("modules/er/main.tf"));
        add_callers(&mut found, root, 0, &Overlay::default(), true, true);
        finish_writes();
        assert!(root.join(".erlint_cache/blobs").is_file());
        // The next search takes every content from it, and finds the same callers.
        let mut again = named_file(&root.join("modules/er/main.tf"));
        let read = search(&mut again, root, 0, &Overlay::default(), eager(), true);
        assert_eq!((read, &again.files), (0, &found.files));
        assert_eq!(relative(root, &found.files).len(), 4);
    }

    #[test]
    fn a_content_staged_at_several_paths_is_read_at_one() {
        let repo = staged_far_callers_repo();
        let root = repo.path();
        // Three roots of one content, which calls the module (`regions/weu/prod` has it).
        let caller =
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../../modules/er\"\n}\n";
        for region in ["aaa", "bbb"] {
            write(root, &format!("regions/{region}/prod/main.tf"), caller);
        }
        git(root, &["add", "-A"]);
        let has = |files: &[String], region: &str| {
            files.contains(&format!("regions/{region}/prod/main.tf"))
        };
        // Cold, with the cache or without: the first of them is read, and all three call
        // the module; 6 contents in 16 files.
        for cache in [false, true] {
            let _ = std::fs::remove_dir_all(root.join(".erlint_cache"));
            let (files, read) = index_search(root, cache);
            assert!(
                ["aaa", "bbb", "weu"].iter().all(|r| has(&files, r)),
                "{files:?}"
            );
            assert_eq!(read, 6);
            assert_eq!(files, callers_search(root, false).0);
        }
        // The first (in the index's order, by path) changed since it was staged: it is read
        // as it is in the work tree, as a file whose content is read only there, and the
        // other two, which nothing read then vouches for, are read each.
        write(
            root,
            "regions/aaa/prod/main.tf",
            "provider \"azurerm\" {}\n",
        );
        for cache in [false, true] {
            let _ = std::fs::remove_dir_all(root.join(".erlint_cache"));
            let (files, read) = index_search(root, cache);
            assert!(
                !has(&files, "aaa") && has(&files, "bbb") && has(&files, "weu"),
                "{files:?}"
            );
            assert_eq!(read, 8);
        }
        // Another copy changed: the first one read holds the staged content, which the
        // changed copy is taken to hold too, as a warm search takes it from the cache.
        write(root, "regions/aaa/prod/main.tf", caller);
        write(
            root,
            "regions/bbb/prod/main.tf",
            "provider \"azurerm\" {}\n",
        );
        let (files, read) = index_search(root, false);
        assert!(
            ["aaa", "bbb", "weu"].iter().all(|r| has(&files, r)),
            "{files:?}"
        );
        assert_eq!(read, 6);
        std::fs::remove_dir_all(root.join(".erlint_cache")).unwrap();
        assert_eq!(index_search(root, true), (files, 6));
        assert_eq!(index_search(root, true).1, 0);
    }

    /// Two modules searched from the index, the first search reading the first file of a
    /// content and not its copy: the second search reads the copy on its own, and finds it
    /// calls its module (the same `source` from another directory), as the walk does.
    #[test]
    fn a_copy_of_a_content_read_by_an_earlier_search_is_read_on_its_own() {
        let repo = staged_far_callers_repo();
        let root = repo.path();
        let content =
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../modules/er\"\n}\n";
        write(root, "a/modules/x/main.tf", "variable \"y\" {}\n");
        write(
            root,
            "a/main.tf",
            "provider \"azurerm\" {}\nmodule \"x\" {\n  source = \"./modules/x\"\n}\n",
        );
        // Read by the search for `a/modules/x` (its `source` is `a/modules/er` there) …
        write(root, "a/envs/one/main.tf", content);
        // … and the same content here calls `modules/er`.
        write(root, "envs2/two/main.tf", content);
        // Two more of one content, both callers: the second search takes one's sources
        // from the other, after the files the first search read left its list.
        for dir in ["envs3/p", "envs4/q"] {
            write(
                root,
                &format!("{dir}/main.tf"),
                &content.replace("\"er\"", "\"er2\""),
            );
        }
        git(root, &["add", "-A"]);
        let named = [
            root.join("a/modules/x/main.tf"),
            root.join("modules/er/main.tf"),
        ];
        let both = |from_index: bool| {
            let mut found = Discovered {
                files: named.iter().cloned().collect(),
                named: Some(named.iter().cloned().collect()),
                ..Default::default()
            };
            search(&mut found, root, 0, &Overlay::default(), None, from_index);
            relative(root, &found.files)
        };
        let walked = both(false);
        let has = |f: &str| walked.iter().any(|w| w == f);
        for caller in [
            "a/main.tf",
            "envs2/two/main.tf",
            "envs3/p/main.tf",
            "envs4/q/main.tf",
        ] {
            assert!(has(caller), "{caller}: {walked:?}");
        }
        assert!(!has("a/envs/one/main.tf"), "{walked:?}");
        assert_eq!(both(true), walked);
    }

    /// A FIFO in the work tree where the index has a file (a staged file replaced by
    /// hand) is not read: the search ends, with the walk's answer (the walk does not read
    /// it either).
    #[cfg(unix)]
    #[test]
    fn a_fifo_where_the_index_has_a_file_is_not_read() {
        let repo = staged_far_callers_repo();
        let root = repo.path().to_path_buf();
        let caller =
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../../modules/er\"\n}\n";
        // One content at two paths (the second a copy of the first) and one on its own:
        // each is replaced by a FIFO in turn below.
        write(&root, "regions/aaa/prod/main.tf", caller);
        write(&root, "regions/bbb/prod/main.tf", caller);
        write(&root, "regions/ccc/prod/main.tf", "locals {}\n");
        git(&root, &["add", "-A"]);
        for replaced in ["regions/aaa/prod/main.tf", "regions/ccc/prod/main.tf"] {
            let pipe = root.join(replaced);
            let original = std::fs::read(&pipe).unwrap();
            if !fifo_in_place_of(&pipe) {
                return;
            }
            for cache in [false, true] {
                let root = root.clone();
                let (from_index, walked) = ends(replaced, move || {
                    let _ = std::fs::remove_dir_all(root.join(".erlint_cache"));
                    (index_search(&root, cache).0, callers_search(&root, false).0)
                });
                assert_eq!(from_index, walked, "{replaced}");
                assert!(!from_index.iter().any(|f| f == replaced), "{from_index:?}");
            }
            std::fs::remove_file(&pipe).unwrap();
            std::fs::write(&pipe, original).unwrap();
        }
    }

    /// Replace the file at `path` with a FIFO; false when `mkfifo` cannot (the test then
    /// has nothing to show).
    #[cfg(unix)]
    pub(crate) fn fifo_in_place_of(path: &Path) -> bool {
        std::fs::remove_file(path).unwrap();
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    }

    /// What `f` gives, run on a thread; a panic naming `what` when it has not ended within
    /// 20 seconds (a search that waits on a FIFO would never end).
    pub(crate) fn ends<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("{what}: the search did not end"))
    }

    #[test]
    fn a_repository_with_a_checked_out_submodule_is_walked() {
        // The walk goes into the submodule; the superproject's index holds only its
        // commit, so the search walks there too and finds the caller inside it.
        let repo = staged_far_callers_repo();
        let root = repo.path();
        let upstream = tempfile::tempdir().unwrap();
        write(
            upstream.path(),
            "envs/test/main.tf",
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../../modules/er\"\n}\n",
        );
        git(upstream.path(), &["init", "-q"]);
        git(upstream.path(), &["add", "-A"]);
        git(upstream.path(), &["commit", "-q", "-m", "sub"]);
        let url = upstream.path().to_str().unwrap();
        git(
            root,
            &[
                "-c",
                "protocol.file.allow=always",
                "submodule",
                "add",
                "-q",
                url,
                "sub",
            ],
        );
        let (walked, _) = callers_search(root, false);
        assert!(
            walked.contains(&"sub/envs/test/main.tf".to_string()),
            "{walked:?}"
        );
        assert_eq!(index_search(root, false).0, walked);
        assert_eq!(index_search(root, true).0, walked);
        // Not checked out (`git submodule deinit`): nothing to walk into, the index is read.
        git(root, &["submodule", "deinit", "-q", "-f", "sub"]);
        let (walked, _) = callers_search(root, false);
        assert!(
            !walked.contains(&"sub/envs/test/main.tf".to_string()),
            "{walked:?}"
        );
        assert_eq!(index_search(root, true).0, walked);
        assert_eq!(index_search(root, true), (walked, 0), "cached");
    }

    #[test]
    fn callers_of_two_modules_from_the_index_are_the_walks() {
        let repo = staged_far_callers_repo();
        let root = repo.path();
        let two = |from_index: bool, cache: Option<CacheUse>| {
            let named: BTreeSet<PathBuf> = ["modules/er/main.tf", "stacks/s1/modules/net/main.tf"]
                .iter()
                .map(|p| root.join(p))
                .collect();
            let mut found = Discovered {
                files: named.clone(),
                named: Some(named),
                ..Default::default()
            };
            let read = search(&mut found, root, 0, &Overlay::default(), cache, from_index);
            (relative(root, &found.files), read)
        };
        let (walked, _) = two(false, None);
        assert!(
            walked.contains(&"stacks/s1/main.tf".to_string()),
            "{walked:?}"
        );
        assert!(
            walked.contains(&"envs/prod/main.tf".to_string()),
            "{walked:?}"
        );
        assert_eq!(two(true, None).0, walked);
        assert_eq!(two(true, eager()).0, walked);
        assert_eq!(two(true, eager()), (walked, 0));
    }

    #[test]
    fn callers_from_the_index_are_what_the_commit_holds() {
        let repo = staged_far_callers_repo();
        let root = repo.path();
        let _ = index_search(root, true);
        // (Not the content of `regions/weu/prod/main.tf`, whose id is cached.)
        let caller =
            "module \"er\" {\n  source = \"../../../modules/er\"\n}\nprovider \"azurerm\" {}\n";
        // An untracked caller is the walk's, not the index's (a clean clone lacks it).
        write(root, "regions/neu/prod/main.tf", caller);
        let walked = |root: &Path| {
            let (mut files, _) = callers_search(root, false);
            files.sort();
            files
        };
        assert!(walked(root).contains(&"regions/neu/prod/main.tf".to_string()));
        let (files, read) = index_search(root, true);
        assert!(
            !files.contains(&"regions/neu/prod/main.tf".to_string()),
            "{files:?}"
        );
        assert_eq!(read, 0);
        // Staged, it is; only it is read.
        git(root, &["add", "regions/neu/prod/main.tf"]);
        let (files, read) = index_search(root, true);
        assert!(
            files.contains(&"regions/neu/prod/main.tf".to_string()),
            "{files:?}"
        );
        assert_eq!(read, 1);
        assert_eq!(files, walked(root));
        // A change not staged is not seen: the staged content's sources are cached.
        write(root, "envs/prod/main.tf", "provider \"azurerm\" {}\n");
        let (files, read) = index_search(root, true);
        assert!(
            files.contains(&"envs/prod/main.tf".to_string()),
            "{files:?}"
        );
        assert!(!walked(root).contains(&"envs/prod/main.tf".to_string()));
        assert_eq!(read, 0);
        // Staged, it is seen.
        git(root, &["add", "envs/prod/main.tf"]);
        let (files, read) = index_search(root, true);
        assert!(
            !files.contains(&"envs/prod/main.tf".to_string()),
            "{files:?}"
        );
        assert_eq!(read, 1);
        // A file whose staged content was never read and that changed since it was staged
        // is read from the work tree, and not cached: read again next time.
        let sea = format!("# sea\n{caller}");
        write(root, "regions/sea/prod/main.tf", &sea);
        git(root, &["add", "regions/sea/prod/main.tf"]);
        write(
            root,
            "regions/sea/prod/main.tf",
            "provider \"azurerm\" {}\n",
        );
        for _ in 0..2 {
            let (files, read) = index_search(root, true);
            assert!(
                !files.contains(&"regions/sea/prod/main.tf".to_string()),
                "{files:?}"
            );
            assert_eq!(read, 1);
        }
        // Line ends: a file checked out with CRLF has the id of its LF content.
        write(root, "regions/sea/prod/main.tf", &sea.replace('\n', "\r\n"));
        git(
            root,
            &[
                "-c",
                "core.autocrlf=true",
                "add",
                "regions/sea/prod/main.tf",
            ],
        );
        let (files, read) = index_search(root, true);
        assert!(
            files.contains(&"regions/sea/prod/main.tf".to_string()),
            "{files:?}"
        );
        assert_eq!(read, 1);
        assert_eq!(
            index_search(root, true).1,
            0,
            "cached by the staged (LF) content's id"
        );
    }

    /// The search with the cache, checked against the search without it.
    fn cached_search(root: &Path) -> (Vec<String>, usize) {
        let (without, _) = callers_search(root, false);
        let (with, read) = callers_search(root, true);
        assert_eq!(with, without, "the cache changed the answer");
        (with, read)
    }

    /// The cache file a search of `root` writes, and its bytes.
    fn written_cache(root: &Path) -> (PathBuf, Vec<u8>) {
        let _ = cached_search(root);
        let file = root.join(".erlint_cache/callers");
        let good = std::fs::read(&file).unwrap();
        (file, good)
    }

    /// Let the file system's clock move on, so that what is written next has other times.
    fn tick() {
        std::thread::sleep(std::time::Duration::from_millis(30));
    }

    const FAR_CALLERS: [&str; 4] = [
        "envs/prod/main.tf",
        "modules/er/main.tf",
        "modules/hub/main.tf",
        "regions/weu/prod/main.tf",
    ];

    #[test]
    fn callers_found_near_the_module_never_open_the_cache() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let mut found = named_file(&root.join("stacks/s0/modules/net/main.tf"));
        let cache = Some(CacheUse {
            racy: Duration::ZERO,
            from_level: NEAR_LEVELS,
            later: false,
        });
        let read = search(&mut found, root, 0, &Overlay::default(), cache, false);
        // `modules/net`, `modules`, then `stacks/s0` with its caller: read without the cache.
        assert_eq!(read, 2);
        assert!(
            found
                .files
                .contains(&normalize(&root.join("stacks/s0/main.tf")))
        );
        assert!(!root.join(".erlint_cache").exists(), "the cache was opened");
        // A far caller opens it.
        let mut found = named_file(&root.join("modules/er/main.tf"));
        let deep = Some(CacheUse {
            racy: Duration::ZERO,
            from_level: 1,
            later: false,
        });
        let _ = search(&mut found, root, 0, &Overlay::default(), deep, false);
        assert!(root.join(".erlint_cache/callers").is_file());
    }

    #[test]
    fn a_warm_cache_gives_the_same_callers_and_reads_no_file() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 14, "cold: every Terraform file of the repository");
        assert!(root.join(".erlint_cache/callers").is_file());
        assert_eq!(
            std::fs::read_to_string(root.join(".erlint_cache/.gitignore")).unwrap(),
            "# Created by erlint.\n*\n"
        );
        tick();
        // Creating `.erlint_cache/` changed the top directory: listed again, once.
        let _ = cached_search(root);
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 0, "warm: no file read");
        let (_, read) = callers_search(root, false);
        assert_eq!(read, 14, "without the cache every file is read");
    }

    #[test]
    fn a_file_whose_size_or_time_changed_is_read_again() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        let _ = cached_search(root);
        // Size: the region's root no longer calls the module.
        tick();
        write(
            root,
            "regions/weu/prod/main.tf",
            "provider \"azurerm\" {}\n",
        );
        let (files, read) = cached_search(root);
        assert_eq!(read, 1);
        assert_eq!(
            files,
            [
                "envs/prod/main.tf",
                "modules/er/main.tf",
                "modules/hub/main.tf"
            ]
        );
        // Same size, other content and modification time: the hub now calls another
        // module (`../xx` is as long as `../er`).
        tick();
        let hub = root.join("modules/hub/main.tf");
        let text = std::fs::read_to_string(&hub).unwrap();
        std::fs::write(&hub, text.replace("../er", "../xx")).unwrap();
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&hub)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let (files, read) = cached_search(root);
        assert_eq!(read, 1);
        assert_eq!(files, ["modules/er/main.tf"], "no caller is left");
    }

    #[test]
    fn new_and_removed_files_and_directories_are_seen() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        write(
            root,
            "regions/neu/prod/main.tf",
            "provider \"azurerm\" {}\nmodule \"er\" {\n  source = \"../../../modules/er\"\n}\n",
        );
        std::fs::remove_file(root.join("envs/prod/main.tf")).unwrap();
        let (files, read) = cached_search(root);
        assert_eq!(read, 1, "only the new file");
        assert_eq!(
            files,
            [
                "modules/er/main.tf",
                "modules/hub/main.tf",
                "regions/neu/prod/main.tf",
                "regions/weu/prod/main.tf"
            ]
        );
        tick();
        std::fs::remove_dir_all(root.join("regions/neu")).unwrap();
        let (files, _) = cached_search(root);
        // The hub still calls the module (a caller, though no root calls it now).
        assert_eq!(
            files,
            [
                "modules/er/main.tf",
                "modules/hub/main.tf",
                "regions/weu/prod/main.tf"
            ]
        );
    }

    #[test]
    fn ignore_files_that_change_drop_the_cache() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        // A new `.gitignore` in a directory whose subdirectories did not change.
        write(root, "regions/.gitignore", "weu/\n");
        let (files, read) = cached_search(root);
        assert!(read > 0);
        assert_eq!(
            files,
            [
                "envs/prod/main.tf",
                "modules/er/main.tf",
                "modules/hub/main.tf"
            ]
        );
        tick();
        // The same file edited (its directory does not change).
        write(root, "regions/.gitignore", "neu/\n");
        let (files, _) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        tick();
        // The repository's own excludes.
        write(root, ".git/info/exclude", "envs/\n");
        let (files, _) = cached_search(root);
        assert_eq!(
            files,
            [
                "modules/er/main.tf",
                "modules/hub/main.tf",
                "regions/weu/prod/main.tf"
            ]
        );
    }

    #[test]
    fn a_near_search_keeps_the_records_it_did_not_visit() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        let _ = cached_search(root);
        tick();
        // A search near `stacks/s0` that changes the cache (a new file there): it decodes
        // only the directories it visits, and writes the others back as they were.
        write(root, "stacks/s0/extra.tf", "locals {}\n");
        let mut found = named_file(&root.join("stacks/s0/modules/net/main.tf"));
        let read = search(&mut found, root, 0, &Overlay::default(), eager(), false);
        assert_eq!(read, 1, "only the new file");
        assert!(found.files.iter().any(|f| f.ends_with("stacks/s0/main.tf")));
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 0, "every other record was kept");
    }

    #[test]
    fn overlay_texts_are_used_and_never_cached() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        // An editor's unsaved buffer: the hub no longer calls the module.
        let hub = normalize(&root.join("modules/hub/main.tf"));
        let mut overlay = Overlay::default();
        overlay.insert(&hub, "variable \"x\" {}\n");
        let named = root.join("modules/er/main.tf");
        let search_with = |overlay: &Overlay, cache: Option<CacheUse>| {
            let mut found = named_file(&named);
            search(&mut found, root, 0, overlay, cache, false);
            found.files.iter().any(|f| normalize(f) == hub)
        };
        assert!(
            !search_with(&overlay, eager()),
            "the overlay's text is used"
        );
        assert!(!search_with(&overlay, None));
        // The buffer's text was not cached for the file on disk.
        assert!(search_with(&Overlay::default(), eager()));
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 0);
    }

    #[test]
    fn corrupt_or_foreign_caches_are_ignored() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let (file, good) = written_cache(root);
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x20;
        let truncated = good[..good.len() - 9].to_vec();
        for bad in [b"not a cache".to_vec(), Vec::new(), flipped, truncated] {
            std::fs::write(&file, &bad).unwrap();
            let (files, read) = cached_search(root);
            assert_eq!(files, FAR_CALLERS);
            assert_eq!(read, 14, "the bad cache was not used");
            assert_ne!(std::fs::read(&file).unwrap(), bad, "and it was replaced");
        }
        // Written by another version of erlint: ignored.
        let other = super::super::callers_cache::with_version(&good, "0.0.1-other").unwrap();
        std::fs::write(&file, &other).unwrap();
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 14);
    }

    /// A cache file of another layout (format 2, the one before the key table) is never
    /// read, even with a good checksum: it is replaced once.
    #[test]
    fn a_cache_of_another_format_is_rewritten_once() {
        use super::super::callers_cache::{layout, with_checksum};
        let tmp = far_callers_repo();
        let root = tmp.path();
        let (file, good) = written_cache(root);
        let (format_at, _) = layout(&good).unwrap();
        let mut body = good[..good.len() - 8].to_vec();
        body[format_at..format_at + 4].copy_from_slice(&2u32.to_le_bytes());
        let old = with_checksum(&body);
        std::fs::write(&file, &old).unwrap();
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 14, "the old cache was not used");
        let new = std::fs::read(&file).unwrap();
        assert!(new != old && layout(&new).is_some(), "and it was rewritten");
        let (_, read) = cached_search(root);
        assert_eq!(read, 0);
    }

    /// A damaged cache file whose checksum still holds (written so on purpose) never
    /// makes the search panic; a damaged key table only costs lookups (the directories
    /// it no longer finds are walked again): the same answer.
    #[test]
    fn damage_the_checksum_does_not_catch_is_survived() {
        use super::super::callers_cache::{layout, with_checksum};
        let tmp = far_callers_repo();
        let root = tmp.path();
        let (file, good) = written_cache(root);
        let body = &good[..good.len() - 8];
        let (_, table) = layout(&good).unwrap();
        let searched = |bad: &[u8]| {
            std::fs::write(&file, with_checksum(bad)).unwrap();
            callers_search(root, true)
        };
        // Every byte of the key table, and of the rest of the file one in eleven, set to
        // 0xff or to 1; the file cut short at one byte in 31.
        for i in 0..body.len() {
            let in_table = table.contains(&i);
            if !in_table && i % 11 != 0 {
                continue;
            }
            let v = if i % 2 == 0 { 0xff } else { 1 };
            let mut bad = body.to_vec();
            bad[i] = v;
            let (files, _) = searched(&bad);
            if in_table {
                assert_eq!(files, FAR_CALLERS, "table byte {i} set to {v}");
            }
        }
        for len in (0..body.len()).step_by(31) {
            let _ = searched(&body[..len]);
        }
        let (files, _) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
    }

    #[test]
    fn no_cache_outside_a_repository_or_without_the_option() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = callers_search(root, false);
        assert!(!root.join(".erlint_cache").exists());
        std::fs::remove_dir(root.join(".git")).unwrap();
        let _ = callers_search(root, true);
        assert!(!root.join(".erlint_cache").exists());
    }

    #[test]
    fn an_overlay_text_of_a_file_that_calls_nothing_on_disk_is_read() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        let _ = cached_search(root);
        // Unchanged on disk and calling nothing (the warm search leaves such files out),
        // but an editor's buffer makes it a caller.
        let net = normalize(&root.join("stacks/s3/modules/net/main.tf"));
        let mut overlay = Overlay::default();
        overlay.insert(
            &net,
            "module \"er\" {\n  source = \"../../../../modules/er\"\n}\n",
        );
        let named = root.join("modules/er/main.tf");
        let callers_with = |cache: Option<CacheUse>| {
            let mut found = named_file(&named);
            search(&mut found, root, 0, &overlay, cache, false);
            found.files
        };
        let with = callers_with(eager());
        assert!(with.contains(&net), "the buffer's call is seen");
        assert_eq!(with, callers_with(None));
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 0);
    }

    #[test]
    fn an_edit_in_an_unchanged_directory_is_recorded() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let _ = cached_search(root);
        tick();
        let _ = cached_search(root);
        tick();
        // The file's directory does not change (an edit in place): its record is read in
        // place by the warm search, and changed for this file only.
        let hub = root.join("modules/hub/main.tf");
        std::fs::write(
            &hub,
            "module \"er\" {\n  source = \"../er\"\n}\nlocals {}\n",
        )
        .unwrap();
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 1);
        let (files, read) = cached_search(root);
        assert_eq!(files, FAR_CALLERS);
        assert_eq!(read, 0, "the new stamp was cached");
    }

    #[test]
    fn two_modules_searched_at_once() {
        let tmp = far_callers_repo();
        let root = tmp.path();
        let named = [
            root.join("modules/er/main.tf"),
            root.join("stacks/s2/modules/net/main.tf"),
        ];
        let search_both = |cache: Option<CacheUse>| {
            let mut found = Discovered {
                files: named.iter().cloned().collect(),
                named: Some(named.iter().cloned().collect()),
                ..Default::default()
            };
            let read = search(&mut found, root, 0, &Overlay::default(), cache, false);
            (found.files, read)
        };
        let (without, read) = search_both(None);
        assert!(without.contains(&normalize(&root.join("stacks/s2/main.tf"))));
        assert!(without.contains(&normalize(&root.join("envs/prod/main.tf"))));
        // The second module's areas lie inside the first's: no file is read twice.
        assert_eq!(read, 14);
        let (with, read) = search_both(eager());
        assert_eq!(with, without);
        assert_eq!(read, 14);
        tick();
        let _ = search_both(eager());
        let (with, read) = search_both(eager());
        assert_eq!(with, without);
        assert_eq!(read, 0);
    }
}

//! The on-disk cache of the pre-commit callers search: for every Terraform file of a
//! repository, the local module sources it writes, keyed by the file's size, times and
//! inode; and for every directory, what the walk found in it, keyed by the directory's own
//! times (a directory's modification time changes when an entry is added, removed or
//! renamed in it).
//!
//! A warm search reads no Terraform file and lists no directory that has not changed
//! since the last run: it checks one `stat` per directory and per file against the cache
//! and reads only what changed. The answer is the one a search without the cache gives:
//!
//! - a file whose size, modification or change time or inode differs is read again;
//! - a directory whose times differ is listed again (with the same walker and filters as
//!   without the cache);
//! - the files that decide what the walk skips (`.gitignore`, `.ignore`, `.git` and
//!   `.jj` in any directory, `.git/info/exclude`, the global excludes file) are checked
//!   too: when any of them changed, appeared or disappeared, the whole cache is dropped;
//! - a file or directory modified less than two seconds before it was read is not cached
//!   (a change in the same tick of the file system's clock would not change its time);
//! - a cache written by another version of erlint, for another directory, or that does
//!   not parse is ignored (and replaced).
//!
//! Where: `.erlint_cache/callers` in the repository's top directory (the nearest
//! ancestor with `.git`; outside a repository nothing is cached). The directory holds a
//! `.gitignore` (`*`) so that git ignores it, and a `CACHEDIR.TAG`. It is written
//! atomically (a temporary file renamed over the old one); deleting it is always safe.
//! `--no-cache` (or `ERLINT_NO_CACHE`) neither reads nor writes it.

use super::ALWAYS_SKIPPED;
use super::git_index::IndexBlob;
use crate::source::Overlay;
use crate::source::paths::{TfFileKind, tf_file_kind};
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

/// The directory, in the repository's top directory.
pub const CACHE_DIR: &str = ".erlint_cache";
/// The file in it.
const CACHE_FILE: &str = "callers";
/// Bumped when the layout below changes.
const FORMAT: u32 = 3;
/// The names in a directory that change what the walk skips below it.
const IGNORE_NAMES: [&str; 4] = [".gitignore", ".ignore", ".git", ".jj"];
/// Files and directories modified this recently (before they were read) are not cached.
pub(super) const RACY: Duration = Duration::from_secs(2);

/// What identifies one version of a file or directory: if any part differs, it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    mtime: i64,
    /// Status change time (Unix), nanoseconds since the epoch; 0 elsewhere.
    ctime: i64,
    /// Inode number (Unix); 0 elsewhere.
    ino: u64,
}

impl Stamp {
    pub(super) fn size(&self) -> u64 {
        self.size
    }

    pub(super) fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            Stamp {
                size: meta.len(),
                mtime: ns(meta.mtime(), meta.mtime_nsec()),
                ctime: ns(meta.ctime(), meta.ctime_nsec()),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
            Stamp {
                size: meta.len(),
                mtime,
                ctime: 0,
                ino: 0,
            }
        }
    }

    /// What matters of an ignore file: its content (a file's stamp); for a directory
    /// (`.git`, `.jj`), only that it is one: git writes in it all the time.
    fn of_ignore_file(meta: &Metadata) -> Stamp {
        if meta.is_dir() {
            Stamp::IGNORE_DIR
        } else {
            Stamp::of(meta)
        }
    }

    /// [`Stamp::of_ignore_file`] of a directory.
    const IGNORE_DIR: Stamp = Stamp {
        size: u64::MAX,
        mtime: 0,
        ctime: 0,
        ino: 0,
    };

    /// Modified (or its status changed) within `window` of `read_at` (or after it): the
    /// same time could stand for two contents.
    fn racy(&self, read_at: SystemTime, window: Duration) -> bool {
        let Ok(at) = read_at.duration_since(SystemTime::UNIX_EPOCH) else {
            return true;
        };
        let latest = i128::from(self.mtime.max(self.ctime));
        latest + window.as_nanos() as i128 >= at.as_nanos() as i128
    }
}

/// One directory as the walk saw it.
#[derive(Clone, Debug, Default)]
struct DirRecord {
    /// Relative to the top, `/`-separated (`""` for the top itself).
    key: String,
    /// `None`: not to be trusted (listed too soon after a change); listed again.
    stamp: Option<Stamp>,
    /// Subdirectories the walk enters (names).
    subdirs: Vec<String>,
    files: Vec<FileRecord>,
    /// The [`IGNORE_NAMES`] present, with their stamps.
    ignore_files: Vec<(String, Stamp)>,
}

/// One Terraform file and the local module sources written in it.
#[derive(Clone, Debug)]
struct FileRecord {
    name: String,
    /// `None`: not read yet, or not to be trusted; read again.
    stamp: Option<Stamp>,
    sources: Vec<String>,
}

/// The cache file's content.
#[derive(Debug, Default)]
struct CacheData {
    format: u32,
    erlint: String,
    top: String,
    /// Files outside the walked directories that decide what is skipped: the global
    /// excludes file, `.git/info/exclude` (`None`: absent).
    global_ignores: Vec<(String, Option<Stamp>)>,
    dirs: Vec<DirRecord>,
}

/// A Terraform file found by a search, and whether its sources must be read.
pub(super) struct Found {
    pub path: PathBuf,
    /// The cached sources, when the file has not changed.
    pub cached: Option<Vec<String>>,
    /// The file's stamp when its cached sources were checked (`None`: not checked).
    pub stamp: Option<Stamp>,
    /// Where its record is in the cache.
    slot: Option<FileSlot>,
    /// Found in git's index: the id of its staged content (and the size it had).
    pub blob: Option<IndexBlob>,
}

impl Found {
    /// A file found without the cache.
    pub(super) fn uncached(path: PathBuf) -> Found {
        Found {
            path,
            cached: None,
            stamp: None,
            slot: None,
            blob: None,
        }
    }

    /// A file found in git's index, whose staged content is `blob`.
    pub(super) fn from_index(path: PathBuf, cached: Option<Vec<String>>, blob: IndexBlob) -> Found {
        Found {
            path,
            cached,
            stamp: None,
            slot: None,
            blob: Some(blob),
        }
    }
}

/// Where a directory's record is.
#[derive(Clone, Copy, Debug)]
enum Slot {
    /// Decoded: its index in `data.dirs`.
    Decoded(usize),
    /// Not decoded: its number in the loaded file (an unchanged directory is walked from
    /// the record's bytes, never decoded).
    Loaded(usize),
}

/// A directory the walk goes through: by its loaded record (whose key is read from the
/// record), or by its key.
#[derive(Debug)]
enum Key {
    Loaded(usize),
    Owned(String),
}

/// What the walk found in the directories of one level that it went through in one task.
#[derive(Default)]
struct Step {
    /// Their files that matter (checked: see [`CallersCache::keep`]).
    files: Vec<Found>,
    /// Their subdirectories: the next level.
    subdirs: Vec<Key>,
    /// The directories not gone through from their records' bytes (changed, or not
    /// cached so), with their stamps: listed after.
    to_list: Vec<(Key, Option<Stamp>)>,
    /// A buffer for the files' keys.
    rel: Vec<u8>,
}

/// Where a file's record is.
#[derive(Clone, Copy, Debug)]
enum FileSlot {
    /// In a decoded directory: its index in `data.dirs`, and the file's in its `files`.
    Decoded(usize, usize),
    /// In a directory not decoded: the record's number in the loaded file, and the
    /// file's in its files.
    Loaded(usize, usize),
}

/// The cache of one repository, loaded, checked against the file system as the searches
/// walk it, and saved at the end if anything changed.
pub(super) struct CallersCache {
    top: PathBuf,
    data: CacheData,
    /// The loaded cache file: its records are found by key through the file's own table
    /// and read in place; a search decodes only the directories that changed (a near
    /// caller's search in a big repository does not pay for the whole file, nor does a
    /// warm one for an index of its keys).
    loaded: codec::Loaded,
    /// Per loaded record: whether its listing was checked in this run (set by the
    /// parallel walk).
    loaded_checked: Vec<AtomicBool>,
    /// Per loaded record: decoded into `data.dirs` (then found in `decoded`), or dropped
    /// (it did not read): no longer read from the file.
    loaded_gone: Vec<bool>,
    /// The loaded records that hold ignore files (sorted).
    loaded_with_ignores: Vec<usize>,
    /// Key → index in `data.dirs` of the decoded records.
    decoded: HashMap<String, usize>,
    /// Directories (indexes in `data.dirs`) whose listing was checked in this run.
    checked: Vec<bool>,
    /// The top directory, open, for `stat`s relative to it (Linux: a shorter path
    /// lookup than from `/`).
    dir: TopDir,
    changed: bool,
    /// Set when the cache was dropped during a search (an ignore file appeared).
    was_reset: bool,
    /// When this run started reading, and how recent a change must be to be racy (for
    /// [`Stamp::racy`]).
    started: SystemTime,
    racy: Duration,
}

impl CallersCache {
    /// The cache of the repository whose top directory is `top` (the directory that holds
    /// `.git`), empty if there is none or it cannot be used.
    pub(super) fn open(top: &Path, racy: Duration) -> CallersCache {
        let started = SystemTime::now();
        let fresh = CacheData {
            format: FORMAT,
            erlint: env!("CARGO_PKG_VERSION").to_string(),
            top: top.to_string_lossy().into_owned(),
            global_ignores: global_ignores(top),
            dirs: Vec::new(),
        };
        let t0 = std::time::Instant::now();
        let bytes = std::fs::read(top.join(CACHE_DIR).join(CACHE_FILE));
        let t1 = t0.elapsed();
        let opened = bytes.ok().and_then(codec::open).filter(|o| {
            o.header.format == fresh.format
                && o.header.erlint == fresh.erlint
                && o.header.top == fresh.top
                && o.header.global_ignores == fresh.global_ignores
        });
        let mut cache = CallersCache {
            top: top.to_path_buf(),
            changed: opened.is_none(),
            data: fresh,
            loaded: codec::Loaded::default(),
            loaded_checked: Vec::new(),
            loaded_gone: Vec::new(),
            loaded_with_ignores: Vec::new(),
            decoded: HashMap::new(),
            checked: Vec::new(),
            dir: TopDir::new(top),
            was_reset: false,
            started,
            racy,
        };
        if let Some(opened) = opened {
            let count = opened.loaded.count();
            cache.loaded = opened.loaded;
            cache.loaded_checked = (0..count).map(|_| AtomicBool::new(false)).collect();
            cache.loaded_gone = vec![false; count];
            cache.loaded_with_ignores = opened.with_ignores;
            cache.loaded_with_ignores.sort_unstable();
            if !cache.ignore_files_unchanged() {
                cache.reset();
            }
        }
        if std::env::var_os("ERLINT_TIMINGS").is_some() {
            eprintln!("callers cache: opened in {:?} (read {t1:?})", t0.elapsed());
        }
        cache
    }

    /// Where the record of the directory `key` is.
    fn slot(&self, key: &str) -> Option<Slot> {
        if let Some(ix) = self.decoded.get(key) {
            return Some(Slot::Decoded(*ix));
        }
        let n = self.loaded.find(&[key.as_bytes()])?;
        (!self.loaded_gone.get(n).copied().unwrap_or(true)).then_some(Slot::Loaded(n))
    }

    /// The index in `data.dirs` of the record of the directory `key`, decoded from the
    /// loaded file the first time it is asked for.
    fn lookup(&mut self, key: &str) -> Option<usize> {
        match self.slot(key)? {
            Slot::Decoded(ix) => Some(ix),
            Slot::Loaded(n) => self.decode_loaded(n),
        }
    }

    /// The index in `data.dirs` of the loaded record `n`, decoded now if it was not.
    fn decode_loaded(&mut self, n: usize) -> Option<usize> {
        if self.loaded_gone.get(n).copied().unwrap_or(true) {
            return self.decoded.get(self.loaded.key(n)?).copied();
        }
        if let Some(gone) = self.loaded_gone.get_mut(n) {
            *gone = true;
        }
        let record = self.loaded.record(n).and_then(codec::decode_dir)?;
        let checked = self
            .loaded_checked
            .get(n)
            .is_some_and(|c| c.load(Ordering::Relaxed));
        let ix = self.data.dirs.len();
        self.decoded.insert(record.key.clone(), ix);
        self.data.dirs.push(record);
        self.checked.push(checked);
        Some(ix)
    }

    /// The index in `data.dirs` of the record of `key`, if decoded.
    fn decoded(&self, key: &str) -> Option<usize> {
        self.decoded.get(key).copied()
    }

    /// Whether the listing of the record `ix` was checked in this run.
    fn is_checked(&self, ix: usize) -> bool {
        self.checked.get(ix).copied().unwrap_or(false)
    }

    fn set_checked(&mut self, ix: usize) {
        if let Some(c) = self.checked.get_mut(ix) {
            *c = true;
        }
    }

    /// The stamp of the file or directory `rel` (a key's bytes: relative to the top,
    /// `/`-separated), not following a symbolic link; `None` if it cannot be had.
    fn stat_rel(&self, rel: &[u8]) -> Option<Stamp> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.dir.fd
            && !rel.is_empty()
            && let Some(found) = statx_at(fd, rel)
        {
            return found.map(|(stamp, _)| stamp);
        }
        let rel = std::str::from_utf8(rel).ok()?;
        std::fs::symlink_metadata(self.abs(rel))
            .ok()
            .map(|m| Stamp::of(&m))
    }

    /// [`ignore_files_in`] the directory `key`, its `stat`s relative to the top.
    fn ignore_files_at(&self, key: &str) -> Vec<(String, Stamp)> {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.dir.fd
            && !key.is_empty()
        {
            let mut out = Vec::new();
            let all =
                IGNORE_NAMES
                    .iter()
                    .all(|n| match statx_at(fd, join_key(key, n).as_bytes()) {
                        Some(Some((stamp, is_dir))) => {
                            out.push((
                                n.to_string(),
                                if is_dir { Stamp::IGNORE_DIR } else { stamp },
                            ));
                            true
                        }
                        Some(None) => true,
                        None => false,
                    });
            if all {
                return out;
            }
        }
        ignore_files_in(&self.abs(key))
    }

    pub(super) fn top(&self) -> &Path {
        &self.top
    }

    /// Every ignore file the loaded cache knows still has its stamp (and each record that
    /// holds some reads).
    fn ignore_files_unchanged(&self) -> bool {
        self.loaded_with_ignores.iter().all(|n| {
            let Some(record) = self.loaded.record(*n).and_then(codec::decode_dir) else {
                return false;
            };
            let dir = self.abs(&record.key);
            record.ignore_files.iter().all(|(name, stamp)| {
                std::fs::symlink_metadata(dir.join(name))
                    .is_ok_and(|m| Stamp::of_ignore_file(&m) == *stamp)
            })
        })
    }

    fn reset(&mut self) {
        self.data.dirs.clear();
        self.decoded.clear();
        // The loaded records are no longer used, but their keys are still read (by the
        // walk under way).
        self.loaded_gone.fill(true);
        self.checked.clear();
        self.changed = true;
        self.was_reset = true;
    }

    fn key(&self, dir: &Path) -> Option<String> {
        let rel = dir.strip_prefix(&self.top).ok()?;
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        Some(parts?.join("/"))
    }

    fn abs(&self, key: &str) -> PathBuf {
        if key.is_empty() {
            self.top.clone()
        } else {
            self.top.join(key)
        }
    }

    /// The Terraform files (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`) below `area`, except
    /// below `skip`, as the walk without the cache finds them, with the cached sources of
    /// those that have not changed; except the files that have not changed and call no
    /// module (most of them: nothing is to be done with them), unless `overlay` holds them.
    pub(super) fn files_below(
        &mut self,
        area: &Path,
        skip: Option<&Path>,
        overlay: &Overlay,
    ) -> Vec<Found> {
        self.was_reset = false;
        let mut out = self.walk(area, skip, overlay);
        if self.was_reset {
            // The listings used before the reset may be stale: once more from nothing
            // (no cached listing is left to disagree with).
            out = self.walk(area, skip, overlay);
        }
        // Which cached sources still hold: one `stat` per file that has them, in
        // parallel (the others are read, and their stamp taken from the open file). The
        // files of unchanged directories were checked by the walk.
        use rayon::prelude::*;
        let this = &*self;
        out.into_par_iter()
            .filter_map(|mut f| {
                let Some(FileSlot::Decoded(d, i)) = f.slot else {
                    return Some(f);
                };
                let dir = this.data.dirs.get(d);
                if let Some((dir, file)) = dir.and_then(|dir| Some((dir, dir.files.get(i)?)))
                    && let Some(stamp) = file.stamp
                {
                    f.stamp = this.stat_rel(join_key(&dir.key, &file.name).as_bytes());
                    f.cached = (f.stamp == Some(stamp)).then(|| file.sources.clone());
                }
                this.keep(f, overlay)
            })
            .collect()
    }

    /// `f`, unless its cached sources hold and are empty: a file that has not changed and
    /// calls no module (most files: nothing is to be done with them), except one that
    /// `overlay` holds.
    fn keep(&self, f: Found, overlay: &Overlay) -> Option<Found> {
        let idle = f.cached.as_ref().is_some_and(Vec::is_empty);
        (!idle || overlay.contains(&f.path)).then_some(f)
    }

    /// The files below `area` (except below `skip`) from the checked listings, a level
    /// of directories at a time (their `stat`s in parallel). Directories are followed by
    /// their keys; a directory without one (not UTF-8) is listed without the cache, as
    /// is everything below it.
    fn walk(&mut self, area: &Path, skip: Option<&Path>, overlay: &Overlay) -> Vec<Found> {
        use rayon::prelude::*;
        // The directories above `area` up to the top: a new ignore file there changes what
        // is skipped below.
        for anc in area.ancestors().skip(1) {
            if !anc.starts_with(&self.top) {
                break;
            }
            self.check_ignore_names(anc);
        }
        let mut out = Vec::new();
        let skip_key = skip.and_then(|s| self.key(s));
        let mut level: Vec<Key> = Vec::new();
        match self.key(area) {
            Some(key) => level.push(Key::Owned(key)),
            None => walk_loose(area, skip, &mut out),
        }
        while !level.is_empty() {
            if let Some(skip) = &skip_key {
                level.retain(|k| self.key_bytes(k) != Some(skip.as_bytes()));
            }
            // Each directory's `stat` and, when it has not changed and its record is not
            // decoded, the whole step through it (its files' `stat`s too), in parallel;
            // each task's findings in one `Step`.
            let this = &*self;
            let steps: Vec<Step> = level
                .into_par_iter()
                .fold(Step::default, |mut step, key| {
                    this.step(key, overlay, &mut step);
                    step
                })
                .collect();
            let mut next = Vec::with_capacity(steps.iter().map(|s| s.subdirs.len()).sum());
            out.reserve(steps.iter().map(|s| s.files.len()).sum());
            for step in steps {
                out.extend(step.files);
                next.extend(step.subdirs);
                for (key, stamp) in step.to_list {
                    let Some(key) = self.key_of(&key).map(str::to_string) else {
                        continue;
                    };
                    let Some(ix) = self.listing(&key, stamp, skip) else {
                        continue;
                    };
                    let Some(d) = self.data.dirs.get(ix) else {
                        continue;
                    };
                    out.extend(d.files.iter().enumerate().map(|(i, f)| Found {
                        path: path_of(&self.top, &join_key(&key, &f.name)),
                        cached: None,
                        stamp: None,
                        slot: Some(FileSlot::Decoded(ix, i)),
                        blob: None,
                    }));
                    next.extend(d.subdirs.iter().map(|s| Key::Owned(join_key(&key, s))));
                }
            }
            level = next;
        }
        out
    }

    /// The key of a directory of the walk (`None`: its record does not read, which its
    /// being found by key rules out).
    fn key_of<'a>(&'a self, key: &'a Key) -> Option<&'a str> {
        match key {
            Key::Loaded(n) => self.loaded.key(*n),
            Key::Owned(key) => Some(key),
        }
    }

    /// The bytes of [`Self::key_of`] (a loaded record's key as it is in the file).
    fn key_bytes<'a>(&'a self, key: &'a Key) -> Option<&'a [u8]> {
        match key {
            Key::Loaded(n) => self.loaded.key_bytes(*n),
            Key::Owned(key) => Some(key.as_bytes()),
        }
    }

    /// Where the record of a directory of the walk is.
    fn slot_of(&self, key: &Key) -> Option<Slot> {
        match key {
            Key::Loaded(n) if !self.loaded_gone.get(*n).copied().unwrap_or(true) => {
                Some(Slot::Loaded(*n))
            }
            key => self.slot(self.key_of(key)?),
        }
    }

    /// The walk's step through one directory: its `stat` and, when it has not changed and
    /// its record is not decoded, its files and subdirectories from the record's bytes
    /// (see [`Self::raw_step`]); else it is left to be listed.
    fn step(&self, key: Key, overlay: &Overlay, step: &mut Step) {
        let slot = self.slot_of(&key);
        let checked = match slot {
            Some(Slot::Decoded(ix)) => self.is_checked(ix),
            Some(Slot::Loaded(n)) => self.loaded_is_checked(n),
            None => false,
        };
        let Some(key_bytes) = self.key_bytes(&key) else {
            return;
        };
        let stamp = if checked {
            None
        } else {
            self.stat_rel(key_bytes)
        };
        if let Some(Slot::Loaded(n)) = slot {
            let (files, subdirs) = (step.files.len(), step.subdirs.len());
            if self
                .raw_step(key_bytes, n, checked, stamp, overlay, step)
                .is_some()
            {
                if let Some(c) = self.loaded_checked.get(n) {
                    c.store(true, Ordering::Relaxed);
                }
                return;
            }
            // What was read of a record that did not read whole is dropped.
            step.files.truncate(files);
            step.subdirs.truncate(subdirs);
        }
        step.to_list.push((key, stamp));
    }

    /// Whether the listing of the loaded record `n` was checked in this run.
    fn loaded_is_checked(&self, n: usize) -> bool {
        self.loaded_checked
            .get(n)
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// The walk's step through the directory `key` from the bytes of its loaded record
    /// `n`, when it has not changed (`stamp`: its stamp now; `checked`: already checked in
    /// this run): its files, checked against their cached stamps (those [`Self::keep`]
    /// keeps), and its subdirectories, added to `step`; read in one pass, each file's
    /// sources only if they are still good. Names and keys are taken as bytes (UTF-8 as
    /// written; checked where a path is made of them). `None` if the record must be
    /// decoded (the directory changed, or is not cached so, or the record does not read).
    fn raw_step(
        &self,
        key: &[u8],
        n: usize,
        checked: bool,
        stamp: Option<Stamp>,
        overlay: &Overlay,
        step: &mut Step,
    ) -> Option<()> {
        let mut r = codec::Reader(self.loaded.record(n)?);
        r.skip_str()?;
        let cached_stamp = r.opt_stamp()?;
        if !(checked || (cached_stamp.is_some() && cached_stamp == stamp)) {
            return None;
        }
        let parts = |name| {
            if key.is_empty() {
                [name, &[][..], &[][..]]
            } else {
                [key, b"/", name]
            }
        };
        for _ in 0..r.u32()? {
            let name = r.bytes()?;
            // Found in the file by key: walked from its record (or, if it is decoded by
            // then, found by its key: see `slot_of`); else by its key.
            let sub = match self.loaded.find(&parts(name)) {
                Some(n) => Key::Loaded(n),
                None => Key::Owned(String::from_utf8(parts(name).concat()).ok()?),
            };
            step.subdirs.push(sub);
        }
        // Each file's key made in one buffer, after the directory's.
        let rel = &mut step.rel;
        rel.clear();
        for part in parts(b"") {
            rel.extend_from_slice(part);
        }
        let dir_len = rel.len();
        for i in 0..r.u32()? as usize {
            let name = r.bytes()?;
            let cached_stamp = r.opt_stamp()?;
            let mut sources = r.skip_sources()?;
            rel.truncate(dir_len);
            rel.extend_from_slice(name);
            // Not checked without a cached stamp (read).
            let now = cached_stamp.and_then(|_| self.stat_rel(rel));
            let cached = if now.is_some() && now == cached_stamp {
                Some(sources.list(codec::Reader::str)?)
            } else {
                None
            };
            let idle = cached.as_ref().is_some_and(Vec::is_empty);
            if idle && overlay.is_empty() {
                continue;
            }
            let f = Found {
                path: path_of(&self.top, std::str::from_utf8(rel).ok()?),
                cached,
                stamp: now,
                slot: Some(FileSlot::Loaded(n, i)),
                blob: None,
            };
            step.files.extend(self.keep(f, overlay));
        }
        for _ in 0..r.u32()? {
            r.skip_str()?;
            r.stamp()?;
        }
        r.0.is_empty().then_some(())
    }

    /// Record the sources read for a file found by [`Self::files_below`], whose stamp
    /// was `stamp` when it was opened.
    pub(super) fn record(&mut self, found: &Found, stamp: Stamp, sources: &[String]) {
        let (d, i) = match found.slot {
            Some(FileSlot::Decoded(d, i)) => (d, i),
            // Its directory is decoded now, to be changed.
            Some(FileSlot::Loaded(n, i)) => match self.decode_loaded(n) {
                Some(d) => (d, i),
                None => return,
            },
            None => return,
        };
        let stamp = Some(stamp).filter(|s| !s.racy(self.started, self.racy));
        let Some(f) = self.data.dirs.get_mut(d).and_then(|d| d.files.get_mut(i)) else {
            return;
        };
        if found.path.file_name().and_then(|n| n.to_str()) != Some(f.name.as_str()) {
            return;
        }
        if f.stamp == stamp && f.stamp.is_some() && f.sources == sources {
            return;
        }
        f.stamp = stamp;
        f.sources = sources.to_vec();
        self.changed = true;
    }

    /// The index of `dir`'s checked listing: the cached one if the directory has not
    /// changed, else listed again; a directory the cache does not know is walked whole
    /// (except below `skip`). `None` if it cannot be read.
    /// `stamp`: the directory's, taken before (`None` if it could not be had).
    fn listing(&mut self, key: &str, stamp: Option<Stamp>, skip: Option<&Path>) -> Option<usize> {
        let known = self.lookup(key);
        if let Some(ix) = known
            && self.is_checked(ix)
        {
            return Some(ix);
        }
        let stamp = stamp?;
        let Some(ix) = known else {
            self.walk_new(&self.abs(key), skip);
            return self.decoded(key);
        };
        self.set_checked(ix);
        let cached = self.data.dirs.get(ix)?;
        if cached.stamp == Some(stamp) {
            return Some(ix);
        }
        let dir = &self.abs(key);
        let ignore_files = self.ignore_files_at(key);
        if names(&cached.ignore_files) != names(&ignore_files) {
            // A new or removed ignore file changes what is skipped in the whole subtree,
            // whose directories need not have changed: start over.
            self.reset();
            self.walk_new(dir, skip);
            return self.decoded(key);
        }
        let (subdirs, files) = list(dir);
        let record = self.record_of(key, stamp, &subdirs, &files, ignore_files);
        if let Some(d) = self.data.dirs.get_mut(ix) {
            *d = record;
        }
        self.changed = true;
        Some(ix)
    }

    /// A directory's record from its listing, keeping what is cached of files still there.
    fn record_of(
        &self,
        key: &str,
        stamp: Stamp,
        subdirs: &[PathBuf],
        files: &[PathBuf],
        ignore_files: Vec<(String, Stamp)>,
    ) -> DirRecord {
        let name_of = |p: &PathBuf| p.file_name().and_then(|n| n.to_str()).map(str::to_string);
        let old = self.decoded(key).and_then(|ix| self.data.dirs.get(ix));
        let subdir_names: Vec<String> = subdirs.iter().filter_map(name_of).collect();
        let file_records: Vec<FileRecord> = files
            .iter()
            .filter_map(name_of)
            .map(|name| {
                old.and_then(|o| o.files.iter().find(|f| f.name == name))
                    .cloned()
                    .unwrap_or(FileRecord {
                        name,
                        stamp: None,
                        sources: Vec::new(),
                    })
            })
            .collect();
        // Names that are not UTF-8 cannot be recorded: such a directory is listed every
        // time.
        let complete = subdir_names.len() == subdirs.len() && file_records.len() == files.len();
        DirRecord {
            key: key.to_string(),
            stamp: Some(stamp).filter(|s| complete && !s.racy(self.started, self.racy)),
            subdirs: subdir_names,
            files: file_records,
            ignore_files,
        }
    }

    /// Walk a directory the cache does not know, whole (except below `skip`), with the
    /// same walker and filters as without the cache, and record every directory in it.
    fn walk_new(&mut self, root: &Path, skip: Option<&Path>) {
        let root_stamp = std::fs::symlink_metadata(root).ok().map(|m| Stamp::of(&m));
        let walked = walk_tree(root, skip, true);
        // Each directory's listing, found by its path (hashed, not compared: tens of
        // thousands of directories).
        let mut listings: Vec<(PathBuf, Listing)> = Vec::with_capacity(walked.dirs.len() + 1);
        listings.push((root.to_path_buf(), (root_stamp, Vec::new(), Vec::new())));
        listings.extend(
            walked
                .dirs
                .into_iter()
                .map(|(dir, stamp)| (dir, (stamp, Vec::new(), Vec::new()))),
        );
        let slots: HashMap<PathBuf, usize> = listings
            .iter()
            .enumerate()
            .map(|(i, (dir, _))| (dir.clone(), i))
            .collect();
        let slot_of = |p: &Path| p.parent().and_then(|d| slots.get(d)).copied();
        let parents: Vec<Option<usize>> = listings
            .iter()
            .enumerate()
            .map(|(i, (dir, _))| if i == 0 { None } else { slot_of(dir) })
            .collect();
        for (i, parent) in parents.into_iter().enumerate() {
            let Some(dir) = parent.and_then(|_| listings.get(i)).map(|(d, _)| d.clone()) else {
                continue;
            };
            if let Some((_, l)) = parent.and_then(|p| listings.get_mut(p)) {
                l.1.push(dir);
            }
        }
        for f in walked.files {
            if let Some((_, l)) = slot_of(&f).and_then(|p| listings.get_mut(p)) {
                l.2.push(f);
            }
        }
        use rayon::prelude::*;
        let this = &*self;
        let listings: Vec<_> = listings
            .into_par_iter()
            .filter_map(|(dir, l)| {
                let key = this.key(&dir)?;
                let ignore_files = this.ignore_files_at(&key);
                Some((key, l, ignore_files))
            })
            .collect();
        for (key, (stamp, mut subdirs, mut files), ignore_files) in listings {
            let Some(stamp) = stamp else {
                continue;
            };
            // What is cached of the directory's files is kept (`record_of`).
            let _ = self.lookup(&key);
            subdirs.sort();
            files.sort();
            let record = self.record_of(&key, stamp, &subdirs, &files, ignore_files);
            let ix = match self.decoded(&key) {
                Some(ix) => {
                    if let Some(d) = self.data.dirs.get_mut(ix) {
                        *d = record;
                    }
                    ix
                }
                None => {
                    let ix = self.data.dirs.len();
                    self.data.dirs.push(record);
                    self.checked.push(false);
                    self.decoded.insert(key, ix);
                    ix
                }
            };
            self.set_checked(ix);
        }
        self.changed = true;
    }

    /// For a directory above the searched area: when it changed, whether its ignore files
    /// did (then the cache is dropped).
    fn check_ignore_names(&mut self, dir: &Path) {
        let Some(ix) = self.key(dir).and_then(|k| self.lookup(&k)) else {
            return;
        };
        let Some(cached) = self.data.dirs.get(ix) else {
            return;
        };
        let stamp = std::fs::symlink_metadata(dir).ok().map(|m| Stamp::of(&m));
        if cached.stamp.is_some() && cached.stamp == stamp {
            return;
        }
        if names(&ignore_files_in(dir)) != names(&cached.ignore_files) {
            self.reset();
        }
    }

    /// Whether this run changed the cache ([`CallersCache::save`] then writes it).
    pub(super) fn changed(&self) -> bool {
        self.changed
    }

    /// Write the cache if this run changed it (atomically; errors are ignored: the cache
    /// is an optimisation).
    pub(super) fn save(&self) {
        if !self.changed {
            return;
        }
        let pending = (0..self.loaded.count())
            .filter(|n| !self.loaded_gone.get(*n).copied().unwrap_or(true))
            .filter_map(|n| {
                let ignores = self.loaded_with_ignores.binary_search(&n).is_ok();
                Some((self.loaded.record(n)?, ignores))
            });
        let bytes = codec::encode(&self.data, pending);
        write_cache_file(&self.top, CACHE_FILE, &bytes);
    }
}

/// Cache files being written on threads of their own ([`write_later`]).
static WRITING: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// How many of those writes have not ended, and the signal that one has: a thread's
/// [`finish_writes`] may find the list empty because another thread took the handles
/// it joins, and still waits for their writes to end.
static IN_FLIGHT: (std::sync::Mutex<usize>, std::sync::Condvar) =
    (std::sync::Mutex::new(0), std::sync::Condvar::new());

/// One write counted in [`IN_FLIGHT`] until it is dropped (when the write ends, or
/// unwinds).
struct InFlight;

impl InFlight {
    fn start() -> InFlight {
        *IN_FLIGHT
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut n = IN_FLIGHT
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *n = n.saturating_sub(1);
        IN_FLIGHT.1.notify_all();
    }
}

/// Run `write` (which writes cache files) on a thread of its own, so that the run goes
/// on linting meanwhile; [`finish_writes`] waits for it. Run here if no thread can be
/// made.
pub(super) fn write_later(write: impl FnOnce() + Send + 'static) {
    use std::sync::{Arc, Mutex, PoisonError};
    let slot = Arc::new(Mutex::new(Some(write)));
    let theirs = Arc::clone(&slot);
    let counted = InFlight::start();
    let spawned = std::thread::Builder::new()
        .name("erlint-cache".into())
        .spawn(move || {
            let _counted = counted;
            let write = theirs.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(write) = write {
                write();
            }
        });
    match spawned {
        Ok(handle) => WRITING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(handle),
        // The closure (and its count) was dropped with the failed spawn.
        Err(_) => {
            let write = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(write) = write {
                write();
            }
        }
    }
}

/// Wait for the cache files [`write_later`] is writing: before the process ends, and
/// before a search opens the caches again. Also waits for writes whose threads another
/// thread is joining (the language server, tests).
pub fn finish_writes() {
    let pending = std::mem::take(
        &mut *WRITING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for handle in pending {
        // (A write that failed leaves the cache as it was: it is an optimisation.)
        let _ = handle.join();
    }
    let (count, ended) = &IN_FLIGHT;
    let mut n = count
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    while *n > 0 {
        n = ended
            .wait(n)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
}

/// Write `bytes` as the cache file `name` of the repository whose top is `top`
/// (atomically: a temporary file renamed over the old one), creating the cache directory
/// with its `.gitignore` and `CACHEDIR.TAG`. Errors are ignored: a cache is an
/// optimisation.
pub(super) fn write_cache_file(top: &Path, name: &str, bytes: &[u8]) {
    let dir = top.join(CACHE_DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let _ = write_if_missing(&dir.join(".gitignore"), "# Created by erlint.\n*\n");
    let _ = write_if_missing(
        &dir.join("CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n# This is erlint's cache directory (safe to delete).\n",
    );
    // One name per process and save: two threads of one process (the language server,
    // tests) never write the same temporary file.
    static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{name}.{}.{n}.tmp", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, dir.join(name)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The text of a file and its stamp, taken from the open file before it is read; no
/// text if it is larger than `max_size` (0: no limit) or not UTF-8.
pub(super) fn read_stamped(path: &Path, max_size: u64) -> (Option<Stamp>, Option<String>) {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return (None, None);
    };
    let Ok(meta) = file.metadata() else {
        return (None, None);
    };
    let stamp = Stamp::of(&meta);
    if max_size > 0 && meta.len() > max_size {
        return (Some(stamp), None);
    }
    let mut text = String::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Through `take`: `File`'s own `read_to_string` asks the file's size and position
    // again (a `statx` and an `lseek` more per file) to size a buffer sized already.
    match file.take(u64::MAX).read_to_string(&mut text) {
        Ok(_) => (Some(stamp), Some(text)),
        Err(_) => (Some(stamp), None),
    }
}

/// A file of git's index read for its sources: its text, and whether it is the staged
/// content (`matches`, given the bytes read, says). `None` when it cannot be read, is not
/// UTF-8 or is larger than `max_size` bytes (0: no limit).
///
/// The index's record of the file's size sizes the buffer: one `read` of one byte more
/// takes the whole file when it still has that size, without a `statx` for its size or a
/// second `read` to meet its end. Anything else (another size, a short read that the
/// content's id does not confirm) reads on to the end, as [`read_stamped`] does.
pub(super) fn read_staged(
    path: &Path,
    top: &TopDir,
    blob: &IndexBlob,
    max_size: u64,
    matches: impl Fn(&[u8]) -> bool,
) -> Option<(String, bool)> {
    use std::io::Read;
    let expected = u64::from(blob.size);
    if max_size > 0 && expected > max_size {
        // Larger when git looked: the file's own size decides (a regular file's: anything
        // else would block or never end).
        if !std::fs::metadata(path).ok()?.is_file() {
            return None;
        }
        let (_, text) = read_stamped(path, max_size);
        let text = text?;
        let staged = matches(text.as_bytes());
        return Some((text, staged));
    }
    let mut file = top.open(path).ok()?;
    let hint = usize::try_from(blob.size).ok()?;
    // (A buffer no larger than a mebibyte at first: the index is not trusted with an
    // allocation; a larger file is read on to its end.)
    let mut bytes = vec![0; hint.min(1 << 20) + 1];
    let asked = bytes.len();
    let n = loop {
        match file.read(&mut bytes) {
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        }
    };
    bytes.truncate(n);
    // Fewer bytes than asked for: the end of the file.
    let mut staged = n == hint && n < asked && matches(&bytes);
    if !staged {
        // Not what the index recorded: first what it is (a FIFO or a device would block or
        // never end) and how large, then the rest of it.
        let meta = file.metadata().ok()?;
        if !meta.is_file() || (max_size > 0 && meta.len() > max_size) {
            return None;
        }
        let more = file.read_to_end(&mut bytes).ok()?;
        if max_size > 0 && bytes.len() as u64 > max_size {
            return None;
        }
        if more > 0 || n != hint {
            staged = matches(&bytes);
        }
    }
    String::from_utf8(bytes).ok().map(|text| (text, staged))
}

/// The walk below a directory without a key (not UTF-8), without the cache, a level at a
/// time, as [`CallersCache::walk`] goes (except below `skip`): its files to `out`.
fn walk_loose(dir: &Path, skip: Option<&Path>, out: &mut Vec<Found>) {
    let mut level = vec![dir.to_path_buf()];
    while !level.is_empty() {
        let mut next = Vec::new();
        for dir in level {
            if skip == Some(dir.as_path()) {
                continue;
            }
            let (subdirs, files) = list(&dir);
            out.extend(files.into_iter().map(Found::uncached));
            next.extend(subdirs);
        }
        level = next;
    }
}

/// The key of `name` in the directory `key`.
fn join_key(key: &str, name: &str) -> String {
    if key.is_empty() {
        return name.to_string();
    }
    let mut out = String::with_capacity(key.len() + 1 + name.len());
    out.push_str(key);
    out.push('/');
    out.push_str(name);
    out
}

/// `top.join(rel)`, made in one allocation.
fn path_of(top: &Path, rel: &str) -> PathBuf {
    let top = top.as_os_str();
    let mut out = std::ffi::OsString::with_capacity(top.len() + 1 + rel.len());
    out.push(top);
    let mut path = PathBuf::from(out);
    path.push(rel);
    path
}

/// A repository's top directory, for opening and `stat`ing the files below it by their
/// paths relative to it (Linux: a lookup of the few components below the top, not of
/// every component from `/`; elsewhere, and for a path not below it, by the whole path).
pub(super) struct TopDir {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: Option<rustix::fd::OwnedFd>,
}

impl TopDir {
    pub(super) fn new(top: &Path) -> TopDir {
        TopDir {
            path: top.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd: open_dir(top),
        }
    }

    /// `path` (below the top, or anywhere), open for reading. Opening never waits: a FIFO
    /// where the index has a file is opened without blocking on Linux (its first read then
    /// ends at once, and [`read_staged`] looks at what it is), and is not opened elsewhere.
    pub(super) fn open(&self, path: &Path) -> std::io::Result<std::fs::File> {
        #[cfg(target_os = "linux")]
        if let (Some(fd), Some(rel)) = (&self.fd, below(&self.path, path)) {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK;
            return Ok(rustix::fs::openat(fd, rel, flags, Mode::empty())?.into());
        }
        if !std::fs::metadata(path)?.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        std::fs::File::open(path)
    }
}

/// `path`'s bytes after `top`'s and a separator: its path relative to `top`, when it is
/// below it as written (`None` otherwise, and for `top` itself).
#[cfg(target_os = "linux")]
fn below<'a>(top: &Path, path: &'a Path) -> Option<&'a std::ffi::OsStr> {
    use std::os::unix::ffi::OsStrExt;
    let top = top.as_os_str().as_bytes();
    let rest = path.as_os_str().as_bytes().strip_prefix(top)?;
    let rel = if top.ends_with(b"/") {
        rest
    } else {
        rest.strip_prefix(b"/")?
    };
    (!rel.is_empty()).then(|| std::ffi::OsStr::from_bytes(rel))
}

/// `dir`, open for `stat`s relative to it (`O_PATH`: nothing is read through it).
#[cfg(target_os = "linux")]
fn open_dir(dir: &Path) -> Option<rustix::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    rustix::fs::open(dir, flags, Mode::empty()).ok()
}

/// The stamp of `rel`, relative to the directory `fd`, not following a symbolic link
/// (`statx`, asking only for what a [`Stamp`] holds), and whether it is a directory;
/// `Some(None)` if there is no such file; `None` if the call fails otherwise or does not
/// give every field (the caller then asks the standard library).
#[cfg(target_os = "linux")]
fn statx_at(fd: &rustix::fd::OwnedFd, rel: &[u8]) -> Option<Option<(Stamp, bool)>> {
    use rustix::fs::{AtFlags, FileType, StatxFlags};
    use rustix::io::Errno;
    let want = StatxFlags::TYPE
        | StatxFlags::SIZE
        | StatxFlags::MTIME
        | StatxFlags::CTIME
        | StatxFlags::INO;
    let st = match rustix::fs::statx(fd, rel, AtFlags::SYMLINK_NOFOLLOW, want) {
        Ok(st) => st,
        Err(Errno::NOENT | Errno::NOTDIR) => return Some(None),
        Err(_) => return None,
    };
    if st.stx_mask & want.bits() != want.bits() {
        return None;
    }
    let is_dir = FileType::from_raw_mode(u32::from(st.stx_mode)) == FileType::Directory;
    let ns = |t: rustix::fs::StatxTimestamp| {
        t.tv_sec
            .saturating_mul(1_000_000_000)
            .saturating_add(i64::from(t.tv_nsec))
    };
    let stamp = Stamp {
        size: st.stx_size,
        mtime: ns(st.stx_mtime),
        ctime: ns(st.stx_ctime),
        ino: st.stx_ino,
    };
    Some(Some((stamp, is_dir)))
}

fn write_if_missing(path: &Path, text: &str) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    std::fs::write(path, text)
}

fn names(list: &[(String, Stamp)]) -> Vec<&str> {
    list.iter().map(|(n, _)| n.as_str()).collect()
}

/// The [`IGNORE_NAMES`] present in `dir`, with their stamps.
fn ignore_files_in(dir: &Path) -> Vec<(String, Stamp)> {
    IGNORE_NAMES
        .iter()
        .filter_map(|n| {
            let m = std::fs::symlink_metadata(dir.join(n)).ok()?;
            Some((n.to_string(), Stamp::of_ignore_file(&m)))
        })
        .collect()
}

/// The files outside the walked directories that decide what the walk skips: the global
/// excludes file (`core.excludesFile`, or git's default), the repository's
/// `info/exclude` (in the common directory a worktree's `.git` file leads to) and the
/// ignore files of the directories above the repository.
fn global_ignores(top: &Path) -> Vec<(String, Option<Stamp>)> {
    let mut files: Vec<PathBuf> = ignore::gitignore::gitconfig_excludes_path()
        .into_iter()
        .collect();
    let git = top.join(".git");
    let common = if git.is_file() {
        git_common_dir(&git)
    } else {
        Some(git)
    };
    files.extend(common.map(|c| c.join("info").join("exclude")));
    // The walker also reads the ignore files of the directories above the repository.
    for anc in top.ancestors().skip(1) {
        files.extend([".ignore", ".gitignore"].map(|n| anc.join(n)));
    }
    files
        .into_iter()
        .map(|f| {
            let stamp = std::fs::metadata(&f).ok().map(|m| Stamp::of(&m));
            (f.to_string_lossy().into_owned(), stamp)
        })
        .collect()
}

/// The common git directory of a worktree whose `.git` is a file (`gitdir: …`, then that
/// directory's `commondir`), as the walker resolves it.
fn git_common_dir(dot_git: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(dot_git).ok()?;
    let real = PathBuf::from(text.lines().next()?.strip_prefix("gitdir: ")?);
    let common = std::fs::read_to_string(real.join("commondir")).ok()?;
    let line = common.lines().next()?;
    Some(if line.starts_with('.') {
        real.join(line)
    } else {
        PathBuf::from(line)
    })
}

/// The subdirectories the walk enters and the Terraform files directly in `dir`, listed by the same walker and filters as the search without the cache.
fn list(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut b = walker(dir, None);
    b.max_depth(Some(1));
    let mut subdirs = Vec::new();
    let mut files = Vec::new();
    for e in b.build().filter_map(Result::ok) {
        if e.depth() == 0 {
            continue;
        }
        let Some(t) = e.file_type() else { continue };
        if t.is_dir() {
            subdirs.push(e.into_path());
        } else if t.is_file() && is_terraform(e.path()) {
            files.push(e.into_path());
        }
    }
    subdirs.sort();
    files.sort();
    (subdirs, files)
}

/// A directory's stamp (taken before it was listed), subdirectories and Terraform files.
type Listing = (Option<Stamp>, Vec<PathBuf>, Vec<PathBuf>);

/// What a walk found: directories (with their stamps, taken before their entries were
/// read, when asked for) and Terraform files.
#[derive(Default)]
pub(super) struct Walked {
    pub dirs: Vec<(PathBuf, Option<Stamp>)>,
    pub files: Vec<PathBuf>,
}

/// How many directories a walk lists on one thread before it starts again on all cores.
const SERIAL_DIRS: usize = 64;

/// Walk below `root` (except below `skip`) with [`walker`]: a small tree (the areas next
/// to a module, most pre-commit runs) on this thread, a larger one on all cores. The
/// parallel walker costs a thread per core, and an idle worker polls for work every
/// millisecond, which a walk of a few directories pays in wall time at each level of the
/// search.
pub(super) fn walk_tree(root: &Path, skip: Option<&Path>, stamp_dirs: bool) -> Walked {
    walk_small(root, skip, stamp_dirs).unwrap_or_else(|| walk_parallel(root, skip, stamp_dirs))
}

/// [`walk_tree`] on this thread; `None` beyond [`SERIAL_DIRS`] directories.
fn walk_small(root: &Path, skip: Option<&Path>, stamp_dirs: bool) -> Option<Walked> {
    let mut out = Walked::default();
    for e in walker(root, skip).build().filter_map(Result::ok) {
        let Some(t) = e.file_type().filter(|_| e.depth() > 0) else {
            continue;
        };
        if t.is_dir() {
            if out.dirs.len() == SERIAL_DIRS {
                return None;
            }
            let stamp = if stamp_dirs {
                e.metadata().ok().map(|m| Stamp::of(&m))
            } else {
                None
            };
            out.dirs.push((e.into_path(), stamp));
        } else if t.is_file() && is_terraform(e.path()) {
            out.files.push(e.into_path());
        }
    }
    Some(out)
}

/// [`walk_tree`] on all cores.
fn walk_parallel(root: &Path, skip: Option<&Path>, stamp_dirs: bool) -> Walked {
    use ignore::WalkState;
    let out = std::sync::Mutex::new(Walked::default());
    walker(root, skip).build_parallel().run(|| {
        let out = &out;
        Box::new(move |entry| {
            let Ok(e) = entry else {
                return WalkState::Continue;
            };
            let Some(t) = e.file_type().filter(|_| e.depth() > 0) else {
                return WalkState::Continue;
            };
            if t.is_dir() {
                let stamp = if stamp_dirs {
                    e.metadata().ok().map(|m| Stamp::of(&m))
                } else {
                    None
                };
                if let Ok(mut o) = out.lock() {
                    o.dirs.push((e.into_path(), stamp));
                }
            } else if t.is_file()
                && is_terraform(e.path())
                && let Ok(mut o) = out.lock()
            {
                o.files.push(e.into_path());
            }
            WalkState::Continue
        })
    });
    out.into_inner().unwrap_or_default()
}

/// The walker of the callers search: `ignore`'s defaults (`.gitignore`, `.ignore`, hidden
/// files skipped), symbolic links not followed, [`ALWAYS_SKIPPED`] directories and
/// `skip` not entered.
pub(super) fn walker(root: &Path, skip: Option<&Path>) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(root);
    let skip = skip.map(Path::to_path_buf);
    b.follow_links(false).filter_entry(move |e| {
        let name = e.file_name().to_str().unwrap_or("");
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        !(e.depth() > 0
            && is_dir
            && (ALWAYS_SKIPPED.contains(&name) || skip.as_deref() == Some(e.path())))
    });
    b
}

/// A `.tf`, `.tf.json`, `.tofu` or `.tofu.json` file (by name).
pub(super) fn is_terraform(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .and_then(tf_file_kind)
        .is_some_and(|k| matches!(k, TfFileKind::Hcl | TfFileKind::Json))
}

/// The cache file's layout (integers little endian, strings and lists prefixed by their
/// length as a `u32`):
///
/// - a magic line and the format ([`super::FORMAT`]; a file of another format is not read
///   further), the version of erlint, the top directory, the global ignore files;
/// - the numbers of the directory records that hold ignore files (checked when the cache
///   is opened);
/// - the number of directory records `n`, and the size of the key table (a power of two);
/// - the key table: by the hash of a directory's key ([`key_hash`]), its record's number
///   plus one (0: an empty slot; a full slot's key not the one sought: the next slot);
/// - where each record starts in the records' bytes (`n + 1` offsets: record `i` ends
///   where `i + 1` starts);
/// - the records, in no order: key, stamp, subdirectories, files (name, stamp, sources),
///   ignore files;
/// - a checksum of everything before it ([`checksum`]).
///
/// Opening the file reads only its header: a directory's record is found through the
/// table, and read in place, when the search visits the directory. Every read is
/// checked (a damaged file gives `None`, never a panic).
mod codec {
    use super::{CacheData, DirRecord, FileRecord, Stamp};

    pub(super) const MAGIC: &[u8] = b"erlint callers cache\n";

    /// Against a damaged file, not an adversary: each 8-byte word is mixed in by an xor,
    /// a multiplication by an odd constant and a rotation (each a bijection: a change in
    /// one word always changes the sum), then the length. A tenth of the cost of the
    /// standard library's SipHash on a 3 MB cache.
    pub(super) fn checksum(bytes: &[u8]) -> u64 {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            h = (h ^ u64::from_le_bytes(*word))
                .wrapping_mul(K)
                .rotate_left(29);
            rest = tail;
        }
        let mut last = [0u8; 8];
        if let Some(dst) = last.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        h = (h ^ u64::from_le_bytes(last))
            .wrapping_mul(K)
            .rotate_left(29);
        (h ^ bytes.len() as u64).wrapping_mul(K)
    }

    /// The hash of the key made of `parts` (FNV-1a: the key's bytes, in order, however
    /// they are split), for the key table.
    pub(super) fn key_hash(parts: &[&[u8]]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for b in *part {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    }

    /// `pending`: directory records not decoded, copied as they are, and whether each
    /// holds ignore files (one whose key does not read is left out: its directory is walked
    /// again).
    pub(super) fn encode<'a>(
        data: &CacheData,
        pending: impl Iterator<Item = (&'a [u8], bool)>,
    ) -> Vec<u8> {
        // The records first, with their keys' hashes and where each starts.
        let mut records = Writer(Vec::new());
        let mut hashes = Vec::new();
        let mut starts = Vec::new();
        let mut with_ignores = Vec::new();
        for (raw, ignores) in pending {
            let Some(key) = Reader(raw).bytes() else {
                continue;
            };
            if ignores {
                with_ignores.push(hashes.len());
            }
            hashes.push(key_hash(&[key]));
            starts.push(records.0.len());
            records.0.extend_from_slice(raw);
        }
        for d in &data.dirs {
            if !d.ignore_files.is_empty() {
                with_ignores.push(hashes.len());
            }
            hashes.push(key_hash(&[d.key.as_bytes()]));
            starts.push(records.0.len());
            records.dir(d);
        }
        starts.push(records.0.len());
        let buckets = (hashes.len() * 2).next_power_of_two();
        let mut table = vec![0u32; buckets];
        for (i, h) in hashes.iter().enumerate() {
            let mut at = *h as usize;
            for _ in 0..buckets {
                let Some(slot) = table.get_mut(at & (buckets - 1)) else {
                    break;
                };
                if *slot == 0 {
                    *slot = u32::try_from(i + 1).unwrap_or(u32::MAX);
                    break;
                }
                at = at.wrapping_add(1);
            }
        }
        let mut w = Writer(MAGIC.to_vec());
        w.u32(super::FORMAT);
        w.str(&data.erlint);
        w.str(&data.top);
        w.len(data.global_ignores.len());
        for (path, stamp) in &data.global_ignores {
            w.str(path);
            w.opt_stamp(*stamp);
        }
        w.len(with_ignores.len());
        for i in with_ignores {
            w.len(i);
        }
        w.len(hashes.len());
        w.len(buckets);
        for slot in table {
            w.u32(slot);
        }
        for s in starts {
            w.len(s);
        }
        w.0.extend_from_slice(&records.0);
        let sum = checksum(&w.0);
        w.u64(sum);
        w.0
    }

    /// A loaded cache file: its header, and its directory records, found through the
    /// file's key table and read in place.
    #[derive(Debug, Default)]
    pub(super) struct Loaded {
        /// The file's bytes.
        bytes: Vec<u8>,
        /// How many directory records, and the size of the key table.
        count: usize,
        buckets: usize,
        /// Where the key table, the records' starts and the records begin in `bytes`.
        table_at: usize,
        starts_at: usize,
        records_at: usize,
    }

    /// A cache file's header, and the file, loaded.
    pub(super) struct Opened {
        pub header: CacheData,
        /// The numbers of the records that hold ignore files.
        pub with_ignores: Vec<usize>,
        pub loaded: Loaded,
    }

    /// The header of a cache file of this format, and the file, loaded; `None` if the
    /// bytes are not a whole cache file of this format. Only the header is read here.
    pub(super) fn open(bytes: Vec<u8>) -> Option<Opened> {
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if checksum(body).to_le_bytes() != sum {
            return None;
        }
        let mut r = Reader(body.strip_prefix(MAGIC)?);
        let format = r.u32()?;
        if format != super::FORMAT {
            return None;
        }
        let erlint = r.str()?;
        let top = r.str()?;
        let global_ignores = r.list(|r| Some((r.str()?, r.opt_stamp()?)))?;
        let with_ignores = r.list(|r| r.u32().map(|n| n as usize))?;
        let count = r.u32()? as usize;
        let buckets = r.u32()? as usize;
        if !buckets.is_power_of_two() || buckets <= count {
            return None;
        }
        let at = |r: &Reader<'_>| bytes.len() - 8 - r.0.len();
        let table_at = at(&r);
        r.0 = r.0.get(buckets.checked_mul(4)?..)?;
        let starts_at = at(&r);
        r.0 = r.0.get(count.checked_add(1)?.checked_mul(4)?..)?;
        let records_at = at(&r);
        // The records run to the checksum.
        if u32_at(&bytes, starts_at + count * 4)? as usize != r.0.len() {
            return None;
        }
        let header = CacheData {
            format,
            erlint,
            top,
            global_ignores,
            dirs: Vec::new(),
        };
        Some(Opened {
            header,
            with_ignores,
            loaded: Loaded {
                bytes,
                count,
                buckets,
                table_at,
                starts_at,
                records_at,
            },
        })
    }

    impl Loaded {
        /// How many directory records.
        pub(super) fn count(&self) -> usize {
            self.count
        }

        /// Where the key table lies (tests).
        #[cfg(test)]
        pub(super) fn table(&self) -> std::ops::Range<usize> {
            self.table_at..self.table_at + self.buckets * 4
        }

        fn u32_at(&self, at: usize) -> Option<u32> {
            u32_at(&self.bytes, at)
        }

        /// The bytes of record `n`.
        pub(super) fn record(&self, n: usize) -> Option<&[u8]> {
            if n >= self.count {
                return None;
            }
            let start = self.u32_at(self.starts_at.checked_add(n.checked_mul(4)?)?)?;
            let end = self.u32_at(
                self.starts_at
                    .checked_add(n.checked_add(1)?.checked_mul(4)?)?,
            )?;
            let records = self.bytes.get(self.records_at..)?;
            records.get(start as usize..end as usize)
        }

        /// The key of record `n`.
        pub(super) fn key(&self, n: usize) -> Option<&str> {
            Reader(self.record(n)?).str_ref()
        }

        /// The bytes of record `n`'s key.
        pub(super) fn key_bytes(&self, n: usize) -> Option<&[u8]> {
            Reader(self.record(n)?).bytes()
        }

        /// The number of the record whose key is `parts` joined.
        pub(super) fn find(&self, parts: &[&[u8]]) -> Option<usize> {
            if self.count == 0 {
                return None;
            }
            let mut at = key_hash(parts) as usize;
            for _ in 0..self.buckets {
                let slot = self.u32_at(self.table_at + (at & (self.buckets - 1)) * 4)? as usize;
                let n = slot.checked_sub(1)?;
                if self.key_bytes(n).is_some_and(|k| is_joined(k, parts)) {
                    return Some(n);
                }
                at = at.wrapping_add(1);
            }
            None
        }
    }

    fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
        let b = bytes.get(at..)?.first_chunk::<4>()?;
        Some(u32::from_le_bytes(*b))
    }

    /// `bytes` are `parts` joined.
    fn is_joined(bytes: &[u8], parts: &[&[u8]]) -> bool {
        let mut rest = bytes;
        for p in parts {
            match rest.strip_prefix(*p) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }

    /// One directory record.
    pub(super) fn decode_dir(bytes: &[u8]) -> Option<DirRecord> {
        let mut r = Reader(bytes);
        let record = DirRecord {
            key: r.str()?,
            stamp: r.opt_stamp()?,
            subdirs: r.list(Reader::str)?,
            files: r.list(|r| {
                Some(FileRecord {
                    name: r.str()?,
                    stamp: r.opt_stamp()?,
                    sources: r.list(Reader::str)?,
                })
            })?,
            ignore_files: r.list(|r| Some((r.str()?, r.stamp()?)))?,
        };
        r.0.is_empty().then_some(record)
    }

    /// The whole file decoded (tests).
    #[cfg(test)]
    pub(super) fn decode(bytes: &[u8]) -> Option<CacheData> {
        let opened = open(bytes.to_vec())?;
        let mut data = opened.header;
        for n in 0..opened.loaded.count() {
            data.dirs.push(decode_dir(opened.loaded.record(n)?)?);
        }
        Some(data)
    }

    pub(super) struct Writer(pub Vec<u8>);

    impl Writer {
        pub(super) fn u32(&mut self, v: u32) {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
        fn u64(&mut self, v: u64) {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
        pub(super) fn len(&mut self, n: usize) {
            self.u32(u32::try_from(n).unwrap_or(u32::MAX));
        }
        pub(super) fn str(&mut self, s: &str) {
            self.len(s.len());
            self.0.extend_from_slice(s.as_bytes());
        }
        fn stamp(&mut self, s: Stamp) {
            self.u64(s.size);
            self.0.extend_from_slice(&s.mtime.to_le_bytes());
            self.0.extend_from_slice(&s.ctime.to_le_bytes());
            self.u64(s.ino);
        }
        pub(super) fn opt_stamp(&mut self, s: Option<Stamp>) {
            match s {
                Some(s) => {
                    self.0.push(1);
                    self.stamp(s);
                }
                None => self.0.push(0),
            }
        }
        fn dir(&mut self, d: &DirRecord) {
            self.str(&d.key);
            self.opt_stamp(d.stamp);
            self.len(d.subdirs.len());
            for s in &d.subdirs {
                self.str(s);
            }
            self.len(d.files.len());
            for f in &d.files {
                self.str(&f.name);
                self.opt_stamp(f.stamp);
                self.len(f.sources.len());
                for s in &f.sources {
                    self.str(s);
                }
            }
            self.len(d.ignore_files.len());
            for (name, stamp) in &d.ignore_files {
                self.str(name);
                self.stamp(*stamp);
            }
        }
    }

    /// Reads a record's fields in order; each read is `None` past the end or on a bad
    /// value.
    pub(super) struct Reader<'a>(pub &'a [u8]);

    impl<'a> Reader<'a> {
        fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
            let (head, rest) = self.0.split_first_chunk::<N>()?;
            self.0 = rest;
            Some(*head)
        }
        pub(super) fn u32(&mut self) -> Option<u32> {
            self.take().map(u32::from_le_bytes)
        }
        fn u64(&mut self) -> Option<u64> {
            self.take().map(u64::from_le_bytes)
        }
        fn i64(&mut self) -> Option<i64> {
            self.take().map(i64::from_le_bytes)
        }
        /// A string's bytes (not checked to be UTF-8).
        pub(super) fn bytes(&mut self) -> Option<&'a [u8]> {
            let n = self.u32()? as usize;
            let (s, rest) = self.0.split_at_checked(n)?;
            self.0 = rest;
            Some(s)
        }
        pub(super) fn skip_str(&mut self) -> Option<()> {
            self.bytes().map(|_| ())
        }
        pub(super) fn str_ref(&mut self) -> Option<&'a str> {
            std::str::from_utf8(self.bytes()?).ok()
        }
        pub(super) fn str(&mut self) -> Option<String> {
            self.str_ref().map(str::to_string)
        }
        pub(super) fn stamp(&mut self) -> Option<Stamp> {
            Some(Stamp {
                size: self.u64()?,
                mtime: self.i64()?,
                ctime: self.i64()?,
                ino: self.u64()?,
            })
        }
        pub(super) fn opt_stamp(&mut self) -> Option<Option<Stamp>> {
            match self.take::<1>()? {
                [0] => Some(None),
                [1] => self.stamp().map(Some),
                _ => None,
            }
        }
        /// A file record's sources, skipped; the reader before them.
        pub(super) fn skip_sources(&mut self) -> Option<Reader<'a>> {
            let at = Reader(self.0);
            for _ in 0..self.u32()? {
                self.skip_str()?;
            }
            Some(at)
        }
        pub(super) fn list<T>(
            &mut self,
            mut item: impl FnMut(&mut Self) -> Option<T>,
        ) -> Option<Vec<T>> {
            let n = self.u32()? as usize;
            // Never trust a length for more than the bytes left.
            let mut out = Vec::with_capacity(n.min(self.0.len()));
            for _ in 0..n {
                out.push(item(self)?);
            }
            Some(out)
        }
    }
}

/// `bytes` (a cache file) as if another version of erlint had written it.
#[cfg(test)]
pub(super) fn with_version(bytes: &[u8], version: &str) -> Option<Vec<u8>> {
    let mut data = codec::decode(bytes)?;
    data.erlint = version.to_string();
    Some(codec::encode(&data, std::iter::empty()))
}

/// `body` (a cache file without its checksum) with its checksum: a damaged file that the
/// checksum does not catch (tests).
#[cfg(test)]
pub(super) fn with_checksum(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    out.extend_from_slice(&codec::checksum(body).to_le_bytes());
    out
}

/// Where the format and the key table lie in a cache file (tests).
#[cfg(test)]
pub(super) fn layout(bytes: &[u8]) -> Option<(usize, std::ops::Range<usize>)> {
    let format_at = codec::MAGIC.len();
    let table = codec::open(bytes.to_vec())?.loaded.table();
    Some((format_at, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path is opened relative to the top only when it is below it as written; any other
    /// is opened by its whole path.
    #[test]
    fn files_below_the_top_open_relative_to_it() {
        #[cfg(target_os = "linux")]
        {
            let rel = |top: &str, path: &str| {
                below(Path::new(top), Path::new(path)).map(|r| r.to_string_lossy().to_string())
            };
            assert_eq!(rel("/a/b", "/a/b/c/main.tf").as_deref(), Some("c/main.tf"));
            assert_eq!(rel("/", "/x.tf").as_deref(), Some("x.tf"));
            assert_eq!(rel("/a/b", "/a/bc/main.tf"), None);
            assert_eq!(rel("/a/b", "/a/b"), None);
            assert_eq!(rel("/a/b", "/a/b/"), None);
        }
        let tmp = tempfile::tempdir().unwrap();
        let inside = tmp.path().join("top");
        std::fs::create_dir_all(inside.join("m")).unwrap();
        std::fs::write(inside.join("m/main.tf"), "locals {}\n").unwrap();
        std::fs::write(tmp.path().join("outside.tf"), "variable \"x\" {}\n").unwrap();
        let top = TopDir::new(&inside);
        let read = |p: &Path| std::io::read_to_string(top.open(p).unwrap()).unwrap();
        assert_eq!(read(&inside.join("m/main.tf")), "locals {}\n");
        assert_eq!(read(&tmp.path().join("outside.tf")), "variable \"x\" {}\n");
        assert!(top.open(&inside.join("m/missing.tf")).is_err());
    }

    fn sorted(mut w: Walked) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let mut dirs: Vec<PathBuf> = w.dirs.drain(..).map(|(d, _)| d).collect();
        dirs.sort();
        w.files.sort();
        (dirs, w.files)
    }

    /// A small tree is walked on one thread, a large one on all cores: the same entries
    /// either way (ignore files, skipped directories, `skip`).
    #[test]
    fn small_and_large_walks_find_what_the_parallel_walk_finds() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        std::fs::write(top.join(".ignore"), "ignored/\n").unwrap();
        for d in [
            "a/b",
            "ignored",
            "a/.terraform/modules/m",
            "skip/c",
            "node_modules/x",
        ] {
            std::fs::create_dir_all(top.join(d)).unwrap();
            std::fs::write(top.join(d).join("main.tf"), "locals {}\n").unwrap();
        }
        std::fs::write(top.join("a/notes.txt"), "x").unwrap();
        let skip = top.join("skip");
        let small = walk_small(top, Some(&skip), true).expect("a small tree");
        assert!(small.dirs.iter().all(|(_, stamp)| stamp.is_some()));
        let (dirs, files) = sorted(small);
        assert_eq!(files, vec![top.join("a/b/main.tf")]);
        assert_eq!(
            (dirs.clone(), files.clone()),
            sorted(walk_parallel(top, Some(&skip), true))
        );
        assert_eq!((dirs, files), sorted(walk_tree(top, Some(&skip), false)));
        for i in 0..SERIAL_DIRS + 1 {
            let d = top.join(format!("many/m{i:03}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("main.tf"), "locals {}\n").unwrap();
        }
        assert!(walk_small(top, Some(&skip), false).is_none());
        let (dirs, files) = sorted(walk_tree(top, Some(&skip), false));
        assert_eq!(files.len(), SERIAL_DIRS + 2);
        assert_eq!(
            (dirs, files),
            sorted(walk_parallel(top, Some(&skip), false))
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn stamps_relative_to_the_top_are_the_standard_librarys() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        std::fs::create_dir_all(top.join("a/b")).unwrap();
        std::fs::write(top.join("a/b/main.tf"), "locals {}\n").unwrap();
        let fd = open_dir(top).unwrap();
        for (rel, dir) in [("a", true), ("a/b", true), ("a/b/main.tf", false)] {
            let std = Stamp::of(&std::fs::symlink_metadata(top.join(rel)).unwrap());
            assert_eq!(
                statx_at(&fd, rel.as_bytes()),
                Some(Some((std, dir))),
                "{rel}"
            );
        }
        assert_eq!(statx_at(&fd, b"a/missing.tf"), Some(None));
        assert_eq!(statx_at(&fd, b"a/b/main.tf/x"), Some(None));
        // A symbolic link's own stamp, not its target's.
        std::os::unix::fs::symlink("b", top.join("a/link")).unwrap();
        let std = Stamp::of(&std::fs::symlink_metadata(top.join("a/link")).unwrap());
        assert_eq!(statx_at(&fd, b"a/link"), Some(Some((std, false))));
        // The ignore files of a directory, as the standard library gives them.
        std::fs::write(top.join("a/.gitignore"), "x\n").unwrap();
        std::fs::create_dir(top.join("a/.git")).unwrap();
        let cache = CallersCache::open(top, RACY);
        let want = ignore_files_in(&top.join("a"));
        assert_eq!(want.len(), 2);
        assert_eq!(cache.ignore_files_at("a"), want);
        assert_eq!(cache.ignore_files_at("a/b"), []);
    }

    #[test]
    fn the_checksum_sees_any_one_changed_byte() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let sum = codec::checksum(&bytes);
        for i in [0, 7, 8, 500, 998, 999] {
            for bit in [0x01, 0x80] {
                let mut other = bytes.clone();
                other[i] ^= bit;
                assert_ne!(codec::checksum(&other), sum, "byte {i}");
            }
        }
        assert_ne!(codec::checksum(&bytes[..999]), sum);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_ne!(codec::checksum(&longer), sum);
    }

    #[test]
    fn keys_and_paths() {
        assert_eq!(join_key("", "stacks"), "stacks");
        assert_eq!(join_key("stacks", "s0"), "stacks/s0");
        let top = Path::new("/repo");
        assert_eq!(
            path_of(top, "stacks/s0/main.tf"),
            top.join("stacks/s0/main.tf")
        );
    }
}

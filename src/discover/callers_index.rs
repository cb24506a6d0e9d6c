//! The callers search over git's index (`--callers-from-index`): the Terraform files of a
//! repository are the ones its index holds, and the local module sources of each are
//! cached by the id of its content, so a warm search lists no directory and `stat`s no
//! file.
//!
//! This is the staged state, what the commit being checked holds: a pre-commit hook sees
//! the working tree equal to it (pre-commit stashes unstaged changes before it runs the
//! hooks). Untracked files are not in it, so they call no module here, as in a clean
//! clone in CI. A file in the index that `.gitignore` or `.ignore` matches (added with
//! `git add -f`) is in it too. Hidden files and directories, and [`ALWAYS_SKIPPED`]
//! directories, are left out below the searched area as the walk leaves them out. A
//! repository with a checked-out submodule is walked (the walk goes into it; its files are
//! in its own index).
//!
//! The cache: `.erlint_cache/blobs`, the sources of each file content (by object id)
//! read so far. A file is read only when the id of its content is not cached; its
//! sources are cached under that id only if the bytes read have that id (a file changed
//! since it was staged is read, not cached). A content the index holds at several paths
//! is read at one of them when that file has it; the others take its sources, as they
//! would from the cache (see [`IndexSource::files_below`] and `Calls::scan`). A file is
//! read with the size the index records for it, relative to the top directory (see
//! `read_staged`). Ids no longer in the index are dropped when the cache is next written.

use super::ALWAYS_SKIPPED;
use super::callers_cache::{Found, TopDir, write_cache_file};
use super::git_index::{IndexBlob, Kind, ObjectId, index_file, read_index};
use crate::source::Overlay;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The cache file, in the cache directory.
const CACHE_FILE: &str = "blobs";
/// The first bytes of the cache file.
const MAGIC: &[u8] = b"erlint blobs\n";
/// Bumped when the layout changes.
const FORMAT: u32 = 1;
/// The size of a record: the id, the content's size, the number of sources and where they
/// are (all `u32`, little endian).
const RECORD: usize = 32;

/// A repository's index (the files that matter in it) and the cache of its contents'
/// sources.
pub(super) struct IndexSource {
    top: PathBuf,
    /// The paths of [`IndexSource::files`], one after the other.
    names: Vec<u8>,
    /// The Terraform files of the index that may call a module (in the index's order: by
    /// path): where their paths are in `names`, their contents' ids, and the sources
    /// cached for those (then not empty).
    files: Vec<IndexFile>,
    cache: Option<BlobCache>,
    /// The top directory, to open the files below it.
    pub dir: TopDir,
}

/// A file that calls a local module, with its sources as written.
pub(super) enum Caller {
    /// Its path and sources, made.
    Made(PathBuf, Vec<String>),
    /// A file of the index whose content's sources the cache holds: where its path is in
    /// the index's names and its record in the cache ([`IndexSource::caller_path`] and
    /// [`IndexSource::caller_sources`] read them).
    ///
    /// A warm search of a big repository finds thousands, and looks at the few whose
    /// sources name a directory it looks for: their paths and strings are made then.
    Indexed {
        name: std::ops::Range<usize>,
        record: usize,
    },
}

/// What [`IndexSource::files_below`] finds.
pub(super) struct Below {
    /// Files whose content's sources are cached, with them.
    pub cached: Vec<Caller>,
    /// Files to read: one per content.
    pub files: Vec<Found>,
    /// The other files of those contents.
    pub copies: Vec<Copy>,
}

/// A file of the index whose content another file found by the same search has: that
/// file's place in the files found (see [`IndexSource::files_below`]).
pub(super) struct Copy {
    pub of: usize,
    /// Its place in the index's files ([`IndexSource::copy_path`] and
    /// [`IndexSource::copy_blob`] read it): small, as a big repository repeats thousands
    /// of contents.
    file: usize,
}

struct IndexFile {
    name: std::ops::Range<usize>,
    blob: IndexBlob,
    cached: Option<Cached>,
}

/// The sources the cache holds for a content.
#[derive(Clone, Copy)]
enum Cached {
    /// None (or the content is over the size limit: not read).
    Empty,
    /// Those of record `n` (checked when the index was read).
    Record(usize),
}

impl IndexSource {
    /// The index of the repository whose top directory is `top`, with its cache unless
    /// `use_cache` is false; `None` if the index cannot be used. Files whose cached
    /// contents call no module (or are over `max_size`, 0: no limit) are left out at once,
    /// unless `overlay` holds them: nothing is to be done with them.
    pub(super) fn open(
        top: &Path,
        cwd: &Path,
        use_cache: bool,
        max_size: u64,
        overlay: &Overlay,
    ) -> Option<IndexSource> {
        let file = index_file(top, cwd)?;
        let mut cache = use_cache.then(|| BlobCache::open(top));
        let mut names = Vec::new();
        let mut files = Vec::new();
        let submodules = read_index(&file, Kind::Terraform, |name, blob, entries| {
            if files.capacity() == 0 {
                // Room for every entry: only the pages written are touched, and the
                // vectors are not copied as they grow.
                files.reserve_exact(entries);
                names.reserve_exact(entries.saturating_mul(48));
            }
            // (A record that does not read is not cached: the file is read.)
            let cached = cache.as_mut().and_then(|c| {
                let n = c.find(&blob.id)?;
                match c.meta(n)? {
                    (size, _) if max_size > 0 && size > max_size => Some(Cached::Empty),
                    (_, 0) => Some(Cached::Empty),
                    _ => c.sources_read(n).then_some(Cached::Record(n)),
                }
            });
            let idle = matches!(cached, Some(Cached::Empty));
            if idle
                && (overlay.is_empty() || !path_of(top, name).is_some_and(|p| overlay.contains(&p)))
            {
                return;
            }
            let begin = names.len();
            names.extend_from_slice(name);
            files.push(IndexFile {
                name: begin..names.len(),
                blob: *blob,
                cached,
            });
        })?;
        if checked_out(top, &submodules) {
            return None;
        }
        Some(IndexSource {
            top: top.to_path_buf(),
            names,
            files,
            cache,
            dir: TopDir::new(top),
        })
    }

    /// The Terraform files below `area` (except below `skip`) that may call a module: those
    /// whose content's sources are cached, with them (unless `overlay` holds the file), and
    /// the others, to be read: one file per content (the first the index holds it at, with
    /// the id of its content), and the others of that content as its [`Copy`]s, which take
    /// its sources when it holds the staged content (no path is made for them until then:
    /// most contents a repository repeats call no module). A file `overlay` holds is read
    /// on its own.
    ///
    /// The cached sources are handed over: a file is found once per search (the areas
    /// searched never overlap), or again for another module, which the search does not
    /// read twice. With `lazy`, the files whose sources are cached are given as
    /// [`Caller::Indexed`] (`overlay` must then be empty: it is not looked at for them).
    pub(super) fn files_below(
        &mut self,
        area: &Path,
        skip: Option<&Path>,
        overlay: &Overlay,
        lazy: bool,
    ) -> Below {
        let mut out = Below {
            cached: Vec::new(),
            files: Vec::new(),
            copies: Vec::new(),
        };
        let Some(prefix) = rel_prefix(&self.top, area) else {
            return out;
        };
        let skip = skip.and_then(|s| rel_prefix(&self.top, s));
        let names = &self.names;
        let name = |f: &IndexFile| names.get(f.name.clone()).unwrap_or_default();
        // The files below `area`: a range, as the index is sorted by path.
        let start = self.files.partition_point(|f| name(f) < prefix.as_slice());
        let rest = self.files.get_mut(start..).unwrap_or_default();
        let len = rest.partition_point(|f| name(f).starts_with(&prefix));
        let below = rest.get_mut(..len).unwrap_or_default();
        let mut first: HashMap<ObjectId, usize, foldhash::fast::RandomState> = HashMap::default();
        // Room for every file in each list (only the pages written are touched): a search
        // of the top area of a big repository takes thousands, not copied again as the
        // lists grow.
        if self.cache.is_some() {
            out.cached.reserve(below.len());
        }
        out.files.reserve(below.len());
        out.copies.reserve(below.len());
        let mut walk = WalkLeaves::default();
        for (file, f) in (start..).zip(below) {
            let name = names.get(f.name.clone()).unwrap_or_default();
            if skip.as_ref().is_some_and(|s| name.starts_with(s)) {
                continue;
            }
            if walk.leaves_out(name.get(prefix.len()..).unwrap_or_default()) {
                continue;
            }
            let held = || {
                !overlay.is_empty()
                    && path_of(&self.top, name).is_some_and(|p| overlay.contains(&p))
            };
            if f.cached.is_none()
                && let Some(of) = first.get(&f.blob.id)
                && !held()
            {
                out.copies.push(Copy { of: *of, file });
                continue;
            }
            if lazy {
                match f.cached.take() {
                    Some(Cached::Record(record)) => {
                        out.cached.push(Caller::Indexed {
                            name: f.name.clone(),
                            record,
                        });
                        continue;
                    }
                    // No sources: nothing to look at.
                    Some(Cached::Empty) => continue,
                    None => {}
                }
            }
            let Some(path) = path_of(&self.top, name) else {
                continue;
            };
            let cached = f.cached.take().map(|c| match (c, &self.cache) {
                (Cached::Record(n), Some(cache)) => cache.sources(n).unwrap_or_default(),
                _ => Vec::new(),
            });
            match cached {
                Some(sources) if !overlay.contains(&path) => {
                    out.cached.push(Caller::Made(path, sources));
                }
                sources => {
                    if sources.is_none() && !overlay.contains(&path) {
                        first.insert(f.blob.id, out.files.len());
                    }
                    out.files.push(Found::from_index(path, sources, f.blob));
                }
            }
        }
        out
    }

    /// The path of a [`Caller::Indexed`] (`None` when it cannot be made).
    pub(super) fn caller_path(&self, name: &std::ops::Range<usize>) -> Option<PathBuf> {
        path_of(&self.top, self.names.get(name.clone())?)
    }

    /// The sources of a [`Caller::Indexed`].
    pub(super) fn caller_sources(&self, record: usize) -> SourceStrs<'_> {
        self.cache
            .as_ref()
            .and_then(|c| c.source_strs(record))
            .unwrap_or_default()
    }

    /// The path of a [`Copy`].
    pub(super) fn copy_path(&self, copy: &Copy) -> Option<PathBuf> {
        let name = &self.files.get(copy.file)?.name;
        path_of(&self.top, self.names.get(name.clone())?)
    }

    /// The id and size of the staged content of a [`Copy`].
    pub(super) fn copy_blob(&self, copy: &Copy) -> Option<IndexBlob> {
        Some(self.files.get(copy.file)?.blob)
    }

    /// Room for `n` more records.
    pub(super) fn reserve_records(&mut self, n: usize) {
        if let Some(cache) = &mut self.cache {
            cache.added.reserve(n);
        }
    }

    /// Record the sources of a file read whose content has the id `id`.
    pub(super) fn record(&mut self, id: ObjectId, size: u64, sources: &[String]) {
        if let Some(cache) = &mut self.cache {
            cache.added.insert(id, (size, sources.to_vec()));
        }
    }

    /// Whether this run added to the cache ([`IndexSource::save`] then writes it).
    pub(super) fn changed(&self) -> bool {
        self.cache.as_ref().is_some_and(|c| !c.added.is_empty())
    }

    /// Write the cache if this run added to it: the contents of the index (what it
    /// held and what was added), the others dropped.
    pub(super) fn save(self) {
        if let Some(cache) = self.cache
            && !cache.added.is_empty()
        {
            write_cache_file(&self.top, CACHE_FILE, &cache.encode());
        }
    }
}

/// The `.bicep` files git's index holds in the repository whose top directory is `top`;
/// `None` if the index cannot be used (the Bicep callers search then walks).
pub(super) fn bicep_files_in_index(top: &Path, cwd: &Path) -> Option<Vec<PathBuf>> {
    let file = index_file(top, cwd)?;
    let mut out = Vec::new();
    let submodules = read_index(&file, Kind::Bicep, |name, _, _| {
        out.extend(path_of(top, name));
    })?;
    (!checked_out(top, &submodules)).then_some(out)
}

/// Whether one of `submodules` (paths in the repository whose top is `top`) is checked
/// out: the walk goes into it, and its files are in its own index, not this one, so the
/// search walks (a repository with submodules keeps the walk's answer).
fn checked_out(top: &Path, submodules: &[Vec<u8>]) -> bool {
    submodules
        .iter()
        .filter_map(|s| path_of(top, s))
        .any(|dir| dir.join(".git").exists())
}

/// Those of `files` (paths below `top`, from the index) that are below `area`, except what
/// the walk leaves out there (hidden files and directories, [`ALWAYS_SKIPPED`] ones).
pub(super) fn index_files_below(files: &[PathBuf], area: &Path) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| {
            f.strip_prefix(area).is_ok_and(|rel| {
                !rel.components()
                    .any(|c| left_out(c.as_os_str().as_encoded_bytes()))
            })
        })
        .cloned()
        .collect()
}

/// What the walk below an area leaves out, asked of its files one after the other in the
/// index's order (by path): whether a directory is left out is decided once for all its
/// files, which come one after the other.
#[derive(Default)]
struct WalkLeaves<'n> {
    /// The last directory asked about, and the answer.
    last: Option<(&'n [u8], bool)>,
}

impl<'n> WalkLeaves<'n> {
    /// Whether the walk leaves out the file at `rel` (relative to the area).
    fn leaves_out(&mut self, rel: &'n [u8]) -> bool {
        let (dir, file_name) = match rel.iter().rposition(|b| *b == b'/') {
            Some(i) => (
                rel.get(..i).unwrap_or_default(),
                rel.get(i + 1..).unwrap_or_default(),
            ),
            None => (&[][..], rel),
        };
        let dir_out = match self.last {
            Some((d, out)) if d == dir => out,
            _ => {
                let out = !dir.is_empty() && dir.split(|b| *b == b'/').any(left_out);
                self.last = Some((dir, out));
                out
            }
        };
        dir_out || left_out(file_name)
    }
}

/// A path component the walk does not go into or list: hidden, or always skipped.
fn left_out(component: &[u8]) -> bool {
    component.first() == Some(&b'.') || ALWAYS_SKIPPED.iter().any(|s| s.as_bytes() == component)
}

/// `dir`'s path relative to `top` as the index writes it, followed by `/` (empty for the
/// top itself); `None` outside `top`.
fn rel_prefix(top: &Path, dir: &Path) -> Option<Vec<u8>> {
    let rel = dir.strip_prefix(top).ok()?;
    let mut out = Vec::new();
    for c in rel.components() {
        out.extend_from_slice(c.as_os_str().as_encoded_bytes());
        out.push(b'/');
    }
    Some(out)
}

/// `top` joined with the index's path `name` (`None` for a name that is not UTF-8, except
/// on Unix, where any bytes are a path).
fn path_of(top: &Path, name: &[u8]) -> Option<PathBuf> {
    let mut path = PathBuf::with_capacity(top.as_os_str().len() + 1 + name.len());
    path.push(top);
    #[cfg(unix)]
    path.push(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name));
    #[cfg(not(unix))]
    path.extend(std::str::from_utf8(name).ok()?.split('/'));
    Some(path)
}

/// The id git gives a file's content (`git hash-object`): the SHA-1 of a `blob` header and
/// the bytes. A file checked out with CRLF line ends (`core.autocrlf`) is stored with LF:
/// its id is tried that way too.
pub(super) fn object_id_matches(bytes: &[u8], id: &ObjectId) -> bool {
    if object_id(bytes) == *id {
        return true;
    }
    if memchr::memchr(b'\r', bytes).is_none() {
        return false;
    }
    let lf: Vec<u8> = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| !(**b == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
        .map(|(_, b)| *b)
        .collect();
    object_id(&lf) == *id
}

/// The id git gives a file's content (`git hash-object`).
pub(super) fn object_id(bytes: &[u8]) -> ObjectId {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.finalize().into()
}

/// The cache file, loaded: records sorted by id, found through a table of the ids' first
/// bits; and what this run added.
struct BlobCache {
    bytes: Vec<u8>,
    /// Where the records start and how many there are.
    records: usize,
    count: usize,
    /// Where the sources start.
    sources: usize,
    /// How many of the ids' first bits choose a bucket, and where each bucket's records
    /// start (`1 << bits` + 1 entries).
    bits: u32,
    buckets: Vec<u32>,
    /// Per record: whether the index holds its content (kept when the cache is written).
    seen: Vec<bool>,
    added: HashMap<ObjectId, (u64, Vec<String>), foldhash::fast::RandomState>,
}

impl BlobCache {
    /// The cache of the repository whose top is `top`; empty if there is none, or it was
    /// written by another version of erlint, or it does not parse.
    fn open(top: &Path) -> BlobCache {
        let bytes = std::fs::read(top.join(super::CACHE_DIR).join(CACHE_FILE)).unwrap_or_default();
        BlobCache::load(bytes).unwrap_or_else(BlobCache::empty)
    }

    fn empty() -> BlobCache {
        BlobCache {
            bytes: Vec::new(),
            records: 0,
            count: 0,
            sources: 0,
            bits: 0,
            buckets: vec![0, 0],
            seen: Vec::new(),
            added: HashMap::default(),
        }
    }

    /// The layout: [`MAGIC`], the format and erlint's version (a `u32` length and the
    /// bytes), the number of records, the records ([`RECORD`] bytes each, sorted by id),
    /// then the sources (each a `u32` length and the bytes).
    fn load(bytes: Vec<u8>) -> Option<BlobCache> {
        let mut at = MAGIC.len();
        if bytes.get(..at)? != MAGIC {
            return None;
        }
        let u32_at = |at: &mut usize| -> Option<u32> {
            let v = u32::from_le_bytes(bytes.get(*at..*at + 4)?.try_into().ok()?);
            *at += 4;
            Some(v)
        };
        if u32_at(&mut at)? != FORMAT {
            return None;
        }
        let len = usize::try_from(u32_at(&mut at)?).ok()?;
        if bytes.get(at..at.checked_add(len)?)? != env!("CARGO_PKG_VERSION").as_bytes() {
            return None;
        }
        at += len;
        let count = usize::try_from(u32_at(&mut at)?).ok()?;
        let records = at;
        let sources = records.checked_add(count.checked_mul(RECORD)?)?;
        if sources > bytes.len() {
            return None;
        }
        // About one record a bucket: an id looked for (every file of the index, on a warm
        // search) is compared with one record, or none.
        let bits = count.max(1).ilog2().min(24);
        // Each bucket's count after its start, then their running sums.
        let mut buckets = vec![0u32; (1 << bits) + 1];
        let mut previous: Option<&[u8]> = None;
        for n in 0..count {
            let id = bytes.get(records + n * RECORD..records + n * RECORD + 20)?;
            if previous.is_some_and(|p| p >= id) {
                return None;
            }
            previous = Some(id);
            *buckets.get_mut(bucket(id, bits) + 1)? += 1;
        }
        for i in 1..buckets.len() {
            let before = *buckets.get(i - 1)?;
            *buckets.get_mut(i)? += before;
        }
        Some(BlobCache {
            bytes,
            records,
            count,
            sources,
            bits,
            buckets,
            seen: vec![false; count],
            added: HashMap::default(),
        })
    }

    /// The number of the record of `id`, which the index holds then.
    fn find(&mut self, id: &ObjectId) -> Option<usize> {
        let b = bucket(id, self.bits);
        let from = usize::try_from(*self.buckets.get(b)?).ok()?;
        let to = usize::try_from(*self.buckets.get(b + 1)?).ok()?;
        // (Compared as arrays: inline, not a call to `memcmp`.)
        let n = (from..to.min(self.count)).find(|n| {
            self.id(*n)
                .and_then(|r| <&ObjectId>::try_from(r).ok())
                .is_some_and(|r| r == id)
        })?;
        if let Some(seen) = self.seen.get_mut(n) {
            *seen = true;
        }
        Some(n)
    }

    /// The record `n`'s bytes.
    fn record(&self, n: usize) -> Option<&[u8]> {
        let at = self.records.checked_add(n.checked_mul(RECORD)?)?;
        self.bytes.get(at..at + RECORD)
    }

    /// The id of record `n`.
    fn id(&self, n: usize) -> Option<&[u8]> {
        self.record(n)?.get(..20)
    }

    /// The content's size and number of sources of record `n`, and where its sources are.
    fn meta(&self, n: usize) -> Option<(u64, usize)> {
        let (size, count, _) = self.fields(n)?;
        Some((u64::from(size), usize::try_from(count).ok()?))
    }

    fn fields(&self, n: usize) -> Option<(u32, u32, u32)> {
        let record = self.record(n)?;
        let field = |i: usize| -> Option<u32> {
            Some(u32::from_le_bytes(
                record.get(20 + 4 * i..24 + 4 * i)?.try_into().ok()?,
            ))
        };
        Some((field(0)?, field(1)?, field(2)?))
    }

    /// The sources of record `n`.
    fn sources(&self, n: usize) -> Option<Vec<String>> {
        let mut strs = self.source_strs(n)?;
        let sources: Vec<String> = strs.by_ref().map(str::to_string).collect();
        strs.whole().then_some(sources)
    }

    /// Whether the sources of record `n` read (each within the file, in UTF-8).
    fn sources_read(&self, n: usize) -> bool {
        self.source_strs(n).is_some_and(|mut strs| {
            strs.by_ref().for_each(drop);
            strs.whole()
        })
    }

    /// The sources of record `n`, read as they are iterated.
    fn source_strs(&self, n: usize) -> Option<SourceStrs<'_>> {
        let (_, count, offset) = self.fields(n)?;
        let at = self.sources.checked_add(usize::try_from(offset).ok()?)?;
        Some(SourceStrs {
            bytes: &self.bytes,
            at,
            left: count,
            broken: false,
        })
    }

    /// The cache's bytes: the records the index holds and what was added.
    fn encode(&self) -> Vec<u8> {
        // (What this run added is borrowed, not copied: most of a cold run's records.)
        let mut all: Vec<(ObjectId, u64, Cow<'_, [String]>)> = Vec::with_capacity(self.added.len());
        for n in 0..self.count {
            if !self.seen.get(n).copied().unwrap_or(false) {
                continue;
            }
            let id = self.id(n).and_then(|b| ObjectId::try_from(b).ok());
            if let (Some(id), Some((size, _)), Some(sources)) = (id, self.meta(n), self.sources(n))
                && !self.added.contains_key(&id)
            {
                all.push((id, size, Cow::Owned(sources)));
            }
        }
        all.extend(
            self.added
                .iter()
                .map(|(id, (size, sources))| (*id, *size, Cow::Borrowed(sources.as_slice()))),
        );
        // In the order of their ids: their places sorted by the ids' first eight bytes as a
        // number, then the whole ids (sorting the records themselves, by comparing whole
        // arrays, was half of the encoding of a cold run's cache).
        let head = |id: &ObjectId| id.first_chunk().map_or(0, |h| u64::from_be_bytes(*h));
        let mut order: Vec<(u64, usize)> = all
            .iter()
            .enumerate()
            .map(|(i, r)| (head(&r.0), i))
            .collect();
        let id_at = |i: usize| all.get(i).map(|r| &r.0);
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| id_at(a.1).cmp(&id_at(b.1))));
        let mut out = MAGIC.to_vec();
        let push = |out: &mut Vec<u8>, v: usize| {
            out.extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes());
        };
        push(&mut out, FORMAT as usize);
        push(&mut out, env!("CARGO_PKG_VERSION").len());
        out.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
        push(&mut out, all.len());
        let mut tail = Vec::new();
        for (id, size, sources) in order.iter().filter_map(|(_, i)| all.get(*i)) {
            out.extend_from_slice(id);
            push(&mut out, usize::try_from(*size).unwrap_or(usize::MAX));
            push(&mut out, sources.len());
            push(&mut out, tail.len());
            for s in sources.iter() {
                push(&mut tail, s.len());
                tail.extend_from_slice(s.as_bytes());
            }
        }
        out.extend_from_slice(&tail);
        out
    }
}

/// The sources of a cache record, one string at a time, lent from the cache's bytes.
#[derive(Default)]
pub(super) struct SourceStrs<'c> {
    bytes: &'c [u8],
    at: usize,
    left: u32,
    broken: bool,
}

impl SourceStrs<'_> {
    /// Whether every source was read (none left, none broken).
    fn whole(&self) -> bool {
        self.left == 0 && !self.broken
    }
}

impl<'c> Iterator for SourceStrs<'c> {
    type Item = &'c str;

    fn next(&mut self) -> Option<&'c str> {
        if self.left == 0 || self.broken {
            return None;
        }
        let read = || -> Option<(&'c str, usize)> {
            let len = u32::from_le_bytes(self.bytes.get(self.at..self.at + 4)?.try_into().ok()?);
            let from = self.at + 4;
            let end = from.checked_add(usize::try_from(len).ok()?)?;
            Some((std::str::from_utf8(self.bytes.get(from..end)?).ok()?, end))
        };
        match read() {
            Some((s, end)) => {
                self.at = end;
                self.left -= 1;
                Some(s)
            }
            None => {
                self.broken = true;
                None
            }
        }
    }
}

/// The bucket of `id`: its first `bits` bits.
fn bucket(id: &[u8], bits: u32) -> usize {
    let first = id
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_be_bytes);
    usize::try_from(first.checked_shr(32 - bits).unwrap_or(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::git_index::tests::git;
    use super::*;

    fn id(n: u8) -> ObjectId {
        let mut id = [n; 20];
        id[19] = 0xaa;
        id
    }

    /// A cache holding `ids` (each content's sources: its number, as many times as the
    /// number is even), as written and loaded again.
    fn written(ids: &[u8]) -> BlobCache {
        let mut cache = BlobCache::empty();
        for n in ids {
            let sources = vec![format!("./m{n}"); usize::from(*n % 2 == 0) * 2];
            cache.added.insert(id(*n), (u64::from(*n) * 10, sources));
        }
        BlobCache::load(cache.encode()).unwrap()
    }

    #[test]
    fn contents_are_found_by_id() {
        let ids: Vec<u8> = (0..=255).step_by(3).collect();
        let mut cache = written(&ids);
        assert_eq!(cache.count, ids.len());
        for n in 0..=255u8 {
            let found = cache.find(&id(n));
            if !ids.contains(&n) {
                assert_eq!(found, None, "{n}");
                continue;
            }
            let found = found.unwrap();
            assert_eq!(
                cache.meta(found),
                Some((u64::from(n) * 10, if n % 2 == 0 { 2 } else { 0 }))
            );
            let expected = vec![format!("./m{n}"); if n % 2 == 0 { 2 } else { 0 }];
            assert_eq!(cache.sources(found), Some(expected.clone()));
            // Lent as they are, without a copy.
            assert!(cache.sources_read(found));
            let lent: Vec<&str> = cache.source_strs(found).unwrap().collect();
            assert_eq!(lent, expected);
        }
        // One record, and none.
        assert!(written(&[7]).find(&id(7)).is_some());
        assert!(written(&[]).find(&id(7)).is_none());
    }

    #[test]
    fn contents_whose_ids_begin_alike_are_written_in_order_and_found() {
        // Ids equal in their first eight bytes (the sort's first key) and apart after.
        let alike = |last: u8| {
            let mut id = [7; 20];
            id[12] = last;
            id
        };
        let mut cache = BlobCache::empty();
        for n in [9u8, 3, 200, 0, 42] {
            cache
                .added
                .insert(alike(n), (u64::from(n), vec![format!("./m{n}")]));
        }
        cache.added.insert(id(1), (1, Vec::new()));
        let bytes = cache.encode();
        let mut loaded = BlobCache::load(bytes).unwrap();
        let ids: Vec<ObjectId> = (0..loaded.count)
            .map(|n| loaded.id(n).unwrap().try_into().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        for n in [9u8, 3, 200, 0, 42] {
            let found = loaded.find(&alike(n)).unwrap();
            assert_eq!(loaded.sources(found), Some(vec![format!("./m{n}")]));
        }
        assert!(loaded.find(&alike(1)).is_none());
    }

    #[test]
    fn what_the_walk_leaves_out_is_decided_per_directory_as_per_file() {
        // In the index's order: a directory's files one after the other.
        let names = [
            ".hidden.tf",
            "a/.terraform/modules/x/main.tf",
            "a/.terraform/modules/x/vars.tf",
            "a/b/.x.tf",
            "a/b/main.tf",
            "a/b/node_modules/main.tf",
            "a/main.tf",
            "main.tf",
            "node_modules/m/main.tf",
            "x//y.tf",
        ];
        let mut walk = WalkLeaves::default();
        for name in names {
            let each = name.split('/').any(|c| left_out(c.as_bytes()));
            assert_eq!(walk.leaves_out(name.as_bytes()), each, "{name}");
        }
    }

    #[test]
    fn what_the_index_no_longer_holds_is_dropped() {
        let mut cache = written(&[1, 2, 3, 4]);
        // The index holds 2 and 3, and a new content 9.
        assert!(cache.find(&id(2)).is_some());
        assert!(cache.find(&id(3)).is_some());
        cache.added.insert(id(9), (5, vec!["../x".into()]));
        let mut again = BlobCache::load(cache.encode()).unwrap();
        let held: Vec<u8> = (0..10).filter(|n| again.find(&id(*n)).is_some()).collect();
        assert_eq!(held, [2, 3, 9]);
        let nine = again.find(&id(9)).unwrap();
        assert_eq!(again.sources(nine), Some(vec!["../x".to_string()]));
    }

    #[test]
    fn a_cache_it_cannot_read_is_empty() {
        let bytes = written(&[1, 2, 3]).bytes;
        assert!(BlobCache::load(bytes.clone()).is_some());
        for cut in [0, 5, MAGIC.len() + 6, bytes.len() - 40] {
            assert!(
                BlobCache::load(bytes[..cut].to_vec()).is_none(),
                "cut at {cut}"
            );
        }
        // Another version of erlint.
        let version = env!("CARGO_PKG_VERSION").as_bytes();
        let at = MAGIC.len() + 8;
        let mut other = bytes.clone();
        other[at] ^= 1;
        assert_eq!(&bytes[at..at + version.len()], version);
        assert!(BlobCache::load(other).is_none());
        // Records out of order.
        let mut swapped = bytes.clone();
        let first = at + version.len() + 4;
        swapped.copy_within(first + RECORD..first + 2 * RECORD, first);
        assert!(BlobCache::load(swapped).is_none());
        // Sources pointing past the end are not read.
        let mut past = bytes;
        let count_at = first + RECORD + 24;
        past[count_at..count_at + 4].copy_from_slice(&1000u32.to_le_bytes());
        let mut cache = BlobCache::load(past).unwrap();
        let two = cache.find(&id(2)).unwrap();
        assert_eq!(cache.sources(two), None);
        assert!(!cache.sources_read(two));
    }

    #[test]
    fn contents_have_git_s_ids() {
        // `printf 'locals {}\n' | git hash-object --stdin`, and with `\r\n`.
        let lf = hex("066066c002d2923be469173a2471e06c9f1b74ba");
        let crlf = hex("70e3c64ab7a64b5f5dedbf71147edf25c7a91063");
        assert!(object_id_matches(b"locals {}\n", &lf));
        assert!(object_id_matches(b"locals {}\r\n", &crlf));
        // Checked out with CRLF from an LF blob.
        assert!(object_id_matches(b"locals {}\r\n", &lf));
        assert!(!object_id_matches(b"locals {}\n", &crlf));
        assert!(!object_id_matches(b"locals {} \n", &lf));
        assert!(!object_id_matches(b"locals {}\r", &lf));
    }

    #[test]
    fn an_index_that_claims_more_entries_than_it_holds_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        git(root, &["init", "-q"]);
        std::fs::write(
            root.join("main.tf"),
            "module \"a\" {\n  source = \"./a\"\n}\n",
        )
        .unwrap();
        git(root, &["add", "main.tf"]);
        let open = || IndexSource::open(root, root, false, 0, &Overlay::default());
        assert_eq!(open().unwrap().files.len(), 1);
        // Four billion entries claimed: sized by what the file can hold, then not used.
        let index = root.join(".git/index");
        let mut bytes = std::fs::read(&index).unwrap();
        bytes[8..12].copy_from_slice(&u32::MAX.to_be_bytes());
        std::fs::write(&index, &bytes).unwrap();
        assert!(open().is_none());
    }

    fn hex(s: &str) -> ObjectId {
        let mut out = [0; 20];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}

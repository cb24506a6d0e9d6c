//! Source files, byte spans and line/column conversion.
//!
//! Every file erlint looks at gets a [`FileId`] in the [`SourceDb`]. Its text is read at
//! most once ([`SourceDb::text`]) and lent as `&str` to whatever needs it later
//! (the evaluator, the renderer). Spans are byte offsets into that text; they are turned
//! into 1-based lines and columns (columns counted in Unicode scalar values) in one place,
//! [`LineIndex`].

mod index;
pub mod paths;
pub mod sites;

pub use index::PathIndex;

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Index of a file in the [`SourceDb`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `other` lies inside `self` (same file, within the byte range).
    pub fn contains(self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }

    /// A span covering both (they must be in the same file; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Shift a span by `delta` bytes (used for spans relative to a string's content).
    pub fn shifted(file: FileId, base: usize, range: std::ops::Range<usize>) -> Span {
        Span::new(file, base + range.start, base + range.end)
    }
}

/// 1-based line and column (column in Unicode scalar values).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Line starts of one text, for offset → line/column conversion: 4 bytes a line (the
/// index of every file a finding points into is kept for the output), 8 for a text of
/// 4 GiB or more.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Starts,
}

#[derive(Debug, Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
        let starts = if u32::try_from(text.len()).is_ok() {
            let mut v = vec![0u32];
            v.extend(newlines.map(|i| i as u32));
            v.shrink_to_fit();
            Starts::Narrow(v)
        } else {
            let mut v = vec![0usize];
            v.extend(newlines);
            Starts::Wide(v)
        };
        LineIndex { starts }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let found = match &self.starts {
            Starts::Narrow(v) => match u32::try_from(offset) {
                Ok(o) => v.binary_search(&o),
                Err(_) => Err(v.len()),
            },
            Starts::Wide(v) => v.binary_search(&offset),
        };
        match found {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line0: usize) -> usize {
        match &self.starts {
            Starts::Narrow(v) => v.get(line0).map_or(0, |&s| s as usize),
            Starts::Wide(v) => v.get(line0).copied().unwrap_or(0),
        }
    }

    pub fn line_count(&self) -> usize {
        match &self.starts {
            Starts::Narrow(v) => v.len(),
            Starts::Wide(v) => v.len(),
        }
    }

    /// 1-based line and column of a byte offset. Offsets inside a multi-byte character or
    /// beyond the end are clamped.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = clamp_to_char_boundary(text, offset);
        let line0 = self.line_of(offset);
        let start = self.line_start(line0);
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        LineCol {
            line: line0 + 1,
            column,
        }
    }

    /// Column in UTF-16 code units (1-based), for formats that count that way.
    pub fn utf16_column(&self, text: &str, offset: usize) -> usize {
        let offset = clamp_to_char_boundary(text, offset);
        let start = self.line_start(self.line_of(offset));
        text.get(start..offset)
            .map(|s| s.encode_utf16().count())
            .unwrap_or(0)
            + 1
    }
}

/// Largest char boundary `<= offset` within `text`.
pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Why a file's text could not be had.
#[derive(Debug, Clone)]
pub enum ReadError {
    Io(String),
    /// The first invalid byte: its offset, and its 1-based line and column (in characters).
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
    },
    TooLarge {
        size: u64,
        limit: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read file: {e}"),
            ReadError::NotUtf8 {
                offset,
                line,
                column,
            } => {
                write!(
                    f,
                    "file is not valid UTF-8: the first invalid byte is at line {line}, column {column} (byte offset {offset})"
                )
            }
            ReadError::TooLarge { size, limit } => write!(
                f,
                "file is {size} bytes, larger than the limit of {limit} bytes (config `max_file_size`)"
            ),
        }
    }
}

/// Texts that stand in for files: an editor's unsaved buffer, the text on stdin
/// (`--stdin-filename`). A path in the overlay is read from it, not from disk, by the
/// [`SourceDb`] and by discovery; the file need not exist on disk, and the rest of its
/// directory is read from disk as usual. Keys are absolute, lexically normalized paths.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    texts: std::collections::HashMap<PathBuf, std::sync::Arc<str>>,
}

impl Overlay {
    pub fn new() -> Overlay {
        Overlay::default()
    }

    /// Let `text` stand for the file at `path` (relative to the current directory, or
    /// absolute).
    pub fn insert(&mut self, path: &Path, text: impl Into<std::sync::Arc<str>>) {
        self.texts.insert(paths::normalize(path), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        if self.texts.is_empty() {
            return None;
        }
        self.texts.get(&paths::normalize(path)).map(|t| &**t)
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.get(path).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The overlaid paths (absolute).
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.texts.keys().map(PathBuf::as_path)
    }

    /// The file's text from the overlay, else from disk (for discovery's own reads).
    pub fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        match self.get(path) {
            Some(t) => Ok(t.to_string()),
            None => std::fs::read_to_string(path),
        }
    }
}

/// One file known to the run: 72 bytes, one per file of the repository for the whole
/// run (the text and its line index are boxed: most files never keep them).
#[derive(Debug)]
pub struct SourceEntry {
    /// The path used to open the file.
    path: Box<Path>,
    /// The path as shown in output, when it is not `path` written as is: relative to the
    /// current directory when the file is under it, else as reached from the argument;
    /// always `/`-separated.
    display: Option<Box<str>>,
    text: OnceLock<Box<Result<Kept, ReadError>>>,
    /// The file began with a UTF-8 byte-order mark (removed from `text`).
    bom: AtomicBool,
    /// Read successfully by [`SourceDb::read`] (its text not kept): [`SourceDb::keep`]
    /// reads it again.
    was_read: AtomicBool,
    lines: OnceLock<Box<LineIndex>>,
}

/// A file's text kept for the output: the whole text, or only its beginning
/// ([`SourceDb::keep_part`]).
#[derive(Debug)]
struct Kept {
    text: Box<str>,
    /// `Some` when `text` is the file's beginning only: its whole text, read again when
    /// something asks for more.
    rest: Option<Box<Rest>>,
}

/// The whole text of a file kept in part, with its line index, once read again (`None`
/// if it could not be).
type Rest = OnceLock<Option<(Box<str>, LineIndex)>>;

impl Kept {
    fn whole(text: Box<str>) -> Kept {
        Kept { text, rest: None }
    }
}

/// How a file starts ([`SourceDb::head`]).
pub struct Head {
    pub text: String,
    /// `text` is the whole file, as [`SourceDb::read`] would read it.
    pub whole: bool,
    /// It began with a byte-order mark (removed).
    bom: bool,
}

/// A file [`SourceDb::head_open`] looked at the start of, still open, for
/// [`SourceDb::read_opened`] to read the rest from.
pub struct Opened {
    file: std::fs::File,
    /// Bytes read after the head's text (the start of a character cut at its end).
    tail: Vec<u8>,
}

/// All files of a run, addressed by [`FileId`]. Files are registered between the
/// parallel phases (through `&mut`); their texts are read lazily from any thread.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceEntry>,
    max_size: u64,
    overlay: Overlay,
}

impl SourceDb {
    pub fn new(max_size: u64) -> SourceDb {
        SourceDb {
            files: Vec::new(),
            max_size,
            overlay: Overlay::default(),
        }
    }

    /// A database whose files in `overlay` are read from it instead of from disk.
    pub fn with_overlay(max_size: u64, overlay: Overlay) -> SourceDb {
        SourceDb {
            overlay,
            ..SourceDb::new(max_size)
        }
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// Register a path (does not read it, unless the overlay holds it). Registering the
    /// same path twice gives two ids; callers deduplicate.
    pub fn add(&mut self, path: PathBuf, display: String) -> FileId {
        let display = (path.to_str() != Some(display.as_str())).then_some(display);
        self.add_shown(path, display)
    }

    /// [`add`](Self::add) with the shown path, or `None` when it is `path` as written.
    pub fn add_shown(&mut self, path: PathBuf, display: Option<String>) -> FileId {
        let overlaid = self.overlay.get(&path).map(str::to_string);
        let display = display.map(String::into_boxed_str);
        self.files.push(SourceEntry {
            path: path.into_boxed_path(),
            display,
            text: OnceLock::new(),
            bom: AtomicBool::new(false),
            was_read: AtomicBool::new(false),
            lines: OnceLock::new(),
        });
        let id = FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX));
        if let Some(text) = overlaid {
            self.set_text(id, &text);
        }
        id
    }

    fn set_text(&self, id: FileId, text: &str) {
        if let Some(e) = self.files.get(id.0 as usize) {
            let stripped = strip_bom(text);
            e.bom.store(stripped.len() != text.len(), Ordering::Relaxed);
            let result = if self.max_size > 0 && stripped.len() as u64 > self.max_size {
                Err(ReadError::TooLarge {
                    size: text.len() as u64,
                    limit: self.max_size,
                })
            } else {
                Ok(Kept::whole(Box::from(stripped)))
            };
            let _ = e.text.set(Box::new(result));
        }
    }

    /// Register a file whose text is already in memory (tests, virtual files).
    pub fn add_text(&mut self, display: &str, text: &str) -> FileId {
        let id = self.add(PathBuf::from(display), display.to_string());
        if let Some(e) = self.files.get(id.0 as usize) {
            let stripped = strip_bom(text);
            e.bom.store(stripped.len() != text.len(), Ordering::Relaxed);
            let _ = e.text.set(Box::new(Ok(Kept::whole(Box::from(stripped)))));
        }
        id
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Room for `n` more files (registering a walk's files without the slack of a growing
    /// list: one entry per file of the repository).
    pub fn reserve(&mut self, n: usize) {
        self.files.reserve_exact(n);
    }

    pub fn is_empty(&self) -> bool {
        self.files.len() == 0
    }

    pub fn entry(&self, id: FileId) -> Option<&SourceEntry> {
        self.files.get(id.0 as usize)
    }

    pub fn path(&self, id: FileId) -> &Path {
        self.entry(id).map(|e| &*e.path).unwrap_or(Path::new(""))
    }

    pub fn display(&self, id: FileId) -> &str {
        let Some(e) = self.entry(id) else {
            return "";
        };
        match &e.display {
            Some(d) => d,
            None => e.path.to_str().unwrap_or(""),
        }
    }

    /// The file's text, read on first use (a UTF-8 byte-order mark is removed; offsets are
    /// relative to the text after it). The text lives as long as the database.
    pub fn text(&self, id: FileId) -> Result<&str, ReadError> {
        let Some(e) = self.entry(id) else {
            return Err(ReadError::Io("unknown file".into()));
        };
        let text = e.text.get_or_init(|| {
            Box::new(read_text(&e.path, self.max_size).map(|(text, bom)| {
                e.bom.store(bom, Ordering::Relaxed);
                Kept::whole(text)
            }))
        });
        match &**text {
            Ok(kept) => Ok(self.whole_of(e, kept).0),
            Err(err) => Err(err.clone()),
        }
    }

    /// The file's text for one use: the kept text when it was read already, else read now
    /// and not kept (a front end that needs a text only while it parses it, so that the
    /// run does not hold every text of the repository). A read error is kept (it is
    /// small, and reported once). [`text`](Self::text) reads the file again when the
    /// output needs it.
    pub fn read(&self, id: FileId) -> Result<Cow<'_, str>, ReadError> {
        let Some(e) = self.entry(id) else {
            return Err(ReadError::Io("unknown file".into()));
        };
        if let Some(kept) = e.text.get() {
            return match &**kept {
                Ok(kept) => Ok(Cow::Borrowed(self.whole_of(e, kept).0)),
                Err(err) => Err(err.clone()),
            };
        }
        match read_text(&e.path, self.max_size) {
            Ok((text, bom)) => {
                e.bom.store(bom, Ordering::Relaxed);
                e.was_read.store(true, Ordering::Relaxed);
                Ok(Cow::Owned(text.into()))
            }
            Err(err) => {
                let _ = e.text.set(Box::new(Err(err.clone())));
                Err(err)
            }
        }
    }

    /// The first `n` bytes or so of the file's text (a byte-order mark removed, cut to the
    /// last whole character), for a look at how it starts; nothing is kept and read errors
    /// are not recorded (a later [`read`](Self::read) meets them). The kept text when there
    /// is one (an editor's buffer). When that was the whole file, [`Head::whole`] says so
    /// and [`read_head`](Self::read_head) takes it for the file's text.
    pub fn head(&self, id: FileId, n: usize) -> Option<Head> {
        self.head_open(id, n).map(|(head, _)| head)
    }

    /// [`head`](Self::head), and, when the file was read from disk and not whole, the file
    /// still open: [`read_opened`](Self::read_opened) reads the rest of it from there (one
    /// `open` for both looks).
    pub fn head_open(&self, id: FileId, n: usize) -> Option<(Head, Option<Opened>)> {
        let e = self.entry(id)?;
        if let Some(kept) = e.text.get() {
            let t = self.whole_of(e, (**kept).as_ref().ok()?).0;
            let mut end = n.min(t.len());
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            return t.get(..end).map(|t| {
                let head = Head {
                    text: t.to_string(),
                    whole: false,
                    bom: false,
                };
                (head, None)
            });
        }
        let mut bytes = Vec::with_capacity(n + 3);
        let file = std::fs::File::open(&e.path).ok()?;
        Read::take(&file, n as u64 + 3)
            .read_to_end(&mut bytes)
            .ok()?;
        // All of it (and within the size limit): what `read` would read.
        let whole =
            bytes.len() < n + 3 && (self.max_size == 0 || bytes.len() as u64 <= self.max_size);
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        if bom {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let rest = (!whole).then_some(Opened {
                    file,
                    tail: Vec::new(),
                });
                Some((Head { text, whole, bom }, rest))
            }
            Err(err) => {
                // Cut to its valid start; the bytes after it are read again with the rest.
                let valid = err.utf8_error().valid_up_to();
                let mut bytes = err.into_bytes();
                let tail = bytes.split_off(valid);
                let text = String::from_utf8(bytes).ok()?;
                let head = Head {
                    text,
                    whole: false,
                    bom,
                };
                Some((head, Some(Opened { file, tail })))
            }
        }
    }

    /// [`read`](Self::read), taking a [`head`](Self::head) that holds the whole file for
    /// its text instead of reading the file again.
    pub fn read_head(&self, id: FileId, head: Head) -> Result<Cow<'_, str>, ReadError> {
        self.read_opened(id, head, None)
    }

    /// [`read_head`](Self::read_head), reading the rest of a file that is not whole in
    /// `head` from `opened`, its file still open ([`head_open`](Self::head_open)), instead
    /// of opening it again: the same text, and the same errors, as [`read`](Self::read).
    pub fn read_opened(
        &self,
        id: FileId,
        head: Head,
        opened: Option<Opened>,
    ) -> Result<Cow<'_, str>, ReadError> {
        let Some(e) = self.entry(id) else {
            return self.read(id);
        };
        if e.text.get().is_some() {
            return self.read(id);
        }
        if head.whole {
            e.bom.store(head.bom, Ordering::Relaxed);
            e.was_read.store(true, Ordering::Relaxed);
            return Ok(Cow::Owned(head.text));
        }
        let Some(Opened { file, tail }) = opened else {
            return self.read(id);
        };
        let mut bytes = head.text.into_bytes();
        if head.bom {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(&tail);
        match read_on(&file, bytes, self.max_size) {
            Ok((text, bom)) => {
                e.bom.store(bom, Ordering::Relaxed);
                e.was_read.store(true, Ordering::Relaxed);
                Ok(Cow::Owned(text.into()))
            }
            Err(err) => {
                let _ = e.text.set(Box::new(Err(err.clone())));
                Err(err)
            }
        }
    }

    /// Keep the text of a file that was [`read`](Self::read) before, reading it again, so
    /// that [`loaded_text`](Self::loaded_text) has it; a file never read stays unread (a
    /// FIFO named on the command line is never opened).
    pub fn keep(&self, id: FileId) {
        if self
            .entry(id)
            .is_some_and(|e| e.text.get().is_none() && e.was_read.load(Ordering::Relaxed))
        {
            let _ = self.text(id);
        }
    }

    /// Keep a text [`read`](Self::read) returned (owned: it was not kept) when the output
    /// will need it, so that the file is not read again for it; a no-op when the file's
    /// text is kept already.
    pub fn keep_read(&self, id: FileId, text: String) {
        if let Some(e) = self.entry(id) {
            let _ = e.text.set(Box::new(Ok(Kept::whole(text.into_boxed_str()))));
        }
    }

    /// Keep only the beginning of a text [`read`](Self::read) returned, up to `end` (a
    /// line's end): the output needs the lines findings point into, which are in it, and
    /// not the rest. The file must hold no suppression comment (they are looked for in
    /// the kept texts of the files with findings). Anything that asks for more than
    /// `..end` (the whole text, or a line after it) gets the whole text, read again;
    /// [`line_col`](Self::line_col) and [`text_through`](Self::text_through) answer from
    /// the beginning when it holds the offsets asked for. A no-op when the file's text is
    /// kept already.
    pub fn keep_part(&self, id: FileId, text: &str, end: usize) {
        if let (Some(e), Some(part)) = (self.entry(id), text.get(..end)) {
            let _ = e.text.set(Box::new(Ok(Kept {
                text: Box::from(part),
                rest: Some(Box::default()),
            })));
        }
    }

    /// The whole text of a kept one, and its line index when that is not `e.lines`: a
    /// file kept in part is read again (once; its beginning if it can no longer be read).
    fn whole_of<'a>(&self, e: &'a SourceEntry, kept: &'a Kept) -> (&'a str, Option<&'a LineIndex>) {
        match &kept.rest {
            None => (&kept.text, None),
            Some(rest) => match rest.get_or_init(|| {
                let (text, _) = read_text(&e.path, self.max_size).ok()?;
                let lines = LineIndex::new(&text);
                Some((text, lines))
            }) {
                Some((text, lines)) => (text, Some(lines)),
                None => (&kept.text, None),
            },
        }
    }

    /// The kept text, and its line index, when it holds the line of offset `end` (a file
    /// kept in part whose beginning holds it, or a whole one); else the whole text, read
    /// again. For the output's snippets, which show only the lines marked.
    pub fn text_through(&self, id: FileId, end: usize) -> Option<(&str, &LineIndex)> {
        let e = self.entry(id)?;
        let kept = (**e.text.get()?).as_ref().ok()?;
        if kept.rest.is_none() || end < kept.text.len() {
            let lines = e.lines.get_or_init(|| Box::new(LineIndex::new(&kept.text)));
            return Some((&kept.text, lines));
        }
        match self.whole_of(e, kept) {
            (text, Some(lines)) => Some((text, lines)),
            (text, None) => Some((text, e.lines.get_or_init(|| Box::new(LineIndex::new(text))))),
        }
    }

    /// Whether only the beginning of the file's text is kept ([`keep_part`](Self::keep_part)):
    /// the file then holds no suppression comment.
    pub fn kept_in_part(&self, id: FileId) -> bool {
        self.entry(id)
            .and_then(|e| e.text.get())
            .is_some_and(|k| (**k).as_ref().is_ok_and(|k| k.rest.is_some()))
    }

    /// Whether the file's text (once read) began with a UTF-8 byte-order mark.
    pub fn had_bom(&self, id: FileId) -> bool {
        self.entry(id)
            .is_some_and(|e| e.bom.load(Ordering::Relaxed))
    }

    /// The text if it was already read successfully (a file never read is not read; one
    /// kept in part is read again, whole).
    pub fn loaded_text(&self, id: FileId) -> Option<&str> {
        let e = self.entry(id)?;
        let kept = (**e.text.get()?).as_ref().ok()?;
        Some(self.whole_of(e, kept).0)
    }

    /// The line index of [`loaded_text`](Self::loaded_text).
    pub fn line_index(&self, id: FileId) -> Option<&LineIndex> {
        let e = self.entry(id)?;
        let kept = (**e.text.get()?).as_ref().ok()?;
        match self.whole_of(e, kept) {
            (_, Some(lines)) => Some(lines),
            (text, None) => Some(e.lines.get_or_init(|| Box::new(LineIndex::new(text)))),
        }
    }

    /// 1-based line/column of a byte offset in a file (1:1 if the file has no text).
    pub fn line_col(&self, id: FileId, offset: usize) -> LineCol {
        match self.text_through(id, offset) {
            Some((text, idx)) => idx.line_col(text, offset),
            None => LineCol { line: 1, column: 1 },
        }
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).map(|i| FileId(i as u32))
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The file's text without a leading byte-order mark, and whether it had one.
fn read_text(path: &Path, max_size: u64) -> Result<(Box<str>, bool), ReadError> {
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    read_on(&file, Vec::new(), max_size)
}

/// [`read_text`] of an open file of which `bytes` were read already (from its start).
fn read_on(
    file: &std::fs::File,
    mut bytes: Vec<u8>,
    max_size: u64,
) -> Result<(Box<str>, bool), ReadError> {
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(ReadError::Io("is a directory".into()));
    }
    if max_size > 0 && meta.len() > max_size {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: max_size,
        });
    }
    bytes.reserve((meta.len() as usize).saturating_sub(bytes.len()));
    let limit = if max_size > 0 { max_size + 1 } else { u64::MAX };
    Read::take(file, limit.saturating_sub(bytes.len() as u64))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if max_size > 0 && bytes.len() as u64 > max_size {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: max_size,
        });
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s.into_boxed_str(), bom)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = e.as_bytes().get(..offset).unwrap_or_default();
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let on_line = std::str::from_utf8(valid.get(line_start..).unwrap_or_default())
                .map_or(0, |t| t.chars().count());
            Err(ReadError::NotUtf8 {
                // In the file as it is on disk.
                offset: offset + if bom { 3 } else { 0 },
                line: valid.iter().filter(|b| **b == b'\n').count() + 1,
                column: on_line + 1,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\nZürich x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 8 });
        // inside a multi-byte char: clamped to its start
        let u = text.find('ü').unwrap();
        assert_eq!(idx.line_col(text, u + 1), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, 999).line, 3);
    }

    #[test]
    fn not_utf8_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.tf");
        std::fs::write(&p, b"a = 1\nb = \"Z\xc3\xbcr\xe9\"\n").unwrap();
        let e = read_text(&p, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "file is not valid UTF-8: the first invalid byte is at line 2, column 9 (byte offset 15)"
        );
    }

    #[test]
    fn an_overlay_stands_in_for_the_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = dir.path().join("main.tf");
        std::fs::write(&on_disk, "disk = 1\n").unwrap();
        let mut overlay = Overlay::new();
        // Any spelling of the path names the same file.
        overlay.insert(&dir.path().join("sub/../main.tf"), "buffer = 2\n");
        overlay.insert(&dir.path().join("new.tf"), "\u{feff}unsaved = 3\n");
        assert!(overlay.contains(&on_disk));
        let mut db = SourceDb::with_overlay(0, overlay);
        let a = db.add(on_disk.clone(), "main.tf".into());
        let b = db.add(dir.path().join("./new.tf"), "new.tf".into());
        let c = db.add(dir.path().join("other.tf"), "other.tf".into());
        assert_eq!(db.text(a).unwrap(), "buffer = 2\n");
        assert_eq!(db.text(b).unwrap(), "unsaved = 3\n");
        assert!(db.had_bom(b));
        assert!(db.text(c).is_err(), "not overlaid, not on disk");
        assert_eq!(
            db.overlay().read_to_string(&on_disk).unwrap(),
            "buffer = 2\n"
        );
        // The size limit holds for overlaid texts too.
        let mut big = Overlay::new();
        big.insert(&on_disk, "x".repeat(100));
        let mut db = SourceDb::with_overlay(10, big);
        let a = db.add(on_disk, "main.tf".into());
        assert!(matches!(db.text(a), Err(ReadError::TooLarge { .. })));
    }

    #[test]
    fn a_text_kept_in_part_answers_from_its_beginning_and_gives_the_rest_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.json");
        let text = "{\n  \"a\": \"Zürich\",\n  \"b\": 2,\n  \"c\": 3\n}\n";
        std::fs::write(&p, format!("\u{feff}{text}")).unwrap();
        let whole = LineIndex::new(text);
        let mut db = SourceDb::new(0);
        let id = db.add(p.clone(), "t.json".into());
        let read = db.read(id).unwrap().into_owned();
        assert_eq!(read, text);
        // The first two lines, through `"a"`'s.
        let end = text.find("  \"b\"").unwrap();
        db.keep_part(id, &read, end);
        assert!(db.kept_in_part(id));
        let u = text.find('ü').unwrap();
        // From the beginning: the same lines and columns as the whole text's.
        let (part, _) = db.text_through(id, u).unwrap();
        assert_eq!(part, &text[..end]);
        assert_eq!(db.line_col(id, u + 2), whole.line_col(text, u + 2));
        // Past it: the whole text, read again (the byte-order mark removed as before).
        let c = text.find("\"c\"").unwrap();
        assert_eq!(db.line_col(id, c), LineCol { line: 4, column: 3 });
        assert_eq!(db.line_col(id, end), LineCol { line: 3, column: 1 });
        // (A snippet of a mark ending where the beginning ends shows the next line.)
        assert_eq!(db.text_through(id, end).unwrap().0, text);
        assert_eq!(db.text_through(id, c).unwrap().0, text);
        assert_eq!(db.loaded_text(id), Some(text));
        assert_eq!(db.text(id).unwrap(), text);
        assert_eq!(db.read(id).unwrap(), text);
        assert_eq!(db.line_index(id).unwrap().line_count(), whole.line_count());
        assert_eq!(head(&db, id, 100).as_deref(), Some(text));
        // Kept once: a second unit's text does not replace it.
        db.keep_read(id, read.clone());
        assert!(db.kept_in_part(id));
        // A file gone by then: its beginning is what there is.
        let q = dir.path().join("gone.json");
        std::fs::write(&q, text).unwrap();
        let gone = db.add(q.clone(), "gone.json".into());
        let read = db.read(gone).unwrap().into_owned();
        db.keep_part(gone, &read, end);
        std::fs::remove_file(&q).unwrap();
        assert_eq!(db.loaded_text(gone), Some(&text[..end]));
        assert_eq!(db.line_col(gone, u), whole.line_col(text, u));
    }

    fn head(db: &SourceDb, id: FileId, n: usize) -> Option<String> {
        db.head(id, n).map(|h| h.text)
    }

    #[test]
    fn head_reads_the_start_of_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.json");
        std::fs::write(&p, "\u{feff}{\"a\": \"é\"}").unwrap();
        let mut db = SourceDb::new(0);
        let id = db.add(p.clone(), "t.json".into());
        assert_eq!(head(&db, id, 100).as_deref(), Some("{\"a\": \"é\"}"));
        // Cut to the last whole character; nothing kept.
        assert_eq!(head(&db, id, 8).as_deref(), Some("{\"a\": \""));
        assert!(db.loaded_text(id).is_none());
        let kept = db.add_text("k.json", "{\"b\": 1}");
        assert_eq!(head(&db, kept, 4).as_deref(), Some("{\"b\""));
        let missing = db.add(dir.path().join("none.json"), "none.json".into());
        assert_eq!(head(&db, missing, 4), None);
    }

    #[test]
    fn a_head_that_is_the_whole_file_is_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.json");
        std::fs::write(&p, "\u{feff}{\"a\": 1}").unwrap();
        let mut db = SourceDb::new(0);
        let id = db.add(p.clone(), "t.json".into());
        let whole = db.head(id, 100).unwrap();
        assert!(whole.whole);
        assert_eq!(db.read_head(id, whole).unwrap(), "{\"a\": 1}");
        assert!(db.had_bom(id));
        // Read, not kept: `keep` reads it again.
        assert!(db.loaded_text(id).is_none());
        db.keep(id);
        assert_eq!(db.loaded_text(id), Some("{\"a\": 1}"));
        // A start only: the file is read.
        let start = db.head(id, 4).unwrap();
        assert!(!start.whole);
        assert_eq!(db.read_head(id, start).unwrap(), "{\"a\": 1}");
        // Over the size limit: read, and refused.
        let mut small = SourceDb::new(5);
        let id = small.add(p, "t.json".into());
        let h = small.head(id, 100).unwrap();
        assert!(!h.whole);
        assert!(matches!(
            small.read_head(id, h),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn bom_is_stripped() {
        let mut db = SourceDb::new(0);
        let id = db.add_text("a.tf", "\u{feff}x = 1");
        assert_eq!(db.text(id).unwrap(), "x = 1");
        assert!(db.had_bom(id));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tf.json");
        std::fs::write(&p, "\u{feff}{}").unwrap();
        let id = db.add(p.clone(), "a.tf.json".into());
        assert!(!db.had_bom(id), "not read yet");
        assert_eq!(db.text(id).unwrap(), "{}");
        assert!(db.had_bom(id));
        std::fs::write(&p, "{}").unwrap();
        let id = db.add(p, "a.tf.json".into());
        assert_eq!(db.text(id).unwrap(), "{}");
        assert!(!db.had_bom(id));
    }

    /// The text (or error) and BOM flag that [`SourceDb::read`] gives for `bytes`, and
    /// those that a head of `n` bytes and [`SourceDb::read_opened`] give.
    fn read_both(bytes: &[u8], n: usize, max_size: u64) -> [(Result<String, String>, bool); 2] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.json");
        std::fs::write(&p, bytes).unwrap();
        let mut plain = SourceDb::new(max_size);
        let a = plain.add(p.clone(), "t.json".into());
        let mut headed = SourceDb::new(max_size);
        let b = headed.add(p, "t.json".into());
        let read = plain
            .read(a)
            .map(|t| t.into_owned())
            .map_err(|e| e.to_string());
        let (head, opened) = headed.head_open(b, n).unwrap();
        let rest = headed
            .read_opened(b, head, opened)
            .map(|t| t.into_owned())
            .map_err(|e| e.to_string());
        [(read, plain.had_bom(a)), (rest, headed.had_bom(b))]
    }

    #[test]
    fn the_rest_read_after_a_head_is_what_a_read_gives() {
        let long = format!("{{\"a\": \"{}\"}}", "x".repeat(100));
        // Whole in the head; longer than it; with a byte-order mark.
        for n in [4096, 10] {
            let [read, rest] = read_both(long.as_bytes(), n, 0);
            assert_eq!(read, rest);
            assert_eq!(rest.0.as_deref(), Ok(long.as_str()));
            let bom = [b"\xEF\xBB\xBF".as_slice(), long.as_bytes()].concat();
            let [read, rest] = read_both(&bom, n, 0);
            assert_eq!(read, rest);
            assert_eq!(rest, (Ok(long.clone()), true));
        }
        // A character cut by the head's end (`é` is 2 bytes, at bytes 9 and 10).
        let cut = "{\"ab\": \"\u{e9}\u{e9}\u{e9}\"}";
        for n in 6..12 {
            let [read, rest] = read_both(cut.as_bytes(), n, 0);
            assert_eq!(read, rest, "head of {n}");
            assert_eq!(rest.0.as_deref(), Ok(cut), "head of {n}");
        }
        // Not UTF-8 after the head: the same error, at the same place.
        let bad = [long.as_bytes(), b"\n\"\xff\""].concat();
        let [read, rest] = read_both(&bad, 10, 0);
        assert_eq!(read, rest);
        assert!(rest.0.unwrap_err().contains("line 2, column 2"));
        // Larger than the limit.
        let [read, rest] = read_both(long.as_bytes(), 10, 50);
        assert_eq!(read, rest);
        assert!(
            rest.0
                .unwrap_err()
                .contains("larger than the limit of 50 bytes")
        );
    }
}

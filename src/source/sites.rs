//! What a front end tells the suppression pass about one file: the comments that hold
//! `erlint-ignore`, found by the front end's own parser (so a `#` in a string or a heredoc
//! is never one), the items a comment can cover, and the suppressions written as data
//! (`metadata.erlint.ignore` in ARM, `"//"` properties in Terraform JSON). `suppress`
//! matches, validates and applies them; it reads no syntax itself.

use super::{FileId, Span};

/// The suppression sites of one file. A file that does not parse has none.
#[derive(Clone, Debug, Default)]
pub struct Sites {
    /// In source order.
    pub comments: Vec<CommentSite>,
    /// Blocks, attributes, declarations, properties and elements, sorted by start,
    /// outermost first.
    pub items: Vec<Item>,
    /// `metadata.erlint.ignore` entries.
    pub entries: Vec<DataEntry>,
    /// `metadata.erlint.ignore` values that are not a list.
    pub not_a_list: Vec<Span>,
}

impl Sites {
    pub fn is_empty(&self) -> bool {
        self.comments.is_empty() && self.entries.is_empty() && self.not_a_list.is_empty()
    }

    /// Sort the items as the matching expects.
    pub fn sort_items(&mut self) {
        self.items
            .sort_by_key(|i| (i.span.start, std::cmp::Reverse(i.span.end)));
    }
}

/// A comment holding `erlint-ignore` (or a `"//"` property's string): the byte range read
/// (from the comment marker to the end of the line or `*/`), whether only whitespace
/// precedes it on its line, and where the marker word is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CommentSite {
    pub start: usize,
    pub end: usize,
    pub own_line: bool,
    /// Offset of `erlint-ignore` in the text.
    pub key: usize,
    /// For a `"//"` property: the object that holds it (what it covers), and whether that
    /// is the file's root object. `None` for a comment, which covers by its place.
    pub holder: Option<Holder>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub object: Span,
    pub root: bool,
}

impl CommentSite {
    /// The site of the comment at `range` of `text` (markers included), if it is a
    /// suppression: `erlint-ignore` right after the marker (`#`, `//` or `/*`) and
    /// whitespace. Only the comment's first line is read.
    pub fn of_comment(text: &str, range: std::ops::Range<usize>) -> Option<CommentSite> {
        let body = text.get(range.clone())?;
        let marker = if body.starts_with('#') { 1 } else { 2 };
        let after = body.get(marker..)?;
        let gap = after.len() - after.trim_start().len();
        let key = range.start + marker + gap;
        if after.get(..gap)?.contains('\n')
            || !text.get(key..range.end)?.starts_with("erlint-ignore")
        {
            return None;
        }
        let line_end = text
            .get(key..)
            .and_then(|s| s.find('\n'))
            .map_or(text.len(), |i| key + i);
        let end = trim_end(text, range.end.min(line_end));
        Some(CommentSite {
            start: range.start,
            end,
            own_line: only_whitespace_before(text, range.start),
            key,
            holder: None,
        })
    }
}

/// `end` moved back over trailing spaces, tabs and carriage returns.
pub fn trim_end(text: &str, end: usize) -> usize {
    text.get(..end)
        .map_or(end, |s| s.trim_end_matches(['\r', ' ', '\t']).len())
}

/// Whether only spaces and tabs precede `at` on its line.
pub fn only_whitespace_before(text: &str, at: usize) -> bool {
    let line_start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(line_start..at)
        .is_some_and(|s| s.trim().is_empty())
}

/// A span a comment can cover, and whether it is a container whose own comments cover it
/// (a block, an object, a resource declaration).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub span: Span,
    pub container: bool,
}

/// One entry of `metadata.erlint.ignore`, as written: `at` is the entry, `target` the
/// object whose metadata holds it.
#[derive(Clone, Debug)]
pub struct DataEntry {
    pub file: FileId,
    pub at: Span,
    pub target: Span,
    /// The ids or names, as written, each with the span of the string that holds it.
    pub ids: Vec<(String, Span)>,
    pub reason: String,
    /// The `expires` (or `exp`) text, not yet read as a date.
    pub expires: Option<String>,
}

//! The documents the editor has open: their unsaved text, version and path. Every lint
//! reads them through an [`Overlay`] (the machinery of `--stdin-filename`), the rest of
//! the workspace from disk.

use crate::source::{LineIndex, Overlay};
use lsp_types::Uri;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One open document.
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub text: Arc<str>,
    pub lines: LineIndex,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: String) -> Document {
        let lines = LineIndex::new(&text);
        Document {
            uri,
            version,
            text: Arc::from(text),
            lines,
        }
    }
}

/// Open documents by path (normalized, absolute).
#[derive(Default)]
pub struct Documents {
    open: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub fn open(&mut self, path: PathBuf, doc: Document) {
        self.open.insert(path, doc);
    }

    /// Replace a document's text (full synchronisation); `false` when it is not open.
    pub fn change(&mut self, path: &Path, version: i32, text: String) -> bool {
        match self.open.get_mut(path) {
            Some(d) => {
                *d = Document::new(d.uri.clone(), version, text);
                true
            }
            None => false,
        }
    }

    pub fn close(&mut self, path: &Path) -> Option<Document> {
        self.open.remove(path)
    }

    pub fn get(&self, path: &Path) -> Option<&Document> {
        self.open.get(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.open.keys().map(PathBuf::as_path)
    }

    /// The open documents in one directory (a lint unit's neighbours).
    pub fn in_dir<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a Path> + 'a {
        self.paths().filter(move |p| p.parent() == Some(dir))
    }

    /// Every open document's text, standing in for its file.
    pub fn overlay(&self) -> Overlay {
        let mut o = Overlay::new();
        for (path, d) in &self.open {
            o.insert(path, d.text.clone());
        }
        o
    }
}

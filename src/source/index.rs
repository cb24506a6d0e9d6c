//! Registered files by the path they were registered under, without a second copy of
//! each path: the walk's files are registered in sorted order, so one is found by a
//! binary search over their ids in the [`SourceDb`]; files registered otherwise (command
//! line inputs, Bicep references) are kept in a map.

use super::{FileId, SourceDb};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct PathIndex {
    /// Ids whose paths are in sorted order (`Path`'s order, component by component).
    sorted: std::ops::Range<u32>,
    others: HashMap<PathBuf, FileId>,
}

impl PathIndex {
    /// The files `ids` of `db`, registered from paths in sorted order (a walk's
    /// `BTreeSet`).
    pub fn of_sorted(ids: std::ops::Range<u32>) -> PathIndex {
        PathIndex {
            sorted: ids,
            others: HashMap::new(),
        }
    }

    pub fn get(&self, db: &SourceDb, p: &Path) -> Option<FileId> {
        let (mut lo, mut hi) = (self.sorted.start, self.sorted.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match db.path(FileId(mid)).cmp(p) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(FileId(mid)),
            }
        }
        self.others.get(p).copied()
    }

    pub fn contains(&self, db: &SourceDb, p: &Path) -> bool {
        self.get(db, p).is_some()
    }

    /// Remember `id` as the file at `p` (a file registered outside the sorted range).
    pub fn insert(&mut self, p: PathBuf, id: FileId) {
        self.others.insert(p, id);
    }

    /// The file at `p`, registered (shown as `display()`) if it is not yet.
    pub fn get_or_add(
        &mut self,
        db: &mut SourceDb,
        p: &Path,
        display: impl FnOnce() -> String,
    ) -> FileId {
        if let Some(id) = self.get(db, p) {
            return id;
        }
        let id = db.add(p.to_path_buf(), display());
        self.others.insert(p.to_path_buf(), id);
        id
    }

    /// Every file with the path it was registered under.
    pub fn iter<'a>(&'a self, db: &'a SourceDb) -> impl Iterator<Item = (&'a Path, FileId)> {
        self.sorted
            .clone()
            .map(|i| (db.path(FileId(i)), FileId(i)))
            .chain(self.others.iter().map(|(p, id)| (p.as_path(), *id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sorted_files_by_search_and_others_by_map() {
        let mut db = SourceDb::new(0);
        let walk: std::collections::BTreeSet<PathBuf> = ["b/x.tf", "a/z.tf", "a/b/c.tf", "a.tf"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let first = db.add(PathBuf::from("err"), "err".into());
        for p in &walk {
            db.add(p.clone(), p.display().to_string());
        }
        let mut idx = PathIndex::of_sorted(first.0 + 1..first.0 + 1 + walk.len() as u32);
        for p in &walk {
            let id = idx.get(&db, p).unwrap();
            assert_eq!(db.path(id), p.as_path());
        }
        assert_eq!(idx.get(&db, Path::new("err")), None);
        assert_eq!(idx.get(&db, Path::new("a/b")), None);
        let extra = idx.get_or_add(&mut db, Path::new("c/p.json"), || "c/p.json".into());
        assert_eq!(idx.get(&db, Path::new("c/p.json")), Some(extra));
        let a = idx.get(&db, Path::new("a.tf")).unwrap();
        assert_eq!(
            idx.get_or_add(&mut db, Path::new("a.tf"), || unreachable!()),
            a
        );
        assert_eq!(idx.iter(&db).count(), walk.len() + 1);
    }
}

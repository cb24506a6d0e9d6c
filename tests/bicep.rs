//! The Bicep syntax suite: every file under `fixtures/bicep/syntax/valid/` parses, and every
//! file under `fixtures/bicep/syntax/invalid/` fails exactly where its first line says
//! (`// error: LINE:COL message fragment`, 1-based, columns in characters).

use crate::common::repo;
use erlint::bicep::{self, FileKind};
use erlint::source::{FileId, LineIndex};
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/bicep/syntax").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "bicep" || e == "bicepparam")
        })
        .collect();
    out.sort();
    out
}

fn parse(path: &Path) -> (String, Result<bicep::BicepFile, bicep::ParseError>) {
    let text = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let result = bicep::parse(&text, FileId(0), FileKind::of_path(path));
    (text, result)
}

#[test]
fn the_suite_is_large_and_covers_both_kinds_of_file() {
    let all: Vec<PathBuf> = files("valid").into_iter().chain(files("invalid")).collect();
    assert!(all.len() >= 120, "only {} files", all.len());
    for dir in ["valid", "invalid"] {
        let f = files(dir);
        let params = f
            .iter()
            .filter(|p| p.extension().unwrap() == "bicepparam")
            .count();
        assert!(params >= 8, "{dir}: {params} .bicepparam files");
        assert!(
            f.len() - params >= 50,
            "{dir}: {} .bicep files",
            f.len() - params
        );
    }
}

#[test]
fn valid_files_parse() {
    let mut failures = Vec::new();
    for path in files("valid") {
        let (text, result) = parse(&path);
        if let Err(e) = result {
            let at = LineIndex::new(&text).line_col(&text, e.span.start as usize);
            failures.push(format!("{}:{at}: {}", path.display(), e.message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_files_fail_where_their_first_line_says() {
    let mut failures = Vec::new();
    for path in files("invalid") {
        let (text, result) = parse(&path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let header = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// error: "))
            .unwrap_or_else(|| panic!("{name}: no `// error: L:C fragment` first line"));
        let (at, fragment) = header.split_once(' ').unwrap();
        match result {
            Ok(_) => failures.push(format!("{name}: parsed without error")),
            Err(e) => {
                let lc = LineIndex::new(&text).line_col(&text, e.span.start as usize);
                if lc.to_string() != at || !e.message.contains(fragment) {
                    failures.push(format!(
                        "{name}: expected {at} `{fragment}`, got {lc} `{}`",
                        e.message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every strict prefix of a valid file either parses or fails with a located error; no
/// panic, and errors stay inside the text.
#[test]
fn truncated_valid_files_fail_cleanly() {
    for path in files("valid") {
        let (text, _) = parse(&path);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
        for cut in cuts {
            let prefix = &text[..cut];
            let kind = FileKind::of_path(&path);
            if let Err(e) = bicep::parse(prefix, FileId(0), kind) {
                assert!(
                    (e.span.end as usize) <= prefix.len() && e.span.start <= e.span.end,
                    "{}: cut at {cut}: span {:?} outside the text",
                    path.display(),
                    e.span
                );
                assert!(!e.message.is_empty());
            }
        }
    }
}

//! The parse floor: find the files erlint would read (same walker, same skips), read each
//! once and parse it with the same parsers (hcl-edit's `parse_body_spanned`, as erlint
//! calls it, for HCL: `.tf`, `.tofu`, tfvars;
//! jsonc-parser for JSON: `.json`, `.tf.json`, `.tofu.json`; erlint's Bicep parser for
//! `.bicep` and `.bicepparam`), in parallel, and nothing else. erlint's own run on the
//! same tree is measured against this.
//!
//!     cargo run --release --example parse_floor -- DIR

#![allow(clippy::print_stdout, reason = "a benchmark program prints its result")]

use erlint::discover::{WalkOptions, discover};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let start = Instant::now();
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let found = match discover(&paths, &WalkOptions::default()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let walked = start.elapsed();
    let files: Vec<PathBuf> = found.files.into_iter().collect();
    let json_opts = erlint::jsonc::with_comments();
    let (bytes, errors): (usize, usize) = files
        .par_iter()
        .map(|p| {
            let Ok(text) = std::fs::read_to_string(p) else {
                return (0, 1);
            };
            let name = p.to_string_lossy();
            let ok = if name.ends_with(".json") || name.ends_with(".jsonc") {
                jsonc_parser::parse_to_ast(&text, &Default::default(), &json_opts).is_ok()
            } else if erlint::bicep::is_bicep_name(&name) {
                let kind = erlint::bicep::FileKind::of_path(p);
                erlint::bicep::parse(&text, erlint::source::FileId(0), kind).is_ok()
            } else {
                // The entry point erlint parses with (whitespace kept as spans, not copied).
                hcl_edit::parser::parse_body_spanned(&text).is_ok()
            };
            (text.len(), usize::from(!ok))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "parsed {} files, {:.1} MB, {} errors in {:.3}s (walk {:.3}s)",
        files.len(),
        bytes as f64 / 1e6,
        errors,
        start.elapsed().as_secs_f64(),
        walked.as_secs_f64()
    );
}

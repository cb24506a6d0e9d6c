//! Writing one report to stdout or a file, so that no writer takes the run down: a panic
//! in a writer (a bug) becomes an error that names the output, and the other outputs are
//! still written.

use super::{Format, Style, write};
use crate::linter::Report;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Write `report` as `format` to `path` (stdout when `None`; colour only there).
pub fn write_guarded(
    format: Format,
    path: Option<&Path>,
    report: &Report,
    style: &Style,
) -> io::Result<()> {
    let result = catch_unwind(AssertUnwindSafe(|| match path {
        None => {
            // Buffered: stdout alone writes each line as it ends (a system call per line of
            // a JSON or SARIF report). What was written is flushed at the end, and on an
            // error or a panic when the buffer is dropped.
            let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
            write(format, &mut out, report, style).and_then(|()| out.flush())
        }
        Some(p) => {
            let plain = Style {
                color: false,
                ..style.clone()
            };
            std::fs::File::create(p)
                .and_then(|f| {
                    let mut w = io::BufWriter::new(f);
                    write(format, &mut w, report, &plain).and_then(|()| w.flush())
                })
                .map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot write `{}`: {e}", p.display()))
                })
        }
    }));
    result.unwrap_or_else(|payload| {
        let dest = path.map_or_else(|| "stdout".to_string(), |p| format!("`{}`", p.display()));
        Err(io::Error::other(format!(
            "internal error while writing the {format:?} output to {dest}: {}; this is a bug in erlint, please report it with the erlint version (https://github.com/erlint/erlint/issues)",
            crate::panics::message(payload.as_ref())
        )))
    })
}

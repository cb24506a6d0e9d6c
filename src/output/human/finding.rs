//! One finding as rustc prints one, by the renderer rustc uses (annotate-snippets):
//!
//! ```text
//! warning[ER304]: `secondary_peer_address_prefix` `172.16.30.6/30` has host bits set
//!   --> infra/main.tf:13:35
//!    |
//! 13 |   secondary_peer_address_prefix = var.secondary_prefix
//!    |                                   ^^^^^^^^^^^^^^^^^^^^
//!    |
//!   ::: infra/terraform.tfvars:3:20
//!    |
//!  3 | secondary_prefix = "172.16.30.6/30" # the router's interface
//!    |                    ---------------- value set here
//!    = resource: azurerm_express_route_circuit_peering.private
//!    = help: write the subnet's network address: `172.16.30.4/30`
//!    = fix: `erlint --fix` makes it
//!    = rule: peer-subnet-host-bits (https://…/rules/ER304.md)
//! ```
//!
//! The primary span is `^^^`, the other labels `---`; only labelled lines are shown (others
//! folded to `...`), and labels in other files come as `:::` sections of the same finding.
//! Long lines are cut around their labels to the terminal width, messages wrapped to it.

use crate::diagnostic::{Applicability, Diagnostic, Severity, docs_url};
use crate::output::Style;
use crate::source::{FileId, LineIndex, SourceDb, Span, clamp_to_char_boundary};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};
use std::ops::Range;

/// Labelled lines further apart than this are shown as separate sections of their file.
const LARGEST_GAP: usize = 12;

/// Narrowest width messages are wrapped to, whatever the terminal says.
const NARROWEST: usize = 40;

/// One place to mark in a snippet.
struct Mark<'d> {
    span: Span,
    label: Option<&'d str>,
    primary: bool,
}

/// The footers of a finding, in order: its resource, the labels not shown in a snippet,
/// help, note, fix and rule.
fn footers(
    d: &Diagnostic,
    db: &SourceDb,
    style: &Style,
    unplaced: Vec<String>,
) -> Vec<(&'static str, Level<'static>, String)> {
    let mut footers: Vec<(&'static str, Level<'static>, String)> = Vec::new();
    if let Some(r) = &d.resource {
        footers.push(("resource", Level::NOTE, r.clone()));
    }
    for u in unplaced {
        footers.push(("note", Level::NOTE, u));
    }
    if let Some(h) = &d.help {
        footers.push(("help", Level::HELP, h.clone()));
    }
    if let Some(n) = &d.note {
        footers.push(("note", Level::NOTE, n.clone()));
    }
    if let Some(f) = &d.fix
        && crate::fix::text_edits(db, f).is_ok()
    {
        let how = match f.applicability {
            Applicability::Safe => "`erlint --fix` makes it",
            Applicability::Unsafe => "`erlint --fix --unsafe-fixes` makes it (review it)",
        };
        footers.push(("fix", Level::HELP, how.to_string()));
    }
    let rule = if style.links {
        format!("{} ({})", d.name, docs_url(d.code))
    } else {
        d.name.to_string()
    };
    footers.push(("rule", Level::NOTE, rule));
    footers
}

/// A finding, rendered; ends with a line break.
pub fn render(d: &Diagnostic, db: &SourceDb, style: &Style) -> String {
    let width = style.width.max(NARROWEST);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    // `warning[ER304]: ` before the message's first line.
    let head = d.severity.as_str().len() + d.code.len() + 4;
    let title = level
        .clone()
        .primary_title(wrap(&d.message, width.saturating_sub(head), 0))
        .id(d.code);

    let mut marks = vec![Mark {
        span: d.primary,
        label: d.primary_label.as_deref(),
        primary: true,
    }];
    marks.extend(d.labels.iter().map(|l| Mark {
        span: l.span,
        label: Some(l.message.as_str()),
        primary: false,
    }));
    // The primary file first, then the others in the order their labels come.
    let mut files: Vec<FileId> = Vec::new();
    for m in &marks {
        if !files.contains(&m.span.file) {
            files.push(m.span.file);
        }
    }
    let mut group = Group::with_title(title);
    let mut unplaced: Vec<String> = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    for file in files {
        let here: Vec<&Mark<'_>> = marks.iter().filter(|m| m.span.file == file).collect();
        match snippets(db, file, &here, &mut unplaced, &mut columns) {
            Some(elements) => group = group.elements(elements),
            None => {
                // No text to show (unreadable, not UTF-8): where, in words.
                let display = db.display(file);
                for m in &here {
                    if m.primary {
                        group = group.element(Origin::path(display.to_string()));
                    } else if let Some(label) = m.label {
                        unplaced.push(format!("{label} ({display})"));
                    }
                }
            }
        }
    }

    // `   = resource: ` before a footer's first line.
    let footers = footers(d, db, style, unplaced);
    let gutter = gutter_width(d, db);
    for (name, level, text) in footers {
        let room = width.saturating_sub(gutter + name.len() + 5);
        group = group.element(level.with_name(name).message(wrap(&text, room, 0)));
    }

    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .term_width(width)
    .decor_style(DecorStyle::Ascii);
    let mut out = renderer.render(&[group]);
    // The renderer counts a cut line's columns from where the cut starts.
    let mut from = 0;
    for c in columns {
        if let Some(i) = out[from..].find(&c.rendered) {
            let at = from + i;
            out.replace_range(at..at + c.rendered.len(), &c.real);
            from = at + c.real.len();
        }
    }
    out.push('\n');
    out
}

/// Where the `-->` or `:::` line of a cut line's snippet points, as the renderer writes it
/// (the column in the cut text) and as it is in the file.
struct Column {
    rendered: String,
    real: String,
}

/// The width of the line-number gutter: the digits of the largest line shown.
fn gutter_width(d: &Diagnostic, db: &SourceDb) -> usize {
    std::iter::once(d.primary)
        .chain(d.labels.iter().map(|l| l.span))
        .map(|s| db.line_col(s.file, s.end as usize).line.to_string().len())
        .max()
        .unwrap_or(1)
}

/// `text` wrapped at `width` columns, lines after the first indented by `indent` (the
/// renderer indents them to the first line's start already, so `indent` is 0 there).
fn wrap(text: &str, width: usize, indent: usize) -> String {
    let width = width.max(20);
    let lines: Vec<String> = text
        .lines()
        .flat_map(|l| {
            // At spaces only: a resource address or a path is not cut at its hyphens.
            let options = textwrap::Options::new(width)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .break_words(false);
            textwrap::wrap(l, options)
                .into_iter()
                .map(|c| c.into_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let pad = " ".repeat(indent);
    lines.join(&format!("\n{pad}"))
}

/// The snippets of one file: clusters of labelled lines, each cut from the text (a window,
/// not the whole file), the primary's first; `None` when the file has no text to show.
/// A mark on a line longer than [`LONGEST_SHOWN_LINE`] gets its own snippet of the bytes
/// around it ([`cut`]); labels no snippet can show go to `unplaced`.
fn snippets<'a>(
    db: &'a SourceDb,
    file: FileId,
    marks: &[&Mark<'a>],
    unplaced: &mut Vec<String>,
    columns: &mut Vec<Column>,
) -> Option<Vec<Element<'a>>> {
    // The kept text through the last line marked (of a file kept in part, its beginning).
    let furthest = marks.iter().map(|m| m.span.end as usize).max().unwrap_or(0);
    let (text, lines) = db.text_through(file, furthest)?;
    let display = db.display(file);
    let line_of = |offset: u32| lines.line_of(clamp_to_char_boundary(text, offset as usize));
    let line_range = |l: usize| {
        let end = if l + 1 < lines.line_count() {
            lines.line_start(l + 1)
        } else {
            text.len()
        };
        lines.line_start(l)..end
    };
    let long = |l: usize| line_range(l).len() > LONGEST_SHOWN_LINE;
    // Sorted by first line; a mark joins the cluster it is near, unless a long line lies
    // between them.
    let mut sorted: Vec<&&Mark<'_>> = marks.iter().collect();
    sorted.sort_by_key(|m| (line_of(m.span.start), !m.primary));
    let mut clusters: Vec<(usize, usize, Vec<&Mark<'_>>)> = Vec::new();
    // Each with whether it holds the primary: that one comes first.
    let mut out: Vec<(bool, Vec<Element<'a>>)> = Vec::new();
    for m in sorted {
        let (first, last) = (line_of(m.span.start), line_of(m.span.end));
        if (first..=last).any(long) {
            let element = cut(db, file, (text, lines), first..=last, m, unplaced, columns);
            out.push((m.primary, vec![element]));
            continue;
        }
        match clusters.last_mut() {
            Some((_, end, members))
                if first <= *end + LARGEST_GAP && !(*end + 1..first).any(long) =>
            {
                *end = (*end).max(last);
                members.push(m);
            }
            _ => clusters.push((first, last, vec![m])),
        }
    }
    for (first, last, members) in clusters {
        let start = lines.line_start(first);
        let end = line_range(last).end;
        let window = text.get(start..end).unwrap_or_default();
        let annotations = members.iter().map(|m| {
            let a = kind(m).span(local(text, window, start, m.span.range()));
            match m.label {
                Some(l) => a.label(l),
                None => a,
            }
        });
        let snippet = Snippet::source(window)
            .line_start(first + 1)
            .path(display)
            .fold(true)
            .annotations(annotations);
        out.push((members.iter().any(|m| m.primary), vec![snippet.into()]));
    }
    // The primary's lines first: the finding's `-->` points at them.
    out.sort_by_key(|(primary, _)| !primary);
    Some(out.into_iter().flat_map(|(_, e)| e).collect())
}

/// Longest line shown whole, in bytes. A mark on a longer line (minified JSON, generated
/// HCL) is shown with [`CUT_CONTEXT`] bytes either side of it: rendering a finding then
/// costs the size of its surroundings, not of the line.
const LONGEST_SHOWN_LINE: usize = 4096;

/// Bytes kept either side of a mark on a long line (the renderer then cuts to the width).
const CUT_CONTEXT: usize = 256;

/// A mark on a long line: the bytes around it, with `...` where the line goes on (its
/// column in `columns` for the `-->` line). A mark over several lines is its place only
/// (`-->` or `:::` with line and column; its label, if any, a note).
fn cut<'a>(
    db: &'a SourceDb,
    file: FileId,
    (text, index): (&'a str, &'a LineIndex),
    lines: std::ops::RangeInclusive<usize>,
    m: &Mark<'a>,
    unplaced: &mut Vec<String>,
    columns: &mut Vec<Column>,
) -> Element<'a> {
    let display = db.display(file);
    let at = db.line_col(file, m.span.start as usize);
    let origin = Origin::path(display).line(at.line).char_column(at.column);
    if lines.start() != lines.end() {
        if let Some(label) = m.label {
            unplaced.push(format!("{label} ({display}:{at})"));
        }
        return origin.into();
    }
    let line = *lines.start();
    let line_start = index.line_start(line);
    let next = if line + 1 < index.line_count() {
        index.line_start(line + 1)
    } else {
        text.len()
    };
    let line_end = line_start + text[line_start..next].trim_end_matches(['\n', '\r']).len();
    let r = m.span.range();
    let from = clamp_to_char_boundary(text, r.start.saturating_sub(CUT_CONTEXT).max(line_start));
    let to = clamp_to_char_boundary(text, (r.end + CUT_CONTEXT).min(line_end)).max(from);
    let before = if from > line_start { "..." } else { "" };
    let after = if to < line_end { "..." } else { "" };
    let window = format!("{before}{}{after}", text.get(from..to).unwrap_or_default());
    let span = local(text, &text[from..to], from, r);
    let shift = before.len();
    let a = kind(m).span(span.start + shift..span.end + shift);
    let a = match m.label {
        Some(l) => a.label(l),
        None => a,
    };
    let rendered_column = window[..span.start + shift].chars().count() + 1;
    columns.push(Column {
        rendered: format!("{display}:{}:{rendered_column}", at.line),
        real: format!("{display}:{at}"),
    });
    Snippet::source(window)
        .line_start(line + 1)
        .path(display)
        .annotation(a)
        .into()
}

fn kind(m: &Mark<'_>) -> AnnotationKind {
    if m.primary {
        AnnotationKind::Primary
    } else {
        AnnotationKind::Context
    }
}

/// A byte range of `text` as a range of `window` (which starts at `start`), on character
/// boundaries and within it.
fn local(text: &str, window: &str, start: usize, r: Range<usize>) -> Range<usize> {
    let s = clamp_to_char_boundary(text, r.start).clamp(start, start + window.len());
    let e = clamp_to_char_boundary(text, r.end).clamp(s, start + window.len());
    s - start..e - start
}

//! Suppression sites of a JSON file (see [`crate::source::sites`]): comments as
//! jsonc-parser reads them (ARM templates and parameter files allow `//` and `/* */`),
//! `"//"` properties (Terraform JSON's comments), `metadata.erlint.ignore` entries (ARM
//! resources and template roots: they survive Bicep compilation), and the properties and
//! elements a comment can cover.

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy};

use crate::source::sites::{CommentSite, DataEntry, Holder, Item, Sites};
use crate::source::{FileId, Span};

/// The sites of `text`; none when it does not parse as JSON with comments.
pub fn of_text(file: FileId, text: &str) -> Sites {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Separate,
        tokens: false,
    };
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &collect, &super::with_comments()) else {
        return Sites::default();
    };
    let mut sites = Sites::default();
    let mut ranges: Vec<std::ops::Range<usize>> = parsed
        .comments
        .iter()
        .flat_map(|map| map.values())
        .flat_map(|list| list.iter())
        .map(|c| c.range().start..c.range().end)
        .collect();
    ranges.sort_by_key(|r| r.start);
    ranges.dedup_by_key(|r| r.start);
    sites.comments = ranges
        .into_iter()
        .filter_map(|r| CommentSite::of_comment(text, r))
        .collect();
    if let Some(v) = &parsed.value {
        items(file, v, &mut sites.items);
        sites.sort_items();
        data(file, text, v, true, &mut sites);
    }
    sites.comments.sort_by_key(|c| c.start);
    sites
}

fn span(file: FileId, r: &impl Ranged) -> Span {
    let r = r.range();
    Span::new(file, r.start, r.end)
}

/// Properties and array elements; an object is a container.
fn items(file: FileId, v: &Value<'_>, out: &mut Vec<Item>) {
    match v {
        Value::Object(o) => {
            for p in &o.properties {
                out.push(Item {
                    span: span(file, p),
                    container: matches!(p.value, Value::Object(_)),
                });
                items(file, &p.value, out);
            }
        }
        Value::Array(a) => {
            for e in &a.elements {
                out.push(Item {
                    span: span(file, e),
                    container: matches!(e, Value::Object(_)),
                });
                items(file, e, out);
            }
        }
        _ => {}
    }
}

fn get<'o, 'a>(o: &'o Object<'a>, name: &str) -> Option<&'o Value<'a>> {
    o.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
        .map(|p| &p.value)
}

/// `"//"` properties and `metadata.erlint.ignore` on any object (a resource, or the
/// template root for the whole file).
fn data(file: FileId, text: &str, v: &Value<'_>, root: bool, sites: &mut Sites) {
    match v {
        Value::Object(o) => {
            comment_properties(file, text, o, root, sites);
            metadata(file, o, sites);
            for p in &o.properties {
                data(file, text, &p.value, false, sites);
            }
        }
        Value::Array(a) => {
            for e in &a.elements {
                data(file, text, e, false, sites);
            }
        }
        _ => {}
    }
}

/// A `"//"` property whose text is a suppression covers the object that holds it (the
/// file for `erlint-ignore-file:` in the root object). Written with escapes, the string is
/// not read (its spans would not match the text).
fn comment_properties(file: FileId, text: &str, o: &Object<'_>, root: bool, sites: &mut Sites) {
    for p in o.properties.iter().filter(|p| p.name.as_str() == "//") {
        let Value::StringLit(s) = &p.value else {
            continue;
        };
        let r = s.range();
        let (start, end) = (r.start + 1, r.end.saturating_sub(1));
        let Some(raw) = text.get(start..end) else {
            continue;
        };
        if raw != s.value.as_ref() {
            continue;
        }
        let Some(key) = raw.find("erlint-ignore") else {
            continue;
        };
        sites.comments.push(CommentSite {
            start,
            end,
            own_line: true,
            key: start + key,
            holder: Some(Holder {
                object: span(file, o),
                root,
            }),
        });
    }
}

/// `"metadata": {"erlint": {"ignore": [{"id", "reason", "expires"}]}}`.
fn metadata(file: FileId, o: &Object<'_>, sites: &mut Sites) {
    let Some(Value::Object(meta)) = get(o, "metadata") else {
        return;
    };
    let Some(Value::Object(er)) = get(meta, "erlint") else {
        return;
    };
    match get(er, "ignore") {
        Some(Value::Array(list)) => {
            for entry in &list.elements {
                sites.entries.push(entry_of(file, entry, span(file, o)));
            }
        }
        Some(other) => sites.not_a_list.push(span(file, other)),
        None => {}
    }
}

/// One entry: `{"id": "ER301, ER302", "reason": "…", "expires": "2026-12-31"}`, or
/// `"ER301"` (an id without a reason).
fn entry_of(file: FileId, entry: &Value<'_>, target: Span) -> DataEntry {
    let at = span(file, entry);
    let mut out = DataEntry {
        file,
        at,
        target,
        ids: Vec::new(),
        reason: String::new(),
        expires: None,
    };
    match entry {
        Value::Object(e) => {
            let text_of = |k: &str| match get(e, k) {
                Some(Value::StringLit(s)) => Some((s.value.to_string(), span(file, s))),
                _ => None,
            };
            if let Some((ids, at)) = text_of("id") {
                out.ids = ids
                    .split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(|s| (s.to_string(), at))
                    .collect();
            }
            out.reason = text_of("reason")
                .map(|(s, _)| s.trim().to_string())
                .unwrap_or_default();
            out.expires = text_of("expires")
                .or_else(|| text_of("exp"))
                .map(|(s, _)| s);
        }
        Value::StringLit(s) => out.ids = vec![(s.value.to_string(), at)],
        _ => {}
    }
    out
}

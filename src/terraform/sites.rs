//! Suppression sites of an HCL file (see [`crate::source::sites`]): its comments as
//! hcl-edit's parser reads them, and its blocks and attributes.

use super::hcl;
use crate::source::sites::{CommentSite, Item, Sites};
use crate::source::{FileId, Span};
use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};

/// Whether `text` may hold a suppression comment: the parse then collects its comments.
pub fn may_hold(text: &str) -> bool {
    text.contains("erlint-ignore")
}

/// Parse `text` for its body and, when it may hold suppressions, their sites.
pub fn parse(file: FileId, text: &str) -> Result<(Body, Option<Sites>), hcl::ParseFailure> {
    if !may_hold(text) {
        return hcl::parse(text).map(|b| (b, None));
    }
    let (body, comments) = hcl::parse_with_comments(text)?;
    let sites = of_body(file, text, &body, &comments);
    Ok((body, Some(sites)))
}

/// The sites of an HCL file the module loader did not read (a tfvars file); none when it
/// does not parse.
pub fn of_text(file: FileId, text: &str) -> Sites {
    match parse(file, text) {
        Ok((_, Some(sites))) => sites,
        _ => Sites::default(),
    }
}

fn of_body(file: FileId, text: &str, body: &Body, comments: &[std::ops::Range<usize>]) -> Sites {
    let mut sites = Sites {
        comments: comments
            .iter()
            .filter_map(|r| CommentSite::of_comment(text, r.clone()))
            .collect(),
        ..Sites::default()
    };
    if !sites.comments.is_empty() {
        items(file, body, &mut sites.items);
        sites.sort_items();
    }
    sites
}

/// Every block and attribute; a block is a container.
fn items(file: FileId, body: &Body, out: &mut Vec<Item>) {
    for s in body.iter() {
        let (span, inner) = match s {
            Structure::Attribute(a) => (a.span(), None),
            Structure::Block(b) => (b.span(), Some(&b.body)),
        };
        if let Some(r) = span {
            out.push(Item {
                span: Span::new(file, r.start, r.end),
                container: inner.is_some(),
            });
        }
        if let Some(inner) = inner {
            items(file, inner, out);
        }
    }
}

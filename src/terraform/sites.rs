//! Suppression sites of an HCL file (see [`crate::source::sites`]): its comments as
//! hcl-edit's parser reads them, and its blocks and attributes.

use super::hcl;
use crate::source::sites::{CommentSite, Item, Sites};
use crate::source::{FileId, Span};
use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};

/// Whether `text` may hold a suppression comment: the parse then collects its comments.
/// memchr's vectorized search: `str::contains` was 0.3 % of a run, reading every file.
pub fn may_hold(text: &str) -> bool {
    static MARKER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("erlint-ignore"));
    MARKER.find(text.as_bytes()).is_some()
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
    for s in body.structures() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        let (_, sites) = parse(FileId(0), text).unwrap();
        let sites = sites.unwrap_or_default();
        sites
            .comments
            .iter()
            .map(|c| &text[c.start..c.end])
            .collect()
    }

    #[test]
    fn comments_are_the_parsers() {
        let text = r##"# erlint-ignore-file: ER205 old name kept
locals {
  a = "# erlint-ignore: ER301 a string"
  b = <<-EOT
    # erlint-ignore: ER301 heredoc text
  EOT
  c = "${var.x /* erlint-ignore: ER302 in an interpolation */}"
  d = 1 // erlint-ignore: ER303 after code
  /* erlint-ignore: ER304 a block comment
     on two lines */
  # a comment that mentions erlint-ignore: ER305 is prose
}
"##;
        assert_eq!(
            texts(text),
            [
                "# erlint-ignore-file: ER205 old name kept",
                "/* erlint-ignore: ER302 in an interpolation */",
                "// erlint-ignore: ER303 after code",
                "/* erlint-ignore: ER304 a block comment",
            ]
        );
    }

    #[test]
    fn files_without_the_marker_collect_nothing() {
        let (_, sites) = parse(FileId(0), "# a comment\nlocals {}\n").unwrap();
        assert!(sites.is_none());
        assert!(of_text(FileId(0), "# erlint-ignore: ER301 x\nlocals {\n").is_empty());
    }

    #[test]
    fn blocks_are_containers_and_attributes_are_not() {
        let text = "# erlint-ignore: ER301 x\nresource \"a\" \"b\" {\n  c = 1\n}\n";
        let sites = of_text(FileId(0), text);
        let items: Vec<(&str, bool)> = sites
            .items
            .iter()
            .map(|i| (&text[i.span.range()], i.container))
            .collect();
        assert_eq!(
            items,
            [
                ("resource \"a\" \"b\" {\n  c = 1\n}", true),
                ("c = 1", false)
            ]
        );
    }
}

use super::prelude::*;

use winnow::ascii::{multispace0, space0, till_line_ending};
use winnow::combinator::{alt, delimited, fail, peek, preceded, repeat};
use winnow::token::{any, take_until};

pub(super) fn ws(input: &mut Input) -> ModalResult<()> {
    (
        multispace0.void(),
        void(repeat(0.., (comment, multispace0.void()))),
    )
        .void()
        .parse_next(input)
}

pub(super) fn sp(input: &mut Input) -> ModalResult<()> {
    (
        space0.void(),
        void(repeat(0.., (inline_comment, space0.void()))),
    )
        .void()
        .parse_next(input)
}

fn comment(input: &mut Input) -> ModalResult<()> {
    dispatch! {peek(any);
        '#' => hash_line_comment,
        '/' => alt((double_slash_line_comment, inline_comment)),
        _ => fail,
    }
    .parse_next(input)
}

pub(super) fn line_comment(input: &mut Input) -> ModalResult<()> {
    dispatch! {peek(any);
        '#' => hash_line_comment,
        '/' => double_slash_line_comment,
        _ => fail,
    }
    .parse_next(input)
}

fn hash_line_comment(input: &mut Input) -> ModalResult<()> {
    record(preceded('#', till_line_ending)).parse_next(input)
}

fn double_slash_line_comment(input: &mut Input) -> ModalResult<()> {
    record(preceded("//", till_line_ending)).parse_next(input)
}

fn inline_comment(input: &mut Input) -> ModalResult<()> {
    record(delimited("/*", take_until(0.., "*/"), "*/")).parse_next(input)
}

// erlint patch: the byte ranges of the comments the parser reads, for callers that want them
// ([`crate::parser::parse_body_with_comments`]). Kept per thread while such a parse runs;
// a comment read again after the parser backtracks is recorded once (see `take_comments`).
thread_local! {
    static COMMENTS: std::cell::RefCell<Option<Vec<std::ops::Range<usize>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `inner` (a comment) and records its span when comments are being collected.
fn record<'i, P, O>(inner: P) -> impl ModalParser<Input<'i>, (), ContextError>
where
    P: ModalParser<Input<'i>, O, ContextError>,
{
    inner.span().map(|span: std::ops::Range<usize>| {
        COMMENTS.with(|c| {
            if let Some(list) = c.borrow_mut().as_mut() {
                list.push(span);
            }
        });
    })
}

/// Starts collecting the comments parsed on this thread.
pub(super) fn collect_comments() {
    COMMENTS.with(|c| *c.borrow_mut() = Some(Vec::new()));
}

/// Stops collecting; the comments parsed since [`collect_comments`], sorted, each once.
pub(super) fn take_comments() -> Vec<std::ops::Range<usize>> {
    let mut list = COMMENTS.with(|c| c.borrow_mut().take()).unwrap_or_default();
    list.sort_by_key(|r| (r.start, r.end));
    list.dedup_by_key(|r| r.start);
    list
}

#[inline]
pub(super) fn void<P, I, E>(inner: P) -> impl ModalParser<I, (), E>
where
    P: ModalParser<I, (), E>,
{
    inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_comments() {
        let inline_comments = [
            "",
            " ",
            "/**/  ",
            "/*foo*/",
            " /* foo
                bar
                */  /* baz */\t",
        ];

        let multiline_comments = [
            "# foo
                # bar",
            "
            /* foo
                bar
                */  # baz */",
            "
                // foo #
                // bar /*
                # baz",
        ];

        for input in inline_comments {
            let parsed = sp.parse(new_input(input));
            assert!(parsed.is_ok(), "expected `{input}` to parse correctly");
        }

        for input in multiline_comments {
            let parsed = sp.parse(new_input(input));
            assert!(parsed.is_err(), "expected parse error for `{input}`");
        }

        for input in inline_comments.iter().chain(multiline_comments.iter()) {
            let parsed = ws.parse(new_input(input));
            assert!(parsed.is_ok(), "expected `{input}` to parse correctly");
        }
    }
}

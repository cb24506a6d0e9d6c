//! The Bicep lexer: one pass over the text, producing tokens for the parser plus the
//! comments and pragmas of the file.
//!
//! It is modal, like Bicep's own: a stack remembers whether a `}` closes an object or an
//! interpolation hole (`'a${x}b'`), in which case the string goes on. Strings are split
//! into pieces (`'a${` · `}b${` · `}c'`) whose decoded values and offset maps are kept in
//! [`Lexed::segments`]. Newlines are tokens (Bicep is newline-sensitive); a run of line
//! breaks, blank lines, comment lines and pragma lines is one [`T::NewLine`] token.
//!
//! The first lexical error stops lexing: the token stream then ends with [`T::LexError`]
//! and [`Lexed::error`] holds the error, which the parser reports when it gets there
//! (a syntax error earlier in the file wins, as it comes first).

use super::ParseError;
use super::ast::{Comment, CommentKind, Ident, Pragma, PragmaKind, Segment};
use crate::source::{FileId, Span};
use std::sync::Arc;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum T {
    Ident,
    Int,
    /// `'abc'` or `$'''abc'''`: a whole string without holes.
    StrComplete,
    /// `'abc${`: the piece up to the first hole.
    StrLeft,
    /// `}abc${`: between two holes.
    StrMiddle,
    /// `}abc'`: after the last hole.
    StrRight,
    /// `'''…'''`: a raw multi-line string.
    MultilineStr,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LSquare,
    RSquare,
    At,
    Comma,
    Dot,
    Ellipsis,
    Question,
    DoubleQuestion,
    Colon,
    DoubleColon,
    Semicolon,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Hat,
    Bang,
    NotEq,
    NotEqI,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Assign,
    EqEq,
    EqI,
    Arrow,
    AndAnd,
    OrOr,
    Pipe,
    NewLine,
    Eof,
    /// Where lexing stopped on an error (always the last token).
    LexError,
}

#[derive(Copy, Clone, Debug)]
pub(crate) struct Token {
    pub kind: T,
    pub start: u32,
    pub end: u32,
    /// Index into [`Lexed::segments`] for string tokens.
    pub seg: u32,
}

pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    /// Decoded string pieces, taken by the parser as it builds strings.
    pub segments: Vec<Option<Segment>>,
    pub comments: Vec<Comment>,
    pub pragmas: Vec<Pragma>,
    pub error: Option<ParseError>,
}

/// What an open `{` on the mode stack is.
#[derive(Copy, Clone)]
enum Mode {
    /// An object or object type inside an interpolation hole.
    Brace,
    /// An interpolation hole; the string resumes at its `}`.
    Hole(StrKind),
}

#[derive(Copy, Clone)]
struct StrKind {
    /// `None` for `'…'`; the number of `$` for `$'''…'''`.
    dollars: Option<u32>,
    /// Offset of the string's opening quote (or first `$`), for errors.
    start: usize,
}

pub(crate) fn lex(src: &str, file: FileId) -> Lexed {
    lex_with(src, file, None)
}

/// [`lex`], stopping once `count` tokens that start at or after byte `from` are out (or
/// earlier, at the end or at a lexical error, as [`lex`] does): for a reader that needs
/// the tokens up to some place and a few after it.
pub(crate) fn lex_until(src: &str, file: FileId, from: usize, count: usize) -> Lexed {
    lex_with(src, file, Some((u32_of(from), count)))
}

fn lex_with(src: &str, file: FileId, stop: Option<(u32, usize)>) -> Lexed {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
        file,
        stack: Vec::new(),
        out: Lexed {
            tokens: Vec::with_capacity(src.len() / 4 + 1),
            segments: Vec::new(),
            comments: Vec::new(),
            pragmas: Vec::new(),
            error: None,
        },
    };
    // A byte-order mark is not part of the text.
    if src.starts_with('\u{feff}') {
        lx.pos = 3;
    }
    loop {
        match lx.token() {
            Ok(true) => {
                // Tokens come in the text's order: the `count`-th from the end starting at
                // or after `from` means the last `count` all do.
                if let Some((from, count)) = stop
                    && let Some(back) = count.checked_sub(1)
                    && lx
                        .out
                        .tokens
                        .iter()
                        .rev()
                        .nth(back)
                        .is_some_and(|t| t.start >= from)
                {
                    break;
                }
            }
            Ok(false) => break,
            Err(e) => {
                let at = e.span.start;
                lx.out.error = Some(e);
                lx.out.tokens.push(Token {
                    kind: T::LexError,
                    start: at,
                    end: at,
                    seg: u32::MAX,
                });
                break;
            }
        }
    }
    lx.out
}

struct Lexer<'s> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    file: FileId,
    stack: Vec<Mode>,
    out: Lexed,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.pos + ahead).copied()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn error(&self, start: usize, end: usize, message: impl Into<String>) -> ParseError {
        let end = end.min(self.b.len());
        ParseError {
            span: self.span(start.min(end), end),
            message: message.into(),
        }
    }

    fn push(&mut self, kind: T, start: usize) {
        self.push_seg(kind, start, u32::MAX);
    }

    fn push_seg(&mut self, kind: T, start: usize, seg: u32) {
        self.out.tokens.push(Token {
            kind,
            start: u32_of(start),
            end: u32_of(self.pos),
            seg,
        });
    }

    /// The innermost open interpolation hole, if the lexer is inside one.
    fn in_hole(&self) -> Option<StrKind> {
        self.stack.iter().rev().find_map(|m| match m {
            Mode::Hole(k) => Some(*k),
            Mode::Brace => None,
        })
    }

    /// The character at `pos`, for messages.
    fn char_at(&self, pos: usize) -> char {
        self.src
            .get(pos..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{fffd}')
    }

    /// Lexes one token (skipping trivia first). `Ok(false)` after the end-of-file token.
    fn token(&mut self) -> Result<bool, ParseError> {
        self.trivia()?;
        let start = self.pos;
        let Some(c) = self.peek(0) else {
            if let Some(k) = self.in_hole() {
                return Err(self.unterminated(k));
            }
            self.push(T::Eof, start);
            return Ok(false);
        };
        if c == b'\n' || c == b'\r' {
            if let Some(k) = self.in_hole()
                && k.dollars.is_none()
            {
                return Err(self.error(
                    k.start,
                    start,
                    "unterminated string: the line ends inside a `${…}` hole (a `'…'` string must end on the line it starts)",
                ));
            }
            self.newlines(start)?;
            return Ok(true);
        }
        self.pos += 1;
        if let Some(kind) = self.token_kind(c, start)? {
            self.push(kind, start);
        }
        Ok(true)
    }

    /// Consumes `next` if it is the next byte.
    fn eat(&mut self, next: u8) -> bool {
        let found = self.peek(0) == Some(next);
        if found {
            self.pos += 1;
        }
        found
    }

    /// The kind of the token that starts with `c` at `start` (`self.pos` is just past `c`);
    /// `None` when a string was lexed, whose pieces are pushed already.
    fn token_kind(&mut self, c: u8, start: usize) -> Result<Option<T>, ParseError> {
        if let Some(kind) = self.operator(c) {
            return Ok(Some(kind));
        }
        let kind = match c {
            b'{' => {
                if !self.stack.is_empty() {
                    self.stack.push(Mode::Brace);
                }
                T::LBrace
            }
            b'}' => match self.stack.last().copied() {
                Some(Mode::Hole(k)) => {
                    self.string_piece(k, start, false)?;
                    return Ok(None);
                }
                Some(Mode::Brace) => {
                    self.stack.pop();
                    T::RBrace
                }
                None => T::RBrace,
            },
            b'&' => {
                if self.eat(b'&') {
                    T::AndAnd
                } else {
                    return Err(self.error(
                        start,
                        start + 1,
                        "unexpected character `&`: the logical and operator is `&&`",
                    ));
                }
            }
            b'\'' | b'$' => {
                self.string_start(c, start)?;
                return Ok(None);
            }
            b'0'..=b'9' => {
                while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                T::Int
            }
            c if is_ident_start(c) => {
                while self.peek(0).is_some_and(is_ident_continue) {
                    self.pos += 1;
                }
                T::Ident
            }
            _ => return Err(self.unexpected(c, start)),
        };
        Ok(Some(kind))
    }

    /// A punctuation or operator token (but braces and `&&`), with its second character
    /// consumed when it has one; `None` for any other `c`.
    fn operator(&mut self, c: u8) -> Option<T> {
        Some(match c {
            b'(' => T::LParen,
            b')' => T::RParen,
            b'[' => T::LSquare,
            b']' => T::RSquare,
            b'@' => T::At,
            b',' => T::Comma,
            b'.' => {
                if self.peek(0) == Some(b'.') && self.peek(1) == Some(b'.') {
                    self.pos += 2;
                    T::Ellipsis
                } else {
                    T::Dot
                }
            }
            b'?' if self.eat(b'?') => T::DoubleQuestion,
            b'?' => T::Question,
            b':' if self.eat(b':') => T::DoubleColon,
            b':' => T::Colon,
            b';' => T::Semicolon,
            b'+' => T::Plus,
            b'-' => T::Minus,
            b'*' => T::Star,
            b'/' => T::Slash,
            b'%' => T::Percent,
            b'^' => T::Hat,
            b'!' if self.eat(b'=') => T::NotEq,
            b'!' if self.eat(b'~') => T::NotEqI,
            b'!' => T::Bang,
            b'<' if self.eat(b'=') => T::LessEq,
            b'<' => T::Less,
            b'>' if self.eat(b'=') => T::GreaterEq,
            b'>' => T::Greater,
            b'=' if self.eat(b'=') => T::EqEq,
            b'=' if self.eat(b'~') => T::EqI,
            b'=' if self.eat(b'>') => T::Arrow,
            b'=' => T::Assign,
            b'|' if self.eat(b'|') => T::OrOr,
            b'|' => T::Pipe,
            _ => return None,
        })
    }

    /// A string that starts with `c` (`'`, or `$` for an interpolated multi-line string) at
    /// `start`: its pieces are pushed.
    fn string_start(&mut self, c: u8, start: usize) -> Result<(), ParseError> {
        if c == b'\'' {
            if self.peek(0) == Some(b'\'') && self.peek(1) == Some(b'\'') {
                self.pos += 2;
                self.raw_multiline(start)?;
            } else {
                let k = StrKind {
                    dollars: None,
                    start,
                };
                self.string_piece(k, start, true)?;
            }
            return Ok(());
        }
        let mut n = 1;
        while self.peek(0) == Some(b'$') {
            self.pos += 1;
            n += 1;
        }
        if self.b.get(self.pos..self.pos + 3) == Some(b"'''") {
            self.pos += 3;
            let k = StrKind {
                dollars: Some(n),
                start,
            };
            return self.string_piece(k, start, true);
        }
        Err(self.error(
            start,
            self.pos,
            "unexpected `$`: outside a string, `$` may only start an interpolated multi-line string `$'''…'''`",
        ))
    }

    /// The error for a character no token starts with.
    fn unexpected(&self, c: u8, start: usize) -> ParseError {
        match c {
            b'"' => self.error(
                start,
                start + 1,
                "unexpected `\"`: Bicep strings use single quotes (`'…'`)",
            ),
            b'#' => self.error(
                start,
                start + 1,
                "unexpected `#`: a pragma (`#disable-next-line …`) must be the first thing on its line",
            ),
            _ => {
                let ch = self.char_at(start);
                self.error(
                    start,
                    start + ch.len_utf8(),
                    format!("unexpected character `{}`", ch.escape_debug()),
                )
            }
        }
    }

    fn unterminated(&self, k: StrKind) -> ParseError {
        if k.dollars.is_some() {
            self.error(
                k.start,
                self.pos,
                "unterminated multi-line string: the file ends before the closing `'''`",
            )
        } else {
            self.error(
                k.start,
                self.pos,
                "unterminated string: the file ends before the closing `'`",
            )
        }
    }

    /// Skips spaces, tabs and comments (and, inside a `$'''` hole, line breaks).
    fn trivia(&mut self) -> Result<(), ParseError> {
        let multiline_hole = self.in_hole().is_some_and(|k| k.dollars.is_some());
        loop {
            match self.peek(0) {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\n' | b'\r') if multiline_hole => self.pos += 1,
                Some(b'/') if self.peek(1) == Some(b'/') => self.line_comment(),
                Some(b'/') if self.peek(1) == Some(b'*') => self.block_comment()?,
                Some(b'#') if self.at_line_start() => self.pragma()?,
                _ => return Ok(()),
            }
        }
    }

    /// Consumes a run of line breaks together with the blank, comment and pragma lines
    /// among them, and pushes one newline token ending after the last line break.
    fn newlines(&mut self, start: usize) -> Result<(), ParseError> {
        let mut end = self.pos;
        loop {
            match self.peek(0) {
                Some(b'\n' | b'\r') => {
                    self.pos += 1;
                    end = self.pos;
                }
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'/') if self.peek(1) == Some(b'/') => self.line_comment(),
                Some(b'/') if self.peek(1) == Some(b'*') => self.block_comment()?,
                Some(b'#') if self.at_line_start() => self.pragma()?,
                _ => break,
            }
        }
        self.out.tokens.push(Token {
            kind: T::NewLine,
            start: u32_of(start),
            end: u32_of(end),
            seg: u32::MAX,
        });
        Ok(())
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        while self.peek(0).is_some_and(|c| c != b'\n' && c != b'\r') {
            self.pos += 1;
        }
        self.out.comments.push(Comment {
            kind: CommentKind::Line,
            span: self.span(start, self.pos),
        });
    }

    fn block_comment(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        let Some(close) = self.src.get(start + 2..).and_then(|r| r.find("*/")) else {
            return Err(self.error(
                start,
                start + 2,
                "unterminated comment: this `/*` is never closed by `*/`",
            ));
        };
        self.pos = start + 2 + close + 2;
        self.out.comments.push(Comment {
            kind: CommentKind::Block,
            span: self.span(start, self.pos),
        });
        Ok(())
    }

    /// Only spaces and tabs between the start of the line and `pos`.
    fn at_line_start(&self) -> bool {
        let mut i = self.pos;
        while i > 0 {
            match self.b.get(i - 1) {
                Some(b' ' | b'\t') => i -= 1,
                Some(b'\n' | b'\r') => return true,
                _ => return i == 3 && self.src.starts_with('\u{feff}'),
            }
        }
        true
    }

    fn word_end(&self, from: usize) -> usize {
        let mut i = from;
        while self
            .b
            .get(i)
            .is_some_and(|c| is_ident_continue(*c) || *c == b'-')
        {
            i += 1;
        }
        i
    }

    /// `#disable-next-line CODE…` and its two siblings (at the start of a line).
    fn pragma(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        let word_end = self.word_end(start + 1);
        let word = self.src.get(start + 1..word_end).unwrap_or("");
        let kind = match word {
            "disable-next-line" => PragmaKind::DisableNextLine,
            "disable-diagnostics" => PragmaKind::DisableDiagnostics,
            "restore-diagnostics" => PragmaKind::RestoreDiagnostics,
            _ => {
                return Err(self.error(
                    start,
                    word_end.max(start + 1),
                    format!(
                        "unknown pragma `#{word}`: expected `#disable-next-line`, `#disable-diagnostics` or `#restore-diagnostics`"
                    ),
                ));
            }
        };
        self.pos = word_end;
        let mut codes = Vec::new();
        let mut end = word_end;
        loop {
            while matches!(self.peek(0), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
            let code_end = self.word_end(self.pos);
            if code_end == self.pos {
                break;
            }
            codes.push(Ident {
                name: Arc::from(self.src.get(self.pos..code_end).unwrap_or("")),
                span: self.span(self.pos, code_end),
            });
            self.pos = code_end;
            end = code_end;
        }
        if codes.is_empty() {
            return Err(self.error(
                start,
                word_end,
                format!("`#{word}` needs at least one diagnostic code (e.g. `#{word} BCP081`)"),
            ));
        }
        self.out.pragmas.push(Pragma {
            kind,
            codes,
            span: self.span(start, end),
        });
        Ok(())
    }

    fn push_segment(
        &mut self,
        value: Arc<str>,
        raw: (usize, usize),
        table: Option<Vec<u32>>,
    ) -> u32 {
        self.out.segments.push(Some(Segment {
            value,
            raw: self.span(raw.0, raw.1),
            table: table.map(Vec::into_boxed_slice),
        }));
        u32_of(self.out.segments.len() - 1)
    }

    /// A raw `'''…'''` string; `pos` is after the opening quotes.
    fn raw_multiline(&mut self, start: usize) -> Result<(), ParseError> {
        self.skip_first_newline();
        let content = self.pos;
        let end = loop {
            match self.peek(0) {
                None => {
                    return Err(self.error(
                        start,
                        start + 3,
                        "unterminated multi-line string: the file ends before the closing `'''`",
                    ));
                }
                Some(b'\'') => {
                    let run = self.run_of(b'\'');
                    self.pos += run;
                    if run >= 3 {
                        break self.pos - 3;
                    }
                }
                Some(_) => self.pos += 1,
            }
        };
        let value = Arc::from(self.src.get(content..end).unwrap_or(""));
        let seg = self.push_segment(value, (content, end), None);
        self.push_seg(T::MultilineStr, start, seg);
        Ok(())
    }

    /// One line break (`\r\n`, `\n` or `\r`) right after the opening `'''` is not content.
    fn skip_first_newline(&mut self) {
        if self.peek(0) == Some(b'\r') {
            self.pos += 1;
        }
        if self.peek(0) == Some(b'\n') {
            self.pos += 1;
        }
    }

    fn run_of(&self, c: u8) -> usize {
        let mut n = 0;
        while self.peek(n) == Some(c) {
            n += 1;
        }
        n
    }

    /// The piece of a string from `pos` (after the opening quote(s) when `first`, else
    /// after the `}` of a hole) to the closing quote(s) or the next hole.
    fn string_piece(
        &mut self,
        k: StrKind,
        tok_start: usize,
        first: bool,
    ) -> Result<(), ParseError> {
        let (seg, opens_hole) = match k.dollars {
            None => self.quoted_piece(k)?,
            Some(n) => self.multiline_piece(k, n, first)?,
        };
        let kind = match (first, opens_hole) {
            (true, false) => T::StrComplete,
            (true, true) => T::StrLeft,
            (false, true) => T::StrMiddle,
            (false, false) => T::StrRight,
        };
        if first && opens_hole {
            self.stack.push(Mode::Hole(k));
        } else if !first && !opens_hole {
            self.stack.pop();
        }
        self.push_seg(kind, tok_start, seg);
        Ok(())
    }

    /// A piece of a `'…'` string: escapes are decoded. Returns the segment and whether the
    /// piece ends at a `${`.
    fn quoted_piece(&mut self, k: StrKind) -> Result<(u32, bool), ParseError> {
        let src = self.src;
        let content = self.pos;
        // Built only once an escape is met; until then the value is the raw text.
        let mut decoded: Option<(String, Vec<u32>)> = None;
        let (end, opens_hole) = loop {
            // A run of plain text up to the next byte that matters (all ASCII, so the run
            // ends on a character boundary).
            let run = self.pos;
            while self
                .peek(0)
                .is_some_and(|c| !matches!(c, b'\'' | b'$' | b'\\' | b'\n' | b'\r'))
            {
                self.pos += 1;
            }
            if let Some((value, table)) = decoded.as_mut() {
                value.push_str(src.get(run..self.pos).unwrap_or(""));
                table.extend((run..self.pos).map(u32_of));
            }
            let at = self.pos;
            match self.peek(0) {
                None => return Err(self.unterminated(k)),
                Some(b'\n' | b'\r') => return Err(self.line_ends_in_string(k, at)),
                Some(b'\'') => {
                    self.pos += 1;
                    break (at, false);
                }
                Some(b'$') if self.peek(1) == Some(b'{') => {
                    self.pos += 2;
                    break (at, true);
                }
                Some(b'\\') => {
                    let ch = self.escape(k)?;
                    let (value, table) = decoded.get_or_insert_with(|| {
                        let raw = src.get(content..at).unwrap_or("");
                        (raw.to_string(), (content..at).map(u32_of).collect())
                    });
                    table.extend(std::iter::repeat_n(u32_of(at), ch.len_utf8()));
                    value.push(ch);
                }
                Some(_) => {
                    // A `$` not followed by `{`.
                    self.pos += 1;
                    if let Some((value, table)) = decoded.as_mut() {
                        value.push('$');
                        table.push(u32_of(at));
                    }
                }
            }
        };
        let seg = match decoded {
            None => {
                let value = Arc::from(src.get(content..end).unwrap_or(""));
                self.push_segment(value, (content, end), None)
            }
            Some((value, mut table)) => {
                table.push(u32_of(end));
                self.push_segment(Arc::from(value), (content, end), Some(table))
            }
        };
        Ok((seg, opens_hole))
    }

    fn line_ends_in_string(&self, k: StrKind, at: usize) -> ParseError {
        self.error(
            k.start,
            at,
            "unterminated string: a `'…'` string must end on the line it starts (`'''…'''` strings may span lines)",
        )
    }

    /// Decodes the escape sequence at `pos` (a backslash) and moves past it.
    fn escape(&mut self, k: StrKind) -> Result<char, ParseError> {
        let at = self.pos;
        let simple = match self.peek(1) {
            None => return Err(self.unterminated(k)),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'\\') => Some('\\'),
            Some(b'\'') => Some('\''),
            Some(b'$') => Some('$'),
            Some(b'u') => None,
            Some(b'\n' | b'\r') => return Err(self.line_ends_in_string(k, at + 1)),
            Some(_) => {
                let ch = self.char_at(at + 1);
                return Err(self.error(
                    at,
                    at + 1 + ch.len_utf8(),
                    format!(
                        "unknown escape `\\{}`: the escapes are `\\'`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\$` and `\\u{{…}}`",
                        ch.escape_debug()
                    ),
                ));
            }
        };
        if let Some(c) = simple {
            self.pos += 2;
            return Ok(c);
        }
        // `\u{HEX}`
        let digits = at + 3;
        let mut i = digits;
        if self.peek(2) == Some(b'{') {
            while self.b.get(i).is_some_and(u8::is_ascii_hexdigit) {
                i += 1;
            }
        }
        if self.b.get(i).is_none() {
            return Err(self.unterminated(k));
        }
        if self.peek(2) != Some(b'{') || i == digits || self.b.get(i) != Some(&b'}') {
            return Err(self.error(
                at,
                (at + 2).max(i),
                "invalid escape: write a Unicode code point as `\\u{…}` with hex digits, e.g. `\\u{2713}`",
            ));
        }
        let hex = self.src.get(digits..i).unwrap_or("");
        let Some(ch) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) else {
            return Err(self.error(
                at,
                i + 1,
                format!("invalid escape: `\\u{{{hex}}}` is not a Unicode character"),
            ));
        };
        self.pos = i + 1;
        Ok(ch)
    }

    /// A piece of a `$'''…'''` string (N = `dollars`): raw text up to the closing quotes
    /// or to N or more `$` followed by `{` (surplus `$` stay in the text).
    fn multiline_piece(
        &mut self,
        k: StrKind,
        dollars: u32,
        first: bool,
    ) -> Result<(u32, bool), ParseError> {
        if first {
            self.skip_first_newline();
        }
        let content = self.pos;
        let (end, opens_hole) = loop {
            match self.peek(0) {
                None => return Err(self.unterminated(k)),
                Some(b'\'') => {
                    let run = self.run_of(b'\'');
                    self.pos += run;
                    if run >= 3 {
                        break (self.pos - 3, false);
                    }
                }
                Some(b'$') => {
                    let run = self.run_of(b'$');
                    let at = self.pos;
                    self.pos += run;
                    if run >= dollars as usize && self.peek(0) == Some(b'{') {
                        self.pos += 1;
                        break (at + run - dollars as usize, true);
                    }
                }
                Some(_) => self.pos += 1,
            }
        };
        let value = Arc::from(self.src.get(content..end).unwrap_or(""));
        let seg = self.push_segment(value, (content, end), None);
        Ok((seg, opens_hole))
    }
}

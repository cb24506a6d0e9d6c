//! Byte offsets ↔ LSP positions (0-based line, character in the negotiated encoding:
//! UTF-16 code units by default, bytes when the client offers `utf-8`).

use crate::source::{LineIndex, clamp_to_char_boundary};
use lsp_types::{Position, PositionEncodingKind, Range};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion needed), else UTF-16, which every
    /// client supports.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// A text with its line starts, for conversions both ways.
#[derive(Copy, Clone)]
pub struct Lines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Lines<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text, offset);
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line);
        let before = self.text.get(start..offset).unwrap_or("");
        Position::new(as_u32(line), as_u32(self.encoding.width(before)))
    }

    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of a position: a character beyond the end of its line is the end
    /// of the line, a line beyond the last is the end of the text, a position inside a
    /// character (half a surrogate pair) is that character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let start = self.index.line_start(line);
        let end = if line + 1 < self.index.line_count() {
            self.index.line_start(line + 1)
        } else {
            self.text.len()
        };
        let line_text = self.text.get(start..end).unwrap_or("");
        let line_text = line_text.strip_suffix('\n').unwrap_or(line_text);
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            let w = match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units + w > want {
                return start + i;
            }
            units += w;
        }
        start + line_text.len()
    }
}

fn as_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_columns() {
        let text = "a = \"ü😀x\"\r\nb\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let utf16 = Lines {
            text,
            index: &index,
            encoding: Encoding::Utf16,
        };
        // `a = "` is 5, ü one unit, 😀 two.
        assert_eq!(utf16.position(x), Position::new(0, 8));
        assert_eq!(utf16.offset(Position::new(0, 8)), x);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(utf16.offset(Position::new(0, 7)), text.find('😀').unwrap());
        let utf8 = Lines {
            encoding: Encoding::Utf8,
            ..utf16
        };
        assert_eq!(utf8.position(x), Position::new(0, 11));
        assert_eq!(utf8.offset(Position::new(0, 11)), x);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        let l = Lines {
            text,
            index: &index,
            encoding: Encoding::Utf16,
        };
        assert_eq!(l.offset(Position::new(0, 99)), 2, "before the CR");
        assert_eq!(l.offset(Position::new(7, 0)), text.len());
        assert_eq!(l.position(text.len()), Position::new(1, 2));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[
                PositionEncodingKind::UTF16,
                PositionEncodingKind::UTF8
            ])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
    }
}

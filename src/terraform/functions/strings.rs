//! String functions.

use super::{Call, MAX_STRING, Out, fail, invalid};
use crate::model::Val;

pub(super) fn lower(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    Ok(c.str(s.chars().map(lower_char).collect::<String>()))
}

pub(super) fn upper(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    Ok(c.str(s.chars().map(upper_char).collect::<String>()))
}

/// Upper-cases the first letter of each word, like Go's `strings.Title`.
pub(super) fn title(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let mut prev = ' ';
    let titled: String = s
        .chars()
        .map(|ch| {
            let out = if is_word_separator(prev) {
                upper_char(ch)
            } else {
                ch
            };
            prev = ch;
            out
        })
        .collect();
    Ok(c.str(titled))
}

/// Go's simple case mapping is one character to one character: `ß` stays `ß`.
fn upper_char(ch: char) -> char {
    let mut upper = ch.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => ch,
    }
}

/// Go's simple lower-case mapping (`İ` → `i`, where the full mapping adds a dot).
fn lower_char(ch: char) -> char {
    ch.to_lowercase().next().unwrap_or(ch)
}

/// Word boundaries of Go's `strings.Title`.
fn is_word_separator(ch: char) -> bool {
    if ch.is_ascii() {
        return !(ch.is_ascii_alphanumeric() || ch == '_');
    }
    if ch.is_alphabetic() || ch.is_numeric() {
        return false;
    }
    ch.is_whitespace()
}

pub(super) fn join(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let sep = c.get_str(c.arg(args, 0)?, "separator")?;
    let lists = args.get(1..).unwrap_or_default();
    if lists.is_empty() {
        return fail("at least one list is required");
    }
    for list in lists {
        c.get_list(list, "lists")?;
        c.wholly_known(list)?;
    }
    let mut items = Vec::new();
    for (li, list) in lists.iter().enumerate() {
        for (ei, el) in c.get_list(list, "lists")?.iter().enumerate() {
            if el.is_null() {
                return fail(if lists.len() > 1 {
                    format!(
                        "element {ei} of list {} is null; cannot concatenate null values",
                        li + 1
                    )
                } else {
                    format!("element {ei} is null; cannot concatenate null values")
                });
            }
            items.push(c.get_str(el, "lists")?);
        }
    }
    let size = items.iter().map(|item| item.len()).sum::<usize>();
    let seps = items.len().saturating_sub(1).saturating_mul(sep.len());
    if size.saturating_add(seps) > MAX_STRING {
        return fail("the result of `join()` would be too large");
    }
    Ok(c.str(items.join(&*sep)))
}

/// Go's `strings.Split`: an empty separator splits into characters.
pub(super) fn split(c: &Call, args: &[Val]) -> Out {
    let [sep, s] = c.fixed(args)?;
    let sep = c.get_str(sep, "separator")?;
    let s = c.get_str(s, "str")?;
    let parts: Vec<Val> = if sep.is_empty() {
        s.chars().map(|ch| c.str(ch.to_string())).collect()
    } else {
        s.split(&*sep).map(|part| c.str(part)).collect()
    };
    Ok(c.list(parts))
}

/// Plain substring replacement. A `/pattern/` substring is a regular expression in
/// Terraform, which erlint does not evaluate: the result is Unknown.
pub(super) fn replace(c: &Call, args: &[Val]) -> Out {
    let [s, substr, replacement] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let substr = c.get_str(substr, "substr")?;
    let replacement = c.get_str(replacement, "replace")?;
    if substr.len() > 1 && substr.starts_with('/') && substr.ends_with('/') {
        return Ok(Val::unknown(
            "`replace()` with a regular expression is not evaluated by erlint",
            c.site,
        ));
    }
    let matches = if substr.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(&*substr).count()
    };
    let size = matches
        .saturating_mul(replacement.len())
        .saturating_add(s.len());
    if size > MAX_STRING {
        return fail("the result of `replace()` would be too large");
    }
    Ok(c.str(s.replace(&*substr, &replacement)))
}

pub(super) fn trimspace(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    Ok(c.str(s.trim()))
}

/// Removes the characters of `cutset` from both ends.
pub(super) fn trim(c: &Call, args: &[Val]) -> Out {
    let [s, cutset] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let cutset = c.get_str(cutset, "cutset")?;
    Ok(c.str(s.trim_matches(|ch| cutset.contains(ch))))
}

pub(super) fn trimprefix(c: &Call, args: &[Val]) -> Out {
    let [s, prefix] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let prefix = c.get_str(prefix, "prefix")?;
    Ok(c.str(s.strip_prefix(&*prefix).unwrap_or(&s)))
}

pub(super) fn trimsuffix(c: &Call, args: &[Val]) -> Out {
    let [s, suffix] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let suffix = c.get_str(suffix, "suffix")?;
    Ok(c.str(s.strip_suffix(&*suffix).unwrap_or(&s)))
}

pub(super) fn startswith(c: &Call, args: &[Val]) -> Out {
    let [s, prefix] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let prefix = c.get_str(prefix, "prefix")?;
    Ok(c.bool(s.starts_with(&*prefix)))
}

pub(super) fn endswith(c: &Call, args: &[Val]) -> Out {
    let [s, suffix] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let suffix = c.get_str(suffix, "suffix")?;
    Ok(c.bool(s.ends_with(&*suffix)))
}

/// `substr(str, offset, length)` counting characters. A negative offset counts from the
/// end; a negative length takes the rest. (Like cty, a length of 0 with a negative offset
/// also takes the rest.)
pub(super) fn substr(c: &Call, args: &[Val]) -> Out {
    let [s, offset, length] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let mut offset = c.get_int(offset, "offset")?;
    let length = c.get_int(length, "length")?;
    let chars = graphemes(&s);
    if offset < 0 {
        offset = offset.saturating_add(len_i64(&chars)).max(0);
    } else if length == 0 {
        return Ok(c.str(""));
    }
    let rest = chars.get(to_usize(offset)..).unwrap_or_default();
    let taken = if length > 0 {
        rest.get(..to_usize(length)).unwrap_or(rest)
    } else {
        rest
    };
    Ok(c.str(taken.concat()))
}

/// Reverses the characters (a combining mark stays with its base character).
pub(super) fn strrev(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let mut chars = graphemes(&s);
    chars.reverse();
    Ok(c.str(chars.concat()))
}

/// Removes all trailing newlines (`\n`, `\r\n`, `\r`).
pub(super) fn chomp(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    Ok(c.str(s.trim_end_matches(['\r', '\n'])))
}

/// Indents every line but the first by `spaces` spaces.
pub(super) fn indent(c: &Call, args: &[Val]) -> Out {
    let [spaces, s] = c.fixed(args)?;
    let spaces = c.get_int(spaces, "spaces")?;
    let s = c.get_str(s, "str")?;
    let Ok(spaces) = usize::try_from(spaces) else {
        return Err(invalid("spaces", "must not be negative"));
    };
    let lines = s.matches('\n').count();
    if lines == 0 {
        return Ok(c.str(s));
    }
    if lines.saturating_mul(spaces).saturating_add(s.len()) > MAX_STRING {
        return fail("the result of `indent()` would be too large");
    }
    let pad = format!("\n{}", " ".repeat(spaces));
    Ok(c.str(s.replace('\n', &pad)))
}

fn len_i64<T>(items: &[T]) -> i64 {
    i64::try_from(items.len()).unwrap_or(i64::MAX)
}

fn to_usize(n: i64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The characters of `s` as Terraform counts them: approximately Unicode's extended
/// grapheme clusters. A base character keeps the combining marks, variation selectors,
/// emoji modifiers and zero-width-joined characters that follow it; `\r\n` is one
/// character, and so is a pair of regional indicators (a flag).
pub(super) fn graphemes(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut regional_run = 0;
    for (i, ch) in s.char_indices() {
        let joins = match prev {
            None => false,
            Some(p) => {
                extends(ch)
                    || p == '\u{200D}'
                    || (p == '\r' && ch == '\n')
                    || (is_regional(p) && is_regional(ch) && regional_run % 2 == 1)
            }
        };
        if !joins && i > start {
            out.extend(s.get(start..i));
            start = i;
        }
        regional_run = if is_regional(ch) { regional_run + 1 } else { 0 };
        prev = Some(ch);
    }
    if start < s.len() {
        out.extend(s.get(start..));
    }
    out
}

/// Characters that never start a cluster.
fn extends(ch: char) -> bool {
    matches!(ch,
        '\u{0300}'..='\u{036F}'     // combining diacritical marks
        | '\u{0483}'..='\u{0489}'   // Cyrillic
        | '\u{0591}'..='\u{05BD}'   // Hebrew
        | '\u{0610}'..='\u{061A}'   // Arabic
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{0900}'..='\u{0903}'   // Devanagari signs
        | '\u{093A}'..='\u{094F}'
        | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' // Thai
        | '\u{1160}'..='\u{11FF}'   // Hangul medial vowels and final consonants
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'   // zero width (non-)joiner
        | '\u{20D0}'..='\u{20FF}'   // combining marks for symbols
        | '\u{3099}'..='\u{309A}'
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}' // emoji skin tones
        | '\u{E0020}'..='\u{E007F}' // emoji tags
        | '\u{E0100}'..='\u{E01EF}'
    )
}

fn is_regional(ch: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&ch)
}

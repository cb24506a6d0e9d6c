//! String helpers with .NET semantics, as Azure Resource Manager applies them: composite
//! formatting for `format()`, value-to-string conversion, UTF-16 lengths and indexes.

use crate::model::value::format_number;
use crate::model::{Val, ValKind};

/// `string(x)` and the string form of `concat`/`format` arguments. `None` for values with
/// Unknown parts or no agreed text form.
pub fn to_text(v: &Val) -> Option<String> {
    match &v.kind {
        ValKind::Str(s) => Some(s.to_string()),
        ValKind::Number(n) => Some(format_number(*n)),
        ValKind::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        ValKind::List(_) | ValKind::Object(_) if v.is_wholly_known() => {
            serde_json::to_string(&v.to_json()).ok()
        }
        _ => None,
    }
}

/// .NET composite formatting: `{index[,alignment][:format]}`, `{{` and `}}`. Numeric
/// format strings `D`, `X`, `F`, `N` (with precision) and zero patterns (`000`) are
/// supported; others make the result unknown (`None`).
pub fn composite(fmt: &str, args: &[Val]) -> Option<String> {
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut chars = fmt.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '{' => {
                if chars.peek().map(|(_, c)| *c) == Some('{') {
                    chars.next();
                    out.push('{');
                    continue;
                }
                let mut item = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((_, ch)) => item.push(ch),
                        None => return None,
                    }
                }
                let (head, spec) = match item.split_once(':') {
                    Some((h, s)) => (h, Some(s)),
                    None => (item.as_str(), None),
                };
                let (index, align) = match head.split_once(',') {
                    Some((i, a)) => (i, Some(a.trim().parse::<i64>().ok()?)),
                    None => (head, None),
                };
                let index: usize = index.trim().parse().ok()?;
                let arg = args.get(index)?;
                let text = format_arg(arg, spec)?;
                pad(&mut out, &text, align);
                if out.len() > super::functions::MAX_STR {
                    return None;
                }
            }
            '}' => {
                if chars.peek().map(|(_, c)| *c) == Some('}') {
                    chars.next();
                    out.push('}');
                } else {
                    return None;
                }
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Whether a composite format has an item with an alignment or a format string
/// (`{0,8}`, `{0:D2}`): one that does not write its argument's text as it is.
pub fn has_item_options(fmt: &str) -> bool {
    let mut rest = fmt;
    while let Some(i) = rest.find('{') {
        let after = rest.get(i + 1..).unwrap_or("");
        if let Some(escaped) = after.strip_prefix('{') {
            rest = escaped;
            continue;
        }
        let item = after.split('}').next().unwrap_or(after);
        if item.contains([':', ',']) {
            return true;
        }
        rest = after;
    }
    false
}

fn pad(out: &mut String, text: &str, align: Option<i64>) {
    let width = align.map(|a| a.unsigned_abs() as usize).unwrap_or(0);
    let len = text.chars().count();
    let fill = width.saturating_sub(len).min(super::functions::MAX_STR);
    if align.is_some_and(|a| a > 0) {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(text);
    } else {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    }
}

fn format_arg(v: &Val, spec: Option<&str>) -> Option<String> {
    match (&v.kind, spec) {
        (ValKind::Null, _) => Some(String::new()),
        (ValKind::Number(n), Some(spec)) if !spec.is_empty() => format_num(*n, spec),
        (ValKind::Str(_) | ValKind::Bool(_) | ValKind::Number(_), _) => to_text(v),
        _ => None,
    }
}

fn format_num(n: f64, spec: &str) -> Option<String> {
    let mut cs = spec.chars();
    let letter = cs.next()?;
    let rest = cs.as_str();
    let precision = || -> Option<Option<usize>> {
        if rest.is_empty() {
            Some(None)
        } else {
            rest.parse::<usize>().ok().filter(|p| *p <= 99).map(Some)
        }
    };
    let int = || (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64);
    match letter {
        'D' | 'd' => {
            let i = int()?;
            let p = precision()?.unwrap_or(0);
            let digits = format!("{:0>p$}", i.unsigned_abs());
            Some(if i < 0 { format!("-{digits}") } else { digits })
        }
        'X' | 'x' => {
            let i = int()?;
            if i < 0 {
                return None;
            }
            let p = precision()?.unwrap_or(0);
            Some(if letter == 'X' {
                format!("{i:0>p$X}")
            } else {
                format!("{i:0>p$x}")
            })
        }
        'F' | 'f' => {
            let p = precision()?.unwrap_or(2);
            Some(format!("{n:.p$}"))
        }
        'N' | 'n' => {
            let p = precision()?.unwrap_or(2);
            let s = format!("{:.p$}", n.abs());
            let (int_part, frac) = match s.split_once('.') {
                Some((i, f)) => (i.to_string(), Some(f.to_string())),
                None => (s.clone(), None),
            };
            let mut grouped = String::new();
            for (i, c) in int_part.chars().enumerate() {
                if i > 0 && (int_part.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let sign = if n < 0.0 { "-" } else { "" };
            Some(match frac {
                Some(f) => format!("{sign}{grouped}.{f}"),
                None => format!("{sign}{grouped}"),
            })
        }
        '0' if spec.chars().all(|c| c == '0') => {
            let i = int()?;
            // Any number of zeros (Rust's own padding panics past 65,535).
            let digits = zero_padded(&i.unsigned_abs().to_string(), spec.len());
            Some(if i < 0 { format!("-{digits}") } else { digits })
        }
        _ => None,
    }
}

/// `digits` with zeros in front to `width` characters.
fn zero_padded(digits: &str, width: usize) -> String {
    let mut out: String = std::iter::repeat_n('0', width.saturating_sub(digits.len())).collect();
    out.push_str(digits);
    out
}

/// Length in UTF-16 code units (.NET `String.Length`).
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// The substring of UTF-16 units `start..end` (`None` when it would split a character).
pub fn utf16_slice(s: &str, start: usize, end: usize) -> Option<String> {
    if s.is_ascii() {
        return s.get(start..end).map(str::to_string);
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16(units.get(start..end)?).ok()
}

/// Case-insensitive search (`indexOf`, `startsWith`…), as UTF-16 indexes. `None` when the
/// comparison cannot be made reliably (case folding that changes lengths).
pub fn find_ci(hay: &str, needle: &str, last: bool) -> Option<Option<usize>> {
    let (h, n) = if hay.is_ascii() && needle.is_ascii() {
        (hay.to_ascii_lowercase(), needle.to_ascii_lowercase())
    } else {
        let (h, n) = (hay.to_lowercase(), needle.to_lowercase());
        if h.len() != hay.len() || n.len() != needle.len() {
            return None;
        }
        (h, n)
    };
    let at = if last { h.rfind(&n) } else { h.find(&n) };
    Some(at.map(|b| utf16_len(hay.get(..b).unwrap_or(""))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Val {
        Val::str(x, None)
    }
    fn n(x: f64) -> Val {
        Val::number(x, None)
    }

    #[test]
    fn composite_formatting() {
        assert_eq!(
            composite("{0}/{1}", &[s("er"), s("AzurePrivatePeering")]).as_deref(),
            Some("er/AzurePrivatePeering")
        );
        assert_eq!(composite("vm-{0:D3}", &[n(7.0)]).as_deref(), Some("vm-007"));
        assert_eq!(composite("{0:000}", &[n(42.0)]).as_deref(), Some("042"));
        assert_eq!(composite("{0:X4}", &[n(255.0)]).as_deref(), Some("00FF"));
        assert_eq!(
            composite("{0:N0}", &[n(1234567.0)]).as_deref(),
            Some("1,234,567")
        );
        assert_eq!(composite("{0:F1}", &[n(2.75)]).as_deref(), Some("2.8"));
        assert_eq!(composite("{{{0}}}", &[s("x")]).as_deref(), Some("{x}"));
        assert_eq!(composite("[{0,5}]", &[s("ab")]).as_deref(), Some("[   ab]"));
        assert_eq!(
            composite("[{0,-5}]", &[s("ab")]).as_deref(),
            Some("[ab   ]")
        );
        assert_eq!(
            composite("{0}", &[Val::bool(true, None)]).as_deref(),
            Some("True")
        );
        assert_eq!(composite("{1}", &[s("a")]), None);
        assert_eq!(composite("{0", &[s("a")]), None);
        assert_eq!(composite("a}b", &[]), None);
        assert_eq!(composite("{0:Q}", &[n(1.0)]), None);
    }

    /// A zero pattern longer than Rust's formatter accepts (it panics past 65,535).
    #[test]
    fn very_long_zero_patterns() {
        let fmt = format!("{{0:{}}}", "0".repeat(65_536));
        let out = composite(&fmt, &[n(-42.0)]).unwrap();
        assert_eq!(out.len(), 65_537);
        assert!(out.starts_with("-000") && out.ends_with("042"));
    }

    #[test]
    fn text_of_values() {
        assert_eq!(to_text(&n(200.0)).as_deref(), Some("200"));
        let l = Val::list(vec![s("a"), n(1.0)], None);
        assert_eq!(to_text(&l).as_deref(), Some("[\"a\",1]"));
        let u = Val::list(vec![Val::unknown("x", None)], None);
        assert_eq!(to_text(&u), None);
    }

    #[test]
    fn utf16_helpers() {
        assert_eq!(utf16_len("Zürich😀"), 8);
        assert_eq!(utf16_slice("Zürich", 1, 3).as_deref(), Some("ür"));
        assert_eq!(utf16_slice("😀", 0, 1), None);
        assert_eq!(find_ci("ExpressRoute", "ROUTE", false), Some(Some(7)));
        assert_eq!(find_ci("abcabc", "B", true), Some(Some(4)));
        assert_eq!(find_ci("abc", "x", false), Some(None));
    }
}

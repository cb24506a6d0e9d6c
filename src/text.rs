//! Text helpers every message uses: lists in prose, counts.

/// "1 file", "3 files".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn shown<S: AsRef<str>>(s: &S, code: bool) -> String {
    if code {
        format!("`{}`", s.as_ref())
    } else {
        s.as_ref().to_string()
    }
}

fn join_last<S: AsRef<str>>(names: &[S], code: bool, word: &str) -> String {
    match names {
        [] => String::new(),
        [a] => shown(a, code),
        [init @ .., last] => format!(
            "{} {word} {}",
            init.iter()
                .map(|s| shown(s, code))
                .collect::<Vec<_>>()
                .join(", "),
            shown(last, code)
        ),
    }
}

/// `a, b and c` (with backticks when `code`).
pub fn join_names<S: AsRef<str>>(names: &[S], code: bool) -> String {
    join_last(names, code, "and")
}

/// `a, b or c` (with backticks when `code`).
pub fn or_names<S: AsRef<str>>(names: &[S], code: bool) -> String {
    join_last(names, code, "or")
}

/// `a, b, c and 12 more` (at most `max` names).
pub fn join_capped<S: AsRef<str>>(names: &[S], max: usize, code: bool) -> String {
    if names.len() <= max {
        return join_names(names, code);
    }
    let shown: Vec<String> = names.iter().take(max).map(|s| shown(s, code)).collect();
    format!("{} and {} more", shown.join(", "), names.len() - max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(join_names(&["a"], true), "`a`");
        assert_eq!(join_names(&["a", "b", "c"], false), "a, b and c");
        assert_eq!(or_names(&["a", "b", "c"], true), "`a`, `b` or `c`");
        assert_eq!(or_names::<&str>(&[], true), "");
        assert_eq!(join_capped(&["a", "b", "c"], 2, false), "a, b and 1 more");
    }
}

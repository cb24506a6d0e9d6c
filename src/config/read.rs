//! Reading `.erlint.toml`'s tree: every key checked against the keys its table may hold,
//! every value against its type, each problem collected with its place in the file (all of
//! them in one run, in file order).

use crate::error::FileError;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value read from the file and the byte range it was written at.
pub(super) type Placed<T> = (T, Range<usize>);

/// The checker of one configuration text: what went wrong, and where.
pub(super) struct Reader<'t> {
    pub text: &'t str,
    pub shown: &'t str,
    errors: Vec<FileError>,
}

impl<'t> Reader<'t> {
    pub fn new(text: &'t str, shown: &'t str) -> Reader<'t> {
        Reader {
            text,
            shown,
            errors: Vec::new(),
        }
    }

    /// Record a problem at `span`; the caller may add help to it.
    pub fn error(&mut self, span: Range<usize>, message: String, label: &str) -> &mut FileError {
        self.errors
            .push(FileError::at(self.shown, self.text, span, message, label));
        let last = self.errors.len() - 1;
        #[allow(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.errors[last]
    }

    pub fn push(&mut self, e: FileError) {
        self.errors.push(e);
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every problem, in file order, as one error: the first, the others after it.
    pub fn finish<T>(mut self, value: T) -> Result<T, FileError> {
        self.errors.sort_by_key(FileError::offset);
        let mut all = self.errors.into_iter();
        match all.next() {
            None => Ok(value),
            Some(mut first) => {
                first.more.extend(all);
                Err(first)
            }
        }
    }

    /// The entries of `table` whose keys it may hold (`valid`); any other key is an error
    /// naming the closest valid one. `section` names the table in messages (`None`: the
    /// top level).
    pub fn known<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        section: Option<&str>,
        valid: &[&'static str],
    ) -> Vec<(&'static str, &'a Spanned<DeValue<'i>>)> {
        let mut out = Vec::new();
        for (k, v) in table.iter() {
            let key: &str = k.get_ref();
            if let Some(name) = valid.iter().find(|n| **n == key) {
                out.push((*name, v));
                continue;
            }
            let section_header = section.is_none() && v.get_ref().is_table();
            let (what, place) = match section {
                Some(s) => (
                    format!("unknown key `{key}` in `[{s}]`"),
                    format!("`[{s}]`"),
                ),
                None if section_header => (
                    format!("unknown section `[{key}]`"),
                    "the configuration".to_string(),
                ),
                None => (format!("unknown key `{key}`"), "the top level".to_string()),
            };
            let help = match closest(key, valid) {
                Some(near) if section_header => format!("did you mean `[{near}]`?"),
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("{place} may hold {}", backticked(valid)),
            };
            let label = if section_header {
                "unknown section"
            } else {
                "unknown key"
            };
            self.error(k.span(), what, label).help = Some(help);
        }
        out
    }

    /// A table, or an error naming what `name` must be.
    pub fn table<'a, 'i>(
        &mut self,
        name: &str,
        v: &'a Spanned<DeValue<'i>>,
    ) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.wrong_type(name, "a table", other, v.span());
                None
            }
        }
    }

    pub fn string(&mut self, name: &str, v: &Spanned<DeValue<'_>>) -> Option<Placed<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span())),
            other => {
                self.wrong_type(name, "a string", other, v.span());
                None
            }
        }
    }

    pub fn bool(&mut self, name: &str, v: &Spanned<DeValue<'_>>) -> Option<Placed<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some((*b, v.span())),
            other => {
                self.wrong_type(name, "true or false", other, v.span());
                None
            }
        }
    }

    /// A list of strings; each element that is not one is an error of its own.
    pub fn strings(&mut self, name: &str, v: &Spanned<DeValue<'_>>) -> Vec<Placed<String>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(name, "a list of strings", v.get_ref(), v.span());
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), item.span())),
                other => self.wrong_type(
                    &format!("each element of `{name}`"),
                    "a string",
                    other,
                    item.span(),
                ),
            }
        }
        out
    }

    /// One of `options` (a string), as its index; a misspelt one gets the closest.
    pub fn choice(
        &mut self,
        name: &str,
        v: &Spanned<DeValue<'_>>,
        options: &[&'static str],
    ) -> Option<Placed<usize>> {
        let (s, span) = self.string(name, v)?;
        if let Some(i) = options.iter().position(|o| *o == s) {
            return Some((i, span));
        }
        let help = match closest(&s, options) {
            Some(near) => format!("did you mean `\"{near}\"`?"),
            None => format!("write one of {}", backticked(options)),
        };
        self.error(
            span,
            format!("`{name}` is `{s}`, not {}", backticked(options)),
            "not a valid value",
        )
        .help = Some(help);
        None
    }

    fn wrong_type(&mut self, name: &str, expected: &str, got: &DeValue<'_>, span: Range<usize>) {
        let got = match got {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a number",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date",
            DeValue::Array(_) => "a list",
            DeValue::Table(_) => "a table",
        };
        self.error(
            span,
            format!("`{name}` must be {expected}, not {got}"),
            &format!("expected {expected}"),
        );
    }
}

/// `a`, `b` or `c` in backticks.
fn backticked(names: &[&str]) -> String {
    crate::text::or_names(names, true)
}

/// The valid name nearest to a misspelt one: within two edits or a third of its length,
/// else one it is the start of (`carrier` for `carrier_tag`).
pub(super) fn closest<'a>(text: &str, valid: &[&'a str]) -> Option<&'a str> {
    if text.len() > 100 {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let limit = 2.max(text.chars().count() / 3);
    valid
        .iter()
        .map(|v| (strsim::levenshtein(&lower, v), *v))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, v)| v)
        .or_else(|| {
            valid
                .iter()
                .find(|v| lower.len() >= 3 && v.starts_with(&lower))
                .copied()
        })
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn closest_keys() {
        let keys = ["var_files", "subscription_from_env"];
        assert_eq!(closest("var_file", &keys), Some("var_files"));
        assert_eq!(
            closest("subscription_from_environment", &keys),
            Some("subscription_from_env")
        );
        assert_eq!(closest("Var_Files", &keys), Some("var_files"));
        assert_eq!(closest("office", &keys), None);
        assert_eq!(closest("carrier", &["carrier_tag"]), Some("carrier_tag"));
        assert_eq!(
            closest("warnin", &["error", "warning", "info"]),
            Some("warning")
        );
    }
}

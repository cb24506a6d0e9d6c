//! "Did you mean": the catalogue names closest to a misspelt one, and lists of names
//! joined for messages.

use super::*;

/// Similarity threshold for "did you mean" suggestions.
pub(super) const SUGGEST: f64 = 0.8;
/// A looser one for `erlint catalog` with an unknown name.
pub(super) const BROWSE: f64 = 0.55;
/// Longest name (in bytes) that gets suggestions.
const LONGEST_QUERY: usize = 256;

/// Words that many provider names share; two names alike only in these are not close
/// ("Acme Telecom" is not "MCM Telecom").
const GENERIC_WORDS: &[&str] = &[
    "telecom",
    "telecommunications",
    "communications",
    "communication",
    "networks",
    "network",
    "global",
    "group",
    "limited",
    "ltd",
    "inc",
    "corporation",
    "technologies",
    "services",
    "business",
    "cloud",
    "connect",
    "the",
];

/// The distinctive part of a name: normalized, generic words removed.
fn core_name(s: &str) -> String {
    let lowered: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .collect();
    let words: Vec<&str> = lowered
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | ',' | '(' | ')' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !GENERIC_WORDS.contains(w))
        .collect();
    if kept.is_empty() {
        words.concat()
    } else {
        kept.concat()
    }
}

/// A name being compared against many candidates: normalized once.
struct Query {
    full: String,
    core: String,
}

impl Query {
    fn new(name: &str) -> Query {
        Query {
            full: normalize(name),
            core: core_name(name),
        }
    }

    /// How alike the query and `candidate` are (0–1): the lower of the similarity of their
    /// normalized forms and of their distinctive parts ([`core_name`]); 0 when it cannot
    /// reach `threshold` (decided from the lengths before the edit distance is computed).
    fn similarity(&self, candidate: &str, threshold: f64) -> f64 {
        let full = normalize(candidate);
        if !could_reach(&self.full, &full, threshold) {
            return 0.0;
        }
        let core = core_name(candidate);
        if !could_reach(&self.core, &core, threshold) {
            return 0.0;
        }
        similarity(&self.full, &full).min(similarity(&self.core, &core))
    }
}

/// Whether [`similarity`] of `a` and `b` can be `threshold` or more: the edit distance is
/// at least the difference in length, unless one contains the other.
fn could_reach(a: &str, b: &str, threshold: f64) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb).max(1);
    let bound = 1.0 - la.abs_diff(lb) as f64 / longest as f64;
    if bound >= threshold {
        return true;
    }
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    short.chars().count() >= 4 && long.contains(short)
}

/// How alike two normalized names are (0–1). A name contained in the other (at least
/// four characters: "Equinix" in "Equinix Cloud Exchange") counts as close.
fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let d = strsim::normalized_damerau_levenshtein(a, b);
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.chars().count() >= 4 && long.contains(short) {
        let ratio = short.len() as f64 / long.len().max(1) as f64;
        return d.max(0.75 + 0.2 * ratio);
    }
    d
}

/// The `n` best (written, result) pairs by similarity of `written` to `name`, results
/// deduplicated, best first.
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = (&'a str, &'a str)>,
    n: usize,
    threshold: f64,
) -> Vec<&'a str> {
    // No catalogue name is this long, nor a misspelling of one; the edit distance of a
    // long string to every candidate is what would cost (100 KB: seconds per value).
    if name.len() > LONGEST_QUERY {
        return vec![];
    }
    let query = Query::new(name);
    if query.full.is_empty() {
        return vec![];
    }
    let mut scored: Vec<(f64, &'a str)> = candidates
        .map(|(w, r)| (query.similarity(w, threshold), r))
        .filter(|(s, _)| *s >= threshold)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    // For suggestions, only names about as close as the best one ("Amsterdm" suggests
    // Amsterdam, not Amsterdam2 as well).
    let best = scored.first().map(|s| s.0).unwrap_or(0.0);
    let spread = if threshold >= SUGGEST { 0.06 } else { 1.0 };
    let mut out: Vec<&'a str> = Vec::new();
    for (score, r) in scored {
        if score < best - spread {
            break;
        }
        if !out.contains(&r) {
            out.push(r);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

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

/// A name in the forms names are compared in: normalized, and its distinctive part
/// ([`core_name`]), each with its length in characters.
#[derive(Clone, Debug)]
pub(super) struct Key {
    full: String,
    core: String,
    full_chars: usize,
    core_chars: usize,
}

impl Key {
    pub(super) fn new(name: &str) -> Key {
        let full = normalize(name);
        let core = core_name(name);
        Key {
            full_chars: full.chars().count(),
            core_chars: core.chars().count(),
            full,
            core,
        }
    }

    /// How alike this name (the query) and `candidate` are (0–1): the lower of the
    /// similarity of their normalized forms and of their distinctive parts
    /// ([`core_name`]); 0 when it cannot reach `threshold` (decided from the lengths
    /// before the edit distance is computed).
    fn similarity(&self, candidate: &Key, threshold: f64) -> f64 {
        let full = (self.full.as_str(), self.full_chars);
        if !could_reach(full, (&candidate.full, candidate.full_chars), threshold) {
            return 0.0;
        }
        let core = (self.core.as_str(), self.core_chars);
        if !could_reach(core, (&candidate.core, candidate.core_chars), threshold) {
            return 0.0;
        }
        if at_most(&self.full, &candidate.full) < threshold
            || at_most(&self.core, &candidate.core) < threshold
        {
            return 0.0;
        }
        similarity(&self.full, &candidate.full).min(similarity(&self.core, &candidate.core))
    }
}

/// The [`Key`]s of the catalogue's names (the written names of partners, locations and
/// carriers), made on the first suggestion a run asks for; a name not among them gets
/// its key made when it is compared.
#[derive(Clone, Debug, Default)]
pub(super) struct Keys(OnceLock<HashMap<String, Key>>);

impl Keys {
    fn get<'k>(&'k self, catalog: &Catalog, name: &str) -> std::borrow::Cow<'k, Key> {
        let keys = self.0.get_or_init(|| {
            let mut keys = HashMap::new();
            let names = catalog
                .provider_names()
                .map(|(w, _)| w)
                .chain(catalog.data.locations.iter().map(|l| l.name.as_str()))
                .chain(catalog.data.carriers.iter().map(|c| c.name.as_str()));
            for n in names {
                if !keys.contains_key(n) {
                    keys.insert(n.to_string(), Key::new(n));
                }
            }
            keys
        });
        match keys.get(name) {
            Some(k) => std::borrow::Cow::Borrowed(k),
            None => std::borrow::Cow::Owned(Key::new(name)),
        }
    }
}

/// [`Catalog::closest_providers`]' answers by query (name and count), as partner
/// indexes: every resource that names the same unknown provider asks again. Emptied when
/// it holds [`MEMO_MOST`] queries: the bundled catalogue lives as long as the process,
/// and the language server asks about every name as it is typed.
#[derive(Debug, Default)]
pub(super) struct Memo(std::sync::Mutex<HashMap<(String, usize), Vec<usize>>>);

impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl Memo {
    pub(super) fn get(&self, query: &(String, usize)) -> Option<Vec<usize>> {
        self.0.lock().ok()?.get(query).cloned()
    }

    pub(super) fn put(&self, query: (String, usize), found: Vec<usize>) {
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= MEMO_MOST {
                m.clear();
            }
            m.insert(query, found);
        }
    }
}

#[cfg(test)]
impl Memo {
    pub(super) fn len(&self) -> usize {
        self.0.lock().map_or(0, |m| m.len())
    }
}

/// How many queries [`Memo`] holds before it is emptied.
pub(super) const MEMO_MOST: usize = 1024;

/// Whether [`similarity`] of `a` and `b` (each with its length in characters) can be
/// `threshold` or more: the edit distance is at least the difference in length, unless
/// one contains the other.
fn could_reach((a, la): (&str, usize), (b, lb): (&str, usize), threshold: f64) -> bool {
    let longest = la.max(lb).max(1);
    let bound = 1.0 - la.abs_diff(lb) as f64 / longest as f64;
    if bound >= threshold {
        return true;
    }
    let (short, short_chars, long) = if la <= lb { (a, la, b) } else { (b, lb, a) };
    short_chars >= 4 && long.contains(short)
}

/// An upper bound of [`similarity`] of `a` and `b`, without the edit distance: that
/// distance is at least the bag distance (how many characters one name has that the
/// other lacks, the larger of the two counts), since each edit or transposition changes
/// that count by one at most; `1 - d / longest` only grows as `d` shrinks, in floating
/// point too. 1 for names that are not ASCII (no bound is computed).
fn at_most(a: &str, b: &str) -> f64 {
    if a == b || !a.is_ascii() || !b.is_ascii() {
        return 1.0;
    }
    let mut counts = [0i32; 128];
    for c in a.bytes() {
        counts[usize::from(c & 0x7f)] += 1;
    }
    for c in b.bytes() {
        counts[usize::from(c & 0x7f)] -= 1;
    }
    let (mut more, mut fewer) = (0i32, 0i32);
    for n in counts {
        if n > 0 {
            more += n;
        } else {
            fewer -= n;
        }
    }
    let bag = more.max(fewer);
    // ASCII: characters are bytes.
    let longest = a.len().max(b.len());
    let d = 1.0 - f64::from(bag) / longest as f64;
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= 4 && long.contains(short) {
        let ratio = short.len() as f64 / long.len().max(1) as f64;
        return d.max(0.75 + 0.2 * ratio);
    }
    d
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
    catalog: &Catalog,
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
    let query = Key::new(name);
    if query.full.is_empty() {
        return vec![];
    }
    let keys = &catalog.idx.suggest;
    let mut scored: Vec<(f64, &'a str)> = candidates
        .map(|(w, r)| (query.similarity(&keys.get(catalog, w), threshold), r))
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

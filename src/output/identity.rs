//! A finding's identity across runs, for the formats that track findings over time
//! (SARIF fingerprints, GitLab Code Quality fingerprints, JUnit test names).
//!
//! Like the baseline's key (src/baseline.rs), it is made of the rule, the
//! repository-relative file and the resource address, plus the attribute the finding is
//! about; not the line (moving a block keeps the identity) and not the message (a
//! catalogue refresh that changes "it serves Amsterdam, Frankfurt" does not either). Two
//! findings with the same key in one report are told apart by their order: the second
//! is occurrence 2.

use super::paths::RepoPaths;
use crate::diagnostic::Diagnostic;
use crate::linter::Report;
use crate::source::SourceDb;
use std::collections::HashMap;

/// The identity of one finding of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub rule: &'static str,
    /// Repository-relative, `/`-separated.
    pub path: String,
    pub resource: Option<String>,
    pub attribute: Option<String>,
    /// 1 for the first finding with this key in the report, 2 for the second, …
    pub occurrence: usize,
}

impl Identity {
    /// FNV-1a (64 bits) of the key and the occurrence, as 16 hex digits and `:n`.
    pub fn fingerprint(&self) -> String {
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            self.rule,
            self.path,
            self.resource.as_deref().unwrap_or(""),
            self.attribute.as_deref().unwrap_or("")
        );
        format!("{:016x}:{}", fnv1a(key.as_bytes()), self.occurrence)
    }
}

/// The identities of every diagnostic of `report`, in report order.
pub fn identities(report: &Report, paths: &RepoPaths) -> Vec<Identity> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let mut id = Identity {
                rule: d.code,
                path: paths.path(&report.db, d.primary.file),
                resource: d.resource.clone(),
                attribute: attribute(&report.db, d),
                occurrence: 0,
            };
            let n = seen.entry(id.fingerprint()).or_insert(0);
            *n += 1;
            id.occurrence = *n;
            id
        })
        .collect()
}

/// The attribute a finding is about. ARM findings carry their JSON path, taken without
/// array indices (`resources.properties.peerASN`: the resource address already tells
/// the resources apart, and an index changes when one is added before it). Otherwise,
/// the key of the `key = value` (HCL) or `"key": value` (JSON) line the finding points
/// at, when it points at that key or its value; `None` for a block header or a list
/// element on its own line.
pub fn attribute(db: &SourceDb, d: &Diagnostic) -> Option<String> {
    if let Some(p) = &d.json_path {
        return Some(without_indices(p.strip_prefix("$.").unwrap_or(p)));
    }
    let (text, _) = db.text_through(d.primary.file, d.primary.start as usize)?;
    let start = (d.primary.start as usize).min(text.len());
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |i| start + i);
    let line = text.get(line_start..line_end)?;
    let (key, key_at) = line_key(line)?;
    (start - line_start >= key_at).then(|| key.to_string())
}

/// `key` and its offset in a line `  key = …`, `  "key" = …` or `  "key": …`.
fn line_key(line: &str) -> Option<(&str, usize)> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let (key, rest, at) = match trimmed.strip_prefix('"') {
        Some(quoted) => {
            let end = quoted.find('"')?;
            (quoted.get(..end)?, quoted.get(end + 1..)?, lead)
        }
        None => {
            let end = trimmed
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(trimmed.len());
            (trimmed.get(..end)?, trimmed.get(end..)?, lead)
        }
    };
    let rest = rest.trim_start();
    let assigns = (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with(':');
    (!key.is_empty() && assigns).then_some((key, at))
}

fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// FNV-1a, 64 bits: tiny, stable across Rust versions and platforms (unlike `std`'s
/// `DefaultHasher`, whose algorithm is unspecified).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sample;

    #[test]
    fn attributes() {
        let r = sample::report();
        let attrs: Vec<Option<String>> =
            r.diagnostics.iter().map(|d| attribute(&r.db, d)).collect();
        assert_eq!(
            attrs,
            [
                Some("resources.properties.serviceProviderProperties.serviceProviderName".into()),
                // The parse error points at the closing brace: no key.
                None,
                // At the value of `primary_peer_address_prefix = var.primary_prefix`.
                Some("primary_peer_address_prefix".into()),
                // A block header.
                None,
            ]
        );
        assert_eq!(line_key("  \"peerASN\": 65010,"), Some(("peerASN", 2)));
        assert_eq!(line_key("  vlan_id = 100"), Some(("vlan_id", 2)));
        assert_eq!(line_key("  count == 1"), None);
        assert_eq!(line_key("  \"10.0.0.0/24\","), None);
        assert_eq!(line_key("resource \"a\" \"b\" {"), None);
        assert_eq!(without_indices("resources[0].x[12].y"), "resources.x.y");
    }

    #[test]
    fn identity_ignores_line_and_message_but_not_resource_or_attribute() {
        let r = sample::report();
        let paths = RepoPaths::default();
        let base = identities(&r, &paths);
        let fp = |r: &Report| identities(r, &paths)[2].fingerprint();
        // The same files with three lines added above the finding, and a new message.
        let mut moved = sample::report();
        let shift = "# one\n# two\n# three\n";
        let mut db = SourceDb::new(0);
        for id in r.db.ids() {
            let text = r.db.text(id).unwrap();
            let text = if r.db.display(id) == "network/main.tf" {
                format!("{shift}{text}")
            } else {
                text.to_string()
            };
            db.add_text(r.db.display(id), &text);
        }
        moved.db = db;
        let d = &mut moved.diagnostics[2];
        d.primary.start += shift.len() as u32;
        d.primary.end += shift.len() as u32;
        d.message = "a reworded message".into();
        assert_ne!(
            crate::output::span_lines(&moved.db, d.primary).0,
            crate::output::span_lines(&r.db, r.diagnostics[2].primary).0
        );
        assert_eq!(fp(&moved), base[2].fingerprint());
        let mut other = sample::report();
        other.diagnostics[2].resource = Some("azurerm_express_route_circuit_peering.b".into());
        assert_ne!(fp(&other), base[2].fingerprint());
        // The other ER301 in the same file is on another resource: occurrence 1 each.
        assert_eq!(base[3].occurrence, 1);
        // A second finding with the same key is occurrence 2.
        let mut twice = sample::report();
        let copy = twice.diagnostics[2].clone();
        twice.diagnostics.insert(3, copy);
        let ids = identities(&twice, &paths);
        assert_eq!((ids[2].occurrence, ids[3].occurrence), (1, 2));
        assert_ne!(ids[2].fingerprint(), ids[3].fingerprint());
        // FNV-1a test vector.
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn identity_uses_the_repository_path() {
        let r = sample::report();
        let from_root = identities(&r, &RepoPaths::default());
        let from_sub = identities(
            &r,
            &RepoPaths {
                root: Some("/r".into()),
                cwd_in_root: "infra".into(),
            },
        );
        assert_eq!(from_sub[2].path, "infra/network/main.tf");
        assert_ne!(from_root[2].fingerprint(), from_sub[2].fingerprint());
    }
}

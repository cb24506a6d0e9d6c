//! The layering docs/ARCHITECTURE.md states, checked on the source: no import cycle between
//! the top-level modules of `src/`, and no front end importing the rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// For each top-level module of `src/` (`src/x.rs` and `src/x/`), the other top-level
/// modules its non-test code names as `crate::y` (comments and `#[cfg(test)]` parts and
/// `tests.rs` files left out), with a file that does.
fn imports() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for entry in ignore::Walk::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let module = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                assert!(
                    !rest.starts_with('{'),
                    "{rel}: grouped `crate::{{…}}` imports hide what a module uses"
                );
                if !name.is_empty() && name != module {
                    graph
                        .entry(module.clone())
                        .or_default()
                        .entry(name)
                        .or_insert_with(|| rel.clone());
                }
            }
        }
    }
    graph
}

fn reachable(graph: &BTreeMap<String, BTreeMap<String, String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(m) = stack.pop() {
        for next in graph.get(&m).into_iter().flat_map(BTreeMap::keys) {
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn no_import_cycle_between_modules() {
    let graph = imports();
    assert!(graph.contains_key("linter") && graph.contains_key("terraform"));
    let cycles: Vec<String> = graph
        .iter()
        .flat_map(|(from, to)| to.iter().map(move |(t, file)| (from, t, file)))
        .filter(|(from, to, _)| reachable(&graph, to).contains(*from))
        .map(|(from, to, file)| format!("{from} → {to} ({file}) → … → {from}"))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn no_front_end_imports_the_rules() {
    let graph = imports();
    for front_end in ["terraform", "arm", "bicep"] {
        let reach = reachable(&graph, front_end);
        for above in ["rules", "linter", "output", "server", "cli"] {
            assert!(
                !reach.contains(above),
                "{front_end} reaches {above}: {:?}",
                graph.get(front_end)
            );
        }
    }
}

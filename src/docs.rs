//! Rule documentation: one renderer for `erlint explain`, `erlint rules`, SARIF and the
//! shipped `rules/ERxxx.md` files.

use crate::rules::RuleMeta;

/// The doc comment as Markdown (the one leading space of each `///` line removed).
pub fn markdown(docs: &str) -> String {
    let mut out = String::with_capacity(docs.len());
    for line in docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}

/// The first sentence under `## What it does`.
pub fn summary(docs: &str) -> String {
    let md = markdown(docs);
    let after = md
        .split_once("## What it does")
        .map(|(_, b)| b)
        .unwrap_or(&md);
    let para: String = after
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty() && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let sentence = match para.find(". ") {
        Some(i) => para.get(..=i).unwrap_or(&para),
        None => para.as_str(),
    };
    sentence.trim().to_string()
}

/// The section body under a `## heading` (without the heading).
pub fn section(docs: &str, heading: &str) -> String {
    let md = markdown(docs);
    let marker = format!("## {heading}");
    let Some((_, rest)) = md.split_once(&marker) else {
        return String::new();
    };
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in rest.lines().skip(1) {
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.starts_with("## ") {
            break;
        }
        out.push(line);
    }
    out.join("\n").trim().to_string()
}

/// The full page written to `rules/ERxxx.md` and printed by `erlint explain`.
pub fn page(meta: &RuleMeta) -> String {
    format!(
        "# {} {}\n\nDefault severity: **{}**. Since erlint {}.\n\n{}",
        meta.id,
        meta.name,
        meta.severity,
        meta.since,
        markdown(meta.docs).trim_start()
    )
}

/// The `erlint rules` table.
pub fn table() -> String {
    let mut out = String::new();
    // The name column as wide as the longest name, so that no name runs into the next.
    let width = crate::rules::RULES
        .iter()
        .map(|r| r.meta().name.len())
        .max()
        .unwrap_or(0);
    for rule in crate::rules::RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "{:<6} {:<width$} {:<8} {}\n",
            m.id,
            m.name,
            m.severity.as_str(),
            summary(m.docs)
        ));
    }
    out
}

/// `erlint rules --format json`: one object per rule.
pub fn rules_json() -> String {
    let rules: Vec<serde_json::Value> = crate::rules::RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "id": m.id,
                "name": m.name,
                "severity": m.severity,
                "gate": m.gate,
                "checks_model": m.checks_model(),
                "since": m.since,
                "summary": summary(m.docs),
                "flags": m.flags,
                "url": crate::diagnostic::docs_url(m.id),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rules).unwrap_or_default();
    out.push('\n');
    out
}

/// The marker lines around the README's rule table.
pub const README_TABLE_START: &str = "<!-- rule table: generated from src/rules by `ERLINT_UPDATE_DOCS=1 cargo test --test integration docs`; do not edit -->";
pub const README_TABLE_END: &str = "<!-- end of rule table -->";

/// The README's rule table (Markdown), from each rule's metadata.
pub fn readme_table() -> String {
    let mut out = String::from("| id | name | severity | what it flags |\n|---|---|---|---|\n");
    for rule in crate::rules::RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            m.id, m.name, m.severity, m.flags
        ));
    }
    out
}

/// `readme` with the text between the table markers replaced by [`readme_table`], and
/// between the resource table markers by [`resource_table`]; `None` when markers are
/// missing.
pub fn with_readme_table(readme: &str) -> Option<String> {
    let readme = replace_between(
        readme,
        README_TABLE_START,
        README_TABLE_END,
        &readme_table(),
    )?;
    replace_between(
        &readme,
        RESOURCE_TABLE_START,
        RESOURCE_TABLE_END,
        &resource_table(),
    )
}

fn replace_between(text: &str, start_marker: &str, end_marker: &str, new: &str) -> Option<String> {
    let start = text.find(start_marker)? + start_marker.len();
    let end = start + text.get(start..)?.find(end_marker)?;
    Some(format!(
        "{}\n{}{}",
        text.get(..start)?,
        new,
        text.get(end..)?
    ))
}

/// The marker lines around the README's resource-type table.
pub const RESOURCE_TABLE_START: &str = "<!-- resource table: generated from src/model/schema.rs by `ERLINT_UPDATE_DOCS=1 cargo test --test integration docs`; do not edit -->";
pub const RESOURCE_TABLE_END: &str = "<!-- end of resource table -->";

/// The resource types erlint reads, in each schema (Markdown).
pub fn resource_table() -> String {
    use crate::model::{Kind, Schema};
    let mut out = String::from(
        "| resource | azurerm (`.tf`, `.tofu`, plans) | ARM type (ARM templates, Bicep, templates deployed from Terraform, azapi `type`) |\n|---|---|---|\n",
    );
    for k in Kind::ALL {
        let cell = |s: Schema| {
            k.type_name(s)
                .map_or_else(|| "—".to_string(), |t| format!("`{t}`"))
        };
        let what = match k {
            Kind::VnetGateway | Kind::GatewayConnection => {
                format!("{} (ExpressRoute type only)", k.describe())
            }
            Kind::VirtualNetwork => format!("{} (address space, for ER305)", k.describe()),
            Kind::Subnet => format!("{} (address prefixes, for ER510)", k.describe()),
            _ => k.describe().to_string(),
        };
        out.push_str(&format!(
            "| {what} | {} | {} |\n",
            cell(Schema::Azurerm),
            cell(Schema::Arm)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_table_lines_up_its_severity_column() {
        let table = table();
        let columns: Vec<usize> = table
            .lines()
            .zip(crate::rules::RULES)
            .map(|(line, rule)| {
                let m = rule.meta();
                // The severity after the name (`parse-error` holds `error` too).
                let name_end = line.find(m.name).map_or(0, |i| i + m.name.len());
                let sev = line[name_end..].find(m.severity.as_str());
                name_end + sev.unwrap_or_else(|| panic!("no severity after the name: {line}"))
            })
            .collect();
        assert_eq!(columns.len(), crate::rules::RULES.len());
        assert!(columns.windows(2).all(|w| w[0] == w[1]), "{table}");
    }

    const DOC: &str = " ## What it does\n Flags one thing. And more.\n\n ## Why is this bad?\n Because.\n ```hcl\n ## not a heading\n ```\n\n ## Example\n x\n";

    #[test]
    fn every_rule_has_a_summary() {
        for rule in crate::rules::RULES {
            let m = rule.meta();
            assert!(!summary(m.docs).is_empty(), "{}: empty summary", m.id);
        }
    }

    #[test]
    fn summary_is_first_sentence() {
        assert_eq!(summary(DOC), "Flags one thing.");
    }

    #[test]
    fn section_skips_headings_in_code() {
        let s = section(DOC, "Why is this bad?");
        assert!(s.starts_with("Because."));
        assert!(s.contains("## not a heading"));
        assert!(!s.contains("## Example"));
    }
}

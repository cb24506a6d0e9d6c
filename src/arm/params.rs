//! ARM parameter files and which template they belong to.

use super::json::{self, get, get_object};
use crate::diagnostic::Diagnostic;
use crate::model::{Unknown, Val};
use crate::source::{FileId, ReadError, SourceDb, Span};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// A parsed parameter file.
#[derive(Debug, Clone)]
pub struct ParameterFile {
    pub file: FileId,
    /// `metadata.template`: the template's path relative to this file, if given.
    pub template_hint: Option<String>,
    /// Values by lower-cased parameter name, with spans into this file. Key Vault
    /// `reference` parameters are Unknown with `secret: true`.
    pub values: HashMap<String, Val>,
    /// Why none of its values is known: the file could not be read or does not parse
    /// (its ER002/ER001 is reported separately). The template is still evaluated with it,
    /// every parameter Unknown: falling back to `defaultValue` would be a guess.
    pub unusable: Option<String>,
}

/// Read a parameter file for use: a file that cannot be read or does not parse is still
/// a parameter file (its name still pairs it with a template), with every value Unknown,
/// and the diagnostic that says why.
pub fn load_parameter_file(db: &SourceDb, file: FileId) -> (ParameterFile, Option<Diagnostic>) {
    load_parameter_read(db, file, db.read(file))
}

/// [`load_parameter_file`] on what reading the file gave (the driver's classification
/// reads a small file whole while it looks at how it starts).
pub fn load_parameter_read(
    db: &SourceDb,
    file: FileId,
    read: Result<Cow<'_, str>, ReadError>,
) -> (ParameterFile, Option<Diagnostic>) {
    match parse_parameter_read(file, read) {
        Ok(pf) => (pf, None),
        Err(d) => {
            let what = if d.code == "ER001" {
                "does not parse"
            } else {
                "cannot be read"
            };
            let pf = ParameterFile {
                file,
                template_hint: None,
                values: HashMap::new(),
                unusable: Some(format!("parameter file `{}` {what}", db.display(file))),
            };
            (pf, Some(d))
        }
    }
}

/// Parse a parameter file (`{"parameters": {"x": {"value": …}}}`). Values are literals:
/// Azure does not evaluate template expressions in parameter files, so a string that looks
/// like one is Unknown rather than taken at face value.
#[allow(
    clippy::result_large_err,
    reason = "the driver's API: a parse error is the file's one diagnostic"
)]
pub fn parse_parameter_file(db: &SourceDb, file: FileId) -> Result<ParameterFile, Diagnostic> {
    parse_parameter_read(file, db.read(file))
}

#[allow(
    clippy::result_large_err,
    reason = "the driver's API: a parse error is the file's one diagnostic"
)]
fn parse_parameter_read(
    file: FileId,
    read: Result<Cow<'_, str>, ReadError>,
) -> Result<ParameterFile, Diagnostic> {
    let read =
        read.map_err(|e| crate::core::unreadable_file(Span::new(file, 0, 0), e.to_string()))?;
    let text: &str = &read;
    let fixed = crate::jsonc::lone_surrogates_replaced(text);
    let text = fixed.as_deref().unwrap_or(text);
    let root = json::parse(text, file, "an ARM parameter file").map_err(|d| *d)?;
    let mut out = ParameterFile {
        file,
        template_hint: None,
        values: HashMap::new(),
        unusable: None,
    };
    let Some(obj) = root.as_object() else {
        return Ok(out);
    };
    out.template_hint = get_object(obj, "metadata")
        .and_then(|m| json::get_str(m, "template"))
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string);
    let Some(params) = get_object(obj, "parameters") else {
        return Ok(out);
    };
    for p in &params.properties {
        let name = p.name.as_str();
        let Some(entry) = p.value.as_object() else {
            continue;
        };
        let at = json::span_of(file, &p.value);
        let v = if let Some(v) = get(entry, "value") {
            json::literal_with(v, file, &|s| {
                matches!(
                    super::expr::classify(s),
                    super::expr::StrForm::Expression(_)
                )
            })
        } else if get(entry, "reference").is_some() {
            Val::unknown_with(
                Unknown {
                    reason: format!("parameter `{name}` is a Key Vault reference"),
                    refers_to: None,
                    secret: true,
                    symbol: None,
                },
                Some(at),
            )
        } else {
            continue;
        };
        out.values.insert(name.to_ascii_lowercase(), v);
    }
    Ok(out)
}

/// The `metadata.template` of a parameter file's text (the template it is for, relative to
/// the parameter file), if it parses and names one.
pub fn template_hint(text: &str) -> Option<String> {
    let fixed = crate::jsonc::lone_surrogates_replaced(text);
    let text = fixed.as_deref().unwrap_or(text);
    let root = json::parse(text, FileId(0), "an ARM parameter file").ok()?;
    let obj = root.as_object()?;
    get_object(obj, "metadata")
        .and_then(|m| json::get_str(m, "template"))
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
}

/// Lexically normalised path (`a/./b/../c` → `a/c`).
fn normalize(p: &Path) -> PathBuf {
    // At most as long as `p`: one allocation, not one per component pushed.
    let mut out = PathBuf::with_capacity(p.as_os_str().len());
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn file_name(p: &Path) -> Option<String> {
    p.file_name().and_then(|n| n.to_str()).map(str::to_string)
}

/// How well parameter file name `p` belongs to template file name `t` by convention (both
/// lower-cased, in the same directory), best first; `None` when it does not:
/// `X.json` + `X.parameters.json` or `X.parameters.<env>.json` (also `.jsonc`); then
/// `X.<env>.parameters.json`, which a template named `X.<env>.json` beside it would claim
/// (the longer stem wins).
fn convention_match(t: &str, p: &str) -> Option<(bool, usize)> {
    // A Bicep template pairs like its compiled JSON: `main.bicep` + `main.parameters.json`.
    let stem = t
        .strip_suffix(".json")
        .or_else(|| t.strip_suffix(".jsonc"))
        .or_else(|| t.strip_suffix(".bicep"))?;
    let rest = p.strip_prefix(stem)?;
    fn json_end(r: &str) -> Option<&str> {
        r.strip_suffix(".json").or_else(|| r.strip_suffix(".jsonc"))
    }
    if let Some(after) = rest.strip_prefix(".parameters")
        && let Some(env) = json_end(after)
        && (env.is_empty() || env.len() > 1 && env.starts_with('.'))
    {
        return Some((true, stem.len()));
    }
    // `.<env>.parameters`, the environment not empty.
    let env = json_end(rest)?
        .strip_suffix(".parameters")?
        .strip_prefix('.')?;
    (!env.is_empty() && !env.starts_with('.') && !env.ends_with('.')).then_some((false, stem.len()))
}

fn lower_name(p: &Path) -> Option<String> {
    file_name(p).map(|n| n.to_ascii_lowercase())
}

/// Normalised paths (as bytes) to what is there, hashed with foldhash (seeded per process).
type Paths<V> = HashMap<OsString, V, foldhash::fast::RandomState>;

/// Which parameter files belong to which template.
///
/// Returned indexes point into `explicit` when it is non-empty (then every template gets
/// all of them, in the order given), otherwise into `params`. A parameter file whose
/// `metadata.template` names a template (relative to the parameter file) belongs to that
/// template only; the others pair by convention with a template in the same directory
/// (`X.json` ↔ `X.parameters.json` and `X.parameters.*.json`). Lists are sorted by path.
/// Templates with no parameter file are absent from the map.
pub fn pair_parameter_files(
    templates: &[(FileId, &Path)],
    params: &[(&ParameterFile, &Path)],
    explicit: &[&ParameterFile],
) -> HashMap<FileId, Vec<usize>> {
    let mut out: HashMap<FileId, Vec<usize>> = HashMap::new();
    if !explicit.is_empty() {
        for (t, _) in templates {
            out.insert(*t, (0..explicit.len()).collect());
        }
        return out;
    }
    // Templates by normalised path (the first of equal paths), and by its lower case for
    // a hint that differs in case only (built on the first miss). Normalised paths are
    // keyed by their bytes: equal as paths when equal as bytes, and hashed at once rather
    // than a component at a time.
    // Also templates by directory, for the naming conventions (one lookup per parameter
    // file): a file's normalised directory is its normalised path's parent.
    let mut by_path: Paths<FileId> = Paths::default();
    let mut by_dir: Paths<Vec<(FileId, String)>> = Paths::default();
    for (id, p) in templates {
        let path = normalize(p);
        if let Some(name) = lower_name(p) {
            let dir = path.parent().unwrap_or(Path::new(""));
            by_dir
                .entry(dir.as_os_str().to_os_string())
                .or_default()
                .push((*id, name));
        }
        by_path.entry(path.into_os_string()).or_insert(*id);
    }
    let mut by_lower: Option<HashMap<String, FileId>> = None;
    for (i, (pf, ppath)) in params.iter().enumerate() {
        let by_hint = pf.template_hint.as_ref().and_then(|hint| {
            let hint = hint.replace('\\', "/");
            let target = normalize(&ppath.parent().unwrap_or(Path::new("")).join(hint));
            by_path.get(target.as_os_str()).copied().or_else(|| {
                let lower = by_lower.get_or_insert_with(|| {
                    let mut m = HashMap::new();
                    for (id, p) in templates {
                        m.entry(normalize(p).to_string_lossy().to_lowercase())
                            .or_insert(*id);
                    }
                    m
                });
                lower.get(&target.to_string_lossy().to_lowercase()).copied()
            })
        });
        match by_hint {
            Some(t) => out.entry(t).or_default().push(i),
            None => {
                let dir = normalize(ppath.parent().unwrap_or(Path::new("")));
                let (Some(siblings), Some(pname)) =
                    (by_dir.get(dir.as_os_str()), lower_name(ppath))
                else {
                    continue;
                };
                // The templates it matches best (`main.bicep` and its compiled
                // `main.json` match alike).
                let ranked = siblings
                    .iter()
                    .filter_map(|(t, tname)| Some((*t, convention_match(tname, &pname)?)));
                let best = ranked.clone().map(|(_, rank)| rank).max();
                for (t, rank) in ranked {
                    if Some(rank) == best {
                        out.entry(t).or_default().push(i);
                    }
                }
            }
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| {
            let pa = params.get(*a).map(|p| p.1);
            let pb = params.get(*b).map(|p| p.1);
            pa.cmp(&pb)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pf(db: &mut SourceDb, name: &str, text: &str) -> ParameterFile {
        let id = db.add_text(name, text);
        parse_parameter_file(db, id).unwrap()
    }

    #[test]
    fn values_references_and_hints() {
        let mut db = SourceDb::new(0);
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "template": "../templates/er.json" },
  "parameters": {
    "CircuitName": { "value": "er-ams" },
    "sharedKey": { "reference": { "keyVault": { "id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/kv" }, "secretName": "bgp" } },
    "loc": { "value": "[resourceGroup().location]" },
    "nested": { "value": { "a": [1, "10.0.0.0/30"] } }
  }
}"#;
        let p = pf(&mut db, "p/er.parameters.json", text);
        assert_eq!(p.template_hint.as_deref(), Some("../templates/er.json"));
        let name = &p.values["circuitname"];
        assert_eq!(name.as_str(), Some("er-ams"));
        assert_eq!(&text[name.span.unwrap().range()], "\"er-ams\"");
        let key = p.values["sharedkey"].as_unknown().unwrap();
        assert!(key.secret);
        assert!(p.values["loc"].is_unknown());
        let nested = &p.values["nested"];
        let pref = &nested.get("a").unwrap().as_list().unwrap()[1];
        assert_eq!(&text[pref.span.unwrap().range()], "\"10.0.0.0/30\"");
    }

    #[test]
    fn broken_parameter_file_is_er001() {
        let mut db = SourceDb::new(0);
        let id = db.add_text("x.parameters.json", "{\"parameters\": {\"a\": }}");
        let e = parse_parameter_file(&db, id).unwrap_err();
        assert_eq!(e.code, "ER001");
        let id = db.add_text("y.parameters.json", "");
        assert!(parse_parameter_file(&db, id).is_err());
    }

    /// Same directory and a matching name, as the pairing checks it.
    fn convention(t: &Path, p: &Path) -> bool {
        normalize(t.parent().unwrap()) == normalize(p.parent().unwrap())
            && convention_match(&lower_name(t).unwrap(), &lower_name(p).unwrap()).is_some()
    }

    #[test]
    fn conventions() {
        let t = Path::new("infra/azuredeploy.json");
        assert!(convention(
            t,
            Path::new("infra/azuredeploy.parameters.json")
        ));
        assert!(convention(
            t,
            Path::new("infra/azuredeploy.parameters.prod.json")
        ));
        assert!(convention(
            t,
            Path::new("infra/./AzureDeploy.Parameters.dev.jsonc")
        ));
        assert!(!convention(
            t,
            Path::new("other/azuredeploy.parameters.json")
        ));
        assert!(!convention(
            t,
            Path::new("infra/azuredeploy2.parameters.json")
        ));
        assert!(!convention(
            t,
            Path::new("infra/azuredeploy.parameters..json")
        ));
        assert!(convention(
            Path::new("main.json"),
            Path::new("main.parameters.json")
        ));
        assert!(convention(
            Path::new("main.bicep"),
            Path::new("main.parameters.prod.json")
        ));
        assert!(!convention(
            Path::new("main.bicep"),
            Path::new("main.bicepparam")
        ));
        // The environment before `.parameters`.
        assert!(convention(
            t,
            Path::new("infra/azuredeploy.prod.parameters.json")
        ));
        assert!(convention(
            Path::new("main.bicep"),
            Path::new("Main.Dev.Parameters.jsonc")
        ));
        for not in [
            "infra/azuredeploy..parameters.json",
            "infra/azuredeploy.prod..parameters.json",
            "infra/azuredeployprod.parameters.json",
            "infra/azuredeploy.prod.parameters.txt.json",
        ] {
            assert!(!convention(t, Path::new(not)), "{not}");
        }
    }

    /// `X.<env>.parameters.json` pairs with `X.json`, unless `X.<env>.json` is beside it,
    /// which it then names in the usual way; the longest stem wins among the other forms.
    #[test]
    fn an_environment_before_parameters_pairs_with_the_most_specific_template() {
        let mut db = SourceDb::new(0);
        let names = [
            "infra/er.prod.parameters.json",
            "infra/er.eu.prod.parameters.json",
            "infra/main.prod.parameters.json",
            "infra/main.parameters.json",
        ];
        let files: Vec<ParameterFile> = names
            .iter()
            .map(|n| pf(&mut db, n, r#"{"parameters": {}}"#))
            .collect();
        let params: Vec<(&ParameterFile, &Path)> = files
            .iter()
            .zip(names)
            .map(|(f, n)| (f, Path::new(n)))
            .collect();
        let (er, er_eu, main, main_prod) = (FileId(100), FileId(101), FileId(102), FileId(103));
        let templates = [
            (er, Path::new("infra/er.json")),
            (er_eu, Path::new("infra/er.eu.json")),
            (main, Path::new("infra/main.json")),
            (main_prod, Path::new("infra/main.prod.json")),
        ];
        let m = pair_parameter_files(&templates, &params, &[]);
        assert_eq!(m[&er], vec![0]);
        assert_eq!(m[&er_eu], vec![1]);
        assert_eq!(m[&main], vec![3]);
        assert_eq!(m[&main_prod], vec![2]);
    }

    #[test]
    fn pairing_by_hint_then_convention_then_explicit() {
        let mut db = SourceDb::new(0);
        let hinted = pf(
            &mut db,
            "params/prod.json",
            r#"{"metadata": {"template": "../infra/er.json"}, "parameters": {}}"#,
        );
        let dev = pf(
            &mut db,
            "infra/er.parameters.dev.json",
            r#"{"parameters": {}}"#,
        );
        let main = pf(
            &mut db,
            "infra/main.parameters.json",
            r#"{"parameters": {}}"#,
        );
        let t_er = FileId(100);
        let t_main = FileId(101);
        let templates = [
            (t_er, Path::new("infra/er.json")),
            (t_main, Path::new("infra/main.json")),
        ];
        let params = [
            (&hinted, Path::new("params/prod.json")),
            (&dev, Path::new("infra/er.parameters.dev.json")),
            (&main, Path::new("infra/main.parameters.json")),
        ];
        let m = pair_parameter_files(&templates, &params, &[]);
        assert_eq!(m[&t_er], vec![1, 0]);
        assert_eq!(m[&t_main], vec![2]);
        let m = pair_parameter_files(&templates, &params, &[&dev]);
        assert_eq!(m[&t_er], vec![0]);
        assert_eq!(m[&t_main], vec![0]);
    }
}

//! `.erlint.toml` (SPEC §5): found in the current directory or the nearest parent, or
//! named by `--config FILE` or `ERLINT_CONFIG`. Precedence: command line > config file >
//! defaults. Unknown keys and bad values stop the run (exit 2) with a miette report
//! pointing at the exact bytes in the file.
//!
//! ```toml
//! fail_on = "warning"                 # error | warning | info
//! exclude = ["**/generated/**"]       # globs, like --exclude
//! max_file_size = "10 MiB"            # bytes, or a string with KB/MB/KiB/MiB
//!
//! [rules]                             # id or prefix → off | info | warning | error
//! ER205 = "off"
//! ER3 = "error"
//!
//! [terraform]
//! var_files = ["env/prod.tfvars"]     # after the automatic tfvars, before --var-file
//! subscription_from_env = true        # CI sets ARM_SUBSCRIPTION_ID: ER101 off
//!
//! [arm.parameter_files]               # template → parameter files (instead of the convention)
//! "arm/circuit.json" = ["arm/circuit.prod.parameters.json"]
//!
//! [subscriptions]
//! office365 = true
//!
//! [connectivity]
//! carrier_tag = "carrier"
//!
//! [catalog]
//! extra = "erlint-catalog.json"       # docs/catalog-extra.md
//! ```
//!
//! Paths are relative to the configuration file's directory.

use crate::catalog::Catalog;
use crate::diagnostic::Severity;
use crate::error::FileError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

pub const FILE_NAME: &str = ".erlint.toml";
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// The most a configuration found in the scanned tree may raise `max_file_size` to: it
/// comes with the code under review. One given with `--config` or `ERLINT_CONFIG` (the
/// pipeline's own) may set any size, or 0 for no limit.
pub const REPOSITORY_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// The size limit of the run: the configuration's, within [`REPOSITORY_MAX_FILE_SIZE`]
/// (0, no limit, included) when the configuration was found in the tree.
pub fn max_file_size(cfg: &Config) -> u64 {
    let Some(s) = &cfg.max_file_size else {
        return DEFAULT_MAX_FILE_SIZE;
    };
    let pinned = matches!(cfg.found_by, Some(Origin::Cli(_) | Origin::Env(_)));
    if pinned || (1..=REPOSITORY_MAX_FILE_SIZE).contains(&s.value) {
        s.value
    } else {
        REPOSITORY_MAX_FILE_SIZE
    }
}

/// A rule level in `[rules]`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Size {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    fail_on: Option<Spanned<Severity>>,
    exclude: Option<Vec<Spanned<String>>>,
    max_file_size: Option<Spanned<Size>>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<Level>>>,
    terraform: Option<RawTerraform>,
    arm: Option<RawArm>,
    subscriptions: Option<RawSubscriptions>,
    connectivity: Option<RawConnectivity>,
    catalog: Option<RawCatalog>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerraform {
    var_files: Option<Vec<Spanned<String>>>,
    subscription_from_env: Option<Spanned<bool>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArm {
    parameter_files: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubscriptions {
    office365: Option<Spanned<bool>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConnectivity {
    carrier_tag: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    extra: Option<Spanned<String>>,
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// The config file (shown path) and 1-based line.
    File(String, usize),
    Cli(&'static str),
    Env(&'static str),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(p, l) => write!(f, "{p}:{l}"),
            Origin::Cli(flag) => write!(f, "command line ({flag})"),
            Origin::Env(var) => write!(f, "environment ({var})"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    fn new(value: T, origin: Origin) -> Sourced<T> {
        Sourced { value, origin }
    }
}

/// A loaded and validated configuration file (command line not applied yet).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file, as found (None: no configuration file).
    pub path: Option<PathBuf>,
    /// How the file was found.
    pub found_by: Option<Origin>,
    pub fail_on: Option<Sourced<Severity>>,
    pub exclude: Vec<Sourced<String>>,
    pub max_file_size: Option<Sourced<u64>>,
    /// `(id or prefix, level)`, in file order of keys (sorted).
    pub rules: Vec<Sourced<(String, Level)>>,
    pub var_files: Vec<Sourced<PathBuf>>,
    pub subscription_from_env: Option<Sourced<bool>>,
    pub parameter_files: Vec<Sourced<(PathBuf, Vec<PathBuf>)>>,
    pub office365: Option<Sourced<bool>>,
    pub carrier_tag: Option<Sourced<String>>,
    pub catalog_extra: Option<Sourced<PathBuf>>,
    /// The bundled catalogue merged with `catalog.extra`.
    pub catalog: Option<Arc<Catalog>>,
}

/// Find the configuration file: `--config`, else `ERLINT_CONFIG`, else `.erlint.toml` in
/// `cwd` or its nearest parent.
pub fn locate(cli: Option<&Path>, cwd: &Path) -> Result<Option<(PathBuf, Origin)>, FileError> {
    if let Some(p) = cli {
        if !p.is_file() {
            return Err(config_missing(p, "--config"));
        }
        return Ok(Some((p.to_path_buf(), Origin::Cli("--config"))));
    }
    if let Some(p) = std::env::var_os("ERLINT_CONFIG").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(p);
        if !p.is_file() {
            return Err(config_missing(&p, "ERLINT_CONFIG"));
        }
        return Ok(Some((p, Origin::Env("ERLINT_CONFIG"))));
    }
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(Some((candidate, Origin::Default)));
        }
        dir = d.parent();
    }
    Ok(None)
}

fn config_missing(p: &Path, via: &str) -> FileError {
    let why = match std::fs::metadata(p) {
        Ok(_) => "is not a regular file".to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "does not exist".to_string(),
        Err(e) => format!("cannot be read: {e}"),
    };
    FileError::plain(format!(
        "configuration file `{}` (from {via}) {why}",
        p.display()
    ))
    .with_code("erlint::config::missing")
}

/// Load the file found by [`locate`]; `shown` is how paths are displayed.
pub fn load(path: &Path, found_by: Origin, cwd: &Path) -> Result<Config, FileError> {
    let shown = crate::discover::display_path(path, cwd);
    let text = std::fs::read_to_string(path).map_err(|e| {
        FileError::plain(format!("cannot read configuration `{shown}`: {e}"))
            .with_code("erlint::config::unreadable")
    })?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse(&text, &shown, &dir, cwd).map(|mut c| {
        c.path = Some(path.to_path_buf());
        c.found_by = Some(found_by);
        c
    })
}

/// Parse and validate configuration text. `dir` is the directory paths are relative to.
pub fn parse(text: &str, shown: &str, dir: &Path, cwd: &Path) -> Result<Config, FileError> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let msg = e.message().trim().to_string();
        let label = if msg.starts_with("unknown field") {
            "unknown key"
        } else {
            "here"
        };
        let help = if msg.starts_with("unknown field") {
            "the keys are described in the README's Configuration section; `erlint config` prints the effective configuration"
        } else {
            "see the README's Configuration section"
        };
        FileError::at(shown, text, range, format!("invalid configuration: {msg}"), label)
            .with_code("erlint::config::invalid")
            .with_help(help)
    })?;
    let line_of = |offset: usize| {
        text.get(..offset.min(text.len()))
            .map_or(1, |s| s.matches('\n').count() + 1)
    };
    let at = |span: std::ops::Range<usize>| Origin::File(shown.to_string(), line_of(span.start));
    let err = |span: std::ops::Range<usize>, msg: String, label: &str| {
        FileError::at(shown, text, span, msg, label).with_code("erlint::config::invalid")
    };
    let rel = |p: &str| {
        let p = Path::new(p);
        if p.is_absolute() || dir == Path::new(".") {
            p.to_path_buf()
        } else {
            dir.join(p)
        }
    };

    let mut c = Config {
        fail_on: raw
            .fail_on
            .map(|s| Sourced::new(*s.get_ref(), at(s.span()))),
        ..Config::default()
    };
    for g in raw.exclude.unwrap_or_default() {
        if let Err(e) = globset::Glob::new(g.get_ref()) {
            return Err(err(
                g.span(),
                format!("invalid glob in `exclude`: {e}"),
                "this pattern",
            ));
        }
        c.exclude
            .push(Sourced::new(g.get_ref().clone(), at(g.span())));
    }
    if let Some(s) = raw.max_file_size {
        let bytes = match s.get_ref() {
            Size::Bytes(b) => Some(*b),
            Size::Text(t) => parse_size(t),
        };
        match bytes {
            Some(b) => c.max_file_size = Some(Sourced::new(b, at(s.span()))),
            None => {
                return Err(err(
                    s.span(),
                    "`max_file_size` is not a size".into(),
                    "expected a number of bytes or a size like \"10 MiB\"",
                ));
            }
        }
    }
    for (k, v) in raw.rules.unwrap_or_default() {
        let id = k.get_ref().trim().to_ascii_uppercase();
        if let Some(problem) = rule_key_problem(&id) {
            return Err(err(k.span(), problem, "in `[rules]`").with_help(
                "use a rule id (`ER301`) or an id prefix (`ER3`); `erlint rules` lists them",
            ));
        }
        if crate::rules::is_gate(&id) && *v.get_ref() != Level::Error {
            return Err(err(
                v.span(),
                format!("`{id}` cannot be turned off or lowered"),
                "a file erlint cannot check never passes the gate",
            )
            .with_help("exclude the file instead (`exclude = [\"path/**\"]`)"));
        }
        c.rules.push(Sourced::new((id, *v.get_ref()), at(k.span())));
    }
    if let Some(tf) = raw.terraform {
        for f in tf.var_files.unwrap_or_default() {
            let p = rel(f.get_ref());
            if !p.is_file() {
                return Err(err(
                    f.span(),
                    format!("`terraform.var_files`: `{}` does not exist", f.get_ref()),
                    "no such file (paths are relative to this configuration file)",
                ));
            }
            c.var_files.push(Sourced::new(p, at(f.span())));
        }
        c.subscription_from_env = tf
            .subscription_from_env
            .map(|s| Sourced::new(*s.get_ref(), at(s.span())));
    }
    if let Some(arm) = raw.arm {
        for (template, files) in arm.parameter_files.unwrap_or_default() {
            let t = rel(template.get_ref());
            if !t.is_file() {
                return Err(err(
                    template.span(),
                    format!(
                        "`arm.parameter_files`: template `{}` does not exist",
                        template.get_ref()
                    ),
                    "no such file (paths are relative to this configuration file)",
                ));
            }
            let mut list = Vec::new();
            for f in files {
                let p = rel(f.get_ref());
                if !p.is_file() {
                    return Err(err(
                        f.span(),
                        format!(
                            "`arm.parameter_files`: parameter file `{}` does not exist",
                            f.get_ref()
                        ),
                        "no such file (paths are relative to this configuration file)",
                    ));
                }
                list.push(p);
            }
            c.parameter_files
                .push(Sourced::new((t, list), at(template.span())));
        }
    }
    if let Some(s) = raw.subscriptions {
        c.office365 = s
            .office365
            .map(|v| Sourced::new(*v.get_ref(), at(v.span())));
    }
    if let Some(t) = raw.connectivity.and_then(|c| c.carrier_tag) {
        if t.get_ref().trim().is_empty() {
            return Err(err(
                t.span(),
                "`connectivity.carrier_tag` is empty".into(),
                "a tag name, e.g. \"carrier\"",
            ));
        }
        c.carrier_tag = Some(Sourced::new(t.get_ref().trim().to_string(), at(t.span())));
    }
    if let Some(cat) = raw.catalog
        && let Some(extra) = cat.extra
    {
        let p = rel(extra.get_ref());
        let key_err = |msg: String, label: &str| err(extra.span(), msg, label);
        let extra_text = std::fs::read_to_string(&p).map_err(|e| {
            key_err(
                format!("`catalog.extra`: cannot read `{}`: {e}", extra.get_ref()),
                "this file (relative to this configuration file)",
            )
        })?;
        let extra_shown = crate::discover::display_path(&p, cwd);
        let merged = Catalog::bundled().with_extra(&extra_text).map_err(|msg| {
            extra_error(&extra_shown, &extra_text, &msg).with_related(key_err(
                "the extra catalogue is named here".into(),
                "catalog.extra",
            ))
        })?;
        c.catalog = Some(Arc::new(merged));
        c.catalog_extra = Some(Sourced::new(p, at(extra.span())));
    }
    Ok(c)
}

/// Why a `[rules]` key is not acceptable, if it is not.
pub fn rule_key_problem(id: &str) -> Option<String> {
    let digits = id.strip_prefix("ER").unwrap_or("x");
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 3 {
        return Some(format!("`{id}` is not a rule id or prefix"));
    }
    if digits.len() < 3
        && !crate::rules::RULES
            .iter()
            .any(|r| r.meta().id.starts_with(id))
    {
        return Some(format!("`{id}` matches no erlint rule"));
    }
    if digits.len() == 3 && crate::rules::find(id).is_none() {
        let best = crate::rules::RULES
            .iter()
            .map(|r| r.meta().id)
            .min_by_key(|r| strsim::levenshtein(r, id))
            .filter(|b| strsim::levenshtein(b, id) <= 1);
        return Some(match best {
            Some(b) => format!("`{id}` is not an erlint rule (did you mean `{b}`?)"),
            None => format!("`{id}` is not an erlint rule"),
        });
    }
    None
}

/// Point a `Catalog::with_extra` error into the extra file: a serde position
/// (`… at line L column C`) or an entry path (`partners[0].locations.global[1]: …`).
fn extra_error(shown: &str, text: &str, msg: &str) -> FileError {
    let code = "erlint::config::catalog_extra";
    if let Some((_, pos)) = msg.rsplit_once(" at line ")
        && let Some((l, c)) = pos.split_once(" column ")
        && let (Ok(l), Ok(c)) = (l.trim().parse::<usize>(), c.trim().parse::<usize>())
    {
        let off = crate::error::offset_of_line_col(text, l, c);
        let short = msg.rsplit_once(" at line ").map_or(msg, |(m, _)| m);
        return FileError::at(
            shown,
            text,
            off.saturating_sub(1)..off,
            format!("invalid extra catalogue: {short}"),
            "here",
        )
        .with_code(code)
        .with_help("the format is described in docs/catalog-extra.md");
    }
    let path = msg.split(": ").next().unwrap_or("");
    let range = json_path_range(text, path);
    match range {
        Some(r) => FileError::at(
            shown,
            text,
            r,
            format!("invalid extra catalogue: {msg}"),
            "this entry",
        ),
        None => FileError::at(
            shown,
            text,
            0..0,
            format!("invalid extra catalogue: {msg}"),
            "in this file",
        ),
    }
    .with_code(code)
    .with_help("the format is described in docs/catalog-extra.md")
}

/// The byte range of `partners[0].locations.global[1]` (or the nearest prefix of it that
/// exists) in a JSON text.
fn json_path_range(text: &str, path: &str) -> Option<std::ops::Range<usize>> {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    if path.is_empty() || path.contains(' ') {
        return None;
    }
    let parsed = jsonc_parser::parse_to_ast(
        text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    )
    .ok()?;
    let mut cur = parsed.value?;
    let mut best = None;
    for seg in path.split('.') {
        let (name, indexes) = match seg.find('[') {
            Some(i) => (seg.get(..i)?, seg.get(i..)?),
            None => (seg, ""),
        };
        if !name.is_empty() {
            let Value::Object(o) = cur else { break };
            let Some(p) = o.properties.into_iter().find(|p| p.name.as_str() == name) else {
                break;
            };
            best = Some(p.value.range());
            cur = p.value;
        }
        for ix in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            let i: usize = ix.parse().ok()?;
            let Value::Array(a) = cur else {
                return best.map(|r| r.start..r.end);
            };
            let Some(e) = a.elements.into_iter().nth(i) else {
                return best.map(|r| r.start..r.end);
            };
            best = Some(e.range());
            cur = e;
        }
    }
    best.map(|r| r.start..r.end)
}

/// `10 MiB`, `512KB`, `2000000`.
fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" => 1024,
        "mb" => 1_000_000,
        "mib" => 1024 * 1024,
        "gb" => 1_000_000_000,
        "gib" => 1024 * 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// What the command line says, for [`effective`] (only what the config can also set).
#[derive(Clone, Debug, Default)]
pub struct CliOverrides {
    pub fail_on: Option<Severity>,
    pub exclude: Vec<String>,
    pub var_files: Vec<PathBuf>,
    pub subscription_from_env: bool,
    /// `--select` and `--ignore`, which act beside `[rules]`.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The effective configuration as TOML with the origin of each value as a comment
/// (`erlint config`).
pub fn describe(c: &Config, cli: &CliOverrides, cwd: &Path) -> String {
    let mut out = String::new();
    let show = |p: &Path| crate::discover::display_path(p, cwd);
    let q = |s: &str| toml_string(s);
    let line = |out: &mut String, k: &str, v: String, o: &Origin| {
        let _ = writeln!(out, "{:<44} # {o}", format!("{k} = {v}"));
    };
    match (&c.path, &c.found_by) {
        (Some(p), Some(by)) => {
            let how = match by {
                Origin::Default => "found from the current directory".to_string(),
                o => format!("from {o}"),
            };
            let _ = writeln!(out, "# configuration file: {} ({how})", show(p));
        }
        _ => {
            let _ = writeln!(
                out,
                "# no configuration file (no {FILE_NAME} here or in a parent directory)"
            );
        }
    }
    let _ = writeln!(
        out,
        "# precedence: command line > configuration file > defaults\n"
    );

    let (fail_on, o) = match (cli.fail_on, &c.fail_on) {
        (Some(s), _) => (s, Origin::Cli("--fail-on")),
        (None, Some(s)) => (s.value, s.origin.clone()),
        (None, None) => (Severity::Warning, Origin::Default),
    };
    line(&mut out, "fail_on", q(fail_on.as_str()), &o);
    let mut excl: Vec<(String, Origin)> = c
        .exclude
        .iter()
        .map(|e| (e.value.clone(), e.origin.clone()))
        .collect();
    excl.extend(
        cli.exclude
            .iter()
            .map(|e| (e.clone(), Origin::Cli("--exclude"))),
    );
    list(&mut out, "exclude", &excl);
    let (size, o) = match &c.max_file_size {
        Some(s) => (s.value, s.origin.clone()),
        None => (DEFAULT_MAX_FILE_SIZE, Origin::Default),
    };
    line(&mut out, "max_file_size", size.to_string(), &o);

    let _ = writeln!(out, "\n[rules]");
    if c.rules.is_empty() {
        let _ = writeln!(out, "# every rule at its default severity (`erlint rules`)");
    }
    for r in &c.rules {
        line(&mut out, &r.value.0, q(r.value.1.as_str()), &r.origin);
    }
    if !cli.select.is_empty() {
        let _ = writeln!(
            out,
            "# --select: only {} (and the ER0 rules) run",
            cli.select.join(", ")
        );
    }
    for id in &cli.ignore {
        line(&mut out, id, q("off"), &Origin::Cli("--ignore"));
    }
    let _ = writeln!(
        out,
        "# {} always run at error: a file erlint cannot check never passes",
        crate::rules::gate_ids().join(", ")
    );

    let _ = writeln!(out, "\n[terraform]");
    let mut vf: Vec<(String, Origin)> = c
        .var_files
        .iter()
        .map(|v| (show(&v.value), v.origin.clone()))
        .collect();
    vf.extend(
        cli.var_files
            .iter()
            .map(|v| (show(v), Origin::Cli("--var-file"))),
    );
    list(&mut out, "var_files", &vf);
    let env_sub = std::env::var("ARM_SUBSCRIPTION_ID").is_ok_and(|v| !v.trim().is_empty());
    let (sub, o) = if cli.subscription_from_env {
        (true, Origin::Cli("--subscription-from-env"))
    } else if let Some(s) = c.subscription_from_env.as_ref().filter(|s| s.value) {
        (true, s.origin.clone())
    } else if env_sub {
        (true, Origin::Env("ARM_SUBSCRIPTION_ID"))
    } else if let Some(s) = &c.subscription_from_env {
        (s.value, s.origin.clone())
    } else {
        (false, Origin::Default)
    };
    line(&mut out, "subscription_from_env", sub.to_string(), &o);

    let _ = writeln!(out, "\n[arm.parameter_files]");
    if c.parameter_files.is_empty() {
        let _ = writeln!(
            out,
            "# none: parameter files are paired by convention (X.parameters.json, metadata.template)"
        );
    }
    for p in &c.parameter_files {
        let files: Vec<String> = p.value.1.iter().map(|f| q(&show(f))).collect();
        line(
            &mut out,
            &q(&show(&p.value.0)),
            format!("[{}]", files.join(", ")),
            &p.origin,
        );
    }

    let _ = writeln!(out, "\n[subscriptions]");
    let (o365, o) = match &c.office365 {
        Some(s) => (s.value, s.origin.clone()),
        None => (false, Origin::Default),
    };
    line(&mut out, "office365", o365.to_string(), &o);

    let _ = writeln!(out, "\n[connectivity]");
    let (tag, o) = match &c.carrier_tag {
        Some(s) => (s.value.clone(), s.origin.clone()),
        None => ("carrier".to_string(), Origin::Default),
    };
    line(&mut out, "carrier_tag", q(&tag), &o);

    let _ = writeln!(out, "\n[catalog]");
    match &c.catalog_extra {
        Some(e) => line(&mut out, "extra", q(&show(&e.value)), &e.origin),
        None => {
            let _ = writeln!(
                out,
                "# no extra entries: the bundled catalogue as of {}",
                Catalog::bundled().as_of()
            );
        }
    }
    out
}

fn list(out: &mut String, key: &str, items: &[(String, Origin)]) {
    if items.is_empty() {
        let _ = writeln!(out, "{:<44} # default", format!("{key} = []"));
        return;
    }
    let _ = writeln!(out, "{key} = [");
    for (v, o) in items {
        let _ = writeln!(out, "{:<44} # {o}", format!("  {},", toml_string(v)));
    }
    let _ = writeln!(out, "]");
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;

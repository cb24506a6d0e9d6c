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
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::de::DeValue;

mod read;
use read::Reader;

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
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
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

/// `erlint init`: every setting, commented out at its default, with what it does.
pub fn template() -> &'static str {
    r#"# erlint configuration: https://github.com/erlint/erlint#configuration
# Every setting is shown at its default; uncomment what you change. The command line wins
# over this file. Paths are relative to this file. `erlint config` prints what is in effect.

# Lowest severity that fails the run: "error", "warning" or "info" (--fail-on).
# fail_on = "warning"

# Globs of paths not to lint, added to --exclude.
# exclude = ["**/generated/**"]

# Larger files are not read (ER002): bytes, or "N KiB/MiB/KB/MB"; 0 for no limit.
# max_file_size = "10 MiB"

# Rule id, name or id prefix -> "off", "info", "warning" or "error"; the longest
# matching key wins (`erlint rules` lists them).
[rules]
# ER205 = "off"
# single-bgp-session = "error"
# ER4 = "warning"

[terraform]
# Variable definitions files, after the automatic tfvars and before --var-file/--var.
# var_files = ["env/prod.tfvars"]
# The pipeline sets ARM_SUBSCRIPTION_ID: no provider needs a subscription_id (ER101 off).
# subscription_from_env = false

# ARM template -> its parameter files, instead of pairing by name or metadata.template
# (--parameters wins over this).
[arm.parameter_files]
# "arm/circuit.json" = ["arm/circuit.prod.parameters.json"]

[subscriptions]
# The subscription is authorized for Microsoft 365 over ExpressRoute (ER104).
# office365 = false

[connectivity]
# The circuit tag naming the carrier behind an exchange (ER204).
# carrier_tag = "carrier"

[catalog]
# Partners and locations the bundled catalogue lacks (docs/catalog-extra.md).
# extra = "erlint-catalog.json"
"#
}

/// The keys of each table, for unknown-key errors and their suggestions.
const TOP_KEYS: &[&str] = &[
    "fail_on",
    "exclude",
    "max_file_size",
    "rules",
    "terraform",
    "arm",
    "subscriptions",
    "connectivity",
    "catalog",
];
const SEVERITIES: &[&str] = &["error", "warning", "info"];
const LEVELS: &[&str] = &["off", "info", "warning", "error"];
const MISSING_FILE: &str = "no such file (paths are relative to this configuration file)";

/// Parse and validate configuration text. `dir` is the directory paths are relative to.
/// Every problem is reported, each at its place: the first as the error, the others
/// related to it.
pub fn parse(text: &str, shown: &str, dir: &Path, cwd: &Path) -> Result<Config, FileError> {
    let mut r = Reader::new(text, shown);
    let (doc, syntax) = toml::de::DeTable::parse_recoverable(text);
    for e in &syntax {
        r.error(
            e.span().unwrap_or(0..0),
            format!("invalid TOML: {}", e.message().trim()),
            "here",
        )
        .help = Some("see the README's Configuration section".into());
    }
    if r.has_errors() {
        // A tree recovered from broken syntax would give errors of its own.
        return r.finish(Config::default());
    }
    let line_of = |offset: usize| {
        text.get(..offset.min(text.len()))
            .map_or(1, |s| s.matches('\n').count() + 1)
    };
    let at = |span: &Range<usize>| Origin::File(shown.to_string(), line_of(span.start));
    let rel = |p: &str| {
        let p = Path::new(p);
        if p.is_absolute() || dir == Path::new(".") {
            p.to_path_buf()
        } else {
            dir.join(p)
        }
    };

    let mut c = Config::default();
    for (key, v) in r.known(doc.get_ref(), None, TOP_KEYS) {
        match key {
            "fail_on" => {
                if let Some((i, span)) = r.choice("fail_on", v, SEVERITIES)
                    && let Some(sev) = SEVERITIES.get(i).and_then(|s| Severity::parse(s))
                {
                    c.fail_on = Some(Sourced::new(sev, at(&span)));
                }
            }
            "exclude" => read_exclude(&mut r, v, &mut c, &at),
            "max_file_size" => read_max_file_size(&mut r, v, &mut c, &at),
            "rules" => read_rules(&mut r, v, &mut c, &at),
            "terraform" => read_terraform(&mut r, v, &mut c, &at, &rel),
            "arm" => {
                let Some(t) = r.table("arm", v) else { continue };
                for (_, v) in r.known(t, Some("arm"), &["parameter_files"]) {
                    read_parameter_files(&mut r, v, &mut c, &at, &rel);
                }
            }
            "subscriptions" => {
                let Some(t) = r.table("subscriptions", v) else {
                    continue;
                };
                for (_, v) in r.known(t, Some("subscriptions"), &["office365"]) {
                    c.office365 = r
                        .bool("subscriptions.office365", v)
                        .map(|(b, span)| Sourced::new(b, at(&span)));
                }
            }
            "connectivity" => read_connectivity(&mut r, v, &mut c, &at),
            "catalog" => {
                let Some(t) = r.table("catalog", v) else {
                    continue;
                };
                for (_, v) in r.known(t, Some("catalog"), &["extra"]) {
                    let Some((extra, span)) = r.string("catalog.extra", v) else {
                        continue;
                    };
                    read_extra(&mut r, &extra, span, &rel(&extra), cwd, &mut c, &at);
                }
            }
            _ => {}
        }
    }
    r.finish(c)
}

/// `exclude`: globs.
fn read_exclude(
    r: &mut Reader<'_>,
    v: &toml::Spanned<DeValue<'_>>,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
) {
    for (g, span) in r.strings("exclude", v) {
        if let Err(e) = globset::Glob::new(&g) {
            r.error(
                span,
                format!("invalid glob in `exclude`: {e}"),
                "this pattern",
            );
            continue;
        }
        c.exclude.push(Sourced::new(g, at(&span)));
    }
}

/// `max_file_size`: bytes, or a size like "10 MiB".
fn read_max_file_size(
    r: &mut Reader<'_>,
    v: &toml::Spanned<DeValue<'_>>,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
) {
    let bytes = match v.get_ref() {
        DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok(),
        DeValue::String(t) => parse_size(t),
        _ => None,
    };
    match bytes {
        Some(b) => c.max_file_size = Some(Sourced::new(b, at(&v.span()))),
        None => {
            r.error(
                v.span(),
                "`max_file_size` is not a size".into(),
                "expected a number of bytes or a size like \"10 MiB\"",
            );
        }
    }
}

/// `[terraform]`: `var_files` (each must exist) and `subscription_from_env`.
fn read_terraform(
    r: &mut Reader<'_>,
    v: &toml::Spanned<DeValue<'_>>,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
    rel: &dyn Fn(&str) -> PathBuf,
) {
    let Some(t) = r.table("terraform", v) else {
        return;
    };
    let keys = ["var_files", "subscription_from_env"];
    for (key, v) in r.known(t, Some("terraform"), &keys) {
        if key == "subscription_from_env" {
            c.subscription_from_env = r
                .bool("terraform.subscription_from_env", v)
                .map(|(b, span)| Sourced::new(b, at(&span)));
            continue;
        }
        for (f, span) in r.strings("terraform.var_files", v) {
            let p = rel(&f);
            if p.is_file() {
                c.var_files.push(Sourced::new(p, at(&span)));
            } else {
                r.error(
                    span,
                    format!("`terraform.var_files`: `{f}` does not exist"),
                    MISSING_FILE,
                );
            }
        }
    }
}

/// `[connectivity]`: `carrier_tag`.
fn read_connectivity(
    r: &mut Reader<'_>,
    v: &toml::Spanned<DeValue<'_>>,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
) {
    let Some(t) = r.table("connectivity", v) else {
        return;
    };
    for (_, v) in r.known(t, Some("connectivity"), &["carrier_tag"]) {
        let Some((tag, span)) = r.string("connectivity.carrier_tag", v) else {
            continue;
        };
        if tag.trim().is_empty() {
            r.error(
                span,
                "`connectivity.carrier_tag` is empty".into(),
                "a tag name, e.g. \"carrier\"",
            );
            continue;
        }
        c.carrier_tag = Some(Sourced::new(tag.trim().to_string(), at(&span)));
    }
}

/// `[rules]`: rule ids, names or id prefixes, each once, with a level.
fn read_rules(
    r: &mut Reader<'_>,
    v: &toml::Spanned<DeValue<'_>>,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
) {
    let Some(t) = r.table("rules", v) else {
        return;
    };
    // In file order, so that a repeated rule is reported where it is repeated.
    let mut entries: Vec<_> = t.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (k, v) in entries {
        let key: &str = k.get_ref();
        let id = match crate::rules::selector(key) {
            Ok(id) => id,
            Err(problem) => {
                r.error(k.span(), problem, "in `[rules]`").help = Some(
                    "use a rule id (`ER301`), a rule name (`single-bgp-session`) or an id prefix (`ER3`); `erlint rules` lists them"
                        .into(),
                );
                continue;
            }
        };
        if let Some(first) = c.rules.iter().find(|r| r.value.0 == id) {
            let first = first.origin.clone();
            let message = if key.eq_ignore_ascii_case(&id) {
                format!("`{id}` is set twice (first at {first})")
            } else {
                format!("`{key}` is `{id}`, which is set already (at {first})")
            };
            r.error(k.span(), message, "a second level for the same rule")
                .help = Some("keep one entry per rule".into());
            continue;
        }
        let Some((level, span)) = r.choice(&format!("rules.{key}"), v, LEVELS) else {
            continue;
        };
        let level = match level {
            0 => Level::Off,
            1 => Level::Info,
            2 => Level::Warning,
            _ => Level::Error,
        };
        if crate::rules::is_gate(&id) && level != Level::Error {
            r.error(
                span,
                format!("`{id}` cannot be turned off or lowered"),
                "a file erlint cannot check never passes the gate",
            )
            .help = Some("exclude the file instead (`exclude = [\"path/**\"]`)".into());
            continue;
        }
        c.rules.push(Sourced::new((id, level), at(&k.span())));
    }
    c.rules.sort_by(|a, b| a.value.0.cmp(&b.value.0));
}

/// `[arm.parameter_files]`: template → its parameter files, each of which must exist.
fn read_parameter_files(
    r: &mut Reader<'_>,
    v: &toml::Spanned<DeValue<'_>>,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
    rel: &dyn Fn(&str) -> PathBuf,
) {
    let Some(map) = r.table("arm.parameter_files", v) else {
        return;
    };
    for (template, files) in map.iter() {
        let name = template.get_ref().to_string();
        let t = rel(&name);
        if !t.is_file() {
            r.error(
                template.span(),
                format!("`arm.parameter_files`: template `{name}` does not exist"),
                MISSING_FILE,
            );
        }
        let mut list = Vec::new();
        for (f, span) in r.strings(&format!("arm.parameter_files.\"{name}\""), files) {
            let p = rel(&f);
            if p.is_file() {
                list.push(p);
            } else {
                r.error(
                    span,
                    format!("`arm.parameter_files`: parameter file `{f}` does not exist"),
                    MISSING_FILE,
                );
            }
        }
        c.parameter_files
            .push(Sourced::new((t, list), at(&template.span())));
    }
}

/// `catalog.extra`: the file read and merged into the bundled catalogue; its own errors
/// point into it, with the key that named it.
fn read_extra(
    r: &mut Reader<'_>,
    name: &str,
    span: Range<usize>,
    path: &Path,
    cwd: &Path,
    c: &mut Config,
    at: &dyn Fn(&Range<usize>) -> Origin,
) {
    let extra_text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            r.error(
                span,
                format!("`catalog.extra`: cannot read `{name}`: {e}"),
                "this file (relative to this configuration file)",
            );
            return;
        }
    };
    match Catalog::bundled().with_extra(&extra_text) {
        Ok(merged) => {
            c.catalog = Some(Arc::new(merged));
            c.catalog_extra = Some(Sourced::new(path.to_path_buf(), at(&span)));
        }
        Err(e) => {
            let shown = crate::discover::display_path(path, cwd);
            let named_here = FileError::at(
                r.shown,
                r.text,
                span,
                "the extra catalogue is named here",
                "catalog.extra",
            );
            r.push(extra_error(&shown, &extra_text, &e).with_related(named_here));
        }
    }
}

/// Point a `Catalog::with_extra` error into the extra file: at serde_json's position, or
/// at the entry it names (`partners[0].locations.global[1]`).
fn extra_error(shown: &str, text: &str, e: &crate::catalog::ExtraError) -> FileError {
    let msg = format!("invalid extra catalogue: {}", e.message);
    let (range, label) = match (e.position, &e.entry) {
        (Some((line, column)), _) => {
            let off = crate::error::offset_of_line_col(text, line, column);
            (off.saturating_sub(1)..off, "here")
        }
        (None, Some(path)) => match json_path_range(text, path) {
            Some(r) => (r, "this entry"),
            None => (0..0, "in this file"),
        },
        (None, None) => (0..0, "in this file"),
    };
    FileError::at(shown, text, range, msg, label)
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

    describe_rules(&mut out, c, cli);
    describe_terraform_arm(&mut out, c, cli, cwd);

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

/// `key = value  # origin`, for [`describe`].
fn line(out: &mut String, k: &str, v: String, o: &Origin) {
    let _ = writeln!(out, "{:<44} # {o}", format!("{k} = {v}"));
}

/// `[rules]` for [`describe`], with `--select` and `--ignore`.
fn describe_rules(out: &mut String, c: &Config, cli: &CliOverrides) {
    let q = |s: &str| toml_string(s);
    let _ = writeln!(out, "\n[rules]");
    if c.rules.is_empty() {
        let _ = writeln!(out, "# every rule at its default severity (`erlint rules`)");
    }
    for r in &c.rules {
        line(out, &r.value.0, q(r.value.1.as_str()), &r.origin);
    }
    if !cli.select.is_empty() {
        let _ = writeln!(
            out,
            "# --select: only {} (and the ER0 rules) run",
            cli.select.join(", ")
        );
    }
    for id in &cli.ignore {
        line(out, id, q("off"), &Origin::Cli("--ignore"));
    }
    let _ = writeln!(
        out,
        "# {} always run at error: a file erlint cannot check never passes",
        crate::rules::gate_ids().join(", ")
    );
}

/// `[terraform]` and `[arm.parameter_files]` for [`describe`].
fn describe_terraform_arm(out: &mut String, c: &Config, cli: &CliOverrides, cwd: &Path) {
    let show = |p: &Path| crate::discover::display_path(p, cwd);
    let q = |s: &str| toml_string(s);
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
    list(out, "var_files", &vf);
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
    line(out, "subscription_from_env", sub.to_string(), &o);

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
            out,
            &q(&show(&p.value.0)),
            format!("[{}]", files.join(", ")),
            &p.origin,
        );
    }
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

/// A TOML string literal, as the `toml` crate writes one.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests;

//! The command line: `erlint [PATH…]` checks; `rules`, `explain`, `catalog` inform.
//! Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it (parse errors
//! included); 2 erlint could not do its job.

use crate::config::{self, CliOverrides, Config};
use crate::diagnostic::Severity;
use crate::discover::{ExcludeGlob, WalkOptions};
use crate::error::FileError;
use crate::linter::{self, Options, RuleFilter, VarArg};
use crate::output::{self, Format, Style};
use crate::rules::RuleSettings;
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "erlint",
    version,
    about = "Lint Azure ExpressRoute in Terraform and ARM templates",
    long_about = "Lint Azure ExpressRoute in Terraform and ARM templates.\n\nerlint reads Terraform (.tf, .tf.json, tfvars, plan JSON) and ARM templates (JSON with comments, parameter files, Bicep output), evaluates what can be known before deployment, and reports what breaks Azure's ExpressRoute prerequisites: missing subscriptions, providers that are not ExpressRoute partners, single-session BGP peerings and more.",
    args_conflicts_with_subcommands = true,
    after_help = "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 erlint could not run (bad arguments or config, missing path)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint paths (the default when no command is given).
    Check(CheckArgs),
    /// List every rule: id, name, default severity, what it checks.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. ER301.
        id: String,
    },
    /// Show what the bundled catalogue knows about a provider or peering location.
    Catalog {
        /// A connectivity provider, exchange or peering location (case-insensitive).
        name: Option<String>,
    },
    /// Print the effective configuration and where each value comes from (default,
    /// configuration file and line, command line, environment). Takes the same options as
    /// a check.
    Config(CheckArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct CheckArgs {
    /// Files or directories to lint (default: the current directory). Named files are
    /// linted even if excluded; their directories are read for context.
    pub paths: Vec<PathBuf>,

    /// Output format, optionally with a destination: `human`, `json`, `json=out.json`.
    /// Repeatable.
    #[arg(long, short = 'f', value_name = "FORMAT[=FILE]", action = ArgAction::Append)]
    pub format: Vec<String>,

    /// Write the (single) output format to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the run fail.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// Always exit 0 when erlint ran (report-only).
    #[arg(long)]
    pub exit_zero: bool,

    /// Skip paths matching this glob (relative to the walked directory). Repeatable.
    #[arg(long, value_name = "GLOB", action = ArgAction::Append)]
    pub exclude: Vec<String>,

    /// Do not honour .gitignore and .erlintignore.
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links (loops are detected and reported).
    #[arg(long)]
    pub follow_links: bool,

    /// Terraform: a variable definitions file, after the automatic tfvars. Repeatable.
    #[arg(long, value_name = "FILE", action = ArgAction::Append)]
    pub var_file: Vec<PathBuf>,

    /// Terraform: a variable value, NAME=VALUE. Repeatable; applied in command-line order
    /// with --var-file.
    #[arg(long = "var", value_name = "NAME=VALUE", action = ArgAction::Append)]
    pub var: Vec<String>,

    /// ARM: a parameter file to use for every template. Repeatable.
    #[arg(long, value_name = "FILE", action = ArgAction::Append)]
    pub parameters: Vec<PathBuf>,

    /// Only run rules with these ids or prefixes (ER3, ER301). Repeatable.
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub select: Vec<String>,

    /// Do not run rules with these ids or prefixes. Repeatable.
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub ignore: Vec<String>,

    /// Report each check skipped because a value is not known statically (as info).
    #[arg(long)]
    pub report_unknown: bool,

    /// Treat ARM_SUBSCRIPTION_ID as always set by the pipeline (ER101 off).
    #[arg(long)]
    pub subscription_from_env: bool,

    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only the findings (no summary line).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Configuration file (default: `.erlint.toml` in the current directory or the nearest
    /// parent; or the file named by ERLINT_CONFIG).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report `erlint-ignore` suppressions that hide nothing (ER003).
    #[arg(long)]
    pub report_unused_ignores: bool,

    /// Hide findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file (and accept them for this run).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Parse the process arguments and run.
pub fn main() -> ExitCode {
    let matches = match Cli::command()
        .long_version(crate::catalog::long_version())
        .try_get_matches()
    {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let (args, sub_matches) = match cli.command.take() {
        Some(Command::Check(a)) => (a, matches.subcommand_matches("check").cloned()),
        Some(Command::Rules) => return print(&crate::docs::table()),
        Some(Command::Explain { id }) => return explain(&id),
        Some(Command::Catalog { name }) => {
            // Like grep: 1 when the name is not in the catalogue.
            let (text, found) = crate::catalog::Catalog::bundled().answer(name.as_deref());
            let code = print(&text);
            return if found { code } else { ExitCode::from(1) };
        }
        Some(Command::Config(a)) => {
            if let Err(e) = check_rule_args(&a) {
                return usage_error(&e);
            }
            return show_config(&a);
        }
        None => (cli.check, Some(matches)),
    };
    let vars = match sub_matches.map(|m| ordered_vars(&m)).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = check_rule_args(&args) {
        return usage_error(&e);
    }
    check(args, vars)
}

/// A bad argument: say so, exit 2.
fn usage_error(e: &str) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// `--select` and `--ignore` name rules or id prefixes; the gate rules cannot be ignored.
fn check_rule_args(args: &CheckArgs) -> Result<(), String> {
    for (flag, ids) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        for id in ids {
            let up = id.trim().to_ascii_uppercase();
            if let Some(problem) = config::rule_key_problem(&up) {
                return Err(format!(
                    "{flag}: {problem}; use a rule id (`ER301`) or an id prefix (`ER3`)"
                ));
            }
            if flag == "--ignore" && crate::rules::is_gate(&up) {
                return Err(format!(
                    "--ignore: `{up}` cannot be turned off: a file erlint cannot check never passes the gate; exclude the file instead"
                ));
            }
        }
    }
    Ok(())
}

fn print(s: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

fn explain(id: &str) -> ExitCode {
    match crate::rules::find(id) {
        Some(meta) => print(&crate::docs::page(meta)),
        None => {
            eprintln!("error: no rule `{id}`; `erlint rules` lists them");
            ExitCode::from(2)
        }
    }
}

/// `--var-file` and `--var` interleaved in command-line order.
fn ordered_vars(m: &clap::ArgMatches) -> Result<Vec<VarArg>, String> {
    let mut items: Vec<(usize, VarArg)> = Vec::new();
    if let (Some(idx), Some(vals)) = (m.indices_of("var_file"), m.get_many::<PathBuf>("var_file")) {
        items.extend(idx.zip(vals).map(|(i, v)| (i, VarArg::File(v.clone()))));
    }
    if let (Some(idx), Some(vals)) = (m.indices_of("var"), m.get_many::<String>("var")) {
        for (i, v) in idx.zip(vals) {
            match v.split_once('=') {
                Some((n, val)) if !n.trim().is_empty() => {
                    items.push((i, VarArg::Pair(n.trim().to_string(), val.to_string())));
                }
                _ => return Err(format!("--var `{v}`: expected NAME=VALUE")),
            }
        }
    }
    items.sort_by_key(|(i, _)| *i);
    Ok(items.into_iter().map(|(_, v)| v).collect())
}

/// One requested output: a format and where it goes.
struct Sink {
    format: Format,
    path: Option<PathBuf>,
}

fn parse_sinks(args: &CheckArgs) -> Result<Vec<Sink>, String> {
    let mut sinks = Vec::new();
    for f in &args.format {
        let (name, path) = match f.split_once('=') {
            Some((n, p)) => (n, Some(PathBuf::from(p))),
            None => (f.as_str(), None),
        };
        let format = Format::parse(name).ok_or_else(|| {
            let all: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect();
            format!(
                "unknown format `{name}` (expected one of: {})",
                all.join(", ")
            )
        })?;
        sinks.push(Sink { format, path });
    }
    if sinks.is_empty() {
        sinks.push(Sink {
            format: Format::Human,
            path: None,
        });
    }
    if let Some(o) = &args.output {
        match sinks.iter_mut().rev().find(|s| s.path.is_none()) {
            Some(s) => s.path = Some(o.clone()),
            None => {
                return Err("--output given but every --format already has a destination".into());
            }
        }
    }
    let files: Vec<PathBuf> = sinks
        .iter()
        .filter_map(|s| s.path.as_deref())
        .map(same_file_key)
        .collect();
    if let Some(dup) = files
        .iter()
        .enumerate()
        .find_map(|(i, p)| files[..i].contains(p).then_some(p))
    {
        return Err(format!(
            "two formats would write `{}`; give each its own file",
            dup.display()
        ));
    }
    if sinks.iter().filter(|s| s.path.is_none()).count() > 1 {
        return Err("only one --format can write to stdout; give the others a file (`--format sarif=out.sarif`)".into());
    }
    Ok(sinks)
}

/// What identifies an output file, so that two names for one file (`./a.json`, a
/// symbolic link to it, even one whose target is not written yet) are seen as one.
fn same_file_key(p: &std::path::Path) -> PathBuf {
    let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
    let real_dir = dir.map_or_else(|| std::fs::canonicalize("."), std::fs::canonicalize);
    match (real_dir, p.file_name()) {
        (Ok(d), Some(n)) => {
            let path = d.join(n);
            let target = std::fs::read_link(&path).map(|t| d.join(t));
            std::fs::canonicalize(&path)
                .unwrap_or_else(|_| target.map_or(path, |t| crate::terraform::normalize(&t)))
        }
        _ => crate::terraform::normalize(p),
    }
}

/// `--color` wins; then `NO_COLOR` (any non-empty value) turns colour off; then
/// `FORCE_COLOR` or `CLICOLOR_FORCE` (non-empty, not `0`) turn it on; then `CLICOLOR=0`
/// turns it off; otherwise colour when the stream is a terminal.
pub fn color_wanted(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let forced = |name: &str| set(name).is_some_and(|v| v != "0" && v != "false");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") {
                true
            } else if set("CLICOLOR").is_some_and(|v| v == "0") {
                false
            } else {
                is_terminal
            }
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    color_wanted(choice, std::io::stdout().is_terminal())
}

/// Print a fatal error (exit code 2) with miette on stderr.
fn fatal(e: &dyn miette::Diagnostic, choice: ColorChoice) -> ExitCode {
    let handler = crate::output::human::handler(&Style {
        color: color_wanted(choice, std::io::stderr().is_terminal()),
        ..Style::default()
    });
    let mut s = String::new();
    if handler.render_report(&mut s, e).is_err() {
        s = format!("error: {e}");
    }
    eprint!("{s}");
    ExitCode::from(2)
}

/// The configuration file for this run, loaded and validated.
fn load_config(args: &CheckArgs, cwd: &std::path::Path) -> Result<Config, FileError> {
    match config::locate(args.config.as_deref(), cwd)? {
        Some((path, how)) => config::load(&path, how, cwd),
        None => Ok(Config::default()),
    }
}

fn cli_overrides(args: &CheckArgs) -> CliOverrides {
    CliOverrides {
        fail_on: args.fail_on,
        exclude: args.exclude.clone(),
        var_files: args.var_file.clone(),
        subscription_from_env: args.subscription_from_env,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    }
}

fn show_config(args: &CheckArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    match load_config(args, &cwd) {
        Ok(c) => print(&config::describe(&c, &cli_overrides(args), &cwd)),
        Err(e) => fatal(&e, args.color),
    }
}

fn check(args: CheckArgs, vars: Vec<VarArg>) -> ExitCode {
    let sinks = match parse_sinks(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let cfg = match load_config(&args, &cwd) {
        Ok(c) => c,
        Err(e) => return fatal(&e, args.color),
    };
    let fail_on = args
        .fail_on
        .or(cfg.fail_on.as_ref().map(|s| s.value))
        .unwrap_or(Severity::Warning);
    let paths = output::RepoPaths::detect(&cwd);
    let opts = options(&args, vars, &cfg, cwd);
    let report = match linter::run(&opts) {
        Ok(r) => r,
        Err(e) => return fatal(&e, args.color),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let style = Style {
        color: use_color(args.color),
        width,
        quiet: args.quiet,
        links: true,
        fail_on,
        paths,
    };
    for sink in &sinks {
        let result = match &sink.path {
            None => {
                let mut out = std::io::stdout().lock();
                output::write(sink.format, &mut out, &report, &style).and_then(|_| out.flush())
            }
            Some(p) => {
                let plain = Style {
                    color: false,
                    ..style.clone()
                };
                std::fs::File::create(p)
                    .and_then(|f| {
                        let mut w = std::io::BufWriter::new(f);
                        output::write(sink.format, &mut w, &report, &plain).and_then(|_| w.flush())
                    })
                    .map_err(|e| {
                        std::io::Error::new(
                            e.kind(),
                            format!("cannot write `{}`: {e}", p.display()),
                        )
                    })
            }
        };
        if let Err(e) = result {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let failed = report
        .diagnostics
        .iter()
        .any(|d| d.suppressed.is_none() && d.severity >= fail_on);
    // The process exits next: freeing every text and syntax tree one by one would take
    // longer than writing the output, so leave that to the operating system.
    std::mem::forget(report);
    if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The run's options: the command line over the configuration file over the defaults.
pub fn options(args: &CheckArgs, cli_vars: Vec<VarArg>, cfg: &Config, cwd: PathBuf) -> Options {
    let env_sub = std::env::var("ARM_SUBSCRIPTION_ID").is_ok_and(|v| !v.trim().is_empty());
    let cfg_dir = cfg
        .path
        .as_deref()
        .and_then(std::path::Path::parent)
        .map_or_else(|| cwd.clone(), |d| cwd.join(d));
    let mut exclude: Vec<ExcludeGlob> = cfg
        .exclude
        .iter()
        .map(|e| ExcludeGlob {
            pattern: e.value.clone(),
            base: cfg_dir.clone(),
        })
        .collect();
    exclude.extend(args.exclude.iter().map(|e| ExcludeGlob {
        pattern: e.clone(),
        base: cwd.clone(),
    }));
    // The config's var files come after the automatic tfvars and before the command line's.
    let mut vars: Vec<VarArg> = cfg
        .var_files
        .iter()
        .map(|v| VarArg::File(v.value.clone()))
        .collect();
    vars.extend(cli_vars);
    Options {
        paths: args.paths.clone(),
        walk: WalkOptions {
            no_ignore: args.no_ignore,
            follow_links: args.follow_links,
            exclude,
        },
        vars,
        parameters: args.parameters.clone(),
        settings: RuleSettings {
            subscription_from_env: args.subscription_from_env
                || cfg.subscription_from_env.as_ref().is_some_and(|s| s.value)
                || env_sub,
            arm_environment: std::env::var("ARM_ENVIRONMENT")
                .ok()
                .filter(|v| !v.is_empty()),
            report_unknown: args.report_unknown,
            office365: cfg.office365.as_ref().is_some_and(|s| s.value),
            carrier_tag: cfg
                .carrier_tag
                .as_ref()
                .map_or_else(|| "carrier".to_string(), |s| s.value.clone()),
        },
        filter: RuleFilter {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            overrides: cfg
                .rules
                .iter()
                .map(|r| (r.value.0.clone(), r.value.1.severity()))
                .collect(),
        },
        max_file_size: cfg
            .max_file_size
            .as_ref()
            .map_or(config::DEFAULT_MAX_FILE_SIZE, |s| s.value),
        cwd,
        catalog: cfg.catalog.clone(),
        parameter_map: cfg
            .parameter_files
            .iter()
            .map(|p| p.value.clone())
            .collect(),
        report_unused_ignores: args.report_unused_ignores,
        baseline: args.baseline.clone(),
        write_baseline: args.write_baseline.clone(),
    }
}

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
use crate::source::Overlay;
use clap::{
    ArgAction, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "erlint",
    version,
    about = "Lint Azure ExpressRoute in Terraform, ARM templates and Bicep",
    long_about = "Lint Azure ExpressRoute in Terraform, ARM templates and Bicep.\n\nerlint reads Terraform and OpenTofu (.tf, .tofu, .tf.json, tfvars, plan JSON; azurerm and azapi resources, ARM templates deployed from Terraform), ARM templates (JSON with comments, parameter files, Bicep output) and Bicep (.bicep, .bicepparam, without the Bicep CLI), evaluates what can be known before deployment, and reports what breaks Azure's ExpressRoute prerequisites: missing subscriptions, providers that are not ExpressRoute partners, single-session BGP peerings and more.",
    args_conflicts_with_subcommands = true,
    after_help = EXIT_STATUS,
    after_long_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

const EXIT_STATUS: &str = "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 erlint could not run (bad arguments or config, missing path).";

/// `erlint --help`: what people type, every output format among them.
const EXAMPLES: &str = "\
Examples:
  erlint                                        lint the current directory
  erlint infra/ envs/prod/main.tf               lint directories, or files with their directory as context
  erlint --format human                         source snippets and help (the default)
  erlint --format compact                       one line per finding, path:line:col
  erlint --format json=erlint.json              machine-readable, to a file
  erlint --format sarif=erlint.sarif            GitHub code scanning and other SARIF viewers
  erlint --format junit=erlint-junit.xml        test reports (GitLab, Azure Pipelines, Jenkins)
  erlint --format github                        GitHub Actions annotations
  erlint --format checkstyle=checkstyle.xml     Checkstyle consumers (Jenkins Warnings NG, reviewdog)
  erlint --format gitlab=gl-code-quality.json   GitLab Code Quality report
  erlint --format azure                         Azure Pipelines logging commands
  erlint --select ER3 --ignore single-bgp-session   rules by id prefix, id or name
  erlint --fix                                  fix what is mechanical where each value is written
  erlint --diff --unsafe-fixes                  show every fix as a diff, the ones to review too
  erlint --stdin-filename envs/prod/main.tf -   lint an editor's buffer as that file
  erlint rules --format json                    the rules, for scripts
  erlint explain single-bgp-session             a rule's documentation
  erlint completions zsh                        a shell completion script
  erlint server                                 the language server, for editors (stdio)
  erlint init                                   write a commented .erlint.toml

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 erlint could not run (bad arguments or config, missing path).";

/// `erlint rules --format`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table: id, name, default severity, summary.
    #[default]
    Text,
    /// A JSON array, one object per rule.
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint paths (the default when no command is given).
    Check(CheckArgs),
    /// List every rule: id, name, default severity, what it checks.
    Rules {
        /// `text` (a table) or `json`.
        #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule id or name, e.g. ER301 or single-bgp-session.
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
    /// List every ExpressRoute resource found: where, in which format (azurerm, azapi,
    /// ARM, embedded ARM, Bicep, plan), evaluated with which root or parameter file, and
    /// the checks skipped because a value is not known statically. `--format json` for
    /// scripts. Takes the same options as a check.
    Resources(CheckArgs),
    /// Write a commented `.erlint.toml` with every setting in the current directory.
    Init {
        /// Overwrite an existing `.erlint.toml`.
        #[arg(long)]
        force: bool,
    },
    /// Run the language server on stdin and stdout (for editors: diagnostics as you type,
    /// the fixes as quick fixes, hover and completion of providers and peering locations).
    /// The workspace's `.erlint.toml` is used and reloaded when it changes.
    Server {
        /// Configuration file for every workspace folder (default: `.erlint.toml` of each
        /// folder or its nearest parent, or the file named by ERLINT_CONFIG).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Print a shell completion script (`erlint completions bash >
    /// ~/.local/share/bash-completion/completions/erlint`).
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
}

/// The command line definition, with the long version (the catalogue's date and sources):
/// for parsing, completions and the man page.
pub fn command() -> clap::Command {
    Cli::command().long_version(crate::catalog::long_version())
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

    /// Also walk hidden files and directories (names starting with `.`), which are skipped
    /// by default, as by ripgrep and TFLint (`--no-ignore` walks them too).
    #[arg(long)]
    pub hidden: bool,

    /// Follow symbolic links (loops are detected and reported).
    #[arg(long)]
    pub follow_links: bool,

    /// Neither read nor write the cache of the search for a named module's callers
    /// (`.erlint_cache/` in the repository's top directory). `ERLINT_NO_CACHE` set to
    /// anything but `0`, `false`, `no`, `off` or nothing does the same.
    #[arg(long, env = "ERLINT_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,

    /// Find a named module's callers (Terraform and Bicep) among the files in git's index
    /// (the staged state: what the commit holds) instead of by a walk and a `stat` of
    /// every file; untracked files call no module then. For pre-commit hooks (the bundled
    /// hook sets it): they run with unstaged changes stashed, so the working tree holds
    /// the staged state. An index erlint cannot read (a split or sparse index, merge
    /// conflicts) is walked as without this option.
    #[arg(long)]
    pub callers_from_index: bool,

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

    /// Only run these rules: ids, names or id prefixes (ER3, ER301, single-bgp-session).
    /// Repeatable.
    #[arg(long, value_name = "ID", value_delimiter = ',', action = ArgAction::Append)]
    pub select: Vec<String>,

    /// Do not run these rules: ids, names or id prefixes. Repeatable.
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

    /// Fix what is mechanical (a prefix's host bits, a registry's alias) where the value is
    /// written: the tfvars line, parameter file entry or module argument. Files are
    /// written in place; the findings left are reported.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff: also make fixes to review (a second BGP session's prefix, a
    /// provider's current name).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them (exit 1 when there is
    /// one).
    #[arg(long)]
    pub diff: bool,

    /// Lint the text on stdin (the path `-`) as this file: the rest of its directory is
    /// read from disk for context, findings are reported in it (for editors).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
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
    let matches = match command().try_get_matches() {
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
        Some(Command::Rules { format }) => {
            return print(&match format {
                RulesFormat::Text => crate::docs::table(),
                RulesFormat::Json => crate::docs::rules_json(),
            });
        }
        Some(Command::Init { force }) => return init(force),
        Some(Command::Server { config }) => return server(config),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command(), "erlint", &mut out);
            return print(&String::from_utf8_lossy(&out));
        }
        Some(Command::Explain { id }) => return explain(&id),
        Some(Command::Catalog { name }) => return catalog(name.as_deref()),
        Some(Command::Config(mut a)) => {
            if let Err(e) = check_rule_args(&mut a) {
                return usage_error(&e);
            }
            return show_config(&a);
        }
        Some(Command::Resources(a)) => {
            return resources(a, matches.subcommand_matches("resources"));
        }
        None => {
            if let Some(cmd) = mistyped_command(&cli.check) {
                let word = cli.check.paths.first().map(|p| p.display().to_string());
                return usage_error(&format!(
                    "`{}` is neither a path nor an erlint command\n\n  tip: did you mean `erlint {cmd}`?",
                    word.unwrap_or_default()
                ));
            }
            (cli.check, Some(matches))
        }
    };
    check_command(args, sub_matches.as_ref())
}

/// `erlint server`: the language server, with the options a check would have.
fn server(config: Option<PathBuf>) -> ExitCode {
    let args = CheckArgs {
        config: config.clone(),
        ..CheckArgs::default()
    };
    crate::server::run(
        config,
        Box::new(move |cfg, cwd| options(&args, Vec::new(), cfg, cwd)),
    )
}

/// `erlint catalog [NAME]`: like grep, 1 when the name is not in the catalogue.
fn catalog(name: Option<&str>) -> ExitCode {
    let (text, found) = crate::catalog::Catalog::bundled().answer(name);
    let code = print(&text);
    if found { code } else { ExitCode::from(1) }
}

/// `erlint resources`: its arguments checked, then the listing.
fn resources(mut a: CheckArgs, m: Option<&ArgMatches>) -> ExitCode {
    let vars = match m.map(ordered_vars).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = check_rule_args(&mut a) {
        return usage_error(&e);
    }
    if a.fix || a.diff || a.unsafe_fixes {
        return usage_error(
            "`erlint resources` lists what is found; --fix, --diff and --unsafe-fixes go with a check",
        );
    }
    let overlay = match read_stdin(&mut a, &mut std::io::stdin().lock()) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    list_resources(a, vars, overlay)
}

/// A check (`erlint [check] …`): its arguments checked, stdin read, then the run.
fn check_command(mut args: CheckArgs, matches: Option<&ArgMatches>) -> ExitCode {
    let vars = match matches.map(ordered_vars).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = check_rule_args(&mut args) {
        return usage_error(&e);
    }
    if let Err(e) = check_fix_args(&args) {
        return usage_error(&e);
    }
    let overlay = match read_stdin(&mut args, &mut std::io::stdin().lock()) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    check(args, vars, overlay)
}

/// A bad argument: say so, exit 2.
fn usage_error(e: &str) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// `--select` and `--ignore` name rules (by id or name) or id prefixes, written as ids;
/// the gate rules cannot be ignored. Every bad value is reported.
fn check_rule_args(args: &mut CheckArgs) -> Result<(), String> {
    let mut problems = Vec::new();
    for (flag, ids) in [
        ("--select", &mut args.select),
        ("--ignore", &mut args.ignore),
    ] {
        for id in ids.iter_mut() {
            match crate::rules::selector(id) {
                Ok(sel) if flag == "--ignore" && crate::rules::is_gate(&sel) => problems.push(format!(
                    "--ignore: `{sel}` cannot be turned off: a file erlint cannot check never passes the gate; exclude the file instead"
                )),
                Ok(sel) => *id = sel,
                Err(problem) if crate::rules::closest(id).is_some() => {
                    problems.push(format!("{flag}: {problem}"));
                }
                Err(problem) => problems.push(format!(
                    "{flag}: {problem}; use a rule id (`ER301`), name (`single-bgp-session`) or id prefix (`ER3`)"
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\nerror: "))
    }
}

/// `--unsafe-fixes` goes with `--fix` or `--diff`; fixing does not write a baseline (it
/// would record findings that the fixes remove).
fn check_fix_args(args: &CheckArgs) -> Result<(), String> {
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(
            "--unsafe-fixes goes with --fix (to write them) or --diff (to see them)".into(),
        );
    }
    if (args.fix || args.diff) && args.write_baseline.is_some() {
        return Err("--write-baseline cannot be combined with --fix or --diff: fix first, then write the baseline".into());
    }
    if args.diff && args.stdin_filename.is_some() && args.fix {
        return Err("--diff shows the fixes, --fix makes them: give one".into());
    }
    Ok(())
}

/// The path `-` with `--stdin-filename PATH`: the text on `stdin` stands for `PATH`, which
/// takes the place of `-` among the paths (alone, `--stdin-filename` reads stdin too).
fn read_stdin(args: &mut CheckArgs, stdin: &mut dyn std::io::Read) -> Result<Overlay, String> {
    let dashes = args.paths.iter().filter(|p| p.as_os_str() == "-").count();
    let Some(name) = args.stdin_filename.clone() else {
        return match dashes {
            0 => Ok(Overlay::default()),
            _ => Err("`-` lints the text on stdin: give `--stdin-filename PATH` to say which file it is (its directory is read for context)".into()),
        };
    };
    match dashes {
        0 if args.paths.is_empty() => args.paths.push(name.clone()),
        0 => {
            return Err(
                "--stdin-filename names the file the text on stdin stands for: add `-` to the paths"
                    .into(),
            );
        }
        1 => {
            for p in &mut args.paths {
                if p.as_os_str() == "-" {
                    *p = name.clone();
                }
            }
        }
        _ => return Err("`-` (stdin) can be given once".into()),
    }
    if name.is_dir() {
        return Err(format!(
            "--stdin-filename `{}` is a directory; name the file the text on stdin stands for",
            name.display()
        ));
    }
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the text on stdin is not valid UTF-8 (first invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let mut overlay = Overlay::default();
    overlay.insert(&name, text);
    Ok(overlay)
}

/// A first argument that is not a path but nearly a command (`erlint rule`): what the user
/// most likely meant.
fn mistyped_command(args: &CheckArgs) -> Option<String> {
    let first = args.paths.first()?;
    if first.exists() {
        return None;
    }
    let word = first.to_str()?;
    if word.contains(['/', '\\', '.']) {
        return None;
    }
    let cmd = Cli::command();
    let names: Vec<&str> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(clap::Command::get_name)
        .collect();
    let lower = word.to_ascii_lowercase();
    let near = names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(&lower, n), *n))
        .filter(|(d, n)| *d <= 2.min(n.len() / 2) || (lower.len() >= 3 && n.starts_with(&lower)))
        .min_by_key(|(d, _)| *d)?;
    Some(near.1.to_string())
}

fn print(s: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

/// `erlint init`: a commented `.erlint.toml` in the current directory.
fn init(force: bool) -> ExitCode {
    let path = PathBuf::from(config::FILE_NAME);
    if path.exists() && !force {
        return usage_error(&format!(
            "`{}` exists already; `erlint config` shows what it sets, `erlint init --force` replaces it",
            config::FILE_NAME
        ));
    }
    match std::fs::write(&path, config::template()) {
        Ok(()) => {
            eprintln!(
                "erlint: wrote {}: every setting, commented out at its default",
                config::FILE_NAME
            );
            ExitCode::SUCCESS
        }
        Err(e) => usage_error(&format!("cannot write `{}`: {e}", config::FILE_NAME)),
    }
}

fn explain(id: &str) -> ExitCode {
    match crate::rules::lookup(id) {
        Some(meta) => print(&crate::docs::page(meta)),
        None => {
            eprintln!(
                "error: no rule `{id}`{}; `erlint rules` lists them",
                crate::rules::did_you_mean(id)
            );
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

/// The width human output is laid out for: `COLUMNS` when set, else the terminal's (when
/// `terminal` is one), else 100.
pub fn output_width(terminal: Option<u16>) -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .or(terminal.map(usize::from).filter(|w| *w > 0))
        .unwrap_or(100)
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
    let handler = stderr_handler(choice);
    let mut s = String::new();
    if handler.render_report(&mut s, e).is_err() {
        s = format!("error: {e}");
    }
    eprint!("{s}");
    ExitCode::from(2)
}

/// Print a fatal error about one of erlint's own input files, and the others found with
/// it, on stderr (exit code 2).
fn fatal_file(e: &FileError, choice: ColorChoice) -> ExitCode {
    eprint!("{}", e.render(&stderr_handler(choice)));
    ExitCode::from(2)
}

fn fatal_run(e: &linter::RunError, choice: ColorChoice) -> ExitCode {
    match e {
        linter::RunError::Input(f) => fatal_file(f, choice),
        other => fatal(other, choice),
    }
}

fn stderr_handler(choice: ColorChoice) -> miette::GraphicalReportHandler {
    let terminal = terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| w.0);
    crate::output::human::handler(&Style {
        color: color_wanted(choice, std::io::stderr().is_terminal()),
        width: output_width(terminal),
        ..Style::default()
    })
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
        Err(e) => fatal_file(&e, args.color),
    }
}

fn check(args: CheckArgs, vars: Vec<VarArg>, overlay: Overlay) -> ExitCode {
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
        Err(e) => return fatal_file(&e, args.color),
    };
    let fail_on = args
        .fail_on
        .or(cfg.fail_on.as_ref().map(|s| s.value))
        .unwrap_or(Severity::Warning);
    let paths = output::RepoPaths::detect(&cwd);
    let stdin_file = (!overlay.is_empty())
        .then(|| args.stdin_filename.clone())
        .flatten();
    let opts = Options {
        overlay,
        ..options(&args, vars, &cfg, cwd)
    };
    let report = if args.fix || args.diff {
        let root = paths.root.clone().unwrap_or_else(|| opts.cwd.clone());
        match fix_files(&args, &opts, root, stdin_file) {
            Fixing::Remaining(r) => *r,
            Fixing::Done(code) => return code,
        }
    } else {
        match linter::run(&opts) {
            Ok(r) => r,
            Err(e) => return fatal_run(&e, args.color),
        }
    };
    say_if_nothing_found(&report, &opts);
    let width = output_width(terminal_size::terminal_size().map(|(w, _)| w.0));
    let style = Style {
        color: use_color(args.color),
        width,
        quiet: args.quiet,
        links: true,
        fail_on,
        paths,
    };
    // Files first: a reader of stdout that stops early (`erlint | head -1`) must not cost
    // the reports written to files.
    let (to_stdout, to_files): (Vec<&Sink>, Vec<&Sink>) =
        sinks.iter().partition(|s| s.path.is_none());
    let mut broken = false;
    for sink in to_files.into_iter().chain(to_stdout) {
        match output::write_guarded(sink.format, sink.path.as_deref(), &report, &style) {
            Ok(()) => {}
            // Nobody reads stdout any more: the exit code still tells the findings.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && sink.path.is_none() => {}
            Err(e) => {
                eprintln!("error: {e}");
                broken = true;
            }
        }
    }
    if broken {
        return ExitCode::from(2);
    }
    let failed = report
        .diagnostics
        .iter()
        .any(|d| d.suppressed.is_none() && d.severity >= fail_on);
    // The process exits next: freeing every text one by one would take
    // longer than writing the output, so leave that to the operating system.
    std::mem::forget(report);
    if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A run that read no file says so (on stderr: the output stays a well-formed report).
fn say_if_nothing_found(report: &linter::Report, opts: &Options) {
    if report.files > 0 {
        return;
    }
    let paths: Vec<String> = if opts.paths.is_empty() {
        vec![".".into()]
    } else {
        opts.paths.iter().map(|p| p.display().to_string()).collect()
    };
    let hint = if opts.walk.hidden || opts.walk.no_ignore {
        ""
    } else {
        " (hidden files and directories are skipped: `--hidden` walks them)"
    };
    eprintln!(
        "erlint: no Terraform, OpenTofu, ARM template or Bicep files found in {}{hint}",
        paths.join(", ")
    );
}

/// `erlint resources`: every resource found, as text or (`--format json`) JSON.
fn list_resources(args: CheckArgs, vars: Vec<VarArg>, overlay: Overlay) -> ExitCode {
    let json = match args.format.as_slice() {
        [] => false,
        [f] if f == "json" => true,
        [f] if f == "human" => false,
        _ => return usage_error("`erlint resources` takes `--format human` or `--format json`"),
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let cfg = match load_config(&args, &cwd) {
        Ok(c) => c,
        Err(e) => return fatal_file(&e, args.color),
    };
    let mut opts = Options {
        overlay,
        ..options(&args, vars, &cfg, cwd)
    };
    opts.inventory = true;
    opts.settings.report_unknown = true;
    let report = match linter::run(&opts) {
        Ok(r) => r,
        Err(e) => return fatal_run(&e, args.color),
    };
    say_if_nothing_found(&report, &opts);
    let text = if json {
        let mut t = crate::coverage::json(&report.coverage, &report.db).to_string();
        t.push('\n');
        t
    } else {
        crate::coverage::text(&report.coverage, &report.db)
    };
    let code = print(&text);
    std::mem::forget(report);
    code
}

/// How `--fix` or `--diff` ended: the findings left to report as usual, or done.
enum Fixing {
    Remaining(Box<linter::Report>),
    Done(ExitCode),
}

/// `--fix`: make the fixes and write the files, then report what is left. `--diff`: print
/// the fixes as a unified diff (exit 1 when there is one). With stdin, `--fix` prints the
/// fixed text on stdout and the findings left, compactly, on stderr.
fn fix_files(
    args: &CheckArgs,
    opts: &Options,
    root: PathBuf,
    stdin_file: Option<PathBuf>,
) -> Fixing {
    let mode = crate::fix::Mode {
        unsafe_fixes: args.unsafe_fixes,
        root,
        only: stdin_file.clone(),
    };
    let fixed = match crate::fix::run(opts, &mode) {
        Ok(f) => f,
        Err(e) => return Fixing::Done(fatal_run(&e, args.color)),
    };
    if args.diff {
        return Fixing::Done(print_diff(&fixed));
    }
    if let Some(name) = &stdin_file {
        return Fixing::Done(print_fixed_stdin(args, opts, &fixed, name));
    }
    for c in &fixed.changes {
        let bytes = if c.bom {
            format!("\u{feff}{}", c.after)
        } else {
            c.after.clone()
        };
        if let Err(e) = std::fs::write(&c.path, bytes) {
            eprintln!("error: cannot write `{}`: {e}", c.display);
            return Fixing::Done(ExitCode::from(2));
        }
    }
    if fixed.fixed > 0 {
        eprintln!(
            "erlint: fixed {} in {}",
            findings(fixed.fixed),
            crate::text::plural(fixed.changes.len(), "file")
        );
    }
    Fixing::Remaining(Box::new(fixed.report))
}

/// "1 finding", "3 findings".
fn findings(n: usize) -> String {
    if n == 1 {
        "1 finding".to_string()
    } else {
        format!("{n} findings")
    }
}

/// `--diff`: the fixes as a unified diff on stdout; 1 when there is something to fix.
fn print_diff(fixed: &crate::fix::Fixed) -> ExitCode {
    let mut out = String::new();
    for c in &fixed.changes {
        out.push_str(&unified_diff(c));
    }
    if fixed.changes.is_empty() {
        eprintln!("erlint: nothing to fix");
    } else {
        eprintln!(
            "erlint: {} fixable in {}",
            findings(fixed.fixed),
            crate::text::plural(fixed.changes.len(), "file")
        );
    }
    let code = print(&out);
    if fixed.changes.is_empty() || code != ExitCode::SUCCESS {
        code
    } else {
        ExitCode::from(1)
    }
}

/// `--fix` with `--stdin-filename`: the fixed text on stdout, what is left on stderr.
fn print_fixed_stdin(
    args: &CheckArgs,
    opts: &Options,
    fixed: &crate::fix::Fixed,
    name: &std::path::Path,
) -> ExitCode {
    let text = fixed
        .changes
        .iter()
        .find(|c| crate::terraform::normalize(&c.path) == crate::terraform::normalize(name))
        .map(|c| c.after.clone())
        .or_else(|| opts.overlay.get(name).map(str::to_string))
        .unwrap_or_default();
    let mut left = Vec::new();
    let style = Style {
        quiet: true,
        ..Style::default()
    };
    let _ = output::write(Format::Compact, &mut left, &fixed.report, &style);
    eprint!("{}", String::from_utf8_lossy(&left));
    let code = print(&text);
    if code != ExitCode::SUCCESS {
        return code;
    }
    let fail_on = args.fail_on.unwrap_or(Severity::Warning);
    let failed = fixed
        .report
        .diagnostics
        .iter()
        .any(|d| d.suppressed.is_none() && d.severity >= fail_on);
    if failed && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The unified diff of one fixed file, `a/` and `b/` as git writes them.
fn unified_diff(c: &crate::fix::FileChange) -> String {
    similar::TextDiff::from_lines(&c.before, &c.after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", c.display), &format!("b/{}", c.display))
        .to_string()
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
            hidden: args.hidden,
            follow_links: args.follow_links,
            cache: !args.no_cache,
            callers_from_index: args.callers_from_index,
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
        max_file_size: config::max_file_size(cfg),
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
        inventory: false,
        overlay: Overlay::default(),
    }
}

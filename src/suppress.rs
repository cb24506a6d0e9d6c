//! Inline suppressions (SPEC §5).
//!
//! Terraform (`#`, `//` or `/* */` comments), ARM templates and Bicep files (`//`,
//! `/* */`):
//!
//! ```hcl
//! # erlint-ignore-file: ER205 we keep the old name until the contract is renewed
//!
//! # erlint-ignore: ER301 lab circuit with one router exp:2026-12-31
//! resource "azurerm_express_route_circuit_peering" "lab" {
//! ```
//!
//! What a comment covers:
//! - on its own line directly before a block or attribute (other comment lines may sit in
//!   between, blank lines may not): that block or attribute;
//! - on its own line inside a block (or JSON object) before the block's first attribute:
//!   the whole block; anywhere else inside a block with nothing after it: the block;
//! - after code on the same line: the outermost block or attribute that starts on that
//!   line (`resource "…" "…" { # erlint-ignore: …`), else the enclosing one;
//! - `erlint-ignore-file:` before the first block: the whole file.
//!
//! A diagnostic is covered when its primary span lies in the covered region, or when one
//! of its [`scopes`](Diagnostic::scopes) (the enclosing resource, module calls, nested
//! deployments) does: so a comment on a `module` block covers everything reported inside
//! that module instance, and one on a resource covers findings whose primary span is a
//! value set in a tfvars file.
//!
//! ARM resources can also carry the suppression as data, which survives Bicep
//! compilation: `"metadata": {"erlint": {"ignore": [{"id": "ER301", "reason": "…",
//! "expires": "2026-12-31"}]}}` on the resource object (or on the template's root
//! object, for the whole file).
//!
//! Terraform JSON has no comments; its `"//"` comment property carries the same text
//! (`"//": "erlint-ignore: ER301 reason"`), covering the object that holds it, or the
//! file for `erlint-ignore-file:` in the root object.
//!
//! Several ids may be given, comma- or space-separated. An optional `exp:YYYY-MM-DD`
//! makes a suppression expire: from that day on it is not applied and ER003 says so.
//! ER003 (`invalid-suppression`) also reports an unknown rule id, a missing reason, a
//! misplaced file-level comment, and with `--report-unused-ignores` a suppression that
//! hides nothing. ER003 is never hidden by the comment it is about.
//!
//! Cost: only files that hold (or scope) a finding are looked at, and a file whose text
//! does not contain `erlint` is skipped after one substring search.

use crate::diagnostic::{Diagnostic, Suppression, SuppressionKind};
use crate::rules;
use crate::source::{FileId, SourceDb, Span};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// A calendar date (proleptic Gregorian), enough for expiry checks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, validated (month 1–12, day within the month).
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= date.month_len())
            .then_some(date)
    }

    fn month_len(self) -> u32 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            _ => 28,
        }
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_unix_days(secs.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Settings of one pass.
#[derive(Clone, Debug)]
pub struct Options {
    pub today: Date,
    /// `--report-unused-ignores`: ER003 for suppressions that hide nothing.
    pub report_unused: bool,
    /// Files to scan even without findings (for unused suppressions).
    pub also_scan: Vec<FileId>,
}

/// Where a suppression came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Origin {
    Comment,
    Metadata,
}

/// One parsed suppression.
#[derive(Debug)]
struct Directive {
    file: FileId,
    /// The comment (or metadata entry): where ER003 points.
    at: Span,
    origin: Origin,
    ids: Vec<(String, Span)>,
    reason: String,
    /// `Some(None)`: an `exp:` that is not a date.
    expires: Option<Option<Date>>,
    /// What it covers; `None` with `file_level` for the whole file.
    target: Option<Span>,
    file_level: bool,
    /// Set when some diagnostic was covered, per id.
    used: Vec<bool>,
}

impl Directive {
    /// A comment's directive; `target` `None` for a file-level one.
    fn comment(file: FileId, at: Span, parsed: Parsed, target: Option<Span>) -> Directive {
        let Parsed {
            ids,
            reason,
            expires,
            file_level,
        } = parsed;
        let n = ids.len();
        Directive {
            file,
            at,
            origin: Origin::Comment,
            ids,
            reason,
            expires,
            target,
            file_level,
            used: vec![false; n],
        }
    }

    fn covers(&self, d: &Diagnostic) -> bool {
        if self.file_level {
            return d.primary.file == self.file || d.scopes.iter().any(|s| s.file == self.file);
        }
        let Some(t) = self.target else { return false };
        t.contains(d.primary) || d.scopes.iter().any(|s| t.contains(*s))
    }

    fn applies(&self, today: Date) -> bool {
        match self.expires {
            None => true,
            Some(Some(exp)) => today <= exp,
            Some(None) => false,
        }
    }
}

/// Mark covered findings in `diags` as suppressed; return the ER003 findings about the
/// suppressions themselves (not yet filtered or sorted).
pub fn apply(
    diags: &mut [Diagnostic],
    db: &SourceDb,
    outlines: &HashMap<FileId, &[Span]>,
    opts: &Options,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let (mut directives, mut problems) = scan_files(diags, db, outlines, opts);
    if directives.is_empty() && problems.is_empty() {
        return Vec::new();
    }
    validate(&directives, opts.today, &mut problems);
    mark_suppressed(diags, &mut directives, opts.today);
    if opts.report_unused {
        unused(&directives, opts.today, enabled, &mut problems);
    }
    problems
}

/// The directives of the files that hold or scope an unsuppressed finding (and, for
/// `--report-unused-ignores`, of `also_scan`), with the problems found reading them.
fn scan_files(
    diags: &[Diagnostic],
    db: &SourceDb,
    outlines: &HashMap<FileId, &[Span]>,
    opts: &Options,
) -> (Vec<Directive>, Vec<Diagnostic>) {
    let mut files: BTreeSet<FileId> = BTreeSet::new();
    for d in diags.iter().filter(|d| d.suppressed.is_none()) {
        files.insert(d.primary.file);
        files.extend(d.scopes.iter().map(|s| s.file));
    }
    if opts.report_unused {
        files.extend(opts.also_scan.iter().copied());
    }
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let Some(text) = db.loaded_text(file) else {
            continue;
        };
        if !text.contains("erlint") {
            continue;
        }
        let name = db.display(file);
        let lang = if name.ends_with(".json") || name.ends_with(".jsonc") {
            Lang::Json
        } else if crate::bicep::is_bicep_name(name) {
            Lang::Bicep
        } else {
            Lang::Hcl
        };
        scan_file(
            file,
            text,
            lang,
            outlines.get(&file).copied(),
            &mut directives,
            &mut problems,
        );
    }
    (directives, problems)
}

/// ER003 for unknown ids, missing reasons and bad or past expiry dates.
fn validate(directives: &[Directive], today: Date, problems: &mut Vec<Diagnostic>) {
    for dir in directives {
        for (id, span) in &dir.ids {
            if rules::find(id).is_none() {
                problems.push(unknown_id(id, *span));
            }
        }
        if dir.ids.is_empty() {
            problems.push(er003(
                dir.at,
                "suppression names no rule, so it hides nothing".into(),
                hint(dir.origin),
            ));
        } else if dir.reason.trim().is_empty() {
            problems.push(er003(
                dir.at,
                format!("suppression of {} gives no reason", list(&dir.ids)),
                hint(dir.origin),
            ));
        }
        match dir.expires {
            Some(None) => problems.push(match dir.origin {
                Origin::Comment => er003(
                    dir.at,
                    "the expiry date of this suppression is not a date (`exp:YYYY-MM-DD`); it is not applied".into(),
                    "write the date as `exp:2026-12-31`".into(),
                ),
                Origin::Metadata => er003(
                    dir.at,
                    "the `expires` of this suppression is not a date (`YYYY-MM-DD`); it is not applied".into(),
                    "write the date as `\"expires\": \"2026-12-31\"`".into(),
                ),
            }),
            Some(Some(exp)) if today > exp => problems.push(er003(
                dir.at,
                format!(
                    "suppression of {} expired on {exp}; the findings it hid are reported again",
                    list(&dir.ids)
                ),
                "fix the findings, or, if they are still accepted, renew the date".into(),
            )),
            _ => {}
        }
    }
}

/// Marks the findings the directives cover as suppressed, and the ids that did.
fn mark_suppressed(diags: &mut [Diagnostic], directives: &mut [Directive], today: Date) {
    for d in diags.iter_mut() {
        if d.code == "ER003" {
            continue;
        }
        for dir in directives.iter_mut() {
            if !dir.covers(d) {
                continue;
            }
            let Some(pos) = dir.ids.iter().position(|(id, _)| id == d.code) else {
                continue;
            };
            if !dir.applies(today) {
                continue;
            }
            if let Some(u) = dir.used.get_mut(pos) {
                *u = true;
            }
            if d.suppressed.is_none() {
                d.suppressed = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification: if dir.reason.is_empty() {
                        "no reason given".into()
                    } else {
                        dir.reason.clone()
                    },
                });
            }
        }
    }
}

/// `--report-unused-ignores`: ER003 for each applied id that hid nothing.
fn unused(
    directives: &[Directive],
    today: Date,
    enabled: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Diagnostic>,
) {
    for dir in directives {
        if !dir.applies(today) {
            continue;
        }
        for ((id, span), used) in dir.ids.iter().zip(&dir.used) {
            if !used && rules::find(id).is_some() && enabled(id) {
                let mut d = er003(
                    *span,
                    format!("suppression of `{id}` hides nothing here"),
                    "remove it, or move it to the block that has the finding".into(),
                );
                d.note("reported because of --report-unused-ignores");
                problems.push(d);
            }
        }
    }
}

fn hint(origin: Origin) -> String {
    match origin {
        Origin::Comment => {
            "write the rule id and why the finding is accepted: `# erlint-ignore: ER301 lab circuit, one router`".into()
        }
        Origin::Metadata => {
            "give each entry an `id` and a `reason`: `{\"id\": \"ER301\", \"reason\": \"lab circuit, one router\"}`".into()
        }
    }
}

fn list(ids: &[(String, Span)]) -> String {
    ids.iter()
        .map(|(i, _)| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn er003(at: Span, message: String, help: String) -> Diagnostic {
    let mut d = crate::core::invalid_suppression(at, message);
    d.help(help);
    d
}

fn unknown_id(id: &str, at: Span) -> Diagnostic {
    let help = match rules::closest(id) {
        Some(m) => format!(
            "did you mean `{}` (`{}`)? `erlint rules` lists every rule",
            m.id, m.name
        ),
        None => "`erlint rules` lists every rule".into(),
    };
    er003(
        at,
        format!("`{id}` is not an erlint rule, so this suppression hides nothing"),
        help,
    )
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Lang {
    Hcl,
    Json,
    /// `.bicep` and `.bicepparam`: `//` and `/* */` comments, as the Bicep parser finds them.
    Bicep,
}

/// A block/attribute (HCL) or property/element (JSON) span, and whether it is a container
/// whose own comments cover it (a block, an object).
#[derive(Copy, Clone, Debug)]
struct Item {
    span: Span,
    container: bool,
}

fn scan_file(
    file: FileId,
    text: &str,
    lang: Lang,
    outline: Option<&[Span]>,
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    let (comments, bicep_items) = match lang {
        Lang::Bicep => bicep::comments_and_items(file, text),
        _ => (find_comments(text, lang), Vec::new()),
    };
    let items: Vec<Item> = match lang {
        Lang::Bicep => bicep_items,
        Lang::Hcl => match outline {
            Some(o) => hcl_items(file, text, o),
            None if !comments.is_empty() => {
                let spans = hcl_outline(file, text);
                hcl_items(file, text, &spans)
            }
            None => Vec::new(),
        },
        Lang::Json => {
            let parsed = jsonc_parser::parse_to_ast(
                text,
                &jsonc_parser::CollectOptions::default(),
                &jsonc_parser::ParseOptions {
                    allow_comments: true,
                    allow_trailing_commas: true,
                    allow_loose_object_property_names: false,
                    allow_missing_commas: false,
                    allow_single_quoted_strings: false,
                    allow_hexadecimal_numbers: false,
                    allow_unary_plus_numbers: false,
                    ..Default::default()
                },
            );
            let mut items = Vec::new();
            if let Ok(p) = parsed
                && let Some(v) = p.value
            {
                json_items(file, &v, &mut items);
                metadata_directives(file, text, &v, true, out, problems);
            }
            items
        }
    };
    let first_item = items.first().map(|i| i.span.start as usize);
    for c in comments {
        let Some(parsed) = parse_directive(file, text, &c) else {
            continue;
        };
        let file_level = parsed.file_level;
        let at = Span::new(file, c.start, c.end);
        let target = if file_level {
            if first_item.is_some_and(|f| c.start > f) {
                problems.push(er003(
                    at,
                    "`erlint-ignore-file` must come before the first block of the file; it is not applied".into(),
                    "move it to the top of the file, or use `erlint-ignore` on the line before the block".into(),
                ));
                continue;
            }
            None
        } else {
            let t = target_of(text, &items, &c);
            if t.is_none() {
                problems.push(er003(
                    at,
                    "this suppression is not followed by a block or attribute, so it covers nothing".into(),
                    "put it on the line directly before the block or attribute with the finding, or inside the block".into(),
                ));
                continue;
            }
            t
        };
        out.push(Directive::comment(file, at, parsed, target));
    }
}

/// A comment containing `erlint-ignore`: byte range of the comment text we read (from the
/// marker to the end of the line or `*/`), and whether only whitespace precedes it.
#[derive(Debug)]
struct Comment {
    start: usize,
    end: usize,
    own_line: bool,
    /// Offset of `erlint-ignore` in the text.
    key: usize,
}

fn find_comments(text: &str, lang: Lang) -> Vec<Comment> {
    let mut out = Vec::new();
    let heredocs = match lang {
        Lang::Hcl => heredoc_bodies(text),
        Lang::Json | Lang::Bicep => Vec::new(),
    };
    for (key, _) in text.match_indices("erlint-ignore") {
        if heredocs.iter().any(|r| r.contains(&key)) {
            continue;
        }
        let line_start = text
            .get(..key)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let Some(prefix) = text.get(line_start..key) else {
            continue;
        };
        let trimmed = prefix.trim_end();
        let marker = if trimmed.ends_with("//") || trimmed.ends_with("/*") {
            trimmed.len() - 2
        } else if lang == Lang::Hcl && trimmed.ends_with('#') {
            trimmed.len() - 1
        } else {
            continue;
        };
        let Some(before) = prefix.get(..marker) else {
            continue;
        };
        if !quotes_balanced(before) {
            continue;
        }
        let block = trimmed.ends_with("/*");
        let line_end = text
            .get(key..)
            .and_then(|s| s.find('\n'))
            .map_or(text.len(), |i| key + i);
        let end = if block {
            text.get(key..line_end)
                .and_then(|s| s.find("*/"))
                .map_or(line_end, |i| key + i + 2)
        } else {
            line_end
        };
        let end = text
            .get(..end)
            .map_or(end, |s| s.trim_end_matches(['\r', ' ', '\t']).len());
        out.push(Comment {
            start: line_start + marker,
            end,
            own_line: before.trim().is_empty(),
            key,
        });
    }
    out
}

/// Byte ranges of the bodies of HCL heredocs (`<<EOT` / `<<-EOT` … `EOT`): text there is a
/// string, not a comment.
fn heredoc_bodies(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize)> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim();
        match &open {
            Some((tag, body)) => {
                if trimmed == tag {
                    out.push(*body..start);
                    open = None;
                }
            }
            None => {
                let Some(i) = trimmed.rfind("<<") else {
                    continue;
                };
                let tag = trimmed.get(i + 2..).unwrap_or("");
                let tag = tag.strip_prefix('-').unwrap_or(tag);
                let is_ident = tag
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && tag
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                if is_ident {
                    open = Some((tag.to_string(), pos));
                }
            }
        }
    }
    if let Some((_, body)) = open {
        out.push(body..text.len());
    }
    out
}

/// Whether the `"` in `s` (ignoring `\"`) are balanced: the comment marker after it is
/// not inside a string.
fn quotes_balanced(s: &str) -> bool {
    let mut n = 0;
    let mut escaped = false;
    for c in s.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => n += 1,
            _ => {}
        }
        escaped = false;
    }
    n % 2 == 0
}

/// What a suppression comment says.
struct Parsed {
    ids: Vec<(String, Span)>,
    reason: String,
    expires: Option<Option<Date>>,
    file_level: bool,
}

/// `erlint-ignore: ER301, ER302 reason exp:2026-12-31` → ids (with spans), reason, expiry.
fn parse_directive(file: FileId, text: &str, c: &Comment) -> Option<Parsed> {
    let rest = text.get(c.key..c.end)?;
    let (file_level, body_off) = if let Some(r) = rest.strip_prefix("erlint-ignore-file") {
        (true, rest.len() - r.len())
    } else if let Some(r) = rest.strip_prefix("erlint-ignore") {
        (false, rest.len() - r.len())
    } else {
        return None;
    };
    let after = rest.get(body_off..)?;
    // `erlint-ignore:` (a colon is required; `erlint-ignored` is prose).
    let after_colon = after.strip_prefix(':')?;
    let mut off = c.key + body_off + 1;
    let mut body = after_colon;
    if let Some(b) = body.strip_suffix("*/") {
        body = b;
    }
    let mut ids = Vec::new();
    // Leading ids: tokens like ER301, separated by commas and/or spaces.
    loop {
        let trimmed = body.trim_start_matches([' ', '\t', ',']);
        off += body.len() - trimmed.len();
        body = trimmed;
        let tok_len = body
            .find(|ch: char| ch.is_whitespace() || ch == ',')
            .unwrap_or(body.len());
        let tok = body.get(..tok_len)?;
        let Some(id) = rule_token(tok) else {
            break;
        };
        ids.push((id, Span::new(file, off, off + tok_len)));
        off += tok_len;
        body = body.get(tok_len..)?;
    }
    let (reason, expires) = split_expiry(body);
    Some(Parsed {
        ids,
        reason,
        expires,
        file_level,
    })
}

/// A word of a suppression that names a rule: an id (`ER301`, any case), a rule name
/// (`single-bgp-session`, any case), or a misspelling of either close enough to be one
/// (`ER3O1`, `single-bgp-sesion`: kept as written, reported as unknown with the nearest
/// rule). Any other word starts the reason.
fn rule_token(tok: &str) -> Option<String> {
    if let Some(m) = rules::lookup(tok) {
        return Some(m.id.to_string());
    }
    let looks_like_id = tok.len() >= 3
        && tok.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ER"))
        && tok
            .get(2..)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()));
    if looks_like_id {
        return Some(tok.to_ascii_uppercase());
    }
    let id_like = tok.len() <= 6 && tok.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ER"));
    let name_like =
        tok.contains('-') && tok.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ((id_like || name_like) && rules::closest(tok).is_some()).then(|| tok.to_string())
}

/// Take an `exp:YYYY-MM-DD` token out of the reason.
fn split_expiry(reason: &str) -> (String, Option<Option<Date>>) {
    let mut expires = None;
    let mut words = Vec::new();
    for w in reason.split_whitespace() {
        match w.strip_prefix("exp:") {
            Some(d) if expires.is_none() => expires = Some(Date::parse(d)),
            _ => words.push(w),
        }
    }
    (words.join(" "), expires)
}

/// HCL outline spans → items; a block is a container, an attribute (`key =`) is not.
fn hcl_items(file: FileId, text: &str, spans: &[Span]) -> Vec<Item> {
    let mut items: Vec<Item> = spans
        .iter()
        .filter(|s| s.file == file)
        .map(|s| {
            let head = text.get(s.range()).unwrap_or("");
            let after_key =
                head.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '-');
            let after_key = after_key.trim_start();
            let is_attr = after_key.starts_with('=') && !after_key.starts_with("==");
            Item {
                span: *s,
                container: !is_attr,
            }
        })
        .collect();
    items.sort_by_key(|i| (i.span.start, std::cmp::Reverse(i.span.end)));
    items
}

/// Parse an HCL file for its block/attribute spans (when the front end did not record
/// them, e.g. for a file it did not load as a module file).
fn hcl_outline(file: FileId, text: &str) -> Vec<Span> {
    use hcl_edit::Span as _;
    fn walk(file: FileId, body: &hcl_edit::structure::Body, out: &mut Vec<Span>) {
        for s in body.iter() {
            match s {
                hcl_edit::structure::Structure::Attribute(a) => {
                    if let Some(r) = a.span() {
                        out.push(Span::new(file, r.start, r.end));
                    }
                }
                hcl_edit::structure::Structure::Block(b) => {
                    if let Some(r) = b.span() {
                        out.push(Span::new(file, r.start, r.end));
                    }
                    walk(file, &b.body, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(body) = hcl_edit::parser::parse_body(text) {
        walk(file, &body, &mut out);
    }
    out
}

fn json_items(file: FileId, v: &jsonc_parser::ast::Value<'_>, out: &mut Vec<Item>) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    match v {
        Value::Object(o) => {
            for p in &o.properties {
                let r = p.range();
                out.push(Item {
                    span: Span::new(file, r.start, r.end),
                    container: matches!(p.value, Value::Object(_)),
                });
                json_items(file, &p.value, out);
            }
        }
        Value::Array(a) => {
            for e in &a.elements {
                let r = e.range();
                out.push(Item {
                    span: Span::new(file, r.start, r.end),
                    container: matches!(e, Value::Object(_)),
                });
                json_items(file, e, out);
            }
        }
        _ => {}
    }
}

fn get<'o, 'a>(
    o: &'o jsonc_parser::ast::Object<'a>,
    name: &str,
) -> Option<&'o jsonc_parser::ast::Value<'a>> {
    o.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
        .map(|p| &p.value)
}

/// A `"//"` property (Terraform JSON's comment) whose text is a suppression:
/// `"//": "erlint-ignore: ER301 reason"` covers the object that holds it;
/// `erlint-ignore-file:` on the root object covers the file. Written with escapes, the
/// string is not read (its spans would not match the text).
fn comment_property_directive(
    file: FileId,
    text: &str,
    o: &jsonc_parser::ast::Object<'_>,
    root: bool,
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    for p in o.properties.iter().filter(|p| p.name.as_str() == "//") {
        let Value::StringLit(s) = &p.value else {
            continue;
        };
        let r = s.range();
        let (start, end) = (r.start + 1, r.end.saturating_sub(1));
        let Some(raw) = text.get(start..end) else {
            continue;
        };
        if raw != s.value.as_ref() {
            continue;
        }
        let Some(key) = raw.find("erlint-ignore") else {
            continue;
        };
        let c = Comment {
            start,
            end,
            own_line: true,
            key: start + key,
        };
        let Some(parsed) = parse_directive(file, text, &c) else {
            continue;
        };
        let at = Span::new(file, start, end);
        if parsed.file_level && !root {
            problems.push(er003(
                at,
                "`erlint-ignore-file` belongs in the root object of the file; it is not applied"
                    .into(),
                "move it to the top-level `\"//\"` property, or use `erlint-ignore`".into(),
            ));
            continue;
        }
        let r = o.range();
        let target = (!parsed.file_level).then(|| Span::new(file, r.start, r.end));
        out.push(Directive::comment(file, at, parsed, target));
    }
}

/// One entry of `metadata.erlint.ignore` at `at`: its ids, reason and expiry.
fn metadata_entry(
    file: FileId,
    entry: &jsonc_parser::ast::Value<'_>,
    at: Span,
) -> (Vec<(String, Span)>, String, Option<Option<Date>>) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    match entry {
        Value::Object(e) => {
            let text_of = |k: &str| match get(e, k) {
                Some(Value::StringLit(s)) => Some((s.value.to_string(), s.range())),
                _ => None,
            };
            let ids = text_of("id")
                .map(|(id, r)| {
                    id.split([',', ' '])
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            (
                                rules::lookup(s)
                                    .map_or_else(|| s.to_ascii_uppercase(), |m| m.id.to_string()),
                                Span::new(file, r.start, r.end),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let reason = text_of("reason").map(|(s, _)| s).unwrap_or_default();
            let expires = text_of("expires")
                .or_else(|| text_of("exp"))
                .map(|(s, _)| Date::parse(s.trim()));
            (ids, reason.trim().to_string(), expires)
        }
        // `"ignore": ["ER301"]`: an id without a reason.
        Value::StringLit(s) => (
            vec![(
                rules::lookup(&s.value)
                    .map_or_else(|| s.value.to_ascii_uppercase(), |m| m.id.to_string()),
                at,
            )],
            String::new(),
            None,
        ),
        _ => (Vec::new(), String::new(), None),
    }
}

/// `"metadata": {"erlint": {"ignore": [{"id", "reason", "expires"}]}}` on any object
/// (a resource, or the template root for the whole file), and `"//"` comment properties.
fn metadata_directives(
    file: FileId,
    text: &str,
    v: &jsonc_parser::ast::Value<'_>,
    root: bool,
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    match v {
        Value::Object(o) => {
            comment_property_directive(file, text, o, root, out, problems);
            if let Some(Value::Object(meta)) = get(o, "metadata")
                && let Some(Value::Object(er)) = get(meta, "erlint")
                && let Some(ignore) = get(er, "ignore")
                && !matches!(ignore, Value::Array(_))
            {
                let r = ignore.range();
                problems.push(er003(
                    Span::new(file, r.start, r.end),
                    "`metadata.erlint.ignore` is not a list, so it suppresses nothing".into(),
                    hint(Origin::Metadata),
                ));
            }
            if let Some(Value::Object(meta)) = get(o, "metadata")
                && let Some(Value::Object(er)) = get(meta, "erlint")
                && let Some(Value::Array(list)) = get(er, "ignore")
            {
                let r = o.range();
                for entry in &list.elements {
                    let er = entry.range();
                    let at = Span::new(file, er.start, er.end);
                    let (ids, reason, expires) = metadata_entry(file, entry, at);
                    let n = ids.len();
                    out.push(Directive {
                        file,
                        at,
                        origin: Origin::Metadata,
                        ids,
                        reason,
                        expires,
                        target: Some(Span::new(file, r.start, r.end)),
                        file_level: false,
                        used: vec![false; n],
                    });
                }
            }
            for p in &o.properties {
                metadata_directives(file, text, &p.value, false, out, problems);
            }
        }
        Value::Array(a) => {
            for e in &a.elements {
                metadata_directives(file, text, e, false, out, problems);
            }
        }
        _ => {}
    }
}

/// What a (non-file-level) comment covers; see the module docs.
fn target_of(text: &str, items: &[Item], c: &Comment) -> Option<Span> {
    let inside = |i: &Item| (i.span.start as usize) < c.start && c.end <= i.span.end as usize;
    // Innermost item containing the comment.
    let enclosing = items
        .iter()
        .filter(|i| inside(i))
        .max_by_key(|i| (i.span.start, std::cmp::Reverse(i.span.end)))
        .copied();
    let within = |i: &Item| enclosing.is_none_or(|e| e.span.contains(i.span) && e.span != i.span);
    let line_start = text
        .get(..c.start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    if !c.own_line {
        // After code on the same line: the outermost item starting on this line.
        if let Some(i) = items.iter().find(|i| {
            let s = i.span.start as usize;
            s >= line_start && s < c.start
        }) {
            return Some(i.span);
        }
        return enclosing.map(|e| e.span);
    }
    if let Some(e) = enclosing
        && e.container
        && !items
            .iter()
            .any(|i| within(i) && (i.span.start as usize) < c.start)
    {
        return Some(e.span);
    }
    // The next item, if only comment lines separate it from this comment.
    let next = items
        .iter()
        .find(|i| (i.span.start as usize) >= c.end && within(i));
    if let Some(n) = next
        && only_comment_lines(text.get(c.end..n.span.start as usize).unwrap_or("x"))
    {
        return Some(n.span);
    }
    enclosing.map(|e| e.span)
}

/// The text between a comment's end and the next item: the rest of the comment's line,
/// then only full comment lines, then the item's indentation. No blank lines.
fn only_comment_lines(between: &str) -> bool {
    let mut lines = between.split('\n');
    let _ = lines.next(); // rest of the comment's own line
    let mut rest: Vec<&str> = lines.collect();
    let _ = rest.pop(); // indentation before the item
    rest.iter().all(|l| {
        let t = l.trim();
        !t.is_empty()
            && (t.starts_with('#')
                || t.starts_with("//")
                || t.starts_with("/*")
                || t.starts_with('*'))
    })
}

mod bicep;
#[cfg(test)]
mod tests;

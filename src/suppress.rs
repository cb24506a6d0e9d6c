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
//! Each front end finds the comments, the items they can cover and the suppressions
//! written as data with its own parser ([`crate::source::sites`]); this module matches
//! them to findings, checks expiry and reports ER003.
//!
//! Cost: Terraform files that hold `erlint-ignore` return their sites with their parse;
//! other files are asked for theirs only when they hold (or scope) a finding, and a file
//! whose text does not contain `erlint` is skipped after one substring search.

use crate::diagnostic::{Diagnostic, Suppression, SuppressionKind};
use crate::rules;
use crate::source::sites::{CommentSite, DataEntry, Item, Sites};
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
///
/// `recorded`: the sites the front ends returned with their parse (Terraform files that
/// hold `erlint-ignore`); other files are asked for theirs here.
pub fn apply(
    diags: &mut [Diagnostic],
    db: &SourceDb,
    recorded: &HashMap<FileId, Sites>,
    opts: &Options,
    enabled: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let (mut directives, mut problems) = scan_files(diags, db, recorded, opts);
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
    recorded: &HashMap<FileId, Sites>,
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
        // A file kept in part holds no suppression comment (it is kept whole otherwise).
        if db.kept_in_part(file) {
            continue;
        }
        let Some(text) = db.loaded_text(file) else {
            continue;
        };
        // memmem's vectorised search: most files that hold a finding hold no suppression.
        if memchr::memmem::find(text.as_bytes(), b"erlint").is_none() {
            continue;
        }
        let read;
        let sites = match recorded.get(&file) {
            Some(s) => s,
            None => {
                read = sites_of(db.display(file), file, text);
                &read
            }
        };
        scan_file(file, text, sites, &mut directives, &mut problems);
    }
    (directives, problems)
}

/// The sites of a file no front end returned them for, from the front end of its syntax.
fn sites_of(name: &str, file: FileId, text: &str) -> Sites {
    if name.ends_with(".json") || name.ends_with(".jsonc") {
        crate::jsonc::sites::of_text(file, text)
    } else if crate::bicep::is_bicep_name(name) {
        crate::bicep::sites::of_text(file, text)
    } else {
        crate::terraform::sites::of_text(file, text)
    }
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

fn scan_file(
    file: FileId,
    text: &str,
    sites: &Sites,
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    data_directives(file, text, sites, out, problems);
    let first_item = sites.items.first().map(|i| i.span.start as usize);
    for c in sites.comments.iter().filter(|c| c.holder.is_none()) {
        let Some(parsed) = parse_directive(file, text, c) else {
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
            let t = target_of(text, &sites.items, c);
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

/// The suppressions written as data: `"//"` properties (covering the object that holds
/// them) and `metadata.erlint.ignore` entries, in source order.
fn data_directives(
    file: FileId,
    text: &str,
    sites: &Sites,
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    for at in &sites.not_a_list {
        problems.push(er003(
            *at,
            "`metadata.erlint.ignore` is not a list, so it suppresses nothing".into(),
            hint(Origin::Metadata),
        ));
    }
    let mut held: Vec<&CommentSite> = sites
        .comments
        .iter()
        .filter(|c| c.holder.is_some())
        .collect();
    let mut entries: Vec<&DataEntry> = sites.entries.iter().collect();
    held.reverse();
    entries.reverse();
    loop {
        let take_comment = match (held.last(), entries.last()) {
            (Some(c), Some(e)) => c.start < e.at.start as usize,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_comment {
            let Some(c) = held.pop() else { break };
            comment_property(file, text, c, out, problems);
        } else {
            let Some(e) = entries.pop() else { break };
            out.push(metadata_directive(e));
        }
    }
}

/// A `"//"` property's suppression: the object holding it, or the file from the root.
fn comment_property(
    file: FileId,
    text: &str,
    c: &CommentSite,
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(holder) = c.holder else { return };
    let Some(parsed) = parse_directive(file, text, c) else {
        return;
    };
    let at = Span::new(file, c.start, c.end);
    if parsed.file_level && !holder.root {
        problems.push(er003(
            at,
            "`erlint-ignore-file` belongs in the root object of the file; it is not applied".into(),
            "move it to the top-level `\"//\"` property, or use `erlint-ignore`".into(),
        ));
        return;
    }
    let target = (!parsed.file_level).then_some(holder.object);
    out.push(Directive::comment(file, at, parsed, target));
}

/// One `metadata.erlint.ignore` entry: ids by their canonical name, the expiry read.
fn metadata_directive(e: &DataEntry) -> Directive {
    let ids: Vec<(String, Span)> = e
        .ids
        .iter()
        .map(|(s, at)| {
            let id = rules::lookup(s).map_or_else(|| s.to_ascii_uppercase(), |m| m.id.to_string());
            (id, *at)
        })
        .collect();
    let n = ids.len();
    Directive {
        file: e.file,
        at: e.at,
        origin: Origin::Metadata,
        ids,
        reason: e.reason.clone(),
        expires: e.expires.as_deref().map(|s| Date::parse(s.trim())),
        target: Some(e.target),
        file_level: false,
        used: vec![false; n],
    }
}

/// What a suppression comment says.
struct Parsed {
    ids: Vec<(String, Span)>,
    reason: String,
    expires: Option<Option<Date>>,
    file_level: bool,
}

/// `erlint-ignore: ER301, ER302 reason exp:2026-12-31` → ids (with spans), reason, expiry.
fn parse_directive(file: FileId, text: &str, c: &CommentSite) -> Option<Parsed> {
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

/// What a (non-file-level) comment covers; see the module docs.
fn target_of(text: &str, items: &[Item], c: &CommentSite) -> Option<Span> {
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

#[cfg(test)]
mod tests;

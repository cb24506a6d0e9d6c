//! The evaluation budget of one unit (a Terraform root, an ARM template with one parameter
//! file), so that hostile input ends quickly in bounded memory: a "billion laughs" of
//! locals, nested `for` expressions over large ranges, module fan-out, strings doubled by
//! templates, references chained thousands deep.
//!
//! A unit's evaluation runs inside [`run`], which installs a fresh budget for the thread
//! (a unit is evaluated on one thread) and returns the limits that were hit. The
//! evaluators charge it: [`step`] per expression evaluated, [`values`] per list element or
//! object member built, [`bytes`] per byte of string built, and [`nested`] per level of
//! recursion, counted across references (a local read through another local is one level
//! deeper, never a fresh start) and run on a stack that grows on the heap when needed.
//! Values are also kept from growing through sharing ([`within_size`]): a list holding the
//! same large list twice, over and over, is small in memory but not for whoever walks it.
//!
//! Once a limit is reached, what is still to be computed is Unknown (the evaluators turn
//! [`Stop`] into an Unknown value or an evaluation error that `try()` cannot catch), and
//! each [`Hit`] becomes an ER005 warning at the expression that was being evaluated, so
//! the gate fails unless the user accepts it. Limits that hide part of a unit in other
//! ways (a `count` above the largest expanded, a module nested too deeply) are recorded
//! with [`hit`] and reported the same way.
//!
//! Outside [`run`] (unit tests of an evaluator) only the depth limit applies.

use crate::diagnostic::Diagnostic;
use crate::model::{Val, ValKind};
use crate::source::Span;
use std::cell::RefCell;

/// Expressions evaluated per unit (calls of a function, references, operators, …).
pub const MAX_STEPS: u64 = 2_000_000;
/// List elements and object members built per unit.
pub const MAX_VALUES: u64 = 1_000_000;
/// Bytes of strings built per unit.
pub const MAX_BYTES: u64 = 64 << 20;
/// Recursion depth, across references.
pub const MAX_DEPTH: u32 = 1_000;
/// Elements of one value, counted as often as they occur (shared or not).
pub const MAX_VALUE_NODES: usize = 1_000_000;

/// Stack left before a recursion continues on a new segment, and that segment's size.
const RED_ZONE: usize = 256 * 1024;
const NEW_SEGMENT: usize = 4 * 1024 * 1024;

/// A limit was reached: the value being computed is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    /// What was reached, for the Unknown's reason: "erlint's limit of … for one unit".
    pub reason: String,
}

/// One limit reached in a unit (or a bug caught there), where it was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub span: Span,
    pub message: String,
    /// A panic caught while evaluating at `span` (ER000), not a limit (ER005).
    pub internal: bool,
}

#[derive(Default)]
struct Budget {
    /// Inside [`run`]: steps, values and bytes are counted.
    counting: bool,
    steps: u64,
    values: u64,
    bytes: u64,
    depth: u32,
    /// The reason once steps, values or bytes ran out: everything after is Unknown.
    exhausted: Option<String>,
    hits: Vec<Hit>,
    /// The expression evaluated last (where an uncaught panic is reported).
    last: Option<Span>,
}

thread_local! {
    static BUDGET: RefCell<Budget> = RefCell::new(Budget::default());
}

fn with<R>(f: impl FnOnce(&mut Budget) -> R) -> R {
    BUDGET.with(|b| f(&mut b.borrow_mut()))
}

/// Run one unit's evaluation `f` with a fresh budget; the limits it hit, once per place.
/// The budget in force before is restored afterwards.
pub fn run<R>(f: impl FnOnce() -> R) -> (R, Vec<Hit>) {
    let outer = with(|b| {
        std::mem::replace(
            b,
            Budget {
                counting: true,
                ..Budget::default()
            },
        )
    });
    let restore = Restore(Some(outer));
    let r = f();
    let hits = restore.finish();
    (r, hits)
}

/// Puts the outer budget back even when the unit panics.
struct Restore(Option<Budget>);

impl Restore {
    fn finish(mut self) -> Vec<Hit> {
        let outer = self.0.take().unwrap_or_default();
        let inner = with(|b| std::mem::replace(b, outer));
        inner.hits
    }
}

impl Drop for Restore {
    /// Unwinding: the outer budget comes back, knowing where the unit stopped.
    fn drop(&mut self) {
        if let Some(mut outer) = self.0.take() {
            with(|b| {
                outer.last = b.last.or(outer.last);
                *b = outer;
            });
        }
    }
}

/// Where the last evaluation step was, forgotten once asked: a panic that reached the
/// unit is reported there.
pub fn take_last_span() -> Option<Span> {
    with(|b| b.last.take())
}

/// Record that a limit hid part of the unit at `span` (once per place and message).
pub fn hit(span: Span, message: impl Into<String>) {
    record(span, message.into(), false);
}

/// Record a panic caught while evaluating at `span`.
pub fn internal_error(span: Span, message: String) {
    record(span, message, true);
}

/// Stop the unit's evaluation at `span` because of `reason` (a limit on what the unit
/// holds, such as its number of resources): as if its budget ran out.
pub fn exhaust(span: Span, reason: String) {
    with(|b| {
        if b.counting && b.exhausted.is_none() {
            b.exhausted = Some(reason.clone());
            b.hits.push(Hit {
                span,
                message: format!(
                    "evaluation stopped here: {reason}; every value still to be computed is unknown and the checks that need it were skipped"
                ),
                internal: false,
            });
        }
    });
}

/// Most places reported per unit: past them the unit already fails.
const MAX_HITS: usize = 1_000;

fn record(span: Span, message: String, internal: bool) {
    with(|b| {
        if b.hits.len() < MAX_HITS
            && !b
                .hits
                .iter()
                .any(|h| h.span == span && h.message == message)
        {
            b.hits.push(Hit {
                span,
                message,
                internal,
            });
        }
    });
}

/// How many limits were hit so far: `try()` and `can()` compare it before and after an
/// argument, so that an argument stopped by a limit is Unknown, never "failed".
pub fn hit_count() -> usize {
    with(|b| b.hits.len())
}

/// Whether steps, values or bytes ran out in this unit.
pub fn exhausted() -> bool {
    with(|b| b.exhausted.is_some())
}

fn charge(
    span: Span,
    what: fn(&mut Budget) -> (&mut u64, u64, &'static str),
    n: u64,
) -> Result<(), Stop> {
    with(|b| {
        if let Some(reason) = &b.exhausted {
            return Err(Stop {
                reason: reason.clone(),
            });
        }
        if !b.counting {
            return Ok(());
        }
        let (used, max, name) = what(b);
        *used = used.saturating_add(n);
        if *used <= max {
            return Ok(());
        }
        let reason = format!(
            "erlint's limit of {} {name} for one unit was reached",
            thousands(max)
        );
        b.exhausted = Some(reason.clone());
        b.hits.push(Hit {
            span,
            message: format!(
                "evaluation stopped here: {reason}; every value still to be computed is unknown and the checks that need it were skipped"
            ),
            internal: false,
        });
        Err(Stop { reason })
    })
}

/// One expression evaluated at `span`.
#[inline]
pub fn step(span: Span) -> Result<(), Stop> {
    // One step within the budget (every expression evaluated: the common case) is counted
    // here in one visit of the budget; the rest is `charge`'s.
    let counted = with(|b| {
        b.last = Some(span);
        if b.exhausted.is_some() || (b.counting && b.steps >= MAX_STEPS) {
            return false;
        }
        if b.counting {
            b.steps += 1;
        }
        true
    });
    if counted {
        return Ok(());
    }
    charge(span, |b| (&mut b.steps, MAX_STEPS, "evaluation steps"), 1)
}

/// `n` steps at once (a walk over a value).
pub fn steps(n: usize, span: Span) -> Result<(), Stop> {
    charge(
        span,
        |b| (&mut b.steps, MAX_STEPS, "evaluation steps"),
        n as u64,
    )
}

/// `n` list elements or object members built at `span`.
pub fn values(n: usize, span: Span) -> Result<(), Stop> {
    charge(
        span,
        |b| (&mut b.values, MAX_VALUES, "values built"),
        n as u64,
    )
}

/// `n` bytes of string built at `span`.
pub fn bytes(n: usize, span: Span) -> Result<(), Stop> {
    charge(
        span,
        |b| (&mut b.bytes, MAX_BYTES, "bytes of strings built"),
        n as u64,
    )
}

/// Run `f` one recursion level deeper (counted across references), on a stack with room
/// for it. Beyond [`MAX_DEPTH`] levels, `f` is not run.
#[inline]
pub fn nested<R>(span: Span, f: impl FnOnce() -> R) -> Result<R, Stop> {
    let deeper = with(|b| {
        if b.depth >= MAX_DEPTH {
            return false;
        }
        b.depth += 1;
        true
    });
    if !deeper {
        let reason = format!(
            "erlint's limit of {MAX_DEPTH} nested evaluations (expressions inside expressions, references through references) was reached"
        );
        hit(
            span,
            format!(
                "evaluation stopped here: {reason}; this value is unknown and the checks that need it were skipped"
            ),
        );
        return Err(Stop { reason });
    }
    let _leave = Leave;
    Ok(stacker::maybe_grow(RED_ZONE, NEW_SEGMENT, f))
}

/// Leaves one level of [`nested`] (also when unwinding).
struct Leave;

impl Drop for Leave {
    fn drop(&mut self) {
        with(|b| b.depth = b.depth.saturating_sub(1));
    }
}

/// Check that `v` has at most [`MAX_VALUE_NODES`] elements counted as often as they occur
/// (a value that holds the same large list many times is cheap to build and endless to
/// walk). The walk stops at the limit and is charged as steps.
pub fn within_size(v: &Val, span: Span) -> Result<(), Stop> {
    if !matches!(v.kind, ValKind::List(_) | ValKind::Object(_)) {
        return Ok(());
    }
    let container = |x: &Val| matches!(x.kind, ValKind::List(_) | ValKind::Object(_));
    // A flat value (most block bodies) is counted without a stack: the same count as the
    // walk's, which stops one past the limit.
    let flat = match &v.kind {
        ValKind::List(items) => (!items.iter().any(container)).then_some(items.len()),
        ValKind::Object(o) => (!o.values().any(container)).then(|| o.len()),
        _ => None,
    };
    let mut seen = flat.map_or(0, |n| (1 + n).min(MAX_VALUE_NODES + 1));
    let mut stack: Vec<&Val> = if flat.is_some() { Vec::new() } else { vec![v] };
    while let Some(x) = stack.pop() {
        seen += 1;
        if seen > MAX_VALUE_NODES {
            break;
        }
        match &x.kind {
            ValKind::List(items) => stack.extend(items.iter()),
            ValKind::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    // A step of a walk costs far less than evaluating an expression.
    let charged = steps(seen / 16, span);
    if seen <= MAX_VALUE_NODES {
        return charged;
    }
    let reason = format!(
        "this value holds more than erlint's limit of {} elements (counting every repetition)",
        thousands(MAX_VALUE_NODES as u64)
    );
    hit(
        span,
        format!("{reason}; it is treated as unknown and the checks that need it were skipped"),
    );
    Err(Stop { reason })
}

/// `4000000` → `4,000,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The ER005 warning for a limit hit (ER000 for a caught panic).
pub fn diagnostic(h: &Hit) -> Diagnostic {
    if h.internal {
        return crate::core::internal_error(h.span, h.message.clone());
    }
    let mut d = crate::core::limit_reached(h.span, h.message.clone());
    d.help("simplify what is evaluated here, or accept the gap with an `erlint-ignore ER005` comment once you have checked this part yourself");
    d
}

/// The ER005 warnings for `hits`.
pub fn diagnostics(hits: &[Hit]) -> Vec<Diagnostic> {
    hits.iter().map(diagnostic).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn at(n: u32) -> Span {
        Span::new(FileId(0), n as usize, n as usize + 1)
    }

    #[test]
    fn steps_run_out_once_and_say_where() {
        let ((), hits) = run(|| {
            let mut ok = 0u64;
            while step(at(1)).is_ok() {
                ok += 1;
            }
            assert_eq!(ok, MAX_STEPS);
            assert!(exhausted());
            // Everything after is stopped too, without another hit.
            assert!(values(1, at(2)).is_err());
        });
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].span, at(1));
        assert!(
            hits[0].message.contains("2,000,000 evaluation steps"),
            "{}",
            hits[0].message
        );
        // Outside `run` nothing is counted and the budget is fresh again.
        assert!(!exhausted());
        assert!(step(at(3)).is_ok());
    }

    #[test]
    fn depth_is_bounded_and_deep_recursion_does_not_overflow() {
        fn down(n: u32) -> u32 {
            let deeper = nested(at(n), || {
                // A large frame, so that a small thread stack would overflow.
                let pad = std::hint::black_box([n as u8; 4096]);
                down(n + 1).max(u32::from(pad[0]))
            });
            deeper.unwrap_or(n)
        }
        let small_stack = std::thread::Builder::new().stack_size(256 * 1024);
        let (depth, hits) = small_stack
            .spawn(|| run(|| down(0)))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(hits.len(), 1);
        assert!(
            hits[0].message.contains("1000 nested evaluations"),
            "{}",
            hits[0].message
        );
    }

    #[test]
    fn shared_values_are_measured_as_often_as_they_occur() {
        let mut v = Val::list(vec![Val::str("x", None)], None);
        for _ in 0..30 {
            v = Val::list(vec![v.clone(), v], None);
        }
        let (r, hits) = run(|| within_size(&v, at(7)));
        assert!(r.is_err());
        assert_eq!(hits.len(), 1);
        let small = Val::list(vec![Val::str("x", None); 10], None);
        assert_eq!(run(|| within_size(&small, at(7))).0, Ok(()));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(4_000_000), "4,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}

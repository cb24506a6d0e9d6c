//! `dateTimeFromEpoch` and `dateTimeToEpoch` (learn.microsoft.com, "Date functions for
//! ARM templates"). Their usual argument, `utcNow()`, is only known during deployment,
//! and so is their result then; with a literal they are known.
//!
//! `dateTimeAdd` stays unevaluated: without a format argument its result takes the
//! format of its base value as .NET renders it (the documentation's example turns
//! `2020-04-07 14:53:14Z` into `4/7/2023 2:53:14 PM`).

use super::{Call, OrInvalid, Out, Stop, int};
use crate::model::Val;
use chrono::{DateTime, SecondsFormat};

/// `dateTimeFromEpoch(seconds)`: `2023-05-02T15:16:13Z` (UTC, whole seconds).
pub(super) fn date_time_from_epoch(c: &Call, a: &[Val]) -> Out {
    let [secs] = a else { return Err(Stop::Invalid) };
    let t = DateTime::from_timestamp(int(secs).or_invalid()?, 0).or_invalid()?;
    Ok(c.text(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
}

/// `dateTimeToEpoch(dateTime)`: seconds since 1970-01-01T00:00:00Z. Only an ISO 8601
/// time with an offset (`Z` or `±hh:mm`) and whole seconds is decided here: without an
/// offset, or with fractions, what Azure reads is not documented.
pub(super) fn date_time_to_epoch(c: &Call, a: &[Val]) -> Out {
    let [s] = a else { return Err(Stop::Invalid) };
    let s = s.as_str().or_invalid()?;
    let Ok(t) = DateTime::parse_from_rfc3339(s) else {
        return c.unknown("`dateTimeToEpoch()` of a time that is not ISO 8601 with an offset");
    };
    if t.timestamp_subsec_nanos() != 0 {
        return c.unknown("`dateTimeToEpoch()` of a time with fractions of a second");
    }
    c.int(t.timestamp())
}

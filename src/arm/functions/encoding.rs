//! Encodings: base64, data URIs, URI components and `uri()` (learn.microsoft.com,
//! "String functions for ARM templates"). Strings are encoded as UTF-8; bytes that do
//! not decode to UTF-8 make the result Unknown, not a replacement character.

use super::objects::from_json;
use super::{Call, OrInvalid, Out, Stop};
use crate::model::Val;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What .NET's `Uri.EscapeDataString` escapes: everything but RFC 3986's unreserved
/// characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The prefix `dataUri()` writes. Documented: `dataUri('Hello')` is
/// `data:text/plain;charset=utf8;base64,SGVsbG8=` ("utf8", without a hyphen).
const DATA_URI_PREFIX: &str = "data:text/plain;charset=utf8;base64,";

fn one_string(a: &[Val]) -> Result<&str, Stop> {
    match a {
        [s] => s.as_str().or_invalid(),
        _ => Err(Stop::Invalid),
    }
}

/// Base64 text decoded; .NET's `Convert.FromBase64String` skips white space.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

pub(super) fn base64(c: &Call, a: &[Val]) -> Out {
    let s = one_string(a)?;
    c.string(STANDARD.encode(s))
}

pub(super) fn base64_to_string(c: &Call, a: &[Val]) -> Out {
    let bytes = decode_base64(one_string(a)?).or_invalid()?;
    c.string(String::from_utf8(bytes).ok().or_invalid()?)
}

/// `base64ToJson(b64)`: the JSON value the decoded text holds.
pub(super) fn base64_to_json(c: &Call, a: &[Val]) -> Out {
    let bytes = decode_base64(one_string(a)?).or_invalid()?;
    let j: serde_json::Value = serde_json::from_slice(&bytes).ok().or_invalid()?;
    Ok(from_json(&j, c.site()))
}

/// `dataUri(s)` of a string. (Azure also takes other values; their form is not
/// documented, so they are Unknown here.)
pub(super) fn data_uri(c: &Call, a: &[Val]) -> Out {
    let s = one_string(a)?;
    c.string(format!("{DATA_URI_PREFIX}{}", STANDARD.encode(s)))
}

/// `dataUriToString(uri)` of a base64 data URI whose charset, if any, is UTF-8.
pub(super) fn data_uri_to_string(c: &Call, a: &[Val]) -> Out {
    let s = one_string(a)?;
    let rest = s
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("data:"))
        .and_then(|_| s.get(5..))
        .or_invalid()?;
    let (meta, data) = rest.split_once(',').or_invalid()?;
    let mut params = meta.split(';');
    let _media_type = params.next();
    let mut base64 = false;
    for p in params {
        match p.split_once('=') {
            None if p.eq_ignore_ascii_case("base64") => base64 = true,
            Some((k, v))
                if k.eq_ignore_ascii_case("charset")
                    && !v.eq_ignore_ascii_case("utf8")
                    && !v.eq_ignore_ascii_case("utf-8") =>
            {
                return c.unknown("`dataUriToString()` of a charset other than UTF-8");
            }
            _ => {}
        }
    }
    if !base64 {
        return c.unknown("`dataUriToString()` of a data URI that is not base64");
    }
    let bytes = decode_base64(data).or_invalid()?;
    c.string(String::from_utf8(bytes).ok().or_invalid()?)
}

/// `uriComponent(s)`: percent-encoded UTF-8, upper-case hex, as `Uri.EscapeDataString`.
pub(super) fn uri_component(c: &Call, a: &[Val]) -> Out {
    let s = one_string(a)?;
    c.string(utf8_percent_encode(s, COMPONENT).to_string())
}

/// `uriComponentToString(s)`: percent-decoded. A `%` not followed by two hex digits, or
/// bytes that are not UTF-8, make it Unknown.
pub(super) fn uri_component_to_string(c: &Call, a: &[Val]) -> Out {
    let s = one_string(a)?;
    let b = s.as_bytes();
    let well_formed = b.iter().enumerate().all(|(i, ch)| {
        *ch != b'%'
            || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return c.unknown("`uriComponentToString()` of a malformed escape");
    }
    let decoded = percent_decode_str(s).decode_utf8().ok().or_invalid()?;
    c.string(decoded.into_owned())
}

/// `uri(baseUri, relativeUri)`: RFC 3986 resolution, for the plain cases the
/// documentation shows (`uri('http://contoso.org/firstpath', 'myscript.sh')` is
/// `http://contoso.org/myscript.sh`). .NET also normalises what it returns (case of the
/// host, default ports, escapes, `..` segments): URIs that it might rewrite are Unknown.
pub(super) fn uri(c: &Call, a: &[Val]) -> Out {
    let [base, relative] = a else {
        return Err(Stop::Invalid);
    };
    let (base, relative) = (base.as_str().or_invalid()?, relative.as_str().or_invalid()?);
    let not_plain = || c.unknown("`uri()` of a URI that .NET may normalise");
    let Some((scheme, rest)) = base.split_once("://") else {
        return not_plain();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let plain_scheme = !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_lowercase());
    let plain_host = !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !plain_scheme || !plain_host || path.is_empty() || !plain_path(path) {
        return not_plain();
    }
    if relative.is_empty() || relative.starts_with("//") || !plain_path(relative) {
        return not_plain();
    }
    let scheme_like = relative.split('/').next().is_some_and(|s| s.contains(':'));
    if scheme_like {
        return not_plain();
    }
    let joined = if relative.starts_with('/') {
        format!("{scheme}://{authority}{relative}")
    } else {
        let dir = path.rfind('/').and_then(|i| path.get(..=i)).unwrap_or("/");
        format!("{scheme}://{authority}{dir}{relative}")
    };
    c.string(joined)
}

/// A path .NET leaves as it is: unreserved characters and sub-delimiters, no `.` or `..`
/// segment, no query or fragment, no escapes.
fn plain_path(p: &str) -> bool {
    let chars_ok = p
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b));
    chars_ok && !p.split('/').any(|seg| seg == "." || seg == "..")
}

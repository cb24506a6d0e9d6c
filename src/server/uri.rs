//! `file:` URIs ↔ paths. Editors name documents by URI; erlint reads paths.

use lsp_types::Uri;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The bytes a path segment keeps as they are (RFC 3986 `pchar` without `%`); the rest is
/// percent-encoded, as VS Code writes file URIs.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The path a `file:` URI names (`file:///home/a%20b/main.tf`, `file:///c%3A/x/main.tf`);
/// an error for any other scheme or a remote host.
pub fn to_path(uri: &Uri) -> Result<PathBuf, String> {
    let s = uri.as_str();
    let Some(rest) = s
        .strip_prefix("file://")
        .or_else(|| s.strip_prefix("FILE://"))
    else {
        return Err(format!(
            "`{s}` is not a file: URI; erlint lints files on disk"
        ));
    };
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i)
            if rest
                .get(..i)
                .is_some_and(|h| h.eq_ignore_ascii_case("localhost")) =>
        {
            rest.get(i..).unwrap_or("/")
        }
        _ => return Err(format!("`{s}` names a file on another host")),
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| format!("`{s}` is not a UTF-8 path"))?;
    Ok(PathBuf::from(native(&decoded)))
}

/// `/c:/x` is `c:/x` on Windows; elsewhere a path is what the URI says.
fn native(path: &str) -> String {
    let b = path.as_bytes();
    if cfg!(windows) && b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return path.get(1..).unwrap_or(path).replace('/', "\\");
    }
    path.to_string()
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let encoded: Vec<String> = text
        .split('/')
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect();
    Uri::from_str(&format!("file://{}", encoded.join("/"))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        Uri::from_str(s).unwrap()
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            to_path(&uri("file:///home/me/infra/main.tf")).unwrap(),
            PathBuf::from("/home/me/infra/main.tf")
        );
        assert_eq!(
            to_path(&uri("file:///home/me/my%20infra/a%23b.tf")).unwrap(),
            PathBuf::from("/home/me/my infra/a#b.tf")
        );
        assert_eq!(
            to_path(&uri("file://localhost/srv/x.tf")).unwrap(),
            PathBuf::from("/srv/x.tf")
        );
    }

    #[test]
    fn other_schemes_and_hosts_are_errors() {
        let e = to_path(&uri("untitled:Untitled-1")).unwrap_err();
        assert!(e.contains("not a file: URI"), "{e}");
        let e = to_path(&uri("file://server/share/x.tf")).unwrap_err();
        assert!(e.contains("another host"), "{e}");
    }

    #[test]
    fn paths_round_trip() {
        for p in [
            "/home/me/infra/main.tf",
            "/a b/c#d/e%f/ü.tf",
            "/x/[1]/y.json",
        ] {
            let u = from_path(Path::new(p)).unwrap();
            assert!(!u.as_str().contains(' '), "{}", u.as_str());
            assert_eq!(to_path(&u).unwrap(), PathBuf::from(p), "{}", u.as_str());
        }
    }
}

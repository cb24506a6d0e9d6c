//! Git's index (`.git/index`, format 2 to 4), read for the Terraform files it holds: what
//! the next commit holds, each file with the id of its content (its blob).
//!
//! Used by the callers search under `--callers-from-index`: the index names every tracked
//! file of the repository, so the search needs neither a walk nor a `stat` of each file
//! (see [`super::callers`]). Only what that needs is read: the stage-0 entries of regular
//! files whose names are Terraform's. An index this reader does not fully understand (a
//! split or sparse index, unresolved merge conflicts, SHA-256 object names, an unknown
//! required extension, a damaged file) is not used at all: the search then walks the
//! working tree as it does without the option.
//!
//! The format: <https://git-scm.com/docs/index-format>.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A SHA-1 object name.
pub(super) type ObjectId = [u8; 20];

/// What the index holds of a file: the id of its staged content, and the file's size when
/// git last looked at it in the work tree (its low 32 bits, as the index keeps it: a hint,
/// not a promise).
#[derive(Clone, Copy)]
pub(super) struct IndexBlob {
    pub id: ObjectId,
    pub size: u32,
}

/// The index file of the repository whose top directory is `top`: `$GIT_INDEX_FILE`
/// when set and `top` is the repository `cwd` is in (git gives every hook the index of
/// the commit being made: a temporary one for `git commit -a` or `git commit FILE`;
/// relative to `cwd`), or else the git directory's `index` (a nested repository's own).
/// `None` when the repository names its objects by SHA-256, or has no git directory.
pub(super) fn index_file(top: &Path, cwd: &Path) -> Option<PathBuf> {
    let git_dir = git_dir(top)?;
    if uses_sha256(&git_dir) {
        return None;
    }
    let cwd_top = cwd.ancestors().find(|d| d.join(".git").exists());
    let env = std::env::var_os("GIT_INDEX_FILE").filter(|f| !f.is_empty());
    Some(match env {
        Some(f) if cwd_top == Some(top) => cwd.join(f),
        _ => git_dir.join("index"),
    })
}

/// The files a search wants from the index (by name, UTF-8 as the walk's).
#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    /// `.tf`, `.tf.json`, `.tofu` and `.tofu.json` (`tf_file_kind`'s `Hcl` and `Json`).
    Terraform,
    /// `.bicep` (any case).
    Bicep,
}

impl Kind {
    fn matches(self, path: &[u8]) -> bool {
        match self {
            Kind::Terraform => is_tf(path),
            Kind::Bicep => is_bicep(path),
        }
    }
}

/// Call `each` with the path (relative to the repository's top, `/`-separated) and the
/// object id of every file of `kind` in the index `file`, in the index's order (sorted by
/// path), and the number of entries of the index (of all files, for sizing). `None` if
/// the index cannot be used (then what `each` was given must be dropped); else the paths
/// of its submodules (which the walk enters when they are checked out, and whose files
/// this index does not hold). The file is read a chunk at a time: a big repository's index
/// is megabytes, of which only a few files' paths matter.
pub(super) fn read_index(
    file: &Path,
    kind: Kind,
    each: impl FnMut(&[u8], &IndexBlob, usize),
) -> Option<Vec<Vec<u8>>> {
    let file = std::fs::File::open(file).ok()?;
    let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
    parse(
        Chunks {
            file,
            buf: vec![0; 256 * 1024],
            start: 0,
            end: 0,
            eof: false,
            consumed: 0,
        },
        len,
        kind,
        each,
    )
}

/// The number of files of each kind (Terraform, Bicep) in the index `bytes`, read `chunk`
/// bytes at a time (`None`: not usable): [`read_index`] on bytes in memory, for the fuzzer.
pub(crate) fn count_index_files(bytes: &[u8], chunk: usize) -> Option<(usize, usize)> {
    let count = |kind| {
        let mut n = 0;
        let chunks = Chunks {
            file: bytes,
            buf: vec![0; chunk.max(1)],
            start: 0,
            end: 0,
            eof: false,
            consumed: 0,
        };
        parse(chunks, bytes.len(), kind, |_, _, _| n += 1)?;
        Some(n)
    };
    Some((count(Kind::Terraform)?, count(Kind::Bicep)?))
}

/// The entries of an index of `len` bytes read from `r`: see [`read_index`].
fn parse<R: Read>(
    mut r: Chunks<R>,
    len: usize,
    kind: Kind,
    mut each: impl FnMut(&[u8], &IndexBlob, usize),
) -> Option<Vec<Vec<u8>>> {
    let mut submodules = Vec::new();
    if r.take(4)? != b"DIRC" {
        return None;
    }
    let version = r.u32()?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let entries = r.u32()?;
    // For sizing: no more than the file can hold (an entry takes 62 bytes at least).
    let total = usize::try_from(entries).ok()?.min(len / 62);
    // Version 4 writes each path as a part of the previous one and a suffix.
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..entries {
        let start = r.consumed;
        // ctime, mtime, dev, ino (4 bytes each but the times' 8), the mode, uid, gid,
        // size, the object id, the flags.
        let fixed = r.take(62)?;
        let field = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(fixed.get(at..at + 4)?.try_into().ok()?))
        };
        let mode = field(24)?;
        let blob = IndexBlob {
            id: fixed.get(40..60)?.try_into().ok()?,
            size: field(36)?,
        };
        let flags = u16::from_be_bytes(fixed.get(60..62)?.try_into().ok()?);
        let stage = (flags >> 12) & 3;
        let mut skip_worktree = false;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            skip_worktree = r.u16()? & 0x4000 != 0;
        }
        if stage != 0 {
            // An unresolved merge: the commit cannot be made as it is.
            return None;
        }
        // 0o040000: a sparse index's directory entry, which stands for the files below.
        if mode & 0o170000 == 0o040000 {
            return None;
        }
        let wanted = |path: &[u8]| {
            mode & 0o170000 == 0o100000
                && !skip_worktree
                && !path.starts_with(b"/")
                && kind.matches(path)
        };
        if version == 4 {
            let strip = usize::try_from(r.varint()?).ok()?;
            let keep = previous.len().checked_sub(strip)?;
            previous.truncate(keep);
            previous.extend_from_slice(r.until_nul()?);
            if wanted(&previous) {
                each(&previous, &blob, total);
            } else if mode & 0o170000 == 0o160000 {
                submodules.push(previous.clone());
            }
        } else {
            let name = r.name(flags)?;
            if wanted(name) {
                each(name, &blob, total);
            } else if mode & 0o170000 == 0o160000 {
                submodules.push(name.to_vec());
            }
            // One to eight NULs end the entry on a multiple of eight bytes.
            let size = (r.consumed - 1 - start + 8) & !7;
            r.take(start.checked_add(size)?.checked_sub(r.consumed)?)?;
        }
    }
    optional_extensions(&mut r, len)?;
    Some(submodules)
}

/// Pass the extensions after the entries, up to the file's checksum; `None` if one is
/// required (its signature does not start with an uppercase letter: a split index's
/// `link`, a sparse index's `sdir`): it changes what the entries mean.
fn optional_extensions<R: Read>(r: &mut Chunks<R>, len: usize) -> Option<()> {
    while len.saturating_sub(r.consumed) > 20 {
        let signature = r.take(4)?;
        if !signature.first().is_some_and(u8::is_ascii_uppercase) {
            return None;
        }
        let size = usize::try_from(r.u32()?).ok()?;
        r.skip(size)?;
    }
    Some(())
}

/// A Terraform file's name (by its last component).
fn is_tf(path: &[u8]) -> bool {
    // `tf_file_kind`'s `Hcl` and `Json` kinds, of a UTF-8 name (as the walk's).
    let suffixes = [&b".tf"[..], b".tofu", b".tf.json", b".tofu.json"];
    if !suffixes.iter().any(|s| path.ends_with(s)) {
        return false;
    }
    if path.is_ascii() {
        return true;
    }
    let name = match memchr::memrchr(b'/', path) {
        Some(slash) => path.get(slash + 1..).unwrap_or_default(),
        None => path,
    };
    std::str::from_utf8(name).is_ok()
}

/// A Bicep file's name (by its last component).
fn is_bicep(path: &[u8]) -> bool {
    let name = match memchr::memrchr(b'/', path) {
        Some(slash) => path.get(slash + 1..).unwrap_or_default(),
        None => path,
    };
    // (`Path::extension`: a name that is only `.bicep` has none.)
    let ext = name
        .len()
        .checked_sub(6)
        .filter(|at| *at > 0)
        .and_then(|at| name.get(at..));
    ext.is_some_and(|e| e.eq_ignore_ascii_case(b".bicep")) && std::str::from_utf8(name).is_ok()
}

/// The git directory of the repository whose top is `top`: `top/.git`, or where a
/// `.git` file points (a linked worktree, a submodule).
fn git_dir(top: &Path) -> Option<PathBuf> {
    let dot_git = top.join(".git");
    let meta = std::fs::metadata(&dot_git).ok()?;
    if meta.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let target = text.strip_prefix("gitdir:")?.trim();
    Some(top.join(target))
}

/// Whether the repository names its objects by SHA-256 (`extensions.objectFormat`), in
/// the git directory's configuration or, for a linked worktree, its common directory's.
fn uses_sha256(git_dir: &Path) -> bool {
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map(|c| git_dir.join(c.trim()));
    [Some(git_dir.to_path_buf()), common]
        .into_iter()
        .flatten()
        .filter_map(|d| std::fs::read_to_string(d.join("config")).ok())
        .any(|config| {
            config.lines().any(|l| {
                let l = l.trim().to_ascii_lowercase();
                l.starts_with("objectformat") && l.contains("sha256")
            })
        })
}

/// A file read a chunk at a time, as a cursor over its bytes.
struct Chunks<R> {
    file: R,
    buf: Vec<u8>,
    /// The unread bytes in `buf`.
    start: usize,
    end: usize,
    eof: bool,
    /// How many bytes were passed so far.
    consumed: usize,
}

impl<R: Read> Chunks<R> {
    /// Whether `n` bytes are buffered (reading more when they are not, and the buffer
    /// grows when it is too small).
    fn ensure(&mut self, n: usize) -> bool {
        while self.end - self.start < n {
            if self.eof {
                return false;
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                let grown = self.buf.len().saturating_mul(2).max(n);
                self.buf.resize(grown, 0);
            }
            let Some(space) = self.buf.get_mut(self.end..) else {
                return false;
            };
            match self.file.read(space) {
                Ok(0) => self.eof = true,
                Ok(got) => self.end += got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if !self.ensure(n) {
            return None;
        }
        let at = self.start;
        self.start += n;
        self.consumed += n;
        self.buf.get(at..at + n)
    }

    /// Pass `n` bytes without keeping them.
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            let step = n.min(64 * 1024);
            self.take(step)?;
            n -= step;
        }
        Some(())
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }

    /// An entry's name in versions 2 and 3, and its NUL: the flags hold its length when
    /// it is shorter than 0xfff bytes.
    fn name(&mut self, flags: u16) -> Option<&[u8]> {
        let short = usize::from(flags & 0xfff);
        if short == 0xfff {
            return self.until_nul();
        }
        let with_nul = self.take(short + 1)?;
        let (name, nul) = with_nul.split_at_checked(short)?;
        (nul == [0] && !name.is_empty()).then_some(name)
    }

    /// The bytes up to the next NUL (which is passed); not empty.
    fn until_nul(&mut self) -> Option<&[u8]> {
        let mut searched = 0;
        let len = loop {
            let unread = self.buf.get(self.start + searched..self.end)?;
            if let Some(i) = memchr::memchr(0, unread) {
                break searched + i;
            }
            searched = self.end - self.start;
            if !self.ensure(searched + 1) {
                return None;
            }
        };
        let name = self.take(len + 1)?;
        name.get(..len).filter(|n| !n.is_empty())
    }

    /// Git's variable-length offset (`decode_varint`): seven bits a byte, most significant
    /// first, each continuation adding one.
    fn varint(&mut self) -> Option<u64> {
        let mut byte = *self.take(1)?.first()?;
        let mut value = u64::from(byte & 0x7f);
        while byte & 0x80 != 0 {
            byte = *self.take(1)?.first()?;
            value = value.checked_add(1)?.checked_mul(128)? | u64::from(byte & 0x7f);
        }
        Some(value)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::process::Command;

    /// Run git in `dir` (without the user's or the system's configuration).
    pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_DIR")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A repository with Terraform files (one with a long path, which version 4's
    /// offsets need two bytes to shorten to the next), other files, a symbolic link and an
    /// executable.
    fn repository() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        git(root, &["init", "-q"]);
        let long = format!("{}/main.tf", vec!["d".repeat(100); 3].join("/"));
        for (p, t) in [
            ("main.tf", "module \"a\" {\n  source = \"./a\"\n}\n"),
            ("a/main.tf", "variable \"x\" {}\n"),
            ("a/main.tf.json", "{}\n"),
            ("a/vars.tfvars", "x = 1\n"),
            ("a/README.md", "# a\n"),
            ("a/b/c/deep.tofu", "locals {}\n"),
            ("a/b/c/deep.tofu.json", "{}\n"),
            ("aa.tf", "locals {}\n"),
            (long.as_str(), "locals {}\n"),
            ("run.tf", "locals {}\n"),
        ] {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::os::unix::fs::symlink("main.tf", root.join("link.tf")).unwrap();
            let run = root.join("run.tf");
            std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        git(root, &["add", "-A"]);
        tmp
    }

    /// What the reader gives for the repository's index, as `git ls-files -s` prints it.
    fn read(root: &Path) -> Option<Vec<String>> {
        let mut out = Vec::new();
        read_index(
            &index_file(root, root)?,
            Kind::Terraform,
            |name, staged, _| {
                let hex: String = staged.id.iter().map(|b| format!("{b:02x}")).collect();
                out.push(format!("{hex} {}", String::from_utf8_lossy(name)));
            },
        )?;
        Some(out)
    }

    /// The Terraform files as git itself lists them (regular files at stage 0, not
    /// skipped in the work tree).
    fn listed_by_git(root: &Path) -> Vec<String> {
        git(root, &["ls-files", "-s", "-t", "-z"])
            .split('\0')
            .filter_map(|l| {
                let (tag, rest) = l.split_once(' ')?;
                let (meta, path) = rest.split_once('\t')?;
                let mut parts = meta.split(' ');
                let (mode, id, stage) = (parts.next()?, parts.next()?, parts.next()?);
                let tf = is_tf(path.as_bytes());
                (tf && tag == "H" && stage == "0" && mode.starts_with("100"))
                    .then(|| format!("{id} {path}"))
            })
            .collect()
    }

    #[test]
    fn every_version_reads_as_git_lists_it() {
        let repo = repository();
        let root = repo.path();
        for version in ["2", "3", "4"] {
            git(root, &["update-index", "--index-version", version]);
            let got = read(root).unwrap_or_else(|| panic!("version {version} not read"));
            assert_eq!(got, listed_by_git(root), "version {version}");
            assert_eq!(got.len(), 8, "version {version}: {got:?}");
        }
        // Version 3 with an extended entry (skip-worktree): left out, the rest read.
        git(root, &["update-index", "--index-version", "3"]);
        git(root, &["update-index", "--skip-worktree", "aa.tf"]);
        let got = read(root).unwrap();
        assert_eq!(got, listed_by_git(root));
        assert!(!got.iter().any(|l| l.ends_with(" aa.tf")), "{got:?}");
        assert_eq!(got.len(), 7);
        git(root, &["update-index", "--index-version", "4"]);
        assert_eq!(read(root).unwrap(), listed_by_git(root));
    }

    /// The size each entry records is the file's (every version: version 4 writes the
    /// paths differently, not the sizes).
    #[test]
    fn each_entry_has_its_file_size() {
        let repo = repository();
        let root = repo.path();
        for version in ["2", "4"] {
            git(root, &["update-index", "--index-version", version]);
            let mut sizes = Vec::new();
            read_index(
                &index_file(root, root).unwrap(),
                Kind::Terraform,
                |name, blob, _| {
                    let name = String::from_utf8_lossy(name).to_string();
                    sizes.push((name, u64::from(blob.size)));
                },
            )
            .unwrap();
            assert_eq!(sizes.len(), 8);
            for (name, size) in sizes {
                let len = std::fs::metadata(root.join(&name)).unwrap().len();
                assert_eq!(size, len, "version {version}: {name}");
            }
        }
    }

    #[test]
    fn an_index_it_cannot_use_is_not_used() {
        let repo = repository();
        let root = repo.path();
        assert!(read(root).is_some());
        // An unresolved merge.
        let id = git(root, &["hash-object", "-w", "main.tf"]);
        git(root, &["update-index", "--force-remove", "main.tf"]);
        let mut child = Command::new("git")
            .args(["update-index", "--index-info"])
            .current_dir(root)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        let info = format!(
            "100644 {} 1\tmain.tf\n100644 {} 2\tmain.tf\n",
            id.trim(),
            id.trim()
        );
        child
            .stdin
            .take()
            .unwrap()
            .write_all(info.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        assert!(read(root).is_none(), "a conflict");
        git(root, &["add", "main.tf"]);
        assert!(read(root).is_some());
        // A split index: the entries are in another file.
        git(root, &["update-index", "--split-index"]);
        assert!(read(root).is_none(), "a split index");
        git(root, &["update-index", "--no-split-index"]);
        assert!(read(root).is_some());
        // Damaged: cut short, or another file.
        let index = root.join(".git/index");
        let bytes = std::fs::read(&index).unwrap();
        for cut in [8, 40, bytes.len() / 2] {
            std::fs::write(&index, &bytes[..cut]).unwrap();
            assert!(read(root).is_none(), "cut at {cut}");
        }
        // An extension git does not know: optional (uppercase), or required (anything
        // else, as git decides).
        let with_extension = |signature: &[u8; 4]| {
            let (body, checksum) = bytes.split_at(bytes.len() - 20);
            [body, signature, &[0, 0, 0, 0], checksum].concat()
        };
        std::fs::write(&index, with_extension(b"ZZZZ")).unwrap();
        assert!(read(root).is_some(), "optional");
        for required in [b"zzzz", b"0abc", b"_ABC"] {
            std::fs::write(&index, with_extension(required)).unwrap();
            assert!(read(root).is_none(), "{required:?}");
        }
        std::fs::write(&index, b"not an index").unwrap();
        assert!(read(root).is_none());
        // No repository.
        let plain = tempfile::tempdir().unwrap();
        assert!(read(plain.path()).is_none());
    }

    #[test]
    fn sha256_repositories_are_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let ok = Command::new("git")
            .args(["init", "-q", "--object-format=sha256"])
            .current_dir(root)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return; // A git without SHA-256 support.
        }
        std::fs::write(root.join("main.tf"), "locals {}\n").unwrap();
        git(root, &["add", "main.tf"]);
        assert!(read(root).is_none());
    }

    #[test]
    fn a_linked_worktree_reads_its_own_index() {
        let repo = repository();
        let root = repo.path();
        git(root, &["commit", "-q", "-m", "x"]);
        let wt = tempfile::tempdir().unwrap();
        let linked = wt.path().join("linked");
        git(root, &["worktree", "add", "-q", linked.to_str().unwrap()]);
        std::fs::write(linked.join("new.tf"), "locals {}\n").unwrap();
        git(&linked, &["add", "new.tf"]);
        let got = read(&linked).unwrap();
        assert_eq!(got, listed_by_git(&linked));
        assert!(got.iter().any(|l| l.ends_with(" new.tf")));
    }

    #[test]
    fn terraform_files_are_the_walks() {
        use super::super::callers_cache::is_terraform;
        for name in [
            "main.tf",
            "main.tf.json",
            "x.tofu",
            "x.tofu.json",
            "x.tfvars",
            "x.tfvars.json",
            "x.json",
            "tf",
            ".tf",
            "a.tf.bak",
            "main.TF",
            "x.tofu.jsonc",
            "notes.txt",
        ] {
            for path in [
                name.to_string(),
                format!("a/b/{name}"),
                format!("a.tf/{name}"),
            ] {
                assert_eq!(
                    is_tf(path.as_bytes()),
                    is_terraform(Path::new(&path)),
                    "{path}"
                );
            }
        }
        assert!(!is_tf(b"a/\xff.tf"));
        assert!(is_tf(b"\xff/a.tf"));
        // Bicep: as the Bicep callers search's walk takes them (the extension, any case).
        for name in [
            "main.bicep",
            "M.BICEP",
            "x.bicepparam",
            "bicep",
            ".bicep",
            "..bicep",
            "a.bicep.bak",
        ] {
            for path in [name.to_string(), format!("a.bicep/{name}")] {
                let walked = Path::new(&path)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("bicep"));
                assert_eq!(is_bicep(path.as_bytes()), walked, "{path}");
            }
        }
    }

    #[test]
    fn offsets_decode_as_git_writes_them() {
        // Git's `encode_varint`: 127 is one byte, 128 is `0x80 0x00`, 16511 `0xff 0x7f`.
        for (bytes, value) in [
            (&[0x05][..], 5),
            (&[0x7f], 127),
            (&[0x80, 0x00], 128),
            (&[0xff, 0x7f], 16511),
            (&[0x80, 0x80, 0x00], 16512),
        ] {
            let mut r = Chunks {
                file: bytes,
                buf: vec![0; 1],
                start: 0,
                end: 0,
                eof: false,
                consumed: 0,
            };
            assert_eq!(r.varint(), Some(value), "{bytes:?}");
        }
    }
}

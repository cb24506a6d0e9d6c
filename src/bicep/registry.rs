//! Module references (`'./peering.bicep'`, `'br/public:avm/res/…:0.6.0'`,
//! `'br:contoso.azurecr.io/bicep/er:v1'`, `'ts:<sub>/<rg>/<spec>:<version>'`, and the
//! `br/<alias>:`/`ts/<alias>:` forms of `bicepconfig.json`) and where `bicep restore`
//! puts registry modules: the local module cache.
//!
//! The cache root is, in order: the `ERLINT_BICEP_CACHE` environment variable, the
//! `cacheRootDirectory` of the nearest `bicepconfig.json` (a leading `~` is the home
//! directory), `~/.bicep`. Layout (Bicep's `OciArtifactRegistry` and `TagEncoder`):
//!
//! ```text
//! <root>/br/<registry, lower-cased, ':' → '$'>/<repository, '/' → '$'>/<tag>$<mask>/main.json
//! <root>/br/…/<repository>/sha256#<digest>/main.json               (a digest reference)
//! <root>/ts/<subscription>/<resource group>/<spec>/<version>/main.json  (lower-cased)
//! ```
//!
//! where `<mask>` is the hexadecimal bit mask of the positions of the tag's upper-case
//! letters (empty when there are none: `0.6.0` → `0.6.0$`, `V1` → `V1$1`). A registry
//! module's `main.json` is its compiled ARM template; a template spec's is the version
//! resource, whose template is `properties.mainTemplate`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Environment variable that overrides the cache root (used by tests and CI images that
/// restore modules elsewhere).
pub const CACHE_ENV: &str = "ERLINT_BICEP_CACHE";

/// The public registry's alias (`br/public:`).
const PUBLIC_REGISTRY: &str = "mcr.microsoft.com";
const PUBLIC_PATH: &str = "bicep";

/// What a module path (or `using` target) refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// A file relative to the referring file.
    Local(PathBuf),
    /// A registry module or template spec, and where the cache would hold it.
    Cached {
        /// `main.json` in the cache.
        path: PathBuf,
        /// A template spec: the template is the file's `properties.mainTemplate`.
        template_spec: bool,
    },
    /// A reference Bicep rejects, or an alias `bicepconfig.json` does not define.
    Invalid(String),
}

/// What `bicepconfig.json` says about modules.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The directory of the `bicepconfig.json` (for error messages), if there is one.
    pub file: Option<PathBuf>,
    pub cache_root: Option<PathBuf>,
    /// `moduleAliases.br`: alias → (registry, module path prefix).
    pub br: HashMap<String, (String, Option<String>)>,
    /// `moduleAliases.ts`: alias → (subscription, resource group).
    pub ts: HashMap<String, (String, String)>,
}

impl Config {
    /// The configuration that applies to files in `dir`: the nearest `bicepconfig.json`
    /// in it or above it (`cache` remembers directories already looked at).
    pub fn for_dir(dir: &Path, cache: &mut HashMap<PathBuf, Config>) -> Config {
        let mut chain = Vec::new();
        let mut cur = Some(crate::terraform::normalize(dir));
        let found = loop {
            let Some(d) = cur else {
                break Config::default();
            };
            if let Some(c) = cache.get(&d) {
                break c.clone();
            }
            let file = d.join("bicepconfig.json");
            if file.is_file() {
                let c = read_config(&file);
                cache.insert(d.clone(), c.clone());
                break c;
            }
            cur = d.parent().map(Path::to_path_buf);
            chain.push(d);
        };
        for d in chain {
            cache.insert(d, found.clone());
        }
        found
    }

    /// The cache root: [`CACHE_ENV`], `cacheRootDirectory`, or `~/.bicep`.
    pub fn root(&self) -> Option<PathBuf> {
        if let Some(v) = std::env::var_os(CACHE_ENV).filter(|v| !v.is_empty()) {
            return Some(PathBuf::from(v));
        }
        if let Some(r) = &self.cache_root {
            return Some(r.clone());
        }
        home().map(|h| h.join(".bicep"))
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Read the parts of a `bicepconfig.json` that matter here; a file that does not parse
/// configures nothing (Bicep itself reports it).
fn read_config(file: &Path) -> Config {
    use jsonc_parser::ast::Value;
    let mut c = Config {
        file: Some(file.to_path_buf()),
        ..Config::default()
    };
    let Ok(text) = std::fs::read_to_string(file) else {
        return c;
    };
    let Ok(parsed) = jsonc_parser::parse_to_ast(
        &text,
        &jsonc_parser::CollectOptions::default(),
        &crate::jsonc::with_comments(),
    ) else {
        return c;
    };
    let Some(Value::Object(root)) = parsed.value else {
        return c;
    };
    let get = |o: &jsonc_parser::ast::Object<'_>, k: &str| -> Option<String> {
        o.properties
            .iter()
            .find(|p| p.name.as_str() == k)
            .and_then(|p| match &p.value {
                Value::StringLit(s) => Some(s.value.to_string()),
                _ => None,
            })
    };
    fn obj<'a, 't>(
        o: &'a jsonc_parser::ast::Object<'t>,
        k: &str,
    ) -> Option<&'a jsonc_parser::ast::Object<'t>> {
        o.properties
            .iter()
            .find(|p| p.name.as_str() == k)
            .and_then(|p| match &p.value {
                Value::Object(o) => Some(o),
                _ => None,
            })
    }
    if let Some(root_dir) = get(&root, "cacheRootDirectory") {
        c.cache_root = Some(match root_dir.strip_prefix('~') {
            Some(rest) => home()
                .unwrap_or_default()
                .join(rest.trim_start_matches(['/', '\\'])),
            None => PathBuf::from(root_dir),
        });
    }
    if let Some(aliases) = obj(&root, "moduleAliases") {
        if let Some(br) = obj(aliases, "br") {
            for p in &br.properties {
                if let Value::Object(a) = &p.value
                    && let Some(registry) = get(a, "registry")
                {
                    c.br.insert(
                        p.name.as_str().to_string(),
                        (registry, get(a, "modulePath")),
                    );
                }
            }
        }
        if let Some(ts) = obj(aliases, "ts") {
            for p in &ts.properties {
                if let Value::Object(a) = &p.value
                    && let (Some(sub), Some(rg)) = (get(a, "subscription"), get(a, "resourceGroup"))
                {
                    c.ts.insert(p.name.as_str().to_string(), (sub, rg));
                }
            }
        }
    }
    c
}

/// Whether `reference` names a registry module or template spec (not a local file).
pub fn is_external(reference: &str) -> bool {
    reference.starts_with("br:")
        || reference.starts_with("br/")
        || reference.starts_with("ts:")
        || reference.starts_with("ts/")
}

/// Resolve a module path written in a file of directory `dir`.
pub fn resolve(reference: &str, dir: &Path, config: &Config) -> Reference {
    if let Some(rest) = reference.strip_prefix("br:") {
        return oci(rest, None, config);
    }
    if let Some(rest) = reference.strip_prefix("br/") {
        let Some((alias, rest)) = rest.split_once(':') else {
            return Reference::Invalid(format!("`{reference}` names no module after the alias"));
        };
        let prefix = if alias == "public" {
            (PUBLIC_REGISTRY.to_string(), Some(PUBLIC_PATH.to_string()))
        } else {
            match config.br.get(alias) {
                Some(a) => a.clone(),
                None => return Reference::Invalid(undefined_alias("br", alias, config)),
            }
        };
        return oci(rest, Some(prefix), config);
    }
    if let Some(rest) = reference.strip_prefix("ts:") {
        let Some((path, version)) = rest.rsplit_once(':') else {
            return Reference::Invalid(format!("`{reference}` has no version"));
        };
        let parts: Vec<&str> = path.split('/').collect();
        let [sub, rg, name] = parts.as_slice() else {
            return Reference::Invalid(format!(
                "`{reference}` is not `ts:<subscription>/<resource group>/<name>:<version>`"
            ));
        };
        return template_spec(sub, rg, name, version, config);
    }
    if let Some(rest) = reference.strip_prefix("ts/") {
        let parts: Vec<&str> = rest.splitn(3, ':').collect();
        let [alias, name, version] = parts.as_slice() else {
            return Reference::Invalid(format!(
                "`{reference}` is not `ts/<alias>:<name>:<version>`"
            ));
        };
        let Some((sub, rg)) = config.ts.get(*alias) else {
            return Reference::Invalid(undefined_alias("ts", alias, config));
        };
        return template_spec(sub, rg, name, version, config);
    }
    Reference::Local(dir.join(reference.replace('\\', "/")))
}

fn undefined_alias(kind: &str, alias: &str, config: &Config) -> String {
    match &config.file {
        Some(f) => format!(
            "module alias `{kind}/{alias}` is not defined in `{}`",
            f.display()
        ),
        None => format!("module alias `{kind}/{alias}` is not defined (no `bicepconfig.json`)"),
    }
}

/// `<registry>/<repository>:<tag>` or `…@sha256:<digest>`, with an alias's registry and
/// path prefix when given.
fn oci(rest: &str, alias: Option<(String, Option<String>)>, config: &Config) -> Reference {
    let (path, version) = match rest.rsplit_once('@') {
        Some((p, digest)) => match digest.split_once(':') {
            Some((alg, hex)) => (p, format!("{alg}#{hex}")),
            None => return Reference::Invalid(format!("`{rest}` has a malformed digest")),
        },
        None => match rest.rsplit_once(':') {
            Some((p, tag)) if !tag.contains('/') && !tag.is_empty() => (p, encode_tag(tag)),
            _ => return Reference::Invalid(format!("`{rest}` has no tag or digest")),
        },
    };
    let (registry, repository) = match alias {
        Some((registry, prefix)) => {
            let repo = match prefix {
                Some(p) if !p.is_empty() => format!("{}/{path}", p.trim_end_matches('/')),
                _ => path.to_string(),
            };
            (registry, repo)
        }
        None => match path.split_once('/') {
            Some((r, repo)) => (r.to_string(), repo.to_string()),
            None => return Reference::Invalid(format!("`{rest}` names no repository")),
        },
    };
    let Some(root) = config.root() else {
        return Reference::Invalid("no home directory for the Bicep module cache".into());
    };
    let path = root
        .join("br")
        .join(registry.to_ascii_lowercase().replace(':', "$"))
        .join(repository.replace('/', "$"))
        .join(version)
        .join("main.json");
    Reference::Cached {
        path,
        template_spec: false,
    }
}

fn template_spec(sub: &str, rg: &str, name: &str, version: &str, config: &Config) -> Reference {
    let Some(root) = config.root() else {
        return Reference::Invalid("no home directory for the Bicep module cache".into());
    };
    let path = root
        .join("ts")
        .join(sub.to_ascii_lowercase())
        .join(rg.to_ascii_lowercase())
        .join(name.to_ascii_lowercase())
        .join(version.to_ascii_lowercase())
        .join("main.json");
    Reference::Cached {
        path,
        template_spec: true,
    }
}

/// A tag as a directory name on a case-insensitive file system: the tag, `$`, and the
/// positions of its upper-case letters as a hexadecimal bit mask (bit `i` for character
/// `i`; tags are at most 128 characters, two 64-bit words, the high word first and only
/// when not zero, the low word then padded to 16 digits).
pub fn encode_tag(tag: &str) -> String {
    let mut mask = [0u64; 2];
    for (i, c) in tag.chars().enumerate().take(128) {
        if c.is_uppercase()
            && let Some(word) = mask.get_mut(i / 64)
        {
            *word |= 1u64 << (i % 64);
        }
    }
    let mut out = format!("{tag}$");
    match mask {
        [low, 0] if low != 0 => out.push_str(&format!("{low:x}")),
        [_, 0] => {}
        [low, high] => out.push_str(&format!("{high:x}{low:016x}")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(root: &str) -> Config {
        Config {
            cache_root: Some(PathBuf::from(root)),
            ..Config::default()
        }
    }

    #[test]
    fn tags_encode_their_capitals() {
        assert_eq!(encode_tag("0.6.0"), "0.6.0$");
        assert_eq!(encode_tag("V1"), "V1$1");
        assert_eq!(encode_tag("v1A"), "v1A$4");
        let long = format!("{}B", "a".repeat(64));
        assert_eq!(encode_tag(&long), format!("{long}$10000000000000000"));
    }

    #[test]
    fn registry_references_map_to_the_cache() {
        // The environment variable would win over the configured root.
        if std::env::var_os(CACHE_ENV).is_some() {
            return;
        }
        let c = cfg("/cache");
        let dir = Path::new("infra");
        assert_eq!(
            resolve(
                "br/public:avm/res/network/express-route-circuit:0.6.0",
                dir,
                &c
            ),
            Reference::Cached {
                path: PathBuf::from(
                    "/cache/br/mcr.microsoft.com/bicep$avm$res$network$express-route-circuit/0.6.0$/main.json"
                ),
                template_spec: false
            }
        );
        assert_eq!(
            resolve("br:Contoso.azurecr.io:443/modules/er:V2", dir, &c),
            Reference::Cached {
                path: PathBuf::from("/cache/br/contoso.azurecr.io$443/modules$er/V2$1/main.json"),
                template_spec: false
            }
        );
        assert_eq!(
            resolve("br:contoso.azurecr.io/er@sha256:abc", dir, &c),
            Reference::Cached {
                path: PathBuf::from("/cache/br/contoso.azurecr.io/er/sha256#abc/main.json"),
                template_spec: false
            }
        );
        assert_eq!(
            resolve("ts:0000/RG-Specs/ER-Spec:V1", dir, &c),
            Reference::Cached {
                path: PathBuf::from("/cache/ts/0000/rg-specs/er-spec/v1/main.json"),
                template_spec: true
            }
        );
        let mut aliased = c.clone();
        aliased.br.insert(
            "contoso".into(),
            ("contoso.azurecr.io".into(), Some("bicep/modules".into())),
        );
        aliased
            .ts
            .insert("specs".into(), ("0000".into(), "rg-specs".into()));
        assert_eq!(
            resolve("br/contoso:er:1.0", dir, &aliased),
            Reference::Cached {
                path: PathBuf::from("/cache/br/contoso.azurecr.io/bicep$modules$er/1.0$/main.json"),
                template_spec: false
            }
        );
        assert_eq!(
            resolve("ts/specs:er:1.0", dir, &aliased),
            Reference::Cached {
                path: PathBuf::from("/cache/ts/0000/rg-specs/er/1.0/main.json"),
                template_spec: true
            }
        );
        assert!(matches!(
            resolve("br/nope:er:1.0", dir, &c),
            Reference::Invalid(_)
        ));
        assert_eq!(
            resolve("./modules/peering.bicep", dir, &c),
            Reference::Local(PathBuf::from("infra/./modules/peering.bicep"))
        );
    }
}

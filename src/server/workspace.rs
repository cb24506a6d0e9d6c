//! The workspace folders and their configuration: each folder's `.erlint.toml` (found as
//! `erlint` finds it from that folder, or `erlint server --config FILE`), reloaded when
//! the file changes, and the lint options of a run.

use crate::catalog::Catalog;
use crate::config::{self, Config};
use crate::error::FileError;
use crate::linter::Options;
use crate::source::Overlay;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// A configuration file's identity on disk: path, size and modification time (the file
/// and its `catalog.extra`).
type Stamp = Vec<(PathBuf, Option<(u64, SystemTime)>)>;

/// One folder's configuration.
struct Loaded {
    stamp: Stamp,
    /// The configuration in effect: the file's, or while it is broken, the last good one
    /// (the defaults when there was none).
    config: Config,
}

/// A folder whose configuration changed, for the server to re-lint and report on.
pub struct Reloaded {
    /// The configuration file (for its diagnostics), when there is one.
    pub file: Option<PathBuf>,
    pub error: Option<Arc<FileError>>,
}

/// The options of a run from a configuration and the directory erlint runs in: the
/// command line's rules over the configuration's (`cli::options`, given by the command
/// line so that the server does not import it).
pub type OptionsFor = Box<dyn Fn(&Config, PathBuf) -> Options + Send>;

pub struct Workspace {
    folders: Vec<PathBuf>,
    /// `erlint server --config FILE`.
    config_arg: Option<PathBuf>,
    options_for: OptionsFor,
    loaded: HashMap<PathBuf, Loaded>,
}

impl Workspace {
    pub fn new(
        folders: Vec<PathBuf>,
        config_arg: Option<PathBuf>,
        options_for: OptionsFor,
    ) -> Workspace {
        Workspace {
            folders,
            config_arg,
            options_for,
            loaded: HashMap::new(),
        }
    }

    pub fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    pub fn add_folder(&mut self, folder: PathBuf) {
        if !self.folders.contains(&folder) {
            self.folders.push(folder);
        }
    }

    pub fn remove_folder(&mut self, folder: &Path) {
        self.folders.retain(|f| f != folder);
        self.loaded.remove(folder);
    }

    /// The innermost workspace folder holding `path`; `None` outside the workspace.
    pub fn folder_of(&self, path: &Path) -> Option<&Path> {
        self.folders
            .iter()
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.components().count())
            .map(PathBuf::as_path)
    }

    /// Look at every folder's configuration file again; the folders where it changed
    /// (appeared, went, was edited, broke or was mended) are reloaded and returned.
    pub fn refresh(&mut self) -> Vec<Reloaded> {
        let mut out = Vec::new();
        for folder in self.folders.clone() {
            let located = config::locate(self.config_arg.as_deref(), &folder);
            let stamp = stamp_of(&located, self.loaded.get(&folder));
            if self.loaded.get(&folder).is_some_and(|l| l.stamp == stamp) {
                continue;
            }
            let previous = self.loaded.remove(&folder);
            let (config, error) = match located.and_then(|found| {
                found
                    .map(|(p, how)| config::load(&p, how, &folder))
                    .transpose()
            }) {
                Ok(c) => (c.unwrap_or_default(), None),
                Err(e) => (
                    previous.map(|p| p.config).unwrap_or_default(),
                    Some(Arc::new(e)),
                ),
            };
            let file = config_file(self.config_arg.as_deref(), &folder, &config);
            out.push(Reloaded { file, error });
            self.loaded.insert(folder, Loaded { stamp, config });
        }
        out
    }

    /// The lint options for `named` files of `folder`, with the open documents' texts.
    pub fn options(&mut self, folder: &Path, named: Vec<PathBuf>, overlay: Overlay) -> Options {
        let default = Config::default();
        let cfg = self.loaded.get(folder).map_or(&default, |l| &l.config);
        let mut opts = (self.options_for)(cfg, folder.to_path_buf());
        opts.paths = named;
        opts.overlay = overlay;
        // The circuits' catalogue scopes, for completion and hover.
        opts.inventory = true;
        opts
    }

    /// The catalogue of a folder (the bundled one with its `catalog.extra`).
    pub fn catalog(&self, folder: &Path) -> &Catalog {
        self.loaded
            .get(folder)
            .and_then(|l| l.config.catalog.as_deref())
            .unwrap_or_else(|| Catalog::bundled())
    }
}

/// The configuration file a folder uses, whether or not it loaded.
fn config_file(arg: Option<&Path>, folder: &Path, cfg: &Config) -> Option<PathBuf> {
    cfg.path
        .clone()
        .or_else(|| match config::locate(arg, folder) {
            Ok(Some((p, _))) => Some(p),
            _ => None,
        })
}

fn stamp_of(
    located: &Result<Option<(PathBuf, config::Origin)>, FileError>,
    previous: Option<&Loaded>,
) -> Stamp {
    let meta = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.len(), m.modified().unwrap_or(SystemTime::UNIX_EPOCH)))
    };
    let mut stamp = Stamp::new();
    match located {
        Ok(Some((p, _))) => stamp.push((p.clone(), meta(p))),
        Ok(None) => {}
        // `--config` or `ERLINT_CONFIG` names a file that is not there.
        Err(e) => stamp.push((PathBuf::from(e.message.clone()), None)),
    }
    if let Some(extra) = previous
        .and_then(|l| l.config.catalog_extra.as_ref())
        .map(|e| e.value.clone())
    {
        let m = meta(&extra);
        stamp.push((extra, m));
    }
    stamp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options_for() -> OptionsFor {
        Box::new(|cfg, cwd| {
            crate::cli::options(&crate::cli::CheckArgs::default(), Vec::new(), cfg, cwd)
        })
    }

    #[test]
    fn innermost_folder_wins_and_outside_is_none() {
        let ws = Workspace::new(
            vec![PathBuf::from("/w"), PathBuf::from("/w/sub")],
            None,
            options_for(),
        );
        assert_eq!(ws.folder_of(Path::new("/w/a.tf")), Some(Path::new("/w")));
        assert_eq!(
            ws.folder_of(Path::new("/w/sub/x/a.tf")),
            Some(Path::new("/w/sub"))
        );
        assert_eq!(ws.folder_of(Path::new("/elsewhere/a.tf")), None);
        assert_eq!(ws.folder_of(Path::new("/wx/a.tf")), None);
    }

    #[test]
    fn configuration_is_reloaded_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().to_path_buf();
        let mut ws = Workspace::new(vec![folder.clone()], None, options_for());
        let first = ws.refresh();
        assert_eq!(first.len(), 1, "the first look loads");
        assert!(first[0].file.is_none() && first[0].error.is_none());
        assert!(ws.refresh().is_empty(), "nothing changed");

        let file = folder.join(".erlint.toml");
        std::fs::write(&file, "[rules]\nER301 = \"off\"\n").unwrap();
        let r = ws.refresh();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].file.as_deref(), Some(file.as_path()));
        let opts = ws.options(&folder, vec![], Overlay::new());
        assert!(!opts.filter.enabled("ER301"));

        // Broken: the last good configuration stays in effect, the error is kept.
        std::fs::write(&file, "[rules]\nER301 = \"of\"\n").unwrap();
        let r = ws.refresh();
        assert_eq!(r.len(), 1);
        assert!(r[0].error.is_some());
        assert!(
            !ws.options(&folder, vec![], Overlay::new())
                .filter
                .enabled("ER301")
        );

        std::fs::remove_file(&file).unwrap();
        let r = ws.refresh();
        assert_eq!(r.len(), 1);
        assert!(r[0].error.is_none());
        assert!(
            ws.options(&folder, vec![], Overlay::new())
                .filter
                .enabled("ER301")
        );
    }
}

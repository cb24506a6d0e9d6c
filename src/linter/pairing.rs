//! Which parameter files each template is evaluated with.

use super::inputs::CliInputs;
use crate::arm::{self, ParameterFile};
use crate::bicep::FileKind;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceDb, Span};
use crate::terraform;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Which parameter files each template is evaluated with: `--parameters` for all, else
/// the configuration's `arm.parameter_files`, else pairing by hint and naming.
pub(super) struct ParamChoice<'a> {
    explicit: Vec<&'a ParameterFile>,
    mapped: &'a HashMap<PathBuf, Vec<ParameterFile>>,
    pairing: Pairing,
    params: &'a [ParameterFile],
}

/// Each template's parameter files by hint and naming: their indexes in the list paired.
pub(super) type Pairing = HashMap<FileId, Vec<usize>>;

impl<'a> ParamChoice<'a> {
    pub(super) fn new(
        db: &SourceDb,
        templates: &[FileId],
        params: &'a [ParameterFile],
        inputs: &'a CliInputs,
    ) -> ParamChoice<'a> {
        let explicit: Vec<&ParameterFile> = inputs.explicit_params.iter().collect();
        let template_paths: Vec<(FileId, &Path)> =
            templates.iter().map(|t| (*t, db.path(*t))).collect();
        let param_paths: Vec<(&ParameterFile, &Path)> =
            params.iter().map(|p| (p, db.path(p.file))).collect();
        let pairing = arm::pair_parameter_files(&template_paths, &param_paths, &explicit);
        ParamChoice::with_pairing(pairing, params, inputs)
    }

    /// The choice a [`pairing`](Self::into_pairing) made with `params` (or a list that
    /// begins with them) gives.
    pub(super) fn with_pairing(
        pairing: Pairing,
        params: &'a [ParameterFile],
        inputs: &'a CliInputs,
    ) -> ParamChoice<'a> {
        ParamChoice {
            explicit: inputs.explicit_params.iter().collect(),
            mapped: &inputs.mapped_params,
            pairing,
            params,
        }
    }

    pub(super) fn into_pairing(self) -> Pairing {
        self.pairing
    }

    pub(super) fn for_template(&self, db: &SourceDb, t: FileId) -> Vec<&'a ParameterFile> {
        if !self.explicit.is_empty() {
            return self.explicit.clone();
        }
        if let Some(list) = (!self.mapped.is_empty())
            .then(|| self.mapped.get(&terraform::normalize(db.path(t))))
            .flatten()
        {
            return list.iter().collect();
        }
        self.pairing
            .get(&t)
            .map(|ix| ix.iter().filter_map(|i| self.params.get(*i)).collect())
            .unwrap_or_default()
    }
}

/// The JSON parameter files of the run that no template is evaluated with (by path: a file
/// the configuration maps is registered again for it). A `.bicepparam` file is left out:
/// its `using` names its template (an ER004 when that is not on disk; `using none` on
/// purpose).
pub(super) fn unpaired<'a>(
    db: &SourceDb,
    templates: &[FileId],
    choice: &ParamChoice<'a>,
) -> Vec<&'a ParameterFile> {
    let used: HashSet<PathBuf> = templates
        .iter()
        .flat_map(|t| choice.for_template(db, *t))
        .map(|p| terraform::normalize(db.path(p.file)))
        .collect();
    choice
        .params
        .iter()
        .filter(|p| {
            let path = db.path(p.file);
            !matches!(FileKind::of_path(path), FileKind::Params)
                && !used.contains(&terraform::normalize(path))
        })
        .collect()
}

/// Of the [`unpaired`] parameter files, those named on the command line (pre-commit): an
/// ER004 note on each, as nothing else would say that the values it sets were not checked
/// (the run would pass with "0 resources checked").
pub(super) fn unpaired_notes(
    db: &SourceDb,
    named: &BTreeSet<PathBuf>,
    unpaired: &[&ParameterFile],
) -> Vec<Diagnostic> {
    let named: HashSet<PathBuf> = named.iter().map(|p| terraform::normalize(p)).collect();
    unpaired
        .iter()
        .filter(|p| named.contains(&terraform::normalize(db.path(p.file))))
        .map(|p| {
            let shown = db.display(p.file);
            let why = match &p.template_hint {
                Some(t) => format!("names its template `{t}` (`metadata.template`), which is not a template erlint found"),
                None => "pairs with no template".to_string(),
            };
            let mut d = crate::core::module_not_followed(
                Span::new(p.file, 0, 0),
                format!("`{shown}` {why}, so the values it sets were not checked"),
            );
            d.help(format!(
                "name its template in the file (`\"metadata\": {{ \"template\": \"../main.json\" }}`, relative to it), map it in .erlint.toml (`[arm.parameter_files]`), or lint it with its template: `erlint TEMPLATE --parameters {shown}`"
            ));
            d
        })
        .collect()
}

//! Placeholder for the ARM front end (lands from its own branch).
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::source::{FileId, SourceDb};
use std::collections::HashMap;
use std::path::Path;

pub enum JsonKind {
    Template,
    Parameters,
    Plan,
    Other,
}

pub fn sniff(text: &str) -> JsonKind {
    if text.contains("format_version")
        && (text.contains("planned_values") || text.contains("resource_changes"))
    {
        JsonKind::Plan
    } else if text.contains("deploymentParameters") {
        JsonKind::Parameters
    } else if text.contains("eploymentTemplate") {
        JsonKind::Template
    } else {
        JsonKind::Other
    }
}

pub struct ParameterFile {
    pub file: FileId,
    pub template_hint: Option<String>,
}

pub fn parse_parameter_file(_db: &SourceDb, file: FileId) -> Result<ParameterFile, Diagnostic> {
    Ok(ParameterFile {
        file,
        template_hint: None,
    })
}

pub fn pair_parameter_files(
    _templates: &[(FileId, &Path)],
    _params: &[(&ParameterFile, &Path)],
    _explicit: &[&ParameterFile],
) -> HashMap<FileId, Vec<usize>> {
    HashMap::new()
}

pub struct ArmUnit {
    pub models: Vec<Model>,
    pub diagnostics: Vec<Diagnostic>,
    pub is_template: bool,
}

pub fn build(_db: &SourceDb, _template: FileId, _params: &[&ParameterFile]) -> ArmUnit {
    ArmUnit {
        models: Vec::new(),
        diagnostics: Vec::new(),
        is_template: true,
    }
}

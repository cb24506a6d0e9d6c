//! `.bicepparam` files → parameter values, as `bicep build-params` would write them.
//!
//! `using './main.bicep'` names the template (it pairs the file with that template like an
//! ARM parameter file's `metadata.template`); `extends './base.bicepparam'` starts from the
//! base file's values (the derived file overrides whole values and can spread `base.x`);
//! `var`s, functions and imports are evaluated like a template's.
//! `readEnvironmentVariable()` is Unknown (it is read on the machine that compiles the
//! file), `az.getSecret()` an Unknown secret.

use super::eval::{Ctx, Eval, Supplied};
use super::load::BicepSet;
use crate::arm::ParameterFile;
use crate::diagnostic::Diagnostic;
use crate::model::{Object, Val};
use crate::source::{FileId, SourceDb};
use std::collections::HashMap;

/// How many `extends` are followed (a base of a base …).
const MAX_EXTENDS: u32 = 8;

/// The parameter values of `file`, with the diagnostics evaluation found.
pub fn evaluate(db: &SourceDb, set: &BicepSet, file: FileId) -> (ParameterFile, Vec<Diagnostic>) {
    let (files, syntax_errors) = set.files_of(db, file);
    let Some(ast) = files.get(&file) else {
        // Does not parse (ER001 is reported): every value Unknown, paired by its `using`.
        let pf = ParameterFile {
            file,
            template_hint: db.text(file).ok().and_then(textual_using),
            values: HashMap::new(),
            unusable: Some(format!(
                "parameter file `{}` does not parse",
                db.display(file)
            )),
        };
        return (pf, syntax_errors);
    };
    let mut ev = Eval::new(db, set, &files);
    let (values, hits) = crate::limits::run(|| values_of(&mut ev, file, 0).unwrap_or_default());
    let template_hint = ast.statements.iter().find_map(|s| match &s.kind {
        super::ast::StatementKind::Using(u) => u
            .target
            .as_ref()
            .and_then(|t| t.as_literal())
            .map(str::to_string),
        _ => None,
    });
    let pf = ParameterFile {
        file,
        template_hint,
        values,
        unusable: None,
    };
    let mut diags = syntax_errors;
    diags.extend(ev.take_diagnostics());
    diags.extend(crate::limits::diagnostics(&hits));
    (pf, diags)
}

/// The values a parameters file sets, by lower-cased name (its base's first).
fn values_of(ev: &mut Eval<'_>, file: FileId, depth: u32) -> Option<HashMap<String, Val>> {
    let decls = ev.decls(file)?;
    let scope = ev.add_scope(decls.clone(), Supplied::None);
    let mut values = HashMap::new();
    if let Some(ext) = decls.extends
        && depth < MAX_EXTENDS
        && let Some(base) = ev.set.link(file, ext)
        && let Some(base_values) = values_of(ev, base, depth + 1)
    {
        let mut o = Object::with_capacity(base_values.len());
        for (k, v) in &base_values {
            o.insert(k.as_str(), v.clone());
        }
        if let Some(s) = ev.scopes.get_mut(scope) {
            s.base = Some(Val::object(o, Some(ext.span)));
        }
        values = base_values;
    }
    let ctx = Ctx::new(scope);
    for p in &decls.param_values {
        if let Some(v) = &p.value {
            let val = ev.expr(&ctx, v);
            values.insert(p.name.name.to_ascii_lowercase(), val);
        }
    }
    Some(values)
}

/// `using '…'` read from the text of a file that does not parse.
pub fn textual_using(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("using")?;
        let rest = rest.trim_start().strip_prefix('\'')?;
        let end = rest.find('\'')?;
        rest.get(..end).map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn using_is_found_in_a_broken_file() {
        assert_eq!(
            textual_using("// x\nusing './main.bicep'\nparam x = ").as_deref(),
            Some("./main.bicep")
        );
        assert_eq!(textual_using("param x = 1"), None);
    }
}

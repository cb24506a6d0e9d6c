//! A parsed file's declarations by name: what a symbol in an expression refers to.
//!
//! Bicep's names are case-sensitive and share one namespace (parameters, variables,
//! resources, modules, functions, imports). Resources declared inside another resource's
//! body are listed too, each with the index of the resource that declares it, so that
//! `parent::child` and nested types and names can be followed.

use super::ast::{
    BicepFile, Expr, Func, ImportItems, ImportName, Module, Param, ParamValue, Resource, Statement,
    StatementKind, Str, Var,
};
use crate::source::{FileId, Span};
use std::collections::HashMap;

/// One resource declaration, top-level or nested.
#[derive(Clone, Copy, Debug)]
pub struct ResDecl<'a> {
    pub res: &'a Resource,
    /// The whole declaration, decorators included.
    pub extent: Span,
    /// Index (in [`Decls::resources`]) of the resource whose body declares this one.
    pub outer: Option<usize>,
}

/// A name brought in by `import {name as alias} from 'file'`.
#[derive(Clone, Copy, Debug)]
pub struct Imported<'a> {
    pub from: &'a Str,
    /// The name in the other file.
    pub name: &'a str,
}

/// The declarations of one file.
#[derive(Debug)]
pub struct Decls<'a> {
    pub file: FileId,
    pub ast: &'a BicepFile,
    pub target_scope: Option<&'a Expr>,
    pub params: HashMap<&'a str, (&'a Statement, &'a Param)>,
    pub vars: HashMap<&'a str, &'a Var>,
    pub funcs: HashMap<&'a str, &'a Func>,
    /// Every resource declaration, in file order (a parent before its nested children).
    pub resources: Vec<ResDecl<'a>>,
    /// Top-level resources by symbol.
    pub resource_names: HashMap<&'a str, usize>,
    pub modules: HashMap<&'a str, &'a Module>,
    pub imports: HashMap<&'a str, Imported<'a>>,
    /// `import * as ns from 'file'`.
    pub wildcard_imports: HashMap<&'a str, &'a Str>,
    /// `.bicepparam`: `param x = value`.
    pub param_values: Vec<&'a ParamValue>,
    /// `.bicepparam`: `using '…'` (`None` for `using none` or no `using`).
    pub using: Option<&'a Str>,
    /// `.bicepparam`: `extends '…'`.
    pub extends: Option<&'a Str>,
}

impl<'a> Decls<'a> {
    pub fn of(file: FileId, ast: &'a BicepFile) -> Decls<'a> {
        let mut d = Decls {
            file,
            ast,
            target_scope: None,
            params: HashMap::new(),
            vars: HashMap::new(),
            funcs: HashMap::new(),
            resources: Vec::new(),
            resource_names: HashMap::new(),
            modules: HashMap::new(),
            imports: HashMap::new(),
            wildcard_imports: HashMap::new(),
            param_values: Vec::new(),
            using: None,
            extends: None,
        };
        for s in &ast.statements {
            match &s.kind {
                StatementKind::TargetScope(e) => d.target_scope = Some(e),
                StatementKind::Param(p) => {
                    d.params.entry(&p.name.name).or_insert((s, p));
                }
                StatementKind::Var(v) => {
                    d.vars.entry(&v.name.name).or_insert(v);
                }
                StatementKind::Func(f) => {
                    d.funcs.entry(&f.name.name).or_insert(f);
                }
                StatementKind::Resource(r) => {
                    let i = d.add_resource(r, s.span, None);
                    d.resource_names.entry(&r.name.name).or_insert(i);
                }
                StatementKind::Module(m) => {
                    d.modules.entry(&m.name.name).or_insert(m);
                }
                StatementKind::Import(imp) => match &imp.items {
                    ImportItems::List(items) => {
                        for item in items {
                            let name: &str = match &item.name {
                                ImportName::Ident(i) => &i.name,
                                ImportName::Str(s) => s.as_literal().unwrap_or(""),
                            };
                            let local = item.alias.as_ref().map_or(name, |a| &a.name);
                            d.imports.entry(local).or_insert(Imported {
                                from: &imp.from,
                                name,
                            });
                        }
                    }
                    ImportItems::Wildcard { alias } => {
                        d.wildcard_imports.entry(&alias.name).or_insert(&imp.from);
                    }
                },
                StatementKind::ParamValue(p) => d.param_values.push(p),
                StatementKind::Using(u) => d.using = u.target.as_ref(),
                StatementKind::Extends(e) => d.extends = Some(e),
                _ => {}
            }
        }
        d
    }

    fn add_resource(&mut self, r: &'a Resource, extent: Span, outer: Option<usize>) -> usize {
        let i = self.resources.len();
        self.resources.push(ResDecl {
            res: r,
            extent,
            outer,
        });
        for n in r.body.object().resources() {
            self.add_resource(&n.resource, n.span, Some(i));
        }
        i
    }

    /// The resource declared directly in resource `outer`'s body as `name`.
    pub fn nested(&self, outer: usize, name: &str) -> Option<usize> {
        self.resources
            .iter()
            .enumerate()
            .find(|(_, d)| d.outer == Some(outer) && &*d.res.name.name == name)
            .map(|(i, _)| i)
    }

    /// The resources declared directly in `outer`'s body (or at the top level for `None`).
    pub fn children(&self, outer: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.outer == outer)
            .map(|(i, _)| i)
    }

    /// A symbol of this file, for a symbol that is not a local: what kind it is.
    pub fn declares(&self, name: &str) -> bool {
        self.params.contains_key(name)
            || self.vars.contains_key(name)
            || self.resource_names.contains_key(name)
            || self.modules.contains_key(name)
            || self.funcs.contains_key(name)
            || self.imports.contains_key(name)
            || self.wildcard_imports.contains_key(name)
    }
}

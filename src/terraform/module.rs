//! One Terraform module directory, read into what evaluation needs: variables, locals,
//! outputs, provider blocks, module calls, resources (bodies only for the kinds erlint
//! checks), and the directory's automatic tfvars files.

use super::FastMap;
use super::ast::parse_error;
use super::ast::*;
use super::hcl::{self, Conv};
use super::types::TypeSpec;
use crate::diagnostic::Diagnostic;
use crate::model::Kind;
use crate::model::schema::kind_from_tf;
pub use crate::source::paths::{TfFileKind, auto_tfvars_rank, shadowed_by_tofu, tf_file_kind};
use crate::source::{FileId, SourceDb, Span};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct ModuleIr {
    pub dir: PathBuf,
    /// Display form of the directory (for messages).
    pub display: String,
    pub files: Vec<FileId>,
    /// Bytes of configuration read: what the tree costs to keep, roughly.
    pub source_bytes: usize,
    pub variables: Vec<Variable>,
    pub locals: FastMap<Arc<str>, Expr>,
    pub outputs: FastMap<Arc<str>, Expr>,
    pub providers: Vec<ProviderIr>,
    pub module_calls: Vec<ModuleCall>,
    pub resources: Vec<ResourceIr>,
    /// Resources that carry ARM resources in another provider's schema (azapi, template
    /// deployments); see [`HostIr`].
    pub hosts: Vec<HostIr>,
    /// The resource groups, subscriptions and management groups declared with azurerm
    /// ([`SCOPE_TYPES`]: `type`, `name`, `provider` meta-argument), so that a reference to
    /// one is known to name it (an azapi `parent_id = azurerm_resource_group.net.id`).
    /// By type, then name (looked up by `&str` without building a key): see
    /// [`ModuleIr::declared_scope`].
    pub declared: FastMap<Arc<str>, FastMap<Arc<str>, Option<String>>>,
    /// The client configuration data sources ([`CLIENT_CONFIG_TYPES`]): type, name and
    /// `provider` meta-argument, so that an azapi `parent_id` built on one's subscription
    /// is known to take that provider's.
    pub client_configs: Vec<ClientConfig>,
    /// Heredoc strings of host resources' `body`/`template_content`/`parameters_content`
    /// (by the heredoc's span): where each literal part of the content was written.
    pub heredocs: FastMap<Span, super::text_map::Heredoc>,
    /// `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)`, in Terraform's order.
    pub tfvars: Vec<TfvarsFile>,
    /// A `terraform { backend … }` or `cloud` block: this directory is a root module.
    pub has_backend: bool,
    /// A `terraform { required_providers { … } }` block: part of a reusable module's
    /// published interface (and of many roots).
    pub requires_providers: bool,
    /// A required provider with `configuration_aliases`: provider configurations only a
    /// caller can pass (`providers = { azurerm.hub = … }`), so a reusable module's.
    pub configuration_aliases: bool,
    /// A variable definitions file that Terraform does not load by itself (`prod.tfvars`):
    /// it is meant for `-var-file`, which only a root module takes.
    pub has_var_files: bool,
    /// The local module sources (`../modules/er`) written in files of this directory that
    /// do not parse: the calls are not evaluated, but the directories they name are known
    /// to be called.
    pub broken_calls: Vec<String>,
    /// The suppression sites of the files that hold `erlint-ignore`, found with their parse.
    pub sites: Vec<(FileId, crate::source::sites::Sites)>,
    /// ER001/ER002 for files of this directory.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub name: Arc<str>,
    pub default: Option<Expr>,
    pub ty: Option<Expr>,
    /// `nullable = false`: a null value (from a module argument or a tfvars file) is
    /// replaced by the default.
    pub nullable: bool,
    pub header: Span,
}

#[derive(Debug, Clone)]
pub struct ProviderIr {
    pub name: Arc<str>,
    pub alias: Option<Arc<str>>,
    pub block: Block,
}

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: Arc<str>,
    pub source: Option<String>,
    pub source_span: Span,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `providers = { azurerm = azurerm.hub }`: (name in the child, reference in the caller).
    pub providers: Vec<(String, String)>,
    /// Input arguments (everything that is not a meta-argument).
    pub args: Vec<Attribute>,
    pub header: Span,
    pub span: Span,
}

#[derive(Debug, Clone)]
/// A resource of a kind erlint checks (other resources are not kept).
pub struct ResourceIr {
    pub ty: Arc<str>,
    pub name: Arc<str>,
    pub kind: Kind,
    pub header: Span,
    pub span: Span,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `provider = azurerm.hub` as text.
    pub provider: Option<String>,
    /// The body, meta-arguments removed.
    pub body: Body,
}

/// What a [`HostIr`] is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HostClass {
    /// `azapi_resource`: `type` names the ARM resource type, `body` holds its properties.
    AzapiResource,
    /// `azapi_update_resource`: `body` is merged into the resource it updates.
    AzapiUpdate,
    /// `azapi_resource_action`: an imperative call, not a declaration.
    AzapiAction,
    /// `azurerm_*_template_deployment`: an ARM template deployed at this scope.
    TemplateDeployment(crate::model::ArmScope),
}

impl HostClass {
    /// The class of a Terraform resource type, if it carries ARM resources.
    pub fn of(ty: &str) -> Option<HostClass> {
        use crate::model::ArmScope;
        Some(match ty {
            "azapi_resource" => HostClass::AzapiResource,
            "azapi_update_resource" => HostClass::AzapiUpdate,
            "azapi_resource_action" => HostClass::AzapiAction,
            "azurerm_resource_group_template_deployment" => {
                HostClass::TemplateDeployment(ArmScope::ResourceGroup)
            }
            "azurerm_subscription_template_deployment" => {
                HostClass::TemplateDeployment(ArmScope::Subscription)
            }
            "azurerm_management_group_template_deployment" => {
                HostClass::TemplateDeployment(ArmScope::ManagementGroup)
            }
            "azurerm_tenant_template_deployment" => HostClass::TemplateDeployment(ArmScope::Tenant),
            _ => return None,
        })
    }
}

/// A resource whose type says only "ARM resources inside" (an `azapi_resource`, a template
/// deployment): kept whole, its kind decided when it is evaluated.
#[derive(Debug, Clone)]
pub struct HostIr {
    pub class: HostClass,
    pub ty: Arc<str>,
    pub name: Arc<str>,
    pub header: Span,
    pub span: Span,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `provider = azapi.hub` as text.
    pub provider: Option<String>,
    /// The body, meta-arguments removed.
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct TfvarsFile {
    pub file: FileId,
    pub values: Vec<Attribute>,
    /// Why the file could not be used (`` `terraform.tfvars` could not be parsed ``): it may
    /// set any variable, so every value of lower precedence is Unknown.
    pub broken: Option<String>,
}

impl TfvarsFile {
    /// A file that did not parse or could not be read (`what`: "parsed", "read").
    pub fn broken(file: FileId, name: &str, what: &str) -> TfvarsFile {
        TfvarsFile {
            file,
            values: Vec::new(),
            broken: Some(format!("`{name}` could not be {what}")),
        }
    }
}

/// The data sources that read a provider's own client configuration (its subscription).
pub const CLIENT_CONFIG_TYPES: [&str; 2] = ["azapi_client_config", "azurerm_client_config"];

/// A client configuration data source ([`ModuleIr::client_configs`]).
#[derive(Debug)]
pub struct ClientConfig {
    pub ty: &'static str,
    pub name: Arc<str>,
    /// The `provider` meta-argument (`azapi.connectivity`), if any.
    pub provider: Option<String>,
}

/// The `provider` meta-argument of a block whose body is not converted
/// (`azurerm.connectivity`).
fn provider_meta(conv: &Conv, b: &hcl_edit::structure::Block) -> Option<String> {
    b.body.structures().iter().find_map(|s| match s {
        hcl_edit::structure::Structure::Attribute(a) if a.key.as_str() == "provider" => {
            conv.attribute(a).expr.reference_text()
        }
        _ => None,
    })
}

/// The azurerm resources that are a deployment scope an azapi `parent_id` can name.
pub const SCOPE_TYPES: [&str; 3] = [
    "azurerm_resource_group",
    "azurerm_subscription",
    "azurerm_management_group",
];

const META_ARGS: [&str; 5] = ["count", "for_each", "provider", "depends_on", "lifecycle"];

/// The value of the attribute `name` (the first, as [`Body::attr`] finds it), moved out of
/// a body that is about to be dropped. The others keep their order, so that a later take
/// of another name still finds that name's first attribute.
fn take_attr(body: &mut Body, name: &str) -> Option<Expr> {
    let i = body.attrs.iter().position(|a| &*a.name == name)?;
    Some(body.attrs.remove(i).expr)
}

/// A block's `i`th label, or empty.
fn label(b: &Block, i: usize) -> Arc<str> {
    b.labels.get(i).cloned().unwrap_or_else(|| intern(""))
}

impl ModuleIr {
    /// The `provider` meta-argument of the scope resource `ty.name` this module declares
    /// (see [`ModuleIr::declared`]), if it declares one.
    pub fn declared_scope(&self, ty: &str, name: &str) -> Option<&Option<String>> {
        self.declared.get(ty)?.get(name)
    }

    /// Read and convert the given files of one directory. Files that do not parse become
    /// ER001 diagnostics; the rest of the directory is still used.
    pub fn load(db: &SourceDb, dir: PathBuf, display: String, files: &[FileId]) -> ModuleIr {
        let mut m = ModuleIr {
            dir,
            display,
            ..ModuleIr::default()
        };
        let mut tfvars: Vec<((u8, String), TfvarsFile)> = Vec::new();
        let name_of = |file: FileId| {
            db.path(file)
                .file_name()
                .map_or(std::borrow::Cow::Borrowed(""), |n| n.to_string_lossy())
        };
        // Borrowed from the database (copied only when not UTF-8).
        let names: Vec<std::borrow::Cow<'_, str>> = files.iter().map(|f| name_of(*f)).collect();
        // A `.tf` file a `.tofu` file replaces is not read, so not counted either.
        let read: Vec<(FileId, &str)> = files
            .iter()
            .zip(&names)
            .filter(|(_, name)| !shadowed_by_tofu(name, &names))
            .map(|(&file, name)| (file, &**name))
            .collect();
        m.files = read.iter().map(|&(file, _)| file).collect();
        for (file, name) in read {
            let Some(kind) = tf_file_kind(name) else {
                continue;
            };
            let rank = match kind {
                TfFileKind::Tfvars | TfFileKind::TfvarsJson => match auto_tfvars_rank(name) {
                    Some(rank) => Some(rank),
                    // Other tfvars files are read only when named with `--var-file`.
                    None => {
                        m.has_var_files = true;
                        continue;
                    }
                },
                TfFileKind::Hcl | TfFileKind::Json => None,
            };
            // Read for the parse only: the syntax tree keeps spans, not the text.
            let read = match db.read(file) {
                Ok(t) => t,
                Err(e) => {
                    m.diagnostics.push(crate::core::unreadable_file(
                        Span::new(file, 0, 0),
                        e.to_string(),
                    ));
                    if let Some(rank) = rank {
                        tfvars.push((rank, TfvarsFile::broken(file, name, "read")));
                    }
                    continue;
                }
            };
            let text: &str = &read;
            m.source_bytes += text.len();
            if matches!(kind, TfFileKind::Json | TfFileKind::TfvarsJson) && db.had_bom(file) {
                m.diagnostics.push(super::tfjson::bom_error(file));
            }
            match kind {
                TfFileKind::Hcl | TfFileKind::Json => m.add_config_file(file, text, kind),
                TfFileKind::Tfvars | TfFileKind::TfvarsJson => {
                    let Some(rank) = rank else {
                        continue;
                    };
                    match parse_tfvars(file, text, kind == TfFileKind::TfvarsJson) {
                        Ok(values) => tfvars.push((
                            rank,
                            TfvarsFile {
                                file,
                                values,
                                broken: None,
                            },
                        )),
                        Err(d) => {
                            m.diagnostics.push(*d);
                            tfvars.push((rank, TfvarsFile::broken(file, name, "parsed")));
                        }
                    }
                }
            }
        }
        tfvars.sort_by(|a, b| a.0.cmp(&b.0));
        m.tfvars = tfvars.into_iter().map(|(_, t)| t).collect();
        m.shrink();
        m
    }

    /// Give back the spare capacity of what was collected: the module is kept for the
    /// whole run, and most directories hold one or two of each kind of block (a `Vec`
    /// grown by `push` holds at least four).
    fn shrink(&mut self) {
        self.variables.shrink_to_fit();
        self.locals.shrink_to_fit();
        self.outputs.shrink_to_fit();
        self.providers.shrink_to_fit();
        self.module_calls.shrink_to_fit();
        self.resources.shrink_to_fit();
        self.hosts.shrink_to_fit();
        self.declared.shrink_to_fit();
        self.client_configs.shrink_to_fit();
        for names in self.declared.values_mut() {
            names.shrink_to_fit();
        }
        self.heredocs.shrink_to_fit();
        self.broken_calls.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
        for r in &mut self.resources {
            r.body.shrink();
        }
        for h in &mut self.hosts {
            h.body.shrink();
        }
        for c in &mut self.module_calls {
            c.args.shrink_to_fit();
        }
    }

    fn add_hcl_body(&mut self, file: FileId, body: &hcl_edit::structure::Body) {
        let conv = Conv::new(file);
        for s in body.structures() {
            let hcl_edit::structure::Structure::Block(b) = s else {
                continue;
            };
            let ident = b.ident.as_str();
            let convert_body = match ident {
                "resource" => {
                    let ty = b.labels.first().map(|l| l.as_str()).unwrap_or("");
                    let keep = kind_from_tf(ty).is_some() || HostClass::of(ty).is_some();
                    if !keep {
                        self.declare(&conv, b);
                    }
                    keep
                }
                "variable" | "locals" | "provider" | "module" | "output" | "terraform" => true,
                "data" => {
                    self.declare_client_config(&conv, b);
                    false
                }
                _ => false,
            };
            // Other resources and data sources: nothing a rule reads (references to them
            // evaluate to Unknown either way).
            if !convert_body {
                continue;
            }
            let block = conv.block(b);
            self.add_block(block);
        }
    }

    /// Remember an HCL data source if it is a client configuration.
    fn declare_client_config(&mut self, conv: &Conv, b: &hcl_edit::structure::Block) {
        if let (Some(ty), Some(name)) = (b.labels.first(), b.labels.get(1)) {
            self.add_client_config(ty.as_str(), intern(name.as_str()), || {
                provider_meta(conv, b)
            });
        }
    }

    /// Remember data source `ty`.`name` if it is a client configuration
    /// ([`CLIENT_CONFIG_TYPES`]), with its `provider` meta-argument (read only then).
    fn add_client_config(
        &mut self,
        ty: &str,
        name: Arc<str>,
        provider: impl FnOnce() -> Option<String>,
    ) {
        if let Some(ty) = CLIENT_CONFIG_TYPES.into_iter().find(|t| *t == ty) {
            self.client_configs.push(ClientConfig {
                ty,
                name,
                provider: provider(),
            });
        }
    }

    /// The client configuration data source `data.<ty>.<name>`, if the module declares it.
    pub fn client_config(&self, ty: &str, name: &str) -> Option<&ClientConfig> {
        self.client_configs
            .iter()
            .find(|c| c.ty == ty && &*c.name == name)
    }

    /// Remember a resource whose body is not converted, if it is one of the
    /// [`SCOPE_TYPES`]: its address and provider only.
    fn declare(&mut self, conv: &Conv, b: &hcl_edit::structure::Block) {
        if !b
            .labels
            .first()
            .is_some_and(|l| SCOPE_TYPES.contains(&l.as_str()))
        {
            return;
        }
        let label = |i: usize| {
            b.labels
                .get(i)
                .map(|l| intern(l.as_str()))
                .unwrap_or_else(|| intern(""))
        };
        let provider = provider_meta(conv, b);
        self.declared
            .entry(label(0))
            .or_default()
            .insert(label(1), provider);
    }

    /// A configuration file (`.tf`, `.tf.json`) of the directory: its blocks, or ER001 and
    /// the local module sources its text names.
    fn add_config_file(&mut self, file: FileId, text: &str, kind: TfFileKind) {
        match kind {
            TfFileKind::Hcl => match super::sites::parse(file, text) {
                Ok((body, sites)) => {
                    self.sites.extend(sites.map(|s| (file, s)));
                    self.add_hcl_body(file, &body);
                    self.heredocs
                        .extend(super::text_map::heredocs_of_hosts(file, text, &body));
                }
                Err(e) => {
                    self.diagnostics
                        .push(parse_error(file, text, e.offset, &e.message));
                    self.broken_calls
                        .extend(local_sources(text).into_iter().map(str::to_string));
                }
            },
            TfFileKind::Json => match super::tfjson::parse_config(file, text) {
                Ok(body) => self.add_body(body),
                Err(d) => {
                    self.diagnostics.push(*d);
                    self.broken_calls
                        .extend(local_sources(text).into_iter().map(str::to_string));
                }
            },
            TfFileKind::Tfvars | TfFileKind::TfvarsJson => {}
        }
    }

    /// Add the top-level blocks of a converted body (HCL or `.tf.json`).
    pub fn add_body(&mut self, body: Body) {
        for b in body.blocks {
            self.add_block(b);
        }
    }

    fn add_block(&mut self, b: Block) {
        let label = |i: usize| label(&b, i);
        match &*b.ident {
            "variable" => self.add_variable(b),
            "locals" => {
                for a in b.body.attrs {
                    self.locals.entry(a.name.clone()).or_insert(a.expr);
                }
            }
            "output" => {
                let name = label(0);
                let mut b = b;
                if let Some(value) = take_attr(&mut b.body, "value") {
                    self.outputs.insert(name, value);
                }
            }
            "terraform" => {
                let has = |name: &str| {
                    b.body.blocks.iter().any(|x| &*x.ident == name)
                        || b.body.attrs.iter().any(|x| &*x.name == name)
                };
                self.has_backend |= has("backend") || has("cloud");
                self.requires_providers |= has("required_providers");
                self.configuration_aliases |= b
                    .body
                    .blocks
                    .iter()
                    .filter(|x| &*x.ident == "required_providers")
                    .flat_map(|x| x.body.attrs.iter())
                    .any(|a| match &a.expr.kind {
                        ExprKind::Object(items) => items.iter().any(|(k, _)| {
                            matches!(k, ObjectKey::Ident(name, _) if &**name == "configuration_aliases")
                        }),
                        _ => false,
                    });
            }
            "provider" => {
                let alias = b
                    .body
                    .attr("alias")
                    .and_then(|a| a.expr.as_str())
                    .map(Arc::from);
                self.providers.push(ProviderIr {
                    name: label(0),
                    alias,
                    block: b,
                });
            }
            "module" => self.add_module_call(&b),
            "resource" => self.add_resource(b),
            "data" => self.add_client_config(&label(0), label(1), || {
                b.body
                    .attr("provider")
                    .and_then(|a| a.expr.reference_text())
            }),
            _ => {}
        }
    }

    /// A `variable` block.
    fn add_variable(&mut self, mut b: Block) {
        if let Some(ty) = b.body.attr("type") {
            for (name, at, first) in TypeSpec::repeated_attributes(&ty.expr) {
                self.diagnostics
                    .push(repeated_type_attribute(&name, at, first));
            }
        }
        let nullable = !b
            .body
            .attr("nullable")
            .is_some_and(|a| matches!(a.expr.kind, ExprKind::Bool(false)));
        self.variables.push(Variable {
            name: label(&b, 0),
            default: take_attr(&mut b.body, "default"),
            ty: take_attr(&mut b.body, "type"),
            nullable,
            header: b.header,
        });
    }

    /// A `module` block.
    fn add_module_call(&mut self, b: &Block) {
        let source_attr = b.body.attr("source");
        let providers = b
            .body
            .attr("providers")
            .map(|a| match &a.expr.kind {
                ExprKind::Object(items) => items
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(s, _) => s.to_string(),
                            ObjectKey::Expr(e) => e.reference_text()?,
                        };
                        Some((key, v.reference_text()?))
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let args = b
            .body
            .attrs
            .iter()
            .filter(|a| {
                !matches!(
                    &*a.name,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                )
            })
            .cloned()
            .collect();
        self.module_calls.push(ModuleCall {
            name: label(b, 0),
            source: source_attr
                .and_then(|a| a.expr.as_str())
                .map(str::to_string),
            source_span: source_attr.map(|a| a.span).unwrap_or(b.header),
            count: b.body.attr("count").map(|a| a.expr.clone()),
            for_each: b.body.attr("for_each").map(|a| a.expr.clone()),
            providers,
            args,
            header: b.header,
            span: b.span,
        });
    }

    /// A `resource` block: an ExpressRoute resource, a host of embedded ones, or a scope
    /// other resources may name.
    fn add_resource(&mut self, b: Block) {
        let ty = label(&b, 0);
        let name = label(&b, 1);
        let (header, span) = (b.header, b.span);
        let mut body = b.body;
        let count = body.attr("count").map(|a| a.expr.clone());
        let for_each = body.attr("for_each").map(|a| a.expr.clone());
        let provider = body.attr("provider").and_then(|a| a.expr.reference_text());
        // The meta-arguments are read above; the body keeps the resource's own arguments.
        body.attrs.retain(|a| !META_ARGS.contains(&&*a.name));
        body.blocks.retain(|bl| !META_ARGS.contains(&&*bl.ident));
        let Some(kind) = kind_from_tf(&ty) else {
            match HostClass::of(&ty) {
                Some(class) => {
                    self.hosts.push(HostIr {
                        class,
                        ty,
                        name,
                        header,
                        span,
                        count,
                        for_each,
                        provider,
                        body,
                    });
                }
                None if SCOPE_TYPES.contains(&&*ty) => {
                    self.declared.entry(ty).or_default().insert(name, provider);
                }
                None => {}
            }
            return;
        };
        self.resources.push(ResourceIr {
            ty,
            name,
            kind,
            header,
            span,
            count,
            for_each,
            provider,
            body,
        });
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| &*v.name == name)
    }

    /// Whether this directory is certainly a root module: it configures a provider or a
    /// backend, has variable definitions files (automatic or not) or a dependency lock file.
    /// A reusable module has none of these.
    pub fn has_root_markers(&self) -> bool {
        !self.providers.is_empty()
            || self.has_backend
            || !self.tfvars.is_empty()
            || self.has_var_files
            || self.dir.join(".terraform.lock.hcl").exists()
    }

    /// A reusable module's published interface, as the Terraform Registry lays it out:
    /// `required_providers` and at least one input without a default, or provider
    /// `configuration_aliases` (which only a caller can give).
    pub fn has_module_interface(&self) -> bool {
        self.configuration_aliases
            || (self.requires_providers && self.variables.iter().any(|v| v.default.is_none()))
    }

    pub fn module_call(&self, name: &str) -> Option<&ModuleCall> {
        self.module_calls.iter().find(|c| &*c.name == name)
    }
}

/// Parse a tfvars file (HCL or JSON) into its attributes.
pub fn parse_tfvars(
    file: FileId,
    text: &str,
    json: bool,
) -> Result<Vec<Attribute>, Box<Diagnostic>> {
    if json {
        return super::tfjson::parse_tfvars_json(file, text);
    }
    let body =
        hcl::parse(text).map_err(|e| Box::new(parse_error(file, text, e.offset, &e.message)))?;
    Ok(Conv::new(file).body(&body).attrs)
}

/// The local module sources written in a Terraform file: the string after `source =`
/// (HCL) or `"source":` (JSON) when it starts with `./` or `../`.
pub fn local_sources(text: &str) -> Vec<&str> {
    // memchr's vector search: the callers search runs this over every Terraform file of
    // the area it reads (thousands at a repository's top), where `str::match_indices`
    // took 2 % of a cold search's CPU.
    static SOURCE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("source"));
    let mut out = Vec::new();
    for i in SOURCE.find_iter(text.as_bytes()) {
        let word_start = text
            .get(..i)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
        if !word_start {
            continue;
        }
        let Some(rest) = text.get(i + "source".len()..) else {
            continue;
        };
        // `source =` or `"source":`, then the opening quote.
        let rest = rest.strip_prefix('"').unwrap_or(rest).trim_start();
        let Some(rest) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.find('"') else { continue };
        let Some(src) = rest.get(..end) else { continue };
        if super::is_local_source(src) {
            out.push(src);
        }
    }
    out
}

/// A variable definitions file named on the command line or in the configuration
/// (`--var-file`, `terraform.var_files`), or staged alone: its values, or a broken file
/// whose every value is Unknown, and its problems (ER001/ER002).
pub fn load_var_file(db: &SourceDb, file: FileId) -> (TfvarsFile, Vec<Diagnostic>) {
    let name = db.display(file).to_string();
    let text = match db.text(file) {
        Ok(t) => t,
        Err(e) => {
            let d = crate::core::unreadable_file(Span::new(file, 0, 0), e.to_string());
            return (TfvarsFile::broken(file, &name, "read"), vec![d]);
        }
    };
    let is_json = name.ends_with(".json");
    let mut problems = Vec::new();
    if is_json && db.had_bom(file) {
        problems.push(super::tfjson::bom_error(file));
    }
    match parse_tfvars(file, text, is_json) {
        Ok(values) => (
            TfvarsFile {
                file,
                values,
                broken: None,
            },
            problems,
        ),
        Err(d) => {
            problems.push(*d);
            (TfvarsFile::broken(file, &name, "parsed"), problems)
        }
    }
}

/// ER001 for an attribute named twice in an `object({...})` type constraint: valid HCL, but
/// Terraform rejects the type when it reads the variable.
fn repeated_type_attribute(name: &str, at: Span, first: Span) -> Diagnostic {
    let mut d = crate::core::parse_error(
        at,
        format!(
            "invalid type specification: attribute `{name}` is defined twice in this object type"
        ),
    );
    d.label(first, "first defined here").help(
        "remove one of the two; `terraform validate` rejects the type (object type attribute names must be unique)",
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_blocks_and_skips_filler_bodies() {
        let mut db = SourceDb::new(0);
        let f = db.add_text(
            "main.tf",
            r#"
variable "bw" {
  type    = number
  default = 200
}
locals { prefix = "er" }
provider "azurerm" {
  features {}
  alias = "hub"
}
module "p" {
  source    = "./modules/peering"
  providers = { azurerm = azurerm.hub }
  vlan_id   = 100
}
resource "azurerm_express_route_circuit" "c" {
  count = 1
  name  = "x"
  sku {
    tier = "Standard"
  }
}
resource "azurerm_storage_account" "s" {
  name = "x"
}
"#,
        );
        let m = ModuleIr::load(&db, PathBuf::from("."), ".".into(), &[f]);
        assert!(m.diagnostics.is_empty());
        assert_eq!(m.variables[0].name.as_ref(), "bw");
        assert!(m.locals.contains_key("prefix"));
        assert_eq!(m.providers[0].alias.as_deref(), Some("hub"));
        let call = &m.module_calls[0];
        assert_eq!(call.source.as_deref(), Some("./modules/peering"));
        assert_eq!(
            call.providers,
            vec![("azurerm".to_string(), "azurerm.hub".to_string())]
        );
        assert_eq!(call.args.len(), 1);
        let c = &m.resources[0];
        assert!(c.count.is_some());
        let body = &c.body;
        assert!(body.attr("count").is_none());
        assert_eq!(body.blocks[0].ident.as_ref(), "sku");
        // The storage account is not kept: nothing reads it.
        assert_eq!(m.resources.len(), 1);
    }

    #[test]
    fn tofu_files_are_terraform_and_replace_their_tf_twins() {
        assert_eq!(tf_file_kind("main.tofu"), Some(TfFileKind::Hcl));
        assert_eq!(tf_file_kind("main.tofu.json"), Some(TfFileKind::Json));
        assert_eq!(tf_file_kind("main.tofu.bak"), None);
        let names: Vec<String> = [
            "main.tf",
            "main.tofu",
            "vars.tf.json",
            "vars.tofu.json",
            "net.tf",
        ]
        .map(String::from)
        .to_vec();
        assert!(shadowed_by_tofu("main.tf", &names));
        assert!(shadowed_by_tofu("vars.tf.json", &names));
        assert!(!shadowed_by_tofu("net.tf", &names));
        assert!(!shadowed_by_tofu("main.tofu", &names));
        let mut db = SourceDb::new(0);
        let tf = db.add_text("main.tf", "variable \"from_tf\" {}\n");
        let tofu = db.add_text("main.tofu", "variable \"from_tofu\" {}\n");
        let m = ModuleIr::load(&db, PathBuf::from("."), ".".into(), &[tf, tofu]);
        let vars: Vec<&str> = m.variables.iter().map(|v| &*v.name).collect();
        assert_eq!(vars, ["from_tofu"]);
    }

    #[test]
    fn parse_errors_become_er001_and_other_files_still_load() {
        let mut db = SourceDb::new(0);
        let bad = db.add_text("bad.tf", "resource \"a\" \"b\" {\n  x = \n");
        let good = db.add_text("good.tf", "variable \"v\" {}\n");
        let m = ModuleIr::load(&db, PathBuf::from("."), ".".into(), &[bad, good]);
        assert_eq!(m.diagnostics.len(), 1);
        assert_eq!(m.diagnostics[0].code, "ER001");
        assert_eq!(m.variables.len(), 1);
    }
}

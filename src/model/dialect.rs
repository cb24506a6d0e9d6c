//! How a resource was written, in three independent parts, so that rules never ask
//! "Terraform or ARM?":
//!
//! - [`Schema`]: the attribute vocabulary of its body, which picks an [`Attr`]'s path
//!   (azurerm argument names, or ARM property paths: ARM templates, Bicep and azapi
//!   bodies all use the ARM one);
//! - [`Syntax`]: the syntax a fix must be written in (`crate::render` spells it);
//! - [`SourceKind`]: what the user wrote, for reporting and for the few facts that
//!   depend on the tool that deploys it (which provider configuration chooses the cloud).
//!
//! A front end picks one [`Dialect`] per resource (usually a constant such as
//! [`Dialect::ARM`]); nothing else in the model or the rules depends on the front end.
//!
//! [`Attr`]: super::Attr

/// The attribute vocabulary a resource body uses.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Schema {
    /// The azurerm provider's arguments and blocks (`service_provider_name`, `sku { tier }`);
    /// keys match exactly.
    Azurerm,
    /// ARM property paths (`properties.serviceProviderProperties.serviceProviderName`), as
    /// written in ARM templates, Bicep and azapi bodies; keys match case-insensitively, as
    /// Azure Resource Manager matches them.
    Arm,
}

impl Schema {
    pub const ALL: [Schema; 2] = [Schema::Azurerm, Schema::Arm];

    /// "azurerm" / "ARM", for tables.
    pub fn describe(self) -> &'static str {
        match self {
            Schema::Azurerm => "azurerm",
            Schema::Arm => "ARM",
        }
    }

    /// Whether property names match without regard to case.
    pub fn case_insensitive(self) -> bool {
        self == Schema::Arm
    }
}

/// The syntax help and fixes are written in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// `name = "x"` (Terraform `.tf`, azapi bodies, fixes for a plan's configuration).
    Hcl,
    /// `"name": "x"` (ARM templates).
    Json,
    /// `name: 'x'` (Bicep).
    Bicep,
}

/// What the user wrote a resource in, for reporting and coverage.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A Terraform `azurerm_*` resource (`.tf` or `.tf.json`).
    Azurerm,
    /// A Terraform `azapi_resource` whose `body` holds the ARM resource.
    Azapi,
    /// An ARM template (including Bicep's compiled output).
    Arm,
    /// An ARM template inside Terraform (`azurerm_*_template_deployment`).
    EmbeddedArm,
    /// A Bicep file.
    Bicep,
    /// A Terraform plan (`terraform show -json`): computed values, not where they were
    /// written.
    Plan,
}

impl SourceKind {
    /// Every source kind, in the order coverage lists them.
    pub const ALL: [SourceKind; 6] = [
        SourceKind::Azurerm,
        SourceKind::Azapi,
        SourceKind::Arm,
        SourceKind::EmbeddedArm,
        SourceKind::Bicep,
        SourceKind::Plan,
    ];

    /// "azurerm", "azapi", "ARM", "embedded ARM", "Bicep", "plan": the format in coverage
    /// listings and the summary line.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Azurerm => "azurerm",
            SourceKind::Azapi => "azapi",
            SourceKind::Arm => "ARM",
            SourceKind::EmbeddedArm => "embedded ARM",
            SourceKind::Bicep => "Bicep",
            SourceKind::Plan => "plan",
        }
    }

    /// The Terraform provider whose configuration deploys the resource (and chooses its
    /// cloud with `environment`), if any.
    pub fn provider(self) -> Option<&'static str> {
        match self {
            SourceKind::Azurerm | SourceKind::EmbeddedArm | SourceKind::Plan => Some("azurerm"),
            SourceKind::Azapi => Some("azapi"),
            SourceKind::Arm | SourceKind::Bicep => None,
        }
    }

    /// Why a resource has no cloud when no provider configuration gives it one.
    pub fn unnamed_cloud(self) -> &'static str {
        match self.provider() {
            Some(_) => "the provider configuration is not known here",
            None if self == SourceKind::Bicep => "a Bicep file does not name its cloud",
            None => "an ARM template does not name its cloud",
        }
    }

    /// Whether values carry where they were written (a plan holds computed values only).
    pub fn knows_where_written(self) -> bool {
        self != SourceKind::Plan
    }
}

/// How one resource was written: what, in which vocabulary, in which syntax.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dialect {
    pub source: SourceKind,
    pub schema: Schema,
    pub syntax: Syntax,
}

impl Dialect {
    /// `azurerm_*` resources in `.tf` files.
    pub const AZURERM: Dialect = Dialect {
        source: SourceKind::Azurerm,
        schema: Schema::Azurerm,
        syntax: Syntax::Hcl,
    };
    /// A Terraform plan: azurerm attributes, fixed in the HCL configuration.
    pub const PLAN: Dialect = Dialect {
        source: SourceKind::Plan,
        schema: Schema::Azurerm,
        syntax: Syntax::Hcl,
    };
    /// ARM templates.
    pub const ARM: Dialect = Dialect {
        source: SourceKind::Arm,
        schema: Schema::Arm,
        syntax: Syntax::Json,
    };
    /// An ARM template inside Terraform.
    pub const EMBEDDED_ARM: Dialect = Dialect {
        source: SourceKind::EmbeddedArm,
        schema: Schema::Arm,
        syntax: Syntax::Json,
    };
    /// `azapi_resource`: ARM property names written in HCL.
    pub const AZAPI: Dialect = Dialect {
        source: SourceKind::Azapi,
        schema: Schema::Arm,
        syntax: Syntax::Hcl,
    };
    /// Bicep: ARM property names in Bicep syntax.
    pub const BICEP: Dialect = Dialect {
        source: SourceKind::Bicep,
        schema: Schema::Arm,
        syntax: Syntax::Bicep,
    };
}

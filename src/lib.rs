//! erlint: a linter for Azure ExpressRoute in Terraform, ARM templates and Bicep.
//!
//! Data flow: [`discover`] walks the paths and classifies files; the Terraform front end
//! ([`terraform`]) and the ARM front end ([`arm`]) parse them (spans kept) and evaluate
//! what can be known before deployment into one [`model::Model`] per deployable unit;
//! the [`rules`] read that model only; [`linter`] runs it all in parallel, applies the
//! configuration, suppressions and baseline, and sorts the diagnostics that
//! [`output`] writes.

pub mod arm;
pub mod baseline;
pub mod bicep;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod core;
pub mod coverage;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod error;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod jsonc;
pub mod limits;
pub mod linter;
pub mod model;
pub mod output;
pub mod panics;
pub mod reference;
pub mod render;
pub mod rules;
pub mod server;
pub mod source;
pub mod suppress;
pub mod terraform;
pub mod text;

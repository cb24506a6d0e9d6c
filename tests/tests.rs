//! The one integration-test binary (ripgrep's layout): rule fixtures and the CLI.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cognitive_complexity,
    reason = "test code: a failed unwrap is a failed test"
)]

mod action;
mod architecture;
mod azapi;
mod baseline;
mod bicep;
mod catalog_build;
mod ci_docs;
mod ci_formats;
mod cli;
mod common;
mod config;
mod corpus;
mod docs;
mod equivalence;
mod fix;
mod hostile;
mod inputs;
mod output;
mod parse_diff;
mod precommit;
mod release;
mod robustness;
mod rules;
mod server;
mod suppress;
mod terraform;

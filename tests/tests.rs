//! The one integration-test binary (ripgrep's layout): rule fixtures and the CLI.

mod cli;
mod common;
mod docs;
mod rules;

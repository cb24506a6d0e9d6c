//! Placeholder: the Terraform function library lands from its own branch.
use crate::model::Val;
use crate::source::Span;

pub fn call(_name: &str, _args: Vec<Val>, _site: Option<Span>) -> Option<Result<Val, String>> {
    None
}

//! ER0xx: problems with erlint's own input (files, suppressions, modules). The driver
//! reports these; the rule files hold their metadata and docs.

mod internal_error;
mod invalid_suppression;
mod limit_reached;
mod module_not_followed;
mod parse_error;
mod unreadable_file;

pub use internal_error::InternalError;
pub use invalid_suppression::InvalidSuppression;
pub use limit_reached::LimitReached;
pub use module_not_followed::ModuleNotFollowed;
pub use parse_error::ParseError;
pub use unreadable_file::UnreadableFile;

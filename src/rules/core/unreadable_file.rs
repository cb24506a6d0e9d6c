//! ER002 unreadable-file
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a file erlint could not read: an I/O error, text that is not UTF-8, a file
    /// larger than the size limit, or a symbolic-link loop.
    ///
    /// ## Why is this bad?
    /// erlint cannot check what it cannot read, and neither Terraform nor Azure Resource
    /// Manager accepts files that are not UTF-8. The run fails so the gap is not silent;
    /// the other files are still checked.
    ///
    /// ## Example
    /// ```text
    /// error[ER002]: file is not valid UTF-8: the first invalid byte is at line 5, column 21 (byte offset 112)
    /// ```
    ///
    /// ## How to fix
    /// Re-save the file as UTF-8, fix its permissions, or exclude it (`--exclude` or
    /// `exclude` in `.erlint.toml`). Raise `max_file_size` in `.erlint.toml` for templates
    /// that really are larger than 10 MiB.
    ///
    /// ## References
    /// - [Terraform configuration syntax: character encoding](https://developer.hashicorp.com/terraform/language/syntax/configuration#character-encoding-and-line-endings)
    /// - [ARM template limits](https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits)
    pub struct UnreadableFile {
        code: UNREADABLE_FILE,
        since: "0.1.0",
        flags: "a file that cannot be read, is not UTF-8 or is too large; a symlink loop",
    }
}

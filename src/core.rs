//! erlint's own diagnostics, ER000–ER006: typed constructors the front ends and the driver
//! use, below the rule registry.
//!
//! The parsers, evaluators and the driver report problems with erlint's input (a file that
//! does not parse, cannot be read, a module that was not followed, a bad suppression, a
//! bug). Each has one [`Code`] and one constructor here, so that a typo in an id cannot
//! compile and no front end depends on [`crate::rules`]. The rules' documentation of these
//! codes (`erlint explain ER001`) is in `rules/core/`, which takes id, name, severity, gate
//! and stage from the [`Code`]s below.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

/// When a rule's findings are made.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading a file (ER002).
    Read,
    /// Parsing a file (ER001).
    Parse,
    /// Building the model: evaluation, following modules and nested deployments (ER004).
    Build,
    /// The rules, on a finished model (ER1xx–ER5xx): the only stage
    /// [`crate::rules::check_model`] runs.
    Check,
    /// After the rules: matching inline suppressions (ER003).
    Suppress,
    /// Any stage: erlint's own failure (ER000).
    Any,
}

/// The identity of a diagnostic code made outside the rules.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Keeps the gate closed on a file erlint could not check: cannot be turned off or
    /// lowered, so a broken file never passes (SPEC §4).
    pub gate: bool,
    pub stage: Stage,
}

pub const INTERNAL_ERROR: Code = Code {
    id: "ER000",
    name: "internal-error",
    severity: Severity::Error,
    gate: true,
    stage: Stage::Any,
};

pub const PARSE_ERROR: Code = Code {
    id: "ER001",
    name: "parse-error",
    severity: Severity::Error,
    gate: true,
    stage: Stage::Parse,
};

pub const UNREADABLE_FILE: Code = Code {
    id: "ER002",
    name: "unreadable-file",
    severity: Severity::Error,
    gate: true,
    stage: Stage::Read,
};

pub const INVALID_SUPPRESSION: Code = Code {
    id: "ER003",
    name: "invalid-suppression",
    severity: Severity::Warning,
    gate: false,
    stage: Stage::Suppress,
};

pub const MODULE_NOT_FOLLOWED: Code = Code {
    id: "ER004",
    name: "module-not-followed",
    severity: Severity::Info,
    gate: false,
    stage: Stage::Build,
};

pub const LIMIT_REACHED: Code = Code {
    id: "ER005",
    name: "limit-reached",
    severity: Severity::Warning,
    gate: false,
    stage: Stage::Build,
};

pub const NOT_EVALUATED: Code = Code {
    id: "ER006",
    name: "expressroute-not-evaluated",
    severity: Severity::Info,
    gate: false,
    stage: Stage::Build,
};

/// Every code above, by id.
pub const CODES: [Code; 7] = [
    INTERNAL_ERROR,
    PARSE_ERROR,
    UNREADABLE_FILE,
    INVALID_SUPPRESSION,
    MODULE_NOT_FOLLOWED,
    LIMIT_REACHED,
    NOT_EVALUATED,
];

impl Code {
    /// A diagnostic of this code at `span`.
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.id, self.name, self.severity, span, message)
    }
}

/// ER000: a panic while reading, evaluating or checking one file, with how to report it.
pub fn internal_error(span: Span, message: impl Into<String>) -> Diagnostic {
    let mut d = INTERNAL_ERROR.at(span, message);
    d.help("please report it with the erlint version and, if you can, this file (https://github.com/erlint/erlint/issues); the value here is treated as unknown");
    d
}

/// ER001: a file or an expression that does not parse.
pub fn parse_error(span: Span, message: impl Into<String>) -> Diagnostic {
    PARSE_ERROR.at(span, message)
}

/// ER002: a file that cannot be read (I/O, not UTF-8, too large, a symlink loop).
pub fn unreadable_file(span: Span, message: impl Into<String>) -> Diagnostic {
    UNREADABLE_FILE.at(span, message)
}

/// ER003: a suppression with an unknown id, no reason, an expiry date that has passed, or
/// (on request) nothing to suppress.
pub fn invalid_suppression(span: Span, message: impl Into<String>) -> Diagnostic {
    INVALID_SUPPRESSION.at(span, message)
}

/// ER004: a module call, linked template or nested deployment whose content was not read.
pub fn module_not_followed(span: Span, message: impl Into<String>) -> Diagnostic {
    MODULE_NOT_FOLLOWED.at(span, message)
}

/// ER005: evaluation (or parsing) stopped at one of erlint's limits, so part of a unit was
/// not checked (see [`crate::limits`]).
pub fn limit_reached(span: Span, message: impl Into<String>) -> Diagnostic {
    LIMIT_REACHED.at(span, message)
}

/// ER006: ExpressRoute resources (or what may hold them) in a form erlint does not
/// evaluate: an azapi `body` it cannot read, a template deployment whose template it
/// cannot read, a JSON file that names ExpressRoute types but is no ARM template.
pub fn not_evaluated(span: Span, message: impl Into<String>) -> Diagnostic {
    NOT_EVALUATED.at(span, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn constructors_carry_their_code() {
        let at = Span::new(FileId(0), 0, 1);
        let made = [
            internal_error(at, "x"),
            parse_error(at, "x"),
            unreadable_file(at, "x"),
            invalid_suppression(at, "x"),
            module_not_followed(at, "x"),
            limit_reached(at, "x"),
            not_evaluated(at, "x"),
        ];
        for (d, c) in made.iter().zip(CODES) {
            assert_eq!((d.code, d.name, d.severity), (c.id, c.name, c.severity));
        }
        let gates: Vec<&str> = CODES.iter().filter(|c| c.gate).map(|c| c.id).collect();
        assert_eq!(gates, ["ER000", "ER001", "ER002"]);
    }
}

//! The jsonc-parser options erlint parses JSON with. jsonc-parser's defaults accept JSON5
//! and more (single quotes, hex numbers, missing commas); erlint takes strict JSON, and for
//! ARM templates also `//` and `/* */` comments and trailing commas, as Azure's tooling does.

use jsonc_parser::ParseOptions;

/// Strict JSON (Terraform JSON syntax, tfvars JSON, plans).
pub fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// JSON with comments and trailing commas (ARM templates and parameter files).
pub fn with_comments() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        ..strict()
    }
}

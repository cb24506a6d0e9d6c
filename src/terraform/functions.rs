//! Terraform's built-in functions over [`Val`].
//!
//! [`call`] evaluates one call with Terraform's semantics (hashicorp/terraform
//! `internal/lang/funcs` and go-cty `function/stdlib`), including its error cases, so that
//! the evaluator can treat a failing call like Terraform does (`try()` catches it).
//!
//! Unknown values follow cty: a function whose needed input is (partly) Unknown returns
//! Unknown, but partial knowledge is kept where Terraform keeps it (`length` of a list with
//! an Unknown element, `merge` of objects with Unknown members, `lookup` of a Known key).
//!
//! Spans: a function that passes a value through (`lookup`, `element`, `coalesce`, …)
//! returns it re-sited at the call ([`Val::resited`]); a computed value is produced at the
//! call (`span: site`, no origin). Elements of a list or object a function builds keep
//! their own spans.
//!
//! Strings are measured in characters; like cty, a base character and the combining marks
//! that follow it count as one (see `strings::graphemes`).

mod cidr;
mod collections;
mod convert;
mod encoding;
mod format;
mod maps;
mod numeric;
mod sets;
mod strings;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::model::{Object, Unknown, Val, ValKind};
use crate::source::Span;

/// Most values a function result may hold (`setproduct`).
const MAX_ELEMENTS: usize = 1024 * 1024;
/// Largest string a function builds (`format` padding, `indent`, `replace`).
const MAX_STRING: usize = 16 * 1024 * 1024;

/// Call a Terraform built-in function. `None`: erlint does not implement this function
/// (the caller makes the result Unknown). `Some(Err(msg))`: Terraform would report an
/// error (wrong argument type, index out of range, …); the caller treats it like
/// Terraform does (`try()` catches it, elsewhere the value becomes Unknown).
pub fn call(name: &str, args: Vec<Val>, site: Option<Span>) -> Option<Result<Val, String>> {
    let name = builtin_name(name);
    let function = lookup(name)?;
    let call = Call { name, site };
    Some(match function(&call, &args) {
        Ok(val) | Err(Stop::Unknown(val)) => Ok(val),
        Err(Stop::Error(msg)) => Err(msg),
    })
}

/// Whether [`call`] implements the function `name`.
pub fn is_supported(name: &str) -> bool {
    lookup(builtin_name(name)).is_some()
}

/// Terraform 1.8+ also accepts built-ins as `core::name`.
fn builtin_name(name: &str) -> &str {
    name.strip_prefix("core::").unwrap_or(name)
}

type Function = fn(&Call, &[Val]) -> Out;

fn lookup(name: &str) -> Option<Function> {
    let function: Function = match name {
        // strings
        "lower" => strings::lower,
        "upper" => strings::upper,
        "title" => strings::title,
        "join" => strings::join,
        "split" => strings::split,
        "replace" => strings::replace,
        "trimspace" => strings::trimspace,
        "trim" => strings::trim,
        "trimprefix" => strings::trimprefix,
        "trimsuffix" => strings::trimsuffix,
        "startswith" => strings::startswith,
        "endswith" => strings::endswith,
        "substr" => strings::substr,
        "strrev" => strings::strrev,
        "chomp" => strings::chomp,
        "indent" => strings::indent,
        "format" => format::format,
        "formatlist" => format::formatlist,
        // collections
        "concat" => collections::concat,
        "coalesce" => collections::coalesce,
        "coalescelist" => collections::coalescelist,
        "compact" => collections::compact,
        "element" => collections::element,
        "length" => collections::length,
        "contains" => collections::contains,
        "flatten" => collections::flatten,
        "distinct" => collections::distinct,
        "slice" => collections::slice,
        "reverse" => collections::reverse,
        "sort" => collections::sort,
        "index" => collections::index,
        "one" => collections::one,
        "chunklist" => collections::chunklist,
        "alltrue" => collections::alltrue,
        "anytrue" => collections::anytrue,
        "matchkeys" => collections::matchkeys,
        "sensitive" => collections::sensitive,
        "nonsensitive" => collections::nonsensitive,
        // maps and objects
        "merge" => maps::merge,
        "lookup" => maps::lookup,
        "keys" => maps::keys,
        "values" => maps::values,
        "zipmap" => maps::zipmap,
        "transpose" => maps::transpose,
        // sets
        "toset" => sets::toset,
        "setunion" => sets::setunion,
        "setintersection" => sets::setintersection,
        "setsubtract" => sets::setsubtract,
        "setproduct" => sets::setproduct,
        // type conversion
        "tostring" => convert::tostring,
        "tonumber" => convert::tonumber,
        "tobool" => convert::tobool,
        "tolist" => convert::tolist,
        "tomap" => convert::tomap,
        // numbers
        "min" => numeric::min,
        "max" => numeric::max,
        "abs" => numeric::abs,
        "ceil" => numeric::ceil,
        "floor" => numeric::floor,
        "signum" => numeric::signum,
        "pow" => numeric::pow,
        "log" => numeric::log,
        "parseint" => numeric::parseint,
        "range" => numeric::range,
        "sum" => numeric::sum,
        // encoding
        "jsondecode" => encoding::jsondecode,
        "jsonencode" => encoding::jsonencode,
        // IP networks
        "cidrhost" => cidr::cidrhost,
        "cidrnetmask" => cidr::cidrnetmask,
        "cidrsubnet" => cidr::cidrsubnet,
        "cidrsubnets" => cidr::cidrsubnets,
        _ => return None,
    };
    Some(function)
}

/// Why a function stopped before computing its value.
enum Stop {
    /// The result is not known before deployment; this is the Unknown to return.
    Unknown(Val),
    /// Terraform would report this error.
    Error(String),
}

type Out = Result<Val, Stop>;

fn fail<T>(msg: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Error(msg.into()))
}

/// Terraform's message for an argument of the wrong type or value.
fn invalid(param: &str, msg: &str) -> Stop {
    Stop::Error(format!("invalid value for \"{param}\" parameter: {msg}"))
}

/// One function call: its name (for messages) and where it was written.
struct Call<'a> {
    name: &'a str,
    site: Option<Span>,
}

impl Call<'_> {
    // ---- results ----

    fn str(&self, s: impl Into<Arc<str>>) -> Val {
        Val::str(s, self.site)
    }

    fn num(&self, n: f64) -> Val {
        Val::number(n, self.site)
    }

    fn bool(&self, b: bool) -> Val {
        Val::bool(b, self.site)
    }

    fn null(&self) -> Val {
        Val::null(self.site)
    }

    fn list(&self, items: Vec<Val>) -> Val {
        Val::list(items, self.site)
    }

    fn object(&self, obj: Object) -> Val {
        Val::object(obj, self.site)
    }

    /// `val` passed through the call: re-sited at the call, its origin kept.
    fn pass(&self, val: &Val) -> Val {
        val.clone().resited(self.site)
    }

    /// An Unknown result computed from `input`, keeping the reason of the first Unknown
    /// inside it.
    fn unknown(&self, input: &Val) -> Val {
        let inner = input.first_unknown();
        let reason = match inner {
            Some(u) if !u.reason.is_empty() => u.reason.clone(),
            _ => format!(
                "argument of `{}()` is not known before deployment",
                self.name
            ),
        };
        let unknown = Unknown {
            reason,
            refers_to: None,
            secret: inner.is_some_and(|u| u.secret),
            symbol: None,
        };
        Val::unknown_with(unknown, self.site)
    }

    fn unknown_stop(&self, input: &Val) -> Stop {
        Stop::Unknown(self.unknown(input))
    }

    // ---- arguments ----

    /// Exactly `N` arguments.
    fn fixed<'v, const N: usize>(&self, args: &'v [Val]) -> Result<[&'v Val; N], Stop> {
        self.arity(args, N, N)?;
        match <&[Val; N]>::try_from(args) {
            Ok(array) => Ok(array.each_ref()),
            Err(_) => fail(format!("`{}()` expects {N} argument(s)", self.name)),
        }
    }

    /// Between `min` and `max` arguments (`usize::MAX`: no upper bound).
    fn arity(&self, args: &[Val], min: usize, max: usize) -> Result<(), Stop> {
        let n = args.len();
        if (min..=max).contains(&n) {
            return Ok(());
        }
        let want = match (min, max) {
            _ if min == max => format!("{min}"),
            (_, usize::MAX) => format!("at least {min}"),
            _ => format!("{min} to {max}"),
        };
        fail(format!(
            "`{}()` expects {want} argument(s), got {n}",
            self.name
        ))
    }

    fn arg<'v>(&self, args: &'v [Val], i: usize) -> Result<&'v Val, Stop> {
        match args.get(i) {
            Some(val) => Ok(val),
            None => fail(format!("`{}()` is missing argument {}", self.name, i + 1)),
        }
    }

    /// Stop with an Unknown result unless `val` is wholly known.
    fn wholly_known(&self, val: &Val) -> Result<(), Stop> {
        if val.is_wholly_known() {
            Ok(())
        } else {
            Err(self.unknown_stop(val))
        }
    }

    /// A string argument; numbers and bools convert like Terraform converts them.
    fn get_str(&self, val: &Val, param: &str) -> Result<Arc<str>, Stop> {
        match &val.kind {
            ValKind::Unknown(_) => Err(self.unknown_stop(val)),
            ValKind::Null => Err(null_arg(param)),
            _ => convert::prim_string(val).ok_or_else(|| invalid(param, "string required")),
        }
    }

    /// A number argument; strings holding a decimal number convert.
    fn get_num(&self, val: &Val, param: &str) -> Result<f64, Stop> {
        match &val.kind {
            ValKind::Unknown(_) => Err(self.unknown_stop(val)),
            ValKind::Null => Err(null_arg(param)),
            ValKind::Str(_) => {
                convert::prim_number(val).ok_or_else(|| invalid(param, "a number is required"))
            }
            _ => convert::prim_number(val).ok_or_else(|| invalid(param, "number required")),
        }
    }

    /// A whole number argument (any magnitude).
    fn get_whole(&self, val: &Val, param: &str) -> Result<f64, Stop> {
        let n = self.get_num(val, param)?;
        if n.is_finite() && n.fract() == 0.0 {
            Ok(n)
        } else {
            Err(invalid(param, "value must be a whole number"))
        }
    }

    /// A whole number argument that fits Go's `int`.
    fn get_int(&self, val: &Val, param: &str) -> Result<i64, Stop> {
        let n = self.get_whole(val, param)?;
        // 2^63: the first f64 outside i64.
        if n.abs() < 9_223_372_036_854_775_808.0 {
            Ok(n as i64)
        } else {
            Err(invalid(
                param,
                "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
            ))
        }
    }

    /// A bool argument; the strings `"true"` and `"false"` convert.
    fn get_bool(&self, val: &Val, param: &str) -> Result<bool, Stop> {
        match &val.kind {
            ValKind::Unknown(_) => Err(self.unknown_stop(val)),
            ValKind::Null => Err(null_arg(param)),
            _ => convert::prim_bool(val).ok_or_else(|| invalid(param, "bool required")),
        }
    }

    /// A list, set or tuple argument.
    fn get_list<'v>(&self, val: &'v Val, param: &str) -> Result<&'v [Val], Stop> {
        match &val.kind {
            ValKind::List(items) => Ok(items),
            ValKind::Unknown(_) => Err(self.unknown_stop(val)),
            ValKind::Null => Err(null_arg(param)),
            _ => Err(invalid(param, "list, set or tuple required")),
        }
    }

    /// A map or object argument.
    fn get_object<'v>(&self, val: &'v Val, param: &str) -> Result<&'v Object, Stop> {
        match &val.kind {
            ValKind::Object(obj) => Ok(obj),
            ValKind::Unknown(_) => Err(self.unknown_stop(val)),
            ValKind::Null => Err(null_arg(param)),
            _ => Err(invalid(param, "map or object required")),
        }
    }
}

fn null_arg(param: &str) -> Stop {
    invalid(param, "argument must not be null")
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

//! The ARM template function library, over evaluated [`Val`]s: one small function per
//! template function, grouped by family, found through one dispatch table (`lookup`).
//!
//! Names arrive lower-cased. Functions whose result depends on the deployment
//! (`reference`, `resourceGroup`, `uniqueString`, `list*`, …) are Unknown; a function
//! erlint does not implement is Unknown; wrong arguments (which Azure rejects) are Unknown
//! too, never a guess.
//!
//! # Use from another evaluator (Bicep)
//!
//! Nothing here needs an ARM template: Bicep emits ARM's functions by name, so a Bicep
//! evaluator evaluates the arguments itself and calls
//!
//! - [`apply`]`(name, &args, span)` for every function of evaluated arguments;
//! - [`apply_with_lambdas`]`(name, &values, &mut lambdas, span)` for the lambda functions
//!   (`filter`, `map`, `reduce`, `sort`, `toObject`, `groupBy`, `mapValues`; see
//!   [`is_lambda_function`]): the values are the non-lambda arguments in order, and the
//!   evaluator's lambdas are passed through the [`Lambdas`] trait, which applies lambda
//!   `i` to argument values;
//! - [`if_then_else`] and [`coalesce`], the two functions that leave arguments unevaluated
//!   (`c ? a : b` and `a ?? b` in Bicep), with the branches as closures.
//!
//! `parameters`, `variables`, `copyIndex`, `lambda`/`lambdaVariables` and user functions
//! depend on the template and stay in the ARM evaluator (`calls.rs`).
//!
//! Results are produced at the call (`span`); a value passed through (`if`, `first`,
//! `tryGet`, …) is re-sited there and keeps its origin.

mod arrays;
mod cidr;
mod dates;
mod deployment;
mod encoding;
mod lambdas;
mod logic;
mod numeric;
mod objects;
mod resource_ids;
mod special;
mod strings;
#[cfg(test)]
mod tests;

pub use deployment::is_deployment_time;
pub use lambdas::{Lambdas, apply_with_lambdas, is_lambda_function};
pub use special::{coalesce, if_then_else};

use super::format::has_item_options;
use crate::model::value::is_symbolic;
use crate::model::{Object, Unknown, Val, ValKind};
use crate::source::Span;
use std::sync::Arc;

/// Largest list a function may build.
pub const MAX_LIST: usize = 100_000;
/// Largest string a function may build, in bytes.
pub const MAX_STR: usize = 1 << 20;

/// Apply the template function `name` (lower-cased) to evaluated arguments, at the call
/// `span`. Never fails: what cannot be known, or what Azure would reject, is Unknown with
/// a reason.
pub fn apply(name: &str, args: &[Val], span: Span) -> Val {
    let sp = Some(span);
    if is_deployment_time(name) {
        return Val::unknown(format!("`{name}()` is only known during deployment"), sp);
    }
    if is_lambda_function(name) {
        return Val::unknown(format!("`{name}()` needs a lambda argument"), sp);
    }
    if let Some(v) = child_id(name, args, span) {
        return v;
    }
    if !takes_unknown_arguments(name)
        && let Some(u) = args.iter().find_map(unknown_of)
    {
        return symbolic(name, args, u, span).unwrap_or_else(|| unknown_at(u, span));
    }
    let Some(function) = lookup(name) else {
        return Val::unknown(format!("`{name}()` is not evaluated by erlint"), sp);
    };
    // Functions walk their arguments: none may be endless to walk.
    if let Some(stop) = args
        .iter()
        .find_map(|a| crate::limits::within_size(a, span).err())
    {
        return Val::unknown(stop.reason, sp);
    }
    let c = Call { name, span };
    finish(&c, function(&c, args))
}

/// A child resource's id built on its parent's, which is Unknown but names the parent
/// (`concat(resourceId('Microsoft.Network/virtualNetworks', 'hub'), '/subnets/GatewaySubnet')`,
/// `format('{0}/subnets/GatewaySubnet', …)`, Bicep's `'${hub.id}/subnets/GatewaySubnet'`):
/// Unknown like the parent's, naming the child. `None` for anything else.
fn child_id(name: &str, args: &[Val], span: Span) -> Option<Val> {
    // The parent's id first (most calls stop here): `concat`'s first argument,
    // `format`'s second.
    let parent = match (name, args) {
        ("concat", [id, _, ..]) | ("format", [_, id]) => id,
        _ => return None,
    };
    let u = unknown_of(parent)?;
    let parent_address = u.refers_to.as_deref()?;
    let path = match (name, args) {
        ("concat", [_, rest @ ..]) => {
            let mut path = String::new();
            for piece in rest {
                path.push_str(piece.as_str()?);
            }
            path
        }
        (_, [f, _]) => {
            let path = f.as_str()?.strip_prefix("{0}")?;
            if path.contains(['{', '}']) {
                return None;
            }
            path.to_string()
        }
        _ => return None,
    };
    let address = crate::model::arm_child_address(parent_address, &path)?;
    let unknown = Unknown {
        reason: u.reason.clone(),
        refers_to: Some(address),
        secret: u.secret,
        symbol: None,
    };
    Some(Val::unknown_with(unknown, Some(span)))
}

/// A name built of text and values each the same in the whole deployment (a parameter
/// without value: [`Unknown::symbol`]): Unknown like the first of them (`u`), with the
/// symbol of the text (`concat`, `format`, Bicep's `'${x}-ergw'`), or naming the resource
/// whose name it is (`resourceId` in the deployment's own resource group); or the segments
/// of a child's name joined with `/` (`split(format('{0}/x', p), '/')`, as Bicep reads a
/// child's name that holds its parent's; a name segment holds no `/`), each Known or a
/// symbol. `None` for any other function (a `format` with `{0:D2}` or `{0,8}` included),
/// or when an Unknown argument has no symbol.
fn symbolic(name: &str, args: &[Val], u: &Unknown, span: Span) -> Option<Val> {
    match (name, args) {
        ("concat", _) => {}
        ("format", [f, ..]) if f.as_str().is_some_and(|f| !has_item_options(f)) => {}
        ("resourceid", [ty, ..]) if ty.as_str().is_some_and(|t| t.contains('/')) => {}
        ("split", [_, separator]) if separator.as_str() == Some("/") => {}
        _ => return None,
    }
    let texts = args
        .iter()
        .map(|a| match &a.kind {
            ValKind::Unknown(x) => Some(Val::str(x.symbol.clone()?, a.span)),
            _ => Some(a.clone()),
        })
        .collect::<Option<Vec<Val>>>()?;
    let c = Call { name, span };
    let out = lookup(name)?(&c, &texts);
    let mut unknown = Unknown {
        symbol: None,
        ..u.clone()
    };
    match (name, out) {
        // In the deployment's own resource group (not known statically): the address of
        // the resource the name names is what links.
        ("resourceid", Err(Stop::Unknown(v))) => {
            unknown.refers_to = Some(v.as_unknown()?.refers_to.clone()?);
        }
        ("split", Ok(list)) => {
            let list = list.as_list().filter(|l| l.len() > 1)?;
            let segments = list.iter().map(|s| match s.as_str() {
                Some(text) if is_symbolic(text) => {
                    let segment = Unknown {
                        symbol: Some(Arc::from(text)),
                        ..unknown.clone()
                    };
                    Val::unknown_with(segment, Some(span))
                }
                _ => s.clone(),
            });
            return Some(Val::list(segments.collect(), Some(span)));
        }
        (
            _,
            Ok(Val {
                kind: ValKind::Str(s),
                ..
            }),
        ) => unknown.symbol = Some(s),
        _ => return None,
    }
    Some(Val::unknown_with(unknown, Some(span)))
}

/// The value of a function's result: a stop becomes the Unknown it stands for.
fn finish(c: &Call, out: Out) -> Val {
    match out {
        Ok(v) | Err(Stop::Unknown(v)) => v,
        Err(Stop::Invalid) => Val::unknown(
            format!("`{}()` cannot be applied to these arguments", c.name),
            c.site(),
        ),
    }
}

/// These wrap their arguments (an Unknown argument becomes an Unknown element) or decide
/// despite an Unknown one (`and(false, x)`); every other function is Unknown as soon as
/// one of its arguments is.
fn takes_unknown_arguments(name: &str) -> bool {
    matches!(
        name,
        "createarray" | "array" | "createobject" | "and" | "or" | "true" | "false" | "null"
    )
}

type Function = fn(&Call, &[Val]) -> Out;

fn lookup(name: &str) -> Option<Function> {
    let function: Function = match name {
        // arrays (several also take strings)
        "createarray" => arrays::create_array,
        "array" => arrays::array,
        "concat" => arrays::concat,
        "first" => arrays::first,
        "last" => arrays::last,
        "take" => arrays::take,
        "skip" => arrays::skip,
        "contains" => arrays::contains,
        "empty" => arrays::empty,
        "length" => arrays::length,
        "range" => arrays::range,
        "flatten" => arrays::flatten,
        "indexfromend" => arrays::index_from_end,
        "tryindexfromend" => arrays::try_index_from_end,
        // objects
        "createobject" => objects::create_object,
        "union" => objects::union,
        "intersection" => objects::intersection,
        "shallowmerge" => objects::shallow_merge,
        "items" => objects::items,
        "objectkeys" => objects::object_keys,
        "tryget" => objects::try_get,
        "json" => objects::json,
        // strings
        "format" => strings::format,
        "tolower" => strings::to_lower,
        "toupper" => strings::to_upper,
        "string" => strings::string,
        "replace" => strings::replace,
        "split" => strings::split,
        "join" => strings::join,
        "substring" => strings::substring,
        "trim" => strings::trim,
        "startswith" => strings::starts_with,
        "endswith" => strings::ends_with,
        "indexof" => strings::index_of,
        "lastindexof" => strings::last_index_of,
        "padleft" => strings::pad_left,
        // encodings
        "base64" => encoding::base64,
        "base64tostring" => encoding::base64_to_string,
        "base64tojson" => encoding::base64_to_json,
        "datauri" => encoding::data_uri,
        "datauritostring" => encoding::data_uri_to_string,
        "uri" => encoding::uri,
        "uricomponent" => encoding::uri_component,
        "uricomponenttostring" => encoding::uri_component_to_string,
        // comparison and logic
        "true" => logic::r#true,
        "false" => logic::r#false,
        "null" => logic::null,
        "and" => logic::and,
        "or" => logic::or,
        "not" => logic::not,
        "bool" => logic::bool,
        "equals" => logic::equals,
        "greater" => logic::greater,
        "less" => logic::less,
        "greaterorequals" => logic::greater_or_equals,
        "lessorequals" => logic::less_or_equals,
        // numbers
        "int" => numeric::int_of,
        "float" => numeric::float,
        "add" => numeric::add,
        "sub" => numeric::sub,
        "mul" => numeric::mul,
        "div" => numeric::div,
        "mod" => numeric::rem,
        "min" => numeric::min,
        "max" => numeric::max,
        // resource ids
        "resourceid" => resource_ids::resource_id,
        "subscriptionresourceid" => resource_ids::subscription_resource_id,
        "tenantresourceid" => resource_ids::tenant_resource_id,
        "extensionresourceid" => resource_ids::extension_resource_id,
        "managementgroupresourceid" => resource_ids::management_group_resource_id,
        // IP networks
        "parsecidr" => cidr::parse_cidr,
        "cidrsubnet" => cidr::cidr_subnet,
        "cidrhost" => cidr::cidr_host,
        // dates
        "datetimefromepoch" => dates::date_time_from_epoch,
        "datetimetoepoch" => dates::date_time_to_epoch,
        // errors
        "fail" => deployment::fail,
        _ => return None,
    };
    Some(function)
}

/// Why a function stopped before computing its value.
enum Stop {
    /// Arguments Azure would reject: "`f()` cannot be applied to these arguments".
    Invalid,
    /// The result is this Unknown (a more precise reason).
    Unknown(Val),
}

type Out = Result<Val, Stop>;

/// `?` on an `Option` in a function: `None` means arguments Azure would reject.
trait OrInvalid<T> {
    fn or_invalid(self) -> Result<T, Stop>;
}

impl<T> OrInvalid<T> for Option<T> {
    fn or_invalid(self) -> Result<T, Stop> {
        self.ok_or(Stop::Invalid)
    }
}

/// One function call: its name (for messages) and where it was written. Results are
/// built here, so that the size limits and the unit's evaluation budget
/// ([`crate::limits`]) apply in one place.
struct Call<'a> {
    name: &'a str,
    span: Span,
}

impl Call<'_> {
    fn site(&self) -> Option<Span> {
        Some(self.span)
    }

    fn bool(&self, b: bool) -> Val {
        Val::bool(b, self.site())
    }

    fn null(&self) -> Val {
        Val::null(self.site())
    }

    /// A number computed by the function.
    fn number(&self, n: f64) -> Val {
        Val::number(n, self.site())
    }

    /// An integer result, if it is exact as a number (ARM integers are 64-bit; erlint's
    /// numbers are `f64`).
    fn int(&self, i: i64) -> Out {
        if i.unsigned_abs() < 9_000_000_000_000_000 {
            Ok(self.number(i as f64))
        } else {
            Err(Stop::Invalid)
        }
    }

    /// A string no longer than its input (a part of it, a case change).
    fn text(&self, s: impl Into<Arc<str>>) -> Val {
        Val::str(s, self.site())
    }

    /// A string the function built, within [`MAX_STR`] and the unit's budget.
    fn string(&self, s: String) -> Out {
        if s.len() > MAX_STR {
            return Err(Stop::Invalid);
        }
        self.budget(crate::limits::bytes(s.len(), self.span))?;
        Ok(self.text(s))
    }

    /// A list the function built, within [`MAX_LIST`] and the unit's budget.
    fn list(&self, items: Vec<Val>) -> Out {
        if items.len() > MAX_LIST {
            return Err(Stop::Invalid);
        }
        self.budget(crate::limits::values(items.len(), self.span))?;
        Ok(Val::list(items, self.site()))
    }

    fn object(&self, o: Object) -> Val {
        // Counted, not stopped: the members exist already.
        let _ = crate::limits::values(o.len(), self.span);
        Val::object(o, self.site())
    }

    /// The unit's budget ran out: the result is Unknown.
    fn budget(&self, r: Result<(), crate::limits::Stop>) -> Result<(), Stop> {
        r.map_err(|s| Stop::Unknown(Val::unknown(s.reason, self.site())))
    }

    /// `v` passed through the call: re-sited here, its origin kept.
    fn pass(&self, v: &Val) -> Val {
        v.clone().resited(self.site())
    }

    /// Stop with an Unknown that says why.
    fn unknown<T>(&self, reason: impl Into<String>) -> Result<T, Stop> {
        Err(Stop::Unknown(Val::unknown(reason, self.site())))
    }

    /// Stop with the first Unknown anywhere inside `vals`, if there is one.
    fn wholly_known(&self, vals: &[Val]) -> Result<(), Stop> {
        match deep_unknown(vals, self.span) {
            Some(u) => Err(Stop::Unknown(u)),
            None => Ok(()),
        }
    }
}

/// The same Unknown, now produced at `span`.
/// The value of a call that is Unknown because `u` is: its reason, not its symbol, as the
/// value is another ([`Unknown::derived`]).
pub fn unknown_at(u: &Arc<Unknown>, span: Span) -> Val {
    Val::new(ValKind::Unknown(u.derived()), Some(span))
}

fn unknown_of(v: &Val) -> Option<&Arc<Unknown>> {
    match &v.kind {
        ValKind::Unknown(u) => Some(u),
        _ => None,
    }
}

/// The first Unknown anywhere inside, as a value at `span`.
fn deep_unknown(vals: &[Val], span: Span) -> Option<Val> {
    vals.iter().find_map(Val::first_unknown).map(|u| {
        let derived = Unknown {
            symbol: None,
            ..u.clone()
        };
        Val::unknown_with(derived, Some(span))
    })
}

/// A whole number that is exact as an `f64`.
fn int(v: &Val) -> Option<i64> {
    match &v.kind {
        ValKind::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        _ => None,
    }
}

//! `jsonencode` and `jsondecode`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Call, Out, bool_str, fail};
use crate::model::value::format_number;
use crate::model::{Object, Val, ValKind};
use crate::source::Span;

/// Compact JSON like Terraform's: object keys sorted, `<`, `>` and `&` escaped.
pub(super) fn jsonencode(c: &Call, args: &[Val]) -> Out {
    let [v] = c.fixed(args)?;
    c.wholly_known(v)?;
    let mut out = String::new();
    write_json(&mut out, v);
    Ok(c.str(out))
}

pub(super) fn write_json(out: &mut String, v: &Val) {
    match &v.kind {
        ValKind::Null | ValKind::Unknown(_) => out.push_str("null"),
        ValKind::Bool(b) => out.push_str(bool_str(*b)),
        ValKind::Number(n) => out.push_str(&format_number(*n)),
        ValKind::Str(s) => quote_json(out, s),
        ValKind::List(items) => {
            out.push('[');
            for (i, el) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, el);
            }
            out.push(']');
        }
        ValKind::Object(obj) => {
            let mut entries: Vec<(&str, &Val)> = obj.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, val)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote_json(out, key);
                out.push(':');
                write_json(out, val);
            }
            out.push('}');
        }
    }
}

/// A JSON string the way Go's `encoding/json` writes it (HTML characters escaped).
pub(super) fn quote_json(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(ch)));
            }
            _ => out.push(ch),
        }
    }
    out.push('"');
}

/// Parses JSON into a value produced at the call; object keys sorted, duplicate keys an
/// error (as in cty).
pub(super) fn jsondecode(c: &Call, args: &[Val]) -> Out {
    let [s] = c.fixed(args)?;
    let s = c.get_str(s, "str")?;
    let mut de = serde_json::Deserializer::from_str(&s);
    let parsed = JsonSeed { site: c.site }
        .deserialize(&mut de)
        .and_then(|val| de.end().map(|()| val));
    match parsed {
        Ok(val) => Ok(val),
        Err(err) => fail(format!("invalid JSON: {err}")),
    }
}

/// Deserializes any JSON value into a [`Val`] at `site`.
#[derive(Clone, Copy)]
struct JsonSeed {
    site: Option<Span>,
}

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Val;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Val, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed {
    type Value = Val;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Val, E> {
        Ok(Val::null(self.site))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Val, E> {
        Ok(Val::bool(b, self.site))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Val, E> {
        Ok(Val::number(n as f64, self.site))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Val, E> {
        Ok(Val::number(n as f64, self.site))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Val, E> {
        Ok(Val::number(n, self.site))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Val, E> {
        Ok(Val::str(s, self.site))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Val::list(items, self.site))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate {key:?} property in JSON object"
                )));
            }
            let val = map.next_value_seed(self)?;
            entries.insert(key, val);
        }
        let mut obj = Object::with_capacity(entries.len());
        for (key, val) in entries {
            obj.push(key, val);
        }
        Ok(Val::object(obj, self.site))
    }
}

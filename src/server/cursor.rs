//! What the cursor is on, read from the text alone (so it works while the buffer does not
//! parse): the string literal around it, the attribute that literal is assigned to, and
//! the literal of the other catalogue attribute in the same block or object.
//!
//! The syntaxes differ little here: `key = "value"` (HCL, tfvars), `key: "value"` or
//! `"key": "value"` (HCL objects, JSON), `key: 'value'` (Bicep).

use super::diagnostics::{Circuit, Value};
use crate::catalog::Cloud;
use std::ops::Range;

/// The two attributes the catalogue completes and describes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Provider,
    Location,
}

impl Field {
    /// The field an attribute name is (azurerm and ARM spellings; ARM is
    /// case-insensitive, and so is this).
    pub fn of_key(key: &str) -> Option<Field> {
        let k = key.to_ascii_lowercase();
        match k.as_str() {
            "service_provider_name" | "serviceprovidername" => Some(Field::Provider),
            "peering_location" | "peeringlocation" => Some(Field::Location),
            _ => None,
        }
    }

    pub fn other(self) -> Field {
        match self {
            Field::Provider => Field::Location,
            Field::Location => Field::Provider,
        }
    }
}

/// A string literal on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    /// The whole literal, quotes included (to the end of the line when unterminated).
    pub span: Range<usize>,
    /// Between the quotes.
    pub content: Range<usize>,
    /// The attribute it is assigned to, when it is the value of `key =` or `key:`.
    pub key: Option<String>,
}

impl Literal {
    pub fn field(&self) -> Option<Field> {
        self.key.as_deref().and_then(Field::of_key)
    }
}

/// The string literal the cursor is in (between its quotes, or right after the opening
/// one or before the closing one).
pub fn literal_at(text: &str, offset: usize) -> Option<Literal> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text
        .get(offset..)?
        .find('\n')
        .map_or(text.len(), |i| offset + i);
    literals(text, start..end)
        .into_iter()
        .find(|l| l.content.start <= offset && offset <= l.content.end)
}

/// The string literals of the lines in `range`, in order.
fn literals(text: &str, range: Range<usize>) -> Vec<Literal> {
    let mut out = Vec::new();
    let Some(slice) = text.get(range.clone()) else {
        return out;
    };
    let mut line_start = range.start;
    for line in slice.split_inclusive('\n') {
        literals_of_line(line_start, line, &mut out);
        line_start += line.len();
    }
    out
}

fn literals_of_line(base: usize, line: &str, out: &mut Vec<Literal>) {
    let line = line.trim_end_matches(['\n', '\r']);
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => return,
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => return,
            '"' | '\'' => {
                let open = i;
                let mut close = None;
                while let Some((j, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        close = Some(j);
                        break;
                    }
                }
                let content_end = close.unwrap_or(line.len());
                out.push(Literal {
                    span: base + open..base + close.map_or(line.len(), |j| j + 1),
                    content: base + open + 1..base + content_end,
                    key: key_before(line.get(..open).unwrap_or("")),
                });
            }
            _ => {}
        }
    }
}

/// The key of `key =`, `key:`, `"key":` ending `before`.
fn key_before(before: &str) -> Option<String> {
    let b = before.trim_end();
    let b = match b.strip_suffix('=') {
        // `==`, `!=`, `<=`, `>=` compare, they do not assign.
        Some(rest) if !rest.ends_with(['=', '!', '<', '>']) => rest,
        Some(_) => return None,
        None => b.strip_suffix(':')?,
    };
    let b = b.trim_end();
    if let Some(q) = b.chars().last().filter(|c| *c == '"' || *c == '\'') {
        let inner = b.get(..b.len() - 1)?;
        let open = inner.rfind(q)?;
        return inner.get(open + 1..).map(str::to_string);
    }
    let start = b
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let key = b.get(start..)?;
    (!key.is_empty()).then(|| key.to_string())
}

/// The literal value of `field` in the innermost block or object around `offset`
/// (written as a plain string there; `None` when it is not, or is an expression).
pub fn sibling_value(text: &str, offset: usize, field: Field) -> Option<String> {
    let block = enclosing_block(text, offset)?;
    literals(text, block)
        .into_iter()
        .find(|l| l.field() == Some(field))
        .and_then(|l| text.get(l.content).map(str::to_string))
        .filter(|v| !v.trim().is_empty())
}

/// The byte range of the innermost `{ … }` around `offset` (strings and comments
/// skipped; an unclosed block runs to the end of the text).
pub fn enclosing_block(text: &str, offset: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut open_at_offset: Option<usize> = None;
    let mut depth_at_offset = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i >= offset && open_at_offset.is_none() {
            open_at_offset = Some(*stack.last()?);
            depth_at_offset = stack.len();
        }
        match bytes.get(i) {
            Some(b'"') | Some(b'\'') => {
                let q = bytes.get(i).copied().unwrap_or(b'"');
                i += 1;
                while i < bytes.len() && bytes.get(i) != Some(&q) && bytes.get(i) != Some(&b'\n') {
                    if bytes.get(i) == Some(&b'\\') {
                        i += 1;
                    }
                    i += 1;
                }
            }
            Some(b'#') => i = skip_line(bytes, i),
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            Some(b'/') if bytes.get(i + 1) == Some(&b'*') => {
                i = text
                    .get(i + 2..)
                    .and_then(|r| r.find("*/"))
                    .map_or(bytes.len(), |j| i + 2 + j + 1);
            }
            Some(b'{') => stack.push(i),
            Some(b'}') => {
                if open_at_offset.is_some() && stack.len() == depth_at_offset {
                    return open_at_offset.map(|o| o..i + 1);
                }
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    if open_at_offset.is_none() {
        open_at_offset = stack.last().copied();
    }
    open_at_offset.map(|o| o..text.len())
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|r| r.iter().position(|b| *b == b'\n'))
        .map_or(bytes.len(), |j| i + j)
}

/// A provider or peering-location value at the cursor, with what the last evaluation
/// knows of its circuit.
pub struct Target<'a> {
    pub field: Field,
    /// The string literal the cursor is in, if it is in one.
    pub literal: Option<Literal>,
    /// The value: as evaluated, else as written.
    pub value: Option<String>,
    /// What a hover covers: the value where it is used or written.
    pub span: Range<usize>,
    /// The circuits (one per evaluation: a module called twice has two) the value
    /// belongs to; empty when the last evaluation has none there (the buffer does not
    /// parse, the attribute is being typed).
    pub circuits: Vec<&'a Circuit>,
}

impl Target<'_> {
    /// The other attribute's value, when it is known: as every evaluation of the circuit
    /// has it (`None` if one has it Unknown, absent, or they differ), else as written in
    /// the same block.
    pub fn other_value(&self, text: &str, offset: usize) -> Option<String> {
        let other = self.field.other();
        if self.circuits.is_empty() {
            return sibling_value(text, offset, other);
        }
        let mut values = self.circuits.iter().map(|c| match other {
            Field::Provider => c.provider.as_ref().map(|v| v.value.clone()),
            Field::Location => c.location.as_ref().map(|v| v.value.clone()),
        });
        let first = values.next().flatten()?;
        values
            .all(|v| v.as_deref() == Some(first.as_str()))
            .then_some(first)
            .filter(|v| !v.trim().is_empty())
    }

    /// The cloud the circuit targets, when every evaluation agrees (`None`: any cloud).
    pub fn cloud(&self, all: &[Circuit]) -> Option<Cloud> {
        let pool: Vec<&Circuit> = if self.circuits.is_empty() {
            all.iter().collect()
        } else {
            self.circuits.clone()
        };
        let first = pool.first()?.cloud?;
        pool.iter().all(|c| c.cloud == Some(first)).then_some(first)
    }
}

/// The provider or location value at `offset`: one the last evaluation read there (a
/// literal, a reference, a tfvars line), else a literal assigned to
/// `service_provider_name`/`serviceProviderName` or `peering_location`/`peeringLocation`.
pub fn target<'a>(text: &str, offset: usize, circuits: &'a [Circuit]) -> Option<Target<'a>> {
    let literal = literal_at(text, offset);
    let inside = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    let mut hits: Vec<(&Circuit, Field, &Value, Range<usize>)> = Vec::new();
    for c in circuits {
        for (field, v) in [
            (Field::Provider, &c.provider),
            (Field::Location, &c.location),
        ] {
            if let Some(v) = v
                && let Some(r) = v.at.iter().filter(|r| inside(r)).min_by_key(|r| r.len())
            {
                hits.push((c, field, v, r.clone()));
            }
        }
    }
    if let Some((_, field, v, span)) = hits.iter().min_by_key(|h| h.3.len()).cloned() {
        return Some(Target {
            field,
            literal,
            value: Some(v.value.clone()),
            circuits: hits
                .iter()
                .filter(|h| h.1 == field && h.3 == span)
                .map(|h| h.0)
                .collect(),
            span,
        });
    }
    let field = literal.as_ref()?.field()?;
    let lit = literal?;
    Some(Target {
        field,
        value: text.get(lit.content.clone()).map(str::to_string),
        span: lit.span.clone(),
        circuits: circuits
            .iter()
            .filter(|c| c.extent.as_ref().is_some_and(&inside))
            .collect(),
        literal: Some(lit),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, marker: &str) -> (String, usize) {
        let i = text.find(marker).unwrap();
        (text.replacen(marker, "", 1), i)
    }

    #[test]
    fn literal_and_key_in_each_syntax() {
        for (src, key) in [
            ("  peering_location      = \"Ams|\"\n", "peering_location"),
            ("  \"peeringLocation\": \"Ams|\",\n", "peeringLocation"),
            ("      peeringLocation = \"Ams|\"\n", "peeringLocation"),
            ("    peeringLocation: 'Ams|'\n", "peeringLocation"),
            ("  peeringLocation: \"Ams|\"\n", "peeringLocation"),
        ] {
            let (text, offset) = at(src, "|");
            let lit = literal_at(&text, offset).unwrap();
            assert_eq!(lit.key.as_deref(), Some(key), "{src}");
            assert_eq!(&text[lit.content.clone()], "Ams", "{src}");
            assert_eq!(lit.field(), Some(Field::Location));
        }
    }

    #[test]
    fn unterminated_and_empty_literals() {
        let (text, offset) = at("x = 1\nservice_provider_name = \"Equ|\n", "|");
        let lit = literal_at(&text, offset).unwrap();
        assert_eq!(&text[lit.content.clone()], "Equ");
        assert_eq!(lit.field(), Some(Field::Provider));
        let (text, offset) = at("service_provider_name = \"|\"", "|");
        let lit = literal_at(&text, offset).unwrap();
        assert_eq!(lit.content, offset..offset);
        assert_eq!(lit.span, offset - 1..offset + 1);
    }

    #[test]
    fn not_a_value() {
        let (text, offset) = at("name = \"x\" # peering_location = \"A|\"\n", "|");
        assert_eq!(literal_at(&text, offset), None, "in a comment");
        let (text, offset) = at("ok = var.peering_location == \"A|\"\n", "|");
        assert_eq!(literal_at(&text, offset).unwrap().key, None, "a comparison");
        let (text, offset) = at("peering_location = \"A\"  |\n", "|");
        assert_eq!(literal_at(&text, offset), None, "after the literal");
    }

    #[test]
    fn sibling_in_the_same_block_only() {
        let text = r#"
resource "azurerm_express_route_circuit" "a" {
  service_provider_name = "Megaport" # {
  peering_location      = "Ams"
}
resource "azurerm_express_route_circuit" "b" {
  service_provider_name = "Equinix"
  peering_location      = ""
  sku {
    tier = "Standard"
  }
}
"#;
        let in_a = text.find("\"Ams").unwrap() + 2;
        assert_eq!(
            sibling_value(text, in_a, Field::Provider).as_deref(),
            Some("Megaport")
        );
        let in_b = text.find("\"\"").unwrap() + 1;
        assert_eq!(
            sibling_value(text, in_b, Field::Provider).as_deref(),
            Some("Equinix")
        );
        assert_eq!(sibling_value(text, in_b, Field::Location), None, "empty");
        let json = r#"{"properties": {"serviceProviderProperties": {
            "serviceProviderName": "Equinix", "peeringLocation": "x"}}, "sku": {}}"#;
        let in_json = json.find("\"x\"").unwrap() + 1;
        assert_eq!(
            sibling_value(json, in_json, Field::Provider).as_deref(),
            Some("Equinix")
        );
    }
}

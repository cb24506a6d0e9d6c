//! A peering's type: the one representation every rule compares.

use super::{Found, Lookup, Resource, Unknown, schema};
use crate::source::Span;

/// The three peering types Azure knows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum PeeringType {
    Private,
    Microsoft,
    Public,
}

impl PeeringType {
    pub const ALL: [PeeringType; 3] = [
        PeeringType::Private,
        PeeringType::Microsoft,
        PeeringType::Public,
    ];

    /// The name Azure uses (`AzurePrivatePeering`).
    pub fn name(self) -> &'static str {
        match self {
            PeeringType::Private => "AzurePrivatePeering",
            PeeringType::Microsoft => "MicrosoftPeering",
            PeeringType::Public => "AzurePublicPeering",
        }
    }

    /// A written type or peering name, without regard to case or surrounding spaces; an
    /// ARM child peering's name holds the circuit's first (`er-1/AzurePrivatePeering`).
    pub fn parse(s: &str) -> Option<PeeringType> {
        let s = s.trim();
        // After the last `/`, found byte-wise (the text is a short name).
        let s = match s.bytes().rposition(|b| b == b'/') {
            Some(i) => s.get(i + 1..).unwrap_or_default().trim(),
            None => s,
        };
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }
}

/// What is known of a peering's type.
#[derive(Clone, Debug)]
pub enum PeeringTypeLookup<'r> {
    /// One of the three types; `Found` is where it was read: the type attribute, or (where
    /// the schema names a peering by its type, ARM) the peering's name.
    Known(PeeringType, Found<'r>),
    /// Written, but not a type Azure knows.
    Invalid(Found<'r>),
    /// Not known before deployment; `what` names the attribute it depends on.
    Unknown {
        unknown: &'r Unknown,
        at: Span,
        what: &'static str,
    },
    /// Not written.
    Absent,
}

impl<'r> PeeringTypeLookup<'r> {
    /// The type, when known.
    pub fn known(&self) -> Option<PeeringType> {
        match self {
            PeeringTypeLookup::Known(t, _) => Some(*t),
            _ => None,
        }
    }

    /// Where it was read, for a written value (a known type or an invalid one).
    pub fn found(&self) -> Option<&Found<'r>> {
        match self {
            PeeringTypeLookup::Known(_, f) | PeeringTypeLookup::Invalid(f) => Some(f),
            _ => None,
        }
    }
}

impl Resource {
    /// The peering's type: its type attribute, or, where that is absent and the schema
    /// requires a peering's name to be its type (ARM: `AzurePrivatePeering`, or
    /// `er-1/AzurePrivatePeering` for a top-level child), its name. An Unknown name then
    /// leaves the type Unknown.
    pub fn peering_type(&self) -> PeeringTypeLookup<'_> {
        match self.get(&schema::PEERING_TYPE) {
            Lookup::Known(f) => match f.as_str().and_then(PeeringType::parse) {
                Some(t) => PeeringTypeLookup::Known(t, f),
                None => PeeringTypeLookup::Invalid(f),
            },
            Lookup::Unknown { unknown, at } => PeeringTypeLookup::Unknown {
                unknown,
                at,
                what: self.attr_name(&schema::PEERING_TYPE),
            },
            // A schema without a peering-name attribute reads Absent here.
            Lookup::Absent { .. } => match self.get(&schema::PEERING_NAME) {
                Lookup::Known(f) => match f.as_str().and_then(PeeringType::parse) {
                    Some(t) => PeeringTypeLookup::Known(t, f),
                    None => PeeringTypeLookup::Absent,
                },
                Lookup::Unknown { unknown, at } => PeeringTypeLookup::Unknown {
                    unknown,
                    at,
                    what: self.attr_name(&schema::PEERING_NAME),
                },
                Lookup::Absent { .. } => PeeringTypeLookup::Absent,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::resource;
    use crate::model::{Dialect, Kind};
    use serde_json::json;

    #[test]
    fn parses_types_and_arm_names() {
        assert_eq!(
            PeeringType::parse(" azureprivatepeering "),
            Some(PeeringType::Private)
        );
        assert_eq!(
            PeeringType::parse("er-1/MicrosoftPeering"),
            Some(PeeringType::Microsoft)
        );
        assert_eq!(PeeringType::parse("Private"), None);
    }

    #[test]
    fn type_from_attribute_or_arm_name() {
        let tf = resource(
            Kind::Peering,
            Dialect::AZURERM,
            json!({"name": "MicrosoftPeering", "peering_type": "AzurePrivatePeering"}),
        );
        assert_eq!(tf.peering_type().known(), Some(PeeringType::Private));
        // azurerm has no peering-name attribute: the name does not type the peering
        let tf = resource(
            Kind::Peering,
            Dialect::AZURERM,
            json!({"name": "MicrosoftPeering"}),
        );
        assert!(matches!(tf.peering_type(), PeeringTypeLookup::Absent));
        let arm = resource(
            Kind::Peering,
            Dialect::ARM,
            json!({"name": "er-1/MicrosoftPeering", "properties": {}}),
        );
        assert_eq!(arm.peering_type().known(), Some(PeeringType::Microsoft));
        let arm = resource(
            Kind::Peering,
            Dialect::ARM,
            json!({"name": "<unknown>", "properties": {}}),
        );
        assert!(matches!(
            arm.peering_type(),
            PeeringTypeLookup::Unknown { what: "name", .. }
        ));
        let arm = resource(
            Kind::Peering,
            Dialect::ARM,
            json!({"name": "p", "properties": {"peeringType": "Bogus"}}),
        );
        assert!(matches!(arm.peering_type(), PeeringTypeLookup::Invalid(_)));
    }
}

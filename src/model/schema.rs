//! The Rosetta table: resource kinds and attribute paths in the azurerm and the ARM
//! [`Schema`].
//!
//! Rules name an [`Attr`] and never a schema-specific path; the lookup picks the azurerm
//! (`terraform`) or ARM (`arm`) path by the resource's schema. Paths are dotted; a
//! Terraform nested block (`ipv6 { … }`) is one segment like an object key. ARM property
//! names match case-insensitively, as Azure Resource Manager matches them.

use super::Schema;

/// What an ExpressRoute-related resource is, independent of how it was declared.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Circuit,
    Peering,
    CircuitAuthorization,
    CircuitConnection,
    Port,
    PortAuthorization,
    ErGateway,
    ErConnection,
    /// A virtual network gateway; ExpressRoute only when its type says so.
    VnetGateway,
    /// A virtual network gateway connection; ExpressRoute only when its type says so.
    GatewayConnection,
    RouteFilter,
    /// An ARM route filter rule declared as its own resource
    /// (`Microsoft.Network/routeFilters/routeFilterRules`), linked to its route filter.
    RouteFilterRule,
    /// Not ExpressRoute; read for address spaces.
    VirtualNetwork,
    /// Not ExpressRoute; read for a gateway subnet's size (a virtual network's inline
    /// subnets are resources of this kind too).
    Subnet,
}

/// Each kind's resource type in each schema: the azurerm resource type and the full ARM
/// type (compared case-insensitively). A route filter rule is its own resource only in ARM.
const TYPES: &[(Kind, Option<&str>, &str)] = &[
    (
        Kind::Circuit,
        Some("azurerm_express_route_circuit"),
        "Microsoft.Network/expressRouteCircuits",
    ),
    (
        Kind::Peering,
        Some("azurerm_express_route_circuit_peering"),
        "Microsoft.Network/expressRouteCircuits/peerings",
    ),
    (
        Kind::CircuitAuthorization,
        Some("azurerm_express_route_circuit_authorization"),
        "Microsoft.Network/expressRouteCircuits/authorizations",
    ),
    (
        Kind::CircuitConnection,
        Some("azurerm_express_route_circuit_connection"),
        "Microsoft.Network/expressRouteCircuits/peerings/connections",
    ),
    (
        Kind::Port,
        Some("azurerm_express_route_port"),
        "Microsoft.Network/expressRoutePorts",
    ),
    (
        Kind::PortAuthorization,
        Some("azurerm_express_route_port_authorization"),
        "Microsoft.Network/expressRoutePorts/authorizations",
    ),
    (
        Kind::ErGateway,
        Some("azurerm_express_route_gateway"),
        "Microsoft.Network/expressRouteGateways",
    ),
    (
        Kind::ErConnection,
        Some("azurerm_express_route_connection"),
        "Microsoft.Network/expressRouteGateways/expressRouteConnections",
    ),
    (
        Kind::VnetGateway,
        Some("azurerm_virtual_network_gateway"),
        "Microsoft.Network/virtualNetworkGateways",
    ),
    (
        Kind::GatewayConnection,
        Some("azurerm_virtual_network_gateway_connection"),
        "Microsoft.Network/connections",
    ),
    (
        Kind::RouteFilter,
        Some("azurerm_route_filter"),
        "Microsoft.Network/routeFilters",
    ),
    (
        Kind::RouteFilterRule,
        None,
        "Microsoft.Network/routeFilters/routeFilterRules",
    ),
    (
        Kind::VirtualNetwork,
        Some("azurerm_virtual_network"),
        "Microsoft.Network/virtualNetworks",
    ),
    (
        Kind::Subnet,
        Some("azurerm_subnet"),
        "Microsoft.Network/virtualNetworks/subnets",
    ),
];

/// Terraform resource type → kind.
pub fn kind_from_tf(ty: &str) -> Option<Kind> {
    TYPES
        .iter()
        .find(|(_, t, _)| *t == Some(ty))
        .map(|(k, _, _)| *k)
}

/// ARM resource type (full, case-insensitive) → kind.
pub fn kind_from_arm(ty: &str) -> Option<Kind> {
    TYPES
        .iter()
        .find(|(_, _, t)| t.eq_ignore_ascii_case(ty))
        .map(|(k, _, _)| *k)
}

impl Kind {
    /// Every kind, in the order of the resource-type table.
    pub const ALL: [Kind; 14] = [
        Kind::Circuit,
        Kind::Peering,
        Kind::CircuitAuthorization,
        Kind::CircuitConnection,
        Kind::Port,
        Kind::PortAuthorization,
        Kind::ErGateway,
        Kind::ErConnection,
        Kind::VnetGateway,
        Kind::GatewayConnection,
        Kind::RouteFilter,
        Kind::RouteFilterRule,
        Kind::VirtualNetwork,
        Kind::Subnet,
    ];

    /// Not ExpressRoute: a virtual network or a subnet, read for what ExpressRoute
    /// resources use of it (address spaces, a gateway's subnet).
    pub fn is_supporting(self) -> bool {
        matches!(self, Kind::VirtualNetwork | Kind::Subnet)
    }

    /// The resources written inside a resource of this kind, as ARM writes them: each
    /// element of `properties.<name>` a resource of the kind given (a circuit's inline
    /// peerings and authorizations, a virtual network's inline subnets).
    pub fn inline_children(self) -> &'static [(&'static str, Kind)] {
        match self {
            Kind::Circuit => &[
                ("peerings", Kind::Peering),
                ("authorizations", Kind::CircuitAuthorization),
            ],
            Kind::VirtualNetwork => &[("subnets", Kind::Subnet)],
            _ => &[],
        }
    }

    /// Child kinds hang off a circuit (ER102 reports the circuit, not each child).
    pub fn is_circuit_child(self) -> bool {
        matches!(
            self,
            Kind::Peering | Kind::CircuitAuthorization | Kind::CircuitConnection
        )
    }

    /// The resource type of this kind in `schema` (`azurerm_route_filter`,
    /// `Microsoft.Network/routeFilters`).
    pub fn type_name(self, schema: Schema) -> Option<&'static str> {
        let (_, tf, arm) = TYPES.iter().find(|(k, _, _)| *k == self)?;
        match schema {
            Schema::Azurerm => *tf,
            Schema::Arm => Some(arm),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Circuit => "ExpressRoute circuit",
            Kind::Peering => "ExpressRoute peering",
            Kind::CircuitAuthorization => "ExpressRoute circuit authorization",
            Kind::CircuitConnection => "ExpressRoute Global Reach connection",
            Kind::Port => "ExpressRoute Direct port",
            Kind::PortAuthorization => "ExpressRoute Direct port authorization",
            Kind::ErGateway => "ExpressRoute gateway",
            Kind::ErConnection => "ExpressRoute gateway connection",
            Kind::VnetGateway => "virtual network gateway",
            Kind::GatewayConnection => "virtual network gateway connection",
            Kind::RouteFilter => "route filter",
            Kind::RouteFilterRule => "route filter rule",
            Kind::VirtualNetwork => "virtual network",
            Kind::Subnet => "subnet",
        }
    }
}

/// One attribute, by its path in each [`Schema`]; `None` where that schema has no such
/// attribute (azurerm's `resource_group_name` is not an ARM property).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    /// The azurerm path: arguments and nested blocks (`ipv6.primary_peer_address_prefix`).
    pub terraform: Option<&'static str>,
    /// The ARM path (`properties.ipv6PeeringConfig.primaryPeerAddressPrefix`).
    pub arm: Option<&'static str>,
    /// Both paths split into segments when the constant is built: a lookup walks them as
    /// they are, with no split at each read.
    terraform_segments: Segments,
    arm_segments: Segments,
}

/// The non-empty segments of a dotted path (at most 8, checked when the constant is
/// built).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Segments {
    segs: [&'static str; 8],
    len: usize,
}

impl Segments {
    const NONE: Segments = Segments {
        segs: [""; 8],
        len: 0,
    };

    const fn of(path: &'static str) -> Segments {
        let mut out = Segments::NONE;
        let mut rest = path;
        loop {
            let b = rest.as_bytes();
            let mut i = 0;
            while i < b.len() && b[i] != b'.' {
                i += 1;
            }
            let (seg, tail) = rest.split_at(i);
            if !seg.is_empty() {
                out.segs[out.len] = seg;
                out.len += 1;
            }
            if tail.is_empty() {
                return out;
            }
            rest = tail.split_at(1).1;
        }
    }

    fn as_slice(&self) -> &[&'static str] {
        self.segs.get(..self.len).unwrap_or_default()
    }
}

macro_rules! path {
    (-) => {
        None
    };
    ($p:literal) => {
        Some($p)
    };
}

macro_rules! segments {
    (-) => {
        Segments::NONE
    };
    ($p:literal) => {
        Segments::of($p)
    };
}

/// `NAME = "terraform.path", "arm.path";` with `-` for "no such attribute".
macro_rules! attrs {
    ($($(#[$m:meta])* $name:ident = $tf:tt, $arm:tt;)*) => {
        $($(#[$m])* pub const $name: Attr = Attr {
            terraform: path!($tf),
            arm: path!($arm),
            terraform_segments: segments!($tf),
            arm_segments: segments!($arm),
        };)*
    };
}

// Every resource.
attrs! {
    NAME = "name", "name";
    RESOURCE_GROUP = "resource_group_name", -;
    TAGS = "tags", "tags";
    LOCATION = "location", "location";
}

// Circuits.
attrs! {
    SERVICE_PROVIDER = "service_provider_name", "properties.serviceProviderProperties.serviceProviderName";
    PEERING_LOCATION = "peering_location", "properties.serviceProviderProperties.peeringLocation";
    BANDWIDTH_MBPS = "bandwidth_in_mbps", "properties.serviceProviderProperties.bandwidthInMbps";
    /// ARM: the object holding the three provider properties, set or removed as one.
    SERVICE_PROVIDER_PROPERTIES = -, "properties.serviceProviderProperties";
    SKU_TIER = "sku.tier", "sku.tier";
    SKU_FAMILY = "sku.family", "sku.family";
    /// ARM: `<tier>_<family>`, which must match `sku.tier` and `sku.family`.
    SKU_NAME = -, "sku.name";
    PORT_ID = "express_route_port_id", "properties.expressRoutePort.id";
    BANDWIDTH_GBPS = "bandwidth_in_gbps", "properties.bandwidthInGbps";
    INLINE_PEERINGS = -, "properties.peerings";
}

// ExpressRoute Direct ports.
attrs! {
    PORT_ENCAPSULATION = "encapsulation", "properties.encapsulation";
}

// Peerings.
attrs! {
    PEERING_TYPE = "peering_type", "properties.peeringType";
    /// ARM: a peering's name, which Azure requires to be its type (`AzurePrivatePeering`,
    /// after the circuit's name for a top-level child resource).
    PEERING_NAME = -, "name";
    PRIMARY_PREFIX = "primary_peer_address_prefix", "properties.primaryPeerAddressPrefix";
    SECONDARY_PREFIX = "secondary_peer_address_prefix", "properties.secondaryPeerAddressPrefix";
    IPV4_ENABLED = "ipv4_enabled", -;
    IPV6 = "ipv6", "properties.ipv6PeeringConfig";
    IPV6_PRIMARY_PREFIX = "ipv6.primary_peer_address_prefix", "properties.ipv6PeeringConfig.primaryPeerAddressPrefix";
    IPV6_SECONDARY_PREFIX = "ipv6.secondary_peer_address_prefix", "properties.ipv6PeeringConfig.secondaryPeerAddressPrefix";
    IPV6_ENABLED = "ipv6.enabled", "properties.ipv6PeeringConfig.state";
    VLAN_ID = "vlan_id", "properties.vlanId";
    PEER_ASN = "peer_asn", "properties.peerASN";
    SHARED_KEY = "shared_key", "properties.sharedKey";
    ROUTE_FILTER_ID = "route_filter_id", "properties.routeFilter.id";
    IPV6_ROUTE_FILTER_ID = "ipv6.route_filter_id", "properties.ipv6PeeringConfig.routeFilter.id";
    ADVERTISED_PREFIXES = "microsoft_peering_config.advertised_public_prefixes", "properties.microsoftPeeringConfig.advertisedPublicPrefixes";
    CUSTOMER_ASN = "microsoft_peering_config.customer_asn", "properties.microsoftPeeringConfig.customerASN";
    IPV6_CUSTOMER_ASN = "ipv6.microsoft_peering.customer_asn", "properties.ipv6PeeringConfig.microsoftPeeringConfig.customerASN";
    ROUTING_REGISTRY = "microsoft_peering_config.routing_registry_name", "properties.microsoftPeeringConfig.routingRegistryName";
    MICROSOFT_PEERING_CONFIG = "microsoft_peering_config", "properties.microsoftPeeringConfig";
    IPV6_MICROSOFT_PEERING_CONFIG = "ipv6.microsoft_peering", "properties.ipv6PeeringConfig.microsoftPeeringConfig";
    IPV6_ADVERTISED_PREFIXES = "ipv6.microsoft_peering.advertised_public_prefixes", "properties.ipv6PeeringConfig.microsoftPeeringConfig.advertisedPublicPrefixes";
    IPV6_ROUTING_REGISTRY = "ipv6.microsoft_peering.routing_registry_name", "properties.ipv6PeeringConfig.microsoftPeeringConfig.routingRegistryName";
    CIRCUIT_NAME = "express_route_circuit_name", -;
}

// Gateways and connections.
attrs! {
    GATEWAY_TYPE = "type", "properties.gatewayType";
    CONNECTION_TYPE = "type", "properties.connectionType";
    CONNECTION_CIRCUIT_ID = "express_route_circuit_id", "properties.peer.id";
    CIRCUIT_CONNECTION_PEERING_ID = "peering_id", "properties.expressRouteCircuitPeering.id";
    CIRCUIT_CONNECTION_PEER_PEERING_ID = "peer_peering_id", "properties.peerExpressRouteCircuitPeering.id";
    ER_CONNECTION_PEERING_ID = "express_route_circuit_peering_id", "properties.expressRouteCircuitPeering.id";
    /// The IPv4 /29 a Global Reach connection carves its addresses from.
    GLOBAL_REACH_PREFIX = "address_prefix_ipv4", "properties.addressPrefix";
    /// The IPv6 /125 of a Global Reach connection.
    GLOBAL_REACH_IPV6_PREFIX = "address_prefix_ipv6", "properties.ipv6CircuitConnectionConfig.addressPrefix";
    /// A virtual network gateway's SKU (ARM: its name; the tier repeats it).
    GATEWAY_SKU = "sku", "properties.sku.name";
    /// Private Link FastPath of a connection (a gateway connection or a Virtual WAN
    /// ExpressRoute connection).
    PRIVATE_LINK_FAST_PATH = "private_link_fast_path_enabled", "properties.enablePrivateLinkFastPath";
    /// FastPath (gateway bypass) of a virtual network gateway connection.
    GATEWAY_BYPASS = "express_route_gateway_bypass", "properties.expressRouteGatewayBypass";
    /// FastPath of a Virtual WAN ExpressRoute connection (azurerm names it otherwise).
    ER_CONNECTION_GATEWAY_BYPASS = "express_route_gateway_bypass_enabled", "properties.expressRouteGatewayBypass";
    /// The virtual network gateway a gateway connection belongs to.
    CONNECTION_GATEWAY_ID = "virtual_network_gateway_id", "properties.virtualNetworkGateway1.id";
    VNET_ADDRESS_SPACE = "address_space", "properties.addressSpace.addressPrefixes";
    /// A virtual network's inline subnets (Terraform's `subnet` blocks).
    VNET_SUBNETS = "subnet", "properties.subnets";
    /// A subnet's address prefixes (azurerm 3 and later; ARM's list).
    SUBNET_PREFIXES = "address_prefixes", "properties.addressPrefixes";
    /// A subnet's one address prefix (azurerm 2, and a virtual network's inline `subnet`
    /// block before azurerm 4; ARM's single prefix).
    SUBNET_PREFIX = "address_prefix", "properties.addressPrefix";
    /// A virtual network gateway's IP configurations.
    GATEWAY_IP_CONFIGURATIONS = "ip_configuration", "properties.ipConfigurations";
    /// The subnet of one IP configuration of a gateway.
    IP_CONFIGURATION_SUBNET_ID = "subnet_id", "properties.subnet.id";
}

// Route filters (one rule per filter: a list of rules is read through its first).
attrs! {
    ROUTE_FILTER_COMMUNITIES = "rule.communities", "properties.rules.properties.communities";
    /// A `routeFilterRules` child resource's communities (ARM only).
    ROUTE_FILTER_RULE_COMMUNITIES = -, "properties.communities";
    /// A route filter's inline rules, as a list (Terraform's `rule` blocks).
    ROUTE_FILTER_RULES = "rule", "properties.rules";
    /// A route filter rule's access (`Allow`): in an inline rule, or in a `routeFilterRules`
    /// resource (ARM), whose body has an inline rule's shape.
    ROUTE_FILTER_RULE_ACCESS = "access", "properties.access";
    /// A route filter rule's type (`Community`), where [`ROUTE_FILTER_RULE_ACCESS`] is.
    ROUTE_FILTER_RULE_TYPE = "rule_type", "properties.routeFilterRuleType";
}

/// Every attribute above, for front ends that need the whole vocabulary (a test checks
/// that none is missing).
pub const ALL: &[&Attr] = &[
    &NAME,
    &RESOURCE_GROUP,
    &TAGS,
    &LOCATION,
    &SERVICE_PROVIDER,
    &PEERING_LOCATION,
    &BANDWIDTH_MBPS,
    &SERVICE_PROVIDER_PROPERTIES,
    &SKU_TIER,
    &SKU_FAMILY,
    &SKU_NAME,
    &PORT_ID,
    &BANDWIDTH_GBPS,
    &INLINE_PEERINGS,
    &PORT_ENCAPSULATION,
    &PEERING_TYPE,
    &PEERING_NAME,
    &PRIMARY_PREFIX,
    &SECONDARY_PREFIX,
    &IPV4_ENABLED,
    &IPV6,
    &IPV6_PRIMARY_PREFIX,
    &IPV6_SECONDARY_PREFIX,
    &IPV6_ENABLED,
    &VLAN_ID,
    &PEER_ASN,
    &SHARED_KEY,
    &ROUTE_FILTER_ID,
    &IPV6_ROUTE_FILTER_ID,
    &ADVERTISED_PREFIXES,
    &CUSTOMER_ASN,
    &IPV6_CUSTOMER_ASN,
    &ROUTING_REGISTRY,
    &MICROSOFT_PEERING_CONFIG,
    &IPV6_MICROSOFT_PEERING_CONFIG,
    &IPV6_ADVERTISED_PREFIXES,
    &IPV6_ROUTING_REGISTRY,
    &CIRCUIT_NAME,
    &GATEWAY_TYPE,
    &CONNECTION_TYPE,
    &CONNECTION_CIRCUIT_ID,
    &CIRCUIT_CONNECTION_PEERING_ID,
    &CIRCUIT_CONNECTION_PEER_PEERING_ID,
    &ER_CONNECTION_PEERING_ID,
    &GATEWAY_SKU,
    &PRIVATE_LINK_FAST_PATH,
    &GATEWAY_BYPASS,
    &ER_CONNECTION_GATEWAY_BYPASS,
    &CONNECTION_GATEWAY_ID,
    &GLOBAL_REACH_PREFIX,
    &GLOBAL_REACH_IPV6_PREFIX,
    &VNET_ADDRESS_SPACE,
    &VNET_SUBNETS,
    &SUBNET_PREFIXES,
    &SUBNET_PREFIX,
    &GATEWAY_IP_CONFIGURATIONS,
    &IP_CONFIGURATION_SUBNET_ID,
    &ROUTE_FILTER_COMMUNITIES,
    &ROUTE_FILTER_RULE_COMMUNITIES,
    &ROUTE_FILTER_RULES,
    &ROUTE_FILTER_RULE_ACCESS,
    &ROUTE_FILTER_RULE_TYPE,
];

impl Attr {
    /// The path in `schema`, dotted; `None` when the schema has no such attribute.
    pub fn path(&self, schema: Schema) -> Option<&'static str> {
        match schema {
            Schema::Azurerm => self.terraform,
            Schema::Arm => self.arm,
        }
    }

    /// The path in `schema`, split into segments (none when the schema has no such
    /// attribute).
    pub fn split(&self, schema: Schema) -> &[&'static str] {
        match schema {
            Schema::Azurerm => self.terraform_segments.as_slice(),
            Schema::Arm => self.arm_segments.as_slice(),
        }
    }

    /// The one name of the attribute in messages: its path as the user writes it, for ARM
    /// without the leading `properties.` every property has
    /// (`serviceProviderProperties.serviceProviderName`, `ipv6.primary_peer_address_prefix`).
    /// `None` when the schema has no such attribute.
    pub fn name(&self, schema: Schema) -> Option<&'static str> {
        let p = self.path(schema)?;
        Some(p.strip_prefix("properties.").unwrap_or(p))
    }

    /// [`Self::name`] for messages: an attribute this schema lacks is named as the other
    /// schema names it.
    pub fn message_name(&self, schema: Schema) -> &'static str {
        self.name(schema)
            .or_else(|| Schema::ALL.iter().find_map(|s| self.name(*s)))
            .unwrap_or_default()
    }

    /// The name of this attribute inside `container` (`routing_registry_name` inside
    /// `microsoft_peering_config`); its [`Self::name`] when it is not inside it.
    pub fn name_in(&self, container: &Attr, schema: Schema) -> Option<&'static str> {
        let name = self.name(schema)?;
        let outer = container.name(schema).unwrap_or_default();
        Some(
            name.strip_prefix(outer)
                .and_then(|rest| rest.strip_prefix('.'))
                .filter(|_| !outer.is_empty())
                .unwrap_or(name),
        )
    }
}

/// One address family of a peering: its BGP session prefixes and its Microsoft peering
/// settings.
#[derive(Debug)]
pub struct Family {
    /// "IPv4" / "IPv6".
    pub name: &'static str,
    pub v6: bool,
    /// The prefix length of one BGP session's subnet (/30, /126).
    pub session_len: u8,
    pub primary: &'static Attr,
    pub secondary: &'static Attr,
    pub config: &'static Attr,
    pub advertised: &'static Attr,
    pub registry: &'static Attr,
    pub route_filter: &'static Attr,
    pub customer_asn: &'static Attr,
}

/// The two address families, IPv4 first.
pub const FAMILIES: [Family; 2] = [
    Family {
        name: "IPv4",
        v6: false,
        session_len: 30,
        primary: &PRIMARY_PREFIX,
        secondary: &SECONDARY_PREFIX,
        config: &MICROSOFT_PEERING_CONFIG,
        advertised: &ADVERTISED_PREFIXES,
        registry: &ROUTING_REGISTRY,
        route_filter: &ROUTE_FILTER_ID,
        customer_asn: &CUSTOMER_ASN,
    },
    Family {
        name: "IPv6",
        v6: true,
        session_len: 126,
        primary: &IPV6_PRIMARY_PREFIX,
        secondary: &IPV6_SECONDARY_PREFIX,
        config: &IPV6_MICROSOFT_PEERING_CONFIG,
        advertised: &IPV6_ADVERTISED_PREFIXES,
        registry: &IPV6_ROUTING_REGISTRY,
        route_filter: &IPV6_ROUTE_FILTER_ID,
        customer_asn: &IPV6_CUSTOMER_ASN,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_the_dotted_paths_split() {
        for attr in ALL {
            for schema in Schema::ALL {
                let path = attr.path(schema).unwrap_or_default();
                let want: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
                assert_eq!(attr.split(schema), want.as_slice(), "{path}");
            }
        }
        for (path, want) in [
            ("", &[][..]),
            (".a..b.", &["a", "b"][..]),
            ("é.ü", &["é", "ü"]),
        ] {
            assert_eq!(Segments::of(path).as_slice(), want);
        }
    }

    #[test]
    fn every_kind_has_an_arm_type() {
        for k in Kind::ALL {
            assert!(k.type_name(Schema::Arm).is_some(), "{k:?}");
        }
        assert_eq!(
            TYPES.iter().map(|(k, _, _)| *k).collect::<Vec<_>>(),
            Kind::ALL
        );
    }

    #[test]
    fn arm_types_match_case_insensitively() {
        assert_eq!(
            kind_from_arm("microsoft.network/ExpressRoutePorts"),
            Some(Kind::Port)
        );
        assert_eq!(
            kind_from_arm("Microsoft.Network/expressRouteCircuits/peerings"),
            Some(Kind::Peering)
        );
        assert_eq!(kind_from_arm("Microsoft.Storage/storageAccounts"), None);
    }

    #[test]
    fn every_attribute_is_in_all() {
        let src = include_str!("schema.rs");
        let all = src
            .split("pub const ALL: &[&Attr]")
            .nth(1)
            .unwrap_or_default();
        let mut names = 0;
        for block in src.split("\nattrs! {\n").skip(1) {
            let block = block.split("\n}\n").next().unwrap_or_default();
            for line in block.lines().map(str::trim) {
                if let Some((name, _)) = line.split_once(" = ")
                    && !line.starts_with("///")
                {
                    names += 1;
                    assert!(all.contains(&format!("&{name},")), "{name} is not in ALL");
                }
            }
        }
        assert_eq!(names, ALL.len());
    }

    #[test]
    fn attr_paths_split() {
        assert_eq!(
            IPV6_PRIMARY_PREFIX.split(Schema::Azurerm),
            ["ipv6", "primary_peer_address_prefix"]
        );
        assert_eq!(RESOURCE_GROUP.split(Schema::Arm).len(), 0);
        assert_eq!(RESOURCE_GROUP.path(Schema::Arm), None);
    }

    #[test]
    fn one_name_per_attribute() {
        assert_eq!(
            SERVICE_PROVIDER.name(Schema::Arm),
            Some("serviceProviderProperties.serviceProviderName")
        );
        assert_eq!(
            SERVICE_PROVIDER.name(Schema::Azurerm),
            Some("service_provider_name")
        );
        assert_eq!(SKU_TIER.name(Schema::Arm), Some("sku.tier"));
        assert_eq!(IPV4_ENABLED.name(Schema::Arm), None);
        assert_eq!(
            ROUTING_REGISTRY.name_in(&MICROSOFT_PEERING_CONFIG, Schema::Azurerm),
            Some("routing_registry_name")
        );
        assert_eq!(
            IPV6_ROUTING_REGISTRY.name_in(&IPV6_MICROSOFT_PEERING_CONFIG, Schema::Arm),
            Some("routingRegistryName")
        );
        assert_eq!(
            SHARED_KEY.name_in(&MICROSOFT_PEERING_CONFIG, Schema::Arm),
            Some("sharedKey")
        );
    }
}

//! The Rosetta table: resource kinds and attribute paths in Terraform and in ARM.
//!
//! Rules name an [`Attr`] and never a syntax-specific path; the lookup picks the
//! Terraform (`tf`) or ARM (`arm`) path by the resource's format. Paths are dotted; a
//! Terraform nested block (`ipv6 { … }`) is one segment like an object key. ARM property
//! names match case-insensitively, as Azure Resource Manager matches them.

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
}

/// Terraform resource type → kind.
pub fn kind_from_tf(ty: &str) -> Option<Kind> {
    Some(match ty {
        "azurerm_express_route_circuit" => Kind::Circuit,
        "azurerm_express_route_circuit_peering" => Kind::Peering,
        "azurerm_express_route_circuit_authorization" => Kind::CircuitAuthorization,
        "azurerm_express_route_circuit_connection" => Kind::CircuitConnection,
        "azurerm_express_route_port" => Kind::Port,
        "azurerm_express_route_port_authorization" => Kind::PortAuthorization,
        "azurerm_express_route_gateway" => Kind::ErGateway,
        "azurerm_express_route_connection" => Kind::ErConnection,
        "azurerm_virtual_network_gateway" => Kind::VnetGateway,
        "azurerm_virtual_network_gateway_connection" => Kind::GatewayConnection,
        "azurerm_route_filter" => Kind::RouteFilter,
        "azurerm_virtual_network" => Kind::VirtualNetwork,
        _ => return None,
    })
}

/// ARM resource type (full, case-insensitive) → kind.
pub fn kind_from_arm(ty: &str) -> Option<Kind> {
    const TABLE: &[(&str, Kind)] = &[
        ("Microsoft.Network/expressRouteCircuits", Kind::Circuit),
        (
            "Microsoft.Network/expressRouteCircuits/peerings",
            Kind::Peering,
        ),
        (
            "Microsoft.Network/expressRouteCircuits/authorizations",
            Kind::CircuitAuthorization,
        ),
        (
            "Microsoft.Network/expressRouteCircuits/peerings/connections",
            Kind::CircuitConnection,
        ),
        ("Microsoft.Network/expressRoutePorts", Kind::Port),
        (
            "Microsoft.Network/expressRoutePorts/authorizations",
            Kind::PortAuthorization,
        ),
        ("Microsoft.Network/expressRouteGateways", Kind::ErGateway),
        (
            "Microsoft.Network/expressRouteGateways/expressRouteConnections",
            Kind::ErConnection,
        ),
        (
            "Microsoft.Network/virtualNetworkGateways",
            Kind::VnetGateway,
        ),
        ("Microsoft.Network/connections", Kind::GatewayConnection),
        ("Microsoft.Network/routeFilters", Kind::RouteFilter),
        (
            "Microsoft.Network/routeFilters/routeFilterRules",
            Kind::RouteFilterRule,
        ),
        ("Microsoft.Network/virtualNetworks", Kind::VirtualNetwork),
    ];
    TABLE
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(ty))
        .map(|(_, k)| *k)
}

impl Kind {
    /// Child kinds hang off a circuit (ER102 reports the circuit, not each child).
    pub fn is_circuit_child(self) -> bool {
        matches!(
            self,
            Kind::Peering | Kind::CircuitAuthorization | Kind::CircuitConnection
        )
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
        }
    }
}

/// One attribute, by its path in each format.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    pub tf: &'static str,
    pub arm: &'static str,
}

macro_rules! attrs {
    ($($(#[$m:meta])* $name:ident = $tf:literal, $arm:literal;)*) => {
        $($(#[$m])* pub const $name: Attr = Attr { tf: $tf, arm: $arm };)*
    };
}

// Every resource.
attrs! {
    NAME = "name", "name";
    RESOURCE_GROUP = "resource_group_name", "";
    TAGS = "tags", "tags";
    LOCATION = "location", "location";
}

// Circuits.
attrs! {
    SERVICE_PROVIDER = "service_provider_name", "properties.serviceProviderProperties.serviceProviderName";
    PEERING_LOCATION = "peering_location", "properties.serviceProviderProperties.peeringLocation";
    BANDWIDTH_MBPS = "bandwidth_in_mbps", "properties.serviceProviderProperties.bandwidthInMbps";
    SKU_TIER = "sku.tier", "sku.tier";
    SKU_FAMILY = "sku.family", "sku.family";
    PORT_ID = "express_route_port_id", "properties.expressRoutePort.id";
    BANDWIDTH_GBPS = "bandwidth_in_gbps", "properties.bandwidthInGbps";
    INLINE_PEERINGS = "", "properties.peerings";
}

// ExpressRoute Direct ports.
attrs! {
    PORT_ENCAPSULATION = "encapsulation", "properties.encapsulation";
}

// Peerings.
attrs! {
    PEERING_TYPE = "peering_type", "properties.peeringType";
    PRIMARY_PREFIX = "primary_peer_address_prefix", "properties.primaryPeerAddressPrefix";
    SECONDARY_PREFIX = "secondary_peer_address_prefix", "properties.secondaryPeerAddressPrefix";
    IPV4_ENABLED = "ipv4_enabled", "";
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
    CIRCUIT_NAME = "express_route_circuit_name", "";
}

// Gateways and connections.
attrs! {
    GATEWAY_TYPE = "type", "properties.gatewayType";
    CONNECTION_TYPE = "type", "properties.connectionType";
    CONNECTION_CIRCUIT_ID = "express_route_circuit_id", "properties.peer.id";
    CIRCUIT_CONNECTION_PEERING_ID = "peering_id", "properties.expressRouteCircuitPeering.id";
    CIRCUIT_CONNECTION_PEER_PEERING_ID = "peer_peering_id", "properties.peerExpressRouteCircuitPeering.id";
    ER_CONNECTION_PEERING_ID = "express_route_circuit_peering_id", "properties.expressRouteCircuitPeering.id";
    VNET_ADDRESS_SPACE = "address_space", "properties.addressSpace.addressPrefixes";
}

// Route filters (one rule per filter: a list of rules is read through its first).
attrs! {
    ROUTE_FILTER_COMMUNITIES = "rule.communities", "properties.rules.properties.communities";
    /// A `routeFilterRules` child resource's communities (ARM only).
    ROUTE_FILTER_RULE_COMMUNITIES = "", "properties.communities";
}

impl Attr {
    /// The path for a format, split into segments (empty when the format has no such
    /// attribute).
    pub fn path(&self, arm: bool) -> impl Iterator<Item = &'static str> {
        let p = if arm { self.arm } else { self.tf };
        p.split('.').filter(|s| !s.is_empty())
    }

    /// The name shown in messages: the last segment as the user wrote it.
    pub fn display(&self, arm: bool) -> &'static str {
        let p = if arm { self.arm } else { self.tf };
        p.rsplit('.').next().unwrap_or(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn attr_paths_split() {
        assert_eq!(
            IPV6_PRIMARY_PREFIX.path(false).collect::<Vec<_>>(),
            ["ipv6", "primary_peer_address_prefix"]
        );
        assert_eq!(RESOURCE_GROUP.path(true).count(), 0);
        assert_eq!(SERVICE_PROVIDER.display(true), "serviceProviderName");
    }
}

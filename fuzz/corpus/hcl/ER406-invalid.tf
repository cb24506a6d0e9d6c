provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

variable "subscription_id" {
  type = string
}

variable "vlans" {
  description = "VLAN per peering, as agreed with the provider"
  type        = map(number)
  default = {
    private   = 100
    microsoft = 100 # copied from the private peering's row
  }
}

locals {
  lab_vlan = 0
}

resource "azurerm_resource_group" "er" {
  name     = "rg-er-weu"
  location = "westeurope"
}

resource "azurerm_express_route_circuit" "main" {
  name                  = "erc-weu-01"
  resource_group_name   = azurerm_resource_group.er.name
  location              = azurerm_resource_group.er.location
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Premium"
    family = "MeteredData"
  }
}

resource "azurerm_express_route_circuit_peering" "private" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = azurerm_express_route_circuit.main.name
  resource_group_name           = azurerm_resource_group.er.name
  peer_asn                      = 65010
  primary_peer_address_prefix   = "172.16.0.0/30"
  secondary_peer_address_prefix = "172.16.0.4/30"
  vlan_id                       = var.vlans["private"]
}

resource "azurerm_express_route_circuit_peering" "microsoft" {
  peering_type                  = "MicrosoftPeering"
  express_route_circuit_name    = azurerm_express_route_circuit.main.name
  resource_group_name           = azurerm_resource_group.er.name
  peer_asn                      = 64496
  primary_peer_address_prefix   = "203.0.113.0/30"
  secondary_peer_address_prefix = "203.0.113.4/30"
  vlan_id                       = var.vlans["microsoft"] # ER406

  microsoft_peering_config {
    advertised_public_prefixes = ["203.0.113.128/27"]
  }
}

# A second circuit whose peerings come from one map; both rows got the same VLAN.
resource "azurerm_express_route_circuit" "backup" {
  name                  = "erc-weu-02"
  resource_group_name   = azurerm_resource_group.er.name
  location              = azurerm_resource_group.er.location
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam2"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Premium"
    family = "MeteredData"
  }
}

resource "azurerm_express_route_circuit_peering" "backup" {
  for_each = {
    AzurePrivatePeering = { vlan = 200, primary = "172.16.1.0/30", secondary = "172.16.1.4/30" }
    MicrosoftPeering    = { vlan = 200, primary = "203.0.113.8/30", secondary = "203.0.113.12/30" }
  }

  peering_type                  = each.key
  express_route_circuit_name    = azurerm_express_route_circuit.backup.name
  resource_group_name           = azurerm_resource_group.er.name
  peer_asn                      = 64496
  primary_peer_address_prefix   = each.value.primary
  secondary_peer_address_prefix = each.value.secondary
  vlan_id                       = each.value.vlan # ER406

  dynamic "microsoft_peering_config" {
    for_each = each.key == "MicrosoftPeering" ? [1] : []
    content {
      advertised_public_prefixes = ["203.0.113.160/27"]
    }
  }
}

# Out of range.
resource "azurerm_express_route_circuit_peering" "lab" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = "erc-lab-01"
  resource_group_name           = "rg-er-lab"
  peer_asn                      = 65020
  primary_peer_address_prefix   = "172.16.2.0/30"
  secondary_peer_address_prefix = "172.16.2.4/30"
  vlan_id                       = local.lab_vlan # ER406
}

resource "azurerm_express_route_circuit_peering" "lab_microsoft" {
  peering_type                  = "MicrosoftPeering"
  express_route_circuit_name    = "erc-lab-01"
  resource_group_name           = "rg-er-lab"
  peer_asn                      = 64497
  primary_peer_address_prefix   = "203.0.113.16/30"
  secondary_peer_address_prefix = "203.0.113.20/30"
  vlan_id                       = 4095 # ER406

  microsoft_peering_config {
    advertised_public_prefixes = ["203.0.113.192/27"]
  }
}

# ExpressRoute Direct with Dot1Q: peering VLANs must be unique across the port.
resource "azurerm_express_route_port" "direct" {
  name                = "erd-ams-01"
  resource_group_name = azurerm_resource_group.er.name
  location            = azurerm_resource_group.er.location
  peering_location    = "Equinix-Amsterdam-AM5"
  bandwidth_in_gbps   = 10
  encapsulation       = "Dot1Q"
}

resource "azurerm_express_route_circuit" "direct" {
  for_each = toset(["prod", "test"])

  name                  = "erc-direct-${each.key}"
  resource_group_name   = azurerm_resource_group.er.name
  location              = azurerm_resource_group.er.location
  express_route_port_id = azurerm_express_route_port.direct.id
  bandwidth_in_gbps     = 5

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}

resource "azurerm_express_route_circuit_peering" "direct_prod" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = azurerm_express_route_circuit.direct["prod"].name
  resource_group_name           = azurerm_resource_group.er.name
  peer_asn                      = 65030
  primary_peer_address_prefix   = "172.16.3.0/30"
  secondary_peer_address_prefix = "172.16.3.4/30"
  vlan_id                       = 300
}

resource "azurerm_express_route_circuit_peering" "direct_test" {
  peering_type                  = "AzurePrivatePeering"
  express_route_circuit_name    = azurerm_express_route_circuit.direct["test"].name
  resource_group_name           = azurerm_resource_group.er.name
  peer_asn                      = 65031
  primary_peer_address_prefix   = "172.16.4.0/30"
  secondary_peer_address_prefix = "172.16.4.4/30"
  vlan_id                       = 300 # ER406
}

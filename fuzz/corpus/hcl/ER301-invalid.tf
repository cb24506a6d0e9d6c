terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

variable "subscription_id" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

locals {
  # Reserved for private peering: one /29, split in two /30s. Someone gave the whole /29.
  private_block = "172.16.40.0/29"
}

resource "azurerm_resource_group" "er" {
  name     = "rg-er-weu"
  location = var.location
}

resource "azurerm_express_route_circuit" "main" {
  name                  = "erc-weu-01"
  resource_group_name   = azurerm_resource_group.er.name
  location              = azurerm_resource_group.er.location
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}

# Only the primary link was configured: one BGP session.
resource "azurerm_express_route_circuit_peering" "private" { # ER301
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = azurerm_express_route_circuit.main.name
  resource_group_name         = azurerm_resource_group.er.name
  peer_asn                    = 65010
  primary_peer_address_prefix = local.private_block
  vlan_id                     = 100
}

resource "azurerm_express_route_circuit" "second" {
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

# IPv4 is complete, the IPv6 pair is not.
resource "azurerm_express_route_circuit_peering" "microsoft" {
  peering_type                  = "MicrosoftPeering"
  express_route_circuit_name    = azurerm_express_route_circuit.second.name
  resource_group_name           = azurerm_resource_group.er.name
  peer_asn                      = 64512
  primary_peer_address_prefix   = "203.0.113.0/30"
  secondary_peer_address_prefix = "203.0.113.4/30"
  vlan_id                       = 300

  microsoft_peering_config {
    advertised_public_prefixes = ["203.0.113.128/27"]
  }

  ipv6 {
    primary_peer_address_prefix   = "2001:db8:1::/126"
    secondary_peer_address_prefix = null # ER301
  }
}

# No session pair at all.
resource "azurerm_express_route_circuit_peering" "private_second" { # ER301
  peering_type               = "AzurePrivatePeering"
  express_route_circuit_name = azurerm_express_route_circuit.second.name
  resource_group_name        = azurerm_resource_group.er.name
  peer_asn                   = 65011
  vlan_id                    = 101
}

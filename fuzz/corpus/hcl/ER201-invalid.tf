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

variable "wan_carrier" {
  description = "Our WAN carrier, who also provides the ExpressRoute link"
  type        = string
  default     = "Alaska Communications"
}

variable "bandwidth_mbps" {
  type    = number
  default = 200
}

locals {
  resource_group = "rg-er-prod"
  tags = {
    owner = "network-team"
  }

  sites = {
    dallas = {
      provider = "Equinix"
      location = "Dallas"
    }
    chicago = {
      provider = "Spectrum Enterprise"
      location = "Chicago"
    }
  }
}

# The carrier is not an ExpressRoute partner: it reaches Seattle through Equinix.
resource "azurerm_express_route_circuit" "seattle" {
  name                  = "erc-sea-01"
  resource_group_name   = local.resource_group
  location              = "westus2"
  service_provider_name = var.wan_carrier # ER201
  peering_location      = "Seattle"
  bandwidth_in_mbps     = var.bandwidth_mbps

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }

  tags = local.tags
}

# A local carrier that the ExpressRoute tables do not list at all.
resource "azurerm_express_route_circuit" "frankfurt" {
  name                  = "erc-fra-01"
  resource_group_name   = local.resource_group
  location              = "germanywestcentral"
  service_provider_name = "Acme Fiber GmbH" # ER201
  peering_location      = "Frankfurt"
  bandwidth_in_mbps     = 500

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}

# A typo of a partner name.
resource "azurerm_express_route_circuit" "london" {
  name                  = "erc-lon-01"
  resource_group_name   = local.resource_group
  location              = "uksouth"
  service_provider_name = "Megaprot" # ER201
  peering_location      = "London"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Premium"
    family = "UnlimitedData"
  }
}

# One circuit per site; the Chicago one names a carrier instead of its exchange.
resource "azurerm_express_route_circuit" "site" {
  for_each = local.sites

  name                  = "erc-${each.key}-01"
  resource_group_name   = local.resource_group
  location              = "centralus"
  service_provider_name = each.value.provider # ER201
  peering_location      = each.value.location
  bandwidth_in_mbps     = 100

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.10"
    }
  }
}

# The connectivity subscription was meant to come from the CLI login.
provider "azurerm" { # ER101
  features {}
}

provider "azurerm" {
  alias           = "hub"
  features {}
  subscription_id = "" # ER101
}

resource "azurerm_express_route_circuit" "spoke" {
  name                  = "erc-spoke"
  resource_group_name   = "rg-er"
  location              = "westeurope"
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam"
  bandwidth_in_mbps     = 100

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}

resource "azurerm_express_route_circuit" "hub" {
  provider              = azurerm.hub
  name                  = "erc-hub"
  resource_group_name   = "rg-er-hub"
  location              = "westeurope"
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam2"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Premium"
    family = "MeteredData"
  }
}

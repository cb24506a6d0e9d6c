// A metered ExpressRoute circuit through a service provider.
@description('Name of the ExpressRoute circuit')
param circuitName string = 'er-weu-01'

@description('Location of the circuit')
param location string = resourceGroup().location

@allowed([
  'Standard'
  'Premium'
])
param skuTier string = 'Standard'

@allowed([
  'MeteredData'
  'UnlimitedData'
])
param skuFamily string = 'MeteredData'

@minValue(50)
@maxValue(10000)
param bandwidthInMbps int = 1000

resource circuit 'Microsoft.Network/expressRouteCircuits@2024-05-01' = {
  name: circuitName
  location: location
  sku: {
    name: '${skuTier}_${skuFamily}'
    tier: skuTier
    family: skuFamily
  }
  properties: {
    serviceProviderProperties: {
      serviceProviderName: 'Equinix'
      peeringLocation: 'Amsterdam'
      bandwidthInMbps: bandwidthInMbps
    }
    allowClassicOperations: false
  }
}

output circuitId string = circuit.id
output serviceKey string = circuit.properties.serviceKey

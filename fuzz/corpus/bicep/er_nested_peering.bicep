param tier string = 'Premium'
resource er 'Microsoft.Network/expressRouteCircuits@2024-05-01' = {
  name: 'er-weu'
  location: resourceGroup().location
  sku: { name: '${tier}_MeteredData', tier: tier, family: 'MeteredData' }
  properties: { serviceProviderProperties: { serviceProviderName: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 } }
  resource pvt 'peerings' = {
    name: 'AzurePrivatePeering'
    properties: { peeringType: 'AzurePrivatePeering', peerASN: 65010, vlanId: 100, primaryPeerAddressPrefix: '10.0.0.0/30', secondaryPeerAddressPrefix: '10.0.0.4/30' }
  }
}

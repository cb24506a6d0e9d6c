type skuTier = 'Standard' | 'Premium' | 'Local'

type peeringType =
  | 'AzurePrivatePeering'
  | 'MicrosoftPeering'

type family = 'MeteredData'
  | 'UnlimitedData'

param tier skuTier = 'Standard'
param kind peeringType
param bandwidth 50 | 100 | 200 | 500 | 1000 = 1000
param flag true | false = true

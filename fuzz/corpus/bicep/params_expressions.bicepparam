using './main.bicep'

var env = readEnvironmentVariable('ER_ENV', 'dev')
var isProd = env == 'prod'
var regions = [
  'weu'
  'neu'
]

param circuitName = 'er-${env}-${regions[0]}'
param bandwidthInMbps = isProd ? 10000 : 200
param skuTier = isProd
  ? 'Premium'
  : 'Standard'
param branches = [for (r, i) in regions: {
  name: r
  vlanId: 100 + i
}]
param prefixes = map(regions, r => '10.${indexOf(regions, r)}.0.0/30')
param notes = '''
Provisioned by the network team.
'''

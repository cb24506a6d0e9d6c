param peerings array

var privateOnly = filter(peerings, p => p.peeringType == 'AzurePrivatePeering')
var vlanIds = map(peerings, p => p.vlanId)
var indexed = map(peerings, (p, i) => '${i}: ${p.name}')
var total = reduce(vlanIds, 0, (acc, v) => acc + v)
var sorted = sort(peerings, (a, b) => a.vlanId < b.vlanId)
var byName = toObject(peerings, p => p.name, p => p.vlanId)
var grouped = groupBy(peerings, p => p.peeringType)
var upper = mapValues(byName, v => string(v))
var constant = map(range(0, 3), () => 'x')
var nested = map(peerings, p => filter(p.prefixes, x => !empty(x)))

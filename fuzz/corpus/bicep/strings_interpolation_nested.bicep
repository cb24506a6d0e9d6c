param env string
param region string
param index int

var name = 'er-${env}-${region}-${padLeft(string(index), 2, '0')}'
var nested = 'outer-${'inner-${env}'}'
var call = '${toLower(concat(env, '-', region))}'
var adjacent = '${env}${region}'
var onlyHole = '${env}'
var ternaryInHole = 'tier-${index > 1 ? 'b' : 'a'}'
var access = 'peer-${split(region, '-')[0]}-${length(env)}'

param regions array = [
  { name: 'weu', peerings: [ 'a', 'b' ] }
  { name: 'neu', peerings: [ 'c' ] }
]

var flat = flatten([for r in regions: [for p in r.peerings: '${r.name}-${p}']])

var grid = [for i in range(0, 2): [for j in range(0, 3): i * 3 + j]]

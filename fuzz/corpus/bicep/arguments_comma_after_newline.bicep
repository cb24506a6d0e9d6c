// error: 3:3 a `,` between function arguments goes before the line break, not after it
var id = resourceId('Microsoft.Network/expressRouteCircuits'
  , 'er-weu')

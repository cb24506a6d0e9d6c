#disable-next-line no-unused-params
param unused string = 'x'

#disable-next-line BCP081 BCP035
resource er 'Microsoft.Network/expressRouteCircuits@2099-01-01' = {
  name: 'er'
  #disable-next-line no-hardcoded-location
  location: 'westeurope'
}

#disable-diagnostics no-unused-vars prefer-interpolation
var a = concat('a', 'b')
var b = 1
#restore-diagnostics no-unused-vars prefer-interpolation
  #disable-next-line	BCP037   // indented, with a tab and a trailing comment
var c = 2

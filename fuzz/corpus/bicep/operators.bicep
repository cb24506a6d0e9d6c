param a int = 1
param b int = 2
param s string = 'x'

var arithmetic = a + b * 3 - (a - b) / 2 % 5
var comparison = a < b && a <= b || a > b && a >= b
var equality = a == b || a != b
var insensitive = s =~ 'X' && s !~ 'Y'
var logic = !(a == b) && true || false
var coalesce = null ?? a
var mixed = a + b > 2 ? 'big' : 'small'

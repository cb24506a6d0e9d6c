locals {
  m = { for k, v in var.peerings : k => format("%-10s|%08.3f|%x", k, v.n, v.n) }
  l = [for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)]
  s = "${jsonencode(local.m)}%{ for k in keys(local.m) }${k}%{ endfor }"
}
variable "peerings" { default = { a = { n = 1 } } }

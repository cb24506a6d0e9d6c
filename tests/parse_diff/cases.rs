//! The syntax suite of the differential parse test: small Terraform files, valid and
//! invalid, covering every construct of the native and JSON syntaxes. The file name's
//! extension says which syntax; whether each one is valid is the reference's to say.

pub const CASES: &[(&str, &str)] = &[
    // --- empty files, whitespace, line endings, encodings
    ("empty.tf", ""),
    ("whitespace.tf", "  \n\t\n\n"),
    (
        "comments_only.tf",
        "# hash\n// slashes\n/* block\n comment */\n",
    ),
    ("no_final_newline.tf", "a = 1"),
    ("crlf.tf", "variable \"a\" {\r\n  default = 1\r\n}\r\n"),
    ("crlf_heredoc.tf", "x = <<EOT\r\nline\r\nEOT\r\n"),
    ("bom.tf", "\u{feff}variable \"a\" {}\n"),
    (
        "tabs.tf",
        "variable \"a\" {\n\tdefault\t=\t{\n\t\tb\t= 1\n\t}\n}\n",
    ),
    ("cr_only.tf", "a = 1\rb = 2\r"),
    ("empty.tfvars", ""),
    ("bom.tfvars", "\u{feff}location = \"westeurope\"\n"),
    ("crlf.tfvars", "a = 1\r\nb = \"x\"\r\n"),
    // --- literals and numbers
    ("null_bool.tf", "a = null\nb = true\nc = false\n"),
    ("int.tf", "a = 42\n"),
    ("float.tf", "a = 3.25\n"),
    ("exp.tf", "a = 1e3\nb = 1E3\nc = 2.5e-3\nd = 4e+2\n"),
    ("negative.tf", "a = -1\nb = -0.5\nc = - 3\n"),
    ("leading_zeros.tf", "a = 007\n"),
    ("big_number.tf", "a = 123456789012345678901234567890\n"),
    ("zero_point.tf", "a = 0.0\n"),
    ("dot_number.tf", "a = .5\n"),
    ("trailing_dot_number.tf", "a = 1.\n"),
    ("exp_missing_digits.tf", "a = 1e\n"),
    ("hex_number.tf", "a = 0x1F\n"),
    // --- strings and templates
    (
        "escapes.tf",
        "a = \"tab\\there \\\"quoted\\\" back\\\\slash\\nnew\"\n",
    ),
    ("unicode_escapes.tf", "a = \"\\u00e9 \\U0001F600\"\n"),
    (
        "dollar_escape.tf",
        "a = \"$${not_interpolated} %%{not_a_directive}\"\n",
    ),
    ("lone_dollar.tf", "a = \"cost: $5, 100%\"\n"),
    ("invalid_escape.tf", "a = \"\\q\"\n"),
    ("unterminated_string.tf", "a = \"abc\n"),
    ("single_quotes.tf", "a = 'abc'\n"),
    ("interpolation.tf", "a = \"${var.name}-er\"\n"),
    ("interpolation_only.tf", "a = \"${var.name}\"\n"),
    (
        "nested_quotes.tf",
        "a = \"${join(\",\", [\"a\", \"b\"])}\"\n",
    ),
    ("nested_template.tf", "a = \"x${\"y${var.z}\"}\"\n"),
    (
        "if_directive.tf",
        "a = \"%{if var.x}yes%{else}no%{endif}\"\n",
    ),
    (
        "for_directive.tf",
        "a = \"%{for k, v in var.m}${k}=${v},%{endfor}\"\n",
    ),
    (
        "strip_markers.tf",
        "a = \"a  ${~ var.b ~}  c %{~ if true ~} d %{~ endif ~}\"\n",
    ),
    ("unclosed_interpolation.tf", "a = \"${var.x\"\n"),
    ("unclosed_if.tf", "a = \"%{if true}x\"\n"),
    ("endif_alone.tf", "a = \"%{endif}\"\n"),
    ("else_alone.tf", "a = \"%{else}\"\n"),
    ("empty_interpolation.tf", "a = \"${}\"\n"),
    ("raw_tab_in_string.tf", "a = \"a\tb\"\n"),
    // --- heredocs
    ("heredoc.tf", "a = <<EOT\nhello\nworld\nEOT\n"),
    (
        "heredoc_indented.tf",
        "a = <<-EOT\n    hello\n      world\n    EOT\n",
    ),
    (
        "heredoc_interpolation.tf",
        "a = <<EOT\nname: ${var.name}\n%{ if var.x }x%{ endif }\nEOT\n",
    ),
    ("heredoc_empty.tf", "a = <<EOT\nEOT\n"),
    (
        "heredoc_in_block.tf",
        "resource \"x\" \"y\" {\n  body = <<-JSON\n    {\"a\": 1}\n  JSON\n}\n",
    ),
    ("heredoc_unterminated.tf", "a = <<EOT\nhello\n"),
    ("heredoc_wrong_marker.tf", "a = <<EOT\nhello\nEND\n"),
    ("heredoc_same_line.tf", "a = <<EOT hello\nEOT\n"),
    (
        "heredoc_in_function.tf",
        "a = trimspace(<<EOT\n  x\nEOT\n)\n",
    ),
    (
        "heredoc_tfvars.tfvars",
        "script = <<EOT\n#!/bin/sh\necho ${x}\nEOT\n",
    ),
    // --- collections
    ("list_empty.tf", "a = []\n"),
    ("list_trailing_comma.tf", "a = [1, 2, 3,]\n"),
    ("list_multiline.tf", "a = [\n  1,\n  2\n]\n"),
    ("list_multiline_trailing.tf", "a = [\n  1,\n  2,\n]\n"),
    ("list_missing_comma.tf", "a = [1 2]\n"),
    ("list_newline_no_comma.tf", "a = [\n  1\n  2\n]\n"),
    ("list_unclosed.tf", "a = [1, 2\n"),
    ("list_double_comma.tf", "a = [1,, 2]\n"),
    ("object_empty.tf", "a = {}\n"),
    ("object_commas.tf", "a = { b = 1, c = 2 }\n"),
    ("object_trailing_comma.tf", "a = { b = 1, c = 2, }\n"),
    ("object_newlines.tf", "a = {\n  b = 1\n  c = 2\n}\n"),
    ("object_colons.tf", "a = { b: 1, c: 2 }\n"),
    (
        "object_quoted_keys.tf",
        "a = { \"b-c\" = 1, \"d e\" = 2 }\n",
    ),
    (
        "object_expr_keys.tf",
        "a = { (var.k) = 1, \"${var.p}-x\" = 2 }\n",
    ),
    ("object_number_key.tf", "a = { 1 = \"one\" }\n"),
    ("object_same_line_no_comma.tf", "a = { b = 1 c = 2 }\n"),
    ("object_unclosed.tf", "a = { b = 1\n"),
    ("object_value_on_next_line.tf", "a = {\n  b =\n    1\n}\n"),
    (
        "object_nested.tf",
        "a = { b = { c = { d = [1, { e = 2 }] } } }\n",
    ),
    ("object_block_inside.tf", "a = {\n  b {\n  }\n}\n"),
    // --- repeated keys and attributes
    (
        "repeated_key.tf",
        "locals {\n  tags = { team = \"a\", team = \"b\" }\n}\n",
    ),
    (
        "repeated_key_quoted.tf",
        "locals {\n  tags = { team = \"a\", \"team\" = \"b\" }\n}\n",
    ),
    (
        "repeated_key_multiline.tf",
        "locals {\n  tags = {\n    team = \"a\"\n    env  = \"x\"\n    team = \"b\"\n  }\n}\n",
    ),
    (
        "repeated_key_nested.tf",
        "locals {\n  a = { b = { c = 1, c = 2 }, b = { c = 3 } }\n}\n",
    ),
    (
        "repeated_key_expr.tf",
        "locals {\n  a = { (var.k) = 1, (var.k) = 2 }\n}\n",
    ),
    (
        "repeated_key.tfvars",
        "tags = {\n  team = \"a\"\n  team = \"b\"\n}\n",
    ),
    (
        "repeated_key_default.tf",
        "variable \"t\" {\n  type    = map(string)\n  default = { a = \"1\", a = \"2\" }\n}\n",
    ),
    (
        "repeated_key_optional_default.tf",
        "variable \"t\" {\n  type = object({\n    a = optional(map(string), { k = \"1\", k = \"2\" })\n  })\n}\n",
    ),
    ("repeated_attribute.tf", "a = 1\na = 2\n"),
    (
        "repeated_attribute_block.tf",
        "resource \"x\" \"y\" {\n  a = 1\n  a = 2\n}\n",
    ),
    (
        "repeated_attribute.tfvars",
        "location = \"westeurope\"\nlocation = \"northeurope\"\n",
    ),
    (
        "repeated_locals_blocks.tf",
        "locals {\n  a = 1\n}\nlocals {\n  b = 2\n}\n",
    ),
    (
        "repeated_type_attribute.tf",
        "variable \"t\" {\n  type = object({\n    a = string\n    a = number\n  })\n}\n",
    ),
    (
        "repeated_type_attribute_nested.tf",
        "variable \"t\" {\n  type = map(object({\n    name = string\n    opts = optional(object({ x = number, x = string }))\n  }))\n}\n",
    ),
    (
        "repeated_blocks.tf",
        "resource \"x\" \"y\" {\n  ingress {\n    a = 1\n  }\n  ingress {\n    a = 2\n  }\n}\n",
    ),
    // --- traversals, splats, indexes
    ("traversal.tf", "a = var.x.y.z\n"),
    (
        "index.tf",
        "a = var.x[0]\nb = var.m[\"k\"]\nc = var.l[var.i]\n",
    ),
    ("legacy_index.tf", "a = var.x.0.y\n"),
    ("splat_full.tf", "a = var.l[*].id\n"),
    ("splat_attr.tf", "a = var.l.*.id\n"),
    ("splat_nested.tf", "a = var.l[*].sub[0].name\n"),
    ("splat_bare.tf", "a = var.l[*]\n"),
    ("splat_unclosed.tf", "a = var.l[*\n"),
    ("index_unclosed.tf", "a = var.l[0\n"),
    ("traversal_trailing_dot.tf", "a = var.x.\n"),
    (
        "resource_ref.tf",
        "a = azurerm_express_route_circuit.main.id\nb = data.azurerm_client_config.current.tenant_id\n",
    ),
    (
        "self_count_each.tf",
        "resource \"x\" \"y\" {\n  count = 2\n  a     = count.index\n  b     = path.module\n  c     = terraform.workspace\n}\n",
    ),
    // --- operators and conditionals
    ("arithmetic.tf", "a = 1 + 2 * 3 - 4 / 2 % 3\n"),
    (
        "comparison.tf",
        "a = 1 < 2 && 2 <= 3 || 4 > 5 && 5 >= 6\nb = var.x == \"a\" != false\n",
    ),
    ("unary.tf", "a = !var.x\nb = -var.y\nc = !!true\n"),
    ("parentheses.tf", "a = (1 + 2) * (3 - (4 / 2))\n"),
    ("conditional.tf", "a = var.x ? \"yes\" : \"no\"\n"),
    (
        "conditional_nested.tf",
        "a = var.x ? var.y ? 1 : 2 : var.z ? 3 : 4\n",
    ),
    (
        "conditional_multiline.tf",
        "a = (\n  var.x\n  ? \"yes\"\n  : \"no\"\n)\n",
    ),
    ("conditional_missing_colon.tf", "a = var.x ? 1\n"),
    ("operator_dangling.tf", "a = 1 +\n"),
    ("operator_newline_in_parens.tf", "a = (1 +\n  2)\n"),
    ("double_operator.tf", "a = 1 * * 2\n"),
    (
        "long_boolean_chain.tf",
        "a = var.a == 1 || var.a == 2 || var.a == 3 || var.a == 4 || var.a == 5 || var.a == 6 || var.a == 7 || var.a == 8\n",
    ),
    // --- function calls
    ("call_no_args.tf", "a = timestamp()\n"),
    ("call_args.tf", "a = format(\"%s-%d\", var.n, 1)\n"),
    ("call_trailing_comma.tf", "a = max(1, 2, 3,)\n"),
    ("call_multiline.tf", "a = merge(\n  var.a,\n  var.b,\n)\n"),
    ("call_expand.tf", "a = max(var.list...)\n"),
    (
        "call_nested.tf",
        "a = lower(replace(trimspace(var.x), \"_\", \"-\"))\n",
    ),
    (
        "call_provider_function.tf",
        "a = provider::azurerm::normalise_resource_id(var.id)\n",
    ),
    (
        "call_provider_function_nested.tf",
        "a = upper(provider::assert::valid_ip(var.ip) ? \"ok\" : \"bad\")\n",
    ),
    ("call_unclosed.tf", "a = max(1, 2\n"),
    ("call_missing_comma.tf", "a = max(1 2)\n"),
    ("call_namespace_partial.tf", "a = provider::azurerm(1)\n"),
    (
        "try_can.tf",
        "a = try(var.x.y, null)\nb = can(regex(\"^a\", var.s))\n",
    ),
    // --- for expressions
    ("for_list.tf", "a = [for x in var.l : upper(x)]\n"),
    (
        "for_list_index.tf",
        "a = [for i, x in var.l : \"${i}:${x}\" if i > 0]\n",
    ),
    ("for_object.tf", "a = { for k, v in var.m : k => v.id }\n"),
    (
        "for_object_grouping.tf",
        "a = { for v in var.l : v.group => v.name... }\n",
    ),
    (
        "for_object_grouping_if.tf",
        "a = { for v in var.l : v.group => v.name... if v.enabled }\n",
    ),
    (
        "for_nested.tf",
        "a = flatten([for k, v in var.m : [for s in v.subnets : { key = k, subnet = s }]])\n",
    ),
    (
        "for_nested_object.tf",
        "a = { for k, v in var.m : k => { for s in v : s.name => s } }\n",
    ),
    (
        "for_multiline.tf",
        "a = [\n  for x in var.l :\n  x\n  if x != \"\"\n]\n",
    ),
    ("for_missing_colon.tf", "a = [for x in var.l x]\n"),
    (
        "for_object_missing_arrow.tf",
        "a = { for k, v in var.m : k }\n",
    ),
    (
        "for_list_with_arrow.tf",
        "a = [for k, v in var.m : k => v]\n",
    ),
    ("for_missing_in.tf", "a = [for x var.l : x]\n"),
    // --- blocks
    (
        "resource.tf",
        "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n",
    ),
    ("data.tf", "data \"azurerm_client_config\" \"current\" {}\n"),
    (
        "variable_full.tf",
        "variable \"v\" {\n  type        = list(object({ a = string, b = optional(number, 1) }))\n  description = \"d\"\n  default     = []\n  sensitive   = false\n  nullable    = false\n  ephemeral   = false\n  validation {\n    condition     = length(var.v) > 0\n    error_message = \"Must not be empty.\"\n  }\n}\n",
    ),
    (
        "output.tf",
        "output \"o\" {\n  value       = 1\n  sensitive   = true\n  description = \"x\"\n  depends_on  = [azurerm_resource_group.rg]\n}\n",
    ),
    (
        "module.tf",
        "module \"m\" {\n  source   = \"./modules/m\"\n  for_each = toset([\"a\"])\n  providers = {\n    azurerm = azurerm.hub\n  }\n  name = each.key\n}\n",
    ),
    (
        "provider.tf",
        "provider \"azurerm\" {\n  features {}\n  alias           = \"hub\"\n  subscription_id = \"00000000-0000-0000-0000-000000000000\"\n}\n",
    ),
    (
        "terraform_block.tf",
        "terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      version = \"~> 4.0\"\n    }\n  }\n}\n",
    ),
    (
        "terraform_cloud.tf",
        "terraform {\n  cloud {\n    organization = \"org\"\n    workspaces {\n      tags = [\"er\"]\n    }\n  }\n}\n",
    ),
    (
        "terraform_backend.tf",
        "terraform {\n  backend \"azurerm\" {\n    key = \"er.tfstate\"\n  }\n}\n",
    ),
    (
        "moved.tf",
        "moved {\n  from = azurerm_resource_group.old\n  to   = azurerm_resource_group.new\n}\n",
    ),
    (
        "import.tf",
        "import {\n  to = azurerm_resource_group.rg\n  id = \"/subscriptions/x/resourceGroups/rg\"\n}\n",
    ),
    (
        "import_for_each.tf",
        "import {\n  for_each = var.ids\n  to       = azurerm_resource_group.rg[each.key]\n  id       = each.value\n}\n",
    ),
    (
        "removed.tf",
        "removed {\n  from = azurerm_resource_group.old\n  lifecycle {\n    destroy = false\n  }\n}\n",
    ),
    (
        "check.tf",
        "check \"health\" {\n  data \"http\" \"h\" {\n    url = \"https://example.com\"\n  }\n  assert {\n    condition     = data.http.h.status_code == 200\n    error_message = \"down\"\n  }\n}\n",
    ),
    (
        "ephemeral.tf",
        "ephemeral \"azurerm_key_vault_secret\" \"s\" {\n  name         = \"k\"\n  key_vault_id = var.kv\n}\n",
    ),
    (
        "lifecycle.tf",
        "resource \"x\" \"y\" {\n  lifecycle {\n    create_before_destroy = true\n    ignore_changes        = [tags]\n    precondition {\n      condition     = var.ok\n      error_message = \"no\"\n    }\n  }\n}\n",
    ),
    (
        "dynamic_block.tf",
        "resource \"x\" \"y\" {\n  dynamic \"peering\" {\n    for_each = var.peerings\n    iterator = p\n    content {\n      vlan_id = p.value.vlan\n    }\n  }\n}\n",
    ),
    ("block_one_line.tf", "resource \"x\" \"y\" { a = 1 }\n"),
    ("block_one_line_empty.tf", "resource \"x\" \"y\" {}\n"),
    ("block_ident_labels.tf", "resource x y {\n  a = 1\n}\n"),
    ("block_no_labels.tf", "locals {\n}\n"),
    (
        "block_nested_deep.tf",
        "a {\n  b {\n    c {\n      d {\n        e = 1\n      }\n    }\n  }\n}\n",
    ),
    ("block_unclosed.tf", "resource \"x\" \"y\" {\n  a = 1\n"),
    ("block_stray_brace.tf", "a = 1\n}\n"),
    (
        "block_with_equals.tf",
        "resource \"x\" \"y\" = {\n  a = 1\n}\n",
    ),
    ("block_no_body.tf", "resource \"x\" \"y\"\n"),
    (
        "block_two_attrs_one_line.tf",
        "resource \"x\" \"y\" { a = 1 b = 2 }\n",
    ),
    (
        "block_one_line_nested.tf",
        "resource \"x\" \"y\" { b { c = 1 } }\n",
    ),
    ("block_label_number.tf", "resource 1 \"y\" {}\n"),
    ("attribute_no_value.tf", "a =\n"),
    ("attribute_two_values.tf", "a = 1 2\n"),
    ("attribute_two_on_line.tf", "a = 1 b = 2\n"),
    ("attribute_semicolon.tf", "a = 1;\n"),
    ("attribute_dotted_name.tf", "a.b = 1\n"),
    ("attribute_number_name.tf", "1a = 1\n"),
    ("attribute_keyword_names.tf", "for = 1\nin = 2\nif = 3\n"),
    ("attribute_dash_name.tf", "my-attr = 1\n"),
    ("invalid_character.tf", "a = @x\n"),
    // --- comments everywhere
    (
        "comment_after_value.tf",
        "a = 1 # one\nb = 2 // two\nc = 3 /* three */\n",
    ),
    (
        "comment_in_list.tf",
        "a = [\n  1, # first\n  // between\n  2, /* inline */ 3\n]\n",
    ),
    (
        "comment_in_object.tf",
        "a = {\n  # before\n  b = 1 # after\n  /* block */ c = 2\n  // last\n}\n",
    ),
    (
        "comment_in_call.tf",
        "a = max(\n  1, # one\n  2 /* two */,\n  // three\n  3\n)\n",
    ),
    (
        "comment_in_block_header.tf",
        "resource \"x\" /* label */ \"y\" {\n  a = 1\n}\n",
    ),
    (
        "comment_before_close.tf",
        "resource \"x\" \"y\" {\n  a = 1\n  # end\n}\n",
    ),
    (
        "comment_in_for.tf",
        "a = [\n  for x in var.l : # each\n  x\n]\n",
    ),
    (
        "comment_in_conditional.tf",
        "a = (\n  var.x # cond\n  ? 1 # yes\n  : 2 # no\n)\n",
    ),
    ("comment_inline_expr.tf", "a = 1 + /* two */ 2\n"),
    ("comment_unclosed.tf", "a = 1 /* never closed\n"),
    ("comment_in_template.tf", "a = \"${ 1 /* c */ + 2 }\"\n"),
    (
        "comment_hash_in_string.tf",
        "a = \"# not a comment // nor this\"\n",
    ),
    (
        "comment_tfvars.tfvars",
        "# settings\nlocation = \"westeurope\" # main\n/* extra */\n",
    ),
    // --- unicode
    ("unicode_strings.tf", "a = \"Zürich – 東京 – 🚀\"\n"),
    ("unicode_ident.tf", "café = 1\nnaïve_value = 2\n"),
    ("unicode_label.tf", "resource \"x\" \"größe\" {}\n"),
    ("unicode_object_key.tf", "a = { ключ = 1, \"キー\" = 2 }\n"),
    ("unicode_comment.tf", "# Überprüfung ✓\na = 1\n"),
    ("unicode_ident_start_digit.tf", "a = { 1ключ = 1 }\n"),
    // --- more edges of the native syntax
    (
        "else_if_directive.tf",
        "a = \"%{ if var.a }x%{ else if var.b }y%{ endif }\"\n",
    ),
    ("expand_not_last.tf", "a = max(var.a..., 1)\n"),
    ("heredoc_marker_trailing_space.tf", "a = <<EOT   \nx\nEOT\n"),
    ("comment_at_eof_no_newline.tf", "a = 1\n# last"),
    ("attribute_literal_names.tf", "true = 1\nnull = 2\n"),
    ("for_list_grouping.tf", "a = [for x in var.l : x...]\n"),
    (
        "for_empty_condition.tf",
        "a = { for k, v in var.m : k => v if }\n",
    ),
    (
        "template_strip_for.tf",
        "a = \"${var.a}${var.b}%{for x in var.l~} ${x} %{~endfor}\"\n",
    ),
    ("splat_then_index.tf", "a = var.l[*][0]\nb = var.l.*.b[0]\n"),
    ("heredoc_escapes.tf", "a = <<EOT\n$${x} %%{y}\nEOT\n"),
    ("object_comma_newline.tf", "a = { b = 1,\n  c = 2 }\n"),
    ("object_leading_comma.tf", "a = {b = 1\n, c = 2}\n"),
    ("escape_braced_unicode.tf", "a = \"\\u{1F600}\"\n"),
    ("escape_surrogate.tf", "a = \"\\ud800\"\n"),
    ("trailing_blank_lines.tf", "a = 1\n\n\n\n"),
    ("exp_missing_digits_after_fraction.tf", "a = 1.5e\n"),
    ("number_underscore.tf", "a = 1_000\n"),
    ("unary_then_newline.tf", "a = -\n1\n"),
    ("parens_multiline.tf", "a = (\n  1\n)\n"),
    ("list_leading_comma.tf", "a = [\n  1\n  , 2]\n"),
    ("conditional_break_after_colon.tf", "a = var.x ? 1 :\n2\n"),
    (
        "conditional_break_before_question.tf",
        "a = var.x\n? 1 : 2\n",
    ),
    (
        "block_close_after_attribute.tf",
        "resource \"a\" \"b\" {\n  a = 1 }\n",
    ),
    (
        "block_one_line_then_newline.tf",
        "resource \"a\" \"b\" { a = 1\n}\n",
    ),
    ("block_double_close.tf", "resource \"a\" \"b\" {\n}}\n"),
    ("attribute_after_string.tf", "a = \"x\"b = 1\n"),
    ("template_brace_in_string.tf", "a = \"${\"}\"}\"\n"),
    (
        "heredoc_in_interpolation.tf",
        "a = <<EOT\n${<<INNER\nx\nINNER\n}\nEOT\n",
    ),
    ("number_two_dots.tf", "a = 0.0.0\n"),
    ("index_multiline.tf", "a = var.x[\n  0\n]\n"),
    ("traversal_dot_newline.tf", "a = var.x.\ny\n"),
    ("call_other_namespace.tf", "a = foo::bar()\n"),
    (
        "call_provider_function_deep.tf",
        "a = provider::a::b::c()\n",
    ),
    ("provider_function_no_call.tf", "a = provider::a::b\n"),
    // --- traversal operators and numbers as HCL scans them
    ("splat_attr_nested.tf", "a = var.x.*.y.*.z\n"),
    ("splat_full_twice.tf", "a = var.x[*].y[*].z\n"),
    ("splat_attr_then_full.tf", "a = var.x.*.y[*]\n"),
    ("splat_full_full.tf", "a = var.x[*][*]\n"),
    (
        "traversal_dot_newline_in_object.tf",
        "a = { b = var.x.\n  y }\n",
    ),
    (
        "traversal_dot_newline_in_template.tf",
        "a = \"${var.x.\ny}\"\n",
    ),
    (
        "traversal_dot_newline_in_for.tf",
        "a = [for x in var.l : x.\n  y]\n",
    ),
    ("traversal_dot_newline_in_call.tf", "a = max(var.x.\n  y)\n"),
    ("traversal_newline_dot_in_parens.tf", "a = (var.x\n  .y)\n"),
    ("traversal_newline_dot_in_list.tf", "a = [var.x\n  .y]\n"),
    ("legacy_index_after_newline.tf", "a = var.x.\n0\n"),
    (
        "legacy_index_after_newline_in_parens.tf",
        "a = (var.x.\n0)\n",
    ),
    ("splat_after_newline.tf", "a = var.x[\n*]\n"),
    ("attr_splat_after_newline.tf", "a = var.x.\n*\n"),
    ("splat_after_newline_in_parens.tf", "a = (var.x[\n*])\n"),
    ("splat_full_then_attr.tf", "a = var.x[*].y.*\n"),
    ("splat_attr_then_index.tf", "a = var.x.*[0]\n"),
    ("splat_attr_then_index_then_attr.tf", "a = var.x.*[0].*\n"),
    ("splat_attr_twice.tf", "a = var.x.*.*\n"),
    ("splat_attr_after_parens.tf", "a = (var.x.*).*\n"),
    ("splat_attr_legacy_index_attr.tf", "a = var.x.*.0.*\n"),
    ("legacy_index_then_attr.tf", "a = var.x.0.y\n"),
    ("legacy_index_chained_space_before.tf", "a = var.x .0.1\n"),
    ("legacy_index_space_between.tf", "a = var.x.0 .1\n"),
    ("legacy_index_chained_in_parens.tf", "a = (var.x.0.0)\n"),
    ("legacy_index_exponent.tf", "a = var.x.1e3\n"),
    ("legacy_index_exponent_sign.tf", "a = var.x.1e+3.y\n"),
    ("legacy_index_bad_exponent.tf", "a = var.x.0e\n"),
    ("legacy_index_leading_zeros.tf", "a = var.x.00\n"),
    ("legacy_index_letters.tf", "a = var.x.0x\n"),
    ("number_space_then_dot.tf", "a = 1.5 .2\n"),
    ("number_negative_two_dots.tf", "a = -1.0.0\n"),
    ("number_then_attr.tf", "a = 1.0.a\n"),
    ("number_exponent_then_dot.tf", "a = 1.5e3.2\n"),
    ("number_two_dots_in_list.tf", "a = [1.0.0]\n"),
    ("number_dot_exponent.tf", "a = 1.e3\n"),
    ("index_then_legacy_index.tf", "a = var.x[0].1\n"),
    ("parens_then_legacy_index.tf", "a = (1).2\n"),
    ("number_attr.tf", "a = 1.a\n"),
    (
        "legacy_index_after_newline_in_template.tf",
        "a = \"${var.x.\n0}\"\n",
    ),
    (
        "traversal_dot_newline_in_heredoc.tf",
        "a = <<EOT\n${var.x.\ny}\nEOT\n",
    ),
    (
        "splat_spaces.tf",
        "a = var.x. *\nb = var.x[ * ]\nc = var .x\n",
    ),
    // --- tfvars
    (
        "values.tfvars",
        "location = \"westeurope\"\nbandwidth = 200\nenabled = true\npeerings = {\n  private = { vlan = 100 }\n}\nprefixes = [\"10.0.0.0/30\", \"10.0.0.4/30\"]\n",
    ),
    ("expression.tfvars", "name = \"er-${upper(\"x\")}\"\n"),
    ("block.tfvars", "peering {\n  vlan = 100\n}\n"),
    ("broken.tfvars", "location = \n"),
    // --- Terraform JSON syntax
    ("empty_object.tf.json", "{}"),
    (
        "root_array.tf.json",
        "[{\"locals\": {\"a\": 1}}, {\"locals\": {\"b\": 2}}]",
    ),
    ("root_array_empty.tf.json", "[]"),
    (
        "resource.tf.json",
        "{\n  \"resource\": {\n    \"azurerm_resource_group\": {\n      \"rg\": {\n        \"name\": \"rg-${var.env}\",\n        \"location\": \"westeurope\"\n      }\n    }\n  }\n}\n",
    ),
    (
        "variable.tf.json",
        "{\"variable\": {\"v\": {\"type\": \"object({a = string, b = optional(number, 1)})\", \"default\": {\"a\": \"x\"}}}}",
    ),
    (
        "comment_property.tf.json",
        "{\"//\": \"a comment\", \"locals\": {\"//\": \"another\", \"a\": 1}}",
    ),
    (
        "duplicate_keys.tf.json",
        "{\"locals\": {\"a\": 1}, \"locals\": {\"b\": 2}}",
    ),
    (
        "unicode_escapes.tf.json",
        "{\"locals\": {\"a\": \"\\u00e9\\ud83d\\ude80\\n\\t\\\"\"}}",
    ),
    (
        "lone_surrogate.tf.json",
        "{\"locals\": {\"a\": \"\\ud800\"}}",
    ),
    (
        "numbers.tf.json",
        "{\"locals\": {\"a\": 1, \"b\": -0.5, \"c\": 1e3, \"d\": 2.5E-3, \"e\": 123456789012345678901234567890}}",
    ),
    (
        "crlf.tf.json",
        "{\r\n  \"locals\": {\r\n    \"a\": 1\r\n  }\r\n}\r\n",
    ),
    (
        "whitespace_tabs.tf.json",
        "{\n\t\"locals\":\t{\"a\": 1}\n}\n",
    ),
    ("empty.tf.json", ""),
    ("whitespace.tf.json", "  \n"),
    ("scalar_root.tf.json", "\"locals\""),
    ("null_root.tf.json", "null"),
    ("trailing_comma.tf.json", "{\"locals\": {\"a\": 1,}}"),
    (
        "array_trailing_comma.tf.json",
        "{\"locals\": {\"a\": [1, 2,]}}",
    ),
    (
        "line_comment.tf.json",
        "// comment\n{\"locals\": {\"a\": 1}}",
    ),
    ("block_comment.tf.json", "{\"locals\": /* c */ {\"a\": 1}}"),
    ("single_quotes.tf.json", "{'locals': {}}"),
    ("unquoted_key.tf.json", "{locals: {}}"),
    ("bom.tf.json", "\u{feff}{\"locals\": {\"a\": 1}}"),
    (
        "raw_newline_in_string.tf.json",
        "{\"locals\": {\"a\": \"x\ny\"}}",
    ),
    (
        "raw_tab_in_string.tf.json",
        "{\"locals\": {\"a\": \"x\ty\"}}",
    ),
    ("nan.tf.json", "{\"locals\": {\"a\": NaN}}"),
    ("leading_zero.tf.json", "{\"locals\": {\"a\": 01}}"),
    ("plus_number.tf.json", "{\"locals\": {\"a\": +1}}"),
    ("dot_number.tf.json", "{\"locals\": {\"a\": .5}}"),
    ("hex_number.tf.json", "{\"locals\": {\"a\": 0x10}}"),
    ("missing_comma.tf.json", "{\"locals\": {\"a\": 1 \"b\": 2}}"),
    ("unclosed.tf.json", "{\"locals\": {\"a\": 1}"),
    ("extra_value.tf.json", "{\"locals\": {}} {}"),
    ("invalid_escape.tf.json", "{\"locals\": {\"a\": \"\\q\"}}"),
    ("true_uppercase.tf.json", "{\"locals\": {\"a\": True}}"),
    (
        "values.tfvars.json",
        "{\"location\": \"westeurope\", \"bandwidth\": 200, \"peerings\": {\"private\": {\"vlan\": 100}}}",
    ),
    ("empty.tfvars.json", ""),
    ("trailing_comma.tfvars.json", "{\"a\": 1,}"),
    ("bom.tfvars.json", "\u{feff}{\"a\": 1}"),
    ("duplicate_keys.tfvars.json", "{\"a\": 1, \"a\": 2}"),
    ("root_array.tfvars.json", "[{\"a\": 1}]"),
];

/// Cases too long to write out: long lines, deep but realistic nesting, many items.
pub fn generated() -> Vec<(String, String)> {
    let mut out = Vec::new();
    out.push((
        "long_string_line.tf".to_string(),
        format!("a = \"{}\"\n", "x".repeat(20_000)),
    ));
    let items: Vec<String> = (0..3000)
        .map(|i| format!("\"10.{}.{}.0/30\"", i / 256, i % 256))
        .collect();
    out.push((
        "long_list_line.tf".to_string(),
        format!("a = [{}]\n", items.join(", ")),
    ));
    let keys: Vec<String> = (0..2000).map(|i| format!("k{i} = {i}")).collect();
    out.push((
        "long_object_line.tfvars".to_string(),
        format!("m = {{ {} }}\n", keys.join(", ")),
    ));
    out.push((
        "nested_lists_20.tf".to_string(),
        format!("a = {}1{}\n", "[".repeat(20), "]".repeat(20)),
    ));
    // erlint reads 256 levels (see the module docs; the attribute's own list does not
    // count): the deepest it reads.
    out.push((
        "nested_lists_256.tf".to_string(),
        format!("a = {}1{}\n", "[".repeat(256), "]".repeat(256)),
    ));
    // 250 comparisons joined by `||`: 499 chained operators, within erlint's 512.
    let chain: Vec<String> = (0..250).map(|i| format!("var.a == {i}")).collect();
    out.push((
        "long_boolean_chain_250.tf".to_string(),
        format!(
            "variable \"a\" {{\n  validation {{\n    condition     = {}\n    error_message = \"no\"\n  }}\n}}\n",
            chain.join(" || ")
        ),
    ));
    out.push((
        "nested_objects_20.tf".to_string(),
        format!("a = {}1{}\n", "{ b = ".repeat(20), " }".repeat(20)),
    ));
    out.push((
        "nested_calls_20.tf".to_string(),
        format!("a = {}1{}\n", "abs(".repeat(20), ")".repeat(20)),
    ));
    let mut blocks = String::new();
    for i in 0..12 {
        blocks.push_str(&format!("{}b{i} {{\n", "  ".repeat(i)));
    }
    for i in (0..12).rev() {
        blocks.push_str(&format!("{}}}\n", "  ".repeat(i)));
    }
    out.push(("nested_blocks_12.tf".to_string(), blocks));
    let many: String = (0..500)
        .map(|i| {
            format!("resource \"azurerm_resource_group\" \"rg{i}\" {{\n  name = \"rg{i}\"\n}}\n")
        })
        .collect();
    out.push(("many_blocks.tf".to_string(), many));
    out.push((
        "long_tf_json_line.tf.json".to_string(),
        format!(
            "{{\"locals\": {{{}}}}}",
            (0..2000)
                .map(|i| format!("\"k{i}\": {i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    out
}

// The reference side of erlint's differential parse test (tests/parse_diff.rs).
//
// Reads a JSON array of file paths on stdin and prints a JSON array of
// {"path", "ok", "message"}: whether Terraform's parser accepts the file.
//
// - `.tf` and `.tfvars`: HashiCorp's HCL native-syntax parser (hclsyntax, Go, compiled to
//   WebAssembly in @cdktf/hcl2json). `parse` rejects exactly the files hclsyntax reports
//   an error for; it also converts the body to JSON, which cannot fail on a parsed body.
// - `.tf.json` and `.tfvars.json`: HCL's JSON parser (hashicorp/hcl json/parser.go) reads
//   RFC 8259 JSON, validating strings and numbers with Go's encoding/json, with no byte
//   order mark, comments or trailing commas, and requires the root to be an object or an
//   array (json/public.go). JSON.parse implements the same grammar; the root rule is
//   checked here. @cdktf/hcl2json itself reads `.tf.json` files with JSON.parse.
// - A file that is not UTF-8 is rejected: hclsyntax reports "Invalid character encoding".
//   (HCL's JSON parser tolerates invalid UTF-8 inside a string, where Go's encoding/json
//   substitutes U+FFFD; erlint reports any file that is not UTF-8, ER002. No compared
//   file has that case.)
"use strict";
const fs = require("fs");
const hcl2json = require("@cdktf/hcl2json");

function hclJson(text) {
  const value = JSON.parse(text);
  if (value === null || typeof value !== "object") {
    throw new Error("Root value must be object");
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

async function check(path) {
  try {
    const text = utf8.decode(fs.readFileSync(path));
    if (path.endsWith(".json")) {
      hclJson(text);
    } else {
      await hcl2json.parse(path, text);
    }
    return { path, ok: true, message: "" };
  } catch (e) {
    return { path, ok: false, message: String(e && e.message ? e.message : e) };
  }
}

async function main() {
  const paths = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = [];
  for (const p of paths) {
    out.push(await check(p));
  }
  // The Go runtime keeps the event loop alive: exit once the output is flushed (a pipe
  // takes it in chunks).
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(2);
});

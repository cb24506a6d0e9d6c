//! `erlint server` driven by a scripted client over stdio, as an editor drives it:
//! initialize → didOpen (an unsaved buffer: the file on disk differs) → diagnostics →
//! didChange → diagnostics cleared → completion → hover → code actions → shutdown/exit;
//! malformed messages, unknown methods and files outside the workspace get LSP errors;
//! `.erlint.toml` is honoured and reloaded when it changes.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a loaded machine.
const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    /// Messages read but not yet asked for.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("erlint"))
            .arg("server")
            .current_dir(dir)
            .env_remove("ERLINT_CONFIG")
            .env_remove("ARM_ENVIRONMENT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = Some(v.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                r.read_exact(&mut body).unwrap();
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                assert_eq!(v["jsonrpc"], "2.0");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            backlog: Vec::new(),
            next_id: 0,
        }
    }

    fn raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        self.raw(&v.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (the whole message: `result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })
    }

    /// The first message (kept or to come) that `want` accepts.
    fn wait_for(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&want) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            match self
                .rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(m) if want(&m) => return m,
                Ok(m) => self.backlog.push(m),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {WAIT:?}; received: {:#?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "the server ended before {what}; received: {:#?}",
                        self.backlog
                    )
                }
            }
        }
    }

    /// The next diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait_for(&format!("diagnostics for {uri} v{version:?}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "infra"}],
                "capabilities": {
                    "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}},
                    "general": {"positionEncodings": ["utf-16"]}
                }
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// shutdown, exit: the exit status.
    fn stop(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    (dir, root)
}

/// 0-based line and UTF-16 column of the first `needle` (+ `plus` bytes) in `text`.
fn pos(text: &str, needle: &str, plus: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle}")) + plus;
    let line = text[..at].matches('\n').count();
    let col = text[..at]
        .rsplit('\n')
        .next()
        .unwrap()
        .encode_utf16()
        .count();
    json!({"line": line, "character": col})
}

const CIRCUIT: &str = r#"terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = "3f1c2a9e-8d4b-4c6a-9e2f-1a2b3c4d5e6f"
}

resource "azurerm_resource_group" "er" {
  name     = "rg-er"
  location = "westeurope"
}

resource "azurerm_express_route_circuit" "main" {
  name                  = "erc-weu-01"
  resource_group_name   = azurerm_resource_group.er.name
  location              = azurerm_resource_group.er.location
  service_provider_name = "Equinix"
  peering_location      = "Amsterdam"
  bandwidth_in_mbps     = 1000

  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}
"#;

const PEERING_HEADER: &str = r#"resource "azurerm_express_route_circuit_peering" "private" {"#;

fn peering(secondary: Option<&str>) -> String {
    let secondary = secondary
        .map(|s| format!("  secondary_peer_address_prefix = \"{s}\"\n"))
        .unwrap_or_default();
    format!(
        r#"{CIRCUIT}
{PEERING_HEADER}
  peering_type                = "AzurePrivatePeering"
  express_route_circuit_name  = azurerm_express_route_circuit.main.name
  resource_group_name         = azurerm_resource_group.er.name
  peer_asn                    = 65010
  primary_peer_address_prefix = "172.16.40.0/30"
{secondary}  vlan_id                     = 100
}}
"#
    )
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn an_editor_session() {
    let (_dir, root) = workspace();
    let main = root.join("main.tf");
    // On disk: the circuit only. The buffer adds the peering (unsaved).
    std::fs::write(&main, CIRCUIT).unwrap();
    let main_uri = uri(&main);
    let mut c = Client::start(&root);

    let init = c.initialize(&root);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full");
    assert_eq!(init["result"]["serverInfo"]["name"], "erlint");

    // didOpen: a peering with one session → ER301 at its block header (labels, without
    // the brace).
    let v1 = peering(None);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main_uri, "languageId": "terraform", "version": 1, "text": v1}}),
    );
    let diags = c.diagnostics(&main_uri, Some(1));
    assert_eq!(codes(&diags), ["ER301"], "{diags:#?}");
    let d = &diags[0];
    assert_eq!(
        d["range"],
        json!({"start": pos(&v1, PEERING_HEADER, 0), "end": pos(&v1, PEERING_HEADER, PEERING_HEADER.len() - 2)})
    );
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "erlint");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/rules/ER301.md")
    );
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with("IPv4 peering has one BGP session"),
        "{message}"
    );
    assert!(message.contains("\nhelp: "), "{message}");
    let related = d["relatedInformation"].as_array().unwrap();
    assert!(
        related
            .iter()
            .any(|r| r["location"]["uri"] == main_uri.as_str()
                && r["location"]["range"]["start"] == pos(&v1, "\"172.16.40.0/30\"", 0)),
        "{related:#?}"
    );

    // didChange: the secondary prefix is added → cleared.
    let v2 = peering(Some("172.16.40.4/30"));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": v2}]}),
    );
    assert_eq!(c.diagnostics(&main_uri, Some(2)), Vec::<Value>::new());

    // Completion in `peering_location` after `service_provider_name = "Equinix"`:
    // Equinix's locations in the public cloud (the provider block's default), no others.
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": main_uri}, "position": pos(&v2, "\"Amsterdam\"", 1)}),
    );
    let items = r["result"]["items"].as_array().unwrap();
    let got: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    let catalog = erlint::catalog::Catalog::bundled();
    let equinix = catalog.partner("Equinix").unwrap();
    let want: std::collections::BTreeSet<&str> = equinix
        .locations_in(erlint::catalog::Cloud::Global)
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(got, want);
    assert!(got.contains("Amsterdam") && got.contains("Silicon Valley"));
    let elsewhere = catalog
        .locations()
        .iter()
        .find(|l| !l.partners.iter().any(|p| p == "Equinix"))
        .unwrap();
    assert!(!got.contains(elsewhere.name.as_str()), "{}", elsewhere.name);
    let edit = &items[0]["textEdit"];
    assert_eq!(
        edit["range"],
        json!({"start": pos(&v2, "Amsterdam\"", 0), "end": pos(&v2, "Amsterdam\"", 9)}),
        "the edit replaces the string's content"
    );

    // Hover on the provider: what the catalogue knows.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": pos(&v2, "\"Equinix\"", 3)}),
    );
    let hover = &r["result"];
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**Equinix**: ExpressRoute connectivity partner and cloud exchange"),
        "{text}"
    );
    assert!(
        text.contains("Amsterdam") && text.contains("Azure US Government"),
        "{text}"
    );
    assert_eq!(
        hover["range"],
        json!({"start": pos(&v2, "\"Equinix\"", 0), "end": pos(&v2, "\"Equinix\"", 9)})
    );

    // A host-bits prefix: ER304 with its fix as a quick fix, and a suppression.
    let v3 = peering(Some("172.16.40.5/30"));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 3}, "contentChanges": [{"text": v3}]}),
    );
    let diags = c.diagnostics(&main_uri, Some(3));
    assert_eq!(codes(&diags), ["ER304"], "{diags:#?}");
    let value = json!({"start": pos(&v3, "\"172.16.40.5/30\"", 0), "end": pos(&v3, "\"172.16.40.5/30\"", 16)});
    assert_eq!(diags[0]["range"], value);
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main_uri}, "range": value,
               "context": {"diagnostics": diags, "only": ["quickfix"]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert!(
        fix["title"].as_str().unwrap().contains("172.16.40.4/30"),
        "{fix}"
    );
    assert_eq!(
        fix["edit"]["changes"][main_uri.as_str()],
        json!([{"range": value, "newText": "\"172.16.40.4/30\""}])
    );
    let suppress = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress ER304"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let line = pos(&v3, "  secondary_peer_address_prefix", 0);
    assert_eq!(
        suppress["edit"]["changes"][main_uri.as_str()],
        json!([{"range": {"start": line, "end": line}, "newText": "  # erlint-ignore: ER304 \n"}])
    );
    // The suppression, applied: ER304 is hidden, and ER003 asks for the reason; with
    // one, nothing is left.
    let at = v3.find("  secondary_peer_address_prefix").unwrap();
    let v4 = format!("{}  # erlint-ignore: ER304 \n{}", &v3[..at], &v3[at..]);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 4}, "contentChanges": [{"text": v4}]}),
    );
    let diags = c.diagnostics(&main_uri, Some(4));
    assert_eq!(codes(&diags), ["ER003"], "{diags:#?}");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("gives no reason")
    );
    let v5 = v4.replace("ER304 \n", "ER304 the provider assigned this /30\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 5}, "contentChanges": [{"text": v5}]}),
    );
    assert_eq!(c.diagnostics(&main_uri, Some(5)), Vec::<Value>::new());

    // A range without a finding: nothing.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main_uri},
               "range": {"start": pos(&v3, "terraform", 0), "end": pos(&v3, "terraform", 0)},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(r["result"], json!([]));

    // Errors, never a crash: a body that is not JSON, an unknown method, a message that
    // is no request, a request with the wrong params, a file outside the workspace.
    c.raw("{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    let e = c.wait_for("the parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(e["id"], Value::Null);
    let e = c.request("textDocument/definition", json!({}));
    assert_eq!(e["error"]["code"], -32601, "{e}");
    c.send(json!({"jsonrpc": "2.0", "id": 500}));
    let e = c.wait_for("the invalid request", |m| m["id"] == 500);
    assert_eq!(e["error"]["code"], -32600, "{e}");
    let e = c.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(e["error"]["code"], -32602, "{e}");
    let (_other, outside) = workspace();
    let outside_file = outside.join("main.tf");
    std::fs::write(&outside_file, peering(None)).unwrap();
    let outside_uri = uri(&outside_file);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": outside_uri, "languageId": "terraform", "version": 1, "text": peering(None)}}),
    );
    let log = c.wait_for("the log message", |m| m["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("outside the workspace"),
        "{log}"
    );
    let e = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": outside_uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(e["error"]["code"], -32803, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("outside the workspace"),
        "{e}"
    );
    let e = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(e["error"]["code"], -32803, "{e}");
    // Nothing was published for the file outside.
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["params"]["uri"] == outside_uri.as_str()),
        "{:#?}",
        c.backlog
    );
    // Still serving.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": pos(&v3, "\"Amsterdam\"", 2)}),
    );
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("peering location"),
        "{r}"
    );

    assert_eq!(c.stop(), Some(0));
}

/// Completion lists the names of the cloud the provider block targets.
#[test]
fn completion_in_the_configured_cloud() {
    let (_dir, root) = workspace();
    let text = CIRCUIT.replace(
        "  features {}\n",
        "  features {}\n  environment = \"usgovernment\"\n",
    );
    let main = root.join("main.tf");
    std::fs::write(&main, &text).unwrap();
    let mut c = Client::start(&root);
    c.initialize(&root);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&main), "languageId": "terraform", "version": 1, "text": text}}),
    );
    c.diagnostics(&uri(&main), Some(1));
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(&main)}, "position": pos(&text, "\"Amsterdam\"", 1)}),
    );
    let got: Vec<&str> = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    let want = erlint::catalog::Catalog::bundled()
        .partner("Equinix")
        .unwrap()
        .locations_in(erlint::catalog::Cloud::UsGovernment);
    assert_eq!(got.len(), want.len(), "{got:?}");
    assert!(got.iter().all(|g| want.iter().any(|w| w == g)), "{got:?}");
    assert!(!got.contains(&"Amsterdam"));
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn requests_before_initialize_and_exit_without_shutdown() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let e = c.request("textDocument/hover", json!({}));
    assert_eq!(e["error"]["code"], -32002, "{e}");
    c.initialize(&root);
    let e = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(e["error"]["code"], -32600, "{e}");
    c.notify("exit", Value::Null);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = c.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1), "exit without shutdown");
}

#[test]
fn configuration_is_honoured_and_reloaded() {
    let (_dir, root) = workspace();
    let main = root.join("main.tf");
    let text = peering(None);
    std::fs::write(&main, &text).unwrap();
    let config = root.join(".erlint.toml");
    std::fs::write(&config, "[rules]\nER301 = \"off\"\n").unwrap();
    let main_uri = uri(&main);
    let mut c = Client::start(&root);
    c.initialize(&root);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main_uri, "languageId": "terraform", "version": 1, "text": text}}),
    );
    assert_eq!(c.diagnostics(&main_uri, Some(1)), Vec::<Value>::new());

    // The file changes: ER301 is an error again.
    std::fs::write(&config, "[rules]\nER301 = \"error\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    assert_eq!(codes(&c.diagnostics(&main_uri, Some(1))), ["ER301"]);

    // Broken: its problem is shown on it, the last good configuration stays in effect.
    std::fs::write(&config, "[rules]\nER301 = \"of\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    let on_config = c.diagnostics(&uri(&config), None);
    assert_eq!(on_config.len(), 1, "{on_config:#?}");
    assert_eq!(on_config[0]["range"]["start"]["line"], 1, "{on_config:#?}");
    assert_eq!(codes(&c.diagnostics(&main_uri, Some(1))), ["ER301"]);

    // Mended: its diagnostics are cleared.
    std::fs::write(&config, "[rules]\nER301 = \"off\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    assert_eq!(c.diagnostics(&uri(&config), None), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&main_uri, Some(1)), Vec::<Value>::new());
    assert_eq!(c.stop(), Some(0));
}

/// The VS Code extension starts `erlint server` with the settings it declares, and its
/// dependencies are pinned (exact versions, as the committed lockfile has them).
#[test]
fn vscode_extension_is_pinned_and_starts_the_server() {
    let dir = crate::common::repo().join("editors/vscode");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let package: Value = serde_json::from_str(&read("package.json")).unwrap();
    let lock: Value = serde_json::from_str(&read("package-lock.json")).unwrap();
    let settings = &package["contributes"]["configuration"]["properties"];
    assert_eq!(settings["erlint.path"]["default"], "erlint");
    assert_eq!(settings["erlint.args"]["type"], "array");
    for deps in ["dependencies", "devDependencies"] {
        for (name, version) in package[deps].as_object().unwrap() {
            let version = version.as_str().unwrap();
            assert!(
                version.chars().next().unwrap().is_ascii_digit(),
                "{name} {version} is not pinned"
            );
            assert_eq!(
                lock["packages"][format!("node_modules/{name}")]["version"],
                version,
                "{name}: package.json and package-lock.json differ"
            );
        }
    }
    assert!(package["devDependencies"]["@vscode/vsce"].is_string());
    let main = read("extension.js");
    assert!(main.contains(r#"["server", ...config.get("args", [])]"#));
    assert!(main.contains(r#"config.get("path", "erlint")"#));
    // The files it hands the server are the ones erlint reads.
    for ext in [
        "tf",
        "tf.json",
        "tfvars",
        "tofu",
        "json",
        "jsonc",
        "bicep",
        "bicepparam",
    ] {
        assert!(
            main.contains(&format!("{ext},")) || main.contains(&format!("{ext}}}")),
            "{ext}"
        );
    }
}

/// Hover and completion read the values as evaluated: a provider set in a tfvars file
/// filters the locations completed in `main.tf`, and hovering the tfvars value (or the
/// `var.` reference) describes it.
#[test]
fn evaluated_values_through_a_variable() {
    let (_dir, root) = workspace();
    let main_text = peering(Some("172.16.40.4/30")).replace(
        "service_provider_name = \"Equinix\"",
        "service_provider_name = var.provider",
    ) + "\nvariable \"provider\" {\n  type = string\n}\n";
    let tfvars_text = "provider = \"Megaport\"\n";
    let main = root.join("main.tf");
    let tfvars = root.join("terraform.tfvars");
    std::fs::write(&main, &main_text).unwrap();
    std::fs::write(&tfvars, tfvars_text).unwrap();
    let mut c = Client::start(&root);
    c.initialize(&root);
    for (path, text) in [(&main, main_text.as_str()), (&tfvars, tfvars_text)] {
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "terraform", "version": 1, "text": text}}),
        );
    }
    assert_eq!(c.diagnostics(&uri(&main), Some(1)), Vec::<Value>::new());

    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri(&main)}, "position": pos(&main_text, "\"Amsterdam\"", 1)}),
    );
    let got: std::collections::BTreeSet<String> = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    let catalog = erlint::catalog::Catalog::bundled();
    let want: std::collections::BTreeSet<String> = catalog
        .partner("Megaport")
        .unwrap()
        .locations_in(erlint::catalog::Cloud::Global)
        .iter()
        .cloned()
        .collect();
    assert_eq!(got, want);

    for (path, text, at) in [
        (&tfvars, tfvars_text, "Megaport"),
        (&main, main_text.as_str(), "var.provider"),
    ] {
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(path)}, "position": pos(text, at, 2)}),
        );
        let value = r["result"]["contents"]["value"].as_str().unwrap_or("");
        assert!(value.starts_with("**Megaport**"), "{at}: {r}");
    }
    assert_eq!(c.stop(), Some(0));
}

/// A parameter file opened in the editor that no template takes says so (ER004 at its
/// start): otherwise the editor would show nothing, as if its values had been checked.
/// Once it names its template (`metadata.template`), the note goes (the template's
/// finding is the template's, published for that file).
#[test]
fn an_opened_parameter_file_of_no_template_says_so() {
    let (_dir, root) = workspace();
    std::fs::create_dir_all(root.join("environments")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "provider": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Network/expressRouteCircuits",
      "apiVersion": "2023-09-01",
      "name": "erc-weu",
      "location": "westeurope",
      "sku": { "name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData" },
      "properties": {
        "serviceProviderProperties": {
          "serviceProviderName": "[parameters('provider')]",
          "peeringLocation": "Amsterdam",
          "bandwidthInMbps": 1000
        }
      }
    }
  ]
}
"#;
    std::fs::write(root.join("templates/circuit.json"), template).unwrap();
    let params = |hint: &str| {
        format!(
            r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",{hint}
  "parameters": {{ "provider": {{ "value": "Contoso Metro Fibre" }} }}
}}
"#
        )
    };
    let path = root.join("environments/prod.json");
    let text = params("");
    std::fs::write(&path, &text).unwrap();
    let mut c = Client::start(&root);
    c.initialize(&root);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&path), "languageId": "json", "version": 1, "text": text}}),
    );
    let d = c.diagnostics(&uri(&path), Some(1));
    assert_eq!(codes(&d), ["ER004"], "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 0, "character": 0}));

    let text = params(
        r#"
  "metadata": { "template": "../templates/circuit.json" },"#,
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&path), "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let d = c.diagnostics(&uri(&path), Some(2));
    assert_eq!(d, Vec::<Value>::new());
    assert_eq!(c.stop(), Some(0));
}

/// A Bicep file gets the same session: ER301 on open, cleared on change, completion of the
/// peering location from the provider written beside it, hover on the provider.
#[test]
fn a_bicep_editor_session() {
    let (_dir, root) = workspace();
    let main = root.join("main.bicep");
    let text = |secondary: &str| {
        format!(
            r"resource circuit 'Microsoft.Network/expressRouteCircuits@2023-09-01' = {{
  name: 'er-ams-01'
  location: 'westeurope'
  sku: {{
    name: 'Standard_MeteredData'
    tier: 'Standard'
    family: 'MeteredData'
  }}
  properties: {{
    serviceProviderProperties: {{
      serviceProviderName: 'Equinix'
      peeringLocation: 'Amsterdam'
      bandwidthInMbps: 200
    }}
  }}

  resource privatePeering 'peerings' = {{
    name: 'AzurePrivatePeering'
    properties: {{
      peeringType: 'AzurePrivatePeering'
      peerASN: 65010
      primaryPeerAddressPrefix: '172.16.40.0/30'
{secondary}      vlanId: 200
    }}
  }}
}}
"
        )
    };
    let v1 = text("");
    std::fs::write(&main, &v1).unwrap();
    let main_uri = uri(&main);
    let mut c = Client::start(&root);
    c.initialize(&root);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main_uri, "languageId": "bicep", "version": 1, "text": v1}}),
    );
    let diags = c.diagnostics(&main_uri, Some(1));
    assert_eq!(codes(&diags), ["ER301"], "{diags:#?}");
    assert_eq!(
        diags[0]["range"]["start"],
        pos(&v1, "resource privatePeering", 0)
    );

    let v2 = text("      secondaryPeerAddressPrefix: '172.16.40.4/30'\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": v2}]}),
    );
    assert_eq!(c.diagnostics(&main_uri, Some(2)), Vec::<Value>::new());

    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": main_uri}, "position": pos(&v2, "'Amsterdam'", 1)}),
    );
    let got: std::collections::BTreeSet<String> = r["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    let catalog = erlint::catalog::Catalog::bundled();
    let want: std::collections::BTreeSet<String> = catalog
        .partner("Equinix")
        .unwrap()
        .locations_in(erlint::catalog::Cloud::Global)
        .iter()
        .cloned()
        .collect();
    assert_eq!(got, want);

    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": pos(&v2, "'Equinix'", 2)}),
    );
    let value = r["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(value.starts_with("**Equinix**"), "{r}");
    assert_eq!(c.stop(), Some(0));
}

// erlint for VS Code: a language client that starts `erlint server` (stdio) for the files
// erlint reads. Settings: `erlint.path` (the binary), `erlint.args` (after `server`).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

// The files erlint lints; a JSON file that is not an ARM template or parameter file gets
// no diagnostics.
const FILES = "**/*.{tf,tf.json,tfvars,tfvars.json,tofu,tofu.json,json,jsonc,bicep,bicepparam}";

let client;

function start() {
  const config = vscode.workspace.getConfiguration("erlint");
  const command = config.get("path", "erlint");
  const args = ["server", ...config.get("args", [])];
  const serverOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", pattern: FILES }],
    outputChannelName: "erlint",
  };
  client = new LanguageClient("erlint", "erlint", serverOptions, clientOptions);
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `erlint: cannot start \`${command} server\` (${err.message || err}); set "erlint.path" to the erlint binary.`
    );
  });
}

async function restart() {
  if (client) {
    await client.stop();
    client = undefined;
  }
  await start();
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("erlint.restart", restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("erlint.path") || e.affectsConfiguration("erlint.args")) {
        restart();
      }
    })
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

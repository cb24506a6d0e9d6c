//! `erlint server`: a Language Server Protocol server over stdio.
//!
//! Synchronous, one thread for the work and one reading stdin ([`transport`]), on
//! lsp-server's message types and lsp-types' protocol types (as rust-analyzer). What it
//! does with a document is what `erlint --stdin-filename PATH -` does: the open buffers
//! stand in for their files ([`crate::source::Overlay`]), the rest of the workspace is
//! read from disk, and the named files are linted with their directory, callers and
//! inputs for context ([`crate::linter::run`]). Diagnostics are published on open, change
//! and save; changes that arrive while a lint runs, or within the debounce time
//! (`initializationOptions.debounceMs`, default 0), are linted once, on the latest text.
//!
//! - [`documents`]: the open documents;
//! - [`workspace`]: the workspace folders, `.erlint.toml` (reloaded when it changes) and
//!   the options of a run;
//! - [`diagnostics`]: a report as LSP diagnostics with their fixes, and the circuits'
//!   evaluated values;
//! - [`actions`]: quick fixes and suppression comments;
//! - [`hover`], [`completion`]: the catalogue at a provider or peering-location value
//!   ([`cursor`]: what the cursor is on);
//! - [`position`], [`uri`]: conversions.

mod actions;
mod completion;
mod cursor;
mod diagnostics;
mod documents;
mod hover;
mod position;
mod transport;
mod uri;
mod workspace;

use diagnostics::{Circuit, Finding};
use documents::{Document, Documents};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use position::{Encoding, Lines};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use transport::{Incoming, Writer};
use workspace::Workspace;

pub use workspace::OptionsFor;

/// Serve on stdin and stdout until the client says `exit` (or closes stdin). `config` is
/// `--config FILE`; `options_for` makes a run's options from a configuration.
pub fn run(config: Option<PathBuf>, options_for: OptionsFor) -> ExitCode {
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::Builder::new()
        .name("erlint-lsp-reader".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            while let Ok(Some(m)) = transport::read(&mut input) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
    if let Err(e) = reader {
        eprintln!("error: cannot start the language server: {e}");
        return ExitCode::from(2);
    }
    serve(
        rx,
        Writer::new(Box::new(std::io::stdout())),
        Workspace::new(Vec::new(), config, options_for),
    )
}

/// The server loop over any transport.
fn serve(rx: Receiver<Incoming>, out: Writer, workspace: Workspace) -> ExitCode {
    let mut server = Server::new(out, workspace);
    loop {
        let next = match server.pending.deadline(server.debounce) {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
        };
        match next {
            Ok(incoming) => {
                if let Some(code) = server.handle_guarded(incoming) {
                    return code;
                }
            }
            Err(RecvTimeoutError::Timeout) => server.lint_pending_guarded(),
            Err(RecvTimeoutError::Disconnected) => return server.exit_code(),
        }
    }
}

/// Why a request gets an error.
struct Failure {
    code: ErrorCode,
    message: String,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// Directories whose open documents wait to be linted, and since when.
#[derive(Default)]
struct Pending {
    dirs: BTreeSet<PathBuf>,
    since: Option<Instant>,
}

impl Pending {
    fn add(&mut self, dir: PathBuf) {
        self.dirs.insert(dir);
        self.since = Some(Instant::now());
    }

    fn deadline(&self, debounce: Duration) -> Option<Instant> {
        if self.dirs.is_empty() {
            return None;
        }
        self.since.map(|s| s + debounce)
    }
}

struct Server {
    out: Writer,
    phase: Phase,
    encoding: Encoding,
    markdown: bool,
    debounce: Duration,
    workspace: Workspace,
    docs: Documents,
    pending: Pending,
    /// The findings published for each file.
    findings: BTreeMap<PathBuf, Vec<Finding>>,
    /// Which directory's lint published them (to clear them when it has none left).
    owner: BTreeMap<PathBuf, PathBuf>,
    /// The circuits the last lint of each open document evaluated.
    circuits: BTreeMap<PathBuf, Vec<Circuit>>,
    /// Configuration files with problems published.
    config_files: BTreeSet<PathBuf>,
    next_id: i32,
}

impl Server {
    fn new(out: Writer, workspace: Workspace) -> Server {
        Server {
            out,
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            markdown: false,
            debounce: Duration::ZERO,
            workspace,
            docs: Documents::default(),
            pending: Pending::default(),
            findings: BTreeMap::new(),
            owner: BTreeMap::new(),
            circuits: BTreeMap::new(),
            config_files: BTreeSet::new(),
            next_id: 0,
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.phase == Phase::ShutDown {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }

    fn send(&mut self, msg: impl Into<Message>) {
        // The client is gone: the reader sees the end of stdin next and the loop ends.
        let _ = self.out.send(msg);
    }

    fn notify<N: lsp::notification::Notification>(&mut self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params));
    }

    fn log(&mut self, typ: lsp::MessageType, message: String) {
        self.notify::<lsp::notification::LogMessage>(lsp::LogMessageParams { typ, message });
    }

    /// Handle one message; a panic is an internal error for a request, a log message
    /// otherwise, and the server goes on. `Some` when the server is to exit.
    fn handle_guarded(&mut self, incoming: Incoming) -> Option<ExitCode> {
        let id = match &incoming {
            Incoming::Message(Message::Request(r)) => Some(r.id.clone()),
            _ => None,
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(incoming))) {
            Ok(code) => code,
            Err(payload) => {
                let message = format!(
                    "internal error: {}; this is a bug in erlint, please report it (https://github.com/erlint/erlint/issues)",
                    crate::panics::message(payload.as_ref())
                );
                match id {
                    Some(id) => self.send(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        message,
                    )),
                    None => self.log(lsp::MessageType::ERROR, message),
                }
                None
            }
        }
    }

    fn handle(&mut self, incoming: Incoming) -> Option<ExitCode> {
        match incoming {
            Incoming::Malformed { id, code, message } => {
                match id {
                    Some(id) => self.send(Response::new_err(id, code as i32, message)),
                    None => {
                        let _ = self.out.send_error_without_id(code, &message);
                    }
                }
                None
            }
            Incoming::Message(Message::Request(req)) => {
                let id = req.id.clone();
                let response = match self.request(req) {
                    Ok(value) => Response::new_ok(id, value),
                    Err(f) => Response::new_err(id, f.code as i32, f.message),
                };
                self.send(response);
                None
            }
            Incoming::Message(Message::Notification(n)) => self.notification(n),
            // Answers to our requests (registering the file watchers): nothing to do.
            Incoming::Message(Message::Response(_)) => None,
        }
    }

    fn request(&mut self, req: Request) -> Result<serde_json::Value, Failure> {
        use lsp::request::{CodeActionRequest, Completion, HoverRequest, Request as _};
        match (self.phase, req.method.as_str()) {
            (Phase::Uninitialized, "initialize") => {
                let params = params::<lsp::InitializeParams>(req.params)?;
                let result = self.initialize(params);
                self.phase = Phase::Running;
                to_value(result)
            }
            (Phase::Uninitialized, _) => Err(Failure::new(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first",
            )),
            (_, "initialize") => Err(Failure::new(
                ErrorCode::InvalidRequest,
                "the server is already initialized",
            )),
            (Phase::ShutDown, _) => Err(Failure::new(
                ErrorCode::InvalidRequest,
                "the server is shutting down: only `exit` is expected",
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Ok(serde_json::Value::Null)
            }
            (Phase::Running, HoverRequest::METHOD) => {
                let p = params::<lsp::HoverParams>(req.params)?;
                let at = p.text_document_position_params;
                let path = self.document_path(&at.text_document.uri)?;
                self.lint_now(&path);
                to_value(self.hover(&path, at.position))
            }
            (Phase::Running, Completion::METHOD) => {
                let p = params::<lsp::CompletionParams>(req.params)?;
                let at = p.text_document_position;
                let path = self.document_path(&at.text_document.uri)?;
                self.lint_now(&path);
                to_value(
                    self.completion(&path, at.position)
                        .map(lsp::CompletionResponse::List),
                )
            }
            (Phase::Running, CodeActionRequest::METHOD) => {
                let p = params::<lsp::CodeActionParams>(req.params)?;
                let path = self.document_path(&p.text_document.uri)?;
                self.lint_now(&path);
                let none = Vec::new();
                let found = self.findings.get(&path).unwrap_or(&none);
                to_value(actions::actions(
                    &path,
                    found,
                    p.range,
                    p.context.only.as_deref(),
                    self.encoding,
                    &p.text_document.uri,
                ))
            }
            (Phase::Running, method) => Err(Failure::new(
                ErrorCode::MethodNotFound,
                format!("erlint's language server does not handle `{method}`"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) -> Option<ExitCode> {
        use lsp::notification::{
            DidChangeTextDocument, DidChangeWatchedFiles, DidChangeWorkspaceFolders,
            DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Initialized,
            Notification as _,
        };
        if n.method == "exit" {
            return Some(self.exit_code());
        }
        if self.phase != Phase::Running {
            return None;
        }
        let result = match n.method.as_str() {
            Initialized::METHOD => Ok(()),
            DidOpenTextDocument::METHOD => {
                params::<lsp::DidOpenTextDocumentParams>(n.params).map(|p| self.did_open(p))
            }
            DidChangeTextDocument::METHOD => {
                params::<lsp::DidChangeTextDocumentParams>(n.params).map(|p| self.did_change(p))
            }
            DidSaveTextDocument::METHOD => {
                params::<lsp::DidSaveTextDocumentParams>(n.params).map(|p| self.did_save(p))
            }
            DidCloseTextDocument::METHOD => {
                params::<lsp::DidCloseTextDocumentParams>(n.params).map(|p| self.did_close(p))
            }
            DidChangeWatchedFiles::METHOD => params::<lsp::DidChangeWatchedFilesParams>(n.params)
                .map(|p| self.files_changed(p.changes.iter().map(|c| &c.uri))),
            DidChangeWorkspaceFolders::METHOD => {
                params::<lsp::DidChangeWorkspaceFoldersParams>(n.params)
                    .map(|p| self.folders_changed(p))
            }
            // `$/cancelRequest` (requests are answered in order, none is long),
            // `$/setTrace`, and notifications for features this server does not offer.
            _ => Ok(()),
        };
        if let Err(f) = result {
            self.log(
                lsp::MessageType::ERROR,
                format!("erlint: `{}`: {}", n.method, f.message),
            );
        }
        None
    }

    fn initialize(&mut self, p: lsp::InitializeParams) -> lsp::InitializeResult {
        let caps = &p.capabilities;
        self.encoding = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        self.markdown = caps
            .text_document
            .as_ref()
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_some_and(|f| f.contains(&lsp::MarkupKind::Markdown));
        if let Some(ms) = p
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("debounceMs"))
            .and_then(serde_json::Value::as_u64)
        {
            self.debounce = Duration::from_millis(ms.min(10_000));
        }
        let mut folders: Vec<PathBuf> = p
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri::to_path(&f.uri).ok())
            .collect();
        #[allow(deprecated, reason = "older clients send only rootUri or rootPath")]
        if folders.is_empty() {
            folders.extend(p.root_uri.as_ref().and_then(|u| uri::to_path(u).ok()));
            if folders.is_empty() {
                folders.extend(p.root_path.as_ref().map(PathBuf::from));
            }
        }
        if folders.is_empty() {
            // No workspace (a single file): the directory the server was started in.
            folders.extend(std::env::current_dir().ok());
        }
        for f in folders {
            self.workspace.add_folder(crate::terraform::normalize(&f));
        }
        if caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            == Some(true)
        {
            self.register_watchers();
        }
        lsp::InitializeResult {
            capabilities: capabilities(self.encoding),
            server_info: Some(lsp::ServerInfo {
                name: "erlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    /// Ask the client to tell of `.erlint.toml` files and the files erlint reads
    /// changing on disk (a checkout, a generator).
    fn register_watchers(&mut self) {
        let watchers = [
            "**/.erlint.toml",
            "**/*.{tf,tfvars,tofu,json,jsonc,bicep,bicepparam}",
        ]
        .into_iter()
        .map(|g| lsp::FileSystemWatcher {
            glob_pattern: lsp::GlobPattern::String(g.into()),
            kind: None,
        })
        .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        self.next_id += 1;
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "erlint-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Request::new(
            RequestId::from(format!("erlint-{}", self.next_id)),
            "client/registerCapability".into(),
            params,
        ));
    }

    /// The path of an open document inside the workspace, or the error to answer with.
    fn document_path(&self, u: &lsp::Uri) -> Result<PathBuf, Failure> {
        let path = self.workspace_path(u)?;
        if self.docs.get(&path).is_none() {
            return Err(Failure::new(
                ErrorCode::InvalidParams,
                format!(
                    "`{}` is not open (send `textDocument/didOpen` first)",
                    u.as_str()
                ),
            ));
        }
        Ok(path)
    }

    /// The path of a URI inside one of the workspace folders.
    fn workspace_path(&self, u: &lsp::Uri) -> Result<PathBuf, Failure> {
        let path = uri::to_path(u)
            .map(|p| crate::terraform::normalize(&p))
            .map_err(|e| Failure::new(ErrorCode::RequestFailed, e))?;
        if self.workspace.folder_of(&path).is_none() {
            return Err(Failure::new(
                ErrorCode::RequestFailed,
                format!(
                    "`{}` is outside the workspace folders ({}); erlint lints a file with its workspace",
                    path.display(),
                    self.workspace
                        .folders()
                        .iter()
                        .map(|f| format!("`{}`", f.display()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(path)
    }

    fn did_open(&mut self, p: lsp::DidOpenTextDocumentParams) {
        let d = p.text_document;
        let path = match self.workspace_path(&d.uri) {
            Ok(path) => path,
            Err(f) => {
                self.log(
                    lsp::MessageType::WARNING,
                    format!("erlint: not linted: {}", f.message),
                );
                return;
            }
        };
        self.docs
            .open(path.clone(), Document::new(d.uri, d.version, d.text));
        self.schedule(&path, false);
    }

    fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let Ok(path) = self.workspace_path(&p.text_document.uri) else {
            return;
        };
        let Some(doc) = self.docs.get(&path) else {
            return;
        };
        let mut text = doc.text.to_string();
        for change in p.content_changes {
            match change.range {
                None => text = change.text,
                Some(r) => {
                    let index = crate::source::LineIndex::new(&text);
                    let l = Lines {
                        text: &text,
                        index: &index,
                        encoding: self.encoding,
                    };
                    let (start, end) = (l.offset(r.start), l.offset(r.end));
                    if start <= end {
                        text.replace_range(start..end, &change.text);
                    }
                }
            }
        }
        self.docs.change(&path, p.text_document.version, text);
        self.schedule(&path, false);
    }

    fn did_save(&mut self, p: lsp::DidSaveTextDocumentParams) {
        let Ok(path) = self.workspace_path(&p.text_document.uri) else {
            return;
        };
        self.schedule(&path, true);
    }

    fn did_close(&mut self, p: lsp::DidCloseTextDocumentParams) {
        let Ok(path) = self.workspace_path(&p.text_document.uri) else {
            return;
        };
        if self.docs.close(&path).is_some() {
            self.circuits.remove(&path);
            self.findings.remove(&path);
            self.owner.remove(&path);
            self.publish(&path, &[]);
            // Its neighbours now read it from disk.
            self.schedule(&path, true);
        }
    }

    fn files_changed<'a>(&mut self, changed: impl Iterator<Item = &'a lsp::Uri>) {
        let paths: Vec<PathBuf> = changed
            .filter_map(|u| uri::to_path(u).ok())
            .map(|p| crate::terraform::normalize(&p))
            .collect();
        for p in paths {
            self.schedule(&p, true);
        }
    }

    fn folders_changed(&mut self, p: lsp::DidChangeWorkspaceFoldersParams) {
        for f in p.event.removed {
            if let Ok(path) = uri::to_path(&f.uri) {
                self.workspace
                    .remove_folder(&crate::terraform::normalize(&path));
            }
        }
        for f in p.event.added {
            if let Ok(path) = uri::to_path(&f.uri) {
                self.workspace
                    .add_folder(crate::terraform::normalize(&path));
            }
        }
        self.schedule_all();
    }

    /// Lint the open documents of `path`'s directory soon, if it is a file erlint reads.
    /// A configuration file counts once it is on disk (`saved`): then every open document.
    fn schedule(&mut self, path: &Path, saved: bool) {
        if path
            .file_name()
            .is_some_and(|n| n == crate::config::FILE_NAME)
        {
            if saved {
                self.schedule_all();
            }
            return;
        }
        if crate::discover::is_candidate(path)
            && let Some(dir) = path.parent()
        {
            self.pending.add(dir.to_path_buf());
        }
    }

    fn schedule_all(&mut self) {
        let dirs: BTreeSet<PathBuf> = self
            .docs
            .paths()
            .filter_map(Path::parent)
            .map(Path::to_path_buf)
            .chain(self.owner.values().cloned())
            .collect();
        for d in dirs {
            self.pending.add(d);
        }
    }

    /// Lint `path`'s directory now if it waits (a request needs its results).
    fn lint_now(&mut self, path: &Path) {
        if let Some(dir) = path.parent()
            && self.pending.dirs.contains(dir)
        {
            self.reload_config();
            self.pending.dirs.remove(dir);
            self.lint_dir(&dir.to_path_buf());
        }
    }

    /// [`Self::lint_pending`]; a panic outside the units the linter guards (discovery) is
    /// logged, and the server goes on.
    fn lint_pending_guarded(&mut self) {
        let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.lint_pending()));
        if let Err(payload) = linted {
            self.pending = Pending::default();
            let message = format!(
                "erlint: internal error while linting: {}; this is a bug in erlint, please report it (https://github.com/erlint/erlint/issues)",
                crate::panics::message(payload.as_ref())
            );
            self.log(lsp::MessageType::ERROR, message);
        }
    }

    fn lint_pending(&mut self) {
        self.reload_config();
        let dirs = std::mem::take(&mut self.pending.dirs);
        self.pending.since = None;
        for dir in dirs {
            self.lint_dir(&dir);
        }
    }

    /// Reload the configuration of folders where it changed; publish its problems (or
    /// clear them) and lint every open document again.
    fn reload_config(&mut self) {
        let reloaded = self.workspace.refresh();
        if reloaded.is_empty() {
            return;
        }
        for r in &reloaded {
            if let Some(file) = &r.file {
                let file = crate::terraform::normalize(file);
                match &r.error {
                    Some(e) => {
                        let diags = diagnostics::config_errors(e, self.encoding);
                        self.publish_raw(&file, diags);
                        self.config_files.insert(file.clone());
                        let message = format!(
                            "erlint: the configuration `{}` cannot be used ({}); the last one that loaded is in effect",
                            file.display(),
                            e.message
                        );
                        self.notify::<lsp::notification::ShowMessage>(lsp::ShowMessageParams {
                            typ: lsp::MessageType::WARNING,
                            message,
                        });
                    }
                    None => {
                        if self.config_files.remove(&file) {
                            self.publish_raw(&file, Vec::new());
                        }
                    }
                }
            }
        }
        let dirs = std::mem::take(&mut self.pending.dirs);
        self.schedule_all();
        self.pending.dirs.extend(dirs);
    }

    /// Lint the open documents of one directory and publish what is found, in them and
    /// in the files their findings point to.
    fn lint_dir(&mut self, dir: &PathBuf) {
        let named: Vec<PathBuf> = self
            .docs
            .in_dir(dir)
            .filter(|p| crate::discover::is_candidate(p))
            .map(Path::to_path_buf)
            .collect();
        let before: Vec<PathBuf> = self
            .owner
            .iter()
            .filter(|(_, o)| *o == dir)
            .map(|(f, _)| f.clone())
            .collect();
        let Some(folder) = named
            .first()
            .and_then(|p| self.workspace.folder_of(p))
            .map(Path::to_path_buf)
        else {
            for f in before {
                self.findings.remove(&f);
                self.owner.remove(&f);
                self.publish(&f, &[]);
            }
            return;
        };
        let opts = self
            .workspace
            .options(&folder, named.clone(), self.docs.overlay());
        let report = match crate::linter::run(&opts) {
            Ok(r) => r,
            Err(e) => {
                self.log(lsp::MessageType::ERROR, format!("erlint: {e}"));
                return;
            }
        };
        let mut converted = diagnostics::convert(&report, self.encoding, &|p| {
            crate::fix::in_repository(p, &folder)
        });
        drop(report);
        for p in &named {
            let circuits = converted.circuits.remove(p).unwrap_or_default();
            self.circuits.insert(p.clone(), circuits);
        }
        let files: BTreeSet<PathBuf> = named
            .iter()
            .cloned()
            .chain(converted.findings.keys().cloned())
            .chain(before)
            .filter(|f| self.workspace.folder_of(f).is_some())
            .collect();
        for f in files {
            let found = converted.findings.remove(&f).unwrap_or_default();
            self.publish(&f, &found);
            if found.is_empty() {
                self.findings.remove(&f);
                self.owner.remove(&f);
            } else {
                self.findings.insert(f.clone(), found);
                self.owner.insert(f, dir.clone());
            }
        }
    }

    fn publish(&mut self, path: &Path, findings: &[Finding]) {
        let diags = findings.iter().map(|f| f.diagnostic.clone()).collect();
        self.publish_raw(path, diags);
    }

    fn publish_raw(&mut self, path: &Path, diagnostics: Vec<lsp::Diagnostic>) {
        let Some(u) = uri::from_path(path) else {
            return;
        };
        let version = self.docs.get(path).map(|d| d.version);
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri: u,
            diagnostics,
            version,
        });
    }

    fn lines<'a>(&self, doc: &'a Document) -> Lines<'a> {
        Lines {
            text: &doc.text,
            index: &doc.lines,
            encoding: self.encoding,
        }
    }

    fn hover(&self, path: &Path, at: lsp::Position) -> Option<lsp::Hover> {
        let doc = self.docs.get(path)?;
        let lines = self.lines(doc);
        let folder = self.workspace.folder_of(path)?;
        let circuits = self.circuits.get(path).map_or(&[][..], Vec::as_slice);
        hover::hover(
            self.workspace.catalog(folder),
            lines,
            lines.offset(at),
            circuits,
            self.markdown,
        )
    }

    fn completion(&self, path: &Path, at: lsp::Position) -> Option<lsp::CompletionList> {
        let doc = self.docs.get(path)?;
        let lines = self.lines(doc);
        let folder = self.workspace.folder_of(path)?;
        let circuits = self.circuits.get(path).map_or(&[][..], Vec::as_slice);
        completion::complete(
            self.workspace.catalog(folder),
            path,
            lines,
            lines.offset(at),
            circuits,
        )
    }
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "'".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

fn params<P: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<P, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::new(ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

fn to_value(v: impl serde::Serialize) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(v).map_err(|e| Failure::new(ErrorCode::InternalError, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn messages(out: &Shared) -> Vec<serde_json::Value> {
        let bytes = out.0.lock().unwrap().clone();
        let text = String::from_utf8(bytes).unwrap();
        text.split("Content-Length: ")
            .filter(|s| !s.is_empty())
            .map(|s| serde_json::from_str(s.split_once("\r\n\r\n").unwrap().1).unwrap())
            .collect()
    }

    fn message(m: serde_json::Value) -> Incoming {
        Incoming::Message(serde_json::from_value(m).unwrap())
    }

    /// Changes queued while the server is busy are linted once, on the latest text.
    #[test]
    fn queued_changes_are_linted_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::terraform::normalize(dir.path());
        let file = root.join("main.tf");
        std::fs::write(&file, "").unwrap();
        let u = uri::from_path(&file).unwrap();
        let (tx, rx) = mpsc::channel();
        let send = |m: serde_json::Value| tx.send(message(m)).unwrap();
        send(
            serde_json::json!({"id": 1, "method": "initialize", "params": {
            "capabilities": {}, "rootUri": uri::from_path(&root).unwrap()}}),
        );
        send(serde_json::json!({"method": "initialized", "params": {}}));
        send(
            serde_json::json!({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": u, "languageId": "terraform", "version": 1, "text": "locals {"}}}),
        );
        for v in 2..=4 {
            let text = if v == 4 { "locals {}\n" } else { "locals {" };
            send(
                serde_json::json!({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": u, "version": v}, "contentChanges": [{"text": text}]}}),
            );
        }
        let out = Shared::default();
        let writer = Writer::new(Box::new(out.clone()));
        let server = std::thread::spawn(move || {
            let options_for: OptionsFor = Box::new(|cfg, cwd| {
                crate::cli::options(&crate::cli::CheckArgs::default(), Vec::new(), cfg, cwd)
            });
            serve(rx, writer, Workspace::new(Vec::new(), None, options_for))
        });
        let published = || -> Vec<serde_json::Value> {
            messages(&out)
                .into_iter()
                .filter(|m| m["method"] == "textDocument/publishDiagnostics")
                .collect()
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while published().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        // Nothing else is to come.
        std::thread::sleep(Duration::from_millis(300));
        send(serde_json::json!({"id": 2, "method": "shutdown"}));
        send(serde_json::json!({"method": "exit"}));
        assert_eq!(server.join().unwrap(), ExitCode::SUCCESS);
        let published = published();
        assert_eq!(published.len(), 1, "{published:#?}");
        assert_eq!(published[0]["params"]["version"], 4);
        assert_eq!(published[0]["params"]["diagnostics"], serde_json::json!([]));
    }
}

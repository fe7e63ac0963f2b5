//! `residue lsp`: the Language Server Protocol over standard input and output.
//!
//! The transport (framing, JSON-RPC, the initialize/shutdown handshake) is the
//! `lsp-server` crate's; the protocol types are `lsp-types`. This module only keeps
//! the open documents, lints them in-process with the library, and turns
//! diagnostics and fixes into the protocol's shapes.
//!
//! Responsiveness: linting a large document takes longer than typing a key, so it
//! happens on a worker thread. The main loop only applies changes (cheap) and hands
//! the worker a snapshot of each changed document; the worker skips snapshots that
//! a newer one has already replaced, so a burst of keystrokes costs one lint, and
//! publishes the diagnostics itself. Code actions use the worker's result for the
//! client's current version of the text (waiting for it if needed), so an edit
//! never lands on stale offsets and no text is linted twice.

use crate::{load_rule_dirs, settings};
use anyhow::Result;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, InitializeParams, InitializeResult,
    NumberOrString, Position, PositionEncodingKind, PublishDiagnosticsParams, Range,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit,
    Uri, WorkspaceEdit,
};
use rayon::prelude::*;
use residue::editor::{apply_change, offset, position, ColumnUnit};
use residue::source::LineIndex;
use residue::suppress::{self, UNUSED_SUPPRESSION};
use residue::{config, Applicability, Diagnostic, Linter, Selection, Severity, SourceFormat};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The source action that applies every safe fix, as editors name it in
/// `editor.codeActionsOnSave`.
pub const FIX_ALL_KIND: &str = "source.fixAll.residue";

/// One open document, as the client last described it.
struct Document {
    text: String,
    version: i32,
    format: SourceFormat,
}

/// The diagnostics of one version of a document, as the worker last computed them.
struct Linted {
    version: i32,
    diagnostics: Arc<Vec<Diagnostic>>,
}

/// A snapshot of a document for the worker to lint.
struct Job {
    uri: Uri,
    version: i32,
    text: Arc<str>,
    format: SourceFormat,
}

/// The latest lint result of each open document, shared with the worker, which
/// signals the condition variable whenever it stores one.
#[derive(Default)]
struct Results {
    linted: Mutex<HashMap<Uri, Linted>>,
    stored: Condvar,
    /// Set once the client has shut the server down: nothing more is published.
    stopped: AtomicBool,
}

struct Server {
    workspace: Arc<Workspace>,
    unit: ColumnUnit,
    documents: HashMap<Uri, Document>,
    results: Arc<Results>,
    jobs: Sender<Job>,
}

/// Runs the server until the client asks it to exit.
pub fn serve(extra_rules: &[PathBuf]) -> Result<u8> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let unit = negotiate(&params);
    let capabilities = ServerCapabilities {
        position_encoding: Some(match unit {
            ColumnUnit::Utf8 => PositionEncodingKind::UTF8,
            ColumnUnit::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(FIX_ALL_KIND),
            ]),
            ..Default::default()
        })),
        ..Default::default()
    };
    let result = InitializeResult {
        capabilities,
        server_info: Some(ServerInfo {
            name: "residue".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;

    let workspace = Arc::new(Workspace::open(&params, extra_rules)?);
    let results = Arc::new(Results::default());
    let (jobs, queue) = channel();
    let worker = {
        let (workspace, results) = (Arc::clone(&workspace), Arc::clone(&results));
        let sender = connection.sender.clone();
        thread::spawn(move || work(&workspace, unit, &queue, &results, &sender))
    };
    let mut server = Server {
        workspace,
        unit,
        documents: HashMap::new(),
        results,
        jobs,
    };
    let outcome = server.run(&connection);
    server.results.stopped.store(true, Ordering::Relaxed);
    drop(server); // closes the job queue, which ends the worker
    let _ = worker.join();
    outcome?;
    drop(connection);
    io_threads.join()?;
    Ok(0)
}

/// UTF-8 columns when the client offers them (no conversion needed), else the
/// protocol's default, UTF-16.
fn negotiate(params: &InitializeParams) -> ColumnUnit {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => ColumnUnit::Utf8,
        _ => ColumnUnit::Utf16,
    }
}

/// The rules, selection and per-path settings of the client's workspace: its
/// `residue.toml` (found from the workspace root upward, as the command line
/// finds it from the working folder) plus the `--rules` folders given to
/// `residue lsp`. A configuration that does not load is reported on standard
/// error (editors show it in the server's log) and the defaults are used.
struct Workspace {
    linter: Linter,
    settings: Option<settings::Loaded>,
    unused: suppress::UnusedPolicy,
}

impl Workspace {
    fn open(params: &InitializeParams, extra_rules: &[PathBuf]) -> Result<Workspace> {
        match Workspace::configured(params, extra_rules) {
            Ok(workspace) => Ok(workspace),
            Err(e) => {
                eprintln!("residue lsp: {e:#}; using the default configuration");
                let set = load_rule_dirs(extra_rules)?;
                Ok(Workspace {
                    linter: Linter::new(set.select(&Selection::default())),
                    settings: None,
                    unused: suppress::UnusedPolicy::new(&Selection::default(), None),
                })
            }
        }
    }

    fn configured(params: &InitializeParams, extra_rules: &[PathBuf]) -> Result<Workspace> {
        let root = workspace_root(params);
        let settings = root
            .as_deref()
            .and_then(settings::discover)
            .map(|path| settings::load(&path))
            .transpose()?;
        let mut dirs = settings.as_ref().map_or_else(Vec::new, |s| s.rule_dirs());
        dirs.extend(extra_rules.iter().cloned());
        let mut set = load_rule_dirs(&dirs)?;
        let mut selection = Selection::default();
        if let Some(s) = &settings {
            s.config.check_names(&set, &[UNUSED_SUPPRESSION])?;
            s.config.apply_severity(&mut set);
            let names = |names: &[config::Name]| names.iter().map(|n| n.name.clone()).collect();
            selection = Selection {
                select: names(&s.config.select),
                ignore: names(&s.config.ignore),
            };
        }
        Ok(Workspace {
            unused: suppress::UnusedPolicy::new(&selection, settings.as_ref().map(|s| &s.config)),
            linter: Linter::new(set.select(&selection)),
            settings,
        })
    }

    /// The findings for a document, as `residue check` reports them for the same
    /// file: rules (markup-aware), suppression comments, then per-path ignores.
    fn lint(&self, uri: &Uri, text: &str, format: SourceFormat) -> Vec<Diagnostic> {
        let ignored = match (&self.settings, file_path(uri)) {
            (Some(settings), Some(path)) => settings.config.ignored_in(&settings.relative(&path)),
            _ => Vec::new(),
        };
        suppress::shown(&self.linter, text, format, self.unused, &ignored)
    }
}

/// The first workspace folder, else the (deprecated) root URI, as a path.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first());
    #[allow(deprecated)] // older clients only send `rootUri`
    let root = folder.map(|f| &f.uri).or(params.root_uri.as_ref());
    root.and_then(file_path)
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = &rest[rest.find('/')?..]; // skip an authority such as `localhost`
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                decoded.push(b);
                i += 3;
            }
            (b, _) => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok().map(PathBuf::from)
}

/// The worker: lints snapshots and publishes their diagnostics. Of several
/// snapshots of one document waiting in the queue, only the newest is linted.
/// With `RESIDUE_LSP_TIMINGS` set, each publication logs to standard error how
/// long the lint and the conversion took (clients keep a server's standard error
/// in their log).
fn work(
    workspace: &Workspace,
    unit: ColumnUnit,
    queue: &Receiver<Job>,
    results: &Results,
    sender: &crossbeam_channel::Sender<Message>,
) {
    let log_timings = std::env::var_os("RESIDUE_LSP_TIMINGS").is_some();
    while let Ok(first) = queue.recv() {
        let mut latest: Vec<Job> = Vec::new();
        for job in std::iter::once(first).chain(queue.try_iter()) {
            latest.retain(|j| j.uri != job.uri);
            latest.push(job);
        }
        for job in latest {
            if results.stopped.load(Ordering::Relaxed) {
                return;
            }
            let clock = Instant::now();
            let diagnostics = workspace.lint(&job.uri, &job.text, job.format);
            let linted = clock.elapsed();
            let lsp = to_json(&job.text, unit, &diagnostics);
            let count = diagnostics.len();
            if let Ok(mut linted) = results.linted.lock() {
                linted.insert(
                    job.uri.clone(),
                    Linted {
                        version: job.version,
                        diagnostics: Arc::new(diagnostics),
                    },
                );
                results.stored.notify_all();
            }
            if log_timings {
                eprintln!(
                    "residue lsp: {} version {}: {count} diagnostics, lint {:.1} ms, \
                     converted {:.1} ms",
                    job.uri.as_str(),
                    job.version,
                    linted.as_secs_f64() * 1e3,
                    (clock.elapsed() - linted).as_secs_f64() * 1e3,
                );
            }
            if results.stopped.load(Ordering::Relaxed)
                || send_diagnostics(sender, &job.uri, lsp, Some(job.version)).is_err()
            {
                return; // the connection is gone
            }
        }
    }
}

/// The diagnostics as the protocol's JSON, converted on all cores: a large
/// document can have thousands, and the transport wants JSON values.
fn to_json(text: &str, unit: ColumnUnit, diagnostics: &[Diagnostic]) -> Vec<serde_json::Value> {
    let index = LineIndex::new(text);
    diagnostics
        .par_iter()
        .filter_map(
            |d| match serde_json::to_value(to_lsp(text, &index, unit, d)) {
                Ok(value) => Some(value),
                Err(e) => {
                    eprintln!("residue lsp: cannot convert a diagnostic: {e}");
                    None
                }
            },
        )
        .collect()
}

impl Server {
    fn run(&mut self, connection: &Connection) -> Result<()> {
        while let Ok(first) = connection.receiver.recv() {
            let mut batch = vec![first];
            batch.extend(connection.receiver.try_iter());
            let mut dirty: Vec<Uri> = Vec::new();
            for message in batch {
                match message {
                    Message::Request(request) => {
                        self.publish(&mut dirty);
                        if connection.handle_shutdown(&request)? {
                            return Ok(());
                        }
                        let response = self.request(request);
                        connection.sender.send(Message::Response(response))?;
                    }
                    Message::Notification(note) => {
                        if note.method == "exit" {
                            return Ok(());
                        }
                        // A notification the server cannot read is logged (clients
                        // show the server's standard error), not fatal.
                        match self.notification(connection, note) {
                            Ok(Some(uri)) if !dirty.contains(&uri) => dirty.push(uri),
                            Ok(_) => {}
                            Err(e) => eprintln!("residue lsp: {e:#}"),
                        }
                    }
                    Message::Response(_) => {}
                }
            }
            self.publish(&mut dirty);
        }
        Ok(())
    }

    /// Applies a notification; returns the document that needs linting, if any.
    fn notification(&mut self, connection: &Connection, note: Notification) -> Result<Option<Uri>> {
        match note.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(note.params)?;
                let doc = p.text_document;
                let format = match doc.language_id.as_str() {
                    "markdown" => SourceFormat::Markdown,
                    "html" => SourceFormat::Html,
                    _ => SourceFormat::from_path(doc.uri.as_str()),
                };
                self.documents.insert(
                    doc.uri.clone(),
                    Document {
                        text: doc.text,
                        version: doc.version,
                        format,
                    },
                );
                Ok(Some(doc.uri))
            }
            DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = serde_json::from_value(note.params)?;
                let Some(doc) = self.documents.get_mut(&p.text_document.uri) else {
                    return Ok(None);
                };
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            apply_change(
                                &mut doc.text,
                                (range.start.line as usize, range.start.character as usize),
                                (range.end.line as usize, range.end.character as usize),
                                &change.text,
                                self.unit,
                            );
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = p.text_document.version;
                Ok(Some(p.text_document.uri))
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(note.params)?;
                self.documents.remove(&p.text_document.uri);
                if let Ok(mut linted) = self.results.linted.lock() {
                    linted.remove(&p.text_document.uri);
                }
                // Clear what the client shows for a closed file.
                send_diagnostics(&connection.sender, &p.text_document.uri, Vec::new(), None)?;
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// Hands snapshots of the changed documents to the worker.
    fn publish(&mut self, dirty: &mut Vec<Uri>) {
        for uri in dirty.drain(..) {
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            let job = Job {
                uri,
                version: doc.version,
                text: Arc::from(doc.text.as_str()),
                format: doc.format,
            };
            // The worker only stops when the server does.
            let _ = self.jobs.send(job);
        }
    }

    /// The diagnostics of the document's current version. Its snapshot is
    /// already queued (changes are handed over before a request is answered), so
    /// this waits for the worker rather than linting the same text twice; if the
    /// worker is somehow not done in time, it lints here.
    fn diagnostics(&self, uri: &Uri, doc: &Document) -> Arc<Vec<Diagnostic>> {
        let current = |linted: &HashMap<Uri, Linted>| {
            linted
                .get(uri)
                .filter(|r| r.version == doc.version)
                .map(|r| Arc::clone(&r.diagnostics))
        };
        let waited = self.results.linted.lock().ok().and_then(|guard| {
            let (guard, _) = self
                .results
                .stored
                .wait_timeout_while(guard, Duration::from_secs(5), |linted| {
                    current(linted).is_none()
                })
                .ok()?;
            current(&guard)
        });
        waited.unwrap_or_else(|| Arc::new(self.workspace.lint(uri, &doc.text, doc.format)))
    }

    fn request(&self, request: Request) -> Response {
        if request.method != CodeActionRequest::METHOD {
            return Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("residue does not handle {}", request.method),
            );
        }
        match serde_json::from_value::<CodeActionParams>(request.params) {
            Ok(params) => {
                let actions = self.code_actions(&params);
                Response::new_ok(request.id, actions)
            }
            Err(e) => invalid(request.id, e),
        }
    }

    /// One quick fix per diagnostic with a fix under the range, and the
    /// fix-all source action when there is at least one safe fix.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.documents.get(uri) else {
            return Vec::new();
        };
        let wants = |kind: &str| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
            })
        };
        let diagnostics = self.diagnostics(uri, doc);
        let index = LineIndex::new(&doc.text);
        let at = |p: Position| {
            offset(
                &index,
                &doc.text,
                p.line as usize,
                p.character as usize,
                self.unit,
            )
        };
        let (start, end) = (at(params.range.start), at(params.range.end));
        let mut actions = Vec::new();
        if wants(CodeActionKind::QUICKFIX.as_str()) {
            for d in diagnostics.iter() {
                let Some(fix) = &d.fix else { continue };
                let touches = d.span.start <= end && start <= d.span.end;
                if !touches {
                    continue;
                }
                let safety = match fix.applicability {
                    Applicability::Safe => "",
                    Applicability::Unsafe => " (unsafe)",
                };
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| {
                        text_edit(&doc.text, &index, self.unit, e.start, e.end, &e.replacement)
                    })
                    .collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("{}{safety} [{}]", capitalize(&fix.description), d.rule),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(&doc.text, &index, self.unit, d)]),
                    edit: Some(workspace_edit(uri, edits)),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..Default::default()
                }));
            }
        }
        if wants(FIX_ALL_KIND) {
            let edits = fix_all_edits(&doc.text, &diagnostics, &index, self.unit);
            if !edits.is_empty() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all safe residue problems".into(),
                    kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
                    edit: Some(workspace_edit(uri, edits)),
                    ..Default::default()
                }));
            }
        }
        actions
    }
}

/// Every safe fix whose edits do not overlap an edit already taken (the protocol
/// forbids overlapping edits); a second request after applying them picks up
/// whatever the first round left.
fn fix_all_edits(
    text: &str,
    diagnostics: &[Diagnostic],
    index: &LineIndex,
    unit: ColumnUnit,
) -> Vec<TextEdit> {
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new(); // start -> end
    let mut edits = Vec::new();
    let conflicts = |taken: &BTreeMap<usize, usize>, start: usize, end: usize| {
        // Taken edits do not overlap each other, so the last one that starts
        // before this edit ends is the only one that can reach into it. An empty
        // edit (an insertion) counts as one byte wide.
        taken
            .range(..end.max(start + 1))
            .next_back()
            .is_some_and(|(&s, &e)| start < e.max(s + 1))
    };
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.applicability != Applicability::Safe {
            continue;
        }
        if fix.edits.iter().any(|e| conflicts(&taken, e.start, e.end)) {
            continue;
        }
        for e in &fix.edits {
            taken.insert(e.start, e.end);
            edits.push(text_edit(text, index, unit, e.start, e.end, &e.replacement));
        }
    }
    edits
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn range(text: &str, index: &LineIndex, unit: ColumnUnit, start: usize, end: usize) -> Range {
    let point = |offset| {
        let (line, character) = position(index, text, offset, unit);
        Position::new(line as u32, character as u32)
    };
    Range::new(point(start), point(end))
}

fn text_edit(
    text: &str,
    index: &LineIndex,
    unit: ColumnUnit,
    start: usize,
    end: usize,
    replacement: &str,
) -> TextEdit {
    TextEdit::new(
        range(text, index, unit, start, end),
        replacement.to_string(),
    )
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

/// A diagnostic as the protocol carries it: the rule id is the `code`, `source` is
/// "residue", and the category travels in `data` (`{"category": …}`).
fn to_lsp(
    text: &str,
    index: &LineIndex,
    unit: ColumnUnit,
    d: &Diagnostic,
) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: range(text, index, unit, d.span.start, d.span.end),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.to_string())),
        source: Some("residue".into()),
        message: match d.category {
            Some(category) => format!("{} ({category})", d.message),
            None => d.message.clone(),
        },
        data: Some(serde_json::json!({ "category": d.category.map(|c| c.as_str()) })),
        ..Default::default()
    }
}

/// Publishes a document's diagnostics, already converted to JSON (`to_json`, in
/// parallel): they go into the protocol's params in place of its empty list.
fn send_diagnostics(
    sender: &crossbeam_channel::Sender<Message>,
    uri: &Uri,
    diagnostics: Vec<serde_json::Value>,
    version: Option<i32>,
) -> Result<()> {
    let mut params = serde_json::to_value(PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: Vec::new(),
        version,
    })?;
    params["diagnostics"] = serde_json::Value::Array(diagnostics);
    let note = Notification {
        method: PublishDiagnostics::METHOD.into(),
        params,
    };
    sender.send(Message::Notification(note))?;
    Ok(())
}

fn invalid(id: RequestId, err: serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use residue::{Category, Edit, Fix, Span};

    fn fixable(start: usize, end: usize, applicability: Applicability) -> Diagnostic {
        Diagnostic {
            rule: "r".into(),
            category: Some(Category::Repetition),
            severity: Severity::Warning,
            message: String::new(),
            span: Span::new(start, end),
            fix: Some(Fix::new(
                applicability,
                "delete",
                vec![Edit::delete(Span::new(start, end))],
            )),
        }
    }

    #[test]
    fn fix_all_takes_safe_fixes_that_do_not_overlap() {
        let text = "0123456789";
        let index = LineIndex::new(text);
        let diagnostics = [
            fixable(0, 3, Applicability::Safe),
            fixable(2, 5, Applicability::Safe), // overlaps the first
            fixable(5, 6, Applicability::Unsafe),
            fixable(6, 8, Applicability::Safe),
            fixable(8, 8, Applicability::Safe), // touches the end of the last: fine
            fixable(8, 10, Applicability::Safe), // starts at the insertion
        ];
        let edits = fix_all_edits(text, &diagnostics, &index, ColumnUnit::Utf16);
        let starts: Vec<u32> = edits.iter().map(|e| e.range.start.character).collect();
        assert_eq!(starts, [0, 6, 8]);

        // An edit that ends where a taken one starts, inside an earlier taken one.
        let diagnostics = [
            fixable(0, 6, Applicability::Safe),
            fixable(6, 8, Applicability::Safe),
            fixable(4, 6, Applicability::Safe),
        ];
        let edits = fix_all_edits(text, &diagnostics, &index, ColumnUnit::Utf16);
        assert_eq!(edits.len(), 2);
    }

    #[test]
    fn quick_fix_titles_are_capitalized() {
        assert_eq!(capitalize("delete the line"), "Delete the line");
        assert_eq!(capitalize(""), "");
    }
}

//! Speaks the Language Server Protocol to `residue lsp` over pipes, as an editor
//! would: initialize, open, change (incrementally), ask for code actions, shut down.

mod common;

use residue::editor::{apply_change, ColumnUnit};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// A minimal client: frames messages with `Content-Length` headers and reads the
/// server's messages on a thread.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Received>,
    /// Notifications that arrived while waiting for a response.
    pending: VecDeque<Received>,
    next_id: i64,
    /// The server's standard error, line by line, when it is captured.
    log: Option<Receiver<String>>,
}

/// A message from the server and when its last byte arrived (before parsing).
struct Received {
    at: Instant,
    message: Value,
}

impl Client {
    fn start() -> Client {
        Client::spawn(Command::new(env!("CARGO_BIN_EXE_residue")).stderr(Stdio::inherit()))
    }

    /// A server that logs its timings (`RESIDUE_LSP_TIMINGS`) to `log`.
    fn start_timed() -> Client {
        let mut client = Client::spawn(
            Command::new(env!("CARGO_BIN_EXE_residue"))
                .env("RESIDUE_LSP_TIMINGS", "1")
                .stderr(Stdio::piped()),
        );
        let stderr = client.child.stderr.take().unwrap();
        let (tx, log) = channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        client.log = Some(log);
        client
    }

    fn spawn(command: &mut Command) -> Client {
        let mut child = command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start residue lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                let at = Instant::now();
                let message = serde_json::from_slice(&body).unwrap();
                if tx.send(Received { at, message }).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            pending: VecDeque::new(),
            next_id: 1,
            log: None,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn receive(&self) -> Received {
        self.incoming
            .recv_timeout(Duration::from_secs(30))
            .expect("a message from the server")
    }

    fn next(&mut self) -> Received {
        self.pending.pop_front().unwrap_or_else(|| self.receive())
    }

    /// Sends a request and returns its result, skipping notifications.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let mut received = self.receive();
            if received.message["id"] == json!(id) {
                let message = &mut received.message;
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].take();
            }
            self.pending.push_back(received);
        }
    }

    /// The next diagnostics published for `version`.
    fn diagnostics(&mut self, version: i64) -> Vec<Value> {
        self.diagnostics_received(version).1
    }

    /// `diagnostics`, and when their message arrived.
    fn diagnostics_received(&mut self, version: i64) -> (Instant, Vec<Value>) {
        loop {
            let Received { at, mut message } = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["version"] == json!(version)
            {
                match message["params"]["diagnostics"].take() {
                    Value::Array(diagnostics) => return (at, diagnostics),
                    other => panic!("diagnostics are not an array: {other}"),
                }
            }
        }
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "server exited with {status}");
    }
}

const URI: &str = "file:///tmp/residue-lsp-test/doc.txt";

fn open(client: &mut Client, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}}),
    );
}

fn doubled(diagnostics: &[Value]) -> Vec<&Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "doubled-word")
        .collect()
}

/// Applies a WorkspaceEdit's edits for URI to a text, last first.
fn apply(text: &mut String, edit: &Value, unit: ColumnUnit) {
    let mut edits = edit["changes"][URI].as_array().unwrap().clone();
    let key = |e: &Value| {
        (
            e["range"]["start"]["line"].as_u64().unwrap(),
            e["range"]["start"]["character"].as_u64().unwrap(),
        )
    };
    edits.sort_by_key(|e| std::cmp::Reverse(key(e)));
    for e in edits {
        let point = |p: &Value| {
            (
                p["line"].as_u64().unwrap() as usize,
                p["character"].as_u64().unwrap() as usize,
            )
        };
        apply_change(
            text,
            point(&e["range"]["start"]),
            point(&e["range"]["end"]),
            e["newText"].as_str().unwrap(),
            unit,
        );
    }
}

#[test]
fn open_change_code_action_shutdown() {
    let mut client = Client::start();
    let init = client.initialize(json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["capabilities"]["textDocumentSync"], 2,
        "incremental sync"
    );

    // An emoji before the artifact: 4 bytes, 2 UTF-16 units, 1 character.
    let mut text =
        String::from("Smile 😀 and the the cat sat here today.\nA second line of prose.\n");
    open(&mut client, &text);
    let diagnostics = client.diagnostics(1);
    let found = doubled(&diagnostics);
    assert_eq!(found.len(), 1, "{diagnostics:?}");
    let d = found[0];
    assert_eq!(d["source"], "residue");
    assert_eq!(d["severity"], 2, "warning");
    assert_eq!(d["data"]["category"], "repetition");
    assert_eq!(d["range"]["start"], json!({"line": 0, "character": 13}));
    assert_eq!(d["range"]["end"], json!({"line": 0, "character": 20}));

    // Incremental change: type a doubled word on the second line.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [
                {"range": {"start": {"line": 1, "character": 9}, "end": {"line": 1, "character": 9}},
                 "text": "line "}
            ]
        }),
    );
    apply_change(&mut text, (1, 9), (1, 9), "line ", ColumnUnit::Utf16);
    assert_eq!(text.lines().nth(1), Some("A second line line of prose."));
    let diagnostics = client.diagnostics(2);
    let found = doubled(&diagnostics);
    assert_eq!(found.len(), 2, "{diagnostics:?}");
    assert_eq!(found[1]["range"]["start"]["line"], 1);

    // Quick fix for the first one; apply it as the editor would.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": found[0]["range"],
            "context": {"diagnostics": [found[0]]}
        }),
    );
    let quickfix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().contains("doubled-word"))
        .expect("a quick fix");
    let server_text = text.clone();
    apply(&mut text, &quickfix["edit"], ColumnUnit::Utf16);
    assert!(text.starts_with("Smile 😀 and the cat sat"), "{text}");

    // Fix-all as a source action.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.residue");
    let mut all_fixed = server_text;
    apply(&mut all_fixed, &actions[0]["edit"], ColumnUnit::Utf16);
    assert_eq!(
        all_fixed,
        "Smile 😀 and the cat sat here today.\nA second line of prose.\n"
    );

    // Full-document sync still works too.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    let diagnostics = client.diagnostics(3);
    assert_eq!(doubled(&diagnostics).len(), 1, "{diagnostics:?}");

    client.shutdown();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let mut client = Client::start();
    let init = client.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    open(&mut client, "Smile 😀 and the the cat sat here today.\n");
    let diagnostics = client.diagnostics(1);
    let found = doubled(&diagnostics);
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 0, "character": 15})
    );
    client.shutdown();
}

#[test]
fn markdown_documents_skip_code() {
    let mut client = Client::start();
    client.initialize(json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/residue-lsp-test/a.md", "languageId": "markdown", "version": 1,
               "text": "Some prose here.\n\n```\nthe the\n```\n\nAnd and then it ended.\n"}}),
    );
    let diagnostics = client.diagnostics(1);
    let found = doubled(&diagnostics);
    assert_eq!(found.len(), 1, "{diagnostics:?}");
    assert_eq!(found[0]["range"]["start"]["line"], 6);
    client.shutdown();
}

/// A burst of keystrokes: every change is applied in order, and the diagnostics
/// of the last version describe the final text (intermediate versions may be
/// skipped by the server).
#[test]
fn a_burst_of_incremental_changes() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let mut text = String::from("Start.\n");
    open(&mut client, &text);
    client.diagnostics(1);
    let typed = "Was it 😀 the the end?";
    let mut column = 0; // UTF-16 units into line 1
    for (i, c) in typed.chars().enumerate() {
        let version = i as i64 + 2;
        let s = c.to_string();
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": {"start": {"line": 1, "character": column},
                                              "end": {"line": 1, "character": column}},
                                    "text": s}]
            }),
        );
        apply_change(&mut text, (1, column), (1, column), &s, ColumnUnit::Utf16);
        column += c.len_utf16();
    }
    assert_eq!(text, format!("Start.\n{typed}"));
    let last = typed.chars().count() as i64 + 1;
    let diagnostics = client.diagnostics(last);
    let found = doubled(&diagnostics);
    assert_eq!(found.len(), 1, "{diagnostics:?}");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 1, "character": 10})
    );
    client.shutdown();
}

/// The re-lint time on a 1 MB document: not an assertion (timings vary with the
/// machine), a measurement. Run it with
/// `cargo test --release --test lsp -- --ignored --nocapture relint_time`.
#[test]
#[ignore]
fn relint_time_on_a_megabyte() {
    let seeds = common::seed_paths();
    let mut text = String::new();
    while text.len() < 1 << 20 {
        for seed in &seeds {
            text.push_str(&std::fs::read_to_string(seed).unwrap());
            text.push('\n');
        }
    }
    let lines = text.lines().count();
    let mut client = Client::start_timed();
    client.initialize(json!({}));
    let started = Instant::now();
    open(&mut client, &text);
    let first = client.diagnostics(1).len();
    println!(
        "open: {} bytes, {lines} lines, {first} diagnostics in {:?}",
        text.len(),
        started.elapsed()
    );
    // A small second document, to ask for code actions while the big one lints.
    let small = "file:///tmp/residue-lsp-test/small.txt";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": small, "languageId": "plaintext", "version": 100,
               "text": "The the start.\n"}}),
    );
    client.diagnostics(100);
    let (mut arrived, mut parsed, mut answers) = (Vec::new(), Vec::new(), Vec::new());
    for version in 2..22 {
        let line = (version as usize * 997) % lines;
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                              "end": {"line": line, "character": 0}},
                                    "text": "the the "}]
            }),
        );
        let asked = Instant::now();
        client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": small},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
                   "context": {"diagnostics": []}}),
        );
        answers.push(asked.elapsed());
        let (at, diagnostics) = client.diagnostics_received(version);
        parsed.push(started.elapsed());
        arrived.push(at - started);
        assert!(
            diagnostics.len() >= first / 2,
            "a re-lint finds what the first did"
        );
    }
    // The server's own account: change received -> diagnostics handed to the
    // transport (lint, then conversion to the protocol's JSON).
    let log = client.log.take().unwrap();
    let mut server = Vec::new();
    while server.len() < 20 {
        let line = log
            .recv_timeout(Duration::from_secs(30))
            .expect("a timing line");
        if line.contains(URI) && !line.contains("version 1:") {
            let ms = |key: &str| -> f64 {
                let rest = &line[line.find(key).unwrap() + key.len()..];
                rest.split(" ms").next().unwrap().parse().unwrap()
            };
            server.push(Duration::from_secs_f64(
                (ms("lint ") + ms("converted ")) / 1e3,
            ));
        }
    }
    let summary = |name: &str, mut times: Vec<Duration>| {
        times.sort();
        println!(
            "{name}, 20 runs: min {:.1?}, median {:.1?}, max {:.1?}",
            times[0],
            times[times.len() / 2],
            times[times.len() - 1]
        );
    };
    summary("server: lint and convert after a change", server);
    summary("round trip: change sent -> diagnostics arrived", arrived);
    summary("round trip with the client's JSON parse", parsed);
    summary(
        "a code action on another document, asked while the big one re-lints",
        answers,
    );
    client.shutdown();
}

/// A notification the server cannot read does not bring it down.
#[test]
fn survives_a_malformed_notification() {
    let mut client = Client::start();
    client.initialize(json!({}));
    client.notify("textDocument/didChange", json!({"textDocument": 42}));
    open(&mut client, "The the start.\n");
    assert_eq!(doubled(&client.diagnostics(1)).len(), 1);
    client.shutdown();
}

/// The workspace's `residue.toml` decides, as it does for `residue check`: here a
/// severity override, and a per-path ignore for one folder.
#[test]
fn honours_the_workspace_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("residue.toml"),
        "[severity]\ndoubled-word = \"error\"\n\n[per-path-ignores]\n\"drafts/**\" = [\"repetition\"]\n",
    )
    .unwrap();
    let root = format!("file://{}", dir.path().display());
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let text = "The the start.\n";
    for (name, version) in [("a.txt", 1), ("drafts/b.txt", 2)] {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": format!("{root}/{name}"), "languageId": "plaintext",
                   "version": version, "text": text}}),
        );
    }
    let article = client.diagnostics(1);
    let found = doubled(&article);
    assert_eq!(found.len(), 1, "{article:?}");
    assert_eq!(found[0]["severity"], 1, "error, from [severity]");
    let draft = client.diagnostics(2);
    assert!(doubled(&draft).is_empty(), "{draft:?}");
    client.shutdown();
}

//! The `residue` command line: files, rule packs, output and exit codes. All the
//! linting lives in the library; this file only wires it to the outside world.

mod atomic;
mod lsp;
mod ordered;
mod settings;
mod timings;
mod walk;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use residue::baseline::Baseline;
use residue::emit::{
    concise::Concise, github::Github, human::Human, json::Json, jsonl::JsonLines, sarif::Sarif,
    Emitter, FileReport, Summary, Writer,
};
use residue::fix::{self, FixMode};
use residue::source::decode;
use residue::suppress::{self, UNUSED_SUPPRESSION};
use residue::{
    config, Applicability, Diagnostic, Linter, RuleSet, Selection, Severity, SourceFormat,
};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use timings::{time, Stage, StageTimes};

#[derive(Parser)]
#[command(
    name = "residue",
    version,
    about = "Lint prose for the debris of scraping, OCR and machine translation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files and folders (default: the current folder); `-` reads standard input.
    Check(CheckArgs),
    /// List the loaded rules with their category and whether they can fix.
    Rules(RuleArgs),
    /// Serve the Language Server Protocol over standard input and output.
    Lsp(RuleArgs),
}

#[derive(clap::Args)]
struct RuleArgs {
    /// Add the rule files (*.toml) of a folder; repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Concise,
    Json,
    /// JSON Lines: one diagnostic object per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to lint; `-` for standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Only these rule ids or categories (comma-separated; `all` for every rule).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rule ids or categories (comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// The name to report for standard input; its extension picks the format
    /// (`.md`/`.markdown`: Markdown, `.html`/`.htm`: HTML, else plain text).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Colour in the human format (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Apply the safe fixes, then report what is left. On standard input, the
    /// fixed text goes to standard output and the findings to standard error.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff, apply unsafe fixes too (they may delete text).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change; write nothing.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Use this configuration file instead of searching for residue.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any residue.toml.
    #[arg(long)]
    no_config: bool,
    /// The lowest severity that makes the run fail (exit 1). Default: info.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file, report nothing, exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Print where the time went (per stage and rule) to standard error.
    #[arg(long, hide = true)]
    timings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

thread_local! {
    /// The bytes of the last file this thread read itself, kept for their room:
    /// a fresh buffer for each file costs a page fault every 4 KB as it fills,
    /// and the files not prefetched are the larger ones, or all of them while
    /// the prefetchers rest (`ordered`).
    static READ_BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Larger buffers go back to the allocator.
const READ_BUFFER_KEPT: usize = 16 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => list_rules(args),
        Command::Lsp(args) => lsp::serve(&args.rules),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // A reader that stopped early (`residue check | head`) is no error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("residue: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    load_rule_dirs(&args.rules)
}

/// The default pack plus the rule files of each folder, in order.
fn load_rule_dirs(dirs: &[PathBuf]) -> Result<RuleSet> {
    let mut set = RuleSet::default_pack()?;
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read rule folder {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            anyhow::bail!("{}: no rule files (*.toml) in this folder", dir.display());
        }
        for file in files {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read rule file {}", file.display()))?;
            set.add_file(&file.display().to_string(), &text)?;
        }
    }
    Ok(set)
}

fn list_rules(args: RuleArgs) -> Result<u8> {
    let set = load_rules(&args)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{:<28} {:<15} {:<8} {:<17} {:<4} {:<3} origin",
        "rule", "category", "severity", "kind", "fix", "on"
    )?;
    for r in &set.rules {
        writeln!(
            out,
            "{:<28} {:<15} {:<8} {:<17} {:<4} {:<3} {}:{}",
            r.id,
            r.category,
            r.severity,
            r.kind,
            if r.has_fix() { "yes" } else { "no" },
            if r.enabled { "yes" } else { "no" },
            r.origin,
            r.origin_line
        )?;
    }
    Ok(0)
}

/// Everything one file's check needs, shared by the parallel workers.
struct Run<'a> {
    linter: &'a Linter,
    emitter: &'a dyn Emitter,
    settings: Option<&'a settings::Loaded>,
    unused: suppress::UnusedPolicy,
    /// `Some` with --fix or --diff.
    fix: Option<FixMode>,
    diff: bool,
    fail_on: Severity,
    baseline: Option<&'a Mutex<Baseline>>,
    record: Option<&'a Mutex<Baseline>>,
    /// The name reported for standard input.
    stdin_name: &'a str,
}

/// Where an input came from and where its result goes.
enum Origin<'a> {
    Stdin,
    File(&'a Path),
}

/// What became of one input.
enum Outcome {
    Linted {
        items: Vec<String>,
        diagnostics: usize,
        fixable: usize,
        /// Findings at or above the --fail-on severity.
        failing: usize,
        /// Fixes applied (or, with --diff, that would be).
        fixes: usize,
        /// The unified diff, with --diff, when the text would change.
        diff: Option<String>,
        /// With --fix on standard input: the fixed text, for standard output.
        fixed_stdin: Option<String>,
    },
    /// Not prose (binary): a note, not an error.
    Skipped(String),
    Failed(String),
}

impl Run<'_> {
    /// The findings reported for a text: rules, then suppression comments, then
    /// per-path ignores (last, so they can also turn off `unused-suppression`).
    /// The fix loop uses the same check, so nothing suppressed is ever fixed.
    fn lint(
        &self,
        text: &str,
        format: SourceFormat,
        ignored: &[&str],
        times: Option<&RefCell<StageTimes>>,
    ) -> Vec<Diagnostic> {
        let Some(times) = times else {
            return suppress::shown(self.linter, text, format, self.unused, ignored);
        };
        let mut times = times.borrow_mut();
        let start = Instant::now();
        let found = suppress::shown_timed(
            self.linter,
            text,
            format,
            self.unused,
            ignored,
            Some(&mut times.engine),
        );
        times.lint += start.elapsed();
        found
    }

    /// Reads one input (unless it was `prefetched`) and checks it. A file the
    /// worker reads itself goes into the buffer of the last one it read
    /// (`READ_BUFFER`).
    fn input(
        &self,
        input: &walk::Input,
        prefetched: Option<Vec<u8>>,
        times: Option<&RefCell<StageTimes>>,
    ) -> Outcome {
        match input {
            walk::Input::Stdin => {
                let name = self.stdin_name;
                let mut bytes = Vec::new();
                match time(times, Stage::Read, || {
                    io::stdin().lock().read_to_end(&mut bytes)
                }) {
                    Ok(_) => {
                        let relative = self.settings.map(|s| s.relative(Path::new(name)));
                        self.process(name, relative.as_deref(), Origin::Stdin, &bytes, times)
                    }
                    Err(e) => Outcome::Failed(format!("{name}: cannot read standard input: {e}")),
                }
            }
            walk::Input::File(file) => {
                // `display` formats a path a byte run at a time: a thousand
                // instructions a file, where a UTF-8 path is copied as it is.
                let shown = match file.path.to_str() {
                    Some(path) => path.to_owned(),
                    None => file.path.display().to_string(),
                };
                let (read, own) = match prefetched {
                    Some(bytes) => (Ok((bytes.len(), bytes)), false),
                    None => {
                        let mut bytes = READ_BUFFER.take();
                        let read = time(times, Stage::Read, || walk::read(&file.path, &mut bytes));
                        (read.map(|len| (len, bytes)), true)
                    }
                };
                match read {
                    Ok((len, bytes)) => {
                        let origin = Origin::File(&file.path);
                        let text = &bytes[..len];
                        let outcome =
                            self.process(&shown, file.relative.as_deref(), origin, text, times);
                        if own && bytes.capacity() <= READ_BUFFER_KEPT {
                            READ_BUFFER.set(bytes);
                        }
                        outcome
                    }
                    Err(e) => Outcome::Failed(format!("{shown}: cannot read: {e}")),
                }
            }
        }
    }

    /// Checks (and with --fix, fixes) one input. `relative` is its path relative
    /// to the configuration file's folder, when there is one.
    fn process(
        &self,
        path: &str,
        relative: Option<&Path>,
        origin: Origin,
        bytes: &[u8],
        times: Option<&RefCell<StageTimes>>,
    ) -> Outcome {
        if let Some(times) = times {
            let mut times = times.borrow_mut();
            times.files += 1;
            times.bytes += bytes.len() as u64;
        }
        let text = match time(times, Stage::Decode, || decode(bytes)) {
            Ok(text) => text,
            Err(residue::source::DecodeError::Binary) => {
                return Outcome::Skipped(format!("{path}: binary file, skipped"))
            }
            Err(err) => return Outcome::Failed(format!("{path}:{err}")),
        };
        // Markdown and HTML by extension (for standard input, --stdin-filename's).
        let format = SourceFormat::from_path(path);
        let ignored = match (self.settings, relative) {
            (Some(s), Some(rel)) => s.config.ignored_in(rel),
            _ => Vec::new(),
        };
        // Borrowed unless fixing: plain checks copy no text.
        let (final_text, mut diagnostics, fixes): (Cow<str>, _, _) = match self.fix {
            Some(mode) => time(times, Stage::Fix, || {
                let fixed =
                    fix::fix_until_stable(text, mode, |t| self.lint(t, format, &ignored, times));
                (Cow::Owned(fixed.text), fixed.remaining, fixed.fixes)
            }),
            None => (
                Cow::Borrowed(text),
                self.lint(text, format, &ignored, times),
                0,
            ),
        };
        let changed = final_text != text;
        let mut diff = None;
        let mut fixed_stdin = None;
        if changed && self.diff {
            diff = Some(unified_diff(path, text, &final_text));
        } else if changed {
            match origin {
                Origin::File(file) => {
                    if let Err(e) = atomic::write(file, final_text.as_bytes()) {
                        return Outcome::Failed(format!("{path}: cannot write the fixes: {e}"));
                    }
                }
                Origin::Stdin => {}
            }
        }
        if self.fix.is_some() && !self.diff && matches!(origin, Origin::Stdin) {
            fixed_stdin = Some(final_text.to_string());
        }
        if let Some(record) = self.record {
            let mut own = Baseline::default();
            own.add(path, &final_text, &diagnostics);
            record.lock().expect("no worker panics").merge(own);
            diagnostics.clear();
        }
        if let Some(baseline) = self.baseline {
            baseline
                .lock()
                .expect("no worker panics")
                .filter(path, &final_text, &mut diagnostics);
        }
        let fixable = diagnostics
            .iter()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
            })
            .count();
        let failing = diagnostics
            .iter()
            .filter(|d| d.severity >= self.fail_on)
            .count();
        // Every format renders one item per diagnostic: a clean file needs none
        // (and no line index).
        let items = if self.diff || diagnostics.is_empty() {
            Vec::new()
        } else {
            time(times, Stage::Emit, || {
                self.emitter.items(&FileReport {
                    path,
                    text: &final_text,
                    diagnostics: &diagnostics,
                })
            })
        };
        Outcome::Linted {
            items,
            diagnostics: diagnostics.len(),
            fixable,
            failing,
            fixes,
            diff,
            fixed_stdin,
        }
    }
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path);
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

/// `--select`/`--ignore` replace the config file's lists; names are checked
/// against the loaded rules (and residue's own `unused-suppression`).
fn selection(
    args: &CheckArgs,
    settings: Option<&settings::Loaded>,
    set: &RuleSet,
) -> Result<Selection> {
    let from_config = |names: &[config::Name]| names.iter().map(|n| n.name.clone()).collect();
    let select: Vec<String> = match settings {
        Some(s) if args.select.is_empty() => from_config(&s.config.select),
        _ => args.select.clone(),
    };
    let ignore: Vec<String> = match settings {
        Some(s) if args.ignore.is_empty() => from_config(&s.config.ignore),
        _ => args.ignore.clone(),
    };
    let not_ours = |names: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|n| *n != UNUSED_SUPPRESSION)
            .cloned()
            .collect()
    };
    let (flag_select, flag_ignore) = (not_ours(&args.select), not_ours(&args.ignore));
    let unknown = set.unknown_names(&flag_select);
    let unknown_ignored = set.unknown_names(&flag_ignore);
    if let Some(name) = unknown.iter().chain(&unknown_ignored).next() {
        anyhow::bail!("unknown rule or category `{name}` (see `residue rules`)");
    }
    Ok(Selection { select, ignore })
}

/// `unused-suppression` runs by default, and with `--select` only when named
/// (or `all`); `--ignore` can turn it off.
fn check(args: CheckArgs) -> Result<u8> {
    let started = Instant::now();
    let jobs = args.jobs.filter(|&n| n > 0);
    if let Some(jobs) = jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .context("cannot start the worker threads")?;
    }
    // Asking rayon would start its threads, which a single file does not need.
    let workers =
        jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let settings = settings::resolve(args.config.as_deref(), args.no_config)?;
    let mut dirs = settings.as_ref().map_or_else(Vec::new, |s| s.rule_dirs());
    dirs.extend(args.rules.rules.iter().cloned());
    let mut set = load_rule_dirs(&dirs)?;
    if let Some(s) = &settings {
        s.config.check_names(&set, &[UNUSED_SUPPRESSION])?;
        s.config.apply_severity(&mut set);
    }
    let selection = selection(&args, settings.as_ref(), &set)?;
    // Kept until the process exits: freeing the compiled rules (many small
    // allocations) would add 1.5% to the instructions of a one-file check.
    let linter: &Linter = Box::leak(Box::new(Linter::new(set.select(&selection))));
    let rules_time = started.elapsed();
    let config = settings.as_ref().map(|s| &s.config);
    let fail_on = args
        .fail_on
        .map(FailOn::severity)
        .or(config.and_then(|c| c.fail_on))
        .unwrap_or(Severity::Info);
    let exit_zero = args.exit_zero || config.and_then(|c| c.exit_zero).unwrap_or(false);

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never,
    };
    let emitter: Box<dyn Emitter> = match args.format {
        Format::Human => Box::new(Human::new(color)),
        Format::Concise => Box::new(Concise),
        Format::Json => Box::new(Json),
        Format::Jsonl => Box::new(JsonLines),
        Format::Sarif => Box::new(Sarif::new(linter.rules())),
        Format::Github => Box::new(Github),
    };

    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read baseline {}", path.display()))?;
            let baseline = Baseline::from_json(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Some(Mutex::new(baseline))
        }
        None => None,
    };
    let record = args
        .write_baseline
        .as_ref()
        .map(|_| Mutex::new(Baseline::default()));

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let walk_start = Instant::now();
    let (inputs, errors) = walk::collect(&paths, settings.as_ref(), workers);
    let walk_time = walk_start.elapsed();
    for e in &errors {
        eprintln!("residue: error: {e}");
    }

    let fix_mode = if args.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    };
    let run = Run {
        linter,
        emitter: emitter.as_ref(),
        settings: settings.as_ref(),
        unused: suppress::UnusedPolicy::new(&selection, config),
        fix: (args.fix || args.diff).then_some(fix_mode),
        diff: args.diff,
        fail_on,
        baseline: baseline.as_ref(),
        record: record.as_ref(),
        stdin_name: args.stdin_filename.as_deref().unwrap_or("-"),
    };
    let stdin_fix = args.fix && inputs.iter().any(|i| matches!(i, walk::Input::Stdin));

    // With --fix on standard input, standard output carries the fixed text, so the
    // findings go to standard error.
    // Not locked for the run: the worker that finishes the next file writes it.
    let mut out: Box<dyn Write + Send> = if stdin_fix {
        Box::new(io::BufWriter::new(io::stderr()))
    } else {
        Box::new(io::BufWriter::new(io::stdout()))
    };
    let mut totals = Totals {
        errors,
        ..Totals::default()
    };
    let file_times = Mutex::new(StageTimes::default());
    let mut write_time = Duration::ZERO;
    {
        let mut writer = (!args.diff && record.is_none())
            .then(|| Writer::new(emitter.as_ref(), &mut out))
            .transpose()?;
        // Files are linted in parallel and written in order as they complete.
        let lint = |input: &walk::Input, prefetched| {
            if !args.timings {
                return run.input(input, prefetched, None);
            }
            let times = RefCell::new(StageTimes::default());
            let start = Instant::now();
            let outcome = run.input(input, prefetched, Some(&times));
            let mut times = times.into_inner();
            times.file = start.elapsed();
            file_times.lock().expect("no worker panics").add(&times);
            outcome
        };
        let write = |outcome| {
            let start = args.timings.then(Instant::now);
            let written = totals.record(outcome, writer.as_mut());
            write_time += start.map_or(Duration::ZERO, |s| s.elapsed());
            written
        };
        // With --fix a file may be written while a later input names it again;
        // it must then be read after that write, not ahead of it.
        let prefetch = |input: &walk::Input| if args.fix { None } else { input.prefetch() };
        ordered::run(&inputs, prefetch, lint, write)?;
        if let Some(w) = writer {
            w.finish(totals.summary)?;
        }
    }
    drop(out);
    if args.timings {
        let times = timings::RunTimes {
            files: file_times.into_inner().expect("no worker panics"),
            rules: rules_time,
            walk: walk_time,
            write: write_time,
            wall: started.elapsed(),
            threads: workers.min(inputs.len()).max(1),
        };
        eprint!("{}", times.table(linter.rules()));
    }

    let Totals {
        failing,
        fixes,
        fixed_files,
        diffs,
        fixed_stdin,
        errors,
        ..
    } = totals;
    if let Some(text) = fixed_stdin {
        io::stdout().lock().write_all(text.as_bytes())?;
    }
    if args.diff {
        io::stdout().lock().write_all(diffs.as_bytes())?;
        eprintln!("residue: {fixes} fix(es) would be applied to {fixed_files} file(s)");
    } else if args.fix {
        eprintln!("residue: applied {fixes} fix(es) in {fixed_files} file(s)");
    }
    if let (Some(path), Some(record)) = (&args.write_baseline, record) {
        let baseline = record.into_inner().expect("no worker panics");
        std::fs::write(path, baseline.to_json())
            .with_context(|| format!("cannot write baseline {}", path.display()))?;
        eprintln!(
            "residue: recorded {} finding(s) in {}",
            baseline.len(),
            path.display()
        );
        return Ok(if errors.is_empty() { 0 } else { 2 });
    }
    Ok(if !errors.is_empty() {
        2
    } else if exit_zero {
        0
    } else if args.diff {
        // Like `--check` in formatters: a diff to apply is a failure.
        u8::from(!diffs.is_empty())
    } else if failing == 0 {
        0
    } else {
        1
    })
}

/// What the outcomes add up to, gathered in input order as they are written.
#[derive(Default)]
struct Totals {
    summary: Summary,
    failing: usize,
    fixes: usize,
    fixed_files: usize,
    diffs: String,
    fixed_stdin: Option<String>,
    /// Every error so far, already printed.
    errors: Vec<String>,
}

impl Totals {
    /// Writes one input's findings (when `writer` is given), prints its note or
    /// error, and adds up its counts.
    fn record(&mut self, outcome: Outcome, writer: Option<&mut Writer>) -> io::Result<()> {
        match outcome {
            Outcome::Linted {
                items,
                diagnostics,
                fixable,
                failing,
                fixes,
                diff,
                fixed_stdin,
            } => {
                if let Some(w) = writer {
                    w.write(&items)?;
                }
                self.summary.files += 1;
                self.summary.diagnostics += diagnostics;
                self.summary.fixable += fixable;
                self.failing += failing;
                self.fixes += fixes;
                self.fixed_files += usize::from(fixes > 0);
                if let Some(d) = diff {
                    self.diffs.push_str(&d);
                }
                if fixed_stdin.is_some() {
                    self.fixed_stdin = fixed_stdin;
                }
            }
            Outcome::Skipped(note) => eprintln!("residue: note: {note}"),
            Outcome::Failed(err) => {
                eprintln!("residue: error: {err}");
                self.errors.push(err);
            }
        }
        Ok(())
    }
}

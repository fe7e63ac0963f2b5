//! The `residue` command line: files, rule packs, output and exit codes. All the
//! linting lives in the library; this file only wires it to the outside world.

mod ordered;
mod walk;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use residue::emit::{
    concise::Concise, human::Human, json::Json, Emitter, FileReport, Summary, Writer,
};
use residue::source::decode;
use residue::{Applicability, Linter, RuleSet, Selection, Timings};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
    /// The name to report for standard input.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Colour in the human format (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Print where the time went (per stage and rule) to standard error.
    #[arg(long, hide = true)]
    timings: bool,
    /// Lint this many files at once (0 or absent: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

/// Time per step, summed over all files (all threads): the hidden `--timings`.
#[derive(Default)]
struct StepTimes {
    read: Duration,
    decode: Duration,
    emit: Duration,
    bytes: u64,
    lint: Timings,
}

impl StepTimes {
    fn add(&mut self, other: &StepTimes) {
        self.read += other.read;
        self.decode += other.decode;
        self.emit += other.emit;
        self.bytes += other.bytes;
        self.lint.add(&other.lint);
    }

    fn print(&self, set: &RuleSet) {
        let mb = self.bytes as f64 / 1e6;
        let mut rows: Vec<(String, String, Duration)> = vec![
            ("read".into(), "-".into(), self.read),
            ("decode".into(), "-".into(), self.decode),
            ("document".into(), "-".into(), self.lint.document),
            ("sort".into(), "-".into(), self.lint.finish),
            ("emit".into(), "-".into(), self.emit),
        ];
        for (i, d) in self.lint.rules.iter().enumerate() {
            let r = &set.rules[i];
            rows.push((format!("rule:{}", r.kind), r.id.to_string(), *d));
        }
        let total: Duration = rows.iter().map(|r| r.2).sum();
        rows.sort_by_key(|r| std::cmp::Reverse(r.2));
        eprintln!(
            "residue: timings over {mb:.1} MB (CPU time summed over threads; total {:.3} s = {:.1} MB/s per core)",
            total.as_secs_f64(),
            mb / total.as_secs_f64().max(1e-9)
        );
        eprintln!(
            "{:<22} {:<28} {:>9} {:>6} {:>10}",
            "step", "rule", "seconds", "share", "MB/s"
        );
        for (step, rule, d) in rows {
            let secs = d.as_secs_f64();
            eprintln!(
                "{step:<22} {rule:<28} {secs:>9.3} {:>5.1}% {:>10.1}",
                100.0 * secs / total.as_secs_f64().max(1e-9),
                mb / secs.max(1e-9)
            );
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => list_rules(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("residue: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    let mut set = RuleSet::default_pack()?;
    for dir in &args.rules {
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

/// What became of one input.
enum Outcome {
    Linted {
        items: Vec<String>,
        diagnostics: usize,
        fixable: usize,
    },
    /// Not prose (binary): a note, not an error.
    Skipped(String),
    Failed(String),
}

fn lint_bytes(
    linter: &Linter,
    emitter: &dyn Emitter,
    path: &str,
    bytes: &[u8],
    mut times: Option<&mut StepTimes>,
) -> Outcome {
    let clock = Instant::now();
    let decoded = decode(bytes);
    if let Some(t) = times.as_deref_mut() {
        t.decode += clock.elapsed();
        t.bytes += bytes.len() as u64;
    }
    let text = match decoded {
        Ok(text) => text,
        Err(residue::source::DecodeError::Binary) => {
            return Outcome::Skipped(format!("{path}: binary file, skipped"))
        }
        Err(err) => return Outcome::Failed(format!("{path}:{err}")),
    };
    let diagnostics = linter.check_timed(text, times.as_deref_mut().map(|t| &mut t.lint));
    let clock = Instant::now();
    let fixable = diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    let items = emitter.items(&FileReport {
        path,
        text,
        diagnostics: &diagnostics,
    });
    if let Some(t) = times {
        t.emit += clock.elapsed();
    }
    Outcome::Linted {
        items,
        diagnostics: diagnostics.len(),
        fixable,
    }
}

fn check(args: CheckArgs) -> Result<u8> {
    let set = load_rules(&args.rules)?;
    let unknown = set.unknown_names(&args.select);
    let unknown_ignored = set.unknown_names(&args.ignore);
    if let Some(name) = unknown.iter().chain(&unknown_ignored).next() {
        anyhow::bail!("unknown rule or category `{name}` (see `residue rules`)");
    }
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let linter = Linter::new(set.select(&selection));

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never,
    };
    let emitter: Box<dyn Emitter> = match args.format {
        Format::Human => Box::new(Human::new(color)),
        Format::Concise => Box::new(Concise),
        Format::Json => Box::new(Json),
    };

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (inputs, mut errors) = walk::collect(&paths);
    for e in &errors {
        eprintln!("residue: error: {e}");
    }

    let all_times = Mutex::new(StepTimes::default());
    let lint_input = |input: &walk::Input| {
        let mut times = args.timings.then(StepTimes::default);
        let clock = Instant::now();
        let outcome = match input {
            walk::Input::Stdin => {
                let name = args.stdin_filename.as_deref().unwrap_or("-");
                let mut bytes = Vec::new();
                match io::stdin().lock().read_to_end(&mut bytes) {
                    Ok(_) => {
                        if let Some(t) = times.as_mut() {
                            t.read += clock.elapsed();
                        }
                        lint_bytes(&linter, emitter.as_ref(), name, &bytes, times.as_mut())
                    }
                    Err(e) => Outcome::Failed(format!("{name}: cannot read standard input: {e}")),
                }
            }
            walk::Input::File(path) => {
                let shown = path.display().to_string();
                match std::fs::read(path) {
                    Ok(bytes) => {
                        if let Some(t) = times.as_mut() {
                            t.read += clock.elapsed();
                        }
                        lint_bytes(&linter, emitter.as_ref(), &shown, &bytes, times.as_mut())
                    }
                    Err(e) => Outcome::Failed(format!("{shown}: cannot read: {e}")),
                }
            }
        };
        if let Some(t) = times {
            all_times
                .lock()
                .expect("no panics while holding it")
                .add(&t);
        }
        outcome
    };

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut writer = Writer::new(emitter.as_ref(), &mut out)?;
    let mut summary = Summary::default();
    let mut write_outcome = |outcome: Outcome| -> io::Result<()> {
        match outcome {
            Outcome::Linted {
                items,
                diagnostics,
                fixable,
            } => {
                writer.write(&items)?;
                summary.files += 1;
                summary.diagnostics += diagnostics;
                summary.fixable += fixable;
            }
            Outcome::Skipped(note) => eprintln!("residue: note: {note}"),
            Outcome::Failed(err) => {
                eprintln!("residue: error: {err}");
                errors.push(err);
            }
        }
        Ok(())
    };
    let jobs = match args.jobs {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    ordered::run(&inputs, jobs, lint_input, &mut write_outcome)?;
    writer.finish(summary)?;
    if args.timings {
        all_times
            .into_inner()
            .expect("no panics while holding it")
            .print(linter.rules());
    }
    Ok(if !errors.is_empty() {
        2
    } else if summary.diagnostics > 0 {
        1
    } else {
        0
    })
}

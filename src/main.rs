//! The `residue` command line: files, rule packs, output and exit codes. All the
//! linting lives in the library; this file only wires it to the outside world.

mod lsp;
mod walk;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use residue::emit::{
    concise::Concise, github::Github, human::Human, json::Json, jsonl::JsonLines, sarif::Sarif,
    Emitter, FileReport, Summary, Writer,
};
use residue::source::decode;
use residue::{Applicability, Linter, RuleSet, Selection, SourceFormat};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => list_rules(args),
        Command::Lsp(args) => load_rules(&args).and_then(lsp::serve),
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

fn lint_bytes(linter: &Linter, emitter: &dyn Emitter, path: &str, bytes: &[u8]) -> Outcome {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(residue::source::DecodeError::Binary) => {
            return Outcome::Skipped(format!("{path}: binary file, skipped"))
        }
        Err(err) => return Outcome::Failed(format!("{path}:{err}")),
    };
    let diagnostics = linter.check_with_format(text, SourceFormat::from_path(path));
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
        Format::Jsonl => Box::new(JsonLines),
        Format::Sarif => Box::new(Sarif::new(linter.rules())),
        Format::Github => Box::new(Github),
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

    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| match input {
            walk::Input::Stdin => {
                let name = args.stdin_filename.as_deref().unwrap_or("-");
                let mut bytes = Vec::new();
                match io::stdin().lock().read_to_end(&mut bytes) {
                    Ok(_) => lint_bytes(&linter, emitter.as_ref(), name, &bytes),
                    Err(e) => Outcome::Failed(format!("{name}: cannot read standard input: {e}")),
                }
            }
            walk::Input::File(path) => {
                let shown = path.display().to_string();
                match std::fs::read(path) {
                    Ok(bytes) => lint_bytes(&linter, emitter.as_ref(), &shown, &bytes),
                    Err(e) => Outcome::Failed(format!("{shown}: cannot read: {e}")),
                }
            }
        })
        .collect();

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut writer = Writer::new(emitter.as_ref(), &mut out)?;
    let mut summary = Summary::default();
    for outcome in &outcomes {
        match outcome {
            Outcome::Linted {
                items,
                diagnostics,
                fixable,
            } => {
                writer.write(items)?;
                summary.files += 1;
                summary.diagnostics += diagnostics;
                summary.fixable += fixable;
            }
            Outcome::Skipped(note) => eprintln!("residue: note: {note}"),
            Outcome::Failed(err) => {
                eprintln!("residue: error: {err}");
                errors.push(err.clone());
            }
        }
    }
    writer.finish(summary)?;
    Ok(if !errors.is_empty() {
        2
    } else if summary.diagnostics > 0 {
        1
    } else {
        0
    })
}

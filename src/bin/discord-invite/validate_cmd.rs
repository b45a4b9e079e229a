//! `discord-invite validate`: read paths in a background thread, validate each batch on every
//! core, print in source order.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::sync_channel;
use std::thread;

use clap::ValueEnum;
use discord_invite::validate::input::{Event, FileFormat, Reader, BATCH_BYTES};
use discord_invite::validate::{Kind, Options};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::output::{self, Counts, Style};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style findings with source snippets, per-file summaries and a total.
    Human,
    /// NDJSON: one record per payload (see docs/VALIDATE.md).
    Json,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files (JSON, JSON array, NDJSON, HAR), directories (walked recursively), or `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Validate payloads as this kind when neither a HAR entry nor a gateway envelope says
    /// (see `discord-invite schema export` for the list).
    #[arg(long, value_name = "NAME", value_parser = parse_kind)]
    kind: Option<Kind>,
    /// Treat the spec's required fields and closed enums as errors.
    #[arg(long)]
    strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour for human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also list payloads that are valid without findings (human output).
    #[arg(short, long)]
    verbose: bool,
    /// Worker threads (default: every core).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// NDJSON batch size in bytes (memory use is a few batches).
    #[arg(long, value_name = "BYTES", default_value_t = BATCH_BYTES, hide = true)]
    batch_bytes: usize,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse::<Kind>().map_err(|e| e.to_string())
}

/// Runs the command; the exit code follows the README: 0, 1 on an error finding, 2 on an I/O
/// problem.
pub fn run(args: Args) -> ExitCode {
    if let Some(n) = args.jobs {
        // Only fails if a pool already exists, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let options = Options::new(args.kind, args.strict);
    let stdout = io::stdout();
    let style = Style {
        color: match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        },
        verbose: args.verbose,
    };
    let progress = progress_bar();
    let started = std::time::Instant::now();

    // The reader runs ahead by at most two batches: memory stays flat on any input size.
    let (tx, rx) = sync_channel::<Event>(2);
    let paths = args.paths.clone();
    let batch_bytes = args.batch_bytes;
    let reader = thread::spawn(move || {
        for event in Reader::new(paths).batch_bytes(batch_bytes) {
            if tx.send(event).is_err() {
                break;
            }
        }
    });

    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut total = Counts::default();
    let mut file = Counts::default();
    let mut format = FileFormat::Json;
    let (mut files, mut failed, mut bytes) = (0u64, 0u64, 0u64);
    let mut write_ok = true;
    for event in rx {
        let text = match event {
            Event::FileStart { format: f, .. } => {
                file = Counts::default();
                format = f;
                files += 1;
                String::new()
            }
            Event::Batch(batch) => {
                let rendered: Vec<(String, Counts)> = (0..batch.len())
                    .into_par_iter()
                    .map(|i| {
                        let record = batch.validate(i, &options);
                        let mut c = Counts::default();
                        c.add(&record);
                        let text = match args.format {
                            Format::Json => output::json(&record),
                            Format::Human => output::human(&style, &record, Some((&batch, i))),
                        };
                        (text, c)
                    })
                    .collect();
                let mut text = String::new();
                for (t, c) in &rendered {
                    text.push_str(t);
                    file.merge(c);
                }
                bytes += batch.bytes();
                if let Some(pb) = &progress {
                    // Only long runs get a spinner: it appears after the first second.
                    if pb.is_hidden() && started.elapsed() > std::time::Duration::from_secs(1) {
                        pb.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
                    }
                    pb.set_message(format!(
                        "{} MiB, {} payloads",
                        bytes >> 20,
                        total.payloads + file.payloads
                    ));
                }
                text
            }
            Event::FileEnd { source, ignored } => {
                total.merge(&file);
                match args.format {
                    Format::Human => output::file_summary(&style, &source, format, &file, ignored),
                    Format::Json => String::new(),
                }
            }
            Event::Failed(record) => {
                failed += 1;
                match args.format {
                    Format::Json => output::json(&record),
                    Format::Human => output::human(&style, &record, None),
                }
            }
        };
        if text.is_empty() {
            continue;
        }
        let res = match &progress {
            Some(pb) => pb.suspend(|| out.write_all(text.as_bytes())),
            None => out.write_all(text.as_bytes()),
        };
        if let Err(e) = res {
            write_ok = false;
            if e.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write output: {e}");
            }
            break;
        }
    }
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    if write_ok && args.format == Format::Human {
        let _ = out.write_all(output::total(&style, files, &total, failed).as_bytes());
    }
    let flushed = out.flush().is_ok();
    drop(out);
    // On a write failure the reader may be blocked on a full channel: dropping the receiver
    // (done when the loop ended) unblocks it.
    let _ = reader.join();

    if failed > 0 || !write_ok || !flushed {
        ExitCode::from(2)
    } else if total.error > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A spinner for stderr, only when stderr is a terminal; hidden until the run proves long.
fn progress_bar() -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    pb.set_style(
        ProgressStyle::with_template("{spinner} validating: {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(250));
    Some(pb)
}

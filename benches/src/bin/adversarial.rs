//! `adversarial [ROUNDS] [SIZE_MB] [NAME,…]` (defaults 5, 2 and every input): the validator and
//! the CLI on the adversarial inputs of `discord_invite_benches::adversarial`, each at SIZE_MB
//! and at four times that, measured round-robin (every input and path once per round; medians
//! over rounds).
//! Linear work keeps its MB/s at four times the size (the `×4 size` column near 1); quadratic
//! work falls to a quarter. The target (issue 13) is 50 MB/s through `validate` and the CLI.
//!
//! The CLI rows need the binary: `DISCORD_INVITE_BIN=../target/release/discord-invite` (build it
//! with `cargo build --release -p discord-invite-cli` in the workspace). The inputs are written
//! to a temporary directory, deleted at the end. `adversarial write DIR SIZE_MB` writes every
//! input to DIR (for profiling the CLI on them); `adversarial lib PATH [ROUNDS]` runs the
//! library's `validate` on one of them, ROUNDS times.

use std::hint::black_box;
use std::io::Cursor;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use discord_invite::validate::input::{Event, Reader};
use discord_invite::validate::{validate, validate_payload, Options, Origin};
use discord_invite_benches::adversarial::{inputs, Input, Shape};

const TARGET_MBPS: f64 = 50.0;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The library's work on an input, on one thread: findings of every payload.
fn library(input: &Input) -> usize {
    match input.shape {
        Shape::Document => validate(&input.bytes, None).findings.len(),
        Shape::File => {
            let mut findings = 0;
            let options = Options::default();
            for e in Reader::from_stream("bench", Cursor::new(input.bytes.clone())) {
                if let Event::Batch(b) = e {
                    for i in 0..b.len() {
                        findings += b.report(i, &options).findings.len();
                    }
                }
            }
            findings
        }
    }
}

/// One CLI run on a file; `json` picks `--format json`.
fn cli(bin: &str, path: &PathBuf, json: bool) {
    let mut cmd = Command::new(bin);
    cmd.arg("validate");
    if json {
        cmd.args(["--format", "json"]);
    }
    let status = cmd
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the CLI runs");
    // 0 or 1 (findings at error severity); anything else is a failure.
    assert!(matches!(status.code(), Some(0 | 1)), "{path:?}: {status}");
}

fn main() {
    // `adversarial read PATH`: the readers alone over a file (no validation), for perf.
    if std::env::args().nth(1).as_deref() == Some("read") {
        let path = std::env::args().nth(2).expect("a path");
        let t = Instant::now();
        let (mut payloads, mut bytes) = (0, 0u64);
        for e in Reader::new([&path]) {
            if let Event::Batch(b) = e {
                payloads += b.len();
                bytes += b.bytes();
            }
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "{payloads} payloads, {bytes} bytes in {s:.2} s: {:.0} MB/s",
            bytes as f64 / s / 1e6
        );
        return;
    }
    // `adversarial lib PATH [ROUNDS] [--capped]`: the library's `validate` on one JSON
    // document, ROUNDS times (default 5) in one process, for perf; `--capped` with repeats
    // capped as human output caps them.
    if std::env::args().nth(1).as_deref() == Some("lib") {
        let path = std::env::args().nth(2).expect("a path");
        let rounds = std::env::args()
            .nth(3)
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        let bytes = std::fs::read(&path).expect("a readable file");
        // `--capped`: as human output asks (five of each kind listed, fifty of errors).
        let options = Options::default().with_max_repeats(Some(5), Some(50));
        let capped = std::env::args().any(|a| a == "--capped");
        for _ in 0..rounds {
            let t = Instant::now();
            let n = if capped {
                let r = black_box(validate_payload(&bytes, None, Origin::START, &options));
                r.findings.len() + r.omitted.iter().map(|o| o.count).sum::<usize>()
            } else {
                black_box(validate(&bytes, None)).findings.len()
            };
            let s = t.elapsed().as_secs_f64();
            println!(
                "{n} findings in {s:.3} s: {:.0} MB/s",
                bytes.len() as f64 / s / 1e6
            );
        }
        return;
    }
    // `adversarial write DIR SIZE_MB`: every input written to DIR as NAME.EXT, for profiling
    // the CLI (`perf record … discord-invite validate DIR/NAME.EXT`).
    if std::env::args().nth(1).as_deref() == Some("write") {
        let arg = |i: usize| std::env::args().nth(i).unwrap_or_default();
        let dir = PathBuf::from(arg(2));
        let size = (arg(3).parse::<f64>().unwrap_or(2.0) * 1e6) as usize;
        std::fs::create_dir_all(&dir).expect("a directory");
        for input in inputs(size) {
            let path = dir.join(format!("{}.{}", input.name, input.ext));
            std::fs::write(&path, &input.bytes).expect("write an input");
        }
        return;
    }
    // `adversarial profile NAME SIZE_MB REPEAT`: one input through the library, for perf.
    if std::env::args().nth(1).as_deref() == Some("profile") {
        let arg = |i: usize| std::env::args().nth(i).unwrap_or_default();
        let size = (arg(3).parse::<f64>().unwrap_or(2.0) * 1e6) as usize;
        let input = inputs(size)
            .into_iter()
            .find(|i| i.name == arg(2))
            .expect("an input name");
        for _ in 0..arg(4).parse::<usize>().unwrap_or(10) {
            black_box(library(&input));
        }
        return;
    }
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(5, |s| s.parse().expect("ROUNDS"));
    let size_mb: f64 = args.next().map_or(2.0, |s| s.parse().expect("SIZE_MB"));
    // Optional: only these inputs (comma-separated names).
    let only: Option<Vec<String>> = args
        .next()
        .map(|s| s.split(',').map(str::to_owned).collect());
    let bin = std::env::var("DISCORD_INVITE_BIN").ok();
    let size = (size_mb * 1e6) as usize;
    let dir =
        std::env::temp_dir().join(format!("discord-invite-adversarial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");

    // (name, what, size label, bytes, path on disk, input)
    let mut cases: Vec<(String, Input, PathBuf)> = Vec::new();
    for (label, s) in [("1x", size), ("4x", 4 * size)] {
        for input in inputs(s) {
            if only
                .as_ref()
                .is_some_and(|o| !o.iter().any(|n| n == input.name))
            {
                continue;
            }
            let path = dir.join(format!("{}-{label}.{}", input.name, input.ext));
            std::fs::write(&path, &input.bytes).expect("write an input");
            cases.push((label.to_owned(), input, path));
        }
    }
    let paths: Vec<&str> = if bin.is_some() {
        vec!["validate", "cli-human", "cli-json"]
    } else {
        vec!["validate"]
    };
    // secs[case][path] over rounds.
    let mut secs = vec![vec![Vec::new(); paths.len()]; cases.len()];
    let mut findings = vec![0usize; cases.len()];
    for round in 0..=rounds {
        for (c, (_, input, path)) in cases.iter().enumerate() {
            for (k, what) in paths.iter().enumerate() {
                let t = Instant::now();
                match *what {
                    "validate" => findings[c] = black_box(library(input)),
                    "cli-human" => cli(bin.as_deref().unwrap_or_default(), path, false),
                    _ => cli(bin.as_deref().unwrap_or_default(), path, true),
                }
                // Round 0 warms up.
                if round > 0 {
                    secs[c][k].push(t.elapsed().as_secs_f64());
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);

    let mbps = |c: usize, k: usize| {
        let mut s = secs[c][k].clone();
        cases[c].1.bytes.len() as f64 / median(&mut s) / 1e6
    };
    println!(
        "| input | path | MB | findings | MB/s | ×4 size: MB | MB/s | ratio | verdict (≥ {TARGET_MBPS} MB/s, linear) |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");
    let half = cases.len() / 2;
    for c in 0..half {
        let big = c + half;
        let (_, input, _) = &cases[c];
        for (k, what) in paths.iter().enumerate() {
            let (a, b) = (mbps(c, k), mbps(big, k));
            let ratio = b / a;
            let ok = a.min(b) >= TARGET_MBPS && ratio > 0.6;
            println!(
                "| {} | {what} | {:.1} | {} | {a:.0} | {:.1} | {b:.0} | {ratio:.2} | {} |",
                input.name,
                input.bytes.len() as f64 / 1e6,
                findings[c],
                cases[big].1.bytes.len() as f64 / 1e6,
                if ok { "met" } else { "**not met**" },
            );
        }
    }
    println!();
    for (_, input, _) in &cases[..half] {
        println!("- `{}`: {}", input.name, input.what);
    }
}

//! `discord-invite validate` and `schema export`, run as a binary.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// The repository root: the tests name captures by their paths from there, as the README does.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_discord-invite"));
    cmd.current_dir(root());
    cmd
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-cli-{name}-"))
        .tempdir()
        .expect("temp dir")
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn exit_0_when_nothing_is_an_error() {
    let out = run(&["validate", "captures/docs", "captures/discord-web.har"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The entries of a HAR that are not invite endpoints are counted in its summary, whether they
/// fall in one batch or in many (each parsed by the worker that validates it).
#[test]
fn har_entries_not_invite_related_are_counted() {
    for batch in ["1", "4194304"] {
        let out = run(&[
            "validate",
            "--batch-bytes",
            batch,
            "--color",
            "never",
            "captures/discord-web.har",
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("8 payloads: 5 valid, 3 with warnings")
                && text.contains("; 2 HAR entries not invite-related, ignored"),
            "--batch-bytes {batch}: {text}"
        );
    }
}

#[test]
fn exit_1_on_an_error_finding() {
    let out = run(&["validate", "captures/broken/invite-code-is-a-number.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    // rustc-style: the finding, the place, the source line and a caret under the value.
    assert!(text.contains("error[decode-error]"), "{text}");
    assert!(
        text.contains("captures/broken/invite-code-is-a-number.json:3:307 at /code"),
        "{text}"
    );
    assert!(text.contains("\"code\": 7,"), "{text}");
    assert!(
        !text.contains("\x1b["),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn exit_1_with_strict_on_spec_drift_only() {
    let path = "captures/docs/invite-object.json";
    assert_eq!(run(&["validate", path]).status.code(), Some(0));
    assert_eq!(run(&["validate", "--strict", path]).status.code(), Some(1));
}

#[test]
fn exit_2_on_io_and_usage_problems_and_the_run_goes_on() {
    let out = run(&[
        "validate",
        "--format",
        "json",
        "does/not/exist.json",
        "captures/docs/invite-metadata.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["findings"][0]["code"], "io-error");
    assert_eq!(recs[1]["status"], "valid");

    assert_eq!(run(&["validate"]).status.code(), Some(2), "no path");
    assert_eq!(
        run(&["validate", "--kind", "nope", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["validate", "--format", "xml", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["schema", "export", "nope"]).status.code(), Some(2));
}

#[test]
fn stdin_and_kind() {
    let mut child = bin()
        .args([
            "validate",
            "--format",
            "json",
            "--kind",
            "create-guild-invite-request",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{}\n{\"max_uses\": 101}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["source"], "<stdin>");
    assert_eq!(recs[0]["kind"], "create-guild-invite-request");
    assert_eq!(recs[1]["location"]["line"], 2);
    assert_eq!(recs[1]["findings"][0]["code"], "out-of-range");
}

/// The README's main command, end to end: every payload appears once, in order, and the totals
/// add up.
#[test]
fn captures_end_to_end() {
    let out = run(&["validate", "--format", "json", "captures"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "captures/broken has deliberate errors"
    );
    let recs = records(&out);
    for r in &recs {
        for key in ["source", "location", "kind", "status", "findings"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        for f in r["findings"].as_array().unwrap() {
            for key in ["severity", "code", "pointer", "line", "column", "message"] {
                assert!(f.get(key).is_some(), "{key} missing in {f}");
            }
        }
    }
    let count = |source: &str| {
        recs.iter()
            .filter(|r| r["source"].as_str().unwrap().ends_with(source))
            .count()
    };
    assert_eq!(
        count("gateway.ndjson"),
        10,
        "every line, the broken one and other events included"
    );
    assert_eq!(count("discord-web.har"), 8);
    assert_eq!(count("invites.json"), 5);
    let status = |s: &str| recs.iter().filter(|r| r["status"] == s).count();
    let total = recs.len();
    assert_eq!(
        status("valid") + status("warning") + status("error") + status("skipped"),
        total
    );

    // The gateway dump: the malformed line is reported where it is, the rest goes on.
    let gw: Vec<&serde_json::Value> = recs
        .iter()
        .filter(|r| r["source"].as_str().unwrap().ends_with("gateway.ndjson"))
        .collect();
    assert_eq!(gw[6]["location"]["line"], 7);
    assert_eq!(gw[6]["findings"][0]["code"], "invalid-json");
    assert_eq!(gw[7]["kind"], "invite-delete-event");
    assert_eq!(gw[0]["findings"][0]["code"], "not-invite");

    // Tiny batches and chunks on two workers: the same records in the same order.
    let small = run(&[
        "validate",
        "--format",
        "json",
        "--batch-bytes",
        "64",
        "-j",
        "2",
        "captures",
    ]);
    assert_eq!(small.stdout, out.stdout);

    // Human output: the same totals.
    let human = run(&["validate", "captures"]);
    let text = String::from_utf8(human.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("total: 18 files, {total} payloads")),
        "{last}"
    );
    assert!(
        text.contains("summary: captures/gateway.ndjson (ndjson): 10 payloads"),
        "{text}"
    );
    // Few repeats: every finding is printed, no table of repeated findings.
    assert!(!text.contains("repeated findings:"), "{text}");
    let printed = text.matches("\n  --> ").count();
    let listed: usize = recs
        .iter()
        .filter(|r| r["status"] != "valid" && r["findings"][0]["code"] != "not-invite")
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(printed, listed, "{text}");
}

/// Human output on many similar findings: each distinct finding (severity, code, pointer with
/// array indices as `*`) is printed in full the first N times, the rest are counted in a table;
/// the counts stay exact and the output does not depend on how the input is batched.
#[test]
fn repeated_findings_are_printed_a_few_times_then_counted() {
    let tmp = temp_dir("repeats");
    let dir = tmp.path();
    let path = dir.join("many.ndjson");
    // Two unknown guild features per invite (at /guild/features/1 and /2), and a decode error.
    let invite = r#"{"type":0,"code":"abc","expires_at":null,"guild_id":"1","guild":{"id":"1","name":"G","splash":null,"banner":null,"description":null,"icon":null,"features":["NEWS","X_ONE","X_TWO"],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"nsfw":false,"premium_subscription_count":5},"channel":{"id":"1","type":0,"name":"general"}}"#;
    let broken = r#"{"code": 7, "uses": 12}"#;
    let mut text = String::new();
    for i in 0..90 {
        text.push_str(if i % 3 == 0 { invite } else { broken });
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let human = |extra: &[&str]| {
        let mut args = vec!["validate"];
        args.extend_from_slice(extra);
        args.push(path);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "decode errors");
        String::from_utf8(out.stdout).unwrap()
    };
    let count = |text: &str, what: &str| text.matches(what).count();

    let default = human(&[]);
    assert_eq!(
        count(&default, "warning[unknown-enum-value]:"),
        5,
        "{default}"
    );
    assert_eq!(count(&default, "error[decode-error]:"), 50, "{default}");
    // The first invite shows both of its findings, the third only its first.
    assert!(default.contains("many.ndjson:1:164 at /guild/features/1"));
    assert!(default.contains("many.ndjson:1:172 at /guild/features/2"));
    assert!(
        default.contains("  … and 1 more finding, repeat of findings shown above"),
        "{default}"
    );
    let table_at = default
        .find("repeated findings: 65 of 120 findings not printed")
        .unwrap();
    let table = &default[table_at..];
    let error_row = table.find("error[decode-error]").unwrap();
    let warning_row = table.find("warning[unknown-enum-value]").unwrap();
    assert!(error_row < warning_row, "errors first: {table}");
    assert!(table.contains("/guild/features/*"), "{table}");
    assert!(table.contains("many.ndjson:1:164"), "first at: {table}");
    assert!(table.contains("many.ndjson:2:10"), "first at: {table}");
    assert!(default.ends_with(
        "total: 1 file, 90 payloads: 30 with warnings, 60 with errors; findings: 60 errors, 60 warnings, 0 notes\n"
    ));

    // Tiny batches (many chunks, validated in parallel): the same bytes.
    assert_eq!(human(&["--batch-bytes", "300"]), default);

    let all = human(&["--max-repeats", "0", "--max-error-repeats", "0"]);
    assert_eq!(count(&all, "warning[unknown-enum-value]:"), 60);
    assert_eq!(count(&all, "error[decode-error]:"), 60);
    assert!(!all.contains("repeated findings:"));
    assert!(!all.contains("more finding"));

    let one = human(&["--max-repeats", "1", "--max-error-repeats", "1"]);
    assert_eq!(count(&one, "warning[unknown-enum-value]:"), 1);
    assert_eq!(count(&one, "error[decode-error]:"), 1);
    assert_eq!(count(&one, "==> "), 2, "{one}");
}

/// Runs the binary with a guard: killed (and the test failed) if it has not ended in 120 s,
/// so a regression shows as a failure, not a hung test run. Not a timing assertion: a correct
/// run takes well under a second.
#[cfg(unix)]
fn run_guarded(cmd: &mut Command) -> Output {
    use std::io::Read;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped")));
    let mut polls = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        polls += 1;
        if polls > 1200 {
            let _ = child.kill();
            panic!("still running after 120 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Issue 13: `validate DIR` with a FIFO in it hung forever and printed nothing.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_a_note_and_the_run_goes_on() {
    let tmp = temp_dir("fifo");
    let dir = tmp.path();
    std::fs::write(dir.join("a.json"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(dir.join("c.json"), "{\"code\": 7, \"uses\": 1}").unwrap();
    let made = Command::new("mkfifo").arg(dir.join("b.json")).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let out = run_guarded(bin().args(["validate", "-v"]).arg(dir));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "c.json has an error: {text}");
    assert!(text.contains("note[not-a-file]"), "{text}");
    assert!(
        text.contains("b.json is a FIFO, not a regular file"),
        "{text}"
    );
    assert!(text.contains("a.json (json): 1 payload: 1 valid"), "{text}");
    assert!(
        text.contains("c.json (json): 1 payload: 1 with errors"),
        "{text}"
    );
    assert!(
        text.contains("1 FIFO, socket or device in directories not read"),
        "{text}"
    );
}

/// Issue 13: `validate /dev/zero` (or a symlink to it) grew memory at ~1 GB/s until it
/// aborted. Run under a 4 GB address-space limit, so that a regression fails instead of
/// taking the machine's memory.
#[cfg(target_os = "linux")]
#[test]
fn a_device_on_the_command_line_is_read_as_a_bounded_stream() {
    let tmp = temp_dir("device");
    let dir = tmp.path();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).unwrap();
    let link = dir.join("zero.json");
    for path in [std::path::Path::new("/dev/zero"), link.as_path()] {
        let bin = env!("CARGO_BIN_EXE_discord-invite");
        let out = run_guarded(Command::new("sh").arg("-c").arg(format!(
            "ulimit -v 4000000; exec {bin} validate --format json {}",
            path.display()
        )));
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let recs = records(&out);
        assert_eq!(recs.len(), 1, "{recs:?}");
        assert_eq!(recs[0]["findings"][0]["code"], "invalid-json");
        assert_eq!(recs[0]["findings"][0]["message"], "expected value");
    }
}

/// What was validated is on stdout before the run waits for an input that blocks (a FIFO
/// with no writer yet), not held back in a buffer until the end.
#[cfg(unix)]
#[test]
fn results_are_shown_before_waiting_for_a_blocking_input() {
    use std::io::{BufRead, BufReader};
    let tmp = temp_dir("fifo-later");
    let dir = tmp.path();
    let fifo = dir.join("later.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let mut child = bin()
        .args(["validate", "captures/docs/invite-metadata.json"])
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The first file's summary arrives while the second input (the FIFO) has no writer.
    let first = loop {
        match rx.recv_timeout(std::time::Duration::from_secs(120)) {
            Ok(line) if line.starts_with("summary:") => break line,
            Ok(_) => {}
            Err(e) => {
                let _ = child.kill();
                panic!("no summary before the FIFO was written to: {e}");
            }
        }
    };
    assert!(first.contains("invite-metadata.json"), "{first}");
    std::fs::write(&fifo, "{\"code\": \"a\", \"uses\": 1}").unwrap();
    let rest: Vec<String> = rx.iter().collect();
    assert!(child.wait().expect("ends").success());
    assert!(
        rest.iter()
            .any(|l| l.contains("later.json (json): 1 payload: 1 valid")),
        "{rest:?}"
    );
}

#[test]
fn max_payload_bytes_reports_what_is_larger() {
    let out = run(&[
        "validate",
        "--format",
        "json",
        "--max-payload-bytes",
        "100",
        "captures/gateway.ndjson",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    let too_large = recs
        .iter()
        .filter(|r| r["findings"][0]["code"] == "too-large")
        .count();
    assert!(too_large > 0 && too_large < recs.len(), "{recs:?}");
}

#[test]
fn schema_export_prints_a_2020_12_schema() {
    let out = run(&["schema", "export", "invite"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let list = run(&["schema", "export"]);
    assert!(String::from_utf8(list.stdout)
        .unwrap()
        .contains("invite-create-event"));
}

/// Streaming: validating a large NDJSON keeps memory flat. Slow in debug builds; run with
/// `cargo test --release --test cli_validate -- --ignored --nocapture`.
/// Size with `STREAM_TEST_MB` (default 300).
#[test]
#[ignore = "generates a few hundred MB; run with --release -- --ignored"]
fn streaming_a_large_ndjson_keeps_memory_flat() {
    let mb: usize = std::env::var("STREAM_TEST_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let tmp = temp_dir("stream");
    let dir = tmp.path();
    let path = dir.join("big.ndjson");
    let lines = [
        r#"{"op":0,"s":1,"t":"INVITE_CREATE","d":{"channel_id":"165176875973476352","code":"hD3kQpW9","created_at":"2026-11-26T14:02:11.482910+00:00","guild_id":"165176875973476352","inviter":{"id":"115590097100865541","username":"speed","avatar":null,"discriminator":"0","public_flags":0,"flags":0,"global_name":"Spéed 🎮","primary_guild":null},"max_age":86400,"max_uses":0,"temporary":false,"uses":0,"expires_at":"2026-11-27T14:02:11.482910+00:00"}}"#,
        r#"{"op":0,"s":2,"t":"INVITE_DELETE","d":{"channel_id":"165176875973476352","guild_id":"165176875973476352","code":"hD3kQpW9"}}"#,
        r#"{"type":0,"code":"abc","expires_at":null,"guild_id":"1","guild":{"id":"1","name":"G","splash":null,"banner":null,"description":null,"icon":null,"features":["NEWS","GUESTS_ENABLED"],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"nsfw":false,"premium_subscription_count":5},"channel":{"id":"1","type":0,"name":"general"},"extra":1}"#,
        r#"{"op":0,"s":3,"t":"MESSAGE_CREATE","d":{"id":"1","content":"hi"}}"#,
    ];
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut written = 0;
        let mut i = 0;
        while written < mb << 20 {
            let l = lines[i % lines.len()];
            f.write_all(l.as_bytes()).unwrap();
            f.write_all(b"\n").unwrap();
            written += l.len() + 1;
            i += 1;
        }
        f.write_all(b"{\"broken\": \n").unwrap();
        f.flush().unwrap();
    }
    let started = std::time::Instant::now();
    let mut child = bin()
        .args(["validate", "--format", "json"])
        .arg(&path)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            for line in s.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kb: u64 = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak_kb = peak_kb.max(kb);
                }
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1), "the broken last line is an error");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let secs = started.elapsed().as_secs_f64();
    drop(tmp);
    eprintln!(
        "validated {mb} MB in {secs:.1} s ({:.0} MB/s), peak RSS {} MB",
        mb as f64 / secs,
        peak_kb / 1024
    );
    assert!(peak_kb > 0, "peak RSS was read");
    assert!(
        peak_kb < 100 * 1024,
        "peak RSS {peak_kb} kB must stay under 100 MB"
    );
}

/// The README shows the main command's output (`validate captures/`): each block it shows (cut
/// at `...`) is printed as shown, and its last line is the run's last line. docs/VALIDATE.md
/// quotes the same last line.
#[test]
fn the_readme_shows_what_the_main_command_prints() {
    let out = run(&["validate", "captures/"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (_, rest) = readme
        .split_once("### What the main command shows")
        .unwrap();
    let (_, rest) = rest.split_once("```text\n").unwrap();
    let (shown, _) = rest.split_once("```").unwrap();
    for block in shown.split("...\n") {
        assert!(
            text.contains(block),
            "README block not in the output:\n{block}"
        );
    }
    let last = text.lines().last().unwrap();
    assert_eq!(shown.lines().last().unwrap(), last);
    let doc = std::fs::read_to_string(root().join("docs/VALIDATE.md")).unwrap();
    assert!(
        doc.contains(&format!("\n{last}\n")),
        "docs/VALIDATE.md: {last}"
    );
}

/// `--format json` with huge records (over 32,768 findings each), which the main thread
/// renders as it writes them: the same document twice is its record twice, in order, at
/// `-j 1` and `-j 2`. (A run of two such records once hung: a worker waited for the main
/// thread, which waited for the worker.)
#[cfg(unix)]
#[test]
fn huge_records_are_written_whole_and_in_order() {
    let dir = temp_dir("huge");
    let members: Vec<String> = (0..40_000).map(|i| format!("\"k{i:06}\":1")).collect();
    let path = dir.path().join("huge.json");
    std::fs::write(
        &path,
        format!("{{\"type\":0,\"code\":\"a\",{}}}", members.join(",")),
    )
    .expect("write the document");
    let p = path.to_str().expect("a UTF-8 path");
    let one = run_guarded(bin().args(["validate", "--format", "json", p]));
    let record = records(&one);
    assert_eq!(record.len(), 1);
    let findings = record[0]["findings"].as_array().map_or(0, Vec::len);
    assert!(findings > 40_000, "{findings} findings");
    for jobs in ["1", "2"] {
        let two = run_guarded(bin().args(["validate", "-j", jobs, "--format", "json", p, p]));
        assert_eq!(two.status.code(), one.status.code(), "-j {jobs}");
        assert!(
            two.stdout == [one.stdout.as_slice(), one.stdout.as_slice()].concat(),
            "-j {jobs}: the output is not the record twice"
        );
    }
}

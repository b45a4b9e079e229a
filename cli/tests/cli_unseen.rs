//! Issue 15, "nothing passes unseen": files a directory walk skips, directories with nothing
//! read, I/O errors on stderr, and the JSON summary record.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str], paths: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_discord-invite"))
        .current_dir(root())
        .args(args)
        .args(paths)
        .output()
        .expect("the binary runs")
}

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-unseen-{name}-"))
        .tempdir()
        .expect("temp dir")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn a_directory_with_nothing_to_read_exits_2_and_says_why() {
    let empty_tmp = temp_dir("empty");
    let other_tmp = temp_dir("other-names");
    let (empty, other) = (empty_tmp.path(), other_tmp.path());
    std::fs::write(other.join("invite.txt"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(other.join("README.md"), "# captures").unwrap();

    let out = run(&["validate"], &[empty]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("warning[no-payload-file]"), "{stdout}");
    assert!(
        stdout.contains("it holds no *.json, *.ndjson, *.jsonl or *.har file"),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("error: no file was read"),
        "{}",
        text(&out.stderr)
    );

    let out = run(&["validate"], &[other]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("(2 files skipped for their name or type)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("; 2 files in directories skipped for their name (listed with -v)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("note[skipped-file]"),
        "only with -v: {stdout}"
    );
    assert!(
        text(&out.stderr).contains("2 files found in the directories given were not read"),
        "{}",
        text(&out.stderr)
    );

    // With -v, a note per skipped file.
    let out = run(&["validate", "-v"], &[other]);
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("note[skipped-file]").count(), 2, "{stdout}");
    assert!(stdout.contains("invite.txt is not read"), "{stdout}");

    // Every format exits 2.
    for format in ["json", "sarif", "junit", "github", "markdown"] {
        let out = run(&["validate", "--format", format], &[other]);
        assert_eq!(out.status.code(), Some(2), "{format}");
    }
}

#[test]
fn skipped_files_are_counted_and_listed_with_verbose() {
    let tmp = temp_dir("mixed");
    let dir = tmp.path();
    std::fs::write(dir.join("a.json"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(dir.join("b.txt"), "{\"code\": 7, \"uses\": 1}").unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/c.json.orig"), "{}").unwrap();

    let out = run(&["validate"], &[dir]);
    assert_eq!(out.status.code(), Some(0), "b.txt is not read");
    let stdout = text(&out.stdout);
    assert!(
        stdout.ends_with("; 2 files in directories skipped for their name (listed with -v)\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("skipped-file"), "{stdout}");

    let out = run(&["validate", "-v"], &[dir]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("note[skipped-file]"), "{stdout}");
    assert!(stdout.contains("b.txt is not read"), "{stdout}");
    assert!(stdout.contains("c.json.orig is not read"), "{stdout}");

    // JSON: the count in the summary record; a record per skipped file with -v.
    let recs = records(&run(&["validate", "--format", "json", "--summary"], &[dir]));
    assert_eq!(recs.len(), 2, "{recs:?}");
    assert_eq!(recs[1]["summary"]["skipped_files"], 2);
    let recs = records(&run(&["validate", "--format", "json", "-v"], &[dir]));
    let codes: Vec<&str> = recs
        .iter()
        .map(|r| r["findings"][0]["code"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(codes, ["none", "skipped-file", "skipped-file"], "{recs:?}");
}

#[test]
fn a_directory_without_a_file_read_among_others_is_a_warning() {
    let tmp = temp_dir("among-others");
    let empty = tmp.path();
    let good = root().join("captures/docs/invite-metadata.json");
    let out = run(&["validate"], &[&good, empty]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "something was read: {stdout}");
    assert!(stdout.contains("warning[no-payload-file]"), "{stdout}");
    assert!(
        stdout.ends_with("; 1 directory without a file read\n"),
        "{stdout}"
    );
    let out = run(&["validate", "--fail-on", "warning"], &[&good, empty]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["validate", "--format", "github"], &[&good, empty]);
    assert!(
        text(&out.stdout).contains("::warning file="),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn io_errors_also_go_to_stderr_in_every_format() {
    let missing = Path::new("does/not/exist.json");
    let good = Path::new("captures/docs/invite-metadata.json");
    for format in ["human", "json", "sarif", "junit", "github", "markdown"] {
        let out = run(&["validate", "--format", format], &[missing, good]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stderr = text(&out.stderr);
        assert_eq!(
            stderr,
            "error[io-error]: cannot read does/not/exist.json: No such file or directory (os error 2)\n",
            "{format}"
        );
    }
}

#[test]
fn json_summary_is_the_last_record() {
    let out = run(
        &["validate", "--format", "json", "--summary"],
        &[Path::new("captures")],
    );
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    let (last, payloads) = recs.split_last().unwrap();
    assert!(payloads.iter().all(|r| r.get("summary").is_none()));
    let s = &last["summary"];
    assert_eq!(s["payloads"], payloads.len());
    assert_eq!(s["files"], 18);
    assert_eq!(s["exit_code"], 1);
    assert_eq!(s["unreadable_paths"], 0);
    assert_eq!(
        s["skipped_files"], 2,
        "captures/README.md, captures/docs/SOURCE.md"
    );
    let count = |status: &str| payloads.iter().filter(|r| r["status"] == status).count();
    for status in ["valid", "warning", "error", "skipped"] {
        assert_eq!(s[status], count(status), "{status}");
    }
    let findings = |severity: &str| {
        payloads
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap())
            .filter(|f| f["severity"] == severity)
            .count()
    };
    for severity in ["error", "warning", "note"] {
        assert_eq!(s["findings"][severity], findings(severity), "{severity}");
    }

    // Without --summary, no summary record; --summary is for JSON only.
    let plain = run(&["validate", "--format", "json"], &[Path::new("captures")]);
    assert_eq!(records(&plain).len(), payloads.len());
    let out = run(&["validate", "--summary"], &[Path::new("captures")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--summary needs --format json"));

    // An unreadable path is in the summary, with exit code 2.
    let out = run(
        &["validate", "--format", "json", "--summary"],
        &[Path::new("does/not/exist.json")],
    );
    let recs = records(&out);
    assert_eq!(recs.last().unwrap()["summary"]["unreadable_paths"], 1);
    assert_eq!(recs.last().unwrap()["summary"]["exit_code"], 2);
}

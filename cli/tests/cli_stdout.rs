//! No subcommand panics on a closed or full stdout. A closed pipe (`… | head -1`, EPIPE) ends
//! the output quietly with the command's own exit code (validate, whose run is then cut
//! short, exits 2); any other write error (`> /dev/full`) is reported on stderr and exits 2.
//! One test per subcommand; the closed pipe is made deterministic by closing its read end
//! before the binary starts.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A copy of `schema/` for `schema sync --check` (which writes nothing, but takes a directory),
/// in a scratch directory removed when the returned guard is dropped (on a panic too).
fn schema_copy(tag: &str) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("discord-invite-cli-stdout-{tag}-"))
        .tempdir()
        .expect("temp dir");
    for entry in std::fs::read_dir(root().join("schema")).expect("schema/") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// Where stdout goes.
enum Sink {
    /// A pipe whose read end is already closed: every write fails with EPIPE.
    ClosedPipe,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
}

/// Serialises the runs of this file's tests: a child that another test thread forks while a
/// pipe's read end is still open inherits that end until it execs, and a write then succeeds
/// instead of failing with EPIPE (seen on a loaded machine).
static SPAWN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run(args: &[&str], sink: Sink) -> Output {
    let _one_at_a_time = SPAWN.lock().unwrap_or_else(|e| e.into_inner());
    let stdout = match sink {
        Sink::ClosedPipe => {
            let (reader, writer) = std::io::pipe().expect("pipe");
            drop(reader);
            Stdio::from(writer)
        }
        Sink::Full => Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full (Linux)"),
        ),
    };
    Command::new(env!("CARGO_BIN_EXE_discord-invite"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

/// Runs `args` into a closed pipe and into a full disk and checks both outcomes.
fn check(args: &[&str], closed_code: i32) {
    let closed = run(args, Sink::ClosedPipe);
    let err = String::from_utf8_lossy(&closed.stderr);
    assert!(
        !err.contains("panicked"),
        "{args:?} into a closed pipe: {err}"
    );
    assert_eq!(err, "", "{args:?}: a closed pipe is not worth a message");
    assert_eq!(closed.status.code(), Some(closed_code), "{args:?}: {err}");

    if !std::path::Path::new("/dev/full").exists() {
        return; // not Linux
    }
    let full = run(args, Sink::Full);
    let err = String::from_utf8_lossy(&full.stderr);
    assert!(!err.contains("panicked"), "{args:?} into /dev/full: {err}");
    assert!(
        err.contains("error: cannot write output: No space left on device"),
        "{args:?}: {err}"
    );
    assert_eq!(full.status.code(), Some(2), "{args:?}: {err}");
}

#[test]
fn schema_export_of_a_kind() {
    check(&["schema", "export", "invite"], 0);
}

#[test]
fn schema_export_listing_the_kinds() {
    check(&["schema", "export"], 0);
}

#[test]
fn schema_sync() {
    let dir = schema_copy("sync");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    check(
        &[
            "schema",
            "sync",
            "--from",
            "schema/openapi.json",
            "--check",
            "--schema-dir",
            &dir_arg,
        ],
        0,
    );
    check(
        &[
            "schema",
            "sync",
            "--from",
            "schema/openapi.json",
            "--check",
            "--format",
            "json",
            "--schema-dir",
            &dir_arg,
        ],
        0,
    );
}

#[test]
fn validate() {
    // Human and JSON output, small (still buffered at the end) and large.
    check(&["validate", "captures/docs/invite-object.json"], 2);
    check(&["validate", "--format", "json", "captures/docs"], 2);
    check(&["validate", "-v", "captures/"], 2);
}

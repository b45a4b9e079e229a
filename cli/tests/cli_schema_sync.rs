//! `discord-invite schema sync`, run as a process on temporary copies of `schema/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root, where `schema/` and the generator's fixtures are.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> PathBuf {
    root().join("codegen/tests/fixtures/sync").join(name)
}

fn schema_copy(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "discord-invite-cli-sync-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(root().join("schema")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn sync(dir: &Path, from: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_discord-invite"))
        .args(["schema", "sync", "--from"])
        .arg(from)
        .arg("--schema-dir")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_on_the_current_spec_exits_0_and_writes_nothing() {
    let dir = schema_copy("self");
    let before = snapshot(&dir);
    let out = sync(&dir, &root().join("schema/openapi.json"), &["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Schema change report: 2026-07-18 (74fda0f) -> new\nNo changes: the new subset is identical to the pinned one.\n"
    );
    assert_eq!(snapshot(&dir), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_with_changes_exits_1_and_writes_nothing() {
    let dir = schema_copy("check");
    let before = snapshot(&dir);
    let out = sync(
        &dir,
        &fixture("invite-subset.2026-02-18.json"),
        &["--check"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Suggested version bump: MAJOR"), "{text}");
    assert!(
        text.contains("\nOperations\n") && text.contains("\nTypes\n"),
        "{text}"
    );
    assert!(stderr(&out).contains("out of date"), "{}", stderr(&out));
    assert_eq!(snapshot(&dir), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_format() {
    let dir = schema_copy("json");
    let out = sync(
        &dir,
        &fixture("invite-subset.2026-02-18.json"),
        &[
            "--check",
            "--format",
            "json",
            "--commit",
            "e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d",
            "--date",
            "2026-02-18",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bump"], "major");
    assert_eq!(
        report["from"]["commit"],
        "74fda0fad044407ea280043a03ffc9bc64c4e49e"
    );
    assert_eq!(
        report["to"]["commit"],
        "e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d"
    );
    assert_eq!(report["to"]["date"], "2026-02-18");
    assert!(report["breaking"].as_u64().unwrap() > 0);
    assert!(report["types"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == "RecurrenceRuleResponse"
            && t["changes"][0]["kind"] == "type_removed"
            && t["changes"][0]["class"] == "breaking"));
    assert!(!report["conflicts"].as_array().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sync_writes_schema_then_reports_overlay_conflicts() {
    let dir = schema_copy("write");
    let out = sync(
        &dir,
        &fixture("invite-subset.2025-07-10.json"),
        &[
            "--commit",
            "200a60ab17895eb458aa23b00d522ee24db01ba7",
            "--date",
            "2025-07-10",
        ],
    );
    // Written, but the overlay now names things that do not exist: exit 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\nOverlay conflicts ("), "{text}");
    assert!(
        text.contains("  ! overlay.toml [lenient] TargetUsersJobStatusResponse: schema `TargetUsersJobStatusResponse` no longer exists\n    fix: remove the `TargetUsersJobStatusResponse` line from [lenient]\n"),
        "{text}"
    );
    assert!(stderr(&out).contains("wrote"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.join("openapi.json")).unwrap(),
        std::fs::read(fixture("invite-subset.2025-07-10.json")).unwrap()
    );
    // Re-checking after the write: no changes left, but the conflicts still fail the check.
    let out = sync(
        &dir,
        &fixture("invite-subset.2025-07-10.json"),
        &["--check"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\nNo changes: "), "{text}");
    assert!(text.contains("\nOverlay conflicts ("), "{text}");
    assert!(
        stderr(&out).contains("conflict(s) with the upstream schema"),
        "{}",
        stderr(&out)
    );
    // And back to the current spec: exit 0, byte-identical to the real schema/.
    let out = sync(
        &dir,
        &fixture("invite-subset.2026-07-18.json"),
        &[
            "--commit",
            "74fda0fad044407ea280043a03ffc9bc64c4e49e",
            "--date",
            "2026-07-18T00:38:55Z",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out)
        .starts_with("Schema change report: 2025-07-10 (200a60a) -> 2026-07-18 (74fda0f)\n"));
    assert_eq!(
        std::fs::read(dir.join("openapi.json")).unwrap(),
        std::fs::read(root().join("schema/openapi.json")).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_input_exits_2_and_leaves_schema_untouched() {
    for name in [
        "not-json.json",
        "not-openapi.json",
        "ref-cycle.json",
        "dangling-ref.json",
        "no-invite-paths.json",
    ] {
        let dir = schema_copy("malformed");
        let before = snapshot(&dir);
        let out = sync(&dir, &fixture(&format!("malformed/{name}")), &[]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: schema sync failed, nothing was written: "),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(snapshot(&dir), before, "{name}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn usage_errors_exit_2() {
    let bin = env!("CARGO_BIN_EXE_discord-invite");
    let out = Command::new(bin).args(["schema", "sync"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--from"), "{}", stderr(&out));
    let out = Command::new(bin)
        .args(["schema", "sync", "--from", "x.json", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(bin)
        .args(["schema", "sync", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("--check"));
}

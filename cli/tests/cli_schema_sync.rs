//! `discord-invite schema sync`, run as a process on temporary copies of `schema/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The repository root, where `schema/` and the generator's fixtures are.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> PathBuf {
    root().join("codegen/tests/fixtures/sync").join(name)
}

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(tag: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-cli-sync-{tag}-"))
        .tempdir()
        .unwrap()
}

/// A copy of `schema/` in a scratch directory (see `temp_dir`).
fn schema_copy(tag: &str) -> TempDir {
    let dir = temp_dir(tag);
    for entry in std::fs::read_dir(root().join("schema")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
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
    let tmp = schema_copy("self");
    let dir = tmp.path();
    let before = snapshot(dir);
    let out = sync(dir, &root().join("schema/openapi.json"), &["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Schema change report: 2026-07-18 (74fda0f) -> new\nNo changes: the new subset is identical to the pinned one.\n"
    );
    assert_eq!(snapshot(dir), before);
}

#[test]
fn check_with_changes_exits_1_and_writes_nothing() {
    let tmp = schema_copy("check");
    let dir = tmp.path();
    let before = snapshot(dir);
    let out = sync(dir, &fixture("invite-subset.2026-02-18.json"), &["--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Suggested version bump: MAJOR"), "{text}");
    assert!(
        text.contains("\nOperations\n") && text.contains("\nTypes\n"),
        "{text}"
    );
    assert!(stderr(&out).contains("out of date"), "{}", stderr(&out));
    assert_eq!(snapshot(dir), before);
}

#[test]
fn json_format() {
    let tmp = schema_copy("json");
    let dir = tmp.path();
    let out = sync(
        dir,
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
}

#[test]
fn sync_writes_schema_then_reports_overlay_conflicts() {
    let tmp = schema_copy("write");
    let dir = tmp.path();
    let out = sync(
        dir,
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
    let out = sync(dir, &fixture("invite-subset.2025-07-10.json"), &["--check"]);
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
        dir,
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
        let tmp = schema_copy("malformed");
        let dir = tmp.path();
        let before = snapshot(dir);
        let out = sync(dir, &fixture(&format!("malformed/{name}")), &[]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(
            err.starts_with("error: schema sync failed, nothing was written: "),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(snapshot(dir), before, "{name}");
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

/// A copy of `schema/` pinned at 2026-02-18 (the overlay fixed for it), so that syncing to
/// 2026-07-18 is the real sync that happened.
fn pinned_at_0218(tag: &str) -> TempDir {
    let dir = schema_copy(tag);
    let out = sync(
        dir.path(),
        &fixture("invite-subset.2026-02-18.json"),
        &["--fix-overlay"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir
}

#[test]
fn markdown_format_is_a_pull_request_body() {
    let tmp = pinned_at_0218("md");
    let dir = tmp.path();
    let out = sync(
        dir,
        &fixture("invite-subset.2026-07-18.json"),
        &["--check", "--format", "markdown"],
    );
    let md = stdout(&out);
    assert!(md.starts_with("## Schema sync: "), "{md}");
    assert!(md.contains("**Suggested version bump: MAJOR**"), "{md}");
    // Breaking changes first, then additions, then the folded patch-level ones.
    let breaking = md.find("### Breaking changes").unwrap();
    let added = md.find("### Additions").unwrap();
    let patch = md.find("<details><summary>Patch-level changes").unwrap();
    assert!(breaking < added && added < patch, "{md}");
    assert!(
        md.contains("- `field-added-optional` `GuildInviteResponse.liveliness` → `GuildInvite::liveliness`: field `liveliness`: GuildLivelinessResponse \\| null (optional) *(new upstream)*"),
        "{md}"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let tmp = pinned_at_0218("failon");
    let dir = tmp.path();
    let from = fixture("invite-subset.2026-07-18.json");
    for (level, code) in [("breaking", 1), ("additive", 1), ("any", 1)] {
        let out = sync(dir, &from, &["--check", "--fail-on", level]);
        assert_eq!(out.status.code(), Some(code), "{level}: {}", stderr(&out));
    }
    // Only patch-level changes (descriptions): --fail-on additive passes, --fail-on any fails.
    let scratch = temp_dir("docs");
    let docs_only = scratch.path().join("docs.json");
    let mut spec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("openapi.json")).unwrap()).unwrap();
    spec["components"]["schemas"]["GuildInviteResponse"]["description"] = "Changed.".into();
    std::fs::write(&docs_only, serde_json::to_vec(&spec).unwrap()).unwrap();
    let out = sync(dir, &docs_only, &["--check", "--fail-on", "additive"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = sync(dir, &docs_only, &["--check", "--fail-on", "any"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Without --fail-on, --check fails on any change.
    let out = sync(dir, &docs_only, &["--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn hold_new_writes_the_hold_list_and_says_so() {
    let tmp = pinned_at_0218("hold");
    let dir = tmp.path();
    let out = sync(
        dir,
        &fixture("invite-subset.2026-07-18.json"),
        &["--hold-new"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\nNew upstream (--hold-new)\n"), "{text}");
    assert!(
        text.contains("  held back: GuildInviteResponse.liveliness"),
        "{text}"
    );
    let held = std::fs::read_to_string(dir.join("sync-held.toml")).unwrap();
    assert!(
        held.contains("item = \"GuildInviteResponse.liveliness\""),
        "{held}"
    );
}

#[test]
fn api_diff_checks_the_prediction() {
    let tmp = pinned_at_0218("apidiff");
    let dir = tmp.path();
    let from = fixture("invite-subset.2026-07-18.json");
    let lints = fixture("api-diff/lints.txt");
    let real = fixture("api-diff/2026-02-18_to_2026-07-18.txt");
    let args = |diff: &Path| -> Vec<String> {
        vec![
            "--api-diff".into(),
            diff.display().to_string(),
            "--api-diff-lints".into(),
            lints.display().to_string(),
        ]
    };
    let before = snapshot(dir);
    let a = args(&real);
    let out = sync(
        dir,
        &from,
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("report suggests MAJOR: prediction holds"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(dir), before, "--api-diff implies --check");

    // The tool finds a break in a field the report calls an addition.
    let scratch = temp_dir("api");
    let doctored = scratch.path().join("api-diff.txt");
    std::fs::write(
        &doctored,
        std::fs::read_to_string(&real).unwrap()
            + "\n--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---\n\nFailed in:\n  field liveliness of struct GuildInvite, previously in file X:1\n",
    )
    .unwrap();
    let a = args(&doctored);
    let out = sync(
        dir,
        &from,
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("PREDICTION FAILS"),
        "{}",
        stderr(&out)
    );
}

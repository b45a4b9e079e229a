//! `sync::run` end to end on temporary copies of `schema/` (the real one is never touched).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use discord_invite_codegen::sync::{self, Bump, Class, HoldStatus, Rule, SyncError, SyncOptions};
use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/sync").join(name)
}

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(tag: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-sync-{tag}-"))
        .tempdir()
        .unwrap()
}

/// A fresh copy of the real `schema/` in a scratch directory (see `temp_dir`).
fn schema_copy(tag: &str) -> TempDir {
    let dir = temp_dir(tag);
    for entry in std::fs::read_dir(root().join("../schema")).unwrap() {
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

fn options(from: PathBuf, dir: &Path, check: bool) -> SyncOptions {
    SyncOptions {
        check,
        ..SyncOptions::new(from, dir)
    }
}

const CURRENT_COMMIT: &str = "74fda0fad044407ea280043a03ffc9bc64c4e49e";

#[test]
fn self_sync_changes_nothing() {
    let tmp = schema_copy("self");
    let dir = tmp.path();
    let before = snapshot(dir);
    let mut opts = options(dir.join("openapi.json"), dir, true);
    let outcome = sync::run(opts.clone()).unwrap();
    assert!(!outcome.changed);
    assert!(!outcome.written);
    assert!(outcome.report.is_empty());
    assert_eq!(outcome.report.bump(), Bump::None);
    assert_eq!(outcome.report.conflicts, vec![]);
    assert_eq!(snapshot(dir), before);

    // Not --check, with the pinned commit and date: still byte-identical.
    opts.check = false;
    opts.commit = Some(CURRENT_COMMIT.into());
    opts.date = Some("2026-07-18T00:38:55Z".into());
    opts.from = fixture("invite-subset.2026-07-18.json");
    let outcome = sync::run(opts.clone()).unwrap();
    assert!(!outcome.changed);
    // SOURCE.md records the SHA-256 of the file given to --from; here that is the subset, not
    // the whole upstream file, so that one line differs and nothing else.
    let after = snapshot(dir);
    assert_eq!(after["openapi.json"], before["openapi.json"]);
    let old = String::from_utf8(before["SOURCE.md"].clone()).unwrap();
    let new = String::from_utf8(after["SOURCE.md"].clone()).unwrap();
    let differing: Vec<_> = old
        .lines()
        .zip(new.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(differing[0]
        .1
        .starts_with("- SHA-256 of the whole upstream file: `17dbe970"));
}

#[test]
fn sync_to_an_older_spec_rewrites_schema_and_reports_conflicts() {
    let tmp = schema_copy("older");
    let dir = tmp.path();
    let mut opts = options(fixture("invite-subset.2026-02-18.json"), dir, false);
    opts.commit = Some("e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d".into());
    opts.date = Some("2026-02-18".into());
    let outcome = sync::run(opts.clone()).unwrap();
    assert!(outcome.changed && outcome.written);
    let text = outcome.report.render_text();
    assert!(
        text.starts_with("Schema change report: 2026-07-18 (74fda0f) -> 2026-02-18 (e4c6589)\nSuggested version bump: MAJOR ("),
        "{text}"
    );
    assert_eq!(
        std::fs::read(dir.join("openapi.json")).unwrap(),
        std::fs::read(fixture("invite-subset.2026-02-18.json")).unwrap()
    );
    let source = std::fs::read_to_string(dir.join("SOURCE.md")).unwrap();
    assert!(source.contains("- Commit: `e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d`\n"));
    assert!(source.contains("- Commit date: 2026-02-18\n"));
    assert!(source.contains(
        "- SHA-256 of this subset: `3e26487c62286fcac185d646c12f9e7fbbb3388e3a5412f1d65df4f4cc4e795c`\n"
    ));
    // Everything but the provenance lines is kept as it was.
    let original = std::fs::read_to_string(root().join("../schema/SOURCE.md")).unwrap();
    let differing = original
        .lines()
        .zip(source.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(original.lines().count(), source.lines().count());
    assert_eq!(differing, 4, "commit, date and the two checksums");
    // The overlay talks about things 2026-02-18 does not have.
    let conflicts: Vec<String> = outcome
        .report
        .conflicts
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        conflicts.iter().any(|c| c.starts_with(
            "overlay.toml [types] \"CreateGuildInviteRequest.role_ids\": field `CreateGuildInviteRequest.role_ids` no longer exists"
        )),
        "{conflicts:#?}"
    );
    assert!(text.contains("Overlay conflicts ("), "{text}");

    // Syncing forward again restores the original bytes exactly.
    let mut back = options(fixture("invite-subset.2026-07-18.json"), dir, false);
    back.commit = Some(CURRENT_COMMIT.into());
    back.date = Some("2026-07-18T00:38:55Z".into());
    let outcome = sync::run(back).unwrap();
    assert!(outcome.changed);
    assert!(outcome.report.conflicts.is_empty());
    assert_eq!(
        std::fs::read(dir.join("openapi.json")).unwrap(),
        std::fs::read(root().join("../schema/openapi.json")).unwrap()
    );
}

#[test]
fn check_reports_but_never_writes() {
    let tmp = schema_copy("check");
    let dir = tmp.path();
    let before = snapshot(dir);
    let outcome = sync::run(options(fixture("invite-subset.2025-07-10.json"), dir, true)).unwrap();
    assert!(outcome.changed);
    assert!(!outcome.written);
    assert_eq!(outcome.report.bump(), Bump::Major);
    assert_eq!(snapshot(dir), before);
}

#[test]
fn history_report_header_uses_source_md() {
    let tmp = schema_copy("history");
    let dir = tmp.path();
    let mut opts = options(fixture("invite-subset.2025-07-10.json"), dir, false);
    opts.commit = Some("200a60ab17895eb458aa23b00d522ee24db01ba7".into());
    opts.date = Some("2025-07-10".into());
    sync::run(opts.clone()).unwrap();
    let mut opts = options(fixture("invite-subset.2026-02-18.json"), dir, true);
    opts.commit = Some("e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d".into());
    opts.date = Some("2026-02-18".into());
    let text = sync::run(opts.clone()).unwrap().report.render_text();
    assert!(
        text.starts_with("Schema change report: 2025-07-10 (200a60a) -> 2026-02-18 (e4c6589)\nSuggested version bump: MAJOR (79 breaking, 16 additive, 36 patch)\n"),
        "{text}"
    );
}

#[test]
fn malformed_input_leaves_schema_untouched() {
    for (name, expect) in [
        ("not-json.json", "is not JSON"),
        ("not-openapi.json", "not an OpenAPI 3 document"),
        ("ref-cycle.json", "`$ref` cycle"),
        ("dangling-ref.json", "dangling `$ref`"),
        ("no-invite-paths.json", "no invite paths"),
    ] {
        let tmp = schema_copy("malformed");
        let dir = tmp.path();
        let before = snapshot(dir);
        let err =
            sync::run(options(fixture(&format!("malformed/{name}")), dir, false)).unwrap_err();
        assert!(err.to_string().contains(expect), "{name}: {err}");
        assert_eq!(snapshot(dir), before, "{name}");
    }
    let tmp = schema_copy("missing");
    let dir = tmp.path();
    let err = sync::run(options(dir.join("nope.json"), dir, false)).unwrap_err();
    assert!(matches!(err, SyncError::Io { action: "read", .. }), "{err}");
}

#[test]
fn corrupt_pinned_schema_is_an_error_not_an_overwrite() {
    let tmp = schema_copy("corrupt");
    let dir = tmp.path();
    std::fs::write(dir.join("openapi.json"), "{ half").unwrap();
    let err = sync::run(options(
        fixture("invite-subset.2026-07-18.json"),
        dir,
        false,
    ))
    .unwrap_err();
    assert!(matches!(err, SyncError::NotJson { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("openapi.json")).unwrap(),
        "{ half"
    );
}

#[test]
fn first_sync_into_an_empty_directory() {
    let tmp = schema_copy("empty");
    let dir = tmp.path();
    for f in [
        "openapi.json",
        "SOURCE.md",
        "overlay.toml",
        "docs.toml",
        "sync-ignore.toml",
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let mut opts = options(fixture("invite-subset.2026-07-18.json"), dir, false);
    opts.commit = Some(CURRENT_COMMIT.into());
    let outcome = sync::run(opts.clone()).unwrap();
    assert!(outcome.written);
    assert_eq!(outcome.report.bump(), Bump::Minor, "everything is new");
    let source = std::fs::read_to_string(dir.join("SOURCE.md")).unwrap();
    assert!(source.starts_with("# Where `schema/` comes from\n"));
    assert!(source.contains(&format!("- Commit: `{CURRENT_COMMIT}`\n")));
    assert!(source.contains("- Commit date: unknown (not given to `schema sync`)\n"));
    assert!(source.contains("- Licence: MIT (declared in the spec's `info.license`)\n"));
    // No temporary files left behind.
    let names: Vec<String> = snapshot(dir).into_keys().collect();
    assert_eq!(names, vec!["SOURCE.md", "openapi.json"]);
}

#[test]
fn unwritable_schema_dir_is_an_io_error() {
    let tmp = temp_dir("absent");
    let dir = tmp.path().join("absent");
    let err = sync::run(options(
        fixture("invite-subset.2026-07-18.json"),
        &dir,
        false,
    ))
    .unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::Io {
                action: "write",
                ..
            }
        ),
        "{err}"
    );
    assert!(!dir.exists());
}

/// Step 4 and the generator's own overlay validation must agree: after syncing to an older
/// spec, `generate` fails exactly when `sync` reports conflicts, and on as many entries.
#[test]
fn overlay_conflicts_agree_with_the_generator() {
    for (version, commit) in [
        ("2026-07-18", CURRENT_COMMIT),
        ("2026-02-18", "e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d"),
        ("2025-07-10", "200a60ab17895eb458aa23b00d522ee24db01ba7"),
    ] {
        let tmp = schema_copy("agree");
        let dir = tmp.path();
        let mut opts = options(
            fixture(&format!("invite-subset.{version}.json")),
            dir,
            false,
        );
        opts.commit = Some(commit.into());
        let conflicts = sync::run(opts.clone()).unwrap().report.conflicts;
        match discord_invite_codegen::generate(dir) {
            Ok(_) => assert_eq!(
                conflicts,
                vec![],
                "{version}: generate accepted the overlay"
            ),
            Err(e) => {
                let message = e.to_string();
                assert!(
                    !conflicts.is_empty(),
                    "{version}: generate failed: {message}"
                );
                // The generator's entry check leaves leniency on fields the spec does not
                // require to the model builder, which stops at the first; the sync lists them.
                let entries = conflicts
                    .iter()
                    .filter(|c| !c.missing.contains("is no longer required by the spec"))
                    .count();
                let count = format!("({entries} problem(s))");
                if message.contains("problem(s))") {
                    assert!(message.contains(&count), "{version}: {count} vs {message}");
                }
            }
        }
    }
}

/// 2025-07-10 -> 2026-02-18 makes `GuildInviteResponse.expires_at` required; the overlay
/// already decodes it leniently, so the Rust type does not change: patch, not breaking.
#[test]
fn presence_changes_on_lenient_fields_are_patch_level() {
    let tmp = schema_copy("lenient");
    let dir = tmp.path();
    sync::run(options(
        fixture("invite-subset.2025-07-10.json"),
        dir,
        false,
    ))
    .unwrap();
    let outcome = sync::run(options(fixture("invite-subset.2026-02-18.json"), dir, true)).unwrap();
    let report = &outcome.report;
    let find = |group: &str, path: &str, rule: Rule| {
        report
            .types
            .iter()
            .filter(|t| t.name == group)
            .flat_map(|t| &t.changes)
            .find(|c| c.path == path && c.rule == rule)
            .unwrap_or_else(|| panic!("no {rule} on {path}:\n{}", report.render_text()))
    };
    let expires = find(
        "GuildInviteResponse",
        "GuildInviteResponse.expires_at",
        Rule::ResponseFieldBecameRequired,
    );
    assert_eq!(expires.class, Class::Patch);
    assert_eq!(
        expires.note.as_deref(),
        Some("Rust type unchanged: `Nullable<Timestamp>` (overlay [lenient])")
    );
    assert_eq!(expires.rust.as_deref(), Some("GuildInvite::expires_at"));
    // Not lenient: the Rust type changes, breaking.
    let inviter = find(
        "GuildInviteResponse",
        "GuildInviteResponse.inviter",
        Rule::ResponseFieldBecameNotNullable,
    );
    assert_eq!(inviter.class, Class::Breaking);
    assert_eq!(
        inviter.note.as_deref(),
        Some("Rust: `Nullable<User>` -> `Option<User>`")
    );
}

#[test]
fn formatting_only_differences_are_not_changes_but_are_rewritten() {
    let tmp = schema_copy("crlf");
    let dir = tmp.path();
    let pinned = std::fs::read_to_string(dir.join("openapi.json")).unwrap();
    std::fs::write(dir.join("openapi.json"), pinned.replace('\n', "\r\n")).unwrap();
    let check = sync::run(options(dir.join("openapi.json"), dir, true)).unwrap();
    assert!(!check.changed && !check.written);
    assert!(check.report.is_empty());
    let mut opts = options(fixture("invite-subset.2026-07-18.json"), dir, false);
    opts.commit = Some(CURRENT_COMMIT.into());
    let outcome = sync::run(opts).unwrap();
    assert!(!outcome.changed && outcome.written);
    assert_eq!(
        std::fs::read_to_string(dir.join("openapi.json")).unwrap(),
        pinned
    );
}

fn held_items(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join(sync::HELD_FILE)).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix("item = \""))
        .map(|l| l.trim_end_matches('"').to_owned())
        .collect()
}

/// `--hold-new`: additions new upstream stay out of `schema/` until a second sync still finds
/// them; what is gone again is dropped.
#[test]
fn hold_new_holds_then_admits_or_drops() {
    let tmp = schema_copy("hold");
    let dir = tmp.path();
    sync::run(options(
        fixture("invite-subset.2026-02-18.json"),
        dir,
        false,
    ))
    .unwrap();
    let pinned_0218 = std::fs::read_to_string(dir.join("openapi.json")).unwrap();
    let hold = |from: &str| {
        let mut opts = options(fixture(from), dir, false);
        opts.hold_new = true;
        sync::run(opts).unwrap()
    };

    // First sighting: held back, with the types only they use.
    let first = hold("invite-subset.2026-07-18.json");
    let written = std::fs::read_to_string(dir.join("openapi.json")).unwrap();
    assert!(!written.contains("\"liveliness\""));
    assert!(!written.contains("GuildLivelinessResponse"));
    assert!(
        written.contains("RecurrenceRuleFrequencies")
            == pinned_0218.contains("RecurrenceRuleFrequencies")
    );
    let held = held_items(dir);
    assert!(
        held.contains(&"GuildInviteResponse.liveliness".to_owned()),
        "{held:?}"
    );
    assert!(
        held.contains(&"ScheduledEventResponse.recurrence_rule".to_owned()),
        "{held:?}"
    );
    assert!(first
        .report
        .new_upstream
        .iter()
        .all(|n| n.status == HoldStatus::Held));
    assert_eq!(first.report.new_upstream.len(), held.len());
    // What is written is not marked new-upstream, and held fields are not in the changes.
    assert!(!first
        .report
        .changes()
        .any(|c| c.path == "GuildInviteResponse.liveliness"));
    let text = first.report.render_text();
    assert!(
        text.contains("  held back: GuildInviteResponse.liveliness (new upstream, first seen unknown; written once a later sync still finds it)"),
        "{text}"
    );

    // Second sighting: admitted; the subset is now exactly upstream's, the hold list is gone.
    let second = hold("invite-subset.2026-07-18.json");
    assert_eq!(
        std::fs::read_to_string(dir.join("openapi.json")).unwrap(),
        std::fs::read_to_string(fixture("invite-subset.2026-07-18.json")).unwrap()
    );
    assert!(!dir.join(sync::HELD_FILE).exists());
    assert!(second
        .report
        .new_upstream
        .iter()
        .all(|n| n.status == HoldStatus::Admitted));
    let live = second
        .report
        .changes()
        .find(|c| c.path == "GuildInviteResponse.liveliness")
        .unwrap();
    assert!(!live.new_upstream, "admitted, so no longer new");

    // Flapping: held, then gone again upstream.
    let tmp = schema_copy("flap");
    let dir = tmp.path();
    sync::run(options(
        fixture("invite-subset.2026-02-18.json"),
        dir,
        false,
    ))
    .unwrap();
    let mut opts = options(fixture("invite-subset.2026-07-18.json"), dir, false);
    opts.hold_new = true;
    sync::run(opts).unwrap();
    let mut opts = options(fixture("invite-subset.2026-02-18.json"), dir, false);
    opts.hold_new = true;
    let back = sync::run(opts).unwrap();
    assert!(!back.report.new_upstream.is_empty());
    assert!(back
        .report
        .new_upstream
        .iter()
        .all(|n| n.status == HoldStatus::Gone));
    assert!(!dir.join(sync::HELD_FILE).exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("openapi.json")).unwrap(),
        pinned_0218
    );
}

/// Without `--hold-new`, additions are written and marked `new-upstream`.
#[test]
fn additions_are_marked_new_upstream() {
    let tmp = schema_copy("mark");
    let dir = tmp.path();
    sync::run(options(
        fixture("invite-subset.2026-02-18.json"),
        dir,
        false,
    ))
    .unwrap();
    let outcome = sync::run(options(fixture("invite-subset.2026-07-18.json"), dir, true)).unwrap();
    let live = outcome
        .report
        .changes()
        .find(|c| c.path == "GuildInviteResponse.liveliness")
        .unwrap();
    assert!(live.new_upstream);
    // Enum values and types are not (only fields and operations flap).
    assert!(outcome
        .report
        .changes()
        .filter(|c| c.rule == Rule::EnumValueAdded || c.rule == Rule::TypeAdded)
        .all(|c| !c.new_upstream));
}

/// `sync-ignore.toml`: matching changes are listed apart and not counted.
#[test]
fn ignore_file_sets_accepted_changes_apart() {
    let tmp = schema_copy("ignore");
    let dir = tmp.path();
    sync::run(options(
        fixture("invite-subset.2026-02-18.json"),
        dir,
        false,
    ))
    .unwrap();
    let before = sync::run(options(fixture("invite-subset.2026-07-18.json"), dir, true))
        .unwrap()
        .report;
    std::fs::write(
        dir.join(sync::IGNORE_FILE),
        r#"
[[ignore]]
rule = "field-added-required"
path = "ScheduledEventResponse.*"
reason = "new required fields of scheduled events; accepted for the 0.2 release"
"#,
    )
    .unwrap();
    let after = sync::run(options(fixture("invite-subset.2026-07-18.json"), dir, true))
        .unwrap()
        .report;
    assert_eq!(after.ignored.len(), 2);
    assert!(after
        .ignored
        .iter()
        .all(|i| i.group == "ScheduledEventResponse" && i.change.rule == Rule::FieldAddedRequired));
    assert_eq!(after.breaking, before.breaking - 2);
    assert!(!after
        .changes()
        .any(|c| c.path.starts_with("ScheduledEventResponse.")));
    let text = after.render_text();
    assert!(text.contains(", 2 ignored)"), "{text}");
    assert!(
        text.contains("Ignored (2, by sync-ignore.toml; not counted)"),
        "{text}"
    );

    // A typo in a rule id is an error that names the entry; nothing is written.
    std::fs::write(
        dir.join(sync::IGNORE_FILE),
        "[[ignore]]\nrule = \"field-added\"\npath = \"*\"\nreason = \"x\"\n",
    )
    .unwrap();
    let snap = snapshot(dir);
    let err = sync::run(options(
        fixture("invite-subset.2026-07-18.json"),
        dir,
        false,
    ))
    .unwrap_err();
    assert!(matches!(err, SyncError::Malformed { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("[[ignore]] entry 1 (rule = \"field-added\"): unknown rule id"),
        "{err}"
    );
    assert_eq!(snapshot(dir), snap);
}

/// `--fix-overlay` deletes exactly the stale entries (comments kept), after which the generator
/// builds the older schema.
#[test]
fn fix_overlay_lets_the_generator_build_older_specs() {
    for version in ["2026-02-18", "2025-07-10"] {
        let tmp = schema_copy("fix");
        let dir = tmp.path();
        let mut opts = options(
            fixture(&format!("invite-subset.{version}.json")),
            dir,
            false,
        );
        opts.fix_overlay = true;
        let outcome = sync::run(opts).unwrap();
        assert!(
            outcome.report.conflicts.is_empty(),
            "{version}: {:?}",
            outcome.report.conflicts
        );
        assert!(!outcome.report.fixed.is_empty());
        let overlay = std::fs::read_to_string(dir.join("overlay.toml")).unwrap();
        assert!(overlay.contains("# Fields the spec marks required that real payloads leave out"));
        assert!(!overlay.contains("RecurrenceRuleFrequencies"));
        if let Err(e) = discord_invite_codegen::generate(dir) {
            panic!("{version}: {e}");
        }
    }
}

//! Checking a report's prediction against the public-API diff (`schema sync --api-diff`, what
//! `scripts/sync-check` runs), on cargo-semver-checks 0.51.0's real output for the history
//! pairs (`fixtures/sync/api-diff/`, see SOURCE.md there). The tool itself is not needed.

use std::path::PathBuf;

use discord_invite_codegen::sync::{self, Bump, Class, Overlays, Report};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sync")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

/// The report `scripts/sync-check --history` checks: the Rust view with the overlay.
fn report(a: &str, b: &str) -> Report {
    let load = |v: &str| -> Value {
        serde_json::from_str(&read(&format!("invite-subset.{v}.json"))).unwrap()
    };
    let overlay = read("history/overlay.toml");
    let overlays = Overlays {
        old: Some(&overlay),
        new: Some(&overlay),
    };
    sync::diff_with_overlay(&load(a), &load(b), overlays)
}

fn api_diff(a: &str, b: &str) -> sync::ApiDiff {
    sync::parse_api_diff(
        &read(&format!("api-diff/{a}_to_{b}.txt")),
        Some(&read("api-diff/lints.txt")),
    )
}

#[test]
fn the_history_predictions_hold() {
    for (a, b, measured, raw) in [
        ("2025-07-10", "2026-02-18", Bump::Major, Bump::Major),
        ("2026-02-18", "2026-07-18", Bump::Minor, Bump::Major),
    ] {
        let report = report(a, b);
        let diff = api_diff(a, b);
        let verdict = sync::check_prediction(&report, &diff);
        assert!(verdict.ok, "{a} -> {b}: {}", verdict.render_text(&diff));
        assert_eq!(verdict.predicted, Bump::Major);
        assert_eq!(
            (verdict.measured, verdict.measured_raw),
            (measured, raw),
            "{a} -> {b}"
        );
        assert!(verdict.misclassified.is_empty());
        // Every break the tool finds is named by a report line.
        assert!(verdict.unmatched.is_empty(), "{:?}", verdict.unmatched);
    }
}

#[test]
fn the_tools_output_is_read() {
    let diff = api_diff("2025-07-10", "2026-02-18");
    let lints: Vec<(&str, bool, Bump, Bump)> = diff
        .findings
        .iter()
        .map(|f| (f.lint.as_str(), f.warning, f.level, f.counted))
        .collect();
    assert_eq!(
        lints,
        [
            (
                "constructible_struct_adds_field",
                false,
                Bump::Major,
                Bump::Minor
            ),
            ("enum_missing", false, Bump::Major, Bump::Major),
            ("struct_missing", false, Bump::Major, Bump::Major),
            ("struct_pub_field_missing", false, Bump::Major, Bump::Major),
        ]
    );
    assert_eq!(
        diff.findings[1].items,
        ["DisplayNameEffect", "DisplayNameFont"]
    );
    assert_eq!(diff.findings[3].items, ["User::display_name_styles"]);
    assert_eq!(
        diff.summary.as_deref(),
        Some("semver requires new major version: 4 major and 0 minor checks failed")
    );
    // Warnings need no bump.
    let diff = api_diff("2026-02-18", "2026-07-18");
    let warning = diff.findings.iter().find(|f| f.warning).unwrap();
    assert_eq!(warning.lint, "partial_ord_enum_variants_reordered");
}

/// The check fails when the tool finds a break in an item the report classified as additive.
#[test]
fn a_break_the_report_calls_additive_fails() {
    let report = report("2026-02-18", "2026-07-18");
    let roles = report
        .changes()
        .find(|c| c.rust.as_deref() == Some("GuildInvite::liveliness"))
        .unwrap();
    assert_eq!(roles.class, Class::Additive);
    let output = read("api-diff/2026-02-18_to_2026-07-18.txt")
        + "\n--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---\n\nFailed in:\n  field liveliness of struct GuildInvite, previously in file TARGET/out/models.rs:1\n";
    let diff = sync::parse_api_diff(&output, Some(&read("api-diff/lints.txt")));
    let verdict = sync::check_prediction(&report, &diff);
    assert!(!verdict.ok);
    assert_eq!(verdict.misclassified.len(), 1);
    assert_eq!(verdict.misclassified[0].item, "GuildInvite::liveliness");
    assert_eq!(verdict.misclassified[0].rule, "field-added-optional");
    let text = verdict.render_text(&diff);
    assert!(
        text.contains("  ! struct_pub_field_missing breaks `GuildInvite::liveliness`, which the report classified additive (field-added-optional)"),
        "{text}"
    );
}

/// And when the tool needs a larger bump than the report suggests, named or not.
#[test]
fn a_larger_bump_than_predicted_fails() {
    // Only the additions of 2026-02-18 -> 2026-07-18 (the breaking lines ignored): MINOR.
    let mut report = report("2026-02-18", "2026-07-18");
    for t in &mut report.types {
        t.changes.retain(|c| c.class != Class::Breaking);
    }
    report
        .operations
        .retain(|o| o.changes.iter().all(|c| c.class != Class::Breaking));
    assert_eq!(report.bump(), Bump::Minor);
    let holds = sync::check_prediction(&report, &api_diff("2026-02-18", "2026-07-18"));
    assert!(
        holds.ok,
        "a new optional field is minor by the struct-literal policy"
    );
    let diff = api_diff("2025-07-10", "2026-02-18");
    let verdict = sync::check_prediction(&report, &diff);
    assert!(!verdict.ok);
    assert_eq!(verdict.measured, Bump::Major);
    assert!(verdict
        .render_text(&diff)
        .contains("  ! the API diff needs MAJOR, more than the suggested MINOR"));
}

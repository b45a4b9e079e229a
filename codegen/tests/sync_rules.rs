//! One small spec pair per change rule, with its expected report: the golden tests of the
//! change rules (`docs/UPDATING.md` lists them).
//!
//! `fixtures/sync/rules/base.json` is a small invite spec and `rules/overlay.toml` its overlay.
//! Each `rules/CASE.json` says how the two sides differ from it: `old` is a JSON merge patch
//! (RFC 7386) applied to the base, `new` one applied to the old side; `old_overlay` /
//! `new_overlay` replace the overlay of a side. `rules/CASE.txt` is the exact text report,
//! checked by hand. A case named after a rule id must report that rule; the other cases cover
//! the Rust view (changes the generated code does not see) and the pairing of enum values.
//! After an intentional change to the report, rewrite the expected files with
//! `UPDATE_SYNC_FIXTURES=1 cargo test -p discord-invite-codegen --test sync_rules` and review
//! the diff.

use std::path::{Path, PathBuf};

use discord_invite_codegen::sync::{self, Class, Overlays, Report, Rule};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sync/rules")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// RFC 7386 JSON merge patch.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let t = target.as_object_mut().unwrap();
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// The report of one case.
fn case(name: &str) -> Report {
    let spec: Value = serde_json::from_str(&read(&dir().join(format!("{name}.json")))).unwrap();
    let mut old: Value = serde_json::from_str(&read(&dir().join("base.json"))).unwrap();
    if let Some(p) = spec.get("old") {
        merge(&mut old, p);
    }
    let mut new = old.clone();
    if let Some(p) = spec.get("new") {
        merge(&mut new, p);
    }
    let base_overlay = read(&dir().join("overlay.toml"));
    let old_overlay = spec
        .get("old_overlay")
        .and_then(Value::as_str)
        .unwrap_or(&base_overlay);
    let new_overlay = spec
        .get("new_overlay")
        .and_then(Value::as_str)
        .unwrap_or(old_overlay);
    sync::diff_with_overlay(
        &old,
        &new,
        Overlays {
            old: Some(old_overlay),
            new: Some(new_overlay),
        },
    )
}

/// Compares with the expected file; `UPDATE_SYNC_FIXTURES=1` rewrites it instead.
fn expect(name: &str, report: &Report) {
    let path = dir().join(format!("{name}.txt"));
    let actual = report.render_text();
    if std::env::var_os("UPDATE_SYNC_FIXTURES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (UPDATE_SYNC_FIXTURES=1 creates it)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "{}", path.display());
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "base")
        .collect();
    names.sort();
    names
}

#[test]
fn every_rule_has_a_case_that_reports_it() {
    let names = case_names();
    for rule in Rule::ALL {
        assert!(
            names.iter().any(|n| n == rule.id()),
            "no rules/{}.json case",
            rule.id()
        );
        let report = case(rule.id());
        assert!(
            report.rust_view.is_none(),
            "{rule}: the generator cannot build a side: {:?}",
            report.rust_view
        );
        assert!(
            report.changes().any(|c| c.rule == *rule),
            "{rule} not reported:\n{}",
            report.render_text()
        );
        expect(rule.id(), &report);
    }
}

#[test]
fn every_case_renders_exactly() {
    for name in case_names() {
        let report = case(&name);
        assert!(report.rust_view.is_none(), "{name}: {:?}", report.rust_view);
        expect(&name, &report);
    }
}

/// The classes the Rust view gives where the generated code does not change.
#[test]
fn rust_view_lowers_what_the_generated_code_does_not_see() {
    let class_of = |name: &str, rule: Rule| {
        let report = case(name);
        let c = report
            .changes()
            .find(|c| c.rule == rule)
            .unwrap_or_else(|| panic!("{name}: no {rule}:\n{}", report.render_text()));
        (c.class, c.note.clone().unwrap_or_default())
    };
    // The example: a lenient field the spec makes required changes nothing in Rust.
    let (class, note) = class_of(
        "lenient-field-became-required",
        Rule::ResponseFieldBecameRequired,
    );
    assert_eq!(class, Class::Patch);
    assert!(note.contains("overlay [lenient]"), "{note}");
    // Without the overlay entry it is breaking.
    assert_eq!(
        class_of(
            "response-field-became-required",
            Rule::ResponseFieldBecameRequired
        )
        .0,
        Class::Breaking
    );
    for (name, rule) in [
        ("item-nullability-changed", Rule::FieldTypeChanged),
        ("integer-format-dropped", Rule::FieldTypeChanged),
        ("enum-format-added", Rule::TypeKindChanged),
        ("enum-value-added-from-overlay", Rule::EnumValueAdded),
        (
            "request-presence-rust-unchanged",
            Rule::RequestFieldBecameOptional,
        ),
        (
            "request-presence-rust-unchanged",
            Rule::RequestFieldBecameNotNullable,
        ),
        ("response-list-items-nullable", Rule::ResponseTypeChanged),
        (
            "request-body-became-optional",
            Rule::RequestBodyBecameOptional,
        ),
    ] {
        assert_eq!(class_of(name, rule).0, Class::Patch, "{name} {rule}");
    }
    // `int32` -> `int64` widens the Rust field (`i32` -> `i64`): breaking.
    assert_eq!(
        class_of("integer-format-changed", Rule::FieldTypeChanged).0,
        Class::Breaking
    );
    // So does an `int32` enum's `Unknown(i32)`.
    assert_eq!(
        class_of("enum-format-changed", Rule::TypeKindChanged).0,
        Class::Breaking
    );
    // The same Rust type, but a response payload that decoded may not: still breaking.
    let (class, note) = class_of(
        "response-presence-rust-unchanged",
        Rule::ResponseFieldBecameOptional,
    );
    assert_eq!(class, Class::Breaking);
    assert!(note.contains("no longer decodes"), "{note}");
}

#[test]
fn changes_name_the_spec_item_and_the_rust_item() {
    let report = case("field-added-optional");
    let c = report.changes().next().unwrap();
    assert_eq!(c.path, "GuildInviteResponse.roles");
    assert_eq!(c.rust.as_deref(), Some("GuildInvite::roles"));
    assert_eq!(c.rust_also, ["Invite::roles"]);
    let md = report.render_markdown();
    assert!(
        md.contains("- `field-added-optional` `GuildInviteResponse.roles` → `GuildInvite::roles`: field `roles`: array\\<SnowflakeType> \\| null (optional)"),
        "{md}"
    );
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    let change = &json["types"][0]["changes"][0];
    assert_eq!(change["rule"], "field-added-optional");
    assert_eq!(change["path"], "GuildInviteResponse.roles");
    assert_eq!(change["rust"], "GuildInvite::roles");

    for (name, rust) in [
        ("operation-added", "Client::invite_update"),
        (
            "request-parameter-added-optional",
            "InviteResolve::with_expiration",
        ),
        ("enum-value-renamed", "GuildFeatures::News"),
        ("response-union-variant-added", "Invite"),
        ("response-union-variant-removed", "Invite::Friend"),
        ("request-body-variant-added", "CreateChannelInviteBody"),
    ] {
        let report = case(name);
        let c = report.changes().find(|c| c.rule.id() == name).unwrap();
        assert_eq!(c.rust.as_deref(), Some(rust), "{name}");
    }
}

/// The defect an earlier fuzz run found: an enum that repeats a value under two titles was
/// paired by value alone, so a reordering read as renames and a dropped title as a rename.
#[test]
fn repeated_enum_values_pair_by_value_and_title() {
    // Reordered: no rename, no addition, no removal; only the decoding of the value changes.
    let report = case("enum-repeated-value-reordered");
    let rules: Vec<Rule> = report.changes().map(|c| c.rule).collect();
    assert_eq!(
        rules,
        [Rule::EnumRepeatedValueReordered],
        "{}",
        report.render_text()
    );
    let report = case("enum-repeated-value-dropped");
    let rules: Vec<Rule> = report.changes().map(|c| c.rule).collect();
    assert_eq!(rules, [Rule::EnumValueRemoved]);
    assert_eq!(
        report.changes().next().unwrap().path,
        "InviteTypes.LEGACY_GROUP_DM"
    );
}

/// docs/UPDATING.md lists every rule id.
#[test]
fn the_docs_list_every_rule() {
    let docs = read(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/UPDATING.md"));
    for rule in Rule::ALL {
        assert!(
            docs.contains(&format!("| `{}` |", rule.id())),
            "docs/UPDATING.md does not list `{rule}` in its rule table"
        );
    }
}

//! Step 2 of `schema sync`: the change report. One synthetic case per change class with its
//! exact expected text, and the real history of Discord's spec.

use std::path::PathBuf;

use discord_invite_codegen::sync::{self, Bump, ChangeKind, Class, Report, VersionLabel};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sync")
}

fn load(name: &str) -> Value {
    let path = fixtures().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Every `classes/CASE.json` against `classes/base.json` must render exactly `classes/CASE.txt`.
#[test]
fn each_change_class_renders_exactly() {
    let base = load("classes/base.json");
    let mut cases = 0;
    let mut entries: Vec<_> = std::fs::read_dir(fixtures().join("classes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.extension().and_then(|e| e.to_str()) != Some("json") || name == "base" {
            continue;
        }
        let new = load(&format!("classes/{name}.json"));
        let report = sync::diff(&base, &new);
        expect_file(&path.with_extension("txt"), &report.render_text());
        cases += 1;
    }
    assert_eq!(cases, 30);
}

/// Compares with an expected-output file; `UPDATE_SYNC_FIXTURES=1` rewrites it instead (then
/// review the diff by hand before committing).
fn expect_file(path: &std::path::Path, actual: &str) {
    if std::env::var_os("UPDATE_SYNC_FIXTURES").is_some_and(|v| v == "1") {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (UPDATE_SYNC_FIXTURES=1 creates it)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "{}", path.display());
}

/// The whole text report between two real versions, labelled, against the committed copy that
/// was checked by hand.
#[test]
fn history_reports_render_exactly() {
    let versions = [
        ("2025-07-10", "200a60ab17895eb458aa23b00d522ee24db01ba7"),
        ("2026-02-18", "e4c6589bcb28dca6d9dbe3352a6e8438bc8f5b7d"),
        ("2026-07-18", "74fda0fad044407ea280043a03ffc9bc64c4e49e"),
    ];
    for pair in versions.windows(2) {
        let ((d0, c0), (d1, c1)) = (pair[0], pair[1]);
        let mut report = with_overlay(
            &format!("invite-subset.{d0}.json"),
            &format!("invite-subset.{d1}.json"),
        );
        report.from = VersionLabel {
            commit: Some(c0.into()),
            date: Some(d0.into()),
        };
        report.to = VersionLabel {
            commit: Some(c1.into()),
            date: Some(d1.into()),
        };
        let path = fixtures().join(format!("history/{d0}_to_{d1}.txt"));
        expect_file(&path, &report.render_text());
    }
}

fn one(base: &str, case: &str) -> Report {
    sync::diff(&load(base), &load(case))
}

/// The report `schema sync` gives: the Rust view with the overlay of `history/overlay.toml` (a
/// copy of `schema/overlay.toml`) on both sides.
fn with_overlay(base: &str, case: &str) -> Report {
    let overlay = std::fs::read_to_string(fixtures().join("history/overlay.toml")).unwrap();
    let overlays = sync::Overlays {
        old: Some(&overlay),
        new: Some(&overlay),
    };
    sync::diff_with_overlay(&load(base), &load(case), overlays)
}

#[test]
fn classification_and_bump_per_class() {
    use ChangeKind::*;
    let expect = [
        ("no-change", None, Bump::None),
        ("docs-only", Some((OtherChanged, Class::Patch)), Bump::Patch),
        (
            "operation-added",
            Some((OperationAdded, Class::Additive)),
            Bump::Minor,
        ),
        (
            "operation-removed",
            Some((OperationRemoved, Class::Breaking)),
            Bump::Major,
        ),
        (
            "parameter-added-optional",
            Some((ParameterAdded, Class::Additive)),
            Bump::Minor,
        ),
        (
            "parameter-added-required",
            Some((ParameterAdded, Class::Breaking)),
            Bump::Major,
        ),
        (
            "parameter-removed",
            Some((ParameterRemoved, Class::Breaking)),
            Bump::Major,
        ),
        (
            "parameter-type-changed",
            Some((ParameterTypeChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "parameter-required-changed",
            Some((ParameterRequiredChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "parameter-limit-tightened",
            Some((LimitChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "request-body-changed",
            Some((RequestBodyChanged, Class::Additive)),
            Bump::Minor,
        ),
        (
            "response-changed",
            Some((ResponseChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "type-added",
            Some((TypeAdded, Class::Additive)),
            Bump::Minor,
        ),
        (
            "type-kind-changed",
            Some((TypeKindChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-added-optional",
            Some((FieldAdded, Class::Additive)),
            Bump::Minor,
        ),
        (
            "field-added-required",
            Some((FieldAdded, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-removed",
            Some((FieldRemoved, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-type-changed",
            Some((FieldTypeChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-optional-to-required",
            Some((FieldRequiredChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-required-to-optional",
            Some((FieldRequiredChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-nullable-changed",
            Some((FieldNullableChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "field-required-and-nullable-changed",
            Some((FieldRequiredChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "enum-value-added",
            Some((EnumValueAdded, Class::Additive)),
            Bump::Minor,
        ),
        (
            "enum-value-removed",
            Some((EnumValueRemoved, Class::Breaking)),
            Bump::Major,
        ),
        (
            "enum-value-renamed",
            Some((EnumValueRenamed, Class::Breaking)),
            Bump::Major,
        ),
        (
            "limit-tightened-request",
            Some((LimitChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "limit-loosened-request",
            Some((LimitChanged, Class::Additive)),
            Bump::Minor,
        ),
        (
            "limit-pattern-changed",
            Some((LimitChanged, Class::Breaking)),
            Bump::Major,
        ),
        (
            "limit-changed-response",
            Some((LimitChanged, Class::Additive)),
            Bump::Minor,
        ),
    ];
    for (case, first, bump) in expect {
        let report = one("classes/base.json", &format!("classes/{case}.json"));
        assert_eq!(report.bump(), bump, "{case}");
        assert_eq!(report.bump, bump, "{case}");
        let got = report.changes().next().map(|c| (c.kind, c.class));
        assert_eq!(got, first, "{case}");
    }
    // A removed type also removes the field that used it: both breaking.
    let report = one("classes/base.json", "classes/type-removed.json");
    let kinds: Vec<_> = report.changes().map(|c| (c.kind, c.class)).collect();
    assert_eq!(
        kinds,
        vec![
            (FieldRemoved, Class::Breaking),
            (TypeRemoved, Class::Breaking)
        ]
    );
}

#[test]
fn json_report_is_machine_readable() {
    let report = one("classes/base.json", "classes/field-added-optional.json");
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["bump"], "minor");
    assert_eq!(json["breaking"], 0);
    assert_eq!(json["additive"], 1);
    assert_eq!(json["operations"], serde_json::json!([]));
    assert_eq!(
        json["types"],
        serde_json::json!([{
            "name": "Invite",
            "changes": [{
                "kind": "field_added",
                "rule": "field-added-optional",
                "class": "additive",
                "path": "Invite.roles",
                "summary": "field `roles`: array<InviteGuild> | null (optional)",
                "new": "array<InviteGuild> | null"
            }]
        }])
    );
    // And back.
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
}

fn find<'a>(report: &'a Report, group: &str, needle: &str) -> &'a sync::Change {
    report
        .operations
        .iter()
        .filter(|o| o.operation_id.as_deref() == Some(group) || o.operation == group)
        .flat_map(|o| &o.changes)
        .chain(
            report
                .types
                .iter()
                .filter(|t| t.name == group)
                .flat_map(|t| &t.changes),
        )
        .find(|c| c.summary.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no change {needle:?} under {group}:\n{}",
                report.render_text()
            )
        })
}

/// 2025-07-10 -> 2026-02-18: the target-users and lobby endpoints, `roles` on guild invites.
#[test]
fn history_2025_07_10_to_2026_02_18() {
    let report = one(
        "invite-subset.2025-07-10.json",
        "invite-subset.2026-02-18.json",
    );
    let text = report.render_text();
    for line in [
        "  + GET /invites/{code}/target-users (get_invite_target_users)",
        "  + PUT /invites/{code}/target-users (update_invite_target_users)",
        "  + GET /invites/{code}/target-users/job-status (get_invite_target_users_job_status)",
        "  + POST /lobbies/{lobby_id}/members/@me/invites (create_linked_lobby_guild_invite_for_self)",
        "  + POST /lobbies/{lobby_id}/members/{user_id}/invites (create_linked_lobby_guild_invite_for_user)",
        "    + field `roles`: array<InviteGuildRoleResponse> | null (optional)",
        "  + InviteGuildRoleResponse (object, 8 fields)",
        "  + TargetUsersJobStatusResponse (object, 6 fields)",
        "  + TargetUsersJobStatusTypes (enum of integer(int32), 4 values)",
        "  + LobbyGuildInviteResponse (object, 1 field)",
        "  - DisplayNameStylesResponse (object, 3 fields)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    for op in [
        "get_invite_target_users",
        "update_invite_target_users",
        "get_invite_target_users_job_status",
        "create_linked_lobby_guild_invite_for_self",
        "create_linked_lobby_guild_invite_for_user",
    ] {
        let op = report
            .operations
            .iter()
            .find(|o| o.operation_id.as_deref() == Some(op))
            .unwrap();
        assert_eq!(op.changes[0].kind, ChangeKind::OperationAdded);
        assert_eq!(op.changes[0].class, Class::Additive);
    }
    let roles = find(&report, "GuildInviteResponse", "field `roles`");
    assert_eq!(
        (roles.kind, roles.class),
        (ChangeKind::FieldAdded, Class::Additive)
    );
    let gone = find(&report, "UserResponse", "field `display_name_styles`");
    assert_eq!(
        (gone.kind, gone.class),
        (ChangeKind::FieldRemoved, Class::Breaking)
    );
    let max_age = find(
        &report,
        "CreateGuildInviteRequest",
        "maximum 604800 -> 5184000",
    );
    assert_eq!(
        (max_age.kind, max_age.class),
        (ChangeKind::LimitChanged, Class::Additive)
    );
    // The spec tightened a lot of `oneOf [null, X]` into required, non-null fields.
    let ty = find(
        &report,
        "GuildInviteResponse",
        "field `guild`: optional -> required",
    );
    assert_eq!(ty.class, Class::Breaking);
    // The union style moved from anyOf + x-discord-union to oneOf: same Rust type.
    let resolve = find(&report, "invite_resolve", "method signature unchanged");
    assert_eq!(resolve.class, Class::Patch);
    // New content types on create_channel_invite: additive.
    let multipart = find(
        &report,
        "create_channel_invite",
        "multipart/form-data added",
    );
    assert_eq!(multipart.class, Class::Additive);
    assert_eq!(report.bump(), Bump::Major);
    assert_eq!(
        (report.breaking, report.additive, report.patch),
        (112, 16, 3)
    );
}

/// 2026-02-18 -> 2026-07-18 (the pinned version): `liveliness`, the recurrence-rule types of
/// scheduled events, `role_ids` on create, the target channel/message query parameters.
#[test]
fn history_2026_02_18_to_2026_07_18() {
    let report = one(
        "invite-subset.2026-02-18.json",
        "invite-subset.2026-07-18.json",
    );
    let text = report.render_text();
    for line in [
        "    + field `liveliness`: GuildLivelinessResponse | null (optional)",
        "  + GuildLivelinessResponse (object, 2 fields)",
        "  + RecurrenceRuleResponse (object, 10 fields)",
        "  + RecurrenceRuleFrequencies (enum of integer(int32), 4 values)",
        "  + RecurrenceRuleMonths (enum of integer(int32), 12 values)",
        "  + RecurrenceRuleWeekdays (enum of integer(int32), 7 values)",
        "  + ByNWeekdayResponse (object, 2 fields)",
        "  + GuildScheduledEventExceptionResponse (object, 5 fields)",
        "    + field `role_ids`: string | array<SnowflakeType> | null (optional)",
        "    + query parameter `target_channel_id`: SnowflakeType (optional)",
        "    + value OFFICIAL_GAME_GUILD = \"OFFICIAL_GAME_GUILD\"",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let live = find(&report, "GuildInviteResponse", "field `liveliness`");
    assert_eq!(
        (live.kind, live.class),
        (ChangeKind::FieldAdded, Class::Additive)
    );
    let rule = find(&report, "ScheduledEventResponse", "field `recurrence_rule`");
    assert_eq!(rule.kind, ChangeKind::FieldAdded);
    // Required in the spec: constructing the struct now needs it.
    assert_eq!(rule.class, Class::Breaking);
    let origins = find(&report, "InviteApplicationResponse", "field `rpc_origins`");
    assert_eq!(
        (
            origins.kind,
            origins.class,
            origins.old.as_deref(),
            origins.new.as_deref()
        ),
        (
            ChangeKind::FieldTypeChanged,
            Class::Breaking,
            Some("array<string | null>"),
            Some("array<string>")
        )
    );
    // NameplatePalette was `oneOf: []` (no values yet); now it lists them: additions.
    let palette = report
        .types
        .iter()
        .find(|t| t.name == "NameplatePalette")
        .unwrap();
    assert!(palette
        .changes
        .iter()
        .all(|c| c.kind == ChangeKind::EnumValueAdded && c.class == Class::Additive));
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn same_spec_reports_nothing() {
    let pinned = load("invite-subset.2026-07-18.json");
    let report = sync::diff(&pinned, &pinned);
    assert!(report.is_empty());
    assert_eq!(report.bump(), Bump::None);
    assert!(report.render_text().contains("No changes"));
}

#[test]
fn diff_never_panics_on_odd_documents() {
    let odd = [
        serde_json::json!({}),
        serde_json::json!([]),
        serde_json::json!({"paths": 3, "components": {"schemas": []}}),
        serde_json::json!({"paths": {"/invites/{code}": {"get": 1, "parameters": [1, {"name": 2}]}},
            "components": {"schemas": {"A": {"oneOf": 3}, "B": {"properties": {"x": {"type": [1]}}}, "C": 4}}}),
    ];
    let pinned = load("invite-subset.2026-07-18.json");
    for a in &odd {
        for b in &odd {
            let _ = sync::diff(a, b).render_text();
        }
        let _ = sync::diff(a, &pinned).render_text();
        let _ = sync::diff(&pinned, a).render_text();
    }
}

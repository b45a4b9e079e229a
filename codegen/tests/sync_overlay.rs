//! Step 4 of `schema sync`: overlay entries that name something the new subset lacks.

use std::path::PathBuf;

use discord_invite_codegen::sync::{self, Conflict};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(rel)).unwrap()).unwrap()
}

fn overlay() -> String {
    std::fs::read_to_string(root().join("../schema/overlay.toml")).unwrap()
}

fn render(conflicts: &[Conflict]) -> Vec<String> {
    conflicts.iter().map(ToString::to_string).collect()
}

#[test]
fn real_overlay_fits_the_pinned_subset() {
    let subset = load("../schema/openapi.json");
    let docs = std::fs::read_to_string(root().join("../schema/docs.toml")).ok();
    let conflicts = sync::overlay_conflicts(&subset, &overlay(), docs.as_deref());
    assert_eq!(render(&conflicts), Vec::<String>::new());
}

/// Going back to 2025-07-10 removes what the overlay talks about: every such entry is named,
/// with a fix.
#[test]
fn real_overlay_against_the_2025_subset() {
    let subset = load("tests/fixtures/sync/invite-subset.2025-07-10.json");
    let conflicts = render(&sync::overlay_conflicts(&subset, &overlay(), None));
    // The spec did not yet require what the overlay decodes leniently (the generator refuses
    // leniency on a field that is optional anyway).
    let (not_required, conflicts): (Vec<String>, Vec<String>) = conflicts
        .into_iter()
        .partition(|c| c.contains("is no longer required by the spec"));
    assert_eq!(not_required.len(), 37, "{not_required:#?}");
    assert!(not_required.contains(&"overlay.toml [lenient] GuildInviteResponse: field `GuildInviteResponse.guild` is no longer required by the spec; fix: remove `lenient.GuildInviteResponse` entry `guild`, it decodes as optional anyway".to_owned()));
    assert_eq!(
        conflicts,
        vec![
            "overlay.toml [names] GuildScheduledEventExceptionResponse: schema `GuildScheduledEventExceptionResponse` no longer exists; fix: remove the `GuildScheduledEventExceptionResponse` line from [names]",
            "overlay.toml [names] GuildScheduledEventUserResponses: schema `GuildScheduledEventUserResponses` no longer exists; fix: remove the `GuildScheduledEventUserResponses` line from [names]",
            "overlay.toml [names] RecurrenceRuleFrequencies: schema `RecurrenceRuleFrequencies` no longer exists; fix: remove the `RecurrenceRuleFrequencies` line from [names]",
            "overlay.toml [names] RecurrenceRuleMonths: schema `RecurrenceRuleMonths` no longer exists; fix: remove the `RecurrenceRuleMonths` line from [names]",
            "overlay.toml [names] RecurrenceRuleWeekdays: schema `RecurrenceRuleWeekdays` no longer exists; fix: remove the `RecurrenceRuleWeekdays` line from [names]",
            "overlay.toml [names] TargetUsersJobStatusTypes: schema `TargetUsersJobStatusTypes` no longer exists; fix: remove the `TargetUsersJobStatusTypes` line from [names]",
            "overlay.toml [lenient] InviteApplicationResponse: field `InviteApplicationResponse.flags_new` no longer exists; fix: remove `lenient.InviteApplicationResponse` entry `flags_new`, the field no longer exists, or rename it to `flags` if that is the same field",
            "overlay.toml [lenient] InviteGuildRoleResponse: schema `InviteGuildRoleResponse` no longer exists; fix: remove the `InviteGuildRoleResponse` line from [lenient]",
            "overlay.toml [lenient] ScheduledEventResponse: field `ScheduledEventResponse.recurrence_rule` no longer exists; fix: remove `lenient.ScheduledEventResponse` entry `recurrence_rule`, the field no longer exists",
            "overlay.toml [lenient] ScheduledEventResponse: field `ScheduledEventResponse.guild_scheduled_event_exceptions` no longer exists; fix: remove `lenient.ScheduledEventResponse` entry `guild_scheduled_event_exceptions`, the field no longer exists",
            "overlay.toml [lenient] TargetUsersJobStatusResponse: schema `TargetUsersJobStatusResponse` no longer exists; fix: remove the `TargetUsersJobStatusResponse` line from [lenient]",
            "overlay.toml [types] \"CreateGuildInviteRequest.role_ids\": field `CreateGuildInviteRequest.role_ids` no longer exists; fix: remove `CreateGuildInviteRequest.role_ids` from overlay.toml [types] \"CreateGuildInviteRequest.role_ids\", the field no longer exists",
            "overlay.toml [types] \"InviteChannelRecipientResponse.avatar\": field `InviteChannelRecipientResponse.avatar` no longer exists; fix: remove `InviteChannelRecipientResponse.avatar` from overlay.toml [types] \"InviteChannelRecipientResponse.avatar\", the field no longer exists",
            "overlay.toml [types] \"InviteGuildRoleResponse.icon\": schema `InviteGuildRoleResponse` no longer exists; fix: remove `InviteGuildRoleResponse.icon` from overlay.toml [types] \"InviteGuildRoleResponse.icon\"",
            "overlay.toml [aliases] create_linked_lobby_guild_invite_for_self: operation `create_linked_lobby_guild_invite_for_self` no longer exists; fix: remove the `create_linked_lobby_guild_invite_for_self` line from [aliases]",
            "overlay.toml [aliases] create_linked_lobby_guild_invite_for_user: operation `create_linked_lobby_guild_invite_for_user` no longer exists; fix: remove the `create_linked_lobby_guild_invite_for_user` line from [aliases]",
            "overlay.toml [aliases] get_invite_target_users: operation `get_invite_target_users` no longer exists; fix: remove the `get_invite_target_users` line from [aliases]",
            "overlay.toml [aliases] get_invite_target_users_job_status: operation `get_invite_target_users_job_status` no longer exists; fix: remove the `get_invite_target_users_job_status` line from [aliases]",
            "overlay.toml [aliases] update_invite_target_users: operation `update_invite_target_users` no longer exists; fix: remove the `update_invite_target_users` line from [aliases]",
        ]
    );
}

fn mini() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "10"},
        "paths": {"/invites/{code}": {
            "get": {"operationId": "invite_resolve", "responses": {}},
            "delete": {"operationId": "invite_revoke_v2", "responses": {}}
        }},
        "components": {"schemas": {
            "UserResponse": {"type": "object", "properties": {
                "id": {"type": "string"}, "public_flags": {"type": "integer"}}},
            "ChannelTypes": {"type": "integer", "oneOf": [
                {"title": "GUILD_TEXT", "const": 0}, {"title": "GUILD_MEDIA", "const": 16}]},
            "InviteMetadata": {"type": "object", "properties": {"uses": {"type": "integer"}}},
            "GuildInviteResponse": {"type": "object", "properties": {"type": {"type": "integer"}, "code": {"type": "string"}}},
            "FriendInviteResponse": {"type": "object", "properties": {"type": {"type": "integer"}}}
        }}
    })
}

#[test]
fn each_overlay_section_is_checked() {
    let overlay = r##"
[names]
UserResponse = "User"
GoneResponse = "Gone"

[unions.Invite]
tag = "type"
variants = ["GuildInviteResponse", "FriendInviteResponse"]
default = "GuildInviteResponse"
required = ["code"]

[lenient]
UserResponse = ["id", "flags", "publicflags"]

[nullable]
UserResponse = ["id"]

[enum_additions.ChannelTypes]
GUILD_MEDIA = 16
GUILD_FUTURE = 99

[flags.UserFlags]
bits = { STAFF = 0 }
fields = ["UserResponse.public_flags", "UserResponse.flags", "NoDot"]

[types]
"UserResponse.id" = "snowflake"
"Missing.field" = "json"

[[headers]]
operations = ["invite_resolve", "invite_revoke"]
name = "X-Audit-Log-Reason"

[aliases]
invite_resolve = ["get_invite"]
invite_revoke = ["delete_invite"]

[add.schemas.InviteMetadata]
type = "object"

[add.schemas.InviteDeleteEvent]
type = "object"
[add.schemas.InviteDeleteEvent.properties]
user = { "$ref" = "#/components/schemas/UserResponse" }
guild = { "$ref" = "#/components/schemas/GuildResponse" }
"##;
    let conflicts = sync::overlay_conflicts(&mini(), overlay, None);
    assert_eq!(
        render(&conflicts),
        vec![
            "overlay.toml [names] GoneResponse: schema `GoneResponse` no longer exists; fix: remove the `GoneResponse` line from [names]",
            "overlay.toml [unions.Invite]: field `FriendInviteResponse.code` no longer exists; fix: variant `FriendInviteResponse` lacks `code`: remove `code` from [unions.Invite] or the variant",
            "overlay.toml [lenient] UserResponse: field `UserResponse.id` is no longer required by the spec; fix: remove `lenient.UserResponse` entry `id`, it decodes as optional anyway",
            "overlay.toml [lenient] UserResponse: field `UserResponse.flags` no longer exists; fix: remove `lenient.UserResponse` entry `flags`, the field no longer exists",
            "overlay.toml [lenient] UserResponse: field `UserResponse.publicflags` no longer exists; fix: remove `lenient.UserResponse` entry `publicflags`, the field no longer exists, or rename it to `public_flags` if that is the same field",
            "overlay.toml [enum_additions.ChannelTypes]: `GUILD_MEDIA = 16` is now in the upstream spec (as `GUILD_MEDIA`); fix: remove `GUILD_MEDIA` from [enum_additions.ChannelTypes], upstream defines it",
            "overlay.toml [flags.UserFlags]: field `UserResponse.flags` no longer exists; fix: remove `UserResponse.flags` from overlay.toml [flags.UserFlags], the field no longer exists",
            "overlay.toml [flags.UserFlags]: `NoDot` is not of the form `Schema.field`; fix: write it as `Schema.field`",
            "overlay.toml [types] \"Missing.field\": schema `Missing` no longer exists; fix: remove `Missing.field` from overlay.toml [types] \"Missing.field\"",
            "overlay.toml [[headers]] X-Audit-Log-Reason: operation `invite_revoke` no longer exists; fix: remove `invite_revoke` from the `operations` of [[headers]] X-Audit-Log-Reason, or rename it to `invite_revoke_v2` if that is the same operation",
            "overlay.toml [aliases] invite_revoke: operation `invite_revoke` no longer exists; fix: remove the `invite_revoke` line from [aliases], or rename it to `invite_revoke_v2` if that is the same operation",
            "overlay.toml [add.schemas.InviteDeleteEvent]: `$ref` `#/components/schemas/GuildResponse` points to no schema; fix: point the `$ref` in [add.schemas.InviteDeleteEvent] at an existing schema",
            "overlay.toml [add.schemas.InviteMetadata]: `InviteMetadata` is now defined upstream, the addition clashes with it; fix: remove [add.schemas.InviteMetadata] and move what it adds into the other sections (names, lenient, docs)",
        ]
    );
}

#[test]
fn docs_entries_are_checked() {
    let overlay = r#"
[flags.GuildInviteFlags]
bits = { IS_GUEST_INVITE = 0 }
fields = []

[enum_additions.ChannelTypes]
GUILD_FORUM = 15
"#;
    let docs = r#"
[UserResponse]
doc = "A user."
[UserResponse.fields]
id = "The id."
avatar = "Gone."

[ChannelTypes]
doc = "A channel type."
[ChannelTypes.values]
GUILD_TEXT = "Text."
GUILD_FORUM = "Forum (our addition)."
GUILD_TXT = "Typo."

[GuildInviteFlags.values]
IS_GUEST_INVITE = "Guest."
IS_GONE = "Gone."

[Invite]
doc = "Any invite (our union)."

[OldResponse]
doc = "Gone."
"#;
    // `Invite` is not a union in this overlay: reported.
    let conflicts = sync::overlay_conflicts(&mini(), overlay, Some(docs));
    assert_eq!(
        render(&conflicts),
        vec![
            "docs.toml [ChannelTypes.values]: value `ChannelTypes.GUILD_TXT` no longer exists; fix: remove the `GUILD_TXT` line from [ChannelTypes.values], the value no longer exists, or rename it to `GUILD_TEXT` if that is the same value",
            "docs.toml [GuildInviteFlags.values]: value `GuildInviteFlags.IS_GONE` no longer exists; fix: remove the `IS_GONE` line from [GuildInviteFlags.values], the value no longer exists",
            "docs.toml [Invite]: schema `Invite` no longer exists; fix: remove the [Invite] table (and its .fields/.values) from docs.toml",
            "docs.toml [OldResponse]: schema `OldResponse` no longer exists; fix: remove the [OldResponse] table (and its .fields/.values) from docs.toml",
            "docs.toml [UserResponse.fields]: field `UserResponse.avatar` no longer exists; fix: remove the `avatar` line from [UserResponse.fields], the field no longer exists",
        ]
    );
}

#[test]
fn invalid_toml_is_one_conflict_not_a_panic() {
    let conflicts = sync::overlay_conflicts(&mini(), "[names\nx = ", None);
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].entry, "overlay.toml");
    assert!(conflicts[0]
        .missing
        .starts_with("the file is not valid TOML"));
    let conflicts = sync::overlay_conflicts(&mini(), "", Some("= nope"));
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].entry, "docs.toml");
    // Wrong shapes are skipped, not panicked on.
    let odd = "names = 3\nlenient = [1]\n[unions]\nInvite = 4\n[flags.X]\nfields = 5\n[[headers]]\noperations = 7\n";
    let _ = sync::overlay_conflicts(&mini(), odd, Some("X = 1\n[Y]\nfields = 2\nvalues = 3\n"));
    let _ = sync::overlay_conflicts(&json!(null), &overlay(), None);
}

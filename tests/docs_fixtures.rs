//! Every payload from Discord's developer docs (tests/fixtures/docs, see SOURCE.md there)
//! decodes into its model and re-encodes to equal JSON.

use discord_invite::*;
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/docs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn round_trip<T: Payload + std::fmt::Debug>(name: &str) -> T {
    let text = fixture(name);
    let model = T::from_json_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back: Value = model.to_json_value().expect("encodes");
    let input: Value = serde_json::from_str(&text).expect("fixture is JSON");
    assert_eq!(back, input, "{name} does not round-trip");
    // The other two decoders agree.
    let from_value = T::from_json_value(&input).expect("decodes from Value");
    assert_eq!(from_value.to_json_value().expect("encodes"), input);
    let from_bytes = T::from_json_slice(text.as_bytes()).expect("decodes from bytes");
    assert_eq!(from_bytes.to_json_value().expect("encodes"), input);
    model
}

#[test]
fn every_docs_fixture_is_covered() {
    let dir = format!("{}/tests/fixtures/docs", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "create-channel-invite-multipart-payload_json.role-ids.json",
            "create-channel-invite-request.empty.json",
            "create-channel-invite-request.role-ids.json",
            "guild-vanity-url-partial-invite.json",
            "invite-metadata.json",
            "invite-object.json",
            "invite-stage-instance.json",
            "target-users-job-status-response.json",
            "update-target-users-error-response.json",
        ],
        "a fixture was added: give it a round-trip test below"
    );
}

#[test]
fn invite_object() {
    let invite: Invite = round_trip("invite-object.json");
    assert_eq!(invite.code(), "0vCdhLbwjZZTWZLD");
    assert_eq!(invite.kind(), InviteType::Guild);
    assert_eq!(invite.link(), "https://discord.gg/0vCdhLbwjZZTWZLD");
    assert_eq!(invite.to_string(), invite.link());
    let Invite::Guild(g) = &invite else {
        panic!("type 0 is a guild invite: {invite:?}")
    };
    // The docs example has neither `guild_id` nor `expires_at`: kept absent, not null.
    assert!(g.guild_id.is_none());
    assert!(g.expires_at.is_absent());
    let guild = g.guild.as_ref().expect("guild");
    assert_eq!(guild.id, Snowflake::new(165176875973476352));
    assert_eq!(
        guild.features.as_deref(),
        Some(&[GuildFeature::News, GuildFeature::Discoverable][..])
    );
    assert_eq!(
        guild.verification_level.as_option(),
        Some(&VerificationLevel::Medium)
    );
    assert_eq!(g.target_type, Some(InviteTargetType::Stream));
    let inviter = invite.inviter().expect("inviter");
    assert_eq!(inviter.username, "speed");
    // Older user objects: no flags / global_name / primary_guild.
    assert!(inviter.flags.is_none());
    assert!(inviter.global_name.is_absent());
    assert_eq!(
        invite.channel().map(|c| c.kind),
        Some(ChannelType::GuildText)
    );
}

#[test]
fn invite_metadata() {
    let m: InviteMetadata = round_trip("invite-metadata.json");
    assert_eq!(
        (m.uses, m.max_uses, m.max_age, m.temporary),
        (0, 0, 0, false)
    );
    assert_eq!(m.created_at.to_string(), "2016-03-31T19:15:39.954000+00:00");
}

#[test]
fn stage_instance() {
    let s: InviteStageInstance = round_trip("invite-stage-instance.json");
    assert_eq!(s.participant_count, 200);
    assert_eq!(s.members.len(), 1);
    assert_eq!(
        s.members[0].nick,
        discord_invite::Nullable::Value("NOT API SUPPORT".into())
    );
    assert_eq!(s.members[0].user, Some(serde_json::json!({})));
}

#[test]
fn target_users_job_status() {
    let s: TargetUsersJobStatus = round_trip("target-users-job-status-response.json");
    assert_eq!(s.status, TargetUsersJobStatusKind::Failed);
    assert!(s.completed_at.is_null());
    assert_eq!(
        s.error_message
            .as_option()
            .map(discord_invite::Text::as_str),
        Some("Failed to parse CSV file")
    );
}

#[test]
fn update_target_users_error() {
    let e: UpdateTargetUsersError = round_trip("update-target-users-error-response.json");
    assert_eq!(e.target_users_file.map(|v| v.len()), Some(2));
}

#[test]
fn vanity_url() {
    let v: VanityUrl = round_trip("guild-vanity-url-partial-invite.json");
    assert_eq!(v.code.as_deref(), Some("abc"));
    assert_eq!(v.uses, 12);
}

#[test]
fn create_requests() {
    let r: CreateGuildInviteRequest = round_trip("create-channel-invite-request.role-ids.json");
    assert_eq!(
        r.role_ids,
        discord_invite::Nullable::Value(vec![Snowflake::new(9876543210987654321)])
    );
    let r: CreateGuildInviteRequest =
        round_trip("create-channel-invite-multipart-payload_json.role-ids.json");
    assert!(r.role_ids.is_value());
    let empty: CreateGuildInviteRequest = round_trip("create-channel-invite-request.empty.json");
    assert_eq!(empty, CreateGuildInviteRequest::default());
    let _: CreateGroupDmInviteRequest = round_trip("create-channel-invite-request.empty.json");
}

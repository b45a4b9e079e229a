//! The validator's library API: one test per finding code, positions, strictness, readers.

use discord_invite::validate::input::{Event, FileFormat, Reader, Record};
use discord_invite::validate::{
    validate, validate_payload, Code, Finding, Kind, Options, Origin, Report, Severity, Status,
};
use tempfile::TempDir;

fn find(r: &Report, code: Code) -> &Finding {
    r.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", r.findings))
}

fn codes(r: &Report) -> Vec<(Code, &str)> {
    r.findings.iter().map(|f| (f.code, f.pointer())).collect()
}

const GUILD: &str = r#"{"id": "165176875973476352", "name": "G", "splash": null, "banner": null, "description": null, "icon": null, "features": [], "verification_level": 2, "vanity_url_code": null, "nsfw_level": 0, "nsfw": false, "premium_subscription_count": 5}"#;
const CHANNEL: &str = r#"{"id": "165176875973476352", "type": 0, "name": "general"}"#;

/// A guild invite with every field the spec requires.
fn guild_invite(extra: &str) -> String {
    format!(
        r#"{{"type": 0, "code": "abc", "expires_at": null, "guild_id": "165176875973476352", "guild": {GUILD}, "channel": {CHANNEL}{extra}}}"#
    )
}

#[test]
fn a_complete_guild_invite_is_valid() {
    let r = validate(guild_invite("").as_bytes(), None);
    assert_eq!(r.kind, Some(Kind::Invite));
    assert_eq!(r.schema, Some("GuildInviteResponse"));
    assert_eq!(r.status, Status::Valid, "{:#?}", r.findings);
}

// ---- one test per code -------------------------------------------------------------------

#[test]
fn code_invalid_json() {
    let r = validate(b"{\"code\": }", None);
    assert_eq!(r.status, Status::Error);
    let f = find(&r, Code::InvalidJson);
    assert_eq!(
        (f.severity, f.line(), f.column()),
        (Severity::Error, Some(1), Some(10))
    );
    assert_eq!(validate(b"", None).findings[0].code, Code::InvalidJson);
    assert_eq!(validate(b"\xff", None).findings[0].code, Code::InvalidJson);
}

#[test]
fn code_decode_error() {
    let r = validate(br#"{"type": 0, "code": 7}"#, None);
    assert_eq!(r.status, Status::Error);
    let f = find(&r, Code::DecodeError);
    assert_eq!(f.pointer(), "/code");
    assert_eq!((f.line(), f.column()), (Some(1), Some(21)));
    assert!(f.message().contains("invalid type"), "{}", f.message());
    // The spec's wrong-type finding at the same place says less; it is not repeated.
    assert!(!r.findings.iter().any(|f| f.code == Code::WrongType));
}

#[test]
fn code_missing_required_and_strict() {
    let text = std::fs::read("captures/docs/invite-object.json").unwrap();
    let r = validate(&text, None);
    assert_eq!(r.status, Status::Warning);
    let f = find(&r, Code::MissingRequired);
    assert_eq!(
        (f.severity, f.pointer()),
        (Severity::Warning, "/expires_at")
    );
    assert!(codes(&r).contains(&(Code::MissingRequired, "/guild_id")));
    assert!(codes(&r).contains(&(Code::MissingRequired, "/inviter/global_name")));

    let strict = validate_payload(&text, None, Origin::START, &Options::new(None, true));
    assert_eq!(strict.status, Status::Error);
    assert_eq!(
        find(&strict, Code::MissingRequired).severity,
        Severity::Error
    );
}

#[test]
fn code_unknown_field() {
    let r = validate(
        br#"{"code": "abc", "uses": 1, "shiny": true}"#,
        Some(Kind::VanityUrl),
    );
    assert_eq!(r.status, Status::Warning);
    let f = find(&r, Code::UnknownField);
    assert_eq!((f.pointer(), f.column()), ("/shiny", Some(28)));
}

#[test]
fn code_unknown_enum_value_and_strict() {
    let text = br#"{"status": 7, "total_users": 1, "processed_users": 1, "created_at": null, "completed_at": null, "error_message": null}"#;
    let r = validate(text, None);
    assert_eq!(r.kind, Some(Kind::TargetUsersJobStatus));
    assert_eq!(r.status, Status::Warning, "the SDK keeps unknown values");
    let f = find(&r, Code::UnknownEnumValue);
    assert_eq!(f.pointer(), "/status");
    assert!(
        f.message().contains("TargetUsersJobStatusTypes"),
        "{}",
        f.message()
    );
    let strict = validate_payload(text, None, Origin::START, &Options::new(None, true));
    assert_eq!(strict.status, Status::Error);

    // A closed enum the overlay extends is still drift from the upstream spec.
    let r = validate(
        guild_invite("")
            .replace("\"features\": []", "\"features\": [\"GUESTS_ENABLED\"]")
            .as_bytes(),
        None,
    );
    assert_eq!(
        find(&r, Code::UnknownEnumValue).pointer(),
        "/guild/features/0"
    );

    // Values the spec knows are not findings: only the unknown one is reported.
    let r = validate(
        guild_invite("")
            .replace(
                "\"features\": []",
                "\"features\": [\"COMMUNITY\", \"ANIMATED_ICON\", \"GUESTS_ENABLED\", \"VANITY_URL\"]",
            )
            .as_bytes(),
        None,
    );
    let enums: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::UnknownEnumValue)
        .map(|f| f.pointer())
        .collect();
    assert_eq!(enums, ["/guild/features/2"], "{r:#?}");
}

#[test]
fn unknown_enum_value_messages_list_four_values_at_most() {
    // A big enum: its name and how many values it has (`schema export` lists every one); the
    // message is written for every unknown value, so it stays short.
    let r = validate(
        guild_invite("")
            .replace("\"features\": []", "\"features\": [\"F1\"]")
            .replace(
                CHANNEL,
                r#"{"id": "165176875973476352", "type": 16, "name": "general"}"#,
            )
            .as_bytes(),
        None,
    );
    let messages: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::UnknownEnumValue)
        .map(|f| f.message())
        .collect();
    assert_eq!(
        messages,
        [
            r#""F1" is not one of the spec's 29 known GuildFeatures values"#,
            "16 is not one of the spec's 12 known ChannelTypes values",
        ],
        "{r:#?}"
    );
    // A small enum is listed whole.
    let text = br#"{"status": 7, "total_users": 1, "processed_users": 1, "created_at": null, "completed_at": null, "error_message": null}"#;
    assert_eq!(
        find(&validate(text, None), Code::UnknownEnumValue).message(),
        "7 is not one of the spec's known TargetUsersJobStatusTypes values (0, 1, 2, 3)"
    );
}

#[test]
fn code_out_of_range() {
    let r = validate(
        br#"{"max_age": 9999999, "max_uses": 101}"#,
        Some(Kind::CreateGuildInviteRequest),
    );
    assert_eq!(
        codes(&r),
        vec![
            (Code::OutOfRange, "/max_age"),
            (Code::OutOfRange, "/max_uses")
        ]
    );
    let r = validate(
        format!(
            r#"{{"role_ids": [{}]}}"#,
            (1..=251)
                .map(|i| format!("\"{i}\""))
                .collect::<Vec<_>>()
                .join(",")
        )
        .as_bytes(),
        Some(Kind::CreateGuildInviteRequest),
    );
    assert_eq!(find(&r, Code::OutOfRange).pointer(), "/role_ids");
}

#[test]
fn code_deprecated_field() {
    let r = validate(guild_invite(r#", "target_user_type": 1"#).as_bytes(), None);
    let f = find(&r, Code::DeprecatedField);
    assert_eq!(
        (f.severity, f.pointer()),
        (Severity::Warning, "/target_user_type")
    );
}

#[test]
fn code_wrong_variant_field() {
    let text = format!(
        r#"{{"type": 2, "code": "f", "expires_at": null, "channel": null, "guild": {GUILD}, "friends_count": 3}}"#
    );
    let r = validate(text.as_bytes(), None);
    assert_eq!(r.schema, Some("FriendInviteResponse"));
    assert_eq!(codes(&r), vec![(Code::WrongVariantField, "/guild")]);
    // And the other way round: a friend-only field on a guild invite.
    let r = validate(guild_invite(r#", "friends_count": 3"#).as_bytes(), None);
    assert_eq!(codes(&r), vec![(Code::WrongVariantField, "/friends_count")]);
}

#[test]
fn code_wrong_type_where_the_sdk_still_decodes() {
    // The SDK keeps `errors` as raw JSON; the spec wants an object.
    let r = validate(
        br#"{"code": 50035, "message": "Invalid Form Body", "errors": [1]}"#,
        None,
    );
    assert_eq!(r.kind, Some(Kind::ApiError));
    assert_eq!(r.status, Status::Warning);
    assert_eq!(codes(&r), vec![(Code::WrongType, "/errors")]);
}

#[test]
fn code_duplicate_key() {
    let r = validate(b"{\"code\": \"a\",\n \"uses\": 1,\n \"uses\": 2}", None);
    let f = find(&r, Code::DuplicateKey);
    assert_eq!(
        (f.pointer(), f.line(), f.column()),
        ("/uses", Some(3), Some(2))
    );
    assert!(f.message().contains("line 2, column 2"), "{}", f.message());
}

#[test]
fn code_invalid_format_is_the_decode_error_where_the_sdk_checks_the_format() {
    // The SDK checks every snowflake and date-time it decodes: the spec's `invalid-format`
    // finding would restate its `decode-error` at the same place. One problem, one finding.
    let r = validate(
        br#"{"channel_id": "0123", "code": "x"}"#,
        Some(Kind::InviteDeleteEvent),
    );
    assert_eq!(codes(&r), vec![(Code::DecodeError, "/channel_id")]);
    assert!(!r.findings.iter().any(|f| f.code == Code::InvalidFormat));
    let text = std::fs::read("captures/broken/job-status-unknown-status.json").unwrap();
    let r = validate(&text, None);
    let at_created: Vec<Code> = r
        .findings
        .iter()
        .filter(|f| f.pointer() == "/created_at")
        .map(|f| f.code)
        .collect();
    assert_eq!(at_created, vec![Code::DecodeError]);
}

#[test]
fn one_problem_one_finding() {
    // A float where the SDK wants an integer: out of the spec's range and of its enum too,
    // but one problem.
    let r = validate(br#"{"type": 0, "code": "x", "max_age": 1e20}"#, None);
    let at: Vec<Code> = r
        .findings
        .iter()
        .filter(|f| f.pointer() == "/max_age")
        .map(|f| f.code)
        .collect();
    assert_eq!(at, vec![Code::DecodeError]);
    // A `null` tag: the SDK blames the object, the spec the field; one finding, at the field,
    // where the `null` is.
    let r = validate(br#"{"code": "x", "type": null}"#, None);
    let all: Vec<(Code, &str, Option<usize>)> = r
        .findings
        .iter()
        .map(|f| (f.code, f.pointer(), f.column()))
        .collect();
    assert_eq!(all, vec![(Code::DecodeError, "/type", Some(23))], "{r:#?}");
}

#[test]
fn a_real_leap_second_is_rfc_3339() {
    let event = |at: &str| {
        format!(
            r#"{{"channel_id": "1", "code": "x", "created_at": "{at}", "max_age": 0, "max_uses": 0, "temporary": false, "uses": 0, "expires_at": null}}"#
        )
    };
    // RFC 3339 keeps second 60 for leap seconds: the last second of a month in UTC.
    for at in [
        "2016-12-31T23:59:60Z",
        "2016-12-31T23:59:60.5+00:00",
        "2017-01-01T00:59:60+01:00",
    ] {
        let r = validate(event(at).as_bytes(), Some(Kind::InviteCreateEvent));
        assert_eq!(r.status, Status::Valid, "{at}: {:#?}", r.findings);
    }
    // Elsewhere, the finding says why.
    let r = validate(
        event("2016-11-26T12:00:60Z").as_bytes(),
        Some(Kind::InviteCreateEvent),
    );
    let f = find(&r, Code::DecodeError);
    assert_eq!(f.pointer(), "/created_at");
    assert!(f.message().contains("leap second"), "{}", f.message());
}

#[test]
fn code_duplicate_item() {
    let r = validate(
        br#"{"role_ids": ["1", "2", "1"]}"#,
        Some(Kind::CreateGuildInviteRequest),
    );
    assert_eq!(codes(&r), vec![(Code::DuplicateItem, "/role_ids/2")]);
}

#[test]
fn code_unexpected_null() {
    // `errors` may be absent but not null in the spec; the SDK reads null as absent.
    let r = validate(
        br#"{"code": 10006, "message": "Unknown Invite", "errors": null}"#,
        None,
    );
    let f = find(&r, Code::UnexpectedNull);
    assert_eq!((f.severity, f.pointer()), (Severity::Note, "/errors"));
    assert_eq!(r.status, Status::Valid);
}

#[test]
fn code_unknown_kind() {
    let r = validate(b"{}", None);
    assert_eq!((r.status, r.kind), (Status::Skipped, None));
    assert_eq!(find(&r, Code::UnknownKind).severity, Severity::Note);
    // The same payload with a kind is validated.
    assert_eq!(
        validate(b"{}", Some(Kind::CreateGuildInviteRequest)).status,
        Status::Valid
    );
}

#[test]
fn code_ambiguous_kind() {
    // A lobby invite's whole shape, and a vanity URL's without `uses`: the guess says so.
    let r = validate(br#"{"code": "a"}"#, None);
    assert_eq!(r.kind, Some(Kind::LobbyGuildInvite));
    assert_eq!(r.status, Status::Valid);
    let f = find(&r, Code::AmbiguousKind);
    assert_eq!((f.severity, f.pointer()), (Severity::Note, ""));
    assert!(
        f.message().contains("vanity-url") && f.message().contains("--kind vanity-url"),
        "{}",
        f.message()
    );
    // A clear shape gets no note.
    assert!(validate(br#"{"code": "abc", "uses": 12}"#, None)
        .findings
        .is_empty());
}

#[test]
fn the_kind_is_chosen_by_evidence_not_by_the_first_rule_that_fits() {
    // An invite from before `type` existed, with `channel_id`: INVITE_CREATE data has
    // `channel_id` and the metadata fields too, but no `guild` or `channel`, which the invite
    // schema knows down to their fields.
    let r = validate(
        br#"{"code":"0vCdhLbwjZZTWZLD","channel_id":"165176875973476352","guild":{"id":"165176875973476352","name":"CS:GO Fraggers Only","splash":null,"icon":null},"channel":{"id":"165176875973476352","name":"illuminati","type":0},"uses":0,"max_uses":0,"max_age":0,"temporary":false,"created_at":"2016-03-31T19:15:39.954000+00:00"}"#,
        None,
    );
    assert_eq!(r.kind, Some(Kind::Invite));
    assert!(
        !codes(&r).contains(&(Code::UnknownField, "/guild")),
        "{r:#?}"
    );
    assert!(
        !codes(&r).contains(&(Code::UnknownField, "/channel")),
        "{r:#?}"
    );
    // An invite's shape without `type`, beside INVITE_DELETE's `channel_id`.
    let r = validate(
        br#"{"code":"abc","guild_id":"1","channel_id":"1","channel":{"id":"1","name":"x","type":0},"expires_at":null}"#,
        None,
    );
    assert_eq!(r.kind, Some(Kind::Invite));
    // An integer `code` alone: no kind fits (a lobby invite's code is a string, an API error
    // has a message); the note names the closest.
    let r = validate(br#"{"code": 7}"#, None);
    assert_eq!((r.kind, r.status), (None, Status::Skipped));
    let f = find(&r, Code::UnknownKind);
    assert!(
        f.message().contains("closest: api-error"),
        "{}",
        f.message()
    );
}

#[test]
fn code_not_invite() {
    let r = validate(
        br#"{"op": 0, "s": 3, "t": "MESSAGE_CREATE", "d": {"id": "1"}}"#,
        None,
    );
    assert_eq!(r.status, Status::Skipped);
    assert!(find(&r, Code::NotInvite)
        .message()
        .contains("MESSAGE_CREATE"));
    let r = validate(br#"{"op": 11, "d": null}"#, None);
    assert_eq!(find(&r, Code::NotInvite).severity, Severity::Note);
    // Keys a logger adds beside the envelope do not hide it.
    let r = validate(br#"{"received_at": "2026-11-26T14:02:11Z", "op": 0, "t": "INVITE_DELETE", "s": 9, "d": {"channel_id": "1", "code": "x"}}"#, None);
    assert_eq!(
        (r.kind, r.status),
        (Some(Kind::InviteDeleteEvent), Status::Valid)
    );
}

#[test]
fn codes_no_body_and_not_json_from_a_har() {
    let tmp = temp_dir("har-notes");
    let dir = tmp.path();
    let har = r#"{"log": {"version": "1.2", "entries": [
      {"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc"},
       "response": {"status": 200, "content": {"size": 0, "mimeType": "application/json"}}},
      {"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc/target-users"},
       "response": {"status": 200, "content": {"mimeType": "text/csv", "text": "user_id\n1\n"}}},
      {"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc"},
       "response": {"status": 502, "content": {"mimeType": "text/html", "text": "<html>Bad Gateway</html>"}}},
      {"request": {"method": "POST", "url": "https://discord.com/api/v10/channels/1/invites",
                   "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "max_age=0"}},
       "response": {"status": 204, "content": {"mimeType": "application/json"}}}
    ]}}"#;
    let path = dir.join("notes.har");
    std::fs::write(&path, har).unwrap();
    let records = read_all(&path);
    assert_eq!(records.len(), 4);
    assert_eq!(records[0].report.findings[0].code, Code::NoBody);
    assert_eq!(records[0].report.kind, Some(Kind::Invite));
    assert_eq!(records[1].report.findings[0].code, Code::NotJson);
    // A proxy's HTML error page: not JSON, and a status the spec does not list.
    let codes: Vec<Code> = records[2].report.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec![Code::UnexpectedStatus, Code::NotJson]);
    assert_eq!(records[2].report.status, Status::Warning);
    assert_eq!(
        records[3].report.findings[0].code,
        Code::NotJson,
        "a form-encoded request"
    );
    for i in [0, 1, 3] {
        assert_eq!(records[i].report.status, Status::Skipped);
    }
}

#[test]
fn code_io_error() {
    let events: Vec<Event> =
        Reader::new(["no/such/file.json", "captures/docs/invite-metadata.json"]).collect();
    let Event::Failed(rec) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(rec.report.findings[0].code, Code::IoError);
    assert_eq!(rec.report.status, Status::Error);
    // ...and the run goes on.
    assert!(events.iter().any(|e| matches!(e, Event::Batch(_))));
}

#[test]
fn code_too_large() {
    // An NDJSON line over the payload limit is reported and stepped over; the next is read.
    let text = "{\"code\": \"a\", \"uses\": 1}\n{\"code\": \"a long one\", \"uses\": 1}\n{}\n";
    let mut records = Vec::new();
    for e in Reader::from_stream("s", std::io::Cursor::new(text)).max_payload_bytes(30) {
        if let Event::Batch(b) = e {
            records.extend(b.validate_all(&Options::default()));
        }
    }
    let got: Vec<(Option<usize>, Status)> = records
        .iter()
        .map(|r| (r.location.line, r.report.status))
        .collect();
    assert_eq!(
        got,
        [
            (Some(1), Status::Valid),
            (Some(2), Status::Error),
            (Some(3), Status::Skipped)
        ]
    );
    assert_eq!(records[1].report.findings[0].code, Code::TooLarge);
}

#[cfg(unix)]
#[test]
fn code_not_a_file() {
    let tmp = temp_dir("not-a-file");
    let dir = tmp.path();
    std::os::unix::fs::symlink("/dev/null", dir.join("null.json")).unwrap();
    let events: Vec<Event> = Reader::new([dir]).collect();
    // Nothing was read in the directory either.
    let [Event::Failed(rec), Event::Skipped(empty)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(rec.report.findings[0].code, Code::NotAFile);
    assert_eq!(rec.report.status, Status::Skipped);
    assert_eq!(empty.report.findings[0].code, Code::NoPayloadFile);
}

#[test]
fn code_skipped_file() {
    let tmp = temp_dir("skipped-file");
    let dir = tmp.path();
    std::fs::write(dir.join("a.json"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(dir.join("b.txt"), "{\"code\": \"b\", \"uses\": 1}").unwrap();
    let skipped: Vec<Record> = Reader::new([dir])
        .filter_map(|e| match e {
            Event::Skipped(r) => Some(r),
            _ => None,
        })
        .collect();
    let [rec] = skipped.as_slice() else {
        panic!("{skipped:?}")
    };
    assert!(rec.source.ends_with("b.txt"), "{rec:?}");
    assert_eq!(rec.report.findings[0].code, Code::SkippedFile);
    assert_eq!(rec.report.findings[0].severity, Severity::Note);
    assert_eq!(rec.report.status, Status::Skipped);
    // Named on the command line, it is read whatever its name.
    let read = Reader::new([dir.join("b.txt")])
        .filter(|e| matches!(e, Event::Batch(_)))
        .count();
    assert_eq!(read, 1);
}

#[test]
fn code_no_payload_file() {
    let tmp = temp_dir("no-payload-file");
    let dir = tmp.path();
    std::fs::write(dir.join("notes.txt"), "{}").unwrap();
    let events: Vec<Event> = Reader::new([dir]).collect();
    let [Event::Skipped(note), Event::Skipped(rec)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(note.report.findings[0].code, Code::SkippedFile);
    assert_eq!(rec.report.findings[0].code, Code::NoPayloadFile);
    assert_eq!(rec.report.findings[0].severity, Severity::Warning);
    assert_eq!(rec.report.status, Status::Warning);
    assert!(
        rec.report.findings[0]
            .message()
            .ends_with("(1 file skipped for its name or type)"),
        "{rec:?}"
    );
}

#[test]
fn every_code_is_tested_above() {
    let src = [include_str!("validate.rs"), include_str!("har_exchange.rs")].concat();
    for code in Code::ALL {
        let name = format!("{code:?}");
        assert!(src.contains(&format!("Code::{name}")), "no test for {code}");
    }
}

// ---- positions ------------------------------------------------------------------------------

#[test]
fn columns_count_characters_after_multibyte_utf8() {
    // 日本語 and 🎮 are 3 and 4 bytes per character; é is 2.
    let text = "{\"type\": 0, \"channel\": {\"id\": \"1\", \"type\": 0, \"name\": \"Café 日本語 🎮\"}, \"code\": 7}";
    let r = validate(text.as_bytes(), None);
    let f = find(&r, Code::DecodeError);
    let col = text[..text.find("7}").unwrap()].chars().count() + 1;
    assert_eq!((f.line(), f.column()), (Some(1), Some(col)));
    assert_eq!(col, 78); // byte column 88
    assert_ne!(
        f.offset(),
        Some(col - 1),
        "bytes and characters differ here"
    );

    let text = "{\n  \"name\": \"ünï\", \"code\": \"a\",\n  \"uses\": \"1\"\n}";
    let r = validate(text.as_bytes(), Some(Kind::VanityUrl));
    let f = find(&r, Code::DecodeError);
    assert_eq!(
        (f.line(), f.column(), f.pointer()),
        (Some(3), Some(11), "/uses")
    );
    let f = find(&r, Code::UnknownField);
    assert_eq!((f.line(), f.column()), (Some(2), Some(3)));
}

#[test]
fn syntax_error_position_after_multibyte_utf8() {
    let text = "{\"guild\": \"日本語🎮\" \"x\": 1}";
    let f = &validate(text.as_bytes(), None).findings[0];
    assert_eq!(f.code, Code::InvalidJson);
    assert_eq!((f.line(), f.column()), (Some(1), Some(18)));
}

#[test]
fn origin_moves_positions_into_the_file() {
    let r = validate_payload(
        br#"{"type": 0, "code": 7}"#,
        None,
        Origin {
            line: 40,
            column: 5,
        },
        &Options::default(),
    );
    let f = find(&r, Code::DecodeError);
    assert_eq!((f.line(), f.column()), (Some(40), Some(25)));
}

#[test]
fn gateway_envelopes_are_unwrapped_and_pointers_keep_the_prefix() {
    let line = br#"{"op":0,"s":2,"t":"INVITE_CREATE","d":{"channel_id":"1","code":"x","created_at":"2026-01-01T00:00:00+00:00","max_age":0,"max_uses":0,"temporary":false,"uses":0,"expires_at":null,"surprise":1}}"#;
    let r = validate(line, None);
    assert_eq!(r.kind, Some(Kind::InviteCreateEvent));
    let f = find(&r, Code::UnknownField);
    assert_eq!(f.pointer(), "/d/surprise");
    let del = br#"{"op":0,"s":3,"t":"INVITE_DELETE","d":{"guild_id":"1","code":"x"}}"#;
    let r = validate(del, Some(Kind::VanityUrl));
    assert_eq!(
        r.kind,
        Some(Kind::InviteDeleteEvent),
        "the envelope beats --kind"
    );
    assert_eq!(find(&r, Code::DecodeError).pointer(), "/d/channel_id");
}

#[test]
fn a_list_of_invites() {
    let text = format!(
        "[{}, null, {{\"type\": 9, \"code\": \"n\"}}]",
        guild_invite("")
    );
    let r = validate(text.as_bytes(), None);
    assert_eq!(r.kind, Some(Kind::InviteList));
    assert_eq!(codes(&r), vec![(Code::UnknownEnumValue, "/2/type")]);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let samples: &[&[u8]] = &[
        b"",
        b"[",
        b"{\"a\":",
        b"\"\\ud800\"",
        b"[[[[[[[[",
        b"nul",
        b"{\"op\":0,\"d\":1}",
        b"{\"type\":\"0\",\"code\":\"a\"}",
        b"{\"type\":1.5,\"code\":\"a\"}",
        b"[null]",
        b"[1,2]",
        b"{\"op\":0,\"t\":\"INVITE_CREATE\",\"d\":[]}",
        b"{\"code\":\"a\",\"type\":0,\"guild\":[]}",
    ];
    for s in samples {
        for &k in Kind::ALL {
            let _ = validate(s, Some(k));
        }
        let _ = validate(s, None);
    }
    let deep = "[".repeat(10_000);
    assert_eq!(validate(deep.as_bytes(), None).status, Status::Error);
}

// ---- readers --------------------------------------------------------------------------------

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-validate-{name}-"))
        .tempdir()
        .unwrap()
}

fn read_all(path: &std::path::Path) -> Vec<Record> {
    let options = Options::default();
    let mut out = Vec::new();
    for e in Reader::new([path]) {
        match e {
            Event::Batch(b) => out.extend(b.validate_all(&options)),
            Event::Failed(r) => out.push(r),
            _ => {}
        }
    }
    out
}

#[test]
fn har_fixture_entries_by_method_and_url() {
    let mut formats = Vec::new();
    let mut ignored = None;
    let mut records = Vec::new();
    for e in Reader::new(["captures/discord-web.har"]) {
        match e {
            Event::FileStart { format, .. } => formats.push(format),
            Event::FileEnd { .. } => ignored = ignored.or(Some(0)),
            Event::Batch(b) => {
                *ignored.get_or_insert(0) += b.ignored();
                records.extend(b.validate_all(&Options::default()));
            }
            Event::Failed(r) | Event::Skipped(r) => panic!("{r:?}"),
        }
    }
    assert_eq!(formats, vec![FileFormat::Har]);
    assert_eq!(
        ignored,
        Some(2),
        "/users/@me and /gateway are not invite endpoints"
    );
    let summary: Vec<(usize, &str, Option<Kind>, Status)> = records
        .iter()
        .map(|r| {
            let h = r.location.har.as_ref().unwrap();
            (h.entry, h.part.as_str(), r.report.kind, r.report.status)
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "response", Some(Kind::Invite), Status::Warning),
            (
                2,
                "request",
                Some(Kind::CreateGuildInviteRequest),
                Status::Valid
            ),
            (2, "response", Some(Kind::Invite), Status::Warning),
            (3, "response", Some(Kind::VanityUrl), Status::Valid),
            (4, "response", Some(Kind::ApiError), Status::Valid),
            (5, "response", Some(Kind::Invite), Status::Valid),
            (
                6,
                "response",
                Some(Kind::TargetUsersJobStatus),
                Status::Valid
            ),
            // The web client's invite accept: an operation the spec lacks.
            (8, "request", None, Status::Warning),
        ]
    );
    // Entry 5's body is base64 in the HAR: decoded, it is a group DM invite.
    assert_eq!(records[5].report.schema, Some("GroupDMInviteResponse"));
    // Entry 1 has a field the spec lacks.
    assert!(codes(&records[0].report).contains(&(Code::UnknownField, "/profile")));
}

#[test]
fn ndjson_with_a_malformed_middle_line_reports_every_line() {
    let tmp = temp_dir("ndjson");
    let dir = tmp.path();
    let path = dir.join("dump.ndjson");
    let lines = [
        r#"{"code": "a", "uses": 1}"#,
        r#"{"code": "b", "uses": "#,
        "",
        r#"{"code": "c", "uses": 3}"#,
        r#"{"op": 0, "t": "INVITE_DELETE", "s": 1, "d": {"channel_id": "1", "code": "z"}}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    // A tiny batch size so the lines span batches.
    let options = Options::default();
    let mut records = Vec::new();
    for e in Reader::new([&path]).batch_bytes(16) {
        if let Event::Batch(b) = e {
            records.extend(b.validate_all(&options));
        }
    }
    let got: Vec<(Option<usize>, Status)> = records
        .iter()
        .map(|r| (r.location.line, r.report.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(1), Status::Valid),
            (Some(2), Status::Error),
            (Some(4), Status::Valid),
            (Some(5), Status::Valid),
        ]
    );
    let f = &records[1].report.findings[0];
    assert_eq!(
        (f.code, f.line(), f.column()),
        (Code::InvalidJson, Some(2), Some(23))
    );
}

#[test]
fn ndjson_blank_and_indented_lines_keep_lines_and_columns() {
    let tmp = temp_dir("ndjson-blank");
    let dir = tmp.path();
    let path = dir.join("dump.json");
    std::fs::write(
        &path,
        "{\"code\": \"a\", \"uses\": 1}\n\n  \n   {\"code\": 1, \"uses\": 2}\n",
    )
    .unwrap();
    let records = read_all(&path);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].location.line, Some(4));
    let f = find(&records[1].report, Code::DecodeError);
    assert_eq!((f.line(), f.column()), (Some(4), Some(13)));
}

#[test]
fn a_json_file_with_a_broken_first_line_is_still_read_line_by_line() {
    let tmp = temp_dir("ndjson-json-ext");
    let dir = tmp.path();
    let path = dir.join("log.json");
    std::fs::write(
        &path,
        "{\"code\": \n{\"code\": \"a\", \"uses\": 1}\n{\"code\": \"b\", \"uses\": 2}\n",
    )
    .unwrap();
    let records = read_all(&path);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].report.status, Status::Error);
    assert_eq!(records[2].location.line, Some(3));
}

#[test]
fn json_arrays_give_elements_with_file_positions() {
    let records = read_all(std::path::Path::new("captures/broken/invites.json"));
    assert_eq!(records.len(), 5);
    assert_eq!(records[4].location.index, Some(4));
    let f = find(&records[0].report, Code::UnknownEnumValue);
    assert_eq!(
        (f.pointer(), f.line(), f.column()),
        ("/channel/type", Some(4), Some(52))
    );
}

#[test]
fn directories_are_walked_in_order_and_symlink_loops_end() {
    let tmp = temp_dir("walk");
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("b/c")).unwrap();
    std::fs::write(dir.join("b/c/z.json"), "{\"code\": \"z\", \"uses\": 1}").unwrap();
    std::fs::write(dir.join("a.json"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(dir.join("notes.md"), "not a payload").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir, dir.join("b/c/loop")).unwrap();
    let sources: Vec<String> = Reader::new([dir])
        .filter_map(|e| match e {
            Event::FileStart { source, .. } => Some(source.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[0].ends_with("a.json") && sources[1].ends_with("z.json"));
}

// ---- no panics on any input -------------------------------------------------------------------

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Bytes that are often almost-JSON: fragments of invite payloads glued at random.
    fn jsonish() -> impl Strategy<Value = Vec<u8>> {
        let parts = prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"type\"",
            "\"code\"",
            "\"guild\"",
            "\"d\"",
            "\"op\"",
            "\"t\"",
            "\"INVITE_CREATE\"",
            "0",
            "1",
            "2",
            "-1",
            "1.5e3",
            "null",
            "true",
            "\"é🎮\"",
            "\"\\u00e9\"",
            "\"\\ud83c\"",
            " ",
            "\n",
            "\"channel_id\"",
            "\"165176875973476352\"",
        ]);
        prop::collection::vec(parts, 0..40).prop_map(|v| v.concat().into_bytes())
    }

    proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let r = validate(&bytes, None);
            prop_assert!(r.findings.iter().all(|f| f.line().is_some()));
        }

        #[test]
        fn never_panics_on_jsonish_input_and_agrees_with_serde_on_syntax(bytes in jsonish()) {
            for kind in [None, Some(Kind::Invite), Some(Kind::InviteList), Some(Kind::CreateGuildInviteRequest)] {
                let r = validate(&bytes, kind);
                // The grammar allows numbers beyond f64 (1.5e310); serde_json's Value refuses
                // them as "out of range" and stops there, so it cannot judge the rest: skip.
                let syntax_ok = match serde_json::from_slice::<serde_json::Value>(&bytes) {
                    Ok(_) => true,
                    Err(e) if e.to_string().starts_with("number out of range") => continue,
                    Err(_) => false,
                };
                let ours = !r.findings.iter().any(|f| f.code == Code::InvalidJson);
                prop_assert_eq!(ours, syntax_ok, "{}", String::from_utf8_lossy(&bytes));
            }
        }
    }
}

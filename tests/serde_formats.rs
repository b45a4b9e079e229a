//! Every serde door, not only serde_json's: the models decode and encode through other
//! self-describing formats, unknown fields included. sonic-rs and simd-json read the same
//! JSON text (unknown fields kept as JSON text: sonic-rs hands over the raw text, simd-json
//! the values); MessagePack (rmp-serde) carries a decoded model and brings it back equal.
//! serde_json keeps its byte-for-byte round trip (`round_trip_props.rs`).

use std::path::Path;

use discord_invite::{GatewayEnvelope, Invite, Payload};
use proptest::prelude::*;
use serde_json::Value;

#[path = "support/payloads.rs"]
mod payloads;

/// The docs' payloads and the sample invites that ship in `captures/`, as JSON text.
fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| Invite::from_json_str(t).is_ok())
        .collect();
    // A 2026-shaped invite with unknown fields at three levels, a float written `1.50`, an
    // escaped key and an escaped string.
    out.push(
        r#"{"type":0,"code":"abc","inviter":{"id":"1","username":"u","avatar":null,"clan":{"tag":"X","n":1.50},"display_name_styles":null},"guild":{"id":"2","name":"g","features":["NEWS","GUESTS_ENABLED"],"icon":"a_0123456789abcdef0123456789abcdef"},"channel":{"id":"3","type":0,"name":"c\n\"x\""},"expires_at":null,"k\u00e9y":[1,-2,true,{"z":[]}],"n":18446744073709551615}"#
            .to_owned(),
    );
    out
}

/// Decodes `text` with sonic-rs, simd-json and serde_json; the three must agree.
fn json_readers_agree(text: &str) -> Result<Invite, TestCaseError> {
    let ours = Invite::from_json_str(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let sonic: Invite = sonic_rs::from_str(text)
        .map_err(|e| TestCaseError::fail(format!("sonic-rs: {e}: {text}")))?;
    prop_assert_eq!(&sonic, &ours, "sonic-rs decode of {}", text);
    let mut bytes = text.as_bytes().to_vec();
    let simd: Invite = simd_json::serde::from_slice(&mut bytes)
        .map_err(|e| TestCaseError::fail(format!("simd-json: {e}: {text}")))?;
    prop_assert_eq!(&simd, &ours, "simd-json decode of {}", text);
    Ok(ours)
}

/// Encodes with every format and decodes the result with the same format: the model comes
/// back equal, and the JSON encoders write the payload (no serde_json private keys).
fn round_trips(invite: &Invite, input: &Value) -> Result<(), TestCaseError> {
    let sonic = sonic_rs::to_string(invite).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(!sonic.contains("$serde_json"), "{}", sonic);
    prop_assert_eq!(&serde_json::from_str::<Value>(&sonic).unwrap(), input);
    prop_assert_eq!(&sonic_rs::from_str::<Invite>(&sonic).unwrap(), invite);

    let simd =
        simd_json::serde::to_string(invite).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(!simd.contains("$serde_json"), "{}", simd);
    prop_assert_eq!(&serde_json::from_str::<Value>(&simd).unwrap(), input);
    let mut bytes = simd.into_bytes();
    prop_assert_eq!(
        &simd_json::serde::from_slice::<Invite>(&mut bytes).unwrap(),
        invite
    );

    let packed = rmp_serde::to_vec(invite).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let unpacked: Invite = rmp_serde::from_slice(&packed)
        .map_err(|e| TestCaseError::fail(format!("MessagePack: {e}")))?;
    prop_assert_eq!(&unpacked, invite);
    // Through MessagePack and back to JSON: the same payload.
    prop_assert_eq!(&unpacked.to_json_value().unwrap(), input);
    Ok(())
}

#[test]
fn fixtures_through_every_format() {
    for text in fixtures() {
        let input: Value = serde_json::from_str(&text).unwrap();
        let invite = json_readers_agree(&text).unwrap();
        round_trips(&invite, &input).unwrap();
    }
}

#[test]
fn serde_json_alone_keeps_the_text() {
    // The raw text goes to serde_json's own serializers, digit for digit; another JSON
    // encoder gets the value (`1.50` is the number 1.5 there).
    let text = r#"{"code":"x","n":1.50,"s":"\u00e9"}"#;
    let invite = Invite::from_json_str(text).unwrap();
    assert_eq!(serde_json::to_string(&invite).unwrap(), text);
    assert_eq!(
        String::from_utf8(serde_json::to_vec(&invite).unwrap()).unwrap(),
        text
    );
    assert_eq!(
        sonic_rs::to_string(&invite).unwrap(),
        r#"{"code":"x","n":1.5,"s":"é"}"#
    );
    // sonic-rs reads the raw text too: the value kept is the text as written.
    let sonic: Invite = sonic_rs::from_str(text).unwrap();
    let kept = sonic
        .as_guild()
        .unwrap()
        .extra
        .get_raw("n")
        .map(|r| r.get());
    assert_eq!(kept, Some("1.50"));
}

#[test]
fn gateway_messages_through_every_format() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/gateway.ndjson"),
    )
    .unwrap();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(ours) = GatewayEnvelope::from_json_str(line) else {
            continue;
        };
        let sonic: GatewayEnvelope = sonic_rs::from_str(line).unwrap();
        assert_eq!(sonic, ours, "{line}");
        let packed = rmp_serde::to_vec(&ours).unwrap();
        assert_eq!(
            rmp_serde::from_slice::<GatewayEnvelope>(&packed).unwrap(),
            ours
        );
        let back: Value = serde_json::from_str(&sonic_rs::to_string(&ours).unwrap()).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(line).unwrap(), "{line}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invites_through_every_format(v in payloads::invite()) {
        let text = v.to_string();
        let invite = json_readers_agree(&text)?;
        round_trips(&invite, &v)?;
    }

    #[test]
    fn whatever_decodes_goes_through_every_format(mut v in payloads::messy_invite()) {
        // Always an unknown field too, the part other formats used to break on.
        v["zz_kept"] = serde_json::json!([1.5, {"a": null, "b": "\u{e9}"}]);
        if let Ok(invite) = Invite::from_json_value(&v) {
            round_trips(&invite, &invite.to_json_value().unwrap())?;
        }
    }
}

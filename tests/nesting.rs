//! One nesting rule everywhere (issue 13): a document may nest arrays and objects at most 127
//! deep (serde_json's limit: its 128th nested container is "recursion limit exceeded"). The
//! byte decoders (both readers), kept unknown fields, the validator, `to_json_value` and
//! `serde_json::Value` agree on every document, at every depth.

use discord_invite::validate::{validate, Code, Kind, Status};
use discord_invite::{DecodeErrorKind, Invite, Payload};

/// `n` nested empty arrays.
fn nested(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// Documents whose nesting is `total`, with the deep part in different places: an unknown
/// field of the invite, an unknown field of a nested object, an unknown field after a known
/// one that makes the SDK's fast reader give up (a float), and a gateway event's data.
fn documents(total: usize) -> Vec<(Kind, String)> {
    vec![
        // The input of the issue at total = 129: `{"code":"x","zz":` + 128 `[` + 128 `]` + `}`.
        (
            Kind::Invite,
            format!("{{\"code\":\"x\",\"zz\":{}}}", nested(total - 1)),
        ),
        (
            Kind::Invite,
            format!(
                "{{\"type\":0,\"code\":\"x\",\"inviter\":{{\"id\":\"1\",\"username\":\"u\",\"zz\":{}}}}}",
                nested(total - 2)
            ),
        ),
        (
            Kind::RateLimitedError,
            format!(
                "{{\"code\":0,\"message\":\"m\",\"retry_after\":1.5,\"global\":false,\"zz\":{}}}",
                nested(total - 1)
            ),
        ),
        (
            Kind::InviteDeleteEvent,
            format!(
                "{{\"channel_id\":\"1\",\"code\":\"x\",\"zz\":{{\"a\":{}}}}}",
                nested(total - 2)
            ),
        ),
    ]
}

fn decodes(kind: Kind, bytes: &[u8]) -> Result<(), discord_invite::DecodeError> {
    use discord_invite::*;
    fn check<T: Payload>(bytes: &[u8]) -> Result<(), DecodeError> {
        let v = T::from_json_slice(bytes)?;
        // Whatever decodes re-encodes, as text and as a value.
        v.to_json_string().expect("encodes");
        v.to_json_value().expect("encodes as a value");
        Ok(())
    }
    match kind {
        Kind::Invite => check::<Invite>(bytes),
        Kind::RateLimitedError => check::<RateLimitedError>(bytes),
        Kind::InviteDeleteEvent => check::<InviteDeleteEvent>(bytes),
        _ => unreachable!(),
    }
}

#[test]
fn every_reader_draws_the_line_at_the_same_depth() {
    for total in [3, 100, 126, 127, 128, 129, 200] {
        for (kind, doc) in documents(total) {
            let ok = total <= 127;
            let value = serde_json::from_str::<serde_json::Value>(&doc);
            assert_eq!(value.is_ok(), ok, "serde_json::Value at {total}: {doc:.60}");
            let decoded = decodes(kind, doc.as_bytes());
            assert_eq!(decoded.is_ok(), ok, "{kind:?} at {total}: {decoded:?}");
            if let Err(e) = decoded {
                assert_eq!(e.kind(), DecodeErrorKind::Syntax, "{e}");
                assert_eq!(e.message(), "recursion limit exceeded");
                // Placed at the bracket that opens one level too many, as serde_json places it.
                let at = doc
                    .char_indices()
                    .filter(|(_, c)| matches!(c, '[' | '{'))
                    .nth(127)
                    .map(|(i, _)| i + 1);
                assert_eq!((e.line(), e.column()), (Some(1), at), "{e}");
                assert!(e.pointer().contains("/zz/"), "{}", e.pointer());
            }
            let report = validate(doc.as_bytes(), Some(kind));
            let invalid = report.findings.iter().any(|f| f.code == Code::InvalidJson);
            assert_eq!(invalid, !ok, "validate at {total}: {report:?}");
            assert_ne!(report.status == Status::Error, ok, "{report:?}");
        }
    }
}

#[test]
fn the_issue_input_is_refused_everywhere_and_at_a_million_levels_too() {
    for n in [128, 1_000_000] {
        let doc = format!("{{\"code\":\"x\",\"zz\":{}}}", nested(n));
        if n == 128 {
            assert_eq!(doc.len(), 274);
        }
        let err = Invite::from_json_slice(doc.as_bytes()).expect_err("too deep");
        assert_eq!(err.kind(), DecodeErrorKind::Syntax);
        assert_eq!(err.column(), Some(144), "{err}"); // the 128th container
        assert!(serde_json::from_str::<serde_json::Value>(&doc).is_err());
        let r = validate(doc.as_bytes(), None);
        assert_eq!(r.findings[0].code, Code::InvalidJson, "{r:?}");
        assert_eq!(r.findings[0].message(), "recursion limit exceeded");
    }
}

#[test]
fn a_kept_unknown_field_always_parses_again() {
    // At the deepest a document allows, the field is kept and `get` and `to_json_value` read it.
    let doc = format!("{{\"code\":\"x\",\"zz\":{}}}", nested(126));
    let invite = Invite::from_json_str(&doc).expect("127 levels");
    let Invite::Guild(g) = &invite else {
        panic!("{invite:?}")
    };
    assert!(g.extra.get("zz").is_some());
    assert_eq!(
        invite.to_json_value().unwrap()["zz"],
        serde_json::from_str::<serde_json::Value>(&nested(126)).unwrap()
    );
    // Through serde_json directly (no document-wide check), a kept value itself never nests
    // deeper than a document allows below its object, so it parses again too.
    let doc = format!("{{\"code\":\"x\",\"zz\":{}}}", nested(127));
    let err = serde_json::from_str::<Invite>(&doc).expect_err("too deep");
    assert!(
        err.to_string().contains("recursion limit exceeded"),
        "{err}"
    );
}

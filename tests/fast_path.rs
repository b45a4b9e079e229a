//! The decode fast path (src/fast.rs) against serde_json, differentially: whenever the fast
//! path returns a value, serde_json must accept the same text and give an equal value that
//! re-encodes to the same bytes. Inputs: the fixtures, hand-written edge cases and a few
//! thousand deterministic mutants of them (the fast path must give up on every mutant serde_json
//! rejects). Also: it does not give up on the clean fixtures, so the fast path really runs.

use std::path::{Path, PathBuf};

use discord_invite::__private::{fast_decode, serde_json_decode, Decode};
use discord_invite::{
    ApiError, GatewayEnvelope, Invite, InviteCreateEvent, InviteDeleteEvent, InviteGuild,
    InviteMetadata, Payload, User,
};
use serde::Serialize;
use serde_json::value::RawValue;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const EDGE_CASES: &[&str] = &[
    r#"{"type":0,"code":"abc","channel":{"id":"1","type":0,"name":"gen\"eral\n\u00e9\u2603"}}"#,
    r#" { "type" : 0 , "code" : "abc" , "extra" : [ 1 , -2 , 3.5 , 1e400 , -0 , true , null , "x" , { } , [ ] ] } "#,
    r#"{"code":"a","guild":{"id":"2","name":"n","features":["NEWS","NOT_A_FEATURE","GUESTS_ENABLED"]},"x":18446744073709551616}"#,
    r#"{"code":"a","uses":-0}"#,
    r#"{"code":"a","uses":01}"#,
    r#"{"code":"a","uses":1.0}"#,
    r#"{"code":"a","uses":9223372036854775808}"#,
    r#"{"code":"a","uses":-9223372036854775808}"#,
    r#"{"code":"a","max_age":-5}"#,
    r#"{"code":"a","new":"\ud83d\ude00","other":"\ud83d"}"#,
    r#"{"code":"a\ud83d\ude00"}"#,
    r#"{"code":"a","code":"b"}"#,
    r#"{"code":"a","zzz":1,"zzz":2}"#,
    r#"{"code":"a","inviter":null,"expires_at":null,"guild":null}"#,
    r#"{"code":"a","expires_at":"2016-03-31T19:15:39.954000+00:00","created_at":"2016-03-31T19:15:39-00:00"}"#,
    r#"{"code":"a","type":7,"whatever":{"a":[[[{"b":null}]]]}}"#,
    r#"{"code":"a","type":1,"guild":{"id":"2"}}"#,
    r#"{"code":"a","$serde_json::private::RawValue":1}"#,
    r#"{"code":"a","flags":3,"target_type":1,"target_user":{"id":"5","username":"u","avatar":null}}"#,
    r#"{"code":"a"} "#,
    r#"{"code":"a"} x"#,
    r#"{"code":"a",}"#,
    r#"{"code":"a" "#,
    r#"["code"]"#,
    "{\"code\":\"a\tb\"}",
    r#"{"channel_id":"1","code":"c","created_at":"2016-03-31T19:15:39Z","max_age":0,"max_uses":0,"temporary":false,"uses":0,"expires_at":null}"#,
    r#"{"message":"m","code":50035,"errors":{"a":{"_errors":[{"code":"X","message":"y"}]}}}"#,
    r#"{"message":"m","code":50035,"errors":{"a":1.5e3}}"#,
    r#"{"t":"INVITE_DELETE","s":6,"op":0,"d":{"channel_id":"1","code":"abc","x":[1.50]}}"#,
    r#"{"op":0,"d":{"channel_id":"1","code":"abc"},"s":null,"t":"INVITE_DELETE","zz":{}}"#,
    r#"{"t":"MESSAGE_CREATE","s":3,"op":0,"d":{"content":"é","n":-0}}"#,
    r#"{"op":11,"d":null}"#,
    // Escaped keys, known and unknown, in the models' direct decoders.
    r#"{"\u0063ode":"a","type":0,"z\u00e9":[1],"guild":{"\u0069d":"2","n\u0061me":"n"}}"#,
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn pool() -> Vec<String> {
    let mut paths = Vec::new();
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut paths,
    );
    paths.sort();
    let mut pool: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    pool.extend(EDGE_CASES.iter().map(|s| s.to_string()));
    // A bot's gateway log, one message per line (for `GatewayEnvelope`).
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/gateway.ndjson");
    pool.extend(
        std::fs::read_to_string(log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned),
    );
    pool
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u00",
    "\\ud83d",
    "null",
    "true",
    "-",
    "0",
    "1.5",
    "e9",
    "-0",
    "01",
    " ",
    "\n",
    "\u{1}",
    "é",
    "\"x\":",
    "99999999999999999999",
];

fn mutate(rng: &mut Rng, pool: &[String]) -> String {
    let mut data = pool[rng.below(pool.len())].as_bytes().to_vec();
    for _ in 0..=rng.below(2) {
        let len = data.len();
        match rng.below(4) {
            0 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(4)).min(len);
                data.drain(a..b);
            }
            1 => {
                let tok = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                data.splice(at..at, tok.iter().copied());
            }
            2 => data.truncate(rng.below(len + 1)),
            _ => {
                let tok = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                let end = (at + 1 + rng.below(3)).min(len);
                data.splice(at..end, tok.iter().copied());
            }
        }
    }
    // The fast path only ever sees valid UTF-8 (the caller checks it first).
    String::from_utf8_lossy(&data).into_owned()
}

/// The law, for one type and one input; `true` if the fast path returned a value.
fn agrees<T>(text: &str) -> bool
where
    T: for<'de> Decode<'de> + Serialize + PartialEq + std::fmt::Debug,
{
    let Some(fast) = fast_decode::<T>(text) else {
        return false;
    };
    let slow = serde_json_decode::<T>(text.as_bytes()).unwrap_or_else(|e| {
        panic!(
            "{}: fast path accepted what serde_json rejects ({e}): {text:?}",
            std::any::type_name::<T>()
        )
    });
    assert_eq!(fast, slow, "{text:?}");
    assert_eq!(
        serde_json::to_string(&fast).ok(),
        serde_json::to_string(&slow).ok(),
        "{text:?}"
    );
    true
}

fn all_types(text: &str) -> usize {
    [
        agrees::<Invite>(text),
        agrees::<User>(text),
        agrees::<InviteGuild>(text),
        agrees::<InviteMetadata>(text),
        agrees::<InviteCreateEvent>(text),
        agrees::<InviteDeleteEvent>(text),
        agrees::<ApiError>(text),
        agrees::<GatewayEnvelope>(text),
        agrees::<serde_json::Value>(text),
        agrees::<Vec<serde_json::Value>>(text),
        agrees::<std::collections::BTreeMap<String, Vec<Option<bool>>>>(text),
        raw_agrees(text),
    ]
    .iter()
    .filter(|x| **x)
    .count()
}

/// `Box<RawValue>` has no `PartialEq`: compare the text.
fn raw_agrees(text: &str) -> bool {
    let Some(fast) = fast_decode::<Box<RawValue>>(text) else {
        return false;
    };
    let slow = serde_json::from_str::<Box<RawValue>>(text).unwrap_or_else(|e| {
        panic!("raw: fast path accepted what serde_json rejects ({e}): {text:?}")
    });
    assert_eq!(fast.get(), slow.get(), "{text:?}");
    true
}

#[test]
fn fixtures_and_edge_cases_agree() {
    for text in pool() {
        all_types(&text);
    }
}

#[test]
fn the_fast_path_runs_on_clean_payloads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    let text = std::fs::read_to_string(dir.join("invite-object.json")).expect("fixture");
    assert!(fast_decode::<Invite>(&text).is_some());
    assert!(fast_decode::<serde_json::Value>(&text).is_some());
    // The public entry point gives the same value as serde_json's reader.
    assert_eq!(
        Invite::from_json_str(&text).ok(),
        serde_json_decode::<Invite>(text.as_bytes()).ok()
    );
    for text in EDGE_CASES.iter().take(3) {
        assert!(fast_decode::<Invite>(text).is_some(), "{text}");
    }
    // The generated direct decoders read escaped keys, known (`code`, the guild's `id`) and
    // unknown (`zé`, kept under its unescaped name), instead of giving up.
    let escaped = EDGE_CASES
        .iter()
        .find(|t| t.contains(r"\u0063ode"))
        .expect("the escaped-key case");
    let invite = fast_decode::<Invite>(escaped).expect("decoded by the fast path");
    assert_eq!(invite.code(), "a");
    assert_eq!(invite.extra().get_raw("zé").map(|v| v.get()), Some("[1]"));
    // Gateway messages too, with `d` before `t` as well.
    for text in EDGE_CASES.iter().filter(|t| t.contains(r#""op":"#)) {
        assert!(fast_decode::<GatewayEnvelope>(text).is_some(), "{text}");
    }
}

/// Mutants per run: 4,000, or `FAST_PATH_MUTANTS` (`FAST_PATH_MUTANTS=1000000 cargo test
/// --release --test fast_path` for a longer run).
fn mutant_count() -> usize {
    std::env::var("FAST_PATH_MUTANTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4000)
}

#[test]
fn mutants_agree() {
    let pool = pool();
    let mut rng = Rng(0x5EED_FA57);
    let mut accepted = 0;
    let n = mutant_count();
    for _ in 0..n {
        let text = mutate(&mut rng, &pool);
        accepted += all_types(&text);
    }
    // Some mutants stay valid, so both paths run on them.
    assert!(accepted > 100, "{accepted}");
}

/// Pieces of bytes for [`byte_mutants_agree`]: valid multi-byte text and every kind of
/// invalid UTF-8 (lone continuation, overlong, surrogate, truncated, beyond U+10FFFF, bytes
/// never used).
const BYTE_PIECES: &[&[u8]] = &[
    "é".as_bytes(),
    "€".as_bytes(),
    "😀".as_bytes(),
    "\u{10FFFF}".as_bytes(),
    b"\x80",
    b"\xC0\xAF",
    b"\xE0\x80\xAF",
    b"\xED\xA0\x80",
    b"\xC3",
    b"\xE2\x82",
    b"\xF0\x9F\x98",
    b"\xF4\x90\x80\x80",
    b"\xF5",
    b"\xFF",
];

/// Payload bytes with random bytes flipped, set to non-ASCII values, or pieces of valid and
/// invalid UTF-8 put in.
fn mutate_bytes(rng: &mut Rng, pool: &[String]) -> Vec<u8> {
    let mut data = pool[rng.below(pool.len())].as_bytes().to_vec();
    for _ in 0..=rng.below(2) {
        let len = data.len();
        if len == 0 {
            break;
        }
        let at = rng.below(len);
        match rng.below(4) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = 0x80 | rng.below(0x80) as u8,
            // Valid pieces as often as invalid ones (the first four are valid).
            2 => {
                let piece = BYTE_PIECES[rng.below(4)];
                data.splice(at..at, piece.iter().copied());
            }
            _ => {
                let piece = BYTE_PIECES[rng.below(BYTE_PIECES.len())];
                let end = (at + 1 + rng.below(3)).min(len);
                data.splice(at..end, piece.iter().copied());
            }
        }
    }
    data
}

/// The law of `from_json_slice`, whose reader checks UTF-8 in its own pass: it decodes
/// exactly the bytes that are UTF-8 and that `from_json_str` decodes, to the same value; the
/// fast reader on the bytes gives what it gives on the text (and gives up on invalid UTF-8).
fn slice_agrees<T>(bytes: &[u8]) -> bool
where
    T: Payload + PartialEq + std::fmt::Debug + for<'de> Decode<'de>,
{
    let by_slice = T::from_json_slice(bytes);
    let fast = discord_invite::__private::fast_decode_slice::<T>(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        assert!(by_slice.is_err(), "accepted invalid UTF-8: {bytes:?}");
        assert!(
            fast.is_none(),
            "fast path accepted invalid UTF-8: {bytes:?}"
        );
        return false;
    };
    assert_eq!(by_slice, T::from_json_str(text), "{text:?}");
    assert_eq!(fast, fast_decode::<T>(text), "{text:?}");
    by_slice.is_ok()
}

#[test]
fn byte_mutants_agree() {
    let pool = pool();
    let mut rng = Rng(0xB17E_F11B);
    let (mut invalid, mut accepted) = (0, 0);
    let n = mutant_count();
    for _ in 0..n {
        let bytes = mutate_bytes(&mut rng, &pool);
        invalid += usize::from(std::str::from_utf8(&bytes).is_err());
        let any = [
            slice_agrees::<Invite>(&bytes),
            slice_agrees::<User>(&bytes),
            slice_agrees::<InviteGuild>(&bytes),
            slice_agrees::<GatewayEnvelope>(&bytes),
            slice_agrees::<ApiError>(&bytes),
        ];
        accepted += usize::from(any.contains(&true));
    }
    // Both sides of the law are exercised.
    assert!(invalid > n / 4 && accepted > n / 20, "{invalid} {accepted}");
}

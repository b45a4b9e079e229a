//! A bounded, deterministic version of the `cargo fuzz` targets (see `FUZZING.md`), run by
//! `cargo test`: each target's entry point gets a few thousand inputs derived from the
//! fixtures (byte and bit flips, truncations, splices of two files, inserted JSON tokens,
//! deleted and repeated ranges) from a fixed seed. The checks are the fuzz targets' own
//! (`fuzz/src/lib.rs`): no panic, plus each target's invariants.
//!
//! Every crash the real fuzzers found is a file in `tests/fixtures/fuzz-regressions/`, named
//! `<target>-<what>.<ext>`, and is replayed through that target by `regressions_replay`.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (recursively) whose name ends with one of `exts`, sorted.
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if exts.iter().any(|x| p.to_string_lossy().ends_with(x)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read_all(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Tokens worth splicing into JSON: structure, edge numbers, snowflakes and timestamps that
/// sit on the decoders' boundaries, and field names.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "null",
    "true",
    "false",
    "-0",
    "0",
    "1e2",
    "1.0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "\"0\"",
    "\"01\"",
    "\"165176875973476352\"",
    "\"2016-03-31T19:15:39.954000+00:00\"",
    "\"2016-03-31T19:15:39Z\"",
    "-00:00",
    "+23:59",
    ".123456789",
    "\\u0000",
    "\\ud83d\\ude42",
    "\u{feff}",
    "\"type\"",
    "\"code\"",
    "\"guild\"",
    "\"channel\"",
    "\"expires_at\"",
    "\"flags\"",
    "\"roles\"",
    "\"id\"",
    "?event=",
    "discord.gg/",
    "https://",
    "/invite/",
    "www.",
    "é",
    "🙂",
];

/// One mutation of `pool[i]`, sometimes stacked.
fn mutate(rng: &mut Rng, pool: &[Vec<u8>]) -> Vec<u8> {
    let mut data = pool[rng.below(pool.len())].clone();
    for _ in 0..=rng.below(3) {
        let len = data.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            2 => data.truncate(rng.below(len + 1)),
            3 => {
                // splice: a prefix of this file and a suffix of another
                let other = &pool[rng.below(pool.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            4 => {
                let tok = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                data.splice(at..at, tok.iter().copied());
            }
            5 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(16)).min(len);
                data.drain(a..b);
            }
            6 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(32)).min(len);
                let piece = data[a..b].to_vec();
                data.splice(b..b, piece);
            }
            _ => {
                // replace a token with another token
                let tok = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                let end = (at + rng.below(8)).min(len);
                data.splice(at..end, tok.iter().copied());
            }
        }
    }
    data
}

/// Runs `check` on every pool entry as is, then on `n` mutants, stopping early when `budget`
/// runs out (so a slow, loaded machine still finishes well under 30 s: the tests run in
/// parallel and each stops at its own budget). The inputs are the same on every run; only how
/// many of them run can vary. Returns how many inputs ran.
fn smoke(
    name: &str,
    seed: u64,
    pool: &[Vec<u8>],
    n: usize,
    budget: Duration,
    check: fn(&[u8]),
) -> usize {
    assert!(!pool.is_empty(), "no seed inputs");
    let start = Instant::now();
    for p in pool {
        check(p);
    }
    let mut rng = Rng(seed);
    let mut ran = pool.len();
    for _ in 0..n {
        if start.elapsed() > budget {
            break;
        }
        let input = mutate(&mut rng, pool);
        check(&input);
        ran += 1;
    }
    eprintln!("{name}: {ran} inputs in {:.2?}", start.elapsed());
    ran
}

/// JSON fixtures: the docs examples, the validator's captures (once present), the hand-written
/// fuzz seeds and the regressions.
fn json_pool() -> Vec<Vec<u8>> {
    let r = root();
    let mut paths = files(&r.join("tests/fixtures/docs"), &[".json"]);
    paths.extend(files(&r.join("captures"), &[".json", ".ndjson"]));
    paths.extend(files(&r.join("fuzz/seeds"), &[".json"]));
    paths.extend(files(
        &r.join("tests/fixtures/fuzz-regressions"),
        &[".json"],
    ));
    let mut pool = read_all(&paths);
    // Each NDJSON line on its own, too.
    for p in files(&r.join("captures"), &[".ndjson"]) {
        if let Ok(text) = std::fs::read(&p) {
            pool.extend(text.split(|&b| b == b'\n').map(<[u8]>::to_vec));
        }
    }
    pool
}

/// Per target. The six smoke tests run two at a time on a 2-core machine: about 10 s in all.
const BUDGET: Duration = Duration::from_secs(3);

#[test]
fn smoke_decode_invite() {
    let ran = smoke(
        "decode_invite",
        1,
        &json_pool(),
        1500,
        BUDGET,
        checks::decode_invite,
    );
    assert!(ran > 0);
}

#[test]
fn smoke_decode_event() {
    let ran = smoke(
        "decode_event",
        2,
        &json_pool(),
        3000,
        BUDGET,
        checks::decode_event,
    );
    assert!(ran > 0);
}

#[test]
fn smoke_decode_misc() {
    let ran = smoke(
        "decode_misc",
        3,
        &json_pool(),
        1500,
        BUDGET,
        checks::decode_misc,
    );
    assert!(ran > 0);
}

#[test]
fn smoke_invite_url() {
    let seeds: &[&str] = &[
        "abc",
        "0vCdhLbwjZZTWZLD",
        "discord.gg/abc",
        "https://discord.gg/abc",
        "http://discord.gg/abc/",
        "https://www.discord.gg/abc",
        "https://discord.com/invite/abc",
        "discordapp.com/invite/a-B9",
        "https://discord.gg/abc?event=1234",
        "HTTPS://Discord.GG/abc",
        "https://ptb.discord.com/invite/x",
        "https://canary.discord.com/invite/x?event=",
        "https://evil.example/abc",
        "https://discord.gg/../x",
        "https://discord.gg/abc?event=18446744073709551615",
        "<https://discord.com/Invite/abc?event=42&utm_source=x>.",
        "discord.gg:443/abc",
        "https://discord.gg@evil.com/x",
        "https://discord.gg.evil.com/x",
        "join **discord.gg/abc** or [here](https://discord.com/invite/xyz)! ||discord.gg/q||",
    ];
    let mut pool: Vec<Vec<u8>> = seeds.iter().map(|s| s.as_bytes().to_vec()).collect();
    pool.extend(read_all(&files(
        &root().join("tests/fixtures/fuzz-regressions"),
        &[".txt"],
    )));
    let ran = smoke("invite_url", 4, &pool, 5000, BUDGET, checks::invite_url);
    assert!(ran > 0);
}

#[test]
fn smoke_sync_reader() {
    // The small fixture specs only: the pinned subset and the dated snapshots (90-110 KB) are
    // the real fuzzer's seeds; each sync check diffs against the pinned subset twice, which in
    // a debug build is slow enough already.
    let r = root();
    let paths: Vec<PathBuf> = files(&r.join("codegen/tests/fixtures"), &[".json"])
        .into_iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 8 * 1024))
        .collect();
    let mut pool = read_all(&paths);
    pool.extend(read_all(&files(
        &r.join("tests/fixtures/fuzz-regressions"),
        &[".openapi"],
    )));
    // The full check (diffs against the pinned subset, overlay check) on one seed; the rest
    // without them, or a debug build would spend its whole budget in `docs.toml`.
    checks::sync_reader(&pool[0]);
    let light: fn(&[u8]) = |d| checks::sync_reader_checks(d, false);
    let ran = smoke("sync_reader", 5, &pool, 600, BUDGET, light);
    assert!(ran > 0);
}

#[test]
fn smoke_validate_bytes() {
    let ran = smoke(
        "validate_bytes",
        6,
        &json_pool(),
        2000,
        BUDGET,
        checks::validate_bytes,
    );
    assert!(ran > 0);
}

#[test]
fn smoke_har() {
    let r = root();
    let mut paths = files(&r.join("captures"), &[".har"]);
    paths.extend(files(&r.join("tests/fixtures"), &[".har"]));
    paths.extend(files(&r.join("fuzz/seeds/har"), &[".har"]));
    let mut pool = read_all(&paths);
    // A minimal HAR around each docs fixture, so the mutants stay small.
    for doc in read_all(&files(&r.join("tests/fixtures/docs"), &[".json"])) {
        let body = serde_json::to_string(&String::from_utf8_lossy(&doc)).unwrap();
        pool.push(format!(
            r#"{{"log":{{"version":"1.2","entries":[{{"request":{{"method":"GET","url":"https://discord.com/api/v10/invites/abc"}},"response":{{"status":200,"content":{{"mimeType":"application/json","text":{body}}}}}}}]}}}}"#
        ).into_bytes());
    }
    let ran = smoke("har", 7, &pool, 1000, BUDGET, checks::har);
    assert!(ran > 0);
}

#[test]
fn smoke_readers() {
    let r = root();
    let mut paths = files(&r.join("captures"), &[".json", ".ndjson", ".har"]);
    paths.extend(files(&r.join("fuzz/seeds/readers"), &[""]));
    let mut pool = read_all(&paths);
    // Arrays of the docs fixtures, one per line and all on one line.
    let docs = read_all(&files(&r.join("tests/fixtures/docs"), &[".json"]));
    let compact: Vec<String> = docs
        .iter()
        .filter_map(|d| serde_json::from_slice::<serde_json::Value>(d).ok())
        .map(|v| v.to_string())
        .collect();
    pool.push(format!("[{}]", compact.join(",")).into_bytes());
    pool.push(format!("[\n{}\n]\n", compact.join(",\n")).into_bytes());
    pool.push(compact.join("\n").into_bytes());
    let ran = smoke("readers", 8, &pool, 2000, BUDGET, checks::readers);
    assert!(ran > 0);
}

/// Every crash the fuzzers found, through the target named by the file's prefix.
#[test]
fn regressions_replay() {
    let dir = root().join("tests/fixtures/fuzz-regressions");
    let all = files(&dir, &[""]);
    let mut ran = 0;
    for p in &all {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".md") {
            continue;
        }
        let data = std::fs::read(p).unwrap_or_else(|e| panic!("{name}: {e}"));
        let target = name.split('-').next().unwrap_or_default();
        let check: fn(&[u8]) = match target {
            "decode_invite" => checks::decode_invite,
            "decode_event" => checks::decode_event,
            "decode_misc" => checks::decode_misc,
            "invite_url" => checks::invite_url,
            "sync_reader" => checks::sync_reader,
            "validate_bytes" => checks::validate_bytes,
            "har" => checks::har,
            "readers" => checks::readers,
            other => panic!("{name}: unknown target `{other}`"),
        };
        check(&data);
        ran += 1;
    }
    assert!(ran > 0, "no regression inputs in {}", dir.display());
}

/// Fuzz finding (decode_invite, 2026-11-26): with a duplicated key whose *first* occurrence is
/// invalid, the byte decoder fails while a `serde_json::Value` decodes. Decided as the README's
/// decoding policy says: from bytes every occurrence of a known field is decoded, so each must be
/// valid (and the last is kept); a `Value` has already dropped all but the last, so
/// `from_json_value` cannot see the invalid one. This asserts that policy; the fuzz checks skip
/// the Value comparison for documents with repeated keys (`STRICT_DUPLICATES` off by design).
#[test]
fn duplicate_known_keys_are_each_decoded_from_bytes() {
    use discord_invite::{Invite, Payload};
    let data = std::fs::read(
        root()
            .join("tests/fixtures/fuzz-regressions/decode_invite-duplicate-key-invalid-first.json"),
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&data).unwrap();
    assert!(Invite::from_json_value(&value).is_ok());
    let err = Invite::from_json_slice(&data).unwrap_err();
    assert!(err.pointer().starts_with("/guild"), "{err}");
    // The validator names the repeat.
    let report = discord_invite::validate::validate(&data, None);
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == discord_invite::validate::Code::DuplicateKey));
}

/// Fuzz finding (sync_reader, 2026-11-26): an enum whose `oneOf` repeats a value under two
/// titles (`GUILD = 1`, `GROUP_DM = 1`) diffs against itself as "value 1: renamed GUILD ->
/// GROUP_DM": `discord_invite_codegen::sync::diff`'s `diff_enum` paired each new entry with the *first* old
/// entry of the same value. Fixed: entries now pair as a multiset (value and title first).
#[test]
fn sync_self_diff_is_empty_with_duplicate_enum_values() {
    let data = std::fs::read(
        root().join("tests/fixtures/fuzz-regressions/sync_reader-duplicate-enum-value.openapi"),
    )
    .unwrap();
    let spec: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let subset = discord_invite_codegen::sync::extract_subset(&spec).unwrap();
    let report = discord_invite_codegen::sync::diff(&subset, &subset);
    assert!(report.is_empty(), "{}", report.render_text());
}

/// Fuzz finding (decode_misc, 2026-11-26; found by probing the fuzz binary with number
/// spellings after the 10-minute run missed it): `RateLimitedError::retry_after` is an `f64`,
/// so `100`, `1e2`, `1.50` and `-0` re-encode as `100.0`, `100.0`, `1.5` and `-0.0`. The
/// round-trip law ("numbers are kept exactly") fails for every float field; the generator
/// should give `number` fields an exact representation. The fuzz checks compare numbers as
/// `f64` until then (`STRICT_FLOATS`).
#[test]
fn float_fields_keep_their_value() {
    // Fixed: `number` fields are `serde_json::Number`, so an integer stays an integer. The
    // policy (README) is JSON equality; only a float's spelling may change (`1.50` -> `1.5`).
    use discord_invite::{Payload, RateLimitedError};
    for (n, exact) in [
        ("100", true),
        ("64.57", true),
        ("1e2", false),
        ("1.50", false),
        ("-0", false),
    ] {
        let json = format!(r#"{{"code":0,"message":"x","retry_after":{n},"global":false}}"#);
        let e = RateLimitedError::from_json_str(&json).unwrap();
        let out = e.to_json_string().unwrap();
        if exact {
            assert_eq!(out, json);
        }
        let a: serde_json::Value = serde_json::from_str(&out).unwrap();
        let b: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(a, b, "{n}");
    }
}

/// Fuzz finding (validate_bytes, 2026-11-26): a payload starting with a UTF-8 byte order mark
/// decodes with the SDK (which ignores a BOM, as RFC 8259 allows) but the validator reports
/// `invalid-json` ("expected value" at 1:1), so its verdict contradicts the SDK. The fix belongs
/// in the validator's parser (`src/validate/position.rs`).
#[test]
fn validator_accepts_a_bom_like_the_sdk() {
    use discord_invite::validate::{validate, Status};
    let r = validate(b"\xEF\xBB\xBF{\"code\": \"abc\", \"uses\": 1}", None);
    assert_ne!(r.status, Status::Error, "{r:?}");
}

/// Fuzz finding (decode_invite and validate_bytes, 2026-11-26, after main's raw unknown
/// fields): an unpaired UTF-16 surrogate escape (`"\ude42"`) inside an unknown field is
/// kept by the SDK (raw text), while serde_json's `Value` and the validator reject the payload
/// ("lone trailing surrogate in hex escape"). A known string field with the same escape is
/// rejected. Decided and fixed: every reader rejects it (the SDK checks the escapes of an
/// unknown field's raw text, `src/unknown.rs`).
#[test]
fn unpaired_surrogates_are_treated_alike() {
    use discord_invite::validate::{validate, Kind, Status};
    use discord_invite::{LobbyGuildInvite, Payload};
    let data =
        std::fs::read(root().join(
            "tests/fixtures/fuzz-regressions/decode_invite-lone-surrogate-in-unknown-key.json",
        ))
        .unwrap();
    let sdk = LobbyGuildInvite::from_json_slice(&data).is_ok();
    let value = serde_json::from_slice::<serde_json::Value>(&data).is_ok();
    let validator = validate(&data, Some(Kind::LobbyGuildInvite)).status != Status::Error;
    assert_eq!((sdk, validator), (value, value));
}

/// Fuzz findings fixed in hand-written code, checked directly as well as by the replay.
#[test]
fn fixed_findings() {
    use discord_invite::{
        CreateGuildInviteRequest, DecodeErrorKind, Invite, Payload, RateLimitedError,
    };
    // `-0` in an integer field: both decoders reject it (with serde_json's
    // `arbitrary_precision`, which the SDK used then, the Value decoder read 0).
    let v =
        serde_json::json!({"max_uses": serde_json::from_str::<serde_json::Value>("-0").unwrap()});
    assert!(CreateGuildInviteRequest::from_json_value(&v).is_err());
    assert!(CreateGuildInviteRequest::from_json_str(r#"{"max_uses":-0}"#).is_err());
    // ... while `-0` kept as an unknown field round-trips.
    let json = r#"{"zz":-0}"#;
    let r = CreateGuildInviteRequest::from_json_str(json).unwrap();
    assert_eq!(r.to_json_string().unwrap(), json);
    // A `-00:00` offset re-encodes as written.
    let json = r#"{"type":0,"code":"a","expires_at":"2016-03-31T19:15:39-00:00"}"#;
    assert_eq!(
        Invite::from_json_str(json)
            .unwrap()
            .to_json_string()
            .unwrap(),
        json
    );
    // A float too large for f64 is a data error, not a syntax error ...
    let err = RateLimitedError::from_json_str(
        r#"{"code":0,"message":"x","retry_after":1E400,"global":false}"#,
    )
    .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Data);
    // ... and in an unknown field it is kept as written.
    let json = r#"{"zz":1e999}"#;
    let r = CreateGuildInviteRequest::from_json_str(json).unwrap();
    assert_eq!(r.to_json_string().unwrap(), json);
}

/// The duplicate detector the checks rely on.
#[test]
fn duplicate_detector() {
    assert!(checks::has_duplicate_keys(br#"{"a":1,"a":2}"#));
    assert!(checks::has_duplicate_keys(br#"[{"b":{"a":1,"a":[1.5]}}]"#));
    assert!(!checks::has_duplicate_keys(br#"{"a":1,"b":{"a":2.50}}"#));
    assert!(!checks::has_duplicate_keys(b"not json"));
}

//! `from_json_slice` checks UTF-8 inside the fast reader's own pass (src/fast.rs, `scan`):
//! invalid UTF-8 anywhere must still give serde_json's verdict, worded as before (the fast
//! reader gives up, serde_json's byte reader words the error), and valid multi-byte text
//! anywhere, at any offset from the scan's 16- and 8-byte steps, must decode as the same text
//! through `from_json_str`, in the fast reader itself (not through the fallback).

use discord_invite::__private::{fast_decode, fast_decode_slice};
use discord_invite::{DecodeErrorKind, GatewayEnvelope, Invite, Payload};

/// Places in an invite for a piece of bytes (`@`), with the JSON pointer an error there has.
const PLACES: &[(&str, &str)] = &[
    // A known string field.
    (r#"{"type":0,"code":"ab@cd"}"#, "/code"),
    // The same, the piece right before the closing quote and right after the opening one.
    (r#"{"type":0,"code":"abcdefghijklmnopq@"}"#, "/code"),
    (r#"{"type":0,"code":"@abcdefghijklmnopq"}"#, "/code"),
    // A known string in a nested object, and in an array of enums.
    (
        r#"{"type":0,"code":"a","guild":{"id":"1","name":"n@"}}"#,
        "/guild/name",
    ),
    (
        r#"{"type":0,"code":"a","guild":{"id":"1","name":"n","features":["NEWS","@"]}}"#,
        "/guild/features/1",
    ),
    // An unknown field's string (kept as raw text).
    (r#"{"type":0,"code":"a","zz":"x@y"}"#, "/zz"),
    // A key, unknown and in a nested known object.
    (r#"{"type":0,"code":"a","k@":1}"#, ""),
    (
        r#"{"type":0,"code":"a","guild":{"id":"1","name":"n","n@":2}}"#,
        "/guild",
    ),
    // Inside unknown fields' nested objects and arrays, values and keys.
    (r#"{"type":0,"code":"a","zz":{"a":[1,{"b":"x@"}]}}"#, "/zz"),
    (r#"{"type":0,"code":"a","zz":[null,"@",2]}"#, "/zz"),
    (r#"{"type":0,"code":"a","zz":{"k@":1}}"#, "/zz"),
    // A gateway-shaped string with escapes before the piece.
    (r#"{"type":0,"code":"a\n\u00e9\"@"}"#, "/code"),
];

/// Places outside strings: there no byte from 0x80 up is JSON.
const OUTSIDE: &[&str] = &[
    r#"{"type":0,@"code":"a"}"#,
    r#"{"type":0,"code":"a","uses":1@}"#,
    r#"{"type":0,"code":"a","uses":@1}"#,
    r#"{"type":0,"code":"a","zz":[1@]}"#,
    r#"{"type":0,"code":"a","zz":tru@}"#,
    r#"{"type":0,"code":"a","zz":-@1}"#,
    r#"{"type":0,"code":"a"}@"#,
    r#"@{"type":0,"code":"a"}"#,
    r#"{"type":0,"code": @"a"}"#,
    r#"{"type":0,"code":"a","zz":{"k":1@}}"#,
    r#"{"type":0,"code":"a","zz" @:1}"#,
];

/// Byte sequences that are not UTF-8.
const INVALID: &[&[u8]] = &[
    b"\x80",                 // a continuation byte alone
    b"\xBF",                 // another
    b"a\x80b",               // between ASCII bytes
    b"\xC3\xA9\x80",         // after a valid sequence
    b"\xC0\xAF",             // overlong `/`
    b"\xC1\xBF",             // overlong, two bytes
    b"\xE0\x80\xAF",         // overlong, three bytes
    b"\xF0\x80\x80\xAF",     // overlong, four bytes
    b"\xED\xA0\x80",         // a surrogate (U+D800) encoded
    b"\xED\xBF\xBF",         // U+DFFF encoded
    b"\xC3",                 // truncated two-byte sequence
    b"\xE2\x82",             // truncated three-byte sequence
    b"\xF0\x9F\x98",         // truncated four-byte sequence
    b"\xF4\x90\x80\x80",     // beyond U+10FFFF
    b"\xF5\x80\x80\x80",     // a lead byte never used
    b"\xF8\x88\x80\x80\x80", // a five-byte form
    b"\xFE",
    b"\xFF",
    b"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFF", // a valid run ending in a bad byte
    b"\xE2\x82\xAC\xE2\x82",                     // a valid run ending truncated
];

/// Valid multi-byte characters, one of each width and the last one there is.
const VALID: &[&str] = &["é", "€", "😀", "\u{10FFFF}", "ß€😀", "日本語テキスト"];

fn put(template: &str, piece: &[u8]) -> Vec<u8> {
    let (a, b) = template.split_once('@').expect("a place");
    [a.as_bytes(), piece, b.as_bytes()].concat()
}

/// Every invalid piece in every place of [`PLACES`], at every offset 0..32 from the string's
/// start (the scan's 16-byte, 8-byte and byte-at-a-time paths): the bytes and the place's
/// pointer.
fn invalid_in_every_place() -> impl Iterator<Item = (Vec<u8>, &'static str)> {
    PLACES.iter().flat_map(|&(template, pointer)| {
        INVALID.iter().flat_map(move |piece| {
            (0..32).map(move |k| (put(template, &[&b"a".repeat(k), *piece].concat()), pointer))
        })
    })
}

/// The verdict before the reader checked UTF-8 itself (a whole-input check, then serde_json's
/// byte reader for invalid UTF-8): serde_json's error, as the position-keeping `Value` reader
/// words it and places it, at the pointer of the place.
fn check_invalid(bytes: &[u8], pointer: Option<&str>) {
    let ours = Invite::from_json_slice(bytes);
    let value = serde_json::from_slice::<serde_json::Value>(bytes);
    let (Err(err), Err(want)) = (&ours, &value) else {
        panic!("{:?}: {ours:?} / {value:?}", String::from_utf8_lossy(bytes))
    };
    let message = want.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(&*message, |(m, _)| m);
    assert_eq!(
        (err.message(), err.line(), err.column()),
        (message, Some(want.line()), Some(want.column())),
        "{:?}",
        String::from_utf8_lossy(bytes)
    );
    let kind = if want.is_eof() {
        DecodeErrorKind::Eof
    } else {
        DecodeErrorKind::Syntax
    };
    assert_eq!(err.kind(), kind, "{:?}", String::from_utf8_lossy(bytes));
    if let Some(pointer) = pointer {
        assert_eq!(
            err.pointer(),
            pointer,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn invalid_utf8_anywhere_gets_serde_jsons_error() {
    let mut n = 0;
    for (bytes, pointer) in invalid_in_every_place() {
        check_invalid(&bytes, Some(pointer));
        n += 1;
    }
    for template in OUTSIDE {
        for piece in INVALID {
            check_invalid(&put(template, piece), None);
            n += 1;
        }
    }
    // Truncated at the end of the input, inside a string.
    for piece in INVALID {
        for prefix in [r#"{"type":0,"code":"ab"#, r#"{"type":0,"code":"a","zz":["#] {
            let mut bytes = prefix.as_bytes().to_vec();
            bytes.extend_from_slice(piece);
            check_invalid(&bytes, None);
            n += 1;
        }
    }
    assert!(n > 7000, "{n}");
}

#[test]
fn invalid_utf8_makes_the_fast_reader_give_up() {
    for (bytes, _) in invalid_in_every_place() {
        assert!(
            fast_decode_slice::<Invite>(&bytes).is_none(),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(fast_decode_slice::<serde_json::Value>(&bytes).is_none());
        assert!(fast_decode_slice::<Box<serde_json::value::RawValue>>(&bytes).is_none());
    }
    for &(template, _) in PLACES {
        // The same places with valid text are read by the fast reader (so the give-ups above
        // are the UTF-8 check's).
        let bytes = put(template, "é".as_bytes());
        assert!(fast_decode_slice::<Invite>(&bytes).is_some(), "{template}");
    }
}

/// `bytes`, valid UTF-8, decode through `from_json_slice` as through `from_json_str`, in the
/// fast reader, and re-encode to the same text.
fn check_valid(text: &str) {
    let bytes = text.as_bytes();
    let by_str = Invite::from_json_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let by_slice = Invite::from_json_slice(bytes).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(by_slice, by_str, "{text}");
    let encoded = by_slice.to_json_string().ok();
    assert_eq!(encoded, by_str.to_json_string().ok(), "{text}");
    // Byte-identical, where the text has no escapes (`\u00e9` is written back as `é`).
    if !text.contains('\\') {
        assert_eq!(encoded.as_deref(), Some(text), "{text}");
    }
    let fast = fast_decode_slice::<Invite>(bytes).unwrap_or_else(|| panic!("gave up: {text}"));
    assert_eq!(Some(&fast), fast_decode::<Invite>(text).as_ref(), "{text}");
    let raw = fast_decode_slice::<Box<serde_json::value::RawValue>>(bytes).expect("raw text");
    assert_eq!(raw.get(), text);
    let value = fast_decode_slice::<serde_json::Value>(bytes).expect("a value");
    assert_eq!(Some(value), serde_json::from_str(text).ok(), "{text}");
}

#[test]
fn valid_multibyte_text_at_every_offset_decodes_as_text() {
    let mut n = 0;
    for &(template, _) in PLACES {
        for c in VALID {
            // The character at every offset 0..32 from the string's start: before, across and
            // after the scan's 16-byte and 8-byte steps, and in its byte-at-a-time tail.
            for k in 0..32 {
                for tail in ["", "xyz", "0123456789abcdefghij"] {
                    let piece = format!("{}{c}{tail}", "a".repeat(k));
                    let text = String::from_utf8(put(template, piece.as_bytes())).expect("text");
                    check_valid(&text);
                    n += 1;
                }
            }
        }
    }
    assert!(n > 5000, "{n}");
}

#[test]
fn a_bom_is_still_skipped() {
    let text = r#"{"type":0,"code":"é"}"#;
    let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(
        Invite::from_json_slice(&bytes).ok(),
        Invite::from_json_str(text).ok()
    );
    // A BOM's bytes elsewhere are text like any other.
    let inside = r#"{"type":0,"code":"a﻿b"}"#;
    check_valid(inside);
}

#[test]
fn gateway_messages_check_utf8_too() {
    let good = r#"{"op":0,"d":{"channel_id":"1","code":"é"},"s":1,"t":"INVITE_DELETE"}"#;
    let env = fast_decode_slice::<GatewayEnvelope>(good.as_bytes()).expect("fast");
    assert_eq!(Some(env), fast_decode::<GatewayEnvelope>(good));
    for piece in INVALID {
        let bytes = put(
            r#"{"op":0,"d":{"channel_id":"1","code":"@"},"s":1,"t":"INVITE_DELETE"}"#,
            piece,
        );
        assert!(fast_decode_slice::<GatewayEnvelope>(&bytes).is_none());
        assert!(GatewayEnvelope::from_json_slice(&bytes).is_err());
    }
}

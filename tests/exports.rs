//! Issue 15, "exports as tools really write them": HAR files in the shapes Chrome DevTools,
//! mitmproxy and other exporters write (`tests/fixtures/exports/`, see its SOURCE.md), and
//! files in encodings other than UTF-8. The readers and the library agree on every one.

#![cfg(feature = "validate")]

use discord_invite::validate::input::{Event, Reader, Record};
use discord_invite::validate::{validate, Code, Finding, HarPart, Kind, Options, Report, Status};

const DIR: &str = "tests/fixtures/exports";

/// Every record of one file, read as the CLI reads it.
fn read(name: &str) -> Vec<Record> {
    let mut out = Vec::new();
    for e in Reader::new([format!("{DIR}/{name}")]) {
        match e {
            Event::Batch(b) => out.extend(b.validate_all(&Options::default())),
            Event::Failed(r) | Event::Skipped(r) => panic!("{r:?}"),
            _ => {}
        }
    }
    out
}

/// The response records of a HAR, in entry order.
fn responses(name: &str) -> Vec<Report> {
    read(name)
        .into_iter()
        .filter(|r| r.location.har.as_ref().unwrap().part == HarPart::Response)
        .map(|r| r.report)
        .collect()
}

/// The report of the invite every fixture carries, as captures/discord-web.har gives it (its
/// entry 1, the fixtures' source): the same body gets the same report however it is written.
fn invite() -> Report {
    let mut out = Vec::new();
    for e in Reader::new(["captures/discord-web.har"]) {
        if let Event::Batch(b) = e {
            out.extend(b.validate_all(&Options::default()));
        }
    }
    let record = out
        .into_iter()
        .find(|r| {
            let h = r.location.har.as_ref().unwrap();
            h.entry == 1 && h.part == HarPart::Response
        })
        .unwrap();
    assert_eq!(record.report.kind, Some(Kind::Invite));
    record.report
}

fn first(r: &Report) -> (Code, &str) {
    let f = &r.findings[0];
    (f.code, f.message())
}

#[test]
fn a_status_written_as_a_string_is_read() {
    let r = responses("string-status.har");
    assert_eq!(r.len(), 2);
    assert_eq!(r[0], invite());
    // Not a status at all (Flutter DevTools' "error"): said as it is written.
    assert_eq!(
        first(&r[1]),
        (
            Code::NoBody,
            "the response status is \"error\", not an HTTP status code: no response to validate"
        )
    );
}

#[test]
fn line_wrapped_and_unpadded_base64_bodies_decode() {
    let r = responses("wrapped-base64.har");
    assert_eq!(r.len(), 4);
    for (i, report) in r[..3].iter().enumerate() {
        assert_eq!(*report, invite(), "entry {i}");
    }
    // An encoding HAR does not define is said, not decoded as text.
    assert_eq!(
        first(&r[3]),
        (
            Code::NotJson,
            "the response body's encoding is `gzip`; only base64 (or none) is read: not validated"
        )
    );
}

#[test]
fn chrome_and_mitmproxy_exports() {
    // Chrome: a failed request (status 0, `_error`), then a base64 body.
    let r = responses("chrome.har");
    assert_eq!(
        first(&r[0]),
        (
            Code::NoBody,
            "no response was recorded (the request failed: net::ERR_CONNECTION_REFUSED)"
        )
    );
    assert_eq!(r[1], invite());
    // mitmproxy: a body as text, then a flow without a response.
    let r = responses("mitmproxy.har");
    assert_eq!(r[0], invite());
    assert_eq!(
        first(&r[1]),
        (
            Code::NoBody,
            "no response was recorded (the request failed: Server disconnected.)"
        )
    );
}

#[test]
fn charles_export() {
    // Charles 4: `statusText` and `redirectURL` null, `_charlesStatus`, HTTP/2 pseudo-headers,
    // the body base64: read like any other, and the request side has nothing to say.
    let all = read("charles.har");
    assert_eq!(all.len(), 1, "only the response has a record: {all:?}");
    assert_eq!(responses("charles.har"), [invite()]);
}

#[test]
fn fiddler_export() {
    // Fiddler Classic: one line; a JSON body as text; a body past its size limit left out with
    // a comment, which the note quotes.
    let r = responses("fiddler.har");
    assert_eq!(r.len(), 2);
    assert_eq!(r[0], invite());
    assert_eq!(
        first(&r[1]),
        (
            Code::NoBody,
            "the HAR has no response body for this entry (the exporter's comment: Body length exceeded fiddler.importexport.HTTPArchiveJSON.MaxTextBodyLength, so body was omitted.)"
        )
    );
}

#[test]
fn firefox_export() {
    // A body as text; a body Firefox left out, with its comment; an aborted request.
    let r = responses("firefox.har");
    assert_eq!(r.len(), 3);
    assert_eq!(r[0], invite());
    assert_eq!(
        first(&r[1]),
        (
            Code::NoBody,
            "the HAR has no response body for this entry (the exporter's comment: Response bodies are not included.)"
        )
    );
    assert_eq!(
        first(&r[2]),
        (
            Code::NoBody,
            "no response was recorded (the request failed or was cancelled)"
        )
    );
}

/// A file in UTF-16 or UTF-32 is one `invalid-json` finding that names the encoding, from
/// the readers (whatever the file's shape) and from the library alike.
#[test]
fn utf16_and_utf32_are_named() {
    for (name, encoding) in [
        (
            "invite.utf16le-bom.json",
            "UTF-16LE (byte order mark FF FE)",
        ),
        ("invite.utf16le.json", "UTF-16LE (no byte order mark)"),
        ("invite.utf16be.json", "UTF-16BE (no byte order mark)"),
        (
            "invite.utf32le-bom.json",
            "UTF-32LE (byte order mark FF FE 00 00)",
        ),
        (
            "invites.utf16le-bom.ndjson",
            "UTF-16LE (byte order mark FF FE)",
        ),
    ] {
        let records = read(name);
        let [record] = records.as_slice() else {
            panic!("{name}: one record for the file, not one per line: {records:?}")
        };
        let f = &record.report.findings;
        assert_eq!(f.len(), 1, "{name}: {f:?}");
        assert_eq!(f[0].code, Code::InvalidJson, "{name}");
        assert!(
            f[0].message()
                .starts_with(&format!("the text is {encoding}, not UTF-8")),
            "{name}: {}",
            f[0].message()
        );
        assert_eq!((f[0].line(), f[0].column()), (Some(1), Some(1)), "{name}");
        let bytes = std::fs::read(format!("{DIR}/{name}")).unwrap();
        assert_eq!(
            validate(&bytes, None),
            record.report,
            "{name}: the library agrees"
        );
    }
}

/// Two byte order marks: refused by the library and by the readers, with the same finding
/// (one is skipped, as RFC 8259 allows and the SDK does).
#[test]
fn a_double_bom_is_refused_by_the_library_and_the_readers() {
    let bytes = std::fs::read(format!("{DIR}/invite.double-bom.json")).unwrap();
    let library = validate(&bytes, None);
    assert_eq!(library.status, Status::Error);
    let f = &library.findings[0];
    assert_eq!(f.code, Code::InvalidJson);
    assert!(f.message().starts_with("a second byte order mark"), "{f:?}");
    let records = read("invite.double-bom.json");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].report, library);
    // One byte order mark is fine for both.
    let one = &bytes[3..];
    assert_ne!(validate(one, None).status, Status::Error);
    let records: Vec<Record> = Reader::from_stream("s", std::io::Cursor::new(one.to_vec()))
        .filter_map(|e| match e {
            Event::Batch(b) => Some(b.validate_all(&Options::default())),
            _ => None,
        })
        .flatten()
        .collect();
    // Lines and columns agree; offsets index the bytes validated (the reader's come after the
    // byte order mark it strips).
    let without_offsets = |mut r: Report| {
        r.findings.iter_mut().for_each(|f| {
            let (line, column) = (f.line().unwrap_or(0), f.column().unwrap_or(0));
            *f = Finding::new(f.severity, f.code, f.pointer(), f.message()).at(line, column);
        });
        r
    };
    assert_eq!(
        without_offsets(records[0].report.clone()),
        without_offsets(validate(one, None))
    );
}

//! Hostile files for the validator's readers (issue 7): CRLF line ends, an empty file, a HAR
//! whose body is truncated or base64. Each gives records with clear findings, never a panic.

use discord_invite::validate::input::{Event, Reader, Record};
use discord_invite::validate::{Code, Options, Status};
use tempfile::TempDir;

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-hostile-{name}-"))
        .tempdir()
        .unwrap()
}

fn read_all(path: &std::path::Path) -> (Vec<Record>, usize) {
    let options = Options::default();
    let mut out = Vec::new();
    let mut events = 0;
    for e in Reader::new([path]) {
        events += 1;
        match e {
            Event::Batch(b) => out.extend(b.validate_all(&options)),
            Event::Failed(r) => out.push(r),
            _ => {}
        }
    }
    (out, events)
}

#[test]
fn ndjson_with_crlf_line_ends() {
    let tmp = temp_dir("crlf");
    let dir = tmp.path();
    let path = dir.join("dump.ndjson");
    let text = "{\"code\": \"a\", \"uses\": 1}\r\n{\"code\": \"b\", \"uses\": \"x\"}\r\n{\"code\": \"c\"}\r\n";
    std::fs::write(&path, text).unwrap();
    let (records, _) = read_all(&path);
    let got: Vec<(Option<usize>, Status)> = records
        .iter()
        .map(|r| (r.location.line, r.report.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(1), Status::Valid),
            (Some(2), Status::Error),
            (Some(3), Status::Valid)
        ]
    );
    // The CR is not part of any value: the column of the bad value is where it is.
    let f = &records[1].report.findings[0];
    assert_eq!((f.line(), f.column()), (Some(2), Some(23)));
}

#[test]
fn an_empty_file_is_reported_not_skipped() {
    let tmp = temp_dir("empty");
    let dir = tmp.path();
    let path = dir.join("empty.json");
    std::fs::write(&path, "").unwrap();
    let (records, events) = read_all(&path);
    assert!(events > 0);
    // An empty file has no payload to validate; it must still show up, with a reason.
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].report.status, Status::Error);
    assert_eq!(records[0].report.findings[0].code, Code::InvalidJson);
}

#[test]
fn a_har_with_a_truncated_body_and_a_base64_body() {
    let tmp = temp_dir("har");
    let dir = tmp.path();
    let path = dir.join("cut.har");
    let invite = r#"{"type":0,"code":"abc","channel":{"id":"1","type":0,"name":"c"}}"#;
    let b64 =
        "eyJ0eXBlIjowLCJjb2RlIjoiYWJjIiwiY2hhbm5lbCI6eyJpZCI6IjEiLCJ0eXBlIjowLCJuYW1lIjoiYyJ9fQ==";
    assert_eq!(invite.len(), 64);
    let entry = |text: &str, encoding: Option<&str>| {
        let mut content = serde_json::json!({"mimeType": "application/json", "text": text});
        if let Some(e) = encoding {
            content["encoding"] = e.into();
        }
        serde_json::json!({
            "request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc", "headers": []},
            "response": {"status": 200, "headers": [], "content": content}
        })
    };
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [
        entry(&invite[..40], None),
        entry(b64, Some("base64")),
        entry("!!!not base64!!!", Some("base64")),
    ]}});
    std::fs::write(&path, serde_json::to_vec(&har).unwrap()).unwrap();
    let (records, _) = read_all(&path);
    assert_eq!(records.len(), 3, "{records:?}");
    // The truncated body: invalid JSON, reported with its place.
    assert_eq!(records[0].report.status, Status::Error);
    assert_eq!(records[0].report.findings[0].code, Code::InvalidJson);
    // The base64 body is decoded and validated: the SDK decodes it (no error), and the spec's
    // required fields it lacks are warnings.
    assert_eq!(
        records[1].report.status,
        Status::Warning,
        "{:?}",
        records[1].report
    );
    assert!(records[1]
        .report
        .findings
        .iter()
        .all(|f| f.code == Code::MissingRequired));
    // A body that claims base64 but is not: reported, not dropped.
    assert_ne!(records[2].report.status, Status::Valid);
}

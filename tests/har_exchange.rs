//! Both sides of a HAR exchange: the request against the spec's operation (path and query
//! parameters, `X-Audit-Log-Reason`, the body's content type), the response's status and
//! content type, undocumented operations, and request-side findings on a 4xx as notes.

use std::path::PathBuf;

use discord_invite::validate::input::{Event, Reader, Record};
use discord_invite::validate::{Code, Finding, HarPart, Kind, Severity, Status};
use serde_json::{json, Value};
use tempfile::TempDir;

/// `{name}.har` with these entries, in a scratch directory that is removed when the returned
/// guard is dropped (on a panic too).
fn temp_har(name: &str, entries: Vec<Value>) -> (TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("discord-invite-exchange-")
        .tempdir()
        .unwrap();
    let path = dir.path().join(format!("{name}.har"));
    let har = json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}});
    std::fs::write(&path, serde_json::to_string_pretty(&har).unwrap()).unwrap();
    (dir, path)
}

fn records(path: &PathBuf) -> Vec<Record> {
    let mut out = Vec::new();
    for e in Reader::new([path]) {
        if let Event::Batch(b) = e {
            out.extend(b.validate_all(&Default::default()));
        }
    }
    out
}

/// A HAR entry as Chrome's devtools write it.
fn entry(method: &str, url: &str, status: u16, mime: &str, body: &str) -> Value {
    let query: Vec<Value> = url
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            json!({"name": n, "value": v})
        })
        .collect();
    json!({
        "startedDateTime": "2026-11-26T14:02:11.482Z",
        "request": {"method": method, "url": url, "httpVersion": "http/2.0",
                    "headers": [{"name": ":authority", "value": "discord.com"}],
                    "queryString": query, "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "http/2.0", "headers": [],
                     "cookies": [], "content": {"size": body.len(), "mimeType": mime, "text": body},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    })
}

const INVITE: &str = r#"{"type": 1, "code": "Zq8yLm2c", "expires_at": null, "channel": {"id": "1310001234567890123", "type": 3, "name": null}}"#;

fn codes_of(r: &Record) -> Vec<(Severity, Code, &str)> {
    r.report
        .findings
        .iter()
        .map(|f| (f.severity, f.code, f.pointer()))
        .collect()
}

fn part(r: &Record) -> HarPart {
    r.location.har.as_ref().map(|h| h.part).unwrap()
}

#[test]
fn query_parameters_are_checked_against_the_operation() {
    let (_dir, path) = temp_har(
        "query",
        vec![entry(
            "GET",
            "https://discord.com/api/v10/invites/Zq8yLm2c?with_counts=yes&with_expiration=true",
            200,
            "application/json",
            INVITE,
        )],
    );
    let recs = records(&path);
    assert_eq!(
        recs.len(),
        2,
        "a request record for what the exchange says, then the body"
    );
    assert_eq!(part(&recs[0]), HarPart::Request);
    assert_eq!(recs[0].report.kind, None);
    assert_eq!(recs[0].report.status, Status::Warning);
    assert_eq!(
        codes_of(&recs[0]),
        vec![
            (
                Severity::Warning,
                Code::InvalidParameter,
                "/request/queryString/0/value"
            ),
            (
                Severity::Warning,
                Code::UnknownParameter,
                "/request/queryString/1/name"
            ),
        ]
    );
    let f: &Finding = &recs[0].report.findings[0];
    assert!(f.message().contains("`with_counts`") && f.message().contains("`yes`"));
    assert!(f.message().contains("true or false"), "{}", f.message());
    // The place is in the HAR file: the value's line.
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().nth(f.line().unwrap() - 1).unwrap();
    assert!(line.contains("\"value\": \"yes\""), "{line}");
    assert!(recs[0].report.findings[1].message().contains("with_counts"));
    assert_eq!(
        recs[1].report.status,
        Status::Valid,
        "{:#?}",
        recs[1].report
    );
}

#[test]
fn path_parameters_headers_and_4xx_notes() {
    let mut create = entry(
        "POST",
        "https://discord.com/api/v10/channels/12x/invites",
        400,
        "application/json",
        r#"{"code": 50035, "message": "Invalid Form Body"}"#,
    );
    create["request"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "x-audit-log-reason", "value": "café raid"}));
    create["request"]["postData"] =
        json!({"mimeType": "application/json", "text": "{\"max_age\": 60, \"colour\": 1}"});
    let mut revoke = entry(
        "DELETE",
        "https://discord.com/api/v10/invites/Zq8yLm2c",
        200,
        "application/json",
        INVITE,
    );
    revoke["request"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "X-Audit-Log-Reason", "value": "a".repeat(513)}));
    let bad_code = entry(
        "GET",
        "https://discord.com/api/v10/invites/not%20a%20code",
        200,
        "application/json",
        INVITE,
    );
    let (_dir, path) = temp_har("params", vec![create, revoke, bad_code]);
    let recs = records(&path);
    // The 400: the request's findings, its body's included, are notes; the error body is
    // validated as usual.
    let req = &recs[0];
    assert_eq!(part(req), HarPart::Request);
    assert_eq!(req.report.kind, Some(Kind::CreateGuildInviteRequest));
    assert_eq!(
        codes_of(req),
        vec![
            (Severity::Note, Code::InvalidParameter, "/request/url"),
            (
                Severity::Note,
                Code::InvalidHeader,
                "/request/headers/1/value"
            ),
            (Severity::Note, Code::UnknownField, "/colour"),
        ]
    );
    assert_eq!(req.report.status, Status::Valid);
    assert!(req.report.findings[0].message().contains("`channel_id`"));
    assert!(req.report.findings[1].message().contains("percent-encoded"));
    assert_eq!(recs[1].report.kind, Some(Kind::ApiError));
    // The 200 with a reason of 513 characters: a warning.
    assert_eq!(
        codes_of(&recs[2]),
        vec![(
            Severity::Warning,
            Code::InvalidHeader,
            "/request/headers/1/value"
        )]
    );
    assert!(recs[2].report.findings[0]
        .message()
        .contains("513 characters"));
    // An invite code with spaces.
    assert_eq!(
        codes_of(&recs[4]),
        vec![(Severity::Warning, Code::InvalidParameter, "/request/url")]
    );
    assert!(recs[4].report.findings[0]
        .message()
        .contains("`not a code`"));
}

#[test]
fn undocumented_operations_statuses_and_content_types() {
    let (_dir, path) = temp_har(
        "ops",
        vec![
            // Accepting an invite: Discord's web client does it, the spec has no such operation.
            entry(
                "POST",
                "https://discord.com/api/v10/invites/Zq8yLm2c",
                200,
                "application/json",
                INVITE,
            ),
            entry(
                "PATCH",
                "https://discord.com/api/v10/invites/Zq8yLm2c",
                405,
                "application/json",
                r#"{"message": "405: Method Not Allowed", "code": 0}"#,
            ),
            entry(
                "GET",
                "https://discord.com/api/v10/invites/Zq8yLm2c",
                500,
                "application/json",
                r#"{"message": "500: Internal Server Error", "code": 0}"#,
            ),
            entry(
                "GET",
                "https://discord.com/api/v10/invites/Zq8yLm2c",
                200,
                "text/html; charset=utf-8",
                "<html>proxy error</html>",
            ),
            entry(
                "GET",
                "https://discord.com/api/v10/users/@me",
                200,
                "application/json",
                "{}",
            ),
        ],
    );
    let recs = records(&path);
    assert_eq!(recs.len(), 4, "{recs:#?}");
    assert_eq!(
        codes_of(&recs[0]),
        vec![(
            Severity::Warning,
            Code::UndocumentedOperation,
            "/request/method"
        )]
    );
    assert!(recs[0].report.findings[0].message().contains("GET, DELETE"));
    // A 4xx: the request side is a note.
    assert_eq!(
        codes_of(&recs[1]),
        vec![(
            Severity::Note,
            Code::UndocumentedOperation,
            "/request/method"
        )]
    );
    assert_eq!(recs[1].report.status, Status::Valid);
    // 500 is not a status the spec lists; the body is still validated (as an API error).
    assert_eq!(part(&recs[2]), HarPart::Response);
    assert_eq!(
        codes_of(&recs[2])[0],
        (
            Severity::Warning,
            Code::UnexpectedStatus,
            "/response/status"
        )
    );
    assert_eq!(recs[2].report.kind, Some(Kind::ApiError));
    // An HTML page where the spec says JSON: one finding, which says it was not validated.
    assert_eq!(
        codes_of(&recs[3]),
        vec![(
            Severity::Warning,
            Code::UnexpectedContentType,
            "/response/content/mimeType"
        )]
    );
    assert_eq!(recs[3].report.status, Status::Warning);
    assert!(recs[3].report.findings[0].message().contains("text/html"));
}

#[test]
fn exchange_codes_point_into_the_har_entry() {
    for code in Code::ALL {
        let expected = matches!(
            code.as_str(),
            "undocumented-operation"
                | "unknown-parameter"
                | "invalid-parameter"
                | "invalid-header"
                | "unexpected-status"
                | "unexpected-content-type"
        );
        assert_eq!(code.is_exchange(), expected, "{code}");
    }
}

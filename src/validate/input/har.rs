//! A HAR entry's invite payloads: which bodies an entry holds, for which kind, and the notes
//! for bodies that are missing or not JSON. One entry at a time (the reader streams the
//! `entries` array), each body copied (or base64-decoded) straight into the batch's buffer.

use base64::Engine as _;

use super::{HarEntry, Item, Location};
use crate::validate::kind::{har_kind, har_operation, HarOp, HarPart, Kind};
use crate::validate::position::{Node, Value};
use crate::validate::{Code, Origin, Report};

fn str_at<'n>(node: &'n Node<'_>, pointer: &str) -> Option<&'n str> {
    match &node.pointer(pointer)?.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// What a body turned out to be.
enum Body<'e> {
    /// JSON text to validate.
    Text(&'e str),
    /// Base64 text to decode, then validate.
    Base64(&'e str),
    /// Nothing to validate, and why.
    Note(Report),
}

/// Appends entry `index` (on `line` of the HAR file) of a HAR's `log.entries`: its invite
/// bodies go into `buf`, one item each into `items`. `false` when the entry is not an invite
/// endpoint (counted as ignored).
pub(super) fn entry_items(
    entry: &Node<'_>,
    index: usize,
    line: usize,
    buf: &mut Vec<u8>,
    items: &mut Vec<Item>,
) -> bool {
    let method = str_at(entry, "/request/method").unwrap_or("GET");
    let url = str_at(entry, "/request/url").unwrap_or("");
    let op = har_operation(method, url);
    if op == HarOp::NotInvite {
        return false;
    }
    let mut push = |part: HarPart, known: Option<Kind>, body: Body<'_>| {
        let location = Location {
            line: Some(line),
            index: None,
            har: Some(HarEntry {
                entry: index,
                part,
                method: method.to_owned(),
                url: url.to_owned(),
            }),
        };
        let start = buf.len();
        let fixed = match body {
            Body::Text(text) => {
                buf.extend_from_slice(text.as_bytes());
                None
            }
            // Decoded straight into the batch's buffer: no copy of its own.
            Body::Base64(text) => {
                match base64::engine::general_purpose::STANDARD.decode_vec(text.trim(), buf) {
                    Ok(()) => None,
                    Err(e) => {
                        buf.truncate(start);
                        Some(Report::single(
                            known,
                            Code::InvalidJson,
                            format!("the response body is marked base64 but does not decode: {e}"),
                        ))
                    }
                }
            }
            Body::Note(report) => Some(report),
        };
        let range = match fixed {
            None => {
                let end = buf.len();
                buf.push(b'\n');
                start..end
            }
            Some(_) => 0..0,
        };
        items.push(Item {
            range,
            location,
            origin: Origin::START,
            known,
            fixed,
        });
    };

    // The request body.
    if let Some(kind) = har_kind(op, HarPart::Request, 0) {
        let mime = str_at(entry, "/request/postData/mimeType").unwrap_or("");
        let text = str_at(entry, "/request/postData/text");
        let payload_json = match entry.pointer("/request/postData/params").map(|p| &p.value) {
            Some(Value::Array(params)) => params.iter().find_map(|p| {
                (str_at(p, "/name") == Some("payload_json"))
                    .then(|| str_at(p, "/value"))
                    .flatten()
            }),
            _ => None,
        };
        let body = if let Some(pj) = payload_json {
            Body::Text(pj)
        } else if mime.starts_with("multipart/") || mime.contains("form-urlencoded") {
            Body::Note(Report::single(
                Some(kind),
                Code::NotJson,
                format!("a {mime} request body (without a payload_json part) is not JSON; not validated"),
            ))
        } else if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            Body::Text(text)
        } else {
            Body::Note(Report::single(
                Some(kind),
                Code::NoBody,
                "the HAR has no request body for this entry".into(),
            ))
        };
        push(HarPart::Request, Some(kind), body);
    }

    // The response body.
    let status = match entry.pointer("/response/status").map(|s| &s.value) {
        Some(Value::Number(n)) => n.parse::<u16>().unwrap_or(0),
        _ => 0,
    };
    if status == 204
        || (status < 400
            && matches!(
                op,
                HarOp::Invite {
                    target_users: true,
                    ..
                }
            )
            && method.eq_ignore_ascii_case("PUT"))
    {
        return true; // no content by design
    }
    let kind = har_kind(op, HarPart::Response, status);
    let text = str_at(entry, "/response/content/text");
    let encoding = str_at(entry, "/response/content/encoding");
    let mime = str_at(entry, "/response/content/mimeType").unwrap_or("");
    let body = match (status, kind, text) {
        (0, _, _) => Body::Note(Report::single(
            kind,
            Code::NoBody,
            "no response was recorded (the request failed or was cancelled)".into(),
        )),
        (_, None, _) => Body::Note(Report::single(
            None,
            Code::NotJson,
            format!(
                "the response is not JSON ({}); nothing to validate",
                if mime.is_empty() { "no schema" } else { mime }
            ),
        )),
        (_, Some(k), None) => Body::Note(Report::single(
            Some(k),
            Code::NoBody,
            "the HAR has no response body for this entry (devtools drops bodies it did not keep)"
                .into(),
        )),
        (_, Some(k), Some("")) => Body::Note(Report::single(
            Some(k),
            Code::NoBody,
            "the response body in the HAR is empty".into(),
        )),
        // An HTML error page from a proxy, say: not a Discord payload.
        (_, Some(k), Some(_)) if !mime.is_empty() && !mime.contains("json") => {
            Body::Note(Report::single(
                Some(k),
                Code::NotJson,
                format!("the response is {mime}, not JSON; not validated"),
            ))
        }
        (_, Some(_), Some(t)) if encoding == Some("base64") => Body::Base64(t),
        (_, Some(_), Some(t)) => Body::Text(t),
    };
    push(HarPart::Response, kind, body);
    true
}

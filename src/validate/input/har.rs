//! A HAR entry's invite payloads: which bodies an entry holds, for which kind, and the notes
//! for bodies that are missing or not JSON. The reader streams the `entries` array into
//! batches of entries as read; a batch's entries are parsed here, one at a time, by the first
//! call that needs its payloads, each body copied (or base64-decoded) straight into the
//! batch's payload buffer.

use base64::Engine as _;

use super::file::{fixed_item, positioned};
use super::{HarEntry, Item, Location};
use crate::validate::exchange::{self, Extra};
use crate::validate::kind::{har_kind, har_operation, HarOp, HarPart, Kind};
use crate::validate::position::{self, Node, Value};
use crate::validate::{Code, Finding, Origin, Report, Status};

/// A HAR batch's entries, parsed: their payloads and what they add up to.
#[derive(Debug)]
pub(super) struct Parsed {
    /// The payloads' bytes (bodies copied or base64-decoded).
    pub buf: Vec<u8>,
    /// The payloads, in entry order.
    pub items: Vec<Item>,
    /// Entries that are not invite endpoints.
    pub ignored: usize,
}

/// Parses the entries among `items` (their text in `raw`; other items, such as an entry too
/// large to read, are kept as they are), in order.
pub(super) fn parse_entries(raw: &[u8], items: &[Item]) -> Parsed {
    let mut out = Parsed {
        buf: Vec::with_capacity(raw.len()),
        items: Vec::with_capacity(items.len() + items.len() / 2),
        ignored: 0,
    };
    for item in items {
        let Some(index) = item.entry else {
            out.items.push(item.clone());
            continue;
        };
        let text = &raw[item.range.clone()];
        let Origin { line, column } = item.origin;
        match position::parse(text) {
            Ok(doc) => {
                if !entry_items(
                    &doc.root,
                    text,
                    item.origin,
                    index,
                    &mut out.buf,
                    &mut out.items,
                ) {
                    out.ignored += 1;
                }
            }
            Err(e) => {
                // A broken entry is reported where it breaks; the entries after it are read.
                let (l, c) = position::line_col(text, e.offset);
                let (l, c) = if l == 1 {
                    (line, column + c - 1)
                } else {
                    (line + l - 1, c)
                };
                let report = positioned(
                    Code::InvalidJson,
                    l,
                    c,
                    format!("HAR entry {index} is not JSON: {}", e.message),
                );
                out.items.push(fixed_item(Location::at_line(line), report));
            }
        }
    }
    out
}

fn str_at<'n>(node: &'n Node<'_>, pointer: &str) -> Option<&'n str> {
    match &node.pointer(pointer)?.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The entry's response status: `0` when there is none (HAR's "no response", as browsers
/// write a failed request). A number, or a number written as a string (`"200"`, as some
/// exporters write it); anything else is an `Err` with the value as written.
fn status_of(entry: &Node<'_>) -> Result<u16, String> {
    let Some(node) = entry.pointer("/response/status") else {
        return Ok(0);
    };
    let text = match &node.value {
        Value::Number(n) => n,
        Value::String(s) => s.trim(),
        Value::Null => return Ok(0),
        _ => return Err(node.type_name().to_owned()),
    };
    // `-1` is "unknown" in some exporters, as `0` is in browsers.
    match text {
        "-1" => Ok(0),
        t => t.parse::<u16>().map_err(|_| match &node.value {
            Value::String(s) => format!("\"{s}\""),
            _ => t.to_owned(),
        }),
    }
}

/// Base64 as exporters write it: with or without padding, in one line or wrapped MIME-style
/// (`\r\n` every 76 characters).
const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Decodes `text` into `buf`: line breaks and other ASCII white space are stepped over.
fn decode_base64(text: &str, buf: &mut Vec<u8>) -> Result<(), base64::DecodeError> {
    let text = text.trim();
    if !text.bytes().any(|b| b.is_ascii_whitespace()) {
        return BASE64.decode_vec(text, buf);
    }
    let joined: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    BASE64.decode_vec(joined, buf)
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

/// What the exchange adds to a record of one side, if anything.
fn extra(findings: Vec<Finding>, rejected: bool) -> Option<Box<Extra>> {
    (!findings.is_empty() || rejected).then(|| Box::new(Extra { findings, rejected }))
}

/// Appends entry `index` of a HAR's `log.entries` (parsed from `text`, whose first byte is at
/// `at` in the HAR file): its invite bodies go into `buf`, one item each into `items`, with
/// what the exchange checks say of each side (see `exchange`). `false` when the entry is not
/// an invite endpoint (counted as ignored).
pub(super) fn entry_items(
    entry: &Node<'_>,
    text: &[u8],
    at: Origin,
    index: usize,
    buf: &mut Vec<u8>,
    items: &mut Vec<Item>,
) -> bool {
    let line = at.line;
    let method = str_at(entry, "/request/method").unwrap_or("GET");
    let url = str_at(entry, "/request/url").unwrap_or("");
    let status_read = status_of(entry);
    let status = status_read.clone().unwrap_or(0);
    let op = har_operation(method, url);
    let exchange = exchange::check(entry, text, at, method, url, status);
    if op == HarOp::NotInvite && exchange.as_ref().is_none_or(|x| !x.undocumented) {
        return false;
    }
    let exchange = exchange.unwrap_or_default();
    let location = |part| Location {
        line: Some(line),
        index: None,
        har: Some(HarEntry {
            entry: index,
            part,
            method: method.to_owned(),
            url: url.to_owned(),
        }),
    };
    // A request without a body of its own, or of an operation the spec lacks: a record for
    // what the exchange says about it.
    let bare = |part, findings: Vec<Finding>, rejected: bool| Item {
        range: 0..0,
        location: location(part),
        origin: Origin::START,
        known: None,
        fixed: Some(Report {
            kind: None,
            schema: None,
            status: Status::Valid,
            findings: Vec::new(),
            omitted: Vec::new(),
        }),
        extra: extra(findings, rejected),
        entry: None,
    };
    if exchange.undocumented {
        items.push(bare(HarPart::Request, exchange.request, false));
        return true;
    }
    if har_kind(op, HarPart::Request, 0).is_none() && !exchange.request.is_empty() {
        items.push(bare(
            HarPart::Request,
            exchange.request.clone(),
            exchange.rejected,
        ));
    }
    let request_extra = extra(exchange.request.clone(), exchange.rejected);
    let response_extra = extra(exchange.response.clone(), false);
    let mut push = |part: HarPart, known: Option<Kind>, body: Body<'_>| {
        let location = location(part);
        let extra = match part {
            HarPart::Request => request_extra.clone(),
            HarPart::Response => response_extra.clone(),
        };
        let start = buf.len();
        let fixed = match body {
            Body::Text(text) => {
                buf.extend_from_slice(text.as_bytes());
                None
            }
            // Decoded straight into the batch's buffer: no copy of its own.
            Body::Base64(text) => match decode_base64(text, buf) {
                Ok(()) => None,
                Err(e) => {
                    buf.truncate(start);
                    Some(Report::single(
                        known,
                        Code::InvalidJson,
                        format!("the response body is marked base64 but does not decode: {e}"),
                    ))
                }
            },
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
            extra,
            entry: None,
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
        // No content by design; what the exchange says of the response still counts.
        if !exchange.response.is_empty() {
            items.push(bare(HarPart::Response, exchange.response, false));
        }
        return true;
    }
    let kind = har_kind(op, HarPart::Response, status);
    let text = str_at(entry, "/response/content/text");
    let encoding = str_at(entry, "/response/content/encoding");
    let mime = str_at(entry, "/response/content/mimeType").unwrap_or("");
    let body = match (status, kind, text) {
        (0, _, _) => Body::Note(Report::single(
            kind,
            Code::NoBody,
            match (&status_read, str_at(entry, "/response/_error")) {
                (Err(written), _) => format!(
                    "the response status is {written}, not an HTTP status code: no response to validate"
                ),
                // Browsers and mitmproxy say why in `_error` (`net::ERR_CONNECTION_REFUSED`).
                (Ok(_), Some(why)) if !why.is_empty() => {
                    format!("no response was recorded (the request failed: {why})")
                }
                _ => "no response was recorded (the request failed or was cancelled)".into(),
            },
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
            match str_at(entry, "/response/content/comment").filter(|c| !c.is_empty()) {
                // Firefox says so: "Response bodies are not included."
                Some(why) => format!(
                    "the HAR has no response body for this entry (the exporter's comment: {why})"
                ),
                None => "the HAR has no response body for this entry (devtools drops bodies it did not keep)"
                    .into(),
            },
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
        (_, Some(_), Some(t)) if encoding.is_some_and(|e| e.eq_ignore_ascii_case("base64")) => {
            Body::Base64(t)
        }
        // HAR 1.2 knows only base64 (and no encoding: the text as decoded).
        (_, Some(k), Some(_)) if encoding.is_some_and(|e| !e.is_empty()) => {
            Body::Note(Report::single(
                Some(k),
                Code::NotJson,
                format!(
                    "the response body's encoding is `{}`; only base64 (or none) is read: not validated",
                    encoding.unwrap_or_default()
                ),
            ))
        }
        (_, Some(_), Some(t)) => Body::Text(t),
    };
    push(HarPart::Response, kind, body);
    true
}

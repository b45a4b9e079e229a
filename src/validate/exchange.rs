//! Both sides of a HAR exchange: the request (path and query parameters, the headers the API
//! defines, the body's content type) against the spec's operation, and the response's status
//! and content type. The bodies themselves are payloads, validated as their kind.
//!
//! These findings are about the HAR entry, not a body: their pointer is into the entry
//! (`/request/queryString/0/value`, `/response/status`) and their line and column are in the
//! HAR file. As in Redocly's drift, request-side findings on a 4xx response are notes: the API
//! did its job when it refused a bad request.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use super::check::{is_snowflake, scalar_findings, Scalar};
use super::kind::strip_url;
use super::position::{self, Node, Value};
use super::spec::{ty, In, Operation, Segment, Spec};
use super::{place, Code, Finding, Origin, Report, Severity, Status};

/// `X-Audit-Log-Reason`, the one request header the API defines for invite operations (from
/// Discord's docs, in `schema/overlay.toml` `[[headers]]`; a test keeps the two in step):
/// percent-encoded UTF-8, 1 to 512 characters before encoding.
const AUDIT_LOG_REASON: &str = "x-audit-log-reason";
const AUDIT_LOG_REASON_CHARS: std::ops::RangeInclusive<usize> = 1..=512;
/// The operations that take it.
const AUDIT_LOG_REASON_OPERATIONS: &[&str] = &["create_channel_invite", "invite_revoke"];

/// What the exchange checks found for one HAR entry on an invite path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Exchange {
    /// Findings about the request (notes when the response is a 4xx).
    pub request: Vec<Finding>,
    /// Findings about the response.
    pub response: Vec<Finding>,
    /// The response is a 4xx.
    pub rejected: bool,
    /// No operation of the spec has this method on this path (`request` says so); the
    /// bodies have no kind.
    pub undocumented: bool,
}

/// Findings that an exchange adds to one of its bodies' reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Extra {
    pub findings: Vec<Finding>,
    /// Request-side findings of a 4xx exchange: the body's own findings become notes too.
    pub rejected: bool,
}

/// The spec's operations on `url`'s path (after `/api` and `/api/vN`), with the method's if
/// it has one. `None` when the path is no invite path of the spec.
pub(crate) fn operations<'s>(
    spec: &'s Spec,
    method: &str,
    url: &str,
) -> Option<(Vec<&'s Operation>, Option<&'s Operation>)> {
    let segments = path_segments(url);
    let refs: Vec<&str> = segments.iter().map(|s| s.as_ref()).collect();
    let ranked: Vec<(usize, &Operation)> = spec
        .operations
        .iter()
        .filter_map(|op| op.matches(&refs).map(|rank| (rank, op)))
        .collect();
    let best = ranked.iter().map(|(r, _)| *r).max()?;
    let on_path: Vec<&Operation> = ranked
        .iter()
        .filter(|(r, _)| *r == best)
        .map(|(_, op)| *op)
        .collect();
    let this = on_path
        .iter()
        .copied()
        .find(|op| op.method.eq_ignore_ascii_case(method));
    Some((on_path, this))
}

/// The decoded segments of a URL's path, after `/api` and `/api/vN`.
fn path_segments(url: &str) -> Vec<Cow<'_, str>> {
    strip_url(url)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy())
        .collect()
}

/// Checks the HAR entry `entry` (its offsets index `text`, whose first byte is at `origin` in
/// the HAR file). `None` when its path is no invite path of the spec.
pub(crate) fn check(
    entry: &Node<'_>,
    text: &[u8],
    origin: Origin,
    method: &str,
    url: &str,
    status: u16,
) -> Option<Exchange> {
    let spec = Spec::get();
    let (on_path, op) = operations(spec, method, url)?;
    let rejected = (400..500).contains(&status);
    let mut out = Exchange {
        rejected,
        ..Exchange::default()
    };
    let mut request = Sink::new(entry, text, origin, rejected);
    let Some(op) = op else {
        let methods: Vec<&str> = on_path.iter().map(|o| o.method.as_str()).collect();
        let path = on_path.first().map_or("", |o| o.path.as_str());
        request.push(
            Code::UndocumentedOperation,
            "/request/method",
            format!(
                "{} {path} is not an operation of the spec (it has {} there); not validated",
                method.to_ascii_uppercase(),
                methods.join(", ")
            ),
        );
        out.request = request.out;
        out.undocumented = true;
        return Some(out);
    };
    check_path(&mut request, op, url);
    check_query(&mut request, spec, op, entry, url);
    check_headers(&mut request, op, entry);
    check_request_type(&mut request, op, entry);
    out.request = request.out;
    let mut response = Sink::new(entry, text, origin, false);
    check_response(&mut response, op, entry, status);
    out.response = response.out;
    Some(out)
}

/// Collects findings with their place in the HAR file.
struct Sink<'e, 'a> {
    entry: &'e Node<'a>,
    text: &'e [u8],
    origin: Origin,
    severity: Severity,
    out: Vec<Finding>,
}

impl<'e, 'a> Sink<'e, 'a> {
    fn new(entry: &'e Node<'a>, text: &'e [u8], origin: Origin, rejected: bool) -> Self {
        Sink {
            entry,
            text,
            origin,
            severity: if rejected {
                Severity::Note
            } else {
                Severity::Warning
            },
            out: Vec::new(),
        }
    }

    /// A finding at `pointer` in the entry (at the entry itself when there is no such node).
    fn push(&mut self, code: Code, pointer: &str, message: String) {
        let at = self
            .entry
            .pointer(pointer)
            .map_or(self.entry.start, |n| n.start);
        let from = self.entry.start.min(self.text.len());
        let (l, c) = position::line_col(&self.text[from..], at.saturating_sub(from));
        let (el, ec) = position::line_col(self.text, from);
        let (el, ec) = place(self.origin, el, ec);
        let (line, column) = place(
            Origin {
                line: el,
                column: ec,
            },
            l,
            c,
        );
        self.out
            .push(Finding::new(self.severity, code, pointer, &message).at(line, column));
    }
}

fn str_at<'n>(node: &'n Node<'_>, pointer: &str) -> Option<&'n str> {
    match &node.pointer(pointer)?.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// `name`/`value` pairs of a HAR array (`headers`, `queryString`), with their indices.
fn pairs<'n>(entry: &'n Node<'_>, pointer: &str) -> Option<Vec<(usize, &'n str, &'n str)>> {
    let Value::Array(items) = &entry.pointer(pointer)?.value else {
        return None;
    };
    Some(
        items
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, str_at(p, "/name")?, str_at(p, "/value")?)))
            .collect(),
    )
}

fn check_path(sink: &mut Sink<'_, '_>, op: &Operation, url: &str) {
    let segments = path_segments(url);
    for (t, value) in op.segments.iter().zip(&segments) {
        let Segment::Param(name) = t else {
            continue;
        };
        let problem = if name == "code" {
            // Invite codes: what Discord issues and the SDK accepts.
            (!crate::ext::url::is_valid_code(value)).then(|| {
                "is not an invite code (1 to 64 characters of A-Z, a-z, 0-9 and -)".to_owned()
            })
        } else {
            op.params
                .iter()
                .find(|p| p.at == In::Path && p.name == *name)
                .and_then(|p| value_problem(Spec::get(), p.schema, value))
        };
        if let Some(problem) = problem {
            sink.push(
                Code::InvalidParameter,
                "/request/url",
                format!(
                    "path parameter `{name}` of {} {} ({}): `{value}` {problem}",
                    op.method, op.path, op.id
                ),
            );
        }
    }
}

fn check_query(sink: &mut Sink<'_, '_>, spec: &Spec, op: &Operation, entry: &Node<'_>, url: &str) {
    // The HAR's own list (devtools, mitmproxy, Charles and Fiddler write one), else the URL's.
    let listed = pairs(entry, "/request/queryString");
    let from_url;
    let params: Vec<(String, Cow<'_, str>, Cow<'_, str>)> = match &listed {
        Some(list) => list
            .iter()
            .map(|(i, n, v)| {
                (
                    format!("/request/queryString/{i}/value"),
                    Cow::Borrowed(*n),
                    Cow::Borrowed(*v),
                )
            })
            .collect(),
        None => {
            from_url = url
                .split_once('?')
                .map(|(_, q)| q.split('#').next().unwrap_or(""))
                .unwrap_or("");
            from_url
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (n, v) = p.split_once('=').unwrap_or((p, ""));
                    ("/request/url".to_owned(), form_decode(n), form_decode(v))
                })
                .collect()
        }
    };
    for (pointer, name, value) in params {
        let known = op
            .params
            .iter()
            .find(|p| p.at == In::Query && p.name == name);
        match known {
            None => {
                let names: Vec<&str> = op
                    .params
                    .iter()
                    .filter(|p| p.at == In::Query)
                    .map(|p| p.name.as_str())
                    .collect();
                let takes = if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                };
                let pointer = pointer.replace("/value", "/name");
                sink.push(
                    Code::UnknownParameter,
                    &pointer,
                    format!(
                        "`{name}` is not a query parameter of {} {} ({}; it takes {takes})",
                        op.method, op.path, op.id
                    ),
                );
            }
            Some(p) => {
                if let Some(problem) = value_problem(spec, p.schema, &value) {
                    sink.push(
                        Code::InvalidParameter,
                        &pointer,
                        format!(
                            "query parameter `{name}` of {} {} ({}): `{value}` {problem}",
                            op.method, op.path, op.id
                        ),
                    );
                }
            }
        }
    }
}

/// `application/x-www-form-urlencoded` decoding of a query's name or value.
fn form_decode(s: &str) -> Cow<'_, str> {
    if !s.contains(['+', '%']) {
        return Cow::Borrowed(s);
    }
    let spaced = s.replace('+', " ");
    Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned())
}

/// What is wrong with a parameter's text as a value of schema `id` (`None`: nothing).
fn value_problem(spec: &Spec, id: usize, raw: &str) -> Option<String> {
    let s = spec.schema(id);
    let scalar = if s.types & ty::STRING != 0 {
        Scalar::Str(raw)
    } else if s.types & ty::BOOLEAN != 0 {
        return (!matches!(raw, "true" | "false"))
            .then(|| "is not a boolean (true or false)".to_owned());
    } else if s.types & (ty::INTEGER | ty::NUMBER) != 0 {
        let number = raw.parse::<f64>().is_ok_and(f64::is_finite)
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
        let integer = raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') && !raw.is_empty();
        if !number || (s.types & ty::NUMBER == 0 && !integer) {
            return Some(format!(
                "is not {}",
                if s.types & ty::NUMBER == 0 {
                    "an integer"
                } else {
                    "a number"
                }
            ));
        }
        Scalar::Number(raw)
    } else {
        return None;
    };
    if let (Scalar::Str(text), Some(super::spec::Format::Snowflake)) = (scalar, s.format) {
        if !is_snowflake(text) {
            return Some("is not a snowflake (decimal digits, no leading zero)".to_owned());
        }
        return None;
    }
    let mut problem = None;
    scalar_findings(s, scalar, &mut |_, message| {
        if problem.is_none() {
            problem = Some(message.into_string());
        }
    });
    problem.map(|m| format!("— {m}"))
}

fn check_headers(sink: &mut Sink<'_, '_>, op: &Operation, entry: &Node<'_>) {
    let Some(headers) = pairs(entry, "/request/headers") else {
        return;
    };
    for (i, name, value) in headers {
        if !name.eq_ignore_ascii_case(AUDIT_LOG_REASON) {
            continue;
        }
        let pointer = format!("/request/headers/{i}/value");
        let takes = AUDIT_LOG_REASON_OPERATIONS.contains(&op.id.as_str());
        let problem = audit_log_reason_problem(value);
        match (problem, takes) {
            (Some(problem), _) => sink.push(
                Code::InvalidHeader,
                &pointer,
                format!("X-Audit-Log-Reason {problem}"),
            ),
            (None, false) => sink.push(
                Code::InvalidHeader,
                &pointer.replace("/value", "/name"),
                format!(
                    "X-Audit-Log-Reason on {} ({}), which writes no audit log entry (only {} take it)",
                    op.path,
                    op.id,
                    AUDIT_LOG_REASON_OPERATIONS.join(" and ")
                ),
            ),
            (None, true) => {}
        }
    }
}

/// What is wrong with an `X-Audit-Log-Reason` value as sent (`None`: nothing).
pub(crate) fn audit_log_reason_problem(value: &str) -> Option<String> {
    if let Some(c) = value
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_control())
    {
        return Some(format!(
            "must be percent-encoded UTF-8; `{}` is sent as is",
            c.escape_debug()
        ));
    }
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Some(format!(
                "has a `%` at character {} that starts no percent-escape (%XX)",
                i + 1
            ));
        }
    }
    let decoded = match percent_decode_str(value).decode_utf8() {
        Ok(d) => d,
        Err(_) => return Some("decodes to bytes that are not UTF-8".to_owned()),
    };
    let n = decoded.chars().count();
    (!AUDIT_LOG_REASON_CHARS.contains(&n)).then(|| {
        format!(
            "is {n} characters long once decoded; Discord takes {} to {}",
            AUDIT_LOG_REASON_CHARS.start(),
            AUDIT_LOG_REASON_CHARS.end()
        )
    })
}

/// The media type of a `Content-Type` or HAR `mimeType`, lower case, without parameters.
fn media_type(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn check_request_type(sink: &mut Sink<'_, '_>, op: &Operation, entry: &Node<'_>) {
    let Some(mime) = str_at(entry, "/request/postData/mimeType") else {
        return;
    };
    let media = media_type(mime);
    if op.request_types.is_empty() || media.is_empty() || op.request_types.contains(&media) {
        return;
    }
    sink.push(
        Code::UnexpectedContentType,
        "/request/postData/mimeType",
        format!(
            "the request body is {media}; {} ({}) takes {}",
            op.path,
            op.id,
            op.request_types.join(", ")
        ),
    );
}

fn check_response(sink: &mut Sink<'_, '_>, op: &Operation, entry: &Node<'_>, status: u16) {
    if status == 0 {
        return; // nothing recorded
    }
    let Some(types) = op.answers(status) else {
        let listed: Vec<&str> = op.responses.iter().map(|(s, _)| s.as_str()).collect();
        sink.push(
            Code::UnexpectedStatus,
            "/response/status",
            format!(
                "{} {} ({}) does not answer {status} in the spec (it lists {})",
                op.method,
                op.path,
                op.id,
                listed.join(", ")
            ),
        );
        return;
    };
    let media = str_at(entry, "/response/content/mimeType").map(media_type);
    match media {
        Some(media) if !types.is_empty() && !media.is_empty() && !types.contains(&media) => {
            sink.push(
                Code::UnexpectedContentType,
                "/response/content/mimeType",
                format!(
                    "the response is {media}; {} ({}) answers {status} with {}; not validated",
                    op.path,
                    op.id,
                    types.join(", ")
                ),
            );
        }
        _ => {}
    }
}

/// Adds an exchange's findings to the report of one of its bodies (or of a request without
/// one): they come first (the request line and headers, the status and content type, precede
/// the body in a HAR); on a 4xx, the request's own findings become notes. An
/// `unexpected-content-type` finding replaces the `not-json` note it explains.
pub(crate) fn apply(report: &mut Report, extra: &Extra) {
    let replaced = extra
        .findings
        .iter()
        .any(|f| f.code == Code::UnexpectedContentType)
        && report.findings.iter().any(|f| f.code == Code::NotJson);
    if replaced {
        report.findings.retain(|f| f.code != Code::NotJson);
    }
    let mut findings = extra.findings.clone();
    findings.append(&mut report.findings);
    if extra.rejected {
        for f in &mut findings {
            f.severity = Severity::Note;
        }
        for o in &mut report.omitted {
            o.severity = Severity::Note;
        }
    }
    report.findings = findings;
    report.status = match super::worst(&report.findings, &report.omitted) {
        Some(Severity::Error) => Status::Error,
        Some(Severity::Warning) => Status::Warning,
        _ if report.status == Status::Skipped && !replaced => Status::Skipped,
        _ => Status::Valid,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_reason_rules_are_the_overlays() {
        let overlay = include_str!("../../schema/overlay.toml");
        let block = overlay
            .split("[[headers]]")
            .nth(1)
            .and_then(|b| b.split("\n[").next())
            .unwrap_or_default();
        assert!(block.contains("name = \"X-Audit-Log-Reason\""), "{block}");
        let ops: Vec<String> = AUDIT_LOG_REASON_OPERATIONS
            .iter()
            .map(|o| format!("\"{o}\""))
            .collect();
        assert!(
            block.contains(&format!("operations = [{}]", ops.join(", "))),
            "{block}"
        );
        assert!(block.contains(&format!("min_length = {}", AUDIT_LOG_REASON_CHARS.start())));
        assert!(block.contains(&format!("max_length = {}", AUDIT_LOG_REASON_CHARS.end())));
    }

    #[test]
    fn audit_log_reasons() {
        assert_eq!(audit_log_reason_problem("weekly%20event"), None);
        assert_eq!(audit_log_reason_problem("caf%C3%A9 raid cleanup"), None);
        assert!(audit_log_reason_problem("café").is_some());
        assert!(audit_log_reason_problem("100%").is_some());
        assert!(audit_log_reason_problem("%FF").is_some());
        assert!(audit_log_reason_problem("").is_some());
        assert!(audit_log_reason_problem(&"a".repeat(513)).is_some());
        assert_eq!(audit_log_reason_problem(&"%C3%A9".repeat(512)), None);
    }

    #[test]
    fn operations_come_from_the_spec() {
        let spec = Spec::get();
        let (on_path, op) =
            operations(spec, "get", "https://discord.com/api/v10/invites/abc?x=1").unwrap();
        assert_eq!(op.map(|o| o.id.as_str()), Some("invite_resolve"));
        assert_eq!(on_path.len(), 2, "GET and DELETE");
        let (_, op) = operations(spec, "POST", "/api/lobbies/1/members/@me/invites").unwrap();
        assert_eq!(
            op.map(|o| o.id.as_str()),
            Some("create_linked_lobby_guild_invite_for_self")
        );
        let (_, op) = operations(spec, "PATCH", "/api/v9/invites/abc").unwrap();
        assert!(op.is_none());
        assert!(operations(spec, "GET", "/api/v10/users/@me").is_none());
        let op = operations(spec, "GET", "/api/invites/abc")
            .unwrap()
            .1
            .unwrap();
        assert!(op.answers(200).is_some() && op.answers(404).is_some());
        assert!(op.answers(500).is_none() && op.answers(201).is_none());
    }
}

//! One request, described before it is sent: method, route, query, headers, body.
//!
//! The generated endpoint builders fill a [`RequestSpec`]; the client turns it into HTTP.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

use super::error::Error;
use super::ratelimit::RouteKey;

/// Everything but `A-Z a-z 0-9 - _` is encoded in a path segment, so no value can add a `/`,
/// `?`, `#`, `%` or dot segment to the path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// RFC 3986 unreserved characters stay; everything else (spaces, `%`, CR/LF, non-ASCII as
/// UTF-8) is percent-encoded. Used for query values and the audit-log reason.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Whether the endpoint needs the client's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Auth {
    /// Send the token; fail before sending when the client has none.
    Required,
    /// Send the token when the client has one (e.g. `GET /invites/{code}`).
    Optional,
}

/// One part of a multipart body. Kept as plain data so a retry can rebuild the form.
#[derive(Debug, Clone)]
#[doc(hidden)]
pub struct Part {
    pub(crate) name: &'static str,
    pub(crate) file_name: Option<&'static str>,
    pub(crate) content_type: &'static str,
    pub(crate) data: Vec<u8>,
}

impl Part {
    /// A `payload_json` part holding the JSON body.
    pub fn payload_json(json: Vec<u8>) -> Self {
        Part {
            name: "payload_json",
            file_name: None,
            content_type: "application/json",
            data: json,
        }
    }

    /// A CSV file part.
    pub fn csv_file(name: &'static str, data: Vec<u8>) -> Self {
        Part {
            name,
            file_name: Some("target_users.csv"),
            content_type: "text/csv",
            data,
        }
    }
}

/// A request body.
#[derive(Debug, Clone, Default)]
#[doc(hidden)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// `application/json`.
    Json(Vec<u8>),
    /// `multipart/form-data`.
    Multipart(Vec<Part>),
}

/// A request before it is sent. Built by the generated endpoint code; not a stable API.
#[derive(Debug, Clone)]
#[doc(hidden)]
pub struct RequestSpec {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    pub(crate) path: String,
    pub(crate) major: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Body,
    pub(crate) auth: Auth,
}

impl RequestSpec {
    /// Starts a request for `template` (e.g. `/invites/{code}`); every `{name}` must then be
    /// filled with [`RequestSpec::path_param`].
    pub fn new(method: Method, template: &'static str, auth: Auth) -> Self {
        RequestSpec {
            method,
            template,
            path: template.to_owned(),
            major: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            auth,
        }
    }

    /// Fills `{name}` with the percent-encoded `value`. `channel_id` and `guild_id` are
    /// Discord's "major" parameters and also select the rate-limit bucket.
    pub fn path_param(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        if value.is_empty() {
            return Err(Error::invalid_argument(name, "must not be empty"));
        }
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            return Err(Error::Config(format!(
                "route {} has no parameter `{name}`",
                self.template
            )));
        }
        let encoded = utf8_percent_encode(value, SEGMENT).to_string();
        self.path = self.path.replacen(&placeholder, &encoded, 1);
        if matches!(name, "channel_id" | "guild_id") {
            self.major = encoded;
        }
        Ok(())
    }

    /// Adds `name=value` to the query string (encoded when sent).
    pub fn query(&mut self, name: &'static str, value: Option<String>) {
        if let Some(v) = value {
            self.query.push((name, v));
        }
    }

    /// Adds a header; the value is percent-encoded, so it can never carry CR or LF.
    pub fn encoded_header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        let encoded = utf8_percent_encode(value, COMPONENT).to_string();
        let value = HeaderValue::from_str(&encoded)
            .map_err(|_| Error::invalid_argument(name, "is not a valid header value"))?;
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a header name")))?;
        self.headers.push((name, value));
        Ok(())
    }

    /// Sets the body.
    pub fn body(&mut self, body: Body) {
        self.body = body;
    }

    /// The encoded path, e.g. `/invites/abc`.
    #[cfg(test)]
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn route_key(&self) -> RouteKey {
        RouteKey {
            route: format!("{} {}", self.method, self.template),
            major: self.major.clone(),
        }
    }

    pub(crate) fn check_complete(&self) -> Result<(), Error> {
        if self.path.contains('{') {
            return Err(Error::Config(format!(
                "route {} has an unfilled parameter",
                self.template
            )));
        }
        Ok(())
    }
}

/// Encodes a JSON body.
pub(crate) fn to_json<T: serde::Serialize>(body: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(|e| Error::invalid_argument("body", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_change_the_path() {
        for hostile in ["../users/@me", "a/b", "a?b=1", "a#b", "%2e%2e", "a\r\nX: y"] {
            let mut spec = RequestSpec::new(Method::GET, "/invites/{code}", Auth::Optional);
            spec.path_param("code", hostile).unwrap();
            let rest = spec.path().strip_prefix("/invites/").unwrap();
            assert!(!rest.contains(['/', '?', '#', '.', '\r', '\n']), "{rest}");
        }
    }

    #[test]
    fn header_values_are_encoded() {
        let mut spec = RequestSpec::new(Method::DELETE, "/invites/{code}", Auth::Required);
        spec.encoded_header("x-audit-log-reason", "spam\r\nX-Evil: 1 ü")
            .unwrap();
        assert_eq!(
            spec.headers[0].1.to_str().unwrap(),
            "spam%0D%0AX-Evil%3A%201%20%C3%BC"
        );
    }
}

//! The client's one error type.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::ratelimit::RateLimitInfo;
use crate::DecodeError;

/// What went wrong, for matching without caring about the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The connection failed (DNS, TLS, reset, refused redirect…).
    Transport,
    /// The request did not finish within the configured timeout.
    Timeout,
    /// Discord answered with an error status; see [`DiscordError`].
    Api,
    /// Discord kept answering 429, or the required wait was longer than the client may wait.
    RateLimited,
    /// The response body does not match the model (or is not the expected CSV).
    Decode,
    /// The response body is larger than the configured cap.
    ResponseTooLarge,
    /// A request argument is out of range or malformed; nothing was sent.
    InvalidArgument,
    /// The client configuration is unusable (base URL, User-Agent, missing token…).
    Config,
}

/// A failure of the HTTP client. The token never appears in any of it.
///
/// ```
/// use discord_invite::client::{Client, ErrorKind};
/// # async fn run() {
/// let client = Client::builder().build().unwrap();
/// let err = client.invite_resolve("../../users/@me").send().await.unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidArgument); // nothing was sent
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The connection failed. `Display` names the innermost cause (refused, reset, DNS, TLS,
    /// a malformed answer) on one line.
    Transport(reqwest::Error),
    /// The request timed out.
    Timeout,
    /// Discord answered with an error status.
    Api(Box<DiscordError>),
    /// Rate limited beyond the retry budget or the longest allowed wait.
    RateLimited(RateLimitExhausted),
    /// The response body did not decode.
    Decode(Box<ResponseDecodeError>),
    /// The response body exceeded the cap (in bytes).
    ResponseTooLarge {
        /// The configured cap in bytes.
        limit: usize,
    },
    /// A request argument was rejected before sending.
    InvalidArgument {
        /// The argument's name, as in the API (`max_age`, `code`, `X-Audit-Log-Reason`…).
        argument: &'static str,
        /// What is allowed.
        reason: String,
    },
    /// The client configuration is unusable.
    Config(String),
}

impl Error {
    /// The class of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Transport(_) => ErrorKind::Transport,
            Error::Timeout => ErrorKind::Timeout,
            Error::Api(_) => ErrorKind::Api,
            Error::RateLimited(_) => ErrorKind::RateLimited,
            Error::Decode(_) => ErrorKind::Decode,
            Error::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::Config(_) => ErrorKind::Config,
        }
    }

    /// Discord's error answer, if this is [`ErrorKind::Api`].
    pub fn api(&self) -> Option<&DiscordError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Discord's numeric error code, if Discord sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.api().and_then(DiscordError::code)
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::RateLimited(_) => Some(429),
            _ => None,
        }
    }

    pub(crate) fn invalid_argument(argument: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            argument,
            reason: reason.into(),
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Error::Timeout
        } else {
            // Drop the URL: it is ours anyway, and keeps error text short.
            Error::Transport(e.without_url())
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => super::error_text::transport(f, e),
            Error::Timeout => f.write_str("the request timed out"),
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::RateLimited(e) => fmt::Display::fmt(e, f),
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::ResponseTooLarge { limit } => {
                write!(f, "the response body is larger than the {limit}-byte cap")
            }
            Error::InvalidArgument { argument, reason } => {
                write!(f, "invalid argument `{argument}`: {reason}")
            }
            Error::Config(msg) => write!(f, "invalid client configuration: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode(e) => match &e.source {
                DecodeSource::Json(j) => Some(j),
                DecodeSource::Csv { .. } => None,
            },
            _ => None,
        }
    }
}

/// Discord's numeric JSON error code (`code` in an error body).
///
/// Named constants cover the codes the invite endpoints answer with; any other value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(pub u32);

impl ErrorCode {
    /// 0: a general error (Discord gives no specific code).
    pub const GENERAL: ErrorCode = ErrorCode(0);
    /// 10003: Unknown Channel.
    pub const UNKNOWN_CHANNEL: ErrorCode = ErrorCode(10003);
    /// 10004: Unknown Guild.
    pub const UNKNOWN_GUILD: ErrorCode = ErrorCode(10004);
    /// 10006: Unknown Invite.
    pub const UNKNOWN_INVITE: ErrorCode = ErrorCode(10006);
    /// 10013: Unknown User.
    pub const UNKNOWN_USER: ErrorCode = ErrorCode(10013);
    /// 10070: Unknown Guild Scheduled Event.
    pub const UNKNOWN_GUILD_SCHEDULED_EVENT: ErrorCode = ErrorCode(10070);
    /// 30016: Maximum number of invites reached (1000).
    pub const MAX_INVITES: ErrorCode = ErrorCode(30016);
    /// 40001: Unauthorized (a token is needed).
    pub const UNAUTHORIZED: ErrorCode = ErrorCode(40001);
    /// 40007: The user is banned from this guild.
    pub const USER_BANNED: ErrorCode = ErrorCode(40007);
    /// 50001: Missing Access.
    pub const MISSING_ACCESS: ErrorCode = ErrorCode(50001);
    /// 50013: Missing Permissions.
    pub const MISSING_PERMISSIONS: ErrorCode = ErrorCode(50013);
    /// 50020: Invalid invite code (vanity URL taken or invalid).
    pub const INVALID_INVITE_CODE: ErrorCode = ErrorCode(50020);
    /// 50024: Cannot execute action on this channel type.
    pub const INVALID_CHANNEL_TYPE: ErrorCode = ErrorCode(50024);
    /// 50035: Invalid Form Body (details in [`DiscordError::errors`]).
    pub const INVALID_FORM_BODY: ErrorCode = ErrorCode(50035);

    /// The raw number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// An error answer from Discord: the HTTP status and the decoded JSON error body.
///
/// `Debug` prints the body as text (see [`body`](Self::body) for the bytes).
#[derive(Clone)]
pub struct DiscordError {
    pub(crate) status: u16,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) message: String,
    pub(crate) errors: Option<Value>,
    pub(crate) body: Vec<u8>,
    pub(crate) rate_limit: Option<RateLimitInfo>,
}

impl DiscordError {
    /// Builds the error from a non-success answer; a body that is not Discord's error JSON is
    /// kept raw, with an empty message and no code.
    pub(crate) fn from_response(
        status: u16,
        body: Vec<u8>,
        rate_limit: Option<RateLimitInfo>,
    ) -> Self {
        let parsed: Option<Value> = serde_json::from_slice(&body).ok();
        let obj = parsed.as_ref().and_then(Value::as_object);
        let code = obj
            .and_then(|o| o.get("code"))
            .and_then(Value::as_u64)
            .and_then(|c| u32::try_from(c).ok())
            .map(ErrorCode);
        let message = obj
            .and_then(|o| o.get("message"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        // Discord nests field errors under `errors`; some endpoints (target users) send the
        // field map at the top level instead. Keep whichever is there.
        let errors = match obj {
            Some(o) => match o.get("errors") {
                Some(e) => Some(e.clone()),
                None if code.is_none() && !o.is_empty() => parsed.clone(),
                None => None,
            },
            None => None,
        };
        DiscordError {
            status,
            code,
            message,
            errors,
            body,
            rate_limit,
        }
    }

    /// The HTTP status (4xx or 5xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Discord's numeric code, when the body had one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.code
    }

    /// Discord's human-readable message (empty when the body had none).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The nested per-field `errors` tree, kept as JSON (for 50035 Invalid Form Body).
    pub fn errors(&self) -> Option<&Value> {
        self.errors.as_ref()
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> Option<&RateLimitInfo> {
        self.rate_limit.as_ref()
    }
}

impl fmt::Display for DiscordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Discord answered HTTP {}", self.status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// Rate limited beyond what the client may wait or retry.
#[derive(Debug, Clone)]
pub struct RateLimitExhausted {
    pub(crate) retry_after: Duration,
    pub(crate) global: bool,
    pub(crate) bucket: Option<String>,
}

impl RateLimitExhausted {
    /// How long Discord (or the local bucket) asks to wait.
    pub fn retry_after(&self) -> Duration {
        self.retry_after
    }

    /// Whether the global rate limit was hit.
    pub fn global(&self) -> bool {
        self.global
    }

    /// The bucket id, when known.
    pub fn bucket(&self) -> Option<&str> {
        self.bucket.as_deref()
    }
}

impl fmt::Display for RateLimitExhausted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = if self.global { "global" } else { "route" };
        write!(
            f,
            "rate limited ({scope}); retry after {:.3}s",
            self.retry_after.as_secs_f64()
        )
    }
}

/// A response body that does not decode as the expected model.
///
/// `Debug` prints the body as text (see [`body`](Self::body) for the bytes).
#[derive(Clone)]
pub struct ResponseDecodeError {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) source: DecodeSource,
}

#[derive(Debug, Clone)]
pub(crate) enum DecodeSource {
    Json(DecodeError),
    Csv { line: usize, message: String },
}

impl ResponseDecodeError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The raw body that failed to decode.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Where in the JSON the failure is (RFC 6901 pointer, empty for the whole document or for
    /// CSV bodies).
    pub fn pointer(&self) -> &str {
        match &self.source {
            DecodeSource::Json(e) => e.pointer(),
            DecodeSource::Csv { .. } => "",
        }
    }

    /// The 1-based line of the failure.
    pub fn line(&self) -> Option<usize> {
        match &self.source {
            DecodeSource::Json(e) => e.line(),
            DecodeSource::Csv { line, .. } => Some(*line),
        }
    }

    /// The JSON decode error, for JSON bodies.
    pub fn json_error(&self) -> Option<&DecodeError> {
        match &self.source {
            DecodeSource::Json(e) => Some(e),
            DecodeSource::Csv { .. } => None,
        }
    }

    /// The reason, without the position.
    pub fn message(&self) -> &str {
        match &self.source {
            DecodeSource::Json(e) => e.message(),
            DecodeSource::Csv { message, .. } => message,
        }
    }
}

impl fmt::Display for ResponseDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            DecodeSource::Json(e) => write!(f, "cannot decode the HTTP {} body: {e}", self.status),
            DecodeSource::Csv { line, message } => write!(
                f,
                "cannot read the target-users CSV (HTTP {}): line {line}: {message}",
                self.status
            ),
        }
    }
}

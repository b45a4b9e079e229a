//! The async HTTP client (feature `http`, on by default).
//!
//! One method per operation of `schema/openapi.json`, generated into [`endpoints`]; each
//! returns a request builder whose `send()` checks the arguments, waits for the rate limit,
//! sends, retries within a budget and decodes the answer into the models.
//!
//! ```no_run
//! use discord_invite::client::{Client, Token};
//!
//! # async fn run() -> Result<(), discord_invite::client::Error> {
//! let client = Client::builder()
//!     .token(Token::bot(std::env::var("DISCORD_TOKEN").unwrap_or_default())?)
//!     .build()?;
//! let invite = client.invite_resolve("discord-developers").with_counts(true).send().await?;
//! println!("{}", invite.link());
//! # Ok(())
//! # }
//! ```
//!
//! Safety rails: HTTPS only unless [`ClientBuilder::allow_insecure_http`]; redirects are never
//! followed (so the `Authorization` header never goes to another host); path parameters are
//! percent-encoded and invite codes checked ([`args::invite_code`]); header values are
//! percent-encoded (no CR/LF); bodies are capped ([`ClientBuilder::max_response_bytes`]); the
//! token is never printed. Decisions where Discord's spec and docs disagree: `docs/CLIENT.md`.

use std::sync::Arc;
use std::time::Duration;

use crate::__private::Decode;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Url;

pub mod args;
mod auth;
mod csv;
pub mod endpoints;
mod error;
mod error_text;
// Built on a model the schema defines; see build.rs for why it is gated.
#[cfg(generated_model = "TargetUsersJobStatus")]
mod jobs;
mod ratelimit;
mod request;
mod retry;
mod send;

pub use auth::{Scheme, Token, MAX_TOKEN_LEN};
pub use csv::{FileProblem, TargetUsers, TargetUsersFileError, MAX_TARGET_USERS_FILE_BYTES};
pub use error::{
    DiscordError, Error, ErrorCode, ErrorKind, RateLimitExhausted, ResponseDecodeError,
};
#[cfg(generated_model = "TargetUsersJobStatus")]
pub use jobs::WaitForTargetUsersJob;
pub use ratelimit::{RateLimitInfo, DEFAULT_GLOBAL_PER_SECOND, MAX_SERVER_WAIT};

use error::DecodeSource;
use ratelimit::{GlobalLimiter, RateLimiter};
use request::{Auth, Body, RequestSpec};

/// Discord's API root for version 10.
pub const DEFAULT_BASE_URL: &str = "https://discord.com/api/v10";

/// The default `User-Agent`, in the form Discord asks bots to use.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "DiscordBot (",
    env!("CARGO_PKG_REPOSITORY"),
    ", ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// A decoded answer with its HTTP status and rate-limit headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    rate_limit: Option<RateLimitInfo>,
    model: T,
}

impl<T> Response<T> {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `X-RateLimit-*` headers, when Discord sent them.
    pub fn rate_limit(&self) -> Option<&RateLimitInfo> {
        self.rate_limit.as_ref()
    }

    /// The decoded body.
    pub fn model(&self) -> &T {
        &self.model
    }

    /// The decoded body, by value.
    pub fn into_model(self) -> T {
        self.model
    }
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use discord_invite::client::{Client, Token};
/// let client = Client::builder()
///     .token(Token::bot("secret").unwrap())
///     .timeout(Duration::from_secs(10))
///     .max_retries(2)
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("secret"));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    token: Option<Token>,
    base_url: String,
    allow_http: bool,
    timeout: Duration,
    max_retries: u32,
    max_rate_limit_wait: Duration,
    retry_base_delay: Duration,
    user_agent: String,
    max_response_bytes: usize,
    global_per_second: u32,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            token: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            allow_http: false,
            timeout: Duration::from_secs(30),
            max_retries: 3,
            max_rate_limit_wait: Duration::from_secs(60),
            retry_base_delay: Duration::from_millis(500),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_response_bytes: 8 * 1024 * 1024,
            global_per_second: DEFAULT_GLOBAL_PER_SECOND,
        }
    }
}

impl ClientBuilder {
    /// The token sent in `Authorization`. Without one, only `GET /invites/{code}` works.
    pub fn token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// The API root; default [`DEFAULT_BASE_URL`]. Must be `https://` unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Allows a plain `http://` base URL (for local mock servers in tests). Off by default.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// The most one call may take, from `send()` to the decoded answer: time queued for rate
    /// limits, every attempt, the backoff between retries and reading the body; default 30 s.
    /// When it passes the call ends with [`ErrorKind::Timeout`]; a rate-limit wait known to
    /// end after it fails at once with [`ErrorKind::RateLimited`], nothing sent.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a call is retried in all; default 3. What is retried depends on the
    /// answer and the method (a POST only after a 429 or a failed connect): see
    /// `docs/CLIENT.md`, "Rate limits and retries".
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The longest single rate-limit wait the client takes before giving up with
    /// [`ErrorKind::RateLimited`]; default 60 s.
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// Discord's global limit, kept before sending: at most this many requests reach Discord
    /// in any one-second interval (a request's share frees one second after its answer);
    /// default [`DEFAULT_GLOBAL_PER_SECOND`] (50). Shared by all clones of the client. Raise it
    /// only if Discord raised your bot's limit; 0 is refused by [`build`](Self::build).
    pub fn global_rate_limit(mut self, per_second: u32) -> Self {
        self.global_per_second = per_second;
        self
    }

    /// The first backoff delay before retrying a 5xx or a failed connection (doubled each
    /// retry, at most 10 s, jittered); default 500 ms.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = delay;
        self
    }

    /// The `User-Agent`; default [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body read, in bytes; default 8 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let trimmed = self.base_url.trim_end_matches('/');
        let base = Url::parse(trimmed)
            .map_err(|e| Error::Config(format!("base URL is not a URL: {e}")))?;
        match base.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::Config(
                    "base URL must be https:// (allow_insecure_http opts in to http://)".into(),
                ))
            }
            other => return Err(Error::Config(format!("unsupported URL scheme `{other}`"))),
        }
        if base.host_str().is_none()
            || base.query().is_some()
            || base.fragment().is_some()
            || !base.username().is_empty()
            || base.password().is_some()
        {
            return Err(Error::Config(
                "base URL must have a host and no credentials, query or fragment".into(),
            ));
        }
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::invalid_argument("User-Agent", "is not a valid header value"))?;
        if self.global_per_second == 0 {
            return Err(Error::Config(
                "global_rate_limit must be at least 1 request per second".into(),
            ));
        }
        // No per-request timeout here: the call's deadline covers everything (send.rs).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!self.allow_http)
            .user_agent(user_agent)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: trimmed.to_owned(),
                token: self.token,
                timeout: self.timeout,
                max_retries: self.max_retries,
                max_rate_limit_wait: self.max_rate_limit_wait,
                retry_base_delay: self.retry_base_delay,
                max_response_bytes: self.max_response_bytes,
                limiter: RateLimiter::default(),
                global: GlobalLimiter::new(self.global_per_second),
            }),
        })
    }
}

/// The Discord Invite API client. Cheap to clone; clones share the connection pool, the
/// rate-limit state and the global budget.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base: String,
    token: Option<Token>,
    timeout: Duration,
    max_retries: u32,
    max_rate_limit_wait: Duration,
    retry_base_delay: Duration,
    max_response_bytes: usize,
    limiter: RateLimiter,
    global: GlobalLimiter,
}

/// A successful answer before decoding.
struct RawResponse {
    status: u16,
    rate_limit: Option<RateLimitInfo>,
    body: Vec<u8>,
}

impl Client {
    /// A builder with the defaults (no token, Discord's v10 API over HTTPS).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use discord_invite::client::{Client, Token};
    ///
    /// # fn main() -> Result<(), discord_invite::client::Error> {
    /// let client = Client::builder()
    ///     .token(Token::bot(std::env::var("DISCORD_TOKEN").unwrap_or_default())?)
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with a token and every other setting at its default.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use discord_invite::client::{Client, Token};
    ///
    /// # fn main() -> Result<(), discord_invite::client::Error> {
    /// let client = Client::new(Token::bot(std::env::var("DISCORD_TOKEN").unwrap_or_default())?)?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(token: Token) -> Result<Client, Error> {
        Client::builder().token(token).build()
    }

    fn url(&self, spec: &RequestSpec) -> Result<Url, Error> {
        let mut url = Url::parse(&format!("{}{}", self.inner.base, spec.path))
            .map_err(|e| Error::Config(format!("cannot build the request URL: {e}")))?;
        // The path must be exactly what we built: no value may have re-routed it.
        if !url.path().ends_with(spec.path.as_str()) {
            return Err(Error::invalid_argument(
                "path",
                "a path parameter would change the route",
            ));
        }
        if !spec.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &spec.query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    fn build_request(&self, spec: &RequestSpec, url: &Url) -> Result<reqwest::Request, Error> {
        let mut req = self.inner.http.request(spec.method.clone(), url.clone());
        match (&self.inner.token, spec.auth) {
            (Some(token), _) => req = req.header(AUTHORIZATION, token.header().clone()),
            (None, Auth::Optional) => {}
            (None, Auth::Required) => {
                return Err(Error::Config(format!(
                    "{} {} needs a token (ClientBuilder::token)",
                    spec.method, spec.template
                )))
            }
        }
        for (name, value) in &spec.headers {
            req = req.header(name, value.clone());
        }
        req = match &spec.body {
            Body::None => req,
            Body::Json(bytes) => req
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for p in parts {
                    let mut part = reqwest::multipart::Part::bytes(p.data.clone())
                        .mime_str(p.content_type)
                        .map_err(|e| Error::Config(format!("bad content type: {e}")))?;
                    if let Some(name) = p.file_name {
                        part = part.file_name(name);
                    }
                    form = form.part(p.name, part);
                }
                req.multipart(form)
            }
        };
        req.build().map_err(Error::from_reqwest)
    }

    // Decoders used by the generated endpoint code.

    async fn send_json<T: for<'de> Decode<'de>>(
        &self,
        spec: RequestSpec,
    ) -> Result<Response<T>, Error> {
        let raw = self.execute(spec).await?;
        let model = decode::<T>(&raw)?;
        Ok(Response {
            status: raw.status,
            rate_limit: raw.rate_limit,
            model,
        })
    }

    async fn send_json_or_empty<T: for<'de> Decode<'de>>(
        &self,
        spec: RequestSpec,
    ) -> Result<Response<Option<T>>, Error> {
        let raw = self.execute(spec).await?;
        let model = if raw.status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            Some(decode::<T>(&raw)?)
        };
        Ok(Response {
            status: raw.status,
            rate_limit: raw.rate_limit,
            model,
        })
    }

    async fn send_list<T: for<'de> Decode<'de>>(
        &self,
        spec: RequestSpec,
    ) -> Result<Response<Vec<T>>, Error> {
        let raw = self.execute(spec).await?;
        // The spec allows `null` for the list and for its items; both mean "nothing".
        let list = decode::<Option<Vec<Option<T>>>>(&raw)?;
        Ok(Response {
            status: raw.status,
            rate_limit: raw.rate_limit,
            model: list.unwrap_or_default().into_iter().flatten().collect(),
        })
    }

    async fn send_empty(&self, spec: RequestSpec) -> Result<Response<()>, Error> {
        let raw = self.execute(spec).await?;
        Ok(Response {
            status: raw.status,
            rate_limit: raw.rate_limit,
            model: (),
        })
    }

    async fn send_csv(&self, spec: RequestSpec) -> Result<Response<Vec<crate::Snowflake>>, Error> {
        let raw = self.execute(spec).await?;
        let model = csv::parse(&raw.body).map_err(|(line, message)| {
            Error::Decode(Box::new(ResponseDecodeError {
                status: raw.status,
                body: raw.body.clone(),
                source: DecodeSource::Csv { line, message },
            }))
        })?;
        Ok(Response {
            status: raw.status,
            rate_limit: raw.rate_limit,
            model,
        })
    }
}

fn decode<T: for<'de> Decode<'de>>(raw: &RawResponse) -> Result<T, Error> {
    crate::convert::decode_slice::<T>(&raw.body).map_err(|e| {
        Error::Decode(Box::new(ResponseDecodeError {
            status: raw.status,
            body: raw.body.clone(),
            source: DecodeSource::Json(e),
        }))
    })
}

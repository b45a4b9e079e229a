//! Sending one call: the deadline, the rate limits, the attempts and retries, the body cap.
//!
//! A call has one deadline (`ClientBuilder::timeout` from its start) that covers the time
//! queued in the limiter, every attempt, the backoff between them and reading the body. Waits
//! known to end past it fail at once; anything else still running when it passes ends with
//! [`Error::Timeout`].

use std::time::Duration;

use rand::Rng;
use reqwest::header::RETRY_AFTER;
use reqwest::Url;
use tokio::time::Instant;

use super::error::{DiscordError, Error, RateLimitExhausted};
use super::ratelimit::{
    parse_seconds, GlobalSlot, Patience, Permit, Probe, RateLimitInfo, RouteKey, Ticket,
};
use super::request::RequestSpec;
use super::retry::{self, Next};
use super::{Client, RawResponse};

/// How often a request waiting for another's probe looks again, in case a wake-up was lost.
const PROBE_RECHECK: Duration = Duration::from_secs(1);

/// What a request holds while it is sent: its global slot, and its probe or ticket.
type Pass<'a> = (GlobalSlot<'a>, Option<Probe<'a>>, Option<Ticket<'a>>);

impl Client {
    /// Sends a request: rate limits, retries, body cap, all within the call's deadline. `Ok`
    /// only for 2xx answers.
    pub(super) async fn execute(&self, spec: RequestSpec) -> Result<RawResponse, Error> {
        spec.check_complete()?;
        let url = self.url(&spec)?;
        let patience = Patience {
            deadline: Instant::now() + self.inner.timeout,
            max_wait: self.inner.max_rate_limit_wait,
        };
        tokio::time::timeout_at(patience.deadline, self.attempts(&spec, &url, &patience))
            .await
            .unwrap_or(Err(Error::Timeout))
    }

    async fn attempts(
        &self,
        spec: &RequestSpec,
        url: &Url,
        patience: &Patience,
    ) -> Result<RawResponse, Error> {
        let key = spec.route_key();
        let mut retries = 0u32;
        loop {
            // Build first: a missing token fails before any waiting.
            let request = self.build_request(spec, url)?;
            let (slot, mut probe, ticket) = self.wait_for_permit(&key, patience).await?;
            let sent = self.inner.http.execute(request).await;
            // The global slot cools down from the answer (or the failure).
            drop(slot);
            let resp = match sent {
                Ok(resp) => resp,
                Err(e) => {
                    drop((probe, ticket));
                    let again = retry::after_transport(&spec.method, e.is_connect());
                    self.back_off_or(again, &mut retries, patience, Error::from_reqwest(e))
                        .await?;
                    continue;
                }
            };
            let status = resp.status().as_u16();
            let next = retry::after_status(&spec.method, status);
            // Only an answer from Discord itself says the route has no limit when it carries
            // no headers; a 429 or a 5xx from whatever stands in front of it does not.
            if status < 500 && status != 429 {
                if let Some(p) = probe.as_mut() {
                    p.answered();
                }
            }
            let info = RateLimitInfo::from_headers(resp.headers());
            if let Some(info) = &info {
                self.inner
                    .limiter
                    .update(&key, info, probe.as_ref(), ticket.as_ref());
            }
            // Recorded: this request no longer counts as in flight on its bucket.
            drop(ticket);
            let retry_after_header = resp
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_seconds);
            let body = match self.read_body(resp).await {
                Ok(body) => body,
                Err(err @ Error::Transport(_)) => {
                    // The answer was cut short: the server did act.
                    drop(probe);
                    let again = retry::after_transport(&spec.method, false);
                    self.back_off_or(again, &mut retries, patience, err).await?;
                    continue;
                }
                Err(err) => return Err(err),
            };
            match next {
                Next::Done => {
                    return Ok(RawResponse {
                        status,
                        rate_limit: info,
                        body,
                    })
                }
                Next::RateLimited => {
                    let (retry_after, global) =
                        rate_limited_body(&body, retry_after_header, info.as_ref());
                    if global {
                        self.inner.global.block(Instant::now() + retry_after);
                    } else {
                        let named = info.as_ref().is_some_and(|i| i.bucket.is_some());
                        self.inner.limiter.limited(&key, retry_after, named);
                    }
                    // Only now may the requests waiting on this probe look again.
                    drop(probe);
                    let bucket = info.and_then(|i| i.bucket);
                    if retries >= self.inner.max_retries {
                        return Err(Error::RateLimited(RateLimitExhausted {
                            retry_after,
                            global,
                            bucket,
                        }));
                    }
                    // A wait that cannot end in time fails now; otherwise the limiter holds
                    // the next attempt back for it.
                    patience.allow(retry_after, global, bucket.as_deref())?;
                    retries += 1;
                }
                Next::Backoff => {
                    drop(probe);
                    let err = Error::Api(Box::new(DiscordError::from_response(status, body, info)));
                    self.back_off_or(true, &mut retries, patience, err).await?;
                }
                Next::Fail => {
                    return Err(Error::Api(Box::new(DiscordError::from_response(
                        status, body, info,
                    ))))
                }
            }
        }
    }

    /// Waits until the request may go: a global slot, then its bucket. A probe (the first
    /// request of a bucket not known yet) or a ticket (a request on a known bucket): keep it
    /// until the answer's headers have been recorded.
    async fn wait_for_permit<'a>(
        &'a self,
        key: &RouteKey,
        patience: &Patience,
    ) -> Result<Pass<'a>, Error> {
        loop {
            let slot = self.inner.global.acquire(patience).await?;
            match self.inner.limiter.acquire(key) {
                Permit::Go(ticket) => return Ok((slot, None, ticket)),
                Permit::Probe(probe) => return Ok((slot, Some(probe), None)),
                Permit::AwaitProbe(ended) => {
                    slot.unused();
                    // Woken when the probe ends; the timeout is only a safety net.
                    let _ = tokio::time::timeout(PROBE_RECHECK, ended).await;
                }
                Permit::Wait { wait, bucket } => {
                    slot.unused();
                    patience.allow(wait, false, bucket.as_deref())?;
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Sleeps before a retry, or returns `err`: when the policy says no, the budget is spent,
    /// or the backoff would outlast the deadline.
    async fn back_off_or(
        &self,
        again: bool,
        retries: &mut u32,
        patience: &Patience,
        err: Error,
    ) -> Result<(), Error> {
        if !again || *retries >= self.inner.max_retries {
            return Err(err);
        }
        let delay = self.backoff(*retries);
        if !patience.has_time_for(delay) {
            return Err(err);
        }
        *retries += 1;
        tokio::time::sleep(delay).await;
        Ok(())
    }

    async fn read_body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, Error> {
        let limit = self.inner.max_response_bytes;
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::ResponseTooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(Error::from_reqwest)? {
            if body.len() + chunk.len() > limit {
                return Err(Error::ResponseTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn backoff(&self, retry: u32) -> Duration {
        let base = self
            .inner
            .retry_base_delay
            .saturating_mul(1u32 << retry.min(10))
            .min(Duration::from_secs(10));
        // Jitter in [base/2, base]: retries from many clients do not line up.
        let factor = rand::thread_rng().gen_range(0.5..=1.0);
        base.mul_f64(factor)
    }
}

/// `retry_after` and `global` of a 429: from the JSON body, else `Retry-After`, else
/// `Reset-After`, else 1 s; each cut to [`MAX_SERVER_WAIT`](super::ratelimit::MAX_SERVER_WAIT).
fn rate_limited_body(
    body: &[u8],
    header: Option<Duration>,
    info: Option<&RateLimitInfo>,
) -> (Duration, bool) {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let from_body = json
        .as_ref()
        .and_then(|v| v.get("retry_after"))
        .and_then(serde_json::Value::as_f64)
        .and_then(|s| parse_seconds(&s.to_string()));
    let global = json
        .as_ref()
        .and_then(|v| v.get("global"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
        || info.is_some_and(|i| i.global);
    let wait = from_body
        .or(header)
        .or(info.and_then(|i| i.reset_after))
        .unwrap_or(Duration::from_secs(1));
    (wait, global)
}

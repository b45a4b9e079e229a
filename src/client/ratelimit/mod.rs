//! Discord's rate limits, kept before sending: the global budget ([`global`]), per-route
//! buckets ([`buckets`]), and the cap on every wait a server asks for ([`headers`]).
//!
//! A request first queues for a global slot, then asks its bucket; if the bucket says wait,
//! the slot goes back unused. Every wait is checked against the call's [`Patience`]: a wait
//! that would end after the call's deadline, or last longer than `max_rate_limit_wait`, fails
//! at once with [`Error::RateLimited`] and nothing is sent.

mod buckets;
mod global;
mod headers;

use std::time::Duration;

use tokio::time::Instant;

pub(crate) use buckets::{Permit, Probe, RateLimiter, RouteKey, Ticket};
pub use global::DEFAULT_GLOBAL_PER_SECOND;
pub(crate) use global::{GlobalLimiter, GlobalSlot};
pub(crate) use headers::parse_seconds;
pub use headers::{RateLimitInfo, MAX_SERVER_WAIT};

use super::error::{Error, RateLimitExhausted};

/// How long one call may wait: its deadline (`ClientBuilder::timeout` from the start of the
/// call) and the longest single rate-limit wait (`ClientBuilder::max_rate_limit_wait`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Patience {
    pub(crate) deadline: Instant,
    pub(crate) max_wait: Duration,
}

impl Patience {
    /// `Ok` when a rate-limit wait of `wait` fits; the error to return at once otherwise.
    pub(crate) fn allow(
        &self,
        wait: Duration,
        global: bool,
        bucket: Option<&str>,
    ) -> Result<(), Error> {
        if wait > self.max_wait || Instant::now() + wait > self.deadline {
            return Err(Error::RateLimited(RateLimitExhausted {
                retry_after: wait,
                global,
                bucket: bucket.map(str::to_owned),
            }));
        }
        Ok(())
    }

    /// Whether a backoff of `delay` still leaves time before the deadline.
    pub(crate) fn has_time_for(&self, delay: Duration) -> bool {
        Instant::now() + delay < self.deadline
    }
}

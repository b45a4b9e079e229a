//! The retry policy: one table, by what happened and the request's method.
//!
//! | what happened | GET, PUT, DELETE (idempotent) | POST, PATCH |
//! |---|---|---|
//! | 2xx | done | done |
//! | 429 | retried after the wait (the limiter holds the request back) | same: Discord refused without acting |
//! | 500, 502, 503, 504, 520–524 | retried with backoff | returned: the server may have acted |
//! | any other status | returned | returned |
//! | connection failed before the request was sent (refused, DNS, TLS) | retried with backoff | same: nothing was sent |
//! | connection failed after sending (reset, cut answer) | retried with backoff | returned |
//! | the call's deadline passed | returned (`Timeout`) | returned |
//!
//! Every retry counts against `ClientBuilder::max_retries`, and none starts when its wait
//! would end after the call's deadline.

use reqwest::Method;

/// What to do after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// A 2xx: decode it.
    Done,
    /// A 429: record the limit and try again when it allows.
    RateLimited,
    /// A transient server error on an idempotent request: back off and try again.
    Backoff,
    /// Return the answer as an error.
    Fail,
}

/// Whether repeating the request cannot change the outcome (RFC 9110, 9.2.2). A repeated
/// DELETE of an invite that the first attempt did delete answers 404 Unknown Invite.
fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
    )
}

/// The row for an answer with `status`.
pub(crate) fn after_status(method: &Method, status: u16) -> Next {
    match status {
        200..=299 => Next::Done,
        429 => Next::RateLimited,
        500 | 502 | 503 | 504 | 520..=524 if idempotent(method) => Next::Backoff,
        _ => Next::Fail,
    }
}

/// Whether a failed connection may be retried: always when it failed while connecting (no
/// byte of the request left), for idempotent methods otherwise.
pub(crate) fn after_transport(method: &Method, connect: bool) -> bool {
    connect || idempotent(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            for status in [500, 502, 503, 504, 520, 521, 522, 523, 524] {
                assert_eq!(
                    after_status(&method, status),
                    Next::Backoff,
                    "{method} {status}"
                );
            }
            assert!(after_transport(&method, false));
        }
        for method in [Method::POST, Method::PATCH] {
            for status in [500, 502, 503, 504, 520, 524] {
                assert_eq!(
                    after_status(&method, status),
                    Next::Fail,
                    "{method} {status}"
                );
            }
            assert_eq!(after_status(&method, 429), Next::RateLimited);
            assert!(!after_transport(&method, false));
            assert!(after_transport(&method, true));
        }
        for status in [400, 401, 403, 404, 409, 501, 505, 519, 525, 307] {
            assert_eq!(after_status(&Method::GET, status), Next::Fail, "{status}");
        }
        assert_eq!(after_status(&Method::POST, 204), Next::Done);
    }
}

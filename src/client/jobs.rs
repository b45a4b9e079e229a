//! Waiting for an invite's target-users job: Discord processes an uploaded CSV of users in the
//! background; this polls `GET /invites/{code}/target-users/job-status` until it is done.

use std::time::Duration;

use super::{args, Client, Error};
use crate::{TargetUsersJobStatus, TargetUsersJobStatusKind};

/// The defaults: first poll at once, then after 1 s, doubling up to 10 s, for 5 minutes.
const FIRST_DELAY: Duration = Duration::from_secs(1);
const MAX_DELAY: Duration = Duration::from_secs(10);
const TIMEOUT: Duration = Duration::from_secs(300);

impl Client {
    /// Waits for the target-users job of invite `code` (started by uploading a CSV with
    /// [`update_invite_target_users`](Self::update_invite_target_users) or
    /// [`create_channel_invite`](Self::create_channel_invite)'s `target_users_file`) to finish,
    /// and returns its final status: [`COMPLETED`](TargetUsersJobStatusKind::Completed) or
    /// [`FAILED`](TargetUsersJobStatusKind::Failed) (then `error_message` says why). Any other
    /// status (processing, unspecified, a value this version does not know) is polled again.
    ///
    /// Polls at once, then with a growing delay (1 s, doubled each time, at most 10 s; see
    /// [`WaitForTargetUsersJob::poll_interval`]) until the job is done or the timeout passes
    /// (default 5 minutes; [`WaitForTargetUsersJob::timeout`]), which gives
    /// [`ErrorKind::Timeout`](super::ErrorKind::Timeout). A failed poll (after the client's own
    /// retries) ends the wait with its error. The wait uses tokio's clock.
    ///
    /// The future is cancellation-safe: it only reads, so dropping it at any point (for
    /// example in `tokio::select!`) leaves nothing half done, and a new wait can start at
    /// any time.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use discord_invite::client::TargetUsers;
    /// use discord_invite::TargetUsersJobStatusKind;
    ///
    /// # async fn example(client: &discord_invite::Client) -> Result<(), discord_invite::client::Error> {
    /// let users = TargetUsers::from_ids([80351110224678912u64, 115590097100865541]);
    /// client.update_invite_target_users("abc123", users).send().await?;
    /// let job = client
    ///     .wait_for_target_users_job("abc123")
    ///     .timeout(Duration::from_secs(60))
    ///     .await?;
    /// match job.status {
    ///     TargetUsersJobStatusKind::Completed => println!("{} users set", job.processed_users),
    ///     _ => println!("failed: {:?}", job.error_message.as_option()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[doc(alias = "wait_for_job")]
    #[doc(alias = "poll_target_users_job")]
    pub fn wait_for_target_users_job(&self, code: impl Into<String>) -> WaitForTargetUsersJob<'_> {
        WaitForTargetUsersJob {
            client: self,
            code: code.into(),
            timeout: TIMEOUT,
            first_delay: FIRST_DELAY,
            max_delay: MAX_DELAY,
        }
    }
}

/// The wait of [`Client::wait_for_target_users_job`]; `.await` it (or call
/// [`send`](Self::send)).
#[derive(Debug)]
#[must_use = "nothing is polled until it is awaited"]
pub struct WaitForTargetUsersJob<'a> {
    client: &'a Client,
    code: String,
    timeout: Duration,
    first_delay: Duration,
    max_delay: Duration,
}

impl WaitForTargetUsersJob<'_> {
    /// How long to wait in all before giving up with `ErrorKind::Timeout`; default 5 minutes.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The delay before the second poll (doubled after each poll) and the longest delay;
    /// default 1 s and 10 s. A zero first delay is taken as 1 ms, and `max` is at least
    /// `first`.
    pub fn poll_interval(mut self, first: Duration, max: Duration) -> Self {
        self.first_delay = first.max(Duration::from_millis(1));
        self.max_delay = max.max(self.first_delay);
        self
    }

    /// Polls until the job is completed or failed, or the timeout passes.
    pub async fn send(self) -> Result<TargetUsersJobStatus, Error> {
        // A bad code is refused before anything is sent or awaited.
        args::invite_code(&self.code)?;
        let poll = async {
            let mut delay = self.first_delay;
            loop {
                let job = self
                    .client
                    .get_invite_target_users_job_status(self.code.as_str())
                    .send()
                    .await?;
                if matches!(
                    job.status,
                    TargetUsersJobStatusKind::Completed | TargetUsersJobStatusKind::Failed
                ) {
                    return Ok(job);
                }
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2).min(self.max_delay);
            }
        };
        tokio::time::timeout(self.timeout, poll)
            .await
            .unwrap_or(Err(Error::Timeout))
    }
}

impl<'a> std::future::IntoFuture for WaitForTargetUsersJob<'a> {
    type Output = Result<TargetUsersJobStatus, Error>;
    type IntoFuture =
        std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

    /// Awaiting the wait is `send()`.
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

//! Discord's global limit, kept before sending: at most `per_second` requests reach Discord in
//! any one-second interval, whatever the network latency.
//!
//! A request holds one of `per_second` slots from the moment it is let go until one second
//! after its answer arrived (or it failed, or was cancelled). Discord counts a request when it
//! arrives, which is after it was sent and before its answer, so two requests that use the
//! same slot arrive more than a second apart, and no second-long interval can see more than
//! `per_second` arrivals. (twilight starts a one-second window at the first request it lets
//! go, so requests slowed on the way can still meet in one of Discord's windows.)
//!
//! Waiters queue in order (a fair lock); only the first in line watches the clock. A global
//! 429 closes the budget for its `retry_after`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use super::Patience;
use crate::client::error::Error;

/// Discord's global limit: 50 requests per second.
pub const DEFAULT_GLOBAL_PER_SECOND: u32 = 50;

/// How long a slot stays taken after its request's answer.
const PERIOD: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
struct State {
    /// Requests let go whose answer has not arrived.
    in_flight: u32,
    /// When each slot used by an answered request frees again, oldest first.
    cooling: VecDeque<Instant>,
    /// The end of a global 429's `retry_after`.
    blocked_until: Option<Instant>,
}

/// The global budget, shared by all clones of a client.
#[derive(Debug)]
pub(crate) struct GlobalLimiter {
    per_second: u32,
    /// The queue of waiters: tokio's mutex is fair, so slots go out in arrival order.
    line: tokio::sync::Mutex<()>,
    state: Mutex<State>,
    /// Woken when a slot is given back or starts cooling.
    freed: Notify,
}

/// What the budget allows now.
enum Turn {
    Go,
    Until(Instant, bool),
    /// Every slot is held by a request in flight: wait for one to end.
    Answer,
}

impl GlobalLimiter {
    pub(crate) fn new(per_second: u32) -> Self {
        GlobalLimiter {
            per_second: per_second.max(1),
            line: tokio::sync::Mutex::new(()),
            state: Mutex::new(State::default()),
            freed: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the counts inconsistent; keep going.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn turn(&self, now: Instant) -> Turn {
        let mut st = self.lock();
        if let Some(until) = st.blocked_until {
            if until > now {
                return Turn::Until(until, true);
            }
            st.blocked_until = None;
        }
        while st.cooling.front().is_some_and(|t| *t <= now) {
            st.cooling.pop_front();
        }
        if (st.in_flight as usize + st.cooling.len()) < self.per_second as usize {
            st.in_flight += 1;
            return Turn::Go;
        }
        match st.cooling.front() {
            Some(t) => Turn::Until(*t, false),
            None => Turn::Answer,
        }
    }

    /// Waits in line for a slot. Fails at once with [`Error::RateLimited`] when the wait is
    /// known to end after the call's deadline or to exceed its longest wait.
    pub(crate) async fn acquire(&self, patience: &Patience) -> Result<GlobalSlot<'_>, Error> {
        let _line = self.line.lock().await;
        loop {
            // Created before looking, so a slot freed in between is not missed.
            let freed = self.freed.notified();
            let now = Instant::now();
            match self.turn(now) {
                Turn::Go => {
                    return Ok(GlobalSlot {
                        limiter: self,
                        used: true,
                    })
                }
                Turn::Until(until, blocked) => {
                    patience.allow(until - now, true, None)?;
                    // A global 429 ends at its time; a cooling slot may also be overtaken by
                    // one given back unused.
                    if blocked {
                        tokio::time::sleep_until(until).await;
                    } else {
                        let _ = tokio::time::timeout_at(until, freed).await;
                    }
                }
                Turn::Answer => freed.await,
            }
        }
    }

    /// A global 429: nothing goes until `until`.
    pub(crate) fn block(&self, until: Instant) {
        let mut st = self.lock();
        st.blocked_until = Some(st.blocked_until.map_or(until, |b| b.max(until)));
    }

    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        let st = self.lock();
        st.in_flight as usize + st.cooling.len()
    }
}

/// One request's share of the global budget. Dropping it (the answer arrived, the request
/// failed, or the call was cancelled) starts the slot's one-second cooling.
#[derive(Debug)]
pub(crate) struct GlobalSlot<'a> {
    limiter: &'a GlobalLimiter,
    used: bool,
}

impl GlobalSlot<'_> {
    /// Gives the slot back at once: nothing was sent with it.
    pub(crate) fn unused(mut self) {
        self.used = false;
    }
}

impl Drop for GlobalSlot<'_> {
    fn drop(&mut self) {
        let mut st = self.limiter.lock();
        st.in_flight = st.in_flight.saturating_sub(1);
        if self.used {
            st.cooling.push_back(Instant::now() + PERIOD);
        }
        drop(st);
        self.limiter.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;

    fn patient() -> Patience {
        Patience {
            deadline: Instant::now() + Duration::from_secs(3600),
            max_wait: Duration::from_secs(3600),
        }
    }

    /// twilight's `global_limit`, with the slot counted from the answer: two slots go at once,
    /// the third waits until one second after the first answer, not after the first request.
    #[tokio::test(start_paused = true)]
    async fn a_slot_frees_a_second_after_its_answer() {
        let global = GlobalLimiter::new(2);
        let start = Instant::now();
        let p = patient();
        let first = global.acquire(&p).await.unwrap();
        let second = global.acquire(&p).await.unwrap();
        assert_eq!(start.elapsed(), Duration::ZERO, "both at once");
        // The first answer comes after 300 ms (a slow network), the second never during this.
        tokio::time::sleep(Duration::from_millis(300)).await;
        drop(first);
        let third = global.acquire(&p).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_millis(1300));
        assert_eq!(global.held(), 2);
        drop((second, third));
    }

    /// twilight's `global_reset_on_cancel`: a slot not used for sending comes back at once.
    #[tokio::test(start_paused = true)]
    async fn an_unused_slot_comes_back_at_once() {
        let global = GlobalLimiter::new(1);
        let p = patient();
        let start = Instant::now();
        global.acquire(&p).await.unwrap().unused();
        global.acquire(&p).await.unwrap().unused();
        drop(global.acquire(&p).await.unwrap());
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Used: the next waits a full period.
        drop(global.acquire(&p).await.unwrap());
        assert_eq!(start.elapsed(), PERIOD);
    }

    /// While every slot is in flight, the first in line waits for an answer, then a period.
    #[tokio::test(start_paused = true)]
    async fn waiters_go_in_arrival_order() {
        let global = std::sync::Arc::new(GlobalLimiter::new(1));
        let start = Instant::now();
        let held = global.acquire(&patient()).await.unwrap();
        let order = std::sync::Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..5 {
            let (global, order) = (global.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let slot = global.acquire(&patient()).await.unwrap();
                order.lock().unwrap().push((i, start.elapsed()));
                drop(slot);
            }));
            // Let each one join the line before the next.
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        let expected: Vec<_> = (0..5)
            .map(|i| (i, Duration::from_millis(1500) + PERIOD * i))
            .collect();
        assert_eq!(order, expected);
    }

    /// A global 429 closes the budget; a wait past the deadline fails at once.
    #[tokio::test(start_paused = true)]
    async fn a_global_429_blocks_and_long_waits_fail_fast() {
        let global = GlobalLimiter::new(50);
        let start = Instant::now();
        global.block(start + Duration::from_secs(2));
        let hurried = Patience {
            deadline: start + Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        };
        let err = global.acquire(&hurried).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert_eq!(start.elapsed(), Duration::ZERO, "failed without waiting");
        drop(global.acquire(&patient()).await.unwrap());
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }
}

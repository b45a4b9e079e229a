//! Links, expiry and remaining uses for invites.

use std::fmt;

use crate::{GuildInvite, Invite, InviteCreateEvent, Snowflake, Timestamp};

/// The base of every invite link.
pub const INVITE_BASE: &str = "https://discord.gg/";

fn link(code: &str, event: Option<Snowflake>) -> String {
    match event {
        Some(id) => format!("{INVITE_BASE}{code}?event={id}"),
        None => format!("{INVITE_BASE}{code}"),
    }
}

/// `created_at + max_age`, for payloads that leave `expires_at` out; `max_age` 0 never expires.
fn computed_expiry(created_at: Option<&Timestamp>, max_age: Option<i64>) -> Option<Timestamp> {
    match (created_at, max_age) {
        (Some(created), Some(age)) if age > 0 => created.checked_add_seconds(age),
        _ => None,
    }
}

impl Invite {
    /// The invite link: `https://discord.gg/{code}`, plus `?event={id}` when a scheduled event
    /// is attached (NAFF's `link`, with the event id actually read from the payload).
    ///
    /// ```
    /// use discord_invite::{Invite, Payload};
    /// let invite = Invite::from_json_str(r#"{"type":0,"code":"abc","guild_scheduled_event":{"id":"42","guild_id":"1","name":"Quiz","scheduled_start_time":"2026-01-01T00:00:00+00:00","status":1,"entity_type":2}}"#).unwrap();
    /// assert_eq!(invite.link(), "https://discord.gg/abc?event=42");
    /// ```
    pub fn link(&self) -> String {
        link(self.code(), self.scheduled_event_id())
    }

    /// The id of the scheduled event the invite points at, if any.
    pub fn scheduled_event_id(&self) -> Option<Snowflake> {
        match self {
            Invite::Guild(g) => g.scheduled_event_id(),
            _ => None,
        }
    }

    /// When the invite stops working: `expires_at` when Discord sent it (`None` for `null`,
    /// which means never), else `created_at + max_age` where both are known and `max_age` is
    /// not 0.
    ///
    /// ```
    /// use discord_invite::{Invite, Payload};
    /// let old = Invite::from_json_str(r#"{"code":"abc","created_at":"2026-01-01T00:00:00+00:00","max_age":3600}"#).unwrap();
    /// assert_eq!(old.effective_expires_at().unwrap().to_string(), "2026-01-01T01:00:00+00:00");
    /// ```
    pub fn effective_expires_at(&self) -> Option<Timestamp> {
        let sent = match self {
            Invite::Guild(v) => v.expires_at.as_ref(),
            Invite::GroupDm(v) => v.expires_at.as_ref(),
            Invite::Friend(v) => v.expires_at.as_ref(),
            _ => crate::Nullable::Absent,
        };
        match sent {
            crate::Nullable::Value(t) => Some(*t),
            crate::Nullable::Null => None,
            crate::Nullable::Absent => computed_expiry(self.created_at().as_ref(), self.max_age()),
        }
    }

    /// `true` if the invite has expired at `now` by time; see [`Self::effective_expires_at`].
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.effective_expires_at().is_some_and(|at| at <= now)
    }

    /// Uses left before the invite is used up: `None` when unlimited (`max_uses` 0) or unknown.
    pub fn remaining_uses(&self) -> Option<i64> {
        remaining(self.max_uses(), self.uses())
    }
}

fn remaining(max_uses: Option<i64>, uses: Option<i64>) -> Option<i64> {
    match (max_uses, uses) {
        (Some(max), Some(used)) if max > 0 => Some(max.saturating_sub(used.max(0)).clamp(0, max)),
        _ => None,
    }
}

impl GuildInvite {
    /// The invite link, with `?event=` when a scheduled event is attached.
    pub fn link(&self) -> String {
        link(&self.code, self.scheduled_event_id())
    }

    /// The id of the scheduled event the invite points at, if any.
    pub fn scheduled_event_id(&self) -> Option<Snowflake> {
        self.guild_scheduled_event.as_ref().map(|e| e.id)
    }
}

impl InviteCreateEvent {
    /// The invite link.
    pub fn link(&self) -> String {
        link(&self.code, None)
    }

    /// When the invite stops working; see [`Invite::effective_expires_at`].
    pub fn effective_expires_at(&self) -> Option<Timestamp> {
        match self.expires_at {
            crate::Nullable::Value(t) => Some(t),
            crate::Nullable::Null => None,
            crate::Nullable::Absent => computed_expiry(Some(&self.created_at), Some(self.max_age)),
        }
    }

    /// `true` if the invite has expired at `now` by time.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.effective_expires_at().is_some_and(|at| at <= now)
    }

    /// Uses left: `None` when unlimited.
    pub fn remaining_uses(&self) -> Option<i64> {
        remaining(Some(self.max_uses), Some(self.uses))
    }
}

impl fmt::Display for Invite {
    /// The invite link.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.link())
    }
}

impl fmt::Display for GuildInvite {
    /// The invite link.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.link())
    }
}

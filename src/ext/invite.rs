//! Links, expiry and remaining uses for invites.

use std::fmt;

use crate::{
    DecodeError, GuildInvite, Invite, InviteCreateEvent, InviteStageInstance, Snowflake, Timestamp,
    UnknownFields,
};

/// The base of every invite link.
pub const INVITE_BASE: &str = "https://discord.gg/";

fn link(code: &str, event: Option<Snowflake>) -> String {
    match event {
        Some(id) => format!("{INVITE_BASE}{code}?event={id}"),
        None => format!("{INVITE_BASE}{code}"),
    }
}

/// `created_at + max_age`, for payloads that leave `expires_at` out; `max_age` 0 never expires.
fn computed_expiry(created_at: Option<&Timestamp>, max_age: Option<i32>) -> Option<Timestamp> {
    match (created_at, max_age) {
        (Some(created), Some(age)) if age > 0 => created.checked_add_seconds(i64::from(age)),
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

    /// The id of the scheduled event the invite points at, if any: its
    /// `guild_scheduled_event`, else NAFF's `target_event_id` (see [`Self::target_event_id`]).
    pub fn scheduled_event_id(&self) -> Option<Snowflake> {
        match self {
            Invite::Guild(g) => g.scheduled_event_id(),
            Invite::Unknown(u) => event_id_of(&u.extra).or_else(|| target_event_id(&u.extra)),
            _ => self.target_event_id(),
        }
    }

    /// The fields of this invite that its variant does not know, kept as sent.
    pub fn extra(&self) -> &UnknownFields {
        match self {
            Invite::Guild(v) => &v.extra,
            Invite::GroupDm(v) => &v.extra,
            Invite::Friend(v) => &v.extra,
            Invite::Unknown(v) => &v.extra,
        }
    }

    /// `target_event_id`: the scheduled event of an invite in the shape NAFF read (an id
    /// beside the invite, not the `guild_scheduled_event` object). Neither Discord's spec nor
    /// its docs list it, so it is kept in [`Self::extra`] and read from there; `None` when
    /// absent, `null` or not a snowflake.
    ///
    /// ```
    /// use discord_invite::{Invite, Payload};
    /// let invite = Invite::from_json_str(r#"{"type":0,"code":"abc","target_event_id":"42"}"#).unwrap();
    /// assert_eq!(invite.target_event_id().map(|id| id.get()), Some(42));
    /// assert_eq!(invite.link(), "https://discord.gg/abc?event=42");
    /// ```
    pub fn target_event_id(&self) -> Option<Snowflake> {
        target_event_id(self.extra())
    }

    /// `stage_instance`: the public Stage of the invite's channel, which Discord has deprecated
    /// but older servers and captures still carry (NAFF's `stage_instance`). The spec lacks it,
    /// so it is kept in [`Self::extra`] and decoded here on demand: `None` when absent or
    /// `null`, an error (with its JSON pointer) when it is not a stage instance.
    ///
    /// ```
    /// use discord_invite::{Invite, Payload};
    /// let invite = Invite::from_json_str(
    ///     r#"{"type":0,"code":"abc","stage_instance":{"members":[],"participant_count":2,"speaker_count":1,"topic":"Q&A"}}"#,
    /// ).unwrap();
    /// let stage = invite.stage_instance().unwrap().unwrap();
    /// assert_eq!((stage.topic.as_str(), stage.participant_count), ("Q&A", 2));
    /// ```
    pub fn stage_instance(&self) -> Option<Result<InviteStageInstance, DecodeError>> {
        stage_instance(self.extra())
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
            Invite::Unknown(v) => v.expires_at.as_ref(),
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
    pub fn remaining_uses(&self) -> Option<i32> {
        remaining(self.max_uses(), self.uses())
    }
}

fn remaining(max_uses: Option<i32>, uses: Option<i32>) -> Option<i32> {
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

    /// The id of the scheduled event the invite points at, if any: its
    /// `guild_scheduled_event`, else `target_event_id` (see [`Invite::target_event_id`]).
    pub fn scheduled_event_id(&self) -> Option<Snowflake> {
        self.guild_scheduled_event
            .as_ref()
            .map(|e| e.id)
            .or_else(|| target_event_id(&self.extra))
    }

    /// NAFF's `target_event_id`, read from [`Self::extra`]; see [`Invite::target_event_id`].
    pub fn target_event_id(&self) -> Option<Snowflake> {
        target_event_id(&self.extra)
    }

    /// The deprecated `stage_instance`, decoded from [`Self::extra`]; see
    /// [`Invite::stage_instance`].
    pub fn stage_instance(&self) -> Option<Result<InviteStageInstance, DecodeError>> {
        stage_instance(&self.extra)
    }
}

fn target_event_id(extra: &UnknownFields) -> Option<Snowflake> {
    extra
        .decode_with::<Option<Snowflake>>("target_event_id")
        .and_then(Result::ok)
        .flatten()
}

fn stage_instance(extra: &UnknownFields) -> Option<Result<InviteStageInstance, DecodeError>> {
    extra
        .decode_with::<Option<InviteStageInstance>>("stage_instance")
        .and_then(Result::transpose)
}

/// The `id` of a `guild_scheduled_event` kept raw (an invite of an unknown `type`).
fn event_id_of(extra: &UnknownFields) -> Option<Snowflake> {
    let event = extra.get("guild_scheduled_event")?;
    event.get("id")?.as_str()?.parse().ok()
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
    pub fn remaining_uses(&self) -> Option<i32> {
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

//! # discord-invite
//!
//! A schema-first SDK for Discord's Invite API. The models and endpoint methods are generated at
//! build time from Discord's own OpenAPI description (`schema/openapi.json`, pinned) plus a small
//! overlay of ours (`schema/overlay.toml`); the runtime, extensions and validator are written by
//! hand.
//!
//! ```
//! use discord_invite::{Invite, Payload};
//!
//! let json = r#"{"type":0,"code":"0vCdhLbwjZZTWZLD","channel":{"id":"165176875973476352","type":0,"name":"illuminati"}}"#;
//! let invite: Invite = serde_json::from_str(json).unwrap();
//! assert_eq!(invite.code(), "0vCdhLbwjZZTWZLD");
//! assert_eq!(invite.link(), "https://discord.gg/0vCdhLbwjZZTWZLD");
//! assert_eq!(serde_json::to_string(&invite).unwrap(), json);
//! ```
//!
//! ## Main types
//!
//! | type | what it is |
//! |---|---|
//! | [`Invite`] | any invite (guild, group DM, friend, or a `type` this version does not know); common fields as methods ([`Invite::code`], [`Invite::expires_at`], [`Invite::inviter`]…), [`Invite::link`], [`Invite::effective_expires_at`], views [`Invite::as_guild`]… |
#![cfg_attr(
    feature = "http",
    doc = "| [`Client`] | the async HTTP client (feature `http`): a method per invite operation ([`Client::invite_resolve`], [`Client::create_channel_invite`]…) and [`Client::wait_for_target_users_job`] |"
)]
//! | [`InviteUrl`] | invite links parsed as people paste them, and [`InviteUrl::find_all`] for chat text |
//! | [`Snowflake`] | a Discord id: a `Copy` `u64` that reads and writes Discord's string form |
//! | [`Timestamp`] | an RFC 3339 date-time that re-encodes exactly as it was written |
//! | [`Text`] | the models' strings: a `str` held inline up to 24 bytes, on the heap only when longer |
//! | [`ImageHash`] | an avatar, banner or icon hash: 16 bytes inline, other text kept as written |
//! | [`Nullable`] | a field that may be absent, `null` or a value (`3600.into()` is a value) |
//! | [`GatewayEnvelope`], [`GatewayEvent`] | a gateway message (`{"op":0,"t":…,"s":…,"d":…}`) and its typed invite events |
//! | [`Payload`] | decode / encode / merge, implemented by every model |
#![cfg_attr(
    feature = "http",
    doc = "| [`client::TargetUsers`] | the CSV of users for a community invite, checked before upload |"
)]
//!
//! ## Layout
//! - [`model`]: every generated type (re-exported at the crate root);
//! - [`Snowflake`], [`Timestamp`], [`Nullable`]: the hand-written value types models use;
//! - [`Payload`]: decode / encode / merge for every model;
//! - `ext`: hand-written behaviour on generated types ([`Invite::link`], [`InviteUrl`], expiry);
//! - `client`: the HTTP client (feature `http`).
#![warn(missing_docs)]
// One audited exception: `ascii::ascii_str` (ASCII is UTF-8; checked, proved and tested there).
#![deny(unsafe_code)]

mod ascii;
#[cfg(feature = "validate")]
mod check;
mod convert;
mod decode;
mod ext;
mod fast;
mod gateway;
mod image_hash;
#[cfg(feature = "json-schema")]
mod json_schema;
mod neutral;
mod nullable;
mod snowflake;
mod text;
mod timestamp;
mod unknown;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "http")]
pub mod client;
#[cfg(feature = "http")]
#[doc(inline)]
pub use client::{Client, ClientBuilder, Error as ClientError};

pub mod model;
#[cfg(feature = "validate")]
pub mod validate;

/// Without the validator there are no verdict-only checks to emit: the generated models' calls
/// of this macro expand to nothing (`check.rs` has the real one).
#[cfg(not(feature = "validate"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __check_by_decode {
    ($($t:ty),* $(,)?) => {};
}

pub use convert::{escape_pointer_token, DecodeError, DecodeErrorKind, EncodeError, Payload};
pub use ext::cdn::CDN_BASE;
pub use ext::invite::INVITE_BASE;
pub use ext::url::{is_valid_code, InviteUrl, ParseInviteUrlError, MAX_CODE_LEN};
pub use gateway::GatewayEnvelope;
pub use image_hash::ImageHash;
// The main models by name (shown on this page), then every other model.
#[cfg(generated_model = "TargetUsersJobStatus")]
#[doc(inline)]
pub use model::TargetUsersJobStatus;
pub use model::*;
#[doc(inline)]
pub use model::{
    FriendInvite, GatewayEvent, GroupDmInvite, GuildInvite, Invite, InviteCreateEvent,
    InviteDeleteEvent, InviteType, UnknownInvite,
};
pub use nullable::Nullable;
pub use snowflake::{ParseSnowflakeError, Snowflake, DISCORD_EPOCH_MS};
pub use text::Text;
pub use timestamp::{ParseTimestampError, Timestamp};
pub use unknown::{UnknownFields, UnknownFieldsIter};

/// The README's examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

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
//! ## Layout
//! - [`model`]: every generated type (re-exported at the crate root);
//! - [`Snowflake`], [`Timestamp`], [`Nullable`]: the hand-written value types models use;
//! - [`Payload`]: decode / encode / merge for every model;
//! - `ext`: hand-written behaviour on generated types ([`Invite::link`], [`InviteUrl`], expiry).
#![warn(missing_docs)]
#![deny(unsafe_code)]

#[cfg(feature = "validate")]
mod check;
mod convert;
mod ext;
mod fast;
mod gateway;
#[cfg(feature = "json-schema")]
mod json_schema;
mod nullable;
mod snowflake;
mod timestamp;
mod unknown;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "http")]
pub mod client;
#[cfg(feature = "http")]
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
pub use ext::invite::INVITE_BASE;
pub use ext::url::{is_valid_code, InviteUrl, ParseInviteUrlError, MAX_CODE_LEN};
pub use gateway::GatewayEnvelope;
pub use model::*;
pub use nullable::Nullable;
pub use snowflake::{ParseSnowflakeError, Snowflake, DISCORD_EPOCH_MS};
pub use timestamp::{ParseTimestampError, Timestamp};
pub use unknown::{UnknownFields, UnknownFieldsIter};

/// The README's examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

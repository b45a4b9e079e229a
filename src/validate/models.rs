//! The one table from [`Kind`] to SDK model: decode with the SDK, export its JSON Schema.

use crate::__private::Check;
use crate::model::*;
use crate::DecodeError;

use super::fast::Fast;
use super::Kind;

/// Calls `$f::<Model>()` with the SDK model of a kind.
macro_rules! with_model {
    ($kind:expr, $f:ident) => {
        match $kind {
            Kind::Invite => $f::<Invite>(),
            Kind::GuildInvite => $f::<GuildInvite>(),
            Kind::GroupDmInvite => $f::<GroupDmInvite>(),
            Kind::FriendInvite => $f::<FriendInvite>(),
            Kind::InviteList => $f::<Vec<Option<Invite>>>(),
            Kind::InviteCreateEvent => $f::<InviteCreateEvent>(),
            Kind::InviteDeleteEvent => $f::<InviteDeleteEvent>(),
            Kind::TargetUsersJobStatus => $f::<TargetUsersJobStatus>(),
            Kind::VanityUrl => $f::<VanityUrl>(),
            Kind::InviteMetadata => $f::<InviteMetadata>(),
            Kind::InviteStageInstance => $f::<InviteStageInstance>(),
            Kind::CreateGuildInviteRequest => $f::<CreateGuildInviteRequest>(),
            Kind::CreateGroupDmInviteRequest => $f::<CreateGroupDmInviteRequest>(),
            Kind::ApiError => $f::<ApiError>(),
            Kind::RateLimitedError => $f::<RateLimitedError>(),
            Kind::UpdateTargetUsersError => $f::<UpdateTargetUsersError>(),
            Kind::LobbyGuildInvite => $f::<LobbyGuildInvite>(),
        }
    };
}

/// Decodes `bytes` with the SDK model of `kind`, keeping only the verdict.
///
/// The verdict-only twin (`Check<Model>`) reads first: it builds nothing (a payload of half a
/// million unknown or repeated keys is not copied into the model's unknown fields), and what
/// it accepts the model accepts (`fast_path_tests` checks the contract). Only a payload it
/// does not accept is decoded by the model, for the error.
pub(crate) fn decode(kind: Kind, bytes: &[u8]) -> Result<(), DecodeError> {
    fn one<T: for<'de> crate::__private::Decode<'de>>() -> fn(&[u8]) -> Result<(), DecodeError>
    where
        Check<T>: serde::de::DeserializeOwned,
    {
        |b| {
            let text = std::str::from_utf8(b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b));
            if let Ok(text) = text {
                if crate::fast::from_str_with::<Check<T>, _>(text, crate::fast::NoHook).is_some() {
                    return Ok(());
                }
            }
            crate::convert::decode_slice::<T>(b).map(drop)
        }
    }
    with_model!(kind, one)(bytes)
}

/// Whether the SDK's fast reader decodes `text` (UTF-8 without a byte order mark) as the
/// model of `kind`, reporting what it reads to `scan` (the validator's one-pass check). The
/// decode is the model's verdict-only twin (`Check<Model>`), which reads the same way and
/// keeps nothing. `false` also when the reader, the check or the scan gives up: the caller
/// then takes the slow path, whose verdict is [`decode`]'s.
pub(crate) fn decodes_checked<'a>(kind: Kind, text: &'a str, scan: &mut Fast<'_, 'a>) -> bool {
    fn one<T>() -> for<'s, 'a, 'r> fn(&'a str, &'r mut Fast<'s, 'a>) -> bool
    where
        Check<T>: serde::de::DeserializeOwned,
    {
        fn run<'s, 'a, C: serde::de::DeserializeOwned>(
            text: &'a str,
            scan: &mut Fast<'s, 'a>,
        ) -> bool {
            crate::fast::from_str_with::<C, _>(text, scan).is_some()
        }
        run::<Check<T>>
    }
    with_model!(kind, one)(text, scan)
}

/// What the model of `kind` and its verdict-only check (`Check<Model>`) say of `text`, with
/// serde_json's reader and with the SDK's fast reader: `[(model decodes, check decodes); 2]`.
/// The check's contract: it decodes only what the model decodes.
#[cfg(test)]
pub(crate) fn verdicts(kind: Kind, text: &str) -> [(bool, bool); 2] {
    fn one<M: for<'de> crate::__private::Decode<'de>>() -> fn(&str) -> [(bool, bool); 2]
    where
        Check<M>: serde::de::DeserializeOwned,
    {
        |t| {
            [
                (
                    crate::__private::serde_json_decode::<M>(t.as_bytes()).is_ok(),
                    serde_json::from_str::<Check<M>>(t).is_ok(),
                ),
                (
                    crate::fast::from_str::<M>(t).is_some(),
                    crate::fast::from_str_with::<Check<M>, _>(t, crate::fast::NoHook).is_some(),
                ),
            ]
        }
    }
    with_model!(kind, one)(text)
}

/// The JSON Schema (draft 2020-12) of the SDK model of `kind`, derived from the Rust types.
#[cfg(feature = "json-schema")]
pub(crate) fn json_schema(kind: Kind) -> serde_json::Value {
    fn one<T: schemars::JsonSchema>() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
    }
    with_model!(kind, one)
}

/// The upstream schema name each model declares, for a consistency test.
#[cfg(test)]
pub(crate) fn model_schema_name(kind: Kind) -> Option<&'static str> {
    fn named<T: crate::Payload>() -> Option<&'static str> {
        Some(T::SCHEMA_NAME)
    }
    match kind {
        Kind::Invite | Kind::InviteList => None,
        Kind::GuildInvite => named::<GuildInvite>(),
        Kind::GroupDmInvite => named::<GroupDmInvite>(),
        Kind::FriendInvite => named::<FriendInvite>(),
        Kind::InviteCreateEvent => named::<InviteCreateEvent>(),
        Kind::InviteDeleteEvent => named::<InviteDeleteEvent>(),
        Kind::TargetUsersJobStatus => named::<TargetUsersJobStatus>(),
        Kind::VanityUrl => named::<VanityUrl>(),
        Kind::InviteMetadata => named::<InviteMetadata>(),
        Kind::InviteStageInstance => named::<InviteStageInstance>(),
        Kind::CreateGuildInviteRequest => named::<CreateGuildInviteRequest>(),
        Kind::CreateGroupDmInviteRequest => named::<CreateGroupDmInviteRequest>(),
        Kind::ApiError => named::<ApiError>(),
        Kind::RateLimitedError => named::<RateLimitedError>(),
        Kind::UpdateTargetUsersError => named::<UpdateTargetUsersError>(),
        Kind::LobbyGuildInvite => named::<LobbyGuildInvite>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_declare_the_schema_the_kind_checks() {
        for &k in Kind::ALL {
            if let Some(name) = model_schema_name(k) {
                assert_eq!(name, k.schema_name(), "{k}");
            }
        }
    }
}

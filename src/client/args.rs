//! Request arguments, checked before anything is sent.
//!
//! Every failure is [`Error::InvalidArgument`] naming the argument as the API does and saying
//! what is allowed. The limits and why they are what they are: `docs/CLIENT.md`.

use std::collections::HashSet;

use super::error::Error;
use crate::Snowflake;

/// `max_age` for guild channels: 0 (never) ..= 5 184 000 s (60 days), as in the spec.
pub const MAX_AGE_GUILD: std::ops::RangeInclusive<i64> = 0..=5_184_000;
/// `max_age` for group DMs: 1 ..= 604 800 s (7 days), as in the spec.
pub const MAX_AGE_GROUP_DM: std::ops::RangeInclusive<i64> = 1..=604_800;
/// `max_uses`: 0 (unlimited) ..= 100.
pub const MAX_USES: std::ops::RangeInclusive<i64> = 0..=100;
/// `role_ids`: at most this many unique ids.
pub const MAX_ROLE_IDS: usize = 250;
/// `X-Audit-Log-Reason`: 1 ..= 512 characters, counted before percent-encoding.
pub const AUDIT_LOG_REASON_CHARS: std::ops::RangeInclusive<usize> = 1..=512;
/// Invite codes: 1 ..= 64 ASCII letters, digits or `-`.
pub const INVITE_CODE_LEN: std::ops::RangeInclusive<usize> = 1..=64;

/// A request body whose fields the client checks before sending.
#[doc(hidden)]
pub trait Check {
    /// `Err` names the first argument out of range.
    fn check(&self) -> Result<(), Error>;
}

pub(crate) fn range(
    argument: &'static str,
    value: i64,
    allowed: &std::ops::RangeInclusive<i64>,
    what: &str,
) -> Result<(), Error> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            argument,
            format!(
                "must be in {}..={}{what}, got {value}",
                allowed.start(),
                allowed.end()
            ),
        ))
    }
}

/// `max_age` of a guild-channel invite.
pub fn max_age_guild(value: i64) -> Result<(), Error> {
    range(
        "max_age",
        value,
        &MAX_AGE_GUILD,
        " seconds for a guild channel",
    )
}

/// `max_age` of a group-DM invite.
pub fn max_age_group_dm(value: i64) -> Result<(), Error> {
    range(
        "max_age",
        value,
        &MAX_AGE_GROUP_DM,
        " seconds for a group DM",
    )
}

/// `max_uses`.
pub fn max_uses(value: i64) -> Result<(), Error> {
    range("max_uses", value, &MAX_USES, "")
}

/// `role_ids`: at most 250, no duplicates.
pub fn role_ids(ids: &[Snowflake]) -> Result<(), Error> {
    if ids.len() > MAX_ROLE_IDS {
        return Err(Error::invalid_argument(
            "role_ids",
            format!("at most {MAX_ROLE_IDS} ids, got {}", ids.len()),
        ));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    for id in ids {
        if !seen.insert(id) {
            return Err(Error::invalid_argument(
                "role_ids",
                format!("ids must be unique, {id} appears twice"),
            ));
        }
    }
    Ok(())
}

/// `target_type` and the id it needs: 1 (stream) needs `target_user_id`, 2 (embedded
/// application) needs `target_application_id`.
pub fn target(
    target_type: Option<i32>,
    target_user_id: bool,
    target_application_id: bool,
) -> Result<(), Error> {
    match target_type {
        None => Ok(()),
        Some(1) if target_user_id => Ok(()),
        Some(1) => Err(Error::invalid_argument(
            "target_user_id",
            "is required when target_type is 1 (stream)",
        )),
        Some(2) if target_application_id => Ok(()),
        Some(2) => Err(Error::invalid_argument(
            "target_application_id",
            "is required when target_type is 2 (embedded application)",
        )),
        Some(other) => Err(Error::invalid_argument(
            "target_type",
            format!("must be 1 (stream) or 2 (embedded application), got {other}"),
        )),
    }
}

/// The audit-log reason: 1..=512 characters (percent-encoding happens when sending).
pub fn audit_log_reason(reason: &str) -> Result<(), Error> {
    header_chars("X-Audit-Log-Reason", reason, AUDIT_LOG_REASON_CHARS)
}

/// A header value's length in characters, counted before percent-encoding (the limits come
/// from the overlay's `[[headers]]`).
pub fn header_chars(
    header: &'static str,
    value: &str,
    allowed: std::ops::RangeInclusive<usize>,
) -> Result<(), Error> {
    let n = value.chars().count();
    if allowed.contains(&n) {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            header,
            format!(
                "must be {}..={} characters, got {n}",
                allowed.start(),
                allowed.end()
            ),
        ))
    }
}

/// An invite code: 1..=64 characters of `A-Z a-z 0-9 -`. Random codes are 7–16 characters,
/// vanity codes letters, digits and dashes; anything else (`/`, `.`, `%`, `?`, spaces, a whole
/// URL) cannot be a code and is rejected before sending.
pub fn invite_code(code: &str) -> Result<(), Error> {
    let ok = INVITE_CODE_LEN.contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            "code",
            format!(
                "an invite code is {}..={} characters of A-Z, a-z, 0-9 and '-' (pass the code, not the URL)",
                INVITE_CODE_LEN.start(),
                INVITE_CODE_LEN.end()
            ),
        ))
    }
}

impl Check for crate::CreateGuildInviteRequest {
    fn check(&self) -> Result<(), Error> {
        if let Some(v) = self.max_age.as_option() {
            max_age_guild(*v)?;
        }
        if let Some(v) = self.max_uses.as_option() {
            max_uses(*v)?;
        }
        if let Some(ids) = self.role_ids.as_option() {
            role_ids(ids)?;
        }
        target(
            self.target_type.as_option().map(|t| t.value()),
            self.target_user_id.is_value(),
            self.target_application_id.is_value(),
        )
    }
}

impl Check for crate::CreateGroupDmInviteRequest {
    fn check(&self) -> Result<(), Error> {
        match self.max_age.as_option() {
            Some(v) => max_age_group_dm(*v),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(max_age_guild(0).is_ok());
        assert!(max_age_guild(5_184_000).is_ok());
        assert!(max_age_guild(5_184_001).is_err());
        assert!(max_age_guild(-1).is_err());
        assert!(max_age_group_dm(0).is_err());
        assert!(max_age_group_dm(604_800).is_ok());
        assert!(max_age_group_dm(604_801).is_err());
        assert!(max_uses(100).is_ok());
        assert!(max_uses(101).is_err());
        let msg = max_uses(101).unwrap_err().to_string();
        assert!(msg.contains("max_uses") && msg.contains("0..=100"), "{msg}");
    }

    #[test]
    fn roles_and_targets() {
        let ids: Vec<_> = (1..=250).map(Snowflake::new).collect();
        assert!(role_ids(&ids).is_ok());
        let ids: Vec<_> = (1..=251).map(Snowflake::new).collect();
        assert!(role_ids(&ids).is_err());
        assert!(role_ids(&[Snowflake::new(1), Snowflake::new(1)]).is_err());
        assert!(target(Some(1), false, false).is_err());
        assert!(target(Some(1), true, false).is_ok());
        assert!(target(Some(2), true, false).is_err());
        assert!(target(Some(2), false, true).is_ok());
        assert!(target(Some(3), true, true).is_err());
    }

    #[test]
    fn reasons_and_codes() {
        assert!(audit_log_reason("").is_err());
        assert!(audit_log_reason(&"ü".repeat(512)).is_ok());
        assert!(audit_log_reason(&"a".repeat(513)).is_err());
        for good in ["abc", "0vCdhLbwjZZTWZLD", "discord-developers"] {
            assert!(invite_code(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            "a?b",
            "a#b",
            "%2e%2e",
            "..",
            "a b",
            "a\r\nb",
            "ä",
            "https://discord.gg/abc",
        ] {
            assert!(invite_code(bad).is_err(), "{bad}");
        }
        assert!(invite_code(&"a".repeat(65)).is_err());
    }
}

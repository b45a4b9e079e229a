//! Parsing invite links and codes.

/// A parsed invite link (placeholder, replaced by the real parser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteUrl;

/// Why a string is not an invite link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseInviteUrlError;

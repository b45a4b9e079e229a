//! Payload kinds: names, spec schemas, SDK decoders, and how a kind is found.

use std::fmt;
use std::str::FromStr;

use super::position::{Node, Value};

/// A kind of payload the validator knows: one SDK model and one spec schema.
///
/// Names on the command line (`--kind`) are the kebab-case [`Kind::name`]s; the upstream
/// component names ([`Kind::schema_name`]) are accepted too.
///
/// ```
/// use discord_invite::validate::Kind;
/// let k: Kind = "vanity-url".parse().unwrap();
/// assert_eq!(k, Kind::VanityUrl);
/// assert_eq!(k.schema_name(), "VanityURLResponse");
/// assert_eq!("GuildInviteResponse".parse::<Kind>().unwrap(), Kind::GuildInvite);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// Any invite; the variant is picked by its `type` (0 guild, 1 group DM, 2 friend).
    Invite,
    /// A guild invite (`GuildInviteResponse`).
    GuildInvite,
    /// A group DM invite (`GroupDMInviteResponse`).
    GroupDmInvite,
    /// A friend invite (`FriendInviteResponse`).
    FriendInvite,
    /// A list of invites, as `GET /channels/{id}/invites` and `GET /guilds/{id}/invites` return.
    InviteList,
    /// The `d` of a gateway `INVITE_CREATE` (from Discord's docs; not in the upstream spec).
    InviteCreateEvent,
    /// The `d` of a gateway `INVITE_DELETE` (from Discord's docs; not in the upstream spec).
    InviteDeleteEvent,
    /// `GET /invites/{code}/target-users/job-status`.
    TargetUsersJobStatus,
    /// `GET /guilds/{id}/vanity-url`.
    VanityUrl,
    /// The metadata fields of an invite (from Discord's docs).
    InviteMetadata,
    /// The deprecated invite stage instance (from Discord's docs).
    InviteStageInstance,
    /// The body of `POST /channels/{id}/invites` for a guild channel.
    CreateGuildInviteRequest,
    /// The body of `POST /channels/{id}/invites` for a group DM.
    CreateGroupDmInviteRequest,
    /// An error response of the HTTP API.
    ApiError,
    /// A 429 response of the HTTP API.
    RateLimitedError,
    /// The 400 response of `PUT /invites/{code}/target-users` (from Discord's docs).
    UpdateTargetUsersError,
    /// `POST /lobbies/{id}/members/{user}/invites`.
    LobbyGuildInvite,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [Kind] = &[
        Kind::Invite,
        Kind::GuildInvite,
        Kind::GroupDmInvite,
        Kind::FriendInvite,
        Kind::InviteList,
        Kind::InviteCreateEvent,
        Kind::InviteDeleteEvent,
        Kind::TargetUsersJobStatus,
        Kind::VanityUrl,
        Kind::InviteMetadata,
        Kind::InviteStageInstance,
        Kind::CreateGuildInviteRequest,
        Kind::CreateGroupDmInviteRequest,
        Kind::ApiError,
        Kind::RateLimitedError,
        Kind::UpdateTargetUsersError,
        Kind::LobbyGuildInvite,
    ];

    /// The kebab-case name used by `--kind` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invite => "invite",
            Kind::GuildInvite => "guild-invite",
            Kind::GroupDmInvite => "group-dm-invite",
            Kind::FriendInvite => "friend-invite",
            Kind::InviteList => "invite-list",
            Kind::InviteCreateEvent => "invite-create-event",
            Kind::InviteDeleteEvent => "invite-delete-event",
            Kind::TargetUsersJobStatus => "target-users-job-status",
            Kind::VanityUrl => "vanity-url",
            Kind::InviteMetadata => "invite-metadata",
            Kind::InviteStageInstance => "invite-stage-instance",
            Kind::CreateGuildInviteRequest => "create-guild-invite-request",
            Kind::CreateGroupDmInviteRequest => "create-group-dm-invite-request",
            Kind::ApiError => "api-error",
            Kind::RateLimitedError => "rate-limited-error",
            Kind::UpdateTargetUsersError => "update-target-users-error",
            Kind::LobbyGuildInvite => "lobby-guild-invite",
        }
    }

    /// The spec component the kind is checked against (for [`Kind::Invite`] and
    /// [`Kind::InviteList`], the guild variant's; the real variant is picked per invite).
    pub fn schema_name(self) -> &'static str {
        match self {
            Kind::Invite | Kind::GuildInvite | Kind::InviteList => "GuildInviteResponse",
            Kind::GroupDmInvite => "GroupDMInviteResponse",
            Kind::FriendInvite => "FriendInviteResponse",
            Kind::InviteCreateEvent => "InviteCreateEvent",
            Kind::InviteDeleteEvent => "InviteDeleteEvent",
            Kind::TargetUsersJobStatus => "TargetUsersJobStatusResponse",
            Kind::VanityUrl => "VanityURLResponse",
            Kind::InviteMetadata => "InviteMetadata",
            Kind::InviteStageInstance => "InviteStageInstance",
            Kind::CreateGuildInviteRequest => "CreateGuildInviteRequest",
            Kind::CreateGroupDmInviteRequest => "CreateGroupDMInviteRequest",
            Kind::ApiError => "ErrorResponse",
            Kind::RateLimitedError => "RatelimitedResponse",
            Kind::UpdateTargetUsersError => "UpdateTargetUsersErrorResponse",
            Kind::LobbyGuildInvite => "LobbyGuildInviteResponse",
        }
    }

    /// The JSON Schema (draft 2020-12) of the SDK model for this kind, derived from the Rust
    /// types with `schemars` (what `discord-invite schema export KIND` prints). Needs the
    /// `json-schema` feature.
    #[cfg(feature = "json-schema")]
    pub fn json_schema(self) -> serde_json::Value {
        super::models::json_schema(self)
    }

    /// Whether the kind's schema is in Discord's upstream spec (otherwise it transcribes the
    /// docs, through the overlay's `[add.schemas]`).
    pub fn in_upstream_spec(self) -> bool {
        !matches!(
            self,
            Kind::InviteCreateEvent
                | Kind::InviteDeleteEvent
                | Kind::InviteMetadata
                | Kind::InviteStageInstance
                | Kind::UpdateTargetUsersError
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no [`Kind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKindError(pub String);

impl fmt::Display for UnknownKindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown payload kind `{}`; known kinds: ", self.0)?;
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        f.write_str(&names.join(", "))
    }
}

impl std::error::Error for UnknownKindError {}

impl FromStr for Kind {
    type Err = UnknownKindError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| {
                k.name().eq_ignore_ascii_case(s)
                    || k.schema_name().eq_ignore_ascii_case(s)
                    || k.name().replace('-', "").eq_ignore_ascii_case(s)
            })
            // The variant kinds share `GuildInviteResponse` with `Invite`; the exact name wins.
            .map(|k| {
                if k == Kind::Invite && s.eq_ignore_ascii_case("GuildInviteResponse") {
                    Kind::GuildInvite
                } else {
                    k
                }
            })
            .ok_or_else(|| UnknownKindError(s.to_owned()))
    }
}

/// What the gateway envelope `{op, t, d}` of a payload says.
pub(crate) enum Envelope<'n, 'a> {
    /// Not an envelope.
    None,
    /// An invite event: validate `d` as this kind.
    Invite(Kind, &'n Node<'a>),
    /// Another event or opcode, named for the report.
    Other(String),
}

/// Reads a gateway envelope: an object with an integer `op` and a `d` (dispatches also have `t`
/// and `s`; other keys a logger adds are ignored).
pub(crate) fn envelope<'n, 'a>(root: &'n Node<'a>) -> Envelope<'n, 'a> {
    let (Some(op), Some(d)) = (root.get("op"), root.get("d")) else {
        return Envelope::None;
    };
    // `op` is an integer in every gateway message; loggers may add their own keys beside it.
    if !matches!(&op.value, Value::Number(n) if n.bytes().all(|b| b.is_ascii_digit())) {
        return Envelope::None;
    }
    let t = match root.get("t").map(|t| &t.value) {
        Some(Value::String(t)) => Some(t.as_ref()),
        _ => None,
    };
    match t {
        Some("INVITE_CREATE") => Envelope::Invite(Kind::InviteCreateEvent, d),
        Some("INVITE_DELETE") => Envelope::Invite(Kind::InviteDeleteEvent, d),
        Some(other) => Envelope::Other(format!("gateway dispatch {other}")),
        None => match &op.value {
            Value::Number(n) => Envelope::Other(format!("gateway opcode {n}")),
            _ => Envelope::Other("gateway message".to_owned()),
        },
    }
}

/// Which side of a HAR entry a body comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HarPart {
    /// The request body.
    Request,
    /// The response body.
    Response,
}

impl HarPart {
    /// `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            HarPart::Request => "request",
            HarPart::Response => "response",
        }
    }
}

/// What a HAR entry's method and URL say about its bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HarOp {
    /// Not an invite endpoint.
    NotInvite,
    /// An invite endpoint: the kind of the request body (if it has a JSON one) and of a
    /// successful response (if JSON).
    Invite {
        request: Option<Kind>,
        response: Option<Kind>,
        /// The operation's 4XX body is the target-users error shape.
        target_users: bool,
    },
}

/// Maps a method and URL to the spec's operation (by path template, after `/api` and
/// `/api/vN`).
pub(crate) fn har_operation(method: &str, url: &str) -> HarOp {
    let path = strip_url(url);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let m = method.to_ascii_uppercase();
    let invite = |request, response| HarOp::Invite {
        request,
        response,
        target_users: false,
    };
    match (m.as_str(), segs.as_slice()) {
        ("GET", ["channels", _, "invites"]) | ("GET", ["guilds", _, "invites"]) => {
            invite(None, Some(Kind::InviteList))
        }
        ("POST", ["channels", _, "invites"]) => {
            invite(Some(Kind::CreateGuildInviteRequest), Some(Kind::Invite))
        }
        ("GET", ["guilds", _, "vanity-url"]) => invite(None, Some(Kind::VanityUrl)),
        ("GET" | "DELETE", ["invites", _]) => invite(None, Some(Kind::Invite)),
        ("GET", ["invites", _, "target-users"]) => invite(None, None),
        ("PUT", ["invites", _, "target-users"]) => HarOp::Invite {
            request: None,
            response: None,
            target_users: true,
        },
        ("GET", ["invites", _, "target-users", "job-status"]) => {
            invite(None, Some(Kind::TargetUsersJobStatus))
        }
        ("POST", ["lobbies", _, "members", _, "invites"]) => {
            invite(None, Some(Kind::LobbyGuildInvite))
        }
        _ => HarOp::NotInvite,
    }
}

/// The path of a URL after `/api` and `/api/vN`, without query or fragment.
pub(crate) fn strip_url(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = if url.contains("://") {
        rest.find('/').map_or("", |i| &rest[i..])
    } else {
        rest
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("/api").unwrap_or(path);
    match path.strip_prefix("/v") {
        Some(r) => {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                &r[digits..]
            } else {
                path
            }
        }
        None => path,
    }
}

/// The kind of a HAR body: the operation's, or an error shape by HTTP status.
pub(crate) fn har_kind(op: HarOp, part: HarPart, status: u16) -> Option<Kind> {
    match op {
        HarOp::NotInvite => None,
        HarOp::Invite {
            request,
            response,
            target_users,
        } => match part {
            HarPart::Request => request,
            HarPart::Response => match status {
                429 => Some(Kind::RateLimitedError),
                400 if target_users => Some(Kind::UpdateTargetUsersError),
                400..=599 => Some(Kind::ApiError),
                _ => response,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &k in Kind::ALL {
            assert_eq!(k.name().parse::<Kind>().unwrap(), k);
        }
        assert!("nope".parse::<Kind>().is_err());
    }

    #[test]
    fn har_paths() {
        let op = har_operation(
            "get",
            "https://discord.com/api/v10/invites/abc?with_counts=true",
        );
        assert_eq!(har_kind(op, HarPart::Response, 200), Some(Kind::Invite));
        assert_eq!(har_kind(op, HarPart::Response, 404), Some(Kind::ApiError));
        let op = har_operation("POST", "https://discord.com/api/channels/1/invites");
        assert_eq!(
            har_kind(op, HarPart::Request, 200),
            Some(Kind::CreateGuildInviteRequest)
        );
        let op = har_operation("GET", "https://discord.com/api/v9/guilds/1/vanity-url");
        assert_eq!(har_kind(op, HarPart::Response, 200), Some(Kind::VanityUrl));
        assert_eq!(
            har_operation("GET", "https://discord.com/api/v10/users/@me"),
            HarOp::NotInvite
        );
        let op = har_operation("GET", "/api/v10/invites/x/target-users/job-status");
        assert_eq!(
            har_kind(op, HarPart::Response, 200),
            Some(Kind::TargetUsersJobStatus)
        );
    }
}

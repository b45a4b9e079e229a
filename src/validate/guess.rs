//! The shape guess: which kind a payload is when neither its context, an envelope nor `--kind`
//! says. Decided by evidence, not by the first rule that fits: every kind the shape allows is
//! checked, and the one whose schemas explain the payload best wins.
//!
//! A kind's **score** weighs the evidence for it against the evidence against it:
//! - **+2** for each member its schemas declare, at any depth (a `guild` whose `id` and
//!   `name` the kind's guild schema knows is more evidence than a bare `guild`);
//! - **-2** for each member of the payload itself that does not fit: undeclared, of another
//!   invite variant, of a wrong JSON type or an unexpected `null` (a known name with a wrong
//!   value is as much against as for); and -2 if the SDK cannot decode the payload as that
//!   kind;
//! - **-1** for each required member of the payload that is absent, by the spec or by the
//!   SDK (partial objects are common: an absent field says less than a present one).
//!
//! Findings inside nested objects do not count against (a partial `guild` says little about
//! what holds it), nor do range, format, enum and repeat findings, which say nothing about
//! the kind. The best score wins (then fewer findings, then the order of [`Kind::ALL`]); a
//! best score below [`FIT`] (one fitting field's worth of net evidence) means no kind fits
//! (`unknown-kind`); a runner-up within [`CLOSE`] of the winner is named in an
//! `ambiguous-kind` note.
//!
//! One rule comes first: an object with `code` and `type` is an invite. `type` is the
//! invites' discriminator, which no other kind has (and the fast path relies on it).

use super::check::RawFinding;
use super::kind::Kind;
use super::position::{Node, Value};
use super::spec::Spec;
use super::{check_as, invite_variant, Checked, Code};

/// The kinds a payload's shape can be taken for. The invite variants are reached through
/// [`Kind::Invite`] (its `type` picks one); a group DM create-invite body looks like a guild
/// one with fewer fields, so it is only validated with `--kind`.
const CANDIDATES: &[Kind] = &[
    Kind::Invite,
    Kind::InviteCreateEvent,
    Kind::InviteDeleteEvent,
    Kind::TargetUsersJobStatus,
    Kind::VanityUrl,
    Kind::InviteMetadata,
    Kind::InviteStageInstance,
    Kind::CreateGuildInviteRequest,
    Kind::ApiError,
    Kind::RateLimitedError,
    Kind::UpdateTargetUsersError,
    Kind::LobbyGuildInvite,
];

/// The weight of a member that fits, of a member (or the SDK's verdict) that does not, and of
/// a required member that is absent.
pub(crate) const FIT: i64 = 2;
pub(crate) const MISFIT: i64 = 2;
pub(crate) const ABSENT: i64 = 1;

/// A runner-up whose score is at most this far below the winner's is named in a note: one
/// absent field apart.
pub(crate) const CLOSE: i64 = ABSENT;

/// What the guess found.
pub(crate) enum Guess {
    /// The kind, its findings, and a note when another kind fits nearly as well.
    Found {
        kind: Kind,
        checked: Checked,
        note: Option<RawFinding>,
    },
    /// No kind fits; the message says why.
    Unknown(String),
}

/// One candidate's result.
struct Scored {
    kind: Kind,
    checked: Checked,
    /// Members of the payload that do not fit, and the SDK's refusal.
    misfits: usize,
    /// Required members of the payload that are absent.
    absent: usize,
}

impl Scored {
    fn new(kind: Kind, checked: Checked) -> Scored {
        let (mut misfits, mut absent) = (0, 0);
        for f in &checked.raw {
            let top = f.pointer.bytes().filter(|&b| b == b'/').count() <= 1;
            match f.code {
                // The SDK missing a field is an absent field, wherever it is.
                Code::DecodeError if checked.refused == Some(true) && top => absent += 1,
                Code::DecodeError => misfits += 1,
                Code::MissingRequired if top => absent += 1,
                Code::UnknownField
                | Code::WrongVariantField
                | Code::WrongType
                | Code::UnexpectedNull
                    if top =>
                {
                    misfits += 1
                }
                _ => {}
            }
        }
        Scored {
            kind,
            checked,
            misfits,
            absent,
        }
    }

    fn score(&self) -> i64 {
        FIT * self.checked.matched as i64
            - MISFIT * self.misfits as i64
            - ABSENT * self.absent as i64
    }

    /// `3 fields fit, 1 does not, 1 required field absent`.
    fn evidence(&self) -> String {
        let plural =
            |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        let (m, x, a) = (self.checked.matched, self.misfits, self.absent);
        format!(
            "score {}: {m} field{} fit, {x} misfit{}, {a} required field{} absent",
            self.score(),
            plural(m, "", "s"),
            plural(x, "", "s"),
            plural(a, "", "s"),
        )
    }
}

/// Guesses the kind of `root` (the whole payload, `bytes`) and checks it as that kind.
pub(crate) fn guess(spec: &Spec, bytes: &[u8], root: &Node<'_>, repeats: bool) -> Guess {
    let unknown = |what: &str| {
        Guess::Unknown(format!(
            "cannot tell what this {what} is; pass --kind to validate it"
        ))
    };
    match &root.value {
        Value::Object(members) => {
            if root.get("code").is_some() && root.get("type").is_some() {
                let checked = check_as(spec, bytes, Kind::Invite, root, "", repeats);
                return Guess::Found {
                    kind: Kind::Invite,
                    checked,
                    note: None,
                };
            }
            let mut scored: Vec<Scored> = CANDIDATES
                .iter()
                .copied()
                .filter(|&k| declares_any(spec, k, root, members))
                .map(|kind| Scored::new(kind, check_as(spec, bytes, kind, root, "", repeats)))
                .collect();
            // Best first; ties go to fewer findings, then to the earlier kind.
            scored.sort_by(|a, b| {
                b.score()
                    .cmp(&a.score())
                    .then(a.checked.raw.len().cmp(&b.checked.raw.len()))
                    .then(a.kind.cmp(&b.kind))
            });
            let mut scored = scored.into_iter();
            let Some(best) = scored.next() else {
                return unknown("object");
            };
            if best.score() < FIT {
                return Guess::Unknown(format!(
                    "cannot tell what this object is: no kind fits its shape (closest: {}, {}); pass --kind to validate it",
                    best.kind,
                    best.evidence()
                ));
            }
            let close: Vec<Scored> = scored
                .take_while(|next| best.score() - next.score() <= CLOSE)
                .collect();
            let note = (!close.is_empty()).then(|| {
                let names: Vec<String> = close
                    .iter()
                    .map(|c| format!("{} (score {})", c.kind, c.score()))
                    .collect();
                let flags: Vec<String> = close.iter().map(|c| format!("--kind {}", c.kind)).collect();
                RawFinding {
                    code: Code::AmbiguousKind,
                    pointer: String::new(),
                    offset: root.start,
                    message: format!(
                        "taken for {} by its shape ({}); nearly as good: {}; pass {} if that is what it is",
                        best.kind,
                        best.evidence(),
                        names.join(", "),
                        flags.join(" or ")
                    ),
                }
            });
            Guess::Found {
                kind: best.kind,
                checked: best.checked,
                note,
            }
        }
        Value::Array(items) => {
            // A list of invites (or nulls, as the list endpoints allow).
            let first = items.iter().find(|n| !matches!(n.value, Value::Null));
            let invites = first.is_some_and(|first| {
                matches!(
                    guess(spec, bytes, first, repeats),
                    Guess::Found {
                        kind: Kind::Invite,
                        ..
                    }
                )
            });
            if invites {
                let checked = check_as(spec, bytes, Kind::InviteList, root, "", repeats);
                Guess::Found {
                    kind: Kind::InviteList,
                    checked,
                    note: None,
                }
            } else {
                unknown("array")
            }
        }
        _ => unknown(root.type_name()),
    }
}

/// Whether the kind's schema declares at least one of the object's top-level keys (the
/// shape allows the kind).
fn declares_any(
    spec: &Spec,
    kind: Kind,
    root: &Node<'_>,
    members: &[super::position::Member<'_>],
) -> bool {
    let name = match kind {
        Kind::Invite => invite_variant(root).unwrap_or("GuildInviteResponse"),
        k => k.schema_name(),
    };
    let Some(id) = spec.component(name) else {
        return false;
    };
    let schema = spec.schema(id);
    members.iter().any(|m| schema.property(&m.key).is_some())
}

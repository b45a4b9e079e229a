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

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::check::{is_legacy_field, RawFinding};
use super::fast::Fast;
use super::kind::Kind;
use super::position::{Node, Value};
use super::spec::{NameSet, Spec};
use super::{check_as, variant_of, Checked, Code};

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

thread_local! {
    /// Whether kinds that cannot reach the best score are left unchecked (always, but in the
    /// test that compares with checking every kind).
    static PRUNE: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    /// Kinds checked (counted for the tests).
    static CHECKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// What the guess found.
pub(crate) enum Guess {
    /// The kind, its findings, and a note when another kind fits nearly as well.
    Found {
        kind: Kind,
        checked: Checked,
        note: Option<RawFinding>,
        /// Whether every payload of this one's [flat shape](remember) would be guessed the
        /// same kind when it decodes as that kind (see [`remember`]).
        settled: bool,
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
            let shape = Shape::new(spec, members, repeats);
            if shape.has("code") && shape.has("type") {
                let checked = check_as(spec, bytes, Kind::Invite, root, "", repeats);
                return Guess::Found {
                    kind: Kind::Invite,
                    checked,
                    note: None,
                    settled: false,
                };
            }
            // Each kind's score is at most its bound (read off the shape, no check), so kinds
            // are checked best bound first, until the bound cannot reach the best score
            // found (less CLOSE): the common shapes are settled by one or two checks.
            let mut bounded: Vec<(i64, Kind)> = CANDIDATES
                .iter()
                .filter_map(|&k| upper_bound(spec, k, &shape).map(|b| (b, k)))
                .collect();
            bounded.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut scored: Vec<Scored> = Vec::new();
            let mut top = i64::MIN;
            for (bound, kind) in bounded {
                if PRUNE.with(std::cell::Cell::get)
                    && !scored.is_empty()
                    && bound < top.saturating_sub(CLOSE)
                {
                    break;
                }
                CHECKS.with(|c| c.set(c.get() + 1));
                let s = Scored::new(kind, check_as(spec, bytes, kind, root, "", repeats));
                top = top.max(s.score());
                scored.push(s);
            }
            // Best first; ties go to fewer findings, then to the earlier kind.
            scored.sort_by(|a, b| {
                b.score()
                    .cmp(&a.score())
                    .then(a.checked.raw.len().cmp(&b.checked.raw.len()))
                    .then(a.kind.cmp(&b.kind))
            });
            // Settled (with no note below: the runner-up checked is more than CLOSE behind, and
            // those not checked are, by their bounds): no candidate's score owes anything to
            // the values, as every one decodes. Other values of the same flat shape can then
            // only lower the others' scores, and the winner's stays as long as it decodes.
            let settled = scored.iter().all(|s| s.checked.refused.is_none());
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
                settled: settled && note.is_none(),
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
                    settled: false,
                }
            } else {
                unknown("array")
            }
        }
        _ => unknown(root.type_name()),
    }
}

/// Flat shapes (see [`Fast::flat_shape`]) the memo keeps at most: enough for the few shapes a
/// capture repeats, a few kilobytes per thread whatever the input. A full memo is emptied
/// before it takes another.
const MEMO_SHAPES: usize = 64;

/// Kinds the guess settled, by flat shape.
type Shapes = HashMap<Box<[u8]>, Kind, foldhash::fast::RandomState>;

thread_local! {
    /// Kinds the guess settled, and a buffer for the shape being looked up.
    static MEMO: RefCell<(Shapes, Vec<u8>)> = RefCell::new(Default::default());
}

#[cfg(test)]
thread_local! {
    /// Whether the fast path may use the memo (always, but in the tests that compare).
    static USE_MEMO: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Remembers that the guess settled on `kind` for a payload whose root object `scan` is at,
/// when the payload is flat (every member a scalar, at most [`FLAT_MEMBERS`](super::fast::FLAT_MEMBERS)). Any payload
/// of the same shape (the same keys in the same order, each value of the same JSON type) is
/// then guessed `kind` too, as long as it decodes as `kind`: a kind's score counts members by
/// their keys and types, and by what the SDK refuses, which only lowers it (`settled`). So
/// the fast path may take such a payload as `kind` without guessing ([`remembered`]), and
/// gives the slow path's report.
///
/// The invite variants are left out: their findings depend on `type`'s value.
pub(crate) fn remember(spec: &Spec, bytes: &[u8], kind: Kind) {
    if matches!(kind, Kind::Invite | Kind::InviteList) {
        return;
    }
    // As the fast path reads it: UTF-8 without a byte order mark, an object at the root.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if text.starts_with('\u{feff}') {
        return;
    }
    let mut scan = Fast::new(spec, text);
    if scan.root_object().is_err() {
        return;
    }
    MEMO.with(|memo| {
        let (shapes, shape) = &mut *memo.borrow_mut();
        if scan.flat_shape(shape) && !envelope_like(shape) {
            // Full: start again, so that a long run keeps up with the shapes it now sees.
            if shapes.len() >= MEMO_SHAPES {
                shapes.clear();
            }
            shapes.insert(shape.as_slice().into(), kind);
        }
    });
}

/// The kind the guess settled on for this payload's flat shape, if it did ([`remember`]).
pub(crate) fn remembered(scan: &mut Fast<'_, '_>) -> Option<Kind> {
    #[cfg(test)]
    if !USE_MEMO.with(std::cell::Cell::get) {
        return None;
    }
    MEMO.with(|memo| {
        let (shapes, shape) = &mut *memo.borrow_mut();
        if shapes.is_empty() || !scan.flat_shape(shape) {
            return None;
        }
        shapes.get(shape.as_slice()).copied()
    })
}

/// Whether a flat shape has `op` and `d`: a gateway envelope (with a `null` payload) may be,
/// depending on `op`'s value, so its kind is not the shape's.
fn envelope_like(shape: &[u8]) -> bool {
    let has = |key: &[u8]| {
        shape
            .split(|&b| b == 0xFF)
            .enumerate()
            // Every part after the first starts with the previous value's type byte.
            .any(|(i, part)| part.get(usize::from(i > 0)..) == Some(key))
    };
    has(b"op") && has(b"d")
}

/// Every property name of the candidates' top-level schemas (the invite variants included),
/// and every name they require (required names are declared too, but the guess does not rely
/// on it: [`Shape::has`] finds only these names).
fn candidate_names(spec: &Spec) -> &'static NameSet {
    static NAMES: OnceLock<NameSet> = OnceLock::new();
    NAMES.get_or_init(|| {
        let variants = [
            "GuildInviteResponse",
            "GroupDMInviteResponse",
            "FriendInviteResponse",
        ];
        CANDIDATES
            .iter()
            .map(|k| k.schema_name())
            .chain(variants)
            .filter_map(|name| spec.component(name))
            .flat_map(|id| {
                let schema = spec.schema(id);
                let declared = schema.properties.iter().map(|(n, _)| n.clone());
                declared.chain(schema.required.iter().cloned())
            })
            .collect()
    })
}

/// What the guess needs of an object, read once (linear in its members): the members some
/// candidate declares with the members nested in each, and the others summed up. Only the
/// declared keys are kept (at most the candidates' names, however large the object): every
/// key the guess looks up (`code`, `type`, the required names) is one of them.
struct Shape<'m> {
    /// First occurrences of keys some candidate declares: (key, members nested in its value).
    known: Vec<(&'m str, i64)>,
    /// First occurrences of keys no candidate declares (legacy keys apart), and the members
    /// nested in their values.
    unknown: i64,
    unknown_nested: i64,
    /// The invite variant the object's `type` picks.
    variant: Option<&'static str>,
}

impl<'m> Shape<'m> {
    fn new(spec: &Spec, members: &'m [super::position::Member<'_>], repeats: bool) -> Self {
        let names = candidate_names(spec);
        let mut shape = Shape {
            known: Vec::new(),
            unknown: 0,
            unknown_nested: 0,
            variant: variant_of(None),
        };
        for m in members {
            // A repeated key is `duplicate-key`, not checked again (the parser marked it).
            if m.repeat && repeats {
                continue;
            }
            let key: &'m str = m.key.as_ref();
            if key == "type" {
                shape.variant = variant_of(Some(&m.value.value));
            }
            if names.contains(key) {
                shape.known.push((key, nested_members(&m.value)));
            } else if !is_legacy_field(key) {
                shape.unknown += 1;
                shape.unknown_nested += nested_members(&m.value);
            }
        }
        shape
    }

    /// Whether the object has `key`, one of the candidates' names (a scan of the declared
    /// keys met: at most the candidates' names).
    fn has(&self, key: &str) -> bool {
        self.known.iter().any(|&(k, _)| same(k, key))
    }
}

/// The most a kind can score on this object (`None` when its schema declares none of the
/// object's keys: the shape does not allow it): every member under a declared key fits, and
/// only the payload's own misfits and absent required fields count against, as the checker
/// will find them (a legacy key is `deprecated-field`, an undeclared key of a free-form
/// object no finding).
fn upper_bound(spec: &Spec, kind: Kind, shape: &Shape<'_>) -> Option<i64> {
    let name = match kind {
        Kind::Invite => shape.variant.unwrap_or("GuildInviteResponse"),
        k => k.schema_name(),
    };
    let schema = spec.schema(spec.component(name)?);
    // An undeclared member: no finding in a free-form object, checked against the schema of
    // the others where there is one (its nested members may fit), a misfit otherwise.
    let undeclared = |count: i64, nested: i64| {
        if schema.free_form {
            0
        } else if matches!(schema.additional, Some(Some(_))) {
            FIT * nested
        } else {
            -MISFIT * count
        }
    };
    let mut declared = false;
    let mut bound = undeclared(shape.unknown, shape.unknown_nested);
    for &(key, nested) in &shape.known {
        if schema.property(key).is_some() {
            declared = true;
            bound += FIT * (1 + nested);
        } else if !is_legacy_field(key) {
            bound += undeclared(1, nested);
        }
    }
    let absent = schema
        .required
        .iter()
        .filter(|r| !shape.has(r.as_str()))
        .count();
    bound -= ABSENT * absent as i64;
    declared.then_some(bound)
}

/// String equality, length and first byte first (keys mostly differ there).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// Object members at any depth inside a value.
fn nested_members(node: &Node<'_>) -> i64 {
    match &node.value {
        Value::Object(members) => members
            .iter()
            .map(|m| m.count() as i64 + nested_members(&m.value))
            .sum(),
        Value::Array(items) => items.iter().map(nested_members).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::position::parse;
    use crate::validate::Options;

    /// Objects to guess: the shapes of the labelled set and the shipped JSON documents, each
    /// also with every top-level key dropped in turn and with an unknown key added.
    fn objects() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut base: Vec<String> =
            std::fs::read_to_string(root.join("tests/fixtures/kinds/shapes.ndjson"))
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect();
        for dir in ["captures/docs", "captures/broken", "tests/fixtures/docs"] {
            for e in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                if e.path().extension().is_some_and(|x| x == "json") {
                    base.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        let mut out = Vec::new();
        for text in base {
            let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(&text)
            else {
                continue;
            };
            for k in m.keys() {
                let mut less = m.clone();
                less.shift_remove(k);
                out.push(serde_json::Value::Object(less).to_string());
            }
            let mut more = m.clone();
            more.insert("surprise".into(), serde_json::json!({"a": 1}));
            out.push(serde_json::Value::Object(more).to_string());
            out.push(text);
        }
        out
    }

    fn outcome(g: &Guess) -> (Option<Kind>, Option<String>) {
        match g {
            Guess::Found { kind, note, .. } => {
                (Some(*kind), note.as_ref().map(|n| n.message.clone()))
            }
            Guess::Unknown(m) => (None, Some(m.clone())),
        }
    }

    #[test]
    fn scores_stay_within_their_bounds_and_pruning_changes_no_guess() {
        let spec = Spec::get();
        let objects = objects();
        assert!(objects.len() > 200, "{}", objects.len());
        let mut bounded = 0;
        let (mut pruned_checks, mut full_checks) = (0, 0);
        for text in &objects {
            let bytes = text.as_bytes();
            let Ok(doc) = parse(bytes) else { continue };
            let Value::Object(members) = &doc.root.value else {
                continue;
            };
            let repeats = !doc.duplicates.is_empty();
            for &kind in CANDIDATES {
                if let Some(bound) = upper_bound(spec, kind, &Shape::new(spec, members, repeats)) {
                    let s = Scored::new(kind, check_as(spec, bytes, kind, &doc.root, "", repeats));
                    assert!(
                        s.score() <= bound,
                        "{kind}: score {} over its bound {bound} on {text}",
                        s.score()
                    );
                    bounded += 1;
                }
            }
            let checks = || CHECKS.with(std::cell::Cell::get);
            let before = checks();
            let pruned = guess(spec, bytes, &doc.root, repeats);
            pruned_checks += checks() - before;
            PRUNE.with(|p| p.set(false));
            let before = checks();
            let full = guess(spec, bytes, &doc.root, repeats);
            full_checks += checks() - before;
            PRUNE.with(|p| p.set(true));
            assert_eq!(outcome(&pruned), outcome(&full), "{text}");
        }
        assert!(bounded > 1000, "{bounded}");
        eprintln!("{pruned_checks} kinds checked with pruning, {full_checks} without");
        // Pruning saves most of the checks.
        assert!(
            pruned_checks * 2 < full_checks,
            "{pruned_checks} of {full_checks}"
        );
        // A vanity URL is settled by one check.
        let text = br#"{"code": "abc", "uses": 12}"#;
        let doc = parse(text).unwrap();
        let before = CHECKS.with(std::cell::Cell::get);
        let _ = guess(spec, text, &doc.root, false);
        assert_eq!(CHECKS.with(std::cell::Cell::get) - before, 1);
    }

    /// Flat payloads over the keys of several kinds, with values of every JSON type, including
    /// ones the SDK refuses for some kinds (too large, negative, not a snowflake, not a date).
    fn flat_payloads() -> Vec<String> {
        // The top-level keys of several kinds (with their usual values), to draw shapes from.
        let kinds: [&[(&str, &str)]; 5] = [
            &[("code", r#""abc""#), ("uses", "12")],
            &[("code", "10006"), ("message", r#""Unknown Invite""#)],
            &[
                ("message", r#""You are being rate limited.""#),
                ("retry_after", "0.5"),
                ("global", "false"),
            ],
            &[
                ("status", "1"),
                ("total_users", "10"),
                ("processed_users", "3"),
                ("created_at", r#""2026-12-03T10:00:00Z""#),
                ("completed_at", "null"),
                ("error_message", "null"),
            ],
            &[
                ("code", r#""abc""#),
                ("channel_id", r#""80351110224678912""#),
                ("guild_id", r#""80351110224678912""#),
            ],
        ];
        let values = [
            r#""abc""#,
            "1",
            "0",
            "-1",
            "12",
            "1.5",
            "1e3",
            "99999999999999999999999",
            "null",
            "true",
            r#""""#,
            "4294967296",
            r#""2026-12-03T10:00:00Z""#,
            r#""not a date""#,
            r#""80351110224678912""#,
            "2147483648",
            r#""a\nb""#,
            "-99999999999999999999",
        ];
        // A fixed linear congruential sequence: the same payloads on every run.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        let mut out = Vec::new();
        for _ in 0..400 {
            // Some of a kind's keys, sometimes with one it lacks.
            let kind = kinds[next(kinds.len())];
            let mut shape: Vec<(&str, &str)> =
                kind.iter().copied().filter(|_| next(4) != 0).collect();
            if next(3) == 0 {
                shape.push(("x", "1"));
            }
            for _ in 0..12 {
                // The usual values, or others (of the same JSON type or not).
                let members: Vec<String> = shape
                    .iter()
                    .map(|(k, usual)| {
                        let v = if next(3) == 0 {
                            values[next(values.len())]
                        } else {
                            usual
                        };
                        format!(r#""{k}":{v}"#)
                    })
                    .collect();
                out.push(format!("{{{}}}", members.join(",")));
            }
        }
        out
    }

    /// The fast path takes a payload of a remembered shape for the remembered kind, and its
    /// report is the slow path's (which guesses) on every payload.
    #[test]
    fn remembered_shapes_give_the_guess_report() {
        let options = Options::default();
        let origin = crate::validate::Origin::START;
        let (mut remembered, mut total) = (0, 0);
        for text in flat_payloads() {
            let bytes = text.as_bytes();
            total += 1;
            if let Ok(fast) = crate::validate::validate_fast(bytes, None, origin, &options) {
                remembered += 1;
                let slow = crate::validate::validate_slow(bytes, None, origin, &options);
                assert_eq!(fast, slow, "{text}");
            }
            // Guessed (and remembered when settled) for the next payloads.
            let _ = crate::validate::validate_slow(bytes, None, origin, &options);
        }
        // Not vacuous: none of these has `type` first, so only the memo lets the fast path in.
        assert!(remembered * 10 > total, "{remembered} of {total}");
    }

    /// `text` validated with no context and no `--kind`, as an NDJSON line is.
    fn validate_alone(text: &str) -> crate::validate::Report {
        crate::validate::validate_payload(
            text.as_bytes(),
            None,
            crate::validate::Origin::START,
            &Options::default(),
        )
    }

    /// A huge array of tiny payloads of one shape is guessed once, not once per payload.
    #[test]
    fn one_shape_is_guessed_once() {
        let checks = || CHECKS.with(std::cell::Cell::get);
        let vanity = |i: usize| format!(r#"{{"code":"c{i}","uses":{i}}}"#);
        let before = checks();
        for i in 0..1000 {
            let report = validate_alone(&vanity(i));
            assert_eq!(report.kind, Some(Kind::VanityUrl), "{}", vanity(i));
        }
        assert!(
            checks() - before <= 2,
            "{} kinds checked",
            checks() - before
        );
        // Without the memo, every payload is guessed.
        USE_MEMO.with(|m| m.set(false));
        let before = checks();
        for i in 0..10 {
            let _ = validate_alone(&vanity(i));
        }
        USE_MEMO.with(|m| m.set(true));
        assert!(checks() - before >= 10, "{}", checks() - before);
    }

    /// A full memo starts again: the shapes a long run sees late are remembered too.
    #[test]
    fn a_full_memo_takes_new_shapes() {
        let validate = validate_alone;
        for i in 0..MEMO_SHAPES + 6 {
            let report = validate(&format!(r#"{{"code":"a","uses":1,"x{i}":1}}"#));
            assert_eq!(report.kind, Some(Kind::VanityUrl), "{report:?}");
        }
        let late = r#"{"code":"a","uses":1,"late":true}"#;
        let _ = validate(late);
        let before = CHECKS.with(std::cell::Cell::get);
        assert_eq!(validate(late).kind, Some(Kind::VanityUrl));
        assert_eq!(CHECKS.with(std::cell::Cell::get), before, "guessed again");
    }
}

//! The payload validator: does a captured JSON payload decode with this SDK, and where does it
//! drift from Discord's (pinned, upstream) spec?
//!
//! ```
//! use discord_invite::validate::{validate, Code, Kind, Severity, Status};
//!
//! let json = br#"{"type": 2, "code": "abc", "expires_at": null, "channel": null, "guild_id": "1"}"#;
//! let report = validate(json, None);
//! assert_eq!(report.kind, Some(Kind::Invite));
//! assert_eq!(report.schema, Some("FriendInviteResponse"));
//! assert_eq!(report.status, Status::Warning);
//! let f = &report.findings[0];
//! assert_eq!((f.severity, f.code), (Severity::Warning, Code::WrongVariantField));
//! assert_eq!(f.pointer(), "/guild_id");
//! assert_eq!((f.line(), f.column()), (Some(1), Some(65)));
//! ```
//!
//! Three severities (see [`Severity`]): an **error** is something the SDK cannot decode (or
//! input that is not JSON); a **warning** is drift from Discord's spec that the SDK tolerates;
//! a **note** is anything else worth knowing. Every finding has a stable [`Code`].
//!
//! How a payload's kind is found, first match wins: the context (a HAR entry's method and URL,
//! passed as `known` to [`validate_payload`]); a gateway envelope `{op, t, d}`
//! (`INVITE_CREATE` / `INVITE_DELETE`; other events are reported as `not-invite`);
//! [`Options::kind`]; the payload's shape. A payload whose kind cannot be found is reported
//! with the note `unknown-kind`.
//!
//! Positions: [`Finding::line`] and [`Finding::column`] are 1-based; the column counts
//! characters (Unicode scalar values), not bytes. [`Finding::offset`] is the byte offset within
//! the bytes given to the validator.
//!
//! The multi-payload readers (files, NDJSON, HAR, directories, stdin) are in [`input`].

use std::fmt::{self, Write as _};

use serde::Serialize;

mod cap;
mod check;
mod exchange;
mod fast;
mod guess;
pub mod input;
mod keys;
mod kind;
#[cfg(test)]
mod linear_tests;
mod models;
mod position;
mod spec;
mod text;
mod unique;

pub use kind::{HarPart, Kind, UnknownKindError};

use check::{Checker, RawFinding};
use position::{Node, Value};
use spec::Spec;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; neither breaks the SDK nor contradicts the spec.
    Note,
    /// Drift from Discord's spec that the SDK tolerates.
    Warning,
    /// The SDK cannot decode the payload (or it is not JSON).
    Error,
}

impl Severity {
    /// `note`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable, machine-readable code of a finding. `docs/VALIDATE.md` describes each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// Not JSON: a syntax error, invalid UTF-8, an empty input (error).
    InvalidJson,
    /// The SDK model rejects the payload (error).
    DecodeError,
    /// A field the spec requires is absent (warning; error with `--strict`).
    MissingRequired,
    /// A field the spec does not declare (warning).
    UnknownField,
    /// A value outside a closed enum of the spec (warning; error with `--strict`).
    UnknownEnumValue,
    /// A number outside the spec's range, or an array longer than it allows (warning).
    OutOfRange,
    /// A deprecated or legacy field, e.g. `target_user_type` (warning).
    DeprecatedField,
    /// A field that belongs to another invite variant, e.g. `guild` on a friend invite
    /// (warning).
    WrongVariantField,
    /// A JSON type the spec does not allow, where the SDK still decodes (warning).
    WrongType,
    /// A key repeated in one object (warning).
    DuplicateKey,
    /// A string that does not match the spec's format: a snowflake, an RFC 3339 date-time
    /// (warning).
    InvalidFormat,
    /// A repeated item in an array the spec says holds unique items (warning).
    DuplicateItem,
    /// `null` for a field the spec allows to be absent but not null (note).
    UnexpectedNull,
    /// The payload's kind could not be found; it was not validated (note).
    UnknownKind,
    /// The kind was guessed from the payload's shape and another kind fits nearly as well;
    /// the note names it and the `--kind` that picks it (note).
    AmbiguousKind,
    /// A payload that is not invite-related (another gateway event); not validated (note).
    NotInvite,
    /// An invite-related HAR entry whose body is missing (note).
    NoBody,
    /// An invite-related HAR body that is not JSON (a CSV download, a multipart upload) (note).
    NotJson,
    /// A file or directory could not be read (error; exit code 2).
    IoError,
    /// A payload larger than the readers' limit (`--max-payload-bytes`); not read (error).
    TooLarge,
    /// A FIFO, socket or device found in a directory; not opened (note).
    NotAFile,
    /// A file found in a directory whose name is not one a walk reads (`*.json`, `*.ndjson`,
    /// `*.jsonl`, `*.har`); not opened (note).
    SkippedFile,
    /// A directory named to the reader in which no file was read: it holds none a walk
    /// reads, or none could be opened (warning).
    NoPayloadFile,
    /// A HAR entry on an invite path with a method the spec has no operation for (warning;
    /// a note when the response is a 4xx).
    UndocumentedOperation,
    /// A HAR request's query parameter that the operation does not define (warning; a note
    /// on a 4xx).
    UnknownParameter,
    /// A HAR request's path or query parameter whose value does not fit: a snowflake, an
    /// invite code, a boolean (warning; a note on a 4xx).
    InvalidParameter,
    /// A HAR request's `X-Audit-Log-Reason` that is not percent-encoded UTF-8 of 1 to 512
    /// characters, or on an operation that takes none (warning; a note on a 4xx).
    InvalidHeader,
    /// A HAR response status the operation does not list (warning).
    UnexpectedStatus,
    /// A HAR request or response content type the operation does not list (warning).
    UnexpectedContentType,
}

impl Code {
    /// Every code.
    pub const ALL: &'static [Code] = &[
        Code::InvalidJson,
        Code::DecodeError,
        Code::MissingRequired,
        Code::UnknownField,
        Code::UnknownEnumValue,
        Code::OutOfRange,
        Code::DeprecatedField,
        Code::WrongVariantField,
        Code::WrongType,
        Code::DuplicateKey,
        Code::InvalidFormat,
        Code::DuplicateItem,
        Code::UnexpectedNull,
        Code::UnknownKind,
        Code::AmbiguousKind,
        Code::NotInvite,
        Code::NoBody,
        Code::NotJson,
        Code::IoError,
        Code::TooLarge,
        Code::NotAFile,
        Code::SkippedFile,
        Code::NoPayloadFile,
        Code::UndocumentedOperation,
        Code::UnknownParameter,
        Code::InvalidParameter,
        Code::InvalidHeader,
        Code::UnexpectedStatus,
        Code::UnexpectedContentType,
    ];

    /// The kebab-case code, e.g. `missing-required`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "invalid-json",
            Code::DecodeError => "decode-error",
            Code::MissingRequired => "missing-required",
            Code::UnknownField => "unknown-field",
            Code::UnknownEnumValue => "unknown-enum-value",
            Code::OutOfRange => "out-of-range",
            Code::DeprecatedField => "deprecated-field",
            Code::WrongVariantField => "wrong-variant-field",
            Code::WrongType => "wrong-type",
            Code::DuplicateKey => "duplicate-key",
            Code::InvalidFormat => "invalid-format",
            Code::DuplicateItem => "duplicate-item",
            Code::UnexpectedNull => "unexpected-null",
            Code::UnknownKind => "unknown-kind",
            Code::AmbiguousKind => "ambiguous-kind",
            Code::NotInvite => "not-invite",
            Code::NoBody => "no-body",
            Code::NotJson => "not-json",
            Code::IoError => "io-error",
            Code::TooLarge => "too-large",
            Code::NotAFile => "not-a-file",
            Code::SkippedFile => "skipped-file",
            Code::NoPayloadFile => "no-payload-file",
            Code::UndocumentedOperation => "undocumented-operation",
            Code::UnknownParameter => "unknown-parameter",
            Code::InvalidParameter => "invalid-parameter",
            Code::InvalidHeader => "invalid-header",
            Code::UnexpectedStatus => "unexpected-status",
            Code::UnexpectedContentType => "unexpected-content-type",
        }
    }

    /// One sentence on what the code means (SARIF's rule `shortDescription`, the docs' table).
    pub fn description(self) -> &'static str {
        match self {
            Code::InvalidJson => "The input is not JSON: a syntax error, invalid UTF-8, empty input, nesting too deep, or a base64 HAR body that does not decode.",
            Code::DecodeError => "The SDK's model rejects the payload: the SDK cannot decode it.",
            Code::MissingRequired => "A field the spec requires is absent.",
            Code::UnknownField => "A field the spec does not declare.",
            Code::UnknownEnumValue => "A value outside one of the spec's closed enums.",
            Code::OutOfRange => "A number outside the spec's range, or an array longer than it allows.",
            Code::DeprecatedField => "A field the spec marks deprecated, or a legacy field Discord's docs retired.",
            Code::WrongVariantField => "A field that belongs to another invite variant than the one the invite's `type` picks.",
            Code::WrongType => "A JSON type the spec does not allow, where the SDK still decodes.",
            Code::DuplicateKey => "A key repeated in one object; readers disagree on which one wins.",
            Code::InvalidFormat => "A string that is not a snowflake or an RFC 3339 date-time where the spec says so.",
            Code::DuplicateItem => "A repeated item in an array the spec says holds unique items.",
            Code::UnexpectedNull => "`null` for a field the spec allows to be absent but not null.",
            Code::UnknownKind => "The payload's kind could not be found; it was not validated.",
            Code::AmbiguousKind => "The kind was guessed from the payload's shape and other kinds fit nearly as well.",
            Code::NotInvite => "A gateway event or opcode that is not invite-related; not validated.",
            Code::NoBody => "An invite-related HAR entry without a recorded body.",
            Code::NotJson => "An invite-related HAR body that is not JSON (a CSV download, a multipart upload, an HTML error page).",
            Code::IoError => "A file or directory could not be read.",
            Code::TooLarge => "A payload larger than the readers' limit (--max-payload-bytes); not read.",
            Code::NotAFile => "A FIFO, socket or device found in a directory; not opened.",
            Code::SkippedFile => "A file found in a directory whose name is not *.json, *.ndjson, *.jsonl or *.har; not opened.",
            Code::NoPayloadFile => "A directory named on the command line in which no file was read.",
            Code::UndocumentedOperation => "A HAR entry on an invite path with a method the spec has no operation for.",
            Code::UnknownParameter => "A query parameter the spec's operation does not define.",
            Code::InvalidParameter => "A path or query parameter whose value does not fit the spec: a snowflake, an invite code, a boolean.",
            Code::InvalidHeader => "An X-Audit-Log-Reason header that is not percent-encoded UTF-8 of 1 to 512 characters, or on an operation that takes none.",
            Code::UnexpectedStatus => "A response status the spec's operation does not list.",
            Code::UnexpectedContentType => "A request or response content type the spec's operation does not list.",
        }
    }

    /// What to do about a finding of this code (SARIF's rule `help`).
    pub fn help(self) -> &'static str {
        match self {
            Code::InvalidJson => "Fix the capture: the message gives where the JSON breaks. A truncated log line or a HAR body cut by the browser shows up here.",
            Code::DecodeError => "This payload would fail in code that uses the SDK. If Discord really sends it, the SDK needs a change (an overlay entry in schema/overlay.toml); otherwise the producer of the payload is wrong.",
            Code::MissingRequired => "Discord's spec requires the field but the payload lacks it. The SDK tolerates it where schema/overlay.toml says so; report the spec drift upstream or fix the producer.",
            Code::UnknownField => "Discord sends a field its spec does not document (often a new one). The SDK keeps it as an unknown field; nothing breaks.",
            Code::UnknownEnumValue => "A value the spec's enum lacks (often new on Discord's side). The SDK keeps it as an Unknown variant; code that matches on the enum should handle that case. `discord-invite schema export KIND` lists the values the SDK knows.",
            Code::OutOfRange => "The number is outside what the spec allows; requests with it are likely refused by Discord.",
            Code::DeprecatedField => "The field is deprecated or was removed from Discord's API; stop relying on it.",
            Code::WrongVariantField => "The invite carries a field of another variant (e.g. `guild` on a friend invite): check its `type`.",
            Code::WrongType => "The JSON type differs from the spec's, but the SDK still decodes it; report the drift or fix the producer.",
            Code::DuplicateKey => "Remove the repeated key: JSON readers disagree on which occurrence wins.",
            Code::InvalidFormat => "Snowflakes are decimal digits without a leading zero; date-times are RFC 3339 (2016-03-31T19:15:39.954000+00:00).",
            Code::DuplicateItem => "Remove the repeated item: the spec requires unique items.",
            Code::UnexpectedNull => "Discord's spec says the field may be absent but not null; the SDK reads null as absent.",
            Code::UnknownKind => "Pass --kind NAME (see `discord-invite schema export`) to validate the payload as that kind.",
            Code::AmbiguousKind => "Pass the --kind the note names if the guess is wrong; with --kind the payload is validated as that kind.",
            Code::NotInvite => "Nothing to do: the validator only checks invite payloads. -v lists these.",
            Code::NoBody => "Export the HAR with bodies (devtools: \"Save all as HAR with content\").",
            Code::NotJson => "Nothing to validate: the body is not JSON.",
            Code::IoError => "Check the path and its permissions; the other paths were still validated (exit code 2).",
            Code::TooLarge => "Raise --max-payload-bytes if the payload is real; it was stepped over without being held in memory.",
            Code::NotAFile => "Name it on the command line to read it (a FIFO is read then); a directory walk does not open it, as it could block forever.",
            Code::SkippedFile => "Rename it (.json, .ndjson, .jsonl, .har) or name it on the command line to read it. -v lists these.",
            Code::NoPayloadFile => "Check the path: the directory holds no *.json, *.ndjson, *.jsonl or *.har file (or none could be read), so nothing in it was validated.",
            Code::UndocumentedOperation => "The client calls an operation Discord's spec does not document; it may change or go away without notice.",
            Code::UnknownParameter => "Discord's spec does not define this query parameter for the operation; it may be ignored or removed.",
            Code::InvalidParameter => "Discord refuses or misreads the value; use the type the spec gives (snowflakes are decimal digits, booleans true or false).",
            Code::InvalidHeader => "Percent-encode the reason as UTF-8 and keep it within 512 characters.",
            Code::UnexpectedStatus => "Discord answered with a status its spec does not list for the operation.",
            Code::UnexpectedContentType => "The body's content type is not the spec's (often a proxy's HTML error page); the body was not validated.",
        }
    }

    /// Whether the code is about a HAR exchange rather than a body: the finding's pointer is
    /// into the HAR entry (`/request/url`) and its line and column are in the HAR file.
    pub fn is_exchange(self) -> bool {
        matches!(
            self,
            Code::UndocumentedOperation
                | Code::UnknownParameter
                | Code::InvalidParameter
                | Code::InvalidHeader
                | Code::UnexpectedStatus
                | Code::UnexpectedContentType
        )
    }

    /// The severity of the code, with `--strict` or without.
    pub fn severity(self, strict: bool) -> Severity {
        match self {
            Code::InvalidJson | Code::DecodeError | Code::IoError | Code::TooLarge => {
                Severity::Error
            }
            Code::MissingRequired | Code::UnknownEnumValue if strict => Severity::Error,
            Code::MissingRequired
            | Code::UnknownField
            | Code::UnknownEnumValue
            | Code::OutOfRange
            | Code::DeprecatedField
            | Code::WrongVariantField
            | Code::WrongType
            | Code::DuplicateKey
            | Code::InvalidFormat
            | Code::DuplicateItem
            | Code::UndocumentedOperation
            | Code::UnknownParameter
            | Code::InvalidParameter
            | Code::InvalidHeader
            | Code::UnexpectedStatus
            | Code::UnexpectedContentType
            | Code::NoPayloadFile => Severity::Warning,
            Code::UnexpectedNull
            | Code::UnknownKind
            | Code::AmbiguousKind
            | Code::NotInvite
            | Code::NoBody
            | Code::NotJson
            | Code::NotAFile
            | Code::SkippedFile => Severity::Note,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One thing the validator found.
///
/// The pointer and the message are read with [`Finding::pointer`] and [`Finding::message`]:
/// the findings of one report share one buffer for their text, so a finding costs no
/// allocation of its own (a payload can have hundreds of thousands). A finding kept after its
/// report is dropped keeps that buffer alive; [`Finding::new`] makes one with a text of its
/// own. Its place is read with [`Finding::line`], [`Finding::column`] and [`Finding::offset`]
/// (48 bytes a finding on 64-bit targets, where three `Option<usize>` fields made it 80): each
/// is kept in 48 bits, so up to 281,474,976,710,654 (256 TiB); one past that reads as unknown,
/// `None`.
#[derive(Clone)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// The line (1-based), the column (1-based) and the offset plus one (0: unknown).
    pub(crate) line: Place,
    pub(crate) column: Place,
    offset: Place,
    text: text::Text,
}

/// A place (a line, a column or an offset plus one; 0 is unknown) in 48 bits: three `u16`s,
/// so that three of them and the severity and code take 20 bytes, not 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Place([u16; 3]);

impl Place {
    /// The most a place holds.
    const MOST: u64 = (1 << 48) - 1;

    /// `n` (0, and a number past [`Place::MOST`], is unknown).
    #[inline]
    pub(crate) fn of(n: usize) -> Place {
        let n = u64::try_from(n)
            .ok()
            .filter(|&n| n <= Place::MOST)
            .unwrap_or(0);
        Place([n as u16, (n >> 16) as u16, (n >> 32) as u16])
    }

    /// The number kept (0: unknown).
    #[inline]
    pub(crate) fn get(self) -> u64 {
        let [a, b, c] = self.0;
        u64::from(a) | u64::from(b) << 16 | u64::from(c) << 32
    }

    /// The number kept, or `None` for 0.
    #[inline]
    fn known(self) -> Option<usize> {
        match self.get() {
            0 => None,
            n => usize::try_from(n).ok(),
        }
    }
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Finding>() == 48);

impl Finding {
    /// A finding without a place (see [`Finding::at`] and [`Finding::at_offset`]).
    ///
    /// ```
    /// use discord_invite::validate::{Code, Finding, Severity};
    /// let f = Finding::new(Severity::Warning, Code::UnknownField, "/zz", "`zz` is new").at(1, 9);
    /// assert_eq!((f.pointer(), f.message()), ("/zz", "`zz` is new"));
    /// assert_eq!((f.line(), f.column(), f.offset()), (Some(1), Some(9), None));
    /// ```
    pub fn new(severity: Severity, code: Code, pointer: &str, message: &str) -> Finding {
        Finding {
            severity,
            code,
            line: Place::default(),
            column: Place::default(),
            offset: Place::default(),
            text: text::Text::new(pointer, message),
        }
    }

    /// The finding at `line` and `column` (both 1-based; a 0 means unknown).
    #[must_use]
    pub fn at(mut self, line: usize, column: usize) -> Finding {
        self.line = Place::of(line);
        self.column = Place::of(column);
        self
    }

    /// The finding at byte `offset` of the bytes that were validated.
    #[must_use]
    pub fn at_offset(mut self, offset: usize) -> Finding {
        self.set_offset(offset);
        self
    }

    /// Sets the offset (kept plus one; past [`Place::MOST`], unknown).
    #[inline]
    pub(crate) fn set_offset(&mut self, offset: usize) {
        self.offset = Place::of(offset.checked_add(1).unwrap_or(0));
    }

    /// The offset plus one (0: unknown), which orders findings as their offsets do, the
    /// unknown first.
    #[inline]
    pub(crate) fn offset_key(&self) -> u64 {
        self.offset.get()
    }

    /// 1-based line in the source (`None` when there is no position, e.g. an I/O error).
    #[inline]
    pub fn line(&self) -> Option<usize> {
        self.line.known()
    }

    /// 1-based column in the source, counted in characters (Unicode scalar values).
    #[inline]
    pub fn column(&self) -> Option<usize> {
        self.column.known()
    }

    /// Byte offset within the bytes that were validated (for a missing field: the object).
    #[inline]
    pub fn offset(&self) -> Option<usize> {
        self.offset_key()
            .checked_sub(1)
            .and_then(|o| usize::try_from(o).ok())
    }

    /// Where, as a JSON pointer (RFC 6901) into the payload; for a missing field, the pointer
    /// the field would have. Empty for the whole payload.
    #[inline]
    pub fn pointer(&self) -> &str {
        self.text.pointer()
    }

    /// What is wrong, for humans.
    #[inline]
    pub fn message(&self) -> &str {
        self.text.message()
    }
}

impl fmt::Debug for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("severity", &self.severity)
            .field("code", &self.code)
            .field("pointer", &self.pointer())
            .field("line", &self.line())
            .field("column", &self.column())
            .field("offset", &self.offset())
            .field("message", &self.message())
            .finish()
    }
}

impl PartialEq for Finding {
    fn eq(&self, o: &Finding) -> bool {
        (
            self.severity,
            self.code,
            self.line,
            self.column,
            self.offset_key(),
        ) == (o.severity, o.code, o.line, o.column, o.offset_key())
            && self.pointer() == o.pointer()
            && self.message() == o.message()
    }
}

impl Eq for Finding {}

/// As it always was: `severity`, `code`, `pointer`, `line`, `column`, `message` (the offset is
/// left out).
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Finding", 6)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("pointer", self.pointer())?;
        st.serialize_field("line", &self.line())?;
        st.serialize_field("column", &self.column())?;
        st.serialize_field("message", self.message())?;
        st.end()
    }
}

/// The verdict on one payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Decodes, no drift (notes allowed).
    Valid,
    /// Decodes, with drift from the spec.
    Warning,
    /// Does not decode (or is not JSON).
    Error,
    /// Not validated: not invite-related, or of unknown kind (a note says which).
    Skipped,
}

impl Status {
    /// `valid`, `warning`, `error` or `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of validating one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The kind it was validated as (`None` when not validated).
    pub kind: Option<Kind>,
    /// The spec component it was checked against, e.g. `FriendInviteResponse`.
    pub schema: Option<&'static str>,
    /// The verdict.
    pub status: Status,
    /// Findings in source order.
    pub findings: Vec<Finding>,
    /// The findings left out by [`Options::max_repeats`] and [`Options::max_error_repeats`],
    /// counted by kind (empty unless one of them is set).
    pub omitted: Vec<Omitted>,
}

/// Findings of one kind that a report counts but does not list: the ones past
/// [`Options::max_repeats`] (or [`Options::max_error_repeats`]), in source order.
///
/// ```
/// use discord_invite::validate::{validate_payload, Code, Options, Origin};
/// let json = br#"{"type": 0, "code": "a", "guild": {"id": "1", "name": "g",
///     "features": ["F1", "F2", "F3", "F4"]}}"#;
/// let options = Options::default().with_max_repeats(Some(1), None);
/// let report = validate_payload(json, None, Origin::START, &options);
/// let listed = report.findings.iter().filter(|f| f.code == Code::UnknownEnumValue);
/// assert_eq!(listed.map(|f| f.pointer()).collect::<Vec<_>>(), ["/guild/features/0"]);
/// let o = &report.omitted[0];
/// assert_eq!((o.code, o.pointer.as_str(), o.count), (Code::UnknownEnumValue, "/guild/features/*", 3));
/// assert_eq!(report.count(o.severity), report.findings.len() + 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Omitted {
    /// How serious they are.
    pub severity: Severity,
    /// Their code.
    pub code: Code,
    /// Their pointer, with array indices (and other all-digit segments, which a pointer
    /// cannot tell from indices) as `*`: the kind of finding.
    pub pointer: String,
    /// How many were left out.
    pub count: usize,
}

/// Appends `pointer` with array indices (and other all-digit segments) as `*`: the kind of
/// finding that [`Options::max_repeats`] counts, and [`Omitted::pointer`] names.
///
/// ```
/// let mut out = String::new();
/// discord_invite::validate::push_pointer_pattern(&mut out, "/guild/features/3");
/// assert_eq!(out, "/guild/features/*");
/// ```
#[inline]
pub fn push_pointer_pattern(out: &mut String, pointer: &str) {
    cap::push_pointer_pattern(out, pointer);
}

/// The worst severity among findings listed and omitted (`None`: there are none).
pub(crate) fn worst(findings: &[Finding], omitted: &[Omitted]) -> Option<Severity> {
    let listed = findings.iter().map(|f| f.severity);
    listed.chain(omitted.iter().map(|o| o.severity)).max()
}

impl Report {
    /// The number of findings of a severity, the omitted ones included.
    pub fn count(&self, severity: Severity) -> usize {
        let listed = self
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        let omitted: usize = self
            .omitted
            .iter()
            .filter(|o| o.severity == severity)
            .map(|o| o.count)
            .sum();
        listed + omitted
    }

    /// A report that only says something (an I/O error, a missing body); used by the readers.
    pub fn single(kind: Option<Kind>, code: Code, message: String) -> Report {
        let severity = code.severity(false);
        Report {
            kind,
            schema: None,
            status: match severity {
                Severity::Error => Status::Error,
                _ => Status::Skipped,
            },
            findings: vec![Finding::new(severity, code, "", &message)],
            omitted: Vec::new(),
        }
    }
}

/// Settings for a validation run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The kind to use when neither the context nor a gateway envelope says (`--kind`).
    pub kind: Option<Kind>,
    /// Treat the spec's required fields and closed enums as errors (`--strict`).
    pub strict: bool,
    /// List at most this many warnings and notes of each kind (a code at one pointer, array
    /// indices as `*`) and count the rest in [`Report::omitted`] (`None`: list them all). A
    /// payload of a million repeats then costs a count each, not a million findings: what
    /// human output (`--max-repeats`) sets.
    pub max_repeats: Option<usize>,
    /// [`Options::max_repeats`] for errors (`--max-error-repeats`).
    pub max_error_repeats: Option<usize>,
}

impl Options {
    /// Options with a kind and strictness (every finding listed).
    pub fn new(kind: Option<Kind>, strict: bool) -> Self {
        Options {
            kind,
            strict,
            max_repeats: None,
            max_error_repeats: None,
        }
    }

    /// These options with [`Options::max_repeats`] and [`Options::max_error_repeats`] set.
    ///
    /// ```
    /// use discord_invite::validate::Options;
    /// let o = Options::default().with_max_repeats(Some(5), Some(50));
    /// assert_eq!((o.max_repeats, o.max_error_repeats), (Some(5), Some(50)));
    /// ```
    pub fn with_max_repeats(mut self, others: Option<usize>, errors: Option<usize>) -> Self {
        self.max_repeats = others;
        self.max_error_repeats = errors;
        self
    }
}

/// Where the first byte of a payload sits in its source file (1-based), so findings get file
/// positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Line of the first byte.
    pub line: usize,
    /// Column (characters) of the first byte.
    pub column: usize,
}

impl Origin {
    /// The start of a file.
    pub const START: Origin = Origin { line: 1, column: 1 };
}

impl Default for Origin {
    fn default() -> Self {
        Origin::START
    }
}

/// Validates one JSON payload. `kind` works like `--kind`: a gateway envelope still wins, and
/// without either the kind is guessed from the payload's shape.
///
/// ```
/// use discord_invite::validate::{validate, Kind, Status};
/// let r = validate(br#"{"code": "abc", "uses": 12}"#, Some(Kind::VanityUrl));
/// assert_eq!(r.status, Status::Valid);
/// let r = validate(b"{\"code\": ", None);
/// assert_eq!(r.status, Status::Error);
/// assert_eq!(r.findings[0].code.as_str(), "invalid-json");
/// ```
pub fn validate(bytes: &[u8], kind: Option<Kind>) -> Report {
    validate_payload(bytes, None, Origin::START, &Options::new(kind, false))
}

/// Validates one payload with full control: `known` is the kind the context dictates (a HAR
/// entry; it beats an envelope), `origin` places the bytes in their source file.
pub fn validate_payload(
    bytes: &[u8],
    known: Option<Kind>,
    origin: Origin,
    options: &Options,
) -> Report {
    match validate_fast(bytes, known, origin, options) {
        Ok(report) => report,
        Err(fast::Bail) => validate_slow(bytes, known, origin, options),
    }
}

/// The fast path (see `fast`): the spec check inside the SDK decode (one pass), for a single
/// object whose kind is clear before it is read. Gives up on anything else, and on any payload
/// the SDK's fast reader does not decode, leaving it to [`validate_slow`], whose report it
/// reproduces exactly.
fn validate_fast(
    bytes: &[u8],
    known: Option<Kind>,
    origin: Origin,
    options: &Options,
) -> Result<Report, fast::Bail> {
    use fast::{top, Bail};
    let text = std::str::from_utf8(bytes).map_err(|_| Bail)?;
    if text.starts_with('\u{feff}') {
        return Err(Bail);
    }
    let spec = Spec::get();
    let mut scan = fast::Fast::new(spec, text);
    scan.cap_with =
        Some(*options).filter(|o| o.max_repeats.is_some() || o.max_error_repeats.is_some());
    scan.root_object()?;
    let first = scan.first_member();
    // The kind: the context's, else `--kind`'s (an envelope would beat it: checked below), else
    // an invite by its shape, which needs `type` (first, as Discord sends it) and `code`.
    // A payload of a flat shape the guess settled before is taken for that kind (see
    // `guess::remember`).
    let kind = match known.or(options.kind) {
        Some(kind) => kind,
        None if matches!(first, Some(("type", _))) => Kind::Invite,
        // Only small payloads are remembered (and the shape buffer stays small).
        None if bytes.len() < SNIFF_AT => guess::remembered(&mut scan).ok_or(Bail)?,
        None => return Err(Bail),
    };
    let remembered = known.or(options.kind).is_none() && kind != Kind::Invite;
    let variant = match kind {
        Kind::Invite => match first {
            Some(("type", Some("0"))) => Some(0),
            Some(("type", Some("1"))) => Some(1),
            Some(("type", Some("2"))) => Some(2),
            _ => return Err(Bail),
        },
        Kind::GuildInvite => Some(0),
        Kind::GroupDmInvite => Some(1),
        Kind::FriendInvite => Some(2),
        Kind::InviteList => return Err(Bail),
        _ => None,
    };
    let (schema, id, siblings) = match variant {
        Some(v) => {
            // The other two, in `VARIANTS` order (as the slow path lists them).
            let others = match v {
                0 => [1, 2],
                1 => [0, 2],
                _ => [0, 1],
            };
            let [Some(a), Some(b)] = others.map(|o| spec.variants[o]) else {
                return Err(Bail);
            };
            (VARIANTS[v], spec.variants[v].ok_or(Bail)?, [a, b])
        }
        None => {
            let name = kind.schema_name();
            (name, spec.component(name).ok_or(Bail)?, [0; 2])
        }
    };
    let siblings: &[usize] = if variant.is_some() { &siblings } else { &[] };
    // The spec check and the SDK decode, in one pass (gives up if the SDK does not decode it).
    scan.check_decoding(id, siblings, |scan| {
        models::decodes_checked(kind, text, scan)
    })?;
    if known.is_none() && scan.top_keys & (top::OP | top::D) == top::OP | top::D {
        return Err(Bail); // a gateway envelope
    }
    if known.is_none() && options.kind.is_none() && !remembered && scan.top_keys & top::CODE == 0 {
        return Err(Bail); // the shape says something else than an invite
    }
    if scan.unsure() {
        return Err(Bail); // capped out of order (see `Cap::unsure`)
    }
    Ok(finish(
        bytes,
        origin,
        options,
        Some(kind),
        Some(schema),
        scan.take_findings(),
        false,
    ))
}

/// The slow path: a position-keeping tree, then the spec walk and the SDK decode; handles
/// every input (syntax errors, envelopes, lists, repeated keys, escapes).
pub(crate) fn validate_slow(
    bytes: &[u8],
    known: Option<Kind>,
    origin: Origin,
    options: &Options,
) -> Report {
    // Most of a gateway dump is other events: read their `op` and `t` without building `d`.
    // (A small payload costs less to parse once than to sniff first; the report is the same.)
    if known.is_none() && bytes.len() >= SNIFF_AT {
        if let Some(env) = position::sniff_envelope(bytes) {
            if !matches!(env.t.as_deref(), Some("INVITE_CREATE" | "INVITE_DELETE")) {
                let what = match env.t {
                    Some(t) => format!("gateway dispatch {t}"),
                    None => format!("gateway opcode {}", env.op),
                };
                let raw = vec![RawFinding {
                    code: Code::NotInvite,
                    pointer: String::new(),
                    offset: env.start,
                    message: format!("{what}: not invite-related, not validated"),
                }];
                return finish_raw(bytes, origin, options, None, None, raw, true);
            }
        }
    }
    let doc = match position::parse(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            let raw = RawFinding {
                code: Code::InvalidJson,
                pointer: String::new(),
                offset: e.offset,
                message: e.message,
            };
            return finish_raw(
                bytes,
                origin,
                options,
                known.or(options.kind),
                None,
                vec![raw],
                false,
            );
        }
    };
    let repeats = !doc.duplicates.is_empty();
    let mut raw: Vec<RawFinding> = Vec::new();

    // Which kind, and its findings.
    let spec = Spec::get();
    let (kind, schema, skipped) = match known {
        Some(k) => {
            let checked = check_as(spec, bytes, k, &doc.root, "", repeats);
            raw.extend(checked.raw);
            (Some(k), checked.schema, false)
        }
        None => match kind::envelope(&doc.root) {
            kind::Envelope::Invite(k, d) => {
                let checked = check_as(spec, bytes, k, d, "/d", repeats);
                raw.extend(checked.raw);
                (Some(k), checked.schema, false)
            }
            kind::Envelope::Other(what) => {
                raw.push(RawFinding {
                    code: Code::NotInvite,
                    pointer: String::new(),
                    offset: doc.root.start,
                    message: format!("{what}: not invite-related, not validated"),
                });
                (None, None, true)
            }
            kind::Envelope::None => match options.kind {
                Some(k) => {
                    let checked = check_as(spec, bytes, k, &doc.root, "", repeats);
                    raw.extend(checked.raw);
                    (Some(k), checked.schema, false)
                }
                None => match guess::guess(spec, bytes, &doc.root, repeats) {
                    guess::Guess::Found {
                        kind,
                        checked,
                        note,
                        settled,
                    } => {
                        if settled && bytes.len() < SNIFF_AT {
                            guess::remember(spec, bytes, kind);
                        }
                        raw.extend(note);
                        raw.extend(checked.raw);
                        (Some(kind), checked.schema, false)
                    }
                    guess::Guess::Unknown(message) => {
                        raw.push(RawFinding {
                            code: Code::UnknownKind,
                            pointer: String::new(),
                            offset: doc.root.start,
                            message,
                        });
                        (None, None, true)
                    }
                },
            },
        },
    };
    // The tree is done with: it goes before the repeated keys' findings are made (a key
    // repeated a million times is a million members, and as many findings).
    let position::Document {
        root,
        duplicates,
        pointers,
    } = doc;
    drop(root);
    // The report's order is the order of offset, the repeated keys first where offsets tie
    // (as they were written first); the others are merged in while the repeated keys' are
    // written, not moved into place after (a million findings each moved).
    raw.sort_by_key(|f| f.offset);
    let written = repeated_keys(bytes, origin, options, duplicates, pointers.cursor(), raw);
    finish(bytes, origin, options, kind, schema, written, skipped)
}

/// The `duplicate-key` findings of `duplicates` (in order of offset; their pointers, in order,
/// from `pointers`) and the `others` (in order of offset), merged in order of offset, the
/// repeated keys first where offsets tie.
fn repeated_keys(
    bytes: &[u8],
    origin: Origin,
    options: &Options,
    duplicates: Vec<position::DuplicateKey>,
    mut pointers: position::Pointers<'_>,
    others: Vec<RawFinding>,
) -> text::Written {
    // Where each repeated key's first occurrence is: the offsets in increasing order through
    // one line counter (one pass over the bytes, however many repeats).
    // (The repeats of one key come together: each run's first occurrence is taken once, not
    // a million times to be sorted and deduplicated.)
    let mut firsts: Vec<usize> = Vec::new();
    for d in &duplicates {
        if firsts.last() != Some(&d.first) {
            firsts.push(d.first);
        }
    }
    firsts.sort_unstable();
    firsts.dedup();
    firsts.shrink_to_fit();
    let mut lines = position::Lines::new(bytes);
    let first_at: Vec<(usize, usize)> = firsts.iter().map(|&o| lines.line_col(o)).collect();
    // A key repeated many times has one message for all its repeats: formatted once, and
    // written once into the report's text.
    // In source order here: capped as they are written (a million repeats of one key are
    // counted, not written); a small report is capped when it is done, if it needs it.
    let mut cap = cap::Cap::new(options).filter(|_| duplicates.len() + others.len() > cap::CAP_AT);
    let mut admit = |code: Code, pointer: &str, offset: usize| {
        cap.as_mut()
            .is_none_or(|c| c.admit_pointer(code, pointer, offset))
    };
    let mut dups = text::Written::default();
    if options.max_repeats.is_none() && options.max_error_repeats.is_none() {
        dups.findings.reserve_exact(duplicates.len() + others.len());
    }
    let mut others = others.into_iter().peekable();
    // The last repeat written: its first occurrence (which its message names) and its pointer
    // (a place in the document's pointers, which do not change while this runs).
    let mut last: Option<(usize, *const u8, usize)> = None;
    let mut message = String::new();
    for (i, d) in duplicates.into_iter().enumerate() {
        while let Some(f) = others.next_if(|f| f.offset < d.offset) {
            if admit(f.code, &f.pointer, f.offset) {
                dups.push(f.code, f.offset, &f.pointer, &f.message);
                // The last text is no longer a repeated key's.
                last = None;
            }
        }
        let pointer = pointers.of(i);
        if !admit(Code::DuplicateKey, pointer, d.offset) {
            continue;
        }
        // The same key again shares the last finding's whole text; a repeat of the same first
        // occurrence under another pointer, its message.
        let here = (d.first, pointer.as_ptr(), pointer.len());
        let shared = match last {
            Some(l) if l == here => dups.push_same(Code::DuplicateKey, d.offset),
            Some((first, ..)) if first == d.first => {
                dups.push_repeat(Code::DuplicateKey, d.offset, pointer)
            }
            _ => false,
        };
        if !shared {
            let (l, c) = match firsts.binary_search(&d.first) {
                Ok(i) => first_at[i],
                Err(_) => position::line_col(bytes, d.first),
            };
            let (l, c) = place(origin, l, c);
            message.clear();
            let _ = write!(
                message,
                "key repeated in one object (first at line {l}, column {c}); readers disagree on which one wins"
            );
            dups.push(Code::DuplicateKey, d.offset, pointer, &message);
        }
        last = Some(here);
    }
    for f in others {
        if admit(f.code, &f.pointer, f.offset) {
            dups.push(f.code, f.offset, &f.pointer, &f.message);
        }
    }
    dups.cap = cap;
    dups
}

/// What checking a payload as one kind gives: the spec's findings and the SDK's verdict.
#[derive(Debug)]
pub(crate) struct Checked {
    /// The schema checked against.
    pub schema: Option<&'static str>,
    /// The findings (a `decode-error` among them when the SDK rejects it).
    pub raw: Vec<RawFinding>,
    /// Members the kind's schemas declare: the evidence for the kind.
    pub matched: usize,
    /// The SDK's verdict: `None` when it decodes; `Some(true)` when it fails only for want of
    /// a field.
    pub refused: Option<bool>,
}

/// Checks `node` as `kind` against the spec and decodes it with the SDK. One problem, one
/// finding: where the SDK fails, the spec's findings about that value restate the failure and
/// are left out.
pub(crate) fn check_as(
    spec: &Spec,
    bytes: &[u8],
    kind: Kind,
    node: &Node<'_>,
    prefix: &str,
    repeats: bool,
) -> Checked {
    let mut checker = Checker::new(spec, prefix);
    checker.duplicates = repeats;
    let schema = check_kind(&mut checker, spec, kind, node);
    let matched = checker.matched;
    let mut raw = checker.out;
    let mut refused = None;

    // The SDK's verdict; its failure hides spec findings at the same place (they say less).
    if let Err(e) = models::decode(kind, &bytes[node.start..node.end]) {
        refused = Some(missing_field(e.message()).is_some());
        let mut pointer = format!("{prefix}{}", e.pointer());
        let target = node.pointer(e.pointer());
        let mut offset = target.map_or(node.start, |n| n.start);
        if target.is_none() {
            if let (Some(l), Some(c)) = (e.line(), e.column()) {
                offset = node.start + offset_of(&bytes[node.start..node.end], l, c);
            }
        }
        // The SDK blames the object for a field it lacks or that is `null`; the field is the
        // place (a `null` one has a position of its own).
        if let Some(field) = missing_field(e.message()) {
            pointer.push('/');
            position::push_escaped(&mut pointer, field);
        } else if let Some(field) = null_field(e.message()) {
            let null = target.and_then(|t| t.get(field));
            if let Some(n) = null {
                pointer.push('/');
                position::push_escaped(&mut pointer, field);
                offset = n.start;
            }
        }
        raw.retain(|f| f.pointer != pointer || !restates_decode_error(f.code));
        raw.push(RawFinding {
            code: Code::DecodeError,
            pointer,
            offset,
            message: format!("the SDK cannot decode this: {}", e.message()),
        });
    }
    Checked {
        schema,
        raw,
        matched,
        refused,
    }
}

/// Whether a spec finding at the place where the SDK fails says nothing the `decode-error`
/// does not: the value's type, presence, range, format or enum membership is what the SDK
/// complains about too (`"0123"` is no snowflake for either; `1e20` is out of the spec's
/// range and no integer for the SDK). A repeated, unknown, deprecated or misplaced key is
/// another problem.
fn restates_decode_error(code: Code) -> bool {
    matches!(
        code,
        Code::WrongType
            | Code::UnexpectedNull
            | Code::MissingRequired
            | Code::InvalidFormat
            | Code::OutOfRange
            | Code::UnknownEnumValue
    )
}

/// Payloads from this size on are sniffed for a gateway envelope before they are parsed.
const SNIFF_AT: usize = 1024;

/// The three invite variants, by `type`.
const VARIANTS: [&str; 3] = [
    "GuildInviteResponse",
    "GroupDMInviteResponse",
    "FriendInviteResponse",
];

/// Checks an invite against one variant; the other variants' fields are `wrong-variant-field`.
fn variant_check<'n>(
    checker: &mut Checker<'_, 'n>,
    spec: &Spec,
    node: &'n Node<'_>,
    name: &'static str,
) -> Option<&'static str> {
    let id = spec.component(name)?;
    let siblings: Vec<usize> = VARIANTS
        .iter()
        .filter(|v| **v != name)
        .filter_map(|v| spec.component(v))
        .collect();
    checker.check_root(node, id, &siblings);
    Some(name)
}

/// Runs the spec check of `kind` on `node`; returns the schema used.
pub(crate) fn check_kind<'n>(
    checker: &mut Checker<'_, 'n>,
    spec: &Spec,
    kind: Kind,
    node: &'n Node<'_>,
) -> Option<&'static str> {
    match kind {
        Kind::Invite => match invite_variant(node) {
            Some(name) => variant_check(checker, spec, node, name),
            None => {
                unknown_invite_type(checker, spec, node);
                None
            }
        },
        Kind::GuildInvite | Kind::GroupDmInvite | Kind::FriendInvite => {
            variant_check(checker, spec, node, kind.schema_name())
        }
        Kind::InviteList => {
            if let Value::Array(items) = &node.value {
                for (i, item) in items.iter().enumerate() {
                    if matches!(item.value, Value::Null) {
                        continue;
                    }
                    let mut sub = Checker::new(spec, &format!("{}/{i}", checker.pointer()));
                    sub.duplicates = checker.duplicates;
                    match invite_variant(item) {
                        Some(name) => {
                            variant_check(&mut sub, spec, item, name);
                        }
                        None => unknown_invite_type(&mut sub, spec, item),
                    }
                    checker.out.append(&mut sub.out);
                    checker.matched += sub.matched;
                }
            } else {
                checker.wrong_type(node, "array (of invites)");
            }
            None
        }
        _ => {
            let id = spec.component(kind.schema_name())?;
            checker.check_root(node, id, &[]);
            Some(kind.schema_name())
        }
    }
}

/// An invite whose `type` is no known variant: the SDK keeps it as `Invite::Unknown`; only the
/// `type` itself can be checked.
fn unknown_invite_type<'n>(checker: &mut Checker<'_, 'n>, spec: &Spec, node: &'n Node<'_>) {
    if let (Some(t), Some(id)) = (node.get("type"), spec.component("InviteTypes")) {
        checker.check_member(t, "type", id);
    }
}

/// The variant schema an invite's `type` picks: absent means guild (as the SDK decodes it);
/// an unknown value picks none (the `type` check reports it).
pub(crate) fn invite_variant(node: &Node<'_>) -> Option<&'static str> {
    variant_of(node.get("type").map(|t| &t.value))
}

/// [`invite_variant`] of an invite whose `type` is `t` (`None`: absent).
pub(crate) fn variant_of(t: Option<&Value<'_>>) -> Option<&'static str> {
    match t {
        None => Some("GuildInviteResponse"),
        Some(Value::Number("0")) => Some("GuildInviteResponse"),
        Some(Value::Number("1")) => Some("GroupDMInviteResponse"),
        Some(Value::Number("2")) => Some("FriendInviteResponse"),
        Some(_) => None,
    }
}

/// `missing field `x`` → `x`.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
}

/// `invalid type: null, expected a value for `x` (it is not nullable)` → `x`.
fn null_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("invalid type: null, expected a value for `")
        .and_then(|r| r.split('`').next())
}

/// Byte offset of a 1-based line and byte column.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &bytes[start..]) {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(bytes.len())
}

/// A payload-relative line and column placed in the source file.
pub(crate) fn place(origin: Origin, line: usize, column: usize) -> (usize, usize) {
    if line == 1 {
        (origin.line, origin.column + column - 1)
    } else {
        (origin.line + line - 1, column)
    }
}

/// [`finish`] for the slow path's findings.
fn finish_raw(
    bytes: &[u8],
    origin: Origin,
    options: &Options,
    kind: Option<Kind>,
    schema: Option<&'static str>,
    raw: Vec<RawFinding>,
    skipped: bool,
) -> Report {
    let written = text::Written::default();
    finish_after(bytes, origin, options, kind, schema, written, raw, skipped)
}

/// `report` (of every finding) capped after the fact by `options` (see `__private::cap_after`).
pub(crate) fn cap_after(report: &Report, options: &Options) -> Report {
    let mut capped = report.clone();
    if let Some(mut cap) = cap::Cap::new(options) {
        cap.apply(&mut capped.findings);
        capped.omitted = cap.omitted();
    }
    capped
}

/// [`finish_raw`] after findings already `written`.
#[allow(clippy::too_many_arguments)]
fn finish_after(
    bytes: &[u8],
    origin: Origin,
    options: &Options,
    kind: Option<Kind>,
    schema: Option<&'static str>,
    mut written: text::Written,
    raw: Vec<RawFinding>,
    skipped: bool,
) -> Report {
    written.findings.reserve_exact(raw.len());
    for f in &raw {
        written.push(f.code, f.offset, &f.pointer, &f.message);
    }
    finish(bytes, origin, options, kind, schema, written, skipped)
}

/// The report of the findings `written`: in order, with severities, lines and columns.
fn finish(
    bytes: &[u8],
    origin: Origin,
    options: &Options,
    kind: Option<Kind>,
    schema: Option<&'static str>,
    mut written: text::Written,
    skipped: bool,
) -> Report {
    // Capped as they were found (the fast path, repeated keys), or here.
    let early = written.cap.take();
    let mut findings = text::finish(written, options.strict, |reach| {
        let mut lines = position::Lines::reaching(bytes, reach);
        move |offset| {
            let (l, c) = lines.line_col(offset);
            place(origin, l, c)
        }
    });
    let cap = early.or_else(|| cap::Cap::finished(options, &mut findings));
    let omitted = cap.map(cap::Cap::omitted).unwrap_or_default();
    let status = if skipped {
        Status::Skipped
    } else {
        match worst(&findings, &omitted) {
            Some(Severity::Error) => Status::Error,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Valid,
        }
    };
    Report {
        kind,
        schema,
        status,
        findings,
        omitted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_name() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }

    /// A finding keeps each place in 48 bits: up to the limit, exactly; past it, unknown.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn places_past_their_room_read_as_unknown() {
        let most = (1usize << 48) - 1;
        let f = Finding::new(Severity::Note, Code::UnknownField, "/a", "m")
            .at(most, 1)
            .at_offset(most - 1);
        assert_eq!(
            (f.line(), f.column(), f.offset()),
            (Some(most), Some(1), Some(most - 1))
        );
        // Past 32 bits (a column in a single-line array of gigabytes, a line of a huge NDJSON).
        let big = (1usize << 32) + 5;
        let near = f.clone().at(big + 1, big).at_offset(big + 2);
        assert_eq!(
            (near.line(), near.column(), near.offset()),
            (Some(big + 1), Some(big), Some(big + 2))
        );
        let past = f.clone().at(most + 1, usize::MAX).at_offset(most);
        assert_eq!(
            (past.line(), past.column(), past.offset()),
            (None, None, None)
        );
        assert_eq!(past.clone().at_offset(usize::MAX).offset(), None);
        assert_eq!(past.at_offset(0).offset(), Some(0));
        // Unknown places order first, as `None` does.
        let none = Finding::new(Severity::Note, Code::UnknownField, "", "");
        assert!(none.offset_key() < f.clone().at_offset(0).offset_key());
        assert!(f.clone().at_offset(1 << 32).offset_key() > f.at_offset(7).offset_key());
    }

    #[test]
    fn origin_places_positions() {
        assert_eq!(place(Origin { line: 5, column: 3 }, 1, 2), (5, 4));
        assert_eq!(place(Origin { line: 5, column: 3 }, 2, 2), (6, 2));
    }
}

/// The fast path against the slow path: wherever the fast path gives a report, it is the slow
/// path's report.
#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value as J};

    /// Every payload that ships with the repo: files, NDJSON lines, HAR response bodies.
    fn corpus() -> Vec<Vec<u8>> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut dirs = vec![
            root.join("captures"),
            root.join("tests/fixtures/docs"),
            root.join("tests/fixtures/fuzz-regressions"),
        ];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                match path.extension().and_then(|x| x.to_str()) {
                    Some("ndjson") => out.extend(
                        bytes
                            .split(|&b| b == b'\n')
                            .filter(|l| !l.is_empty())
                            .map(<[u8]>::to_vec),
                    ),
                    Some("har") => {
                        let har: J = serde_json::from_slice(&bytes).unwrap_or_default();
                        for e in har["log"]["entries"].as_array().into_iter().flatten() {
                            for part in ["request", "response"] {
                                let body = e[part]["postData"]["text"]
                                    .as_str()
                                    .or(e[part]["content"]["text"].as_str());
                                if let Some(b) = body {
                                    out.push(b.as_bytes().to_vec());
                                }
                            }
                        }
                        out.push(bytes);
                    }
                    Some("json") => out.push(bytes),
                    _ => {}
                }
            }
        }
        out.push(serde_json::to_vec(&guild_invite()).unwrap());
        out
    }

    /// A guild invite shaped like the ones Discord sends (and the bench corpus): `type` first,
    /// fields the spec lacks, features its enum lacks.
    fn guild_invite() -> J {
        json!({
            "type": 0, "code": "abcDEF1", "inviter": {
                "id": "80351110224678912", "username": "nelly", "avatar": "8342729096ea3675442027381ff50dfe",
                "discriminator": "0", "public_flags": 64, "flags": 64, "banner": null,
                "accent_color": 16711680, "global_name": "Nelly 🌸",
                "avatar_decoration_data": {"asset": "a_fed43ab12698df65902ba06727e20c0e", "sku_id": "1144058522808614923", "expires_at": null},
                "collectibles": null, "display_name_styles": null, "banner_color": "#84f621",
                "clan": null, "primary_guild": null
            },
            "max_age": 86400, "created_at": "2026-11-26T12:00:00.000000+00:00",
            "expires_at": "2026-11-27T12:00:00+00:00", "flags": 2,
            "guild": {
                "id": "165176875973476352", "name": "CS:GO \"Fraggers\"\nLeague",
                "splash": null, "banner": null, "description": "é — \\ /",
                "icon": "a_1269e74af4df7417b13759eae50c83dc",
                "features": ["ANIMATED_ICON", "COMMUNITY", "GUESTS_ENABLED"],
                "verification_level": 2, "vanity_url_code": null, "nsfw_level": 0,
                "premium_subscription_count": 14
            },
            "guild_id": "165176875973476352",
            "channel": {"id": "165176875973476352", "type": 0, "name": "general"},
            "uses": 3, "max_uses": 0, "temporary": false,
            "approximate_member_count": 1234, "approximate_presence_count": 321
        })
    }

    /// The fast path's report must be the slow path's, for every context.
    fn agree(bytes: &[u8]) -> usize {
        let mut fast_reports = 0;
        let kinds = std::iter::once(None).chain(Kind::ALL.iter().copied().map(Some));
        for known in kinds.clone() {
            for (opt, strict) in [(None, false), (Some(Kind::Invite), true)]
                .into_iter()
                .chain(kinds.clone().map(|k| (k, false)))
            {
                let options = Options::new(opt, strict);
                let origin = Origin { line: 3, column: 5 };
                if let Ok(fast) = validate_fast(bytes, known, origin, &options) {
                    fast_reports += 1;
                    let slow = validate_slow(bytes, known, origin, &options);
                    assert_eq!(
                        fast,
                        slow,
                        "known {known:?}, --kind {opt:?} on {}",
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
            capped_agree(bytes, known);
        }
        fast_reports
    }

    /// With repeats capped, both paths give the full report capped after the fact: the
    /// first findings of each kind, and the rest counted.
    fn capped_agree(bytes: &[u8], known: Option<Kind>) {
        let origin = Origin { line: 3, column: 5 };
        for (others, errors) in [(Some(1), Some(2)), (None, Some(1)), (Some(0), None)] {
            let options = Options::default();
            let capped = Options {
                max_repeats: others,
                max_error_repeats: errors,
                ..options
            };
            let expected = cap_after(&validate_payload(bytes, known, origin, &options), &capped);
            let what = || {
                format!(
                    "known {known:?}, cap {others:?}/{errors:?} on {}",
                    String::from_utf8_lossy(bytes)
                )
            };
            let slow = validate_slow(bytes, known, origin, &capped);
            assert_eq!(slow, expected, "{}", what());
            if let Ok(fast) = validate_fast(bytes, known, origin, &capped) {
                assert_eq!(fast, expected, "{}", what());
            }
        }
    }

    /// The verdict-only decode (`Check<Model>`) accepts no more than the model, for every
    /// kind, with both readers; how many (kind, payload) pairs both accept.
    fn check_contract(bytes: &[u8]) -> usize {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return 0;
        };
        let mut both = 0;
        for &kind in Kind::ALL {
            for (reader, (model, check)) in models::verdicts(kind, text).into_iter().enumerate() {
                assert!(
                    model || !check,
                    "{kind:?}'s check accepts what its model rejects (reader {reader}): {text}"
                );
                both += usize::from(model && check);
            }
        }
        both
    }

    #[test]
    fn check_accepts_what_the_model_accepts_and_no_more() {
        let corpus = corpus();
        let both: usize = corpus.iter().map(|p| check_contract(p)).sum();
        assert!(both > 100, "{both}");
        // The common case: a guild invite, `type` first (the check gives up only on a union
        // field of another variant read before the tag, and on a tag it does not know).
        let invite = serde_json::to_string(&guild_invite()).unwrap_or_default();
        for kind in [Kind::Invite, Kind::GuildInvite] {
            assert_eq!(
                models::verdicts(kind, &invite),
                [(true, true); 2],
                "{kind:?}"
            );
        }
        let mut late = guild_invite();
        if let Some(m) = late.as_object_mut() {
            m.shift_remove("type");
            m.insert("friends_count".into(), json!(3));
            m.insert("type".into(), json!(0));
        }
        let late = serde_json::to_string(&late).unwrap_or_default();
        assert_eq!(models::verdicts(Kind::Invite, &late), [(true, false); 2]);
        let unknown = invite.replacen("\"type\":0", "\"type\":7", 1);
        assert_eq!(models::verdicts(Kind::Invite, &unknown), [(true, false); 2]);
    }

    #[test]
    fn fast_path_agrees_on_every_shipped_payload() {
        let corpus = corpus();
        assert!(corpus.len() > 40, "{}", corpus.len());
        let fast: usize = corpus.iter().map(|p| agree(p)).sum();
        // Not vacuous: the fast path answers for many of them.
        assert!(fast > 200, "fast path answered {fast} times");
        // And for the common case with no context at all.
        let invite = serde_json::to_vec(&guild_invite()).unwrap();
        let slow = validate_slow(&invite, None, Origin::START, &Options::default());
        assert!(
            validate_fast(&invite, None, Origin::START, &Options::default()).is_ok(),
            "{slow:#?}"
        );
    }

    #[test]
    fn capped_reports_list_the_first_of_each_kind_and_count_the_rest() {
        // Features the spec lacks, each twice: an unknown value each, a repeat each the second
        // time (the fast path).
        let mut v = guild_invite();
        let features: Vec<String> = (0..20).map(|i| format!("F{}", i % 10)).collect();
        v["guild"]["features"] = json!(features);
        let many = serde_json::to_vec(&v).unwrap_or_default();
        // One unknown key repeated a hundred times (the slow path).
        let repeats = vec!["\"k\":1"; 100].join(",\n");
        let keys = format!("{{\"type\":0,\"code\":\"a\",{repeats}}}");
        let capped = Options {
            max_repeats: Some(2),
            ..Options::default()
        };
        for (bytes, fast) in [(&many[..], true), (keys.as_bytes(), false)] {
            assert_eq!(
                validate_fast(bytes, None, Origin::START, &capped).is_ok(),
                fast
            );
            let full = validate(bytes, None);
            let report = validate_payload(bytes, None, Origin::START, &capped);
            assert_eq!(report.status, full.status);
            for severity in [Severity::Error, Severity::Warning, Severity::Note] {
                assert_eq!(report.count(severity), full.count(severity));
            }
            // At most two of each kind listed, the first ones.
            let kinds: Vec<(Code, String)> = report
                .findings
                .iter()
                .map(|f| {
                    (
                        f.code,
                        f.pointer().replace(|c: char| c.is_ascii_digit(), ""),
                    )
                })
                .collect();
            for k in &kinds {
                assert!(kinds.iter().filter(|x| *x == k).count() <= 2, "{k:?}");
            }
            assert!(full.findings.starts_with(&report.findings[..1]));
            let omitted: usize = report.omitted.iter().map(|o| o.count).sum();
            assert_eq!(report.findings.len() + omitted, full.findings.len());
        }
        let report = validate_payload(&many, None, Origin::START, &capped);
        let o: Vec<(Code, &str, usize)> = report
            .omitted
            .iter()
            .map(|o| (o.code, o.pointer.as_str(), o.count))
            .collect();
        assert_eq!(
            o,
            [
                (Code::UnknownEnumValue, "/guild/features/*", 18),
                (Code::DuplicateItem, "/guild/features/*", 8)
            ]
        );
        let report = validate_payload(keys.as_bytes(), None, Origin::START, &capped);
        assert_eq!(report.omitted.len(), 1);
        assert_eq!(
            (
                report.omitted[0].code,
                report.omitted[0].pointer.as_str(),
                report.omitted[0].count
            ),
            (Code::DuplicateKey, "/k", 97)
        );
    }

    #[test]
    fn capped_reports_past_the_most_tracked_kinds_are_the_whole_report_capped() {
        let unknown: Vec<String> = (0..cap::MAX_KINDS + 50)
            .map(|i| format!("\"u{i:06}\":1"))
            .collect();
        let items = vec!["{\"zz\":1}"; 30].join(",");
        // After the kinds run out: a kind repeated (unknown in array items), and an object's
        // missing fields found at its end, of kinds not tracked (the fast path leaves it).
        let base = r#"{"type":0,"code":"a","guild_id":"1","expires_at":null,"channel":{"id":"1","type":0,"name":"g"},"guild":{"id":"1","name":"g"},"#;
        let at_top = format!("{base}{},\"list\":[{items}]}}", unknown.join(","));
        let in_guild = format!(
            "{{\"type\":0,\"code\":\"a\",\"guild\":{{{}}}}}",
            unknown.join(",")
        );
        let options = Options::default().with_max_repeats(Some(2), Some(2));
        for (doc, fast) in [(&at_top, true), (&in_guild, false)] {
            let bytes = doc.as_bytes();
            assert_eq!(
                validate_fast(bytes, None, Origin::START, &options).is_ok(),
                fast
            );
            let full = validate(bytes, None);
            let capped = validate_payload(bytes, None, Origin::START, &options);
            assert_eq!(capped, cap_after(&full, &options));
            assert_eq!(validate_slow(bytes, None, Origin::START, &options), capped);
            let listed = |r: &Report| {
                r.findings
                    .iter()
                    .filter(|f| f.code == Code::UnknownField)
                    .count()
            };
            // Every unknown key is a kind of its own: none left out; `zz` is past the tracked
            // kinds, so its 30 are listed too.
            assert_eq!(listed(&capped), listed(&full));
        }
    }

    /// Every path to a value in `v`.
    fn paths(v: &J, at: &mut Vec<J>, out: &mut Vec<Vec<J>>) {
        out.push(at.clone());
        match v {
            J::Object(m) => {
                for (k, x) in m {
                    at.push(J::String(k.clone()));
                    paths(x, at, out);
                    at.pop();
                }
            }
            J::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    at.push(J::from(i));
                    paths(x, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn at_mut<'v>(v: &'v mut J, path: &[J]) -> Option<&'v mut J> {
        let mut cur = v;
        for seg in path {
            cur = match seg {
                J::String(k) => cur.get_mut(k.as_str())?,
                J::Number(i) => cur.get_mut(i.as_u64()? as usize)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Values that exercise every check: types, enums, formats, ranges, nesting, escapes.
    const REPLACEMENTS: &[&str] = &[
        "null",
        "true",
        "0",
        "-1",
        "1.5",
        "1e3",
        "4294967296",
        "99999999999999999999",
        "\"\"",
        "\"x\"",
        "\"0123\"",
        "\"12345\"",
        "\"2026-11-26T12:00:00Z\"",
        "\"not a date\"",
        "\"GUESTS_ENABLED\"",
        "\"COMMUNITY\"",
        "\"a\\\"b\"",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "[]",
        "[1, 1]",
        "[\"1\", \"2\"]",
        "{}",
        "{\"id\": \"1\"}",
        "{\"a\": 1, \"a\": 2}",
        "[[[[[[]]]]]]",
    ];

    /// Raw text edits that the value model cannot express.
    fn text_edit(text: &str, edit: u8) -> String {
        match edit {
            0 => text.replacen("{", "{\"type\": 1, ", 1),
            1 => text.replacen("\"code\"", "\"\\u0063ode\"", 1),
            2 => text.replacen(",", ", \"code\": \"x\",", 1),
            3 => format!("\u{feff}{text}"),
            4 => format!("{{\"op\": 0, \"t\": \"INVITE_CREATE\", \"d\": {text}}}"),
            5 => format!("[{text}]"),
            6 => format!("  {text}  \n"),
            7 => format!("{text} x"),
            8 => text.replacen("\"", "\"\u{1}", 1),
            9 => text.replacen(":", " :\n ", 3),
            10 => text.replacen("\"type\": 0, ", "", 1) + "",
            // Cut near the middle, at a character boundary (a replacement may be `😀`).
            _ => {
                let cut = (0..=text.len() / 2)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                text[..cut].to_owned()
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn fast_path_agrees_on_mutated_invites(
            base in 0usize..4,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..5, 0usize..REPLACEMENTS.len()), 1..4),
            text in proptest::option::of(0u8..12),
        ) {
            let mut v = match base {
                0 => guild_invite(),
                1 => { let mut v = guild_invite(); v["type"] = json!(2); v }
                2 => { let mut v = guild_invite(); v["type"] = json!(1); v }
                _ => { let mut v = guild_invite(); v["target_type"] = json!(1);
                       v["target_user"] = v["inviter"].clone(); v }
            };
            for (index, op, r) in edits {
                let mut all = Vec::new();
                paths(&v, &mut Vec::new(), &mut all);
                let path = all[index.index(all.len())].clone();
                let replacement: J = serde_json::from_str(REPLACEMENTS[r]).unwrap_or(J::Null);
                match op {
                    0 => if let Some(x) = at_mut(&mut v, &path) { *x = replacement },
                    1 => if let Some((last, parent)) = path.split_last() {
                        if let (Some(J::Object(m)), J::String(k)) = (at_mut(&mut v, parent), last) {
                            m.shift_remove(k);
                        }
                    },
                    2 => if let Some(J::Object(m)) = at_mut(&mut v, &path) {
                        m.insert(format!("extra_{r}"), replacement);
                    },
                    3 => if let Some(J::Array(a)) = at_mut(&mut v, &path) { a.push(replacement) },
                    _ => if let Some(J::Object(m)) = at_mut(&mut v, &path) {
                        // Move the first member last (keys out of Discord's order).
                        if let Some(k) = m.keys().next().cloned() {
                            if let Some(x) = m.shift_remove(&k) { m.insert(k, x); }
                        }
                    },
                }
            }
            let mut s = serde_json::to_string(&v).unwrap();
            if let Some(e) = text { s = text_edit(&s, e); }
            agree(s.as_bytes());
            check_contract(s.as_bytes());
        }
    }
}

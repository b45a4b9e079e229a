//! Converters between the models and Discord's JSON: decode from text, bytes or a
//! [`serde_json::Value`], encode back, and merge partial updates.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::decode::Decode;

/// What went wrong while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input is not JSON (or not UTF-8).
    Syntax,
    /// The input ended in the middle of a value.
    Eof,
    /// Valid JSON that does not fit the model: a wrong JSON type, a missing required field,
    /// a malformed snowflake or timestamp.
    Data,
}

/// A decode failure, with the place it happened.
///
/// ```
/// use discord_invite::{Invite, Payload};
/// let err = Invite::from_json_str("{\"type\": 0, \"code\": 7}").unwrap_err();
/// assert_eq!(err.pointer(), "/code");
/// assert_eq!((err.line(), err.column()), (Some(1), Some(21)));
/// assert!(err.to_string().contains("invalid type"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    pointer: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl DecodeError {
    /// The class of failure.
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// Where the failure is, as a JSON pointer (RFC 6901), e.g. `/guild/features/0`; empty for
    /// the whole document.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The 1-based line of the failure, for text input.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column (in bytes) of the failure, for text input.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// The reason, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn from_parts(
        err: &serde_json::Error,
        path: Option<&serde_path_to_error::Path>,
        text: bool,
    ) -> Self {
        use serde_json::error::Category;
        // serde_json appends " at line L column C"; keep the bare reason.
        let full = err.to_string();
        let kind = match err.classify() {
            // A number too large for a float field (`1e400`) is valid JSON that does not fit
            // the model, although serde_json files it under syntax (found by fuzzing).
            Category::Syntax if full.starts_with("number out of range") => DecodeErrorKind::Data,
            Category::Syntax | Category::Io => DecodeErrorKind::Syntax,
            Category::Eof => DecodeErrorKind::Eof,
            Category::Data => DecodeErrorKind::Data,
        };
        let message = match full.rfind(" at line ") {
            Some(i) if text && err.line() > 0 => full[..i].to_owned(),
            _ => full,
        };
        DecodeError {
            kind,
            pointer: path.map(path_to_pointer).unwrap_or_default(),
            line: (text && err.line() > 0).then(|| err.line()),
            column: (text && err.line() > 0).then(|| err.column()),
            message,
        }
    }
}

impl DecodeError {
    /// The same failure inside a member `token` of a larger document: the pointer gains the
    /// prefix, and the line and column (of the member's own text) are dropped.
    pub(crate) fn within(mut self, token: &str) -> Self {
        self.pointer = format!("/{}{}", escape_pointer_token(token), self.pointer);
        self.line = None;
        self.column = None;
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "the document"
        } else {
            &self.pointer
        };
        write!(f, "{} at {at}", self.message)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// Escapes one JSON-pointer token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            // The raw-value protocol's private key (an unknown field's text) is no place in
            // the document.
            Segment::Map { key } if key == "$serde_json::private::RawValue" => {}
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Decodes JSON bytes with the fast reader, or where it gives up, with serde_json (which then
/// decides the value and words the error, with its path).
///
/// Each model has two decoders compiled, in this crate (see `decode.rs`): the fast reader's
/// and one serde_json reader that tracks the path. Tracking costs only on the rare input the
/// fast reader leaves to serde_json (floats, huge integers, surrogate escapes, errors), and a
/// second serde_json decoder per model, for errors alone, would add about a third to the
/// crate's compile time.
pub(crate) fn decode_slice<T: for<'de> Decode<'de>>(bytes: &[u8]) -> Result<T, DecodeError> {
    // RFC 8259 lets a parser ignore a byte order mark; Windows tools write one.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The fast reader checks the UTF-8 of what it reads in its own pass (one read of the
    // bytes, not two: BENCHMARKS.md, "Issue 16, round 7") and gives up on invalid UTF-8,
    // which goes to serde_json's byte reader, so its error and position are serde_json's.
    match crate::fast::from_slice(bytes) {
        Some(v) => Ok(v),
        None => slow(bytes),
    }
}

/// [`decode_slice`] for text already known to be UTF-8.
pub(crate) fn decode_str<T: for<'de> Decode<'de>>(text: &str) -> Result<T, DecodeError> {
    decode_text(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn decode_text<T: for<'de> Decode<'de>>(text: &str) -> Result<T, DecodeError> {
    match crate::fast::from_str(text) {
        Some(v) => Ok(v),
        None => slow(text.as_bytes()),
    }
}

/// serde_json's verdict, with the nesting limit and, on failure, the path of the error.
#[cold]
fn slow<T: for<'de> Decode<'de>>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut track = serde_path_to_error::Track::new();
    let decoded = T::decode(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let error = match decoded {
        Ok(v) => match de.end() {
            Ok(()) => match too_deep(bytes, None) {
                None => return Ok(v),
                Some(deep) => deep,
            },
            // The value itself was fine: the failure is trailing input after it.
            Err(e) => DecodeError::from_parts(&e, None, true),
        },
        Err(e) => DecodeError::from_parts(&e, Some(&track.path()), true),
    };
    // serde_json checks the nesting of everything it decodes except raw values (kept unknown
    // fields): the same limit for those, reported where it is broken unless an earlier
    // problem stopped the decode first.
    Err(too_deep(bytes, Some(&error)).unwrap_or(error))
}

/// The document nests deeper than the crate's limit (`fast::MAX_NESTING`, serde_json's), at a
/// place before `before`'s position (when given): serde_json's error for it, at that place.
fn too_deep(bytes: &[u8], before: Option<&DecodeError>) -> Option<DecodeError> {
    let (offset, pointer) = crate::fast::too_deep(bytes)?;
    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count();
    let column = offset - memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1) + 1;
    if let Some(e) = before {
        if let (Some(l), Some(c)) = (e.line, e.column) {
            if (l, c) <= (line, column) {
                return None;
            }
        }
    }
    Some(DecodeError {
        kind: DecodeErrorKind::Syntax,
        pointer,
        line: Some(line),
        column: Some(column),
        message: "recursion limit exceeded".to_owned(),
    })
}

/// Decodes a `serde_json::Value` as its JSON text, through the same two decoders as text
/// (a third, for `Value`'s own deserializer, would cost compile time for every model); the
/// error keeps its pointer, and has no line or column.
pub(crate) fn decode_value<T: for<'de> Decode<'de>>(value: &Value) -> Result<T, DecodeError> {
    decode_text(&value.to_string()).map_err(|mut e| {
        e.line = None;
        e.column = None;
        e
    })
}

pub(crate) fn encode_string<T: Serialize + ?Sized>(value: &T) -> Result<String, EncodeError> {
    Ok(serde_json::to_string(value)?)
}

/// Encodes as text, then reads the text as a `Value` (`serde_json::to_value` would compile a
/// second encoder for every model).
pub(crate) fn encode_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, EncodeError> {
    Ok(serde_json::from_str(&encode_string(value)?)?)
}

/// [`Payload::merge_json`].
pub(crate) fn merge_json<T: Serialize + for<'de> Decode<'de>>(
    target: &mut T,
    patch: &Value,
) -> Result<(), DecodeError> {
    let Value::Object(patch) = patch else {
        let err = <serde_json::Error as serde::de::Error>::custom(
            "a partial update must be a JSON object",
        );
        return Err(DecodeError::from_parts(&err, None, false));
    };
    let mut current = match encode_value(&*target) {
        Ok(Value::Object(m)) => m,
        Ok(_) | Err(_) => serde_json::Map::new(),
    };
    for (k, v) in patch {
        current.insert(k.clone(), v.clone());
    }
    *target = decode_value(&Value::Object(current))?;
    Ok(())
}

/// The methods of [`Payload`], for a model's impl. A root model's decode methods are plain
/// functions compiled once in this crate, so that a user's crate calls them without compiling
/// them (see `decode.rs`); a model that others hold (`inline`: `User`, `InviteGuild`…) has them
/// `#[inline]`, compiled where they are called, since its decoder is compiled here inside its
/// holders' anyway and few decode it alone. Encoding is always compiled where it is called,
/// as `serde_json::to_string` is: a crate that only decodes compiles no encoder.
macro_rules! payload_methods {
    () => {
        $crate::convert::payload_methods!(@decode);
        $crate::convert::payload_methods!(@encode);
    };
    (inline) => {
        $crate::convert::payload_methods!(@decode #[inline]);
        $crate::convert::payload_methods!(@encode);
    };
    (@decode $(#[$attr:meta])?) => {
        $(#[$attr])?
        fn from_json_str(text: &str) -> Result<Self, $crate::DecodeError> {
            $crate::convert::decode_str(text)
        }

        $(#[$attr])?
        fn from_json_slice(bytes: &[u8]) -> Result<Self, $crate::DecodeError> {
            $crate::convert::decode_slice(bytes)
        }

        $(#[$attr])?
        fn from_json_value(value: &serde_json::Value) -> Result<Self, $crate::DecodeError> {
            $crate::convert::decode_value(value)
        }
    };
    (@encode) => {
        #[inline]
        fn to_json_string(&self) -> Result<String, $crate::EncodeError> {
            $crate::convert::encode_string(self)
        }

        #[inline]
        fn to_json_value(&self) -> Result<serde_json::Value, $crate::EncodeError> {
            $crate::convert::encode_value(self)
        }

        #[inline]
        fn merge_json(&mut self, patch: &serde_json::Value) -> Result<(), $crate::DecodeError> {
            $crate::convert::merge_json(self, patch)
        }
    };
}
pub(crate) use payload_methods;

/// A failure to encode a model as JSON. Models built by this crate always encode; this comes
/// only from a hand-built value that holds something JSON cannot carry.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode as JSON: {0}")]
pub struct EncodeError(#[from] serde_json::Error);

/// Decode and encode Discord's wire JSON.
///
/// Every generated model implements it. Decoding is lenient about fields Discord has left out of
/// real payloads, keeps unknown fields and unknown enum values, and fails only on input that is
/// not usable (see the README's decoding policy).
///
/// A model's `Deserialize` decodes through [`from_json_str`](Self::from_json_str) (see the
/// README, "How it is built"), so `serde_json::from_str::<Invite>` and `Invite::from_json_str`
/// give the same value; the methods here add errors with the pointer, line and column as
/// fields. The trait is implemented by this crate for its models, not meant for other types.
///
/// ```
/// use discord_invite::{Invite, Payload};
/// let json = r#"{"type":0,"code":"abc","channel":{"id":"1","type":0,"name":"general"},"new":1}"#;
/// let invite = Invite::from_json_str(json).unwrap();
/// assert_eq!(invite.code(), "abc");
/// assert_eq!(invite.to_json_string().unwrap(), json); // unknown field `new` kept
/// ```
pub trait Payload: Serialize + DeserializeOwned {
    /// The name of the schema this type comes from (upstream component name, or the overlay's
    /// name for types the upstream spec lacks).
    const SCHEMA_NAME: &'static str;

    /// Decodes JSON text; errors carry the JSON pointer, line and column.
    fn from_json_str(text: &str) -> Result<Self, DecodeError>;

    /// Decodes JSON bytes (UTF-8); errors carry the JSON pointer, line and column.
    fn from_json_slice(bytes: &[u8]) -> Result<Self, DecodeError>;

    /// Decodes an already-parsed JSON value; errors carry the JSON pointer.
    fn from_json_value(value: &Value) -> Result<Self, DecodeError>;

    /// Encodes as compact JSON text, as Discord sends it.
    fn to_json_string(&self) -> Result<String, EncodeError>;

    /// Encodes as a JSON value.
    fn to_json_value(&self) -> Result<Value, EncodeError>;

    /// Applies a partial update, as Discord's update events and NAFF's `update_from_dict` do:
    /// every top-level key of `patch` replaces the same key of `self` (`null` included, which
    /// sets a nullable field to `Null`); keys not in `patch` are left alone. On error `self` is
    /// unchanged.
    ///
    /// ```
    /// use discord_invite::{Invite, Payload};
    /// let mut invite = Invite::from_json_str(r#"{"type":0,"code":"abc","uses":1}"#).unwrap();
    /// invite.merge_json(&serde_json::json!({"uses": 2})).unwrap();
    /// assert_eq!(invite.uses(), Some(2));
    /// ```
    fn merge_json(&mut self, patch: &Value) -> Result<(), DecodeError>;
}

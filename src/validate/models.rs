//! The one table from [`Kind`] to SDK model: decode with the SDK, export its JSON Schema.

use crate::convert::decode_slice;
use crate::DecodeError;

use super::Kind;

/// Decodes `bytes` with the SDK model of `kind`, keeping only the verdict.
pub(crate) fn decode(kind: Kind, bytes: &[u8]) -> Result<(), DecodeError> {
    // Filled in from the generated models (`crate::model`); until they exist every kind
    // decodes as plain JSON.
    let _ = kind;
    decode_slice::<serde::de::IgnoredAny>(bytes).map(drop)
}

/// The JSON Schema (draft 2020-12) of the SDK model of `kind`, derived from the Rust types.
pub(crate) fn json_schema(kind: Kind) -> serde_json::Value {
    let _ = kind;
    serde_json::to_value(schemars::json_schema!({})).unwrap_or_default()
}

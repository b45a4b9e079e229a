//! Shared code of the benchmarks: the deterministic corpus and the standalone JSON Schema
//! document for the jsonschema peer.

pub mod alloc;
pub mod corpus;
pub mod schema;

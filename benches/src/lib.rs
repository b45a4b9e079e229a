//! Shared code of the benchmarks: the deterministic corpus, the standalone JSON Schema
//! document for the jsonschema peer, and the adversarial inputs.

pub mod adversarial;
pub mod corpus;
pub mod schema;

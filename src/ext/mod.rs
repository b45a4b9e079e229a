//! Hand-written behaviour on generated types. Generated code never lives here, and nothing
//! here is generated.

pub mod cdn;
pub mod invite;
pub mod url;

//! `cargo fuzz run validate_bytes`: see `discord_invite_fuzz::validate_bytes` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::validate_bytes(data));

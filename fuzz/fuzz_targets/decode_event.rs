//! `cargo fuzz run decode_event`: see `discord_invite_fuzz::decode_event` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::decode_event(data));

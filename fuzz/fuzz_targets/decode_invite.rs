//! `cargo fuzz run decode_invite`: see `discord_invite_fuzz::decode_invite` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::decode_invite(data));

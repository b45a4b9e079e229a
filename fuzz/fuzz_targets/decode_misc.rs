//! `cargo fuzz run decode_misc`: see `discord_invite_fuzz::decode_misc` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::decode_misc(data));

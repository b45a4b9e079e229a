//! `cargo fuzz run invite_url`: see `discord_invite_fuzz::invite_url` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::invite_url(data));

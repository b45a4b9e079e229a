//! `cargo fuzz run har`: see `discord_invite_fuzz::har` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::har(data));

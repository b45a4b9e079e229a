//! `cargo fuzz run sync_reader`: see `discord_invite_fuzz::sync_reader` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::sync_reader(data));

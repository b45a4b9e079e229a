//! `cargo fuzz run readers`: see `discord_invite_fuzz::readers` for the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| discord_invite_fuzz::readers(data));

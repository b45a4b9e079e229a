//! Heap blocks a decoded invite holds (issue 16: at most 8 per invite on the benches' corpus).
//! Counted, not timed, with a counting allocator: a typical invite (short strings, canonical
//! image hashes, the nested objects every invite has) holds no block for its strings, hashes,
//! inviter, guild, channel or avatar decoration; unknown fields and vectors hold exactly their size.
//! (One test in its own binary: the allocator counts the process.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use discord_invite::{Invite, Payload};

struct Counting;

static BLOCKS: AtomicIsize = AtomicIsize::new(0);
static BYTES: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BLOCKS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the layout is the caller's, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
        BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap blocks the value `decode` returns holds.
fn blocks_held<T>(decode: impl FnOnce() -> T) -> (T, isize) {
    let before = BLOCKS.load(Ordering::Relaxed);
    let value = decode();
    (value, BLOCKS.load(Ordering::Relaxed) - before)
}

/// One test: the allocator counts the whole process, so the checks run one after another.
#[test]
fn decoded_models_hold_few_and_small_blocks() {
    a_typical_invite_holds_two_blocks();
    unknown_fields_hold_one_block_of_their_own_size();
    features_hold_exactly_their_number();
}

fn a_typical_invite_holds_two_blocks() {
    let text = r#"{"type":0,"code":"0vCdhLbwjZZTWZLD","inviter":{"id":"80351110224678912","username":"nelly","avatar":"8342729096ea3675442027381ff50dfe","discriminator":"0","public_flags":64,"flags":64,"banner":"a_fed43ab12698df65902ba06727e20c0e","accent_color":null,"global_name":"Nelly","avatar_decoration_data":{"asset":"a_fed43ab12698df65902ba06727e20c0e","sku_id":"1144058522808614923","expires_at":null},"collectibles":null,"primary_guild":null},"expires_at":null,"flags":2,"guild":{"id":"165176875973476352","name":"CS:GO Fraggers Only","splash":null,"banner":null,"description":"Some description","icon":"a_1269e74af4df7417b13759eae50c83dc","features":["NEWS","ANIMATED_ICON"],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"nsfw":false,"premium_subscription_count":5},"guild_id":"165176875973476352","channel":{"id":"165176875973476352","type":0,"name":"illuminati"}}"#;
    for (how, (invite, blocks)) in [
        (
            "from_json_str",
            blocks_held(|| Invite::from_json_str(text).unwrap()),
        ),
        (
            "serde_json",
            blocks_held(|| serde_json::from_str::<Invite>(text).unwrap()),
        ),
    ] {
        // The `features` vector, and the decoration's unknown `expires_at` (kept, in the
        // decoration's `extra`). With image hashes inline but `String` text fields and boxed
        // nested objects (issue 16 round 2, first step): 13.
        assert_eq!(blocks, 2, "{how}");
        assert_eq!(invite.to_json_string().unwrap(), text);
    }
}

/// Heap blocks and bytes (as requested) the value `decode` returns holds.
fn held<T>(decode: impl FnOnce() -> T) -> (T, isize, isize) {
    let (blocks, bytes) = (
        BLOCKS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    let value = decode();
    (
        value,
        BLOCKS.load(Ordering::Relaxed) - blocks,
        BYTES.load(Ordering::Relaxed) - bytes,
    )
}

fn unknown_fields_hold_one_block_of_their_own_size() {
    // The three keys every user in Discord's traffic carries beyond the spec: one block with
    // each key and text behind a length byte, `null` as a bare zero length, so 41 bytes (a
    // vector of entries held 4 × 40 bytes, plus a box for the object's text).
    let nulls =
        r#"{"id":"1","username":"a","display_name_styles":null,"banner_color":null,"clan":null}"#;
    let (user, blocks, bytes) = held(|| discord_invite::User::from_json_str(nulls).unwrap());
    assert_eq!((blocks, bytes), (1, 3 + 19 + 12 + 4 + 3));
    assert_eq!(user.to_json_string().unwrap(), nulls);
    let clan = r#"{"tag":"YOQU","identity_enabled":true}"#;
    let text = nulls.replace(r#""clan":null"#, &format!(r#""clan":{clan}"#));
    for (how, (user, blocks, bytes)) in [
        (
            "from_json_str",
            held(|| discord_invite::User::from_json_str(&text).unwrap()),
        ),
        (
            "serde_json",
            held(|| serde_json::from_str::<discord_invite::User>(&text).unwrap()),
        ),
    ] {
        assert_eq!(
            (blocks, bytes),
            (1, 3 + 19 + 12 + 4 + 3 + clan.len() as isize),
            "{how}"
        );
        assert_eq!(user.to_json_string().unwrap(), text, "{how}");
    }
    // A decoration's `expires_at`: 12 bytes, where one entry held 40.
    let (_, blocks, bytes) = held(|| {
        discord_invite::AvatarDecoration::from_json_str(
            r#"{"asset":"embed/x","sku_id":null,"expires_at":null}"#,
        )
        .unwrap()
    });
    // The non-canonical `asset` is a block of its own (7 bytes).
    assert_eq!((blocks, bytes), (2, 7 + 12), "decoration");
}

fn features_hold_exactly_their_number() {
    let features = (0..10)
        .map(|i| format!("\"F{i}\""))
        .collect::<Vec<_>>()
        .join(",");
    let text = format!(r#"{{"id":"1","name":"g","features":[{features}]}}"#);
    let (guild, blocks, bytes) =
        held(|| discord_invite::InviteGuild::from_json_str(&text).unwrap());
    let size = std::mem::size_of::<discord_invite::GuildFeature>() as isize;
    // Ten unknown features of two bytes (inline text): one block of ten, where growing a
    // vector one push at a time held room for sixteen.
    assert_eq!((blocks, bytes), (1, 10 * size));
    assert_eq!(guild.to_json_string().unwrap(), text);
}

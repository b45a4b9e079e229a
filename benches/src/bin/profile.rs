//! `profile WHAT [N] [REPEAT]`: a small driver for profilers (callgrind, perf). Builds the first
//! N corpus invites (default 2,000), then runs WHAT over them REPEAT times (default 1):
//! `ignored` (serde_json IgnoredAny), `value`, `ours`, `twilight`, `serenity` (on the invites
//! without target_user), `validate` (with the `validate` feature), `jsonschema`; `ours-str` and
//! `twilight-str` check UTF-8 once and decode with `serde_json::from_str`; `ours-known-only` and
//! `twilight-known-only` run on the invites stripped of the fields the spec lacks; `sizes`
//! prints type sizes.
//!
//! The work is in `#[inline(never)]` functions named `run_*`, so
//! `valgrind --tool=callgrind --toggle-collect='*run_*' profile ours` counts only the timed part.

use std::hint::black_box;

use discord_invite::Payload as _;
use discord_invite_benches::corpus;

#[inline(never)]
fn run_ignored(c: &[Vec<u8>]) {
    for p in c {
        black_box(serde_json::from_slice::<serde::de::IgnoredAny>(p).unwrap());
    }
}

/// Our fast reader alone: the document skipped (`IgnoredAny`), checked as serde_json checks it,
/// nothing built. With `ignored` (serde_json's floor) and `ours`, it splits our decode into
/// reading and building.
#[inline(never)]
fn run_ours_skip(c: &[Vec<u8>]) {
    for p in c {
        let text = std::str::from_utf8(p).unwrap();
        black_box(
            discord_invite::__private::fast_deserialize::<serde::de::IgnoredAny>(text).unwrap(),
        );
    }
}

#[inline(never)]
fn run_value(c: &[Vec<u8>]) {
    for p in c {
        black_box(serde_json::from_slice::<serde_json::Value>(p).unwrap());
    }
}

#[inline(never)]
fn run_ours(c: &[Vec<u8>]) {
    for p in c {
        black_box(discord_invite::Invite::from_json_slice(p).unwrap());
    }
}

#[inline(never)]
fn run_ours_str(c: &[Vec<u8>]) {
    for p in c {
        let s = std::str::from_utf8(p).unwrap();
        black_box(serde_json::from_str::<discord_invite::Invite>(s).unwrap());
    }
}

#[inline(never)]
fn run_twilight_str(c: &[Vec<u8>]) {
    for p in c {
        let s = std::str::from_utf8(p).unwrap();
        black_box(serde_json::from_str::<twilight_model::guild::invite::Invite>(s).unwrap());
    }
}

#[inline(never)]
fn run_ours_slice(c: &[Vec<u8>]) {
    for p in c {
        black_box(serde_json::from_slice::<discord_invite::Invite>(p).unwrap());
    }
}

#[inline(never)]
fn run_encode_ours(v: &[discord_invite::Invite]) {
    for i in v {
        black_box(serde_json::to_vec(i).unwrap());
    }
}

#[inline(never)]
fn run_encode_ours_string(v: &[discord_invite::Invite]) {
    for i in v {
        black_box(i.to_json_string().unwrap());
    }
}

#[inline(never)]
fn run_encode_twilight(v: &[twilight_model::guild::invite::Invite]) {
    for i in v {
        black_box(serde_json::to_vec(i).unwrap());
    }
}

#[inline(never)]
fn run_serenity_str(c: &[Vec<u8>]) {
    for p in c {
        let s = std::str::from_utf8(p).unwrap();
        black_box(serde_json::from_str::<serenity::model::invite::Invite>(s).unwrap());
    }
}

#[inline(never)]
fn run_twilight(c: &[Vec<u8>]) {
    for p in c {
        black_box(serde_json::from_slice::<twilight_model::guild::invite::Invite>(p).unwrap());
    }
}

#[inline(never)]
fn run_serenity(c: &[Vec<u8>]) {
    for p in c {
        black_box(serde_json::from_slice::<serenity::model::invite::Invite>(p).unwrap());
    }
}

#[cfg(feature = "validate")]
#[inline(never)]
fn run_validate(c: &[Vec<u8>]) {
    for p in c {
        black_box(discord_invite::validate::validate(p, None));
    }
}

#[inline(never)]
fn run_jsonschema(c: &[Vec<u8>], v: &jsonschema::Validator) {
    for p in c {
        let value: serde_json::Value = serde_json::from_slice(p).unwrap();
        black_box(v.is_valid(&value));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    if std::env::args().nth(1).as_deref() == Some("sizes") {
        use std::mem::size_of;
        println!("Invite {}", size_of::<discord_invite::Invite>());
        println!("GuildInvite {}", size_of::<discord_invite::GuildInvite>());
        println!("User {}", size_of::<discord_invite::User>());
        println!("InviteGuild {}", size_of::<discord_invite::InviteGuild>());
        println!(
            "ScheduledEvent {}",
            size_of::<discord_invite::ScheduledEvent>()
        );
        println!(
            "InviteApplication {}",
            size_of::<discord_invite::InviteApplication>()
        );
        println!(
            "UnknownFields {}",
            size_of::<discord_invite::UnknownFields>()
        );
        println!("Timestamp {}", size_of::<discord_invite::Timestamp>());
        println!(
            "twilight Invite {}",
            size_of::<twilight_model::guild::invite::Invite>()
        );
        println!(
            "serenity Invite {}",
            size_of::<serenity::model::invite::Invite>()
        );
        return;
    }
    let what = args.next().unwrap_or_else(|| "ours".into());
    let n: usize = args.next().map_or(2000, |s| s.parse().expect("N"));
    let repeat: usize = args.next().map_or(1, |s| s.parse().expect("REPEAT"));
    // `second:WHAT` runs on the second corpus (another seed and mix of shapes).
    let (what, mut c) = match what.strip_prefix("second:") {
        Some(w) => (w.to_owned(), corpus::corpus2(n)),
        None => (what.clone(), corpus::corpus(n)),
    };
    if what.starts_with("serenity") || what.ends_with("-subset") {
        c.retain(|p| !corpus::has_target_user(p));
    }
    if what.ends_with("-known-only") {
        // The same invites without the fields the spec does not declare, to isolate what
        // keeping unknown fields costs.
        fn strip(v: &mut serde_json::Value) {
            if let Some(m) = v.as_object_mut() {
                for k in ["clan", "display_name_styles", "banner_color", "expires_at"] {
                    if k != "expires_at" || !m.contains_key("code") {
                        m.shift_remove(k);
                    }
                }
                for (_, x) in m.iter_mut() {
                    strip(x);
                }
            }
        }
        for p in &mut c {
            let mut v: serde_json::Value = serde_json::from_slice(p).unwrap();
            strip(&mut v);
            *p = serde_json::to_vec(&v).unwrap();
        }
    }
    let bytes: usize = c.iter().map(Vec::len).sum();
    let jsonschema = (what == "jsonschema").then(|| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(&discord_invite_benches::schema::standalone(
                "GuildInviteResponse",
            ))
            .unwrap()
    });
    let encode = what.starts_with("encode");
    let ours_values: Vec<discord_invite::Invite> = if encode {
        c.iter()
            .map(|p| discord_invite::Invite::from_json_slice(p).unwrap())
            .collect()
    } else {
        Vec::new()
    };
    let twilight_values: Vec<twilight_model::guild::invite::Invite> = if encode {
        c.iter()
            .map(|p| serde_json::from_slice(p).unwrap())
            .collect()
    } else {
        Vec::new()
    };
    let start = std::time::Instant::now();
    for _ in 0..repeat {
        match what.as_str() {
            "ignored" => run_ignored(&c),
            "ours-skip" => run_ours_skip(&c),
            "value" => run_value(&c),
            "ours" | "ours-subset" | "ours-known-only" => run_ours(&c),
            "twilight" | "twilight-subset" | "twilight-known-only" => run_twilight(&c),
            "serenity" => run_serenity(&c),
            "ours-str" | "ours-str-subset" => run_ours_str(&c),
            "ours-slice" | "ours-slice-subset" => run_ours_slice(&c),
            "serenity-str" => run_serenity_str(&c),
            "encode-ours" => run_encode_ours(&ours_values),
            "encode-ours-string" => run_encode_ours_string(&ours_values),
            "encode-twilight" => run_encode_twilight(&twilight_values),
            "twilight-str" => run_twilight_str(&c),
            #[cfg(feature = "validate")]
            "validate" => run_validate(&c),
            "jsonschema" => run_jsonschema(&c, jsonschema.as_ref().unwrap()),
            other => panic!("unknown WHAT {other}"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{what}: {} payloads x {repeat}, {bytes} bytes each pass, {:.1} MB/s",
        c.len(),
        (bytes * repeat) as f64 / secs / 1e6
    );
}

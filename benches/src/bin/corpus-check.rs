//! `corpus-check [N]`: decodes the first N (default 10,000) corpus invites with every peer and
//! prints the size statistics and how many each one accepts, with the first error of each.

use discord_invite::Payload as _;
use discord_invite_benches::{corpus, schema};

fn main() {
    let n = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("N"))
        .unwrap_or(corpus::BENCH_LEN);
    let all = corpus::corpus(n);
    let bytes: usize = all.iter().map(Vec::len).sum();
    let (min, max) = (
        all.iter().map(Vec::len).min().unwrap_or(0),
        all.iter().map(Vec::len).max().unwrap_or(0),
    );
    println!(
        "{n} invites, {bytes} bytes, mean {} B, min {min} B, max {max} B",
        bytes / n.max(1)
    );
    let count = |k: &str| {
        let pat = format!("\"{k}");
        all.iter()
            .filter(|p| p.windows(pat.len()).any(|w| w == pat.as_bytes()))
            .count()
    };
    for k in [
        "inviter\":",
        "uses\":",
        "target_user\":",
        "avatar_decoration_data\":{",
        "collectibles\":{",
        "primary_guild\":{",
    ] {
        println!("  with \"{k}: {}", count(k));
    }
    let guests = all
        .iter()
        .filter(|p| p.windows(14).any(|w| w == b"GUESTS_ENABLED"))
        .count();
    println!("  with GUESTS_ENABLED: {guests}");

    fn check(name: &str, all: &[Vec<u8>], f: impl Fn(&[u8]) -> Result<(), String>) {
        let mut ok = 0;
        let mut first = None;
        for (i, p) in all.iter().enumerate() {
            match f(p) {
                Ok(()) => ok += 1,
                Err(e) => {
                    first.get_or_insert((i, e));
                }
            }
        }
        print!("{name}: accepts {ok} of {}", all.len());
        match first {
            Some((i, e)) => println!("; first rejected #{i}: {e}"),
            None => println!(),
        }
    }
    check("discord-invite", &all, |p| {
        discord_invite::Invite::from_json_slice(p)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    check("twilight-model", &all, |p| {
        serde_json::from_slice::<twilight_model::guild::invite::Invite>(p)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    check("serenity", &all, |p| {
        serde_json::from_slice::<serenity::model::invite::Invite>(p)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let no_target: Vec<Vec<u8>> = all
        .iter()
        .filter(|p| !corpus::has_target_user(p))
        .cloned()
        .collect();
    check("serenity (no target_user)", &no_target, |p| {
        serde_json::from_slice::<serenity::model::invite::Invite>(p)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let doc = schema::standalone("GuildInviteResponse");
    let v = jsonschema::options()
        .should_validate_formats(true)
        .build(&doc)
        .unwrap();
    check("jsonschema (upstream GuildInviteResponse)", &all, |p| {
        let value: serde_json::Value = serde_json::from_slice(p).unwrap();
        let first = v
            .iter_errors(&value)
            .next()
            .map(|e| format!("{} at {}", e, e.instance_path()));
        match first {
            None => Ok(()),
            Some(e) => Err(e),
        }
    });
    println!("sample invite #0:\n{}", String::from_utf8_lossy(&all[0]));
}

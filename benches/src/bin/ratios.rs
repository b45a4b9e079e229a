//! `ratios [ROUNDS]` (default 15): the headline ratios, measured round-robin so that a shared
//! machine's changing load hits every contender alike. Each round runs every contender once
//! over its whole corpus; the ratio of two contenders is taken within each round, and the
//! median over rounds is printed (with the min–max range), next to each contender's median MB/s.

use std::hint::black_box;
use std::time::Instant;

use discord_invite::Payload as _;
use discord_invite_benches::{corpus, schema};

type Work<'a> = Box<dyn Fn() + 'a>;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(15, |s| s.parse().expect("ROUNDS"));
    let all = corpus::corpus(corpus::BENCH_LEN);
    let sub: Vec<Vec<u8>> = all
        .iter()
        .filter(|p| !corpus::has_target_user(p))
        .cloned()
        .collect();
    let bytes = |c: &[Vec<u8>]| c.iter().map(Vec::len).sum::<usize>() as f64;
    let (all_b, sub_b) = (bytes(&all), bytes(&sub));
    let doc = schema::standalone("GuildInviteResponse");
    let js = jsonschema::options()
        .should_validate_formats(true)
        .build(&doc)
        .unwrap();

    let contenders: Vec<(&str, f64, Work)> = vec![
        (
            "floor",
            all_b,
            Box::new(|| {
                for p in &all {
                    black_box(serde_json::from_slice::<serde::de::IgnoredAny>(p).unwrap());
                }
            }),
        ),
        (
            "ours",
            all_b,
            Box::new(|| {
                for p in &all {
                    black_box(discord_invite::Invite::from_json_slice(p).unwrap());
                }
            }),
        ),
        (
            "twilight",
            all_b,
            Box::new(|| {
                for p in &all {
                    black_box(
                        serde_json::from_slice::<twilight_model::guild::invite::Invite>(p).unwrap(),
                    );
                }
            }),
        ),
        (
            "twilight_from_str",
            all_b,
            Box::new(|| {
                for p in &all {
                    black_box(
                        serde_json::from_str::<twilight_model::guild::invite::Invite>(
                            std::str::from_utf8(p).unwrap(),
                        )
                        .unwrap(),
                    );
                }
            }),
        ),
        (
            "ours_subset",
            sub_b,
            Box::new(|| {
                for p in &sub {
                    black_box(discord_invite::Invite::from_json_slice(p).unwrap());
                }
            }),
        ),
        (
            "serenity_subset",
            sub_b,
            Box::new(|| {
                for p in &sub {
                    black_box(
                        serde_json::from_slice::<serenity::model::invite::Invite>(p).unwrap(),
                    );
                }
            }),
        ),
        #[cfg(feature = "validate")]
        (
            "validate",
            all_b,
            Box::new(|| {
                for p in &all {
                    black_box(discord_invite::validate::validate(p, None));
                }
            }),
        ),
        (
            "jsonschema_is_valid",
            all_b,
            Box::new(|| {
                for p in &all {
                    let v: serde_json::Value = serde_json::from_slice(p).unwrap();
                    black_box(js.is_valid(&v));
                }
            }),
        ),
        (
            "jsonschema_iter_errors",
            all_b,
            Box::new(|| {
                for p in &all {
                    let v: serde_json::Value = serde_json::from_slice(p).unwrap();
                    black_box(js.iter_errors(&v).count());
                }
            }),
        ),
    ];
    // One warm-up round.
    for (_, _, f) in &contenders {
        f();
    }
    let mut secs: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    for _ in 0..rounds {
        for (i, (_, _, f)) in contenders.iter().enumerate() {
            let t = Instant::now();
            f();
            secs[i].push(t.elapsed().as_secs_f64());
        }
    }
    let idx = |name: &str| contenders.iter().position(|c| c.0 == name);
    println!("| contender | median MB/s | µs / payload |\n|---|---:|---:|");
    for (i, (name, b, _)) in contenders.iter().enumerate() {
        let mut s = secs[i].clone();
        let m = median(&mut s);
        let n = if name.ends_with("subset") {
            sub.len()
        } else {
            all.len()
        };
        println!(
            "| {name} | {:.0} | {:.2} |",
            b / m / 1e6,
            m * 1e6 / n as f64
        );
    }
    println!("\n| ratio (throughput, same round) | median | min–max over {rounds} rounds |\n|---|---:|---|");
    for (a, b) in [
        ("ours", "twilight"),
        ("ours", "twilight_from_str"),
        ("ours_subset", "serenity_subset"),
        ("floor", "ours"),
        ("validate", "jsonschema_is_valid"),
        ("validate", "jsonschema_iter_errors"),
    ] {
        let (Some(ia), Some(ib)) = (idx(a), idx(b)) else {
            continue;
        };
        // Throughput ratio a/b = (bytes_a / t_a) / (bytes_b / t_b).
        let (ba, bb) = (contenders[ia].1, contenders[ib].1);
        let mut r: Vec<f64> = (0..rounds)
            .map(|k| (ba / secs[ia][k]) / (bb / secs[ib][k]))
            .collect();
        let m = median(&mut r);
        println!("| {a} / {b} | {m:.2}× | {:.2}–{:.2} |", r[0], r[rounds - 1]);
    }
}

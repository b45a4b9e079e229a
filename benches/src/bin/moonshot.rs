//! `moonshot [ROUNDS]` (default 9): the SIMD JSON readers beside serde_json, round-robin on both
//! corpora: each reader's `IgnoredAny` floor and its serde decode of our `Invite` and of
//! twilight-model's, next to our own reader (`Invite::from_json_slice`). Build it twice to see
//! what the CPU's own instructions give:
//!
//! ```sh
//! cargo run --release --bin moonshot
//! RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR=target/native cargo run --release --bin moonshot
//! ```
//!
//! simd-json parses in place, so each of its runs first copies the payload into a reused buffer
//! (as a caller holding `&[u8]` must); that copy is part of its time.

use std::cell::RefCell;
use std::hint::black_box;
use std::time::Instant;

use discord_invite::Payload as _;
use discord_invite_benches::corpus;
use serde::de::IgnoredAny;

type Twilight = twilight_model::guild::invite::Invite;
type Ours = discord_invite::Invite;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(9, |s| s.parse().expect("ROUNDS"));
    println!(
        "target-feature avx2: {}, sse4.2: {}",
        cfg!(target_feature = "avx2"),
        cfg!(target_feature = "sse4.2")
    );
    for name in ["first", "second"] {
        let all = corpus::named(name, corpus::BENCH_LEN);
        let bytes = all.iter().map(Vec::len).sum::<usize>() as f64;
        let buf = RefCell::new(Vec::with_capacity(4096));
        let simd = |p: &[u8], f: &mut dyn FnMut(&mut [u8])| {
            let mut b = buf.borrow_mut();
            b.clear();
            b.extend_from_slice(p);
            f(&mut b);
        };
        type Work<'a> = Box<dyn Fn() + 'a>;
        let all = &all;
        let contenders: Vec<(&str, Work)> = vec![
            (
                "serde_json IgnoredAny",
                Box::new(|| {
                    for p in all {
                        black_box(serde_json::from_slice::<IgnoredAny>(p).unwrap());
                    }
                }),
            ),
            (
                "sonic-rs IgnoredAny",
                Box::new(|| {
                    for p in all {
                        black_box(sonic_rs::from_slice::<IgnoredAny>(p).unwrap());
                    }
                }),
            ),
            (
                "simd-json IgnoredAny",
                Box::new(|| {
                    for p in all {
                        simd(p, &mut |b| {
                            black_box(simd_json::serde::from_slice::<IgnoredAny>(b).unwrap());
                        });
                    }
                }),
            ),
            (
                "ours: Invite::from_json_slice",
                Box::new(|| {
                    for p in all {
                        black_box(Ours::from_json_slice(p).unwrap());
                    }
                }),
            ),
            (
                "ours: serde_json::from_slice",
                Box::new(|| {
                    for p in all {
                        black_box(serde_json::from_slice::<Ours>(p).unwrap());
                    }
                }),
            ),
            (
                "ours: sonic_rs::from_slice",
                Box::new(|| {
                    for p in all {
                        black_box(sonic_rs::from_slice::<Ours>(p).unwrap());
                    }
                }),
            ),
            (
                "ours: simd_json::serde::from_slice",
                Box::new(|| {
                    for p in all {
                        simd(p, &mut |b| {
                            black_box(simd_json::serde::from_slice::<Ours>(b).unwrap());
                        });
                    }
                }),
            ),
            (
                "twilight: serde_json::from_slice",
                Box::new(|| {
                    for p in all {
                        black_box(serde_json::from_slice::<Twilight>(p).unwrap());
                    }
                }),
            ),
            (
                "twilight: sonic_rs::from_slice",
                Box::new(|| {
                    for p in all {
                        black_box(sonic_rs::from_slice::<Twilight>(p).unwrap());
                    }
                }),
            ),
            (
                "twilight: simd_json::serde::from_slice",
                Box::new(|| {
                    for p in all {
                        simd(p, &mut |b| {
                            black_box(simd_json::serde::from_slice::<Twilight>(b).unwrap());
                        });
                    }
                }),
            ),
        ];
        for (_, f) in &contenders {
            f();
        }
        let mut secs = vec![Vec::new(); contenders.len()];
        for _ in 0..rounds {
            for (i, (_, f)) in contenders.iter().enumerate() {
                let t = Instant::now();
                f();
                secs[i].push(t.elapsed().as_secs_f64());
            }
        }
        let ours = 3;
        println!("\n**Corpus `{name}`**, {rounds} rounds\n");
        println!("| reader | median MB/s | µs / payload | / ours (`from_json_slice`), same round |\n|---|---:|---:|---:|");
        for (i, (label, _)) in contenders.iter().enumerate() {
            let m = median(&mut secs[i].clone());
            let mut r: Vec<f64> = (0..rounds).map(|k| secs[ours][k] / secs[i][k]).collect();
            println!(
                "| {label} | {:.0} | {:.2} | {:.2}× |",
                bytes / m / 1e6,
                m * 1e6 / all.len() as f64,
                median(&mut r)
            );
        }
    }
}

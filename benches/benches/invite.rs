//! Criterion benchmarks: discord-invite against serde_json's floor and tree, twilight-model,
//! serenity and the jsonschema crate, on the same deterministic corpus in the same run.
//!
//! Every iteration processes the whole corpus (10,000 invites), so criterion's time is per
//! corpus and its throughput (`Throughput::Bytes`) is MB/s of JSON; BENCHMARKS.md divides by the
//! corpus length for the time per payload.
//!
//! Run: `cd benches && cargo bench --bench invite -- --warm-up-time 1 --measurement-time 3 --sample-size 20`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use discord_invite::Payload as _;
use discord_invite_benches::corpus;
use discord_invite_benches::schema;
use serde::de::IgnoredAny;

struct Corpus {
    all: Vec<Vec<u8>>,
    all_bytes: u64,
    /// The invites serenity can decode: those without a `target_user` object.
    no_target: Vec<Vec<u8>>,
    no_target_bytes: u64,
}

fn load() -> Corpus {
    let all = corpus::corpus(corpus::BENCH_LEN);
    let no_target: Vec<Vec<u8>> = all
        .iter()
        .filter(|p| !corpus::has_target_user(p))
        .cloned()
        .collect();
    let bytes = |c: &[Vec<u8>]| c.iter().map(|p| p.len() as u64).sum();
    Corpus {
        all_bytes: bytes(&all),
        no_target_bytes: bytes(&no_target),
        all,
        no_target,
    }
}

/// Decodes every payload with `f`, which must succeed (checked once before timing).
fn decode_bench<T>(
    g: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    payloads: &[Vec<u8>],
    f: impl Fn(&[u8]) -> Result<T, String>,
) {
    for (i, p) in payloads.iter().enumerate() {
        if let Err(e) = f(p) {
            panic!(
                "{name} rejects payload {i}: {e}\n{}",
                String::from_utf8_lossy(p)
            );
        }
    }
    g.bench_function(name, |b| {
        b.iter(|| {
            for p in payloads {
                black_box(f(black_box(p)).ok());
            }
        })
    });
}

/// Writes how many payloads each group's iteration processes next to criterion's output, for
/// `report.py` (time per payload = time per iteration / payloads).
fn record_payloads(corpus: &Corpus) {
    let dir = std::path::PathBuf::from(
        std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into()),
    )
    .join("criterion");
    let _ = std::fs::create_dir_all(&dir);
    let json = serde_json::json!({
        "all": corpus.all.len(),
        "all_bytes": corpus.all_bytes,
        "decode_no_target_user": corpus.no_target.len(),
        "decode_no_target_user_bytes": corpus.no_target_bytes,
    });
    let _ = std::fs::write(dir.join("payloads.json"), json.to_string());
}

fn decode(c: &mut Criterion) {
    let corpus = load();
    record_payloads(&corpus);

    // The whole corpus: every peer that decodes all of it.
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(corpus.all_bytes));
    decode_bench(&mut g, "serde_json_ignored_any", &corpus.all, |p| {
        serde_json::from_slice::<IgnoredAny>(p).map_err(|e| e.to_string())
    });
    decode_bench(&mut g, "serde_json_value", &corpus.all, |p| {
        serde_json::from_slice::<serde_json::Value>(p).map_err(|e| e.to_string())
    });
    decode_bench(&mut g, "discord_invite", &corpus.all, |p| {
        discord_invite::Invite::from_json_slice(p).map_err(|e| e.to_string())
    });
    // The serde door: what `response.json::<Invite>()` and a user's own event enums do.
    decode_bench(&mut g, "discord_invite_serde_slice", &corpus.all, |p| {
        serde_json::from_slice::<discord_invite::Invite>(p).map_err(|e| e.to_string())
    });
    decode_bench(&mut g, "twilight_model", &corpus.all, |p| {
        serde_json::from_slice::<twilight_model::guild::invite::Invite>(p)
            .map_err(|e| e.to_string())
    });
    // What a twilight user could do by hand, and what our `from_json_slice` does inside: check
    // UTF-8 once, then decode as text (serde_json then skips its per-string UTF-8 check).
    decode_bench(&mut g, "twilight_model_from_str", &corpus.all, |p| {
        let text = std::str::from_utf8(p).map_err(|e| e.to_string())?;
        serde_json::from_str::<twilight_model::guild::invite::Invite>(text)
            .map_err(|e| e.to_string())
    });
    g.finish();

    // The subset serenity accepts (no `target_user`: serenity models it as a bare ID), so that
    // serenity is compared with the others on the same bytes.
    let mut g = c.benchmark_group("decode_no_target_user");
    g.throughput(Throughput::Bytes(corpus.no_target_bytes));
    decode_bench(&mut g, "serde_json_ignored_any", &corpus.no_target, |p| {
        serde_json::from_slice::<IgnoredAny>(p).map_err(|e| e.to_string())
    });
    decode_bench(&mut g, "discord_invite", &corpus.no_target, |p| {
        discord_invite::Invite::from_json_slice(p).map_err(|e| e.to_string())
    });
    decode_bench(&mut g, "twilight_model", &corpus.no_target, |p| {
        serde_json::from_slice::<twilight_model::guild::invite::Invite>(p)
            .map_err(|e| e.to_string())
    });
    decode_bench(&mut g, "serenity", &corpus.no_target, |p| {
        serde_json::from_slice::<serenity::model::invite::Invite>(p).map_err(|e| e.to_string())
    });
    g.finish();
}

fn encode(c: &mut Criterion) {
    let corpus = load();
    let ours: Vec<discord_invite::Invite> = corpus
        .all
        .iter()
        .map(|p| discord_invite::Invite::from_json_slice(p).unwrap())
        .collect();
    let twilight: Vec<twilight_model::guild::invite::Invite> = corpus
        .all
        .iter()
        .map(|p| serde_json::from_slice(p).unwrap())
        .collect();
    let out_bytes =
        |f: &dyn Fn(usize) -> Vec<u8>| (0..corpus.all.len()).map(|i| f(i).len() as u64).sum();
    let ours_bytes = out_bytes(&|i| serde_json::to_vec(&ours[i]).unwrap());
    let twilight_bytes = out_bytes(&|i| serde_json::to_vec(&twilight[i]).unwrap());

    // Throughput is each encoder's own output: twilight drops the fields it does not model, so it
    // writes fewer bytes than ours (which re-encodes every field, unknown ones included).
    let mut g = c.benchmark_group("encode");
    let mut buf = Vec::with_capacity(4096);
    g.throughput(Throughput::Bytes(ours_bytes));
    g.bench_function("discord_invite", |b| {
        b.iter(|| {
            for v in &ours {
                buf.clear();
                serde_json::to_writer(&mut buf, black_box(v)).unwrap();
                black_box(&buf);
            }
        })
    });
    g.throughput(Throughput::Bytes(twilight_bytes));
    g.bench_function("twilight_model", |b| {
        b.iter(|| {
            for v in &twilight {
                buf.clear();
                serde_json::to_writer(&mut buf, black_box(v)).unwrap();
                black_box(&buf);
            }
        })
    });
    g.finish();

    // Decode then encode; ours is lossless: the output is the input (known fields in the
    // model's order, unknown ones after them, so compared as JSON values).
    for p in &corpus.all {
        let v = discord_invite::Invite::from_json_slice(p).unwrap();
        let back: serde_json::Value =
            serde_json::from_slice(&serde_json::to_vec(&v).unwrap()).unwrap();
        let orig: serde_json::Value = serde_json::from_slice(p).unwrap();
        assert_eq!(back, orig, "round trip is lossless");
    }
    let mut g = c.benchmark_group("roundtrip");
    g.throughput(Throughput::Bytes(corpus.all_bytes));
    g.bench_function("discord_invite", |b| {
        b.iter(|| {
            for p in &corpus.all {
                let v = discord_invite::Invite::from_json_slice(black_box(p)).unwrap();
                buf.clear();
                serde_json::to_writer(&mut buf, &v).unwrap();
                black_box(&buf);
            }
        })
    });
    g.finish();
}

fn validate(c: &mut Criterion) {
    let corpus = load();
    let doc = schema::standalone("GuildInviteResponse");
    // Formats checked, as our validator checks snowflakes and RFC 3339 date-times.
    let formats = jsonschema::options()
        .should_validate_formats(true)
        .build(&doc)
        .expect("the upstream schema compiles");
    let plain = jsonschema::validator_for(&doc).expect("the upstream schema compiles");
    let values: Vec<serde_json::Value> = corpus
        .all
        .iter()
        .map(|p| serde_json::from_slice(p).unwrap())
        .collect();
    let invalid = values.iter().filter(|v| !formats.is_valid(v)).count();
    eprintln!(
        "jsonschema: {invalid} of {} invites break the upstream schema (guild features its closed enum lacks)",
        values.len()
    );

    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Bytes(corpus.all_bytes));

    #[cfg(feature = "validate")]
    {
        // Full report: kind detection, SDK decode, spec check with positions, every finding.
        let findings: usize = corpus
            .all
            .iter()
            .map(|p| discord_invite::validate::validate(p, None).findings.len())
            .sum();
        eprintln!("discord_invite::validate: {findings} findings over the corpus");
        g.bench_function("discord_invite_report", |b| {
            b.iter(|| {
                for p in &corpus.all {
                    black_box(discord_invite::validate::validate(black_box(p), None));
                }
            })
        });
    }

    // Bytes in, as a validator of captured traffic gets them: parse to a Value, then check.
    g.bench_function("jsonschema_is_valid", |b| {
        b.iter(|| {
            for p in &corpus.all {
                let v: serde_json::Value = serde_json::from_slice(black_box(p)).unwrap();
                black_box(formats.is_valid(&v));
            }
        })
    });
    g.bench_function("jsonschema_iter_errors", |b| {
        b.iter(|| {
            for p in &corpus.all {
                let v: serde_json::Value = serde_json::from_slice(black_box(p)).unwrap();
                black_box(formats.iter_errors(&v).count());
            }
        })
    });
    g.bench_function("jsonschema_is_valid_no_formats", |b| {
        b.iter(|| {
            for p in &corpus.all {
                let v: serde_json::Value = serde_json::from_slice(black_box(p)).unwrap();
                black_box(plain.is_valid(&v));
            }
        })
    });
    // Check only, on values parsed beforehand (not comparable with a bytes-in validator; shown
    // to split parse from check).
    g.bench_function("jsonschema_is_valid_preparsed", |b| {
        b.iter(|| {
            for v in &values {
                black_box(formats.is_valid(black_box(v)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, decode, encode, validate);
criterion_main!(benches);

//! `ratios [ROUNDS] [--no-validate] [--memory]` (default 15 rounds): every target of the benchmarks, each
//! with its verdict, measured round-robin so that a shared machine's changing load hits every
//! contender alike. Each round runs every contender once over its whole corpus; the ratio of
//! two contenders is taken within each round, and the median over rounds is printed (with the
//! min–max range), next to each contender's median MB/s. Two corpora: `first` (the benchmark
//! corpus) and `second` (another seed and mix of shapes, `corpus::Mix::SECOND`). Memory per
//! decoded invite is counted (not timed) with a counting allocator before the rounds (`--memory`: only that).
//! After the targets, the serde door's ceiling (not a target): serde_json reading every token
//! for a visitor that keeps nothing (`Touch`), serde_json into the verdict-only
//! `Check<Invite>` visitors, which build nothing, and serde_json into the models' generated
//! visitors, which build the invite (what a visitor-driven door would be).

use std::hint::black_box;
use std::time::Instant;

use discord_invite::Payload as _;
use discord_invite_benches::alloc::{self, Counting};
use discord_invite_benches::{corpus, schema};

#[global_allocator]
static ALLOC: Counting = Counting;

type Work<'a> = Box<dyn Fn() + 'a>;
type Twilight = twilight_model::guild::invite::Invite;
type Serenity = serenity::model::invite::Invite;
type Ours = discord_invite::Invite;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

struct Contender<'a> {
    name: String,
    bytes: f64,
    count: usize,
    work: Work<'a>,
}

/// One corpus with its views: bytes, text, serenity's subset, values to encode.
struct Corpus {
    name: &'static str,
    all: Vec<Vec<u8>>,
    text: Vec<String>,
    sub: Vec<Vec<u8>>,
    sub_text: Vec<String>,
    ours: Vec<Ours>,
    twilight: Vec<Twilight>,
}

impl Corpus {
    fn load(name: &'static str) -> Corpus {
        let all = corpus::named(name, corpus::BENCH_LEN);
        let sub: Vec<Vec<u8>> = all
            .iter()
            .filter(|p| !corpus::has_target_user(p))
            .cloned()
            .collect();
        let text = |c: &[Vec<u8>]| -> Vec<String> {
            c.iter()
                .map(|p| String::from_utf8(p.clone()).unwrap())
                .collect()
        };
        Corpus {
            name,
            text: text(&all),
            sub_text: text(&sub),
            ours: all
                .iter()
                .map(|p| Ours::from_json_slice(p).unwrap())
                .collect(),
            twilight: all
                .iter()
                .map(|p| serde_json::from_slice(p).unwrap())
                .collect(),
            all,
            sub,
        }
    }
}

fn bytes(c: &[Vec<u8>]) -> f64 {
    c.iter().map(Vec::len).sum::<usize>() as f64
}

/// `serde_json::from_slice::<T>` over every payload.
fn slices<'a, T: for<'de> serde::Deserialize<'de>>(payloads: &'a [Vec<u8>]) -> Work<'a> {
    Box::new(move || {
        for p in payloads {
            black_box(serde_json::from_slice::<T>(p).unwrap());
        }
    })
}

/// `serde_json::from_str::<T>` over every payload.
fn texts<'a, T: for<'de> serde::Deserialize<'de>>(payloads: &'a [String]) -> Work<'a> {
    Box::new(move || {
        for t in payloads {
            black_box(serde_json::from_str::<T>(t).unwrap());
        }
    })
}

/// `Invite` through its generated serde visitors (the models' hidden `Decode::decode`, which
/// this crate's own fallback uses) instead of its `Deserialize` door: what a door that drove
/// serde_json's tokens into the decoders would cost, the invite built.
struct Visitors(#[allow(dead_code)] Ours);

impl<'de> serde::Deserialize<'de> for Visitors {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Visitors, D::Error> {
        <Ours as discord_invite::__private::Decode<'de>>::decode(d).map(Visitors)
    }
}

/// Every token serde_json reads, taken and dropped: strings borrowed (so checked as UTF-8
/// through `from_slice`, as a typed decoder's are), numbers as numbers, containers entered.
struct Touch;

impl<'de> serde::Deserialize<'de> for Touch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Touch, D::Error> {
        d.deserialize_any(TouchVisitor)
    }
}

struct TouchVisitor;

impl<'de> serde::de::Visitor<'de> for TouchVisitor {
    type Value = Touch;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Touch, E> {
        Ok(Touch)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Touch, E> {
        Ok(Touch)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Touch, E> {
        Ok(Touch)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Touch, E> {
        Ok(Touch)
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Touch, E> {
        black_box(s);
        Ok(Touch)
    }
    fn visit_str<E>(self, s: &str) -> Result<Touch, E> {
        black_box(s);
        Ok(Touch)
    }
    fn visit_unit<E>(self) -> Result<Touch, E> {
        Ok(Touch)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Touch, A::Error> {
        while a.next_element::<Touch>()?.is_some() {}
        Ok(Touch)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Touch, A::Error> {
        while a.next_key::<Touch>()?.is_some() {
            a.next_value::<Touch>()?;
        }
        Ok(Touch)
    }
}

/// Every decoder over `payloads`, as contenders named `{prefix}{name}`.
fn decoders<'a>(c: &'a Corpus, out: &mut Vec<Contender<'a>>) {
    let n = c.name;
    let (all, sub) = (&c.all, &c.sub);
    let (ab, sb) = (bytes(all), bytes(sub));
    let mut add = |name: &str, bytes: f64, count: usize, work: Work<'a>| {
        out.push(Contender {
            name: format!("{n}/{name}"),
            bytes,
            count,
            work,
        })
    };
    add(
        "floor",
        ab,
        all.len(),
        Box::new(move || {
            for p in all {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(p).unwrap());
            }
        }),
    );
    add(
        "ours",
        ab,
        all.len(),
        Box::new(move || {
            for p in all {
                black_box(Ours::from_json_slice(p).unwrap());
            }
        }),
    );
    add(
        "ours_serde_slice",
        ab,
        all.len(),
        Box::new(move || {
            for p in all {
                black_box(serde_json::from_slice::<Ours>(p).unwrap());
            }
        }),
    );
    add(
        "ours_serde_str",
        ab,
        all.len(),
        Box::new(move || {
            for t in &c.text {
                black_box(serde_json::from_str::<Ours>(t).unwrap());
            }
        }),
    );
    // The serde door's ceiling. `touch`: serde_json reading every token for a visitor that
    // takes each one and keeps nothing (`Touch`): about the least any decoder that reads every
    // member pays serde_json. `ceiling`: serde_json into the validator's verdict-only
    // `Check<Invite>` visitors (every member visited and checked as the model would, no value
    // made): a decoder built like ours, minus building the invite. `visitors`: serde_json into
    // the models' generated visitors, the invite built: a door that drove serde_json's tokens
    // (the one shipped asks for the raw text and runs our reader on it).
    for (name, bytes, count, work) in [
        ("touch_slice", ab, all.len(), slices::<Touch>(all)),
        ("visitors_slice", ab, all.len(), slices::<Visitors>(all)),
        ("visitors_str", ab, all.len(), texts::<Visitors>(&c.text)),
        (
            "visitors_slice_subset",
            sb,
            sub.len(),
            slices::<Visitors>(sub),
        ),
        (
            "visitors_str_subset",
            sb,
            sub.len(),
            texts::<Visitors>(&c.sub_text),
        ),
        ("touch_str", ab, all.len(), texts::<Touch>(&c.text)),
        ("touch_slice_subset", sb, sub.len(), slices::<Touch>(sub)),
        (
            "touch_str_subset",
            sb,
            sub.len(),
            texts::<Touch>(&c.sub_text),
        ),
    ] {
        add(name, bytes, count, work);
    }
    #[cfg(feature = "validate")]
    {
        type Check = discord_invite::__private::Check<Ours>;
        add("ceiling_slice", ab, all.len(), slices::<Check>(all));
        add("ceiling_str", ab, all.len(), texts::<Check>(&c.text));
        add("ceiling_slice_subset", sb, sub.len(), slices::<Check>(sub));
        add(
            "ceiling_str_subset",
            sb,
            sub.len(),
            texts::<Check>(&c.sub_text),
        );
    }
    add(
        "twilight",
        ab,
        all.len(),
        Box::new(move || {
            for p in all {
                black_box(serde_json::from_slice::<Twilight>(p).unwrap());
            }
        }),
    );
    add(
        "twilight_str",
        ab,
        all.len(),
        Box::new(move || {
            for t in &c.text {
                black_box(serde_json::from_str::<Twilight>(t).unwrap());
            }
        }),
    );
    add(
        "ours_subset",
        sb,
        sub.len(),
        Box::new(move || {
            for p in sub {
                black_box(Ours::from_json_slice(p).unwrap());
            }
        }),
    );
    add(
        "ours_serde_slice_subset",
        sb,
        sub.len(),
        Box::new(move || {
            for p in sub {
                black_box(serde_json::from_slice::<Ours>(p).unwrap());
            }
        }),
    );
    add(
        "ours_serde_str_subset",
        sb,
        sub.len(),
        Box::new(move || {
            for t in &c.sub_text {
                black_box(serde_json::from_str::<Ours>(t).unwrap());
            }
        }),
    );
    add(
        "serenity_subset",
        sb,
        sub.len(),
        Box::new(move || {
            for p in sub {
                black_box(serde_json::from_slice::<Serenity>(p).unwrap());
            }
        }),
    );
    add(
        "serenity_str_subset",
        sb,
        sub.len(),
        Box::new(move || {
            for t in &c.sub_text {
                black_box(serde_json::from_str::<Serenity>(t).unwrap());
            }
        }),
    );
    // Encode: throughput of each encoder's own output (ours re-encodes the unknown fields too,
    // so it writes more bytes); the per-invite ratio is printed as well.
    let out_bytes = |f: &dyn Fn(usize) -> usize| (0..all.len()).map(f).sum::<usize>() as f64;
    let ours_out = out_bytes(&|i| serde_json::to_vec(&c.ours[i]).unwrap().len());
    let twilight_out = out_bytes(&|i| serde_json::to_vec(&c.twilight[i]).unwrap().len());
    add(
        "encode_ours_string",
        ours_out,
        all.len(),
        Box::new(move || {
            for v in &c.ours {
                black_box(v.to_json_string().unwrap());
            }
        }),
    );
    add(
        "encode_ours_to_vec",
        ours_out,
        all.len(),
        Box::new(move || {
            for v in &c.ours {
                black_box(serde_json::to_vec(v).unwrap());
            }
        }),
    );
    add(
        "encode_twilight_to_vec",
        twilight_out,
        all.len(),
        Box::new(move || {
            for v in &c.twilight {
                black_box(serde_json::to_vec(v).unwrap());
            }
        }),
    );
}

#[derive(Clone, Copy)]
enum Want {
    AtLeast(f64),
    AtMost(f64),
}

/// A target: `a / b` (throughput, or per-invite speed with `per_invite`) against `want`.
struct Target {
    what: String,
    a: String,
    b: String,
    want: Want,
    per_invite: bool,
}

fn target(what: &str, a: &str, b: &str, want: Want) -> Target {
    Target {
        what: what.into(),
        a: a.into(),
        b: b.into(),
        want,
        per_invite: false,
    }
}

fn verdict(m: f64, want: Want) -> &'static str {
    match want {
        Want::AtLeast(t) if m >= t => "met",
        Want::AtMost(t) if m <= t => "met",
        _ => "NOT met",
    }
}

fn want_text(want: Want) -> String {
    match want {
        Want::AtLeast(t) => format!("≥ {t}×"),
        Want::AtMost(t) => format!("≤ {t}×"),
    }
}

fn memory(c: &Corpus) {
    let ours = alloc::per_value(&c.all, |p| Ours::from_json_slice(p).ok());
    let ours_serde = alloc::per_value(&c.all, |p| serde_json::from_slice::<Ours>(p).ok());
    let twilight = alloc::per_value(&c.all, |p| serde_json::from_slice::<Twilight>(p).ok());
    let ours_sub = alloc::per_value(&c.sub, |p| Ours::from_json_slice(p).ok());
    let serenity = alloc::per_value(&c.sub, |p| serde_json::from_slice::<Serenity>(p).ok());
    println!(
        "\n**Memory per decoded invite, corpus `{}`** (counting allocator: requested bytes of the blocks the value holds)\n",
        c.name
    );
    println!("| decoder | inline B | heap B | total B | heap blocks |\n|---|---:|---:|---:|---:|");
    for (name, m) in [
        ("ours (`from_json_slice`)", ours),
        ("ours (`serde_json::from_slice`)", ours_serde),
        ("twilight-model", twilight),
        ("ours, serenity's subset", ours_sub),
        ("serenity, its subset", serenity),
    ] {
        println!(
            "| {name} | {} | {:.0} | {:.0} | {:.1} |",
            m.inline,
            m.heap,
            m.total(),
            m.blocks
        );
    }
    let r = ours.total() / twilight.total();
    println!(
        "\n| target | measured | target | verdict |\n|---|---:|---|---|\n| memory per invite, ours / twilight-model (inline + heap) | {r:.2}× ({:.0} vs {:.0} B) | ≤ 1× | {} |\n| heap blocks per invite, ours | {:.1} | ≤ 8 | {} |",
        ours.total(),
        twilight.total(),
        verdict(r, Want::AtMost(1.0)),
        ours.blocks,
        verdict(ours.blocks, Want::AtMost(8.0)),
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut rounds = 15usize;
    let mut validate = true;
    let mut memory_only = false;
    for a in args.by_ref() {
        match a.as_str() {
            "--no-validate" => validate = false,
            // Only the memory tables (the counting allocator is deterministic: no rounds).
            "--memory" => memory_only = true,
            n => rounds = n.parse().expect("ROUNDS"),
        }
    }
    let corpora = [Corpus::load("first"), Corpus::load("second")];
    for c in &corpora {
        memory(c);
    }
    if memory_only {
        return;
    }

    let doc = schema::standalone("GuildInviteResponse");
    let js = jsonschema::options()
        .should_validate_formats(true)
        .build(&doc)
        .unwrap();
    let first = &corpora[0].all;
    let mut contenders: Vec<Contender> = Vec::new();
    for c in &corpora {
        decoders(c, &mut contenders);
    }
    if validate {
        #[cfg(feature = "validate")]
        contenders.push(Contender {
            name: "first/validate".into(),
            bytes: bytes(first),
            count: first.len(),
            work: Box::new(|| {
                for p in first {
                    black_box(discord_invite::validate::validate(p, None));
                }
            }),
        });
        contenders.push(Contender {
            name: "first/jsonschema_is_valid".into(),
            bytes: bytes(first),
            count: first.len(),
            work: Box::new(|| {
                for p in first {
                    let v: serde_json::Value = serde_json::from_slice(p).unwrap();
                    black_box(js.is_valid(&v));
                }
            }),
        });
    }

    // One warm-up round.
    for c in &contenders {
        (c.work)();
    }
    let mut secs: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    for _ in 0..rounds {
        for (i, c) in contenders.iter().enumerate() {
            let t = Instant::now();
            (c.work)();
            secs[i].push(t.elapsed().as_secs_f64());
        }
    }
    println!("\n| contender | median MB/s | µs / payload |\n|---|---:|---:|");
    for (i, c) in contenders.iter().enumerate() {
        let m = median(&mut secs[i].clone());
        println!(
            "| {} | {:.0} | {:.2} |",
            c.name,
            c.bytes / m / 1e6,
            m * 1e6 / c.count as f64
        );
    }

    let mut targets = Vec::new();
    for c in ["first", "second"] {
        let t = |what: &str, a: &str, b: &str, want| {
            target(
                &format!("{what} [{c}]"),
                &format!("{c}/{a}"),
                &format!("{c}/{b}"),
                want,
            )
        };
        targets.extend([
            t(
                "serde_json::from_slice::<Invite> / twilight-model",
                "ours_serde_slice",
                "twilight",
                Want::AtLeast(1.5),
            ),
            t(
                "serde_json::from_slice::<Invite> / serenity (its subset)",
                "ours_serde_slice_subset",
                "serenity_subset",
                Want::AtLeast(1.5),
            ),
            t(
                "serde_json::from_str::<Invite> / twilight-model from_str",
                "ours_serde_str",
                "twilight_str",
                Want::AtLeast(1.5),
            ),
            t(
                "serde_json::from_str::<Invite> / serenity from_str (its subset)",
                "ours_serde_str_subset",
                "serenity_str_subset",
                Want::AtLeast(1.5),
            ),
            t(
                "Invite::from_json_slice / twilight-model",
                "ours",
                "twilight",
                Want::AtLeast(2.0),
            ),
            t(
                "Invite::from_json_slice / serenity (its subset)",
                "ours_subset",
                "serenity_subset",
                Want::AtLeast(2.0),
            ),
            t(
                "serde_json IgnoredAny floor / Invite::from_json_slice",
                "floor",
                "ours",
                Want::AtMost(1.8),
            ),
            t(
                "encode to_json_string / twilight-model to_vec (MB/s of own output)",
                "encode_ours_string",
                "encode_twilight_to_vec",
                Want::AtLeast(1.5),
            ),
            t(
                "encode serde_json::to_vec / twilight-model to_vec (MB/s of own output)",
                "encode_ours_to_vec",
                "encode_twilight_to_vec",
                Want::AtLeast(1.5),
            ),
            Target {
                per_invite: true,
                ..t(
                    "encode to_json_string / twilight-model to_vec (invites per second)",
                    "encode_ours_string",
                    "encode_twilight_to_vec",
                    Want::AtLeast(1.5),
                )
            },
        ]);
    }
    // Not targets: how far the serde door could go at most (see `ceiling_*` in `decoders`).
    let mut ceilings = Vec::new();
    for c in ["first", "second"] {
        let t = |what: &str, a: &str, b: &str| {
            target(
                &format!("{what} [{c}]"),
                &format!("{c}/{a}"),
                &format!("{c}/{b}"),
                Want::AtLeast(1.5),
            )
        };
        ceilings.extend([
            t(
                "serde_json alone (touch), from_slice / twilight-model",
                "touch_slice",
                "twilight",
            ),
            t(
                "serde_json alone (touch), from_slice / serenity (its subset)",
                "touch_slice_subset",
                "serenity_subset",
            ),
            t(
                "serde_json alone (touch), from_str / twilight-model from_str",
                "touch_str",
                "twilight_str",
            ),
            t(
                "serde_json alone (touch), from_str / serenity from_str (its subset)",
                "touch_str_subset",
                "serenity_str_subset",
            ),
            t(
                "our generated visitors, invite built, from_slice / twilight-model",
                "visitors_slice",
                "twilight",
            ),
            t(
                "our generated visitors, invite built, from_slice / serenity (its subset)",
                "visitors_slice_subset",
                "serenity_subset",
            ),
            t(
                "our generated visitors, invite built, from_str / twilight-model from_str",
                "visitors_str",
                "twilight_str",
            ),
            t(
                "our generated visitors, invite built, from_str / serenity from_str (its subset)",
                "visitors_str_subset",
                "serenity_str_subset",
            ),
            t(
                "our visitors, nothing built (Check), from_slice / twilight-model",
                "ceiling_slice",
                "twilight",
            ),
            t(
                "our visitors, nothing built (Check), from_slice / serenity (its subset)",
                "ceiling_slice_subset",
                "serenity_subset",
            ),
            t(
                "our visitors, nothing built (Check), from_str / twilight-model from_str",
                "ceiling_str",
                "twilight_str",
            ),
            t(
                "our visitors, nothing built (Check), from_str / serenity from_str (its subset)",
                "ceiling_str_subset",
                "serenity_str_subset",
            ),
        ]);
    }
    targets.push(target(
        "validate (full report) / jsonschema is_valid [first]",
        "first/validate",
        "first/jsonschema_is_valid",
        Want::AtLeast(2.0),
    ));

    let idx = |name: &str| contenders.iter().position(|c| c.name == name);
    // Throughput ratio a/b = (bytes_a / t_a) / (bytes_b / t_b); per invite: (n_a / t_a) /
    // (n_b / t_b).
    let ratios = |t: &Target| -> Option<Vec<f64>> {
        let (ia, ib) = (idx(&t.a)?, idx(&t.b)?);
        let (ca, cb) = (&contenders[ia], &contenders[ib]);
        let (ua, ub) = if t.per_invite {
            (ca.count as f64, cb.count as f64)
        } else {
            (ca.bytes, cb.bytes)
        };
        Some(
            (0..rounds)
                .map(|k| (ua / secs[ia][k]) / (ub / secs[ib][k]))
                .collect(),
        )
    };
    // One row a target: the median ratio, its range and `judge`'s word on it.
    let rows = |list: &[Target], judge: &dyn Fn(f64, Want) -> &'static str| {
        for t in list {
            let Some(mut r) = ratios(t) else {
                continue;
            };
            let m = median(&mut r);
            println!(
                "| {} | {m:.2}× | {:.2}–{:.2} | {} | {} |",
                t.what,
                r[0],
                r[rounds - 1],
                want_text(t.want),
                judge(m, t.want)
            );
        }
    };
    println!(
        "\n| target (same-round ratio) | median | min–max over {rounds} rounds | target | verdict |\n|---|---:|---|---|---|"
    );
    rows(&targets, &verdict);
    if ceilings.iter().any(|t| ratios(t).is_some()) {
        println!(
            "\nThe serde door's ceiling (not targets). `touch`: serde_json reading every token for a\nvisitor that keeps nothing, about the least any decoder reading every member pays it.\n`Check`: serde_json into our verdict-only visitors, which check every member as the model\nwould and build nothing. `generated visitors`: serde_json into the models' own visitors,\nthe invite built: a door that drove serde_json's tokens instead of asking for the raw text.\nBelow the door's target, the door cannot reach it that way.\n\n| ceiling (same-round ratio) | median | min–max over {rounds} rounds | the door's target | the ceiling is |\n|---|---:|---|---|---|"
        );
        rows(&ceilings, &|m, want| match verdict(m, want) {
            "met" => "above",
            _ => "**below**",
        });
    }
}

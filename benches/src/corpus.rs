//! A deterministic corpus of guild invites shaped like the ones Discord sends in 2026
//! (`GET /invites/{code}?with_counts=true`, `POST /channels/{id}/invites`, gateway captures).
//!
//! * every invite: `type`, `code`, `expires_at`, `flags`, `guild` (full partial guild with
//!   features, some of which the spec's closed `GuildFeatures` enum lacks, e.g.
//!   `GUESTS_ENABLED`), `guild_id`, `channel`, `approximate_member_count`,
//!   `approximate_presence_count`;
//! * most invites: `inviter`, a full user object as the spec describes it (`flags`,
//!   `global_name`, `avatar_decoration_data`, `collectibles`, `primary_guild`…) plus the fields
//!   real traffic carries that the spec does not (`clan`, `display_name_styles`,
//!   `banner_color`, `expires_at` inside decorations), which a typed decoder must keep or skip;
//!   vanity invites (1 in 12) have no inviter;
//! * every other invite (even index): the invite metadata (`uses`, `max_uses`, `max_age`,
//!   `temporary`, `created_at`);
//! * 1 in 8: a stream invite with `target_type: 1` and a full `target_user`.
//!
//! The generator is a fixed-seed SplitMix64, seeded per index, so invite `i` is the same bytes
//! on every machine and can be generated on its own (the 1 GB NDJSON file is streamed).

use serde_json::{json, Map, Value};

/// The corpus seed. Changing it changes every byte of the corpus.
pub const SEED: u64 = 0x00D1_5C0D_2026_0001;

/// The number of invites the criterion benches use.
pub const BENCH_LEN: usize = 10_000;

/// The second corpus's seed (issue 16: every target holds on a corpus the code was not tuned
/// on, with another seed and another mix of shapes; see [`Mix::SECOND`]).
pub const SEED2: u64 = 0x5EC0_0D2D_2026_0016;

/// How often each shape occurs. [`Mix::FIRST`] is the benchmark corpus (its bytes are the same
/// as before mixes existed: a probability of the first mix draws the same random numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    /// A vanity invite (no inviter) 1 in this many.
    pub vanity_one_in: u64,
    /// A stream invite with a `target_user` 1 in this many of the others.
    pub stream_one_in: u64,
    /// Invite metadata (`uses`, `max_age`…) on invites whose index is a multiple of this.
    pub metadata_every: u64,
    /// Each known guild feature 1 in this many; each feature the spec lacks 1 in this many.
    pub known_feature_one_in: u64,
    pub extra_feature_one_in: u64,
    /// `Some(n)`: 1 in n users is an older shape without the fields the spec lacks (`clan`,
    /// `display_name_styles`, `banner_color`) and without `collectibles`.
    pub legacy_user_one_in: Option<u64>,
    /// `Some(n)`: 1 in n guild descriptions is a long one (several sentences, escapes).
    pub long_description_one_in: Option<u64>,
}

impl Mix {
    /// The benchmark corpus: mostly full 2026 user objects, metadata on half.
    pub const FIRST: Mix = Mix {
        vanity_one_in: 12,
        stream_one_in: 8,
        metadata_every: 2,
        known_feature_one_in: 3,
        extra_feature_one_in: 3,
        legacy_user_one_in: None,
        long_description_one_in: None,
    };

    /// The second corpus: more stream invites (so more users), more vanity invites, metadata on
    /// a third, fewer guild features, a third of the users in the older shape, some long
    /// descriptions with escapes.
    pub const SECOND: Mix = Mix {
        vanity_one_in: 5,
        stream_one_in: 3,
        metadata_every: 3,
        known_feature_one_in: 4,
        extra_feature_one_in: 5,
        legacy_user_one_in: Some(3),
        long_description_one_in: Some(4),
    };
}

/// SplitMix64: tiny, fast, and good enough to vary a corpus.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for invite `index` of the corpus with `seed`.
    pub fn new(seed: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    /// One element of a slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A snowflake created between 2016 and 2026, as its decimal string.
    pub fn snowflake(&mut self) -> String {
        // Milliseconds since the Discord epoch (2015-01-01): 2016-01-01 .. 2026-01-01.
        let ms = 31_536_000_000 + self.below(315_360_000_000);
        let id = (ms << 22) | self.below(1 << 22);
        id.to_string()
    }

    /// An image hash: 32 lowercase hex digits, `a_`-prefixed when animated.
    pub fn hash(&mut self, animated_one_in: u64) -> String {
        let prefix = if self.one_in(animated_one_in) {
            "a_"
        } else {
            ""
        };
        format!("{prefix}{:016x}{:016x}", self.next_u64(), self.next_u64())
    }

    /// An invite code: 8 or 10 base62 characters.
    pub fn code(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let len = if self.one_in(3) { 10 } else { 8 };
        (0..len).map(|_| *self.pick(ALPHABET) as char).collect()
    }

    /// An RFC 3339 timestamp in 2026 with microseconds, as Discord formats them.
    pub fn timestamp(&mut self, base_secs: u64) -> String {
        format_ts(base_secs, self.below(1000) * 1000)
    }
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
pub fn format_ts(secs: u64, micros: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Civil-from-days (Howard Hinnant), valid for the dates used here.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{micros:06}+00:00")
}

const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "zen", "lu", "xa", "vel", "no", "tor", "shi", "bra", "qui", "del", "fae",
    "gor", "pix", "ul", "wren", "yo", "sky",
];
const WORDS: &[&str] = &[
    "Pixel",
    "Lounge",
    "Raiders",
    "Study",
    "Hub",
    "Collective",
    "Garden",
    "Arcade",
    "Cafe",
    "Guild",
    "Nexus",
    "Den",
    "Society",
    "Club",
    "Workshop",
    "Archive",
    "Harbor",
    "Crew",
    "Valorant",
    "Minecraft",
    "Lo-fi",
    "Anime",
    "Rust",
    "Photography",
    "Chess",
    "Speedrun",
];
const DESCRIPTIONS: &[&str] = &[
    "A friendly community for gamers, artists and night owls. Read #rules first!",
    "Official server. Announcements, patch notes, support and events every weekend.",
    "Study together, share notes and keep each other accountable \u{1F4DA}",
    "Chill vibes only.\nVoice chat every evening, movie nights on Fridays.",
    "The \"unofficial\" home of speedrunners: routes, splits, races and memes.",
    "Ein Server für alle, die gerne zusammen spielen – jeder ist willkommen!",
];
const CHANNELS: &[&str] = &[
    "general",
    "welcome",
    "rules",
    "lobby",
    "announcements",
    "\u{1F4AC}-chat",
    "start-here",
    "voice-1",
    "stage",
    "help-forum",
];
/// Features the spec's `GuildFeatures` enum names.
const KNOWN_FEATURES: &[&str] = &[
    "ANIMATED_BANNER",
    "ANIMATED_ICON",
    "AUTO_MODERATION",
    "BANNER",
    "COMMUNITY",
    "DISCOVERABLE",
    "INVITE_SPLASH",
    "MEMBER_VERIFICATION_GATE_ENABLED",
    "NEWS",
    "PREVIEW_ENABLED",
    "ROLE_ICONS",
    "VANITY_URL",
    "WELCOME_SCREEN_ENABLED",
    "PARTNERED",
    "VERIFIED",
];
/// Features real traffic carries that the spec's closed enum lacks.
const EXTRA_FEATURES: &[&str] = &[
    "GUESTS_ENABLED",
    "SOUNDBOARD",
    "ENHANCED_ROLE_COLORS",
    "TIERLESS_BOOSTING",
    "CHANNEL_ICON_EMOJIS_GENERATED",
    "NEW_THREAD_PERMISSIONS",
    "THREADS_ENABLED",
];
const PALETTES: &[&str] = &[
    "crimson", "berry", "sky", "teal", "forest", "violet", "cobalt",
];
const PUBLIC_FLAGS: &[u64] = &[0, 0, 0, 64, 128, 256, 576, 4_194_304, 4_194_368, 131_072];
const MAX_AGES: &[u64] = &[0, 1800, 3600, 21_600, 43_200, 86_400, 604_800];
const MAX_USES: &[u64] = &[0, 0, 1, 5, 10, 25, 50, 100];

/// 2026-03-01T00:00:00Z: captures are dated in March 2026.
const BASE_SECS: u64 = 1_772_323_200;

fn name(rng: &mut Rng, syllables: u64) -> String {
    let mut s = String::new();
    for _ in 0..syllables {
        s.push_str(rng.pick::<&str>(SYLLABLES));
    }
    if rng.one_in(2) {
        s.push_str(&rng.below(1000).to_string());
    }
    s
}

fn server_tag(rng: &mut Rng) -> Value {
    json!({
        "identity_guild_id": rng.snowflake(),
        "identity_enabled": !rng.one_in(5),
        "tag": name(rng, 2).chars().take(4).collect::<String>().to_uppercase(),
        "badge": rng.hash(u64::MAX),
    })
}

/// A full user object, as `inviter` or `target_user`.
pub fn user(rng: &mut Rng) -> Value {
    user_with(rng, &Mix::FIRST)
}

/// A user object in `mix`'s proportions.
pub fn user_with(rng: &mut Rng, mix: &Mix) -> Value {
    let legacy = mix.legacy_user_one_in.is_some_and(|n| rng.one_in(n));
    let bot = rng.one_in(20);
    let public_flags = *rng.pick(PUBLIC_FLAGS);
    let syllables = 2 + rng.below(2);
    let username = name(rng, syllables);
    let global_name = if rng.one_in(8) {
        Value::Null
    } else if rng.one_in(6) {
        Value::String(format!("\u{2728} {} \u{2728}", name(rng, 2)))
    } else {
        let syllables = 2 + rng.below(2);
        Value::String(name(rng, syllables))
    };
    let tag = if rng.one_in(3) {
        server_tag(rng)
    } else {
        Value::Null
    };
    let mut u = Map::new();
    u.insert("id".into(), rng.snowflake().into());
    u.insert("username".into(), username.into());
    u.insert(
        "avatar".into(),
        if rng.one_in(10) {
            Value::Null
        } else {
            rng.hash(6).into()
        },
    );
    u.insert(
        "discriminator".into(),
        if bot {
            format!("{:04}", 1 + rng.below(9999))
        } else {
            "0".into()
        }
        .into(),
    );
    u.insert("public_flags".into(), public_flags.into());
    u.insert("flags".into(), public_flags.into());
    if bot {
        u.insert("bot".into(), true.into());
    }
    u.insert(
        "banner".into(),
        if rng.one_in(4) {
            rng.hash(2).into()
        } else {
            Value::Null
        },
    );
    u.insert(
        "accent_color".into(),
        if rng.one_in(3) {
            rng.below(0x100_0000).into()
        } else {
            Value::Null
        },
    );
    u.insert("global_name".into(), global_name);
    u.insert(
        "avatar_decoration_data".into(),
        if rng.one_in(2) {
            json!({"asset": rng.hash(1), "sku_id": rng.snowflake(), "expires_at": null})
        } else {
            Value::Null
        },
    );
    if legacy {
        u.insert("primary_guild".into(), tag);
        return Value::Object(u);
    }
    u.insert(
        "collectibles".into(),
        if rng.one_in(4) {
            json!({"nameplate": {
                "sku_id": rng.snowflake(),
                "asset": format!("nameplates/nameplates_v3/{}/", name(rng, 2)),
                "label": "",
                "palette": rng.pick(PALETTES),
                "expires_at": null,
            }})
        } else {
            Value::Null
        },
    );
    u.insert(
        "display_name_styles".into(),
        if rng.one_in(5) {
            json!({"font_id": rng.below(12), "effect_id": rng.below(6), "colors": [rng.below(0x100_0000)]})
        } else {
            Value::Null
        },
    );
    u.insert(
        "banner_color".into(),
        if rng.one_in(3) {
            format!("#{:06x}", rng.below(0x100_0000)).into()
        } else {
            Value::Null
        },
    );
    // Discord still sends the pre-rename `clan` next to `primary_guild`, with the same value.
    u.insert("clan".into(), tag.clone());
    u.insert("primary_guild".into(), tag);
    Value::Object(u)
}

fn guild(rng: &mut Rng, vanity: Option<&str>, mix: &Mix) -> Value {
    let mut features: Vec<&str> = Vec::new();
    for f in KNOWN_FEATURES {
        if rng.one_in(mix.known_feature_one_in) {
            features.push(f);
        }
    }
    if vanity.is_some() && !features.contains(&"VANITY_URL") {
        features.push("VANITY_URL");
    }
    // Most real guilds carry at least one feature the spec does not list.
    for f in EXTRA_FEATURES {
        if rng.one_in(mix.extra_feature_one_in) {
            features.push(f);
        }
    }
    let mut g = Map::new();
    g.insert("id".into(), rng.snowflake().into());
    g.insert(
        "name".into(),
        format!("{} {}", rng.pick(WORDS), rng.pick(WORDS)).into(),
    );
    g.insert(
        "splash".into(),
        if rng.one_in(4) {
            rng.hash(u64::MAX).into()
        } else {
            Value::Null
        },
    );
    g.insert(
        "banner".into(),
        if rng.one_in(3) {
            rng.hash(3).into()
        } else {
            Value::Null
        },
    );
    g.insert(
        "description".into(),
        if rng.one_in(2) {
            if mix.long_description_one_in.is_some_and(|n| rng.one_in(n)) {
                let mut d = String::new();
                for _ in 0..2 + rng.below(4) {
                    d.push_str(rng.pick::<&str>(DESCRIPTIONS));
                    d.push_str(" \u{2022} ");
                }
                d.into()
            } else {
                (*rng.pick(DESCRIPTIONS)).into()
            }
        } else {
            Value::Null
        },
    );
    g.insert("icon".into(), rng.hash(5).into());
    g.insert("features".into(), features.into());
    g.insert("verification_level".into(), rng.below(5).into());
    g.insert(
        "vanity_url_code".into(),
        vanity.map_or(Value::Null, |v| v.into()),
    );
    g.insert(
        "nsfw_level".into(),
        if rng.one_in(10) { 3 } else { 0 }.into(),
    );
    g.insert("nsfw".into(), false.into());
    g.insert("premium_subscription_count".into(), rng.below(60).into());
    Value::Object(g)
}

/// Invite `index` of the corpus with `seed`, as a JSON value (keys in Discord's order).
pub fn invite_value(seed: u64, index: u64) -> Value {
    invite_value_with(seed, index, &Mix::FIRST)
}

/// Invite `index` of the corpus with `seed` and `mix`, as a JSON value.
pub fn invite_value_with(seed: u64, index: u64, mix: &Mix) -> Value {
    let mut rng = Rng::new(seed, index);
    let vanity = rng.one_in(mix.vanity_one_in);
    let stream = !vanity && rng.one_in(mix.stream_one_in);
    let metadata = index.is_multiple_of(mix.metadata_every);
    let code = if vanity {
        name(&mut rng, 3)
    } else {
        rng.code()
    };

    let created = BASE_SECS + rng.below(30 * 86_400);
    let max_age = if vanity { 0 } else { *rng.pick(MAX_AGES) };
    let guild_value = guild(&mut rng, vanity.then_some(code.as_str()), mix);
    let guild_id = guild_value["id"].clone();

    let mut inv = Map::new();
    inv.insert("type".into(), 0.into());
    inv.insert("code".into(), code.clone().into());
    if !vanity {
        inv.insert("inviter".into(), user_with(&mut rng, mix));
    }
    if metadata {
        inv.insert("max_age".into(), max_age.into());
        inv.insert("created_at".into(), rng.timestamp(created).into());
    }
    inv.insert(
        "expires_at".into(),
        if max_age == 0 {
            Value::Null
        } else {
            rng.timestamp(created + max_age).into()
        },
    );
    inv.insert("flags".into(), if rng.one_in(10) { 1 } else { 0 }.into());
    inv.insert("guild".into(), guild_value);
    inv.insert("guild_id".into(), guild_id);
    let channel_type = if stream {
        2
    } else {
        *rng.pick(&[0, 0, 0, 0, 2, 5, 13, 15])
    };
    inv.insert(
        "channel".into(),
        json!({"id": rng.snowflake(), "type": channel_type, "name": rng.pick(CHANNELS)}),
    );
    if stream {
        inv.insert("target_type".into(), 1.into());
        inv.insert("target_user".into(), user_with(&mut rng, mix));
    }
    if metadata {
        inv.insert("uses".into(), rng.below(500).into());
        inv.insert("max_uses".into(), (*rng.pick(MAX_USES)).into());
        inv.insert("temporary".into(), rng.one_in(15).into());
    }
    let members = 2 + rng.below(250_000);
    inv.insert("approximate_member_count".into(), members.into());
    inv.insert(
        "approximate_presence_count".into(),
        (members / (2 + rng.below(8))).into(),
    );
    Value::Object(inv)
}

/// Invite `index` of the corpus with `seed`, as compact JSON bytes.
pub fn invite(seed: u64, index: u64) -> Vec<u8> {
    serde_json::to_vec(&invite_value(seed, index)).expect("a Value always encodes")
}

/// Invite `index` of the corpus with `seed` and `mix`, as compact JSON bytes.
pub fn invite_with(seed: u64, index: u64, mix: &Mix) -> Vec<u8> {
    serde_json::to_vec(&invite_value_with(seed, index, mix)).expect("a Value always encodes")
}

/// The first `n` invites of the corpus with [`SEED`].
pub fn corpus(n: usize) -> Vec<Vec<u8>> {
    (0..n as u64).map(|i| invite(SEED, i)).collect()
}

/// The first `n` invites of the second corpus ([`SEED2`], [`Mix::SECOND`]).
pub fn corpus2(n: usize) -> Vec<Vec<u8>> {
    (0..n as u64)
        .map(|i| invite_with(SEED2, i, &Mix::SECOND))
        .collect()
}

/// The corpus named `name`: `first` (the benchmark corpus) or `second`.
pub fn named(name: &str, n: usize) -> Vec<Vec<u8>> {
    match name {
        "second" => corpus2(n),
        _ => corpus(n),
    }
}

/// Does invite `index` have a `target_user` (which serenity cannot decode: it models
/// `target_user` as a bare user ID)?
pub fn has_target_user(payload: &[u8]) -> bool {
    // The corpus is compact JSON made by serde_json, so the key appears exactly like this.
    memmem(payload, br#""target_user":"#)
}

fn memmem(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_about_one_kilobyte() {
        let a = corpus(2000);
        let b = corpus(2000);
        assert_eq!(a, b);
        let total: usize = a.iter().map(Vec::len).sum();
        let mean = total / a.len();
        assert!((800..=1500).contains(&mean), "mean size {mean}");
    }

    #[test]
    fn shapes() {
        let c = corpus(2000);
        let with = |k: &str| {
            c.iter()
                .filter(|p| memmem(p, format!("\"{k}\":").as_bytes()))
                .count()
        };
        assert_eq!(with("uses"), 1000);
        assert!(with("target_user") > 100 && with("target_user") < 400);
        assert!(with("inviter") > 1700);
        assert!(memmem(&c.concat(), b"GUESTS_ENABLED"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(format_ts(BASE_SECS, 0), "2026-03-01T00:00:00.000000+00:00");
        assert_eq!(
            format_ts(951_782_400, 5),
            "2000-02-29T00:00:00.000005+00:00"
        );
    }
}

//! Adversarial inputs for the validator and the CLI (issue 13): the shapes that once took time
//! quadratic in their size, and the other ways a hostile or unusual capture can make a
//! validator slow. Each input is built at a given size in bytes (roughly), deterministically,
//! so the same input can be measured at two sizes: linear work keeps its MB/s as the input
//! grows, quadratic work loses it in proportion.

use serde_json::json;

/// How a file-shaped input is read: one document, or a file of many payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON document (`validate(bytes, None)`).
    Document,
    /// A file the readers cut into payloads (HAR, JSON array, NDJSON).
    File,
}

/// One adversarial input.
pub struct Input {
    /// A short name (the table's row).
    pub name: &'static str,
    /// What it stresses.
    pub what: &'static str,
    pub shape: Shape,
    /// The file's extension (for the CLI).
    pub ext: &'static str,
    pub bytes: Vec<u8>,
}

/// A guild invite with `type` first, as Discord sends it, with `extra` members appended.
fn invite_with(extra: &str) -> String {
    let base = r#"{"type":0,"code":"abc","guild_id":"165176875973476352","expires_at":null,"channel":{"id":"165176875973476352","type":0,"name":"general"},"guild":{"id":"165176875973476352","name":"CS:GO Fraggers","splash":null,"banner":null,"description":null,"icon":null,"features":["COMMUNITY"],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"premium_subscription_count":3}"#;
    if extra.is_empty() {
        format!("{base}}}")
    } else {
        format!("{base},{extra}}}")
    }
}

/// `n` members `"k000001":1,…`: distinct keys of one length and first letter.
fn members(n: usize, value: &str) -> String {
    (0..n)
        .map(|i| format!("\"k{i:07}\":{value}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Every adversarial input, each about `size` bytes.
pub fn inputs(size: usize) -> Vec<Input> {
    let mut out = Vec::new();
    // One object with many keys (issue: 40k keys, 429 KB, 7.4 s): no kind, the slow path.
    let n = size / 12;
    out.push(Input {
        name: "many-keys",
        what: "one object, distinct keys (no kind: the position-keeping parser)",
        shape: Shape::Document,
        ext: "json",
        bytes: format!("{{{}}}", members(n, "1")).into_bytes(),
    });
    // The same keys out of order (a permutation: 7,919 is prime and does not divide `n`
    // unless `n` is a multiple of it): the repeat finder cannot take the shortcut of sorted
    // keys.
    let shuffled = (0..n)
        .map(|i| format!("\"k{:07}\":1", i * 7_919 % n.max(1)))
        .collect::<Vec<_>>()
        .join(",");
    out.push(Input {
        name: "many-keys-shuffled",
        what: "many-keys with its keys out of order",
        shape: Shape::Document,
        ext: "json",
        bytes: format!("{{{shuffled}}}").into_bytes(),
    });
    // An invite with many unknown keys (issue: 50k keys, 600 KB, CLI 12.8 s): the fast path,
    // one finding each.
    out.push(Input {
        name: "unknown-keys",
        what: "an invite whose members are unknown fields, one finding each",
        shape: Shape::Document,
        ext: "json",
        bytes: invite_with(&members(n, "1")).into_bytes(),
    });
    // The same key repeated: a duplicate-key finding each (pointer, first occurrence).
    let dup = (0..size / 8)
        .map(|_| "\"k\":1".to_owned())
        .collect::<Vec<_>>()
        .join(",\n");
    out.push(Input {
        name: "repeated-keys",
        what: "one key repeated on every line, a duplicate-key finding each",
        shape: Shape::Document,
        ext: "json",
        bytes: format!("{{\"type\":0,\"code\":\"a\",{dup}}}").into_bytes(),
    });
    // Many findings per payload: features the spec's enum lacks, each twice (unknown value
    // and repeated item), in a long uniqueItems array.
    let features = (0..size / 14)
        .map(|i| format!("\"F{:05}\"", i % (size / 28).max(1)))
        .collect::<Vec<_>>()
        .join(",");
    out.push(Input {
        name: "many-findings",
        what: "a features array of unknown, repeated values: two findings per item",
        shape: Shape::Document,
        ext: "json",
        bytes: invite_with("")
            .replace(
                "\"features\":[\"COMMUNITY\"]",
                &format!("\"features\":[{features}]"),
            )
            .into_bytes(),
    });
    // Long escape runs: in a known string (the guild's name), in an unknown field and in
    // keys (every escape the grammar has).
    let run = r#"\"\\\/\b\f\n\r\t\u00e9\ud83c\udfae"#;
    let reps = size / (3 * run.len());
    let escaped = run.repeat(reps);
    out.push(Input {
        name: "escapes",
        what: "long runs of escapes in a known string, an unknown one and a key",
        shape: Shape::Document,
        ext: "json",
        bytes: invite_with(&format!("\"note\":\"{escaped}\",\"{escaped}\":1"))
            .replace("CS:GO Fraggers", &escaped)
            .into_bytes(),
    });
    // Deep but legal nesting, payload after payload (NDJSON): 126 levels in an unknown field.
    let deep = format!("{}{}", "[".repeat(125), "]".repeat(125));
    let line = invite_with(&format!("\"zz\":[{deep}]"));
    out.push(Input {
        name: "deep",
        what: "NDJSON of invites nested 127 deep (the limit) in an unknown field",
        shape: Shape::File,
        ext: "ndjson",
        bytes: lines(&line, size),
    });
    // Huge arrays of tiny payloads, as a JSON array and as NDJSON.
    let tiny = r#"{"code":"a","uses":1}"#;
    let count = size / (tiny.len() + 1);
    out.push(Input {
        name: "tiny-array",
        what: "a JSON array of tiny payloads (vanity URLs), all on one line",
        shape: Shape::File,
        ext: "json",
        bytes: format!("[{}]", vec![tiny; count].join(",")).into_bytes(),
    });
    out.push(Input {
        name: "tiny-ndjson",
        what: "the same payloads as NDJSON",
        shape: Shape::File,
        ext: "ndjson",
        bytes: lines(tiny, size),
    });
    // A HAR of many entries (issue: 10k / 20k entries, 31 s / 158 s; 2 GB: killed).
    out.push(Input {
        name: "har",
        what: "a pretty-printed HAR of invite lookups",
        shape: Shape::File,
        ext: "har",
        bytes: har(size),
    });
    out
}

/// `line` repeated to about `size` bytes, one per line.
fn lines(line: &str, size: usize) -> Vec<u8> {
    let n = (size / (line.len() + 1)).max(1);
    let mut out = Vec::with_capacity(n * (line.len() + 1));
    for _ in 0..n {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

/// A HAR of invite lookups (pretty-printed, as devtools writes it) of about `size` bytes.
pub fn har(size: usize) -> Vec<u8> {
    let entry = |i: usize| {
        serde_json::to_string_pretty(&json!({
            "startedDateTime": "2026-11-26T12:00:00.000Z",
            "request": {
                "method": "GET",
                "url": format!("https://discord.com/api/v10/invites/code{i}?with_counts=true"),
                "headers": [{"name": "authorization", "value": "Bot x"}],
            },
            "response": {
                "status": 200,
                "headers": [{"name": "content-type", "value": "application/json"}],
                "content": {"mimeType": "application/json", "text": invite_with("")},
            },
            "time": 12.5,
        }))
        .unwrap_or_default()
    };
    let one = entry(0).len() + 2;
    let n = (size / one).max(1);
    let entries: Vec<String> = (0..n).map(entry).collect();
    format!(
        "{{\n\"log\": {{\n\"version\": \"1.2\",\n\"creator\": {{\"name\": \"bench\", \"version\": \"1\"}},\n\"entries\": [\n{}\n]\n}}\n}}\n",
        entries.join(",\n")
    )
    .into_bytes()
}

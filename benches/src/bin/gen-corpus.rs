//! `gen-corpus [--format F] N PATH`: writes the first N invites of the benchmark corpus to PATH
//! (`-` for stdout). `gen-corpus [--format F] --bytes 1G PATH` writes invites until the file
//! reaches that size (suffixes K, M, G; powers of 1024). Formats: `ndjson` (the default: one
//! compact invite per line), `array` (one JSON array, an invite per line) and `har` (a HAR
//! export, each invite the response body of a `GET /invites/{code}` entry, as devtools writes
//! it).

use std::io::{BufWriter, Write};

use discord_invite_benches::corpus::{invite, SEED};

fn parse_size(s: &str) -> Option<u64> {
    let (num, mul) = match s.as_bytes().last()? {
        b'K' | b'k' => (&s[..s.len() - 1], 1u64 << 10),
        b'M' | b'm' => (&s[..s.len() - 1], 1 << 20),
        b'G' | b'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mul)
}

/// How invites are laid out in the file: what goes before, between and after them.
struct Layout {
    head: &'static str,
    sep: &'static str,
    tail: &'static str,
    har: bool,
}

fn layout(format: &str) -> Layout {
    match format {
        "ndjson" => Layout {
            head: "",
            sep: "\n",
            tail: "\n",
            har: false,
        },
        "array" => Layout {
            head: "[\n",
            sep: ",\n",
            tail: "\n]\n",
            har: false,
        },
        "har" => Layout {
            head: "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"gen-corpus\", \"version\": \"1\"}, \"entries\": [\n",
            sep: ",\n",
            tail: "\n]}}\n",
            har: true,
        },
        _ => usage(),
    }
}

/// Invite `i` as the file holds it (in a HAR: its entry).
fn item(i: u64, har: bool) -> Vec<u8> {
    let body = invite(SEED, i);
    if !har {
        return body;
    }
    let text = String::from_utf8(body).expect("the corpus is UTF-8");
    let entry = serde_json::json!({
        "startedDateTime": "2026-11-26T12:00:00.000Z",
        "time": 48.2,
        "request": {
            "method": "GET",
            "url": format!("https://discord.com/api/v10/invites/code{i}?with_counts=true"),
            "httpVersion": "http/2.0",
            "headers": [{"name": "accept", "value": "*/*"}],
            "queryString": [{"name": "with_counts", "value": "true"}],
            "headersSize": -1,
            "bodySize": 0
        },
        "response": {
            "status": 200,
            "statusText": "",
            "httpVersion": "http/2.0",
            "headers": [{"name": "content-type", "value": "application/json"}],
            "content": {"size": text.len(), "mimeType": "application/json", "text": text},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1
        }
    });
    serde_json::to_vec(&entry).expect("encodes")
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut format = "ndjson".to_owned();
    if args.first().is_some_and(|a| a == "--format") && args.len() > 1 {
        format = args.remove(1);
        args.remove(0);
    }
    let layout = layout(&format);
    let (limit_count, limit_bytes, path) = match args.as_slice() {
        [flag, size, path] if flag == "--bytes" => match parse_size(size) {
            Some(b) => (u64::MAX, b, path.clone()),
            None => usage(),
        },
        [n, path] => match n.parse::<u64>() {
            Ok(n) => (n, u64::MAX, path.clone()),
            Err(_) => usage(),
        },
        _ => usage(),
    };
    let out: Box<dyn Write> = if path == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(&path).unwrap_or_else(|e| {
            eprintln!("gen-corpus: cannot create {path}: {e}");
            std::process::exit(2)
        }))
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let fail = |e: std::io::Error| -> ! {
        eprintln!("gen-corpus: write failed: {e}");
        std::process::exit(2)
    };
    out.write_all(layout.head.as_bytes())
        .unwrap_or_else(|e| fail(e));
    let room = limit_bytes.saturating_sub((layout.head.len() + layout.tail.len()) as u64);
    let (mut written, mut count) = (0u64, 0u64);
    while count < limit_count {
        let item = item(count, layout.har);
        let sep = if count == 0 { "" } else { layout.sep };
        if written + (sep.len() + item.len()) as u64 > room {
            break;
        }
        out.write_all(sep.as_bytes())
            .and_then(|()| out.write_all(&item))
            .unwrap_or_else(|e| fail(e));
        written += (sep.len() + item.len()) as u64;
        count += 1;
    }
    out.write_all(layout.tail.as_bytes())
        .unwrap_or_else(|e| fail(e));
    out.flush().expect("flush");
    let total = written + (layout.head.len() + layout.tail.len()) as u64;
    eprintln!("gen-corpus: {count} invites, {total} bytes ({format})");
}

fn usage() -> ! {
    eprintln!(
        "usage: gen-corpus [--format ndjson|array|har] (N | --bytes SIZE[K|M|G]) PATH   (PATH may be -)"
    );
    std::process::exit(2)
}

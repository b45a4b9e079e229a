//! `gen-corpus N PATH`: writes the first N invites of the benchmark corpus as NDJSON (one
//! compact invite per line) to PATH (`-` for stdout). `gen-corpus --bytes 1G PATH` writes
//! invites until the file reaches that size (suffixes K, M, G; powers of 1024).

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
    let (mut written, mut count) = (0u64, 0u64);
    while count < limit_count {
        let line = invite(SEED, count);
        if written + line.len() as u64 + 1 > limit_bytes {
            break;
        }
        out.write_all(&line)
            .and_then(|()| out.write_all(b"\n"))
            .unwrap_or_else(|e| {
                eprintln!("gen-corpus: write failed: {e}");
                std::process::exit(2)
            });
        written += line.len() as u64 + 1;
        count += 1;
    }
    out.flush().expect("flush");
    eprintln!("gen-corpus: {count} invites, {written} bytes");
}

fn usage() -> ! {
    eprintln!("usage: gen-corpus N PATH | gen-corpus --bytes SIZE[K|M|G] PATH   (PATH may be -)");
    std::process::exit(2)
}

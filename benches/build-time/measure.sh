#!/usr/bin/env bash
# Clean `cargo build --release -j2` of a one-line binary that decodes an invite with
# serde_json, once on discord-invite (default-features = false) and once on twilight-model,
# alternating, ROUNDS times each. Prints one line per build: name, wall seconds, crates
# compiled, and the seconds cargo's --timings gives the binary's own crate.
# Usage: benches/build-time/measure.sh [ROUNDS]   (run from the repository root)
set -euo pipefail
rounds="${1:-4}"
here="$(cd "$(dirname "$0")" && pwd)"
sdk="$(cd "$here/../.." && pwd)"
work="${TMPDIR:-/tmp}/discord-invite-build-time"
mkdir -p "$work"

make_crate() { # name, dependency line, type path, code expression
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.1.0"
edition = "2021"
publish = false
[dependencies]
$2
serde_json = "1"
[workspace]
TOML
  cat > "$work/$1/src/main.rs" <<RS
fn main() {
    let text = std::env::args().nth(1).unwrap_or_else(|| r#"{"code":"abc"}"#.to_string());
    let invite: $3 = serde_json::from_str(&text).expect("an invite");
    println!("{}", $4);
}
RS
}
make_crate models-only "discord-invite = { path = \"$sdk\", default-features = false }" \
  discord_invite::Invite 'invite.code()'
make_crate twilight 'twilight-model = "0.18"' twilight_model::guild::invite::Invite 'invite.code'

for name in models-only twilight; do (cd "$work/$name" && cargo fetch -q); done
for round in $(seq "$rounds"); do
  for name in models-only twilight; do
    cd "$work/$name"
    rm -rf target
    start=$(date +%s.%N)
    cargo build --release -j2 --timings -q 2>/dev/null
    end=$(date +%s.%N)
    python3 - "$name" "$round" "$start" "$end" <<'PY'
import glob, json, re, sys
name, rnd, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
page = open(sorted(glob.glob("target/cargo-timings/cargo-timing-*.html"))[-1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", page, re.S).group(1))
crates = {u["name"] for u in units if u.get("target", "") == "" or "lib" in u.get("target", "")} 
own = sum(u["duration"] for u in units if u["name"] == name)
print(f"round {rnd} {name:12} {end - start:6.1f} s  {len(crates):3} crates  own binary {own:4.1f} s", flush=True)
PY
  done
done

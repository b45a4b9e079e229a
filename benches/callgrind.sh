#!/usr/bin/env bash
# Instructions per payload (valgrind callgrind, deterministic: immune to the load of a shared
# machine), for the same work as the criterion groups. Counts only the `run_*` functions of
# src/bin/profile.rs, over the first N corpus invites (default 1000).
#
#   CARGO_TARGET_DIR=/work/target-bench bash benches/callgrind.sh [N] [WHAT...]
set -euo pipefail
cd "$(dirname "$0")"
n="${1:-1000}"
shift || true
whats=("$@")
[ ${#whats[@]} -gt 0 ] || whats=(ignored value ours twilight twilight-str ours-subset twilight-subset serenity ours-known-only twilight-known-only jsonschema)
target="${CARGO_TARGET_DIR:-target}"
features=()
if grep -q "pub mod validate" ../src/lib.rs; then
  features=(--features validate)
  [ $# -gt 0 ] || whats+=(validate)
fi
cargo build --release --bin profile "${features[@]}" >&2
out="$(mktemp -d)"
printf '| work | payloads | instructions / payload |\n|---|---:|---:|\n'
for w in "${whats[@]}"; do
  log="$(valgrind --tool=callgrind --toggle-collect='*run_*' --callgrind-out-file="$out/$w.out" \
    "$target/release/profile" "$w" "$n" 2>&1)"
  ir="$(grep -o 'Collected : [0-9]*' <<<"$log" | grep -o '[0-9]*$')"
  count="$(grep -o ': [0-9]* payloads' <<<"$log" | grep -o '[0-9]*')"
  printf '| %s | %s | %s |\n' "$w" "$count" "$((ir / count))"
done
rm -rf "$out"

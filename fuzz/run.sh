#!/bin/sh
# run.sh <target> [seconds]: one recorded libFuzzer run of <target> (default 600 s), seeded from
# the fixtures, one job, log in fuzz/logs/<target>-<UTC time>.log. Stable Rust needs
# RUSTC_BOOTSTRAP=1 for cargo fuzz's nightly flags.
set -eu
t=$1; secs=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
./seed.sh
case $t in
  invite_url) dict=dicts/url.dict ;;
  sync_reader) dict=dicts/openapi.dict; MAX_LEN=${MAX_LEN:-131072} ;;
  har|readers) dict=dicts/json.dict; MAX_LEN=${MAX_LEN:-131072} ;;
  *) dict=dicts/json.dict ;;
esac
mkdir -p logs
log="logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "$(date -u) start $t ${secs}s on $(uname -srm), $(nproc) cores" > "$log"
RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-fuzz} \
  cargo fuzz run "$t" ${FUZZ_FLAGS:-} -- -max_total_time="$secs" \
  -dict="$dict" -max_len=${MAX_LEN:-16384} -print_final_stats=1 >> "$log" 2>&1 || echo "exit $?" >> "$log"
echo "$(date -u) end" >> "$log"
grep -E "^(stat::|Done|SUMMARY|==[0-9]+==ERROR|thread .* panicked)|exit " "$log" || true

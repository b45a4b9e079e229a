#!/bin/sh
# stats.sh [log...]: one line per recorded run (fuzz/logs/*.log): target, start, seconds,
# executions, exec/s, final cov/ft/corpus, and whether it ended on a crash.
cd "$(dirname "$0")"
for f in ${@:-logs/*.log}; do
  t=$(basename "$f" | sed 's/-[0-9T]*Z\.log$//')
  start=$(head -n1 "$f" | sed 's/ start.*//')
  last=$(grep -E "^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)" "$f" | tail -n1)
  cov=$(printf '%s' "$last" | grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[KMb]*")
  execs=$(grep -oE "number_of_executed_units: [0-9]+" "$f" | grep -oE "[0-9]+$")
  rate=$(grep -oE "average_exec_per_sec: +[0-9]+" "$f" | grep -oE "[0-9]+$")
  secs=$(grep -oE "^Done [0-9]+ runs in [0-9]+ second" "$f" | grep -oE "[0-9]+ second" | grep -oE "[0-9]+")
  crash=$(grep -q "panicked\|ERROR: libFuzzer\|deadly signal" "$f" && echo crash || echo clean)
  echo "$t | $start | ${secs:-?}s | ${execs:-?} execs | ${rate:-?}/s | $cov | $crash"
done

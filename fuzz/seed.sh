#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the repository's fixtures. Run from anywhere; idempotent.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
c="$root/fuzz/corpus"
mkdir -p "$c/decode_invite" "$c/decode_event" "$c/decode_misc" "$c/invite_url" \
         "$c/validate_bytes" "$c/har" "$c/sync_reader" "$c/readers"
seed() { # seed <target> <file>...
  t=$1; shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$c/$t/seed-$(printf '%s' "$f" | sed "s|^$root/||; s|/|_|g")"
  done
}
docs=$(ls "$root"/tests/fixtures/docs/*.json 2>/dev/null || true)
caps=$(find "$root/captures" -type f \( -name '*.json' -o -name '*.ndjson' \) 2>/dev/null || true)
for t in decode_invite decode_event decode_misc validate_bytes; do
  seed $t $docs $caps
done
# One seed per gateway line, so the event decoders see each event on its own.
for f in $(find "$root/captures" -name '*.ndjson' 2>/dev/null); do
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    for t in decode_event decode_invite validate_bytes; do
      printf '%s' "$line" > "$c/$t/seed-$(basename "$f")-line$n"
    done
  done < "$f"
done
seed har $(find "$root/captures" "$root/tests/fixtures" -name '*.har' 2>/dev/null || true)
seed readers $docs $caps $(find "$root/captures" -name '*.har' 2>/dev/null || true)
seed sync_reader "$root/schema/openapi.json" $(find "$root/codegen/tests/fixtures" -name '*.json' 2>/dev/null || true)
# Links and codes, good and bad.
i=0
for s in abc 0vCdhLbwjZZTWZLD discord.gg/abc https://discord.gg/abc 'http://discord.gg/abc/' \
         https://www.discord.gg/abc https://discord.com/invite/abc discordapp.com/invite/a-B9 \
         'https://discord.gg/abc?event=1234' 'HTTPS://Discord.GG/abc' 'https://ptb.discord.com/invite/x' \
         'https://canary.discord.com/invite/x?event=' 'https://evil.example/abc' 'https://discord.gg/../x' \
         'https://discord.gg/abc?event=18446744073709551615' 'https://discord.gg/abc?event=18446744073709551616'; do
  i=$((i + 1))
  printf '%s' "$s" > "$c/invite_url/seed-$i"
done
# Hand-written seeds for shapes no fixture has.
for d in "$root"/fuzz/seeds/*/; do
  t=$(basename "$d")
  for f in "$d"*; do [ -f "$f" ] && cp "$f" "$c/$t/seed-hand-$(basename "$f")"; done
done
for f in "$root"/fuzz/seeds/decode_event/*; do cp "$f" "$c/decode_invite/seed-hand-$(basename "$f")"; done

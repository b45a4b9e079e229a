#!/usr/bin/env python3
"""Reads criterion's results and writes the throughput chart and a Markdown table.

    python3 benches/report.py [CRITERION_DIR] [--svg benches/throughput.svg] [--md -]

CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, else benches/target/criterion. Only the
Python standard library is used. The numbers are criterion's point estimates of the mean (and
their 95% confidence bounds) from `<group>/<bench>/new/estimates.json`; the byte throughput comes
from `new/benchmark.json`; the payload count per iteration from `payloads.json`, written by the
bench.
"""

import json
import os
import sys
from html import escape

ORDER = [
    ("decode", "serde_json_ignored_any", "parse floor (serde_json IgnoredAny)"),
    ("decode", "serde_json_value", "serde_json::Value (IndexMap)"),
    ("decode", "discord_invite", "discord-invite Invite"),
    ("decode", "discord_invite_serde_slice", "discord-invite Invite (serde_json::from_slice)"),
    ("decode", "twilight_model", "twilight-model Invite"),
    ("decode", "twilight_model_from_str", "twilight-model Invite (UTF-8 once + from_str)"),
    ("decode_no_target_user", "serde_json_ignored_any", "parse floor (serde_json IgnoredAny)"),
    ("decode_no_target_user", "discord_invite", "discord-invite Invite"),
    ("decode_no_target_user", "twilight_model", "twilight-model Invite"),
    ("decode_no_target_user", "serenity", "serenity Invite"),
    ("encode", "discord_invite", "discord-invite Invite"),
    ("encode", "twilight_model", "twilight-model Invite"),
    ("roundtrip", "discord_invite", "discord-invite decode + encode"),
    ("validate", "discord_invite_report", "discord_invite::validate (full report)"),
    ("validate", "jsonschema_is_valid", "jsonschema is_valid (parse + check, formats)"),
    ("validate", "jsonschema_iter_errors", "jsonschema iter_errors (parse + check, formats)"),
    ("validate", "jsonschema_is_valid_no_formats", "jsonschema is_valid (parse + check, no formats)"),
    ("validate", "jsonschema_is_valid_preparsed", "jsonschema is_valid (check only, pre-parsed)"),
]

GROUP_TITLES = {
    "decode": "Typed decode, whole corpus",
    "decode_no_target_user": "Typed decode, invites without target_user (serenity's subset)",
    "encode": "Encode (throughput of each encoder's own output)",
    "roundtrip": "Round trip",
    "validate": "Validate (bytes in)",
}

OURS = {"discord_invite", "discord_invite_report", "discord_invite_serde_slice"}


def load(crit_dir):
    payloads = {}
    try:
        with open(os.path.join(crit_dir, "payloads.json")) as f:
            payloads = json.load(f)
    except OSError:
        pass
    rows = []
    for group, bench, label in ORDER:
        base = os.path.join(crit_dir, group, bench, "new")
        try:
            with open(os.path.join(base, "estimates.json")) as f:
                est = json.load(f)
            with open(os.path.join(base, "benchmark.json")) as f:
                meta = json.load(f)
        except OSError:
            continue
        mean = est["mean"]
        ns = mean["point_estimate"]
        lo = mean["confidence_interval"]["lower_bound"]
        hi = mean["confidence_interval"]["upper_bound"]
        tp = meta.get("throughput") or {}
        nbytes = tp.get("Bytes") or tp.get("BytesDecimal")
        n = payloads.get(group) or payloads.get("all")
        rows.append({
            "group": group,
            "bench": bench,
            "label": label,
            "ns": ns,
            "mbs": nbytes / ns * 1e9 / 1e6 if nbytes else None,
            "mbs_lo": nbytes / hi * 1e9 / 1e6 if nbytes else None,
            "mbs_hi": nbytes / lo * 1e9 / 1e6 if nbytes else None,
            "us_per_payload": ns / 1e3 / n if n else None,
        })
    return rows


def ratio_to(rows, group, bench):
    for r in rows:
        if r["group"] == group and r["bench"] == bench:
            return r["mbs"]
    return None


def markdown(rows):
    out = ["| group | implementation | MB/s (95% CI) | µs / payload |", "|---|---|---:|---:|"]
    for r in rows:
        ci = f"{r['mbs']:.0f} ({r['mbs_lo']:.0f}–{r['mbs_hi']:.0f})" if r["mbs"] else "–"
        per = f"{r['us_per_payload']:.2f}" if r["us_per_payload"] else "–"
        name = f"**{r['label']}**" if r["bench"] in OURS else r["label"]
        out.append(f"| {r['group']} | {name} | {ci} | {per} |")
    return "\n".join(out) + "\n"


def svg(rows):
    width, left, bar_h, gap, group_gap = 900, 360, 18, 6, 34
    groups = []
    for r in rows:
        if not groups or groups[-1][0] != r["group"]:
            groups.append((r["group"], []))
        groups[-1][1].append(r)
    max_mbs = max((r["mbs"] or 0) for r in rows) or 1
    scale = (width - left - 90) / max_mbs
    y = 66
    parts = []
    for group, items in groups:
        parts.append(
            f'<text x="10" y="{y}" font-weight="bold" font-size="13">'
            f'{escape(GROUP_TITLES.get(group, group))}</text>'
        )
        y += 10
        for r in items:
            w = max(1, (r["mbs"] or 0) * scale)
            colour = "#3b6fd8" if r["bench"] in OURS else (
                "#9aa3ad" if "ignored_any" in r["bench"] or "value" in r["bench"] else "#e08a3c")
            parts.append(
                f'<text x="{left - 8}" y="{y + bar_h - 5}" text-anchor="end" font-size="12">'
                f'{escape(r["label"])}</text>'
            )
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            )
            if r["mbs_lo"] and r["mbs_hi"]:
                x0, x1 = left + r["mbs_lo"] * scale, left + r["mbs_hi"] * scale
                ym = y + bar_h / 2
                parts.append(
                    f'<line x1="{x0:.1f}" y1="{ym}" x2="{x1:.1f}" y2="{ym}" stroke="#222" stroke-width="1"/>'
                )
            parts.append(
                f'<text x="{left + w + 6:.1f}" y="{y + bar_h - 5}" font-size="12">'
                f'{r["mbs"]:.0f} MB/s</text>'
            )
            y += bar_h + gap
        y += group_gap - gap
    height = y + 10
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        f'<text x="10" y="22" font-size="16" font-weight="bold">discord-invite benchmarks: '
        f'throughput on the 10,000-invite corpus</text>\n'
        f'<text x="10" y="40" font-size="12">MB/s of JSON, higher is better; whisker = 95% CI; '
        f'blue = discord-invite, orange = peers, grey = serde_json reference</text>\n'
    )
    return head + "\n".join(parts) + "\n</svg>\n"


def main(argv):
    crit_dir = None
    svg_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "throughput.svg")
    md_path = None
    i = 0
    while i < len(argv):
        if argv[i] == "--svg":
            svg_path = argv[i + 1]
            i += 2
        elif argv[i] == "--md":
            md_path = argv[i + 1]
            i += 2
        else:
            crit_dir = argv[i]
            i += 1
    if crit_dir is None:
        target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "target")
        crit_dir = os.path.join(target, "criterion")
    rows = load(crit_dir)
    if not rows:
        sys.exit(f"report.py: no criterion results under {crit_dir}")
    with open(svg_path, "w") as f:
        f.write(svg(rows))
    table = markdown(rows)
    ratios = []
    for group, num, den in [
        ("decode", "discord_invite", "twilight_model"),
        ("decode", "discord_invite", "twilight_model_from_str"),
        ("decode", "serde_json_ignored_any", "discord_invite"),
        ("decode_no_target_user", "discord_invite", "twilight_model"),
        ("decode_no_target_user", "discord_invite", "serenity"),
        ("decode_no_target_user", "serde_json_ignored_any", "discord_invite"),
        ("encode", "discord_invite", "twilight_model"),
        ("validate", "discord_invite_report", "jsonschema_is_valid"),
        ("validate", "discord_invite_report", "jsonschema_iter_errors"),
        ("validate", "discord_invite_report", "jsonschema_is_valid_no_formats"),
    ]:
        a, b = ratio_to(rows, group, num), ratio_to(rows, group, den)
        if a and b:
            ratios.append(f"- {group}: {num} / {den} = {a / b:.2f}×")
    text = table + "\nRatios of MB/s in the same run:\n\n" + "\n".join(ratios) + "\n"
    if md_path in (None, "-"):
        sys.stdout.write(text)
    else:
        with open(md_path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])

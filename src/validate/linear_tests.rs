//! Time linear in the input (issue 13), as counted work, not time: key comparisons and hash
//! probes (`keys::comparisons`) and bytes read to place findings on lines and columns
//! (`position::scanned`). Each input is validated at two sizes; the work per key (per byte)
//! must stay under a small constant at both, where a quadratic path grows with the size.

use super::*;

/// Work done by `f`: (comparisons, bytes scanned for positions).
fn work(f: impl FnOnce()) -> (u64, u64) {
    let (c, s) = (keys::comparisons(), position::scanned());
    f();
    (keys::comparisons() - c, position::scanned() - s)
}

/// `n` members `"k00000":1, ...` (distinct keys of one length and first letter: a byte-wise
/// comparison has to look at most of each).
fn members(n: usize) -> String {
    (0..n)
        .map(|i| format!("\"k{i:06}\":1"))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn one_object_with_40k_keys() {
    for n in [10_000, 40_000] {
        let doc = format!("{{{}}}", members(n));
        for kind in [None, Some(Kind::Invite), Some(Kind::VanityUrl)] {
            let mut report = None;
            let (comparisons, scanned) = work(|| report = Some(validate(doc.as_bytes(), kind)));
            let report = report.unwrap_or_else(|| unreachable!());
            assert!(
                comparisons < 12 * n as u64,
                "{kind:?}, {n} keys: {comparisons} comparisons"
            );
            assert!(
                scanned < 3 * doc.len() as u64,
                "{kind:?}: {scanned} bytes scanned"
            );
            if kind.is_some() {
                let unknown = report
                    .findings
                    .iter()
                    .filter(|f| f.code == Code::UnknownField)
                    .count();
                assert_eq!(unknown, n, "{kind:?}");
            }
        }
    }
}

#[test]
fn an_invite_with_50k_unknown_keys() {
    for n in [12_500, 50_000] {
        // `type` first: the fast path takes it.
        let doc = format!(
            "{{\"type\":0,\"code\":\"abc\",\"channel\":{{\"id\":\"1\",\"type\":0,\"name\":\"g\"}},{}}}",
            members(n)
        );
        let mut report = None;
        let (comparisons, scanned) = work(|| report = Some(validate(doc.as_bytes(), None)));
        let report = report.unwrap_or_else(|| unreachable!());
        assert!(
            comparisons < 12 * n as u64,
            "{n}: {comparisons} comparisons"
        );
        assert!(scanned < 3 * doc.len() as u64, "{scanned} bytes scanned");
        assert_eq!(report.kind, Some(Kind::Invite));
        let unknown = report
            .findings
            .iter()
            .filter(|f| f.code == Code::UnknownField);
        assert_eq!(unknown.count(), n);
    }
}

#[test]
fn many_repeated_keys() {
    for n in [5_000, 20_000] {
        // Every key repeated, in a nested object and at the top, on several lines.
        let inner = (0..n)
            .map(|i| format!("\"k{:06}\":{i}", i % (n / 2)))
            .collect::<Vec<_>>()
            .join(",\n");
        let doc = format!("{{\"type\":0,\"code\":\"a\",\"guild\":{{{inner}}},\"code\":\"b\"}}");
        let mut report = None;
        let (comparisons, scanned) = work(|| report = Some(validate(doc.as_bytes(), None)));
        let report = report.unwrap_or_else(|| unreachable!());
        assert!(
            comparisons < 12 * n as u64,
            "{n}: {comparisons} comparisons"
        );
        assert!(scanned < 4 * doc.len() as u64, "{scanned} bytes scanned");
        let repeats: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.code == Code::DuplicateKey)
            .collect();
        assert_eq!(repeats.len(), n / 2 + 1);
        // Named and placed as one at a time would: the first repeat of `k000000` is the key
        // on line n/2 + 1, its first occurrence on line 1.
        assert_eq!(repeats[0].pointer(), "/guild/k000000");
        assert_eq!(repeats[0].line(), Some(n / 2 + 1));
        assert!(repeats[0].message().contains("first at line 1, column 31"));
        let last = repeats.last().unwrap_or_else(|| unreachable!());
        assert_eq!(last.pointer(), "/code");
    }
}

#[test]
fn long_arrays_of_unique_items() {
    for n in [5_000, 20_000] {
        // Distinct features, then every one again: n/2 repeats, each of an item n/2 back.
        let features = (0..n)
            .map(|i| format!("\"F{}\"", i % (n / 2)))
            .collect::<Vec<_>>()
            .join(",");
        let doc = format!(
            "{{\"type\":0,\"code\":\"a\",\"guild\":{{\"id\":\"1\",\"name\":\"g\",\"features\":[{features}]}}}}"
        );
        // And numbers, equal by value though spelled differently: through the slow path.
        let ids = (0..n)
            .map(|i| {
                if i < n / 2 {
                    format!("{i}")
                } else {
                    format!("{}.0", i - n / 2)
                }
            })
            .collect::<Vec<_>>()
            .join(",");
        let request = format!("{{\"role_ids\":[{ids}]}}");
        for (doc, kind) in [(doc, None), (request, Some(Kind::CreateGuildInviteRequest))] {
            let mut report = None;
            let (comparisons, _) = work(|| report = Some(validate(doc.as_bytes(), kind)));
            let report = report.unwrap_or_else(|| unreachable!());
            assert!(
                comparisons < 12 * n as u64,
                "{n}: {comparisons} comparisons"
            );
            let repeats: Vec<&str> = report
                .findings
                .iter()
                .filter(|f| f.code == Code::DuplicateItem)
                .map(|f| f.message())
                .collect();
            assert_eq!(repeats.len(), n / 2, "{kind:?}");
            assert_eq!(
                repeats[0],
                format!(
                    "item {} repeats item 0; the spec requires unique items",
                    n / 2
                )
            );
        }
    }
}

#[test]
fn repeated_keys_need_no_findings_moved() {
    // A key repeated on every line after `type` and `code` (the benchmark's repeated-keys):
    // the object's missing fields are at its start and its unknown field `k` early, found
    // after every repeat. They are merged in as the repeats' findings are written: no finding
    // is moved to make room (each of the 20,000 was moved before), and the order is the
    // order of offset, as it was.
    let n = 20_000;
    let repeats = vec!["\"k\":1"; n].join(",\n");
    let doc = format!("{{\"type\":0,\"code\":\"a\",{repeats}}}");
    let moved = text::moved();
    let report = validate(doc.as_bytes(), None);
    assert_eq!(text::moved() - moved, 0);
    let codes: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
    // Four missing fields, `k` unknown, and its n - 1 repeats.
    assert_eq!(codes.len(), n + 4);
    assert!(codes[..4].iter().all(|&c| c == Code::MissingRequired));
    assert_eq!(codes[4], Code::UnknownField);
    assert!(codes[5..].iter().all(|&c| c == Code::DuplicateKey));
    assert!(report
        .findings
        .windows(2)
        .all(|w| w[0].offset_key() <= w[1].offset_key()));
}

#[test]
fn the_repeats_of_one_key_share_their_text() {
    // The repeats of one key in one object have one pointer and one message: both are
    // written once, whatever the number of repeats (each repeat wrote its pointer again, and
    // compared it again with the one before).
    for n in [1_000, 20_000] {
        let repeats = vec!["\"k\":1"; n].join(",\n");
        let doc = format!("{{\"type\":0,\"code\":\"a\",\"g\":{{{repeats}}},{repeats}}}");
        let report = validate(doc.as_bytes(), None);
        let repeats: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.code == Code::DuplicateKey)
            .collect();
        assert_eq!(repeats.len(), 2 * (n - 1));
        // Two keys (`/g/k` and `/k`): two texts, each shared by its repeats.
        let mut texts: Vec<(*const u8, *const u8)> = repeats
            .iter()
            .map(|f| (f.pointer().as_ptr(), f.message().as_ptr()))
            .collect();
        texts.dedup();
        assert_eq!(texts.len(), 2, "{n} repeats");
        assert_eq!(repeats[0].pointer(), "/g/k");
        assert_eq!(repeats[n - 1].pointer(), "/k");
        // The top object's `k` is first on the line where `g` ends.
        let first = format!("first at line {n}, column ");
        assert!(
            repeats[n - 1].message().contains(&first),
            "{:?}",
            repeats[n - 1]
        );
    }
}

#[test]
fn findings_in_order_are_not_looked_at_for_order() {
    // Findings are nearly always found in order of offset; only an object's missing field,
    // found at its end and placed at its start, can come before findings found earlier.
    // Reports without one are not scanned for order (a pass over every finding of a
    // findings-heavy report).
    let invite = |guild_extra: &str, extra: &str| {
        format!(
            r#"{{"type":0,"code":"abc","guild_id":"165176875973476352","expires_at":null,"channel":{{"id":"165176875973476352","type":0,"name":"general"}},"guild":{{"id":"165176875973476352","name":"G","splash":null,"banner":null,"description":null,"icon":null,"features":[],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"nsfw":false,"premium_subscription_count":3{guild_extra}}}{extra}}}"#
        )
    };
    let in_order = |doc: &str| {
        let before = text::ordered();
        let report = validate(doc.as_bytes(), None);
        assert!(
            report
                .findings
                .windows(2)
                .all(|w| w[0].offset_key() <= w[1].offset_key()),
            "{report:#?}"
        );
        (text::ordered() - before, report)
    };
    // The fast path: many unknown fields, in order.
    let (looked, report) = in_order(&invite("", &format!(",{}", members(1_000))));
    assert_eq!((looked, report.findings.len()), (0, 1_000));
    // The slow path: a key repeated on every line, the top object's missing fields merged in
    // order as the repeats' findings are written.
    let repeats = vec!["\"k\":1"; 1_000].join(",\n");
    let (looked, report) = in_order(&format!("{{\"type\":0,\"code\":\"a\",{repeats}}}"));
    assert_eq!((looked, report.findings.len()), (0, 1_004));
    // A missing field after a finding inside its object: put in order.
    let doc = invite(",\"zz\":1", "").replace(",\"nsfw\":false", "");
    let (looked, report) = in_order(&doc);
    assert_eq!(looked, 1);
    let codes: Vec<(Code, &str)> = report
        .findings
        .iter()
        .map(|f| (f.code, f.pointer()))
        .collect();
    assert_eq!(
        codes,
        [
            (Code::MissingRequired, "/guild/nsfw"),
            (Code::UnknownField, "/guild/zz")
        ]
    );
}

//! The labelled kind test set: every payload in `tests/fixtures/` and `captures/`, with its
//! true kind in `tests/fixtures/kinds/labels.txt`, against the validator's guess from the
//! payload's shape alone (no HAR context, no `--kind`). docs/VALIDATE.md reports the result.

use std::collections::BTreeMap;

use discord_invite::validate::input::{Event, Location, Reader};
use discord_invite::validate::{validate_payload, Code, Kind, Options, Origin, Report};

/// What a label says a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// This kind.
    Kind(Kind),
    /// No kind of this validator (another object, another gateway event).
    None,
    /// Several kinds fit by nature (`{}`, `{"code": "a"}`): the guess must not claim
    /// certainty (`unknown-kind`, or a kind with an `ambiguous-kind` note).
    Ambiguous,
    /// Not JSON: there is no shape to guess from.
    NotJson,
}

fn labels() -> BTreeMap<String, Label> {
    let text = std::fs::read_to_string("tests/fixtures/kinds/labels.txt").unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, label) = line.rsplit_once(char::is_whitespace).unwrap();
        let label = match label {
            "none" => Label::None,
            "ambiguous" => Label::Ambiguous,
            "not-json" => Label::NotJson,
            k => Label::Kind(k.parse().unwrap_or_else(|e| panic!("{line}: {e}"))),
        };
        assert!(
            out.insert(id.trim().to_owned(), label).is_none(),
            "{id} twice"
        );
    }
    out
}

/// The id of a payload: `path`, `path[index]`, `path:line`, `path#entry/part`.
fn id(source: &str, location: &Location) -> String {
    match (&location.har, location.index, location.line) {
        (Some(h), _, _) => format!("{source}#{}/{}", h.entry, h.part.as_str()),
        (None, Some(i), _) => format!("{source}[{i}]"),
        (None, None, Some(l)) if source.ends_with("ndjson") => format!("{source}:{l}"),
        _ => source.to_owned(),
    }
}

/// Every payload with its id; a gateway line's `d` also on its own (`path:line/d`).
fn payloads() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for event in Reader::new(["captures", "tests/fixtures"]) {
        let Event::Batch(batch) = event else {
            continue;
        };
        for i in 0..batch.len() {
            let bytes = batch.payload(i);
            let Some(location) = batch.location(i) else {
                continue;
            };
            if bytes.is_empty() {
                continue; // a HAR body that is not there
            }
            let id = id(batch.source(), location);
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
                if let (Some(_), Some(d)) = (v.get("op"), v.get("d")) {
                    if !d.is_null() {
                        out.push((format!("{id}/d"), serde_json::to_vec(d).unwrap()));
                    }
                }
            }
            out.push((id, bytes.to_vec()));
        }
    }
    out
}

/// The guess: the kind the report names, and whether it admits doubt.
fn guess(bytes: &[u8]) -> (Option<Kind>, bool, Report) {
    let r = validate_payload(bytes, None, Origin::START, &Options::default());
    let doubt = r
        .findings
        .iter()
        .any(|f| matches!(f.code, Code::AmbiguousKind | Code::UnknownKind));
    (r.kind, doubt, r)
}

#[test]
fn every_payload_gets_its_true_kind() {
    let labels = labels();
    let payloads = payloads();
    assert!(payloads.len() > 80, "{}", payloads.len());
    let mut unlabelled = Vec::new();
    let mut wrong = Vec::new();
    let (mut sure, mut right, mut noted, mut ambiguous, mut not_json) = (0, 0, 0, 0, 0);
    for (id, bytes) in &payloads {
        let (kind, doubt, report) = guess(bytes);
        let is_json = !report.findings.iter().any(|f| f.code == Code::InvalidJson);
        let Some(&label) = labels.get(id) else {
            unlabelled.push(format!("{id}  {}", kind.map_or("none", Kind::name)));
            continue;
        };
        let ok = match label {
            Label::Kind(k) => {
                sure += 1;
                noted += usize::from(doubt);
                kind == Some(k)
            }
            Label::None => {
                sure += 1;
                kind.is_none() && is_json
            }
            Label::Ambiguous => {
                ambiguous += 1;
                doubt && is_json
            }
            Label::NotJson => {
                not_json += 1;
                !is_json && kind.is_none()
            }
        };
        if ok && matches!(label, Label::Kind(_) | Label::None) {
            right += 1;
        }
        if !ok {
            wrong.push(format!(
                "{id}: labelled {label:?}, guessed {kind:?} {:#?}",
                report.findings
            ));
        }
    }
    // Every label names a payload that exists.
    let ids: std::collections::BTreeSet<&str> =
        payloads.iter().map(|(id, _)| id.as_str()).collect();
    let stale: Vec<&String> = labels
        .keys()
        .filter(|id| !ids.contains(id.as_str()))
        .collect();
    assert!(stale.is_empty(), "labels without a payload: {stale:#?}");
    assert!(
        unlabelled.is_empty(),
        "payloads without a label (add them to tests/fixtures/kinds/labels.txt):\n{}",
        unlabelled.join("\n")
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The figure docs/VALIDATE.md gives.
    let line = format!(
        "{right} of the {sure} payloads with an unambiguous kind are classified right, {noted} of them with a doubt; the {ambiguous} ambiguous ones all get a doubt; {not_json} are not JSON"
    );
    eprintln!("{line}");
    let doc = std::fs::read_to_string("docs/VALIDATE.md").unwrap();
    assert!(doc.contains(&line), "docs/VALIDATE.md should say: {line}");
}

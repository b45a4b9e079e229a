//! `schema export` agrees with the decoder: every capture that the SDK decodes also validates
//! against the JSON Schema exported for its kind (derived from the Rust types by schemars).

use discord_invite::validate::input::{Event, Reader};
use discord_invite::validate::{Kind, Options, Status};

#[test]
fn every_decoding_capture_validates_against_the_exported_schema() {
    let options = Options::default();
    let mut checked = 0;
    let mut failures = Vec::new();
    for event in Reader::new(["captures", "tests/fixtures/docs"]) {
        let Event::Batch(batch) = event else { continue };
        for i in 0..batch.len() {
            let record = batch.validate(i, &options);
            let Some(kind) = record.report.kind else {
                continue;
            };
            if matches!(record.report.status, Status::Error | Status::Skipped) {
                continue;
            }
            let mut value: serde_json::Value = match serde_json::from_slice(batch.payload(i)) {
                Ok(v) => v,
                Err(e) => panic!("{}: {e}", record.source),
            };
            if matches!(kind, Kind::InviteCreateEvent | Kind::InviteDeleteEvent)
                && value.get("op").is_some()
            {
                value = value["d"].take();
            }
            let schema = kind.json_schema();
            let validator = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("the exported schema of {kind} compiles: {e}"));
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            if !errors.is_empty() {
                failures.push(format!(
                    "{} {} ({kind}): {errors:?}",
                    record.source, record.location
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} payloads checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_exports_a_compilable_2020_12_schema() {
    for &kind in Kind::ALL {
        let schema = kind.json_schema();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
        assert!(jsonschema::validator_for(&schema).is_ok(), "{kind}");
    }
}

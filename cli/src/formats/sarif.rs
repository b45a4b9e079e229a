//! `--format sarif`: SARIF 2.1.0, one result per finding, streamed. The log's head (the tool
//! and its rules, one per finding code) is written first, the results as they come, the
//! invocation (exit code) last.

use discord_invite::validate::input::Location;
use discord_invite::validate::{Code, Report, Severity};
use serde_json::{json, Value};

use super::place;

/// The schema GitHub code scanning and IDEs know the 2.1.0 format by.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The rules: every finding code, with its description and help.
fn rules(strict: bool) -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|&c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str(),
                "shortDescription": {"text": c.description()},
                "fullDescription": {"text": c.description()},
                "help": {"text": c.help()},
                "defaultConfiguration": {"level": level(c.severity(strict))},
            })
        })
        .collect();
    Value::Array(rules)
}

/// The log up to the first result.
pub fn start(out: &mut Vec<u8>, strict: bool) {
    let driver = json!({
        "name": "discord-invite",
        "fullName": "discord-invite validate",
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules(strict),
    });
    out.extend_from_slice(b"{\"$schema\":\"");
    out.extend_from_slice(SCHEMA.as_bytes());
    out.extend_from_slice(b"\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":");
    // A `Value` of strings and arrays always serializes.
    let _ = serde_json::to_writer(&mut *out, &driver);
    out.extend_from_slice(b"},\"columnKind\":\"unicodeCodePoints\",\"results\":[");
}

/// A URI reference for a path as named on the command line: `/` separators, and
/// percent-escapes for what a URI cannot hold (spaces, `%`, `<`, non-ASCII).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let path = path.replace('\\', "/");
    // A first segment with `:` would read as a scheme (`C:/x`); keep it a path.
    if path.split('/').next().is_some_and(|s| s.contains(':')) {
        out.push_str("./");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Appends a result per finding of `report`, each preceded by a comma.
pub fn results(out: &mut Vec<u8>, source: &str, location: &Location, report: &Report) {
    let artifact = json!({"uri": uri(source)});
    for f in &report.findings {
        let p = place(location, f);
        let mut physical = json!({"artifactLocation": artifact});
        if let Some(line) = p.line {
            let mut region = json!({"startLine": line});
            if let Some(column) = p.column {
                region["startColumn"] = json!(column);
            }
            physical["region"] = region;
        }
        let mut loc = json!({"physicalLocation": physical});
        if !f.pointer().is_empty() {
            loc["logicalLocations"] =
                json!([{"fullyQualifiedName": f.pointer(), "kind": "member"}]);
        }
        let index = Code::ALL.iter().position(|&c| c == f.code).unwrap_or(0);
        let result = json!({
            "ruleId": f.code.as_str(),
            "ruleIndex": index,
            "level": level(f.severity),
            "message": {"text": p.message},
            "locations": [loc],
        });
        out.push(b',');
        let _ = serde_json::to_writer(&mut *out, &result);
    }
}

/// The end of the log: the invocation and its exit code.
pub fn finish(out: &mut Vec<u8>, exit_code: u8) {
    let invocation = json!([{"executionSuccessful": exit_code != 2, "exitCode": exit_code}]);
    out.extend_from_slice(b"],\"invocations\":");
    let _ = serde_json::to_writer(&mut *out, &invocation);
    out.extend_from_slice(b"}]}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_references() {
        assert_eq!(uri("captures/docs/a.json"), "captures/docs/a.json");
        assert_eq!(uri("my dumps/é.json"), "my%20dumps/%C3%A9.json");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("C:\\x\\y.har"), "./C:/x/y.har");
        assert_eq!(uri("100%.json"), "100%25.json");
    }
}

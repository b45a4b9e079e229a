//! `validate --format sarif|junit|github|markdown`, `--fail-on`, and the exit codes in `--help`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_discord-invite"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A HAR with exchange findings (a query parameter of the wrong type, an undocumented
/// operation), so that every kind of place shows up. It lives in a scratch directory that is
/// removed when the returned guard is dropped (on a panic too).
fn exchange_har() -> (TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("discord-invite-formats-")
        .tempdir()
        .expect("temp dir");
    let path = dir.path().join("session with spaces.har");
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc?with_counts=yes",
                     "queryString": [{"name": "with_counts", "value": "yes"}]},
         "response": {"status": 200, "content": {"mimeType": "application/json",
                      "text": "{\"type\": 2, \"code\": \"abc\", \"expires_at\": null, \"channel\": null, \"guild_id\": \"1\"}"}}},
        {"request": {"method": "POST", "url": "https://discord.com/api/v10/invites/abc"},
         "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}}
    ]}});
    std::fs::write(&path, serde_json::to_string_pretty(&har).unwrap()).unwrap();
    (dir, path)
}

/// The `--format json` records of the same run: every finding, for the counts.
fn findings(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["validate", "--format", "json"];
    all.extend_from_slice(args);
    stdout(&run(&all))
        .lines()
        .flat_map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            r["findings"].as_array().unwrap().clone()
        })
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let (_dir, har) = exchange_har();
    let har = har.to_str().unwrap();
    let args = ["captures", har, "no/such/file.json"];
    let out = run(&[&["validate", "--format", "sarif"][..], &args].concat());
    assert_eq!(out.status.code(), Some(2), "an unreadable path");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", stdout(&out));
    });
    let schema_text =
        std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
            .unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Not vacuous: the schema refuses a log that breaks it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&broken));
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"] = "my dumps/<x>.json".into();
    assert!(
        !validator.is_valid(&broken),
        "formats are checked: a URI has no spaces"
    );

    // One result per finding, rule ids = finding codes, each rule with help text.
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().unwrap();
    let expected = findings(&args);
    assert_eq!(results.len(), expected.len());
    for (r, f) in results.iter().zip(&expected) {
        assert_eq!(r["ruleId"], f["code"]);
        assert_eq!(r["level"], f["severity"]);
        let rule = &run0["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
    }
    let location = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .map(|r| r["locations"][0]["physicalLocation"].clone())
            .unwrap_or_else(|| panic!("no {code}"))
    };
    let in_har = |code: &str| {
        results
            .iter()
            .map(|r| (r, &r["locations"][0]["physicalLocation"]))
            .find(|(r, l)| {
                r["ruleId"] == code
                    && l["artifactLocation"]["uri"]
                        .as_str()
                        .is_some_and(|u| u.ends_with("session%20with%20spaces.har"))
            })
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| panic!("no {code} in the HAR"))
    };
    // A file's finding: file, line, column.
    let decode = location("decode-error");
    assert!(decode["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("captures/"));
    assert!(decode["region"]["startLine"].as_u64().unwrap() >= 1);
    assert!(decode["region"]["startColumn"].as_u64().unwrap() >= 1);
    // A HAR body's finding: the entry's line; an exchange finding: its place in the HAR.
    let variant = in_har("wrong-variant-field");
    assert!(variant["region"]["startLine"].as_u64().is_some());
    assert!(variant["region"]["startColumn"].is_null());
    let param = in_har("invalid-parameter");
    assert!(param["region"]["startColumn"].as_u64().is_some());
    // An unreadable path: the artifact, no region.
    let io = location("io-error");
    assert_eq!(io["artifactLocation"]["uri"], "no/such/file.json");
    assert_eq!(run0["invocations"][0]["exitCode"], 2);
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
}

#[test]
fn junit_has_a_test_case_per_payload_and_a_failure_per_error() {
    let out = run(&["validate", "--format", "junit", "captures"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let records: Vec<Value> = stdout(&run(&["validate", "--format", "json", "captures"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cases.len(), records.len(), "one test case per payload");
    let failures = |text: &str| {
        roxmltree::Document::parse(text)
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count()
    };
    let count = |severity: &str| {
        records
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap())
            .filter(|f| f["severity"] == severity)
            .count()
    };
    assert_eq!(failures(&text), count("error"));
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    assert_eq!(
        skipped,
        records.iter().filter(|r| r["status"] == "skipped").count()
    );
    // Each suite's counts are its cases'.
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let tests: usize = suite.attribute("tests").unwrap().parse().unwrap();
        assert_eq!(
            tests,
            suite
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .count()
        );
    }
    // With --strict, warnings fail too.
    let strict = stdout(&run(&[
        "validate", "--strict", "--format", "junit", "captures",
    ]));
    let strict_records: Vec<Value> = stdout(&run(&[
        "validate", "--strict", "--format", "json", "captures",
    ]))
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    let strict_failing = strict_records
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .filter(|f| f["severity"] != "note")
        .count();
    assert_eq!(failures(&strict), strict_failing);
    assert!(strict_failing > count("error"));
}

#[test]
fn junit_escapes_what_xml_cannot_hold() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_discord-invite"))
        .current_dir(root())
        .args(["validate", "--format", "junit", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"type\": 0, \"code\": 7, \"<&\\u0001>\": 1}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("<stdin>"));
}

#[test]
fn github_commands_annotate_files() {
    let out = run(&["validate", "--format", "github", "captures/broken"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let commands: Vec<&&str> = lines.iter().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), findings(&["captures/broken"]).len());
    assert!(
        text.contains(
            "::error file=captures/broken/invite-code-is-a-number.json,line=3,col=307,title=discord-invite decode-error::the SDK cannot decode this"
        ),
        "{text}"
    );
    assert!(
        text.contains("::notice file=captures/broken/invites.json,line=8,col=3,"),
        "{text}"
    );
    assert!(
        lines.last().unwrap().starts_with("total: 7 files"),
        "{text}"
    );
}

#[test]
fn markdown_summarises_for_a_pull_request() {
    let out = run(&["validate", "--format", "markdown", "captures"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.starts_with("## discord-invite validate\n"), "{text}");
    assert!(text.contains("**failed**: 7 errors"), "{text}");
    assert!(
        text.contains(
            "| `captures/broken/invite-code-is-a-number.json` | json | 1 | 1 | 0 | 1 | 0 |"
        ),
        "{text}"
    );
    assert!(text.contains("### Most frequent findings"), "{text}");
    assert!(
        text.contains("| error | `decode-error` | `/code` | `captures/broken/invite-code-is-a-number.json:3:307` |"),
        "{text}"
    );
    // Every table row has as many cells as its header.
    for table in text.split("\n\n").filter(|b| b.starts_with('|')) {
        let widths: Vec<usize> = table
            .lines()
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{table}");
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    let warnings_only = "captures/docs/invite-object.json";
    assert_eq!(run(&["validate", warnings_only]).status.code(), Some(0));
    assert_eq!(
        run(&["validate", "--fail-on", "warning", warnings_only])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["validate", "--fail-on", "error", warnings_only])
            .status
            .code(),
        Some(0)
    );
    let broken = "captures/broken";
    assert_eq!(run(&["validate", broken]).status.code(), Some(1));
    assert_eq!(
        run(&["validate", "--fail-on", "never", broken])
            .status
            .code(),
        Some(0)
    );
    // An unreadable path is 2 whatever --fail-on says.
    assert_eq!(
        run(&["validate", "--fail-on", "never", "no/such/file"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["validate", "--fail-on", "sometimes", broken])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn help_lists_every_exit_code() {
    let out = run(&["validate", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let codes = &text[text.find("Exit codes:").expect("an exit code section")..];
    for code in ["0  ", "1  ", "2  "] {
        assert!(codes.contains(&format!("\n  {code}")), "{codes}");
    }
    for format in ["sarif", "junit", "github", "markdown"] {
        assert!(text.contains(format), "{text}");
    }
    assert!(text.contains("--fail-on"), "{text}");
}

//! Issue 15, "exports as tools really write them", through the binary: the CLI and the library
//! give the same finding for a file in UTF-16 or with two byte order marks, and read the HAR
//! shapes of `tests/fixtures/exports/`.

use std::path::PathBuf;
use std::process::Command;

use discord_invite::validate::validate;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn records(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_discord-invite"))
        .current_dir(root())
        .args(["validate", "--format", "json"])
        .args(args)
        .output()
        .expect("the binary runs");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_cli_and_the_library_agree_on_encodings_and_byte_order_marks() {
    for name in [
        "invite.double-bom.json",
        "invite.utf16le-bom.json",
        "invite.utf16be.json",
        "invites.utf16le-bom.ndjson",
    ] {
        let path = format!("tests/fixtures/exports/{name}");
        let cli = records(&[&path]);
        assert_eq!(cli.len(), 1, "{name}: one record for the file: {cli:?}");
        let library = validate(&std::fs::read(root().join(&path)).unwrap(), None);
        let f = &library.findings[0];
        let c = &cli[0]["findings"][0];
        assert_eq!(cli[0]["status"], "error", "{name}");
        assert_eq!(c["code"], f.code.as_str(), "{name}");
        assert_eq!(c["message"], f.message(), "{name}");
        assert_eq!(c["line"], f.line().unwrap(), "{name}");
        assert_eq!(c["column"], f.column().unwrap(), "{name}");
    }
}

#[test]
fn har_exports_as_tools_write_them() {
    let recs = records(&["tests/fixtures/exports"]);
    let response = |file: &str, entry: u64| {
        recs.iter()
            .find(|r| {
                r["source"].as_str().unwrap().ends_with(file)
                    && r["location"]["har_entry"] == entry
                    && r["location"]["part"] == "response"
            })
            .unwrap_or_else(|| panic!("{file} #{entry}: {recs:?}"))
    };
    let invite = response("mitmproxy.har", 0);
    assert_eq!(invite["kind"], "invite");
    for (file, entry) in [
        ("string-status.har", 0),
        ("wrapped-base64.har", 0),
        ("wrapped-base64.har", 1),
        ("wrapped-base64.har", 2),
        ("chrome.har", 1),
    ] {
        let r = response(file, entry);
        assert_eq!(r["kind"], invite["kind"], "{file} #{entry}");
        assert_eq!(r["findings"], invite["findings"], "{file} #{entry}");
    }
    let note = |file: &str, entry: u64| response(file, entry)["findings"][0]["message"].clone();
    assert_eq!(
        note("chrome.har", 0),
        "no response was recorded (the request failed: net::ERR_CONNECTION_REFUSED)"
    );
    assert_eq!(
        note("string-status.har", 1),
        "the response status is \"error\", not an HTTP status code: no response to validate"
    );
}

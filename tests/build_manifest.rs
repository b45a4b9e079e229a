//! The check a dependent's build runs instead of the generator (`build/manifest.rs`): the
//! committed `generated/` passes, and every way of getting it out of step with `schema/` fails
//! with a message that names the file and the command that regenerates.

#[path = "../build/manifest.rs"]
mod manifest;

use std::path::{Path, PathBuf};

use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `schema/` and `generated/` in a fresh scratch directory, removed when the returned
/// guard is dropped (on a panic too).
fn copy() -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("discord-invite-manifest-")
        .tempdir()
        .unwrap();
    for sub in ["schema", "generated"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(root().join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

fn error(dir: &Path) -> String {
    let message = manifest::check(dir).expect_err("the check must fail");
    assert!(message.contains(manifest::REFRESH), "{message}");
    message
}

#[test]
fn the_committed_copy_matches_the_schema() {
    let outputs = manifest::check(&root()).unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["added-schemas.json", "endpoints.rs", "models.rs"]);
    let models = outputs.iter().find(|o| o.name == "models.rs").unwrap();
    assert!(models.contents.starts_with("// @generated"));
}

#[test]
fn an_edited_schema_fails_and_names_the_file() {
    let tmp = copy();
    let dir = tmp.path();
    edit(&dir.join("schema/overlay.toml"), |t| {
        t + "\n# a new comment\n"
    });
    let message = error(dir);
    assert!(
        message.contains("schema/overlay.toml changed since generated/ was last regenerated"),
        "{message}"
    );
    assert!(!message.contains("openapi.json"), "{message}");
}

#[test]
fn a_hand_edited_generated_file_fails() {
    let tmp = copy();
    let dir = tmp.path();
    edit(&dir.join("generated/models.rs"), |t| {
        t.replacen("pub struct", "pub(crate) struct", 1)
    });
    let message = error(dir);
    assert!(
        message.contains("generated/models.rs is not what the generator wrote"),
        "{message}"
    );
}

#[test]
fn crlf_line_endings_hash_as_lf() {
    let tmp = copy();
    let dir = tmp.path();
    for file in [
        "schema/openapi.json",
        "generated/models.rs",
        "generated/MANIFEST",
    ] {
        edit(&dir.join(file), |t| t.replace('\n', "\r\n"));
    }
    let outputs = manifest::check(dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outputs.len(), 3);
}

#[test]
fn a_missing_or_malformed_manifest_fails() {
    let tmp = copy();
    let dir = tmp.path();
    edit(&dir.join("generated/MANIFEST"), |t| {
        t + "fnv1a64 xyz generated/models.rs\n"
    });
    let message = error(dir);
    assert!(message.contains("generated/MANIFEST:"), "{message}");
    assert!(
        message.contains("expected `fnv1a64 <16 hex digits> <path>`"),
        "{message}"
    );

    edit(&dir.join("generated/MANIFEST"), |t| {
        t.lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    assert!(error(dir).contains("lists no schema or no generated file"));

    std::fs::remove_file(dir.join("generated/MANIFEST")).unwrap();
    assert!(error(dir).contains("cannot read generated/MANIFEST"));
}

#[test]
fn a_missing_schema_file_fails() {
    let tmp = copy();
    let dir = tmp.path();
    std::fs::remove_file(dir.join("schema/docs.toml")).unwrap();
    let message = error(dir);
    assert!(
        message.contains("schema/docs.toml: cannot read it"),
        "{message}"
    );
}

#[test]
fn paths_that_leave_the_package_are_refused() {
    let tmp = copy();
    let dir = tmp.path();
    edit(&dir.join("generated/MANIFEST"), |t| {
        t + "fnv1a64 0000000000000000 ../outside.txt\n"
    });
    assert!(error(dir).contains("../outside.txt"));
}

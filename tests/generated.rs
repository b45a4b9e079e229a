//! `generated/` is a committed copy of what the generator writes (build.rs writes the same to
//! OUT_DIR when the `regenerate` feature is on, as it is for this package's tests). This test
//! keeps the two identical: it fails with a diff when the schema, overlay or generator changed
//! and the copy was not refreshed. Refresh it with
//! `UPDATE_GENERATED=1 cargo test -p discord-invite --test generated`.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn diff(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("generated/{name} (committed)"), "codegen output")
        .to_string()
        .lines()
        .take(200)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn committed_copy_matches_the_generator() {
    let files =
        discord_invite_codegen::generate(&root().join("schema")).expect("schema/ generates");
    let dir = root().join("generated");
    let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for file in &files {
        let path = dir.join(&file.name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != file.contents {
            if update {
                std::fs::create_dir_all(&dir).expect("create generated/");
                std::fs::write(&path, &file.contents).expect("write generated/");
            } else {
                stale.push(diff(&committed, &file.contents, &file.name));
            }
        }
    }
    // A file the generator no longer writes must not linger in the copy.
    let expected: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !expected.contains(&name.as_str()) {
            if update {
                std::fs::remove_file(entry.path()).expect("remove stale file");
            } else {
                stale.push(format!("generated/{name} is no longer generated"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale.\n\n{}\n\nRun `UPDATE_GENERATED=1 cargo test -p discord-invite --test generated` to refresh it, then review and commit the diff.",
        stale.join("\n\n")
    );
}

#[test]
fn committed_copy_matches_what_this_build_compiled() {
    // build.rs (with `regenerate`) and the test above both call the generator; this closes the
    // loop by comparing with the files the crate was actually compiled from.
    if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1") {
        return; // the test above is rewriting the copy right now
    }
    let built = [
        (
            "models.rs",
            include_str!(concat!(env!("OUT_DIR"), "/models.rs")),
        ),
        (
            "endpoints.rs",
            include_str!(concat!(env!("OUT_DIR"), "/endpoints.rs")),
        ),
        (
            "added-schemas.json",
            include_str!(concat!(env!("OUT_DIR"), "/added-schemas.json")),
        ),
    ];
    for (name, built) in built {
        let committed =
            std::fs::read_to_string(root().join("generated").join(name)).unwrap_or_default();
        assert!(
            built == committed,
            "generated/{name} differs from OUT_DIR/{name}:\n{}\nRun `UPDATE_GENERATED=1 cargo test -p discord-invite --test generated`.",
            diff(&committed, built, name)
        );
    }
}

fn generate_with(edit: impl Fn(&mut serde_json::Value, &mut String)) -> String {
    let dir = root().join("schema");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).expect("read schema file");
    let mut spec: serde_json::Value = serde_json::from_str(&read("openapi.json")).expect("json");
    let mut overlay = read("overlay.toml");
    edit(&mut spec, &mut overlay);
    let files = discord_invite_codegen::generate_from(spec, &overlay, &read("docs.toml"))
        .expect("generates");
    files
        .into_iter()
        .find(|f| f.name == "models.rs")
        .map(|f| f.contents)
        .unwrap_or_default()
}

#[test]
fn editing_the_pinned_schema_or_the_overlay_changes_the_output() {
    let committed = std::fs::read_to_string(root().join("generated/models.rs")).unwrap_or_default();
    // A field of the pinned schema made optional: `code` becomes Nullable<Text> on the vanity URL.
    let from_schema = generate_with(|spec, _| {
        let req = spec
            .pointer_mut("/components/schemas/VanityURLResponse/required")
            .expect("required list");
        *req = serde_json::json!(["uses"]);
    });
    assert_ne!(from_schema, committed);
    assert!(from_schema.contains("pub code: crate::Nullable<crate::Text>"));
    // An overlay entry removed: user `flags` becomes required again.
    let from_overlay = generate_with(|_, overlay| {
        *overlay = overlay.replace("\"public_flags\", \"flags\",", "\"public_flags\",");
    });
    assert_ne!(from_overlay, committed);
}

#[test]
fn a_stale_overlay_entry_is_a_clear_error() {
    let dir = root().join("schema");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).expect("read");
    let mut spec: serde_json::Value = serde_json::from_str(&read("openapi.json")).expect("json");
    // Upstream drops `global_name` from users; the overlay still lists it as lenient.
    spec.pointer_mut("/components/schemas/UserResponse/properties")
        .and_then(|p| p.as_object_mut())
        .expect("properties")
        .remove("global_name");
    let err =
        discord_invite_codegen::generate_from(spec, &read("overlay.toml"), &read("docs.toml"))
            .expect_err("stale overlay must fail");
    let msg = err.to_string();
    assert!(
        msg.contains("[lenient] entry `UserResponse` names field `global_name`"),
        "{msg}"
    );
    assert!(msg.contains("remove `global_name` from the list"), "{msg}");
    assert!(
        msg.contains("schema/docs.toml [UserResponse.fields] documents `global_name`"),
        "{msg}"
    );
}

#[test]
fn generated_file_starts_with_the_marker_and_uses_lf() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/models.rs"))
            .unwrap_or_default();
    assert!(text.starts_with("// @generated"));
    assert!(!text.contains('\r'));
}

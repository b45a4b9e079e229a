//! Golden tests: one tiny schema per generator rule in `tests/fixtures/<rule>/` (openapi.json,
//! overlay.toml, docs.toml) with the expected output next to it: `expected.rs` for a rule that
//! generates, `expected.err` for one that must fail. `UPDATE_GENERATED=1 cargo test -p discord-invite-codegen`
//! rewrites the expectations; review the diff.

use std::path::Path;

fn check(dir: &Path) -> Result<(), String> {
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap_or_default();
    let spec: serde_json::Value = serde_json::from_str(&read("openapi.json"))
        .map_err(|e| format!("{}: openapi.json: {e}", dir.display()))?;
    let (name, actual) = match discord_invite_codegen::generate_from(
        spec,
        &read("overlay.toml"),
        &read("docs.toml"),
    ) {
        Ok(files) => (
            "expected.rs",
            files
                .into_iter()
                .find(|f| f.name == "models.rs")
                .map(|f| f.contents)
                .unwrap_or_default(),
        ),
        Err(e) => ("expected.err", format!("{e}\n")),
    };
    let other = if name == "expected.rs" {
        "expected.err"
    } else {
        "expected.rs"
    };
    let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1");
    if update {
        std::fs::write(dir.join(name), &actual).map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(dir.join(other));
        return Ok(());
    }
    if dir.join(other).exists() {
        return Err(format!(
            "{}: expected {other}, got {name}:\n{actual}",
            dir.display()
        ));
    }
    let expected = read(name);
    if expected != actual {
        let diff = similar::TextDiff::from_lines(&expected, &actual)
            .unified_diff()
            .header(name, "generated")
            .to_string();
        return Err(format!("{}:\n{diff}", dir.display()));
    }
    Ok(())
}

#[test]
fn every_rule_matches_its_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("openapi.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "fixtures missing: {dirs:?}");
    let failures: Vec<String> = dirs.iter().filter_map(|d| check(d).err()).collect();
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended, run `UPDATE_GENERATED=1 cargo test -p discord-invite-codegen` and review the diff.",
        failures.join("\n\n")
    );
}

#[test]
fn output_is_deterministic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let a = discord_invite_codegen::generate(&dir).expect("generates");
    let b = discord_invite_codegen::generate(&dir).expect("generates");
    assert_eq!(a, b);
}

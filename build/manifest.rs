//! Checks the committed `generated/` against `schema/` without the generator: every file that
//! `generated/MANIFEST` lists must still have the hash recorded there.
//!
//! The manifest is written by `discord-invite-codegen` (its `manifest` module defines the
//! format): a line `fnv1a64 <16 hex digits> <path>` per file, where the hash is FNV-1a 64 of the
//! file's text with every `\r` removed. Inputs (`schema/…`) come first, then outputs
//! (`generated/…`). Used by `build.rs` and by `tests/build_manifest.rs`.

use std::fmt::Write as _;
use std::hash::Hasher as _;
use std::path::Path;

/// The command that refreshes `generated/` from `schema/`, for error messages.
pub const REFRESH: &str = "UPDATE_GENERATED=1 cargo test -p discord-invite --test generated";

/// A generated file, ready to be written to `OUT_DIR`.
#[derive(Debug)]
#[cfg_attr(feature = "regenerate", allow(dead_code))] // that build only reads the verdict
pub struct Output {
    /// The file name within `generated/`, e.g. `models.rs`.
    pub name: String,
    /// Its text, as committed.
    pub contents: String,
}

/// FNV-1a 64 of `text`, ignoring `\r` (a CRLF checkout hashes as the LF original).
pub fn hash(text: &str) -> u64 {
    let mut h = fnv::FnvHasher::default();
    for part in text.split('\r') {
        h.write(part.as_bytes());
    }
    h.finish()
}

/// Checks every hash of `<root>/generated/MANIFEST` and returns the generated files. The error
/// is the whole message for the build's output: what differs and how to regenerate.
pub fn check(root: &Path) -> Result<Vec<Output>, String> {
    let manifest_path = root.join("generated/MANIFEST");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| explain(&[format!("cannot read generated/MANIFEST: {e}")]))?;
    let mut problems = Vec::new();
    let mut outputs = Vec::new();
    let mut inputs = 0;
    for (n, line) in manifest.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((recorded, path)) = parse_line(line) else {
            problems.push(format!(
                "generated/MANIFEST:{}: expected `fnv1a64 <16 hex digits> <path>`, found `{line}`",
                n + 1
            ));
            continue;
        };
        let text = match std::fs::read_to_string(root.join(path)) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{path}: cannot read it: {e}"));
                continue;
            }
        };
        let actual = hash(&text);
        if let Some(name) = path.strip_prefix("generated/") {
            if actual != recorded {
                problems.push(format!(
                    "{path} is not what the generator wrote (hash {actual:016x}, recorded \
                     {recorded:016x}): it was edited by hand"
                ));
            }
            outputs.push(Output {
                name: name.to_string(),
                contents: text,
            });
        } else {
            inputs += 1;
            if actual != recorded {
                problems.push(format!(
                    "{path} changed since generated/ was last regenerated (hash {actual:016x}, \
                     recorded {recorded:016x})"
                ));
            }
        }
    }
    if problems.is_empty() && (inputs == 0 || outputs.is_empty()) {
        problems.push("generated/MANIFEST lists no schema or no generated file".to_string());
    }
    if problems.is_empty() {
        Ok(outputs)
    } else {
        Err(explain(&problems))
    }
}

fn parse_line(line: &str) -> Option<(u64, &str)> {
    let rest = line.strip_prefix("fnv1a64 ")?;
    let (hex, path) = rest.split_once(' ')?;
    if hex.len() != 16 || path.is_empty() || path.contains("..") {
        return None;
    }
    Some((u64::from_str_radix(hex, 16).ok()?, path))
}

fn explain(problems: &[String]) -> String {
    let mut text = String::from("generated/ does not match schema/:\n");
    for p in problems {
        let _ = writeln!(text, "  - {p}");
    }
    let _ = write!(
        text,
        "Regenerate it in a checkout of the repository with\n    {REFRESH}\n\
         then review and commit generated/ (never edit generated/ by hand)."
    );
    text
}

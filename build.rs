//! Puts the generated models and endpoint methods in `OUT_DIR`, where `src/model.rs` and
//! `src/client/endpoints.rs` include them from.
//!
//! - By default (every dependent's build) the generator is neither compiled nor run: the
//!   committed `generated/` is used after `build/manifest.rs` has checked that it still matches
//!   `schema/` (a hash of each file, recorded in `generated/MANIFEST`). A mismatch stops the
//!   build with a message that names the file and the command that regenerates.
//! - With the `regenerate` feature (this repository's tests turn it on) the generator runs on
//!   `schema/`, so the tested code is what the schema produces; `tests/generated.rs` then checks
//!   that the committed copy is identical.
//!
//! Either way it sets `cfg(generated_model = "Name")` for every model the generated code
//! defines, so that hand-written code built on one model (the target-users job poller on
//! `TargetUsersJobStatus`) is left out, rather than failing the build, when a spec version
//! lacks that model: `scripts/sync-check --history` builds today's code on older specs, and a
//! sync that drops such a model shows up as a removal in the API diff.

use std::path::Path;

#[path = "build/manifest.rs"]
mod manifest;
#[path = "build/models.rs"]
mod models;

fn main() {
    println!("cargo:rerun-if-changed=schema");
    println!("cargo:rerun-if-changed=generated");
    println!("cargo:rerun-if-changed=build");
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        fail("OUT_DIR is not set (build.rs runs under cargo)".into());
    };
    let files = match files() {
        Ok(files) => files,
        Err(message) => fail(message),
    };
    println!("cargo::rustc-check-cfg=cfg(generated_model, values(any()))");
    for (name, contents) in &files {
        if name == "models.rs" {
            for model in models::model_names(contents) {
                println!("cargo::rustc-cfg=generated_model=\"{model}\"");
            }
        }
        let path = Path::new(&out_dir).join(name);
        if let Err(e) = std::fs::write(&path, contents) {
            fail(format!("cannot write {}: {e}", path.display()));
        }
    }
}

/// The committed copy, checked against `schema/`.
#[cfg(not(feature = "regenerate"))]
fn files() -> Result<Vec<(String, String)>, String> {
    let files = manifest::check(Path::new("."))?;
    Ok(files.into_iter().map(|f| (f.name, f.contents)).collect())
}

/// A fresh copy from the generator; a stale committed copy is only a warning here, because
/// the staleness test reports it with a diff.
#[cfg(feature = "regenerate")]
fn files() -> Result<Vec<(String, String)>, String> {
    let files = discord_invite_codegen::generate(Path::new("schema"))
        .map_err(|e| format!("generating code from schema/ failed:\n{e}"))?;
    if let Err(message) = manifest::check(Path::new(".")) {
        let first = message.lines().nth(1).unwrap_or_default().trim();
        println!(
            "cargo:warning=generated/ is stale ({first}); run `{}`",
            manifest::REFRESH
        );
    }
    Ok(files.into_iter().map(|f| (f.name, f.contents)).collect())
}

/// Stops the build with a readable message instead of a panic's backtrace.
fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

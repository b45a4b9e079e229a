//! The generator behind `discord-invite`.
//!
//! `schema/openapi.json` (Discord's invite subset, pinned) + `schema/overlay.toml` (ours) →
//! intermediate model → `quote!` tokens → `syn::File` → `prettyplease` text.
//! `build.rs` and the staleness test both call [`generate`], so the compiled code and the
//! committed copy in `generated/` cannot drift.

use std::path::Path;

pub mod emit;
pub mod endpoints;
pub mod ir;
pub mod naming;
pub mod overlay;
pub mod spec;
pub mod types;

/// One generated source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name, e.g. `models.rs`.
    pub name: String,
    /// The formatted Rust source, LF line endings, starting with the `@generated` header.
    pub contents: String,
}

/// Any failure of the generator, with a message that names the schema item at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file in `schema/` could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The schema or overlay is not what the generator understands.
    #[error("{0}")]
    Schema(String),
}

/// Generates every file from the schema directory (`openapi.json`, `overlay.toml`,
/// `docs.toml`).
pub fn generate(schema_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    let read = |name: &str| {
        let path = schema_dir.join(name);
        std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let spec: serde_json::Value = serde_json::from_str(&read("openapi.json")?)
        .map_err(|e| Error::Schema(format!("schema/openapi.json is not valid JSON: {e}")))?;
    generate_from(spec, &read("overlay.toml")?, &read("docs.toml")?)
}

/// Generates every file from an OpenAPI document and the overlay texts. Golden tests call
/// this with tiny fixture schemas.
pub fn generate_from(
    openapi: serde_json::Value,
    overlay_toml: &str,
    docs_toml: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let overlay = overlay::parse_overlay(overlay_toml)?;
    let type_name = |c: &str| {
        overlay
            .names
            .get(c)
            .cloned()
            .unwrap_or_else(|| naming::type_name(c))
    };
    let docs = overlay::parse_docs(docs_toml)?;
    let mut spec = spec::Spec::new(openapi.clone())?;
    spec.add_schemas(&overlay.add.schemas)?;
    overlay.check(&spec, &docs)?;
    let model = ir::build(&spec, &overlay, &docs)?;
    let endpoints = endpoints::generate(&openapi, &overlay, &type_name)?;
    Ok(vec![
        GeneratedFile {
            name: "models.rs".into(),
            contents: emit::format(types::models(&model))?,
        },
        GeneratedFile {
            name: "endpoints.rs".into(),
            contents: emit::format(endpoints)?,
        },
    ])
}
pub mod sync;

//! The generator behind `discord-invite`.
//!
//! `schema/openapi.json` (Discord's invite subset, pinned) + `schema/overlay.toml` (ours) →
//! intermediate model → `quote!` tokens → `syn::File` → `prettyplease` text.
//! `build.rs` and the staleness test both call [`generate`], so the compiled code and the
//! committed copy in `generated/` cannot drift.

use std::path::Path;

pub mod emit;
pub mod endpoints;
pub mod events;
pub mod ir;
pub mod manifest;
pub mod naming;
pub mod overlay;
pub mod spec;
pub mod types;

/// The overlay's `[add.schemas]` as JSON, for the SDK's validator (which then needs no TOML
/// parser): the schemas of payloads the upstream spec lacks, transcribed from Discord's docs.
pub const ADDED_SCHEMAS: &str = "added-schemas.json";

fn added_schemas(
    schemas: &std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(schemas)
        .map_err(|e| Error::Schema(format!("overlay [add.schemas] as JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name, e.g. `models.rs`.
    pub name: String,
    /// The contents, LF line endings: formatted Rust starting with the `@generated` header,
    /// or JSON, or the manifest.
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

/// The files of `schema/` that the output depends on, in the order the manifest lists them.
pub const SCHEMA_FILES: [&str; 3] = ["openapi.json", "overlay.toml", "docs.toml"];

/// Generates every file from the schema directory (`openapi.json`, `overlay.toml`,
/// `docs.toml`): the files of [`generate_from`] plus [`manifest::FILE_NAME`], which records a
/// hash of each input and output so that a build without the generator can tell whether
/// `generated/` still matches `schema/`.
pub fn generate(schema_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    let read = |name: &str| {
        let path = schema_dir.join(name);
        std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let [openapi, overlay, docs] = SCHEMA_FILES.map(read);
    let (openapi, overlay, docs) = (openapi?, overlay?, docs?);
    let spec: serde_json::Value = serde_json::from_str(&openapi)
        .map_err(|e| Error::Schema(format!("schema/openapi.json is not valid JSON: {e}")))?;
    let mut files = generate_from(spec, &overlay, &docs)?;
    let inputs = SCHEMA_FILES.iter().zip([&openapi, &overlay, &docs]);
    let manifest = manifest::render(
        inputs.map(|(name, text)| (format!("schema/{name}"), text.as_str())),
        files
            .iter()
            .map(|f| (format!("generated/{}", f.name), f.contents.as_str())),
    );
    files.push(GeneratedFile {
        name: manifest::FILE_NAME.into(),
        contents: manifest,
    });
    Ok(files)
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
        GeneratedFile {
            name: ADDED_SCHEMAS.into(),
            contents: added_schemas(&overlay.add.schemas)?,
        },
    ])
}
pub mod sync;

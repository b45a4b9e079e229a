//! The models a generated file defines, for build.rs's `cfg(generated_model = "Name")`
//! (see build.rs). Tested by `tests/build_models.rs`.

/// The names of the top-level `pub struct` and `pub enum` items of a generated file.
pub fn model_names(source: &str) -> impl Iterator<Item = &str> {
    source.lines().filter_map(|line| {
        let rest = line
            .strip_prefix("pub struct ")
            .or_else(|| line.strip_prefix("pub enum "))?;
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        Some(&rest[..end]).filter(|name| !name.is_empty())
    })
}

//! build.rs sets `cfg(generated_model = "Name")` for the models of `generated/models.rs`
//! (`build/models.rs` finds them); hand-written code built on a model is gated on it.

#[path = "../build/models.rs"]
mod models;

#[test]
fn finds_top_level_structs_and_enums_only() {
    let source = "pub struct Foo<T> {\n    pub struct_field: u8,\n}\npub enum Bar {\n\
                  A,\n}\npub struct Baz;\n    pub struct Nested;\npub(crate) struct Hidden;\n\
                  pub type Alias = u8;\npub struct \n";
    let names: Vec<&str> = models::model_names(source).collect();
    assert_eq!(names, ["Foo", "Bar", "Baz"]);
}

#[test]
fn finds_every_model_of_the_committed_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/generated/models.rs");
    let source = std::fs::read_to_string(path).expect("generated/models.rs is committed");
    let names: Vec<&str> = models::model_names(&source).collect();
    for expected in [
        "Invite",
        "GuildInvite",
        "TargetUsersJobStatus",
        "TargetUsersJobStatusKind",
    ] {
        assert!(names.contains(&expected), "{expected} not among {names:?}");
    }
    let items = source
        .lines()
        .filter(|l| l.starts_with("pub struct ") || l.starts_with("pub enum "))
        .count();
    assert_eq!(names.len(), items);
}

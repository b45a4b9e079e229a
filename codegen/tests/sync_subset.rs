//! Step 1 of `schema sync`: cutting the invite subset, and rejecting malformed input.

use std::path::PathBuf;

use discord_invite_codegen::sync::{self, SyncError};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/sync").join(name)
}

fn pinned_text() -> String {
    std::fs::read_to_string(root().join("../schema/openapi.json")).unwrap()
}

/// Rebuilds a plausible "whole upstream spec" around the pinned subset: the original title,
/// `externalDocs`, unrelated paths, schemas, headers and security schemes, and upstream's
/// unsorted component order.
fn widen(subset: &Value) -> Value {
    let mut spec = subset.clone();
    let info = spec["info"].as_object_mut().unwrap();
    let title = info["title"]
        .as_str()
        .unwrap()
        .trim_end_matches(" - invite subset")
        .to_owned();
    info.insert("title".into(), json!(title));
    info.shift_remove("x-subset-of");
    let mut out = serde_json::Map::new();
    for (k, v) in spec.as_object().unwrap() {
        out.insert(k.clone(), v.clone());
        if k == "info" {
            out.insert(
                "externalDocs".into(),
                json!({"url": "https://discord.com/developers/docs"}),
            );
        }
    }
    let paths = out["paths"].as_object_mut().unwrap();
    paths.insert(
        "/users/@me".into(),
        json!({"get": {"operationId": "get_my_user", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PrivateUserResponse"}}}}},
            "security": [{"OAuth2": ["identify"]}, {"Unused": []}]}}),
    );
    let comps = out["components"].as_object_mut().unwrap();
    let schemas = comps["schemas"].as_object_mut().unwrap();
    let mut reversed: Vec<(String, Value)> = schemas
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    reversed.reverse();
    schemas.clear();
    for (k, v) in reversed {
        schemas.insert(k, v);
    }
    schemas.insert(
        "PrivateUserResponse".into(),
        json!({"type": "object", "properties": {"mfa": {"$ref": "#/components/schemas/MfaLevel"}}}),
    );
    schemas.insert("MfaLevel".into(), json!({"type": "integer"}));
    comps["securitySchemes"]
        .as_object_mut()
        .unwrap()
        .insert("Unused".into(), json!({"type": "http", "scheme": "basic"}));
    Value::Object(out)
}

#[test]
fn widened_pinned_spec_yields_the_pinned_file_byte_for_byte() {
    let pinned: Value = serde_json::from_str(&pinned_text()).unwrap();
    let spec = widen(&pinned);
    assert_ne!(spec, pinned);
    let subset = sync::extract_subset(&spec).unwrap();
    assert_eq!(sync::to_pinned_text(&subset), pinned_text());
}

#[test]
fn extraction_is_idempotent_on_the_pinned_subset() {
    let pinned: Value = serde_json::from_str(&pinned_text()).unwrap();
    let again = sync::extract_subset(&pinned).unwrap();
    assert_eq!(sync::to_pinned_text(&again), pinned_text());
    assert_eq!(
        again["info"]["title"],
        "Discord HTTP API (Preview) - invite subset"
    );
}

/// The real, whole upstream spec is not in the repository; this runs where it is available
/// (`SYNC_FULL_SPEC=/path/to/openapi.json`, or the shared copy on the development machine).
#[test]
fn real_upstream_spec_yields_the_pinned_file_when_available() {
    let path = std::env::var_os("SYNC_FULL_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/upstream/discord-openapi.json"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not available", path.display());
        return;
    };
    let spec: Value = serde_json::from_str(&text).unwrap();
    let subset = sync::extract_subset(&spec).unwrap();
    assert_eq!(sync::to_pinned_text(&subset), pinned_text());
}

#[test]
fn history_fixtures_are_their_own_subsets_and_self_contained() {
    for (name, paths, schemas) in [
        ("invite-subset.2025-07-10.json", 4, 43),
        ("invite-subset.2026-02-18.json", 8, 46),
        ("invite-subset.2026-07-18.json", 8, 54),
    ] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let again = sync::extract_subset(&doc).unwrap();
        assert_eq!(sync::to_pinned_text(&again), text, "{name}");
        assert_eq!(doc["paths"].as_object().unwrap().len(), paths, "{name}");
        assert_eq!(
            doc["components"]["schemas"].as_object().unwrap().len(),
            schemas,
            "{name}"
        );
        // Self-contained: every $ref resolves inside the file.
        let mut refs = Vec::new();
        collect(&doc, &mut refs);
        for r in refs {
            let pointer = r.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "{name}: dangling {r}");
        }
    }
}

fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap().to_owned());
                } else {
                    collect(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

#[test]
fn selection_rule() {
    assert!(sync::is_invite_path("/invites/{code}"));
    assert!(sync::is_invite_path(
        "/lobbies/{lobby_id}/members/@me/invites"
    ));
    assert!(sync::is_invite_path("/guilds/{guild_id}/vanity-url"));
    assert!(!sync::is_invite_path("/guilds/{guild_id}"));
    assert!(sync::is_invite_schema("GroupDMInviteResponse"));
    assert!(sync::is_invite_schema("TargetUsersJobStatusTypes"));
    assert!(sync::is_invite_schema("VanityURLErrorResponse"));
    assert!(!sync::is_invite_schema("UserResponse"));
}

#[test]
fn unrelated_schemas_and_schemes_are_left_out() {
    let pinned: Value = serde_json::from_str(&pinned_text()).unwrap();
    let subset = sync::extract_subset(&widen(&pinned)).unwrap();
    let schemas = subset["components"]["schemas"].as_object().unwrap();
    assert!(!schemas.contains_key("PrivateUserResponse"));
    assert!(!schemas.contains_key("MfaLevel"));
    assert!(!subset["components"]["securitySchemes"]
        .as_object()
        .unwrap()
        .contains_key("Unused"));
    assert!(subset.get("externalDocs").is_none());
}

fn malformed(name: &str) -> Result<Value, SyncError> {
    let path = fixture(&format!("malformed/{name}"));
    let bytes = std::fs::read(&path).unwrap();
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) => sync::extract_subset(&v),
        Err(source) => Err(SyncError::NotJson { path, source }),
    }
}

#[test]
fn not_json_is_rejected() {
    let err = malformed("not-json.json").unwrap_err();
    assert!(matches!(err, SyncError::NotJson { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("is not JSON: expected value at line 1"),
        "{err}"
    );
}

#[test]
fn json_that_is_not_openapi_is_rejected() {
    let err = malformed("not-openapi.json").unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an OpenAPI 3 document: no `openapi` version string at the top level"
    );
    for (doc, message) in [
        (json!([1, 2]), "the top level is not a JSON object"),
        (
            json!({"openapi": "2.0"}),
            "`openapi` is \"2.0\"; only OpenAPI 3.x is supported",
        ),
        (json!({"openapi": "3.1.0"}), "no `info` object"),
        (json!({"openapi": "3.1.0", "info": {}}), "no `paths` object"),
        (
            json!({"openapi": "3.1.0", "info": {}, "paths": {"/invites/{code}": {}}, "components": 3}),
            "`components` is not an object",
        ),
    ] {
        let err = sync::extract_subset(&doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("not an OpenAPI 3 document: {message}")
        );
    }
}

#[test]
fn ref_cycle_is_rejected() {
    let err = malformed("ref-cycle.json").unwrap_err();
    assert!(matches!(err, SyncError::RefCycle { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "`$ref` cycle: #/components/schemas/InviteA -> #/components/schemas/InviteB -> #/components/schemas/InviteA"
    );
}

#[test]
fn recursion_through_properties_is_fine() {
    // ErrorDetails refers to itself through additionalProperties in the real spec.
    let pinned: Value = serde_json::from_str(&pinned_text()).unwrap();
    let details = &pinned["components"]["schemas"]["ErrorDetails"];
    assert!(details
        .to_string()
        .contains("#/components/schemas/ErrorDetails"));
    assert!(sync::extract_subset(&pinned).is_ok());
}

#[test]
fn dangling_ref_is_rejected() {
    let err = malformed("dangling-ref.json").unwrap_err();
    assert_eq!(
        err.to_string(),
        "dangling `$ref` \"#/components/schemas/InviteGuildResponse\" (in components.schemas.Invite): the spec is not self-contained"
    );
    let external = json!({"openapi": "3.1.0", "info": {}, "paths": {"/invites/{code}": {"get": {
        "responses": {"200": {"$ref": "other.json#/components/responses/Ok"}}}}}});
    let err = sync::extract_subset(&external).unwrap_err();
    assert!(matches!(err, SyncError::DanglingRef { .. }), "{err}");
    let missing_scheme = json!({"openapi": "3.1.0", "info": {}, "paths": {"/invites/{code}": {"get": {
        "security": [{"BotToken": []}], "responses": {}}}}});
    let err = sync::extract_subset(&missing_scheme).unwrap_err();
    assert!(
        err.to_string()
            .contains("#/components/securitySchemes/BotToken"),
        "{err}"
    );
}

/// Fuzz finding (`sync_reader`, 2026-12-04): a `$ref` inside a security scheme's body was
/// copied into the subset without being followed, so the subset was not self-contained.
#[test]
fn refs_inside_a_kept_security_scheme_are_followed() {
    let spec = |scheme: Value| {
        json!({"openapi": "3.1.0", "info": {}, "paths": {"/invites/{code}": {"get": {
            "security": [{"OAuth2": []}], "responses": {}}}},
            "components": {"securitySchemes": {"OAuth2": scheme},
                "schemas": {"Scopes": {"type": "object"}, "Unrelated": {"type": "string"}}}})
    };
    let with_ref = spec(json!({"type": "oauth2", "flows": {"implicit": {
        "x-scopes": {"$ref": "#/components/schemas/Scopes"}}}}));
    let subset = sync::extract_subset(&with_ref).unwrap();
    assert_eq!(
        subset["components"]["schemas"],
        json!({"Scopes": {"type": "object"}})
    );
    let dangling = spec(json!({"type": "oauth2", "flows": {"implicit": {
        "x-scopes": {"$ref": "#/components/schemas/Missing"}}}}));
    let err = sync::extract_subset(&dangling).unwrap_err();
    assert_eq!(
        err.to_string(),
        "dangling `$ref` \"#/components/schemas/Missing\" (in components.securitySchemes.OAuth2): the spec is not self-contained"
    );
}

#[test]
fn spec_without_invite_paths_is_rejected() {
    let err = malformed("no-invite-paths.json").unwrap_err();
    assert!(matches!(err, SyncError::NoInvitePaths), "{err}");
    assert!(
        err.to_string().starts_with("the spec has no invite paths"),
        "{err}"
    );
}

#[test]
fn deeply_nested_json_does_not_overflow() {
    // serde_json's recursion limit turns this into an error, not a stack overflow.
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[test]
fn extraction_never_panics_on_odd_documents() {
    let odd = [
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": 3}}),
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {"get": {"security": 3}, "post": {"security": [3, {"": 1}]}}}}),
        json!({"openapi": "3.0.0", "info": {"title": 5}, "paths": {"/invites": {"$ref": 7}}}),
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {"$ref": "#/components/"}}}),
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {"$ref": "#/components/schemas/a/b"}}}),
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {}}, "components": {"schemas": 4}}),
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {}}, "components": {"schemas": {"Invite": 4}}}),
        json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {"$ref": "#/components/schemas/A~1B"}},
            "components": {"schemas": {"A/B": {"$ref": "#/components/schemas/A~1B"}}}}),
    ];
    for doc in odd {
        match sync::extract_subset(&doc) {
            Ok(subset) => {
                let _ = sync::to_pinned_text(&subset);
                let _ = sync::diff(&subset, &doc).render_text();
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    // A self-referencing alias is a cycle, reported as such.
    let looped = json!({"openapi": "3.0.0", "info": {}, "paths": {"/invites": {"$ref": "#/components/schemas/A~1B"}},
        "components": {"schemas": {"A/B": {"$ref": "#/components/schemas/A~1B"}}}});
    assert!(matches!(
        sync::extract_subset(&looped),
        Err(SyncError::RefCycle { .. })
    ));
}

#[test]
fn report_labels_survive_odd_commits_and_dates() {
    let mut report = sync::diff(&json!({}), &json!({}));
    report.from.commit = Some("ééééééééé".into());
    report.from.date = Some("é".into());
    report.to.date = Some("2026-07-18T00:38:55Z".into());
    assert!(report
        .render_text()
        .starts_with("Schema change report: é (ééééééé) -> 2026-07-18\n"));
}

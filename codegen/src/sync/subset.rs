//! Step 1 of a sync: cutting the invite subset out of Discord's whole spec.
//!
//! The rule (also in `schema/SOURCE.md`): every path containing `invite` plus
//! `/guilds/{guild_id}/vanity-url`; every schema named `*Invite*`, `TargetUsersJobStatus*` or
//! `VanityURL*`; then the transitive closure of `$ref`s and the security schemes the operations
//! name. Component bodies are copied unchanged; only `info.title` gets a " - invite subset"
//! suffix and an `x-subset-of` note. Paths and every component map are sorted by name, so the
//! result does not depend on upstream's ordering.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::SyncError;

/// The suffix appended to `info.title`.
pub const TITLE_SUFFIX: &str = " - invite subset";
/// The value of `info.x-subset-of`.
pub const SUBSET_OF: &str = "discord/discord-api-spec specs/openapi.json";
/// The one path kept although its name lacks `invite`.
pub const VANITY_PATH: &str = "/guilds/{guild_id}/vanity-url";

/// The HTTP methods an OpenAPI path item can hold.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Whether a path belongs to the subset.
pub fn is_invite_path(path: &str) -> bool {
    path.contains("invite") || path == VANITY_PATH
}

/// Whether a component schema is kept by name (before the `$ref` closure).
pub fn is_invite_schema(name: &str) -> bool {
    name.contains("Invite")
        || name.starts_with("TargetUsersJobStatus")
        || name.starts_with("VanityURL")
}

/// Cuts the invite subset out of a whole Discord OpenAPI document.
///
/// The result is self-contained: every `$ref` in it resolves inside it. Running this on its own
/// output returns the same document (the title suffix is not added twice).
///
/// # Errors
/// [`SyncError::NotOpenApi`] if the document lacks `openapi`/`info`/`paths`,
/// [`SyncError::NoInvitePaths`] if no path matches, [`SyncError::DanglingRef`] for a `$ref`
/// that points nowhere, [`SyncError::RefCycle`] for a chain of `$ref`-only schemas that loops.
pub fn extract_subset(spec: &Value) -> Result<Value, SyncError> {
    let root = spec
        .as_object()
        .ok_or_else(|| SyncError::NotOpenApi("the top level is not a JSON object".into()))?;
    let version = root.get("openapi").and_then(Value::as_str).ok_or_else(|| {
        SyncError::NotOpenApi("no `openapi` version string at the top level".into())
    })?;
    if !version.starts_with('3') {
        return Err(SyncError::NotOpenApi(format!(
            "`openapi` is {version:?}; only OpenAPI 3.x is supported"
        )));
    }
    let info = root
        .get("info")
        .and_then(Value::as_object)
        .ok_or_else(|| SyncError::NotOpenApi("no `info` object".into()))?;
    let paths = root
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| SyncError::NotOpenApi("no `paths` object".into()))?;
    let empty = Map::new();
    let components = match root.get("components") {
        None => &empty,
        Some(c) => c
            .as_object()
            .ok_or_else(|| SyncError::NotOpenApi("`components` is not an object".into()))?,
    };

    // Paths, sorted.
    let kept: BTreeMap<&String, &Value> = paths.iter().filter(|(p, _)| is_invite_path(p)).collect();
    if kept.is_empty() {
        return Err(SyncError::NoInvitePaths);
    }

    // Roots of the closure: every $ref in the kept paths, plus the schemas kept by name.
    let mut pending: Vec<(String, String)> = Vec::new(); // (ref, where it was found)
    for (path, item) in &kept {
        collect_refs(item, &mut |r| {
            pending.push((r.to_owned(), format!("paths.{path}")))
        });
    }
    if let Some(schemas) = components.get("schemas").and_then(Value::as_object) {
        for name in schemas.keys().filter(|n| is_invite_schema(n)) {
            pending.push((format!("#/components/schemas/{name}"), String::new()));
        }
    }
    // Security schemes named by the kept operations (and a top-level `security`, if any):
    // roots of the closure too (a scheme's body may hold `$ref`s, followed like any other).
    let mut schemes: BTreeSet<String> = BTreeSet::new();
    let mut add_security = |sec: &Value| {
        for requirement in sec.as_array().into_iter().flatten() {
            for scheme in requirement.as_object().into_iter().flat_map(|o| o.keys()) {
                schemes.insert(scheme.clone());
            }
        }
    };
    if let Some(sec) = root.get("security") {
        add_security(sec);
    }
    for item in kept.values() {
        for method in METHODS {
            if let Some(sec) = item.get(method).and_then(|op| op.get("security")) {
                add_security(sec);
            }
        }
    }
    for scheme in &schemes {
        let escaped = scheme.replace('~', "~0").replace('/', "~1");
        pending.push((
            format!("#/components/securitySchemes/{escaped}"),
            "an operation's `security`".into(),
        ));
    }
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new(); // (kind, name)
    while let Some((reference, found_in)) = pending.pop() {
        let (kind, name) = parse_ref(&reference).ok_or_else(|| SyncError::DanglingRef {
            reference: reference.clone(),
            found_in: found_in.clone(),
        })?;
        if seen.contains(&(kind.clone(), name.clone())) {
            continue;
        }
        let body = components
            .get(&kind)
            .and_then(|m| m.get(&name))
            .ok_or_else(|| SyncError::DanglingRef {
                reference: reference.clone(),
                found_in: found_in.clone(),
            })?;
        let here = format!("components.{kind}.{name}");
        collect_refs(body, &mut |r| pending.push((r.to_owned(), here.clone())));
        seen.insert((kind, name));
    }

    detect_ref_cycles(components, &seen)?;

    // Assemble, keeping upstream's order of top-level and component kinds.
    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "openapi" | "servers" | "security" => {
                out.insert(key.clone(), value.clone());
            }
            "info" => {
                let mut info = info.clone();
                let title = info.get("title").and_then(Value::as_str).unwrap_or("");
                if !title.ends_with(TITLE_SUFFIX) {
                    let title = format!("{title}{TITLE_SUFFIX}");
                    info.insert("title".into(), Value::String(title));
                }
                info.insert("x-subset-of".into(), Value::String(SUBSET_OF.into()));
                out.insert(key.clone(), Value::Object(info));
            }
            "paths" => {
                let paths: Map<String, Value> = kept
                    .iter()
                    .map(|(k, v)| ((*k).clone(), (*v).clone()))
                    .collect();
                out.insert(key.clone(), Value::Object(paths));
            }
            "components" => {
                let mut comps = Map::new();
                for (kind, members) in components {
                    let Some(members) = members.as_object() else {
                        continue;
                    };
                    let picked: BTreeMap<&String, &Value> = members
                        .iter()
                        .filter(|(name, _)| seen.contains(&(kind.clone(), (*name).clone())))
                        .collect();
                    if !picked.is_empty() {
                        let m: Map<String, Value> = picked
                            .into_iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        comps.insert(kind.clone(), Value::Object(m));
                    }
                }
                out.insert(key.clone(), Value::Object(comps));
            }
            _ => {}
        }
    }
    Ok(Value::Object(out))
}

/// Calls `f` with every `$ref` string inside `v`.
pub(crate) fn collect_refs(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => f(r),
                    _ => collect_refs(x, f),
                }
            }
        }
        Value::Array(items) => {
            for x in items {
                collect_refs(x, f);
            }
        }
        _ => {}
    }
}

/// Splits `#/components/{kind}/{name}` (JSON-pointer escapes undone); `None` for any other form.
pub(crate) fn parse_ref(reference: &str) -> Option<(String, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, name) = rest.split_once('/')?;
    if kind.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    Some((unescape(kind), unescape(name)))
}

/// The target of a component that is nothing but a `$ref` (an alias), if it is one.
fn alias_target(body: &Value) -> Option<&str> {
    let map = body.as_object()?;
    const STRUCTURAL: [&str; 9] = [
        "type",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "const",
        "additionalProperties",
    ];
    if STRUCTURAL.iter().any(|k| map.contains_key(*k)) {
        return None;
    }
    map.get("$ref")?.as_str()
}

/// A component whose body is only a `$ref` to another such component, round and round, never
/// describes a value. Recursion *through* properties or items (a tree type) is fine.
fn detect_ref_cycles(
    components: &Map<String, Value>,
    seen: &BTreeSet<(String, String)>,
) -> Result<(), SyncError> {
    for (kind, name) in seen {
        let mut chain = vec![format!("#/components/{kind}/{name}")];
        let mut current = components.get(kind).and_then(|m| m.get(name));
        while let Some(target) = current.and_then(alias_target) {
            if chain.iter().any(|c| c == target) {
                chain.push(target.to_owned());
                return Err(SyncError::RefCycle { chain });
            }
            chain.push(target.to_owned());
            current = parse_ref(target).and_then(|(k, n)| components.get(&k)?.get(&n));
        }
    }
    Ok(())
}

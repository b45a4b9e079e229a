//! `--hold-new`: Discord's spec has gained fields and operations that were gone again a day
//! later. A field or operation that the pinned subset lacks is *new upstream*; with
//! `--hold-new` it is kept out of `schema/` (cut from the upstream spec before the subset is
//! taken) and written to `schema/sync-held.toml`. The next `--hold-new` sync admits what is
//! still there, holds what is new since, and drops what went away.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::report::{ChangeKind, HoldStatus, NewUpstream, Report};

/// The hold list's name inside the schema directory.
pub const HELD_FILE: &str = "sync-held.toml";

/// One held addition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Held {
    /// `Component.field` or `METHOD /path`.
    pub item: String,
    /// The sync that first saw it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    held: Vec<Held>,
}

/// Reads a hold list's text.
pub(crate) fn parse(text: &str) -> Result<Vec<Held>, String> {
    toml::from_str::<File>(text)
        .map(|f| f.held)
        .map_err(|e| e.to_string().trim().to_owned())
}

/// Writes a hold list.
pub(crate) fn render(held: &[Held]) -> String {
    let body = toml::to_string(&File {
        held: held.to_vec(),
    })
    .unwrap_or_default();
    format!(
        "# Written by `discord-invite schema sync --hold-new`: upstream additions kept out of\n\
         # openapi.json until a later sync still finds them (see docs/UPDATING.md). Not edited by hand.\n\n{body}"
    )
}

/// An addition `--hold-new` is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Candidate {
    /// A property added to a schema the pinned subset has.
    Field { schema: String, field: String },
    /// An operation the pinned subset lacks.
    Operation { method: String, path: String },
}

impl Candidate {
    /// How the hold list and the report name it.
    pub(crate) fn item(&self) -> String {
        match self {
            Candidate::Field { schema, field } => format!("{schema}.{field}"),
            Candidate::Operation { method, path } => format!("{} {path}", method.to_uppercase()),
        }
    }
}

/// The fields and operations a report adds.
pub(crate) fn candidates(report: &Report) -> Vec<Candidate> {
    let mut out = Vec::new();
    for op in &report.operations {
        if op
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::OperationAdded)
        {
            if let Some((method, path)) = op.operation.split_once(' ') {
                out.push(Candidate::Operation {
                    method: method.to_lowercase(),
                    path: path.to_owned(),
                });
            }
        }
    }
    for ty in &report.types {
        for c in ty
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::FieldAdded)
        {
            if let Some(field) = c.path.strip_prefix(&format!("{}.", ty.name)) {
                out.push(Candidate::Field {
                    schema: ty.name.clone(),
                    field: field.to_owned(),
                });
            }
        }
    }
    out
}

/// Marks the additions that are new upstream (not held by the previous sync) and returns the
/// fate of each item of the previous hold list.
pub(crate) fn mark(report: &mut Report, previous: &[Held]) -> Vec<NewUpstream> {
    let found: Vec<String> = candidates(report).iter().map(Candidate::item).collect();
    let was_held = |item: &str| previous.iter().any(|h| h.item == item);
    for op in &mut report.operations {
        let added = op
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::OperationAdded);
        let new = added && !was_held(&op.operation);
        for c in &mut op.changes {
            c.new_upstream = new && c.kind == ChangeKind::OperationAdded;
        }
    }
    for ty in &mut report.types {
        let prefix = format!("{}.", ty.name);
        for c in &mut ty.changes {
            c.new_upstream = c.kind == ChangeKind::FieldAdded
                && c.path.starts_with(&prefix)
                && !was_held(&c.path);
        }
    }
    previous
        .iter()
        .map(|h| NewUpstream {
            item: h.item.clone(),
            status: if found.contains(&h.item) {
                HoldStatus::Admitted
            } else {
                HoldStatus::Gone
            },
            first_seen: h.first_seen.clone(),
        })
        .collect()
}

/// Cuts held additions out of the whole upstream spec (before the subset is taken, so types only
/// they use drop out of the subset too).
pub(crate) fn strip(upstream: &mut Value, held: &[Candidate]) {
    for h in held {
        match h {
            Candidate::Field { schema, field } => {
                if let Some(s) =
                    upstream.pointer_mut(&format!("/components/schemas/{}", escape(schema)))
                {
                    strip_property(s, field);
                }
            }
            Candidate::Operation { method, path } => {
                let Some(paths) = upstream.get_mut("paths").and_then(Value::as_object_mut) else {
                    continue;
                };
                let empty = paths
                    .get_mut(path)
                    .and_then(Value::as_object_mut)
                    .is_some_and(|item| {
                        item.remove(method);
                        !item
                            .keys()
                            .any(|k| super::subset::METHODS.contains(&k.as_str()))
                    });
                if empty {
                    paths.remove(path);
                }
            }
        }
    }
}

/// Removes a property (and its `required` entry) from a schema and its inline `allOf` parts.
fn strip_property(schema: &mut Value, field: &str) {
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        props.remove(field);
    }
    if let Some(req) = schema.get_mut("required").and_then(Value::as_array_mut) {
        req.retain(|r| r.as_str() != Some(field));
    }
    if let Some(parts) = schema.get_mut("allOf").and_then(Value::as_array_mut) {
        for p in parts {
            strip_property(p, field);
        }
    }
}

/// JSON pointer escaping of one segment.
fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The hold list after this sync: what it held now, with when each was first seen.
pub(crate) fn held_now(held: &[Candidate], label: &str) -> Vec<Held> {
    held.iter()
        .map(|c| Held {
            item: c.item(),
            first_seen: Some(label.to_owned()),
        })
        .collect()
}

/// The report entries for what this sync holds back.
pub(crate) fn held_entries(held: &[Held]) -> Vec<NewUpstream> {
    held.iter()
        .map(|h| NewUpstream {
            item: h.item.clone(),
            status: HoldStatus::Held,
            first_seen: h.first_seen.clone(),
        })
        .collect()
}

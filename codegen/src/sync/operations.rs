//! Step 2 of a sync, the operations: parameters, request bodies and success responses of the
//! operations two subsets share, and the operations one of them lacks.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::diff::{diff_limits, req_word, with_null};
use super::report::{Change, ChangeKind, Class, OperationChanges};
use super::rules::Rule;
use super::shape::{self, resolve, type_expr};
use super::subset::{parse_ref, METHODS};

/// (method, path, operation, path item) for every operation, in path then method order.
pub(crate) fn operations(doc: &Value) -> Vec<(&'static str, &str, &Value, &Value)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method).filter(|op| op.is_object()) {
                    out.push((method, path.as_str(), op, item));
                }
            }
        }
    }
    out
}

pub(crate) fn op_title(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

/// The operation's name in paths and ignore files: its `operationId`, else `GET /path`.
pub(crate) fn op_key(method: &str, path: &str, op: &Value) -> String {
    op.get("operationId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| op_title(method, path))
}

pub(crate) fn diff_operations(old: &Value, new: &Value) -> Vec<OperationChanges> {
    let old_ops = operations(old);
    let new_ops = operations(new);
    let old_by_key: BTreeMap<String, _> =
        old_ops.iter().map(|o| (op_key(o.0, o.1, o.2), o)).collect();
    let new_keys: BTreeSet<String> = new_ops.iter().map(|o| op_key(o.0, o.1, o.2)).collect();

    // Ordered by the new spec's order, then removed ones in the old spec's order.
    let mut out: Vec<(String, OperationChanges)> = Vec::new();
    for (method, path, op, item) in &new_ops {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let key = op_key(method, path, op);
        let title = op_title(method, path);
        let mut changes = Vec::new();
        match old_by_key.get(&key) {
            None => changes.push(Change::new(
                Rule::OperationAdded,
                ChangeKind::OperationAdded,
                key.clone(),
                String::new(),
            )),
            Some((o_method, o_path, o_op, o_item)) => {
                if o_method != method || o_path != path {
                    let was = op_title(o_method, o_path);
                    changes.push(
                        Change::new(
                            Rule::OperationRouteChanged,
                            ChangeKind::RouteChanged,
                            key.clone(),
                            format!("route: {was} -> {title}"),
                        )
                        .values(Some(was.clone()), Some(title.clone())),
                    );
                }
                let sides = OpSides {
                    old_doc: old,
                    new_doc: new,
                    old: (o_op, o_item),
                    new: (op, item),
                };
                diff_operation(&key, &sides, &mut changes);
            }
        }
        if !changes.is_empty() {
            out.push((
                format!("{path}\u{0}{}", method_rank(method)),
                OperationChanges {
                    operation: title,
                    operation_id: id,
                    changes,
                },
            ));
        }
    }
    for (method, path, op, _) in &old_ops {
        let key = op_key(method, path, op);
        if !new_keys.contains(&key) {
            out.push((
                format!("{path}\u{0}{}", method_rank(method)),
                OperationChanges {
                    operation: op_title(method, path),
                    operation_id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    changes: vec![Change::new(
                        Rule::OperationRemoved,
                        ChangeKind::OperationRemoved,
                        key,
                        String::new(),
                    )],
                },
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, o)| o).collect()
}

fn method_rank(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| *m == method)
        .unwrap_or(METHODS.len())
}

#[derive(Debug, PartialEq)]
struct Param {
    required: bool,
    ty: String,
    nullable: bool,
    limits: BTreeMap<String, Value>,
}

/// Effective parameters: path-level ones overridden by operation-level ones, keyed by
/// (location, name).
fn params(doc: &Value, op: &Value, item: &Value) -> BTreeMap<(String, String), Param> {
    let mut out = BTreeMap::new();
    for list in [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
    {
        for p in list.as_array().into_iter().flatten() {
            let p = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => match resolve(doc, r) {
                    Some(p) => p,
                    None => continue,
                },
                None => p,
            };
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let schema = p.get("schema").cloned().unwrap_or(Value::Null);
            let (ty, nullable) = type_expr(&schema);
            out.insert(
                (location.to_owned(), name.to_owned()),
                Param {
                    required: p.get("required").and_then(Value::as_bool) == Some(true),
                    ty,
                    nullable,
                    limits: shape::limits(&schema),
                },
            );
        }
    }
    out
}

/// `content-type: type` lines of a request body or response (sorted), `None` if absent.
fn content_summary(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let mut parts: Vec<String> = content_types(v)
        .into_iter()
        .map(|(ct, ty)| format!("{ct}: {ty}"))
        .collect();
    parts.sort();
    if parts.is_empty() {
        Some("no content".into())
    } else {
        Some(parts.join(", "))
    }
}

/// Content type → type expression of a request body or response.
fn content_types(v: &Value) -> BTreeMap<String, String> {
    content_schemas(v)
        .into_iter()
        .map(|(ct, schema)| {
            let (ty, nullable) = schema.map(type_expr).unwrap_or(("any".into(), false));
            (ct, with_null(&ty, nullable))
        })
        .collect()
}

/// Content type → schema of a request body or response.
fn content_schemas(v: &Value) -> BTreeMap<String, Option<&Value>> {
    v.get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(ct, media)| (ct.clone(), media.get("schema")))
        .collect()
}

/// A schema that is a `oneOf`/`anyOf` of `$ref`s (and maybe `null`), at the top or as an
/// array's items: the schema with that list blanked out, and the referenced names. Two schemas
/// with the same blanked shape differ only in which models the union lists.
pub(crate) fn union_of_refs(schema: &Value) -> Option<(Value, BTreeSet<String>)> {
    fn find(v: &mut Value, depth: usize) -> Option<BTreeSet<String>> {
        let map = v.as_object_mut()?;
        for key in ["oneOf", "anyOf"] {
            let Some(alts) = map.get(key).and_then(Value::as_array) else {
                continue;
            };
            let mut refs = BTreeSet::new();
            let mut null = false;
            for a in alts {
                if a.get("type").and_then(Value::as_str) == Some("null") {
                    null = true;
                } else {
                    refs.insert(parse_ref(a.get("$ref")?.as_str()?)?.1);
                }
            }
            map.insert(key.into(), Value::String(format!("<union null={null}>")));
            return Some(refs);
        }
        if depth < 2 {
            return find(map.get_mut("items")?, depth + 1);
        }
        None
    }
    let mut skeleton = schema.clone();
    let refs = find(&mut skeleton, 0)?;
    (!refs.is_empty()).then_some((skeleton, refs))
}

/// Pushes one change per model added to or removed from a union; `false` when the two schemas
/// are not the same union shape (the caller then reports a type change).
fn diff_union(
    path: &str,
    what: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    rules: (Rule, Rule),
    changes: &mut Vec<Change>,
) -> bool {
    let (Some((sa, ra)), Some((sb, rb))) =
        (old.and_then(union_of_refs), new.and_then(union_of_refs))
    else {
        return false;
    };
    if sa != sb {
        return false;
    }
    // `old` and `new` carry the whole lists: the Rust view finds the union by them.
    let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" | ");
    let kind = if rules.0 == Rule::RequestBodyVariantAdded {
        ChangeKind::RequestBodyChanged
    } else {
        ChangeKind::ResponseChanged
    };
    for added in rb.difference(&ra) {
        changes.push(
            Change::new(
                rules.0,
                kind,
                format!("{path}.{added}"),
                format!("{what}: + {added}"),
            )
            .values(Some(list(&ra)), Some(list(&rb))),
        );
    }
    for removed in ra.difference(&rb) {
        changes.push(
            Change::new(
                rules.1,
                kind,
                format!("{path}.{removed}"),
                format!("{what}: - {removed}"),
            )
            .values(Some(list(&ra)), Some(list(&rb))),
        );
    }
    true
}

/// A new optional body is additive, a new required one breaking; a removed body or content
/// type, or a changed body type, is breaking; a new content type, or one more model in a JSON
/// body's `anyOf` (a variant of the `#[non_exhaustive]` body enum), is additive.
fn diff_request_body(
    key: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    changes: &mut Vec<Change>,
) {
    let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
    let path = format!("{key}.request_body");
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => {
            let req = required(b);
            let summary = content_summary(Some(b)).unwrap_or_default();
            let rule = if req {
                Rule::RequestBodyAddedRequired
            } else {
                Rule::RequestBodyAddedOptional
            };
            changes.push(
                Change::new(
                    rule,
                    ChangeKind::RequestBodyChanged,
                    path,
                    format!("request body added ({}): {summary}", req_word(req)),
                )
                .values(None, Some(summary)),
            );
        }
        (Some(a), None) => {
            let summary = content_summary(Some(a)).unwrap_or_default();
            changes.push(
                Change::new(
                    Rule::RequestBodyRemoved,
                    ChangeKind::RequestBodyChanged,
                    path,
                    format!("request body removed (was {summary})"),
                )
                .values(Some(summary), None),
            );
        }
        (Some(a), Some(b)) => {
            let (ca, cb) = (content_types(a), content_types(b));
            let (sa, sb) = (content_schemas(a), content_schemas(b));
            let keys: BTreeSet<&String> = ca.keys().chain(cb.keys()).collect();
            for ct in keys {
                let (rule, summary) = match (ca.get(ct), cb.get(ct)) {
                    (None, Some(t)) => (
                        Rule::RequestBodyMediaTypeAdded,
                        format!("request body: {ct} added: {t}"),
                    ),
                    (Some(t), None) => (
                        Rule::RequestBodyMediaTypeRemoved,
                        format!("request body: {ct} removed (was {t})"),
                    ),
                    (Some(x), Some(y)) if x != y => {
                        let unions = diff_union(
                            &path,
                            &format!("request body {ct}"),
                            sa.get(ct).copied().flatten(),
                            sb.get(ct).copied().flatten(),
                            (
                                Rule::RequestBodyVariantAdded,
                                Rule::RequestBodyVariantRemoved,
                            ),
                            changes,
                        );
                        if unions {
                            continue;
                        }
                        (
                            Rule::RequestBodyTypeChanged,
                            format!("request body: {ct}: {x} -> {y}"),
                        )
                    }
                    _ => continue,
                };
                changes.push(
                    Change::new(rule, ChangeKind::RequestBodyChanged, path.clone(), summary)
                        .values(ca.get(ct).cloned(), cb.get(ct).cloned()),
                );
            }
            if required(a) != required(b) {
                let (ra, rb) = (req_word(required(a)), req_word(required(b)));
                let mut change = Change::new(
                    if required(b) {
                        Rule::RequestBodyBecameRequired
                    } else {
                        Rule::RequestBodyBecameOptional
                    },
                    ChangeKind::RequestBodyChanged,
                    path.clone(),
                    format!("request body: {ra} -> {rb}"),
                )
                .values(Some(ra.into()), Some(rb.into()));
                // A JSON body is an optional setter in Rust whether the spec requires it or
                // not; only a multipart file is ever a required argument.
                if !required(b) && !cb.keys().any(|ct| ct.starts_with("multipart/")) {
                    change.class = Class::Patch;
                    change.note = Some("the builder's JSON body is optional either way".into());
                }
                changes.push(change);
            }
        }
    }
}

/// The success response: (status, content), the lowest 2xx.
fn success(op: &Value) -> Option<(&String, &Value)> {
    let responses = op.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .min_by(|a, b| a.0.cmp(b.0))
}

fn success_text(s: Option<(&String, &Value)>) -> Option<String> {
    let (status, resp) = s?;
    Some(format!("{status} {}", content_summary(Some(resp))?))
}

/// The success response: breaking when its status or type changes, except that a `oneOf` of
/// models gaining one is additive (the overlay union has an `Unknown` variant).
fn diff_response(key: &str, o_op: &Value, n_op: &Value, changes: &mut Vec<Change>) {
    let (a, b) = (success(o_op), success(n_op));
    let (ta, tb) = (success_text(a), success_text(b));
    if ta == tb {
        return;
    }
    let path = format!("{key}.response");
    if let (Some((status_a, ra)), Some((status_b, rb))) = (a, b) {
        let (sa, sb) = (content_schemas(ra), content_schemas(rb));
        if status_a == status_b && sa.keys().eq(sb.keys()) {
            let mut unions = Vec::new();
            let all_unions = sa.iter().all(|(ct, x)| {
                let y = sb.get(ct).copied().flatten();
                x.map(type_expr) == y.map(type_expr)
                    || diff_union(
                        &path,
                        &format!("response {ct}"),
                        *x,
                        y,
                        (
                            Rule::ResponseUnionVariantAdded,
                            Rule::ResponseUnionVariantRemoved,
                        ),
                        &mut unions,
                    )
            });
            if all_unions {
                // The same model under several content types counts once.
                for c in unions {
                    if !changes.iter().any(|x| x.path == c.path && x.rule == c.rule) {
                        changes.push(c);
                    }
                }
                return;
            }
        }
    }
    let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".into());
    changes.push(
        Change::new(
            Rule::ResponseTypeChanged,
            ChangeKind::ResponseChanged,
            path,
            format!("response: {} -> {}", show(&ta), show(&tb)),
        )
        .values(ta, tb),
    );
}

/// Both sides of an operation that exists in both versions.
struct OpSides<'a> {
    old_doc: &'a Value,
    new_doc: &'a Value,
    /// (operation, path item)
    old: (&'a Value, &'a Value),
    new: (&'a Value, &'a Value),
}

fn diff_operation(key: &str, sides: &OpSides<'_>, changes: &mut Vec<Change>) {
    let before = changes.len();
    let (o_op, o_item) = sides.old;
    let (n_op, n_item) = sides.new;
    let op_params = params(sides.old_doc, o_op, o_item);
    let np = params(sides.new_doc, n_op, n_item);
    let keys: BTreeSet<&(String, String)> = op_params.keys().chain(np.keys()).collect();
    for k in keys {
        let label = format!("{} parameter `{}`", k.0, k.1);
        let path = format!("{key}.{}.{}", k.0, k.1);
        match (op_params.get(k), np.get(k)) {
            (None, Some(p)) => {
                let rule = if p.required {
                    Rule::RequestParameterAddedRequired
                } else {
                    Rule::RequestParameterAddedOptional
                };
                changes.push(
                    Change::new(
                        rule,
                        ChangeKind::ParameterAdded,
                        path,
                        format!(
                            "{label}: {} ({})",
                            with_null(&p.ty, p.nullable),
                            req_word(p.required)
                        ),
                    )
                    .values(None, Some(p.ty.clone())),
                );
            }
            (Some(p), None) => changes.push(
                Change::new(
                    Rule::RequestParameterRemoved,
                    ChangeKind::ParameterRemoved,
                    path,
                    format!("{label} removed"),
                )
                .values(Some(p.ty.clone()), None),
            ),
            (Some(a), Some(b)) => {
                let (ta, tb) = (with_null(&a.ty, a.nullable), with_null(&b.ty, b.nullable));
                let same_type = ta == tb;
                if !same_type {
                    changes.push(
                        Change::new(
                            Rule::RequestParameterTypeChanged,
                            ChangeKind::ParameterTypeChanged,
                            path.clone(),
                            format!("{label}: type {ta} -> {tb}"),
                        )
                        .values(Some(ta), Some(tb)),
                    );
                }
                if a.required != b.required {
                    let (ra, rb) = (req_word(a.required), req_word(b.required));
                    let rule = if b.required {
                        Rule::RequestParameterBecameRequired
                    } else {
                        Rule::RequestParameterBecameOptional
                    };
                    changes.push(
                        Change::new(
                            rule,
                            ChangeKind::ParameterRequiredChanged,
                            path.clone(),
                            format!("{label}: {ra} -> {rb}"),
                        )
                        .values(Some(ra.into()), Some(rb.into())),
                    );
                }
                // After a type change the old limits say nothing about the new type.
                if same_type {
                    diff_limits(&path, &label, &a.limits, &b.limits, true, changes);
                }
            }
            (None, None) => {}
        }
    }
    diff_request_body(
        key,
        o_op.get("requestBody"),
        n_op.get("requestBody"),
        changes,
    );
    diff_response(key, o_op, n_op, changes);
    if changes.len() == before
        && (o_op != n_op || o_item.get("parameters") != n_item.get("parameters"))
    {
        changes.push(Change::new(
            Rule::OperationAnnotationsChanged,
            ChangeKind::OtherChanged,
            key.to_owned(),
            "descriptions, error responses or security changed (method signature unchanged)".into(),
        ));
    }
}

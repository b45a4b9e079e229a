//! The walker: a parsed payload against a compiled spec schema, producing spec findings.

use std::fmt::Write as _;

use super::position::{key_eq, number_is_integer, push_escaped, Node, Value};
use super::spec::{ty, type_names, Format, Id, Lit, Spec};
use super::Code;

/// A finding before it has a line and column: offsets are relative to the parsed bytes.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub code: Code,
    pub pointer: String,
    pub offset: usize,
    pub message: String,
}

/// Fields Discord's docs call deprecated or legacy that the spec no longer lists, with why.
const LEGACY_FIELDS: &[(&str, &str)] = &[
    (
        "target_user_type",
        "legacy field: API v6/v7 name of `target_type`, removed in v8",
    ),
    (
        "stage_instance",
        "deprecated: the invite stage instance object is deprecated in Discord's docs",
    ),
];

/// How many alternatives the messages of a closed enum list before eliding.
const ENUM_LIST_MAX: usize = 8;

/// One step of the path to the node being checked; the pointer text is built only for a
/// finding.
#[derive(Debug, Clone, Copy)]
enum Seg<'n> {
    Key(&'n str),
    Index(usize),
}

pub(crate) struct Checker<'s, 'n> {
    spec: &'s Spec,
    pub out: Vec<RawFinding>,
    prefix: String,
    path: Vec<Seg<'n>>,
    /// Whether the document has repeated keys (only then are repeats skipped).
    pub duplicates: bool,
}

impl<'s, 'n> Checker<'s, 'n> {
    /// A checker whose pointers start with `prefix` (e.g. `/d` inside a gateway envelope).
    pub fn new(spec: &'s Spec, prefix: &str) -> Self {
        Checker {
            spec,
            out: Vec::new(),
            prefix: prefix.to_owned(),
            path: Vec::new(),
            duplicates: true,
        }
    }

    /// The pointer of the node being checked.
    pub fn pointer(&self) -> String {
        let mut p = self.prefix.clone();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    p.push('/');
                    push_escaped(&mut p, k);
                }
                Seg::Index(i) => {
                    let _ = write!(p, "/{i}");
                }
            }
        }
        p
    }

    /// Checks `node`, the member `token` of the current object, against schema `id`.
    pub fn check_member(&mut self, node: &'n Node<'_>, token: &'n str, id: Id) {
        self.path.push(Seg::Key(token));
        self.check(node, id, false, &[]);
        self.path.pop();
    }

    /// Reports a value of the wrong JSON type at the current pointer.
    pub fn wrong_type(&mut self, node: &Node<'_>, expected: &str) {
        let found = node.type_name();
        self.report(
            Code::WrongType,
            node.start,
            format!("expected {expected}, found {found}"),
        );
    }

    fn report(&mut self, code: Code, offset: usize, message: String) {
        self.out.push(RawFinding {
            code,
            pointer: self.pointer(),
            offset,
            message,
        });
    }

    /// Checks `node` against schema `id`. `siblings` are the schemas of the other variants of a
    /// union, whose fields on this object are reported as `wrong-variant-field`.
    pub fn check_root(&mut self, node: &'n Node<'_>, id: Id, siblings: &[Id]) {
        self.check(node, id, false, siblings);
    }

    fn check(&mut self, node: &'n Node<'_>, id: Id, optional: bool, siblings: &[Id]) {
        let spec = self.spec;
        let s = spec.schema(id);
        let found = type_bit(node);
        if s.types & found == 0 {
            let expected = match &s.name {
                Some(n) if s.types & ty::OBJECT != 0 => format!("{} ({n})", type_names(s.types)),
                _ => type_names(s.types),
            };
            if found == ty::NULL && optional {
                self.report(
                    Code::UnexpectedNull,
                    node.start,
                    format!(
                        "`null` where the spec allows the field to be absent but not null (expected {expected})"
                    ),
                );
            } else {
                self.report(
                    Code::WrongType,
                    node.start,
                    format!("expected {expected}, found {}", node.type_name()),
                );
            }
            return;
        }
        if found == ty::NULL {
            return;
        }
        if !s.alternatives.is_empty() {
            self.alternatives(node, &s.alternatives);
        }
        for (name, values) in &s.enums {
            if let Some(msg) = enum_miss(node, name.as_deref().or(s.name.as_deref()), values) {
                self.report(Code::UnknownEnumValue, node.start, msg);
                break;
            }
        }
        match &node.value {
            Value::Number(raw) => self.number(node, raw, s.minimum, s.maximum, s.format),
            Value::String(text) => match s.format {
                Some(Format::DateTime) if !is_rfc3339(text) => self.report(
                    Code::InvalidFormat,
                    node.start,
                    format!("`{text}` is not an RFC 3339 date-time"),
                ),
                Some(Format::Snowflake) if !is_snowflake(text) => self.report(
                    Code::InvalidFormat,
                    node.start,
                    format!("`{text}` is not a snowflake (decimal digits, no leading zero)"),
                ),
                _ => {}
            },
            Value::Array(items) => {
                if let Some(max) = s.max_items {
                    if items.len() > max {
                        self.report(
                            Code::OutOfRange,
                            node.start,
                            format!("{} items, the spec allows at most {max}", items.len()),
                        );
                    }
                }
                if s.unique_items {
                    self.unique(items);
                }
                if let Some(item) = s.items {
                    for (i, it) in items.iter().enumerate() {
                        self.path.push(Seg::Index(i));
                        self.check(it, item, false, &[]);
                        self.path.pop();
                    }
                }
            }
            Value::Object(members) => self.object(node, members, id, siblings),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn alternatives(&mut self, node: &'n Node<'_>, alts: &[Id]) {
        let found = type_bit(node);
        let fitting: Vec<Id> = alts
            .iter()
            .copied()
            .filter(|&a| self.spec.schema(a).types & found != 0)
            .collect();
        match fitting.as_slice() {
            [] => {}
            [one] => self.check(node, *one, false, &[]),
            many => {
                // Several alternatives of the same JSON type: keep the one that fits best.
                let mut best: Option<Vec<RawFinding>> = None;
                for &a in many {
                    let mut sub = Checker {
                        spec: self.spec,
                        out: Vec::new(),
                        prefix: self.prefix.clone(),
                        path: self.path.clone(),
                        duplicates: self.duplicates,
                    };
                    sub.check(node, a, false, &[]);
                    if best.as_ref().is_none_or(|b| sub.out.len() < b.len()) {
                        best = Some(sub.out);
                    }
                }
                self.out.extend(best.unwrap_or_default());
            }
        }
    }

    fn number(
        &mut self,
        node: &Node<'_>,
        raw: &str,
        min: Option<f64>,
        max: Option<f64>,
        format: Option<Format>,
    ) {
        let Ok(v) = raw.parse::<f64>() else {
            return;
        };
        let (min, max) = match format {
            Some(Format::Int32) => (
                Some(min.unwrap_or(f64::from(i32::MIN)).max(f64::from(i32::MIN))),
                Some(max.unwrap_or(f64::from(i32::MAX)).min(f64::from(i32::MAX))),
            ),
            _ => (min, max),
        };
        let below = min.is_some_and(|m| v < m);
        let above = max.is_some_and(|m| v > m);
        if below || above {
            let range = match (min, max) {
                (Some(a), Some(b)) => format!("{a}..={b}"),
                (Some(a), None) => format!(">= {a}"),
                (None, Some(b)) => format!("<= {b}"),
                (None, None) => String::new(),
            };
            let int32 = if format == Some(Format::Int32) {
                " (int32)"
            } else {
                ""
            };
            self.report(
                Code::OutOfRange,
                node.start,
                format!("{raw} is out of the spec's range {range}{int32}"),
            );
        }
    }

    fn unique(&mut self, items: &[Node<'_>]) {
        // Arrays in payloads are short (the spec caps role lists at 250); quadratic is fine up
        // to a bound, past it only neighbours are compared.
        let n = items.len();
        for i in 1..n {
            let lo = if n > 1000 { i - 1 } else { 0 };
            if let Some(j) = (lo..i).find(|&j| same(&items[j], &items[i])) {
                self.path.push(Seg::Index(i));
                self.report(
                    Code::DuplicateItem,
                    items[i].start,
                    format!("item {i} repeats item {j}; the spec requires unique items"),
                );
                self.path.pop();
            }
        }
    }

    fn object(
        &mut self,
        node: &Node<'_>,
        members: &'n [super::position::Member<'_>],
        id: Id,
        siblings: &[Id],
    ) {
        let spec = self.spec;
        let s = spec.schema(id);
        for (i, m) in members.iter().enumerate() {
            // A repeated key is reported as `duplicate-key`; check the first occurrence only.
            if self.duplicates && members[..i].iter().any(|p| key_eq(&p.key, &m.key)) {
                continue;
            }
            self.path.push(Seg::Key(&m.key));
            if let Some(&(_, pid)) = s.properties.iter().find(|(n, _)| key_eq(n, &m.key)) {
                if spec.schema(pid).deprecated {
                    self.report(
                        Code::DeprecatedField,
                        m.key_start,
                        format!("`{}` is deprecated in the spec", m.key),
                    );
                }
                let optional = !s.required.iter().any(|r| *r == m.key);
                self.check(&m.value, pid, optional, &[]);
            } else if let Some((_, why)) = LEGACY_FIELDS.iter().find(|(k, _)| *k == m.key) {
                self.report(
                    Code::DeprecatedField,
                    m.key_start,
                    format!("`{}`: {why}", m.key),
                );
            } else if let Some(Some(aid)) = s.additional {
                self.check(&m.value, aid, false, &[]);
            } else if s.free_form {
            } else if let Some(other) = siblings.iter().find_map(|&sid| {
                let sib = spec.schema(sid);
                sib.properties
                    .iter()
                    .any(|(n, _)| key_eq(n, &m.key))
                    .then(|| sib.name.clone().unwrap_or_default())
            }) {
                let here = s.name.clone().unwrap_or_default();
                self.report(
                    Code::WrongVariantField,
                    m.key_start,
                    format!(
                        "`{}` belongs to {other}, not to {here} (the invite's `type` picks the variant)",
                        m.key
                    ),
                );
            } else {
                let what = s.name.as_deref().unwrap_or("this object");
                self.report(
                    Code::UnknownField,
                    m.key_start,
                    format!("`{}` is not a field of {what} in the spec", m.key),
                );
            }
            self.path.pop();
        }
        for r in &s.required {
            if !members.iter().any(|m| key_eq(&m.key, r)) {
                let what = s.name.as_deref().unwrap_or("this object");
                let message = format!("`{r}` is required by {what} in the spec but absent");
                let mut pointer = self.pointer();
                pointer.push('/');
                push_escaped(&mut pointer, r);
                self.out.push(RawFinding {
                    code: Code::MissingRequired,
                    pointer,
                    offset: node.start,
                    message,
                });
            }
        }
    }
}

fn type_bit(node: &Node<'_>) -> u8 {
    match &node.value {
        Value::Null => ty::NULL,
        Value::Bool(_) => ty::BOOLEAN,
        Value::Number(raw) if number_is_integer(raw) => ty::INTEGER,
        Value::Number(_) => ty::NUMBER,
        Value::String(_) => ty::STRING,
        Value::Array(_) => ty::ARRAY,
        Value::Object(_) => ty::OBJECT,
    }
}

fn enum_miss(node: &Node<'_>, name: Option<&str>, values: &[Lit]) -> Option<String> {
    let (known, shown) = match &node.value {
        Value::Number(raw) => {
            let v = raw.parse::<i64>().ok();
            (
                values
                    .iter()
                    .any(|l| matches!(l, Lit::Int(i) if Some(*i) == v)),
                (*raw).to_owned(),
            )
        }
        Value::String(s) => (
            values.iter().any(|l| matches!(l, Lit::Str(x) if x == s)),
            format!("\"{s}\""),
        ),
        _ => return None,
    };
    if known {
        return None;
    }
    let mut sorted: Vec<&Lit> = values.iter().collect();
    sorted.sort_by(|a, b| match (a, b) {
        (Lit::Int(x), Lit::Int(y)) => x.cmp(y),
        (Lit::Str(x), Lit::Str(y)) => x.cmp(y),
        (Lit::Int(_), Lit::Str(_)) => std::cmp::Ordering::Less,
        (Lit::Str(_), Lit::Int(_)) => std::cmp::Ordering::Greater,
    });
    let mut list: Vec<String> = sorted
        .iter()
        .take(ENUM_LIST_MAX)
        .map(|l| match l {
            Lit::Int(i) => i.to_string(),
            Lit::Str(s) => format!("\"{s}\""),
        })
        .collect();
    if values.len() > ENUM_LIST_MAX {
        list.push(format!("… {} more", values.len() - ENUM_LIST_MAX));
    }
    let what = name.map_or_else(|| "allowed".to_owned(), |n| format!("known {n}"));
    Some(format!(
        "{shown} is not one of the spec's {what} values ({})",
        list.join(", ")
    ))
}

/// Structural equality of two JSON values (numbers by value).
fn same(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (&a.value, &b.value) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|m| {
                    y.iter()
                        .find(|n| n.key == m.key)
                        .is_some_and(|n| same(&m.value, &n.value))
                })
        }
        _ => false,
    }
}

fn is_snowflake(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b.iter().all(u8::is_ascii_digit) && (b[0] != b'0' || b.len() == 1)
}

fn is_rfc3339(s: &str) -> bool {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

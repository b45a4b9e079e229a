//! The walker: a parsed payload against a compiled spec schema, producing spec findings.

use super::position::{key_eq, number_is_integer, push_escaped, Node, Value};
use super::spec::{ty, type_names, Enum, Format, Id, Schema, Spec};
use std::fmt::Write as _;

use super::{unique, Code};

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

/// Whether a key is one of the legacy fields reported as `deprecated-field` wherever it is.
pub(crate) fn is_legacy_field(key: &str) -> bool {
    LEGACY_FIELDS.iter().any(|(k, _)| key_eq(k, key))
}

/// One step of the path to the node being checked; the pointer text is built only for a
/// finding.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'n> {
    Key(&'n str),
    Index(usize),
}

/// The JSON pointer of `path` under `prefix`.
pub(crate) fn pointer_of(prefix: &str, path: &[Seg<'_>]) -> String {
    let mut p = String::with_capacity(prefix.len() + pointer_len(path) + 8);
    p.push_str(prefix);
    push_pointer(&mut p, path);
    p
}

/// About how long `path`'s pointer is (exact unless a key needs escapes).
pub(crate) fn pointer_len(path: &[Seg<'_>]) -> usize {
    path.iter()
        .map(|seg| match seg {
            Seg::Key(k) => 1 + k.len(),
            Seg::Index(_) => 21,
        })
        .sum()
}

/// Appends the JSON pointer of `path`.
pub(crate) fn push_pointer(p: &mut String, path: &[Seg<'_>]) {
    for seg in path {
        match seg {
            Seg::Key(k) => {
                p.push('/');
                push_escaped(p, k);
            }
            Seg::Index(i) => {
                p.push('/');
                push_index(p, *i);
            }
        }
    }
}

/// Appends a decimal index without the formatting machinery.
fn push_index(out: &mut String, mut i: usize) {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    loop {
        n -= 1;
        digits[n] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    // ASCII digits: one copy (a `push` per digit checked the capacity each time).
    out.push_str(crate::ascii::ascii_str(&digits[n..]).unwrap_or_default());
}

/// A string node's text (`None` for other values).
fn node_str<'a>(node: &'a Node<'_>) -> Option<&'a str> {
    match &node.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// A scalar as the checks see it: a number's source text or a string's (unescaped) text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Number(&'a str),
    Str(&'a str),
}

/// The finding for a value whose JSON type the schema does not allow (`found` is its type
/// bit, `found_name` its name).
pub(crate) fn type_finding(
    s: &Schema,
    found: u8,
    found_name: &str,
    optional: bool,
) -> (Code, String) {
    let expected = match &s.name {
        Some(n) if s.types & ty::OBJECT != 0 => format!("{} ({n})", type_names(s.types)),
        _ => type_names(s.types),
    };
    if found == ty::NULL && optional {
        (
            Code::UnexpectedNull,
            format!(
                "`null` where the spec allows the field to be absent but not null (expected {expected})"
            ),
        )
    } else {
        (
            Code::WrongType,
            format!("expected {expected}, found {found_name}"),
        )
    }
}

/// A finding's message, written where the report keeps its text (a `String` of its own only
/// when asked for).
pub(crate) enum Message<'a> {
    Text(String),
    /// A value outside an enum: the value (quoted when a string), then the enum's suffix.
    Miss {
        shown: &'a str,
        quote: bool,
        suffix: &'a str,
    },
}

impl Message<'_> {
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Message::Text(t) => t.len(),
            Message::Miss { shown, suffix, .. } => shown.len() + 2 + suffix.len(),
        }
    }

    /// Appends it to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Message::Text(t) => out.push_str(t),
            Message::Miss {
                shown,
                quote,
                suffix,
            } => {
                if *quote {
                    out.push('"');
                    out.push_str(shown);
                    out.push('"');
                } else {
                    out.push_str(shown);
                }
                out.push_str(suffix);
            }
        }
    }

    /// As a `String`.
    pub fn into_string(self) -> String {
        match self {
            Message::Text(t) => t,
            miss => {
                let mut out = String::with_capacity(miss.len());
                miss.write(&mut out);
                out
            }
        }
    }
}

/// The enum, range and format findings of a scalar that has the right type, in report order.
pub(crate) fn scalar_findings<'a>(
    s: &'a Schema,
    value: Scalar<'a>,
    out: &mut dyn FnMut(Code, Message<'a>),
) {
    for e in &s.enums {
        if let Some(msg) = enum_miss(value, e) {
            out(Code::UnknownEnumValue, msg);
            break;
        }
    }
    let text = |t: String| Message::Text(t);
    match value {
        Scalar::Number(raw) => {
            if let Some(msg) = number_finding(raw, s.minimum, s.maximum, s.format) {
                out(Code::OutOfRange, text(msg));
            }
        }
        Scalar::Str(t) => match s.format {
            Some(Format::DateTime) if !is_rfc3339(t) => out(
                Code::InvalidFormat,
                text(match t.get(17..19) {
                    Some("60") => format!(
                        "`{t}` is not an RFC 3339 date-time: {}",
                        crate::timestamp::MISPLACED_LEAP_SECOND
                    ),
                    _ => format!("`{t}` is not an RFC 3339 date-time"),
                }),
            ),
            Some(Format::Snowflake) if !is_snowflake(t) => out(
                Code::InvalidFormat,
                text(format!(
                    "`{t}` is not a snowflake (decimal digits, no leading zero)"
                )),
            ),
            _ => {}
        },
    }
}

/// `Some((code, message))` for a member that is not a property of its object's schema
/// (`None`: checked against `additionalProperties`, or the object is free-form).
pub(crate) fn undeclared_member(
    spec: &Spec,
    s: &Schema,
    key: &str,
    siblings: &[Id],
) -> Option<(Code, String)> {
    let code = undeclared_member_code(spec, s, key, siblings)?;
    let mut message = String::new();
    undeclared_message_into(spec, s, key, siblings, code, &mut message);
    Some((code, message))
}

/// Whether [`undeclared_member`] reports `key` (not a property of `s`).
#[inline]
pub(crate) fn undeclared_is_reported(s: &Schema, key: &str) -> bool {
    !(matches!(s.additional, Some(Some(_))) || s.free_form) || is_legacy_field(key)
}

/// The code of [`undeclared_member`]'s finding, without its message.
pub(crate) fn undeclared_member_code(
    spec: &Spec,
    s: &Schema,
    key: &str,
    siblings: &[Id],
) -> Option<Code> {
    if LEGACY_FIELDS.iter().any(|(k, _)| key_eq(k, key)) {
        return Some(Code::DeprecatedField);
    }
    if matches!(s.additional, Some(Some(_))) || s.free_form {
        return None;
    }
    if siblings
        .iter()
        .any(|&sid| spec.schema(sid).property(key).is_some())
    {
        return Some(Code::WrongVariantField);
    }
    Some(Code::UnknownField)
}

/// The message of [`undeclared_member_code`]'s finding `code`, appended to `out`.
pub(crate) fn undeclared_message_into(
    spec: &Spec,
    s: &Schema,
    key: &str,
    siblings: &[Id],
    code: Code,
    out: &mut String,
) {
    match code {
        Code::DeprecatedField => {
            if let Some((_, why)) = LEGACY_FIELDS.iter().find(|(k, _)| key_eq(k, key)) {
                out.push('`');
                out.push_str(key);
                out.push_str("`: ");
                out.push_str(why);
            }
        }
        Code::WrongVariantField => {
            let other = siblings.iter().find_map(|&sid| {
                let sib = spec.schema(sid);
                sib.property(key)
                    .map(|_| sib.name.as_deref().unwrap_or_default())
            });
            let here = s.name.as_deref().unwrap_or_default();
            let _ = write!(
                out,
                "`{key}` belongs to {}, not to {here} (the invite's `type` picks the variant)",
                other.unwrap_or_default()
            );
        }
        _ => {
            // The most frequent finding of real traffic: no formatting machinery.
            out.push('`');
            out.push_str(key);
            out.push_str(&s.unknown_suffix);
        }
    }
}

/// The message of a deprecated property.
pub(crate) fn deprecated_message(key: &str) -> String {
    format!("`{key}` is deprecated in the spec")
}

/// The message of a required property that is absent.
pub(crate) fn missing_message(s: &Schema, name: &str) -> String {
    let what = s.name.as_deref().unwrap_or("this object");
    format!("`{name}` is required by {what} in the spec but absent")
}

/// The message of an item that repeats an earlier one where the spec wants unique items.
pub(crate) fn repeat_message(item: usize, first: usize) -> String {
    let mut out = String::with_capacity(64);
    push_repeat_message(&mut out, item, first);
    out
}

/// Appends [`repeat_message`]'s text (a finding per repeated item: no formatting machinery).
pub(crate) fn push_repeat_message(out: &mut String, item: usize, first: usize) {
    out.push_str("item ");
    push_index(out, item);
    out.push_str(" repeats item ");
    push_index(out, first);
    out.push_str("; the spec requires unique items");
}

/// The message of an array longer than the spec allows.
pub(crate) fn too_long_message(len: usize, max: usize) -> String {
    format!("{len} items, the spec allows at most {max}")
}

/// The index of the first property of `s` named `key`.
#[inline]
pub(crate) fn property_index(s: &Schema, key: &str) -> Option<usize> {
    s.property(key)
}

pub(crate) struct Checker<'s, 'n> {
    spec: &'s Spec,
    pub out: Vec<RawFinding>,
    prefix: String,
    path: Vec<Seg<'n>>,
    /// Whether the document has repeated keys (only then are repeats skipped).
    pub duplicates: bool,
    /// Members met that the schema declares: the evidence for the kind (see `guess`).
    pub matched: usize,
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
            matched: 0,
        }
    }

    /// The pointer of the node being checked.
    pub fn pointer(&self) -> String {
        pointer_of(&self.prefix, &self.path)
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
            let (code, message) = type_finding(s, found, node.type_name(), optional);
            self.report(code, node.start, message);
            return;
        }
        if found == ty::NULL {
            return;
        }
        if !s.alternatives.is_empty() {
            self.alternatives(node, &s.alternatives);
        }
        let scalar = match &node.value {
            Value::Number(raw) => Some(Scalar::Number(raw)),
            Value::String(text) => Some(Scalar::Str(text)),
            _ => None,
        };
        if let Some(value) = scalar {
            let start = node.start;
            scalar_findings(s, value, &mut |code, message| {
                self.report(code, start, message.into_string())
            });
        }
        match &node.value {
            Value::Array(items) => {
                if let Some(max) = s.max_items {
                    if items.len() > max {
                        self.report(
                            Code::OutOfRange,
                            node.start,
                            too_long_message(items.len(), max),
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
            _ => {}
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
                let mut best: Option<(Vec<RawFinding>, usize)> = None;
                for &a in many {
                    let mut sub = Checker {
                        spec: self.spec,
                        out: Vec::new(),
                        prefix: self.prefix.clone(),
                        path: self.path.clone(),
                        duplicates: self.duplicates,
                        matched: 0,
                    };
                    sub.check(node, a, false, &[]);
                    if best.as_ref().is_none_or(|b| sub.out.len() < b.0.len()) {
                        best = Some((sub.out, sub.matched));
                    }
                }
                if let Some((out, matched)) = best {
                    self.out.extend(out);
                    self.matched += matched;
                }
            }
        }
    }

    fn unique(&mut self, items: &[Node<'_>]) {
        // A scan for short arrays, a hash index for long ones (see `unique`).
        let mut seen = unique::Seen::default();
        for (i, item) in items.iter().enumerate() {
            let first = seen.first(
                i,
                |state, j| unique::node_hash(state, &items[j]),
                |j, k| unique::same(&items[j], &items[k]),
                |j, k| unique::str_below(node_str(&items[j]), node_str(&items[k])),
            );
            if let Some(j) = first {
                self.path.push(Seg::Index(i));
                self.report(Code::DuplicateItem, item.start, repeat_message(i, j));
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
        // The properties present, for the required ones below (one bit per property, as many
        // words as needed: no scan of the members per required name).
        let mut present = vec![0u64; s.properties.len().div_ceil(64)];
        for m in members {
            // A repeated key is reported as `duplicate-key`; check the first occurrence only.
            if self.duplicates && m.repeat {
                continue;
            }
            self.path.push(Seg::Key(&m.key));
            if let Some(pi) = property_index(s, &m.key) {
                self.matched += 1;
                present[pi / 64] |= 1 << (pi % 64);
                let p = s.property_info[pi];
                if p.deprecated {
                    self.report(
                        Code::DeprecatedField,
                        m.key_start,
                        deprecated_message(&m.key),
                    );
                }
                self.check(&m.value, p.id, !p.required, &[]);
            } else {
                match undeclared_member(spec, s, &m.key, siblings) {
                    Some((code, message)) => self.report(code, m.key_start, message),
                    None => {
                        if let Some(Some(aid)) = s.additional {
                            self.check(&m.value, aid, false, &[]);
                        }
                    }
                }
            }
            self.path.pop();
        }
        for (r, index) in s.required.iter().zip(&s.required_index) {
            let found = match index {
                Some(pi) => present[pi / 64] & (1 << (pi % 64)) != 0,
                // A required name that is not a property (the spec allows it): look for it.
                None => members.iter().any(|m| key_eq(&m.key, r)),
            };
            if !found {
                let mut pointer = self.pointer();
                pointer.push('/');
                push_escaped(&mut pointer, r);
                self.out.push(RawFinding {
                    code: Code::MissingRequired,
                    pointer,
                    offset: node.start,
                    message: missing_message(s, r),
                });
            }
        }
    }
}

pub(crate) fn type_bit(node: &Node<'_>) -> u8 {
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

fn enum_miss<'a>(value: Scalar<'a>, e: &'a Enum) -> Option<Message<'a>> {
    // Frequent in real traffic (feature names the spec lacks): no formatting machinery, and
    // no allocation on the fast path (the message is written into the report's text).
    let (quote, shown) = match value {
        Scalar::Number(raw) => {
            if small_int(raw)
                .or_else(|| raw.parse::<i64>().ok())
                .is_some_and(|v| e.has_int(v))
            {
                return None;
            }
            (false, raw)
        }
        Scalar::Str(text) => {
            if e.has_str(text) {
                return None;
            }
            (true, text)
        }
    };
    Some(Message::Miss {
        shown,
        quote,
        suffix: &e.miss_suffix,
    })
}

/// The finding of a number outside the spec's range (`int32` adds its own bounds).
fn number_finding(
    raw: &str,
    min: Option<f64>,
    max: Option<f64>,
    format: Option<Format>,
) -> Option<String> {
    if min.is_none() && max.is_none() {
        if format != Some(Format::Int32) {
            return None;
        }
        // At most nine digits: within int32 (|v| < 10^9 < 2^31), without parsing.
        if short_int(raw) {
            return None;
        }
    }
    let v = number_value(raw)?;
    let (min, max) = match format {
        Some(Format::Int32) => (
            Some(min.unwrap_or(f64::from(i32::MIN)).max(f64::from(i32::MIN))),
            Some(max.unwrap_or(f64::from(i32::MAX)).min(f64::from(i32::MAX))),
        ),
        _ => (min, max),
    };
    let below = min.is_some_and(|m| v < m);
    let above = max.is_some_and(|m| v > m);
    if !(below || above) {
        return None;
    }
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
    Some(format!("{raw} is out of the spec's range {range}{int32}"))
}

/// Whether a number's text is an integer of at most nine digits (so within `int32`).
#[inline]
pub(crate) fn short_int(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw).as_bytes();
    !digits.is_empty() && digits.len() <= 9 && digits.iter().all(u8::is_ascii_digit)
}

/// A non-negative integer of up to 18 digits without the general parser (`None` otherwise).
#[inline]
fn small_int(raw: &str) -> Option<i64> {
    let b = raw.as_bytes();
    if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
}

/// A JSON number's value; plain integers of up to 15 digits (exact in `f64`) skip the float
/// parser.
fn number_value(raw: &str) -> Option<f64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.len() <= 15 {
        if let Some(n) = small_int(digits) {
            return Some(if raw.starts_with('-') { -n } else { n } as f64);
        }
    }
    raw.parse::<f64>().ok()
}

pub(crate) fn is_snowflake(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && crate::snowflake::all_digits(b) && (b[0] != b'0' || b.len() == 1)
}

pub(crate) fn is_rfc3339(s: &str) -> bool {
    rfc3339_quick(s.as_bytes())
        || time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

/// `true` only for the everyday shape `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` with fields in range,
/// read directly by `Timestamp`'s own shortcut; anything else is left to the full parser. A
/// shortcut, never a verdict of its own: every string it accepts, the full parser accepts too
/// (tested).
pub(crate) fn rfc3339_quick(b: &[u8]) -> bool {
    crate::timestamp::parse_fast(b).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_snowflake_is_the_spec_pattern() {
        assert!(is_snowflake("1234567890123456789") && is_snowflake("0"));
        assert!(!is_snowflake("") && !is_snowflake("01") && !is_snowflake("12345678901234:"));
    }

    #[test]
    fn int32_bounds_with_and_without_the_shortcut() {
        let int32 = Some(Format::Int32);
        for ok in [
            "0",
            "-0",
            "7",
            "999999999",
            "-999999999",
            "2147483647",
            "-2147483648",
            "1.0",
        ] {
            assert_eq!(number_finding(ok, None, None, int32), None, "{ok}");
        }
        for out in [
            "2147483648",
            "-2147483649",
            "9999999999",
            "1e10",
            "-3000000000.0",
        ] {
            assert!(number_finding(out, None, None, int32).is_some(), "{out}");
        }
        // A stated range still applies to short numbers.
        assert!(number_finding("5", Some(10.0), None, int32).is_some());
        assert!(number_finding("-5", None, None, None).is_none());
    }

    #[test]
    fn the_date_time_shortcut_accepts_only_what_the_parser_accepts() {
        let full = |s: &str| {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
        };
        let mut cases = vec![
            "2026-11-26T12:00:00Z".to_owned(),
            "2026-11-26T12:00:00.123456+00:00".to_owned(),
            "2026-11-26T12:00:00-00:00".to_owned(),
            "2024-02-29T00:00:00Z".to_owned(),
            "2023-02-29T00:00:00Z".to_owned(),
            "1900-02-29T00:00:00Z".to_owned(),
            "2000-02-29T00:00:00Z".to_owned(),
            "2026-11-26T23:59:60Z".to_owned(),
            "2026-11-26T24:00:00Z".to_owned(),
            "2026-11-26 12:00:00Z".to_owned(),
            "2026-11-26t12:00:00z".to_owned(),
            "2026-11-26T12:00:00.Z".to_owned(),
            "2026-11-26T12:00:00.1234567890Z".to_owned(),
            "2026-11-26T12:00:00+24:00".to_owned(),
            "2026-11-26T12:00:00+23:59".to_owned(),
            "0000-01-01T00:00:00Z".to_owned(),
            "2026-13-01T00:00:00Z".to_owned(),
            "2026-00-01T00:00:00Z".to_owned(),
            "2026-04-31T00:00:00Z".to_owned(),
            "2026-11-26T12:00:00".to_owned(),
            "2026-11-26T12:00:00+0000".to_owned(),
        ];
        // Every month's last day and the day after, in a leap year and not.
        for year in [2023, 2024, 2100] {
            for month in 1..=12 {
                for day in 27..=32 {
                    cases.push(format!("{year}-{month:02}-{day:02}T01:02:03.5+05:30"));
                }
            }
        }
        for c in &cases {
            if rfc3339_quick(c.as_bytes()) {
                assert!(full(c), "the shortcut accepts {c:?}, the parser does not");
            }
            assert_eq!(is_rfc3339(c), full(c), "{c:?}");
        }
        assert!(rfc3339_quick(b"2026-11-26T12:00:00.123456+00:00"));
    }

    #[test]
    fn number_values_match_the_float_parser() {
        for raw in [
            "0",
            "-0",
            "7",
            "-12",
            "604800",
            "999999999999999",
            "-999999999999999",
            "9999999999999999",
            "1.5",
            "1e3",
            "-2.5E-3",
        ] {
            assert_eq!(number_value(raw), raw.parse::<f64>().ok(), "{raw}");
        }
    }

    #[test]
    fn indexes_print_in_decimal() {
        for i in [0usize, 7, 10, 99, 1234, usize::MAX] {
            let mut s = String::new();
            push_index(&mut s, i);
            assert_eq!(s, i.to_string());
        }
    }
}

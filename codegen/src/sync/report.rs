//! The change report: what changed between two invite subsets, each change classified for the
//! Rust API, rendered for a person (`render_text`) or a machine (serde JSON).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::overlay::Conflict;

/// How a change affects users of the generated Rust API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Nothing public changes shape (descriptions, annotations): a patch release.
    Patch,
    /// Something new, nothing that compiled or decoded before stops doing so: a minor release.
    Additive,
    /// A public type, field, variant or function signature changes or goes away: a major
    /// release.
    Breaking,
}

impl Class {
    /// `breaking`, `additive` or `patch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

/// The version bump a report calls for.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed.
    #[default]
    None,
    /// Only documentation or annotations changed.
    Patch,
    /// Additions only.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Bump {
    /// `NONE`, `PATCH`, `MINOR` or `MAJOR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "NONE",
            Bump::Patch => "PATCH",
            Bump::Minor => "MINOR",
            Bump::Major => "MAJOR",
        }
    }
}

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// Same `operationId`, different method or path.
    RouteChanged,
    /// A new path/query/header parameter.
    ParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// A parameter's type changed.
    ParameterTypeChanged,
    /// A parameter flipped between required and optional.
    ParameterRequiredChanged,
    /// The request body's presence or type changed.
    RequestBodyChanged,
    /// The success response's status or type changed.
    ResponseChanged,
    /// A new component schema.
    TypeAdded,
    /// A component schema is gone.
    TypeRemoved,
    /// A component schema changed kind (object, enum, alias, union).
    TypeKindChanged,
    /// A new property.
    FieldAdded,
    /// A property is gone.
    FieldRemoved,
    /// A property's type changed.
    FieldTypeChanged,
    /// A property flipped between required and optional.
    FieldRequiredChanged,
    /// A property flipped between nullable and not.
    FieldNullableChanged,
    /// A new enum value.
    EnumValueAdded,
    /// An enum value is gone.
    EnumValueRemoved,
    /// An enum value kept its value but changed its name (`title`).
    EnumValueRenamed,
    /// A limit (min/max, length, item count) was added, removed or changed.
    LimitChanged,
    /// Descriptions or other annotations changed; the Rust API keeps its shape.
    OtherChanged,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The kind.
    pub kind: ChangeKind,
    /// Breaking, additive or patch.
    pub class: Class,
    /// The line a person reads, without the group name: ``field `roles`: array<X> | null (optional)``.
    pub summary: String,
    /// The old value, where one applies (a type expression, `required`, a limit).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old: Option<String>,
    /// The new value, where one applies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub new: Option<String>,
}

impl Change {
    fn marker(&self) -> char {
        use ChangeKind::*;
        match self.kind {
            OperationAdded | ParameterAdded | TypeAdded | FieldAdded | EnumValueAdded => '+',
            OperationRemoved | ParameterRemoved | TypeRemoved | FieldRemoved | EnumValueRemoved => {
                '-'
            }
            _ => '~',
        }
    }
}

/// The changes to one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationChanges {
    /// `GET /invites/{code}`.
    pub operation: String,
    /// The `operationId` (the Rust method's source), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub operation_id: Option<String>,
    /// What changed.
    pub changes: Vec<Change>,
}

/// The changes to one component (schemas by name; other components as `kind/name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeChanges {
    /// The component name, e.g. `GuildInviteResponse` or `headers/X-RateLimit-Bucket`.
    pub name: String,
    /// What changed.
    pub changes: Vec<Change>,
}

/// Which spec version a side of the report is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionLabel {
    /// Upstream commit SHA, if known.
    pub commit: Option<String>,
    /// Upstream commit date, if known.
    pub date: Option<String>,
}

impl VersionLabel {
    fn render(&self, fallback: &str) -> String {
        let short: Option<String> = self.commit.as_deref().map(|c| c.chars().take(7).collect());
        let short = short.as_deref();
        match (self.date.as_deref(), short) {
            (Some(d), Some(c)) => format!("{} ({c})", day(d)),
            (Some(d), None) => day(d).to_owned(),
            (None, Some(c)) => c.to_owned(),
            (None, None) => fallback.to_owned(),
        }
    }
}

/// `2026-07-18` out of `2026-07-18T00:38:55Z`; anything else as given.
fn day(date: &str) -> &str {
    match date.get(..10) {
        Some(d) if date.len() > 10 && date[10..].starts_with('T') => d,
        _ => date,
    }
}

/// The whole change report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The pinned (old) version.
    pub from: VersionLabel,
    /// The new version.
    pub to: VersionLabel,
    /// The suggested bump (kept in the JSON for machines; [`Report::bump`] recomputes it).
    pub bump: Bump,
    /// Number of breaking changes.
    pub breaking: usize,
    /// Number of additive changes.
    pub additive: usize,
    /// Number of patch-level changes.
    pub patch: usize,
    /// Changes grouped by operation, in path then method order.
    pub operations: Vec<OperationChanges>,
    /// Changes grouped by type, in name order.
    pub types: Vec<TypeChanges>,
    /// Overlay entries that no longer match the new subset (filled in by [`super::run`]).
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
}

impl Report {
    /// Every change, operations first.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.operations
            .iter()
            .flat_map(|o| &o.changes)
            .chain(self.types.iter().flat_map(|t| &t.changes))
    }

    /// Whether the report lists no change at all.
    pub fn is_empty(&self) -> bool {
        self.changes().next().is_none()
    }

    /// The version bump the changes call for.
    pub fn bump(&self) -> Bump {
        match self.changes().map(|c| c.class).max() {
            None => Bump::None,
            Some(Class::Patch) => Bump::Patch,
            Some(Class::Additive) => Bump::Minor,
            Some(Class::Breaking) => Bump::Major,
        }
    }

    /// Recomputes the counters and the bump from the change lists.
    pub(crate) fn finish(&mut self) {
        let count = |class| self.changes().filter(|c| c.class == class).count();
        let (breaking, additive, patch) = (
            count(Class::Breaking),
            count(Class::Additive),
            count(Class::Patch),
        );
        (self.breaking, self.additive, self.patch) = (breaking, additive, patch);
        self.bump = self.bump();
    }

    /// The report as pretty JSON (the `--format json` output).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The report for a person: a header with the suggested bump, then operations and types,
    /// one change per line with its class in a right-hand column, then overlay conflicts.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Schema change report: {} -> {}",
            self.from.render("pinned"),
            self.to.render("new")
        );
        if self.is_empty() {
            let _ = writeln!(
                out,
                "No changes: the new subset is identical to the pinned one."
            );
        } else {
            let mut counts = vec![
                format!("{} breaking", self.breaking),
                format!("{} additive", self.additive),
            ];
            if self.patch > 0 {
                counts.push(format!("{} patch", self.patch));
            }
            let _ = writeln!(
                out,
                "Suggested version bump: {} ({})",
                self.bump().as_str(),
                counts.join(", ")
            );
        }

        // (indent, text, class) rows, then aligned.
        let mut rows: Vec<(String, Option<Class>)> = Vec::new();
        if !self.operations.is_empty() {
            rows.push((String::new(), None));
            rows.push(("Operations".into(), None));
            for op in &self.operations {
                let title = match &op.operation_id {
                    Some(id) => format!("{} ({id})", op.operation),
                    None => op.operation.clone(),
                };
                match op.changes.as_slice() {
                    [c] if matches!(
                        c.kind,
                        ChangeKind::OperationAdded | ChangeKind::OperationRemoved
                    ) =>
                    {
                        let text = if c.summary.is_empty() {
                            title
                        } else {
                            format!("{title}: {}", c.summary)
                        };
                        rows.push((format!("  {} {text}", c.marker()), Some(c.class)));
                    }
                    changes => {
                        rows.push((format!("  {title}"), None));
                        for c in changes {
                            rows.push((format!("    {} {}", c.marker(), c.summary), Some(c.class)));
                        }
                    }
                }
            }
        }
        if !self.types.is_empty() {
            rows.push((String::new(), None));
            rows.push(("Types".into(), None));
            for ty in &self.types {
                match ty.changes.as_slice() {
                    [c] if matches!(c.kind, ChangeKind::TypeAdded | ChangeKind::TypeRemoved) => {
                        rows.push((
                            format!("  {} {} ({})", c.marker(), ty.name, c.summary),
                            Some(c.class),
                        ));
                    }
                    changes => {
                        rows.push((format!("  {}", ty.name), None));
                        let mut i = 0;
                        while i < changes.len() {
                            let c = &changes[i];
                            // A field that flips both presence and nullability: one line.
                            let merged = changes.get(i + 1).and_then(|next| {
                                let field = c.summary.split_once(": ")?.0;
                                let rest = next.summary.strip_prefix(field)?.strip_prefix(": ")?;
                                (c.kind == ChangeKind::FieldRequiredChanged
                                    && next.kind == ChangeKind::FieldNullableChanged)
                                    .then(|| {
                                        // A trailing `[note]` on the first part goes last.
                                        let (first, note) = match c.summary.rsplit_once(" [") {
                                            Some((f, n)) if n.ends_with(']') => {
                                                (f, format!(" [{n}"))
                                            }
                                            _ => (c.summary.as_str(), String::new()),
                                        };
                                        (format!("{first}, {rest}{note}"), c.class.max(next.class))
                                    })
                            });
                            match merged {
                                Some((summary, class)) => {
                                    rows.push((format!("    ~ {summary}"), Some(class)));
                                    i += 2;
                                }
                                None => {
                                    rows.push((
                                        format!("    {} {}", c.marker(), c.summary),
                                        Some(c.class),
                                    ));
                                    i += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        let width = rows
            .iter()
            .filter(|(_, c)| c.is_some())
            .map(|(t, _)| t.chars().count())
            .filter(|w| *w <= 100)
            .max()
            .unwrap_or(0);
        for (text, class) in rows {
            match class {
                Some(class) => {
                    let pad = width.saturating_sub(text.chars().count()) + 2;
                    let _ = writeln!(out, "{text}{:pad$}{}", "", class.as_str());
                }
                None => {
                    let _ = writeln!(out, "{text}");
                }
            }
        }
        if !self.conflicts.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Overlay conflicts ({}): fix schema/overlay.toml or schema/docs.toml before building",
                self.conflicts.len()
            );
            for c in &self.conflicts {
                let _ = writeln!(out, "  ! {}: {}", c.entry, c.missing);
                let _ = writeln!(out, "    fix: {}", c.fix);
            }
        }
        out
    }
}

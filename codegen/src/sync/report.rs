//! The change report: what changed between two invite subsets, each change classified for the
//! Rust API, rendered for a person (`render_text`) or a machine (serde JSON).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::overlay::Conflict;
use super::rules::Rule;

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
    /// The rule that matched: a stable id such as `response-field-became-nullable`.
    pub rule: Rule,
    /// Breaking, additive or patch: the effect on this crate's Rust API.
    pub class: Class,
    /// Where in the spec: `GuildInviteResponse.roles`, `GuildFeatures.VERIFIED`,
    /// `invite_resolve.query.with_counts`, `create_channel_invite.request_body` (ignore files
    /// match it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The Rust item it concerns, e.g. `GuildInvite::roles` or `Client::invite_resolve`, when
    /// one is generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// Other Rust items that follow it, e.g. the accessor `Invite::roles` of a union variant's
    /// field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rust_also: Vec<String>,
    /// The line a person reads, without the group name: ``field `roles`: array<X> | null (optional)``.
    pub summary: String,
    /// The old value, where one applies (a type expression, `required`, a limit).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old: Option<String>,
    /// The new value, where one applies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub new: Option<String>,
    /// What the Rust view found, e.g. ``Rust type unchanged: `Option<Timestamp>` (overlay
    /// [lenient])``; it explains a class that differs from the rule's default.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
    /// An addition the pinned spec did not have and an earlier `--hold-new` sync did not hold
    /// back: upstream may still take it away again.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub new_upstream: bool,
}

impl Change {
    /// A change with the rule's default class and no Rust names yet.
    pub(crate) fn new(rule: Rule, kind: ChangeKind, path: String, summary: String) -> Change {
        Change {
            kind,
            rule,
            class: rule.default_class(),
            path,
            rust: None,
            rust_also: Vec::new(),
            summary,
            old: None,
            new: None,
            note: None,
            new_upstream: false,
        }
    }

    /// Sets the old and new values.
    pub(crate) fn values(mut self, old: Option<String>, new: Option<String>) -> Change {
        self.old = old;
        self.new = new;
        self
    }

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

    /// The summary with its markers: `[new-upstream]` and the Rust view's note.
    fn text(&self) -> String {
        let mut s = self.summary.clone();
        if self.new_upstream {
            s.push_str(" [new-upstream]");
        }
        if let Some(note) = &self.note {
            s.push_str(" [");
            s.push_str(note);
            s.push(']');
        }
        s
    }
}

/// A change that `sync-ignore.toml` silenced: listed, but not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ignored {
    /// The operation or type it belongs to (`GET /invites/{code}`, `GuildInviteResponse`).
    pub group: String,
    /// The change.
    pub change: Change,
    /// The ignore entry's reason.
    pub reason: String,
}

/// What `--hold-new` did with an upstream addition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HoldStatus {
    /// New in this spec: kept out of `schema/` until the next sync still finds it.
    Held,
    /// Held by the previous sync and still there: now written to `schema/`.
    Admitted,
    /// Held by the previous sync and gone again (it flapped): dropped from the hold list.
    Gone,
}

/// An upstream addition tracked by `--hold-new` (see [`HoldStatus`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUpstream {
    /// The field (`GuildInviteResponse.liveliness`) or operation (`GET /invites/{code}/x`).
    pub item: String,
    /// What happened to it in this sync.
    pub status: HoldStatus,
    /// The sync that first saw it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
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
    /// `2026-07-18 (74fda0f)`, or `fallback` when nothing is known.
    pub fn render(&self, fallback: &str) -> String {
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
    /// Number of breaking changes (ignored ones not counted).
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
    /// Overlay entries `--fix-overlay` deleted (or, with `--check`, would delete).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<Conflict>,
    /// Changes silenced by `sync-ignore.toml`: listed, not counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<Ignored>,
    /// Upstream additions that `--hold-new` held back, admitted or dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_upstream: Vec<NewUpstream>,
    /// Why the classes are the spec's, not the Rust view's, when the generator cannot build a
    /// side (e.g. `--format json` tools can then keep the larger bump).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_view: Option<String>,
}

/// Rows of the text report: (text, class, rule).
type Row = (String, Option<(Class, Rule)>);

impl Report {
    /// Every counted change, operations first.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.operations
            .iter()
            .flat_map(|o| &o.changes)
            .chain(self.types.iter().flat_map(|t| &t.changes))
    }

    /// Every counted change with the name of its group (operation or type).
    pub fn grouped(&self) -> impl Iterator<Item = (&str, &Change)> {
        self.operations
            .iter()
            .flat_map(|o| o.changes.iter().map(move |c| (o.operation.as_str(), c)))
            .chain(
                self.types
                    .iter()
                    .flat_map(|t| t.changes.iter().map(move |c| (t.name.as_str(), c))),
            )
    }

    /// Whether the report lists no change at all (ignored ones included).
    pub fn is_empty(&self) -> bool {
        self.changes().next().is_none() && self.ignored.is_empty()
    }

    /// The version bump the counted changes call for.
    pub fn bump(&self) -> Bump {
        match self.changes().map(|c| c.class).max() {
            None => Bump::None,
            Some(Class::Patch) => Bump::Patch,
            Some(Class::Additive) => Bump::Minor,
            Some(Class::Breaking) => Bump::Major,
        }
    }

    /// Whether a counted change is at least as severe as `level` (`--fail-on`).
    pub fn has_at_least(&self, level: Class) -> bool {
        self.changes().any(|c| c.class >= level)
    }

    /// Recomputes the counters and the bump from the change lists.
    pub(crate) fn finish(&mut self) {
        self.operations.retain(|o| !o.changes.is_empty());
        self.types.retain(|t| !t.changes.is_empty());
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

    fn counts(&self) -> String {
        let mut counts = vec![
            format!("{} breaking", self.breaking),
            format!("{} additive", self.additive),
        ];
        if self.patch > 0 {
            counts.push(format!("{} patch", self.patch));
        }
        if !self.ignored.is_empty() {
            counts.push(format!("{} ignored", self.ignored.len()));
        }
        counts.join(", ")
    }

    /// The report for a person: a header with the suggested bump, then operations and types,
    /// one change per line with its class and rule id in right-hand columns, then overlay
    /// conflicts, upstream additions held back, and ignored changes.
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
            let _ = writeln!(
                out,
                "Suggested version bump: {} ({})",
                self.bump().as_str(),
                self.counts()
            );
        }
        if let Some(why) = &self.rust_view {
            let _ = writeln!(
                out,
                "Rust view unavailable ({why}): classes are the spec's."
            );
        }

        let mut rows: Vec<Row> = Vec::new();
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
                            format!("{title}{}", c.text())
                        } else {
                            format!("{title}: {}", c.text())
                        };
                        rows.push((format!("  {} {text}", c.marker()), Some((c.class, c.rule))));
                    }
                    changes => {
                        rows.push((format!("  {title}"), None));
                        for c in changes {
                            rows.push((
                                format!("    {} {}", c.marker(), c.text()),
                                Some((c.class, c.rule)),
                            ));
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
                            format!(
                                "  {} {} ({})",
                                c.marker(),
                                type_title(&ty.name, c),
                                c.text()
                            ),
                            Some((c.class, c.rule)),
                        ));
                    }
                    changes => {
                        let title = changes
                            .first()
                            .map(|c| type_title(&ty.name, c))
                            .unwrap_or_else(|| ty.name.clone());
                        rows.push((format!("  {title}"), None));
                        for c in changes {
                            rows.push((
                                format!("    {} {}", c.marker(), c.text()),
                                Some((c.class, c.rule)),
                            ));
                        }
                    }
                }
            }
        }
        push_rows(&mut out, rows);
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
        if !self.fixed.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Overlay entries deleted by --fix-overlay ({})",
                self.fixed.len()
            );
            for c in &self.fixed {
                let _ = writeln!(out, "  - {}: {}", c.entry, c.missing);
            }
        }
        if !self.new_upstream.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "New upstream (--hold-new)");
            for n in &self.new_upstream {
                let _ = writeln!(out, "  {}", n.describe());
            }
        }
        if !self.ignored.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Ignored ({}, by sync-ignore.toml; not counted)",
                self.ignored.len()
            );
            let rows = self
                .ignored
                .iter()
                .map(|i| {
                    (
                        format!("  {}: {} (reason: {})", i.group, i.change.text(), i.reason),
                        Some((i.change.class, i.change.rule)),
                    )
                })
                .collect();
            push_rows(&mut out, rows);
        }
        out
    }

    /// The report for a pull request body (`--format markdown`): the summary and suggested
    /// bump, then breaking changes, additions, patch-level changes (folded), overlay entries
    /// that no longer match, upstream additions held back, ignored changes. Each change names
    /// the spec's item and the Rust item.
    pub fn render_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## Schema sync: {} → {}\n",
            self.from.render("pinned"),
            self.to.render("new")
        );
        if self.is_empty() {
            let _ = writeln!(
                out,
                "No changes: the new subset is identical to the pinned one."
            );
        } else {
            let _ = writeln!(
                out,
                "**Suggested version bump: {}** ({}).",
                self.bump().as_str(),
                self.counts()
            );
        }
        if let Some(why) = &self.rust_view {
            let _ = writeln!(
                out,
                "\n> Rust view unavailable ({}): the classes are the spec's.",
                md_escape(why)
            );
        }
        if !self.conflicts.is_empty() {
            let _ = writeln!(
                out,
                "\n> **{} overlay entr{} no longer match** the new schema: see below.",
                self.conflicts.len(),
                if self.conflicts.len() == 1 {
                    "y"
                } else {
                    "ies"
                }
            );
        }
        for (class, title) in [
            (Class::Breaking, "Breaking changes"),
            (Class::Additive, "Additions"),
        ] {
            let lines: Vec<String> = self
                .grouped()
                .filter(|(_, c)| c.class == class)
                .map(|(g, c)| md_line(g, c))
                .collect();
            if !lines.is_empty() {
                let _ = writeln!(out, "\n### {title} ({})\n", lines.len());
                for l in lines {
                    let _ = writeln!(out, "{l}");
                }
            }
        }
        let patch: Vec<String> = self
            .grouped()
            .filter(|(_, c)| c.class == Class::Patch)
            .map(|(g, c)| md_line(g, c))
            .collect();
        if !patch.is_empty() {
            let _ = writeln!(
                out,
                "\n<details><summary>Patch-level changes ({}): no Rust API change</summary>\n",
                patch.len()
            );
            for l in patch {
                let _ = writeln!(out, "{l}");
            }
            let _ = writeln!(out, "\n</details>");
        }
        if !self.conflicts.is_empty() {
            let _ = writeln!(
                out,
                "\n### Overlay entries that no longer match ({})\n",
                self.conflicts.len()
            );
            for c in &self.conflicts {
                let _ = writeln!(
                    out,
                    "- `{}`: {}. Fix: {}.",
                    c.entry,
                    md_escape(&c.missing),
                    md_escape(&c.fix)
                );
            }
        }
        if !self.fixed.is_empty() {
            let _ = writeln!(
                out,
                "\n### Overlay entries deleted by `--fix-overlay` ({})\n",
                self.fixed.len()
            );
            for c in &self.fixed {
                let _ = writeln!(out, "- `{}`: {}.", c.entry, md_escape(&c.missing));
            }
        }
        if !self.new_upstream.is_empty() {
            let _ = writeln!(out, "\n### New upstream (`--hold-new`)\n");
            for n in &self.new_upstream {
                let _ = writeln!(out, "- {}", md_escape(&n.describe()));
            }
        }
        if !self.ignored.is_empty() {
            let _ = writeln!(
                out,
                "\n### Ignored by `sync-ignore.toml` ({}, not counted)\n",
                self.ignored.len()
            );
            for i in &self.ignored {
                let _ = writeln!(
                    out,
                    "{} (reason: {})",
                    md_line(&i.group, &i.change),
                    md_escape(&i.reason)
                );
            }
        }
        out
    }
}

impl NewUpstream {
    fn describe(&self) -> String {
        let seen = self
            .first_seen
            .as_deref()
            .map(|s| format!(", first seen {s}"))
            .unwrap_or_default();
        match self.status {
            HoldStatus::Held => format!(
                "held back: {} (new upstream{seen}; written once a later sync still finds it)",
                self.item
            ),
            HoldStatus::Admitted => {
                format!(
                    "admitted: {} (held by the previous sync{seen}, still there)",
                    self.item
                )
            }
            HoldStatus::Gone => format!(
                "dropped: {} (held by the previous sync{seen}, gone again upstream)",
                self.item
            ),
        }
    }
}

/// `GuildInviteResponse (GuildInvite)`: the component and, when it differs, the Rust type.
fn type_title(name: &str, c: &Change) -> String {
    let rust = c.rust.as_deref().map(|r| r.split("::").next().unwrap_or(r));
    match rust {
        Some(r) if r != name => format!("{name} ({r})"),
        _ => name.to_owned(),
    }
}

/// Aligns the class and rule columns (rows wider than 100 characters are not padded for).
fn push_rows(out: &mut String, rows: Vec<Row>) {
    let width = rows
        .iter()
        .filter(|(_, c)| c.is_some())
        .map(|(t, _)| t.chars().count())
        .filter(|w| *w <= 100)
        .max()
        .unwrap_or(0);
    for (text, tag) in rows {
        match tag {
            Some((class, rule)) => {
                let pad = width.saturating_sub(text.chars().count()) + 2;
                let _ = writeln!(out, "{text}{:pad$}{:<8}  {rule}", "", class.as_str());
            }
            None => {
                let _ = writeln!(out, "{text}");
            }
        }
    }
}

/// One markdown list item: rule, spec item → Rust item, then the change.
fn md_line(group: &str, c: &Change) -> String {
    let spec = if c.path.is_empty() { group } else { &c.path };
    let mut line = format!("- `{}` `{}`", c.rule, spec);
    if let Some(r) = c.rust.as_deref().filter(|r| *r != spec) {
        let _ = write!(line, " → `{r}`");
    }
    let _ = write!(line, ": {}", md_escape(&c.summary));
    if c.new_upstream {
        line.push_str(" *(new upstream)*");
    }
    if let Some(note) = &c.note {
        let _ = write!(line, " — {}", md_escape(note));
    }
    line
}

/// Escapes what would turn into markdown markup, outside `code spans` (left as they are).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for ch in s.chars() {
        if ch == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(ch, '<' | '|' | '*' | '_' | '[' | ']') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

//! Checking a report's prediction against a public-API diff: the output of
//! `cargo semver-checks --release-type patch` between the crate before and after a sync (what
//! `scripts/sync-check` produces). The check fails when the tool needs a larger bump than the
//! report suggests, or finds a break in an item the report classified as additive or patch.
//!
//! One deviation from the tool, the project's struct-literal policy (docs/UPDATING.md): a new
//! field on a struct whose fields are all public is `constructible_struct_adds_field`, a major
//! change to the tool; we release an optional field as a minor change and build models with
//! `..Default::default()` or constructors. The check counts that lint as minor (and says so).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::report::{Bump, Class, Report};

/// Lints counted at another level than the tool's, and why.
pub const POLICY: &[(&str, Bump, &str)] = &[(
    "constructible_struct_adds_field",
    Bump::Minor,
    "a new optional field is a minor change by the struct-literal policy (docs/UPDATING.md)",
)];

/// One failed (or warned) lint of the tool's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The lint id, e.g. `struct_pub_field_missing`.
    pub lint: String,
    /// `true` for the tool's warnings (they need no bump).
    pub warning: bool,
    /// The level the tool gives the lint (from `cargo semver-checks --list`; major when not
    /// known).
    pub level: Bump,
    /// The level this check counts it at ([`POLICY`]).
    pub counted: Bump,
    /// The Rust items the tool names, normalised: `GuildInvite::roles`, `GuildFeature::Verified`.
    pub items: Vec<String>,
}

/// The tool's output, read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApiDiff {
    /// Every failure and warning.
    pub findings: Vec<Finding>,
    /// The tool's `Summary` line, when there is one.
    pub summary: Option<String>,
}

/// Reads `cargo semver-checks` output; `lints` is the output of `cargo semver-checks --list`
/// (the level of each lint).
pub fn parse_api_diff(output: &str, lints: Option<&str>) -> ApiDiff {
    let levels: BTreeMap<&str, Bump> = lints
        .unwrap_or("")
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (id, level) = (words.next()?, words.next()?);
            let level = match level {
                "major" => Bump::Major,
                "minor" => Bump::Minor,
                _ => return None,
            };
            Some((id, level))
        })
        .collect();
    let mut out = ApiDiff::default();
    let mut current: Option<Finding> = None;
    let mut in_items = false;
    for line in output.lines() {
        let t = line.trim();
        if let Some(rest) = t
            .strip_prefix("--- failure ")
            .map(|r| (r, false))
            .or_else(|| t.strip_prefix("--- warning ").map(|r| (r, true)))
        {
            out.findings.extend(current.take());
            let (rest, warning) = rest;
            let lint = rest.split(':').next().unwrap_or(rest).trim().to_owned();
            let level = levels.get(lint.as_str()).copied().unwrap_or(Bump::Major);
            let counted = POLICY
                .iter()
                .find(|(id, _, _)| *id == lint)
                .map_or(level, |(_, b, _)| *b);
            current = Some(Finding {
                lint,
                warning,
                level,
                counted,
                items: Vec::new(),
            });
            in_items = false;
        } else if t == "Failed in:" {
            in_items = true;
        } else if let Some(s) = t.strip_prefix("Summary ") {
            out.summary = Some(s.trim().to_owned());
            in_items = false;
        } else if t.is_empty() {
            in_items = false;
        } else if in_items {
            if let Some(f) = current.as_mut() {
                if let Some(item) = item_of(t) {
                    if !f.items.contains(&item) {
                        f.items.push(item);
                    }
                }
            }
        }
    }
    out.findings.extend(current);
    out
}

/// The Rust item a "Failed in" line names, as `Type` or `Type::member`.
///
/// The tool writes, for example, `field GuildInvite.roles in FILE:LINE`,
/// `field roles of struct GuildInvite, previously in FILE`, `variant GuildFeature::Verified,
/// previously in FILE`, `Invite::roles, previously in FILE`, `struct discord_invite::Nameplate,
/// previously in FILE`, `GuildFeature::GuestsEnabled moved from position 30 to 29, in FILE`.
pub fn item_of(line: &str) -> Option<String> {
    let head = [
        ", previously in ",
        " moved from ",
        " in /",
        " in file ",
        ", in ",
    ]
    .iter()
    .filter_map(|sep| line.find(sep))
    .min()
    .map_or(line, |i| &line[..i]);
    let words: Vec<&str> = head.split_whitespace().collect();
    let path = match words.as_slice() {
        ["field", name, "of", _, ty] => format!("{ty}::{name}"),
        ["field", dotted] => dotted.replacen('.', "::", 1),
        // `variant A::B`, `struct discord_invite::X`, `Client::m now takes 2 parameters ...`:
        // the first path.
        _ => words
            .iter()
            .find(|w| w.contains("::"))
            .or(words.last())
            .map(|w| w.trim_end_matches([',', '.', ':']).to_owned())?,
    };
    // Drop the crate and module prefix: `discord_invite::client::Client::x` -> `Client::x`.
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let start = segments
        .iter()
        .position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(segments.len().saturating_sub(1));
    let tail = segments.get(start..)?;
    (!tail.is_empty()).then(|| tail.join("::"))
}

/// One Rust item the tool breaks that the report classified as additive or patch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misclassified {
    /// The lint.
    pub lint: String,
    /// The Rust item.
    pub item: String,
    /// The report's rule and class for it.
    pub rule: String,
    /// The report's class.
    pub class: Class,
}

/// The outcome of [`check_prediction`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The report's suggested bump.
    pub predicted: Bump,
    /// The bump the tool's failures need, at the tool's own levels.
    pub measured_raw: Bump,
    /// The bump the tool's failures need under [`POLICY`].
    pub measured: Bump,
    /// Breaks in items the report classified as additive or patch.
    pub misclassified: Vec<Misclassified>,
    /// Items the tool breaks that no report line names (covered by the bump comparison only).
    pub unmatched: Vec<(String, String)>,
    /// Whether the prediction holds: `measured <= predicted` and nothing misclassified.
    pub ok: bool,
}

/// Compares a report with the API diff of the same sync.
pub fn check_prediction(report: &Report, diff: &ApiDiff) -> Verdict {
    let failures = diff.findings.iter().filter(|f| !f.warning);
    let measured_raw = failures
        .clone()
        .map(|f| f.level)
        .max()
        .unwrap_or(Bump::None);
    let measured = failures
        .clone()
        .map(|f| f.counted)
        .max()
        .unwrap_or(Bump::None);
    let mut misclassified = Vec::new();
    let mut unmatched = Vec::new();
    for f in failures.filter(|f| f.counted == Bump::Major) {
        for item in &f.items {
            let named: Vec<_> = report
                .changes()
                .filter(|c| c.rust.as_deref() == Some(item.as_str()) || c.rust_also.contains(item))
                .collect();
            if named.is_empty() {
                unmatched.push((f.lint.clone(), item.clone()));
            } else if named.iter().all(|c| c.class < Class::Breaking) {
                misclassified.push(Misclassified {
                    lint: f.lint.clone(),
                    item: item.clone(),
                    rule: named[0].rule.id().to_owned(),
                    class: named[0].class,
                });
            }
        }
    }
    let predicted = report.bump();
    Verdict {
        predicted,
        measured_raw,
        measured,
        ok: measured <= predicted && misclassified.is_empty(),
        misclassified,
        unmatched,
    }
}

impl Verdict {
    /// The verdict for a person.
    pub fn render_text(&self, diff: &ApiDiff) -> String {
        let mut out = String::new();
        let _ =
            writeln!(
            out,
            "API diff (cargo-semver-checks): needs {} (tool's levels: {}); report suggests {}: {}",
            self.measured.as_str(),
            self.measured_raw.as_str(),
            self.predicted.as_str(),
            if self.ok { "prediction holds" } else { "PREDICTION FAILS" }
        );
        for f in &diff.findings {
            let what = if f.warning { "warning" } else { "failure" };
            let policy = POLICY
                .iter()
                .find(|(id, _, _)| *id == f.lint && !f.warning)
                .map(|(_, b, why)| format!(", counted {} ({why})", b.as_str()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {what} {} ({}{policy}): {}",
                f.lint,
                f.level.as_str(),
                f.items.join(", ")
            );
        }
        for m in &self.misclassified {
            let _ = writeln!(
                out,
                "  ! {} breaks `{}`, which the report classified {} ({})",
                m.lint,
                m.item,
                m.class.as_str(),
                m.rule
            );
        }
        for (lint, item) in &self.unmatched {
            let _ = writeln!(
                out,
                "  ? {lint} breaks `{item}`, which no report line names (the bump comparison covers it)"
            );
        }
        if self.measured > self.predicted {
            let _ = writeln!(
                out,
                "  ! the API diff needs {}, more than the suggested {}",
                self.measured.as_str(),
                self.predicted.as_str()
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::item_of;

    #[test]
    fn items_of_failure_lines() {
        let cases = [
            ("field GuildInvite.zzz_new in /x/out/models.rs:1998", "GuildInvite::zzz_new"),
            (
                "field is_nickname_changeable of struct GuildInvite, previously in file /x/models.rs:2007",
                "GuildInvite::is_nickname_changeable",
            ),
            (
                "variant GuildFeature::OfficialGameGuild, previously in file /x/models.rs:1548",
                "GuildFeature::OfficialGameGuild",
            ),
            (
                "Invite::is_nickname_changeable, previously in file /x/models.rs:3731",
                "Invite::is_nickname_changeable",
            ),
            (
                "struct discord_invite::Nameplate, previously in file /x/models.rs:1",
                "Nameplate",
            ),
            (
                "discord_invite::client::Client::invite_resolve, previously in file /x/e.rs:1",
                "Client::invite_resolve",
            ),
            (
                "GuildFeature::GuestsEnabled moved from position 30 to 29, in /x/models.rs:1550",
                "GuildFeature::GuestsEnabled",
            ),
            (
                "discord_invite::client::Client::invite_resolve now takes 2 parameters instead of 1, in /x/e.rs:9",
                "Client::invite_resolve",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(item_of(line).as_deref(), Some(want), "{line}");
        }
    }
}

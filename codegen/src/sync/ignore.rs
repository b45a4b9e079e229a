//! `schema/sync-ignore.toml`: changes a maintainer has looked at and accepted, each named by
//! rule id and spec path, with a reason. The report lists them apart and does not count them
//! (neither in the bump nor for `--fail-on`).
//!
//! ```toml
//! [[ignore]]
//! rule = "response-field-became-required"
//! path = "GuildInviteResponse.guild"      # `*` matches any run of characters
//! reason = "decoded leniently by the overlay; accepted in the 2026-02 sync"
//! ```

use serde::Deserialize;

use super::report::{Change, Ignored, Report};
use super::rules::Rule;

/// The ignore file's name inside the schema directory.
pub const IGNORE_FILE: &str = "sync-ignore.toml";

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// A rule id, or `*` for any rule.
    pub rule: String,
    /// A spec path as the report shows it (`GuildInviteResponse.roles`,
    /// `invite_resolve.query.with_counts`); `*` matches any run of characters.
    pub path: String,
    /// Why the change is accepted (required: the report shows it).
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    ignore: Vec<IgnoreEntry>,
}

/// The entries of an ignore file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    /// The entries, in file order.
    pub entries: Vec<IgnoreEntry>,
}

impl IgnoreList {
    /// Reads an ignore file's text.
    ///
    /// # Errors
    /// A message naming the entry at fault: bad TOML, an unknown key, an unknown rule id, an
    /// empty path or reason.
    pub fn parse(text: &str) -> Result<IgnoreList, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string().trim().to_owned())?;
        for (i, e) in file.ignore.iter().enumerate() {
            let at = format!("[[ignore]] entry {} (rule = {:?})", i + 1, e.rule);
            if e.rule != "*" && Rule::from_id(&e.rule).is_none() {
                return Err(format!(
                    "{at}: unknown rule id; docs/UPDATING.md lists the rule ids"
                ));
            }
            if e.path.trim().is_empty() {
                return Err(format!("{at}: `path` is empty (use `*` for any path)"));
            }
            if e.reason.trim().is_empty() {
                return Err(format!(
                    "{at}: `reason` is empty: say why the change is accepted"
                ));
            }
        }
        Ok(IgnoreList {
            entries: file.ignore,
        })
    }

    /// The first entry that matches a change.
    pub fn matching(&self, change: &Change) -> Option<&IgnoreEntry> {
        self.entries
            .iter()
            .find(|e| (e.rule == "*" || e.rule == change.rule.id()) && glob(&e.path, &change.path))
    }

    /// Moves the matching changes of a report to [`Report::ignored`] and recounts.
    pub(crate) fn apply(&self, report: &mut Report) {
        if self.entries.is_empty() {
            return;
        }
        let mut ignored = Vec::new();
        for op in &mut report.operations {
            let group = op.operation.clone();
            self.take(&group, &mut op.changes, &mut ignored);
        }
        for ty in &mut report.types {
            let group = ty.name.clone();
            self.take(&group, &mut ty.changes, &mut ignored);
        }
        report.ignored.extend(ignored);
        report.finish();
    }

    fn take(&self, group: &str, changes: &mut Vec<Change>, out: &mut Vec<Ignored>) {
        let mut kept = Vec::with_capacity(changes.len());
        for c in changes.drain(..) {
            match self.matching(&c) {
                Some(e) => out.push(Ignored {
                    group: group.to_owned(),
                    reason: e.reason.clone(),
                    change: c,
                }),
                None => kept.push(c),
            }
        }
        *changes = kept;
    }
}

/// `*` matches any run of characters (`.` and `/` included); everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("A.b", "A.b"));
        assert!(!glob("A.b", "A.bc"));
        assert!(glob("*", ""));
        assert!(glob("A.*", "A.roles"));
        assert!(!glob("A.*", "B.roles"));
        assert!(glob("*.roles", "GuildInviteResponse.roles"));
        assert!(glob("G*Response.*s", "GuildInviteResponse.roles"));
        assert!(!glob("a*a", "a"));
        assert!(glob("a*a", "aa"));
    }
}

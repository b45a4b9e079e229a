//! `discord-invite schema sync`: bring a new upstream spec into `schema/`.
//!
//! The steps, in order: [`extract_subset`] cuts the invite subset out of Discord's whole spec;
//! [`diff_with_overlay`] compares it with the pinned `schema/openapi.json` and builds a
//! [`Report`] (every change under a stable [`Rule`], classified by its effect on the generated
//! Rust API, with `sync-ignore.toml`'s accepted changes set apart); with `--hold-new`,
//! additions new upstream are held back ([`HELD_FILE`]); [`run`] rewrites `schema/openapi.json`
//! and `schema/SOURCE.md` (each written to a temporary file in `schema/` and renamed, so a
//! failure never leaves a half-written file); [`overlay_conflicts`] checks `schema/overlay.toml`
//! and `schema/docs.toml` against the new subset, and [`fix_overlay`] deletes the entries that
//! only need deleting. [`check_prediction`] compares a report with the public-API diff of the
//! regenerated crate (`scripts/sync-check`).
//!
//! The whole procedure, the rules and how changes are classified are in `docs/UPDATING.md`.

#![warn(missing_docs)]

mod apidiff;
mod diff;
mod hold;
mod ignore;
mod operations;
mod overlay;
mod report;
mod rules;
mod rust;
mod sha256;
mod shape;
mod subset;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use apidiff::{
    check_prediction, item_of, parse_api_diff, ApiDiff, Finding, Misclassified, Verdict, POLICY,
};
pub use diff::diff;
pub use hold::HELD_FILE;
pub use ignore::{IgnoreEntry, IgnoreList, IGNORE_FILE};
pub use overlay::{fix_overlay, overlay_conflicts, Conflict, OverlayFix};
pub use report::{
    Bump, Change, ChangeKind, Class, HoldStatus, Ignored, NewUpstream, OperationChanges, Report,
    TypeChanges, VersionLabel,
};
pub use rules::Rule;
pub use sha256::sha256_hex;
pub use subset::{extract_subset, is_invite_path, is_invite_schema};

/// Why a sync failed. Nothing in `schema/` has been written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not JSON at all.
    #[error("{path} is not JSON: {source}")]
    NotJson {
        /// The file.
        path: PathBuf,
        /// Where the parser gave up.
        source: serde_json::Error,
    },
    /// The JSON is not an OpenAPI 3 document.
    #[error("not an OpenAPI 3 document: {0}")]
    NotOpenApi(String),
    /// The spec has no path containing `invite` (nor the vanity-URL path).
    #[error("the spec has no invite paths (no path contains `invite`, and there is no `/guilds/{{guild_id}}/vanity-url`): is this Discord's spec?")]
    NoInvitePaths,
    /// A `$ref` in the subset points at nothing.
    #[error("dangling `$ref` {reference:?} (in {found_in}): the spec is not self-contained")]
    DanglingRef {
        /// The reference.
        reference: String,
        /// Where it was found (`paths./invites/{code}`, `components.schemas.X`).
        found_in: String,
    },
    /// Components that are nothing but `$ref`s to each other, round and round.
    #[error("`$ref` cycle: {}", chain.join(" -> "))]
    RefCycle {
        /// The references in order, the first repeated at the end.
        chain: Vec<String>,
    },
    /// `sync-ignore.toml` or `sync-held.toml` is malformed.
    #[error("{path}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },
}

/// What [`run`] is asked to do.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The whole upstream spec (`specs/openapi.json` of `discord/discord-api-spec`), or a
    /// subset (a subset's subset is itself).
    pub from: PathBuf,
    /// The upstream commit SHA, recorded in `SOURCE.md`.
    pub commit: Option<String>,
    /// The upstream commit date, recorded in `SOURCE.md`.
    pub date: Option<String>,
    /// Only report; never write.
    pub check: bool,
    /// The schema directory (normally `schema/`): the pinned subset, `SOURCE.md`, the overlay
    /// of the old side, the hold list.
    pub schema_dir: PathBuf,
    /// Where the overlay (`overlay.toml`, `docs.toml`) and `sync-ignore.toml` for the new side
    /// are, when not in `schema_dir` (`scripts/sync-check` compares a base checkout's schema
    /// with the working tree's overlay).
    pub overlay_dir: Option<PathBuf>,
    /// An ignore file other than `<overlay dir>/sync-ignore.toml`.
    pub ignore: Option<PathBuf>,
    /// Keep additions that are new upstream out of `schema/` until a later sync still finds
    /// them.
    pub hold_new: bool,
    /// Delete the overlay and docs entries whose conflict is fixed by deleting them.
    pub fix_overlay: bool,
}

impl SyncOptions {
    /// Options for syncing `from` into `schema_dir`, everything else off.
    pub fn new(from: impl Into<PathBuf>, schema_dir: impl Into<PathBuf>) -> SyncOptions {
        SyncOptions {
            from: from.into(),
            commit: None,
            date: None,
            check: false,
            schema_dir: schema_dir.into(),
            overlay_dir: None,
            ignore: None,
            hold_new: false,
            fix_overlay: false,
        }
    }
}

/// What [`run`] did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The change report, overlay conflicts included.
    pub report: Report,
    /// Whether the new subset differs from the pinned one as JSON (formatting-only differences
    /// do not count, but are rewritten).
    pub changed: bool,
    /// Whether `schema/` was rewritten (false with `check`, or when nothing changed).
    pub written: bool,
}

/// The pinned subset's file name inside the schema directory.
pub const SUBSET_FILE: &str = "openapi.json";
/// The provenance file's name inside the schema directory.
pub const SOURCE_FILE: &str = "SOURCE.md";

/// The overlay texts of the two sides of a comparison (`overlay.toml`); `None` for no overlay.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overlays<'a> {
    /// The overlay that goes with the old (pinned) subset.
    pub old: Option<&'a str>,
    /// The overlay that goes with the new subset.
    pub new: Option<&'a str>,
}

/// Compares two subsets like [`diff`], then classifies each change by its effect on the Rust
/// API the generator makes of each side with its overlay, names the Rust items, and adds the
/// Rust changes that only the overlay explains. When the generator cannot build a side (an
/// overlay that needs a person's fix), the classes stay the spec's and
/// [`Report::rust_view`] says why.
pub fn diff_with_overlay(old: &Value, new: &Value, overlays: Overlays<'_>) -> Report {
    let mut report = diff(old, new);
    let roles = diff::Roles::of(old, new);
    let old_view = rust::RustView::build(old, overlays.old);
    let new_view = rust::RustView::build(new, overlays.new);
    rust::annotate(&mut report, &old_view, &new_view, &roles);
    report
}

/// Serializes a subset exactly as it is pinned: two-space indented JSON and a final newline.
pub fn to_pinned_text(subset: &Value) -> String {
    let mut text = serde_json::to_string_pretty(subset).unwrap_or_default();
    text.push('\n');
    text
}

fn read(path: &Path) -> Result<Vec<u8>, SyncError> {
    std::fs::read(path).map_err(|source| SyncError::Io {
        action: "read",
        path: path.to_owned(),
        source,
    })
}

/// A text file that may be absent.
fn read_optional(path: &Path) -> Result<Option<String>, SyncError> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SyncError::Io {
            action: "read",
            path: path.to_owned(),
            source,
        }),
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<Value, SyncError> {
    serde_json::from_slice(bytes).map_err(|source| SyncError::NotJson {
        path: path.to_owned(),
        source,
    })
}

/// Runs a sync: extract, compare, (unless `check`) rewrite, check the overlay.
///
/// # Errors
/// Any [`SyncError`]; in that case `schema/` is untouched.
pub fn run(options: SyncOptions) -> Result<Outcome, SyncError> {
    let upstream_bytes = read(&options.from)?;
    let mut upstream = parse(&options.from, &upstream_bytes)?;
    let full = extract_subset(&upstream)?;

    let dir = &options.schema_dir;
    let overlay_dir = options.overlay_dir.as_ref().unwrap_or(dir);
    let subset_path = dir.join(SUBSET_FILE);
    let source_path = dir.join(SOURCE_FILE);
    let held_path = dir.join(HELD_FILE);
    let (old, old_text) = match read_optional(&subset_path)? {
        Some(text) => (parse(&subset_path, text.as_bytes())?, text),
        None => (serde_json::json!({}), String::new()),
    };
    let old_source = read_optional(&source_path)?;
    let old_overlay = read_optional(&dir.join("overlay.toml"))?;
    let new_overlay = read_optional(&overlay_dir.join("overlay.toml"))?;
    let new_docs = read_optional(&overlay_dir.join("docs.toml"))?;
    let ignore_path = options
        .ignore
        .clone()
        .unwrap_or_else(|| overlay_dir.join(IGNORE_FILE));
    let ignore = match read_optional(&ignore_path)? {
        Some(text) => IgnoreList::parse(&text).map_err(|message| SyncError::Malformed {
            path: ignore_path.clone(),
            message,
        })?,
        None if options.ignore.is_some() => {
            return Err(SyncError::Io {
                action: "read",
                path: ignore_path,
                source: std::io::ErrorKind::NotFound.into(),
            })
        }
        None => IgnoreList::default(),
    };
    let old_held = read_optional(&held_path)?;
    let previous = match &old_held {
        Some(text) => hold::parse(text).map_err(|message| SyncError::Malformed {
            path: held_path.clone(),
            message,
        })?,
        None => Vec::new(),
    };

    let recorded = old_source
        .as_deref()
        .map(Provenance::parse)
        .unwrap_or_default();
    let upstream_sha = sha256_hex(&upstream_bytes);
    // Without --commit/--date, keep what SOURCE.md says only if it describes this very file.
    let same_file = recorded.upstream_sha.as_deref() == Some(upstream_sha.as_str());
    let commit = options
        .commit
        .clone()
        .or_else(|| same_file.then(|| recorded.commit.clone()).flatten());
    let date = options
        .date
        .clone()
        .or_else(|| same_file.then(|| recorded.date.clone()).flatten());
    let from = VersionLabel {
        commit: recorded.commit.clone(),
        date: recorded.date.clone(),
    };
    let to = VersionLabel {
        commit: commit.clone(),
        date: date.clone(),
    };

    let overlays = Overlays {
        old: old_overlay.as_deref(),
        new: new_overlay.as_deref(),
    };
    let mut report = diff_with_overlay(&old, &full, overlays);
    let mut fates = hold::mark(&mut report, &previous);
    let mut new = full;
    let mut held = Vec::new();
    if options.hold_new {
        let to_hold: Vec<hold::Candidate> = hold::candidates(&report)
            .into_iter()
            .filter(|c| !previous.iter().any(|h| h.item == c.item()))
            .collect();
        if !to_hold.is_empty() {
            hold::strip(&mut upstream, &to_hold);
            new = extract_subset(&upstream)?;
            report = diff_with_overlay(&old, &new, overlays);
            hold::mark(&mut report, &previous);
        }
        held = hold::held_now(&to_hold, &to.render("unknown"));
        fates.extend(hold::held_entries(&held));
    }
    report.new_upstream = fates;
    ignore.apply(&mut report);
    report.from = from;
    report.to = to;

    let new_text = to_pinned_text(&new);
    let provenance = Provenance {
        commit,
        date,
        upstream_sha: Some(upstream_sha),
        subset_sha: Some(sha256_hex(new_text.as_bytes())),
        licence: new
            .get("info")
            .and_then(|i| i.get("license"))
            .and_then(|l| l.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    };

    // The overlay check (and fix) against what is written.
    let mut overlay_writes: Vec<(PathBuf, String)> = Vec::new();
    if let Some(overlay_text) = &new_overlay {
        if options.fix_overlay {
            let fix = fix_overlay(&new, overlay_text, new_docs.as_deref());
            if &fix.overlay != overlay_text {
                overlay_writes.push((overlay_dir.join("overlay.toml"), fix.overlay.clone()));
            }
            if let (Some(d), Some(old_d)) = (&fix.docs, &new_docs) {
                if d != old_d {
                    overlay_writes.push((overlay_dir.join("docs.toml"), d.clone()));
                }
            }
            report.fixed = fix.fixed;
            report.conflicts = fix.left;
        } else {
            report.conflicts = overlay_conflicts(&new, overlay_text, new_docs.as_deref());
        }
    }

    // A change is a change of content; a pinned file that differs only in formatting (say, CRLF
    // line endings from a Windows checkout) is rewritten but does not fail `--check`.
    let changed = new != old;
    let new_source = provenance.render_into(old_source.as_deref());
    let new_held = (!held.is_empty()).then(|| hold::render(&held));
    let mut written = false;
    let rewrite = new_text != old_text
        || old_source.as_deref() != Some(new_source.as_str())
        || new_held != old_held
        || !overlay_writes.is_empty();
    if !options.check && rewrite {
        let mut files: Vec<(PathBuf, &[u8])> = vec![
            (subset_path, new_text.as_bytes()),
            (source_path, new_source.as_bytes()),
        ];
        if let Some(h) = &new_held {
            files.push((held_path.clone(), h.as_bytes()));
        }
        for (path, text) in &overlay_writes {
            files.push((path.clone(), text.as_bytes()));
        }
        write_atomically(&files)?;
        if new_held.is_none() && old_held.is_some() {
            std::fs::remove_file(&held_path).map_err(|source| SyncError::Io {
                action: "write",
                path: held_path,
                source,
            })?;
        }
        written = true;
    }
    Ok(Outcome {
        report,
        changed,
        written,
    })
}

/// Writes every file to a temporary sibling first, then renames them all into place. If any
/// temporary write fails, the temporaries are removed and no target is touched.
fn write_atomically(files: &[(PathBuf, &[u8])]) -> Result<(), SyncError> {
    let mut temps: Vec<(PathBuf, &PathBuf)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, &PathBuf)]| {
        for (t, _) in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (target, bytes) in files {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.sync-{}.tmp", std::process::id()));
        if let Err(source) = std::fs::write(&temp, bytes) {
            cleanup(&temps);
            let _ = std::fs::remove_file(&temp);
            return Err(SyncError::Io {
                action: "write",
                path: temp,
                source,
            });
        }
        temps.push((temp, target));
    }
    for (i, (temp, target)) in temps.iter().enumerate() {
        if let Err(source) = std::fs::rename(temp, target) {
            cleanup(&temps[i..]);
            return Err(SyncError::Io {
                action: "write",
                path: (*target).clone(),
                source,
            });
        }
    }
    Ok(())
}

/// The provenance lines of `schema/SOURCE.md`.
#[derive(Debug, Default, Clone, PartialEq)]
struct Provenance {
    commit: Option<String>,
    date: Option<String>,
    upstream_sha: Option<String>,
    subset_sha: Option<String>,
    licence: Option<String>,
}

const COMMIT: &str = "- Commit: ";
const DATE: &str = "- Commit date: ";
const LICENCE: &str = "- Licence: ";
const UPSTREAM_SHA: &str = "- SHA-256 of the whole upstream file: ";
const SUBSET_SHA: &str = "- SHA-256 of this subset: ";
const UNKNOWN: &str = "unknown (not given to `schema sync`)";

fn unquote(s: &str) -> Option<String> {
    let s = s.trim().trim_matches('`');
    (!s.is_empty() && !s.starts_with("unknown")).then(|| s.to_owned())
}

impl Provenance {
    fn parse(text: &str) -> Provenance {
        let mut p = Provenance::default();
        for line in text.lines() {
            if let Some(v) = line.strip_prefix(COMMIT) {
                p.commit = unquote(v);
            } else if let Some(v) = line.strip_prefix(DATE) {
                p.date = unquote(v);
            } else if let Some(v) = line.strip_prefix(UPSTREAM_SHA) {
                p.upstream_sha = unquote(v);
            } else if let Some(v) = line.strip_prefix(SUBSET_SHA) {
                p.subset_sha = unquote(v);
            }
        }
        p
    }

    fn lines(&self) -> [(&'static str, String); 5] {
        let code = |v: &Option<String>| match v {
            Some(v) => format!("`{v}`"),
            None => UNKNOWN.to_owned(),
        };
        [
            (COMMIT, code(&self.commit)),
            (
                DATE,
                self.date.clone().unwrap_or_else(|| UNKNOWN.to_owned()),
            ),
            (
                LICENCE,
                format!(
                    "{} (declared in the spec's `info.license`)",
                    self.licence.as_deref().unwrap_or("unknown")
                ),
            ),
            (UPSTREAM_SHA, code(&self.upstream_sha)),
            (SUBSET_SHA, code(&self.subset_sha)),
        ]
    }

    /// Rewrites the provenance lines of an existing SOURCE.md in place, or writes a fresh one.
    fn render_into(&self, existing: Option<&str>) -> String {
        let lines = self.lines();
        if let Some(text) = existing {
            if lines
                .iter()
                .all(|(prefix, _)| text.lines().any(|l| l.starts_with(prefix)))
            {
                let mut out = String::with_capacity(text.len());
                for line in text.split_inclusive('\n') {
                    let (body, nl) = match line.strip_suffix('\n') {
                        Some(b) => (b, "\n"),
                        None => (line, ""),
                    };
                    match lines.iter().find(|(prefix, _)| body.starts_with(prefix)) {
                        Some((prefix, value)) => {
                            out.push_str(prefix);
                            out.push_str(value);
                            out.push_str(nl);
                        }
                        None => out.push_str(line),
                    }
                }
                return out;
            }
        }
        let mut out = String::from(
            "# Where `schema/` comes from\n\n## openapi.json (upstream, pinned, never edited by hand)\n\n\
             The invite subset of Discord's own OpenAPI 3.1 description of its HTTP API.\n\n\
             - Repository: `discord/discord-api-spec`, file `specs/openapi.json`\n",
        );
        for (prefix, value) in lines {
            out.push_str(prefix);
            out.push_str(&value);
            out.push('\n');
        }
        out.push_str(
            "- Selection rule: every path containing `invite` plus `/guilds/{guild_id}/vanity-url`; every schema\n  \
             named `*Invite*`, `TargetUsersJobStatus*`, `VanityURL*`; then the transitive closure of `$ref`s\n  \
             and the security schemes the operations name. Component bodies are unchanged; only `info.title`\n  \
             gets a \" - invite subset\" suffix and an `x-subset-of` note.\n\n\
             `discord-invite schema sync --from openapi.json --commit SHA --date DATE` rewrites this file and\n\
             this section.\n",
        );
        if let Some(text) = existing {
            // Keep whatever else the old file said, below.
            if let Some(rest) = text.find("\n## overlay.toml").map(|i| &text[i..]) {
                out.push_str(rest);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Provenance;

    #[test]
    fn provenance_round_trips_in_place() {
        let text = "# T\n\n- Commit: `abc`\n- Commit date: 2020-01-01\n- Licence: MIT (declared in the spec's `info.license`)\n- SHA-256 of the whole upstream file: `11`\n- SHA-256 of this subset: `22`\nmore\n";
        let p = Provenance::parse(text);
        assert_eq!(p.commit.as_deref(), Some("abc"));
        assert_eq!(p.date.as_deref(), Some("2020-01-01"));
        let p = Provenance {
            licence: Some("MIT".into()),
            ..p
        };
        assert_eq!(p.render_into(Some(text)), text);
        let q = Provenance {
            commit: Some("def".into()),
            ..p
        };
        assert!(q.render_into(Some(text)).contains("- Commit: `def`\n"));
        assert!(q.render_into(None).contains("- Commit: `def`\n"));
    }
}

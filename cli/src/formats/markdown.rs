//! `--format markdown`: the run's summary, the files with findings and the most frequent
//! findings as tables, for a pull-request comment.

use std::fmt::Write as _;

use discord_invite::validate::input::FileFormat;
use discord_invite::validate::Severity;

use crate::output::{Counts, Repeats, Unseen};

/// Files listed at most (those with errors first, then with warnings).
const FILE_ROWS: usize = 30;
/// Distinct findings listed at most.
const FINDING_ROWS: usize = 20;

/// One file's counts.
pub struct FileRow {
    pub source: String,
    pub format: FileFormat,
    pub counts: Counts,
}

/// Text for a table cell: `|` and line breaks cannot be in one.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A code span for a table cell.
fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {} ``", cell(s))
    } else {
        format!("`{}`", cell(s))
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole report.
pub fn render(
    files: &[FileRow],
    total: &Counts,
    unseen: &Unseen,
    repeats: &Repeats,
    exit_code: u8,
) -> String {
    let mut s = String::from("## discord-invite validate\n\n");
    let verdict = match exit_code {
        0 => "passed",
        1 => "failed",
        _ => "could not read everything",
    };
    let _ = writeln!(
        s,
        "**{verdict}**: {}, {}, {} in {}, {}: {} valid, {} with warnings, {} with errors, {} skipped.",
        plural(total.errors, "error", "errors"),
        plural(total.warnings, "warning", "warnings"),
        plural(total.notes, "note", "notes"),
        plural(files.len() as u64, "file", "files"),
        plural(total.payloads, "payload", "payloads"),
        total.valid,
        total.warning,
        total.error,
        total.skipped,
    );
    if unseen.failed > 0 {
        let _ = writeln!(
            s,
            "\n{} could not be read (`io-error`).",
            plural(unseen.failed, "path", "paths")
        );
    }
    if unseen.empty_dirs > 0 {
        let _ = writeln!(
            s,
            "\n{} without a file read (`no-payload-file`).",
            plural(unseen.empty_dirs, "directory", "directories")
        );
    }
    if unseen.skipped_files + unseen.not_read > 0 {
        let _ = writeln!(
            s,
            "\n{} in directories not read for their name or type (`skipped-file`, `not-a-file`).",
            plural(unseen.skipped_files + unseen.not_read, "file", "files")
        );
    }

    let mut with_findings: Vec<&FileRow> = files
        .iter()
        .filter(|f| f.counts.errors + f.counts.warnings > 0)
        .collect();
    with_findings.sort_by_key(|f| std::cmp::Reverse((f.counts.error, f.counts.warning)));
    if !with_findings.is_empty() {
        s.push_str(
            "\n| file | shape | payloads | with errors | with warnings | errors | warnings |\n",
        );
        s.push_str("|---|---|--:|--:|--:|--:|--:|\n");
        for f in with_findings.iter().take(FILE_ROWS) {
            let c = &f.counts;
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                code(&f.source),
                f.format.as_str(),
                c.payloads,
                c.error,
                c.warning,
                c.errors,
                c.warnings
            );
        }
        if with_findings.len() > FILE_ROWS {
            let _ = writeln!(
                s,
                "\n… and {} more with findings.",
                plural((with_findings.len() - FILE_ROWS) as u64, "file", "files")
            );
        }
    }

    let rows = repeats.rows();
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| r.severity != Severity::Note)
        .collect();
    if !rows.is_empty() {
        s.push_str("\n### Most frequent findings\n\n");
        s.push_str("| count | severity | code | where | first at |\n");
        s.push_str("|--:|---|---|---|---|\n");
        for r in rows.iter().take(FINDING_ROWS) {
            let place = if r.pointer.is_empty() {
                "(the payload)".to_owned()
            } else {
                code(r.pointer)
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {place} | {} |",
                r.count,
                r.severity,
                code(r.code.as_str()),
                code(r.first)
            );
        }
        if rows.len() > FINDING_ROWS {
            let n: u64 = rows[FINDING_ROWS..].iter().map(|r| r.count).sum();
            let _ = writeln!(
                s,
                "\n… and {} more distinct findings ({}); `--format json` lists every one.",
                rows.len() - FINDING_ROWS,
                plural(n, "occurrence", "occurrences")
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_the_table_whole() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(code("/a|b"), "`/a\\|b`");
        assert_eq!(code("x`y"), "`` x`y ``");
    }
}

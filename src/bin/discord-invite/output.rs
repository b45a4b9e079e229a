//! Rendering records: human (rustc-style, colour on a TTY) and NDJSON.

use std::fmt::Write as _;

use discord_invite::validate::input::{Batch, FileFormat, Record};
use discord_invite::validate::{Code, Finding, Severity, Status};

/// How findings are printed.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub verbose: bool,
}

/// Widest source line shown around a caret, in characters.
const SNIPPET_WIDTH: usize = 100;

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.paint(code, s.as_str())
    }

    fn status(&self, s: Status) -> String {
        let code = match s {
            Status::Error => "1;31",
            Status::Warning => "1;33",
            Status::Valid => "1;32",
            Status::Skipped => "1;36",
        };
        self.paint(code, s.as_str())
    }
}

/// One record as an NDJSON line.
pub fn json(record: &Record) -> String {
    let mut line = serde_json::to_string(record)
        .unwrap_or_else(|e| format!("{{\"source\":null,\"error\":\"cannot encode record: {e}\"}}"));
    line.push('\n');
    line
}

/// One record for humans; empty for a valid payload without findings unless verbose.
/// `batch` gives the source lines for snippets (`None` for I/O failures).
pub fn human(style: &Style, record: &Record, batch: Option<(&Batch, usize)>) -> String {
    let r = &record.report;
    if !style.verbose
        && (r.findings.is_empty() && r.status == Status::Valid || is_not_invite(record))
    {
        return String::new();
    }
    let mut out = String::new();
    let what = match (r.kind, r.schema) {
        (Some(k), Some(s)) if !k.in_upstream_spec() => format!("{k} ({s}, from Discord's docs)"),
        (Some(k), Some(s)) => format!("{k} ({s})"),
        (Some(k), None) => k.to_string(),
        (None, _) => "payload".to_owned(),
    };
    let _ = writeln!(
        out,
        "{} {}: {what}: {}",
        style.paint("1;34", "==>"),
        where_(record),
        style.status(r.status)
    );
    for f in &r.findings {
        finding(style, &mut out, record, f, batch);
    }
    out
}

/// A payload skipped only because it is not invite-related (another gateway event): listed
/// with `-v` and in JSON, counted in the summaries.
fn is_not_invite(record: &Record) -> bool {
    record.report.status == Status::Skipped
        && record
            .report
            .findings
            .iter()
            .all(|f| f.code == Code::NotInvite)
}

fn where_(record: &Record) -> String {
    let loc = &record.location;
    if loc.har.is_some() {
        format!("{} {}", record.source, loc)
    } else {
        match (loc.index, loc.line) {
            (Some(i), Some(l)) => format!("{}:{l} [{i}]", record.source),
            (None, Some(l)) => format!("{}:{l}", record.source),
            _ => record.source.to_string(),
        }
    }
}

fn finding(
    style: &Style,
    out: &mut String,
    record: &Record,
    f: &Finding,
    batch: Option<(&Batch, usize)>,
) {
    let _ = writeln!(
        out,
        "{}{} {}",
        style.severity(f.severity),
        style.paint("1", &format!("[{}]:", f.code)),
        f.message
    );
    let pointer = if f.pointer.is_empty() {
        String::new()
    } else {
        format!(" at {}", f.pointer)
    };
    let arrow = style.paint("1;34", "-->");
    let (Some(line), Some(col)) = (f.line, f.column) else {
        let _ = writeln!(out, "  {arrow} {}{pointer}", record.source);
        return;
    };
    if record.location.har.is_some() {
        let _ = writeln!(
            out,
            "  {arrow} {} {}, body line {line}, column {col}{pointer}",
            record.source, record.location
        );
    } else {
        let _ = writeln!(out, "  {arrow} {}:{line}:{col}{pointer}", record.source);
    }
    let Some(text) = batch.and_then(|(b, i)| b.line_of(i, f)) else {
        return;
    };
    let (shown, caret) = window(&text, col);
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &gutter));
    let caret_line = format!("{}^", " ".repeat(caret));
    let caret_code = match f.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    };
    let _ = writeln!(out, "{pad} {bar} {}", style.paint(caret_code, &caret_line));
}

/// The part of a line to show around a 1-based character column, and the caret's 0-based
/// position within it. Tabs become spaces so the caret lines up.
fn window(text: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let at = column.saturating_sub(1).min(chars.len());
    if chars.len() <= SNIPPET_WIDTH {
        return (chars.into_iter().collect(), at);
    }
    let start = at.saturating_sub(SNIPPET_WIDTH / 3);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let mut s = String::new();
    let mut caret = at - start;
    if start > 0 {
        s.push('…');
        caret += 1;
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
        s.push('…');
    }
    (s, caret)
}

/// Counts for one file or the whole run.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub payloads: u64,
    pub valid: u64,
    pub warning: u64,
    pub error: u64,
    pub skipped: u64,
    pub not_invite: u64,
    pub errors: u64,
    pub warnings: u64,
    pub notes: u64,
}

impl Counts {
    pub fn add(&mut self, record: &Record) {
        let r = &record.report;
        self.payloads += 1;
        match r.status {
            Status::Valid => self.valid += 1,
            Status::Warning => self.warning += 1,
            Status::Error => self.error += 1,
            Status::Skipped => self.skipped += 1,
        }
        if is_not_invite(record) {
            self.not_invite += 1;
        }
        self.errors += r.count(Severity::Error) as u64;
        self.warnings += r.count(Severity::Warning) as u64;
        self.notes += r.count(Severity::Note) as u64;
    }

    pub fn merge(&mut self, o: &Counts) {
        self.payloads += o.payloads;
        self.valid += o.valid;
        self.warning += o.warning;
        self.error += o.error;
        self.skipped += o.skipped;
        self.not_invite += o.not_invite;
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.notes += o.notes;
    }

    fn describe(&self) -> String {
        let mut s = format!("{} payload{}", self.payloads, plural(self.payloads));
        let parts: Vec<String> = [
            (self.valid, "valid"),
            (self.warning, "with warnings"),
            (self.error, "with errors"),
            (self.skipped, "skipped"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !parts.is_empty() {
            s.push_str(": ");
            s.push_str(&parts.join(", "));
        }
        if self.not_invite > 0 {
            let _ = write!(
                s,
                " ({} not invite-related: listed with -v or --format json)",
                self.not_invite
            );
        }
        if self.errors + self.warnings + self.notes > 0 {
            let _ = write!(
                s,
                "; findings: {} error{}, {} warning{}, {} note{}",
                self.errors,
                plural(self.errors),
                self.warnings,
                plural(self.warnings),
                self.notes,
                plural(self.notes)
            );
        }
        s
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The summary line of one file.
pub fn file_summary(
    style: &Style,
    source: &str,
    format: FileFormat,
    c: &Counts,
    ignored: usize,
) -> String {
    let mut s = format!(
        "{} {source} ({}): {}",
        style.paint("1", "summary:"),
        format.as_str(),
        c.describe()
    );
    if ignored > 0 {
        let _ = write!(
            s,
            "; {ignored} HAR entr{} not invite-related, ignored",
            if ignored == 1 { "y" } else { "ies" }
        );
    }
    s.push('\n');
    s
}

/// The final line.
pub fn total(style: &Style, files: u64, c: &Counts, failed: u64) -> String {
    let mut s = format!(
        "{} {files} file{}, {}",
        style.paint("1", "total:"),
        plural(files),
        c.describe()
    );
    if failed > 0 {
        let _ = write!(
            s,
            "; {} unreadable path{}",
            style.paint("1;31", &failed.to_string()),
            plural(failed)
        );
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_the_caret_on_its_character() {
        assert_eq!(window("ab\tc", 4), ("ab c".to_owned(), 3));
        let long: String = "é".repeat(300);
        let (s, c) = window(&long, 200);
        assert_eq!(s.chars().nth(c), Some('é'));
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}

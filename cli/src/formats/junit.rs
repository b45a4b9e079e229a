//! `--format junit`: JUnit XML for CI dashboards. One test case per payload; a `<failure>`
//! per finding at error severity (and per warning with `--strict`), `<skipped>` for a payload
//! that was not validated, `<error>` for a path that could not be read. Each chunk of payloads
//! the workers validate is one `<testsuite>` named after its file (a small file is one suite;
//! a big one several, so that nothing waits for the end of a file).

use std::fmt::Write as _;

use discord_invite::validate::input::Location;
use discord_invite::validate::{Report, Severity, Status};

use super::{fails, place};

/// Text for an XML attribute or element: the five entities escaped, and the characters XML
/// 1.0 cannot hold at all (most control characters) replaced.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The document's head.
pub fn start(out: &mut String) {
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<testsuites name=\"discord-invite validate\">\n");
}

/// The document's end.
pub fn finish(out: &mut String) {
    out.push_str("</testsuites>\n");
}

/// The name of a payload's test case: where it is in its file.
fn case_name(location: &Location) -> String {
    match (&location.har, location.index, location.line) {
        (Some(h), _, _) => format!(
            "entry {} {} ({} {})",
            h.entry,
            h.part.as_str(),
            h.method,
            h.url
        ),
        (None, Some(i), _) => format!("[{i}]"),
        (None, None, Some(l)) => format!("line {l}"),
        (None, None, None) => "file".to_owned(),
    }
}

/// One test suite: the payloads of a chunk of `source`.
pub fn suite(out: &mut String, source: &str, payloads: &[(&Location, Report)], strict: bool) {
    let failures: usize = payloads
        .iter()
        .filter(|(_, r)| r.findings.iter().any(|f| fails(f.severity, strict)))
        .count();
    let skipped = payloads
        .iter()
        .filter(|(_, r)| r.status == Status::Skipped)
        .count();
    let name = escape(source);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        payloads.len()
    );
    for (location, report) in payloads {
        let _ = write!(
            out,
            "    <testcase classname=\"{name}\" name=\"{}\" file=\"{name}\"",
            escape(&case_name(location))
        );
        if let Some(line) = location.line {
            let _ = write!(out, " line=\"{line}\"");
        }
        let failing: Vec<_> = report
            .findings
            .iter()
            .filter(|f| fails(f.severity, strict))
            .collect();
        if failing.is_empty() && report.status != Status::Skipped {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for f in failing {
            let p = place(location, f);
            let at = match (p.line, p.column) {
                (Some(l), Some(c)) => format!("{source}:{l}:{c}"),
                (Some(l), None) => format!("{source}:{l}"),
                _ => source.to_owned(),
            };
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}[{}] at {}: {}</failure>",
                f.code,
                escape(&p.message),
                f.severity,
                f.code,
                escape(&at),
                escape(&p.message)
            );
        }
        if report.status == Status::Skipped {
            let why = report
                .findings
                .iter()
                .find(|f| f.severity == Severity::Note)
                .map_or("not validated", |f| f.message());
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(why));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

/// A suite for a path that was not read: one test case, in error for an `io-error`, failed
/// for a warning with `strict` (a directory without a file read), skipped otherwise.
pub fn unread(out: &mut String, source: &str, report: &Report, strict: bool) {
    let name = escape(source);
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let failures = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && strict)
        .count();
    let skipped = usize::from(errors + failures == 0);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{name}\" tests=\"1\" failures=\"{}\" errors=\"{errors}\" skipped=\"{skipped}\">",
        usize::from(failures > 0)
    );
    let _ = writeln!(
        out,
        "    <testcase classname=\"{name}\" name=\"read {name}\" file=\"{name}\">"
    );
    for f in &report.findings {
        let tag = match f.severity {
            Severity::Error => "error",
            Severity::Warning if strict => "failure",
            _ => continue,
        };
        let _ = writeln!(
            out,
            "      <{tag} type=\"{}\" message=\"{}\"/>",
            f.code,
            escape(f.message())
        );
    }
    if skipped == 1 {
        let why = report.findings.first().map_or("not read", |f| f.message());
        let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(why));
    }
    out.push_str("    </testcase>\n  </testsuite>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_xml_well_formed() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{1}y\u{FFFE}"), "x\u{FFFD}y\u{FFFD}");
        assert_eq!(escape("日本\t\n"), "日本\t\n");
    }
}

//! `--format github`: GitHub Actions workflow commands, one per finding
//! (`::error file=…,line=…,col=…,title=…::message`), which the runner turns into annotations
//! on the files; a plain summary line ends the run.

use std::fmt::Write as _;

use discord_invite::validate::input::Location;
use discord_invite::validate::{Report, Severity};

use super::place;

/// A command's data: `%`, CR and LF escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as data, and `:` and `,` too.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Appends a command per finding of `report`.
pub fn commands(out: &mut String, source: &str, location: &Location, report: &Report) {
    for f in &report.findings {
        let p = place(location, f);
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let _ = write!(out, "::{command} file={}", property(source));
        if let Some(line) = p.line {
            let _ = write!(out, ",line={line}");
            if let Some(column) = p.column {
                let _ = write!(out, ",col={column}");
            }
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            property(&format!("discord-invite {}", f.code)),
            data(&p.message)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(property("x:y,z"), "x%3Ay%2Cz");
    }
}

//! Output for the tools teams already use: SARIF 2.1.0 (code scanning, IDEs), JUnit XML (CI
//! dashboards), GitHub workflow commands (annotations) and Markdown (a PR comment).

pub mod github;
pub mod junit;
pub mod markdown;
pub mod sarif;

use discord_invite::validate::input::Location;
use discord_invite::validate::{Finding, Severity};

/// Where a finding is in its source file, as line-based tools can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The message with what the line and column cannot say (a HAR body's own position).
    pub message: String,
}

/// A HAR body's findings have positions inside the body (an escaped string in the HAR file):
/// they are placed on the entry's line, and the message says where in the body. An exchange
/// finding is placed where it is in the HAR file; other findings where they are.
pub fn place(location: &Location, f: &Finding) -> Place {
    let mut message = f.message().to_owned();
    match &location.har {
        Some(h) if !f.code.is_exchange() => {
            message.push_str(&format!(" (HAR entry {} {} body", h.entry, h.part.as_str()));
            if let (Some(l), Some(c)) = (f.line(), f.column()) {
                message.push_str(&format!(", line {l}, column {c}"));
            }
            if !f.pointer().is_empty() {
                message.push_str(&format!(", at {}", f.pointer()));
            }
            message.push(')');
            Place {
                line: location.line,
                column: None,
                message,
            }
        }
        _ => {
            if !f.pointer().is_empty() {
                message.push_str(&format!(" (at {})", f.pointer()));
            }
            Place {
                line: f.line().or(location.line),
                column: f.line().and(f.column()),
                message,
            }
        }
    }
}

/// Whether a finding fails the run's test case: errors, and with `--strict` warnings too.
pub fn fails(severity: Severity, strict: bool) -> bool {
    severity == Severity::Error || (strict && severity == Severity::Warning)
}

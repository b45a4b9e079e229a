//! The target-users CSV: a single column of user ids, one per line.
//!
//! Writing: one id per line, no header (the docs ask for "a single column of user IDs").
//! Uploading: the file is checked first ([`TargetUsers::check`]) with line-numbered problems,
//! in the form Discord's own 400 answer takes ([`TargetUsersFileError`], which also decodes
//! that answer).
//! Reading: Discord's answer starts with a header line (`user_id`; `Users` in older docs); any
//! first line that is not a snowflake is taken as the header. Blank lines, `\r\n`, a UTF-8 BOM,
//! quotes around the id and extra columns are tolerated; any other line that is not an id is
//! an error naming the line.

use std::fmt;

use super::{DiscordError, Error};
use crate::Snowflake;

/// The largest file checked as uploadable: Discord's default upload limit per file, 20 MiB
/// ("Uploading Files" in Discord's API reference; its target-users docs state no other limit).
pub const MAX_TARGET_USERS_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Header lines accepted on upload: the one Discord's own target-users files have (`user_id`),
/// and the one its older docs showed (`Users`); letter case and quotes do not matter.
const HEADERS: [&str; 2] = ["user_id", "users"];

/// At most this many problems are listed; the rest are only counted.
const MAX_PROBLEMS: usize = 100;

/// The users who may accept an invite, as the CSV file Discord expects in
/// `target_users_file`.
///
/// ```
/// use discord_invite::client::TargetUsers;
/// use discord_invite::Snowflake;
/// let users = TargetUsers::from_ids([Snowflake::new(1), Snowflake::new(22), Snowflake::new(1)]);
/// assert_eq!(users.as_bytes(), b"1\n22\n"); // each id once
/// let raw = TargetUsers::from_csv(b"user_id\n1\n".to_vec()); // passed through unchanged
/// assert_eq!(raw.as_bytes(), b"user_id\n1\n");
/// assert_eq!(raw.check().unwrap(), [Snowflake::new(1)]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUsers {
    csv: Vec<u8>,
}

impl TargetUsers {
    /// Builds the CSV from ids, in the given order, each id once (Discord ignores repeats).
    pub fn from_ids<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Snowflake>,
    {
        let mut seen = std::collections::HashSet::new();
        let mut csv = Vec::new();
        for id in ids {
            let id = id.into();
            if seen.insert(id) {
                csv.extend_from_slice(id.to_string().as_bytes());
                csv.push(b'\n');
            }
        }
        TargetUsers { csv }
    }

    /// Uses CSV bytes as they are (e.g. a file exported elsewhere). They are checked before
    /// sending ([`Self::check`]) and sent unchanged.
    pub fn from_csv(bytes: impl Into<Vec<u8>>) -> Self {
        TargetUsers { csv: bytes.into() }
    }

    /// The CSV bytes that will be uploaded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.csv
    }

    /// The CSV bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.csv
    }

    /// Checks the file as the client does before uploading it, and returns its user ids (each
    /// once, in file order). What passes:
    ///
    /// - at most [`MAX_TARGET_USERS_FILE_BYTES`], UTF-8 (a BOM is allowed), `\n` or `\r\n`;
    /// - an optional header line first: `user_id` (or the older docs' `Users`);
    /// - then one user id per line (a snowflake, not 0), optionally in quotes; blank lines are
    ///   skipped. A repeated id is not a problem: Discord's docs say repeats are ignored.
    ///
    /// Every problem names its line (counted from 1, the header included), as Discord's 400
    /// answer does.
    ///
    /// ```
    /// use discord_invite::client::TargetUsers;
    /// let err = TargetUsers::from_csv("user_id\n1\nnope\n2,3\n").check().unwrap_err();
    /// let lines: Vec<_> = err.problems().iter().map(|p| p.line()).collect();
    /// assert_eq!(lines, [Some(3), Some(4)]);
    /// assert!(err.to_string().contains("line 3: `nope` is not a user id"), "{err}");
    /// ```
    pub fn check(&self) -> Result<Vec<Snowflake>, TargetUsersFileError> {
        let mut problems = Problems::default();
        if self.csv.len() > MAX_TARGET_USERS_FILE_BYTES {
            problems.push(
                None,
                format!(
                    "the file is {} bytes; Discord takes at most {MAX_TARGET_USERS_FILE_BYTES} bytes (20 MiB) per file",
                    self.csv.len()
                ),
            );
            return Err(problems.into_error());
        }
        let text = match std::str::from_utf8(&self.csv) {
            Ok(text) => text,
            Err(e) => {
                let line = line_of(&self.csv, e.valid_up_to());
                problems.push(Some(line), "the file is not UTF-8 text".into());
                return Err(problems.into_error());
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut ids = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut first = true;
        for (i, line) in text.split('\n').enumerate() {
            let line_no = i + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let columns = line.split(',').count();
            let cell = unquote(line);
            let header = first && HEADERS.iter().any(|h| cell.eq_ignore_ascii_case(h));
            first = false;
            if header {
                continue;
            }
            if columns > 1 {
                problems.push(
                    Some(line_no),
                    format!("one user id per line, found {columns} columns"),
                );
                continue;
            }
            match cell.parse::<Snowflake>() {
                Ok(id) if id.get() > 0 => {
                    if seen.insert(id) {
                        ids.push(id);
                    }
                }
                _ => problems.push(
                    Some(line_no),
                    format!(
                        "`{}` is not a user id (a Discord snowflake: digits, not 0)",
                        clip(cell)
                    ),
                ),
            }
        }
        if problems.total > 0 {
            return Err(problems.into_error());
        }
        Ok(ids)
    }

    /// [`Self::check`] as the client's argument check: nothing is sent when it fails.
    pub(crate) fn check_upload(&self) -> Result<(), Error> {
        self.check()
            .map(|_| ())
            .map_err(|e| Error::invalid_argument("target_users_file", e.to_string()))
    }
}

impl<T: Into<Snowflake>> FromIterator<T> for TargetUsers {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        TargetUsers::from_ids(iter)
    }
}

/// A cell without surrounding spaces and quotes.
fn unquote(cell: &str) -> &str {
    let cell = cell.trim();
    cell.strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or(cell)
        .trim()
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Default)]
struct Problems {
    list: Vec<FileProblem>,
    total: usize,
}

impl Problems {
    fn push(&mut self, line: Option<usize>, message: String) {
        self.total += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(FileProblem { line, message });
        }
    }

    fn into_error(self) -> TargetUsersFileError {
        TargetUsersFileError {
            problems: self.list,
            total: self.total,
        }
    }
}

/// What is wrong with a target-users CSV, line by line: found by [`TargetUsers::check`]
/// before uploading, or reported by Discord in its 400 answer to an upload
/// ([`DiscordError::target_users_file_error`]).
///
/// ```
/// use discord_invite::client::TargetUsersFileError;
/// let body = br#"{"target_users_file": ["Line 5: invalid user ID - must be a valid Discord snowflake"]}"#;
/// let err = TargetUsersFileError::from_body(body).unwrap();
/// assert_eq!(err.problems()[0].line(), Some(5));
/// assert_eq!(err.problems()[0].message(), "invalid user ID - must be a valid Discord snowflake");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUsersFileError {
    problems: Vec<FileProblem>,
    total: usize,
}

/// One problem of a target-users CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    line: Option<usize>,
    message: String,
}

impl FileProblem {
    /// The 1-based line, when the problem has one (not for the file's size, say).
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The reason, without the line.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Reads one of Discord's messages, `Line 5: invalid user ID…`.
    fn from_discord(text: &str) -> Self {
        let parsed = text
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("line "))
            .and_then(|_| text[5..].split_once(':'))
            .and_then(|(n, rest)| Some((n.trim().parse::<usize>().ok()?, rest.trim())));
        match parsed {
            Some((line, message)) => FileProblem {
                line: Some(line),
                message: message.to_owned(),
            },
            None => FileProblem {
                line: None,
                message: text.to_owned(),
            },
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl TargetUsersFileError {
    /// The problems, in file order (the first 100; [`Self::total`] counts them all).
    pub fn problems(&self) -> &[FileProblem] {
        &self.problems
    }

    /// How many problems were found.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Decodes Discord's 400 answer to a target-users upload: the bare field map of its docs,
    /// `{"target_users_file": ["Line 5: …", …]}`, or the usual invalid-form-body shape,
    /// `{"code": 50035, "errors": {"target_users_file": {"_errors": [{"message": …}]}}}`.
    /// `None` for any other body.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        use crate::Payload as _;
        let messages: Vec<String> = match crate::UpdateTargetUsersError::from_json_slice(body) {
            Ok(bare)
                if bare
                    .target_users_file
                    .as_ref()
                    .is_some_and(|m| !m.is_empty()) =>
            {
                let messages = bare.target_users_file.unwrap_or_default();
                messages.into_iter().map(String::from).collect()
            }
            _ => {
                let v: serde_json::Value = serde_json::from_slice(body).ok()?;
                v.pointer("/errors/target_users_file/_errors")?
                    .as_array()?
                    .iter()
                    .filter_map(|e| e.get("message")?.as_str().map(str::to_owned))
                    .collect()
            }
        };
        if messages.is_empty() {
            return None;
        }
        let problems: Vec<FileProblem> = messages
            .iter()
            .map(|m| FileProblem::from_discord(m))
            .collect();
        Some(TargetUsersFileError {
            total: problems.len(),
            problems,
        })
    }
}

impl fmt::Display for TargetUsersFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the target-users file has {} problem(s)", self.total)?;
        for (i, p) in self.problems.iter().take(5).enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            fmt::Display::fmt(p, f)?;
        }
        if self.total > 5 {
            write!(f, "; and {} more", self.total - 5)?;
        }
        Ok(())
    }
}

impl std::error::Error for TargetUsersFileError {}

impl DiscordError {
    /// The problems Discord found in an uploaded target-users CSV (its 400 answer to
    /// `PUT /invites/{code}/target-users` or to a create-invite upload), with their lines;
    /// `None` for any other error.
    pub fn target_users_file_error(&self) -> Option<TargetUsersFileError> {
        if self.status != 400 {
            return None;
        }
        TargetUsersFileError::from_body(&self.body)
    }
}

/// Reads Discord's target-users CSV. On failure: the 1-based line and the reason.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<Snowflake>, (usize, String)> {
    let text = std::str::from_utf8(body).map_err(|e| {
        (
            line_of(body, e.valid_up_to()),
            "the CSV is not UTF-8".to_owned(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ids = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cell = unquote(line.split(',').next().unwrap_or(""));
        if cell.is_empty() {
            continue;
        }
        match cell.parse::<Snowflake>() {
            Ok(id) => ids.push(id),
            // The header line.
            Err(_) if ids.is_empty() && i == 0 => {}
            Err(e) => return Err((i + 1, e.to_string())),
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_crlf_and_quotes() {
        let ids = parse(b"\xef\xbb\xbfUsers\r\n1\r\n\"22\"\r\n\r\n333,extra\n").unwrap();
        assert_eq!(ids, [1, 22, 333].map(Snowflake::new));
        assert_eq!(parse(b"").unwrap(), []);
        assert_eq!(parse(b"user_id\n").unwrap(), []);
    }

    #[test]
    fn names_the_bad_line() {
        let (line, msg) = parse(b"Users\n1\nnope\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(msg.contains("nope"), "{msg}");
    }

    #[test]
    fn round_trips() {
        let ids = [Snowflake::new(165176875973476352), Snowflake::new(7)];
        assert_eq!(parse(TargetUsers::from_ids(ids).as_bytes()).unwrap(), ids);
    }

    fn problems(csv: &[u8]) -> Vec<String> {
        match TargetUsers::from_csv(csv).check() {
            Ok(ids) => panic!("accepted: {ids:?}"),
            Err(e) => e.problems().iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn upload_check_accepts_what_discord_takes() {
        let ok = |csv: &[u8]| TargetUsers::from_csv(csv).check().unwrap();
        assert_eq!(ok(b"1\n2\n"), [1, 2].map(Snowflake::new));
        assert_eq!(ok(b"user_id\n1\n"), [Snowflake::new(1)]);
        assert_eq!(
            ok(b"\xef\xbb\xbf\"USER_ID\"\r\n\"1\"\r\n\r\n 2 \r\n"),
            [1, 2].map(Snowflake::new)
        );
        assert_eq!(ok(b"Users\n3\n3\n"), [Snowflake::new(3)]); // a repeat is ignored
        assert_eq!(ok(b""), []);
        assert_eq!(ok(b"user_id\n"), []);
    }

    #[test]
    fn upload_check_names_every_bad_line() {
        assert_eq!(
            problems(b"user_id\n1\nabc\n0\n-5\n1,2\n18446744073709551616\n01\nuser_id\n"),
            [
                "line 3: `abc` is not a user id (a Discord snowflake: digits, not 0)",
                "line 4: `0` is not a user id (a Discord snowflake: digits, not 0)",
                "line 5: `-5` is not a user id (a Discord snowflake: digits, not 0)",
                "line 6: one user id per line, found 2 columns",
                "line 7: `18446744073709551616` is not a user id (a Discord snowflake: digits, not 0)",
                "line 8: `01` is not a user id (a Discord snowflake: digits, not 0)",
                "line 9: `user_id` is not a user id (a Discord snowflake: digits, not 0)",
            ]
        );
        // Only the first line may be a header, and only a known one.
        assert_eq!(
            problems(b"ids\n1\n"),
            ["line 1: `ids` is not a user id (a Discord snowflake: digits, not 0)"]
        );
        assert_eq!(
            problems(b"1\n\xff\n"),
            ["line 2: the file is not UTF-8 text"]
        );
        let big = vec![b'\n'; MAX_TARGET_USERS_FILE_BYTES + 1];
        assert_eq!(
            problems(&big),
            ["the file is 20971521 bytes; Discord takes at most 20971520 bytes (20 MiB) per file"]
        );
    }

    #[test]
    fn problems_are_capped_but_counted() {
        let csv = "x\n".repeat(1000);
        let err = TargetUsers::from_csv(csv).check().unwrap_err();
        assert_eq!((err.problems().len(), err.total()), (MAX_PROBLEMS, 1000));
        assert!(err.to_string().ends_with("; and 995 more"), "{err}");
    }

    #[test]
    fn discords_400_decodes() {
        let docs = br#"{"target_users_file": ["Line 5: invalid user ID - must be a valid Discord snowflake", "Line 6: invalid user ID format", "File is too large"]}"#;
        let err = TargetUsersFileError::from_body(docs).unwrap();
        let got: Vec<_> = err
            .problems()
            .iter()
            .map(|p| (p.line(), p.message()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(5),
                    "invalid user ID - must be a valid Discord snowflake"
                ),
                (Some(6), "invalid user ID format"),
                (None, "File is too large"),
            ]
        );
        let form = br#"{"code":50035,"message":"Invalid Form Body","errors":{"target_users_file":{"_errors":[{"code":"X","message":"Line 2: invalid user ID format"}]}}}"#;
        assert_eq!(
            TargetUsersFileError::from_body(form).unwrap().problems()[0].line(),
            Some(2)
        );
        for other in [
            &b"{}"[..],
            b"{\"target_users_file\":[]}",
            b"not json",
            b"{\"code\":10006,\"message\":\"Unknown Invite\"}",
        ] {
            assert!(TargetUsersFileError::from_body(other).is_none());
        }
    }
}

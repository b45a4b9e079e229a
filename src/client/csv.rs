//! The target-users CSV: a single column of user ids, one per line.
//!
//! Writing: one id per line, no header (the docs ask for "a single column of user IDs").
//! Reading: Discord's answer starts with a header line (`Users` in the docs); any first line
//! that is not a snowflake is taken as the header. Blank lines, `\r\n`, a UTF-8 BOM, quotes
//! around the id and extra columns are tolerated; any other line that is not an id is an error
//! naming the line.

use crate::Snowflake;

/// The users who may accept an invite, as the CSV file Discord expects in
/// `target_users_file`.
///
/// ```
/// use discord_invite::client::TargetUsers;
/// use discord_invite::Snowflake;
/// let users = TargetUsers::from_ids([Snowflake::new(1), Snowflake::new(22)]);
/// assert_eq!(users.as_bytes(), b"1\n22\n");
/// let raw = TargetUsers::from_csv(b"user_id\n1\n".to_vec()); // passed through unchanged
/// assert_eq!(raw.as_bytes(), b"user_id\n1\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUsers {
    csv: Vec<u8>,
}

impl TargetUsers {
    /// Builds the CSV from ids, in the given order.
    pub fn from_ids<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Snowflake>,
    {
        let mut csv = Vec::new();
        for id in ids {
            csv.extend_from_slice(id.into().to_string().as_bytes());
            csv.push(b'\n');
        }
        TargetUsers { csv }
    }

    /// Uses CSV bytes as they are (e.g. a file exported elsewhere). Discord validates them.
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
}

impl<T: Into<Snowflake>> FromIterator<T> for TargetUsers {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        TargetUsers::from_ids(iter)
    }
}

/// Reads Discord's target-users CSV. On failure: the 1-based line and the reason.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<Snowflake>, (usize, String)> {
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = body[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        (line, "the CSV is not UTF-8".to_owned())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ids = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let first = line.split(',').next().unwrap_or("").trim();
        let cell = first
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .unwrap_or(first)
            .trim();
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
}

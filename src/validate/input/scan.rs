//! Where a JSON value ends, found in pieces as the bytes arrive: strings and brackets only
//! (the validator checks everything else in each payload), with nothing held but a counter, so
//! a reader can step over a value of any size without holding it. Nesting deeper than the
//! crate's limit ends the scan (the value is not JSON the crate accepts, and an endless
//! `[[[[…` would otherwise never end).

/// A value being scanned.
#[derive(Debug, Clone, Copy)]
pub(super) struct ValueEnd {
    state: State,
    depth: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing read yet.
    Start,
    /// Inside arrays and objects, outside strings.
    Container,
    /// Inside a string.
    Str,
    /// Inside a string, after a backslash.
    Escape,
    /// A number or a literal, outside any container.
    Scalar,
}

/// What a piece showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    /// The value ends this many bytes into the piece.
    Ended(usize),
    /// It goes on past the piece.
    More,
    /// The first byte cannot start a JSON value.
    NotAValue,
    /// The value nests deeper than the limit; the bracket that goes too deep is this many
    /// bytes into the piece.
    TooDeep(usize),
}

/// The first `"` or `\` in `bytes`. The first few bytes are looked at one by one before a
/// search: in a run of escapes (`\n\t\u00e9…`) the next backslash is one to five bytes away,
/// and a search call per escape cost more than the escape.
#[inline]
fn next_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    const NEAR: usize = 8;
    let near = bytes.len().min(NEAR);
    match bytes[..near].iter().position(|&b| b == b'"' || b == b'\\') {
        Some(n) => Some(n),
        None => memchr::memchr2(b'"', b'\\', &bytes[near..]).map(|n| near + n),
    }
}

impl ValueEnd {
    pub fn new() -> ValueEnd {
        ValueEnd {
            state: State::Start,
            depth: 0,
        }
    }

    /// Whether the value is a bare number or literal: then the end of the input ends it too.
    pub fn ends_at_eof(&self) -> bool {
        self.state == State::Scalar
    }

    /// Reads the next piece of the value (the first piece starts with the value's first byte).
    pub fn feed(&mut self, piece: &[u8]) -> Scan {
        let mut i = 0;
        while i < piece.len() {
            match self.state {
                State::Start => {
                    self.state = match piece[i] {
                        b'"' => State::Str,
                        b'[' | b'{' => {
                            self.depth = 1;
                            State::Container
                        }
                        b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => State::Scalar,
                        _ => return Scan::NotAValue,
                    };
                    i += 1;
                }
                State::Scalar => {
                    match piece[i..]
                        .iter()
                        .position(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'+' | b'-' | b'.'))
                    {
                        Some(n) => return Scan::Ended(i + n),
                        None => return Scan::More,
                    }
                }
                State::Str => match next_quote_or_backslash(&piece[i..]) {
                    Some(n) if piece[i + n] == b'"' => {
                        i += n + 1;
                        if self.depth == 0 {
                            return Scan::Ended(i);
                        }
                        self.state = State::Container;
                    }
                    Some(n) => {
                        i += n + 1;
                        self.state = State::Escape;
                    }
                    None => return Scan::More,
                },
                State::Escape => {
                    i += 1;
                    self.state = State::Str;
                }
                State::Container => {
                    match piece[i..]
                        .iter()
                        .position(|b| matches!(b, b'"' | b'[' | b']' | b'{' | b'}'))
                    {
                        None => return Scan::More,
                        Some(n) => {
                            i += n;
                            match piece[i] {
                                b'"' => self.state = State::Str,
                                b'[' | b'{' => {
                                    self.depth += 1;
                                    if self.depth > crate::fast::MAX_NESTING as u64 {
                                        return Scan::TooDeep(i);
                                    }
                                }
                                _ => {
                                    self.depth -= 1;
                                    if self.depth == 0 {
                                        return Scan::Ended(i + 1);
                                    }
                                }
                            }
                            i += 1;
                        }
                    }
                }
            }
        }
        Scan::More
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The end of the value at the start of `text`, fed in pieces of `step` bytes.
    fn end(text: &str, step: usize) -> Option<usize> {
        let mut scan = ValueEnd::new();
        let b = text.as_bytes();
        let mut at = 0;
        while at < b.len() {
            let piece = &b[at..(at + step).min(b.len())];
            match scan.feed(piece) {
                Scan::Ended(n) => return Some(at + n),
                Scan::More => at += piece.len(),
                Scan::NotAValue | Scan::TooDeep(_) => return None,
            }
        }
        scan.ends_at_eof().then_some(b.len())
    }

    #[test]
    fn values_end_where_a_parser_says_in_any_pieces() {
        let cases = [
            r#"{"a": [1, "]}\"", {"b": {}}]} , 2"#,
            r#""a\"b\\" x"#,
            "[[[]], []],",
            "123, 4",
            "-1.5e+3]",
            "true",
            "null}",
            r#""é🎮" "#,
            r#"{"k\\": "\\", "l": "\\\""} ]"#,
            r#""\"\\\/\b\f\n\r\t\u00e9\ud83c\udfae\"\\\/\b" , 1"#,
            r#"{"a key past the first few bytes": "and \\ more \" here, and more"} x"#,
        ];
        for text in cases {
            let want = crate::validate::position::complete_value_len(text.as_bytes());
            assert!(want.is_some(), "{text}");
            for step in [1, 2, 3, 7, 100] {
                assert_eq!(end(text, step), want, "{text:?} in pieces of {step}");
            }
        }
        assert_eq!(end("", 1), None);
        assert_eq!(end("\0\0\0", 1), None);
        assert_eq!(end("[1, 2", 2), None);
        assert_eq!(end("\"abc", 2), None);
    }

    #[test]
    fn nesting_ends_at_the_limit() {
        let ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert_eq!(end(&ok, 5), Some(ok.len()));
        let mut scan = ValueEnd::new();
        assert_eq!(scan.feed("[".repeat(100).as_bytes()), Scan::More);
        assert_eq!(scan.feed("[".repeat(100).as_bytes()), Scan::TooDeep(27));
    }
}

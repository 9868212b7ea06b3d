//! Reading inputs and cutting them into events.
//!
//! An input is one JSON event (possibly pretty-printed) or JSON Lines. The
//! rule: when the whole input parses as one JSON value it is one event;
//! otherwise, when it has several lines and at least one of them is a JSON
//! object on its own, it is JSON Lines (each non-blank line an event, bad
//! lines reported one by one); otherwise it is one (broken) event.

use std::io::Read;
use std::path::Path;

use serde::de::IgnoredAny;

use crate::failure::Failure;

/// One input, read whole.
pub struct Input {
    /// The name used in error lines: the path, or `<stdin>`.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Input {
    /// Reads a path, `-` meaning standard input.
    pub fn read(path: &Path) -> Result<Self, Failure> {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|error| Failure::Input {
                    name: "<stdin>".into(),
                    error,
                })?;
            return Ok(Self {
                name: "<stdin>".into(),
                bytes,
            });
        }
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => Ok(Self { name, bytes }),
            Err(error) => Err(Failure::Input { name, error }),
        }
    }
}

/// A piece of an input: where it is and its bytes.
pub struct Piece<'a> {
    /// 1-based line where it starts.
    pub line: usize,
    /// The bytes (one event, or one line of text).
    pub bytes: &'a [u8],
}

/// The events of an input. Empty when the input holds nothing but white space.
pub fn events(bytes: &[u8]) -> Vec<Piece<'_>> {
    let lines: Vec<Piece<'_>> = lines(bytes).filter(|p| !is_blank(p.bytes)).collect();
    if lines.is_empty() {
        return Vec::new();
    }
    let whole_is_one_value = serde_json::from_slice::<IgnoredAny>(bytes).is_ok();
    let looks_like_lines = lines.len() > 1 && lines.iter().any(|p| is_json_object(p.bytes));
    if whole_is_one_value || !looks_like_lines {
        return vec![Piece {
            line: lines[0].line,
            bytes,
        }];
    }
    lines
}

/// Every line of an input (for --text), without its line ending.
pub fn lines(bytes: &[u8]) -> impl Iterator<Item = Piece<'_>> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    body.split(|&b| b == b'\n')
        .enumerate()
        .filter(move |_| !empty)
        .map(|(index, line)| Piece {
            line: index + 1,
            bytes: line.strip_suffix(b"\r").unwrap_or(line),
        })
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

fn is_json_object(bytes: &[u8]) -> bool {
    let trimmed = bytes.trim_ascii();
    trimmed.starts_with(b"{") && serde_json::from_slice::<IgnoredAny>(trimmed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(input: &str) -> Vec<usize> {
        events(input.as_bytes()).iter().map(|p| p.line).collect()
    }

    #[test]
    fn splitting_table() {
        assert_eq!(starts(""), Vec::<usize>::new());
        assert_eq!(starts("  \n\n"), Vec::<usize>::new());
        assert_eq!(starts("{\"a\":1}"), [1]);
        assert_eq!(
            starts("{\n  \"a\": 1\n}\n"),
            [1],
            "pretty-printed is one event"
        );
        assert_eq!(starts("{\"a\":1}\n{\"b\":2}\n"), [1, 2]);
        assert_eq!(
            starts("{\"a\":1}\n\n{\"b\":2}\r\n"),
            [1, 3],
            "blank lines are skipped"
        );
        assert_eq!(
            starts("not json\n{\"b\":2}\n"),
            [1, 2],
            "a bad first line keeps the rest"
        );
        assert_eq!(
            starts("{\n  \"a\": oops\n}\n"),
            [1],
            "a broken pretty event is one error"
        );
        assert_eq!(starts("\n\n{\"a\":1}"), [3]);
    }

    #[test]
    fn text_lines_drop_line_endings() {
        let lines: Vec<_> = lines(b"a\r\n\nb")
            .map(|p| (p.line, p.bytes.to_vec()))
            .collect();
        assert_eq!(
            lines,
            vec![(1, b"a".to_vec()), (2, b"".to_vec()), (3, b"b".to_vec())]
        );
        assert_eq!(super::lines(b"").count(), 0);
        assert_eq!(super::lines(b"x\n").count(), 1);
    }
}

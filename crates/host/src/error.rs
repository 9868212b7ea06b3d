//! A configuration error: the file, line, column and key, and what is wrong
//! (never the offending value: it may be a confidential word or pattern).

use std::fmt;

/// A configuration error: where, which key, what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file (or the [`crate::ConfigSource::name`] of an embedded text).
    pub file: String,
    /// 1-based line, when the error has a place.
    pub line: Option<usize>,
    /// 1-based column, when the error has a place.
    pub column: Option<usize>,
    /// The key path, e.g. `rules[1].max_chars`.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl ConfigError {
    /// An error about the whole file (it cannot be read or parsed at all).
    pub(crate) fn whole_file(file: String, message: String) -> Self {
        Self {
            file,
            line: None,
            column: None,
            key: None,
            message,
        }
    }
}

//! Which embedded lists a `profanity` rule uses, and which language a
//! message is in when that matters.

use chimeflow_core::OptionError;
use serde::Deserialize;
use whatlang::{Detector, Lang};

use super::lists::{self, Embedded, LANGUAGES};

/// The `languages` option: a list of ISO 639-1 codes, or `"auto"` for
/// every embedded list.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Languages {
    /// These lists (`["en", "es"]`); a single code (`"es"`) is one list.
    List(Vec<String>),
    /// `"auto"`: every embedded list; the language of each message decides
    /// where the words that are ordinary in another language count.
    Word(String),
}

impl Default for Languages {
    fn default() -> Self {
        Languages::List(vec!["en".into()])
    }
}

/// The longest prefix of a message (in bytes) the language identifier
/// reads: plenty to tell a language, and a 4 KB message costs no more
/// than a 1 KB one.
const IDENTIFY_BYTES: usize = 1024;

/// The resolved choice: the lists, in order (their index is an entry's
/// `language`), and the identifier restricted to their languages.
#[derive(Debug)]
pub(super) struct Chosen {
    lists: Vec<&'static Embedded>,
    /// The option the choice came from, for errors.
    key: &'static str,
    detector: Detector,
}

impl Chosen {
    /// Resolves `languages`, or the older `language` when it is set (both
    /// at once is an error).
    pub(super) fn resolve(
        languages: &Languages,
        language: Option<&str>,
    ) -> Result<Self, OptionError> {
        let (key, codes): (&'static str, Vec<&str>) = match (language, languages) {
            (Some(_), languages) if *languages != Languages::default() => {
                return Err(OptionError::new(
                    "language",
                    "set `languages` or `language`, not both (`language = \"es\"` is `languages = [\"es\"]`)",
                ));
            }
            (Some(code), _) => ("language", vec![code]),
            (None, Languages::Word(word)) if word == "auto" => (
                "languages",
                LANGUAGES.iter().map(|list| list.code).collect(),
            ),
            (None, Languages::Word(code)) => ("languages", vec![code.as_str()]),
            (None, Languages::List(codes)) => {
                ("languages", codes.iter().map(String::as_str).collect())
            }
        };
        if codes.is_empty() {
            return Err(OptionError::new(
                key,
                format!("name at least one language ({})", available()),
            ));
        }
        let mut chosen: Vec<&'static Embedded> = Vec::with_capacity(codes.len());
        for code in codes {
            let list = lists::embedded(&code.to_ascii_lowercase()).ok_or_else(|| {
                OptionError::new(
                    key,
                    format!(
                        "no list for {code:?} (available: {}, or \"auto\")",
                        available()
                    ),
                )
            })?;
            if !chosen.iter().any(|c| c.code == list.code) {
                chosen.push(list);
            }
        }
        let detector = Detector::with_allowlist(chosen.iter().map(|list| list.whatlang).collect());
        Ok(Self {
            lists: chosen,
            key,
            detector,
        })
    }

    /// The lists, in index order.
    pub(super) fn lists(&self) -> impl Iterator<Item = &'static Embedded> + '_ {
        self.lists.iter().copied()
    }

    /// How many lists.
    pub(super) fn len(&self) -> usize {
        self.lists.len()
    }

    /// The option errors about the lists name.
    pub(super) fn key(&self) -> &'static str {
        self.key
    }

    /// The index of the language `text` is in: `known` (an ISO 639-1 code
    /// a rule set) when given, else the local identifier's answer when it
    /// is reliable; `None` when it is another language or cannot be told.
    pub(super) fn identify(&self, text: &str, known: Option<&str>) -> Option<usize> {
        if let Some(code) = known {
            return self.lists.iter().position(|list| list.code == code);
        }
        let mut end = text.len().min(IDENTIFY_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let info = self.detector.detect(&text[..end])?;
        if !info.is_reliable() {
            return None;
        }
        self.position_of(info.lang())
    }

    fn position_of(&self, lang: Lang) -> Option<usize> {
        self.lists.iter().position(|list| list.whatlang == lang)
    }
}

/// The embedded codes, for errors.
fn available() -> String {
    LANGUAGES
        .iter()
        .map(|list| format!("{} ({})", list.code, list.name))
        .collect::<Vec<_>>()
        .join(", ")
}

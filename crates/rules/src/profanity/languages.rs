//! Which embedded lists a `profanity` rule uses, and which language a
//! message is in when that matters.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use chimeflow_core::OptionError;
use serde::Deserialize;

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

/// How much of a message the identifier reads (bytes): plenty to tell a
/// language, and a 4 KB message costs no more than a 1 KB one.
const IDENTIFY_BYTES: usize = 1024;

/// The fewest common words of one language a message needs before it
/// counts as written in it.
const MIN_VOTES: u32 = 1;

/// The resolved choice: the lists, in order (their index is an entry's
/// `language`), and the identifier over their common words.
#[derive(Debug)]
pub(super) struct Chosen {
    lists: Vec<&'static Embedded>,
    /// The option the choice came from, for errors.
    key: &'static str,
    identifier: Option<Identifier>,
}

/// Tells which of the chosen languages a message is in by counting its
/// words that are common words of each (`[common]` in the lists: "the",
/// "der", "que", "ve"...), read in lower case as written (not through the
/// matcher's view, which reads "l" as "i": English "I" would be French
/// "il").
///
/// Why not a trigram model such as whatlang: it costs about 30 µs a call
/// whatever the text's length (more than the whole rule on most messages)
/// and is rarely confident on chat-length text; one walk per word through
/// a small automaton costs a few nanoseconds a word, and the short words
/// that give a language away are exactly what chat has.
#[derive(Debug)]
struct Identifier {
    words: DFA,
    start: StateID,
    /// For each pattern, the languages (a bit per list index) it is a
    /// common word of.
    masks: Vec<u16>,
    languages: usize,
}

impl Identifier {
    fn new(common: &[Vec<String>]) -> Result<Self, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut masks: Vec<u16> = Vec::new();
        for (language, words) in common.iter().enumerate() {
            for word in words {
                let word = word.to_lowercase();
                match patterns.iter().position(|p| *p == word) {
                    Some(at) => masks[at] |= 1 << language,
                    None => {
                        patterns.push(word);
                        masks.push(1 << language);
                    }
                }
            }
        }
        let words = DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let start = words
            .start_state(Anchored::Yes)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            words,
            start,
            masks,
            languages: common.len(),
        })
    }

    /// The language with the most common words among the first words of
    /// `text`, when it has at least [`MIN_VOTES`] and more than any other.
    fn identify(&self, text: &str) -> Option<usize> {
        let mut end = text.len().min(IDENTIFY_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut votes = [0u32; 16];
        for word in text[..end].split(|c: char| !c.is_alphabetic()) {
            if let Some(mask) = self.common(word) {
                for (language, count) in votes.iter_mut().enumerate().take(self.languages) {
                    *count += u32::from(mask >> language & 1);
                }
            }
        }
        let mut ranked: Vec<(u32, usize)> = votes[..self.languages]
            .iter()
            .enumerate()
            .map(|(language, &count)| (count, language))
            .collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        let (best, language) = ranked[0];
        let second = ranked.get(1).map_or(0, |r| r.0);
        (best >= MIN_VOTES && best > second).then_some(language)
    }

    /// The languages `word` (as written) is a common word of, if any: one
    /// walk through the automaton, lower-casing as it goes.
    fn common(&self, word: &str) -> Option<u16> {
        if word.is_empty() {
            return None;
        }
        let mut state = self.start;
        let mut len = 0;
        let mut utf8 = [0u8; 4];
        for c in word.chars().flat_map(char::to_lowercase) {
            for &byte in c.encode_utf8(&mut utf8).as_bytes() {
                state = self.words.next_state(Anchored::Yes, state, byte);
                if self.words.is_dead(state) {
                    return None;
                }
                len += 1;
            }
        }
        if !self.words.is_match(state) {
            return None;
        }
        (0..self.words.match_len(state))
            .map(|i| self.words.match_pattern(state, i))
            .find(|&pattern| self.words.pattern_len(pattern) == len)
            .map(|pattern| self.masks[pattern.as_usize()])
    }
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
        Ok(Self {
            lists: chosen,
            key,
            identifier: None,
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

    /// Builds the identifier from each list's common words, in index
    /// order (only needed with two lists or more).
    pub(super) fn identify_with(&mut self, common: &[Vec<String>]) -> Result<(), String> {
        if self.lists.len() > 1 {
            self.identifier = Some(Identifier::new(common)?);
        }
        Ok(())
    }

    /// The index of the language `text` is in: `known` (an ISO 639-1
    /// code a rule set) when given, else the one whose common words it
    /// holds most; `None` when it is another language or cannot be told.
    pub(super) fn identify(&self, text: &str, known: Option<&str>) -> Option<usize> {
        if let Some(code) = known {
            return self.lists.iter().position(|list| list.code == code);
        }
        self.identifier.as_ref()?.identify(text)
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

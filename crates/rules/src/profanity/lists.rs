//! Word lists: the embedded per-language lists and their text format.
//!
//! ```text
//! [block]
//! word  category  severity  [infix] [exact]
//! [allow]
//! word or phrase
//! ```
//! `#` starts a comment; blank lines are ignored. The format is described in
//! `profanity/README.md` in this crate.

use serde::Deserialize;

/// The embedded lists, by language code.
pub(super) const LANGUAGES: &[(&str, &str)] = &[("en", include_str!("../../profanity/en.txt"))];

/// What kind of word an entry is; it is the category of the finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Sexual terms.
    Sexual,
    /// Slurs against a group.
    Slur,
    /// Insults aimed at a person.
    Insult,
    /// General swearing.
    General,
}

impl Category {
    /// The name used in lists, configuration and findings.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Sexual => "sexual",
            Category::Slur => "slur",
            Category::Insult => "insult",
            Category::General => "general",
        }
    }

    /// Every category.
    pub const ALL: [Category; 4] = [
        Category::Sexual,
        Category::Slur,
        Category::Insult,
        Category::General,
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// How strong a word is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Mild ("damn", "crap").
    Mild,
    /// Moderate ("shit", "wanker").
    #[default]
    Moderate,
    /// Severe (the strongest swear words and slurs).
    Severe,
}

impl Severity {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "mild" => Some(Severity::Mild),
            "moderate" => Some(Severity::Moderate),
            "severe" => Some(Severity::Severe),
            _ => None,
        }
    }
}

/// One block-list entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) word: String,
    pub(super) category: Category,
    pub(super) severity: Severity,
    /// May match inside a longer word.
    pub(super) infix: bool,
    /// Takes no inflection suffix.
    pub(super) exact: bool,
}

/// A parsed list.
#[derive(Clone, Debug, Default)]
pub(super) struct WordList {
    pub(super) block: Vec<Entry>,
    pub(super) allow: Vec<String>,
}

/// Parses a list; the error names the line.
pub(super) fn parse(text: &str) -> Result<WordList, String> {
    #[derive(PartialEq)]
    enum Section {
        None,
        Block,
        Allow,
    }
    let mut list = WordList::default();
    let mut section = Section::None;
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let at = |message: &str| format!("line {}: {message}", number + 1);
        match line {
            "[block]" => section = Section::Block,
            "[allow]" => section = Section::Allow,
            _ => match section {
                Section::None => return Err(at("expected [block] or [allow] first")),
                Section::Allow => list.allow.push(line.to_lowercase()),
                Section::Block => {
                    let mut fields = line.split_whitespace();
                    let (Some(word), Some(category), Some(severity)) =
                        (fields.next(), fields.next(), fields.next())
                    else {
                        return Err(at("expected: word category severity [flags]"));
                    };
                    let category =
                        Category::parse(category).ok_or_else(|| at("unknown category"))?;
                    let severity =
                        Severity::parse(severity).ok_or_else(|| at("unknown severity"))?;
                    let mut entry = Entry {
                        word: word.to_lowercase(),
                        category,
                        severity,
                        infix: false,
                        exact: false,
                    };
                    for flag in fields {
                        match flag {
                            "infix" => entry.infix = true,
                            "exact" => entry.exact = true,
                            _ => return Err(at("unknown flag (infix, exact)")),
                        }
                    }
                    list.block.push(entry);
                }
            },
        }
    }
    Ok(list)
}

/// The embedded list for a language.
pub(super) fn embedded(language: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == language)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse() {
        for (code, text) in LANGUAGES {
            let list = parse(text).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert!(list.block.len() > 50, "{code}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse("x").unwrap_err(),
            "line 1: expected [block] or [allow] first"
        );
        assert_eq!(
            parse("[block]\nfoo general").unwrap_err(),
            "line 2: expected: word category severity [flags]"
        );
        assert_eq!(
            parse("[block]\nfoo bad mild").unwrap_err(),
            "line 2: unknown category"
        );
        assert_eq!(
            parse("[block]\nfoo general mild odd").unwrap_err(),
            "line 2: unknown flag (infix, exact)"
        );
    }
}

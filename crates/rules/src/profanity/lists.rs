//! Word lists: the embedded per-language lists and their text format.
//!
//! ```text
//! [inflection]
//! suffixes = ...  stem_drop = ...  stem_suffixes = ...
//! [block]
//! word  category  severity  [infix] [head] [tail] [exact] [local]
//! [allow]
//! word or phrase
//! ```
//! `#` starts a comment; blank lines are ignored. The format is described in
//! `profanity/README.md` in this crate.

use serde::Deserialize;

/// An embedded list: its ISO 639-1 code, the language's name and the
/// list's text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Embedded {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) text: &'static str,
}

macro_rules! embedded {
    ($code:literal, $name:literal) => {
        Embedded {
            code: $code,
            name: $name,
            text: include_str!(concat!("../../profanity/", $code, ".txt")),
        }
    };
}

/// The embedded lists, English first.
pub(super) const LANGUAGES: &[Embedded] = &[
    embedded!("en", "English"),
    embedded!("es", "Spanish"),
    embedded!("pt", "Portuguese"),
    embedded!("fr", "French"),
    embedded!("de", "German"),
    embedded!("it", "Italian"),
    embedded!("nl", "Dutch"),
    embedded!("pl", "Polish"),
    embedded!("tr", "Turkish"),
];

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
    /// May start a compound, whatever follows.
    pub(super) head: bool,
    /// May end a compound (then take the list's inflections).
    pub(super) tail: bool,
    /// Takes no inflection suffix.
    pub(super) exact: bool,
    /// An ordinary word in another language: with several languages, it
    /// matches only in a message that reads as this one.
    pub(super) local: bool,
    /// Index of the list's language among the rule's languages (its
    /// inflections and what `local` compares with).
    pub(super) language: usize,
}

impl Entry {
    /// An entry with no flags, of the rule's first language.
    pub(super) fn plain(word: String, category: Category, severity: Severity) -> Self {
        Self {
            word,
            category,
            severity,
            infix: false,
            head: false,
            tail: false,
            exact: false,
            local: false,
            language: 0,
        }
    }
}

/// The endings a list's words may take. `None` in a [`WordList`] means
/// English's, which the matcher knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Inflection {
    /// Endings any entry may take.
    pub(super) suffixes: Vec<String>,
    /// Final letters an entry of four or more letters may drop ...
    pub(super) stem_drop: Vec<char>,
    /// ... to take one of these endings instead.
    pub(super) stem_suffixes: Vec<String>,
}

/// A parsed list.
#[derive(Clone, Debug, Default)]
pub(super) struct WordList {
    pub(super) block: Vec<Entry>,
    pub(super) allow: Vec<String>,
    pub(super) inflection: Option<Inflection>,
    /// The language's most common short words (articles, pronouns,
    /// prepositions): what tells a message's language.
    pub(super) common: Vec<String>,
}

/// Parses a list; the error names the line.
pub(super) fn parse(text: &str) -> Result<WordList, String> {
    #[derive(PartialEq)]
    enum Section {
        None,
        Inflection,
        Block,
        Allow,
        Common,
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
            "[inflection]" => {
                section = Section::Inflection;
                list.inflection.get_or_insert_with(Inflection::default);
            }
            "[block]" => section = Section::Block,
            "[allow]" => section = Section::Allow,
            "[common]" => section = Section::Common,
            _ => match section {
                Section::None => {
                    return Err(at("expected [inflection], [block] or [allow] first"));
                }
                Section::Common => list
                    .common
                    .extend(line.split_whitespace().map(str::to_lowercase)),
                Section::Inflection => {
                    let inflection = list.inflection.get_or_insert_with(Inflection::default);
                    let (key, values) = line
                        .split_once('=')
                        .ok_or_else(|| at("expected: key = values"))?;
                    let values = values.split_whitespace().map(str::to_lowercase);
                    match key.trim() {
                        "suffixes" => inflection.suffixes.extend(values),
                        "stem_suffixes" => inflection.stem_suffixes.extend(values),
                        "stem_drop" => {
                            for value in values {
                                let mut chars = value.chars();
                                match (chars.next(), chars.next()) {
                                    (Some(letter), None) => inflection.stem_drop.push(letter),
                                    _ => return Err(at("stem_drop takes single letters")),
                                }
                            }
                        }
                        _ => {
                            return Err(at("unknown key (suffixes, stem_drop, stem_suffixes)"));
                        }
                    }
                }
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
                    let mut entry = Entry::plain(word.to_lowercase(), category, severity);
                    for flag in fields {
                        match flag {
                            "infix" => entry.infix = true,
                            "head" => entry.head = true,
                            "tail" => entry.tail = true,
                            "exact" => entry.exact = true,
                            "local" => entry.local = true,
                            _ => {
                                return Err(at("unknown flag (infix, head, tail, exact, local)"));
                            }
                        }
                    }
                    list.block.push(entry);
                }
            },
        }
    }
    Ok(list)
}

/// The embedded list for a language code.
pub(super) fn embedded(code: &str) -> Option<&'static Embedded> {
    LANGUAGES.iter().find(|list| list.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse() {
        for embedded in LANGUAGES {
            let list = parse(embedded.text).unwrap_or_else(|e| panic!("{}: {e}", embedded.code));
            assert!(list.block.len() > 50, "{}", embedded.code);
            assert!(list.common.len() >= 40, "{}: [common]", embedded.code);
        }
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse("x").unwrap_err(),
            "line 1: expected [inflection], [block] or [allow] first"
        );
        assert_eq!(
            parse("[inflection]\nsuffixes s").unwrap_err(),
            "line 2: expected: key = values"
        );
        assert_eq!(
            parse("[inflection]\nstem_drop = ae").unwrap_err(),
            "line 2: stem_drop takes single letters"
        );
        assert_eq!(
            parse("[inflection]\nendings = s").unwrap_err(),
            "line 2: unknown key (suffixes, stem_drop, stem_suffixes)"
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
            "line 2: unknown flag (infix, head, tail, exact, local)"
        );
    }

    #[test]
    fn inflection_and_flags_parse() {
        let list = parse(
            "[inflection]\nsuffixes = s es\nsuffixes = a\nstem_drop = a o\nstem_suffixes = ita\n[block]\nscheiß general moderate head tail local\n[allow]\nBitte",
        )
        .unwrap();
        assert_eq!(
            list.inflection,
            Some(Inflection {
                suffixes: vec!["s".into(), "es".into(), "a".into()],
                stem_drop: vec!['a', 'o'],
                stem_suffixes: vec!["ita".into()],
            })
        );
        let entry = &list.block[0];
        assert!(entry.head && entry.tail && entry.local && !entry.infix && !entry.exact);
        assert_eq!(list.allow, vec!["bitte".to_owned()]);
        assert_eq!(parse("[block]\nfoo general mild").unwrap().inflection, None);
    }
}

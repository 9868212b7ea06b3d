//! The `profanity` rule: finds swear words, sexual terms, insults and slurs,
//! even when disguised, and masks them, denies the message, or only reports.

mod lists;
mod mask;
mod matcher;
mod normalize;
mod swar;

use std::cell::RefCell;
use std::ops::Range;

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;

mod languages;

pub use languages::Languages;
pub use lists::{Category, Severity};
pub use mask::MaskStyle;

use languages::Chosen;
use lists::Entry;
use matcher::{Allowed, Hit, Matcher, Starred};
use normalize::View;

macro_rules! doc_text {
    () => {
        r#"profanity: find swear words, sexual terms, insults and slurs, even disguised; mask, deny or tag.

What it does
  Walks each word of a normalised view of the content from its start
  through one Aho-Corasick automaton built from the word lists of its
  languages (profanity/<language>.txt in chimeflow-rules: each word has a
  category and a severity). The view undoes case, leetspeak (4 @ 3 1 ! 0 $ 5 7 9 ...),
  letters spelled out with separators ("f u c k", "f.u.c.k", "b_l_o_w"),
  repeated letters ("fuuuck"), Unicode confusables (Cyrillic and Greek
  look-alikes, fullwidth, mathematical letters; decancer's tables),
  diacritics, invisible characters (ZWSP, ZWJ, ZWNJ, BOM, soft hyphen) and a
  vowel written as * ("sh*t"). A word matches only as a whole word, with
  the inflections of its language (English -s -es -ed -er -ing -y -ies ...;
  Spanish -s -a -o -ita -ito ...), so "assassin", "Scunthorpe", "cocktail",
  "computadora" or "Dickens" never match; list words flagged infix ("fuck")
  also match inside longer words, and German and Dutch words flagged head or
  tail start or end compounds ("Scheißtag", "Riesenarschloch"), never
  "Schwanzflosse". The allow
  list (the language's and yours) wins over a block match it covers. Every
  match is mapped back to exact bytes of the original, widened to whole
  graphemes.
  Each match is one finding whose category is the word's list category:
  "sexual", "slur", "insult" or "general". Lex replies (ContentType
  application/amz-chime-lex-msgs) hold JSON and are skipped.

Options
  action       = "mask"         "mask", "deny" (reason "profanity") or "tag"
                                (findings only, for a later `tag` rule)
  mask_style   = "asterisks"    "asterisks" (one * per visible character),
                                "first-letter" (f***), "grawlix" (@#$%) or
                                "fixed" (the replacement below)
  replacement  = "****"         the text used by mask_style = "fixed"
  min_severity = "moderate"     "mild", "moderate" or "severe": act on words
                                at least this strong
  categories   = ["sexual", "slur", "insult", "general"]   categories acted on
  languages    = ["en"]         the embedded lists to use: any of "en", "es",
                                "pt", "fr", "de", "it", "nl", "pl", "tr"; or
                                "auto" for all of them. A word that is ordinary
                                in another chosen language (Turkish "am",
                                French "con") then counts only in a message
                                that reads as its own language: the language
                                a `language` rule set, else the language
                                whose common words ("the", "que", "der")
                                the message holds most (counted only when
                                such a word is found); so does a compound
                                match of a language other than the first.
                                Every other word counts in any message, so
                                mixed-language chat is covered.
                                `language = "es"` is the older spelling of
                                `languages = ["es"]`.
  block        = []             extra words: "word", or a table
                                { word = "...", category = "general",
                                  severity = "moderate" } (those defaults)
  allow        = []             extra words or phrases never to flag

Example
  [[rules]]
  type = "profanity"
  action = "mask"
  mask_style = "first-letter"
  min_severity = "mild"
  block = ["frak", { word = "smeg", category = "insult", severity = "mild" }]
  allow = ["dickensian"]
  languages = ["en", "es", "de"]

Limitations
  A word list, not a language model: it knows no context ("that was sick"),
  and misses words it does not list and novel spellings (a consonant written
  as *, two different vowels starred in one word, two letters swapped).
  Spelled-out letters are joined from three letters on, with the same one to
  three separators between each ("a s s" right after a lone "I" or "a"
  joins with it and is missed). With "fixed" a
  replacement longer than the word can grow the message; past the 4 KB limit
  the processor falls back to one * per masked character. Latin-script
  languages only; with several languages, a word ordinary in another one is
  not flagged in a message too short to tell its language ("am" alone).
"#
    };
}

/// What to do with a message that holds a match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfanityAction {
    /// Replace each match (see [`MaskStyle`]).
    #[default]
    Mask,
    /// Deny the message.
    Deny,
    /// Report findings only.
    Tag,
}

/// An extra block word from the configuration.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ExtraWord {
    /// A word, category "general", severity "moderate".
    Word(String),
    /// A word with its category and severity.
    Full {
        /// The word.
        word: String,
        /// Its category.
        #[serde(default = "general")]
        category: Category,
        /// Its severity.
        #[serde(default)]
        severity: Severity,
    },
}

fn general() -> Category {
    Category::General
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfanityConfig {
    /// Mask, deny or tag.
    pub action: ProfanityAction,
    /// How masked words look.
    pub mask_style: MaskStyle,
    /// The text for `mask_style = "fixed"`.
    pub replacement: String,
    /// The weakest severity acted on.
    pub min_severity: Severity,
    /// The categories acted on.
    pub categories: Vec<Category>,
    /// The embedded lists to use, or `auto`.
    pub languages: Languages,
    /// One embedded list (the older spelling of `languages = ["en"]`).
    pub language: Option<String>,
    /// Extra block words.
    pub block: Vec<ExtraWord>,
    /// Extra allow words or phrases.
    pub allow: Vec<String>,
}

impl Default for ProfanityConfig {
    fn default() -> Self {
        Self {
            action: ProfanityAction::Mask,
            mask_style: MaskStyle::Asterisks,
            replacement: "****".into(),
            min_severity: Severity::Moderate,
            categories: Category::ALL.to_vec(),
            languages: Languages::default(),
            language: None,
            block: Vec::new(),
            allow: Vec::new(),
        }
    }
}

impl RuleConfig for ProfanityConfig {
    const TYPE: &'static str = "profanity";
    const SUMMARY: &'static str = "Find swear words, sexual terms, insults and slurs, even disguised (leet, spacing, look-alikes); mask, deny or tag.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        let mut chosen = Chosen::resolve(&self.languages, self.language.as_deref())?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut allow: Vec<(String, usize)> = Vec::new();
        let mut inflections = Vec::new();
        let mut common = Vec::new();
        for (index, embedded) in chosen.lists().enumerate() {
            let list = lists::parse(embedded.text).map_err(|e| {
                OptionError::new(
                    chosen.key(),
                    format!("the embedded {} list is invalid: {e}", embedded.code),
                )
            })?;
            entries.extend(list.block.into_iter().map(|entry| Entry {
                language: index,
                ..entry
            }));
            allow.extend(list.allow.into_iter().map(|word| (word, index)));
            inflections.push(list.inflection);
            common.push(list.common);
        }
        chosen
            .identify_with(&common)
            .map_err(|e| OptionError::new(chosen.key(), e))?;
        if self.categories.is_empty() {
            return Err(OptionError::new("categories", "name at least one category"));
        }
        if self.action == ProfanityAction::Mask
            && self.mask_style == MaskStyle::Fixed
            && self.replacement.is_empty()
        {
            return Err(OptionError::new(
                "replacement",
                "must not be empty with mask_style = \"fixed\"",
            ));
        }
        for extra in &self.block {
            let (word, category, severity) = match extra {
                ExtraWord::Word(word) => (word.clone(), Category::General, Severity::Moderate),
                ExtraWord::Full {
                    word,
                    category,
                    severity,
                } => (word.clone(), *category, *severity),
            };
            // Yours match in every language, with the first one's endings.
            entries.push(Entry::plain(word.to_lowercase(), category, severity));
        }
        entries
            .retain(|e| e.severity >= self.min_severity && self.categories.contains(&e.category));
        allow.extend(self.allow.iter().map(|w| (w.to_lowercase(), 0)));
        let matcher = Matcher::new(entries, &allow, &inflections).map_err(|word| {
            let key = if self.allow.iter().any(|w| w.to_lowercase() == word) {
                "allow"
            } else {
                "block"
            };
            OptionError::new(
                key,
                "a word has no letters to match, or a block word holds a space",
            )
        })?;
        Ok(Box::new(Profanity {
            config: self,
            matcher,
            chosen,
        }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Profanity {
    config: ProfanityConfig,
    matcher: Matcher,
    /// The languages whose lists are compiled into `matcher`, by index.
    chosen: Chosen,
}

/// Per-thread scratch space: the view, match and mask buffers are reused,
/// so a message allocates nothing here once they have grown (with no
/// match, nothing at all).
#[derive(Debug, Default)]
struct Scratch {
    view: View,
    hits: Vec<Hit>,
    allowed: Allowed,
    starred: Starred,
    /// The merged spans of the original text, with the category and
    /// severity of the strongest word in each.
    spans: Vec<(Range<usize>, Category, Severity)>,
    /// The replacement texts, one after another.
    masks: String,
    /// Where each span's replacement lies in `masks`.
    mask_ends: Vec<usize>,
}

impl Scratch {
    const fn new() -> Self {
        Self {
            view: View::new(),
            hits: Vec::new(),
            allowed: Allowed::new(),
            starred: Starred::new(),
            spans: Vec::new(),
            masks: String::new(),
            mask_ends: Vec::new(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

impl Profanity {
    /// Fills `scratch.spans` with the matched spans of `text` (merged,
    /// grapheme-aligned) and the category of the strongest word in each.
    fn scan(&self, text: &str, known: Option<&str>, scratch: &mut Scratch) {
        scratch.spans.clear();
        scratch.view.build(text);
        self.matcher.find(
            &scratch.view,
            &mut scratch.hits,
            &mut scratch.allowed,
            &mut scratch.starred,
        );
        self.drop_foreign_local_hits(text, known, &mut scratch.hits);
        for hit in &scratch.hits {
            // A hit is one whole word of the view.
            let (from, to) = scratch.view.original_span(hit.start);
            let span = mask::grapheme_floor(text, from)..mask::grapheme_ceil(text, to);
            let entry = &self.matcher.entries[hit.entry];
            match scratch.spans.last_mut() {
                Some(last) if span.start < last.0.end => {
                    last.0.end = last.0.end.max(span.end);
                    if entry.severity > last.2 {
                        (last.1, last.2) = (entry.category, entry.severity);
                    }
                }
                _ => scratch.spans.push((span, entry.category, entry.severity)),
            }
        }
    }

    /// With several languages, some matches count only in a message that
    /// reads as their own language: a `local` word (an ordinary word in
    /// another of them: Turkish "am"), and a word found inside a longer
    /// one (`infix`, `head`, `tail`: compounds are a language's own), save
    /// for the first language's, which count everywhere. The language is
    /// the one a rule set (`language`), else the one whose common words
    /// the message holds most; it is worked out only when such a match was
    /// found, so most messages never pay for it.
    fn drop_foreign_local_hits(&self, text: &str, known: Option<&str>, hits: &mut Vec<Hit>) {
        if self.chosen.len() < 2 {
            return;
        }
        let entries = &self.matcher.entries;
        let bound = |hit: &Hit| {
            let entry = &entries[hit.entry];
            entry.local || (hit.inside && entry.language != 0)
        };
        if !hits.iter().any(bound) {
            return;
        }
        let language = self.chosen.identify(text, known);
        hits.retain(|hit| !bound(hit) || Some(entries[hit.entry].language) == language);
    }

    /// [`Rule::check`] with the scratch space.
    fn check_with(
        &self,
        scratch: &mut Scratch,
        message: &mut Message<'_>,
        findings: &mut Findings,
    ) -> Verdict {
        let text = message.content();
        self.scan(text, message.language(), scratch);
        if scratch.spans.is_empty() {
            return Verdict::Continue;
        }
        for (span, category, _) in &scratch.spans {
            findings.report(category.as_str(), span.clone());
        }
        match self.config.action {
            ProfanityAction::Deny => Verdict::deny("profanity"),
            ProfanityAction::Tag => Verdict::Continue,
            ProfanityAction::Mask => {
                scratch.masks.clear();
                scratch.mask_ends.clear();
                for (span, _, _) in &scratch.spans {
                    mask::mask_into(
                        &text[span.clone()],
                        self.config.mask_style,
                        &self.config.replacement,
                        &mut scratch.masks,
                    );
                    scratch.mask_ends.push(scratch.masks.len());
                }
                let masks = scratch.masks.as_str();
                let starts = std::iter::once(0).chain(scratch.mask_ends.iter().copied());
                let edits = scratch
                    .spans
                    .iter()
                    .zip(starts.zip(scratch.mask_ends.iter().copied()))
                    .map(|((span, _, _), (from, to))| (span.clone(), &masks[from..to]));
                message.replace_content(edits);
                Verdict::Continue
            }
        }
    }
}

impl Rule for Profanity {
    fn id(&self) -> &str {
        ProfanityConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        if message.is_lex() || message.content().is_empty() {
            return Verdict::Continue;
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.check_with(&mut scratch, message, findings),
            Err(_) => self.check_with(&mut Scratch::new(), message, findings),
        })
    }
}

/// What two texts share when they say the same thing however written: the
/// letters of the profanity rule's normalised view (case, look-alikes,
/// diacritics, leetspeak, repeats and spelling-out undone) without the
/// word boundaries, so spacing tricks fold too; then each number of two or
/// more digits (the view reads digits as boundaries, and "call 555-0100"
/// differs from "call 555-0199"). Text with neither (emoji only, say)
/// falls back to its trimmed lower case. Used by the `duplicate` rule.
pub(crate) fn comparison_key(text: &str) -> Vec<u8> {
    let mut key: Vec<u8> = SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        scratch.view.build(text);
        scratch
            .view
            .bytes
            .iter()
            .copied()
            .filter(|&byte| byte != normalize::BOUNDARY)
            .collect()
    });
    let mut digits = String::new();
    for number in text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|number| number.len() >= 2)
    {
        digits.push('\0');
        digits.push_str(number);
    }
    key.extend_from_slice(digits.as_bytes());
    if key.is_empty() {
        key = text.trim().to_lowercase().into_bytes();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::ChannelMessage;

    fn run(
        config: ProfanityConfig,
        content: &str,
    ) -> (Verdict, String, Vec<(usize, usize, String)>) {
        let rule = config.build().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(content.into()),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        let mut findings = Findings::new();
        let verdict = rule.check(&mut message, &mut findings);
        let spans = findings
            .as_slice()
            .iter()
            .map(|f| (f.start, f.end, f.category.to_string()))
            .collect();
        (verdict, message.content().to_owned(), spans)
    }

    fn masked(content: &str) -> String {
        run(ProfanityConfig::default(), content).1
    }

    #[test]
    fn evasions_are_masked() {
        let cases = [
            ("what the fuck", "what the ****"),
            ("FuCkInG hell", "******* hell"),
            ("you sh*t", "you ****"),
            ("f u c k off", "******* off"),
            ("f.u.c.k", "*******"),
            ("b_l_o_w_j_o_b", "*************"),
            ("fuuuuuck", "********"),
            ("4rs3h01e", "********"),
            ("j4ck@$5 here", "******* here"),
            ("сunt", "****"),
            ("ｆｕｃｋ", "****"),
            ("𝐬𝐡𝐢𝐭", "****"),
            ("fùçkîñg", "*******"),
            ("cocks\u{200B}ucker", "**********"),
            ("motherfuckers!", "*************!"),
            ("bitches", "*******"),
            ("pussies", "*******"),
            ("shitty code", "****** code"),
            ("whoring", "*******"),
            ("pus5ie5", "*******"),
            ("d*ldo", "*****"),
            ("5h17!", "****!"),
            ("a$$", "***"),
        ];
        for (input, expected) in cases {
            assert_eq!(masked(input), expected, "{input:?}");
        }
    }

    #[test]
    fn scunthorpe_words_pass() {
        for clean in [
            "assassin",
            "Scunthorpe",
            "cocktail",
            "Essex",
            "class",
            "bass",
            "therapist",
            "snigger",
            "Dickens",
            "grape",
            "shiitake",
            "analysis",
            "document",
            "Cockburn",
            "Penistone",
            "arsenal",
            "cocker spaniel",
            "cum laude",
            "cumin",
            "spicy",
            "passage",
            "Dickinson",
            "scrapbook",
            "hello",
            "button",
            "Niger",
            "dido",
            "as",
            "version 5.5.1",
            "a55",
            "10:01",
            "I am a b c",
            "Sussex",
            "cockatoo",
            "assess",
            "assessment",
        ] {
            assert_eq!(masked(clean), clean, "{clean:?}");
        }
    }

    #[test]
    fn infix_words_match_anywhere_inside_a_word() {
        // A longer spelling at the word start that fails its suffix check
        // ("dumbfuck" + "ington") must not hide the infix word after it.
        for (input, expected) in [
            ("dumbfuckington", "**************"),
            ("handjobarsehole", "***************"),
            ("sonofabitcher", "*************"),
            ("xxmotherfuckerxx", "****************"),
        ] {
            assert_eq!(masked(input), expected, "{input:?}");
        }
    }

    #[test]
    fn an_allow_phrase_protects_the_words_it_spans() {
        // "cum" is blocked on its own; inside "summa cum laude" it is not,
        // even when the phrase runs on into a longer word.
        for clean in ["summa cum laude", "summa cum laudes", "summa cum laudex"] {
            assert_eq!(masked(clean), clean, "{clean:?}");
        }
        assert_eq!(masked("cum laudex cum"), "cum laudex ***");
    }

    #[test]
    fn short_and_long_texts_take_the_same_decisions() {
        // Infix words are found by walking each position in short buffers
        // (a starred word) and by the infix automaton in longer ones: both
        // must agree.
        let padding = "the release notes are ready for review ";
        assert!(padding.len() > matcher::SHORT);
        for word in [
            "motherfucker",
            "dumbfuckington",
            "jizzbitch",
            "camwhores",
            "assholes",
            "sh*tfucker",
            "f*ckwhore",
            "dickheadx",
            "cocky",
            "cockyfuck",
            "scunthorpe",
        ] {
            let alone = masked(word);
            let padded = masked(&format!("{padding}{word}"));
            assert_eq!(&padded[padding.len()..], alone, "{word:?}");
        }
    }

    #[test]
    fn findings_use_list_categories_and_original_spans() {
        let (_, _, spans) = run(ProfanityConfig::default(), "oh f.u.c.k, you kike");
        assert_eq!(
            spans,
            vec![(3, 10, "general".into()), (16, 20, "slur".into())]
        );
    }

    #[test]
    fn actions_and_styles() {
        let deny = ProfanityConfig {
            action: ProfanityAction::Deny,
            ..Default::default()
        };
        let (verdict, text, spans) = run(deny, "total shithead");
        assert_eq!(verdict, Verdict::deny("profanity"));
        assert_eq!((text.as_str(), spans.len()), ("total shithead", 1));
        let tag = ProfanityConfig {
            action: ProfanityAction::Tag,
            ..Default::default()
        };
        let (verdict, text, spans) = run(tag, "total shithead");
        assert_eq!(
            (verdict, text.as_str(), spans.len()),
            (Verdict::Continue, "total shithead", 1)
        );
        let styles = [
            (MaskStyle::FirstLetter, "f***ing great"),
            (MaskStyle::Grawlix, "@#$%&!@ great"),
            (MaskStyle::Fixed, "[bleep] great"),
        ];
        for (mask_style, expected) in styles {
            let config = ProfanityConfig {
                mask_style,
                replacement: "[bleep]".into(),
                ..Default::default()
            };
            let out = run(config, "fucking great").1;
            let expected = if mask_style == MaskStyle::FirstLetter {
                "f****** great"
            } else {
                expected
            };
            assert_eq!(out, expected, "{mask_style:?}");
        }
    }

    #[test]
    fn options_filter_and_extend() {
        let mild = ProfanityConfig {
            min_severity: Severity::Mild,
            ..Default::default()
        };
        assert_eq!(run(mild, "damn it").1, "**** it");
        assert_eq!(
            masked("damn it"),
            "damn it",
            "mild words are off by default"
        );
        let slurs_only = ProfanityConfig {
            categories: vec![Category::Slur],
            ..Default::default()
        };
        assert_eq!(run(slurs_only, "shit kike").1, "shit ****");
        let extra = ProfanityConfig {
            block: vec![
                ExtraWord::Word("frak".into()),
                ExtraWord::Full {
                    word: "smeg".into(),
                    category: Category::Insult,
                    severity: Severity::Severe,
                },
            ],
            allow: vec!["shitake".into()],
            ..Default::default()
        };
        let (_, text, spans) = run(extra, "fr4kking smeg shitake shit");
        assert_eq!(text, "******** **** shitake ****");
        assert_eq!(spans[1].2, "insult");
    }

    #[test]
    fn lex_replies_are_skipped() {
        let rule = ProfanityConfig::default().build().unwrap();
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some("{\"text\":\"shit\"}".into()),
            content_type: Some(chimeflow_core::LEX_CONTENT_TYPE.into()),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        assert_eq!(
            rule.check(&mut message, &mut Findings::new()),
            Verdict::Continue
        );
        assert!(!message.is_changed());
    }

    #[test]
    fn bad_options_fail_at_build() {
        let cases: [(ProfanityConfig, &str); 7] = [
            (
                ProfanityConfig {
                    language: Some("xx".into()),
                    ..Default::default()
                },
                "language",
            ),
            (
                ProfanityConfig {
                    languages: Languages::List(vec!["en".into(), "xx".into()]),
                    ..Default::default()
                },
                "languages",
            ),
            (
                ProfanityConfig {
                    languages: Languages::List(vec![]),
                    ..Default::default()
                },
                "languages",
            ),
            (
                ProfanityConfig {
                    languages: Languages::Word("es".into()),
                    language: Some("en".into()),
                    ..Default::default()
                },
                "language",
            ),
            (
                ProfanityConfig {
                    categories: vec![],
                    ..Default::default()
                },
                "categories",
            ),
            (
                ProfanityConfig {
                    block: vec![ExtraWord::Word("!!".into())],
                    ..Default::default()
                },
                "block",
            ),
            (
                ProfanityConfig {
                    mask_style: MaskStyle::Fixed,
                    replacement: String::new(),
                    ..Default::default()
                },
                "replacement",
            ),
        ];
        for (config, key) in cases {
            assert_eq!(
                config.build().err().and_then(|e| e.key).as_deref(),
                Some(key)
            );
        }
    }

    #[test]
    fn config_parses_from_toml() {
        let config: ProfanityConfig = toml::from_str(
            "action = \"deny\"\nmask_style = \"first-letter\"\nblock = [\"frak\", { word = \"smeg\", severity = \"mild\" }]",
        )
        .unwrap();
        assert_eq!(config.action, ProfanityAction::Deny);
        assert_eq!(config.block.len(), 2);
        assert!(toml::from_str::<ProfanityConfig>("colour = 1").is_err());
    }
}

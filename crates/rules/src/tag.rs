//! The `tag` rule: writes what the rules before it found into the message.

use std::collections::BTreeMap;

use chimeflow_core::limits::{self, ATTRIBUTES_MAX_BYTES, METADATA_MAX};
use chimeflow_core::{
    Findings, Message, MessageAttributeValue, OptionError, Rule, RuleConfig, Verdict,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

macro_rules! doc_text {
    () => {
        r#"tag: write a summary of what the rules before it found into the message.

What it does
  Counts the findings of the rules that ran before it, per rule and
  category, and writes them:
  - into Metadata, as a JSON object under `metadata_key`, when Metadata is
    empty or holds a JSON object (merged: other keys are never touched;
    Metadata that is not a JSON object is left alone);
  - into MessageAttributes, as the string list `attribute` = the rule ids
    (or categories) that found something, which push-notification filter
    rules can match.
  Place it after the rules whose findings it summarises.

  The metadata summary, e.g. with metadata_key = "moderation":
    {"moderation": {"findings": {"pii": {"EMAIL": 1}}, "changed": true}}
  With observed = true it also says what rules before it in observe mode
  would have done (mode = "observe"), e.g.
    {"moderation": {"findings": {}, "changed": false,
                    "observed": {"profanity": "DENY"}}}
  so that clients or a later process can see a rule's effect while it is
  rolled out; their findings are not counted.
  It always fits the 1024-character Metadata limit, degrading in steps:
  full summary; then counts per rule only ({"rules": {"pii": 3}});
  then {"flagged": true}; then nothing. Attribute values that would
  break the 1 KB attribute limit are dropped from the end.

Options
  metadata_key     = "moderation"  key in the Metadata object ("" = no metadata)
  attribute        = "moderation"  attribute name ("" = no attribute)
  attribute_values = "rules"       "rules" or "categories"
  only_when_found  = true          write nothing when nothing was found
  observed         = false         also summarise observed rules' actions
                                   (they count as found)

Example
  [[rules]]
  type = "tag"
  metadata_key = "moderation"
  attribute = "flags"
  attribute_values = "categories"

Limitations
  Lex replies are not tagged in Metadata (their Metadata is the bot's).
  Metadata that is not a JSON object (plain text) is never rewritten.
"#
    };
}

/// What the attribute lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeValues {
    /// The ids of the rules that found something.
    #[default]
    Rules,
    /// The categories found.
    Categories,
}

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TagConfig {
    /// Key in the Metadata object; empty disables metadata tagging.
    pub metadata_key: String,
    /// Attribute name; empty disables attribute tagging.
    pub attribute: String,
    /// What the attribute lists.
    pub attribute_values: AttributeValues,
    /// Write nothing when nothing was found.
    pub only_when_found: bool,
    /// Also summarise what rules in observe mode would have done.
    pub observed: bool,
}

impl Default for TagConfig {
    fn default() -> Self {
        Self {
            metadata_key: "moderation".into(),
            attribute: "moderation".into(),
            attribute_values: AttributeValues::Rules,
            only_when_found: true,
            observed: false,
        }
    }
}

impl RuleConfig for TagConfig {
    const TYPE: &'static str = "tag";
    const SUMMARY: &'static str =
        "Write a summary of earlier findings into Metadata (JSON) and MessageAttributes.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if !self.attribute.is_empty()
            && limits::utf16_len(&self.attribute) > limits::ATTRIBUTE_KEY_LEN.1
        {
            return Err(OptionError::new("attribute", "at most 64 characters"));
        }
        if self.metadata_key.len() > 128 {
            return Err(OptionError::new("metadata_key", "at most 128 characters"));
        }
        Ok(Box::new(Tag { config: self }))
    }
}

/// The built rule.
#[derive(Debug)]
pub struct Tag {
    config: TagConfig,
}

impl Rule for Tag {
    fn id(&self) -> &str {
        TagConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        let observed: BTreeMap<String, &'static str> = if self.config.observed {
            message
                .observations()
                .iter()
                .map(|o| (o.rule.clone(), o.action.as_str()))
                .collect()
        } else {
            BTreeMap::new()
        };
        if self.config.only_when_found && findings.is_empty() && observed.is_empty() {
            return Verdict::Continue;
        }
        let mut counts: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
        for finding in findings.as_slice() {
            *counts
                .entry(&finding.rule)
                .or_default()
                .entry(&finding.category)
                .or_default() += 1;
        }
        if !self.config.metadata_key.is_empty() && !message.is_lex() {
            self.tag_metadata(message, &counts, &observed);
        }
        if !self.config.attribute.is_empty() {
            let values: Vec<&str> = match self.config.attribute_values {
                AttributeValues::Rules => counts.keys().copied().collect(),
                AttributeValues::Categories => {
                    let mut all: Vec<&str> =
                        counts.values().flat_map(|c| c.keys().copied()).collect();
                    all.sort_unstable();
                    all.dedup();
                    all
                }
            };
            self.tag_attributes(message, &values);
        }
        Verdict::Continue
    }
}

impl Tag {
    /// The summaries to try, most detailed first.
    fn summaries(
        counts: &BTreeMap<&str, BTreeMap<&str, u64>>,
        changed: bool,
        observed: &BTreeMap<String, &'static str>,
    ) -> [Value; 3] {
        let per_rule: Map<String, Value> = counts
            .iter()
            .map(|(rule, categories)| ((*rule).to_owned(), json!(categories.values().sum::<u64>())))
            .collect();
        let mut full = json!({"findings": counts, "changed": changed});
        let mut compact = json!({"rules": per_rule, "changed": changed});
        if !observed.is_empty() {
            full["observed"] = json!(observed);
            compact["observed"] = json!(observed);
        }
        [
            full,
            compact,
            json!({"flagged": !counts.is_empty() || !observed.is_empty()}),
        ]
    }

    fn tag_metadata(
        &self,
        message: &mut Message<'_>,
        counts: &BTreeMap<&str, BTreeMap<&str, u64>>,
        observed: &BTreeMap<String, &'static str>,
    ) {
        let mut object = match message.metadata().map(str::trim) {
            None | Some("") => Map::new(),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(object)) => object,
                _ => return,
            },
        };
        let key = self.config.metadata_key.clone();
        for summary in Self::summaries(counts, message.is_changed(), observed) {
            object.insert(key.clone(), summary);
            let text = Value::Object(object.clone()).to_string();
            if limits::utf16_len(&text) <= METADATA_MAX {
                message.set_metadata(text);
                return;
            }
        }
    }

    fn tag_attributes(&self, message: &mut Message<'_>, values: &[&str]) {
        let name = &self.config.attribute;
        let mut others = message.attributes().clone();
        others.remove(name);
        let mut budget =
            ATTRIBUTES_MAX_BYTES.saturating_sub(limits::attributes_size(&others) + name.len());
        let mut kept = Vec::new();
        for value in values {
            if value.is_empty()
                || limits::utf16_len(value) > limits::ATTRIBUTE_VALUE_LEN.1
                || value.len() > budget
            {
                continue;
            }
            budget -= value.len();
            kept.push((*value).to_owned());
        }
        if kept.is_empty() {
            return;
        }
        message
            .attributes_mut()
            .insert(name.clone(), MessageAttributeValue::new(kept));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::{ChannelMessage, MessageAttributes, Pipeline};

    /// A rule that reports fixed findings.
    struct Reports(&'static str, Vec<&'static str>);

    impl Rule for Reports {
        fn id(&self) -> &str {
            self.0
        }
        fn check(&self, _message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
            for category in &self.1 {
                findings.report(*category, 0..1);
            }
            Verdict::Continue
        }
    }

    fn run(
        config: TagConfig,
        metadata: Option<&str>,
        attributes: MessageAttributes,
        reports: Vec<Reports>,
    ) -> (Option<String>, MessageAttributes) {
        let mut rules: Vec<Box<dyn Rule>> = reports
            .into_iter()
            .map(|r| Box::new(r) as Box<dyn Rule>)
            .collect();
        rules.push(config.build().unwrap());
        let pipeline = Pipeline::new(rules);
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some("hello".into()),
            metadata: metadata.map(Into::into),
            message_attributes: Some(attributes),
            ..Default::default()
        };
        let mut message = Message::new(&received);
        pipeline.check(&mut message, &mut Findings::new());
        (
            message.metadata().map(str::to_owned),
            message.attributes().clone(),
        )
    }

    fn found() -> Vec<Reports> {
        vec![
            Reports("pii", vec!["EMAIL", "EMAIL", "PHONE"]),
            Reports("profanity", vec!["insult"]),
        ]
    }

    #[test]
    fn summary_goes_into_empty_metadata_and_attributes() {
        let (metadata, attributes) = run(
            TagConfig::default(),
            None,
            MessageAttributes::new(),
            found(),
        );
        let metadata: Value = serde_json::from_str(&metadata.unwrap()).unwrap();
        assert_eq!(metadata["moderation"]["findings"]["pii"]["EMAIL"], 2);
        assert_eq!(metadata["moderation"]["findings"]["profanity"]["insult"], 1);
        assert_eq!(attributes["moderation"].string_values, ["pii", "profanity"]);
    }

    #[test]
    fn existing_metadata_keys_are_kept() {
        let (metadata, _) = run(
            TagConfig::default(),
            Some(r#"{"z":1,"a":{"b":2}}"#),
            MessageAttributes::new(),
            found(),
        );
        let text = metadata.unwrap();
        assert!(
            text.starts_with(r#"{"z":1,"a":{"b":2},"moderation":"#),
            "{text}"
        );
    }

    #[test]
    fn non_object_metadata_is_left_alone() {
        for original in ["plain text", "[1,2]", "\"s\""] {
            let (metadata, _) = run(
                TagConfig::default(),
                Some(original),
                MessageAttributes::new(),
                found(),
            );
            assert_eq!(metadata.as_deref(), Some(original));
        }
    }

    #[test]
    fn nothing_found_writes_nothing() {
        let (metadata, attributes) =
            run(TagConfig::default(), None, MessageAttributes::new(), vec![]);
        assert_eq!(metadata, None);
        assert!(attributes.is_empty());
    }

    #[test]
    fn summaries_degrade_to_fit_1024() {
        let padding = format!(r#"{{"pad":"{}"}}"#, "x".repeat(1024 - 60));
        let (metadata, _) = run(
            TagConfig::default(),
            Some(&padding),
            MessageAttributes::new(),
            found(),
        );
        let text = metadata.unwrap();
        assert!(limits::utf16_len(&text) <= METADATA_MAX, "{}", text.len());
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["moderation"], json!({"flagged": true}));

        let full = format!(r#"{{"pad":"{}"}}"#, "x".repeat(1020));
        let (metadata, _) = run(
            TagConfig::default(),
            Some(&full),
            MessageAttributes::new(),
            found(),
        );
        assert_eq!(
            metadata.as_deref(),
            Some(full.as_str()),
            "no room: untouched"
        );
    }

    #[test]
    fn attribute_values_fit_the_attribute_budget() {
        let big: MessageAttributes = [(
            "other".to_owned(),
            MessageAttributeValue::new(["v".repeat(1005)]),
        )]
        .into();
        let (_, attributes) = run(TagConfig::default(), None, big, found());
        assert!(limits::attributes_size(&attributes) <= ATTRIBUTES_MAX_BYTES);
        assert_eq!(attributes["moderation"].string_values, ["pii"]);
    }

    #[test]
    fn categories_can_be_listed_instead() {
        let config = TagConfig {
            attribute_values: AttributeValues::Categories,
            metadata_key: String::new(),
            ..TagConfig::default()
        };
        let (metadata, attributes) = run(config, None, MessageAttributes::new(), found());
        assert_eq!(metadata, None);
        assert_eq!(
            attributes["moderation"].string_values,
            ["EMAIL", "PHONE", "insult"]
        );
    }
}

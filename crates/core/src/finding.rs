//! Findings: what a rule found, where, never the matched text.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

/// The message field a finding points into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Field {
    /// `Content` (spans are mapped back to the content as received).
    #[default]
    Content,
    /// `Metadata` (spans are in the metadata as the rule saw it).
    Metadata,
    /// A message attribute (spans are not meaningful).
    MessageAttributes,
}

impl Field {
    fn is_content(&self) -> bool {
        *self == Field::Content
    }
}

/// One thing a rule found: which rule, what kind, and where in the original
/// text (byte offsets into the UTF-8 content as received). It never holds the
/// matched text, so findings are safe to log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Finding {
    /// The id of the rule that reported it.
    pub rule: Arc<str>,
    /// What was found, e.g. `EMAIL` or `profanity`.
    pub category: Cow<'static, str>,
    /// The field it was found in; omitted for Content.
    #[serde(skip_serializing_if = "Field::is_content")]
    pub field: Field,
    /// First byte of the span in the original text.
    pub start: usize,
    /// One past the last byte of the span in the original text.
    pub end: usize,
}

impl Finding {
    /// The span as a range.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// The findings of a pipeline run. Rules report into it; the pipeline stamps
/// each finding with the reporting rule's id and maps its span back to the
/// original content.
#[derive(Clone, Debug, Default)]
pub struct Findings {
    items: Vec<Finding>,
    current_rule: Option<Arc<str>>,
}

impl Findings {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reports a finding in the content. `span` is in bytes of the content
    /// as this rule received it (before its own edits).
    ///
    /// ```
    /// use chimeflow_core::Findings;
    ///
    /// let mut findings = Findings::new();
    /// findings.report("EMAIL", 5..11);
    /// assert_eq!(findings.len(), 1);
    /// let finding = &findings.as_slice()[0];
    /// assert_eq!((finding.category.as_ref(), finding.span()), ("EMAIL", 5..11));
    /// // Outside a pipeline no rule is running; a pipeline stamps each finding
    /// // with the id of the rule that reported it.
    /// assert_eq!(&*finding.rule, "unknown");
    /// ```
    pub fn report(&mut self, category: impl Into<Cow<'static, str>>, span: Range<usize>) {
        self.report_in(Field::Content, category, span);
    }

    /// Reports a finding in another field.
    pub fn report_in(
        &mut self,
        field: Field,
        category: impl Into<Cow<'static, str>>,
        span: Range<usize>,
    ) {
        let rule = self
            .current_rule
            .clone()
            .unwrap_or_else(|| Arc::from("unknown"));
        self.items.push(Finding {
            rule,
            category: category.into(),
            field,
            start: span.start,
            end: span.end,
        });
    }

    /// The findings so far.
    pub fn as_slice(&self) -> &[Finding] {
        &self.items
    }

    /// How many findings there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The findings, owned.
    pub fn into_vec(self) -> Vec<Finding> {
        self.items
    }

    /// The id of the rule now running, if any (the pipeline stamps each
    /// finding with it; which rule decided is [`PipelineRun`](crate::PipelineRun)'s to say).
    pub fn current_rule(&self) -> Option<&Arc<str>> {
        self.current_rule.as_ref()
    }

    pub(crate) fn set_current_rule(&mut self, rule: Option<Arc<str>>) -> Option<Arc<str>> {
        std::mem::replace(&mut self.current_rule, rule)
    }

    pub(crate) fn items_mut(&mut self) -> &mut [Finding] {
        &mut self.items
    }
}

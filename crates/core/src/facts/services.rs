//! Questions for services (Amazon Comprehend), asked before the rules run.

/// Which service call: at most one of each per message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum ServiceKind {
    /// Comprehend `DetectToxicContent`.
    Toxicity,
    /// Comprehend `DetectPiiEntities`.
    PiiEntities,
    /// Comprehend `DetectDominantLanguage`.
    DominantLanguage,
}

impl ServiceKind {
    /// The API operation's name, for logs and metrics.
    pub fn operation(&self) -> &'static str {
        match self {
            ServiceKind::Toxicity => "DetectToxicContent",
            ServiceKind::PiiEntities => "DetectPiiEntities",
            ServiceKind::DominantLanguage => "DetectDominantLanguage",
        }
    }
}

/// A question for a service about this message's text, as the rules
/// before the asking rule left it (what a local rule redacted never
/// leaves the processor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceRequest {
    /// Toxicity of each segment (at most 10 of at most 1 KB each).
    Toxicity {
        /// The segments, in order, covering `text` from its start.
        segments: Vec<String>,
        /// A language Comprehend's toxicity detection supports (`en`).
        language: String,
    },
    /// Personal data entities in `text`.
    PiiEntities {
        /// The text.
        text: String,
        /// Its language (`en` or `es`).
        language: String,
    },
    /// The dominant language of `text`.
    DominantLanguage {
        /// The text.
        text: String,
    },
}

impl ServiceRequest {
    /// Which call it is.
    pub fn kind(&self) -> ServiceKind {
        match self {
            ServiceRequest::Toxicity { .. } => ServiceKind::Toxicity,
            ServiceRequest::PiiEntities { .. } => ServiceKind::PiiEntities,
            ServiceRequest::DominantLanguage { .. } => ServiceKind::DominantLanguage,
        }
    }

    /// The text the request carries (segments joined).
    pub fn text(&self) -> String {
        match self {
            ServiceRequest::Toxicity { segments, .. } => segments.concat(),
            ServiceRequest::PiiEntities { text, .. }
            | ServiceRequest::DominantLanguage { text } => text.clone(),
        }
    }

    /// The units Comprehend bills for it: 100 characters a unit, at least
    /// 3 units a request (<https://aws.amazon.com/comprehend/pricing/>).
    ///
    /// ```
    /// use chimeflow_core::ServiceRequest;
    ///
    /// let short = ServiceRequest::DominantLanguage { text: "hi".into() };
    /// assert_eq!(short.billed_units(), 3);
    /// let long = ServiceRequest::DominantLanguage { text: "x".repeat(401) };
    /// assert_eq!(long.billed_units(), 5);
    /// ```
    pub fn billed_units(&self) -> u64 {
        let chars = self.text().chars().count() as u64;
        chars.div_ceil(100).max(3)
    }
}

/// A service's answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceAnswer {
    /// `DetectToxicContent`: one result per segment, in order.
    Toxicity(Vec<SegmentToxicity>),
    /// `DetectPiiEntities`: the entities, with byte offsets into the text
    /// sent.
    PiiEntities(Vec<PiiEntity>),
    /// `DetectDominantLanguage`: languages, most likely first.
    DominantLanguage(Vec<LanguageScore>),
}

/// The toxicity of one segment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentToxicity {
    /// The overall toxicity score, 0 to 1.
    pub toxicity: f32,
    /// Each label (`PROFANITY`, `HATE_SPEECH`, `INSULT`, `GRAPHIC`,
    /// `HARASSMENT_OR_ABUSE`, `SEXUAL`, `VIOLENCE_OR_THREAT`) and its score.
    pub labels: Vec<(String, f32)>,
}

/// A personal data entity found by a service.
#[derive(Clone, Debug, PartialEq)]
pub struct PiiEntity {
    /// Comprehend's entity type (`NAME`, `ADDRESS`, ...).
    pub kind: String,
    /// Its confidence, 0 to 1.
    pub score: f32,
    /// Its first byte in the text sent.
    pub start: usize,
    /// One past its last byte in the text sent.
    pub end: usize,
}

/// A language and its score.
#[derive(Clone, Debug, PartialEq)]
pub struct LanguageScore {
    /// The language code (`en`, `de`, `zh-TW`, ...).
    pub code: String,
    /// Its confidence, 0 to 1.
    pub score: f32,
}

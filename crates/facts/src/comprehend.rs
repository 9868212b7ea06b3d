//! Amazon Comprehend: the three detect calls of the Comprehend-backed rules.

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_comprehend::types::{LanguageCode, TextSegment};
use chimeflow_core::{LanguageScore, PiiEntity, SegmentToxicity, ServiceAnswer, ServiceRequest};
use futures_util::future::{BoxFuture, FutureExt};

use crate::services::Services;
use crate::store::StoreError;

/// Asks Amazon Comprehend (`DetectToxicContent`, `DetectPiiEntities`,
/// `DetectDominantLanguage`): one synchronous call per question, the SDK's
/// retries off (the stage's budget is the bound). Answers are checked for
/// shape (one result per segment, offsets inside the text) and
/// `DetectPiiEntities`' character offsets become byte offsets.
#[derive(Clone, Debug)]
pub struct Comprehend {
    client: Client,
}

impl Comprehend {
    /// Comprehend through `client`.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A client from the environment (region, credentials,
    /// `AWS_ENDPOINT_URL_COMPREHEND`), without SDK retries.
    ///
    /// `CHIMEFLOW_COMPREHEND_ACCESS_KEY_ID`, `..._SECRET_ACCESS_KEY`,
    /// `..._SESSION_TOKEN` and `CHIMEFLOW_COMPREHEND_REGION`, when set,
    /// are Comprehend's own credentials and region: what `chimeflow local
    /// --comprehend aws` hands the processor, whose other calls go to the
    /// local emulator with placeholder credentials.
    pub async fn from_env() -> Self {
        let own = |name: &str| {
            std::env::var(format!("CHIMEFLOW_COMPREHEND_{name}"))
                .ok()
                .filter(|v| !v.is_empty())
        };
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::disabled());
        if let (Some(id), Some(secret)) = (own("ACCESS_KEY_ID"), own("SECRET_ACCESS_KEY")) {
            loader = loader.credentials_provider(aws_sdk_comprehend::config::Credentials::new(
                id,
                secret,
                own("SESSION_TOKEN"),
                None,
                "chimeflow-comprehend",
            ));
        }
        if let Some(region) = own("REGION") {
            loader = loader.region(aws_sdk_comprehend::config::Region::new(region));
        }
        Self::new(Client::new(&loader.load().await))
    }

    /// A stand-in at `endpoint` with placeholder credentials: for
    /// `chimeflow process --comprehend-endpoint` and tests.
    pub fn local(endpoint: &str, region: &str) -> Self {
        use aws_sdk_comprehend::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_comprehend::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new(
                "chimeflow-local",
                "chimeflow-local",
                None,
                None,
                "chimeflow-local",
            ))
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .build();
        Self::new(Client::from_conf(config))
    }

    async fn call(&self, request: &ServiceRequest) -> Result<ServiceAnswer, StoreError> {
        match request {
            ServiceRequest::Toxicity { segments, language } => {
                let segments = segments
                    .iter()
                    .map(|text| TextSegment::builder().text(text).build())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| StoreError::Failed(format!("request: {e}")))?;
                let count = segments.len();
                let output = self
                    .client
                    .detect_toxic_content()
                    .set_text_segments(Some(segments))
                    .language_code(LanguageCode::from(language.as_str()))
                    .send()
                    .await
                    .map_err(classify)?;
                let results = output.result_list();
                if results.len() != count {
                    return Err(StoreError::Failed("MalformedAnswer".into()));
                }
                Ok(ServiceAnswer::Toxicity(
                    results
                        .iter()
                        .map(|result| SegmentToxicity {
                            toxicity: result.toxicity().unwrap_or(0.0),
                            labels: result
                                .labels()
                                .iter()
                                .filter_map(|label| {
                                    Some((label.name()?.as_str().to_owned(), label.score()?))
                                })
                                .collect(),
                        })
                        .collect(),
                ))
            }
            ServiceRequest::PiiEntities { text, language } => {
                let output = self
                    .client
                    .detect_pii_entities()
                    .text(text)
                    .language_code(LanguageCode::from(language.as_str()))
                    .send()
                    .await
                    .map_err(classify)?;
                let bytes = char_to_byte(text);
                let mut entities = Vec::new();
                for entity in output.entities() {
                    let (Some(kind), Some(begin), Some(end)) =
                        (entity.r#type(), entity.begin_offset(), entity.end_offset())
                    else {
                        return Err(StoreError::Failed("MalformedAnswer".into()));
                    };
                    let (Ok(begin), Ok(end)) = (usize::try_from(begin), usize::try_from(end))
                    else {
                        return Err(StoreError::Failed("MalformedAnswer".into()));
                    };
                    if begin >= end || end >= bytes.len() {
                        return Err(StoreError::Failed("MalformedAnswer".into()));
                    }
                    entities.push(PiiEntity {
                        kind: kind.as_str().to_owned(),
                        score: entity.score().unwrap_or(0.0),
                        start: bytes[begin],
                        end: bytes[end],
                    });
                }
                Ok(ServiceAnswer::PiiEntities(entities))
            }
            ServiceRequest::DominantLanguage { text } => {
                let output = self
                    .client
                    .detect_dominant_language()
                    .text(text)
                    .send()
                    .await
                    .map_err(classify)?;
                let mut languages: Vec<LanguageScore> = output
                    .languages()
                    .iter()
                    .filter_map(|language| {
                        Some(LanguageScore {
                            code: language.language_code()?.to_owned(),
                            score: language.score().unwrap_or(0.0),
                        })
                    })
                    .collect();
                languages.sort_by(|a, b| b.score.total_cmp(&a.score));
                Ok(ServiceAnswer::DominantLanguage(languages))
            }
        }
    }
}

impl Services for Comprehend {
    fn ask<'a>(
        &'a self,
        request: &'a ServiceRequest,
    ) -> BoxFuture<'a, Result<ServiceAnswer, StoreError>> {
        self.call(request).boxed()
    }

    fn kind(&self) -> &'static str {
        "comprehend"
    }
}

/// The byte offset of each character of `text`, and of its end: index
/// `i` is where character `i` starts (Comprehend counts characters).
fn char_to_byte(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// Throttling (`TooManyRequestsException`) apart from every other failure;
/// the error code only.
fn classify<E: ProvideErrorMetadata, R>(error: SdkError<E, R>) -> StoreError {
    let code = match &error {
        SdkError::ServiceError(service) => service.err().code().unwrap_or("Unknown").to_owned(),
        SdkError::TimeoutError(_) => "Timeout".into(),
        SdkError::DispatchFailure(_) => "DispatchFailure".into(),
        SdkError::ResponseError(_) => "ResponseError".into(),
        SdkError::ConstructionFailure(_) => "ConstructionFailure".into(),
        _ => "Unknown".into(),
    };
    match code.as_str() {
        "TooManyRequestsException" | "ThrottlingException" => StoreError::Throttled(code),
        _ => StoreError::Failed(code),
    }
}

#[cfg(test)]
mod tests {
    use super::char_to_byte;

    #[test]
    fn character_offsets_become_byte_offsets() {
        let text = "né 🙂 x";
        let bytes = char_to_byte(text);
        assert_eq!(bytes.len(), text.chars().count() + 1);
        assert_eq!(&text[bytes[3]..bytes[4]], "🙂");
        assert_eq!(bytes[6], text.len());
    }
}

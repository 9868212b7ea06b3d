//! The Comprehend stand-in, through aws-sdk-comprehend: its answers parse in
//! the SDK, its errors and faults surface as the SDK reports the service's,
//! and the requests it records are checked against botocore's model (a
//! deliberately invalid one is reported).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::config::retry::RetryConfig;
use aws_sdk_comprehend::config::timeout::TimeoutConfig;
use aws_sdk_comprehend::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_comprehend::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_comprehend::operation::detect_toxic_content::DetectToxicContentError;
use aws_sdk_comprehend::types::{LanguageCode, PiiEntityType, TextSegment, ToxicContentType};
use chimeflow_e2e::{
    ComprehendReply, ComprehendStub, assert_valid_comprehend_requests, toxic_labels,
};

fn client_with(stub: &ComprehendStub, retry: RetryConfig, timeout: Duration) -> Client {
    let config = aws_sdk_comprehend::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(stub.endpoint())
        .retry_config(retry)
        .timeout_config(TimeoutConfig::builder().operation_timeout(timeout).build())
        .build();
    Client::from_conf(config)
}

/// One attempt per call, 10 s at most.
fn client(stub: &ComprehendStub) -> Client {
    client_with(stub, RetryConfig::disabled(), Duration::from_secs(10))
}

fn segments(texts: &[&str]) -> Vec<TextSegment> {
    texts
        .iter()
        .map(|text| TextSegment::builder().text(*text).build().unwrap())
        .collect()
}

async fn toxic(
    client: &Client,
    texts: &[&str],
) -> Result<
    aws_sdk_comprehend::operation::detect_toxic_content::DetectToxicContentOutput,
    SdkError<DetectToxicContentError, aws_sdk_comprehend::config::http::HttpResponse>,
> {
    client
        .detect_toxic_content()
        .set_text_segments(Some(segments(texts)))
        .language_code(LanguageCode::En)
        .send()
        .await
}

/// What the validator says about these requests: Ok, or its report.
fn validator_report<R>(requests: &[chimeflow_e2e::RecordedRequest<R>]) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        assert_valid_comprehend_requests(requests)
    }));
    outcome.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

#[tokio::test]
async fn default_answers_parse_in_the_sdk() {
    let stub = ComprehendStub::start(vec![]).await;
    let client = client(&stub);

    let toxicity = toxic(&client, &["hello there", "how are you", "fine thanks"])
        .await
        .unwrap();
    assert_eq!(toxicity.result_list().len(), 3, "one result per segment");
    for result in toxicity.result_list() {
        assert!(result.toxicity().unwrap() < 0.1);
        assert_eq!(result.labels().len(), 7);
        assert!(result.labels().iter().all(|l| l.score().unwrap() < 0.1));
        assert!(result.labels().iter().all(|l| {
            l.name()
                .is_some_and(|n| ToxicContentType::values().contains(&n.as_str()))
        }));
    }

    let pii = client
        .detect_pii_entities()
        .text("nothing personal here")
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    assert!(pii.entities().is_empty());

    let language = client
        .detect_dominant_language()
        .text("a sentence long enough to detect its language")
        .send()
        .await
        .unwrap();
    assert_eq!(language.languages().len(), 1);
    assert_eq!(language.languages()[0].language_code(), Some("en"));
    assert!(language.languages()[0].score().unwrap() > 0.9);

    let requests = stub.requests();
    let operations: Vec<_> = requests.iter().filter_map(|r| r.operation()).collect();
    assert_eq!(
        operations,
        [
            "DetectToxicContent",
            "DetectPiiEntities",
            "DetectDominantLanguage"
        ]
    );
    // AWS JSON 1.1 as the SDK sends it: if a newer SDK moved to another
    // protocol (botocore's model also offers smithy-rpc-v2-cbor), this fails
    // before the stand-in silently misunderstands it.
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/");
        assert_eq!(
            request.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert!(
            request
                .header("x-amz-target")
                .unwrap()
                .starts_with("Comprehend_20171127.")
        );
        assert!(request.header("authorization").is_some(), "signed");
        assert_eq!(request.reply, ComprehendReply::default_answer());
    }
    assert_eq!(stub.requests_of("DetectPiiEntities").len(), 1);
    assert!(stub.probes().is_empty());
    assert_valid_comprehend_requests(&requests);
}

#[tokio::test]
async fn scripted_answers_are_per_operation_then_the_default() {
    let stub = ComprehendStub::start(vec![
        (
            "DetectToxicContent",
            ComprehendReply::toxic_content(vec![
                toxic_labels(0.87, &[("INSULT", 0.9), ("PROFANITY", 0.4)]),
                toxic_labels(0.05, &[("INSULT", 0.01)]),
            ]),
        ),
        (
            "DetectDominantLanguage",
            ComprehendReply::dominant_language(&[("fr", 0.8), ("en", 0.15)]),
        ),
        (
            "DetectPiiEntities",
            ComprehendReply::pii_entities(&[("EMAIL", 0.97, 3, 20)]),
        ),
    ])
    .await;
    let client = client(&stub);

    // A language call first: its script does not consume the others'.
    let language = client
        .detect_dominant_language()
        .text("une phrase assez longue pour la langue")
        .send()
        .await
        .unwrap();
    assert_eq!(language.languages()[0].language_code(), Some("fr"));
    assert_eq!(language.languages()[1].language_code(), Some("en"));

    let first = toxic(&client, &["you idiot", "ok"]).await.unwrap();
    let result = &first.result_list()[0];
    assert_eq!(result.toxicity(), Some(0.87));
    assert_eq!(result.labels()[0].name(), Some(&ToxicContentType::Insult));
    assert_eq!(result.labels()[0].score(), Some(0.9));
    assert_eq!(
        result.labels()[1].name(),
        Some(&ToxicContentType::Profanity)
    );
    assert_eq!(first.result_list()[1].toxicity(), Some(0.05));

    let pii = client
        .detect_pii_entities()
        .text("to: someone@example.com")
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let entity = &pii.entities()[0];
    assert_eq!(entity.r#type(), Some(&PiiEntityType::Email));
    assert_eq!(
        (entity.begin_offset(), entity.end_offset()),
        (Some(3), Some(20))
    );

    // The queues are used up: defaults again.
    let second = toxic(&client, &["ok"]).await.unwrap();
    assert_eq!(second.result_list().len(), 1);
    assert!(second.result_list()[0].toxicity().unwrap() < 0.1);
    let language = client
        .detect_dominant_language()
        .text("and now a sentence in English again")
        .send()
        .await
        .unwrap();
    assert_eq!(language.languages()[0].language_code(), Some("en"));

    // A changed default, and a reply queued later.
    stub.set_default(
        "DetectDominantLanguage",
        ComprehendReply::dominant_language(&[("de", 0.9)]),
    );
    stub.push(
        "DetectDominantLanguage",
        ComprehendReply::dominant_language(&[("es", 0.9)]),
    );
    for expected in ["es", "de", "de"] {
        let language = client
            .detect_dominant_language()
            .text("some sentence long enough for it")
            .send()
            .await
            .unwrap();
        assert_eq!(language.languages()[0].language_code(), Some(expected));
    }
    assert_valid_comprehend_requests(&stub.requests());
}

#[tokio::test]
async fn pii_finding_gives_character_offsets_of_the_substrings() {
    let stub = ComprehendStub::start(vec![(
        "DetectPiiEntities",
        ComprehendReply::pii_finding(&[("NAME", "Jane Doe"), ("ADDRESS", "1 Rue de l’Été")]),
    )])
    .await;
    let client = client(&stub);
    // Multi-byte characters before and inside the entities: offsets count
    // characters, not bytes.
    let text = "Café ☕ with Jane Doe at 1 Rue de l’Été, then Jane Doe again";
    let pii = client
        .detect_pii_entities()
        .text(text)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let chars: Vec<char> = text.chars().collect();
    let found: Vec<(PiiEntityType, String)> = pii
        .entities()
        .iter()
        .map(|e| {
            let (begin, end) = (
                e.begin_offset().unwrap() as usize,
                e.end_offset().unwrap() as usize,
            );
            (
                e.r#type().unwrap().clone(),
                chars[begin..end].iter().collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (PiiEntityType::Name, "Jane Doe".to_owned()),
            (PiiEntityType::Address, "1 Rue de l’Été".to_owned()),
            (PiiEntityType::Name, "Jane Doe".to_owned()),
        ]
    );
    assert_eq!(pii.entities()[0].begin_offset(), Some(12));
    assert_eq!(pii.entities()[0].end_offset(), Some(20));

    // Absent substrings: no entities.
    stub.push(
        "DetectPiiEntities",
        ComprehendReply::pii_finding(&[("NAME", "Jane Doe")]),
    );
    let none = client
        .detect_pii_entities()
        .text("nobody is named here")
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    assert!(none.entities().is_empty());
    assert_valid_comprehend_requests(&stub.requests());
}

#[tokio::test]
async fn throttling_surfaces_as_too_many_requests() {
    let stub =
        ComprehendStub::start(vec![("DetectToxicContent", ComprehendReply::throttled())]).await;
    let error = toxic(&client(&stub), &["hello"]).await.unwrap_err();
    assert_eq!(error.code(), Some("TooManyRequestsException"));
    assert_eq!(error.raw_response().unwrap().status().as_u16(), 429);
    assert!(error.message().unwrap().contains("exceeds the limit"));
    // Not modelled for the real-time operations: none of the modelled errors.
    let service_error = error.as_service_error().unwrap();
    assert!(!service_error.is_internal_server_exception());
    assert!(!service_error.is_invalid_request_exception());
    assert_eq!(stub.requests().len(), 1);
}

#[tokio::test]
async fn the_sdk_retries_throttling_and_server_errors() {
    let stub = ComprehendStub::start(vec![
        ("DetectToxicContent", ComprehendReply::throttled()),
        ("DetectToxicContent", ComprehendReply::internal_error()),
    ])
    .await;
    let retrying = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1));
    let client = client_with(&stub, retrying, Duration::from_secs(10));
    let output = toxic(&client, &["hello"]).await.unwrap();
    assert_eq!(output.result_list().len(), 1);
    let replies: Vec<ComprehendReply> = stub.requests().into_iter().map(|r| r.reply).collect();
    assert_eq!(
        replies,
        [
            ComprehendReply::throttled(),
            ComprehendReply::internal_error(),
            ComprehendReply::default_answer()
        ]
    );
}

#[tokio::test]
async fn server_errors_surface_as_the_service_reports_them() {
    let stub = ComprehendStub::start(vec![
        ("DetectToxicContent", ComprehendReply::internal_error()),
        (
            "DetectToxicContent",
            ComprehendReply::error(503, "ServiceUnavailableException", "unavailable"),
        ),
    ])
    .await;
    let client = client(&stub);
    let error = toxic(&client, &["hello"]).await.unwrap_err();
    assert!(matches!(
        error.as_service_error(),
        Some(DetectToxicContentError::InternalServerException(_))
    ));
    assert_eq!(error.raw_response().unwrap().status().as_u16(), 500);
    let error = toxic(&client, &["hello"]).await.unwrap_err();
    assert_eq!(error.code(), Some("ServiceUnavailableException"));
    assert_eq!(error.raw_response().unwrap().status().as_u16(), 503);
}

#[tokio::test]
async fn malformed_answers_are_deserialization_errors() {
    let stub = ComprehendStub::start(vec![
        ("DetectToxicContent", ComprehendReply::Malformed),
        ("DetectPiiEntities", ComprehendReply::Malformed),
        ("DetectDominantLanguage", ComprehendReply::Malformed),
        (
            "DetectToxicContent",
            ComprehendReply::Raw {
                status: 200,
                body: r#"{"ResultList": [{"Labels": [{"Name": "INS"#.to_owned(),
            },
        ),
    ])
    .await;
    let client = client(&stub);
    let mut errors = Vec::new();
    let error = toxic(&client, &["hello"]).await.unwrap_err();
    errors.push((
        error.raw_response().map(|r| r.status().as_u16()),
        error.code().map(str::to_owned),
        DisplayErrorContext(&error).to_string(),
    ));
    let error = client
        .detect_pii_entities()
        .text("hello")
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap_err();
    errors.push((
        error.raw_response().map(|r| r.status().as_u16()),
        error.code().map(str::to_owned),
        DisplayErrorContext(&error).to_string(),
    ));
    let error = client
        .detect_dominant_language()
        .text("hello there, which language is this")
        .send()
        .await
        .unwrap_err();
    errors.push((
        error.raw_response().map(|r| r.status().as_u16()),
        error.code().map(str::to_owned),
        DisplayErrorContext(&error).to_string(),
    ));
    let error = toxic(&client, &["hello"]).await.unwrap_err();
    errors.push((
        error.raw_response().map(|r| r.status().as_u16()),
        error.code().map(str::to_owned),
        DisplayErrorContext(&error).to_string(),
    ));
    for (status, code, context) in errors {
        // A 200 the SDK could not read: an error without a service code,
        // whose cause is the JSON deserializer's.
        assert_eq!(status, Some(200), "{context}");
        assert_eq!(code, None, "{context}");
        assert!(context.contains("DeserializeError"), "{context}");
    }
}

#[tokio::test]
async fn a_hang_ends_in_the_sdks_timeout_and_a_reset_in_a_dispatch_failure() {
    let stub = ComprehendStub::start(vec![
        ("DetectToxicContent", ComprehendReply::Hang),
        ("DetectToxicContent", ComprehendReply::Reset),
    ])
    .await;
    let client = client_with(&stub, RetryConfig::disabled(), Duration::from_millis(300));
    let started = Instant::now();
    let error = toxic(&client, &["hello"]).await.unwrap_err();
    assert!(
        matches!(error, SdkError::TimeoutError(_)),
        "{}",
        DisplayErrorContext(&error)
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    let error = toxic(&client, &["hello"]).await.unwrap_err();
    assert!(
        matches!(error, SdkError::DispatchFailure(_)),
        "{}",
        DisplayErrorContext(&error)
    );
    let replies: Vec<ComprehendReply> = stub.requests().into_iter().map(|r| r.reply).collect();
    assert_eq!(replies, [ComprehendReply::Hang, ComprehendReply::Reset]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_are_held_at_once() {
    let stub = ComprehendStub::start(vec![]).await;
    // A slow service: every call is held 300 ms, far longer than it takes
    // the SDK to send the others, so all four overlap.
    let latency = Duration::from_millis(300);
    stub.set_default(
        "DetectToxicContent",
        ComprehendReply::default_answer().after(latency),
    );
    let client = client(&stub);
    let started = Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let client = client.clone();
        calls.spawn(async move { toxic(&client, &["hello"]).await.map(|_| ()) });
    }
    while let Some(outcome) = calls.join_next().await {
        outcome.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    assert_eq!(stub.max_in_flight(), 4);
    assert_eq!(stub.in_flight(), 0);
    assert!(elapsed >= latency);
    let requests = stub.requests();
    let first = requests.iter().map(|r| r.arrived).min().unwrap();
    let last = requests.iter().map(|r| r.arrived).max().unwrap();
    assert!(
        last - first < latency,
        "all arrived while the first was held"
    );
    // Concurrent calls cannot share an HTTP/1.1 connection.
    let connections: std::collections::BTreeSet<u64> =
        requests.iter().map(|r| r.connection).collect();
    assert_eq!(connections.len(), 4);
}

#[tokio::test]
async fn the_validator_reports_invalid_requests_without_their_text() {
    let stub = ComprehendStub::start(vec![]).await;
    let client = client(&stub);
    // The SDK checks none of these limits: the service would refuse them.
    let eleven = ["secret-word"; 11];
    toxic(&client, &eleven).await.unwrap();
    let long = "secret-word ".repeat(100); // 1,200 bytes
    toxic(&client, &[long.as_str()]).await.unwrap();
    client
        .detect_toxic_content()
        .set_text_segments(Some(segments(&["secret-word"])))
        .language_code(LanguageCode::Fr)
        .send()
        .await
        .unwrap();
    client
        .detect_dominant_language()
        .text("secret-word")
        .send()
        .await
        .unwrap();
    client
        .detect_pii_entities()
        .text("secret-word")
        .language_code(LanguageCode::from("xx"))
        .send()
        .await
        .unwrap();
    let requests = stub.requests();
    for (index, expected) in [
        "TextSegments: 11 items, more than 10",
        "TextSegments[0].Text: 1200 UTF-8 bytes, more than 1000",
        "LanguageCode: not one of ['en'] that the operation supports",
        "Text: 11 characters, fewer than 20",
        "LanguageCode: not one of ['en', 'es', 'fr'",
    ]
    .into_iter()
    .enumerate()
    {
        let report = validator_report(&requests[index..=index]).unwrap_err();
        assert!(report.contains(expected), "{expected:?} not in {report}");
        assert!(report.contains("0 passed, 1 failed"), "{report}");
        assert!(
            !report.contains("secret"),
            "the report shows text: {report}"
        );
    }
    // And a valid request passes.
    toxic(&client, &["hello"]).await.unwrap();
    assert_eq!(validator_report(&stub.requests()[5..]), Ok(()));
}

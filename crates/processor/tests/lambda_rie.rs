//! `sam local invoke` without Docker: the real `processor` binary as the
//! bootstrap of AWS's Lambda Runtime Interface Emulator (the same
//! `aws-lambda-rie` SAM CLI runs in its container; scripts/fetch-rie takes
//! it from SAM CLI's wheel on PyPI), with the environment SAM would give it
//! from template.yaml. Every sample event in events/ goes in through the
//! emulator's invoke endpoint; the callbacks go to a stand-in for Chime on
//! 127.0.0.1 and each one is checked against botocore's model.
//! docs/lambda-rie.md shows the same by hand.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chimeflow_e2e::{
    ChimeStub, LambdaRie, Reply, RieAnswer, assert_valid_callbacks, callback_request,
};
use serde_json::{Value, json};

/// Bounds each invocation's wait; far above what any takes here.
const ANSWER: Duration = Duration::from_secs(30);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn processor() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_processor"))
}

/// events/*.json, by file name, parsed and raw.
fn sample_events() -> Vec<(String, Value, Vec<u8>)> {
    let mut events: Vec<_> = std::fs::read_dir(repo().join("events"))
        .expect("events/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).unwrap();
            let event = serde_json::from_slice(&bytes).expect("a sample event is JSON");
            (name, event, bytes)
        })
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(events.len() >= 8, "the sample events are there");
    events
}

/// The value of `Name: value` in the function's properties in template.yaml.
fn template_property(name: &str) -> String {
    let template = std::fs::read_to_string(repo().join("template.yaml")).expect("template.yaml");
    let prefix = format!("      {name}: ");
    template
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("template.yaml sets {name}"))
        .trim()
        .to_owned()
}

/// What `sam local invoke` sets in the container for the function (the
/// emulator passes its whole environment on): the function's name,
/// handler, memory and timeout from template.yaml, its log format and the
/// LogLevel parameter's default, a region, dummy credentials, the
/// template's variables with their defaults, then `overrides` (as
/// `--env-vars` would set them). Not AWS_LAMBDA_MAX_CONCURRENCY: with it the
/// emulator runs a Lambda Managed Instances function instead.
fn sam_environment(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [
        ("AWS_SAM_LOCAL", "true".to_owned()),
        ("AWS_LAMBDA_FUNCTION_NAME", "ProcessorFunction".to_owned()),
        ("AWS_LAMBDA_FUNCTION_HANDLER", template_property("Handler")),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            template_property("MemorySize"),
        ),
        ("AWS_LAMBDA_FUNCTION_TIMEOUT", template_property("Timeout")),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "$LATEST".to_owned()),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_owned()),
        ("AWS_LAMBDA_LOG_FORMAT", "JSON".to_owned()),
        ("AWS_LAMBDA_LOG_LEVEL", "INFO".to_owned()),
        ("AWS_ACCOUNT_ID", "123456789012".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE".to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("CHIMEFLOW_CONFIG", String::new()),
        ("CHIMEFLOW_ON_ERROR", "deny".to_owned()),
        ("CHIMEFLOW_DRY_RUN", String::new()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    for (name, value) in overrides {
        env.retain(|(existing, _)| existing != name);
        env.push((name.to_string(), value.to_string()));
    }
    env
}

async fn start(env: &[(String, String)]) -> LambdaRie {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    LambdaRie::start(processor(), &env).await
}

/// What the rules library makes of the event with the embedded
/// configuration: (decision, the callback request).
fn library_outcome(bytes: &[u8]) -> (String, Value) {
    let processor = chimeflow_rules::load_default()
        .expect("the embedded configuration is valid")
        .into_processor();
    let event = chimeflow_core::ProcessorEvent::from_slice(bytes).expect("the event parses");
    let outcome = processor.process(&event).expect("the event is usable");
    (
        outcome.decision.as_str().to_owned(),
        serde_json::to_value(&outcome.callback).unwrap(),
    )
}

/// How many lines the processor logged with this `message`: "processor
/// ready" once per start, "refusing to start" once per failed init.
fn logged(rie: &LambdaRie, message: &str) -> usize {
    rie.output()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["message"] == message)
        .count()
}

fn ok_json(name: &str, answer: &RieAnswer) -> Value {
    assert_eq!(
        answer.status,
        200,
        "{name}: {}",
        String::from_utf8_lossy(&answer.body)
    );
    let value = answer.json();
    assert!(
        value.get("errorType").is_none(),
        "{name}: the invocation failed: {value}"
    );
    value
}

/// What each sample event is for, checked on the request that reached
/// Chime (`sent`, with its ChannelArn) and the invocation's answer.
fn assert_fixture_outcome(name: &str, event: &Value, answer: &Value, sent: &Value) {
    let message = &event["ChannelMessage"];
    let content = message["Content"].as_str().unwrap_or("");
    let sent_message = &sent["ChannelMessage"];
    let sent_content = sent_message["Content"].as_str().unwrap_or("");
    let categories: BTreeSet<&str> = answer["Findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter_map(|f| f["Category"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let unchanged = |what: &str| {
        assert_eq!(answer["Outcome"], "PASS", "{name}: {what}");
        assert_eq!(sent_content, content, "{name}: {what}, content unchanged");
        assert_eq!(
            sent_message.get("Metadata"),
            message.get("Metadata"),
            "{name}: {what}, metadata unchanged"
        );
    };
    match name {
        "plain.json" => unchanged("a clean message passes"),
        "minimal.json" => {
            unchanged("the minimal answerable event passes");
            assert!(
                sent_message.get("Content").is_none(),
                "{name}: no content to echo"
            );
        }
        "odd-shapes.json" => {
            assert_eq!(answer["Outcome"], "UPDATE", "{name}: still moderated");
            assert!(!sent_content.contains("dana.reyes@example.com"));
            assert!(sent_content.contains("[EMAIL]"), "{name}");
            for field in ["SubChannelId", "ContentType"] {
                assert!(
                    sent_message.get(field).is_none(),
                    "{name}: {field} of an undocumented shape is set aside"
                );
            }
        }
        "edit.json" => unchanged("an edited clean message passes"),
        "non-persistent.json" => unchanged("a clean non-persistent message passes"),
        "attributes-subchannel.json" => {
            unchanged("a clean message with attributes passes");
            for field in ["SubChannelId", "MessageAttributes", "ContentType"] {
                assert_eq!(sent_message[field], message[field], "{name}: {field} kept");
            }
        }
        "lex-reply.json" => {
            unchanged("a Lex bot's reply passes as it is");
            assert_eq!(
                sent_message["ContentType"],
                "application/amz-chime-lex-msgs"
            );
            assert_eq!(
                sent_message["MessageAttributes"]["CHIME.LEX.ELICIT_INTENT"],
                json!({"StringValues": ["true"]}),
                "{name}: the Lex attribute is kept"
            );
        }
        "with-pii.json" => {
            assert_eq!(
                answer["Outcome"], "UPDATE",
                "{name}: personal data is redacted"
            );
            for secret in [
                "dana.reyes@example.com",
                "(415) 555-0132",
                "4111 1111 1111 1111",
                "512-44-7781",
            ] {
                assert!(content.contains(secret), "{name}: the fixture holds it");
                assert!(!sent_content.contains(secret), "{name}: a value is left");
            }
            for category in ["EMAIL", "PHONE", "CREDIT_DEBIT_NUMBER", "SSN"] {
                assert!(
                    sent_content.contains(&format!("[{category}]")),
                    "{name}: {category} is replaced by its placeholder"
                );
                assert!(categories.contains(category), "{name}: {category} found");
            }
            assert!(sent_content.starts_with("Hi, I'm Dana. Reach me at "));
        }
        "with-profanity.json" => {
            assert_eq!(answer["Outcome"], "UPDATE", "{name}: profanity is masked");
            for word in ["f*cking", "sh1t"] {
                assert!(content.contains(word), "{name}: the fixture holds it");
                assert!(!sent_content.contains(word), "{name}: a word is left");
            }
            assert_eq!(
                sent_content.chars().count(),
                content.chars().count(),
                "{name}: masking keeps the length"
            );
            assert!(
                sent_content.starts_with("this *")
                    && sent_content.contains("* build is broken again, what a pile of *"),
                "{name}: only the words are masked"
            );
            assert_eq!(
                categories.len(),
                1,
                "{name}: profanity findings only: {categories:?}"
            );
            assert!(
                answer["Findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|f| f["Rule"] == "profanity")
            );
        }
        other => panic!(
            "events/{other} has no expectation in crates/processor/tests/lambda_rie.rs: add one"
        ),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sample_event_through_the_emulator_calls_chime_back() {
    let chime = ChimeStub::start(vec![]).await;
    let endpoint = chime.endpoint();
    let rie = start(&sam_environment(&[(
        "AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING",
        &endpoint,
    )]))
    .await;
    let mut sent = Vec::new();
    let mut answered = 0;
    for (name, event, bytes) in sample_events() {
        let answer = rie.invoke(&bytes, ANSWER).await;
        let before = sent.len();
        sent = chime.requests();
        answered += 1;
        let answer = ok_json(&name, &answer);
        assert_eq!(sent.len(), before + 1, "{name}: one callback");
        let request = callback_request(sent.last().unwrap());
        assert_eq!(answer["Callback"], "delivered", "{name}");
        let (decision, expected) = library_outcome(&bytes);
        assert_eq!(answer["Outcome"], decision.as_str(), "{name}");
        assert_eq!(
            request, expected,
            "{name}: the request is the one the rules library makes"
        );
        assert_eq!(request["CallbackId"], event["CallbackId"], "{name}");
        assert_eq!(
            request["ChannelArn"], event["ChannelMessage"]["ChannelArn"],
            "{name}"
        );
        assert_eq!(
            request["ChannelMessage"]["MessageId"], event["ChannelMessage"]["MessageId"],
            "{name}"
        );
        assert_eq!(
            request["DeleteResource"],
            decision == "DENY",
            "{name}: a deny deletes, nothing else does"
        );
        assert_fixture_outcome(&name, &event, &answer, &request);
    }
    assert!(answered >= 9, "every sample event was called back");

    // No ChannelArn: nothing can be called back. The function answers with
    // its error (200, not an exit), nothing reaches Chime, and the function
    // stays up (one init for the whole run, checked below).
    let no_channel = json!({"CallbackId": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
        "ChannelMessage": {"MessageId": "m", "Content": "hi"}});
    let answer = rie.invoke(no_channel.to_string().as_bytes(), ANSWER).await;
    assert_eq!(answer.status, 200, "{}", rie.output());
    assert_eq!(answer.json()["errorType"], "Chimeflow.UnusableEvent");
    assert_eq!(chime.requests().len(), sent.len(), "nothing reaches Chime");

    // Every callback as botocore models ChannelFlowCallback, signed for Chime.
    let requests: Vec<Value> = sent.iter().map(callback_request).collect();
    assert_valid_callbacks(&requests);
    for recorded in &sent {
        let authorization = recorded.header("authorization").expect("signed");
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/")
                && authorization.contains("/us-east-1/chime/aws4_request"),
            "{authorization}"
        );
    }

    // One start: the emulator kept one warm function for the whole run, as
    // Lambda keeps an execution environment, whatever minimal.json did.
    let output = rie.output();
    assert_eq!(logged(&rie, "processor ready"), 1, "{output}");
    // The processor logged under the request ids the emulator gave out.
    let started: BTreeSet<&str> = output
        .lines()
        .filter_map(|l| l.strip_prefix("START RequestId: "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let processed: Vec<Value> = output
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["message"] == "processed")
        .collect();
    assert_eq!(
        processed.len(),
        answered,
        "one log line per message: {output}"
    );
    for line in &processed {
        assert!(
            started.contains(line["request_id"].as_str().unwrap_or_default()),
            "logged under an invocation's request id: {line}"
        );
    }
    for secret in ["dana.reyes@example.com", "4111 1111 1111 1111", "sh1t"] {
        assert!(!output.contains(secret), "message content in the logs");
    }
}

/// `sam local invoke -e events/X --env-vars env.json`, as the README shows
/// it: env.json turns dry run on, so the answer holds the request, and
/// nothing reaches Chime even though an endpoint is there to take it.
#[tokio::test(flavor = "multi_thread")]
async fn dry_run_with_env_json_under_the_emulator_sends_nothing() {
    let env_json: Value =
        serde_json::from_slice(&std::fs::read(repo().join("env.json")).expect("env.json"))
            .expect("env.json is JSON");
    let overrides: Vec<(&str, &str)> = env_json["ProcessorFunction"]
        .as_object()
        .expect("env.json has a ProcessorFunction object")
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str().expect("a string")))
        .collect();
    assert!(
        overrides.contains(&("CHIMEFLOW_DRY_RUN", "1")),
        "{overrides:?}"
    );
    let chime = ChimeStub::start(vec![]).await;
    let endpoint = chime.endpoint();
    let mut overrides = overrides;
    overrides.push(("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", &endpoint));
    let rie = start(&sam_environment(&overrides)).await;

    let mut shown = Vec::new();
    for (name, event, bytes) in sample_events() {
        let answer = rie.invoke(&bytes, ANSWER).await;
        if event["ChannelMessage"].get("ChannelArn").is_none() {
            assert_eq!(answer.status, 200, "{name}");
            continue;
        }
        let answer = ok_json(&name, &answer);
        assert_eq!(answer["Callback"], "dry-run", "{name}");
        assert_eq!(answer["Attempts"], 0, "{name}");
        let (decision, expected) = library_outcome(&bytes);
        assert_eq!(answer["Outcome"], decision.as_str(), "{name}");
        assert_eq!(answer["Request"], expected, "{name}");
        assert_fixture_outcome(&name, &event, &answer, &answer["Request"]);
        shown.push(answer["Request"].clone());
    }
    assert!(chime.requests().is_empty(), "dry run sent a callback");
    assert_valid_callbacks(&shown);
    let output = rie.output();
    assert_eq!(logged(&rie, "processor ready"), 1, "{output}");
    assert!(output.contains("\"dry_run\":true"), "{output}");
    for secret in ["dana.reyes@example.com", "4111 1111 1111 1111", "sh1t"] {
        assert!(!output.contains(secret), "message content in the logs");
    }
}

/// The emulator's function timeout is the processor's deadline: with Chime
/// never answering, the processor gives up and fails the invocation itself
/// (so Lambda would retry it), before the emulator's "Task timed out", and
/// stays up for the next message.
#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_timeout_is_the_processor_deadline() {
    let chime = ChimeStub::start(vec![Reply::Hang; 50]).await;
    let endpoint = chime.endpoint();
    let timeout_seconds = 3;
    let rie = start(&sam_environment(&[
        ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", &endpoint),
        ("AWS_LAMBDA_FUNCTION_TIMEOUT", &timeout_seconds.to_string()),
    ]))
    .await;
    let plain = std::fs::read(repo().join("events/plain.json")).unwrap();
    let started = Instant::now();
    let answer = rie.invoke(&plain, ANSWER).await;
    // Whoever is first answers: the processor's error, or the emulator's
    // "Task timed out" text once the timeout (counted from init) is up.
    assert!(
        !String::from_utf8_lossy(&answer.body).contains("Task timed out"),
        "the emulator had to time the function out"
    );
    assert!(
        started.elapsed() < Duration::from_secs(timeout_seconds + 2),
        "answered after {:?}",
        started.elapsed()
    );
    assert_eq!(answer.status, 200);
    let error = answer.json();
    assert_eq!(error["errorType"], "Chimeflow.CallbackFailed", "{error}");
    assert!(!chime.requests().is_empty(), "the callback was attempted");
    assert!(chime.requests().iter().all(|r| r.reply == Reply::Hang));
    assert_eq!(logged(&rie, "processor ready"), 1, "{}", rie.output());
}

/// A configuration the processor refuses is an init error: the emulator
/// answers 502 with the processor's error document, and starts the
/// bootstrap again at the next invocation (which fails the same way).
#[tokio::test(flavor = "multi_thread")]
async fn a_bad_configuration_fails_init_under_the_emulator() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[[rules]]\ntype = \"length\"\nmax_chars = \"many\"\n",
    )
    .unwrap();
    let rie = start(&sam_environment(&[(
        "CHIMEFLOW_CONFIG",
        config.to_str().unwrap(),
    )]))
    .await;
    let plain = std::fs::read(repo().join("events/plain.json")).unwrap();
    for attempt in 1..=2 {
        let answer = rie.invoke(&plain, ANSWER).await;
        assert_eq!(answer.status, 502, "attempt {attempt}");
        let error = answer.json();
        assert_eq!(error["errorType"], "Chimeflow.BadConfiguration", "{error}");
        let message = error["errorMessage"].as_str().unwrap();
        assert!(
            message.contains("bad.toml:3") && message.contains("max_chars"),
            "{message}"
        );
        assert_eq!(
            logged(&rie, "refusing to start"),
            attempt,
            "the bootstrap is started again: {}",
            rie.output()
        );
    }
}

/// docs/lambda-rie.md describes the emulator scripts/fetch-rie pins, and
/// the endpoint and options these tests use.
#[test]
fn the_guide_matches_the_fetch_script() {
    let script = std::fs::read_to_string(repo().join("scripts/fetch-rie")).unwrap();
    let version = script
        .lines()
        .find_map(|line| line.strip_prefix("SAM_CLI_VERSION="))
        .expect("scripts/fetch-rie pins SAM_CLI_VERSION");
    let guide = std::fs::read_to_string(repo().join("docs/lambda-rie.md")).unwrap();
    for needle in [
        format!("aws-sam-cli {version}"),
        "scripts/fetch-rie".to_owned(),
        "/2015-03-31/functions/function/invocations".to_owned(),
        "--runtime-interface-emulator-address 127.0.0.1:".to_owned(),
        "--runtime-api-address 127.0.0.1:".to_owned(),
        "crates/processor/tests/lambda_rie.rs".to_owned(),
    ] {
        assert!(
            guide.contains(&needle),
            "docs/lambda-rie.md mentions {needle}"
        );
    }
}

//! Every sample event in events/ through the real `processor` binary, the
//! way `sam local invoke -e events/<file> --env-vars env.json` runs it, with
//! no Docker: a local Lambda Runtime API, and the environment SAM CLI would
//! give the function (the template's declared variables, overridden by
//! env.json: dry run on). Each answer must be what the rules library makes
//! of the event with the embedded configuration; then, with dry run off,
//! the request that reaches a stand-in for Chime must be the one dry run
//! showed.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chimeflow_core::{Decision, ProcessorEvent};
use chimeflow_e2e::{ChimeStub, InvocationResult, RuntimeApi};
use serde_json::{Map, Value};

const DEADLINE: Duration = Duration::from_secs(20);

/// The variables template.yaml declares, as SAM CLI resolves them with no
/// parameter overrides: literal values as written, and "" for a value that
/// is an intrinsic it does not resolve (the endpoint override's `Fn::If`).
const TEMPLATE_ENVIRONMENT: [(&str, &str); 4] = [
    ("CHIMEFLOW_CONFIG", ""),
    ("CHIMEFLOW_ON_ERROR", "deny"),
    ("CHIMEFLOW_DRY_RUN", ""),
    ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", ""),
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// events/*.json, by file name.
fn sample_events() -> Vec<(String, Vec<u8>)> {
    let mut events: Vec<_> = std::fs::read_dir(repo().join("events"))
        .expect("events/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    events.sort();
    assert!(events.len() >= 8, "the sample events are there");
    events
}

/// The function's environment under `sam local invoke --env-vars env.json`:
/// the template's variables, each overridden by env.json's value for
/// ProcessorFunction when it has one (SAM CLI ignores undeclared names).
fn sam_local_environment() -> Vec<(String, String)> {
    let env_json: Value =
        serde_json::from_slice(&std::fs::read(repo().join("env.json")).expect("env.json"))
            .expect("env.json is JSON");
    let overrides = env_json["ProcessorFunction"]
        .as_object()
        .expect("env.json has a ProcessorFunction object");
    for name in overrides.keys() {
        assert!(
            TEMPLATE_ENVIRONMENT
                .iter()
                .any(|(declared, _)| declared == name),
            "env.json sets {name}, which template.yaml does not declare: sam local would ignore it"
        );
    }
    let template = std::fs::read_to_string(repo().join("template.yaml")).expect("template.yaml");
    TEMPLATE_ENVIRONMENT
        .iter()
        .map(|(name, value)| {
            assert!(
                template.contains(&format!("          {name}: ")),
                "template.yaml declares {name}"
            );
            let value = overrides
                .get(*name)
                .map(|v| v.as_str().expect("env.json values are strings").to_owned())
                .unwrap_or_else(|| value.to_string());
            (name.to_string(), value)
        })
        .collect()
}

/// The processor binary, running, with its output collected.
struct Processor {
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
}

impl Processor {
    fn spawn(api: &RuntimeApi, env: &[(String, String)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_processor"));
        command
            .env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", api.address())
            .env("AWS_LAMBDA_FUNCTION_NAME", "ProcessorFunction")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the processor starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut chunk = [0u8; 4096];
                while let Ok(n) = stream.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    output.lock().unwrap().extend_from_slice(&chunk[..n]);
                }
            });
        }
        Self { child, output }
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }
}

impl Drop for Processor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the rules library makes of `bytes` with the embedded configuration.
fn expected(bytes: &[u8]) -> chimeflow_core::Outcome {
    let processor = chimeflow_rules::load_default()
        .expect("the embedded configuration is valid")
        .into_processor();
    let event = ProcessorEvent::from_slice(bytes).expect("the sample event parses");
    processor
        .process(&event)
        .expect("the sample event is usable")
}

fn response<'a>(name: &str, result: &'a InvocationResult) -> &'a Value {
    match result {
        InvocationResult::Response(value) => value,
        InvocationResult::Error {
            error_type,
            message,
        } => panic!("{name}: the invocation failed: {error_type}: {message}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sample_event_as_sam_local_invoke_runs_it() {
    let env = sam_local_environment();
    assert!(
        env.iter()
            .any(|(k, v)| k == "CHIMEFLOW_DRY_RUN" && v == "1"),
        "env.json turns dry run on: {env:?}"
    );
    let api = RuntimeApi::start().await;
    let processor = Processor::spawn(&api, &env);
    let mut outcomes = Map::new();
    for (name, bytes) in sample_events() {
        let result = api.invoke(&bytes, DEADLINE).await;
        let answer = response(&name, &result);
        let want = expected(&bytes);
        assert_eq!(answer["Callback"], "dry-run", "{name}");
        assert_eq!(answer["Attempts"], 0, "{name}");
        assert_eq!(answer["MessageId"], want.message_id.as_str(), "{name}");
        assert_eq!(answer["Outcome"], want.decision.as_str(), "{name}");
        assert_eq!(
            answer["Request"],
            serde_json::to_value(&want.callback).unwrap(),
            "{name}: the request dry run shows is the library's"
        );
        assert_eq!(
            answer["Findings"],
            serde_json::to_value(&want.findings).unwrap(),
            "{name}"
        );
        let event: Value = serde_json::from_slice(&bytes).unwrap();
        let request = &answer["Request"];
        assert_eq!(request["CallbackId"], event["CallbackId"], "{name}");
        assert_eq!(
            request["ChannelArn"], event["ChannelMessage"]["ChannelArn"],
            "{name}"
        );
        assert_eq!(
            request["ChannelMessage"]["MessageId"], event["ChannelMessage"]["MessageId"],
            "{name}"
        );
        outcomes.insert(name, answer["Outcome"].clone());
    }

    // What the sample events are for, independent of the rule set's details.
    assert_eq!(outcomes["plain.json"], "PASS");
    assert_eq!(outcomes["non-persistent.json"], "PASS");
    assert_eq!(outcomes["with-pii.json"], "UPDATE");
    let output = processor.output();
    for secret in [
        "dana.reyes@example.com",
        "4111 1111 1111 1111",
        "512-44-7781",
    ] {
        assert!(
            !output.contains(secret),
            "the processor logged {secret}: {output}"
        );
    }
    assert_eq!(
        output
            .lines()
            .filter(|l| l.contains("\"processed\""))
            .count(),
        outcomes.len(),
        "one log line per processed event: {output}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_request_dry_run_shows_is_the_one_sent() {
    let api = RuntimeApi::start().await;
    let chime = ChimeStub::start(vec![]).await;
    let env = vec![
        ("CHIMEFLOW_DRY_RUN".to_string(), "0".to_string()),
        (
            "AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING".to_string(),
            chime.endpoint(),
        ),
    ];
    let _processor = Processor::spawn(&api, &env);
    let mut sent = 0;
    for (name, bytes) in sample_events() {
        let result = api.invoke(&bytes, DEADLINE).await;
        let answer = response(&name, &result);
        assert_eq!(answer["Callback"], "delivered", "{name}");
        let want = expected(&bytes);
        let requests = chime.requests();
        sent += 1;
        assert_eq!(requests.len(), sent, "{name}: one callback per event");
        let body = requests.last().unwrap().json();
        assert_eq!(
            body,
            serde_json::to_value(want.callback.body()).unwrap(),
            "{name}: the body sent is the request dry run shows, less the ChannelArn in the path"
        );
        if want.decision == Decision::Deny {
            assert_eq!(body["DeleteResource"], true, "{name}");
        }
    }
}

#[test]
fn env_json_is_a_dry_run_example_for_declared_variables() {
    // sam_local_environment() checks every name against the template.
    let env = sam_local_environment();
    let dry_run = env
        .iter()
        .find(|(name, _)| name == "CHIMEFLOW_DRY_RUN")
        .map(|(_, value)| value.as_str());
    assert_eq!(dry_run, Some("1"));
}

#[test]
fn every_sample_event_is_documented_for_sam_local_invoke() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("sam local invoke -e events/") && readme.contains("--env-vars env.json"),
        "README shows sam local invoke with the sample events and env.json"
    );
}

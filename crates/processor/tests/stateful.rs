//! Stateful rules through the real `processor` binary: against moto's
//! DynamoDB-compatible server (several processors at once, counts exact,
//! a delivered-again event counted once), against a store that fails in
//! each way (the rule's `on_store_error` decides, within the budget), and
//! bans made through CreateChannelBan.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chimeflow_e2e::{
    ChimeStub, InvocationResult, MotoServer, ProcessorProcess, Reply, RuntimeApi,
    assert_valid_callbacks, callback_request,
};
use chimeflow_facts::{DynamoStore, ItemUpdate, Store};
use serde_json::{Value, json};

const APP: &str =
    "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d";
const TABLE: &str = "chimeflow-moderation";
const DEADLINE: Duration = Duration::from_secs(30);

fn channel() -> String {
    format!("{APP}/channel/general")
}

fn sender(name: &str) -> String {
    format!("{APP}/user/{name}")
}

/// An event from `from`, created at `created_ms`.
fn event(id: &str, from: &str, content: &str, created_ms: u64) -> Vec<u8> {
    json!({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": format!("{:0>32}", id),
        "ChannelMessage": {
            "MessageId": id,
            "ChannelArn": channel(),
            "Content": content,
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
            "CreatedTimestamp": created_ms.to_string(),
            "LastUpdatedTimestamp": created_ms.to_string(),
            "Sender": {"Arn": sender(from), "Name": from}
        }
    })
    .to_string()
    .into_bytes()
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Writes `toml` to a file that lives as long as the returned guard.
fn config(toml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chimeflow.toml");
    std::fs::write(&path, toml).unwrap();
    (dir, path)
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_processor"))
}

fn response(result: &InvocationResult) -> &Value {
    match result {
        InvocationResult::Response(value) => value,
        InvocationResult::Error {
            error_type,
            message,
        } => panic!("invocation failed: {error_type}: {message}"),
    }
}

/// One processor instance: its own Runtime API and Chime stand-in.
struct Instance {
    api: RuntimeApi,
    chime: ChimeStub,
    process: ProcessorProcess,
}

impl Instance {
    async fn start(replies: usize, env: &[(&str, &str)]) -> Self {
        let api = RuntimeApi::start().await;
        let chime = ChimeStub::start(vec![Reply::Ok; replies]).await;
        let process = ProcessorProcess::spawn(&binary(), &api, &chime, env);
        Self {
            api,
            chime,
            process,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processors_at_once_count_exactly_and_a_redelivery_once() {
    let server = MotoServer::start();
    let table = DynamoStore::local(&server.endpoint(), "us-east-1", TABLE);
    table.create_table().await.unwrap();
    const INSTANCES: usize = 4;
    const EACH: usize = 8;
    const ALLOWED: usize = 10;
    let (_dir, path) = config(&format!(
        "[store]\ntype = \"dynamodb\"\nbudget = \"5s\"\n\n\
         [[rules]]\ntype = \"rate-limit\"\nmax_messages = {ALLOWED}\nper = \"1h\"\n"
    ));
    let path = path.to_str().unwrap().to_owned();
    let endpoint = server.endpoint();
    let env = [
        ("CHIMEFLOW_CONFIG", path.as_str()),
        ("CHIMEFLOW_STORE_TABLE", TABLE),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.as_str()),
    ];
    let mut instances = Vec::new();
    for _ in 0..INSTANCES {
        instances.push(Arc::new(Instance::start(EACH + 1, &env).await));
    }
    // Every message has the same creation time: each one's count is then
    // exactly its place in the order the table applied the updates, so
    // exactly ALLOWED pass whatever the interleaving. A lost update would
    // let more through; a double count, fewer.
    let created = now_ms();
    let mut tasks = Vec::new();
    for (n, instance) in instances.iter().enumerate() {
        let instance = instance.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for k in 0..EACH {
                let id = format!("m-{n}-{k}");
                let result = instance
                    .api
                    .invoke(&event(&id, "alice", "hello", created), DEADLINE)
                    .await;
                outcomes.push(response(&result)["Outcome"].as_str().unwrap().to_owned());
            }
            outcomes
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.unwrap());
    }
    let passed = outcomes.iter().filter(|o| *o == "PASS").count();
    let denied = outcomes.iter().filter(|o| *o == "DENY").count();
    assert_eq!((passed, denied), (ALLOWED, INSTANCES * EACH - ALLOWED));

    // The same event delivered again, to another instance: counted once.
    let again = instances[1]
        .api
        .invoke(&event("m-0-0", "alice", "hello", created), DEADLINE)
        .await;
    response(&again);
    let item = table
        .update(ItemUpdate::new(format!("sender#{}", sender("alice"))))
        .await
        .unwrap();
    let entries: usize = item
        .sets
        .iter()
        .filter(|(name, _)| name.starts_with("messages_1h_"))
        .map(|(_, set)| set.len())
        .sum();
    assert_eq!(entries, INSTANCES * EACH);
    assert!(item.numbers["expires"] as u64 > created / 1000 + 3600);
    // Nothing the table holds is content.
    for set in item.sets.values() {
        assert!(set.iter().all(|entry| !entry.contains("hello")));
    }
    let mut callbacks = Vec::new();
    for instance in &instances {
        callbacks.extend(instance.chime.requests().iter().map(callback_request));
        let log = instance.process.output();
        assert!(!log.contains("hello"), "content in a log line");
    }
    assert_eq!(callbacks.len(), INSTANCES * EACH + 1);
    assert_valid_callbacks(&callbacks);
}

/// One message through a processor whose store is a stand-in answering
/// `reply`, with a rate limit that fails `policy`.
async fn with_failing_store(reply: Reply, policy: &str) -> (Value, String) {
    let store = ChimeStub::start(vec![reply]).await;
    let (_dir, path) = config(&format!(
        "[store]\ntype = \"dynamodb\"\ntable = \"t\"\nbudget = \"200ms\"\n\n\
         [[rules]]\ntype = \"rate-limit\"\nmax_messages = 1\non_store_error = \"{policy}\"\n"
    ));
    let endpoint = store.endpoint();
    let env = [
        ("CHIMEFLOW_CONFIG", path.to_str().unwrap()),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.as_str()),
    ];
    let instance = Instance::start(1, &env).await;
    let result = instance
        .api
        .invoke(&event("m1", "bob", "hi there", now_ms()), DEADLINE)
        .await;
    let outcome = response(&result).clone();
    assert_eq!(
        instance.chime.requests().len(),
        1,
        "one callback, whatever the store did"
    );
    let log = instance
        .process
        .output_with("\"message\":\"processed\"", Duration::from_secs(10));
    (outcome, log)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_store_opens_or_closes_as_the_rule_says() {
    let throttled = || Reply::Error {
        status: 400,
        code: "ThrottlingException",
        message: "Rate exceeded",
    };
    for (reply, reason) in [
        (throttled(), "throttled"),
        (Reply::server(500), "failed"),
        (Reply::Reset, "failed"),
        (Reply::Hang, "timeout"),
    ] {
        let (open, log) = with_failing_store(reply, "open").await;
        assert_eq!(open["Outcome"], "PASS", "{reason}");
        assert!(
            log.contains(&format!("\"facts_unavailable\":\"{reason}\"")),
            "{reason}: {log}"
        );
        assert!(
            log.contains("\"FactsUnavailable\":1"),
            "{reason}: the metric"
        );
    }
    for reply in [throttled(), Reply::Hang] {
        let (closed, _) = with_failing_store(reply, "closed").await;
        assert_eq!(closed["Outcome"], "DENY");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn stateful_rules_without_a_shared_store_refuse_to_start() {
    let (_dir, path) = config("[[rules]]\ntype = \"rate-limit\"\n");
    let mut instance = Instance::start(0, &[("CHIMEFLOW_CONFIG", path.to_str().unwrap())]).await;
    match instance.api.init_error().await {
        InvocationResult::Error {
            error_type,
            message,
        } => {
            assert_eq!(error_type, "Chimeflow.BadEnvironment");
            assert!(message.contains("CHIMEFLOW_STORE_TABLE"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!instance.process.wait().success());
}

#[tokio::test(flavor = "multi_thread")]
async fn strikes_escalate_to_a_timeout_and_a_ban() {
    let server = MotoServer::start();
    DynamoStore::local(&server.endpoint(), "us-east-1", TABLE)
        .create_table()
        .await
        .unwrap();
    let moderator = format!("{APP}/bot/moderator");
    let (_dir, path) = config(&format!(
        "[store]\nbudget = \"5s\"\n\n\
         [[rules]]\ntype = \"profanity\"\n\n\
         [[rules]]\ntype = \"strikes\"\ntimeout_at = 2\ntimeout = \"1h\"\nban_at = 2\nban_bearer = \"{moderator}\"\n"
    ));
    let endpoint = server.endpoint();
    let env = [
        ("CHIMEFLOW_CONFIG", path.to_str().unwrap()),
        ("CHIMEFLOW_STORE_TABLE", TABLE),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.as_str()),
    ];
    // Callbacks and the ban all reach the Chime stand-in.
    let instance = Instance::start(8, &env).await;
    let at = now_ms();
    let mut outcomes = Vec::new();
    for (n, content) in ["you are a shit", "hello", "fuck this", "sorry, friends"]
        .iter()
        .enumerate()
    {
        let result = instance
            .api
            .invoke(
                &event(&format!("s{n}"), "carol", content, at + n as u64),
                DEADLINE,
            )
            .await;
        let response = response(&result);
        outcomes.push((
            response["Outcome"].as_str().unwrap().to_owned(),
            response["Findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["Category"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>(),
        ));
    }
    // First strike: masked and tagged; a clean message passes; the second
    // strike times the sender out (denied) and bans; then everything is
    // denied for the timeout.
    assert_eq!(outcomes[0].0, "UPDATE");
    assert!(outcomes[0].1.contains(&"strike".to_owned()));
    assert_eq!(outcomes[1].0, "PASS");
    assert_eq!(outcomes[2].0, "DENY");
    assert!(outcomes[2].1.contains(&"ban".to_owned()));
    assert_eq!(outcomes[3], ("DENY".to_owned(), vec!["timeout".to_owned()]));
    let bans: Vec<_> = instance
        .chime
        .requests()
        .into_iter()
        .filter(|r| r.target.contains("/bans"))
        .collect();
    assert_eq!(bans.len(), 1, "one CreateChannelBan");
    assert_eq!(bans[0].method, "POST");
    assert_eq!(
        bans[0].header("x-amz-chime-bearer"),
        Some(moderator.as_str())
    );
    assert_eq!(bans[0].json()["MemberArn"], sender("carol"));
}

//! The DynamoDB store against moto's DynamoDB-compatible server on
//! 127.0.0.1, and against a scripted stand-in for each fault; every request
//! it makes checked against botocore's `dynamodb` model.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chimeflow_core::{ChannelMessage, FactRequests, LogId, LogKind, Subject, Unavailable};
use chimeflow_e2e::{ChimeStub, MotoServer, Reply, assert_valid_dynamodb_requests};
use chimeflow_facts::{DynamoStore, ItemUpdate, MemoryStore, Stage, Store};

const SENDER: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/a/user/alice";
const CHANNEL: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c";

async fn table(server: &MotoServer) -> DynamoStore {
    let store = DynamoStore::local(&server.endpoint(), "us-east-1", "chimeflow-test");
    store.create_table().await.expect("the table is created");
    // Created twice: the second is a no-op, as `chimeflow local` relies on.
    store
        .create_table()
        .await
        .expect("creating it again is fine");
    store
}

fn message(id: &str, at_ms: u64) -> ChannelMessage {
    serde_json::from_value(serde_json::json!({
        "MessageId": id,
        "ChannelArn": CHANNEL,
        "Content": "hello",
        "CreatedTimestamp": at_ms.to_string(),
        "Sender": {"Arn": SENDER},
    }))
    .unwrap()
}

fn messages_log() -> LogId {
    LogId::new(
        Subject::Sender(SENDER.into()),
        LogKind::Messages,
        Duration::from_secs(10),
    )
}

fn requests() -> FactRequests {
    let mut requests = FactRequests::default();
    requests.append(messages_log(), Some("c0ffee".into()));
    requests.read_number(Subject::Sender(SENDER.into()), "timeout_until");
    requests
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_behaves_as_the_memory_store() {
    let server = MotoServer::start();
    let dynamo = table(&server).await;
    let memory = MemoryStore::new();
    let updates = [
        ItemUpdate {
            key: "sender#u".into(),
            add: vec![("messages_10s_5".into(), "1|m1|c|".into())],
            set: vec![("timeout_until".into(), 42)],
            expires: Some(4_000_000_000),
            ..ItemUpdate::default()
        },
        // The same element again: a set keeps it once.
        ItemUpdate {
            key: "sender#u".into(),
            add: vec![
                ("messages_10s_5".into(), "1|m1|c|".into()),
                ("messages_10s_6".into(), "2|m2|c|".into()),
            ],
            expires: Some(4_000_000_000),
            ..ItemUpdate::default()
        },
        ItemUpdate {
            key: "sender#u".into(),
            add: vec![("messages_10s_7".into(), "3|m3|c|".into())],
            remove: vec!["messages_10s_5".into()],
            expires: Some(4_000_000_001),
            ..ItemUpdate::default()
        },
        // A read.
        ItemUpdate::new("sender#u"),
        ItemUpdate::new("sender#nobody"),
    ];
    for update in updates {
        let from_table = dynamo
            .update(update.clone())
            .await
            .expect("the table answers");
        let from_memory = memory.update(update).await.unwrap();
        assert_eq!(from_table, from_memory);
    }
    let item = dynamo.update(ItemUpdate::new("sender#u")).await.unwrap();
    assert_eq!(
        item.sets.keys().collect::<Vec<_>>(),
        ["messages_10s_6", "messages_10s_7"]
    );
    assert_eq!(item.numbers["timeout_until"], 42);
    assert_eq!(item.numbers["expires"], 4_000_000_001);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stage_counts_each_message_once_in_the_table() {
    let server = MotoServer::start();
    let stage = Stage::new(Arc::new(table(&server).await)).with_budget(Duration::from_secs(5));
    let at = now_ms();
    let mut counts = Vec::new();
    for (id, offset) in [("m1", 0), ("m2", 1), ("m2", 1), ("m3", 2)] {
        let gathered = stage
            .gather(&requests(), &message(id, at + offset), None)
            .await;
        assert_eq!(gathered.calls, 1, "one call for the sender");
        assert!(gathered.failures.is_empty(), "{:?}", gathered.failures);
        counts.push(gathered.facts.log(&messages_log()).unwrap().count());
    }
    // m2 delivered twice is one entry: the second delivery sees two.
    assert_eq!(counts, [1, 2, 2, 3]);
}

/// A store pointed at a stand-in that answers from a script.
fn stand_in_store(stub: &ChimeStub) -> Arc<DynamoStore> {
    Arc::new(DynamoStore::local(&stub.endpoint(), "us-east-1", "t"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_is_valid_under_botocores_model() {
    let stub = ChimeStub::start(vec![Reply::Ok; 4]).await;
    let store = stand_in_store(&stub);
    let stage = Stage::new(store.clone()).with_budget(Duration::from_secs(5));
    let mut channel_too = requests();
    channel_too.append(
        LogId::new(
            Subject::Channel(CHANNEL.into()),
            LogKind::Messages,
            Duration::from_secs(60),
        ),
        None,
    );
    let gathered = stage
        .gather(&channel_too, &message("m1", now_ms()), None)
        .await;
    assert_eq!(gathered.calls, 2);
    // A read alone is a GetItem.
    store.update(ItemUpdate::new("sender#u")).await.unwrap();
    // Removes and sets.
    store
        .update(ItemUpdate {
            key: "sender#u".into(),
            remove: vec!["messages_10s_1".into(), "messages_10s_2".into()],
            set: vec![("timeout_until".into(), 7)],
            expires: Some(9),
            ..ItemUpdate::default()
        })
        .await
        .unwrap();
    let recorded = stub.requests();
    assert_eq!(recorded.len(), 4);
    let targets: Vec<&str> = recorded
        .iter()
        .filter_map(|r| r.header("x-amz-target"))
        .collect();
    assert_eq!(
        targets
            .iter()
            .filter(|t| t.ends_with(".UpdateItem"))
            .count(),
        3
    );
    assert!(targets.contains(&"DynamoDB_20120810.GetItem"));
    let get = recorded
        .iter()
        .find(|r| r.header("x-amz-target") == Some("DynamoDB_20120810.GetItem"))
        .unwrap();
    assert_eq!(get.json()["ConsistentRead"], true);
    assert_valid_dynamodb_requests(&recorded);
}

/// Gathers once against a stand-in answering `reply`, with a 200 ms budget.
async fn gather_against(reply: Reply) -> (chimeflow_facts::Gathered, Duration) {
    let stub = ChimeStub::start(vec![reply]).await;
    let stage = Stage::new(stand_in_store(&stub)).with_budget(Duration::from_millis(200));
    let started = Instant::now();
    let gathered = stage
        .gather(&requests(), &message("m1", now_ms()), None)
        .await;
    (gathered, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_told_apart() {
    let (gathered, _) = gather_against(Reply::Error {
        status: 400,
        code: "ThrottlingException",
        message: "Rate exceeded",
    })
    .await;
    assert_eq!(
        gathered.facts.log(&messages_log()).err(),
        Some(Unavailable::Throttled)
    );
    let (gathered, _) = gather_against(Reply::Error {
        status: 400,
        code: "ProvisionedThroughputExceededException",
        message: "Rate exceeded",
    })
    .await;
    assert_eq!(gathered.facts.unavailable(), Some(Unavailable::Throttled));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_resets_are_failures() {
    for reply in [
        Reply::server(500),
        Reply::Reset,
        Reply::Error {
            status: 400,
            code: "ResourceNotFoundException",
            message: "no table",
        },
    ] {
        let (gathered, _) = gather_against(reply).await;
        assert_eq!(gathered.facts.unavailable(), Some(Unavailable::Failed));
        assert_eq!(gathered.failures.len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_hangs_costs_the_budget_not_the_message() {
    let (gathered, elapsed) = gather_against(Reply::Hang).await;
    assert_eq!(gathered.facts.unavailable(), Some(Unavailable::Timeout));
    // Without the budget this would never return; the bound is loose.
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_store_is_a_failure() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let store = Arc::new(DynamoStore::local(
        &format!("http://127.0.0.1:{port}"),
        "us-east-1",
        "t",
    ));
    let stage = Stage::new(store).with_budget(Duration::from_secs(5));
    let gathered = stage
        .gather(&requests(), &message("m1", now_ms()), None)
        .await;
    assert_eq!(gathered.facts.unavailable(), Some(Unavailable::Failed));
}

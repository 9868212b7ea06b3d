//! The stage's bookkeeping over the memory store: TTLs, old buckets.

use std::sync::Arc;
use std::time::Duration;

use chimeflow_core::{ChannelMessage, Effect, FactRequests, LogId, LogKind, Subject};
use chimeflow_facts::{ItemUpdate, MemoryStore, Stage, Store};

const SENDER: &str = "arn:aws:chime:us-east-1:111122223333:app-instance/a/user/u";

fn message(id: &str, at_ms: u64) -> ChannelMessage {
    serde_json::from_value(serde_json::json!({
        "MessageId": id,
        "CreatedTimestamp": at_ms.to_string(),
        "Sender": {"Arn": SENDER},
    }))
    .unwrap()
}

fn log(window: u64) -> LogId {
    LogId::new(
        Subject::Sender(SENDER.into()),
        LogKind::Messages,
        Duration::from_secs(window),
    )
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

async fn item(store: &MemoryStore) -> Arc<chimeflow_facts::Item> {
    store
        .update(ItemUpdate::new(format!("sender#{SENDER}")))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_message_sent_long_ago_sets_its_ttl_from_now() {
    let store = Arc::new(MemoryStore::new());
    let stage = Stage::new(store.clone());
    let mut requests = FactRequests::default();
    requests.append(log(10), None);
    let day_ago = now_ms() - 86_400_000;
    let gathered = stage.gather(&requests, &message("m1", day_ago), None).await;
    assert_eq!(gathered.facts.log(&log(10)).unwrap().count(), 1);
    let expires = item(&store).await.numbers["expires"] as u64;
    assert!(
        expires * 1000 > now_ms() + 19_000,
        "TTL counted from the message time"
    );
}

#[tokio::test]
async fn buckets_left_behind_are_removed_and_a_late_message_removes_nothing() {
    let store = Arc::new(MemoryStore::new());
    let stage = Stage::new(store.clone());
    let mut requests = FactRequests::default();
    requests.append(log(1), None);
    let start = now_ms() - 60_000;
    // Messages one minute apart (60 buckets of 1 s) leave a bucket each.
    for (n, at) in [start, start + 5_000, start + 10_000]
        .into_iter()
        .enumerate()
    {
        let gathered = stage
            .gather(&requests, &message(&format!("m{n}"), at), None)
            .await;
        stage.record(&gathered, &[], None).await;
    }
    let names: Vec<String> = item(&store).await.sets.keys().cloned().collect();
    assert_eq!(names.len(), 3, "{names:?}");
    // A recent message: its gather does not remove far-off buckets, and
    // with three left behind its record removes them.
    let gathered = stage
        .gather(&requests, &message("m9", now_ms()), None)
        .await;
    let recorded = stage.record(&gathered, &[], None).await;
    assert_eq!(recorded.calls, 1);
    assert_eq!(item(&store).await.sets.len(), 1);

    // A message delivered again late does not clear newer buckets.
    let gathered = stage.gather(&requests, &message("m0", start), None).await;
    assert_eq!(gathered.facts.log(&log(1)).unwrap().count(), 1);
    assert_eq!(item(&store).await.sets.len(), 2);
}

#[tokio::test]
async fn effects_are_recorded_once_per_message() {
    let store = Arc::new(MemoryStore::new());
    let stage = Stage::new(store.clone());
    let strikes = LogId::new(
        Subject::Sender(SENDER.into()),
        LogKind::Strikes,
        Duration::from_secs(3600),
    );
    let mut requests = FactRequests::default();
    requests.read(strikes.clone());
    let at = now_ms();
    for _ in 0..2 {
        let gathered = stage.gather(&requests, &message("m1", at), None).await;
        let effects = [
            Effect::Append {
                log: strikes.clone(),
            },
            Effect::SetNumber {
                subject: Subject::Sender(SENDER.into()),
                name: "timeout_until".into(),
                value: at as i64 + 600_000,
                keep: Duration::from_secs(600),
            },
        ];
        let recorded = stage.record(&gathered, &effects, None).await;
        assert_eq!(recorded.calls, 1, "one call for the sender's effects");
    }
    let gathered = stage.gather(&requests, &message("m2", at + 1), None).await;
    assert_eq!(gathered.facts.log(&strikes).unwrap().count(), 1);
    assert_eq!(
        item(&store).await.numbers["timeout_until"],
        at as i64 + 600_000
    );
}

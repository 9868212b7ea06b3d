//! The flow loop with test-local processors speaking the Runtime API by
//! hand: event shape, callback → SENT, deny → DENIED, FallbackAction with
//! no processor, Lambda's retry after a function error, duplicate
//! delivery, CONTROL bypass, edits through the flow.

mod common;

use std::time::Duration;

use aws_sdk_chimesdkmessaging::types::{
    ChannelMessageCallback, ChannelMessagePersistenceType, ChannelMessageType, FallbackAction,
    MessageAttributeValue,
};
use common::{EmulatorConfig, FUNCTION, World, config, http, next_invocation};

const LONG: Duration = Duration::from_secs(30);

async fn callback(
    world: &World,
    callback_id: &str,
    message_id: &str,
    content: Option<&str>,
    deny: bool,
) -> Result<(), String> {
    let mut message = ChannelMessageCallback::builder().message_id(message_id);
    if let Some(content) = content {
        message = message.content(content);
    }
    world
        .client
        .channel_flow_callback()
        .callback_id(callback_id)
        .channel_arn(&world.channel)
        .delete_resource(deny)
        .channel_message(message.build().unwrap())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            let e = e.into_service_error();
            format!(
                "{}: {}",
                e.meta().code().unwrap_or(""),
                e.meta().message().unwrap_or("")
            )
        })
}

async fn respond(world: &World, request_id: &str) {
    let response = http(
        &world.emulator.runtime_api(),
        "POST",
        &format!("/2018-06-01/runtime/invocation/{request_id}/response"),
        &[("content-type", "application/json")],
        b"{}",
    )
    .await;
    assert_eq!(response.status, 202);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_with_new_content_makes_the_message_sent() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, status) = world.send("hello world").await;
    assert_eq!(status, "PENDING");

    let runtime_api = world.emulator.runtime_api();
    let (request_id, event, response) = next_invocation(&runtime_api).await;
    assert_eq!(
        response.header("lambda-runtime-invoked-function-arn"),
        Some(FUNCTION)
    );
    let deadline: u128 = response
        .header("lambda-runtime-deadline-ms")
        .unwrap()
        .parse()
        .unwrap();
    assert!(deadline > 1_700_000_000_000);
    assert_eq!(event["EventType"], "CHANNEL_MESSAGE_EVENT");
    let callback_id = event["CallbackId"].as_str().unwrap().to_owned();
    assert!((32..=64).contains(&callback_id.len()));
    let message = &event["ChannelMessage"];
    assert_eq!(message["MessageId"], message_id.as_str());
    assert_eq!(message["ChannelArn"], world.channel.as_str());
    assert_eq!(message["Content"], "hello world");
    assert_eq!(message["Type"], "STANDARD");
    assert_eq!(message["Persistence"], "PERSISTENT");
    assert_eq!(message["Sender"]["Arn"], world.alice.as_str());
    assert_eq!(message["Sender"]["Name"], "Alice");
    assert!(message["CreatedTimestamp"].as_str().unwrap().ends_with('Z'));
    // As AWS's documented event: present on a plain send, equal to created.
    assert_eq!(message["LastEditedTimestamp"], message["CreatedTimestamp"]);
    let parsed: chimeflow_core::ProcessorEvent = serde_json::from_value(event.clone()).unwrap();
    assert!(parsed.extra.is_empty());

    // Pending messages are visible to the sender only.
    let others = world
        .client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap();
    assert!(others.channel_messages().is_empty());

    // A MessageId that is not the callback's is refused.
    let wrong = callback(&world, &callback_id, "not-this-message", Some("x"), false).await;
    assert!(wrong.unwrap_err().starts_with("BadRequestException"));

    world
        .client
        .channel_flow_callback()
        .callback_id(&callback_id)
        .channel_arn(&world.channel)
        .channel_message(
            ChannelMessageCallback::builder()
                .message_id(&message_id)
                .content("hello [moderated]")
                .metadata("{\"moderation\":\"edited\"}")
                .message_attributes(
                    "moderation",
                    MessageAttributeValue::builder()
                        .string_values("edited")
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("ChannelFlowCallback");
    respond(&world, &request_id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");

    let got = world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap()
        .channel_message
        .unwrap();
    assert_eq!(got.content(), Some("hello [moderated]"));
    assert_eq!(got.metadata(), Some("{\"moderation\":\"edited\"}"));
    assert_eq!(
        got.message_attributes().unwrap()["moderation"].string_values(),
        ["edited"]
    );
    assert_eq!(got.status().unwrap().value().unwrap().as_str(), "SENT");

    // A second callback for a resolved message: the modelled
    // BadRequestException (its wording is nobody's business).
    let again = callback(&world, &callback_id, &message_id, None, false).await;
    let again = again.unwrap_err();
    assert!(again.starts_with("BadRequestException"), "{again}");
    // The request id is answered: a second answer, response or error, is
    // a state error (403 InvalidStateTransition, as the Lambda Runtime
    // Interface Emulator answers it); an id never handed out is a 400.
    for answer in ["response", "error"] {
        let late = http(
            &runtime_api,
            "POST",
            &format!("/2018-06-01/runtime/invocation/{request_id}/{answer}"),
            &[],
            b"{}",
        )
        .await;
        assert_eq!(late.status, 403, "{answer}");
        assert_eq!(late.json()["errorType"], "InvalidStateTransition");
    }
    let unknown = http(
        &runtime_api,
        "POST",
        "/2018-06-01/runtime/invocation/not-a-request-id/response",
        &[],
        b"{}",
    )
    .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["errorType"], "InvalidRequestID");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deny_drops_the_message() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("something to deny").await;
    let (request_id, event, _) = next_invocation(&world.emulator.runtime_api()).await;
    let callback_id = event["CallbackId"].as_str().unwrap();
    callback(&world, callback_id, &message_id, None, true)
        .await
        .unwrap();
    respond(&world, &request_id).await;
    // Not stored, not even its status: GetChannelMessageStatus answers
    // BadRequest (final_status checks it and infers DENIED).
    assert_eq!(world.final_status(&message_id, LONG).await, "DENIED");
    assert_eq!(
        world.emulator.message_status(&world.channel, &message_id),
        None
    );
    let status = world
        .client
        .get_channel_message_status()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(status.is_bad_request_exception(), "{status:?}");
    let get = world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(get.is_not_found_exception(), "{get:?}");
    let listed = world
        .client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    assert!(listed.channel_messages().is_empty());
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_processor_abort_fails_the_message() {
    let world = World::start(config(Duration::from_millis(200))).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, status) = world.send("nobody listens").await;
    assert_eq!(status, "PENDING");
    assert_eq!(world.final_status(&message_id, LONG).await, "FAILED");
    assert_eq!(world.emulator.outstanding_invocations(), 0);
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_processor_continue_sends_the_original() {
    let world = World::start(config(Duration::from_millis(200))).await;
    world.with_flow(FallbackAction::Continue).await;
    let (message_id, _) = world.send("nobody listens").await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    let got = world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap()
        .channel_message
        .unwrap();
    assert_eq!(got.content(), Some("nobody listens"));
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_function_error_is_retried_with_the_same_event() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("retry me").await;
    let runtime_api = world.emulator.runtime_api();
    let (first_id, first, _) = next_invocation(&runtime_api).await;
    let failed = http(
        &runtime_api,
        "POST",
        &format!("/2018-06-01/runtime/invocation/{first_id}/error"),
        &[("lambda-runtime-function-error-type", "Runtime.Test")],
        br#"{"errorType":"Runtime.Test","errorMessage":"boom"}"#,
    )
    .await;
    assert_eq!(failed.status, 202);
    let (second_id, second, _) = next_invocation(&runtime_api).await;
    assert_eq!(
        first_id, second_id,
        "a retried async invocation keeps its request id"
    );
    assert_eq!(first, second, "Lambda retries the same event");
    let callback_id = second["CallbackId"].as_str().unwrap();
    callback(&world, callback_id, &message_id, None, false)
        .await
        .unwrap();
    respond(&world, &second_id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_init_error_fails_the_waiting_invocation_and_lambda_retries_it() {
    let timeout = Duration::from_millis(200);
    let world = World::start(config(timeout)).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("the processor cannot start").await;
    let runtime_api = world.emulator.runtime_api();
    let init = http(
        &runtime_api,
        "POST",
        "/2018-06-01/runtime/init/error",
        &[("lambda-runtime-function-error-type", "Runtime.Test")],
        br#"{"errorType":"Runtime.Test","errorMessage":"no configuration"}"#,
    )
    .await;
    assert_eq!(init.status, 202);
    let stats = world.emulator.invocation_stats();
    assert_eq!(stats.failed, 1, "the waiting invocation failed: {stats:?}");
    // It reached the function, so ABORT does not apply even with no
    // processor there for longer than the processor timeout.
    assert_eq!(
        world
            .emulator
            .wait_for_final_status(&world.channel, &message_id, timeout * 3)
            .await,
        None,
        "still PENDING"
    );
    // Lambda's retry: the same message, for a processor that starts.
    let (request_id, event, _) = next_invocation(&runtime_api).await;
    assert_eq!(event["ChannelMessage"]["MessageId"], message_id.as_str());
    let callback_id = event["CallbackId"].as_str().unwrap();
    callback(&world, callback_id, &message_id, None, false)
        .await
        .unwrap();
    respond(&world, &request_id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_are_bounded_and_then_the_message_stays_pending() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("always fails").await;
    let runtime_api = world.emulator.runtime_api();
    for _ in 0..3 {
        let (id, _, _) = next_invocation(&runtime_api).await;
        let failed = http(
            &runtime_api,
            "POST",
            &format!("/2018-06-01/runtime/invocation/{id}/error"),
            &[],
            b"{}",
        )
        .await;
        assert_eq!(failed.status, 202);
    }
    // Two retries were configured: nothing more is queued.
    assert_eq!(world.emulator.outstanding_invocations(), 0);
    assert_eq!(
        world
            .emulator
            .message_status(&world.channel, &message_id)
            .as_deref(),
        Some("PENDING")
    );
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_delivery_sends_the_same_event_twice() {
    let world = World::start(common::EmulatorConfig {
        duplicate_delivery: true,
        ..config(LONG)
    })
    .await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("twice").await;
    let runtime_api = world.emulator.runtime_api();
    let (first_id, first, _) = next_invocation(&runtime_api).await;
    let (second_id, second, _) = next_invocation(&runtime_api).await;
    assert_ne!(first_id, second_id);
    assert_eq!(first, second);
    let callback_id = first["CallbackId"].as_str().unwrap();
    callback(&world, callback_id, &message_id, None, false)
        .await
        .unwrap();
    let duplicate = callback(&world, callback_id, &message_id, None, false)
        .await
        .unwrap_err();
    assert!(duplicate.starts_with("BadRequestException"), "{duplicate}");
    respond(&world, &first_id).await;
    respond(&world, &second_id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_messages_bypass_the_flow() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let sent = world
        .client
        .send_channel_message()
        .channel_arn(&world.channel)
        .content("typing")
        .r#type(ChannelMessageType::Control)
        .persistence(ChannelMessagePersistenceType::NonPersistent)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().unwrap().value().unwrap().as_str(), "SENT");
    assert_eq!(world.emulator.outstanding_invocations(), 0);
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_goes_through_the_flow() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let runtime_api = world.emulator.runtime_api();
    let (message_id, _) = world.send("first version").await;
    let (id, event, _) = next_invocation(&runtime_api).await;
    callback(
        &world,
        event["CallbackId"].as_str().unwrap(),
        &message_id,
        None,
        false,
    )
    .await
    .unwrap();
    respond(&world, &id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");

    let updated = world
        .client
        .update_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .content("second version")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.status().unwrap().value().unwrap().as_str(),
        "PENDING"
    );
    let (id, event, _) = next_invocation(&runtime_api).await;
    assert_eq!(event["ChannelMessage"]["Content"], "second version");
    assert!(event["ChannelMessage"]["LastEditedTimestamp"].is_string());
    // Not approved yet: the stored version is not edited.
    let before = world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap()
        .channel_message
        .unwrap();
    assert_eq!(before.last_edited_timestamp(), None);
    callback(
        &world,
        event["CallbackId"].as_str().unwrap(),
        &message_id,
        Some("second, checked"),
        false,
    )
    .await
    .unwrap();
    respond(&world, &id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    let got = world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap()
        .channel_message
        .unwrap();
    assert_eq!(got.content(), Some("second, checked"));
    assert!(got.last_edited_timestamp().is_some());
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_callback_errors_come_first() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("throttle me").await;
    let (id, event, _) = next_invocation(&world.emulator.runtime_api()).await;
    let callback_id = event["CallbackId"].as_str().unwrap();
    world
        .emulator
        .fail_next_callbacks([chimeflow_emulator::ApiError::throttled()]);
    let throttled = callback(&world, callback_id, &message_id, None, false)
        .await
        .unwrap_err();
    assert!(
        throttled.starts_with("ThrottledClientException"),
        "{throttled}"
    );
    callback(&world, callback_id, &message_id, None, false)
        .await
        .unwrap();
    respond(&world, &id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_from_the_snapshot_redelivers_pending_messages() {
    let folder = tempfile::tempdir().unwrap();
    let snapshot = folder.path().join("state.json");
    let world = World::start(common::EmulatorConfig {
        snapshot: Some(snapshot.clone()),
        ..config(LONG)
    })
    .await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, status) = world.send("pending across a restart").await;
    assert_eq!(status, "PENDING");
    let channel = world.channel.clone();
    world.emulator.shutdown().await;

    let emulator = chimeflow_emulator::Emulator::start(common::EmulatorConfig {
        snapshot: Some(snapshot.clone()),
        ..config(LONG)
    })
    .await
    .unwrap();
    assert_eq!(
        emulator.message_status(&channel, &message_id).as_deref(),
        Some("PENDING")
    );
    let (id, event, _) = next_invocation(&emulator.runtime_api()).await;
    assert_eq!(event["ChannelMessage"]["MessageId"], message_id.as_str());
    let client = common::client(&emulator);
    client
        .channel_flow_callback()
        .callback_id(event["CallbackId"].as_str().unwrap())
        .channel_arn(&channel)
        .channel_message(
            ChannelMessageCallback::builder()
                .message_id(&message_id)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let response = http(
        &emulator.runtime_api(),
        "POST",
        &format!("/2018-06-01/runtime/invocation/{id}/response"),
        &[],
        b"{}",
    )
    .await;
    assert_eq!(response.status, 202);
    assert_eq!(
        emulator
            .wait_for_final_status(&channel, &message_id, LONG)
            .await
            .as_deref(),
        Some("SENT")
    );
    emulator.shutdown().await;
    let saved = std::fs::read_to_string(&snapshot).unwrap();
    assert!(saved.contains("\"SENT\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_edit_keeps_the_last_sent_version() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let runtime_api = world.emulator.runtime_api();
    let (message_id, _) = world.send("kept").await;
    let (id, event, _) = next_invocation(&runtime_api).await;
    callback(
        &world,
        event["CallbackId"].as_str().unwrap(),
        &message_id,
        None,
        false,
    )
    .await
    .unwrap();
    respond(&world, &id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");

    world
        .client
        .update_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .content("refused edit")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    let (id, event, _) = next_invocation(&runtime_api).await;
    callback(
        &world,
        event["CallbackId"].as_str().unwrap(),
        &message_id,
        None,
        true,
    )
    .await
    .unwrap();
    respond(&world, &id).await;
    // The last sent version stays, SENT, never edited.
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    let got = world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&message_id)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap()
        .channel_message
        .unwrap();
    assert_eq!(got.content(), Some("kept"));
    assert_eq!(got.status().unwrap().value().unwrap().as_str(), "SENT");
    assert_eq!(
        got.last_edited_timestamp(),
        None,
        "the denied edit never applied"
    );
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_releases_a_processor_waiting_for_work() {
    let world = World::start(config(LONG)).await;
    let runtime_api = world.emulator.runtime_api();
    let mut changes = world.emulator.changes();
    let waiting = tokio::spawn(async move {
        http(
            &runtime_api,
            "GET",
            "/2018-06-01/runtime/invocation/next",
            &[],
            b"",
        )
        .await
    });
    tokio::time::timeout(LONG, async {
        while world.emulator.invocation_stats().waiting == 0 {
            changes.changed().await.unwrap();
        }
    })
    .await
    .expect("the request is waiting");
    world.emulator.shutdown().await;
    let response = tokio::time::timeout(LONG, waiting)
        .await
        .expect("released")
        .unwrap();
    assert_eq!(response.status, 500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_attempts_deadline_spares_the_retry() {
    let world = World::start(EmulatorConfig {
        processor_timeout: Duration::from_secs(1),
        retry_delays: vec![Duration::from_millis(400)],
        ..EmulatorConfig::default()
    })
    .await;
    world.with_flow(FallbackAction::Abort).await;
    let (message_id, _) = world.send("retry me").await;
    let runtime_api = world.emulator.runtime_api();
    let (id, _, first) = next_invocation(&runtime_api).await;
    let first_deadline: u64 = first
        .header("lambda-runtime-deadline-ms")
        .unwrap()
        .parse()
        .unwrap();
    let failed = http(
        &runtime_api,
        "POST",
        &format!("/2018-06-01/runtime/invocation/{id}/error"),
        &[],
        b"{}",
    )
    .await;
    assert_eq!(failed.status, 202);
    let (retry_id, event, _) = next_invocation(&runtime_api).await;
    assert_eq!(retry_id, id);
    // The behaviour under test is a clock deadline: wait until the first
    // attempt's deadline (and its watcher's margin) has passed, well before
    // the retry's own (a second after it was picked up, 400 ms later).
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    tokio::time::sleep(Duration::from_millis(
        (first_deadline + 200).saturating_sub(now_ms),
    ))
    .await;
    assert_eq!(
        world.emulator.invocation_stats().failed,
        1,
        "only the error"
    );
    callback(
        &world,
        event["CallbackId"].as_str().unwrap(),
        &message_id,
        None,
        false,
    )
    .await
    .unwrap();
    respond(&world, &retry_id).await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_processor_works_through_a_backlog_without_fallback() {
    // Each message takes 150 ms, under the 300 ms timeout; the backlog of
    // six takes three times the timeout. Nothing may fall back.
    let world = World::start(config(Duration::from_millis(300))).await;
    world.with_flow(FallbackAction::Abort).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(world.send(&format!("message {n}")).await.0);
    }
    let runtime_api = world.emulator.runtime_api();
    for _ in 0..ids.len() {
        let (request_id, event, _) = next_invocation(&runtime_api).await;
        // The processor's own work, not a synchronisation.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let message_id = event["ChannelMessage"]["MessageId"].as_str().unwrap();
        callback(
            &world,
            event["CallbackId"].as_str().unwrap(),
            message_id,
            None,
            false,
        )
        .await
        .unwrap();
        respond(&world, &request_id).await;
    }
    for id in &ids {
        assert_eq!(world.final_status(id, LONG).await, "SENT");
    }
    assert_eq!(world.emulator.invocation_stats().succeeded, 6);
    world.emulator.shutdown().await;
}

//! The full loop with the real `processor` binary of crates/processor, unmodified:
//! AWS_LAMBDA_RUNTIME_API points at the emulator's Runtime API and
//! AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING at its API. The default
//! configuration (rules/chimeflow.toml) redacts PII and denies
//! whitespace-only content.

mod common;

use std::time::Duration;

use aws_sdk_chimesdkmessaging::types::FallbackAction;
use chimeflow_emulator::RunningEmulator;
use chimeflow_emulator::test_util::{Killed, processor_command};
use common::{EmulatorConfig, World, config};

const LONG: Duration = Duration::from_secs(60);

/// The processor, as Lambda would run it, killed when dropped.
fn spawn_processor(emulator: &RunningEmulator) -> Killed {
    Killed(
        processor_command(emulator)
            .spawn()
            .expect("the processor starts"),
    )
}

async fn content(world: &World, message_id: &str) -> String {
    world
        .client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(message_id)
        .chime_bearer(&world.bob)
        .send()
        .await
        .expect("GetChannelMessage")
        .channel_message
        .unwrap()
        .content
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_processor_redacts_and_denies() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    let _processor = spawn_processor(&world.emulator);

    let (redacted, status) = world.send("write to alice@example.com please").await;
    assert_eq!(status, "PENDING");
    assert_eq!(world.final_status(&redacted, LONG).await, "SENT");
    let text = content(&world, &redacted).await;
    assert!(!text.contains("alice@example.com"), "not redacted");
    assert!(text.starts_with("write to "), "the rest is kept");

    let (clean, _) = world.send("nothing to see here").await;
    assert_eq!(world.final_status(&clean, LONG).await, "SENT");
    assert_eq!(content(&world, &clean).await, "nothing to see here");

    let (blank, _) = world.send("   \n\t ").await;
    assert_eq!(world.final_status(&blank, LONG).await, "DENIED");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_processor_takes_a_duplicate_delivery_in_its_stride() {
    let world = World::start(EmulatorConfig {
        duplicate_delivery: true,
        ..config(LONG)
    })
    .await;
    world.with_flow(FallbackAction::Abort).await;
    let _processor = spawn_processor(&world.emulator);
    let (message_id, _) = world.send("call me at alice@example.com").await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    // One delivery resolves the message. The other's callback is refused
    // (BadRequestException) on its first attempt: the processor cannot tell
    // a duplicate from a refused request by the code alone, so it fails
    // that invocation and Lambda's retries (then the failure destination)
    // keep the event: nothing is dropped on a guess.
    let mut changes = world.emulator.changes();
    tokio::time::timeout(LONG, async {
        loop {
            let stats = world.emulator.invocation_stats();
            if stats.succeeded + stats.failed >= 2 && stats.outstanding == 0 {
                break;
            }
            changes.changed().await.unwrap();
        }
    })
    .await
    .expect("both deliveries finished");
    let stats = world.emulator.invocation_stats();
    assert_eq!(stats.succeeded, 1, "{stats:?}");
    assert!(stats.failed >= 1, "{stats:?}");
    assert!(
        !content(&world, &message_id)
            .await
            .contains("alice@example.com")
    );
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_processor_rides_out_a_service_failure_and_throttling() {
    let world = World::start(config(LONG)).await;
    world.with_flow(FallbackAction::Abort).await;
    world.emulator.fail_next_callbacks([
        chimeflow_emulator::ApiError::service_unavailable(),
        chimeflow_emulator::ApiError::throttled(),
    ]);
    let _processor = spawn_processor(&world.emulator);
    let (message_id, _) = world.send("mail bob@example.org").await;
    assert_eq!(world.final_status(&message_id, LONG).await, "SENT");
    assert!(
        !content(&world, &message_id)
            .await
            .contains("bob@example.org")
    );
    world.emulator.shutdown().await;
}

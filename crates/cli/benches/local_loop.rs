//! Messages per second through the whole local loop: SendChannelMessage
//! (real SDK) → the emulator → the real `processor` process (Runtime API) →
//! ChannelFlowCallback (real SDK) → SENT.
//!
//! ```text
//! cargo build -p chimeflow-processor --bin processor
//! cargo bench -p chimeflow-cli --bench local_loop --profile dev -- --messages 500 --concurrency 16
//! ```
//! (`cargo bench` without `--profile dev` builds in release: then build the
//! processor with `--release` too.) Options: `--messages N` (default 500),
//! `--concurrency C` (messages in flight, default 16), `--processors P`
//! (processor processes, as Lambda's concurrency, default 1), `--processor
//! PATH` (default: `processor` beside the bench's target directory).
//!
//! Each message is sent, then awaited in-process on the emulator's change
//! notifications (no polling). Prints one summary per concurrency level: one
//! message at a time (latency) and C at a time (throughput).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkmessaging::types::{
    ChannelMembershipType, ChannelMessagePersistenceType, ChannelMessageType, ChannelMode,
    ChannelPrivacy, FallbackAction, InvocationType, LambdaConfiguration, Processor,
    ProcessorConfiguration,
};
use chimeflow_emulator::{Emulator, EmulatorConfig, RunningEmulator};

const CONTENTS: [&str; 4] = [
    "hello team, the build is green",
    "email me at jane@example.com or call +1 415-555-0123",
    "see https://example.com/docs for the runbook",
    "ship it on friday after the review",
];

struct Options {
    messages: usize,
    concurrency: usize,
    processors: usize,
    processor: Option<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        messages: 500,
        concurrency: 16,
        processors: 1,
        processor: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--messages" => options.messages = value().parse().expect("--messages N"),
            "--concurrency" => options.concurrency = value().parse().expect("--concurrency C"),
            "--processors" => options.processors = value().parse().expect("--processors P"),
            "--processor" => options.processor = Some(value().into()),
            // cargo bench passes --bench; libtest-style filters are ignored.
            _ => {}
        }
    }
    options
}

fn processor_path(options: &Options) -> PathBuf {
    if let Some(path) = &options.processor {
        return path.clone();
    }
    // target/<profile>/deps/local_loop-HASH -> target/<profile>/processor
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join(format!("processor{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "no processor at {}: run `cargo build -p chimeflow-processor --bin processor` \
         (with --release for a release bench), or pass --processor PATH",
        path.display()
    );
    path
}

struct Loop {
    emulator: Arc<RunningEmulator>,
    client: Client,
    user: String,
    channel: String,
}

async fn set_up() -> Loop {
    let emulator = Emulator::start(EmulatorConfig {
        processor_timeout: Duration::from_secs(30),
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator starts");
    let app = emulator.create_app_instance("bench");
    let admin = emulator
        .create_app_instance_user(&app, "admin", "Admin")
        .unwrap();
    emulator.create_app_instance_admin(&app, &admin).unwrap();
    let user = emulator
        .create_app_instance_user(&app, "user", "User")
        .unwrap();
    let client = Client::from_conf(
        aws_sdk_chimesdkmessaging::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(emulator.region().to_owned()))
            .endpoint_url(emulator.endpoint())
            .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
            .build(),
    );
    let channel = client
        .create_channel()
        .app_instance_arn(&app)
        .name("bench")
        .mode(ChannelMode::Restricted)
        .privacy(ChannelPrivacy::Private)
        .chime_bearer(&admin)
        .send()
        .await
        .unwrap()
        .channel_arn()
        .unwrap()
        .to_owned();
    client
        .create_channel_membership()
        .channel_arn(&channel)
        .member_arn(&user)
        .r#type(ChannelMembershipType::Default)
        .chime_bearer(&admin)
        .send()
        .await
        .unwrap();
    let function = format!(
        "arn:aws:lambda:{}:111122223333:function:chimeflow-processor",
        emulator.region()
    );
    let flow = client
        .create_channel_flow()
        .app_instance_arn(&app)
        .name("bench")
        .processors(
            Processor::builder()
                .name("bench")
                .configuration(
                    ProcessorConfiguration::builder()
                        .lambda(
                            LambdaConfiguration::builder()
                                .resource_arn(function)
                                .invocation_type(InvocationType::Async)
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .execution_order(1)
                .fallback_action(FallbackAction::Abort)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .channel_flow_arn()
        .unwrap()
        .to_owned();
    client
        .associate_channel_flow()
        .channel_arn(&channel)
        .channel_flow_arn(&flow)
        .chime_bearer(&admin)
        .send()
        .await
        .unwrap();
    Loop {
        emulator: Arc::new(emulator),
        client,
        user,
        channel,
    }
}

fn spawn_processor(path: &PathBuf, emulator: &RunningEmulator) -> Child {
    Command::new(path)
        .env("AWS_LAMBDA_RUNTIME_API", emulator.runtime_api())
        .env("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", emulator.endpoint())
        .env("AWS_REGION", emulator.region())
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_LAMBDA_FUNCTION_NAME", "chimeflow-processor")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("the processor starts")
}

/// Sends one message and waits for its final status; the latency.
async fn one(lp: &Loop, i: usize) -> Duration {
    let started = Instant::now();
    let sent = lp
        .client
        .send_channel_message()
        .channel_arn(&lp.channel)
        .content(CONTENTS[i % CONTENTS.len()])
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(&lp.user)
        .send()
        .await
        .expect("SendChannelMessage");
    let id = sent.message_id().unwrap();
    let status = lp
        .emulator
        .wait_for_final_status(&lp.channel, id, Duration::from_secs(30))
        .await;
    assert_eq!(status.as_deref(), Some("SENT"), "message {i}");
    started.elapsed()
}

async fn run(lp: &Arc<Loop>, messages: usize, concurrency: usize) -> String {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let lp = lp.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= messages {
                    break latencies;
                }
                latencies.push(one(&lp, i).await);
            }
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    format!(
        "concurrency {concurrency:>3}: {messages} messages SENT in {:.2} s = {:.0} messages/s; \
         latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        elapsed.as_secs_f64(),
        messages as f64 / elapsed.as_secs_f64(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
    )
}

fn main() {
    let options = options();
    let processor = processor_path(&options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let lp = Arc::new(set_up().await);
        let mut children: Vec<Child> = (0..options.processors.max(1))
            .map(|_| spawn_processor(&processor, &lp.emulator))
            .collect();
        // Warm up: every processor has started and served one message.
        run(
            &lp,
            options.processors.max(1) * 4,
            options.processors.max(1),
        )
        .await;
        println!(
            "local loop: emulator + {} processor process(es) at {}",
            children.len(),
            processor.display()
        );
        println!("{}", run(&lp, options.messages.min(200), 1).await);
        println!("{}", run(&lp, options.messages, options.concurrency).await);
        for child in &mut children {
            let _ = child.kill();
            let _ = child.wait();
        }
    });
}

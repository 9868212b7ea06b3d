//! `chimeflow local`: the emulator and the processor, wired together. The
//! clap arguments are in [`args`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::types::{
    ChannelMembershipType, ChannelMode, ChannelPrivacy, FallbackAction, InvocationType,
    LambdaConfiguration, Processor, ProcessorConfiguration,
};
use chimeflow_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::json;

use crate::aws::{self, failure};
use crate::failure::Failure;

mod args;
mod store;

pub use args::LocalArgs;

/// The Lambda function name of the processor in the emulated account.
const FUNCTION_NAME: &str = "chimeflow-processor";

/// An empty file on every system.
const NULL_DEVICE: &str = if cfg!(windows) { "NUL" } else { "/dev/null" };

/// What `local` set up, printed as its first line.
struct Setup {
    app_instance_arn: String,
    admin_arn: String,
    user_arn: String,
    channel_arn: String,
    flow_arn: String,
    function_arn: String,
}

pub fn run(args: &LocalArgs) -> Result<ExitCode, Failure> {
    // Find the processor before starting anything: a missing binary is a
    // usage error with the command that builds it.
    let command = processor_command(args)?;
    let config = match &args.config {
        Some(path) => {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            if !path.is_file() {
                return Err(Failure::Usage(format!(
                    "--config {}: no such file",
                    path.display()
                )));
            }
            Some(path)
        }
        None => None,
    };
    // The emulator's own log lines (never message content): warnings by
    // default, such as a FallbackAction applied; RUST_LOG for more.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    aws::block_on(serve(args, command, config))?
}

async fn serve(
    args: &LocalArgs,
    command: Vec<String>,
    processor_config: Option<PathBuf>,
) -> Result<ExitCode, Failure> {
    // Listen for Ctrl-C and SIGTERM from now on: one that comes right after
    // the ready line must stop things cleanly, not kill chimeflow alone.
    let mut interrupts = Interrupts::new()?;
    let config = EmulatorConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], args.port)),
        runtime_api_bind: SocketAddr::from(([127, 0, 0, 1], args.runtime_api_port)),
        region: args.region.clone(),
        account_id: args.account_id.clone(),
        processor_timeout: args.processor_timeout,
        retry_delays: args.retry_delays.0.clone(),
        duplicate_delivery: args.duplicate_delivery,
        snapshot: args.snapshot.clone(),
    };
    let emulator = Emulator::start(config).await.map_err(|e| {
        let hint = if e.to_string().contains("in use") {
            " (pass --port or --runtime-api-port with another port, or 0 for any free one)"
        } else {
            ""
        };
        Failure::Runtime(format!("cannot start the emulator: {e}{hint}"))
    })?;
    let store = match store::LocalStore::start(args, emulator.region()).await {
        Ok(store) => store.with_comprehend(args.comprehend.as_deref()).await,
        Err(error) => Err(error),
    };
    let store = match store {
        Ok(store) => store,
        Err(error) => {
            emulator.shutdown().await;
            return Err(error);
        }
    };
    let setup = match set_up(&emulator, args).await {
        Ok(setup) => setup,
        Err(error) => {
            emulator.shutdown().await;
            return Err(error);
        }
    };
    let mut processor = match spawn_processor(
        &command,
        &emulator,
        processor_config.as_deref(),
        store.env(),
    ) {
        Ok(child) => child,
        Err(error) => {
            emulator.shutdown().await;
            return Err(error);
        }
    };
    // Its process group's id, kept: tokio forgets the pid once it is reaped.
    let group = processor.id();
    let ready = json!({
        "Endpoint": emulator.endpoint(),
        "RuntimeApi": emulator.runtime_api(),
        "Region": emulator.region(),
        "AppInstanceArn": setup.app_instance_arn,
        "AdminArn": setup.admin_arn,
        "UserArn": setup.user_arn,
        "ChannelArn": setup.channel_arn,
        "ChannelFlowArn": setup.flow_arn,
        "FunctionArn": setup.function_arn,
        "Store": store.ready(),
    });
    println!("{ready}");
    eprintln!(
        "chimeflow local: the emulator listens on {endpoint}; the processor ({program}) runs \
         against its Lambda Runtime API on {runtime}.\n\
         Try, in another shell (PII is redacted; the message goes PENDING, then SENT):\n\n  \
         {me} messages watch --endpoint-url {endpoint} --region {region} \\\n    \
         --bearer {user} \\\n    \
         --channel {channel} \\\n    \
         --content \"email me at jane@example.com\"\n\n\
         Ctrl-C stops the processor and the emulator.",
        endpoint = emulator.endpoint(),
        runtime = emulator.runtime_api(),
        region = emulator.region(),
        program = command[0],
        me = this_command(),
        user = setup.user_arn,
        channel = setup.channel_arn,
    );
    let outcome = tokio::select! {
        status = processor.wait() => Err(status),
        () = interrupts.recv() => Ok(()),
    };
    match outcome {
        Ok(()) => {
            stop_processor(&mut processor, group).await;
            emulator.shutdown().await;
            eprintln!("chimeflow local: stopped");
            Ok(ExitCode::SUCCESS)
        }
        Err(status) => {
            let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
            // Whatever it started may still run in its group.
            stop_processor(&mut processor, group).await;
            emulator.shutdown().await;
            Err(Failure::Runtime(format!(
                "the processor exited on its own ({status}); its log above says why. \
                 The emulator is stopped: a flow without its processor leaves messages PENDING"
            )))
        }
    }
}

/// How long the processor's group gets to exit after SIGTERM.
const PROCESSOR_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Stops the processor and everything it started: it runs in its own
/// process group, so SIGTERM goes to the group, then, once the processor
/// exits or [`PROCESSOR_GRACE`] passes, SIGKILL to whatever is left of it.
async fn stop_processor(processor: &mut tokio::process::Child, group: Option<u32>) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        let group = group
            .and_then(|id| i32::try_from(id).ok())
            .and_then(Pid::from_raw);
        if let Some(group) = group {
            let _ = kill_process_group(group, Signal::TERM);
            let exited = tokio::time::timeout(PROCESSOR_GRACE, processor.wait()).await;
            // The group outlives its leader while a member runs; ESRCH when
            // none is left.
            let _ = kill_process_group(group, Signal::KILL);
            if exited.is_err() {
                let _ = processor.wait().await;
            }
            return;
        }
    }
    let _ = group;
    let _ = processor.start_kill();
    let _ = processor.wait().await;
}

/// How to run this binary from another shell: `chimeflow` when that is
/// what PATH finds, else this binary's path (e.g. under `cargo run`).
fn this_command() -> String {
    let Ok(me) = std::env::current_exe().and_then(std::fs::canonicalize) else {
        return "chimeflow".into();
    };
    let name = format!("chimeflow{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path)
            .filter_map(|dir| std::fs::canonicalize(dir.join(&name)).ok())
            .next()
            .is_some_and(|found| found == me)
    });
    if on_path {
        "chimeflow".into()
    } else {
        me.display().to_string()
    }
}

/// Ctrl-C and SIGTERM, listened for from creation on.
struct Interrupts {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Interrupts {
    fn new() -> Result<Self, Failure> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind| {
                signal(kind).map_err(|e| Failure::Runtime(format!("cannot handle signals: {e}")))
            };
            Ok(Self {
                interrupt: listen(SignalKind::interrupt())?,
                terminate: listen(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Waits for the next Ctrl-C or SIGTERM.
    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The app instance, users, channel and flow, made through the emulator's
/// own API with the SDK, as on AWS.
async fn set_up(emulator: &RunningEmulator, args: &LocalArgs) -> Result<Setup, Failure> {
    let identity = |e: &dyn std::fmt::Display| Failure::Runtime(format!("cannot set up: {e}"));
    let app_instance_arn = emulator.create_app_instance("chimeflow-local");
    let admin_arn = emulator
        .create_app_instance_user(&app_instance_arn, "admin", "Admin")
        .map_err(|e| identity(&e))?;
    emulator
        .create_app_instance_admin(&app_instance_arn, &admin_arn)
        .map_err(|e| identity(&e))?;
    let user_arn = emulator
        .create_app_instance_user(&app_instance_arn, "user", "User")
        .map_err(|e| identity(&e))?;
    let endpoint = emulator.endpoint();
    let client = aws::client(&aws::Target {
        endpoint_url: Some(&endpoint),
        region: Some(emulator.region()),
        profile: None,
    })
    .await?;
    let function_arn = format!(
        "arn:aws:lambda:{}:{}:function:{FUNCTION_NAME}",
        emulator.region(),
        args.account_id
    );
    let channel_arn = create_channel(&client, &app_instance_arn, &admin_arn, &user_arn).await?;
    let flow_arn = client
        .create_channel_flow()
        .app_instance_arn(&app_instance_arn)
        .name("chimeflow-local")
        .processors(
            Processor::builder()
                .name(FUNCTION_NAME)
                .configuration(
                    ProcessorConfiguration::builder()
                        .lambda(
                            LambdaConfiguration::builder()
                                .resource_arn(&function_arn)
                                .invocation_type(InvocationType::Async)
                                .build()
                                .map_err(|e| identity(&e))?,
                        )
                        .build(),
                )
                .execution_order(1)
                .fallback_action(FallbackAction::Abort)
                .build()
                .map_err(|e| identity(&e))?,
        )
        .send()
        .await
        .map_err(failure)?
        .channel_flow_arn()
        .map(str::to_owned)
        .ok_or_else(|| Failure::Runtime("CreateChannelFlow answered no ChannelFlowArn".into()))?;
    client
        .associate_channel_flow()
        .channel_arn(&channel_arn)
        .channel_flow_arn(&flow_arn)
        .chime_bearer(&admin_arn)
        .send()
        .await
        .map_err(failure)?;
    Ok(Setup {
        app_instance_arn,
        admin_arn,
        user_arn,
        channel_arn,
        flow_arn,
        function_arn,
    })
}

async fn create_channel(
    client: &Client,
    app_instance_arn: &str,
    admin_arn: &str,
    user_arn: &str,
) -> Result<String, Failure> {
    let channel_arn = client
        .create_channel()
        .app_instance_arn(app_instance_arn)
        .name("chimeflow-local")
        .mode(ChannelMode::Restricted)
        .privacy(ChannelPrivacy::Private)
        .chime_bearer(admin_arn)
        .send()
        .await
        .map_err(failure)?
        .channel_arn()
        .map(str::to_owned)
        .ok_or_else(|| Failure::Runtime("CreateChannel answered no ChannelArn".into()))?;
    client
        .create_channel_membership()
        .channel_arn(&channel_arn)
        .member_arn(user_arn)
        .r#type(ChannelMembershipType::Default)
        .chime_bearer(admin_arn)
        .send()
        .await
        .map_err(failure)?;
    Ok(channel_arn)
}

/// The processor program and its arguments: --processor split at spaces,
/// else the `processor` binary beside this one.
fn processor_command(args: &LocalArgs) -> Result<Vec<String>, Failure> {
    if let Some(command) = &args.processor {
        let parts: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
        if parts.is_empty() {
            return Err(Failure::Usage("--processor is empty".into()));
        }
        return Ok(parts);
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .map(|dir| dir.join(format!("processor{}", std::env::consts::EXE_SUFFIX)));
    match beside {
        Some(path) if path.is_file() => Ok(vec![path.display().to_string()]),
        Some(path) => Err(Failure::Usage(format!(
            "no processor binary at {}: build it with `cargo build -p chimeflow-processor --bin processor` \
             (it lands next to chimeflow), or pass --processor CMD",
            path.display()
        ))),
        None => Err(Failure::Usage(
            "cannot locate this executable to find the processor beside it: pass --processor CMD"
                .into(),
        )),
    }
}

fn spawn_processor(
    command: &[String],
    emulator: &RunningEmulator,
    config: Option<&Path>,
    store_env: &[(&'static str, String)],
) -> Result<tokio::process::Child, Failure> {
    let mut process = tokio::process::Command::new(&command[0]);
    process
        .args(&command[1..])
        .env("AWS_LAMBDA_RUNTIME_API", emulator.runtime_api())
        .env("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", emulator.endpoint())
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_REGION", emulator.region())
        .env("AWS_DEFAULT_REGION", emulator.region())
        .env("AWS_ACCESS_KEY_ID", "chimeflow-local")
        .env("AWS_SECRET_ACCESS_KEY", "chimeflow-local")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        // Nothing from the developer's AWS profiles (an endpoint_url, a
        // region, credentials) reaches the local processor.
        .env("AWS_CONFIG_FILE", NULL_DEVICE)
        .env("AWS_SHARED_CREDENTIALS_FILE", NULL_DEVICE)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME)
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .stdin(Stdio::null())
        // The processor logs on standard output; ours carries the one
        // ready line, so its lines go to standard error.
        .stdout(Stdio::from(std::io::stderr()))
        .kill_on_drop(true);
    // Its own process group: Ctrl-C in the terminal reaches chimeflow,
    // which stops the processor, rather than killing both at once (which
    // would look like the processor dying by itself).
    #[cfg(unix)]
    process.process_group(0);
    if let Some(config) = config {
        process.env("CHIMEFLOW_CONFIG", config);
    }
    for (name, value) in store_env {
        process.env(name, value);
    }
    process
        .spawn()
        .map_err(|e| Failure::Usage(format!("cannot start the processor {}: {e}", command[0])))
}

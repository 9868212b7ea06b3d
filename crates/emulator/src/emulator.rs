//! Starting, using and stopping an emulator.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::error::{ApiError, EmulatorError};
use crate::invocations::InvocationStats;
use crate::ops::identity;
use crate::shared::Shared;
use crate::state::State;
use crate::{flow, runtime_api, server, snapshot};

/// The emulator: [`Emulator::start`] runs one.
pub struct Emulator;

/// A running emulator: the Chime SDK API and the Lambda Runtime API on
/// their own listeners, until [`RunningEmulator::shutdown`].
pub struct RunningEmulator {
    shared: Arc<Shared>,
    endpoint: SocketAddr,
    runtime_api: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    api_task: JoinHandle<()>,
    runtime_task: JoinHandle<()>,
    supervisor_task: JoinHandle<()>,
    snapshot_task: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

async fn bind(address: SocketAddr) -> Result<tokio::net::TcpListener, EmulatorError> {
    tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| EmulatorError::Bind { address, source })
}

impl Emulator {
    /// Binds both listeners, loads the snapshot if configured (re-queuing
    /// the invocations of PENDING messages), and starts serving.
    pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
        let state = match &config.snapshot {
            Some(path) => snapshot::load(path)?,
            None => State::default(),
        };
        crate::model::models();
        let api_listener = bind(config.bind).await?;
        let runtime_listener = bind(config.runtime_api_bind).await?;
        let endpoint = api_listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                address: config.bind,
                source,
            })?;
        let runtime_api = runtime_listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                address: config.runtime_api_bind,
                source,
            })?;
        let snapshot_path = config.snapshot.clone();
        let shared = Arc::new(Shared::new(config, state));

        let (stop, stopped) = oneshot::channel::<()>();
        let app = server::router(shared.clone());
        let api_task = tokio::spawn(async move {
            let _ = axum::serve(api_listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        let runtime_app = runtime_api::router(shared.clone());
        let mut closing = shared.closing.subscribe();
        let runtime_task = tokio::spawn(async move {
            let _ = axum::serve(runtime_listener, runtime_app)
                .with_graceful_shutdown(async move {
                    let _ = closing.wait_for(|closing| *closing).await;
                })
                .await;
        });
        let snapshot_task = snapshot_path.map(|path| spawn_snapshot_writer(shared.clone(), path));
        let supervisor_task = tokio::spawn(flow::supervise(shared.clone()));
        snapshot::resume(&shared);
        tracing::info!(%endpoint, %runtime_api, "chimeflow emulator listening");
        Ok(RunningEmulator {
            shared,
            endpoint,
            runtime_api,
            stop: Some(stop),
            api_task,
            runtime_task,
            supervisor_task,
            snapshot_task,
        })
    }
}

/// Rewrites the snapshot after each burst of changes, and once at the end.
fn spawn_snapshot_writer(
    shared: Arc<Shared>,
    path: PathBuf,
) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (stop, mut stopped) = oneshot::channel::<()>();
    let mut changes = shared.changes.subscribe();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                changed = changes.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
                _ = &mut stopped => break,
            }
            if let Err(e) = snapshot::write(&shared, &path) {
                tracing::error!(error = %e, "snapshot not written");
            }
        }
        if let Err(e) = snapshot::write(&shared, &path) {
            tracing::error!(error = %e, "snapshot not written");
        }
    });
    (stop, task)
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`: the endpoint URL for SDKs
    /// (`--endpoint-url`, `AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.endpoint)
    }

    /// `127.0.0.1:PORT`: the value of `AWS_LAMBDA_RUNTIME_API` for processors.
    pub fn runtime_api(&self) -> String {
        self.runtime_api.to_string()
    }

    /// The region in ARNs (sign requests for it).
    pub fn region(&self) -> &str {
        &self.shared.config.region
    }

    /// Creates an app instance, as CreateAppInstance does; its ARN.
    pub fn create_app_instance(&self, name: &str) -> String {
        identity::create_app_instance(&self.shared, name, None)
    }

    /// Creates an AppInstanceUser, as CreateAppInstanceUser does; its ARN.
    pub fn create_app_instance_user(
        &self,
        app_instance_arn: &str,
        user_id: &str,
        name: &str,
    ) -> Result<String, EmulatorError> {
        Ok(identity::create_app_instance_user(
            &self.shared,
            app_instance_arn,
            user_id,
            name,
        )?)
    }

    /// Makes a user an AppInstanceAdmin, as CreateAppInstanceAdmin does.
    pub fn create_app_instance_admin(
        &self,
        app_instance_arn: &str,
        user_arn: &str,
    ) -> Result<(), EmulatorError> {
        Ok(identity::create_app_instance_admin(
            &self.shared,
            app_instance_arn,
            user_arn,
        )?)
    }

    /// A receiver that changes after every state change (a message sent,
    /// resolved, failed…): wait on it instead of sleeping.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.shared.changes.subscribe()
    }

    /// The status of a message (`PENDING`, `SENT`, `FAILED`), or `None`
    /// when there is no such message. A new message the processor denied
    /// is not stored (as on the service), so it is `None` too; a denied
    /// edit leaves the last sent version, `SENT`.
    pub fn message_status(&self, channel_arn: &str, message_id: &str) -> Option<String> {
        let state = self.shared.state();
        let channel = state.channels.get(channel_arn)?;
        channel
            .messages
            .iter()
            .find(|m| m.id == message_id)
            .map(|m| m.status.clone())
    }

    /// Waits until the message's status is no longer PENDING, at most
    /// `timeout`; the final status, or `None` on timeout or when the
    /// message is not stored (never sent, deleted, or denied by the
    /// processor: [`message_status`](Self::message_status) then says `None`
    /// too, where a timeout leaves it `PENDING`).
    pub async fn wait_for_final_status(
        &self,
        channel_arn: &str,
        message_id: &str,
        timeout: Duration,
    ) -> Option<String> {
        let mut changes = self.changes();
        tokio::time::timeout(timeout, async {
            loop {
                match self.message_status(channel_arn, message_id) {
                    Some(status) if status != "PENDING" => return Some(status),
                    None => return None,
                    Some(_) => {}
                }
                if changes.changed().await.is_err() {
                    return None;
                }
            }
        })
        .await
        .ok()
        .flatten()
    }

    /// Answers the next ChannelFlowCallback requests (after validation) with
    /// these errors, one each, in order, then normally again: to test how a
    /// processor handles throttling (`ApiError::throttled()`), service
    /// failures (`ApiError::service_unavailable()`) and the like.
    pub fn fail_next_callbacks(&self, errors: impl IntoIterator<Item = ApiError>) {
        self.shared
            .injected_callback_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(errors);
    }

    /// Invocations queued or held by a processor.
    pub fn outstanding_invocations(&self) -> usize {
        flow::stats(&self.shared).outstanding
    }

    /// How many deliveries succeeded, failed, and are outstanding.
    pub fn invocation_stats(&self) -> InvocationStats {
        flow::stats(&self.shared)
    }

    /// Stops both listeners (in-flight API requests finish; processors
    /// long-polling for the next invocation get an error, so they stop too)
    /// and writes the snapshot if configured.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.shared.closing.send_replace(true);
        for task in [
            &mut self.runtime_task,
            &mut self.api_task,
            &mut self.supervisor_task,
        ] {
            if tokio::time::timeout(Duration::from_secs(5), &mut *task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
        if let Some((stop, task)) = self.snapshot_task.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
        tracing::info!("chimeflow emulator stopped");
    }
}

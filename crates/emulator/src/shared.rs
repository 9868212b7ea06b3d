//! What every part of a running emulator shares: the configuration, the
//! state, the invocation queue and a change counter that waiters watch.

use std::sync::{Mutex, MutexGuard};

use tokio::sync::watch;

use crate::config::EmulatorConfig;
use crate::error::ApiError;
use crate::invocations::Invocations;
use crate::state::State;

/// The shared core of a running emulator.
pub struct Shared {
    /// The configuration it started with.
    pub config: EmulatorConfig,
    state: Mutex<State>,
    /// Invocations waiting for or held by a processor.
    pub invocations: Mutex<Invocations>,
    /// Wakes `GET …/invocation/next` when an invocation is queued.
    pub queued: tokio::sync::Notify,
    /// Wakes the fallback supervisor when the queue or the processors'
    /// presence changes.
    pub supervisor: tokio::sync::Notify,
    /// Set to true at shutdown: long-polling `…/invocation/next` requests
    /// return, so the Runtime API's connections can close.
    pub closing: watch::Sender<bool>,
    /// Errors to answer the next ChannelFlowCallback requests with, in order
    /// (fault injection for processor tests).
    pub injected_callback_errors: Mutex<std::collections::VecDeque<ApiError>>,
    /// Counts changes: bumped after every state mutation and every finished
    /// invocation, so waiters re-check instead of sleeping.
    pub changes: watch::Sender<u64>,
}

impl Shared {
    /// A core with `state`.
    pub fn new(config: EmulatorConfig, state: State) -> Self {
        Self {
            config,
            state: Mutex::new(state),
            invocations: Mutex::default(),
            queued: tokio::sync::Notify::new(),
            supervisor: tokio::sync::Notify::new(),
            injected_callback_errors: Mutex::default(),
            closing: watch::Sender::new(false),
            changes: watch::Sender::new(0),
        }
    }

    /// Locks the state (a poisoned lock is recovered: the data stays usable).
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Locks the invocations.
    pub fn invocations(&self) -> MutexGuard<'_, Invocations> {
        self.invocations.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records that the state changed (wakes watchers, schedules the snapshot).
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    /// `arn:aws:chime:REGION:ACCOUNT:` — the prefix of every ARN made here.
    pub fn arn_prefix(&self) -> String {
        format!(
            "arn:aws:chime:{}:{}:",
            self.config.region, self.config.account_id
        )
    }
}

//! What `chimeflow messages watch` shows while a message is PENDING: on a
//! terminal, a spinner with the status and the time waited, and a line per
//! change (`PENDING → SENT after 0.42 s`); when piped, nothing here: the
//! JSON lines are the whole output, for scripts.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::failure::Failure;

/// The spinner and change lines, or nothing when not on a terminal.
pub struct WatchProgress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl WatchProgress {
    /// Live when both standard output and standard error are terminals
    /// (a person is watching, nothing is being captured).
    pub fn detect() -> Self {
        let live = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        Self::new(live)
    }

    fn new(live: bool) -> Self {
        let bar = live.then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed_precise}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Self {
            bar,
            started: Instant::now(),
        }
    }

    /// Whether the progression is shown as a spinner and change lines (the
    /// status JSON lines are then not printed).
    pub fn is_live(&self) -> bool {
        self.bar.is_some()
    }

    /// The status now, on the spinner.
    pub fn waiting(&self, status: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{status}: waiting for the processor"));
        }
    }

    /// A change of status, as a line above the spinner.
    pub fn changed(&self, from: &str, to: &str) {
        if let Some(bar) = &self.bar {
            let seconds = self.started.elapsed().as_secs_f64();
            bar.println(format!("{from} → {to} after {seconds:.2} s"));
        }
    }

    /// Runs `print` with the spinner out of the way, so that its output is
    /// not drawn over.
    pub fn print(&self, print: impl FnOnce() -> Result<(), Failure>) -> Result<(), Failure> {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for WatchProgress {
    fn drop(&mut self) {
        self.finish();
    }
}

//! `chimeflow replay`: run a corpus through a configuration and a baseline
//! and report what the change would have done.

mod corpus;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chimeflow_core::{OnError, Outcome, Pipeline, Processor};
use chimeflow_host::Config;
use clap::Args;

use crate::failure::Failure;
use crate::input::Input;
use crate::local_facts::LocalFacts;
use crate::process::progress_bar;
use report::{Change, Report, Side, UnusableLine};

/// Replay messages through a new configuration and a baseline; report what changes.
///
/// Every INPUT (a file, or `-` for standard input) is JSON or JSON Lines
/// holding channel-flow events (what the processor receives), or messages:
/// what `chimeflow messages list` prints (each of its ChannelMessages), one
/// message a line as `chimeflow messages watch` prints, or an export of
/// your own with MessageId, Content and the other ChannelMessage fields.
/// Messages replay in input order, with their own CreatedTimestamp as
/// their time, so rate limits and duplicates count as they happened; each
/// configuration keeps its own in-memory state.
///
/// The report gives, for the baseline and the new configuration, the PASS,
/// UPDATE and DENY counts; for each rule and category found, the outcomes
/// of the messages it was found in; which rules denied; what rules in
/// observe mode would have done; the throughput; and the messages whose
/// outcome changed (decision, what would be sent, or what was found), by
/// id and span. The text of a changed message is shown only with
/// --show-text.
///
/// Without --baseline the baseline is no rules at all (every message
/// passes): the report is then what the configuration does to the corpus.
///
/// Exit status: 0, or 1 with --fail-on-change when any message changed or
/// when a value of the corpus was unusable; 2 when a configuration is bad
/// or an input cannot be read.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow replay --config new.toml --baseline chimeflow.toml last-week.jsonl\n  \
    chimeflow messages list --channel ARN > export.json\n  \
    chimeflow replay --config new.toml --baseline chimeflow.toml export.json --show-text\n  \
    chimeflow replay --config new.toml --baseline main.toml corpus.jsonl --fail-on-change --format json")]
pub struct ReplayArgs {
    /// Corpus files (JSON or JSON Lines of events or messages); `-` reads standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The configuration to try.
    #[arg(long, short, value_name = "FILE")]
    pub config: PathBuf,

    /// The configuration to compare with [default: no rules].
    #[arg(long, short, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Show the text of each changed message (it is never shown otherwise).
    #[arg(long)]
    pub show_text: bool,

    /// Exit 1 when any message's outcome changed: a gate for configuration
    /// changes in CI.
    #[arg(long)]
    pub fail_on_change: bool,

    /// List at most this many changed messages (all are counted).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_changes: usize,

    /// `human`: a report for a person. `json`: one JSON document.
    #[arg(long, short = 'f', value_enum, default_value_t = ReplayFormat::Human, value_name = "FORMAT")]
    pub format: ReplayFormat,
}

/// How `chimeflow replay` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReplayFormat {
    /// A report for a person.
    Human,
    /// One JSON document.
    Json,
}

/// A configuration to replay through: its processor and its own state.
struct Run {
    processor: Processor,
    facts: LocalFacts,
    side: Side,
}

impl Run {
    fn load(path: Option<&Path>) -> Result<Self, Failure> {
        let (processor, name, budget) = match path {
            Some(path) => {
                let config: Config = chimeflow_rules::load(Some(path))?;
                let budget = config.store.budget;
                (config.into_processor(), path.display().to_string(), budget)
            }
            None => (
                Processor::new(Pipeline::new(Vec::new()), OnError::Deny),
                "(no rules)".to_owned(),
                Duration::from_millis(50),
            ),
        };
        Ok(Self {
            processor,
            facts: LocalFacts::new(budget, None)?,
            side: Side::new(name),
        })
    }

    fn outcome(&mut self, event: &chimeflow_core::ProcessorEvent) -> Option<Outcome> {
        match self.facts.outcome(&self.processor, event) {
            Ok(outcome) => {
                self.side.add(&outcome);
                Some(outcome)
            }
            Err(_) => {
                self.side.errors += 1;
                None
            }
        }
    }
}

pub fn run(args: &ReplayArgs) -> Result<ExitCode, Failure> {
    let mut new = Run::load(Some(&args.config))?;
    let mut baseline = Run::load(args.baseline.as_deref())?;
    let inputs = args
        .inputs
        .iter()
        .map(|p| Input::read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let (items, unusable) = corpus::read(&inputs);
    let progress = progress_bar(items.len());
    let mut changed = Vec::new();
    let mut changed_count = 0;
    let (mut baseline_time, mut new_time) = (Duration::ZERO, Duration::ZERO);
    for item in &items {
        let started = Instant::now();
        let before = baseline.outcome(&item.event);
        let between = Instant::now();
        let after = new.outcome(&item.event);
        baseline_time += between - started;
        new_time += between.elapsed();
        progress.inc(1);
        let (Some(before), Some(after)) = (before, after) else {
            continue;
        };
        if let Some(mut change) = Change::between(&item.origin, &before, &after) {
            changed_count += 1;
            if changed.len() < args.max_changes {
                if args.show_text {
                    change.text = item.event.channel_message.content.clone();
                }
                changed.push(change);
            }
        }
    }
    progress.finish_and_clear();
    baseline.side.finish(baseline_time, items.len());
    new.side.finish(new_time, items.len());
    let report = Report {
        messages: items.len(),
        unusable: unusable
            .into_iter()
            .map(|u| UnusableLine {
                input: u.origin,
                error: u.error,
            })
            .collect(),
        baseline: baseline.side,
        new: new.side,
        changed_count,
        changed,
    };
    let text = match args.format {
        ReplayFormat::Human => report.human(),
        ReplayFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report).expect("the report serializes");
            json.push('\n');
            json
        }
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(Failure::Output(e)),
    }
    let failed = args.fail_on_change && (report.changed_count > 0 || !report.unusable.is_empty());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

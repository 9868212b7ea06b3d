//! `chimeflow process`: events in, one outcome line per event out. The clap
//! arguments live here, with the code that runs them.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chimeflow_core::ProcessorEvent;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::failure::Failure;
use crate::human::{self, Style};
use crate::input::{self, Input, Piece};
use crate::local_facts::LocalFacts;
use crate::synthetic::text_event;

/// Run channel-flow events through the rules; print each outcome and callback.
///
/// Each INPUT is a file, or `-` for standard input (the default when no
/// INPUT is given). An input holds one JSON event (it may be pretty-printed)
/// or JSON Lines, one event per line. With --text, every line is the content
/// of a message, wrapped in a synthetic event.
///
/// For each event, in input order, one JSON line is written to standard
/// output:
///
///   {"MessageId": "…", "Outcome": "PASS|UPDATE|DENY", "Findings": [...],
///    "Callback": {"ChannelArn": "…", "CallbackId": "…", "DeleteResource": false,
///                 "ChannelMessage": {...}}}
///
/// DENY outcomes add "Reason" ({"Rule", "Reason"}); limit fallbacks and
/// fields set aside (a known field of an undocumented shape) add "Notes".
/// An event without a ChannelArn cannot be called back: its line has no
/// "Callback" but "NoCallback", saying why. Findings give rule, category and
/// byte span in the original content, never the matched text. An event that
/// cannot be used gives {"Error": "…", "Input": "FILE:LINE"} on its line and
/// processing goes on.
///
/// --format human prints a block per event instead, for a person: the text
/// with each finding highlighted (colour on a terminal unless NO_COLOR is
/// set, «…» otherwise), the findings, what would be sent and any notes.
///
/// Stateful rules (rate-limit, duplicate, strikes) keep their state in
/// memory for the run: the events of one run, across every INPUT, share it,
/// in order. An event's CreatedTimestamp is its time (events without one,
/// and --text lines, are "now"). What the rules asked to keep or do (a
/// strike, a timeout, a ban) is listed under "Effects"; nothing is banned.
///
/// Exit status: 0 when every event was processed, 1 when any event was an
/// error line, 2 when the configuration is bad or an input cannot be read.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow process events/with-pii.json\n  \
    chimeflow process events/*.json --pretty\n  \
    echo 'call me at 555-867-5309' | chimeflow process --text\n  \
    echo 'call me at 555-867-5309' | chimeflow process --text --format human\n  \
    chimeflow process --config my-rules.toml events.jsonl > outcomes.jsonl\n  \
    chimeflow process --config comprehend.toml --comprehend-endpoint http://127.0.0.1:4566 events.jsonl")]
pub struct ProcessArgs {
    /// Event files (JSON or JSON Lines); `-` or nothing reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Configuration file [default: $CHIMEFLOW_CONFIG, else the embedded rules/chimeflow.toml].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Treat every input line as message content, not as an event.
    #[arg(long)]
    pub text: bool,

    /// Indent each outcome over several lines (no longer JSON Lines).
    #[arg(long, conflicts_with = "format")]
    pub pretty: bool,

    /// Ask the Comprehend-backed rules' questions (toxicity, comprehend-pii,
    /// language) at this endpoint: a local stand-in, with placeholder
    /// credentials. Without it those rules have no answer and apply their
    /// on_service_error (a note says so).
    #[arg(long, value_name = "URL")]
    pub comprehend_endpoint: Option<String>,

    /// `json`: one JSON line per event (the contract scripts rely on).
    /// `human`: a block per event with the findings highlighted in the text.
    #[arg(long, short = 'f', value_enum, default_value_t = ProcessFormat::Json, value_name = "FORMAT")]
    pub format: ProcessFormat,
}

/// How `chimeflow process` prints outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProcessFormat {
    /// One JSON line per event.
    Json,
    /// A block per event for a person, findings highlighted in the text.
    Human,
}

/// Inputs with at least this many events show a progress bar (on a terminal).
const PROGRESS_THRESHOLD: usize = 1000;

/// A line for an event that could not be processed.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorLine<'a> {
    error: String,
    input: &'a str,
}

pub fn run(args: &ProcessArgs) -> Result<ExitCode, Failure> {
    let config = chimeflow_rules::load(args.config.as_deref())?;
    let stage = LocalFacts::new(
        config.store.budget,
        args.comprehend_endpoint
            .as_deref()
            .map(|endpoint| (endpoint, config.comprehend.budget)),
    )?;
    let processor = config.into_processor();
    let paths = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    // Read every input before writing anything: an unreadable input fails
    // the run (exit 2) before any line is printed.
    let inputs = paths
        .iter()
        .map(|p| Input::read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let split: Vec<Vec<Piece<'_>>> = inputs
        .iter()
        .map(|input| {
            if args.text {
                input::lines(&input.bytes).collect()
            } else {
                input::events(&input.bytes)
            }
        })
        .collect();
    let progress = progress_bar(split.iter().map(Vec::len).sum());

    let stdout = std::io::stdout();
    let style = Style::detect(stdout.is_terminal());
    let mut out = Output {
        writer: BufWriter::new(stdout.lock()),
        pretty: args.pretty,
        human: (args.format == ProcessFormat::Human).then_some(style),
    };
    let mut any_error = false;
    for (index, (input, pieces)) in inputs.iter().zip(&split).enumerate() {
        if pieces.is_empty() && !args.text {
            any_error = true;
            out.error("empty input: no event".into(), &input.name)?;
            continue;
        }
        for piece in pieces {
            let origin = format!("{}:{}", input.name, piece.line);
            let event = if args.text {
                Ok(text_event(
                    index + 1,
                    piece.line,
                    String::from_utf8_lossy(piece.bytes).into_owned(),
                ))
            } else {
                ProcessorEvent::from_slice(piece.bytes).map_err(|e| {
                    // A parse error's own line is relative to the piece.
                    let line = if e.line > 0 {
                        piece.line + e.line - 1
                    } else {
                        piece.line
                    };
                    (e.to_string(), format!("{}:{line}", input.name))
                })
            };
            let written = match event {
                Ok(event) => match stage.outcome(&processor, &event) {
                    Ok(line) => out.outcome(&origin, &event, &line),
                    Err(message) => {
                        any_error = true;
                        out.error(message, &origin)
                    }
                },
                Err((message, at)) => {
                    any_error = true;
                    out.error(message, &at)
                }
            };
            written?;
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    out.flush()?;
    Ok(if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn progress_bar(total: usize) -> ProgressBar {
    if total < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} events {per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Writes outcome and error lines; a closed pipe (`| head`) ends quietly.
struct Output<W: Write> {
    writer: W,
    pretty: bool,
    /// `--format human`, with its style.
    human: Option<Style>,
}

impl<W: Write> Output<W> {
    fn outcome(
        &mut self,
        origin: &str,
        event: &ProcessorEvent,
        outcome: &chimeflow_core::Outcome,
    ) -> Result<(), Failure> {
        match self.human {
            Some(style) => self.text(&human::outcome_block(origin, event, outcome, style)),
            None => self.write(outcome),
        }
    }

    fn text(&mut self, block: &str) -> Result<(), Failure> {
        self.writer.write_all(block.as_bytes()).or_else(closed_pipe)
    }

    fn write(&mut self, value: &impl Serialize) -> Result<(), Failure> {
        let result = if self.pretty {
            serde_json::to_writer_pretty(&mut self.writer, value)
        } else {
            serde_json::to_writer(&mut self.writer, value)
        };
        result
            .map_err(std::io::Error::from)
            .and_then(|()| self.writer.write_all(b"\n"))
            .or_else(closed_pipe)
    }

    fn error(&mut self, error: String, input: &str) -> Result<(), Failure> {
        if let Some(style) = self.human {
            return self.text(&human::error_block(input, &error, style));
        }
        self.write(&ErrorLine { error, input })
    }

    fn flush(&mut self) -> Result<(), Failure> {
        self.writer.flush().or_else(closed_pipe)
    }
}

fn closed_pipe(error: std::io::Error) -> Result<(), Failure> {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    Err(Failure::Output(error))
}

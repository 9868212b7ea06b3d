//! `chimeflow process`: events in, one outcome line per event out.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chimeflow_core::{Processor, ProcessorEvent};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::{ProcessArgs, ProcessFormat};
use crate::failure::Failure;
use crate::human::{self, Style};
use crate::input::{self, Input, Piece};
use crate::synthetic::text_event;

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
    let processor = chimeflow_rules::load(args.config.as_deref())?.into_processor();
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
                Ok(event) => match processor_outcome(&processor, &event) {
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

fn processor_outcome(
    processor: &Processor,
    event: &ProcessorEvent,
) -> Result<chimeflow_core::Outcome, String> {
    processor.process(event).map_err(|e| e.to_string())
}

fn progress_bar(total: usize) -> ProgressBar {
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

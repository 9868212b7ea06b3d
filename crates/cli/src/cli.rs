//! The command line: subcommands, flags and their help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// chimeflow: moderation rules for Amazon Chime SDK Messaging channel flows.
///
/// Every message sent to a channel with a channel flow goes to a processor
/// Lambda first, which answers through ChannelFlowCallback with new content,
/// a deny, or no change. This command runs the same rules the processor runs,
/// on events or plain text, with no AWS account.
#[derive(Debug, Parser)]
#[command(
    name = "chimeflow",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Process(ProcessArgs),
    Check(CheckArgs),
    Rules(RulesArgs),
    New(NewArgs),
}

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
/// DENY outcomes add "Reason" ({"Rule", "Reason"}); limit fallbacks add
/// "Notes". Findings give rule, category and byte span in the original
/// content, never the matched text. An event that cannot be used gives
/// {"Error": "…", "Input": "FILE:LINE"} on its line and processing goes on.
///
/// Exit status: 0 when every event was processed, 1 when any event was an
/// error line, 2 when the configuration is bad or an input cannot be read.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow process events/with-pii.json\n  \
    chimeflow process events/*.json --pretty\n  \
    echo 'call me at 555-867-5309' | chimeflow process --text\n  \
    chimeflow process --config my-rules.toml events.jsonl > outcomes.jsonl")]
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
    #[arg(long)]
    pub pretty: bool,
}

/// Validate a configuration and list the rules it builds.
///
/// Parses the configuration, builds every rule, and prints the rules in
/// order. A bad configuration prints one error naming the file, line and key
/// and exits 2, exactly as the processor would refuse to start with it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow check\n  chimeflow check --config my-rules.toml")]
pub struct CheckArgs {
    /// Configuration file [default: $CHIMEFLOW_CONFIG, else the embedded rules/chimeflow.toml].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// List the rule types, or explain one.
///
/// Without ID, prints every rule type with a one-line summary. With ID,
/// prints its whole documentation: what it does, every option with its
/// default, an example, and its limitations.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow rules\n  chimeflow rules length")]
pub struct RulesArgs {
    /// A rule type, e.g. `length`.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

/// Scaffold a processor project with a custom rule.
///
/// Creates PATH with a Cargo project on the chimeflow crates: a processor
/// binary (src/main.rs) that registers a custom rule stub (src/rule.rs, with
/// table and conformance tests) next to the built-ins, rules/chimeflow.toml
/// (embedded at build time), template.yaml for `sam build && sam deploy`,
/// env.json and events/ for `sam local invoke`, and a README. It builds and
/// passes its own tests as created: `cd PATH && cargo test`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow new my-processor\n  \
    chimeflow new ./services/moderation --name chat-moderation --chimeflow-path ~/src/chimeflow")]
pub struct NewArgs {
    /// The directory to create (must not exist, or be empty).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// The crate name [default: the directory's name].
    #[arg(long)]
    pub name: Option<String>,

    /// The chimeflow checkout to depend on [default: the one this binary was built from].
    #[arg(long, value_name = "DIR")]
    pub chimeflow_path: Option<PathBuf>,
}

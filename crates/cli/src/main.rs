//! `chimeflow`: try rules on events, validate configuration, explain rules,
//! call the channel-flow, messaging and identity APIs, run the local emulator.
//!
//! Every command's help is in the guide's docs/cli.md, generated from the
//! clap definitions (`cli`, and each subcommand's module) by the hidden
//! `gen-docs` command (`scripts/gen-docs`).

mod admins;
mod app_instances;
mod aws;
mod aws_options;
mod channels;
mod check;
mod cli;
mod duration;
mod failure;
mod flows;
mod gen_docs;
mod human;
mod identity_options;
mod identity_shapes;
mod input;
mod local;
mod local_facts;
mod messages;
mod new;
mod output;
mod paging;
mod process;
mod replay;
mod rules_cmd;
mod shapes;
mod synthetic;
mod tags;
mod users;
mod watch_progress;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    quiet_panics();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Process(args) => process::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules_cmd::run(&args),
        Command::New(args) => new::run(&args),
        Command::Flows(args) => flows::run(&args),
        Command::Channels(args) => channels::run(&args),
        Command::Messages(args) => messages::run(&args),
        Command::AppInstances(args) => app_instances::run(&args),
        Command::Users(args) => users::run(&args),
        Command::Admins(args) => admins::run(&args),
        Command::Local(args) => local::run(&args),
        Command::GenDocs(args) => gen_docs::run(&args, Cli::command()),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("chimeflow: {failure}");
            failure.exit_code()
        }
    }
}

/// A panicking rule is caught and answered by the error policy; the default
/// hook would print its payload, and slice panics quote message text. Print
/// the location only.
fn quiet_panics() {
    chimeflow_core::install_quiet_panic_hook(|at| {
        eprintln!("chimeflow: a rule panicked at {at} (message withheld: it may quote content)");
    });
}

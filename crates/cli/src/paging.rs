//! Paging of the list commands: `--max-results` and `--next-token`, shared
//! by every `list`-like subcommand.

use clap::Args;

/// One page of a list, or all of them.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// Fetch one page of at most N items instead of all of them (1-50).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..=50))]
    pub max_results: Option<i32>,

    /// Continue from this token (printed as NextToken by a --max-results call).
    #[arg(long, value_name = "TOKEN")]
    pub next_token: Option<String>,
}

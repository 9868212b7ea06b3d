//! Paging of the list commands: the `--max-results` and `--next-token`
//! options every list subcommand shares, and the one loop that follows
//! NextToken for all of them.

use std::future::Future;

use aws_sdk_chimesdkmessaging::config::http::HttpResponse;
use aws_sdk_chimesdkmessaging::error::{ProvideErrorMetadata, SdkError};
use clap::Args;
use serde_json::Value;

use crate::aws;
use crate::failure::Failure;

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

/// The responses of one list command: every page from `--next-token` on,
/// or the one page `--max-results` asks for.
#[derive(Debug)]
pub struct Pages<O> {
    /// The responses in order; at least one.
    pub responses: Vec<O>,
    /// The NextToken of the last response: none after the last page, the
    /// token to pass to `--next-token` after a `--max-results` page.
    pub next_token: Option<String>,
}

impl<O> Pages<O> {
    /// The items of every response (`items` picks a response's list), each
    /// shaped by `shape`, as one JSON array.
    pub fn items<'a, T: 'a>(
        &'a self,
        items: impl Fn(&'a O) -> &'a [T],
        shape: impl Fn(&T) -> Value,
    ) -> Value {
        Value::Array(self.responses.iter().flat_map(items).map(shape).collect())
    }

    /// The first response's value of a field every page repeats (a list's
    /// ChannelArn or AppInstanceArn), skipping responses without it.
    pub fn first<'a>(&'a self, field: impl Fn(&'a O) -> Option<&'a str>) -> Option<&'a str> {
        self.responses.iter().find_map(field)
    }
}

impl PageArgs {
    /// Makes a list call page by page: `fetch` is called with
    /// `--max-results` and a NextToken (first `--next-token`, then each
    /// response's, read by `next_token`) and sends the request.
    ///
    /// With `--max-results`, one page only: the user asked for a page and
    /// gets its NextToken to continue. Without it, every page until a
    /// response has no NextToken. (The SDK's `into_paginator()` is not
    /// used: it hides the last NextToken, so a `--max-results` page would
    /// need a second code path in each command, and it stops on an empty
    /// or repeated token where this loop follows what the service says.)
    pub async fn collect<O, E, F, Fut>(
        &self,
        mut fetch: F,
        next_token: impl Fn(&O) -> Option<&str>,
    ) -> Result<Pages<O>, Failure>
    where
        F: FnMut(Option<i32>, Option<String>) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut responses = Vec::new();
        let mut token = self.next_token.clone();
        loop {
            let response = fetch(self.max_results, token.take())
                .await
                .map_err(aws::failure)?;
            token = next_token(&response).map(str::to_owned);
            responses.push(response);
            if self.max_results.is_some() || token.is_none() {
                break;
            }
        }
        Ok(Pages {
            responses,
            next_token: token,
        })
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_chimesdkmessaging::operation::list_channels::ListChannelsError;
    use serde_json::json;

    use super::*;

    /// A fake response: its items and its NextToken.
    #[derive(Debug)]
    struct Response {
        arn: Option<&'static str>,
        items: Vec<i64>,
        token: Option<String>,
    }

    impl Response {
        fn items(&self) -> &[i64] {
            &self.items
        }
        fn token(&self) -> Option<&str> {
            self.token.as_deref()
        }
    }

    /// The calls a list made: (max_results, next_token) each.
    type Calls = Vec<(Option<i32>, Option<String>)>;

    /// A list of `pages` pages of two items each, its tokens "t1", "t2", …;
    /// and the calls made.
    fn list(args: &PageArgs, pages: usize) -> (Result<Pages<Response>, Failure>, Calls) {
        let mut calls = Vec::new();
        let result = aws::block_on(args.collect(
            |max_results, next_token: Option<String>| {
                calls.push((max_results, next_token.clone()));
                let page: usize = next_token.map_or(0, |t| t[1..].parse().unwrap());
                let response = Response {
                    arn: (page > 0).then_some("arn:channel"),
                    items: vec![2 * page as i64, 2 * page as i64 + 1],
                    token: (page + 1 < pages).then(|| format!("t{}", page + 1)),
                };
                std::future::ready(Ok::<_, SdkError<ListChannelsError, HttpResponse>>(response))
            },
            Response::token,
        ))
        .unwrap();
        (result, calls)
    }

    #[test]
    fn without_max_results_every_page_is_fetched() {
        let args = PageArgs {
            max_results: None,
            next_token: None,
        };
        let (pages, calls) = list(&args, 3);
        let pages = pages.unwrap();
        assert_eq!(
            calls,
            [
                (None, None),
                (None, Some("t1".into())),
                (None, Some("t2".into()))
            ]
        );
        assert_eq!(
            pages.items(Response::items, |n| json!(n)),
            json!([0, 1, 2, 3, 4, 5])
        );
        assert_eq!(pages.next_token, None);
        assert_eq!(pages.first(|r| r.arn), Some("arn:channel"));
    }

    #[test]
    fn max_results_fetches_one_page_and_gives_its_token() {
        let args = PageArgs {
            max_results: Some(2),
            next_token: Some("t1".into()),
        };
        let (pages, calls) = list(&args, 3);
        let pages = pages.unwrap();
        assert_eq!(calls, [(Some(2), Some("t1".into()))]);
        assert_eq!(pages.items(Response::items, |n| json!(n)), json!([2, 3]));
        assert_eq!(pages.next_token.as_deref(), Some("t2"));
    }

    #[test]
    fn a_failed_page_fails_the_command() {
        let args = PageArgs {
            max_results: None,
            next_token: None,
        };
        let mut calls = 0;
        let result = aws::block_on(args.collect(
            |_, _| {
                calls += 1;
                std::future::ready(Err::<Response, _>(SdkError::<
                    ListChannelsError,
                    HttpResponse,
                >::timeout_error("slow")))
            },
            Response::token,
        ))
        .unwrap();
        assert_eq!(calls, 1);
        assert!(matches!(result, Err(Failure::Runtime(_))), "{result:?}");
    }
}

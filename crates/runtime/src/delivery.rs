//! Calling back exactly once: retries with backoff inside the deadline.
//!
//! Every decision rests on the error code and on what earlier attempts of
//! this invocation did, never on an error message's wording (AWS documents
//! none). The table, and the AWS behaviour each row assumes
//! (docs/aws-semantics.md has the sources):
//!
//! | answer | first attempt, or none before may have landed | after an attempt that may have landed |
//! |---|---|---|
//! | 409 Conflict | already resolved (a racing callback won) | already resolved |
//! | 400 BadRequest | rejected: the invocation fails, Lambda retries, then the failure destination keeps the event | already resolved (by that attempt) |
//! | 403 Forbidden | rejected (permission, or past the 48-hour window) | already resolved (by that attempt) |
//! | 429, 5xx, timeout, connection | retried with backoff until the deadline | same |
//! | anything else | rejected | rejected |

use std::time::{Duration, Instant};

use chimeflow_core::CallbackRequest;

use crate::{Callback, CallbackFailure};

/// Retry timing. Delays grow from `base` by doubling up to `cap`, each drawn
/// uniformly from zero to that bound ("full jitter"), so that a burst of
/// throttled processors spreads out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first delay's upper bound.
    pub base: Duration,
    /// The largest delay.
    pub cap: Duration,
    /// The longest a single attempt may take.
    pub attempt_timeout: Duration,
    /// Time kept back before the deadline to report a failure to Lambda.
    pub margin: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(50),
            cap: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(5),
            margin: Duration::from_millis(300),
        }
    }
}

impl RetryPolicy {
    fn delay(&self, attempt: u32) -> Duration {
        let bound = self
            .base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.cap);
        let millis = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// How a callback ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The service accepted it.
    Delivered {
        /// Attempts made.
        attempts: u32,
    },
    /// An earlier callback (a duplicate delivery, a timed-out attempt that
    /// did land, a racing invocation) already resolved the message.
    AlreadyResolved {
        /// Attempts made.
        attempts: u32,
        /// The answer that said so.
        answer: CallbackFailure,
    },
    /// Retryable failures until the deadline: the invocation must fail so
    /// that Lambda delivers the event again.
    Exhausted {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: CallbackFailure,
    },
    /// A failure retrying cannot fix (permission, malformed request).
    Rejected {
        /// Attempts made.
        attempts: u32,
        /// The failure.
        failure: CallbackFailure,
    },
}

impl Delivery {
    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        match self {
            Delivery::Delivered { attempts }
            | Delivery::AlreadyResolved { attempts, .. }
            | Delivery::Exhausted { attempts, .. }
            | Delivery::Rejected { attempts, .. } => *attempts,
        }
    }

    /// Whether the message is resolved (the invocation succeeds).
    pub fn is_resolved(&self) -> bool {
        matches!(
            self,
            Delivery::Delivered { .. } | Delivery::AlreadyResolved { .. }
        )
    }
}

/// Sends `request` until it is accepted, found already resolved, refused
/// for good, or the deadline (less the policy's margin) leaves no room for
/// another attempt.
pub async fn deliver<C: Callback>(
    callback: &C,
    request: &CallbackRequest,
    deadline: Instant,
    policy: &RetryPolicy,
) -> Delivery {
    let deadline = deadline.checked_sub(policy.margin).unwrap_or(deadline);
    let mut attempts = 0;
    // Whether an earlier attempt may have been applied (see
    // `CallbackFailure::may_have_landed`).
    let mut may_have_landed = false;
    loop {
        let now = Instant::now();
        let Some(remaining) = deadline
            .checked_duration_since(now)
            .filter(|r| !r.is_zero())
        else {
            let last = CallbackFailure::Timeout;
            return Delivery::Exhausted { attempts, last };
        };
        attempts += 1;
        let budget = remaining.min(policy.attempt_timeout);
        let result = match tokio::time::timeout(budget, callback.send(request)).await {
            Ok(result) => result,
            Err(_) => Err(CallbackFailure::Timeout),
        };
        let failure = match result {
            Ok(()) => return Delivery::Delivered { attempts },
            Err(failure) => failure,
        };
        match &failure {
            CallbackFailure::Conflict => {
                return Delivery::AlreadyResolved {
                    attempts,
                    answer: failure,
                };
            }
            // Refused right away, it is the answer to this request; after an
            // attempt that may have landed, it is the answer to a message
            // that attempt resolved.
            CallbackFailure::BadRequest | CallbackFailure::Forbidden if may_have_landed => {
                return Delivery::AlreadyResolved {
                    attempts,
                    answer: failure,
                };
            }
            retryable if retryable.is_retryable() => {}
            _ => return Delivery::Rejected { attempts, failure },
        }
        may_have_landed |= failure.may_have_landed();
        let delay = policy.delay(attempts - 1);
        if Instant::now() + delay >= deadline {
            return Delivery::Exhausted {
                attempts,
                last: failure,
            };
        }
        tracing::debug!(attempt = attempts, failure = %failure.code(), delay_ms = delay.as_millis() as u64, "retrying callback");
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Answers from a script, one entry per attempt, recording each request.
    struct Scripted {
        answers: Mutex<Vec<Result<(), CallbackFailure>>>,
        calls: Mutex<u32>,
    }

    impl Scripted {
        fn new(mut answers: Vec<Result<(), CallbackFailure>>) -> Self {
            answers.reverse();
            Self {
                answers: Mutex::new(answers),
                calls: Mutex::new(0),
            }
        }
    }

    impl Callback for Scripted {
        async fn send(&self, _request: &CallbackRequest) -> Result<(), CallbackFailure> {
            *self.calls.lock().unwrap() += 1;
            self.answers.lock().unwrap().pop().unwrap_or(Ok(()))
        }
    }

    fn request() -> CallbackRequest {
        CallbackRequest {
            channel_arn: Some("arn:aws:chime:us-east-1:1:app-instance/a/channel/c".into()),
            callback_id: "c".repeat(32),
            delete_resource: false,
            channel_message: Default::default(),
        }
    }

    fn fast() -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_millis(1),
            cap: Duration::from_millis(4),
            attempt_timeout: Duration::from_millis(200),
            margin: Duration::from_millis(10),
        }
    }

    async fn run(answers: Vec<Result<(), CallbackFailure>>) -> (Delivery, u32) {
        let callback = Scripted::new(answers);
        let deadline = Instant::now() + Duration::from_secs(5);
        let delivery = deliver(&callback, &request(), deadline, &fast()).await;
        let calls = *callback.calls.lock().unwrap();
        (delivery, calls)
    }

    #[tokio::test]
    async fn outcomes_table() {
        use CallbackFailure::*;
        type Case = (Vec<Result<(), CallbackFailure>>, fn(&Delivery) -> bool, u32);
        let cases: Vec<Case> = vec![
            (vec![Ok(())], |d| matches!(d, Delivery::Delivered { .. }), 1),
            (
                vec![Err(Throttled), Err(Throttled), Ok(())],
                |d| matches!(d, Delivery::Delivered { .. }),
                3,
            ),
            (
                vec![
                    Err(Server { status: 500 }),
                    Err(Server { status: 503 }),
                    Err(Server { status: 500 }),
                    Ok(()),
                ],
                |d| matches!(d, Delivery::Delivered { .. }),
                4,
            ),
            (
                vec![Err(Connection), Ok(())],
                |d| matches!(d, Delivery::Delivered { .. }),
                2,
            ),
            // A refusal on the first attempt is the answer to this request.
            (
                vec![Err(BadRequest)],
                |d| matches!(d, Delivery::Rejected { .. }),
                1,
            ),
            // After an attempt that may have landed, it is that attempt's doing.
            (
                vec![Err(Timeout), Err(BadRequest)],
                |d| matches!(d, Delivery::AlreadyResolved { .. }),
                2,
            ),
            (
                vec![Err(Server { status: 503 }), Err(BadRequest)],
                |d| matches!(d, Delivery::AlreadyResolved { .. }),
                2,
            ),
            // A throttled attempt was never applied: a refusal after it is not
            // explained by it.
            (
                vec![Err(Throttled), Err(BadRequest)],
                |d| matches!(d, Delivery::Rejected { .. }),
                2,
            ),
            (
                vec![Err(Throttled), Err(Forbidden)],
                |d| matches!(d, Delivery::Rejected { .. }),
                2,
            ),
            (
                vec![Err(Conflict)],
                |d| matches!(d, Delivery::AlreadyResolved { .. }),
                1,
            ),
            (
                vec![Err(Forbidden)],
                |d| matches!(d, Delivery::Rejected { .. }),
                1,
            ),
            (
                vec![Err(Timeout), Err(Forbidden)],
                |d| matches!(d, Delivery::AlreadyResolved { .. }),
                2,
            ),
            (
                vec![Err(Connection), Err(Conflict)],
                |d| matches!(d, Delivery::AlreadyResolved { .. }),
                2,
            ),
        ];
        for (answers, expected, calls) in cases {
            let label = format!("{answers:?}");
            let (delivery, made) = run(answers).await;
            assert!(expected(&delivery), "{label}: {delivery:?}");
            assert_eq!(made, calls, "{label}");
            assert_eq!(delivery.attempts(), calls, "{label}");
        }
    }

    #[tokio::test]
    async fn retries_stop_at_the_deadline() {
        let callback = Scripted::new(vec![Err(CallbackFailure::Throttled); 10_000]);
        let deadline = Instant::now() + Duration::from_millis(150);
        let delivery = deliver(&callback, &request(), deadline, &fast()).await;
        assert!(
            matches!(delivery, Delivery::Exhausted { .. }),
            "{delivery:?}"
        );
        assert!(Instant::now() < deadline, "gave up before the deadline");
    }

    #[tokio::test]
    async fn a_hanging_attempt_is_cut_by_the_deadline() {
        struct Hangs;
        impl Callback for Hangs {
            async fn send(&self, _request: &CallbackRequest) -> Result<(), CallbackFailure> {
                std::future::pending().await
            }
        }
        let deadline = Instant::now() + Duration::from_millis(300);
        let delivery = deliver(&Hangs, &request(), deadline, &fast()).await;
        assert!(
            matches!(
                delivery,
                Delivery::Exhausted {
                    last: CallbackFailure::Timeout,
                    ..
                }
            ),
            "{delivery:?}"
        );
        assert!(Instant::now() < deadline);
    }

    #[test]
    fn delays_are_bounded() {
        let policy = RetryPolicy::default();
        for attempt in 0..40 {
            assert!(policy.delay(attempt) <= policy.cap);
        }
    }
}

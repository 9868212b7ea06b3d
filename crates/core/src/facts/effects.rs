//! What rules ask the runtime to do after the decision.

use std::time::Duration;

use super::{LogId, Subject};

/// Something a rule asks the runtime to record or do once the message is
/// decided: rules stay pure, and the runtime carries these out after the
/// callback (a failure is logged and counted; the callback already went).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase", rename_all_fields = "PascalCase")]
pub enum Effect {
    /// Log this message in `log` (a strike, say). Logged once per message
    /// id, however often its event is delivered.
    Append {
        /// The log.
        #[serde(serialize_with = "log_name")]
        log: LogId,
    },
    /// Store `value` as the number `name` of `subject` (a timeout's end),
    /// kept at least `keep` after the message.
    SetNumber {
        /// Whose.
        #[serde(skip)]
        subject: Subject,
        /// Its name, e.g. `timeout_until`.
        name: String,
        /// The value.
        value: i64,
        /// How long to keep it.
        #[serde(with = "crate::duration_str")]
        keep: Duration,
    },
    /// Ban the sender from the channel (`CreateChannelBan`).
    Ban {
        /// The channel.
        channel_arn: String,
        /// The member to ban.
        member_arn: String,
        /// The moderator the ban is made as (`ChimeBearer`).
        bearer_arn: String,
    },
}

fn log_name<S: serde::Serializer>(log: &LogId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(log)
}

//! How values look on the wire: the JSON shapes several parts of the
//! emulator answer with (operations, processor events). Below everything
//! that builds an answer, so that none of them has to borrow from another.

use serde_json::Value;

use crate::state::State;

/// Removes null members, as the service leaves absent fields out.
pub fn compact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

/// `{"Arn","Name"}` of a user (Name null when unknown): the Identity shape
/// of senders, members and admins.
pub fn user_identity(state: &State, arn: &str) -> Value {
    let name = state.users.get(arn).map(|u| u.name.clone());
    serde_json::json!({"Arn": arn, "Name": name})
}

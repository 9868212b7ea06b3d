//! A validated operation input and typed access to its members.

use serde_json::{Map, Value};

/// A validated operation input: the operation's name and its members.
pub struct Input {
    operation: String,
    members: Map<String, Value>,
}

impl Input {
    /// The input `members` of `operation`.
    pub fn new(operation: &str, members: Map<String, Value>) -> Self {
        Self {
            operation: operation.to_owned(),
            members,
        }
    }

    /// The operation's name (`ListChannels`).
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Every member, by name.
    pub fn members(&self) -> &Map<String, Value> {
        &self.members
    }

    /// A string member.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.members.get(name).and_then(Value::as_str)
    }

    /// A required string member (the model check guarantees it).
    pub fn req(&self, name: &str) -> &str {
        self.str(name).unwrap_or_default()
    }

    /// Any member.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.members.get(name)
    }

    /// An integer member.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.members.get(name).and_then(Value::as_i64)
    }

    /// A number (timestamp) member.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.members.get(name).and_then(Value::as_f64)
    }
}

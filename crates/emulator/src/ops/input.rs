//! A validated operation input and typed access to its members.

use serde_json::{Map, Value};

/// A validated operation input.
pub struct Input(pub Map<String, Value>);

impl Input {
    /// A string member.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// A required string member (the model check guarantees it).
    pub fn req(&self, name: &str) -> &str {
        self.str(name).unwrap_or_default()
    }

    /// Any member.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// An integer member.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(Value::as_i64)
    }

    /// A number (timestamp) member.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.0.get(name).and_then(Value::as_f64)
    }
}

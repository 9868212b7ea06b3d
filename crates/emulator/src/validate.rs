//! Builds an operation's input from a request (path labels, query string,
//! headers, JSON body, as the model's `location`s say) and validates it
//! against the model: required members, types, `min`/`max` (lengths in
//! UTF-16 code units, as the service's Java counts; element counts for
//! lists and maps; values for numbers), `enum` and `pattern`. A violation
//! is a 400 BadRequestException naming the member, never echoing its value.

use std::collections::HashMap;

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::ids;
use crate::model::{Operation, ServiceModel};

/// The parts of a request an input is made from.
pub struct RawRequest<'a> {
    /// Decoded path labels by `locationName`.
    pub labels: &'a HashMap<String, String>,
    /// Decoded query pairs, in order.
    pub query: &'a [(String, String)],
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a [u8],
}

fn violation(path: &str, constraint: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!(
        "1 validation error detected: Value at '{path}' failed to satisfy constraint: {constraint}"
    ))
}

/// The operation's input as a JSON object keyed by member name (timestamps
/// as epoch seconds), validated against the model.
pub fn input(op: &Operation, request: &RawRequest<'_>) -> Result<Map<String, Value>, ApiError> {
    let service = op.service;
    let Some(shape_name) = &op.input else {
        return Ok(Map::new());
    };
    let body: Map<String, Value> = if request.body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(request.body) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(ApiError::bad_request(
                    "the request body is not a JSON object",
                ));
            }
        }
    };
    let shape = &service.shapes[shape_name];
    let mut input = Map::new();
    for (name, member) in shape["members"].as_object().into_iter().flatten() {
        let member_shape = member["shape"].as_str().unwrap_or_default();
        let location_name = member["locationName"].as_str().unwrap_or(name);
        let value = match member["location"].as_str() {
            Some("uri") => match request.labels.get(location_name) {
                Some(text) => Some(from_text(service, member_shape, text, name)?),
                None => None,
            },
            Some("querystring") => {
                let values: Vec<&str> = request
                    .query
                    .iter()
                    .filter(|(k, _)| k == location_name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                if values.is_empty() {
                    None
                } else if service.shapes[member_shape]["type"] == "list" {
                    let item = service.shapes[member_shape]["member"]["shape"]
                        .as_str()
                        .unwrap_or_default();
                    let items = values
                        .iter()
                        .map(|v| from_text(service, item, v, name))
                        .collect::<Result<Vec<_>, _>>()?;
                    Some(Value::Array(items))
                } else {
                    Some(from_text(service, member_shape, values[0], name)?)
                }
            }
            Some("header") => match request.headers.get(location_name) {
                Some(header) => {
                    let text = header
                        .to_str()
                        .map_err(|_| violation(name, "Member must be valid text"))?;
                    Some(from_text(service, member_shape, text, name)?)
                }
                None => None,
            },
            _ => body.get(name).filter(|v| !v.is_null()).cloned(),
        };
        if let Some(value) = value {
            input.insert(name.clone(), value);
        }
    }
    validate(service, shape_name, &Value::Object(input.clone()), "")?;
    Ok(input)
}

/// Converts a path, query or header text to the member's JSON type.
fn from_text(
    service: &ServiceModel,
    shape: &str,
    text: &str,
    member: &str,
) -> Result<Value, ApiError> {
    match service.shapes[shape]["type"].as_str() {
        Some("integer" | "long") => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| violation(member, "Member must be an integer")),
        Some("boolean") => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(violation(member, "Member must be true or false")),
        },
        Some("timestamp") => ids::parse_iso8601(text)
            .or_else(|| text.parse::<f64>().ok())
            .map(Value::from)
            .ok_or_else(|| violation(member, "Member must be an ISO 8601 timestamp")),
        _ => Ok(Value::String(text.to_owned())),
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

/// Validates `value` against shape `name`; `path` names it in errors.
pub fn validate(
    service: &ServiceModel,
    name: &str,
    value: &Value,
    path: &str,
) -> Result<(), ApiError> {
    let shape = &service.shapes[name];
    let shown = if path.is_empty() { name } else { path };
    let min = shape["min"].as_f64();
    let max = shape["max"].as_f64();
    let length_check = |length: usize| -> Result<(), ApiError> {
        if let Some(min) = min
            && (length as f64) < min
        {
            return Err(violation(
                shown,
                format!("Member must have length greater than or equal to {min}"),
            ));
        }
        if let Some(max) = max
            && (length as f64) > max
        {
            return Err(violation(
                shown,
                format!("Member must have length less than or equal to {max}"),
            ));
        }
        Ok(())
    };
    match shape["type"].as_str().unwrap_or_default() {
        "structure" => {
            let object = value
                .as_object()
                .ok_or_else(|| violation(shown, "Member must be an object"))?;
            for required in shape["required"].as_array().into_iter().flatten() {
                let required = required.as_str().unwrap_or_default();
                if object.get(required).is_none_or(Value::is_null) {
                    return Err(violation(&join(path, required), "Member must not be null"));
                }
            }
            for (member, definition) in shape["members"].as_object().into_iter().flatten() {
                if let Some(item) = object.get(member).filter(|v| !v.is_null()) {
                    let member_shape = definition["shape"].as_str().unwrap_or_default();
                    validate(service, member_shape, item, &join(path, member))?;
                }
            }
        }
        "list" => {
            let items = value
                .as_array()
                .ok_or_else(|| violation(shown, "Member must be a list"))?;
            length_check(items.len())?;
            let member_shape = shape["member"]["shape"].as_str().unwrap_or_default();
            for (index, item) in items.iter().enumerate() {
                validate(
                    service,
                    member_shape,
                    item,
                    &format!("{shown}.{}", index + 1),
                )?;
            }
        }
        "map" => {
            let entries = value
                .as_object()
                .ok_or_else(|| violation(shown, "Member must be a map"))?;
            length_check(entries.len())?;
            let key_shape = shape["key"]["shape"].as_str().unwrap_or_default();
            let value_shape = shape["value"]["shape"].as_str().unwrap_or_default();
            for (key, item) in entries {
                validate(
                    service,
                    key_shape,
                    &Value::String(key.clone()),
                    &format!("{shown}.key"),
                )?;
                validate(service, value_shape, item, &format!("{shown}.value"))?;
            }
        }
        "string" => {
            let text = value
                .as_str()
                .ok_or_else(|| violation(shown, "Member must be a string"))?;
            length_check(text.encode_utf16().count())?;
            if let Some(allowed) = shape["enum"].as_array()
                && !allowed.iter().any(|a| a == value)
            {
                let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
                return Err(violation(
                    shown,
                    format!("Member must satisfy enum value set: [{}]", names.join(", ")),
                ));
            }
            if let Some(pattern) = service.pattern(name)
                && !pattern.is_match(text)
            {
                let source = shape["pattern"].as_str().unwrap_or_default();
                return Err(violation(
                    shown,
                    format!("Member must satisfy regular expression pattern: {source}"),
                ));
            }
        }
        "integer" | "long" => {
            let number = value
                .as_i64()
                .ok_or_else(|| violation(shown, "Member must be an integer"))?;
            if let Some(min) = min
                && (number as f64) < min
            {
                return Err(violation(
                    shown,
                    format!("Member must have value greater than or equal to {min}"),
                ));
            }
            if let Some(max) = max
                && (number as f64) > max
            {
                return Err(violation(
                    shown,
                    format!("Member must have value less than or equal to {max}"),
                ));
            }
        }
        "boolean" if !value.is_boolean() => {
            return Err(violation(shown, "Member must be a boolean"));
        }
        "timestamp" if !value.is_number() => {
            return Err(violation(shown, "Member must be a timestamp"));
        }
        _ => {}
    }
    Ok(())
}

//! The botocore service models this emulator is driven by: operations
//! (method, URI template, literal query), input shapes and their
//! constraints. Vendored from botocore under `model/`, embedded at build
//! time; the `model` test checks they equal the installed botocore's.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use regex::Regex;
use serde_json::{Map, Value};

/// botocore's `chime-sdk-messaging/2021-05-15/service-2.json`.
pub const MESSAGING_JSON: &str = include_str!("../model/chime-sdk-messaging-2021-05-15.json");
/// botocore's `chime-sdk-identity/2021-04-20/service-2.json`.
pub const IDENTITY_JSON: &str = include_str!("../model/chime-sdk-identity-2021-04-20.json");

/// One path segment of a `requestUri` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Must equal the request's segment.
    Literal(String),
    /// `{name}`: one percent-encoded segment bound to the member whose
    /// `locationName` is `name`.
    Label(String),
}

/// A modelled operation and how requests reach it.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The operation name, e.g. `ChannelFlowCallback`.
    pub name: String,
    /// The HTTP method.
    pub method: String,
    /// The path template.
    pub path: Vec<Segment>,
    /// Literal query pairs of the template (`operation=channel-flow-callback`).
    pub query: Vec<(String, String)>,
    /// The input shape, if any.
    pub input: Option<String>,
    /// The success status (`responseCode`, 200 by default).
    pub status: u16,
    /// The error shapes the operation models (`errors`), e.g.
    /// `BadRequestException`: SDKs type only these, any other code is
    /// "unhandled" to them.
    pub errors: Vec<String>,
    /// Which model it belongs to.
    pub service: &'static ServiceModel,
}

/// One parsed service model.
#[derive(Debug)]
pub struct ServiceModel {
    /// `metadata.uid`, e.g. `chime-sdk-messaging-2021-05-15`.
    pub uid: String,
    /// All shapes by name.
    pub shapes: Map<String, Value>,
    patterns: HashMap<String, OnceLock<Option<Arc<Regex>>>>,
}

impl ServiceModel {
    fn parse(text: &str) -> Self {
        let model: Value = serde_json::from_str(text).expect("the vendored model is JSON");
        let shapes = model["shapes"].as_object().cloned().unwrap_or_default();
        let patterns = shapes
            .iter()
            .filter(|(_, shape)| shape.get("pattern").is_some())
            .map(|(name, _)| (name.clone(), OnceLock::new()))
            .collect();
        Self {
            uid: model["metadata"]["uid"].as_str().unwrap_or_default().into(),
            shapes,
            patterns,
        }
    }

    /// The shape called `name`.
    pub fn shape(&self, name: &str) -> Option<&Value> {
        self.shapes.get(name)
    }

    /// The compiled `pattern` of a shape, anchored to the whole value;
    /// `None` when the shape has none or it does not compile (see
    /// [`compile_pattern`]). Compiled on first use.
    pub fn pattern(&self, shape: &str) -> Option<Arc<Regex>> {
        let cell = self.patterns.get(shape)?;
        cell.get_or_init(|| {
            let source = self.shapes[shape]["pattern"].as_str()?;
            compile_pattern(source).ok().map(Arc::new)
        })
        .clone()
    }

    /// Every shape with a pattern, and the pattern's source.
    pub fn pattern_sources(&self) -> Vec<(&str, &str)> {
        self.shapes
            .iter()
            .filter_map(|(name, shape)| Some((name.as_str(), shape.get("pattern")?.as_str()?)))
            .collect()
    }
}

/// Compiles a model pattern as the service applies it: to the whole value.
/// Java's `\uXXXX` escapes are also Rust's; `.` does not match a newline in either.
pub fn compile_pattern(source: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(&format!("^(?:{source})$"))
        .size_limit(64 << 20)
        .build()
}

/// Both models and all their operations, parsed once per process.
pub struct Models {
    /// chime-sdk-messaging.
    pub messaging: &'static ServiceModel,
    /// chime-sdk-identity.
    pub identity: &'static ServiceModel,
    /// Every operation of both; messaging first, so a path both define
    /// (the tagging operations) resolves to messaging.
    pub operations: Vec<Operation>,
}

/// The process-wide models.
pub fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| {
        let messaging: &'static ServiceModel =
            Box::leak(Box::new(ServiceModel::parse(MESSAGING_JSON)));
        let identity: &'static ServiceModel =
            Box::leak(Box::new(ServiceModel::parse(IDENTITY_JSON)));
        let mut operations = Vec::new();
        for (service, text) in [(messaging, MESSAGING_JSON), (identity, IDENTITY_JSON)] {
            let model: Value = serde_json::from_str(text).expect("the vendored model is JSON");
            for (name, op) in model["operations"].as_object().into_iter().flatten() {
                operations.push(operation(service, name, op));
            }
        }
        Models {
            messaging,
            identity,
            operations,
        }
    })
}

fn operation(service: &'static ServiceModel, name: &str, op: &Value) -> Operation {
    let uri = op["http"]["requestUri"].as_str().unwrap_or("/");
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let path = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => Segment::Label(label.trim_end_matches('+').to_owned()),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect();
    let query = query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    Operation {
        name: name.to_owned(),
        method: op["http"]["method"].as_str().unwrap_or("POST").to_owned(),
        path,
        query,
        input: op["input"]["shape"].as_str().map(str::to_owned),
        status: op["http"]["responseCode"].as_u64().unwrap_or(200) as u16,
        errors: op["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["shape"].as_str().map(str::to_owned))
            .collect(),
        service,
    }
}

impl Models {
    /// The operation called `name` (messaging's, for the tagging operations
    /// both models define).
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name == name)
    }
}

/// The operation a request addresses, with its decoded path labels: the
/// method and path must match, and every literal query pair be present;
/// among matches, the one with the most literal query pairs wins
/// (`GET /channels/{arn}/messages/{id}?scope=message-status` is
/// GetChannelMessageStatus, without the scope GetChannelMessage).
pub fn route<'m>(
    models: &'m Models,
    method: &str,
    raw_path: &str,
    query: &[(String, String)],
) -> Option<(&'m Operation, HashMap<String, String>)> {
    let segments: Vec<&str> = raw_path.split('/').filter(|s| !s.is_empty()).collect();
    let mut best: Option<(&Operation, HashMap<String, String>)> = None;
    for op in &models.operations {
        if op.method != method || op.path.len() != segments.len() {
            continue;
        }
        if !op.query.iter().all(|pair| query.contains(pair)) {
            continue;
        }
        let mut labels = HashMap::new();
        let matched = op
            .path
            .iter()
            .zip(&segments)
            .all(|(template, actual)| match template {
                Segment::Literal(text) => text == actual,
                Segment::Label(name) => {
                    let decoded = percent_encoding::percent_decode_str(actual).decode_utf8_lossy();
                    labels.insert(name.clone(), decoded.into_owned());
                    true
                }
            });
        if matched
            && best
                .as_ref()
                .is_none_or(|(b, _)| op.query.len() > b.query.len())
        {
            best = Some((op, labels));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn routes_by_path_and_query() {
        let m = models();
        let arn = "arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fa%2Fchannel%2Fb";
        let (op, labels) = route(
            m,
            "POST",
            &format!("/channels/{arn}"),
            &q(&[("operation", "channel-flow-callback")]),
        )
        .unwrap();
        assert_eq!(op.name, "ChannelFlowCallback");
        assert_eq!(
            labels["channelArn"],
            "arn:aws:chime:us-east-1:1:app-instance/a/channel/b"
        );
        let (op, _) = route(
            m,
            "GET",
            &format!("/channels/{arn}/messages/m1"),
            &q(&[("scope", "message-status")]),
        )
        .unwrap();
        assert_eq!(op.name, "GetChannelMessageStatus");
        let (op, _) = route(m, "GET", &format!("/channels/{arn}/messages/m1"), &[]).unwrap();
        assert_eq!(op.name, "GetChannelMessage");
        let (op, _) = route(m, "POST", "/app-instance-users", &[]).unwrap();
        assert_eq!(op.name, "CreateAppInstanceUser");
        assert_eq!(op.service.uid, "chime-sdk-identity-2021-04-20");
        let (op, _) = route(m, "POST", "/tags", &q(&[("operation", "tag-resource")])).unwrap();
        assert_eq!(op.service.uid, "chime-sdk-messaging-2021-05-15");
    }
}

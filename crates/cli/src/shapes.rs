//! SDK responses as JSON, PascalCase as the AWS CLI prints them; timestamps
//! as RFC 3339 strings. Absent fields are left out.

use aws_sdk_chimesdkmessaging::types::{
    Channel, ChannelAssociatedWithFlowSummary, ChannelBan, ChannelBanSummary, ChannelFlow,
    ChannelFlowSummary, ChannelMembershipSummary, ChannelMessage, ChannelMessageStatusStructure,
    ChannelMessageSummary, ChannelSummary, ElasticChannelConfiguration, ExpirationSettings,
    Identity, MessageAttributeValue, Processor, Tag, Target,
};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde_json::{Map, Value, json};

/// A JSON object that skips absent fields.
#[derive(Default)]
pub struct Obj(Map<String, Value>);

impl Obj {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn str(mut self, key: &str, value: Option<&str>) -> Self {
        if let Some(value) = value {
            self.0
                .insert(key.to_owned(), Value::String(value.to_owned()));
        }
        self
    }

    pub fn val(mut self, key: &str, value: Option<Value>) -> Self {
        if let Some(value) = value {
            self.0.insert(key.to_owned(), value);
        }
        self
    }

    pub fn time(self, key: &str, value: Option<&DateTime>) -> Self {
        self.val(key, value.map(timestamp))
    }

    pub fn build(self) -> Value {
        Value::Object(self.0)
    }
}

fn timestamp(time: &DateTime) -> Value {
    time.fmt(Format::DateTime)
        .map_or_else(|_| json!(time.secs()), Value::String)
}

fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(f).collect())
}

pub fn processor(p: &Processor) -> Value {
    let lambda = p.configuration().and_then(|c| c.lambda()).map(|l| {
        json!({"Lambda": {
            "ResourceArn": l.resource_arn(),
            "InvocationType": l.invocation_type().as_str(),
        }})
    });
    Obj::new()
        .str("Name", Some(p.name()))
        .val("Configuration", lambda)
        .val("ExecutionOrder", Some(json!(p.execution_order())))
        .str("FallbackAction", Some(p.fallback_action().as_str()))
        .build()
}

pub fn channel_flow(f: &ChannelFlow) -> Value {
    Obj::new()
        .str("ChannelFlowArn", f.channel_flow_arn())
        .val("Processors", Some(list(f.processors(), processor)))
        .str("Name", f.name())
        .time("CreatedTimestamp", f.created_timestamp())
        .time("LastUpdatedTimestamp", f.last_updated_timestamp())
        .build()
}

pub fn channel_flow_summary(f: &ChannelFlowSummary) -> Value {
    Obj::new()
        .str("ChannelFlowArn", f.channel_flow_arn())
        .str("Name", f.name())
        .val("Processors", Some(list(f.processors(), processor)))
        .build()
}

pub fn associated_channel(c: &ChannelAssociatedWithFlowSummary) -> Value {
    Obj::new()
        .str("Name", c.name())
        .str("ChannelArn", c.channel_arn())
        .str("Mode", c.mode().map(|m| m.as_str()))
        .str("Privacy", c.privacy().map(|p| p.as_str()))
        .str("Metadata", c.metadata())
        .build()
}

fn elastic(e: &ElasticChannelConfiguration) -> Value {
    json!({
        "MaximumSubChannels": e.maximum_sub_channels(),
        "TargetMembershipsPerSubChannel": e.target_memberships_per_sub_channel(),
        "MinimumMembershipPercentage": e.minimum_membership_percentage(),
    })
}

fn expiration(e: &ExpirationSettings) -> Value {
    json!({
        "ExpirationDays": e.expiration_days(),
        "ExpirationCriterion": e.expiration_criterion().as_str(),
    })
}

pub fn channel(c: &Channel) -> Value {
    Obj::new()
        .str("Name", c.name())
        .str("ChannelArn", c.channel_arn())
        .str("Mode", c.mode().map(|m| m.as_str()))
        .str("Privacy", c.privacy().map(|p| p.as_str()))
        .str("Metadata", c.metadata())
        .val("CreatedBy", c.created_by().map(identity))
        .time("CreatedTimestamp", c.created_timestamp())
        .time("LastMessageTimestamp", c.last_message_timestamp())
        .time("LastUpdatedTimestamp", c.last_updated_timestamp())
        .str("ChannelFlowArn", c.channel_flow_arn())
        .val(
            "ElasticChannelConfiguration",
            c.elastic_channel_configuration().map(elastic),
        )
        .val(
            "ExpirationSettings",
            c.expiration_settings().map(expiration),
        )
        .build()
}

pub fn channel_summary(c: &ChannelSummary) -> Value {
    Obj::new()
        .str("Name", c.name())
        .str("ChannelArn", c.channel_arn())
        .str("Mode", c.mode().map(|m| m.as_str()))
        .str("Privacy", c.privacy().map(|p| p.as_str()))
        .str("Metadata", c.metadata())
        .time("LastMessageTimestamp", c.last_message_timestamp())
        .build()
}

pub fn channel_membership_summary(m: &ChannelMembershipSummary) -> Value {
    Obj::new().val("Member", m.member().map(identity)).build()
}

pub fn channel_ban_summary(b: &ChannelBanSummary) -> Value {
    Obj::new().val("Member", b.member().map(identity)).build()
}

pub fn channel_ban(b: &ChannelBan) -> Value {
    Obj::new()
        .val("Member", b.member().map(identity))
        .str("ChannelArn", b.channel_arn())
        .time("CreatedTimestamp", b.created_timestamp())
        .val("CreatedBy", b.created_by().map(identity))
        .build()
}

pub fn tags(items: &[Tag]) -> Value {
    list(items, |t| json!({"Key": t.key(), "Value": t.value()}))
}

pub fn status(s: &ChannelMessageStatusStructure) -> Value {
    Obj::new()
        .str("Value", s.value().map(|v| v.as_str()))
        .str("Detail", s.detail())
        .build()
}

pub fn identity(i: &Identity) -> Value {
    Obj::new().str("Arn", i.arn()).str("Name", i.name()).build()
}

fn attributes(
    attributes: Option<&std::collections::HashMap<String, MessageAttributeValue>>,
) -> Option<Value> {
    let attributes = attributes?;
    let mut keys: Vec<&String> = attributes.keys().collect();
    keys.sort();
    let mut map = Map::new();
    for key in keys {
        map.insert(
            key.clone(),
            json!({"StringValues": attributes[key].string_values()}),
        );
    }
    Some(Value::Object(map))
}

fn targets(items: &[Target]) -> Option<Value> {
    (!items.is_empty()).then(|| {
        list(items, |t| {
            Obj::new().str("MemberArn", t.member_arn()).build()
        })
    })
}

pub fn channel_message(m: &ChannelMessage) -> Value {
    Obj::new()
        .str("ChannelArn", m.channel_arn())
        .str("MessageId", m.message_id())
        .str("Content", m.content())
        .str("Metadata", m.metadata())
        .str("Type", m.r#type().map(|t| t.as_str()))
        .time("CreatedTimestamp", m.created_timestamp())
        .time("LastEditedTimestamp", m.last_edited_timestamp())
        .time("LastUpdatedTimestamp", m.last_updated_timestamp())
        .val("Sender", m.sender().map(identity))
        .val("Redacted", Some(json!(m.redacted())))
        .str("Persistence", m.persistence().map(|p| p.as_str()))
        .val("Status", m.status().map(status))
        .val("MessageAttributes", attributes(m.message_attributes()))
        .str("SubChannelId", m.sub_channel_id())
        .str("ContentType", m.content_type())
        .val("Target", targets(m.target()))
        .build()
}

pub fn channel_message_summary(m: &ChannelMessageSummary) -> Value {
    Obj::new()
        .str("MessageId", m.message_id())
        .str("Content", m.content())
        .str("Metadata", m.metadata())
        .str("Type", m.r#type().map(|t| t.as_str()))
        .time("CreatedTimestamp", m.created_timestamp())
        .time("LastUpdatedTimestamp", m.last_updated_timestamp())
        .time("LastEditedTimestamp", m.last_edited_timestamp())
        .val("Sender", m.sender().map(identity))
        .val("Redacted", Some(json!(m.redacted())))
        .val("Status", m.status().map(status))
        .val("MessageAttributes", attributes(m.message_attributes()))
        .str("ContentType", m.content_type())
        .val("Target", targets(m.target()))
        .build()
}

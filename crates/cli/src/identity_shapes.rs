//! Chime SDK Identity responses as JSON, PascalCase as the AWS CLI prints
//! them (the messaging ones are in `shapes.rs`); absent fields left out.

use aws_sdk_chimesdkidentity::types::{
    AppInstance, AppInstanceAdminSummary, AppInstanceSummary, AppInstanceUser,
    AppInstanceUserSummary, Identity,
};
use serde_json::Value;

use crate::shapes::Obj;

pub fn app_instance(a: &AppInstance) -> Value {
    Obj::new()
        .str("AppInstanceArn", a.app_instance_arn())
        .str("Name", a.name())
        .str("Metadata", a.metadata())
        .time("CreatedTimestamp", a.created_timestamp())
        .time("LastUpdatedTimestamp", a.last_updated_timestamp())
        .build()
}

pub fn app_instance_summary(a: &AppInstanceSummary) -> Value {
    Obj::new()
        .str("AppInstanceArn", a.app_instance_arn())
        .str("Name", a.name())
        .str("Metadata", a.metadata())
        .build()
}

pub fn user(u: &AppInstanceUser) -> Value {
    Obj::new()
        .str("AppInstanceUserArn", u.app_instance_user_arn())
        .str("Name", u.name())
        .str("Metadata", u.metadata())
        .time("CreatedTimestamp", u.created_timestamp())
        .time("LastUpdatedTimestamp", u.last_updated_timestamp())
        .build()
}

pub fn user_summary(u: &AppInstanceUserSummary) -> Value {
    Obj::new()
        .str("AppInstanceUserArn", u.app_instance_user_arn())
        .str("Name", u.name())
        .str("Metadata", u.metadata())
        .build()
}

pub fn identity(i: &Identity) -> Value {
    Obj::new().str("Arn", i.arn()).str("Name", i.name()).build()
}

pub fn admin_summary(a: &AppInstanceAdminSummary) -> Value {
    Obj::new().val("Admin", a.admin().map(identity)).build()
}

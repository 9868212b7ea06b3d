//! The DynamoDB store: one table, one `UpdateItem` (or `GetItem`) per call.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use futures_util::future::{BoxFuture, FutureExt};

use crate::store::{EXPIRES, Item, ItemUpdate, KEY, Store, StoreError};

/// Records in one DynamoDB table (partition key `pk`, a string; TTL on
/// `expires`), shared by every processor instance. Each update is one
/// atomic `UpdateItem`: `ADD` to string sets (a set, so a message counted
/// again is counted once), `REMOVE`, `SET`, returning the item as it is
/// afterwards (`ReturnValues: ALL_NEW`); a read is a strongly consistent
/// `GetItem`. The function needs `dynamodb:UpdateItem` and
/// `dynamodb:GetItem` on the table, nothing else.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// A store over `table` through `client`. Build the client with the
    /// SDK's retries off (the stage's budget is shorter than a backoff);
    /// [`DynamoStore::from_env`] does.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// A store over `table` with a client from the environment (region,
    /// credentials, `AWS_ENDPOINT_URL_DYNAMODB`), without SDK retries.
    pub async fn from_env(table: impl Into<String>) -> Self {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .load()
            .await;
        Self::new(Client::new(&config), table)
    }

    /// A store over `table` at a local DynamoDB-compatible server
    /// (`endpoint`, e.g. moto's server), with placeholder credentials and no
    /// retries: for `chimeflow local` and tests, never for AWS.
    pub fn local(endpoint: &str, region: &str, table: impl Into<String>) -> Self {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new(
                "chimeflow-local",
                "chimeflow-local",
                None,
                None,
                "chimeflow-local",
            ))
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .build();
        Self::new(Client::from_conf(config), table)
    }

    /// The table.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table as the SAM template does (on-demand, key `pk`, TTL
    /// on `expires`) unless it exists: for `chimeflow local` and tests
    /// against a local DynamoDB-compatible server. A deployed processor
    /// never creates anything (its policy allows item calls only).
    pub async fn create_table(&self) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
            TimeToLiveSpecification,
        };
        let build = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Failed(e.to_string());
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(KEY)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .map_err(build)?,
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(KEY)
                    .key_type(KeyType::Hash)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await;
        match created.map_err(classify) {
            Ok(_) => {}
            Err(StoreError::Failed(code)) if code == "ResourceInUseException" => return Ok(()),
            Err(error) => return Err(error),
        }
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(EXPIRES)
                    .enabled(true)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    async fn call(&self, update: ItemUpdate) -> Result<Arc<Item>, StoreError> {
        let key = AttributeValue::S(update.key.clone());
        if update.is_read() {
            let output = self
                .client
                .get_item()
                .table_name(&self.table)
                .key(KEY, key)
                .consistent_read(true)
                .send()
                .await
                .map_err(classify)?;
            return Ok(Arc::new(item_of(output.item.unwrap_or_default())));
        }
        let expression = Expression::of(&update);
        let output = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(KEY, key)
            .update_expression(expression.text)
            .set_expression_attribute_names(Some(expression.names))
            .set_expression_attribute_values(
                (!expression.values.is_empty()).then_some(expression.values),
            )
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(classify)?;
        Ok(Arc::new(item_of(output.attributes.unwrap_or_default())))
    }
}

impl Store for DynamoStore {
    fn update(&self, update: ItemUpdate) -> BoxFuture<'_, Result<Arc<Item>, StoreError>> {
        self.call(update).boxed()
    }

    fn kind(&self) -> &'static str {
        "dynamodb"
    }
}

/// An update expression with placeholders for every name and value (names
/// such as `messages_10s_17` are not reserved words, but `expires` might
/// become one: placeholders always).
struct Expression {
    text: String,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Expression {
    fn of(update: &ItemUpdate) -> Self {
        let mut names = HashMap::new();
        let mut values = HashMap::new();
        let mut name = |attribute: &str| {
            let placeholder = format!("#n{}", names.len());
            names.insert(placeholder.clone(), attribute.to_owned());
            placeholder
        };
        let mut adds = Vec::new();
        for (attribute, element) in &update.add {
            let value = format!(":a{}", adds.len());
            adds.push(format!("{} {value}", name(attribute)));
            values.insert(value, AttributeValue::Ss(vec![element.clone()]));
        }
        let mut sets = Vec::new();
        for (attribute, number) in &update.set {
            let value = format!(":s{}", sets.len());
            sets.push(format!("{} = {value}", name(attribute)));
            values.insert(value, AttributeValue::N(number.to_string()));
        }
        if let Some(expires) = update.expires {
            sets.push(format!("{} = :expires", name(EXPIRES)));
            values.insert(":expires".into(), AttributeValue::N(expires.to_string()));
        }
        let removes: Vec<String> = update.remove.iter().map(|a| name(a)).collect();
        let mut clauses = Vec::new();
        if !adds.is_empty() {
            clauses.push(format!("ADD {}", adds.join(", ")));
        }
        if !sets.is_empty() {
            clauses.push(format!("SET {}", sets.join(", ")));
        }
        if !removes.is_empty() {
            clauses.push(format!("REMOVE {}", removes.join(", ")));
        }
        Self {
            text: clauses.join(" "),
            names,
            values,
        }
    }
}

/// The string sets and numbers of an item (other attributes ignored).
fn item_of(attributes: HashMap<String, AttributeValue>) -> Item {
    let mut item = Item::default();
    for (name, value) in attributes {
        match value {
            AttributeValue::Ss(elements) => {
                item.sets.insert(name, elements.into_iter().collect());
            }
            AttributeValue::N(number) => {
                if let Ok(number) = number.parse() {
                    item.numbers.insert(name, number);
                }
            }
            _ => {}
        }
    }
    item
}

/// Throttling apart from every other failure; the error code (never a
/// message, which could quote a key) for the logs.
fn classify<E: ProvideErrorMetadata, R>(error: SdkError<E, R>) -> StoreError {
    let code = match &error {
        SdkError::ServiceError(service) => service.err().code().unwrap_or("Unknown").to_owned(),
        SdkError::TimeoutError(_) => "Timeout".into(),
        SdkError::DispatchFailure(_) => "DispatchFailure".into(),
        SdkError::ResponseError(_) => "ResponseError".into(),
        SdkError::ConstructionFailure(_) => "ConstructionFailure".into(),
        _ => "Unknown".into(),
    };
    match code.as_str() {
        "ProvisionedThroughputExceededException"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "Throttling" => StoreError::Throttled(code),
        _ => StoreError::Failed(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_expression_adds_sets_and_removes() {
        let update = ItemUpdate {
            key: "sender#u".into(),
            add: vec![("messages_10s_8".into(), "1|m|c|".into())],
            remove: vec!["messages_10s_6".into()],
            set: vec![("timeout_until".into(), 5)],
            expires: Some(9),
        };
        let expression = Expression::of(&update);
        assert_eq!(
            expression.text,
            "ADD #n0 :a0 SET #n1 = :s0, #n2 = :expires REMOVE #n3"
        );
        assert_eq!(expression.names["#n2"], "expires");
        assert_eq!(expression.names["#n3"], "messages_10s_6");
        assert_eq!(
            expression.values[":a0"],
            AttributeValue::Ss(vec!["1|m|c|".into()])
        );
    }
}

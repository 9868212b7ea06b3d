//! `chimeflow flows …`: the channel-flow APIs. The clap arguments are in
//! [`args`].

use std::io::Read;
use std::process::ExitCode;

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::types::{
    FallbackAction, InvocationType, LambdaConfiguration, Processor, ProcessorConfiguration,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::aws::{self, failure};
use crate::failure::Failure;
use crate::output;
use crate::shapes::{self, Obj};
use crate::tags::messaging_tags;

// The doc comments in `args` are the command's --help text, written for the
// terminal (`NAME=ARN[,order=N]`), not for rustdoc's link syntax.
#[allow(rustdoc::broken_intra_doc_links)]
mod args;

pub use args::FlowsArgs;
use args::{FlowsCommand, ProcessorsArgs};

pub fn run(args: &FlowsArgs) -> Result<ExitCode, Failure> {
    aws::block_on(async {
        let client = aws::client(&args.aws.target()).await?;
        let response = call(&client, args).await?;
        if let Some(response) = response {
            output::print(&response, args.aws.output)?;
        }
        Ok(ExitCode::SUCCESS)
    })?
}

/// Makes the call; the response to print, if the API answers with one.
async fn call(client: &Client, args: &FlowsArgs) -> Result<Option<Value>, Failure> {
    Ok(match &args.command {
        FlowsCommand::Create(a) => {
            let processors = processors(&a.processors)?;
            let out = client
                .create_channel_flow()
                .app_instance_arn(&a.app_instance_arn)
                .name(&a.name)
                .set_processors(Some(processors))
                .set_tags(messaging_tags(&a.tags)?)
                .set_client_request_token(a.client_request_token.clone())
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .str("ChannelFlowArn", out.channel_flow_arn())
                    .build(),
            )
        }
        FlowsCommand::Describe(a) => {
            let out = client
                .describe_channel_flow()
                .channel_flow_arn(&a.flow)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .val("ChannelFlow", out.channel_flow().map(shapes::channel_flow))
                    .build(),
            )
        }
        FlowsCommand::Update(a) => {
            let processors = processors(&a.processors)?;
            let out = client
                .update_channel_flow()
                .channel_flow_arn(&a.flow)
                .name(&a.name)
                .set_processors(Some(processors))
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .str("ChannelFlowArn", out.channel_flow_arn())
                    .build(),
            )
        }
        FlowsCommand::List(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_channel_flows()
                            .app_instance_arn(&a.app_instance_arn)
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .val(
                        "ChannelFlows",
                        Some(pages.items(|out| out.channel_flows(), shapes::channel_flow_summary)),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        FlowsCommand::Delete(a) => {
            client
                .delete_channel_flow()
                .channel_flow_arn(&a.flow)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        FlowsCommand::Associate(a) => {
            client
                .associate_channel_flow()
                .channel_arn(&a.channel)
                .channel_flow_arn(&a.flow)
                .chime_bearer(args.aws.bearer()?)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        FlowsCommand::Disassociate(a) => {
            client
                .disassociate_channel_flow()
                .channel_arn(&a.channel)
                .channel_flow_arn(&a.flow)
                .chime_bearer(args.aws.bearer()?)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        FlowsCommand::Channels(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_channels_associated_with_channel_flow()
                            .channel_flow_arn(&a.flow)
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .val(
                        "Channels",
                        Some(pages.items(|out| out.channels(), shapes::associated_channel)),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        FlowsCommand::Tag(a) => {
            client
                .tag_resource()
                .resource_arn(&a.resource_arn)
                .set_tags(messaging_tags(&a.tags)?)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        FlowsCommand::Untag(a) => {
            client
                .untag_resource()
                .resource_arn(&a.resource_arn)
                .set_tag_keys(Some(a.tag_keys.clone()))
                .send()
                .await
                .map_err(failure)?;
            None
        }
        FlowsCommand::Tags(a) => {
            let out = client
                .list_tags_for_resource()
                .resource_arn(&a.resource_arn)
                .send()
                .await
                .map_err(failure)?;
            Some(json!({"Tags": shapes::tags(out.tags())}))
        }
    })
}

/// A processor as the API takes it, in a JSON file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ProcessorJson {
    name: String,
    configuration: ConfigurationJson,
    execution_order: Option<i32>,
    fallback_action: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ConfigurationJson {
    lambda: LambdaJson,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct LambdaJson {
    resource_arn: String,
    invocation_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ProcessorsFile {
    List(Vec<ProcessorJson>),
    Wrapped {
        #[serde(rename = "Processors")]
        processors: Vec<ProcessorJson>,
    },
}

/// The processors of `--processor` specs or `--processors-file`, ordered
/// 1, 2, 3 by position unless given.
fn processors(args: &ProcessorsArgs) -> Result<Vec<Processor>, Failure> {
    let list: Vec<(String, String, String, Option<i32>, String)> = match &args.processors_file {
        Some(path) => {
            let (name, text) = if path.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|error| Failure::Input {
                        name: "standard input".into(),
                        error,
                    })?;
                ("standard input".to_owned(), text)
            } else {
                let name = path.display().to_string();
                let text = std::fs::read_to_string(path).map_err(|error| Failure::Input {
                    name: name.clone(),
                    error,
                })?;
                (name, text)
            };
            let parsed: ProcessorsFile = serde_json::from_str(&text).map_err(|e| {
                Failure::Usage(format!(
                    "{name}: not a list of processors ({e}); expected \
                     [{{\"Name\", \"Configuration\": {{\"Lambda\": {{\"ResourceArn\"}}}}, \"FallbackAction\"}}]"
                ))
            })?;
            let (ProcessorsFile::List(items) | ProcessorsFile::Wrapped { processors: items }) =
                parsed;
            items
                .into_iter()
                .map(|p| {
                    (
                        p.name,
                        p.configuration.lambda.resource_arn,
                        p.fallback_action.unwrap_or_else(|| "ABORT".into()),
                        p.execution_order,
                        p.configuration
                            .lambda
                            .invocation_type
                            .unwrap_or_else(|| "ASYNC".into()),
                    )
                })
                .collect()
        }
        None => args
            .processors
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.lambda_arn.clone(),
                    p.fallback.clone(),
                    p.order,
                    "ASYNC".to_owned(),
                )
            })
            .collect(),
    };
    if list.is_empty() || list.len() > 3 {
        return Err(Failure::Usage(format!(
            "a channel flow has 1 to 3 processors, not {}",
            list.len()
        )));
    }
    list.into_iter()
        .zip(1..)
        .map(|((name, arn, fallback, order, invocation), position)| {
            let lambda = LambdaConfiguration::builder()
                .resource_arn(arn)
                .invocation_type(InvocationType::from(invocation.as_str()))
                .build()
                .map_err(|e| Failure::Usage(e.to_string()))?;
            Processor::builder()
                .name(name)
                .configuration(ProcessorConfiguration::builder().lambda(lambda).build())
                .execution_order(order.unwrap_or(position))
                .fallback_action(FallbackAction::from(fallback.as_str()))
                .build()
                .map_err(|e| Failure::Usage(e.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::args::parse_processor;
    use super::*;

    fn from_specs(specs: &[&str]) -> Result<Vec<Processor>, Failure> {
        processors(&ProcessorsArgs {
            processors: specs.iter().map(|s| parse_processor(s).unwrap()).collect(),
            processors_file: None,
        })
    }

    #[test]
    fn specs_become_processors_in_order() {
        let list = from_specs(&["a=arn:1", "b=arn:2,fallback=CONTINUE"]).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            shapes::processor(&list[1]),
            json!({"Name": "b", "Configuration": {"Lambda": {"ResourceArn": "arn:2", "InvocationType": "ASYNC"}},
                   "ExecutionOrder": 2, "FallbackAction": "CONTINUE"})
        );
        assert_eq!(list[0].execution_order(), 1);
        assert_eq!(list[0].fallback_action().as_str(), "ABORT");
    }

    #[test]
    fn at_most_three() {
        assert!(from_specs(&["a=1", "b=2", "c=3", "d=4"]).is_err());
    }

    #[test]
    fn a_processors_file_as_the_api_takes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        for text in [
            r#"[{"Name": "p", "Configuration": {"Lambda": {"ResourceArn": "arn:x", "InvocationType": "ASYNC"}}, "ExecutionOrder": 1, "FallbackAction": "CONTINUE"}]"#,
            r#"{"Processors": [{"Name": "p", "Configuration": {"Lambda": {"ResourceArn": "arn:x"}}, "FallbackAction": "CONTINUE"}]}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            let list = processors(&ProcessorsArgs {
                processors: vec![],
                processors_file: Some(path.clone()),
            })
            .unwrap();
            assert_eq!(list[0].fallback_action().as_str(), "CONTINUE");
            assert_eq!(list[0].execution_order(), 1);
        }
        std::fs::write(&path, r#"[{"Name": "p"}]"#).unwrap();
        let error = processors(&ProcessorsArgs {
            processors: vec![],
            processors_file: Some(path.clone()),
        })
        .unwrap_err();
        assert!(
            error.to_string().contains("not a list of processors"),
            "{error}"
        );
    }
}

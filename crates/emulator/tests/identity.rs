//! The chime-sdk-identity operations through the real Rust SDK
//! (aws-sdk-chimesdkidentity) with only an endpoint override: app
//! instances, users and admins from create to delete, paging, and the
//! errors (BadRequest for what does not exist, Conflict for a duplicate).

mod common;

use std::time::Duration;

use aws_sdk_chimesdkidentity::Client;
use aws_sdk_chimesdkmessaging::types::{
    ChannelMessagePersistenceType, ChannelMessageType, FallbackAction,
};
use chimeflow_emulator::test_util::identity_client;
use common::{World, config};

async fn world() -> (World, Client) {
    let world = World::start(config(Duration::from_secs(30))).await;
    let identity = identity_client(&world.emulator);
    (world, identity)
}

async fn new_app_instance(identity: &Client, name: &str) -> String {
    identity
        .create_app_instance()
        .name(name)
        .metadata("m")
        .client_request_token(format!("token-{name}"))
        .send()
        .await
        .expect("CreateAppInstance")
        .app_instance_arn
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_instances_describe_list_and_page() {
    let (world, identity) = world().await;
    let second = new_app_instance(&identity, "second").await;

    let described = identity
        .describe_app_instance()
        .app_instance_arn(&second)
        .send()
        .await
        .expect("DescribeAppInstance")
        .app_instance
        .unwrap();
    assert_eq!(described.app_instance_arn(), Some(second.as_str()));
    assert_eq!(described.name(), Some("second"));
    assert_eq!(described.metadata(), Some("m"));
    let created = described.created_timestamp().expect("CreatedTimestamp");
    assert!(created.secs() > 1_700_000_000, "{created:?}");

    // Both, oldest first; one per page with --max-results 1.
    let listed = identity.list_app_instances().send().await.unwrap();
    let arns: Vec<&str> = listed
        .app_instances()
        .iter()
        .filter_map(|a| a.app_instance_arn())
        .collect();
    assert_eq!(arns, [world.app.as_str(), second.as_str()]);
    assert_eq!(listed.app_instances()[1].name(), Some("second"));
    assert!(listed.next_token().is_none());
    let first_page = identity
        .list_app_instances()
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first_page.app_instances().len(), 1);
    let token = first_page.next_token().expect("a second page").to_owned();
    let second_page = identity
        .list_app_instances()
        .max_results(1)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        second_page.app_instances()[0].app_instance_arn(),
        Some(second.as_str())
    );
    assert!(second_page.next_token().is_none());

    // What does not exist is a BadRequest (the operation models no NotFound).
    let missing = format!("{}x", world.app);
    let error = identity
        .describe_app_instance()
        .app_instance_arn(&missing)
        .send()
        .await
        .expect_err("no such app instance")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_from_create_to_delete() {
    let (world, identity) = world().await;
    let dave = identity
        .create_app_instance_user()
        .app_instance_arn(&world.app)
        .app_instance_user_id("dave")
        .name("Dave")
        .metadata("team=chat")
        .client_request_token("token-dave")
        .send()
        .await
        .expect("CreateAppInstanceUser")
        .app_instance_user_arn
        .unwrap();
    assert_eq!(dave, format!("{}/user/dave", world.app));

    let described = identity
        .describe_app_instance_user()
        .app_instance_user_arn(&dave)
        .send()
        .await
        .expect("DescribeAppInstanceUser")
        .app_instance_user
        .unwrap();
    assert_eq!(described.app_instance_user_arn(), Some(dave.as_str()));
    assert_eq!(described.name(), Some("Dave"));
    assert_eq!(described.metadata(), Some("team=chat"));
    assert!(described.created_timestamp().is_some());

    // World made admin, alice, bob and carol before dave: in that order.
    let listed = identity
        .list_app_instance_users()
        .app_instance_arn(&world.app)
        .send()
        .await
        .expect("ListAppInstanceUsers");
    assert_eq!(listed.app_instance_arn(), Some(world.app.as_str()));
    let names: Vec<&str> = listed
        .app_instance_users()
        .iter()
        .filter_map(|u| u.name())
        .collect();
    assert_eq!(names, ["Admin", "Alice", "Bob", "Carol", "Dave"]);
    let page = identity
        .list_app_instance_users()
        .app_instance_arn(&world.app)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.app_instance_users().len(), 2);
    assert!(page.next_token().is_some());

    // Deleting bob takes him out of the channel: he can no longer send.
    identity
        .delete_app_instance_user()
        .app_instance_user_arn(&world.bob)
        .send()
        .await
        .expect("DeleteAppInstanceUser");
    let error = identity
        .describe_app_instance_user()
        .app_instance_user_arn(&world.bob)
        .send()
        .await
        .expect_err("deleted")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    let members = world
        .client
        .list_channel_memberships()
        .channel_arn(&world.channel)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    assert!(
        members
            .channel_memberships()
            .iter()
            .all(|m| m.member().and_then(|i| i.arn()) != Some(world.bob.as_str())),
        "{members:?}"
    );
    let error = identity
        .delete_app_instance_user()
        .app_instance_user_arn(&world.bob)
        .send()
        .await
        .expect_err("already deleted")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");

    // Users of an app instance that does not exist: BadRequest.
    let error = identity
        .list_app_instance_users()
        .app_instance_arn(format!("{}x", world.app))
        .send()
        .await
        .expect_err("no such app instance")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_list_and_delete() {
    let (world, identity) = world().await;
    identity
        .create_app_instance_admin()
        .app_instance_arn(&world.app)
        .app_instance_admin_arn(&world.alice)
        .send()
        .await
        .expect("CreateAppInstanceAdmin");
    let listed = identity
        .list_app_instance_admins()
        .app_instance_arn(&world.app)
        .send()
        .await
        .expect("ListAppInstanceAdmins");
    assert_eq!(listed.app_instance_arn(), Some(world.app.as_str()));
    let admins: Vec<(&str, &str)> = listed
        .app_instance_admins()
        .iter()
        .filter_map(|a| a.admin())
        .map(|i| (i.arn().unwrap(), i.name().unwrap()))
        .collect();
    assert_eq!(
        admins,
        [
            (world.admin.as_str(), "Admin"),
            (world.alice.as_str(), "Alice")
        ]
    );

    // Without the admin role, the former admin may no longer act on a
    // channel it does not moderate.
    identity
        .delete_app_instance_admin()
        .app_instance_arn(&world.app)
        .app_instance_admin_arn(&world.admin)
        .send()
        .await
        .expect("DeleteAppInstanceAdmin");
    let error = world
        .client
        .delete_channel()
        .channel_arn(&world.channel)
        .chime_bearer(&world.admin)
        .send()
        .await
        .expect_err("no longer an admin")
        .into_service_error();
    assert!(error.is_forbidden_exception(), "{error:?}");
    let listed = identity
        .list_app_instance_admins()
        .app_instance_arn(&world.app)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.app_instance_admins().len(), 1);
    let error = identity
        .delete_app_instance_admin()
        .app_instance_arn(&world.app)
        .app_instance_admin_arn(&world.admin)
        .send()
        .await
        .expect_err("not an admin any more")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_app_instance_deletes_what_is_in_it() {
    let (world, identity) = world().await;
    let other = new_app_instance(&identity, "other").await;
    let flow = world.with_flow(FallbackAction::Continue).await;
    world
        .client
        .send_channel_message()
        .channel_arn(&world.channel)
        .content("hello")
        .r#type(ChannelMessageType::Control)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(&world.alice)
        .send()
        .await
        .expect("SendChannelMessage");

    identity
        .delete_app_instance()
        .app_instance_arn(&world.app)
        .send()
        .await
        .expect("DeleteAppInstance");

    let listed = identity.list_app_instances().send().await.unwrap();
    let arns: Vec<&str> = listed
        .app_instances()
        .iter()
        .filter_map(|a| a.app_instance_arn())
        .collect();
    assert_eq!(arns, [other.as_str()]);
    let error = identity
        .describe_app_instance_user()
        .app_instance_user_arn(&world.alice)
        .send()
        .await
        .expect_err("its users are gone")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    let error = world
        .client
        .describe_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .expect_err("its flows are gone")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    // The channel and its messages are gone: a user of the other app
    // instance finds neither (DescribeChannel and ListChannelMessages model
    // no NotFound: BadRequest), and the channel has no tags to list.
    let eve = world
        .emulator
        .create_app_instance_user(&other, "eve", "Eve")
        .unwrap();
    let error = world
        .client
        .describe_channel()
        .channel_arn(&world.channel)
        .chime_bearer(&eve)
        .send()
        .await
        .expect_err("its channels are gone")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    let error = world
        .client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&eve)
        .send()
        .await
        .expect_err("its messages are gone")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    let error = world
        .client
        .list_tags_for_resource()
        .resource_arn(&world.channel)
        .send()
        .await
        .expect_err("no such resource")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    let error = identity
        .delete_app_instance()
        .app_instance_arn(&world.app)
        .send()
        .await
        .expect_err("already deleted")
        .into_service_error();
    assert!(error.is_bad_request_exception(), "{error:?}");
    world.emulator.shutdown().await;
}

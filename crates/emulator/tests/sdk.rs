//! Every implemented operation through the real Rust SDK
//! (aws-sdk-chimesdkmessaging) with only an endpoint override: happy paths
//! and the typical errors (NotFound, Conflict, Forbidden, BadRequest).

mod common;

use std::time::Duration;

use aws_sdk_chimesdkmessaging::error::ProvideErrorMetadata;
use aws_sdk_chimesdkmessaging::primitives::DateTime;
use aws_sdk_chimesdkmessaging::types::{
    ChannelMembershipType, ChannelMessagePersistenceType, ChannelMessageType, ChannelMode,
    ChannelPrivacy, FallbackAction, SortOrder, Tag,
};
use common::{World, config, processor};

/// An error's code; prefer the typed `is_*_exception()` variants, which
/// also prove the operation models the error. (Kept for the channels tests
/// on main, which use it.)
#[allow(dead_code)]
fn code<E: ProvideErrorMetadata>(error: E) -> String {
    error.code().unwrap_or_default().to_owned()
}

async fn world() -> World {
    World::start(config(Duration::from_secs(30))).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_flow_lifecycle() {
    let world = world().await;
    let client = &world.client;
    let flow = client
        .create_channel_flow()
        .app_instance_arn(&world.app)
        .name("first")
        .processors(processor(FallbackAction::Abort))
        .tags(Tag::builder().key("team").value("chat").build().unwrap())
        .client_request_token("token-1")
        .send()
        .await
        .unwrap()
        .channel_flow_arn
        .unwrap();
    assert!(
        flow.starts_with(&format!("{}/channel-flow/", world.app)),
        "{flow}"
    );
    // The same ClientRequestToken creates nothing new.
    let again = client
        .create_channel_flow()
        .app_instance_arn(&world.app)
        .name("first")
        .processors(processor(FallbackAction::Abort))
        .client_request_token("token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(again.channel_flow_arn(), Some(flow.as_str()));
    let second = client
        .create_channel_flow()
        .app_instance_arn(&world.app)
        .name("second")
        .processors(processor(FallbackAction::Continue))
        .client_request_token("token-2")
        .send()
        .await
        .unwrap()
        .channel_flow_arn
        .unwrap();

    let described = client
        .describe_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .unwrap()
        .channel_flow
        .unwrap();
    assert_eq!(described.name(), Some("first"));
    assert_eq!(
        described.processors()[0].fallback_action(),
        &FallbackAction::Abort
    );
    assert!(described.created_timestamp().unwrap().secs() > 1_700_000_000);

    client
        .update_channel_flow()
        .channel_flow_arn(&flow)
        .name("renamed")
        .processors(processor(FallbackAction::Continue))
        .send()
        .await
        .unwrap();
    let described = client
        .describe_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .unwrap()
        .channel_flow
        .unwrap();
    assert_eq!(described.name(), Some("renamed"));
    assert_eq!(
        described.processors()[0].fallback_action(),
        &FallbackAction::Continue
    );

    // Pagination: one per page.
    let page1 = client
        .list_channel_flows()
        .app_instance_arn(&world.app)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page1.channel_flows().len(), 1);
    let token = page1.next_token().expect("a second page").to_owned();
    let page2 = client
        .list_channel_flows()
        .app_instance_arn(&world.app)
        .max_results(1)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(page2.channel_flows().len(), 1);
    assert!(page2.next_token().is_none());
    let mut names: Vec<String> = page1
        .channel_flows()
        .iter()
        .chain(page2.channel_flows())
        .map(|f| f.name().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["renamed", "second"]);
    // A token pages its own listing only: not the channel's members.
    let members = client
        .list_channel_memberships()
        .channel_arn(&world.channel)
        .chime_bearer(&world.alice)
        .max_results(1)
        .next_token(page1.next_token().unwrap())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(members.is_bad_request_exception(), "{members:?}");
    let bad_token = client
        .list_channel_flows()
        .app_instance_arn(&world.app)
        .next_token("forged")
        .send()
        .await
        .unwrap_err();
    let bad_token = bad_token.into_service_error();
    assert!(bad_token.is_bad_request_exception(), "{bad_token:?}");

    // Association: bob is a member, not a moderator.
    let forbidden = client
        .associate_channel_flow()
        .channel_arn(&world.channel)
        .channel_flow_arn(&flow)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(forbidden.is_forbidden_exception(), "{forbidden:?}");
    // The app instance admin may, though not a member.
    client
        .associate_channel_flow()
        .channel_arn(&world.channel)
        .channel_flow_arn(&flow)
        .chime_bearer(&world.admin)
        .send()
        .await
        .unwrap();
    let twice = client
        .associate_channel_flow()
        .channel_arn(&world.channel)
        .channel_flow_arn(&second)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err();
    let twice = twice.into_service_error();
    assert!(twice.is_conflict_exception(), "{twice:?}");
    let channel = client
        .describe_channel()
        .channel_arn(&world.channel)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap()
        .channel
        .unwrap();
    assert_eq!(channel.channel_flow_arn(), Some(flow.as_str()));
    assert_eq!(
        channel.created_by().unwrap().arn(),
        Some(world.alice.as_str())
    );

    let associated = client
        .list_channels_associated_with_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .unwrap();
    assert_eq!(associated.channels().len(), 1);
    assert_eq!(
        associated.channels()[0].channel_arn(),
        Some(world.channel.as_str())
    );

    let busy = client
        .delete_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(busy.is_conflict_exception(), "{busy:?}");

    client
        .disassociate_channel_flow()
        .channel_arn(&world.channel)
        .channel_flow_arn(&flow)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    let not_associated = client
        .disassociate_channel_flow()
        .channel_arn(&world.channel)
        .channel_flow_arn(&flow)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(not_associated.is_not_found_exception());
    client
        .delete_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_channel_flow()
        .channel_flow_arn(&flow)
        .send()
        .await
        .unwrap_err();
    let gone = gone.into_service_error();
    // DescribeChannelFlow models no NotFoundException: a missing flow is a
    // BadRequest, so the SDK types it.
    assert!(gone.is_bad_request_exception(), "{gone:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags() {
    let world = world().await;
    let client = &world.client;
    let flow = world.with_flow(FallbackAction::Abort).await;
    for arn in [&flow, &world.channel] {
        client
            .tag_resource()
            .resource_arn(arn)
            .tags(Tag::builder().key("a").value("1").build().unwrap())
            .tags(Tag::builder().key("b").value("2").build().unwrap())
            .send()
            .await
            .unwrap();
        client
            .untag_resource()
            .resource_arn(arn)
            .tag_keys("a")
            .send()
            .await
            .unwrap();
        let tags = client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .unwrap();
        let pairs: Vec<(&str, &str)> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
        assert_eq!(pairs, [("b", "2")]);
    }
    let missing = client
        .list_tags_for_resource()
        .resource_arn(format!("{}/channel/0000", world.app))
        .send()
        .await
        .unwrap_err();
    let missing = missing.into_service_error();
    assert!(missing.is_bad_request_exception(), "{missing:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_and_memberships() {
    let world = world().await;
    let client = &world.client;
    let secret = client
        .create_channel()
        .app_instance_arn(&world.app)
        .name("secret")
        .mode(ChannelMode::Restricted)
        .privacy(ChannelPrivacy::Private)
        .metadata("m")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap()
        .channel_arn
        .unwrap();
    let list = |bearer: &str, privacy: Option<ChannelPrivacy>| {
        client
            .list_channels()
            .app_instance_arn(&world.app)
            .set_privacy(privacy)
            .chime_bearer(bearer)
            .send()
    };

    // ListChannels: public ones to anyone of the app instance, private ones
    // to admins only.
    let public = list(&world.carol, None).await.unwrap();
    let arns: Vec<&str> = public
        .channels()
        .iter()
        .map(|c| c.channel_arn().unwrap())
        .collect();
    assert_eq!(arns, [world.channel.as_str()]);
    assert_eq!(public.channels()[0].name(), Some("general"));
    assert_eq!(
        public.channels()[0].mode(),
        Some(&ChannelMode::Unrestricted)
    );
    let refused = list(&world.carol, Some(ChannelPrivacy::Private))
        .await
        .unwrap_err();
    assert_eq!(code(refused), "ForbiddenException");
    let private = list(&world.admin, Some(ChannelPrivacy::Private))
        .await
        .unwrap();
    assert_eq!(private.channels().len(), 1);
    assert_eq!(private.channels()[0].channel_arn(), Some(secret.as_str()));
    assert_eq!(private.channels()[0].metadata(), Some("m"));
    let stranger = format!("{}/user/nobody", world.app);
    assert_eq!(
        code(list(&stranger, None).await.unwrap_err()),
        "ForbiddenException"
    );

    // Memberships: DEFAULT by default, HIDDEN on request.
    let members = |channel: &str, bearer: &str, kind: Option<ChannelMembershipType>| {
        client
            .list_channel_memberships()
            .channel_arn(channel)
            .set_type(kind)
            .chime_bearer(bearer)
            .send()
    };
    let names = |out: &aws_sdk_chimesdkmessaging::operation::list_channel_memberships::ListChannelMembershipsOutput| {
        out.channel_memberships()
            .iter()
            .map(|m| m.member().and_then(|i| i.name()).unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let listed = members(&world.channel, &world.bob, None).await.unwrap();
    assert_eq!(listed.channel_arn(), Some(world.channel.as_str()));
    assert_eq!(names(&listed), ["Alice", "Bob"]);
    client
        .create_channel_membership()
        .channel_arn(&world.channel)
        .member_arn(&world.carol)
        .r#type(ChannelMembershipType::Hidden)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    let listed = members(&world.channel, &world.bob, None).await.unwrap();
    assert_eq!(names(&listed), ["Alice", "Bob"]);
    let hidden = members(
        &world.channel,
        &world.bob,
        Some(ChannelMembershipType::Hidden),
    )
    .await
    .unwrap();
    assert_eq!(names(&hidden), ["Carol"]);
    let page = client
        .list_channel_memberships()
        .channel_arn(&world.channel)
        .max_results(1)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap();
    assert_eq!(names(&page), ["Alice"]);
    assert!(page.next_token().is_some());
    // A private channel's members are for its members.
    assert_eq!(
        code(members(&secret, &world.carol, None).await.unwrap_err()),
        "ForbiddenException"
    );
    assert_eq!(
        code(
            members(&format!("{}/channel/ffff", world.app), &world.bob, None)
                .await
                .unwrap_err()
        ),
        "BadRequestException"
    );

    // Removing members: yourself, others in an unrestricted channel, anyone
    // as a moderator; not others in a restricted channel.
    let remove = |channel: &str, member: &str, bearer: &str| {
        client
            .delete_channel_membership()
            .channel_arn(channel)
            .member_arn(member)
            .chime_bearer(bearer)
            .send()
    };
    remove(&world.channel, &world.carol, &world.bob)
        .await
        .unwrap();
    let hidden = members(
        &world.channel,
        &world.bob,
        Some(ChannelMembershipType::Hidden),
    )
    .await
    .unwrap();
    assert!(hidden.channel_memberships().is_empty());
    assert_eq!(
        code(
            remove(&world.channel, &world.carol, &world.bob)
                .await
                .unwrap_err()
        ),
        "BadRequestException"
    );
    for user in [&world.bob, &world.carol] {
        client
            .create_channel_membership()
            .channel_arn(&secret)
            .member_arn(user)
            .r#type(ChannelMembershipType::Default)
            .chime_bearer(&world.alice)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        code(remove(&secret, &world.carol, &world.bob).await.unwrap_err()),
        "ForbiddenException"
    );
    remove(&secret, &world.bob, &world.bob).await.unwrap();
    remove(&secret, &world.carol, &world.alice).await.unwrap();
    let listed = members(&secret, &world.alice, None).await.unwrap();
    assert_eq!(names(&listed), ["Alice"]);

    // DeleteChannel: moderators and admins only; then it is gone, tags too.
    client
        .tag_resource()
        .resource_arn(&world.channel)
        .tags(Tag::builder().key("a").value("1").build().unwrap())
        .send()
        .await
        .unwrap();
    let delete = |channel: &str, bearer: &str| {
        client
            .delete_channel()
            .channel_arn(channel)
            .chime_bearer(bearer)
            .send()
    };
    assert_eq!(
        code(delete(&world.channel, &world.bob).await.unwrap_err()),
        "ForbiddenException"
    );
    delete(&world.channel, &world.alice).await.unwrap();
    delete(&secret, &world.admin).await.unwrap();
    assert_eq!(
        code(delete(&world.channel, &world.alice).await.unwrap_err()),
        "BadRequestException"
    );
    let described = client
        .describe_channel()
        .channel_arn(&world.channel)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(described), "BadRequestException");
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&world.channel)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(tags), "BadRequestException");
    assert!(
        list(&world.admin, None)
            .await
            .unwrap()
            .channels()
            .is_empty()
    );
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_without_a_flow() {
    let world = world().await;
    let client = &world.client;
    let mut ids = Vec::new();
    for text in ["one", "two", "three"] {
        let (id, status) = world.send(text).await;
        assert_eq!(status, "SENT");
        assert_eq!(id.len(), 64);
        ids.push(id);
    }
    let status = client
        .get_channel_message_status()
        .channel_arn(&world.channel)
        .message_id(&ids[0])
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap_err();
    let status = status.into_service_error();
    assert!(
        status.is_forbidden_exception(),
        "only the sender: {status:?}"
    );

    // Descending by default; ascending on request; paginated.
    let listed = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap();
    let contents: Vec<&str> = listed
        .channel_messages()
        .iter()
        .map(|m| m.content().unwrap())
        .collect();
    assert_eq!(contents, ["three", "two", "one"]);
    let first = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .sort_order(SortOrder::Ascending)
        .max_results(2)
        .send()
        .await
        .unwrap();
    let contents: Vec<&str> = first
        .channel_messages()
        .iter()
        .map(|m| m.content().unwrap())
        .collect();
    assert_eq!(contents, ["one", "two"]);
    let rest = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .sort_order(SortOrder::Ascending)
        .max_results(2)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.channel_messages()[0].content(), Some("three"));
    assert!(rest.next_token().is_none());
    // NotBefore / NotAfter: a window in the future is empty, the past is full.
    let future = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .not_before(DateTime::from_secs(4_000_000_000))
        .send()
        .await
        .unwrap();
    assert!(future.channel_messages().is_empty());
    let window = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .not_before(DateTime::from_secs(1_000_000_000))
        .not_after(DateTime::from_secs(4_000_000_000))
        .send()
        .await
        .unwrap();
    assert_eq!(window.channel_messages().len(), 3);
    // NotAfter excludes what came later: a bound in the past leaves
    // nothing, one just after the first message keeps it, not the last.
    let past = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .not_after(DateTime::from_secs(1_000_000_000))
        .send()
        .await
        .unwrap();
    assert!(past.channel_messages().is_empty());
    let created = |content: &str| {
        *window
            .channel_messages()
            .iter()
            .find(|m| m.content() == Some(content))
            .unwrap()
            .created_timestamp()
            .unwrap()
    };
    let (one, three) = (created("one"), created("three"));
    assert!(three > one, "sent one after the other: {one} < {three}");
    let early = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        // Half a millisecond after it (the service's timestamps have
        // millisecond precision; a float round trip may lose the last bit).
        .not_after(DateTime::from_secs_f64(one.as_secs_f64() + 0.0005))
        .send()
        .await
        .unwrap();
    let contents: Vec<&str> = early
        .channel_messages()
        .iter()
        .filter_map(|m| m.content())
        .collect();
    assert!(contents.contains(&"one"), "{contents:?}");
    assert!(!contents.contains(&"three"), "{contents:?}");

    // Update by the sender only.
    let not_sender = client
        .update_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[0])
        .content("hijack")
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap_err();
    let not_sender = not_sender.into_service_error();
    assert!(not_sender.is_forbidden_exception(), "{not_sender:?}");
    client
        .update_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[0])
        .content("one, edited")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();

    // Redact: content gone, message listed as redacted.
    let redacted = client
        .redact_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[1])
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    assert_eq!(redacted.message_id(), Some(ids[1].as_str()));
    let got = client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[1])
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap()
        .channel_message
        .unwrap();
    assert!(got.redacted());
    assert_eq!(got.content().unwrap_or_default(), "");

    // Delete: moderators only.
    let member = client
        .delete_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[2])
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap_err();
    let member = member.into_service_error();
    assert!(member.is_forbidden_exception(), "{member:?}");
    client
        .delete_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[2])
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    let gone = client
        .get_channel_message()
        .channel_arn(&world.channel)
        .message_id(&ids[2])
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_not_found_exception());
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearers_and_membership() {
    let world = world().await;
    let client = &world.client;
    let send = |bearer: String, channel: String| async move {
        client
            .send_channel_message()
            .channel_arn(channel)
            .content("hi")
            .r#type(ChannelMessageType::Standard)
            .persistence(ChannelMessagePersistenceType::Persistent)
            .chime_bearer(bearer)
            .send()
            .await
    };
    let stranger = format!("{}/user/nobody", world.app);
    let unknown = send(stranger, world.channel.clone())
        .await
        .unwrap_err()
        .into_service_error();
    assert!(unknown.is_forbidden_exception(), "{unknown:?}");
    let outsider = send(world.carol.clone(), world.channel.clone())
        .await
        .unwrap_err()
        .into_service_error();
    assert!(outsider.is_forbidden_exception(), "{outsider:?}");

    // A PUBLIC channel's messages are readable by any user of its app
    // instance, member or not; a PRIVATE channel's by members only.
    let (public_id, _) = world.send("posted").await;
    let carol = world.carol.as_str();
    let read = |channel: String, id: String| async move {
        let got = client
            .get_channel_message()
            .channel_arn(&channel)
            .message_id(id)
            .chime_bearer(carol)
            .send()
            .await;
        let listed = client
            .list_channel_messages()
            .channel_arn(&channel)
            .chime_bearer(carol)
            .send()
            .await;
        (got, listed)
    };
    let (got, listed) = read(world.channel.clone(), public_id.clone()).await;
    assert_eq!(
        got.unwrap().channel_message().unwrap().content(),
        Some("posted")
    );
    assert_eq!(listed.unwrap().channel_messages().len(), 1);
    let private = client
        .create_channel()
        .app_instance_arn(&world.app)
        .name("private")
        .privacy(ChannelPrivacy::Private)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap()
        .channel_arn
        .unwrap();
    let private_id = client
        .send_channel_message()
        .channel_arn(&private)
        .content("hush")
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap()
        .message_id
        .unwrap();
    let (got, listed) = read(private.clone(), private_id).await;
    let got = got.unwrap_err().into_service_error();
    assert!(got.is_forbidden_exception(), "{got:?}");
    let listed = listed.unwrap_err().into_service_error();
    assert!(listed.is_forbidden_exception(), "{listed:?}");
    // Reading is not writing: carol still may not send to the public one.
    send(world.carol.clone(), world.channel.clone())
        .await
        .unwrap_err();
    let missing = send(world.alice.clone(), format!("{}/channel/ffff", world.app))
        .await
        .unwrap_err()
        .into_service_error();
    // SendChannelMessage models no NotFoundException.
    assert!(missing.is_bad_request_exception(), "{missing:?}");

    client
        .create_channel_membership()
        .channel_arn(&world.channel)
        .member_arn(&world.carol)
        .r#type(ChannelMembershipType::Default)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    send(world.carol.clone(), world.channel.clone())
        .await
        .unwrap();

    // The same ClientRequestToken is the same message.
    let first = client
        .send_channel_message()
        .channel_arn(&world.channel)
        .content("once")
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .client_request_token("same-token")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    let second = client
        .send_channel_message()
        .channel_arn(&world.channel)
        .content("once")
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .client_request_token("same-token")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    assert_eq!(first.message_id(), second.message_id());
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_names_the_member_and_never_echoes_content() {
    let world = world().await;
    let client = &world.client;
    let secret = "x".repeat(5000);
    let too_long = client
        .send_channel_message()
        .channel_arn(&world.channel)
        .content(&secret)
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(too_long.is_bad_request_exception());
    assert!(too_long.message().unwrap().contains("Content"));
    assert!(!too_long.message().unwrap().contains("xxxx"));

    let empty = client
        .send_channel_message()
        .channel_arn(&world.channel)
        .content("")
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(empty.is_bad_request_exception());
    assert!(empty.message().unwrap().contains("'Content'"), "{empty:?}");

    let max = client
        .list_channel_messages()
        .channel_arn(&world.channel)
        .chime_bearer(&world.alice)
        .max_results(51)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(max.is_bad_request_exception());
    assert!(max.message().unwrap().contains("'MaxResults'"), "{max:?}");

    let bad_arn = client
        .describe_channel()
        .channel_arn("not-an-arn")
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(bad_arn.is_bad_request_exception());
    assert!(
        bad_arn.message().unwrap().contains("'ChannelArn'"),
        "{bad_arn:?}"
    );
    world.emulator.shutdown().await;
}

"""Drives a running chimeflow-emulator with boto3, unmodified but for the
endpoint: identity setup (and describe, list, delete), a channel with a CONTINUE flow and no processor
(the message goes PENDING -> SENT by the fallback), listing, tags, errors.

Usage: python boto3_smoke.py ENDPOINT REGION
Prints one line per step and "ok" at the end; exits non-zero on failure.
"""
import sys
import time

import boto3
from botocore.exceptions import ClientError

endpoint, region = sys.argv[1], sys.argv[2]
common = dict(
    endpoint_url=endpoint,
    region_name=region,
    aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)
identity = boto3.client("chime-sdk-identity", **common)
messaging = boto3.client("chime-sdk-messaging", **common)


def step(name):
    print(name, flush=True)


step("identity")
app = identity.create_app_instance(Name="boto3", ClientRequestToken="boto3-app")["AppInstanceArn"]
alice = identity.create_app_instance_user(
    AppInstanceArn=app, AppInstanceUserId="alice", Name="Alice", ClientRequestToken="boto3-alice"
)["AppInstanceUserArn"]
admin = identity.create_app_instance_user(
    AppInstanceArn=app, AppInstanceUserId="admin", Name="Admin", ClientRequestToken="boto3-admin"
)["AppInstanceUserArn"]
made = identity.create_app_instance_admin(AppInstanceAdminArn=admin, AppInstanceArn=app)
assert made["AppInstanceAdmin"]["Arn"] == admin, made
try:
    identity.create_app_instance_user(
        AppInstanceArn=app, AppInstanceUserId="alice", Name="Again", ClientRequestToken="boto3-again"
    )
    raise AssertionError("a duplicate user was created")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ConflictException", e.response

step("identity: describe, list, delete")
assert identity.describe_app_instance(AppInstanceArn=app)["AppInstance"]["Name"] == "boto3"
described = identity.describe_app_instance_user(AppInstanceUserArn=alice)["AppInstanceUser"]
assert described["Name"] == "Alice" and described["CreatedTimestamp"].year >= 2024, described
users = identity.list_app_instance_users(AppInstanceArn=app)["AppInstanceUsers"]
assert sorted(u["AppInstanceUserArn"] for u in users) == sorted([alice, admin]), users
admins = identity.list_app_instance_admins(AppInstanceArn=app)["AppInstanceAdmins"]
assert [a["Admin"]["Arn"] for a in admins] == [admin], admins
# A second app instance, with a user and an admin, deleted with everything in it.
scratch = identity.create_app_instance(Name="scratch", ClientRequestToken="boto3-scratch")["AppInstanceArn"]
assert [a["AppInstanceArn"] for a in identity.list_app_instances()["AppInstances"]] == [app, scratch]
temp = identity.create_app_instance_user(
    AppInstanceArn=scratch, AppInstanceUserId="temp", Name="Temp", ClientRequestToken="boto3-temp"
)["AppInstanceUserArn"]
identity.create_app_instance_admin(AppInstanceAdminArn=temp, AppInstanceArn=scratch)
identity.delete_app_instance_admin(AppInstanceAdminArn=temp, AppInstanceArn=scratch)
assert identity.list_app_instance_admins(AppInstanceArn=scratch)["AppInstanceAdmins"] == []
identity.delete_app_instance_user(AppInstanceUserArn=temp)
assert identity.list_app_instance_users(AppInstanceArn=scratch)["AppInstanceUsers"] == []
identity.delete_app_instance(AppInstanceArn=scratch)
assert [a["AppInstanceArn"] for a in identity.list_app_instances()["AppInstances"]] == [app]
try:
    identity.describe_app_instance(AppInstanceArn=scratch)
    raise AssertionError("a deleted app instance was described")
except identity.exceptions.BadRequestException as e:
    # DescribeAppInstance models no NotFoundException: boto3 types the answer.
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response

step("channel and flow")
channel = messaging.create_channel(AppInstanceArn=app, Name="general", ChimeBearer=alice)["ChannelArn"]
assert channel.startswith(app + "/channel/"), channel
processor = {
    "Name": "p",
    "Configuration": {
        "Lambda": {
            "ResourceArn": "arn:aws:lambda:us-east-1:111122223333:function:none",
            "InvocationType": "ASYNC",
        }
    },
    "ExecutionOrder": 1,
    "FallbackAction": "CONTINUE",
}
flow = messaging.create_channel_flow(
    AppInstanceArn=app, Processors=[processor], Name="flow", ClientRequestToken="boto3-flow",
    Tags=[{"Key": "k", "Value": "v"}],
)["ChannelFlowArn"]
messaging.associate_channel_flow(ChannelArn=channel, ChannelFlowArn=flow, ChimeBearer=admin)
described = messaging.describe_channel(ChannelArn=channel, ChimeBearer=alice)["Channel"]
assert described["ChannelFlowArn"] == flow, described
assert described["CreatedTimestamp"].year >= 2024, described
flows = messaging.list_channel_flows(AppInstanceArn=app)["ChannelFlows"]
assert [f["ChannelFlowArn"] for f in flows] == [flow], flows
assert messaging.list_tags_for_resource(ResourceARN=flow)["Tags"] == [{"Key": "k", "Value": "v"}]

step("message through the fallback")
sent = messaging.send_channel_message(
    ChannelArn=channel, Content="hello from boto3", Type="STANDARD", Persistence="PERSISTENT", ChimeBearer=alice
)
assert sent["Status"]["Value"] == "PENDING", sent
status = None
for _ in range(200):
    status = messaging.get_channel_message_status(
        ChannelArn=channel, MessageId=sent["MessageId"], ChimeBearer=alice
    )["Status"]["Value"]
    if status != "PENDING":
        break
    time.sleep(0.05)
assert status == "SENT", status
listed = messaging.list_channel_messages(ChannelArn=channel, ChimeBearer=alice, SortOrder="ASCENDING")
assert [m["Content"] for m in listed["ChannelMessages"]] == ["hello from boto3"], listed

step("errors")
try:
    messaging.delete_channel_flow(ChannelFlowArn=flow)
    raise AssertionError("deleted while associated")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ConflictException", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409
try:
    messaging.send_channel_message(
        ChannelArn=channel, Content="x", Type="STANDARD", Persistence="PERSISTENT", ChimeBearer=app + "/user/ghost"
    )
    raise AssertionError("an unknown bearer sent a message")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ForbiddenException", e.response
messaging.disassociate_channel_flow(ChannelArn=channel, ChannelFlowArn=flow, ChimeBearer=alice)
messaging.delete_channel_flow(ChannelFlowArn=flow)
try:
    messaging.describe_channel_flow(ChannelFlowArn=flow)
    raise AssertionError("a deleted flow was described")
except messaging.exceptions.BadRequestException as e:
    # DescribeChannelFlow models no NotFoundException: boto3 types the answer.
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
print("ok")

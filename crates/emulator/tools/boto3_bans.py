"""Drives the channel-ban operations of a running chimeflow-emulator with
boto3, unmodified but for the endpoint, and checks every answer against
botocore's model: boto3 validates each request before sending it, and a
`before-parse` hook checks each response body (raw JSON) against the
operation's output shape (no member the model lacks, types, lengths,
patterns, enums; error bodies against the modelled error).

Usage: python boto3_bans.py ENDPOINT REGION CHANNEL MODERATOR MEMBER OTHER
(MODERATOR moderates CHANNEL, MEMBER is a member, OTHER a user of the same
app instance who is not). Prints one line per step and "ok" at the end;
exits non-zero on failure. Never prints message content.
"""
import json
import re
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, region, channel, moderator, member, other = sys.argv[1:7]
messaging = boto3.client(
    "chime-sdk-messaging",
    endpoint_url=endpoint,
    region_name=region,
    aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)
checked = []


def problems(shape, value, path):
    """What in `value` breaks `shape` (a botocore Shape); [] when nothing."""
    kind = shape.type_name
    found = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: not an object"]
        for name, item in value.items():
            if name not in shape.members:
                found.append(f"{path}.{name}: not in the model")
            else:
                found += problems(shape.members[name], item, f"{path}.{name}")
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        for index, item in enumerate(value):
            found += problems(shape.member, item, f"{path}[{index}]")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{path}: not a string"]
        meta = shape.metadata
        if "min" in meta and len(value) < meta["min"]:
            found.append(f"{path}: shorter than {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            found.append(f"{path}: longer than {meta['max']}")
        if "pattern" in meta and re.fullmatch(meta["pattern"], value) is None:
            found.append(f"{path}: does not match {meta['pattern']}")
        if shape.enum and value not in shape.enum:
            found.append(f"{path}: not one of {shape.enum}")
    elif kind == "timestamp":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            found.append(f"{path}: not epoch seconds")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            found.append(f"{path}: not an integer")
    elif kind == "boolean":
        if not isinstance(value, bool):
            found.append(f"{path}: not a boolean")
    return found


def check_response(operation_model, response_dict, **_):
    status = response_dict["status_code"]
    body = response_dict["body"]
    name = operation_model.name
    if status >= 300:
        code = response_dict["headers"].get("x-amzn-errortype", "")
        modelled = [e.name for e in operation_model.error_shapes]
        assert code in modelled, f"{name}: {code} is not an error it models ({modelled})"
        error = operation_model.service_model.shape_for(code)
        found = problems(error, json.loads(body), code)
    else:
        http = operation_model.http.get("responseCode", 200)
        assert status == http, f"{name}: status {status}, the model says {http}"
        output = operation_model.output_shape
        if output is None or not body:
            found = [] if not body or json.loads(body) == {} else [f"{name}: a body where none is modelled"]
        else:
            found = problems(output, json.loads(body), name)
    assert not found, found
    checked.append(name)


messaging.meta.events.register("before-parse.chime-sdk-messaging.*", check_response)


def step(name):
    print(name, flush=True)


def refused(code, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        return
    raise AssertionError(f"{call.__name__} was not refused")


step("ban")
banned = messaging.create_channel_ban(ChannelArn=channel, MemberArn=member, ChimeBearer=moderator)
assert banned["ChannelArn"] == channel and banned["Member"]["Arn"] == member, banned
messaging.create_channel_ban(ChannelArn=channel, MemberArn=other, ChimeBearer=moderator)
refused("ConflictException", messaging.create_channel_ban, ChannelArn=channel, MemberArn=member, ChimeBearer=moderator)
refused("ForbiddenException", messaging.create_channel_ban, ChannelArn=channel, MemberArn=moderator, ChimeBearer=member)

step("describe and list")
ban = messaging.describe_channel_ban(ChannelArn=channel, MemberArn=member, ChimeBearer=moderator)["ChannelBan"]
assert ban["Member"]["Arn"] == member and ban["CreatedBy"]["Arn"] == moderator, ban
assert ban["CreatedTimestamp"].year >= 2024, ban
first = messaging.list_channel_bans(ChannelArn=channel, ChimeBearer=moderator, MaxResults=1)
assert len(first["ChannelBans"]) == 1 and first["NextToken"], first
rest = messaging.list_channel_bans(ChannelArn=channel, ChimeBearer=moderator, NextToken=first["NextToken"])
listed = sorted(b["Member"]["Arn"] for b in first["ChannelBans"] + rest["ChannelBans"])
assert listed == sorted([member, other]) and "NextToken" not in rest, (listed, rest)

step("the banned member")
refused(
    "ForbiddenException", messaging.send_channel_message,
    ChannelArn=channel, Content="hello", Type="STANDARD", Persistence="PERSISTENT", ChimeBearer=member,
)
refused("ForbiddenException", messaging.create_channel_membership, ChannelArn=channel, MemberArn=member, Type="DEFAULT", ChimeBearer=moderator)

step("unban")
messaging.delete_channel_ban(ChannelArn=channel, MemberArn=member, ChimeBearer=moderator)
refused("NotFoundException", messaging.describe_channel_ban, ChannelArn=channel, MemberArn=member, ChimeBearer=moderator)
refused("BadRequestException", messaging.delete_channel_ban, ChannelArn=channel, MemberArn=member, ChimeBearer=moderator)
messaging.create_channel_membership(ChannelArn=channel, MemberArn=member, Type="DEFAULT", ChimeBearer=moderator)

for operation in ["CreateChannelBan", "DeleteChannelBan", "ListChannelBans", "DescribeChannelBan"]:
    assert operation in checked, (operation, checked)
print("ok")

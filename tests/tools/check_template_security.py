#!/usr/bin/env python3
"""Checks the security properties of template.yaml from the template itself.

Linters treat Action, Principal and Resource strings as free text, so this
reads the template as CloudFormation will see it (expanded by the SAM
transform, see expand_sam.py) and asserts:

- the Lambda permission: principal exactly messaging.chime.amazonaws.com,
  action lambda:InvokeFunction, SourceAccount the stack's account, SourceArn
  the app instance (no confused deputy);
- no wildcard action ("*", "chime:*", any "*" in an action, NotAction) in any
  policy, and no Allow on Resource "*" but for Comprehend's three detect
  actions, which support no resource-level permissions;
- the processor's role: no opaque managed policies, only the actions the
  processor needs, and chime:ChannelFlowCallback only on
  "<the app instance ARN>/channel/*";
- asynchronous invocation: retries bounded, an OnFailure destination that is
  an SQS queue keeping messages 14 days, encrypted, with an alarm on it and
  one on the function's errors;
- the channel flow: the processor invoked ASYNC, FallbackAction a parameter
  defaulting to ABORT;
- the environment: dry run not on by default, no empty endpoint override;
- the AppInstance the stack creates: DeletionPolicy and UpdateReplacePolicy
  Retain (deleting one deletes its users, channels and messages);
- an existing AppInstance: its ARN built from the stack's own region and
  account, and the Rules section, evaluated offline (cfn_rules.py) on
  sample deployments, refusing one whose stated region or account is not
  the stack's, and nothing on the default (create) path;
- Chime's ProcessorInvocationFailure events (Chime could not invoke the
  function at all): an enabled EventBridge rule on the default bus matching
  them for this function, a target queue or topic of the template whose
  policy lets only this rule send (aws:SourceArn), and an alarm on the
  rule's TriggeredRules;
- resource policies (queue, topic): no "*" principal, and a service
  principal only with an aws:SourceArn condition;
- the optional features, each checked on the deployments they allow
  (StatefulRules and ChannelBans "false"/"false", "true"/"false",
  "true"/"true", each with ComprehendRules "false" and "true": conditions
  on those parameters are resolved, statements, resources and outputs that
  do not exist in a deployment dropped), all off by default:
  - StatefulRules "false": no DynamoDB table, no secret, no dynamodb
    action, no CHIMEFLOW_STORE_TABLE or CHIMEFLOW_HASH_KEY;
  - StatefulRules "true": one table, on-demand, key `pk` (S) alone, TTL on
    `expires`, point-in-time recovery, KMS encryption with the AWS managed
    key; the role allows on it exactly dynamodb:GetItem and
    dynamodb:UpdateItem, on its ARN only (no other table, no index, no
    "*"); CHIMEFLOW_STORE_TABLE is that table, CHIMEFLOW_HASH_KEY a
    secretsmanager dynamic reference to a generated secret of the template;
  - chime:CreateChannelBan only with ChannelBans "true", alone in its
    statement, on the app instance's channels, users and bots only; and the
    Rules refuse ChannelBans "true" without StatefulRules "true";
  - ComprehendRules "true": one statement allowing exactly
    comprehend:DetectToxicContent, comprehend:DetectPiiEntities and
    comprehend:DetectDominantLanguage on Resource "*" (no other comprehend
    action anywhere, no comprehend:*); ComprehendRules "false": no
    comprehend action at all.
  - ModerationEvents ("none" by default; "default-bus", "custom-bus", each
    checked with the other features off and with them all on):
    events:PutEvents alone in its statement, on exactly the bus the events
    go to (the account's default bus, or the template's own
    AWS::Events::EventBus), CHIMEFLOW_EVENT_BUS that same bus, and an
    enabled rule on it matching source "chimeflow", Outcome DENY, whose
    target is an encrypted SQS queue of the template whose policy lets only
    that rule send; "none": no events action, no variable, no bus, no such
    rule.

usage: check_template_security.py [TEMPLATE]      (default: template.yaml)
       check_template_security.py --self-test [TEMPLATE]
The self-test breaks a copy of the template in each of those ways and fails
unless every broken copy is caught (and the real template passes).
"""

import copy
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cfn_rules import NotARuleFunction, refusals  # noqa: E402
from expand_sam import expand, load_template  # noqa: E402

PRINCIPAL = "messaging.chime.amazonaws.com"
ONE_FOURTEEN_DAYS = 1209600
PROCESSOR_ACTIONS = {
    "chime:ChannelFlowCallback",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "sqs:SendMessage",
}
# The optional features: their parameters, and what each adds.
STATEFUL, BANS = "StatefulRules", "ChannelBans"
STORE_ACTIONS = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
BAN_ACTION = "chime:CreateChannelBan"
# CreateChannelBan is authorized on the channel and on the caller (the
# ChimeBearer, an AppInstanceUser or AppInstanceBot): Service Authorization
# Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonchime.html
BAN_RESOURCE_SUFFIXES = ("/channel/*", "/user/*", "/bot/*")
STORE_KEY, STORE_TTL = "pk", "expires"
STORE_TABLE_VARIABLE, HASH_KEY_VARIABLE = "CHIMEFLOW_STORE_TABLE", "CHIMEFLOW_HASH_KEY"
COMPREHEND = "ComprehendRules"
# The Comprehend-backed rules' calls. They support no resource-level
# permissions (their "Resource types" column is empty in the Service
# Authorization Reference for Amazon Comprehend,
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_comprehend.html),
# so their statement's Resource is "*", the one Allow on "*" accepted.
COMPREHEND_ACTIONS = [
    "comprehend:DetectToxicContent",
    "comprehend:DetectPiiEntities",
    "comprehend:DetectDominantLanguage",
]
MODERATION = "ModerationEvents"
MODERATION_VALUES = ["custom-bus", "default-bus", "none"]
EVENTS_ACTION = "events:PutEvents"
EVENT_BUS_VARIABLE = "CHIMEFLOW_EVENT_BUS"
# What the processor sends by default ([events] source and detail_type).
EVENTS_SOURCE, EVENTS_DETAIL_TYPE = "chimeflow", "Chimeflow Moderation"
DEFAULT_BUS = {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}
FEATURES = (STATEFUL, BANS, COMPREHEND)
# The deployments the Rules allow: every combination of the "true"/"false"
# features without events, and each event bus with them all off and all on.
FEATURE_SCENARIOS = [
    {STATEFUL: stateful, BANS: bans, COMPREHEND: comprehend, MODERATION: "none"}
    for stateful, bans in (("false", "false"), ("true", "false"), ("true", "true"))
    for comprehend in ("false", "true")
] + [
    {STATEFUL: on, BANS: on, COMPREHEND: on, MODERATION: bus}
    for bus in ("default-bus", "custom-bus")
    for on in ("false", "true")
]
APP_INSTANCE_ARN = re.compile(r"^arn:aws[a-z-]*:chime:[a-z0-9-]+:[0-9]{12}:app-instance/[-_a-zA-Z0-9]+$")
APP_INSTANCE = "<app-instance>"
SAMPLE_APP_INSTANCE = "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d"
# An existing AppInstance is given as these parameters (its ARN's fields).
EXISTING_ID, EXISTING_REGION, EXISTING_ACCOUNT = "AppInstanceId", "AppInstanceRegion", "AppInstanceAccountId"
SAMPLE_APP_INSTANCE_ID = "8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d"
# The stack's own region and account in the Rules scenarios, and others.
STACK_REGION, STACK_ACCOUNT = "us-east-1", "111122223333"
OTHER_REGION, OTHER_ACCOUNT = "eu-central-1", "444455556666"
WILDCARD_IDS = ["*", "?", SAMPLE_APP_INSTANCE_ID + "/channel/x", "a:b", "a*"]
# https://docs.aws.amazon.com/chime-sdk/latest/dg/event-bridge-events.html
CHIME_SOURCE = "aws.chime"
FLOW_STATUS = "Chime ChannelFlow Processing Status"
INVOCATION_FAILURE = "ProcessorInvocationFailure"
EVENTS_PRINCIPAL = "events.amazonaws.com"
# EventBridge target kinds: the policy resource, its list of targets, the action.
EVENT_TARGETS = {
    "AWS::SQS::Queue": ("AWS::SQS::QueuePolicy", "Queues", "sqs:SendMessage"),
    "AWS::SNS::Topic": ("AWS::SNS::TopicPolicy", "Topics", "sns:Publish"),
}
WILDCARD_APP_INSTANCES = [
    "*",
    "arn:aws:chime:us-east-1:111122223333:app-instance/*",
    "arn:aws:chime:us-east-1:111122223333:*",
    "arn:aws:chime:*:*:app-instance/*",
    SAMPLE_APP_INSTANCE + "/channel/*",
]


class Findings:
    def __init__(self):
        self.problems = []

    def check(self, condition, message):
        if not condition:
            self.problems.append(message)
        return condition


def as_list(value):
    return value if isinstance(value, list) else [value]


def resources_of(template, kind):
    return {
        name: resource
        for name, resource in template.get("Resources", {}).items()
        if resource.get("Type") == kind
    }


def refers_to(value, logical_id):
    """True when value is Ref/GetAtt of logical_id (GetAtt .Arn for Ref-less)."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key, arg), = value.items()
    if key == "Ref":
        return arg == logical_id
    if key == "Fn::GetAtt":
        target = arg[0] if isinstance(arg, list) else arg.split(".")[0]
        return target == logical_id
    return False


def app_instance_expression(template, value):
    """Renders value when it is the app instance's ARN, else None.

    Accepted: a literal app instance ARN; Ref of a parameter constrained to
    app instance ARNs; GetAtt of an AWS::Chime::AppInstance's AppInstanceArn;
    an Fn::If whose branches are all of these.
    """
    if isinstance(value, str):
        return APP_INSTANCE if APP_INSTANCE_ARN.match(value) else None
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (key, arg), = value.items()
    if key == "Ref":
        # A parameter whose AllowedPattern admits app instance ARNs (or
        # nothing) and no wildcard.
        pattern = template.get("Parameters", {}).get(arg, {}).get("AllowedPattern")
        if pattern is None:
            return None
        accepts = lambda text: re.search(pattern, text) is not None  # noqa: E731
        ok = accepts(SAMPLE_APP_INSTANCE) and not any(accepts(w) for w in WILDCARD_APP_INSTANCES)
        return APP_INSTANCE if ok else None
    if key == "Fn::GetAtt":
        target, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
        resource = template.get("Resources", {}).get(target, {})
        if resource.get("Type") == "AWS::Chime::AppInstance" and attribute == "AppInstanceArn":
            return APP_INSTANCE
        return None
    if key == "Fn::If":
        branches = [app_instance_expression(template, b) for b in arg[1:]]
        return APP_INSTANCE if all(b == APP_INSTANCE for b in branches) else None
    if key == "Fn::Sub" and isinstance(arg, str):
        return APP_INSTANCE if app_instance_from_id(template, arg) else None
    return None


def app_instance_from_id(template, text):
    """The ID parameter when `text` is the ARN of an AppInstance in the
    stack's own partition, region and account, with a parameter for its ID
    constrained to IDs (no wildcard, no path); else None."""
    match = re.fullmatch(
        r"arn:\$\{AWS::Partition\}:chime:\$\{AWS::Region\}:\$\{AWS::AccountId\}:app-instance/\$\{([A-Za-z0-9]+)\}",
        text,
    )
    if not match:
        return None
    pattern = template.get("Parameters", {}).get(match.group(1), {}).get("AllowedPattern")
    if pattern is None:
        return None
    accepts = lambda value: re.search(pattern, value) is not None  # noqa: E731
    if accepts(SAMPLE_APP_INSTANCE_ID) and not any(accepts(w) for w in WILDCARD_IDS):
        return match.group(1)
    return None


def render_resource(template, value):
    """A policy Resource as a string, with the app instance as <app-instance>
    (None when it cannot be told)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

            def substitute(match):
                name = match.group(1)
                if name in variables:
                    rendered = app_instance_expression(template, variables[name])
                    return rendered if rendered else "<unknown:" + name + ">"
                rendered = app_instance_expression(template, {"Ref": name})
                if rendered:
                    return rendered
                return "<" + name + ">"

            return re.sub(r"\$\{([^}!]+)\}", substitute, text)
        if app_instance_expression(template, value):
            return APP_INSTANCE
    return None


def policy_documents(template):
    """(where, document) for every policy document in the template."""
    for name, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        kind = resource.get("Type")
        if kind == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                yield f"{name}/{policy.get('PolicyName')}", policy.get("PolicyDocument", {})
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"):
            yield name, properties.get("PolicyDocument", {})
        elif kind in ("AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"):
            yield name, properties.get("PolicyDocument", {})


class Unknown(Exception):
    """A condition that depends on more than the feature parameters."""


def condition_value(template, expression, values):
    """The value of a condition expression when `values` (some parameters)
    decide it; raises Unknown otherwise."""
    if isinstance(expression, str):
        return expression
    if not isinstance(expression, dict) or len(expression) != 1:
        raise Unknown(expression)
    (function, argument), = expression.items()
    if function == "Ref":
        if argument in values:
            return values[argument]
        raise Unknown(argument)
    if function == "Condition":
        return condition_value(template, template.get("Conditions", {}).get(argument), values)
    if function == "Fn::Equals":
        first, second = (condition_value(template, a, values) for a in argument)
        return first == second
    if function == "Fn::Not":
        return not condition_value(template, argument[0], values)
    if function == "Fn::And":
        return all(condition_value(template, a, values) for a in argument)
    if function == "Fn::Or":
        return any(condition_value(template, a, values) for a in argument)
    raise Unknown(expression)


def specialise(template, values):
    """The template as deployed with `values` for some parameters: every
    condition those decide is resolved (its Fn::If replaced by the branch
    taken, AWS::NoValue dropped, resources and outputs whose condition is
    false removed); conditions on other parameters stay as they are."""
    known = {}
    for name, expression in template.get("Conditions", {}).items():
        try:
            known[name] = bool(condition_value(template, expression, values))
        except Unknown:
            pass

    no_value = object()

    def walk(value):
        if isinstance(value, list):
            items = [walk(item) for item in value]
            return [item for item in items if item is not no_value]
        if isinstance(value, dict):
            if value == {"Ref": "AWS::NoValue"}:
                return no_value
            if len(value) == 1 and "Fn::If" in value and value["Fn::If"][0] in known:
                name, when_true, when_false = value["Fn::If"]
                return walk(when_true if known[name] else when_false)
            items = {key: walk(item) for key, item in value.items()}
            return {key: item for key, item in items.items() if item is not no_value}
        return value

    result = copy.deepcopy(template)
    for section in ("Resources", "Outputs"):
        kept = {
            name: entry
            for name, entry in result.get(section, {}).items()
            if known.get(entry.get("Condition"), True)
        }
        result[section] = {name: walk(entry) for name, entry in kept.items()}
    return result


def scenario_label(values):
    return " ".join(f"{name}={value}" for name, value in values.items())


def check_policies(template, findings):
    for where, document in policy_documents(template):
        for statement in as_list(document.get("Statement", [])):
            if not findings.check(
                isinstance(statement, dict) and "Effect" in statement,
                f"{where}: a statement the checks cannot read ({json.dumps(statement)[:120]}): "
                f"conditional statements may depend on {', '.join(FEATURES + (MODERATION,))} only",
            ):
                continue
            findings.check("NotAction" not in statement, f"{where}: NotAction grants everything else")
            findings.check("NotResource" not in statement, f"{where}: NotResource")
            for action in as_list(statement.get("Action", [])):
                findings.check(
                    isinstance(action, str) and "*" not in action,
                    f"{where}: wildcard action {action!r}",
                )
            if statement.get("Effect") == "Allow":
                actions = as_list(statement.get("Action", []))
                # Only Comprehend's detect actions, which take no resource.
                anywhere = bool(actions) and all(a in COMPREHEND_ACTIONS for a in actions)
                for resource in as_list(statement.get("Resource", [])):
                    findings.check(
                        resource != "*" or anywhere,
                        f"{where}: Allow on Resource '*' (actions {actions}; only "
                        f"{', '.join(COMPREHEND_ACTIONS)} may have it)",
                    )
            if "Principal" in statement and statement.get("Effect") == "Allow":
                check_principal(findings, where, statement)


def check_principal(findings, where, statement):
    """A resource policy grants no one at large, and a service only on
    behalf of a named resource (aws:SourceArn: no confused deputy)."""
    principal = statement["Principal"]
    everyone = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS", [])))
    findings.check(not everyone, f"{where}: Allow to Principal '*'")
    if isinstance(principal, dict) and "Service" in principal:
        findings.check(
            source_arn_condition(statement) is not None,
            f"{where}: Allow to {principal['Service']} without an aws:SourceArn condition (any rule or resource could use it)",
        )


def source_arn_condition(statement):
    """The aws:SourceArn an Allow statement is limited to, if any."""
    for operator in ("ArnEquals", "ArnLike", "StringEquals"):
        value = statement.get("Condition", {}).get(operator, {}).get("aws:SourceArn")
        if value is not None:
            return value
    return None


def check_function(template, findings, function_name, function, values):
    stateful, bans = values.get(STATEFUL) == "true", values.get(BANS) == "true"
    comprehend = values.get(COMPREHEND) == "true"
    moderation = values.get(MODERATION, "none")
    properties = function.get("Properties", {})
    role = properties.get("Role")
    role_name = role["Fn::GetAtt"][0] if isinstance(role, dict) and "Fn::GetAtt" in role else None
    roles = resources_of(template, "AWS::IAM::Role")
    if not findings.check(role_name in roles, f"{function_name}: its role is not defined in the template"):
        return
    role_properties = roles[role_name].get("Properties", {})
    findings.check(
        not role_properties.get("ManagedPolicyArns"),
        f"{role_name}: managed policies attached ({role_properties.get('ManagedPolicyArns')}): "
        "their actions and resources cannot be checked",
    )
    callback_statements = store_statements = ban_statements = comprehend_statements = events_statements = 0
    for policy in role_properties.get("Policies", []):
        for statement in as_list(policy.get("PolicyDocument", {}).get("Statement", [])):
            if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
                continue
            actions = as_list(statement.get("Action", []))
            for action in actions:
                if action in STORE_ACTIONS:
                    findings.check(stateful, f"{role_name}: {action} with {STATEFUL} false (no table to use it on)")
                elif action == BAN_ACTION:
                    findings.check(bans, f"{role_name}: {action} with {BANS} false")
                elif action in COMPREHEND_ACTIONS:
                    findings.check(comprehend, f"{role_name}: {action} with {COMPREHEND} false")
                elif action == EVENTS_ACTION:
                    findings.check(moderation != "none", f"{role_name}: {action} with {MODERATION} none")
                else:
                    findings.check(
                        action in PROCESSOR_ACTIONS,
                        f"{role_name}: action {action!r} is not one the processor needs",
                    )
            if any(isinstance(a, str) and a.lower().startswith("dynamodb:") for a in actions):
                store_statements += check_store_statement(template, findings, role_name, statement)
            if BAN_ACTION in actions:
                ban_statements += check_ban_statement(template, findings, role_name, statement)
            if any(isinstance(a, str) and a.lower().startswith("comprehend:") for a in actions):
                comprehend_statements += check_comprehend_statement(findings, role_name, statement)
            if any(isinstance(a, str) and a.lower().startswith("events:") for a in actions):
                events_statements += check_events_statement(template, findings, role_name, statement, moderation)
            if "chime:ChannelFlowCallback" in actions:
                callback_statements += 1
                findings.check(
                    actions == ["chime:ChannelFlowCallback"],
                    f"{role_name}: chime:ChannelFlowCallback shares a statement with {actions}",
                )
                for resource in as_list(statement.get("Resource", [])):
                    rendered = render_resource(template, resource)
                    findings.check(
                        rendered == APP_INSTANCE + "/channel/*",
                        f"{role_name}: chime:ChannelFlowCallback on {json.dumps(resource)} "
                        f"(renders as {rendered!r}), not the app instance's channels",
                    )
    findings.check(callback_statements > 0, f"{role_name}: no chime:ChannelFlowCallback permission")
    if stateful:
        findings.check(store_statements > 0, f"{role_name}: no {' and '.join(STORE_ACTIONS)} on the store table")
    if bans:
        findings.check(ban_statements > 0, f"{role_name}: no {BAN_ACTION} permission")
    if comprehend:
        findings.check(
            comprehend_statements > 0,
            f"{role_name}: no comprehend: permission with {COMPREHEND} true (the rules would be refused)",
        )

    if moderation != "none":
        findings.check(
            events_statements > 0,
            f"{role_name}: no {EVENTS_ACTION} permission with {MODERATION} {moderation} (every event would be refused)",
        )

    variables = properties.get("Environment", {}).get("Variables", {})
    if moderation == "none":
        findings.check(
            EVENT_BUS_VARIABLE not in variables,
            f"{function_name}: {EVENT_BUS_VARIABLE} set with {MODERATION} none (events the role may not send)",
        )
    else:
        bus = variables.get(EVENT_BUS_VARIABLE)
        findings.check(
            is_events_bus(template, bus, moderation),
            f"{function_name}: {EVENT_BUS_VARIABLE} {json.dumps(bus)} is not the {moderation} the permission names",
        )
    dry_run = variables.get("CHIMEFLOW_DRY_RUN", "")
    findings.check(
        dry_run in ("", "0", "false", "no"),
        f"{function_name}: CHIMEFLOW_DRY_RUN={dry_run!r}: a deployed processor would never call back",
    )
    for name in (
        "AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING",
        "AWS_ENDPOINT_URL_COMPREHEND",
        "AWS_ENDPOINT_URL_EVENTBRIDGE",
        "AWS_ENDPOINT_URL",
    ):
        findings.check(
            variables.get(name, None) != "",
            f"{function_name}: {name} is set to an empty string (the SDK takes it as an endpoint)",
        )
    check_store_environment(template, findings, function_name, variables, stateful)


def store_tables(template):
    return resources_of(template, "AWS::DynamoDB::Table")


def is_table_arn(template, value):
    """GetAtt <a table of the template>.Arn: the table itself, nothing under it."""
    if not isinstance(value, dict) or list(value) != ["Fn::GetAtt"]:
        return False
    arg = value["Fn::GetAtt"]
    target, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
    return target in store_tables(template) and attribute == "Arn"


def check_store_statement(template, findings, role_name, statement):
    """A statement with dynamodb actions: exactly GetItem and UpdateItem, on
    the template's table's ARN and nothing else. 1 when it is that."""
    actions = as_list(statement.get("Action", []))
    resources = as_list(statement.get("Resource", []))
    ok = findings.check(
        sorted(actions) == sorted(STORE_ACTIONS),
        f"{role_name}: dynamodb actions {actions}, expected exactly {STORE_ACTIONS} (the store's only calls)",
    )
    for resource in resources:
        ok &= findings.check(
            is_table_arn(template, resource),
            f"{role_name}: dynamodb on {json.dumps(resource)}, not the store table's ARN "
            "(no other table, no index, no wildcard)",
        )
    return 1 if ok and resources else 0


def check_ban_statement(template, findings, role_name, statement):
    """chime:CreateChannelBan alone, on the app instance's channels and the
    identities that may call it (users, bots). 1 when it is that."""
    actions = as_list(statement.get("Action", []))
    ok = findings.check(
        actions == [BAN_ACTION], f"{role_name}: {BAN_ACTION} shares a statement with {actions}"
    )
    rendered = []
    for resource in as_list(statement.get("Resource", [])):
        text = render_resource(template, resource)
        rendered.append(text)
        ok &= findings.check(
            text in [APP_INSTANCE + suffix for suffix in BAN_RESOURCE_SUFFIXES],
            f"{role_name}: {BAN_ACTION} on {json.dumps(resource)} (renders as {text!r}), "
            "not the app instance's channels, users or bots",
        )
    ok &= findings.check(
        APP_INSTANCE + "/channel/*" in rendered,
        f"{role_name}: {BAN_ACTION} not on the app instance's channels",
    )
    return 1 if ok else 0


def check_comprehend_statement(findings, role_name, statement):
    """A statement with comprehend actions: exactly the three detect calls
    of the Comprehend-backed rules, on Resource "*" (they take no other).
    1 when it is that."""
    actions = as_list(statement.get("Action", []))
    resources = as_list(statement.get("Resource", []))
    ok = findings.check(
        sorted(actions) == sorted(COMPREHEND_ACTIONS),
        f"{role_name}: comprehend actions {actions}, expected exactly {COMPREHEND_ACTIONS} "
        "(the Comprehend-backed rules' only calls)",
    )
    ok &= findings.check(
        resources == ["*"],
        f"{role_name}: comprehend on {json.dumps(statement.get('Resource'))}, expected Resource '*' "
        "(the detect actions support no resource-level permissions: an ARN allows nothing)",
    )
    return 1 if ok else 0


def is_events_bus(template, value, moderation):
    """Whether value is the bus of this ModerationEvents choice: the
    account's default bus in this region, or GetAtt .Arn of an
    AWS::Events::EventBus of the template (nothing else, no wildcard)."""
    if moderation == "default-bus":
        return value == DEFAULT_BUS
    if moderation == "custom-bus" and isinstance(value, dict) and list(value) == ["Fn::GetAtt"]:
        arg = value["Fn::GetAtt"]
        target, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
        return target in resources_of(template, "AWS::Events::EventBus") and attribute == "Arn"
    return False


def check_events_statement(template, findings, role_name, statement, moderation):
    """A statement with events actions: events:PutEvents alone, on the one
    bus the events go to. 1 when it is that."""
    actions = as_list(statement.get("Action", []))
    resources = as_list(statement.get("Resource", []))
    ok = findings.check(
        actions == [EVENTS_ACTION],
        f"{role_name}: events actions {actions}, expected exactly [{EVENTS_ACTION!r}] (the events' only call)",
    )
    ok &= findings.check(
        len(resources) == 1 and is_events_bus(template, resources[0], moderation),
        f"{role_name}: {EVENTS_ACTION} on {json.dumps(statement.get('Resource'))}, not the {moderation} "
        "the events go to (no other bus, no wildcard)",
    )
    return 1 if ok else 0


def check_moderation_events(template, findings, values):
    """ModerationEvents: a bus only for custom-bus; when on, a rule on the
    bus forwarding DENY events to an encrypted queue that only it may send
    to; when off, nothing of it."""
    moderation = values.get(MODERATION, "none")
    buses = resources_of(template, "AWS::Events::EventBus")
    findings.check(
        len(buses) == (1 if moderation == "custom-bus" else 0),
        f"{MODERATION} {moderation}: {len(buses)} AWS::Events::EventBus",
    )
    rules = {
        name: rule.get("Properties", {})
        for name, rule in resources_of(template, "AWS::Events::Rule").items()
        if pattern_values(rule.get("Properties", {}).get("EventPattern", {}), "source") == [EVENTS_SOURCE]
    }
    if moderation == "none":
        findings.check(not rules, f"{MODERATION} none: rules on source {EVENTS_SOURCE!r} ({sorted(rules)})")
        return
    reviewed = False
    for rule_name, properties in rules.items():
        pattern = properties.get("EventPattern", {})
        detail = pattern.get("detail", {}) if isinstance(pattern, dict) else {}
        if not (
            pattern_values(pattern, "detail-type") == [EVENTS_DETAIL_TYPE]
            and pattern_values(detail, "Outcome") == ["DENY"]
            and properties.get("State", "ENABLED") == "ENABLED"
        ):
            continue
        findings.check(
            is_events_bus(template, properties.get("EventBusName"), moderation),
            f"{rule_name}: EventBusName {json.dumps(properties.get('EventBusName'))} is not the {moderation} "
            "the processor sends to (the rule would never match)",
        )
        queues = resources_of(template, "AWS::SQS::Queue")
        for target in properties.get("Targets", []):
            findings.check("RoleArn" not in target, f"{rule_name}: target {target.get('Id')} has a RoleArn")
            for queue in queues:
                if not refers_to(target.get("Arn"), queue):
                    continue
                queue_properties = queues[queue].get("Properties", {})
                findings.check(
                    queue_properties.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue_properties,
                    f"{queue}: not encrypted",
                )
                reviewed |= allows_rule(template, findings, rule_name, queue, "AWS::SQS::QueuePolicy", "Queues", "sqs:SendMessage")
    findings.check(
        reviewed,
        f"{MODERATION} {moderation}: no enabled rule forwarding source {EVENTS_SOURCE!r}, Outcome DENY events "
        f"to an SQS queue of the template whose policy lets {EVENTS_PRINCIPAL} send for that rule",
    )


def check_store_environment(template, findings, function_name, variables, stateful):
    """The store's variables exactly when the table exists: its name, and
    the HMAC key as a dynamic reference to a generated secret."""
    if not stateful:
        for name in (STORE_TABLE_VARIABLE, HASH_KEY_VARIABLE):
            findings.check(name not in variables, f"{function_name}: {name} set with {STATEFUL} false")
        return
    table = variables.get(STORE_TABLE_VARIABLE)
    findings.check(
        isinstance(table, dict) and list(table) == ["Ref"] and table["Ref"] in store_tables(template),
        f"{function_name}: {STORE_TABLE_VARIABLE} {json.dumps(table)} is not the template's table",
    )
    key = variables.get(HASH_KEY_VARIABLE)
    secret = None
    if isinstance(key, dict) and list(key) == ["Fn::Sub"] and isinstance(key["Fn::Sub"], str):
        match = re.fullmatch(r"\{\{resolve:secretsmanager:\$\{([A-Za-z0-9]+)\}(:SecretString)?\}\}", key["Fn::Sub"])
        secret = match and resources_of(template, "AWS::SecretsManager::Secret").get(match.group(1))
    findings.check(
        secret is not None and "GenerateSecretString" in secret.get("Properties", {}),
        f"{function_name}: {HASH_KEY_VARIABLE} {json.dumps(key)} is not a secretsmanager dynamic reference "
        "to a generated secret of the template (a key written in the template is no secret)",
    )


def truthy(value):
    return value is True or value == "true"


def check_store(template, findings, values):
    """The table (and secret) exist exactly with StatefulRules, and the
    table is the one the processor expects, expiring, recoverable and
    encrypted."""
    stateful = values.get(STATEFUL) == "true"
    tables = store_tables(template)
    secrets = resources_of(template, "AWS::SecretsManager::Secret")
    if not stateful:
        for name in list(tables) + list(secrets):
            findings.check(False, f"{name} exists with {STATEFUL} false")
        return
    findings.check(len(tables) == 1, f"{STATEFUL} true: {len(tables)} DynamoDB tables, expected one")
    for name, table in tables.items():
        properties = table.get("Properties", {})
        findings.check(
            properties.get("BillingMode") == "PAY_PER_REQUEST",
            f"{name}: BillingMode {properties.get('BillingMode')!r}, expected PAY_PER_REQUEST (on-demand)",
        )
        findings.check(
            properties.get("KeySchema") == [{"AttributeName": STORE_KEY, "KeyType": "HASH"}]
            and properties.get("AttributeDefinitions") == [{"AttributeName": STORE_KEY, "AttributeType": "S"}],
            f"{name}: key {properties.get('KeySchema')!r}, expected partition key {STORE_KEY!r} (S) and no sort key",
        )
        ttl = properties.get("TimeToLiveSpecification", {})
        findings.check(
            truthy(ttl.get("Enabled")) and ttl.get("AttributeName") == STORE_TTL,
            f"{name}: no TTL on {STORE_TTL!r} ({ttl!r}): expired state would stay, and be paid for, forever",
        )
        pitr = properties.get("PointInTimeRecoverySpecification", {})
        findings.check(
            truthy(pitr.get("PointInTimeRecoveryEnabled")),
            f"{name}: point-in-time recovery not enabled ({pitr!r})",
        )
        sse = properties.get("SSESpecification", {})
        findings.check(
            truthy(sse.get("SSEEnabled")),
            f"{name}: not encrypted with KMS (SSESpecification {sse!r}), expected SSEEnabled true",
        )
        findings.check(
            "KMSMasterKeyId" not in sse,
            f"{name}: a customer managed key ({sse.get('KMSMasterKeyId')!r}) would need kms permissions "
            "in the role and a key policy; the template uses the AWS managed key",
        )


def check_permission(template, findings, function_name):
    permissions = {
        name: resource.get("Properties", {})
        for name, resource in resources_of(template, "AWS::Lambda::Permission").items()
        if refers_to(resource.get("Properties", {}).get("FunctionName"), function_name)
    }
    findings.check(permissions, f"{function_name}: no AWS::Lambda::Permission lets Chime invoke it")
    for name, properties in permissions.items():
        findings.check(
            properties.get("Principal") == PRINCIPAL,
            f"{name}: Principal {properties.get('Principal')!r}, expected exactly {PRINCIPAL!r}",
        )
        findings.check(
            properties.get("Action") == "lambda:InvokeFunction",
            f"{name}: Action {properties.get('Action')!r}",
        )
        findings.check(
            properties.get("SourceAccount") == {"Ref": "AWS::AccountId"},
            f"{name}: SourceAccount {properties.get('SourceAccount')!r}, expected the stack's account",
        )
        source_arn = properties.get("SourceArn")
        findings.check(
            source_arn is not None and app_instance_expression(template, source_arn) == APP_INSTANCE,
            f"{name}: SourceArn {json.dumps(source_arn)} is not the app instance",
        )


def check_async(template, findings, function_name):
    configs = [
        resource.get("Properties", {})
        for resource in resources_of(template, "AWS::Lambda::EventInvokeConfig").values()
        if resource.get("Properties", {}).get("FunctionName") == {"Ref": function_name}
        or refers_to(resource.get("Properties", {}).get("FunctionName"), function_name)
    ]
    if not findings.check(configs, f"{function_name}: no EventInvokeConfig"):
        return
    queues = resources_of(template, "AWS::SQS::Queue")
    for config in configs:
        retries = config.get("MaximumRetryAttempts")
        findings.check(retries in (0, 1, 2), f"EventInvokeConfig: MaximumRetryAttempts {retries!r}")
        destination = config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        queue = next((q for q in queues if refers_to(destination, q)), None)
        if not findings.check(
            queue is not None, f"EventInvokeConfig: no OnFailure destination to an SQS queue of the template ({destination!r})"
        ):
            continue
        queue_properties = queues[queue].get("Properties", {})
        findings.check(
            queue_properties.get("MessageRetentionPeriod") == ONE_FOURTEEN_DAYS,
            f"{queue}: MessageRetentionPeriod {queue_properties.get('MessageRetentionPeriod')!r}, expected 14 days",
        )
        findings.check(
            queue_properties.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue_properties,
            f"{queue}: not encrypted",
        )
        alarms = resources_of(template, "AWS::CloudWatch::Alarm").values()
        findings.check(
            any(
                a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
                and any(refers_to(d.get("Value"), queue) for d in a["Properties"].get("Dimensions", []))
                for a in alarms
            ),
            f"{queue}: no alarm on ApproximateNumberOfMessagesVisible",
        )
    alarms = resources_of(template, "AWS::CloudWatch::Alarm").values()
    findings.check(
        any(
            a["Properties"].get("MetricName") == "Errors"
            and a["Properties"].get("Namespace") == "AWS/Lambda"
            and any(refers_to(d.get("Value"), function_name) for d in a["Properties"].get("Dimensions", []))
            for a in alarms
        ),
        f"{function_name}: no alarm on its Errors",
    )


def check_flow(template, findings, function_name):
    flows = resources_of(template, "AWS::Chime::ChannelFlow")
    findings.check(flows, "no AWS::Chime::ChannelFlow")
    for name, flow in flows.items():
        for processor in flow.get("Properties", {}).get("Processors", []):
            lambda_config = processor.get("Configuration", {}).get("Lambda", {})
            findings.check(
                refers_to(lambda_config.get("ResourceArn"), function_name),
                f"{name}: processor {lambda_config.get('ResourceArn')!r} is not {function_name}",
            )
            findings.check(lambda_config.get("InvocationType") == "ASYNC", f"{name}: InvocationType")
            fallback = processor.get("FallbackAction")
            parameter = template.get("Parameters", {}).get(fallback.get("Ref")) if isinstance(fallback, dict) else None
            findings.check(
                parameter is not None and parameter.get("Default") == "ABORT",
                f"{name}: FallbackAction {fallback!r} is not a parameter defaulting to ABORT",
            )


def check_retained(template, findings):
    """A created AppInstance outlives the stack and any replacement."""
    for name, resource in resources_of(template, "AWS::Chime::AppInstance").items():
        for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
            findings.check(
                resource.get(policy) == "Retain",
                f"{name}: {policy} {resource.get(policy)!r}, expected 'Retain' "
                "(deleting an AppInstance deletes its users, channels and messages)",
            )


def check_rules(template, findings):
    """The Rules section refuses an existing AppInstance outside the stack's
    region or account before anything is created, and lets the defaults
    (a new AppInstance) through. Evaluated on sample deployments."""
    parameters = template.get("Parameters", {})
    missing = [p for p in (EXISTING_ID, EXISTING_REGION, EXISTING_ACCOUNT) if p not in parameters]
    if not findings.check(not missing, f"Parameters: {missing} missing (an existing AppInstance's ID, region, account)"):
        return
    existing = {EXISTING_ID: SAMPLE_APP_INSTANCE_ID, EXISTING_REGION: STACK_REGION, EXISTING_ACCOUNT: STACK_ACCOUNT}
    scenarios = [
        ("the defaults (a new AppInstance)", {}, False),
        ("an existing AppInstance in the stack's region and account", existing, False),
        ("an existing AppInstance in another region", {**existing, EXISTING_REGION: OTHER_REGION}, True),
        ("an existing AppInstance in another account", {**existing, EXISTING_ACCOUNT: OTHER_ACCOUNT}, True),
        ("an existing AppInstance's region without its ID", {EXISTING_REGION: STACK_REGION}, True),
        ("an existing AppInstance's account without its ID", {EXISTING_ACCOUNT: STACK_ACCOUNT}, True),
    ]
    if STATEFUL in parameters and BANS in parameters:
        scenarios += [
            ("StatefulRules alone", {STATEFUL: "true"}, False),
            ("ChannelBans with StatefulRules", {STATEFUL: "true", BANS: "true"}, False),
            ("ChannelBans without StatefulRules", {BANS: "true"}, True),
        ]
    if MODERATION in parameters:
        scenarios += [
            ("ModerationEvents default-bus", {MODERATION: "default-bus"}, False),
            ("ModerationEvents custom-bus with the other features",
             {STATEFUL: "true", BANS: "true", COMPREHEND: "true", MODERATION: "custom-bus"}, False),
        ]
    if COMPREHEND in parameters:
        scenarios += [
            ("ComprehendRules alone", {COMPREHEND: "true"}, False),
            ("ComprehendRules with the other features", {STATEFUL: "true", BANS: "true", COMPREHEND: "true"}, False),
        ]
    for description, values, refuse in scenarios:
        for name, value in values.items():
            pattern = parameters[name].get("AllowedPattern")
            findings.check(
                pattern is None or re.search(pattern, value),
                f"Parameters/{name}: AllowedPattern refuses {value!r}, a valid value",
            )
        try:
            refused = refusals(template, values, region=STACK_REGION, account=STACK_ACCOUNT)
        except NotARuleFunction as error:
            findings.check(False, f"Rules: {error}")
            return
        if refuse:
            why = (
                "a ban permission nothing would use"
                if BANS in values
                else "deploying it fails only when Chime invokes"
            )
            findings.check(refused, f"Rules: {description} is not refused ({why})")
        else:
            findings.check(not refused, f"Rules: {description} is refused: {refused}")


def pattern_values(pattern, key):
    value = pattern.get(key)
    return value if isinstance(value, list) else None


def invocation_failure_rules(template, function_name):
    """The EventBridge rules that match Chime's ProcessorInvocationFailure
    events for this function."""
    matching = {}
    for name, rule in resources_of(template, "AWS::Events::Rule").items():
        properties = rule.get("Properties", {})
        pattern = properties.get("EventPattern", {})
        detail = pattern.get("detail", {}) if isinstance(pattern, dict) else {}
        processors = detail.get("processorResourceArn", [])
        if (
            pattern_values(pattern, "source") == [CHIME_SOURCE]
            and pattern_values(pattern, "detail-type") == [FLOW_STATUS]
            and pattern_values(detail, "eventType") == [INVOCATION_FAILURE]
            and isinstance(processors, list)
            and processors
            and all(refers_to(p, function_name) for p in processors)
            and properties.get("State", "ENABLED") == "ENABLED"
            and properties.get("EventBusName", "default") == "default"
        ):
            matching[name] = properties
    return matching


def check_invocation_failures(template, findings, function_name):
    """Chime's invocation failures (the function never runs) reach a queue
    or topic of the template, and an alarm."""
    rules = invocation_failure_rules(template, function_name)
    if not findings.check(
        rules,
        f"{function_name}: no enabled EventBridge rule on the default bus matches source {CHIME_SOURCE!r}, "
        f"detail-type {FLOW_STATUS!r}, eventType {INVOCATION_FAILURE!r} for it",
    ):
        return
    for rule_name, properties in rules.items():
        delivered = False
        for target in properties.get("Targets", []):
            findings.check("RoleArn" not in target, f"{rule_name}: target {target.get('Id')} has a RoleArn (SQS and SNS targets use their resource policy)")
            for kind, (policy_kind, list_key, action) in EVENT_TARGETS.items():
                for destination in resources_of(template, kind):
                    if refers_to(target.get("Arn"), destination):
                        delivered |= allows_rule(template, findings, rule_name, destination, policy_kind, list_key, action)
        findings.check(
            delivered,
            f"{rule_name}: no SQS queue or SNS topic target of the template whose policy lets {EVENTS_PRINCIPAL} send for this rule",
        )
        findings.check(
            any(
                a["Properties"].get("Namespace") == "AWS/Events"
                and a["Properties"].get("MetricName") == "TriggeredRules"
                and any(
                    d.get("Name") == "RuleName" and refers_to(d.get("Value"), rule_name)
                    for d in a["Properties"].get("Dimensions", [])
                )
                and fires_on_one(a["Properties"])
                for a in resources_of(template, "AWS::CloudWatch::Alarm").values()
            ),
            f"{rule_name}: no alarm on its TriggeredRules (AWS/Events) firing on one event",
        )


def fires_on_one(alarm):
    operator, threshold = alarm.get("ComparisonOperator"), alarm.get("Threshold")
    return (operator, threshold) in (("GreaterThanThreshold", 0), ("GreaterThanOrEqualToThreshold", 1))


def allows_rule(template, findings, rule_name, destination, policy_kind, list_key, action):
    """Whether a policy of `destination` lets EventBridge send for this
    rule: Allow, service principal, exactly the action, on the destination,
    aws:SourceArn the rule."""
    for policy in resources_of(template, policy_kind).values():
        properties = policy.get("Properties", {})
        if not any(refers_to(item, destination) for item in properties.get(list_key, [])):
            continue
        for statement in as_list(properties.get("PolicyDocument", {}).get("Statement", [])):
            principal = statement.get("Principal", {})
            if not (
                statement.get("Effect") == "Allow"
                and isinstance(principal, dict)
                and as_list(principal.get("Service", [])) == [EVENTS_PRINCIPAL]
            ):
                continue
            findings.check(
                as_list(statement.get("Action", [])) == [action],
                f"{policy_kind} of {destination}: {EVENTS_PRINCIPAL} gets {statement.get('Action')!r}, expected only {action}",
            )
            findings.check(
                all(refers_to(r, destination) for r in as_list(statement.get("Resource", []))),
                f"{policy_kind} of {destination}: {EVENTS_PRINCIPAL} allowed on {statement.get('Resource')!r}",
            )
            if refers_to(source_arn_condition(statement), rule_name):
                return True
    return False


def check_features(template, findings):
    """The optional features' parameters: off unless asked for."""
    for name in FEATURES:
        parameter = template.get("Parameters", {}).get(name)
        if findings.check(parameter is not None, f"Parameters: {name} missing"):
            findings.check(
                parameter.get("Default") == "false" and sorted(parameter.get("AllowedValues", [])) == ["false", "true"],
                f"Parameters/{name}: Default {parameter.get('Default')!r}, AllowedValues "
                f"{parameter.get('AllowedValues')!r}; expected \"false\" of \"false\"/\"true\"",
            )
    parameter = template.get("Parameters", {}).get(MODERATION)
    if findings.check(parameter is not None, f"Parameters: {MODERATION} missing"):
        findings.check(
            parameter.get("Default") == "none" and sorted(parameter.get("AllowedValues", [])) == MODERATION_VALUES,
            f"Parameters/{MODERATION}: Default {parameter.get('Default')!r}, AllowedValues "
            f"{parameter.get('AllowedValues')!r}; expected \"none\" of {MODERATION_VALUES}",
        )


def check_deployment(template, findings, values):
    """The checks on one deployment of the features."""
    functions = resources_of(template, "AWS::Lambda::Function")
    findings.check(functions, "no Lambda function")
    check_policies(template, findings)
    check_retained(template, findings)
    check_store(template, findings, values)
    check_moderation_events(template, findings, values)
    for function_name, function in functions.items():
        check_function(template, findings, function_name, function, values)
        check_permission(template, findings, function_name)
        check_async(template, findings, function_name)
        check_flow(template, findings, function_name)
        check_invocation_failures(template, findings, function_name)


def check(sam_template):
    """The problems found in a SAM template (a dict), after expansion: the
    Rules and parameters once, the rest on each deployment the Rules allow
    (a problem found on some only names them)."""
    findings = Findings()
    template = expand(sam_template)
    check_rules(template, findings)
    check_features(template, findings)
    seen = {}
    for values in FEATURE_SCENARIOS:
        deployment = Findings()
        check_deployment(specialise(template, values), deployment, values)
        for problem in dict.fromkeys(deployment.problems):
            seen.setdefault(problem, []).append(scenario_label(values))
    for problem, scenarios in seen.items():
        where = "" if len(scenarios) == len(FEATURE_SCENARIOS) else f" [with {'; '.join(scenarios)}]"
        findings.problems.append(problem + where)
    return findings.problems


def check_file(path):
    return check(load_template(path))


# Each: a name, a change to the SAM template, and a piece of the message
# that must report it.
def _props(template, name):
    return template["Resources"][name]["Properties"]


def _role_statements(template):
    return _props(template, "ProcessorRole")["Policies"][0]["PolicyDocument"]["Statement"]


def _callback_statement(template):
    return next(s for s in _role_statements(template) if s.get("Action") == "chime:ChannelFlowCallback")


def _conditional_statement(template, sid):
    """The Fn::If of the role statement with this Sid."""
    return next(
        s["Fn::If"] for s in _role_statements(template) if "Fn::If" in s and s["Fn::If"][1].get("Sid") == sid
    )


def _store_statement(template):
    return _conditional_statement(template, "ModerationStateOwnTable")[1]


def _ban_statement(template):
    return _conditional_statement(template, "BanInChannelsOfThisAppInstance")[1]


def _comprehend_statement(template):
    return _conditional_statement(template, "ComprehendDetectCalls")[1]


def _events_statement(template):
    return _conditional_statement(template, "ModerationEventsOnTheBus")[1]


def _review_queue_statement(template):
    return _props(template, "ModerationReviewQueuePolicy")["PolicyDocument"]["Statement"][0]


def _review_pattern(template):
    return _props(template, "ModerationDenyRule")["EventPattern"]


def _always(template, *names):
    """These resources whatever the parameters."""
    for name in names:
        template["Resources"][name].pop("Condition")


EVERY_BUS = {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/*"}


def _unconditional(template, sid):
    """The statement with this Sid granted whatever the parameters."""
    statements = _role_statements(template)
    index = next(i for i, s in enumerate(statements) if "Fn::If" in s and s["Fn::If"][1].get("Sid") == sid)
    statements[index] = statements[index]["Fn::If"][1]


def _table(template):
    return _props(template, "StoreTable")


def _variables(template):
    return _props(template, "ProcessorFunction")["Environment"]["Variables"]


def _always_stateful(template):
    """Table, secret, variables and permission all unconditional."""
    for name in ("StoreTable", "HashKeySecret"):
        template["Resources"][name].pop("Condition")
    for name in ("StoreTableName", "StoreTableArn"):
        template["Outputs"][name].pop("Condition")
    variables = _variables(template)
    for name in ("CHIMEFLOW_STORE_TABLE", "CHIMEFLOW_HASH_KEY"):
        variables[name] = variables[name]["Fn::If"][1]
    _unconditional(template, "ModerationStateOwnTable")


OTHER_TABLE = {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/other"}


GIVEN_APP_INSTANCE = "arn:${AWS::Partition}:chime:${AWS::Region}:${AWS::AccountId}:app-instance/${AppInstanceId}"


def _given_app_instance_uses(template):
    """Every place the template writes the given AppInstance's ARN."""
    role_resource = _callback_statement(template)["Resource"]
    return [
        role_resource["Fn::Sub"][1]["Instance"],
        _props(template, "ProcessorInvokePermission")["SourceArn"],
        _props(template, "ChannelFlow")["AppInstanceArn"],
    ]


def _set_given_app_instance(template, arn):
    for use in _given_app_instance_uses(template):
        use["Fn::If"][2] = {"Fn::Sub": arn}


def _arn_parameter_instead(template):
    """The template as it was: one AppInstanceArn parameter, which no rule
    can split into region and account."""
    parameters = template["Parameters"]
    for name in ("AppInstanceId", "AppInstanceRegion", "AppInstanceAccountId"):
        parameters.pop(name)
    parameters["AppInstanceArn"] = {
        "Type": "String",
        "Default": "",
        "AllowedPattern": "^$|^arn:aws[a-z-]*:chime:[a-z0-9-]+:[0-9]{12}:app-instance/[-_a-zA-Z0-9]+$",
    }
    template.pop("Rules")
    template["Conditions"]["CreateAppInstance"] = {"Fn::Equals": [{"Ref": "AppInstanceArn"}, ""]}
    for use in _given_app_instance_uses(template):
        use["Fn::If"][2] = {"Ref": "AppInstanceArn"}
    template["Outputs"]["AppInstanceArn"]["Value"]["Fn::If"][2] = {"Ref": "AppInstanceArn"}


def _assertions(template, rule):
    return template["Rules"][rule]["Assertions"]


def _failure_pattern(template):
    return _props(template, "InvocationFailureRule")["EventPattern"]


def _queue_statement(template):
    return _props(template, "FailedEventsQueuePolicy")["PolicyDocument"]["Statement"][0]


MUTATIONS = [
    ("no SourceArn", lambda t: _props(t, "ProcessorInvokePermission").pop("SourceArn"), "SourceArn"),
    ("no SourceAccount", lambda t: _props(t, "ProcessorInvokePermission").pop("SourceAccount"), "SourceAccount"),
    ("old principal", lambda t: _props(t, "ProcessorInvokePermission").update(Principal="chime.amazonaws.com"), "Principal"),
    ("misspelt principal", lambda t: _props(t, "ProcessorInvokePermission").update(Principal="messaging.chime.amazonaws.com "), "Principal"),
    ("any app instance", lambda t: _props(t, "ProcessorInvokePermission").update(
        SourceArn={"Fn::Sub": "arn:aws:chime:${AWS::Region}:${AWS::AccountId}:app-instance/*"}), "SourceArn"),
    ("chime:*", lambda t: _callback_statement(t).update(Action="chime:*"), "wildcard action 'chime:*'"),
    ("*", lambda t: _role_statements(t).append({"Effect": "Allow", "Action": "*", "Resource": {"Fn::GetAtt": ["FailedEventsQueue", "Arn"]}}), "wildcard action '*'"),
    ("chime:Channel*", lambda t: _callback_statement(t).update(Action=["chime:Channel*"]), "wildcard action"),
    ("an action it does not need", lambda t: _callback_statement(t).update(Action=["chime:ChannelFlowCallback", "chime:DeleteChannel"]), "chime:DeleteChannel"),
    ("callback on every resource", lambda t: _callback_statement(t).update(Resource="*"), "Resource '*'"),
    ("callback on every app instance", lambda t: _callback_statement(t).update(
        Resource={"Fn::Sub": "arn:aws:chime:${AWS::Region}:${AWS::AccountId}:app-instance/*"}), "not the app instance's channels"),
    ("callback on the app instance, not its channels", lambda t: _callback_statement(t).update(
        Resource={"Fn::If": ["CreateAppInstance", {"Fn::GetAtt": ["AppInstance", "AppInstanceArn"]}, {"Fn::Sub": GIVEN_APP_INSTANCE}]}),
        "not the app instance's channels"),
    ("an unconstrained AppInstanceId parameter", lambda t: t["Parameters"]["AppInstanceId"].pop("AllowedPattern"), "not the app instance"),
    ("an AppInstanceId that takes paths", lambda t: t["Parameters"]["AppInstanceId"].update(AllowedPattern="^$|^[-_/a-zA-Z0-9]+$"), "not the app instance"),
    ("an existing AppInstance in a fixed region", lambda t: _set_given_app_instance(
        t, "arn:${AWS::Partition}:chime:us-west-2:${AWS::AccountId}:app-instance/${AppInstanceId}"), "not the app instance"),
    ("an existing AppInstance given as an ARN", lambda t: _arn_parameter_instead(t), "missing"),
    ("SAM's generated role", lambda t: _props(t, "ProcessorFunction").pop("Role"), "managed policies"),
    ("no destination", lambda t: _props(t, "ProcessorFunction")["EventInvokeConfig"].pop("DestinationConfig"), "OnFailure"),
    ("4-day queue", lambda t: _props(t, "FailedEventsQueue").update(MessageRetentionPeriod=345600), "14 days"),
    ("unencrypted queue", lambda t: _props(t, "FailedEventsQueue").pop("SqsManagedSseEnabled"), "not encrypted"),
    ("no queue alarm", lambda t: t["Resources"].pop("FailedEventsAlarm"), "ApproximateNumberOfMessagesVisible"),
    ("no errors alarm", lambda t: t["Resources"].pop("ProcessorErrorsAlarm"), "Errors"),
    ("no permission", lambda t: t["Resources"].pop("ProcessorInvokePermission") and t["Resources"]["ChannelFlow"].pop("DependsOn"), "no AWS::Lambda::Permission"),
    ("fallback CONTINUE by default", lambda t: t["Parameters"]["FallbackAction"].update(Default="CONTINUE"), "ABORT"),
    ("dry run deployed", lambda t: _props(t, "ProcessorFunction")["Environment"]["Variables"].update(CHIMEFLOW_DRY_RUN="1"), "CHIMEFLOW_DRY_RUN"),
    ("empty endpoint override", lambda t: _props(t, "ProcessorFunction")["Environment"]["Variables"].update(
        AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING=""), "empty string"),
    # The AppInstance outlives the stack.
    ("AppInstance deleted with the stack", lambda t: t["Resources"]["AppInstance"].pop("DeletionPolicy"), "DeletionPolicy"),
    ("AppInstance DeletionPolicy Delete", lambda t: t["Resources"]["AppInstance"].update(DeletionPolicy="Delete"), "DeletionPolicy"),
    ("AppInstance deleted on replacement", lambda t: t["Resources"]["AppInstance"].pop("UpdateReplacePolicy"), "UpdateReplacePolicy"),
    # The Rules section.
    ("no Rules", lambda t: t.pop("Rules"), "another region is not refused"),
    ("no region assertion", lambda t: _assertions(t, "ExistingAppInstanceInThisRegionAndAccount").pop(0), "another region is not refused"),
    ("no account assertion", lambda t: _assertions(t, "ExistingAppInstanceInThisRegionAndAccount").pop(1), "another account is not refused"),
    ("a region assertion that always holds", lambda t: _assertions(t, "ExistingAppInstanceInThisRegionAndAccount")[0].update(
        Assert={"Fn::Equals": [{"Ref": "AWS::Region"}, {"Ref": "AWS::Region"}]}), "another region is not refused"),
    ("a rule that fires when the stack creates the AppInstance", lambda t: t["Rules"]["ExistingAppInstanceInThisRegionAndAccount"].pop("RuleCondition"),
        "the defaults (a new AppInstance) is refused"),
    ("Fn::Split in a rule", lambda t: _assertions(t, "ExistingAppInstanceInThisRegionAndAccount")[0].update(
        Assert={"Fn::Equals": [{"Fn::Select": [3, {"Fn::Split": [":", {"Ref": "AppInstanceId"}]}]}, {"Ref": "AWS::Region"}]}),
        "Fn::Select is not a rule function"),
    ("a region without an ID creates an AppInstance", lambda t: t["Rules"].pop("AppInstanceLocationOnlyWithId"), "region without its ID is not refused"),
    ("an AppInstanceRegion pattern that refuses regions", lambda t: t["Parameters"]["AppInstanceRegion"].update(AllowedPattern="^$"), "AllowedPattern refuses"),
    # Chime's invocation failures: rule, target, queue policy, alarm.
    ("no invocation failure rule", lambda t: [t["Resources"].pop(n) for n in ("InvocationFailureRule", "FailedEventsQueuePolicy", "InvocationFailureAlarm")],
        INVOCATION_FAILURE),
    ("a rule on another detail-type", lambda t: _failure_pattern(t).update({"detail-type": ["Chime ChannelFlow Status"]}), INVOCATION_FAILURE),
    ("a rule on another source", lambda t: _failure_pattern(t).update(source=["aws.lambda"]), INVOCATION_FAILURE),
    ("a rule on another event type", lambda t: _failure_pattern(t)["detail"].update(eventType=["ProcessorInvocationSuccess"]), INVOCATION_FAILURE),
    ("a rule for another function", lambda t: _failure_pattern(t)["detail"].update(
        processorResourceArn=["arn:aws:lambda:us-east-1:111122223333:function:other"]), INVOCATION_FAILURE),
    ("a disabled rule", lambda t: _props(t, "InvocationFailureRule").update(State="DISABLED"), INVOCATION_FAILURE),
    ("a rule without target", lambda t: _props(t, "InvocationFailureRule").update(Targets=[]), "no SQS queue or SNS topic target"),
    ("a target with a role", lambda t: _props(t, "InvocationFailureRule")["Targets"][0].update(
        RoleArn={"Fn::GetAtt": ["ProcessorRole", "Arn"]}), "RoleArn"),
    ("no queue policy", lambda t: t["Resources"].pop("FailedEventsQueuePolicy"), "no SQS queue or SNS topic target"),
    ("a queue policy for any rule", lambda t: _queue_statement(t).pop("Condition"), "without an aws:SourceArn condition"),
    ("a queue policy for another rule", lambda t: _queue_statement(t).update(
        Condition={"ArnEquals": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/other"}}}),
        "no SQS queue or SNS topic target"),
    ("a queue policy to everyone", lambda t: _queue_statement(t).update(Principal="*"), "Principal '*'"),
    ("a queue policy granting sqs:*", lambda t: _queue_statement(t).update(Action="sqs:*"), "wildcard action"),
    ("a queue policy granting more", lambda t: _queue_statement(t).update(Action=["sqs:SendMessage", "sqs:ReceiveMessage"]), "expected only sqs:SendMessage"),
    ("no invocation failure alarm", lambda t: t["Resources"].pop("InvocationFailureAlarm"), "TriggeredRules"),
    ("an alarm on the wrong metric", lambda t: _props(t, "InvocationFailureAlarm").update(MetricName="Invocations"), "TriggeredRules"),
    ("an alarm that needs ten events", lambda t: _props(t, "InvocationFailureAlarm").update(Threshold=10), "TriggeredRules"),
    # StatefulRules: the table's permission, exactly two actions on exactly it.
    ("DynamoDB: one more action", lambda t: _store_statement(t).update(
        Action=["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Scan"]), "expected exactly"),
    ("DynamoDB: PutItem instead of UpdateItem", lambda t: _store_statement(t).update(
        Action=["dynamodb:GetItem", "dynamodb:PutItem"]), "expected exactly"),
    ("DynamoDB: dynamodb:*", lambda t: _store_statement(t).update(Action="dynamodb:*"), "wildcard action 'dynamodb:*'"),
    ("DynamoDB: dynamodb:*Item", lambda t: _store_statement(t).update(Action=["dynamodb:*Item"]), "wildcard action"),
    ("DynamoDB: on every resource", lambda t: _store_statement(t).update(Resource="*"), "Resource '*'"),
    ("DynamoDB: on another table", lambda t: _store_statement(t).update(Resource=OTHER_TABLE), "not the store table's ARN"),
    ("DynamoDB: on every table", lambda t: _store_statement(t).update(
        Resource={"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"}), "not the store table's ARN"),
    ("DynamoDB: on the table and another", lambda t: _store_statement(t).update(
        Resource=[{"Fn::GetAtt": ["StoreTable", "Arn"]}, OTHER_TABLE]), "not the store table's ARN"),
    ("DynamoDB: on the table's indexes too", lambda t: _store_statement(t).update(
        Resource=[{"Fn::GetAtt": ["StoreTable", "Arn"]}, {"Fn::Sub": "${StoreTable.Arn}/index/*"}]), "not the store table's ARN"),
    ("DynamoDB: in a second statement on another table", lambda t: _role_statements(t).append(
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": OTHER_TABLE}), "not the store table's ARN"),
    ("DynamoDB: no permission with StatefulRules", lambda t: _role_statements(t).remove(
        {"Fn::If": _conditional_statement(t, "ModerationStateOwnTable")}), "on the store table"),
    # StatefulRules false: nothing of it.
    ("DynamoDB permission with StatefulRules false", lambda t: _unconditional(t, "ModerationStateOwnTable"),
        "with StatefulRules false"),
    ("DynamoDB permission on a table named by hand, StatefulRules false", lambda t: _role_statements(t).append(
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"], "Resource": OTHER_TABLE}),
        "dynamodb:GetItem with StatefulRules false"),
    ("table, secret and permission whatever StatefulRules", _always_stateful, "StoreTable exists with StatefulRules false"),
    ("a statement under a condition of its own", lambda t: _role_statements(t).append(
        {"Fn::If": ["HasAlarmTopic", {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": OTHER_TABLE},
                    {"Ref": "AWS::NoValue"}]}), "a statement the checks cannot read"),
    ("CHIMEFLOW_STORE_TABLE with StatefulRules false", lambda t: _variables(t).update(CHIMEFLOW_STORE_TABLE="chimeflow-state"),
        "CHIMEFLOW_STORE_TABLE set with StatefulRules false"),
    ("StatefulRules on by default", lambda t: t["Parameters"]["StatefulRules"].update(Default="true"), "Parameters/StatefulRules"),
    # StatefulRules true: the table and the key.
    ("a table without TTL", lambda t: _table(t).pop("TimeToLiveSpecification"), "no TTL on 'expires'"),
    ("a table with TTL off", lambda t: _table(t)["TimeToLiveSpecification"].update(Enabled=False), "no TTL on 'expires'"),
    ("a TTL on another attribute", lambda t: _table(t)["TimeToLiveSpecification"].update(AttributeName="ttl"), "no TTL on 'expires'"),
    ("a table without PITR", lambda t: _table(t).pop("PointInTimeRecoverySpecification"), "point-in-time recovery"),
    ("a table with PITR off", lambda t: _table(t)["PointInTimeRecoverySpecification"].update(PointInTimeRecoveryEnabled=False),
        "point-in-time recovery"),
    ("a table without SSESpecification", lambda t: _table(t).pop("SSESpecification"), "not encrypted with KMS"),
    ("a table with SSE off", lambda t: _table(t)["SSESpecification"].update(SSEEnabled=False), "not encrypted with KMS"),
    ("a table with a customer managed key", lambda t: _table(t)["SSESpecification"].update(
        SSEType="KMS", KMSMasterKeyId="alias/chimeflow"), "customer managed key"),
    ("a provisioned table", lambda t: _table(t).update(
        BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}), "PAY_PER_REQUEST"),
    ("a table with a sort key", lambda t: _table(t).update(
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]),
        "no sort key"),
    ("the HMAC key written in the template", lambda t: _variables(t).update(
        CHIMEFLOW_HASH_KEY={"Fn::If": ["StatefulRulesEnabled", "0123456789abcdef", {"Ref": "AWS::NoValue"}]}),
        "not a secretsmanager dynamic reference"),
    ("the HMAC key from a secret outside the template", lambda t: _variables(t).update(
        CHIMEFLOW_HASH_KEY={"Fn::If": ["StatefulRulesEnabled", "{{resolve:secretsmanager:somebody-elses:SecretString}}",
                                       {"Ref": "AWS::NoValue"}]}), "not a secretsmanager dynamic reference"),
    ("CHIMEFLOW_STORE_TABLE not the table", lambda t: _variables(t).update(
        CHIMEFLOW_STORE_TABLE={"Fn::If": ["StatefulRulesEnabled", "other", {"Ref": "AWS::NoValue"}]}), "not the template's table"),
    # ChannelBans.
    ("CreateChannelBan on every resource", lambda t: _ban_statement(t).update(Resource="*"), "Resource '*'"),
    ("CreateChannelBan on every app instance", lambda t: _ban_statement(t).update(
        Resource={"Fn::Sub": "arn:${AWS::Partition}:chime:${AWS::Region}:${AWS::AccountId}:app-instance/*"}),
        "not the app instance's channels, users or bots"),
    ("CreateChannelBan on the app instance itself", lambda t: _ban_statement(t).update(
        Resource={"Fn::If": ["CreateAppInstance", {"Fn::GetAtt": ["AppInstance", "AppInstanceArn"]}, {"Fn::Sub": GIVEN_APP_INSTANCE}]}),
        "not the app instance's channels, users or bots"),
    ("CreateChannelBan beside other chime actions", lambda t: _ban_statement(t).update(
        Action=["chime:CreateChannelBan", "chime:DeleteChannelBan"]), "shares a statement"),
    ("chime:*ChannelBan", lambda t: _ban_statement(t).update(Action="chime:*ChannelBan"), "wildcard action"),
    ("CreateChannelBan with ChannelBans false", lambda t: _conditional_statement(t, "BanInChannelsOfThisAppInstance").__setitem__(
        0, "StatefulRulesEnabled"), "chime:CreateChannelBan with ChannelBans false"),
    ("CreateChannelBan whatever the parameters", lambda t: _unconditional(t, "BanInChannelsOfThisAppInstance"),
        "chime:CreateChannelBan with ChannelBans false"),
    ("ChannelBans allowed without StatefulRules", lambda t: t["Rules"].pop("ChannelBansOnlyWithStatefulRules"),
        "ChannelBans without StatefulRules is not refused"),
    ("ChannelBans on by default", lambda t: t["Parameters"]["ChannelBans"].update(Default="true"), "Parameters/ChannelBans"),
    # ComprehendRules: the three detect calls, on "*", only when asked for.
    ("Comprehend: comprehend:*", lambda t: _comprehend_statement(t).update(Action="comprehend:*"),
        "wildcard action 'comprehend:*'"),
    ("Comprehend: comprehend:Detect*", lambda t: _comprehend_statement(t).update(Action=["comprehend:Detect*"]),
        "wildcard action"),
    ("Comprehend: an asynchronous job too", lambda t: _comprehend_statement(t).update(
        Action=COMPREHEND_ACTIONS + ["comprehend:StartPiiEntitiesDetectionJob"]), "expected exactly"),
    ("Comprehend: DetectEntities too", lambda t: _comprehend_statement(t).update(
        Action=COMPREHEND_ACTIONS + ["comprehend:DetectEntities"]), "expected exactly"),
    ("Comprehend: ContainsPiiEntities instead of DetectPiiEntities", lambda t: _comprehend_statement(t).update(
        Action=["comprehend:DetectToxicContent", "comprehend:ContainsPiiEntities", "comprehend:DetectDominantLanguage"]),
        "expected exactly"),
    ("Comprehend: another service's action on '*' beside them", lambda t: _comprehend_statement(t).update(
        Action=COMPREHEND_ACTIONS + ["sqs:SendMessage"]), "Allow on Resource '*'"),
    ("Comprehend: another action in a second statement", lambda t: _role_statements(t).append(
        {"Effect": "Allow", "Action": "comprehend:DetectSentiment", "Resource": "*"}), "comprehend:DetectSentiment"),
    ("Comprehend: on an ARN, which allows nothing", lambda t: _comprehend_statement(t).update(
        Resource={"Fn::Sub": "arn:${AWS::Partition}:comprehend:${AWS::Region}:${AWS::AccountId}:document-classifier-endpoint/x"}),
        "expected Resource '*'"),
    ("Comprehend: no permission with ComprehendRules", lambda t: _role_statements(t).remove(
        {"Fn::If": _conditional_statement(t, "ComprehendDetectCalls")}), "no comprehend: permission"),
    ("Comprehend permission with ComprehendRules false", lambda t: _unconditional(t, "ComprehendDetectCalls"),
        "with ComprehendRules false"),
    ("Comprehend permission under the StatefulRules condition", lambda t: _conditional_statement(
        t, "ComprehendDetectCalls").__setitem__(0, "StatefulRulesEnabled"), "with ComprehendRules false"),
    ("ComprehendRules on by default", lambda t: t["Parameters"]["ComprehendRules"].update(Default="true"),
        "Parameters/ComprehendRules"),
    ("empty Comprehend endpoint override", lambda t: _variables(t).update(AWS_ENDPOINT_URL_COMPREHEND=""), "empty string"),
    # ModerationEvents: PutEvents on the one bus, the variable, the review rule.
    ("Events: events:*", lambda t: _events_statement(t).update(Action="events:*"), "wildcard action 'events:*'"),
    ("Events: PutRule too", lambda t: _events_statement(t).update(Action=["events:PutEvents", "events:PutRule"]),
        "expected exactly"),
    ("Events: on every resource", lambda t: _events_statement(t).update(Resource="*"), "Resource '*'"),
    ("Events: on every bus", lambda t: _events_statement(t).update(Resource=EVERY_BUS), "not the default-bus"),
    ("Events: on the default bus with custom-bus", lambda t: _events_statement(t).update(Resource=DEFAULT_BUS),
        "not the custom-bus"),
    ("Events: on the bus and another", lambda t: _events_statement(t).update(
        Resource=[DEFAULT_BUS, {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/other"}]),
        "not the default-bus"),
    ("Events: no permission with ModerationEvents", lambda t: _role_statements(t).remove(
        {"Fn::If": _conditional_statement(t, "ModerationEventsOnTheBus")}), "no events:PutEvents permission"),
    ("Events: permission with ModerationEvents none", lambda t: _unconditional(t, "ModerationEventsOnTheBus"),
        "events:PutEvents with ModerationEvents none"),
    ("Events: permission only with the custom bus", lambda t: _conditional_statement(
        t, "ModerationEventsOnTheBus").__setitem__(0, "ModerationEventsCustomBus"),
        "no events:PutEvents permission with ModerationEvents default-bus"),
    ("Events: CHIMEFLOW_EVENT_BUS whatever the parameter", lambda t: _variables(t).update(CHIMEFLOW_EVENT_BUS="default"),
        "CHIMEFLOW_EVENT_BUS set with ModerationEvents none"),
    ("Events: CHIMEFLOW_EVENT_BUS another bus", lambda t: _variables(t)["CHIMEFLOW_EVENT_BUS"]["Fn::If"].__setitem__(
        1, "other-bus"), "CHIMEFLOW_EVENT_BUS \"other-bus\""),
    ("ModerationEvents on by default", lambda t: t["Parameters"]["ModerationEvents"].update(Default="default-bus"),
        "Parameters/ModerationEvents"),
    ("Events: the custom bus whatever the parameter", lambda t: _always(t, "ModerationEventBus"),
        "AWS::Events::EventBus"),
    ("Events: the review rule whatever the parameter", lambda t: _always(
        t, "ModerationReviewQueue", "ModerationDenyRule", "ModerationReviewQueuePolicy"), "rules on source"),
    ("Events: review rule on another bus", lambda t: _props(t, "ModerationDenyRule").update(EventBusName="default"),
        "would never match"),
    ("Events: review rule on UPDATE", lambda t: _review_pattern(t)["detail"].update(Outcome=["UPDATE"]),
        "no enabled rule forwarding"),
    ("Events: review rule on another source", lambda t: _review_pattern(t).update(source=["acme"]),
        "no enabled rule forwarding"),
    ("Events: review rule disabled", lambda t: _props(t, "ModerationDenyRule").update(State="DISABLED"),
        "no enabled rule forwarding"),
    ("Events: review queue unencrypted", lambda t: _props(t, "ModerationReviewQueue").pop("SqsManagedSseEnabled"),
        "not encrypted"),
    ("Events: review queue policy for any rule", lambda t: _review_queue_statement(t).pop("Condition"),
        "without an aws:SourceArn condition"),
    ("Events: review queue policy for another rule", lambda t: _review_queue_statement(t).update(
        Condition={"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["InvocationFailureRule", "Arn"]}}}),
        "no enabled rule forwarding"),
    ("Events: review queue policy granting more", lambda t: _review_queue_statement(t).update(
        Action=["sqs:SendMessage", "sqs:ReceiveMessage"]), "expected only sqs:SendMessage"),
    ("empty EventBridge endpoint override", lambda t: _variables(t).update(AWS_ENDPOINT_URL_EVENTBRIDGE=""), "empty string"),
]


def self_test(path):
    original = load_template(path)
    problems = check(original)
    if problems:
        print(f"FAIL: {path} itself has problems:", *problems, sep="\n  ")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory() as directory:
        for name, mutate, expected in MUTATIONS:
            broken = copy.deepcopy(original)
            mutate(broken)
            # Through a file, as a broken template would arrive.
            broken_path = os.path.join(directory, "broken.json")
            with open(broken_path, "w", encoding="utf-8") as out:
                json.dump(broken, out)
            try:
                problems = check_file(broken_path)
            except Exception as error:  # the transform refusing it also catches it
                problems = [f"{type(error).__name__}: {error}"]
            caught = [p for p in problems if expected in p]
            if caught:
                print(f"ok: {name}: {caught[0]}")
            else:
                failures += 1
                print(f"NOT CAUGHT: {name} (expected {expected!r}; got {problems})")
    print(f"self-test: {len(MUTATIONS) - failures}/{len(MUTATIONS)} broken templates caught")
    return 1 if failures else 0


def main(argv):
    args = [a for a in argv if a != "--self-test"]
    path = args[0] if args else "template.yaml"
    if "--self-test" in argv:
        return self_test(path)
    problems = check_file(path)
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(f"{path}: security properties hold")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

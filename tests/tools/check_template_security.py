#!/usr/bin/env python3
"""Checks the security properties of template.yaml from the template itself.

Linters treat Action, Principal and Resource strings as free text, so this
reads the template as CloudFormation will see it (expanded by the SAM
transform, see expand_sam.py) and asserts:

- the Lambda permission: principal exactly messaging.chime.amazonaws.com,
  action lambda:InvokeFunction, SourceAccount the stack's account, SourceArn
  the app instance (no confused deputy);
- no wildcard action ("*", "chime:*", any "*" in an action, NotAction) in any
  policy, and no Allow on Resource "*";
- the processor's role: no opaque managed policies, only the actions the
  processor needs, and chime:ChannelFlowCallback only on
  "<the app instance ARN>/channel/*";
- asynchronous invocation: retries bounded, an OnFailure destination that is
  an SQS queue keeping messages 14 days, encrypted, with an alarm on it and
  one on the function's errors;
- the channel flow: the processor invoked ASYNC, FallbackAction a parameter
  defaulting to ABORT;
- the environment: dry run not on by default, no empty endpoint override.

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

from expand_sam import expand, load_template  # noqa: E402

PRINCIPAL = "messaging.chime.amazonaws.com"
ONE_FOURTEEN_DAYS = 1209600
PROCESSOR_ACTIONS = {
    "chime:ChannelFlowCallback",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "sqs:SendMessage",
}
APP_INSTANCE_ARN = re.compile(r"^arn:aws[a-z-]*:chime:[a-z0-9-]+:[0-9]{12}:app-instance/[-_a-zA-Z0-9]+$")
APP_INSTANCE = "<app-instance>"
SAMPLE_APP_INSTANCE = "arn:aws:chime:us-east-1:111122223333:app-instance/8e5a3c1b-7f2d-4b6a-9c0e-1d2f3a4b5c6d"
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


def check_policies(template, findings):
    for where, document in policy_documents(template):
        for statement in as_list(document.get("Statement", [])):
            findings.check("NotAction" not in statement, f"{where}: NotAction grants everything else")
            findings.check("NotResource" not in statement, f"{where}: NotResource")
            for action in as_list(statement.get("Action", [])):
                findings.check(
                    isinstance(action, str) and "*" not in action,
                    f"{where}: wildcard action {action!r}",
                )
            if statement.get("Effect") == "Allow":
                for resource in as_list(statement.get("Resource", [])):
                    findings.check(resource != "*", f"{where}: Allow on Resource '*'")


def check_function(template, findings, function_name, function):
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
    callback_statements = 0
    for policy in role_properties.get("Policies", []):
        for statement in as_list(policy.get("PolicyDocument", {}).get("Statement", [])):
            if statement.get("Effect") != "Allow":
                continue
            actions = as_list(statement.get("Action", []))
            for action in actions:
                findings.check(
                    action in PROCESSOR_ACTIONS,
                    f"{role_name}: action {action!r} is not one the processor needs",
                )
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

    variables = properties.get("Environment", {}).get("Variables", {})
    dry_run = variables.get("CHIMEFLOW_DRY_RUN", "")
    findings.check(
        dry_run in ("", "0", "false", "no"),
        f"{function_name}: CHIMEFLOW_DRY_RUN={dry_run!r}: a deployed processor would never call back",
    )
    for name in ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", "AWS_ENDPOINT_URL"):
        findings.check(
            variables.get(name, None) != "",
            f"{function_name}: {name} is set to an empty string (the SDK takes it as an endpoint)",
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


def check(sam_template):
    """The problems found in a SAM template (a dict), after expansion."""
    findings = Findings()
    template = expand(sam_template)
    functions = resources_of(template, "AWS::Lambda::Function")
    findings.check(functions, "no Lambda function")
    check_policies(template, findings)
    for function_name, function in functions.items():
        check_function(template, findings, function_name, function)
        check_permission(template, findings, function_name)
        check_async(template, findings, function_name)
        check_flow(template, findings, function_name)
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
    return next(s for s in _role_statements(template) if s["Action"] == "chime:ChannelFlowCallback")


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
        Resource={"Fn::If": ["CreateAppInstance", {"Fn::GetAtt": ["AppInstance", "AppInstanceArn"]}, {"Ref": "AppInstanceArn"}]}), "not the app instance's channels"),
    ("an unconstrained AppInstanceArn parameter", lambda t: t["Parameters"]["AppInstanceArn"].pop("AllowedPattern"), "not the app instance"),
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

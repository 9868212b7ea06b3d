#!/usr/bin/env python3
"""Validate DynamoDB requests against botocore's service model.

Reads JSON Lines from stdin: each line one request as captured on the wire
(`{"Target": "DynamoDB_20120810.UpdateItem", "Body": {...}}`). For each it
checks the operation exists in `dynamodb` 2012-08-10 and that botocore's
ParamValidator accepts the body (required members, types, unknown members,
lengths), and, for UpdateItem, that every #name and :value placeholder the
expression uses is defined and every one defined is used (DynamoDB refuses
both). Prints "ok" or the problems per line; exits 1 if any failed. Never
prints attribute values.
"""
import json
import re
import sys

import botocore.session
from botocore.validate import ParamValidator


def placeholders(body):
    problems = []
    text = " ".join(
        body.get(key, "")
        for key in ("UpdateExpression", "ConditionExpression", "ProjectionExpression")
    )
    used_names = set(re.findall(r"#[A-Za-z0-9_]+", text))
    used_values = set(re.findall(r":[A-Za-z0-9_]+", text))
    names = set(body.get("ExpressionAttributeNames", {}))
    values = set(body.get("ExpressionAttributeValues", {}))
    if used_names - names:
        problems.append(f"undefined names {sorted(used_names - names)}")
    if names - used_names:
        problems.append(f"unused names {sorted(names - used_names)}")
    if used_values - values:
        problems.append(f"undefined values {sorted(used_values - values)}")
    if values - used_values:
        problems.append(f"unused values {sorted(values - used_values)}")
    return problems


def main():
    model = botocore.session.get_session().get_service_model("dynamodb")
    failed = False
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        operation_name = request["Target"].split(".", 1)[1]
        problems = []
        try:
            operation = model.operation_model(operation_name)
        except Exception:
            problems.append(f"unknown operation {operation_name}")
        else:
            report = ParamValidator().validate(request["Body"], operation.input_shape)
            if report.has_errors():
                problems.append(report.generate_report())
            problems += placeholders(request["Body"])
        if problems:
            failed = True
            print(f"{operation_name}: " + "; ".join(problems))
        else:
            print(f"{operation_name}: ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

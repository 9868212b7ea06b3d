#!/usr/bin/env python3
"""Validate ChannelFlowCallback requests against botocore's service model.

Reads JSON Lines from stdin: each line a request as chimeflow writes it
(`{"ChannelArn", "CallbackId", "DeleteResource", "ChannelMessage": {...}}`),
or a `chimeflow process` outcome line (its "Callback" is taken).

For each request it checks, against `chime-sdk-messaging` 2021-05-15:
  * botocore's own ParamValidator (required members, types, unknown members, min);
  * what ParamValidator leaves out: max lengths, patterns (full match) and enums;
  * that botocore's rest-json serializer builds the request, with the path
    /channels/{ChannelArn}?operation=channel-flow-callback, and a body equal to the
    request without ChannelArn (so chimeflow's wire body is exactly the model's).

Prints one line per request ("ok" or the problems) and exits 1 if any failed.
Never prints message content.
"""
import json
import re
import sys

import botocore.session
from botocore.validate import ParamValidator
from botocore import serialize


def model_problems(shape, value, path):
    problems = []
    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            if name in value:
                problems += model_problems(member, value[name], f"{path}.{name}" if path else name)
    elif kind == "map":
        for key, item in value.items():
            problems += model_problems(shape.key, key, f"{path}(key)")
            problems += model_problems(shape.value, item, f"{path}[]")
    elif kind == "list":
        for item in value:
            problems += model_problems(shape.member, item, f"{path}[]")
    elif kind == "string":
        meta = shape.metadata
        length = len(value)
        if "max" in meta and length > meta["max"]:
            problems.append(f"{path}: longer than {meta['max']} ({length})")
        if "min" in meta and length < meta["min"]:
            problems.append(f"{path}: shorter than {meta['min']} ({length})")
        if "pattern" in meta and re.fullmatch(meta["pattern"], value, re.DOTALL if "\\s\\S" in meta["pattern"] else 0) is None:
            problems.append(f"{path}: does not match {meta['pattern']}")
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: not one of {shape.enum}")
    return problems


def main():
    session = botocore.session.get_session()
    model = session.get_service_model("chime-sdk-messaging")
    operation = model.operation_model("ChannelFlowCallback")
    serializer = serialize.create_serializer(model.metadata["protocol"], include_validation=False)
    failed = 0
    count = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        document = json.loads(line)
        if "Error" in document:
            continue
        request = document.get("Callback", document)
        count += 1
        problems = []
        report = ParamValidator().validate(request, operation.input_shape)
        if report.has_errors():
            problems.append("botocore: " + report.generate_report().replace("\n", "; "))
        problems += model_problems(operation.input_shape, request, "")
        if not problems:
            built = serializer.serialize_to_request(request, operation)
            expected_path = "/channels/" + request["ChannelArn"]
            if built["url_path"].split("?")[0].replace("%3A", ":").replace("%2F", "/") != expected_path:
                problems.append("path differs from the model's")
            if built["query_string"] != {"operation": "channel-flow-callback"} and "operation=channel-flow-callback" not in built["url_path"]:
                problems.append("query differs from the model's")
            wire = json.loads(built["body"] or b"{}")
            ours = {k: v for k, v in request.items() if k != "ChannelArn"}
            if wire != ours:
                problems.append("body differs from what botocore serialises")
        if problems:
            failed += 1
            print(f"line {number}: " + " | ".join(problems))
        else:
            print(f"line {number}: ok")
    print(f"{count - failed} passed, {failed} failed")
    sys.exit(1 if failed or count == 0 else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Validate JSON-protocol AWS requests against botocore's service model.

Usage: botocore_validate_json.py SERVICE    (SERVICE: dynamodb, comprehend, events)

Reads JSON Lines from stdin: each line one request as captured on the wire,
`{"Target": "<targetPrefix>.<Operation>", "Body": {...}}` (the Target is the
request's X-Amz-Target header). For each it checks, against botocore's model
of SERVICE:
  * that the Target's prefix is the model's targetPrefix and the operation
    exists;
  * botocore's own ParamValidator (required members, types, unknown members,
    minimum lengths and values);
  * what ParamValidator leaves out: maximum string lengths, list and map
    minimum and maximum sizes, patterns (full match) and enums. Lengths are
    counted as the model counts them (Smithy's @length on a string counts
    Unicode code points, which is Python's len()), never in UTF-8 bytes.

Per service, beyond the model:
  * dynamodb: every #name and :value placeholder that an expression uses is
    defined, and every one defined is used (DynamoDB refuses both).
  * comprehend: the limits that AWS documents for the real-time operations
    but that the model does not express (its TextSegments has no maximum
    size, and no Text has a maximum length): see COMPREHEND_LIMITS below.

Prints one line per request, "<Operation>: ok" or its problems, then
"N passed, N failed"; exits 1 if any failed or none was read. Never prints a
string value of a request (message content): member names, sizes and
problems only.
"""
import json
import re
import sys

import botocore.session
from botocore.validate import ParamValidator


def botocore_problems(body, input_shape):
    """ParamValidator's findings, worded without the values it would print."""
    report = ParamValidator().validate(body, input_shape)
    problems = []
    for error_type, name, extra in report._errors:
        name = name.lstrip(".") or "input"
        if error_type == "missing required field":
            problems.append(f"{name}: missing required member {extra['required_name']}")
        elif error_type == "unknown field":
            problems.append(f"{name}: unknown member {extra['unknown_param']}")
        elif error_type in ("invalid type", "invalid type for document"):
            problems.append(
                f"{name}: a {type(extra['param']).__name__}, not one of "
                f"{', '.join(extra['valid_types'])}"
            )
        elif error_type == "invalid range":
            problems.append(f"{name}: less than the minimum {extra['min_allowed']}")
        elif error_type == "invalid length":
            # ParamValidator passes the length, not the value, here.
            problems.append(
                f"{name}: length {extra['param']} is under the minimum {extra['min_allowed']}"
            )
        else:
            problems.append(f"{name}: {error_type}")
    return problems


def model_problems(shape, value, path):
    """Model constraints that ParamValidator does not check."""
    problems = []
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                problems += model_problems(member, value[name], f"{path}.{name}" if path else name)
    elif kind == "map" and isinstance(value, dict):
        problems += size_problems(meta, len(value), path, "entries")
        for key, item in value.items():
            problems += model_problems(shape.key, key, f"{path}(key)")
            problems += model_problems(shape.value, item, f"{path}[]")
    elif kind == "list" and isinstance(value, list):
        problems += size_problems(meta, len(value), path, "items")
        for item in value:
            problems += model_problems(shape.member, item, f"{path}[]")
    elif kind == "string" and isinstance(value, str):
        length = len(value)
        if "max" in meta and length > meta["max"]:
            problems.append(f"{path}: {length} characters, more than the model's {meta['max']}")
        pattern = meta.get("pattern")
        if pattern is not None:
            flags = re.DOTALL if "\\s\\S" in pattern else 0
            if re.fullmatch(pattern, value, flags) is None:
                problems.append(f"{path}: does not match {pattern}")
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: not one of {shape.enum}")
    elif kind in ("integer", "long") and isinstance(value, int):
        if "max" in meta and value > meta["max"]:
            problems.append(f"{path}: more than the model's maximum {meta['max']}")
    return problems


def size_problems(meta, size, path, what):
    problems = []
    if "min" in meta and size < meta["min"]:
        problems.append(f"{path}: {size} {what}, fewer than the model's {meta['min']}")
    if "max" in meta and size > meta["max"]:
        problems.append(f"{path}: {size} {what}, more than the model's {meta['max']}")
    return problems


def dynamodb_placeholders(operation_name, body):
    problems = []
    text = " ".join(
        body.get(key, "")
        for key in (
            "UpdateExpression",
            "ConditionExpression",
            "ProjectionExpression",
            "KeyConditionExpression",
            "FilterExpression",
        )
        if isinstance(body.get(key, ""), str)
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


# Limits AWS documents for Comprehend's real-time operations that botocore's
# model does not carry (it gives TextSegments no maximum size and Text no
# maximum length). From the Comprehend API Reference
# (https://docs.aws.amazon.com/comprehend/latest/APIReference/):
#   DetectToxicContent: "A list of up to 10 text strings. Each string has a
#     maximum size of 1 KB, and the maximum size of the list is 10 KB";
#     "Currently, English is the only supported language" (Valid Values: en).
#   DetectPiiEntities: "A UTF-8 text string. The maximum string size is
#     100 KB"; "English (en) or Spanish (es)".
#   DetectDominantLanguage: "A UTF-8 text string. The string must contain at
#     least 20 characters. The maximum string size is 100 KB."
# Sizes are of the UTF-8 encoding. AWS does not say whether a KB is 1,000 or
# 1,024 bytes: the stricter 1,000 is taken, so that a request that passes
# here fits either reading.
KB = 1000
COMPREHEND_LIMITS = {
    "DetectToxicContent": {"segments": 10, "segment_bytes": KB, "total_bytes": 10 * KB, "languages": ["en"]},
    "DetectPiiEntities": {"text_bytes": 100 * KB, "languages": ["en", "es"]},
    "DetectDominantLanguage": {"text_bytes": 100 * KB, "min_characters": 20},
}


def utf8_size(text):
    return len(text.encode("utf-8")) if isinstance(text, str) else 0


def comprehend_limits(operation_name, body):
    limits = COMPREHEND_LIMITS.get(operation_name)
    if limits is None:
        return []
    problems = []
    note = "(documented limit, not in the model)"
    segments = body.get("TextSegments")
    if "segments" in limits and isinstance(segments, list):
        if len(segments) > limits["segments"]:
            problems.append(f"TextSegments: {len(segments)} items, more than {limits['segments']} {note}")
        sizes = [utf8_size(s.get("Text")) for s in segments if isinstance(s, dict)]
        for index, size in enumerate(sizes):
            if size > limits["segment_bytes"]:
                problems.append(
                    f"TextSegments[{index}].Text: {size} UTF-8 bytes, more than {limits['segment_bytes']} {note}"
                )
        if sum(sizes) > limits["total_bytes"]:
            problems.append(f"TextSegments: {sum(sizes)} UTF-8 bytes in all, more than {limits['total_bytes']} {note}")
    text = body.get("Text")
    if isinstance(text, str):
        if "text_bytes" in limits and utf8_size(text) > limits["text_bytes"]:
            problems.append(f"Text: {utf8_size(text)} UTF-8 bytes, more than {limits['text_bytes']} {note}")
        if "min_characters" in limits and len(text) < limits["min_characters"]:
            problems.append(f"Text: {len(text)} characters, fewer than {limits['min_characters']} {note}")
    language = body.get("LanguageCode")
    if "languages" in limits and isinstance(language, str) and language not in limits["languages"]:
        problems.append(f"LanguageCode: not one of {limits['languages']} that the operation supports {note}")
    return problems


# PutEvents, from the EventBridge API Reference and User Guide:
#   "The total entry size must be less than 256KB", counted as "the number of
#     bytes for [the] UTF-8 encoded forms" of Source, DetailType, Detail and
#     each Resource, and 14 bytes for a Time
#     (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html);
#   PutEventsRequestEntry: Detail "A valid JSON object"; DetailType a
#     "Free-form string, with a maximum of 128 characters"
#     (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html);
#   an entry without Source, DetailType or Detail is refused in the
#     response (its ErrorCode), and a Source starting "aws." is reserved to
#     AWS services' own events.
# The stricter 1,000-byte KB is taken, as for Comprehend.
PUT_EVENTS_BYTES = 256 * KB


def events_put_events(operation_name, body):
    if operation_name != "PutEvents":
        return []
    problems = []
    note = "(documented, not in the model)"
    total = 0
    entries = body.get("Entries")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        where = f"Entries[{index}]"
        for member in ("Source", "DetailType", "Detail"):
            if not isinstance(entry.get(member), str) or not entry.get(member):
                problems.append(f"{where}: no {member} {note}")
        detail_type = entry.get("DetailType")
        if isinstance(detail_type, str) and len(detail_type) > 128:
            problems.append(f"{where}.DetailType: {len(detail_type)} characters, more than 128 {note}")
        source = entry.get("Source")
        if isinstance(source, str) and source.startswith("aws."):
            problems.append(f"{where}.Source: starts with 'aws.', reserved for AWS services {note}")
        detail = entry.get("Detail")
        if isinstance(detail, str):
            try:
                parsed = json.loads(detail)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                problems.append(f"{where}.Detail: not a JSON object {note}")
        total += 14 if "Time" in entry else 0
        total += sum(utf8_size(entry.get(m)) for m in ("Source", "DetailType", "Detail"))
        total += sum(utf8_size(r) for r in entry.get("Resources", []) or [])
    if total >= PUT_EVENTS_BYTES:
        problems.append(f"Entries: {total} bytes in all, not less than {PUT_EVENTS_BYTES} {note}")
    return problems


EXTRA_CHECKS = {
    "dynamodb": dynamodb_placeholders,
    "comprehend": comprehend_limits,
    "events": events_put_events,
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: botocore_validate_json.py SERVICE")
    service = sys.argv[1]
    model = botocore.session.get_session().get_service_model(service)
    prefix = model.metadata["targetPrefix"]
    extra = EXTRA_CHECKS.get(service, lambda _operation, _body: [])
    failed = 0
    count = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        count += 1
        request = json.loads(line)
        target = request.get("Target") or ""
        target_prefix, _, operation_name = target.partition(".")
        body = request.get("Body")
        problems = []
        if target_prefix != prefix:
            problems.append(f"target prefix {target_prefix!r} is not {prefix!r}")
        try:
            operation = model.operation_model(operation_name)
        except Exception:
            problems.append(f"unknown operation {operation_name!r}")
        else:
            if not isinstance(body, dict):
                problems.append("the body is not a JSON object")
            else:
                problems += botocore_problems(body, operation.input_shape)
                problems += model_problems(operation.input_shape, body, "")
                problems += extra(operation_name, body)
        if problems:
            failed += 1
            print(f"{operation_name}: " + "; ".join(problems))
        else:
            print(f"{operation_name}: ok")
    print(f"{count - failed} passed, {failed} failed")
    sys.exit(1 if failed or count == 0 else 0)


if __name__ == "__main__":
    main()

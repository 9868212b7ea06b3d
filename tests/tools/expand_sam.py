#!/usr/bin/env python3
"""Expands a SAM template into the plain CloudFormation that the
AWS::Serverless-2016-10-31 transform would produce, offline.

cfn-lint lints AWS::Serverless::* resources unexpanded, so a wrong Runtime or
Architectures value, or a bad policy inside `Policies`, passes it. Linting the
output of this script instead checks what CloudFormation will see.

It does what `sam validate` does: aws-sam-translator's
`samtranslator.translator.transform.transform`, with a managed-policy loader
that answers from a fixed table instead of calling IAM, and every local
CodeUri replaced by a placeholder S3 location (the translator accepts no
local paths).

usage: expand_sam.py TEMPLATE [-o OUTPUT.json]   (stdout without -o)
"""

import argparse
import copy
import json
import logging
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

from cfnlint.decode import decode  # noqa: E402  (PyYAML with CloudFormation tags)
from samtranslator.translator.transform import transform  # noqa: E402

# The translator records usage metrics it never publishes offline, and warns
# about that at exit.
logging.getLogger("samtranslator.metrics").setLevel(logging.ERROR)

PLACEHOLDER_CODE_URI = "s3://chimeflow-placeholder-bucket/placeholder.zip"


class StubManagedPolicyLoader:
    """Answers the translator's managed-policy lookups without IAM."""

    POLICIES = {
        name: f"arn:aws:iam::aws:policy/service-role/{name}"
        for name in (
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole",
            "AWSLambdaSQSQueueExecutionRole",
        )
    }
    POLICIES["AWSXrayWriteOnlyAccess"] = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"

    def load(self):
        return dict(self.POLICIES)


def load_template(path):
    """The template as plain dicts and lists (short-form tags expanded)."""
    template, matches = decode(path)
    if matches:
        raise SystemExit("\n".join(str(m) for m in matches))
    return json.loads(json.dumps(template))


def expand(template):
    """The CloudFormation the SAM transform makes of `template`."""
    template = copy.deepcopy(template)
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.setdefault("Properties", {})
        if properties.get("PackageType", "Zip") == "Zip":
            code_uri = properties.get("CodeUri")
            if code_uri is None or isinstance(code_uri, str) and not code_uri.startswith("s3://"):
                properties["CodeUri"] = PLACEHOLDER_CODE_URI
    return transform(template, {}, StubManagedPolicyLoader())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template")
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    expanded = json.dumps(expand(load_template(args.template)), indent=2, sort_keys=False)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(expanded + "\n")
    else:
        sys.stdout.write(expanded + "\n")


if __name__ == "__main__":
    main()

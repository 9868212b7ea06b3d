"""Exit 0 when the vendored service models equal the installed botocore's.

Usage: python compare_model.py MODEL_DIR
Prints the botocore version and, for each model, "same" or what differs.
"""
import json
import os
import sys

import botocore
from botocore.loaders import Loader

MODELS = {
    "chime-sdk-messaging-2021-05-15.json": ("chime-sdk-messaging", "2021-05-15"),
    "chime-sdk-identity-2021-04-20.json": ("chime-sdk-identity", "2021-04-20"),
}


def main():
    folder = sys.argv[1]
    loader = Loader()
    failed = False
    print("botocore", botocore.__version__)
    for file, (service, version) in MODELS.items():
        with open(os.path.join(folder, file), encoding="utf-8") as handle:
            vendored = json.load(handle)
        installed = loader.load_service_model(service, "service-2", version)
        if vendored == installed:
            print(file, "same")
            continue
        failed = True
        ops = set(vendored["operations"]) ^ set(installed["operations"])
        shapes = {
            name
            for name in set(vendored["shapes"]) | set(installed["shapes"])
            if vendored["shapes"].get(name) != installed["shapes"].get(name)
        }
        print(file, "differs: operations", sorted(ops)[:20], "shapes", sorted(shapes)[:20])
        print("  refresh: zcat botocore/data/%s/%s/service-2.json.gz > model/%s" % (service, version, file))
    sys.exit(1 if failed else 0)


main()

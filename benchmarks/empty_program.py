"""The benchmark's floor: import the Pulumi SDK modules a dev render loads, register nothing.

The list comes from benchmarks/sdk_modules.py through $EKS_PLATFORM_SDK_MODULES (a JSON file).
pulumi_aws loads its service packages lazily, so each module is touched to really import it.
"""

import importlib
import json
import os

with open(os.environ["EKS_PLATFORM_SDK_MODULES"]) as listing:
    for name in json.load(listing):
        dir(importlib.import_module(name))

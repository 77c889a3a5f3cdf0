"""Print, as JSON, the Pulumi SDK modules a render of the dev stack loads (for the floor program)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile

SDK_PACKAGES = ("pulumi", "pulumi_aws", "pulumi_eks", "pulumi_kubernetes")


def sdk_modules(stack: str = "dev") -> list[str]:
    from render.__main__ import main

    with tempfile.TemporaryDirectory() as out, contextlib.redirect_stdout(io.StringIO()):
        main(["--stack", stack, "--out", f"{out}/o"])
    # The SDKs register every service package as a lazy stub; count only those really executed.
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.split(".")[0] in SDK_PACKAGES and type(module).__name__ != "_LazyModule"
    )


if __name__ == "__main__":
    print(json.dumps(sdk_modules()))

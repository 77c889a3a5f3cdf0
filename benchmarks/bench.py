"""Benchmark: medians over several runs, each a fresh process as a user would run it.

    (a) render of the dev stack
    (b) the floor: the same runner and render on an empty program that imports the SDK modules
        a dev render loads (listed by benchmarks/sdk_modules.py) and registers nothing
    (c) render of a generated large config (benchmarks/large_config.py)
    (d) the test suite
    (e) `make diff` of dev against HEAD (renders the base in a worktree and the working tree)
    (f) an eksctl import of examples/eksctl/cluster.yaml plus the render of the stack it writes

Targets (on a 2-core machine): a <= 1.5 x b, c <= 3 x a, d < 30 s, e <= 3 x a, f <= 2 x a.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.large_config import large_config

ROOT = Path(__file__).resolve().parent.parent


def once(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def interleaved(commands: dict[str, tuple[list[str], dict | None]], runs: int) -> dict[str, float]:
    """Medians, measuring the commands in turn each round: a slow moment of a shared machine then
    slows every command alike instead of skewing one of them (and the ratios between them)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            samples[name].append(once(command, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--test-runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        large = Path(tmp) / "Pulumi.large.yaml"
        large.write_text(yaml.safe_dump({"config": large_config()}))
        modules = Path(tmp) / "sdk-modules.json"
        listing = subprocess.run(
            [sys.executable, "-m", "benchmarks.sdk_modules"], cwd=ROOT, check=True, capture_output=True, text=True
        )
        modules.write_text(listing.stdout)
        floor_env = {**os.environ, "EKS_PLATFORM_SDK_MODULES": str(modules)}
        render = [sys.executable, "-m", "render", "--out", f"{tmp}/out"]
        empty = str(ROOT / "benchmarks/empty_program.py")
        imported = Path(tmp) / "Pulumi.imported.yaml"
        import_then_render = [
            "sh",
            "-c",
            f"{sys.executable} -m importer examples/eksctl/cluster.yaml --stack imported --dir {tmp} --force"
            f" > /dev/null && {' '.join(render)} --stack imported --config {imported}",
        ]
        medians = interleaved(
            {
                "dev": ([*render, "--stack", "dev"], None),
                "floor": ([*render, "--stack", "dev", "--program", empty], floor_env),
                "large": ([*render, "--stack", "large", "--config", str(large)], None),
                "diff": ([sys.executable, "-m", "review", "--stack", "dev", "--base", "HEAD"], None),
                "import": (import_then_render, None),
            },
            args.runs,
        )
        dev, floor, big = medians["dev"], medians["floor"], medians["large"]
        diff, imports = medians["diff"], medians["import"]
    tests = statistics.median(once([sys.executable, "-m", "pytest", "-q"]) for _ in range(args.test_runs))

    rows = [
        ("render dev", dev, ""),
        ("floor (empty program)", floor, ""),
        ("render large config", big, ""),
        ("make diff dev vs HEAD", diff, ""),
        ("import + render", imports, ""),
        ("test suite", tests, "target < 30 s" + ("  OK" if tests < 30 else "  MISSED")),
    ]
    print(f"median of {args.runs} runs ({args.test_runs} for tests), seconds")
    for name, seconds, note in rows:
        print(f"  {name:<24}{seconds:8.3f}  {note}")
    ratio_floor, ratio_large = dev / floor, big / dev
    print(
        f"  render/floor            {ratio_floor:8.2f}  target <= 1.5" + ("  OK" if ratio_floor <= 1.5 else "  MISSED")
    )
    print(f"  large/dev               {ratio_large:8.2f}  target <= 3" + ("  OK" if ratio_large <= 3 else "  MISSED"))
    for name, ratio, target in (("diff/dev", diff / dev, 3), ("import+render/dev", imports / dev, 2)):
        print(f"  {name:<24}{ratio:8.2f}  target <= {target}" + ("  OK" if ratio <= target else "  MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

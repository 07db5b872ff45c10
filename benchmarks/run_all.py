"""Run every benchmark in this folder, one process each; exit 1 if any missed its aim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    missed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        if result.returncode != 0:
            missed.append(script.name)
    # Every benchmark runs even when one misses its aim, so one run gives every figure.
    if missed:
        print(f"\nMissed an aim or failed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

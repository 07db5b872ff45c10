"""Benchmark: judging long passwords stays quick (the predictable-password check).

    .venv/bin/python benchmarks/bench_passwords.py [--rounds 5]

Times ``PredictablePasswordValidator`` on the worst shapes of a 1,024-character password
(the longest accepted): a two-letter repeat, one long letter, a keyboard row again and
again, a long passphrase repeated. Each one must be refused. Aim: every round of the four
in under 2 seconds (the check reads left to right and looks back at most
``password_rules.MAX_PERIOD`` characters; a quadratic or worse search would miss it).
No database. Exit status 1 when the aim is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AIM_SECONDS = 2.0
LONG_PHRASE = (
    "a hundred characters is long for a password but a passphrase like this one is easy "
    "to remember ok!!!"
)
LONGEST = 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bellwether.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from bellwether.accounts.validators import PredictablePasswordValidator

    validator = PredictablePasswordValidator()
    passwords = [
        p[:LONGEST] for p in ("ab" * 512, "a" * 1023 + "b", "qwertyuiop" * 102, LONG_PHRASE * 10)
    ]
    worst = 0.0
    for _ in range(args.rounds):
        start = time.perf_counter()
        for password in passwords:
            try:
                validator.validate(password)
            except ValidationError:
                continue
            print(f"Not refused: {password[:20]}… ({len(password)} characters)", file=sys.stderr)
            return 1
        worst = max(worst, time.perf_counter() - start)
    print(
        f"Four {LONGEST}-character passwords judged in {worst:.3f} s at worst (aim < {AIM_SECONDS} s)"
    )
    return 0 if worst < AIM_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

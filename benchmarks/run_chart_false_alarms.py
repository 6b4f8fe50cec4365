"""How often do the run-chart rules cry wolf? False-alarm rates on pure noise.

For 10, 20 and 30 points, draws seeded series of independent standard normal values (nothing
changes, so every signal is a false alarm), centres each on its own median, and prints the share
of series on which the kit's default rules (the Anhoej pair) signal, and the share on which any
of all five rules signals. The goal for the default is 5% or less.

    .venv/bin/python benchmarks/run_chart_false_alarms.py [--series 20000] [--seed 20240607]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kit.analysis.stats import false_alarm_rate  # noqa: E402

LENGTHS = (10, 20, 30)
GOAL = 0.05


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20_000, help="noise series per length (default 20000)")
    parser.add_argument("--seed", type=int, default=20240607, help="seed of the noise (default 20240607)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"False alarms on pure noise ({args.series} seeded normal series per length, seed {args.seed})")
    print(f"{'points':>6}  {'default (Anhoej pair)':>22}  {'all five rules':>15}")
    worst = 0.0
    for n in LENGTHS:
        default = false_alarm_rate(n, "anhoej", n_series=args.series, seed=args.seed)
        every = false_alarm_rate(n, "all", n_series=args.series, seed=args.seed)
        worst = max(worst, default)
        print(f"{n:>6}  {default:>21.1%}  {every:>15.1%}")
    verdict = "met" if worst <= GOAL else "NOT met"
    print(f"goal for the default (at most {GOAL:.0%}): {verdict}; {time.perf_counter() - started:.1f} s")
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())

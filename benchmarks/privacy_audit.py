"""The full disclosure audit on the sample district, every subject and window: the attacker
(`tests/privacy/audit.py`) collects every count stage 1's views show for every filter a coach can
set (results by group, gaps with their reference counts, the heat map, the ranked needs) and
solves for the withheld ones. Too slow for the test command (a minute or more per window), which
audits the decision itself on every window and the views on small random districts.

Usage: python benchmarks/privacy_audit.py [window ...]   (default: every window)
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kit.io import open_sample  # noqa: E402
from kit.stages.s1_student_needs import analysis as needs  # noqa: E402
from tests.privacy.audit import attack, collect_views, stage1_truth, withheld_share  # noqa: E402


def main(windows: list[str]) -> int:
    sample = open_sample()
    results = needs.prepare(sample.table("students"), sample.table("assessments"))
    truth = stage1_truth(results)
    leaks = 0
    for window in windows or needs.options(results, "window"):
        start = time.perf_counter()
        observations, links = collect_views(results, windows=[window])
        report = attack(observations, truth, threshold=10, links=links)
        exact, narrowed = int(report["exact"].sum()), int(report["narrowed"].sum())
        leaks += exact + narrowed
        print(f"{window}: {len(report):,} distinct withheld counts, {withheld_share(observations):.1%} of the counts "
              f"the views can show withheld; recovered exactly {exact}, narrowed below 10: {narrowed}; "
              f"{time.perf_counter() - start:.0f} s")
        if exact or narrowed:
            print(report[report["exact"] | report["narrowed"]].head(10).to_string())
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

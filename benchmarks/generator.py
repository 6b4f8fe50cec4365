"""Speed and memory of the sample generator and the loader, at sample, district and state scale.

Run: make benchmark   (or .venv/bin/python benchmarks/generator.py [--skip-state])
Prints one line per step: seconds, rows and the process's peak memory so far. Each scale runs in a
fresh process so one step's memory does not hide another's.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCALES = {"sample": 3_000, "district": 100_000, "state": 1_000_000}


def measure(scale: str, students: int) -> dict:
    import resource

    from kit.io import open_dataset
    from kit.sample import generate_district, write_district

    started = time.perf_counter()
    tables = generate_district(students)
    generated = time.perf_counter() - started
    rows = sum(len(frame) for frame in tables.values())
    figures = {"scale": scale, "students": students, "rows": rows, "generate_s": round(generated, 2)}
    if students <= SCALES["district"]:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            write_district(folder, students)
            figures["write_csv_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            dataset = open_dataset(folder)
            figures["load_and_check_s"] = round(time.perf_counter() - started, 2)
            figures["problems"] = len(dataset.problems)
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], SCALES[sys.argv[2]])))
        return
    scales = [scale for scale in SCALES if not (scale == "state" and "--skip-state" in sys.argv)]
    for scale in scales:
        output = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one", scale],
                                capture_output=True, text=True, check=True).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        print("  ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()

"""CPU time a kernel spends to import and build each stage app, in a fresh process per app.

Every kernel the server preheats pays this before it can serve a page, and so does every browser
test's server: CPU time (not wall time) is the fair figure on a machine other work shares.

For each served stage, a fresh `python` (the kit's interpreter) runs what a kernel runs for the
notebook: `import ipykernel, ipywidgets` (the bare kernel's own share, printed apart), then
`show_stage(n)` against a scratch workspace on the sample district. It prints the CPU seconds of the
kernel's imports, of the kit's imports and of the build itself, and the heaviest modules imported.

`--before DIR` measures another copy of the kit too (e.g. `git archive <commit> | tar -x -C DIR`),
alternating with this one stage by stage, so that both meet the same load on a shared machine.
`--profile N` lists the N kit functions that take the most time in one build (cProfile), to find
what a build could leave for later or stop doing twice.

Run: .venv/bin/python benchmarks/app_build.py [--stages 0,1,...] [--repeat 3] [--top 8] [--profile 12] [--before DIR]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from kit.serve import served_stages
from kit.workspace import PROJECT_ROOT

# Run inside the fresh process: CPU time at each step, and what `-X importtime` says about the kit's imports.
PROBE = r"""
import json, sys, time
start = time.process_time()
import ipykernel.ipkernel, ipywidgets  # what every kernel imports before the notebook's cell
kernel = time.process_time()
import importlib
from kit.registry import stage
module = importlib.import_module(stage({number}).app_module)
imported = time.process_time()
app = stage({number}).app()
built = time.process_time()
modules = sorted(name for name in sys.modules)
print(json.dumps({{"startup": start, "kernel": kernel - start, "imports": imported - kernel,
                   "build": built - imported, "modules": len(modules),
                   "heavy": {{name: name in sys.modules for name in {heavy!r}}}}}))
"""
WATCHED = ["scipy.stats", "matplotlib", "matplotlib.pyplot", "voila", "jupyter_server", "sqlalchemy", "openpyxl", "jinja2"]


def measure(number: int, workspace: Path, heavy: list[str], root: Path = PROJECT_ROOT) -> dict:
    """One fresh process building stage `number` from the kit in `root`."""
    environment = {**os.environ, "KIT_WORKSPACE": str(workspace), "MPLBACKEND": "Agg", "PYTHONPATH": str(root)}
    environment.pop("VOILA_PREHEAT", None)
    result = subprocess.run([sys.executable, "-c", PROBE.format(number=number, heavy=heavy)], cwd=root,
                            env=environment, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def slowest_imports(number: int, workspace: Path, top: int) -> list[tuple[float, str]]:
    """The `top` imports the kit's code asks for directly (not nested in another import) with the largest
    cumulative import time after the kernel's own imports (-X importtime), in seconds."""
    environment = {**os.environ, "KIT_WORKSPACE": str(workspace), "MPLBACKEND": "Agg"}
    code = ("import ipykernel.ipkernel, ipywidgets\nprint('KERNEL READY', file=__import__('sys').stderr)\n"
            f"from kit.registry import stage\nstage({number}).app()")
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=PROJECT_ROOT, env=environment,
                            capture_output=True, text=True, timeout=600, check=True)
    after_kernel = result.stderr.split("KERNEL READY", 1)[-1]
    found = []
    for line in after_kernel.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if not name.startswith("  "):  # one space: imported at the top level, not inside another import
            found.append((int(cumulative) / 1e6, name.strip()))
    return sorted(found, reverse=True)[:top]


# Run inside a fresh process: one build under cProfile, the kit's own functions by cumulative time.
PROFILE = r"""
import cProfile, importlib, pstats
import ipykernel.ipkernel, ipywidgets
from kit.registry import stage
importlib.import_module(stage({number}).app_module)
profile = cProfile.Profile()
profile.runcall(stage({number}).app)
stats = pstats.Stats(profile)
rows = [(cumulative, f"{{path.split('/kit/', 1)[-1]}}:{{line}} {{name}}", calls)
        for (path, line, name), (_, calls, _, cumulative, _) in stats.stats.items() if "/kit/" in path]
for cumulative, where, calls in sorted(rows, reverse=True)[:{top}]:
    print(f"{{cumulative:6.2f}} s {{calls:>5}}x  {{where}}")
"""


def profiled(number: int, workspace: Path, top: int) -> str:
    """The `top` kit functions with the largest cumulative time in one build of stage `number`
    (seconds under the profiler, which slows Python code about twofold: compare them with each other)."""
    environment = {**os.environ, "KIT_WORKSPACE": str(workspace), "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-c", PROFILE.format(number=number, top=top)], cwd=PROJECT_ROOT,
                            env=environment, capture_output=True, text=True, timeout=600, check=True)
    return result.stdout.rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", default="", help="stage numbers to measure (default: every served stage)")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per stage (the median is printed)")
    parser.add_argument("--top", type=int, default=0, help="also list the N slowest top-level imports per stage")
    parser.add_argument("--profile", type=int, default=0, help="also list the N kit functions a build spends most in")
    parser.add_argument("--before", type=Path, help="another copy of the kit to measure beside this one")
    options = parser.parse_args()
    numbers = [int(n) for n in options.stages.split(",") if n] or [stage.number for stage in served_stages()]
    trees = {"this": PROJECT_ROOT, **({"before": options.before.resolve()} if options.before else {})}
    workspaces = {name: Path(tempfile.mkdtemp(prefix=f"kit-build-{name}-")) for name in trees}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {options.repeat} "
          "fresh processes; CPU seconds")
    print(f"{'stage':>5} {'kit':>6} {'kernel':>7} {'kit imports':>12} {'build':>6} {'total':>6}  heavy modules loaded")
    totals = {name: [] for name in trees}
    for number in numbers:
        runs = {name: [] for name in trees}
        for _ in range(options.repeat):
            for name, root in trees.items():
                runs[name].append(measure(number, workspaces[name], WATCHED, root))
        for name in reversed(trees):
            part = {key: statistics.median(run[key] for run in runs[name]) for key in ("kernel", "imports", "build")}
            total = part["imports"] + part["build"]
            totals[name].append(total)
            loaded = ", ".join(module for module, present in runs[name][0]["heavy"].items() if present) or "none"
            print(f"{number:>5} {name:>6} {part['kernel']:7.2f} {part['imports']:12.2f} {part['build']:6.2f} "
                  f"{total:6.2f}  {loaded}", flush=True)
        if options.top:
            for seconds, name in slowest_imports(number, workspaces["this"], options.top):
                print(f"{'':>14}{seconds:6.2f} s  {name}")
        if options.profile:
            print("\n".join(f"{'':>14}{line}" for line in profiled(number, workspaces["this"], options.profile).splitlines()))
    for name in reversed(trees):
        print(f"{name}: kit imports and build, all apps: {sum(totals[name]):.1f} CPU-s "
              "(the kernel's own imports not included)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

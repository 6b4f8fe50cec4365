"""How fast each app opens in a browser, against the simplest Voila page, measured in one run.

Starts the kit's served configuration (`python -m kit.serve`: voila.json, preheated kernels) and, beside
it, a plain `voila` (default settings) on a notebook with one button. In headless Chromium it
measures the time from navigation until each app's main view is usable (its stage frame and status
line are visible; for the baseline, the button): the first visit, then five visits in a row, which
drain the preheated pool. Prints each app's first, median and worst time and their ratio to the
baseline's. Target: every ratio <= 1.0.

Run: .venv/bin/python benchmarks/voila_apps.py [--visits 5] [--warm 40] [--serve-option=...]
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from kit.serve import voila_command, voila_environment
from kit.stages import STAGES
from kit.workspace import PROJECT_ROOT

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], cwd: Path, environment: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(command + [f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1"], cwd=cwd,
                               env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return process, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start: see {log}")


def one_button_notebook(folder: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import ipywidgets as widgets\nwidgets.Button(description='Click me')")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "one_button.ipynb")


def visit(browser, url: str, selector: str) -> float:
    page = browser.new_page()
    started = time.perf_counter()
    page.goto(url, timeout=180_000)
    page.wait_for_selector(selector, state="visible", timeout=180_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def series(browser, url: str, selector: str, visits: int) -> list[float]:
    return [visit(browser, url, selector) for _ in range(1 + visits)]


def describe(times: list[float]) -> dict:
    return {"first": times[0], "median": statistics.median(times), "worst": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5, help="visits in a row after the first")
    parser.add_argument("--warm", type=float, default=40, help="seconds to let the preheated pool fill")
    parser.add_argument("--settle", type=float, default=45,
                        help="seconds between apps, so each app's visits start with its pool full again")
    parser.add_argument("--serve-option", action="append", default=[],
                        help="an extra option for the kit's server, to try a setting before keeping it in voila.json "
                             "(e.g. --serve-option=--VoilaConfiguration.default_pool_size=3)")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    plain_folder = scratch / "plain"
    plain_folder.mkdir()
    one_button_notebook(plain_folder)
    environment = {**os.environ, "KIT_WORKSPACE": str(scratch / "workspace")}
    kit_server, kit_url = start(voila_command(*options.serve_option), PROJECT_ROOT, voila_environment(environment), scratch / "kit.log")
    plain_server, plain_url = start([sys.executable, "-m", "voila"], plain_folder, environment, scratch / "plain.log")
    try:
        time.sleep(options.warm)
        apps = [stage for stage in STAGES if stage.available]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=FLAGS, headless=True)
            baseline = describe(series(browser, f"{plain_url}/voila/render/one_button.ipynb",
                                       "button:has-text('Click me')", options.visits))
            print(f"baseline one-button notebook (plain voila): first {baseline['first']:.2f} s, "
                  f"median {baseline['median']:.2f} s, worst {baseline['worst']:.2f} s")
            for stage in apps:
                time.sleep(options.settle)
                times = describe(series(browser, f"{kit_url}/voila/render/{stage.notebook}",
                                        f".kit-stage-{stage.number} .kit-status", options.visits))
                ratios = {key: times[key] / baseline[key] for key in times}
                print(f"{stage.notebook:40s} first {times['first']:.2f} s ({ratios['first']:.2f}x)  "
                      f"median {times['median']:.2f} s ({ratios['median']:.2f}x)  "
                      f"worst {times['worst']:.2f} s ({ratios['worst']:.2f}x)")
            browser.close()
    finally:
        for server in (kit_server, plain_server):
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

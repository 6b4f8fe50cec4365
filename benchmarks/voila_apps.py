"""How the served apps open, how much memory they hold and whether kernels survive, against a bare Voila page.

In one run, in headless Chromium, beside a plain `voila` (default settings) on a notebook with one button:

1. cold start: from launching `python -m kit.serve` (and from Voila printing its address) until Start
   here is usable (its stage frame and status line are visible), repeated `--cold-starts` times;
2. each app's first visit, then `--visits` visits in a row, as ratios to the bare notebook's
   first visit and median (target: every ratio <= 1.0);
3. the peak memory (PSS: shared library pages counted once) of the server and its kernels;
4. kernels lost (died, restarted, or failed to start: counted in the server's log);
5. a session of `--session` page visits by one coach who moves through the kit's own links; at the
   end at most the pools' kernels may be alive;
6. the team setting (`--team`): `--team-cold-starts` cold starts, each until every pool is filled,
   counting lost kernels; and how many visitors opening apps at the same moment all get a usable
   page within the bare notebook's first-visit time.

Run: .venv/bin/python benchmarks/voila_apps.py [--cold-starts 3] [--visits 5] [--session 50]
     [--team-cold-starts 20] [--team-visitors 1,2,3,4] [--serve-option=...]
Parts with a count of 0 are skipped.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import psutil

from kit.registry import STAGES
from kit.serve import SETTINGS, pool_sizes, served_stages, voila_command, voila_environment
from kit.workspace import PROJECT_ROOT

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
BARE_BUTTON = "button:has-text('Click me')"
LOST_KERNEL = re.compile(r"^.*(Kernel died|restart failed|Error starting kernel|zmq\.error\.ZMQError).*$", re.M)
POOLS_FILLED = "Every app's pool is filled"
STOPPING = "Handle signal"  # Voila's line when it is asked to stop
TIMEOUT_MS = 180_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def usable(stage_number: int) -> str:
    """The CSS selector that shows an app is usable: its stage frame and status line."""
    return f".kit-stage-{stage_number} .kit-status"


class Server:
    """A Voila server on a free port with its log, bounded in time and stopped on exit."""

    def __init__(self, command: list[str], cwd: Path, environment: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.launched = time.perf_counter()
        self.process = subprocess.Popen(["timeout", "1800", *command, f"--port={self.port}", "--no-browser",
                                         "--Voila.ip=127.0.0.1"], cwd=cwd, env=environment,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.address_printed = None
        self.stages = served_stages()  # the apps this server fills pools for (notebooks may be added meanwhile)

    def wait_for_address(self, seconds: float = 120) -> float:
        """Seconds from launch until Voila printed its address."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.url in self.log.read_text(errors="replace"):
                self.address_printed = time.perf_counter()
                return self.address_printed - self.launched
            if self.process.poll() is not None:
                raise RuntimeError(f"server stopped: see {self.log}")
            time.sleep(0.05)
        raise RuntimeError(f"server did not start: see {self.log}")

    def wait_for_log(self, text: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return True
            time.sleep(0.5)
        return False

    def voila_process(self) -> psutil.Process:
        """The Python process under `timeout`."""
        children = psutil.Process(self.process.pid).children()
        return children[0] if children else psutil.Process(self.process.pid)

    def kernels(self) -> list[psutil.Process]:
        try:
            return [child for child in self.voila_process().children(recursive=True)
                    if "ipykernel" in " ".join(child.cmdline())]
        except psutil.Error:
            return []

    def memory_mb(self) -> float:
        """PSS of the server and its kernels, in MB (shared pages divided among the processes)."""
        total = 0
        try:
            processes = [self.voila_process(), *self.voila_process().children(recursive=True)]
        except psutil.Error:
            return 0.0
        for process in processes:
            try:
                total += process.memory_full_info().pss
            except psutil.Error:
                pass
        return total / 2**20

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its kernels, ended ones included: a figure that does
        not depend on what else the machine is running, unlike the times a visitor waits."""
        try:
            server = self.voila_process()
            times = server.cpu_times()
            total = times.user + times.system + times.children_user + times.children_system
            for kernel in server.children(recursive=True):
                kernel_times = kernel.cpu_times()
                total += kernel_times.user + kernel_times.system
        except psutil.Error:
            return 0.0
        return total

    def lost_kernels(self) -> int:
        """Kernels that died, failed to start or to restart while the server ran (what kernels log
        while the server is being stopped does not count)."""
        return len(LOST_KERNEL.findall(self.log.read_text(errors="replace").split(STOPPING)[0]))

    def stop(self) -> None:
        self.process.terminate()  # `timeout` passes SIGTERM on to Voila, which shuts its kernels
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


class PeakMemory:
    """Samples a server's memory every half second in a thread; keeps the peak."""

    def __init__(self, server: Server):
        self.server, self.peak, self._running = server, 0.0, True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, self.server.memory_mb())
            time.sleep(0.5)

    def stop(self) -> float:
        self._running = False
        self._thread.join()
        return self.peak


@contextmanager
def kit_server(scratch: Path, name: str, *options: str):
    environment = voila_environment({**os.environ, "KIT_WORKSPACE": str(scratch / "workspace")})
    server = Server(voila_command(*options), PROJECT_ROOT, environment, scratch / f"{name}.log")
    try:
        yield server
    finally:
        server.stop()


def one_button_notebook(folder: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import ipywidgets as widgets\nwidgets.Button(description='Click me')")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "one_button.ipynb")


def leave(page) -> None:
    """Leave a page for another site, as a visitor does: its unload handler asks Voila to shut its
    kernel. (Headless Chromium drops that request when a tab is closed; the server then culls the
    kernel once it has been without a page for `cull_idle_timeout`.)"""
    page.goto("about:blank")
    page.close()


def visit(browser, url: str, selector: str) -> float:
    """Seconds from navigation until `selector` is visible; then the visitor leaves."""
    page = browser.new_page()
    started = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(selector, state="visible", timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - started
    leave(page)
    return elapsed


def settle(server: Server, seconds: float = 30) -> None:
    """Wait until the server's kernels are quiet (a used kernel's replacement has built its app)."""
    deadline = time.monotonic() + seconds
    time.sleep(1)
    while time.monotonic() < deadline:
        busy = 0.0
        for kernel in server.kernels():
            try:
                busy += kernel.cpu_percent(interval=0.2)
            except psutil.Error:
                pass
        if busy < 15:
            return


def baseline(browser, scratch: Path, visits: int) -> dict:
    folder = scratch / "plain"
    folder.mkdir(exist_ok=True)
    one_button_notebook(folder)
    server = Server([sys.executable, "-m", "voila"], folder, dict(os.environ), scratch / "plain.log")
    try:
        server.wait_for_address()
        times = [visit(browser, f"{server.url}/voila/render/one_button.ipynb", BARE_BUTTON) for _ in range(1 + visits)]
    finally:
        server.stop()
    return {"first": times[0], "median": statistics.median(times[1:]) if visits else times[0]}


def cold_start(browser, scratch: Path, name: str, options: list[str]) -> dict:
    """Launch the kit, open the landing page as soon as Voila prints its address, time Start here."""
    with kit_server(scratch, name, *options) as server:
        memory = PeakMemory(server)
        address = server.wait_for_address()
        page = browser.new_page()
        page.goto(server.url + "/", timeout=TIMEOUT_MS)
        page.wait_for_selector(usable(0), state="visible", timeout=TIMEOUT_MS)
        ready, cpu = time.perf_counter(), server.cpu_seconds()
        leave(page)
        filled = server.wait_for_log(POOLS_FILLED, 240)
        settle(server)
        figures = {"from_launch": ready - server.launched, "from_address": ready - server.address_printed,
                   "address": address, "cpu": cpu, "filled": filled, "lost": server.lost_kernels(),
                   "kernels": len(server.kernels()), "settled_mb": server.memory_mb()}
        figures["peak_mb"] = memory.stop()
        return figures


def app_visits(browser, server: Server, visits: int, bare: dict) -> None:
    """Each served app's first visit (from a filled pool), then `visits` in a row, printed as it is measured."""
    print("  apps (time to interactive, ratio to the bare notebook):")
    for stage in server.stages:
        settle(server)
        url = f"{server.url}/voila/render/{stage.notebook}"
        times = [visit(browser, url, usable(stage.number)) for _ in range(1 + visits)]
        first, in_a_row = times[0], statistics.median(times[1:]) if visits else times[0]
        print(f"  {stage.notebook:40s} first {first:5.2f} s ({first / bare['first']:.2f}x)   "
              f"in a row median {in_a_row:5.2f} s ({in_a_row / bare['median']:.2f}x)   worst {max(times):5.2f} s",
              flush=True)


def coach_session(browser, server: Server, page_visits: int) -> dict:
    """One coach moving through the apps by the kit's own links (and now and then reloading a page)."""
    stages = server.stages
    page = browser.new_page()
    page.goto(f"{server.url}/", timeout=TIMEOUT_MS)
    page.wait_for_selector(usable(0), state="visible", timeout=TIMEOUT_MS)
    times, peak = [], 0.0
    for number in range(1, page_visits):
        target = stages[number % len(stages)]
        started = time.perf_counter()
        if number % 10 == 0:
            page.reload(timeout=TIMEOUT_MS)
            target = stages[(number - 1) % len(stages)]
        else:
            page.locator(".kit-nav a", has_text=target.title).first.click()
        page.wait_for_selector(usable(target.number), state="visible", timeout=TIMEOUT_MS)
        times.append(time.perf_counter() - started)
        peak = max(peak, len(server.kernels()))
    leave(page)
    settle(server)
    time.sleep(3)
    return {"visits": page_visits, "median": statistics.median(times), "worst": max(times),
            "most_kernels": peak, "kernels_at_end": len(server.kernels())}


def concurrent_visitors(browser, server: Server, visitors: int) -> list[float]:
    """`visitors` people opening apps at the same moment (spread over the apps); each one's time."""
    stages = server.stages
    pages, started = [], time.perf_counter()
    targets = [stages[index % len(stages)] for index in range(visitors)]
    for stage in targets:
        page = browser.new_page()
        page.goto(f"{server.url}/voila/render/{stage.notebook}", wait_until="commit", timeout=TIMEOUT_MS)
        pages.append(page)
    done: dict[int, float] = {}
    while len(done) < visitors and time.perf_counter() - started < TIMEOUT_MS / 1000:
        for index, (page, stage) in enumerate(zip(pages, targets)):
            if index not in done and page.locator(usable(stage.number)).first.is_visible():
                done[index] = time.perf_counter() - started
        time.sleep(0.05)
    for page in pages:
        leave(page)
    return [done.get(index, float("inf")) for index in range(visitors)]


def team_cold_starts(scratch: Path, count: int, fill_wait: float, options: list[str]) -> dict:
    """Cold starts of the team setting, each until every pool is filled (or `fill_wait` seconds):
    kernels started, kernels lost, time to fill, memory."""
    started = lost = 0
    fill_times, peaks = [], []
    for run in range(count):
        with kit_server(scratch, f"team-cold-{run}", "--team", *options) as server:
            memory = PeakMemory(server)
            server.wait_for_address()
            if server.wait_for_log(POOLS_FILLED, fill_wait):
                fill_times.append(time.perf_counter() - server.launched)
            lost += server.lost_kernels()
            started += server.log.read_text(errors="replace").count("Kernel started:")
            peaks.append(memory.stop())
    return {"runs": count, "started": started, "lost": lost, "filled": len(fill_times),
            "fill_median": statistics.median(fill_times) if fill_times else None, "peak_mb": max(peaks, default=0.0)}


def laptop_figures(browser, scratch: Path, bare: dict, options) -> None:
    pools = pool_sizes(SETTINGS["laptop"], served_stages())
    print(f"laptop default (pools {pools}):")
    for run in range(options.cold_starts):
        cold = cold_start(browser, scratch, f"laptop-cold-{run}", options.serve_option)
        print(f"  cold start {run + 1}: Start here usable {cold['from_address']:.2f} s after the address "
              f"({cold['from_launch']:.2f} s after launch, {cold['cpu']:.1f} CPU-s of the kit by then); "
              f"all pools filled: {cold['filled']}; "
              f"peak {cold['peak_mb']:.0f} MB, settled {cold['settled_mb']:.0f} MB "
              f"with {cold['kernels']} kernels; kernels lost {cold['lost']}")
    if not options.apps:
        return
    with kit_server(scratch, "laptop", *options.serve_option) as server:
        memory = PeakMemory(server)
        server.wait_for_address()
        server.wait_for_log(POOLS_FILLED, 240)
        app_visits(browser, server, options.visits, bare)
        if options.session:
            session = coach_session(browser, server, options.session)
            print(f"  session of {session['visits']} page visits by one coach: median {session['median']:.2f} s, "
                  f"worst {session['worst']:.2f} s; at most {session['most_kernels']} kernels; "
                  f"{session['kernels_at_end']} alive at the end (the pools hold {sum(pools.values())})")
        print(f"  peak memory of the server and its kernels: {memory.stop():.0f} MB (PSS); "
              f"kernels lost: {server.lost_kernels()}")


def team_figures(browser, scratch: Path, bare: dict, options) -> None:
    print(f"team setting (--team; pools {pool_sizes(SETTINGS['team'], served_stages())}):")
    with kit_server(scratch, "team", "--team", *options.serve_option) as server:
        memory = PeakMemory(server)
        server.wait_for_address()
        server.wait_for_log(POOLS_FILLED, 300)
        for visitors in [int(count) for count in options.team_visitors.split(",") if count]:
            settle(server)
            times = concurrent_visitors(browser, server, visitors)
            print(f"  {visitors} visitor(s) at once: worst {max(times):.2f} s "
                  f"({max(times) / bare['first']:.2f}x the bare first visit)")
        print(f"  peak memory: {memory.stop():.0f} MB (PSS); kernels lost: {server.lost_kernels()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-starts", type=int, default=3, help="cold starts of the laptop default")
    parser.add_argument("--visits", type=int, default=5, help="visits in a row to each app after its first")
    parser.add_argument("--session", type=int, default=50, help="page visits by one coach (0 skips)")
    parser.add_argument("--apps", action=argparse.BooleanOptionalAction, default=True,
                        help="time each app's visits and the coach's session on the laptop default")
    parser.add_argument("--team", action=argparse.BooleanOptionalAction, default=True,
                        help="time visitors at once on the team setting")
    parser.add_argument("--team-cold-starts", type=int, default=20, help="cold starts of the team setting (0 skips)")
    parser.add_argument("--team-fill-wait", type=float, default=300,
                        help="seconds each team cold start may take to fill every pool before it is stopped")
    parser.add_argument("--team-visitors", default="1,2,3,4", help="visitors at once to try on the team setting")
    parser.add_argument("--serve-option", action="append", default=[],
                        help="an extra option for the kit's server (e.g. --serve-option=--pool=2)")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    served = [stage.notebook for stage in served_stages()]
    print(f"{len(served)} of {len(STAGES)} apps served: {', '.join(served)}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=FLAGS, headless=True)
            bare = baseline(browser, scratch, options.visits)
            print(f"bare one-button notebook (plain voila): first {bare['first']:.2f} s, "
                  f"in a row median {bare['median']:.2f} s")
            laptop_figures(browser, scratch, bare, options)
            if options.team:
                team_figures(browser, scratch, bare, options)
            browser.close()
        if options.team_cold_starts:
            runs = team_cold_starts(scratch, options.team_cold_starts, options.team_fill_wait, options.serve_option)
            fill = f"median {runs['fill_median']:.1f} s after launch" if runs["fill_median"] else "none"
            print(f"team setting, {runs['runs']} cold starts: {runs['started']} kernels started, {runs['lost']} lost; "
                  f"every pool filled within {options.team_fill_wait:.0f} s in {runs['filled']} ({fill}); "
                  f"peak {runs['peak_mb']:.0f} MB")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

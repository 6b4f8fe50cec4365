"""Browser tests: the Voila apps served on a free port, opened in Debian's headless Chromium.

Without Chromium these tests skip with a message outside CI, and fail in CI (CI=true).
Screenshots of failed tests are kept in test-artifacts/.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kit.serve import voila_command, voila_environment
from tests.browser.helpers import SERVED_WORKSPACES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    found = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium")
    if found:
        return found
    message = "Debian's Chromium is missing: install it with `sudo apt-get install chromium`."
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the browser tests.)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Voila stopped with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"Voila did not answer at {url} within {seconds} s")


@pytest.fixture
def server_log():
    """What the server at a given URL has logged so far: `server_log(voila_url)`."""
    return lambda url: (SERVED_WORKSPACES[url] / "voila.log").read_text(errors="replace")


def serve(workspace: Path, pool: int = 1, options: tuple[str, ...] = (), **environment: str):
    """Start the kit's apps as `make serve` does (`kit.serve`: voila.json, the kit template, `pool`
    preheated kernels per app, and `options`) on a free port, with a used kernel replaced after one second."""
    port = free_port()
    workspace.mkdir(parents=True, exist_ok=True)
    log = open(workspace / "voila.log", "w")
    command = voila_command(f"--port={port}", f"--pool={pool}", "--VoilaKernelManager.fill_delay=1", *options)
    process = subprocess.Popen(command, cwd=ROOT,
                               env=voila_environment({**os.environ, "KIT_WORKSPACE": str(workspace), **environment}),
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/", process)
        SERVED_WORKSPACES[url] = workspace
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# What the session's servers and browser need to end: closed after the last browser test, not at
# the end of the session. `make test`'s worker goes on with other files once the browser tests are
# done; Chromium's driver would keep an event loop running in its main thread (asyncio.run then
# refuses to start there) and the servers would hold their memory.
_OPEN: list = []


def until_the_last_browser_test(resource):
    """Yield the one value of the generator `resource`; it is closed after the last browser test."""
    _OPEN.append(resource)
    yield next(resource)
    resource.close()  # a no-op when it was closed already


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is None or Path(__file__).parent not in nextitem.path.parents:
        while _OPEN:
            _OPEN.pop().close()
    return result


@pytest.fixture(scope="session")
def voila_url(tmp_path_factory):
    """The base URL of the kit's apps in coach mode. No kernel waits ahead: each visit builds its app
    (a waiting kernel would build every app a second time after each visit, on the cores the other
    test worker needs); test_preheated_apps.py serves as `make serve` does, with kernels waiting."""
    chromium_path()
    yield from until_the_last_browser_test(serve(tmp_path_factory.mktemp("voila-workspace"), pool=0))


@pytest.fixture(scope="session")
def view_only_url(tmp_path_factory):
    """The base URL of the kit's apps in view-only (team) mode. Each app is visited once there, so
    no kernel waits ahead (a waiting kernel would build every app twice)."""
    chromium_path()
    yield from until_the_last_browser_test(serve(tmp_path_factory.mktemp("voila-view-only"), pool=0,
                                                 KIT_VIEW_ONLY="1"))


def launched_chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser():
    yield from until_the_last_browser_test(launched_chromium())


@pytest.fixture(autouse=True)
def sample_data_for_each_test(request):
    """Each browser test starts on the sample district, whatever an earlier test uploaded or chose
    (the served apps share one workspace); cycles created earlier stay, as they would for a coach."""
    for name in ("voila_url", "view_only_url"):
        if name in request.fixturenames:
            workspace = SERVED_WORKSPACES[request.getfixturevalue(name)]
            settings = workspace / "settings.json"
            saved = json.loads(settings.read_text()) if settings.exists() else {}
            settings.write_text(json.dumps({**saved, "data_source": "sample"}))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request):
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    for each in context.pages:  # leave as a visitor does, so that Voila shuts each page's kernel
        try:
            each.goto("about:blank", timeout=10_000)
        except PlaywrightError:  # a page that cannot be left is closed with its context below
            pass
    context.close()

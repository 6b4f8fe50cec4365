"""Apps opened from a kernel Voila preheated, as `make serve` serves them: what a coach saves there
reaches the store. (It once did not: the kit read the store file itself while the preheated app had
it open, which dropped the app's locks, and another app closing the store deleted its write-ahead log.)"""

import re
import time

from kit.registry import stage
from tests.browser.conftest import chromium_path, serve
from tests.browser.helpers import cycles_in_store, open_stage, start_a_cycle

FILLED = "Kernel pool of {notebook} is filled"
PREHEATED = stage(2)  # the first stage after Start here and stage 1 whose app saves a cycle


def wait_for_log(log, text: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"the server did not log {text!r} within {seconds} s"
        time.sleep(0.5)


def test_work_saved_in_a_preheated_app_reaches_the_store(page, tmp_path):
    chromium_path()
    workspace = tmp_path / "preheated"
    server = serve(workspace, pool=1, options=("--KitVoila.first_visit_wait=0",))
    url = next(server)
    try:  # no first visit to wait for (first_visit_wait=0): the pools fill in registry order at once
        wait_for_log(workspace / "voila.log", FILLED.format(notebook=PREHEATED.notebook))
        open_stage(page, url, PREHEATED.number)
        assert re.search(f"Using pre-heated kernel: [-0-9a-f]+ for {re.escape(PREHEATED.notebook)}",
                         (workspace / "voila.log").read_text())
        assert cycles_in_store(page) == []  # another app opens and closes the store meanwhile
        start_a_cycle(page, "Saved in a preheated app")  # and finds the cycle there
    finally:
        server.close()

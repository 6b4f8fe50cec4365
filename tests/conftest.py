"""Shared test set-up: every test works in its own empty workspace, never the coach's real one."""

import pytest

from kit.workspace import WORKSPACE_ENV


@pytest.fixture(scope="session", autouse=True)
def no_test_touches_the_real_workspace(tmp_path_factory):
    """A workspace for what runs before each test's own: module fixtures (an app built once per
    module) would otherwise save into the coach's real workspace."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKSPACE_ENV, str(tmp_path_factory.mktemp("session-workspace")))
        yield


@pytest.fixture(autouse=True)
def fresh_workspace(tmp_path, monkeypatch):
    folder = tmp_path / "workspace"
    monkeypatch.setenv(WORKSPACE_ENV, str(folder))
    return folder


BROWSER = "tests/browser"


def pytest_xdist_make_scheduler(config, log):
    """How `make test` shares the tests between its two workers (`--dist loadfile`): each test file
    stays on one worker (its module fixtures, such as a built app, are made once), and all the
    browser tests count as one file, so one Voila server and one Chromium serve them all. (xdist's
    own `loadgroup` does not group on pytest 9.2: pytest-xdist issue 1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesWithTheBrowserTestsAsOne(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return BROWSER if nodeid.startswith(f"{BROWSER}/") else super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            # The browser tests are the longest unit by far: started first, on a worker of their own,
            # while the other worker takes the files, they end about when the rest does. xdist orders
            # units by their number of tests, which put them last but a few.
            if BROWSER in self.workqueue:
                self.workqueue.move_to_end(BROWSER, last=False)
            super()._assign_work_unit(node)

    return FilesWithTheBrowserTestsAsOne(config, log)

"""Shared test set-up: every test works in its own empty workspace, never the coach's real one."""

import pytest

from kit.workspace import WORKSPACE_ENV


@pytest.fixture(autouse=True)
def fresh_workspace(tmp_path, monkeypatch):
    folder = tmp_path / "workspace"
    monkeypatch.setenv(WORKSPACE_ENV, str(folder))
    return folder

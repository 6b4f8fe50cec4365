"""Shared set-up for the app-component tests."""

import pytest

from kit.apps.cycle_picker import CyclePicker
from kit.store import open_store


@pytest.fixture
def picker(monkeypatch):
    """A cycle picker on a fresh in-memory store with one open cycle, saving as "Ana"."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("KIT_AUTHOR", "Ana")
    picker = CyclePicker(store=open_store("sqlite://", author="Ana"))
    picker.model.create("Fall cycle")
    return picker

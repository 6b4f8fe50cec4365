"""Shared data for stage 5's tests: the sample district, loaded once per test session."""

import pytest


@pytest.fixture(scope="session")
def sample():
    from kit.io import open_sample

    return open_sample()

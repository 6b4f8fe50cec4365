import pytest

from kit.io import open_sample


@pytest.fixture(scope="module")
def sample():
    return open_sample()

"""Every documented example in the kit runs as written: each module under `kit/` is collected (no
hand-kept list), so a new module's examples are tested the day it lands."""

import doctest
import importlib
import pkgutil

import pytest

import kit

# Alembic's migration scripts run against a database when imported; they have no examples.
NOT_IMPORTABLE_ALONE = ("kit.store.migrations.env", "kit.store.migrations.versions")


def kit_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(kit.__path__, "kit.")]
    return sorted(name for name in names if not name.startswith(NOT_IMPORTABLE_ALONE))


@pytest.mark.parametrize("name", kit_modules())
def test_docstring_examples_run(name, fresh_workspace):
    module = importlib.import_module(name)
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert outcome.failed == 0, f"{outcome.failed} example(s) in {name} do not run as written"

"""Every documented example in the statistics and the run chart runs as written."""

import doctest
import importlib

import pytest

MODULES = [
    "kit.analysis.stats", "kit.analysis.stats._inputs", "kit.analysis.stats.effects",
    "kit.analysis.stats.change", "kit.analysis.stats.association", "kit.analysis.stats.run_chart",
    "kit.analysis.stats.summaries", "kit.analysis.stats.spread", "kit.analysis.stats.intervals",
    "kit.analysis.stats.multiple", "kit.analysis.stats.gap_change", "kit.analysis.stats.clustering",
    "kit.charts.run_chart", "kit.charts.style",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0
    assert outcome.attempted > 0 or name.endswith("__init__")

"""The run chart builder: series, median, flagged points, on its own Figure."""

import io

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kit.analysis import stats
from kit.charts.run_chart import run_chart
from kit.charts.style import HIGHLIGHT, OKABE_ITO, new_axes

SHIFTED = [7, 8, 7, 9, 8, 7, 3, 2, 3, 2, 3, 2, 8, 9]


def test_chart_draws_the_series_median_and_flagged_points_on_a_new_figure():
    before = plt.get_fignums()
    ax = run_chart(stats.run_chart_signals(SHIFTED, value_label="attendance", rules="all"))
    assert isinstance(ax, Axes) and isinstance(ax.figure, Figure)
    assert plt.get_fignums() == before                       # no pyplot global state
    assert ax.get_title() == "Attendance: a signal of change (shift, trend, too few crossings)"
    assert ax.get_ylabel() == "Attendance" and ax.get_xlabel() == "Window"
    series, median = ax.get_lines()[:2]
    assert len(series.get_xdata()) == len(SHIFTED)
    assert set(median.get_ydata()) == {7.0}
    rings = ax.collections[0]
    assert len(rings.get_offsets()) == 9                     # the shift's 6 and the trend's 5 overlap by 2
    assert tuple(rings.get_edgecolor()[0][:3]) == tuple(int(HIGHLIGHT[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_chart_uses_the_given_axes_and_title():
    ax = new_axes()
    assert run_chart(stats.run_chart_signals([1, 2, 3]), ax=ax, title="Reading, fall to spring") is ax
    assert ax.get_title() == "Reading, fall to spring"


def test_chart_of_a_quiet_series_says_there_is_no_signal_and_renders_to_png():
    ax = run_chart(stats.run_chart_signals([5, 7, 4, 6, 5, 8, 4, 6, 7, 5, 6, 4, 7, 5, 6, 8]))
    assert ax.get_title() == "Value: only everyday ups and downs, no signal"
    assert not ax.collections
    png = io.BytesIO()
    ax.figure.savefig(png, format="png")
    assert png.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_of_a_single_point_or_nothing_does_not_crash():
    assert run_chart(stats.run_chart_signals([3])).get_title() == "Value: not enough points to judge"
    assert run_chart(stats.run_chart_signals([])).get_title() == "Value: not enough points to judge"


def test_palette_is_okabe_ito():
    assert OKABE_ITO["vermillion"] == "#D55E00" and len(OKABE_ITO) == 8


def test_chart_with_the_default_rules_rings_only_what_the_anhoej_pair_flags():
    signals = stats.run_chart_signals(SHIFTED, value_label="attendance")
    ax = run_chart(signals)
    assert ax.get_title() == "Attendance: only everyday ups and downs, no signal"
    assert not ax.collections                                # the shift rule is off, so nothing is ringed

"""Stage 3 charts: what they draw, and titles that state the finding."""

import numpy as np
import pandas as pd
import pytest

from kit.io import open_sample
from kit.stages.s3_educator_learning.analysis import (change_by_measure, dose_frame, educator_groups, educator_hours,
                                                      educator_learning_change, fit_line, group_profiles,
                                                      hours_association, profiles, score_concerns)
from kit.stages.s3_educator_learning.charts import change_chart, dose_chart, profile_chart


@pytest.fixture(scope="module")
def sample():
    return open_sample()


def test_change_chart_draws_each_measure_with_its_interval(sample):
    table = change_by_measure(sample.table("educator_measures"), "2024-25 fall", "2025-26 spring")
    ax = change_chart(table)
    assert ax.get_title().replace("\n", " ").startswith("3 of 3 measures rose; largest change: Discourse skills rubric (+24 points of 100)")
    assert [t.get_text() for t in ax.get_yticklabels()] == table["measure"].tolist()
    assert len(ax.containers) == 3                     # one error bar per measure


def test_change_chart_marks_withheld_groups(sample):
    groups = educator_groups(sample.table("educators"))
    table = change_by_measure(sample.table("educator_measures"), "2024-25 fall", "2025-26 spring", groups=groups,
                              by="role")
    ax = change_chart(table)
    assert ax.get_title().startswith("3 of 3 measures rose")     # the finding is about all educators
    withheld = [t for t in ax.texts if "withheld" in t.get_text()]
    assert len(withheld) == int(table["suppressed"].sum()) > 0


def test_dose_chart_has_points_line_and_band(sample):
    dose = dose_frame(educator_hours(sample.table("attendance")), educator_learning_change(sample.table("educator_measures")))
    ax = dose_chart(dose, hours_association(dose), fit_line(dose["hours"], dose["learning_change"]))
    assert ax.get_title().startswith("More learning hours went with larger gains (rank correlation 0.8")
    assert len(ax.collections[0].get_offsets()) == len(dose)
    assert len(ax.lines) >= 2 and len(ax.collections) == 2   # points and band; the line and the zero line
    assert ax.get_ylabel().startswith("Change in knowledge and skills")


def test_profile_chart_titles_the_peak_in_each_window(sample):
    profile = group_profiles(score_concerns(sample.table("concerns")), ["2024-25 fall", "2025-26 spring"])
    ax = profile_chart(profile)
    assert ax.get_title().replace("\n", " ") == "Peak concern 2024-25 fall: stage 0 (Unconcerned); 2025-26 spring: stage 5 (Collaboration)"
    assert len(ax.lines) == 2 and ax.get_ylabel() == "Raw score (0-35), not a percentile"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), profile[profile["window"] == "2024-25 fall"]["intensity"])


def test_a_withheld_group_profile_is_named_not_drawn():
    rows = []
    for i in range(3):
        rows.append({"educator_id": f"E{i}", "window": "fall", **{f"q{n}": 3 for n in range(1, 36)}})
    profile = group_profiles(score_concerns(pd.DataFrame(rows)), ["fall"])
    ax = profile_chart(profile)
    assert ax.get_title() == "No profile to show: withheld or no scored responses"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["fall: withheld"]


def test_an_individual_profile_can_be_drawn():
    one = profiles(score_concerns(pd.DataFrame([{"educator_id": "E1", "window": "fall",
                                                 **{f"q{n}": n % 8 for n in range(1, 36)}}])))
    assert profile_chart(one).get_title() == "Peak concern fall: stage 0 (Unconcerned)"


def test_a_teams_dose_chart_draws_the_line_without_any_educator(sample):
    dose = dose_frame(educator_hours(sample.table("attendance")), educator_learning_change(sample.table("educator_measures")))
    ax = dose_chart(dose, hours_association(dose), fit_line(dose["hours"], dose["learning_change"]), points=False)
    assert len(ax.collections) == 1                     # the band only: no dots
    assert "One educator" not in [t.get_text() for t in ax.get_legend().get_texts()]

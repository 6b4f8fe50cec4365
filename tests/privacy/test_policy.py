"""The one disclosure policy: units, the words of a withheld value, share coding, one table's suppression."""

import numpy as np
import pandas as pd
import pytest

from kit.errors import KitError
from kit.privacy import (EDUCATORS, STUDENTS, code_share, code_shares, describe_suppressed, share_band,
                         withheld_words, withhold_small)
from kit.privacy.cube import ALL, protect_cube


def test_each_unit_has_its_own_threshold_and_words():
    assert (STUDENTS.min_group_size, EDUCATORS.min_group_size) == (10, 5)
    assert withheld_words(EDUCATORS) == "withheld to protect groups of fewer than 5 educators"
    assert withheld_words(STUDENTS.with_threshold(20)) == "withheld to protect groups of fewer than 20 students"
    assert describe_suppressed(10) == "fewer than 10 students"


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "10"])
def test_a_threshold_that_is_not_a_positive_whole_number_is_refused_in_words(bad):
    with pytest.raises(KitError, match="whole number of at least 1"):
        STUDENTS.with_threshold(bad)


def test_small_and_complementary_cells_read_alike():
    table = withhold_small(pd.DataFrame({"n": [3, 40, 50], "mean": [1.0, 2.0, 3.0]}), "n", EDUCATORS, ["mean"])
    assert table["suppressed"].tolist() == [True, True, False]
    assert table.loc[0, "note"] == table.loc[1, "note"] == withheld_words(EDUCATORS)
    assert table["mean"].isna().tolist() == [True, True, False]


def test_the_band_covers_three_students_at_every_size():
    sizes = np.arange(10, 2000)
    band = share_band(sizes)
    assert (np.floor(band * sizes + 1e-9) >= 3).all()  # at least 0..3 students fit the coded range
    assert share_band([300])[0] == 0.01  # the NCES brief's band at 300 students


def test_zero_and_full_shares_are_coded_and_middle_ones_are_not():
    assert code_share(0.0, 12) == "≤25%" and code_share(1.0, 12) == "≥75%"
    assert code_share(3 / 12, 12) == "≤25%"  # three of twelve: still in the band
    assert code_share(4 / 12, 12) == "33%"
    coded = code_shares([0.0, None], [400, 400])
    assert coded["share_text"].tolist() == ["≤1%", ""] and np.isnan(coded["share_shown"].iloc[1])


def test_the_cube_withholds_a_small_school_grade_group_in_every_view_that_could_give_it_back():
    # Grade 6 "two or more": 12 at SCH05 and 7 at SCH04; district 19. One subtraction used to give 7 back.
    cells = pd.DataFrame({"school": ["SCH04", "SCH04", "SCH05", "SCH05"], "group": ["two", "other", "two", "other"],
                          "n": [7, 150, 12, 160]})
    decision = protect_cube(cells, ["school", "group"])
    assert decision.withheld(school="SCH04", group="two")
    shown_two = [decision.withheld(school=s, group="two") for s in ("SCH05", ALL)]
    assert shown_two != [False, False]  # never both the other school and the district


def test_not_recorded_helps_protect_and_never_forces_a_large_group_out():
    cells = pd.DataFrame({"school": "A", "group": ["yes", "no", "not recorded"], "n": [2852, 2000, 3]})
    decision = protect_cube(cells, ["school", "group"], unpublished={"group": ["not recorded"]})
    assert not decision.withheld(school="A", group="yes") and not decision.withheld(school="A", group="no")
    assert "not recorded" not in set(decision.table["group"])
    small = pd.DataFrame({"school": "A", "group": ["yes", "no", "not recorded"], "n": [7, 2000, 4]})
    decision = protect_cube(small, ["school", "group"], unpublished={"group": ["not recorded"]})
    assert decision.withheld(school="A", group="yes") and not decision.withheld(school="A", group="no")

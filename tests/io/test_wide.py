"""A wide score file is read only in the layout the coach confirms, and a layout that does not fit
says why."""

import pandas as pd
import pytest

from kit.errors import DataError
from kit.io.wide import SUBJECT_ONLY, WINDOW_FIRST, WINDOW_ONLY, WideLayout, check_layout, preview, propose_layout, reshape

RAW = pd.DataFrame({"Student ID": ["1", "2"], "School": ["A", "B"], "K_Math": ["400", ""], "1_Math": ["450", "460"],
                    "K_Reading": ["390", "380"]}, index=pd.RangeIndex(2, 4, name="row"))


def test_the_kit_proposes_ids_and_a_split_with_the_window_first():
    layout = propose_layout(RAW)
    assert layout.id_columns == ("Student ID", "School")
    assert (layout.split, layout.separator) == (WINDOW_FIRST, "_")
    assert layout.parts("1_Math") == ("Math", "1")


def test_reshaping_keeps_the_spreadsheet_row_and_drops_empty_cells():
    long = reshape(RAW, propose_layout(RAW))
    assert long.index.tolist() == [2, 2, 2, 3, 3]
    assert long.loc[3, "window"].tolist() == ["1", "K"] and long.loc[3, "subject"].tolist() == ["Math", "Reading"]
    assert len(preview(RAW, propose_layout(RAW), rows=2)) == 2


def test_a_file_of_scores_by_window_only_needs_the_subject():
    raw = pd.DataFrame({"id": ["1"], "fall": ["3"], "winter": ["4"], "spring": ["5"]})
    layout = propose_layout(raw)
    assert layout.split == WINDOW_ONLY and layout.subject == "all subjects"
    assert reshape(raw, WideLayout(("id",), ("fall", "spring"), WINDOW_ONLY, subject="math"))["subject"].tolist() == \
        ["math", "math"]


def test_a_long_file_is_not_taken_for_a_wide_one():
    assert propose_layout(pd.DataFrame({"student_id": ["1"], "subject": ["math"], "window": ["fall"],
                                        "score": ["3"]})) is None


@pytest.mark.parametrize("layout, message", [
    (WideLayout(("Student ID",), ("Math 9",)), "The file has no column 'Math 9'; choose among its columns."),
    (WideLayout((), ("K_Math",)), "Choose at least one id column (the column with the student's code)."),
    (WideLayout(("Student ID",), ()), "Choose the columns that hold scores."),
    (WideLayout(("Student ID",), ("K_Math",), separator=" "),
     "The name 'K_Math' does not split at ' ' into a subject and a window. Choose another split, or leave that "
     "column out."),
    (WideLayout(("Student ID",), ("K_Math",), WINDOW_ONLY),
     "Type the subject these scores are for (the column names give only the window)."),
    (WideLayout(("Student ID",), ("K_Math",), SUBJECT_ONLY),
     "Type the window these scores are from (the column names give only the subject)."),
])
def test_a_layout_that_does_not_fit_says_why(layout, message):
    with pytest.raises(DataError) as raised:
        check_layout(RAW, layout)
    assert raised.value.message == message


def test_a_layout_is_said_in_words_and_kept_as_a_dict():
    layout = WideLayout(("id",), ("fall",), WINDOW_ONLY, subject="math")
    assert layout.describe() == "Each score column's name is the window; the subject is math (for example 'fall' is window fall)."
    assert WideLayout.from_dict(layout.as_dict()) == layout
    assert WideLayout(("id",), ("Math",), SUBJECT_ONLY, window="fall").describe() == (
        "Each score column's name is the subject; the window is fall (for example 'Math' is subject Math).")

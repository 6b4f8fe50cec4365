"""Codes in yes/no columns are never guessed: a code that could be read more than one way sets the
column aside, with a warning, until the coach says what it means."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.io import Check, load_table
from kit.io.dataset import _checked
from kit.io.mapping import FileMapping
from kit.io.reading import read_bytes
from kit.io.values import describe_values, kit_reading, unsure_codes, valid_meanings
from kit.schema import table_by_name

LOW_INCOME = table_by_name("students").column("low_income")
SURE = {"yes": True, "no": False, "true": True, "false": False}


def students_file(codes: list[str]) -> bytes:
    rows = "".join(f"S{index},SCH1,4,{code}\n" for index, code in enumerate(codes))
    return ("student_id,school_id,grade,low_income\n" + rows).encode()


def test_free_lunch_coded_f_is_set_aside_with_a_warning_not_read_as_false():
    loaded = load_table(students_file(["F", "N", "F"]), "students.csv", "students")
    assert loaded.ok and "low_income" not in loaded.frame.columns and loaded.set_aside == ("low_income",)
    [problem] = [p for p in loaded.problems if p.check == Check.VALUES_TO_CONFIRM]
    assert problem.message == ("low_income holds codes the kit will not guess: 'F' (2 rows), 'N' (1 rows). The column "
                               "is not used until you say what each code means.")
    assert problem.how_to_fix == ("In the data check, say whether each code of low_income means yes, no or not "
                                  "recorded.")
    assert problem.severity == "warning"


def test_once_the_coach_says_what_codes_mean_they_are_read_that_way():
    raw, _ = read_bytes(students_file(["F", "N", "", "F"]), "students.csv")
    mapping = FileMapping("students.csv", "", values={"low_income": {"F": "yes", "N": "no"}})
    loaded = _checked(raw, [], "students.csv", "students", None, mapping)
    assert loaded.frame["low_income"].tolist() == [True, False, pd.NA, True]
    assert loaded.set_aside == ()


def test_the_value_table_lists_codes_counts_and_meanings():
    table = describe_values(pd.Series(["1", "0", "1", "yes"]), LOW_INCOME)
    assert table.to_dict("records") == [
        {"value": "1", "count": 2, "meaning": "?", "how": "to confirm"},
        {"value": "0", "count": 1, "meaning": "?", "how": "to confirm"},
        {"value": "yes", "count": 1, "meaning": "yes", "how": "read as it is"}]
    level = table_by_name("schools").column("level")
    assert describe_values(pd.Series(["Elem", "high"]), level)["how"].tolist() == ["not allowed", "read as it is"]
    assert valid_meanings(LOW_INCOME) == ("yes", "no", "")


def test_single_letters_and_digits_are_never_sure():
    for code in ("Y", "N", "T", "F", "1", "0", "1.0", "x"):
        assert kit_reading(code, LOW_INCOME) is None
    assert unsure_codes(pd.Series(["Yes", " no ", "TRUE"]), LOW_INCOME) == []


codes = st.one_of(st.sampled_from(["Y", "N", "F", "T", "y", "n", "f", "t", "1", "0", "1.0", "0.0", "yes", "no",
                                   "YES", "No", "true", "False", "", "free", "paid", "Reduced", "x"]),
                  st.text(alphabet="abcdefnoyst01FNYT ", min_size=0, max_size=5))


@settings(max_examples=120, deadline=None)
@given(st.lists(codes, min_size=1, max_size=12), st.dictionaries(st.sampled_from(["F", "N", "1", "0", "Y"]),
                                                                 st.sampled_from(["yes", "no", ""]), max_size=3))
def test_no_yes_no_code_is_ever_read_without_confirmation(values, meanings):
    cells = [value.strip() for value in values]
    raw = pd.DataFrame({"student_id": [f"S{i}" for i in range(len(cells))], "school_id": "SCH1",
                        "low_income": cells}, index=pd.RangeIndex(2, len(cells) + 2, name="row"))
    loaded = _checked(raw, [], "students.csv", "students", None,
                      FileMapping("students.csv", "", values={"low_income": meanings}))
    assert loaded.ok
    chosen = {code.lower(): meaning for code, meaning in meanings.items()}
    if "low_income" not in loaded.frame.columns:
        assert any(p.check == Check.VALUES_TO_CONFIRM for p in loaded.problems)
        return
    for cell, read in zip(cells, loaded.frame["low_income"]):
        if cell.lower() in chosen:
            expected = {"yes": True, "no": False, "": None}[chosen[cell.lower()]]
        elif cell == "":
            expected = None
        else:
            assert cell.lower() in SURE, f"{cell!r} was read without confirmation"
            expected = SURE[cell.lower()]
        assert (pd.isna(read) and expected is None) or read == expected

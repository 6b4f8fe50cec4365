"""No input, however broken, gives a traceback: the loader returns problems or raises the kit's own error."""

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kit import schema
from kit.errors import KitError
from kit.io import LoadedTable, load_table, open_dataset
from kit.workspace import SAMPLE_FOLDER

SEEDS = {name: (SAMPLE_FOLDER / f"{name}.csv").read_bytes()[:1500] for name in schema.TABLE_NAMES}


@st.composite
def mutated_file(draw):
    """A sample file's first rows with bytes flipped, cut, repeated or inserted."""
    table = draw(st.sampled_from(schema.TABLE_NAMES))
    content = bytearray(SEEDS[table])
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, max(0, len(content) - 1)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if action == "flip" and content:
            content[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del content[position:position + draw(st.integers(1, 200))]
        elif action == "insert":
            content[position:position] = draw(st.one_of(st.binary(min_size=1, max_size=30), st.sampled_from(
                [b'"', b",,,", b"\n", b";", b"\t", b"\x00", b"\xff\xfe", b"PK\x03\x04", b"%PDF"])))
        else:
            content += content[position:position + 100]
    return table, bytes(content)


def loads_or_explains(call):
    try:
        result = call()
    except KitError as error:
        assert str(error)
        return None
    return result


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_file())
@example(("schools", b"\xfe\xffchool_id,school_name,level\nSCH01,Cedar,elementary\n")).via("looks like UTF-16, is not")
def test_mutated_files_only_ever_give_problems(case):
    table, content = case
    loaded = loads_or_explains(lambda: load_table(content, f"{table}.csv", table))
    if loaded is not None:
        assert isinstance(loaded, LoadedTable)
        assert loaded.ok or any(problem.is_error for problem in loaded.problems)
        for problem in loaded.problems:
            assert problem.message and problem.how_to_fix


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["data.csv", "students.csv", "x.xlsx", "scores.tsv", "a"]))
def test_random_bytes_only_ever_give_problems(content, name):
    dataset = loads_or_explains(lambda: open_dataset([{"name": name, "content": memoryview(content)}]))
    if dataset is not None:
        assert isinstance(dataset.data_check(), pd.DataFrame)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6), st.lists(st.lists(st.text(max_size=8), min_size=1,
                                                                                    max_size=6), max_size=6))
def test_random_text_tables_only_ever_give_problems(headers, rows):
    text = "\n".join(",".join(cells) for cells in [headers] + rows)
    for table in ("students", "assessments", "concerns"):
        loads_or_explains(lambda: load_table(text.encode("utf-8", "surrogatepass"), f"{table}.csv", table))

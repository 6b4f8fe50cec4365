"""The schema is the one definition: it is consistent, and what is generated from it is current."""

import filecmp

import pandas as pd
import pytest

from kit import schema
from kit.sample import generate_district, write_district
from kit.standards import STANDARDS, STANDARD_IDS, match_standard
from kit.templates import DICTIONARY_PATH, TEMPLATE_FOLDER, data_dictionary_markdown, template_csv
from kit.workspace import SAMPLE_FOLDER


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda table: table.name)
def test_every_table_is_well_formed(table):
    names = table.column_names
    assert len(set(names)) == len(names)
    assert set(table.key) <= set(names)
    for column in table.columns:
        assert column.kind in schema.KINDS
        assert column.description and column.example
        if column.links_to:
            assert column.links_to in schema.TABLE_NAMES
    for smaller, larger in table.not_above:
        assert {smaller, larger} <= set(names)


def test_the_design_tables_are_all_declared():
    assert schema.TABLE_NAMES == ("schools", "educators", "students", "rosters", "learning_activities",
                                  "attendance", "educator_measures", "concerns", "observations", "assessments")
    assert schema.table_by_name("concerns").column_names[2:] == tuple(f"q{n}" for n in range(1, 36))


def test_links_point_at_tables_declared_earlier():
    order = {name: index for index, name in enumerate(schema.TABLE_NAMES)}
    for table, column, target in schema.links():
        assert order[target] < order[table], f"{table}.{column} links forward to {target}"


def test_eleven_standards_in_three_groups_with_both_equity_labels():
    assert len(STANDARDS) == 11 and len(set(STANDARD_IDS)) == 11
    assert {standard.group for standard in STANDARDS} == {
        "Rigorous content for each learner", "Transformational processes", "Conditions for success"}
    relabelled = {standard.label: standard.later_label for standard in STANDARDS if standard.later_label}
    assert relabelled == {"Equity Practices": "Learning Practices", "Equity Drivers": "Learning Drivers",
                          "Equity Foundations": "Learning Foundations"}
    assert match_standard("Learning Foundations") == "equity-foundations"
    assert match_standard("culture_of_collaborative_inquiry") == "culture-of-collaborative-inquiry"


def test_templates_are_current():
    for table in schema.TABLES:
        path = TEMPLATE_FOLDER / f"{table.name}.csv"
        assert path.read_text(encoding="utf-8") == template_csv(table.name), "run `make generated`"


def test_data_dictionary_is_current():
    assert DICTIONARY_PATH.read_text(encoding="utf-8") == data_dictionary_markdown(), "run `make generated`"


def test_bundled_sample_is_what_the_seeded_generator_makes(tmp_path):
    write_district(tmp_path)
    for path in sorted(SAMPLE_FOLDER.iterdir()):
        assert filecmp.cmp(path, tmp_path / path.name, shallow=False), f"{path.name} differs: run `make generated`"


def test_generator_makes_every_table_with_the_schema_columns():
    tables = generate_district(700, seed=5)
    # Every required column, in the schema's order; optional columns only where the sample carries them
    # (grade_when_assessed is for data over several years; the sample's students table gives each grade).
    left_out = {("assessments", "grade_when_assessed")}
    for table in schema.TABLES:
        expected = tuple(name for name in table.column_names if (table.name, name) not in left_out)
        assert tuple(tables[table.name].columns) == expected
    assert len(tables["students"]) == 700
    assert tables["students"]["student_id"].is_unique


def test_tables_overview_has_a_row_per_table():
    overview = schema.tables_overview()
    assert list(overview["table"]) == list(schema.TABLE_NAMES)
    assert isinstance(overview, pd.DataFrame)

"""The store's limits come from one source: the rating scale of kit.standards and the schema's
observations table (kit.schema) decide what the store accepts."""

from __future__ import annotations

import pytest

from kit import schema, standards
from kit.store import KINDS, RecordValueError
from kit.store.kinds import fields_of_table


def test_a_standards_rating_uses_the_standards_scale(store, cycle):
    rating = KINDS["standard_rating"].field("rating")
    assert (rating.low, rating.high) == (standards.RATING_MIN, standards.RATING_MAX)
    for value in standards.RATING_VALUES:
        assert store.standard_ratings.create(cycle.id, standard_id="evidence", rating=value).rating == value
    with pytest.raises(RecordValueError) as caught:
        store.standard_ratings.create(cycle.id, standard_id="evidence", rating=standards.RATING_MAX + 1)
    assert str(caught.value) == (f"The standards self-assessment rating was not saved: rating must be from "
                                 f"{standards.RATING_MIN} to {standards.RATING_MAX}, not {standards.RATING_MAX + 1}.")


def test_an_observation_has_the_columns_of_the_schemas_observations_table_and_a_note():
    table = schema.table_by_name("observations")
    kind = KINDS["observation"]
    assert kind.field_names == (*table.column_names, "note")
    for column in table.columns:
        field = kind.field(column.name)
        assert field.choices == column.allowed
        if column.kind == schema.INTEGER:
            assert (field.type, field.low, field.high) == ("int", column.minimum, column.maximum)
        if column.kind == schema.DATE:
            assert field.type == "date"
        assert field.required == (column.required and column.name != "window")


def test_an_observation_rated_outside_the_schemas_range_is_refused(store, cycle):
    rating = schema.table_by_name("observations").column("rating")
    values = dict(educator_id="E1", date="2025-10-02", component="Student discourse", window="fall")
    assert store.observations.create(cycle.id, rating=int(rating.maximum), **values).rating == rating.maximum
    with pytest.raises(RecordValueError, match=f"rating must be from {rating.minimum:g} to {rating.maximum:g}, "
                                               f"not {rating.maximum + 1:g}"):
        store.observations.create(cycle.id, rating=int(rating.maximum) + 1, **values)


def test_a_walkthrough_typed_in_an_app_saves_as_an_observation(store, cycle):
    walkthrough = store.observations.create(cycle.id, educator_id="E07", date="2025-10-02", observer_id="C01",
                                            window="fall", component="Modelling", rating=3, level_of_use="III",
                                            note="Thought aloud while reading.")
    assert store.observations.list(cycle.id, educator_id="E07") == [walkthrough]


def test_a_coaching_session_keeps_what_stage_4_needs(store, cycle):
    session = store.coaching_sessions.create(
        cycle.id, educator_id="E07", date="2025-10-03", minutes=40, component="Modelling",
        cycle_model="Student_Centred", student_target="Students explain their thinking in writing",
        evidence_pre="3 of 24 exit tickets explained", evidence_post="17 of 24 explained")
    assert (session.cycle_model, session.component) == ("student_centred", "Modelling")
    with pytest.raises(RecordValueError, match="cycle model must be one of impact, student_centred, not 'gradual'"):
        store.coaching_sessions.create(cycle.id, educator_id="E07", date="2025-10-03", cycle_model="gradual")


def test_fields_of_a_table_follow_the_schema_declaration():
    assert [f.name for f in fields_of_table("observations")] == list(schema.table_by_name("observations").column_names)
    assert fields_of_table("observations", optional=("window",))[3].required is False

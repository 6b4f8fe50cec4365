"""Random values of every type, in every field of every kind, on both back ends: each save gives a
record that reads back as saved, or a KitError - never a driver's exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kit.errors import KitError
from kit.store import KINDS

ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
ANY_TEXT = st.integers(0, 7).flatmap(lambda n: (
    st.text(ANY_CHARACTER, max_size=30) if n == 0 else
    st.sampled_from(["\x00", "a\ud83d", " ", "", "\u00e9l\u00e8ve \U0001F4DA"]) if n == 1 else st.text(min_size=1, max_size=300)))
WILD = st.one_of(
    st.none(), ANY_TEXT, st.integers(-(2**70), 2**70), st.floats(), st.booleans(), st.dates(), st.datetimes(),
    st.lists(ANY_TEXT, max_size=4), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.binary(max_size=8), st.decimals(allow_nan=True),
)


def _plausible(field, parents):
    if field.type == "ref":
        return st.sampled_from([parents[field.ref], "no-such-record"])
    if field.choices:
        return st.sampled_from(field.choices + tuple(c.upper() for c in field.choices))
    if field.type == "int":
        low = -(2**31) - 2 if field.low is None else field.low - 1
        high = 2**31 + 1 if field.high is None else field.high + 1
        numbers = st.integers(0, 5).flatmap(lambda n: st.integers(low, high) if n == 0 else st.integers(
            max(low, -3), min(high, 12)))
        return st.one_of(numbers, numbers.map(str), numbers.map(float))
    if field.type == "date":
        return st.one_of(st.dates(), st.dates().map(lambda d: d.isoformat()))
    if field.type == "list":
        return st.lists(ANY_TEXT, max_size=6)
    return ANY_TEXT


def _values(kind, parents, required=True):
    """Mostly plausible values, often wild ones; required fields present when `required`, others at random."""
    def mostly(plausible):  # one value in six is wild
        return st.integers(0, 5).flatmap(lambda n: WILD if n == 0 else plausible)

    fields = {f.name: mostly(_plausible(f, parents)) for f in kind.fields}
    always = {name: value for name, value in fields.items() if required and kind.field(name).required}
    sometimes = {name: value for name, value in fields.items() if name not in always}
    values = st.fixed_dictionaries(always, optional=sometimes)
    with_unknown = st.fixed_dictionaries({"unexpected": WILD}).flatmap(
        lambda extra: values.map(lambda chosen: {**chosen, **extra}))
    return st.integers(0, 9).flatmap(lambda n: with_unknown if n == 0 else values)


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_every_value_gives_a_saved_record_or_the_kits_error(store, cycle, kind_name):
    records = store.records(kind_name)
    kind = KINDS[kind_name]
    parents = {"plan": store.plans.create(cycle.id, title="Plan").id,
               "ic_map": store.ic_maps.create(cycle.id, name="Map").id}
    outcomes = {"saved": 0, "refused": 0}

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(values=_values(kind, parents), changes=_values(kind, parents, required=False))
    def save(values, changes):
        arguments = () if not kind.in_cycle else (cycle.id,)
        try:
            saved = records.create(*arguments, **values)
        except KitError:
            outcomes["refused"] += 1
            return
        assert records.get(saved.id) == saved
        outcomes["saved"] += 1
        try:
            updated = records.update(saved, **changes)
        except KitError:
            assert records.get(saved.id) == saved
            return
        assert records.get(saved.id) == updated

    save()
    assert outcomes["saved"] > 0 and outcomes["refused"] > 0, outcomes

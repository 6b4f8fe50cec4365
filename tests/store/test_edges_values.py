"""Failure class 3: values that used to reach the driver raw. One check before any driver, the same
on SQLite and PostgreSQL: the store refuses in a coach's words and is left as it was."""

from __future__ import annotations

import pytest

from kit.store import (RecordNotFoundError, RecordValueError, StoreError, StoreOpenError, open_store)
from kit.store.limits import INTEGER_MAX, INTEGER_MIN


@pytest.mark.parametrize("values, message", [
    ({"stage": 1, "text": "Went well \ud83d"},
     "The reflection was not saved: text cannot be saved as it is: it contains a broken character (half of an "
     "emoji or symbol, at character 11), often left by copying part of a text; retype that part and save again."),
    ({"stage": 1, "text": "Went\x00 well"},
     "The reflection was not saved: text cannot be saved as it is: it contains an invisible NUL character "
     "(at character 5); remove it and save again."),
    ({"stage": float("inf"), "text": "x"}, "The reflection was not saved: stage must be a whole number, not inf."),
    ({"stage": float("nan"), "text": "x"}, "The reflection was not saved: stage must be a whole number, not nan."),
    ({"stage": 2**63, "text": "x"}, "The reflection was not saved: stage must be from 0 to 6, not 9223372036854775808."),
    ({"stage": True, "text": "x"}, "The reflection was not saved: stage must be a whole number, not True."),
    ({"stage": 1, "text": 42}, "The reflection was not saved: text must be text, not 42."),
])
def test_a_value_no_back_end_can_keep_is_refused_in_words(store, store_url, cycle, unchanged, values, message):
    with unchanged(store_url), pytest.raises(RecordValueError) as caught:
        store.reflections.create(cycle.id, **values)
    assert str(caught.value) == message
    assert caught.value.unsaved == values


@pytest.mark.parametrize("minutes, message", [
    (INTEGER_MAX + 1, "The coaching session was not saved: minutes must be at most 2,147,483,647, not 2147483648."),
    (2**63, "The coaching session was not saved: minutes must be at most 2,147,483,647, not 9223372036854775808."),
    (-1, "The coaching session was not saved: minutes must be at least 0, not -1."),
])
def test_whole_numbers_stay_in_the_range_both_back_ends_keep(store, store_url, cycle, unchanged, minutes, message):
    with unchanged(store_url), pytest.raises(RecordValueError) as caught:
        store.coaching_sessions.create(cycle.id, educator_id="E1", date="2025-10-02", minutes=minutes)
    assert str(caught.value) == message


def test_the_largest_whole_number_saves_on_both_back_ends(store, cycle):
    session = store.coaching_sessions.create(cycle.id, educator_id="E1", date="2025-10-02", minutes=INTEGER_MAX)
    assert store.coaching_sessions.get(session.id).minutes == INTEGER_MAX
    assert INTEGER_MIN == -(2**31)


def test_ids_and_versions_of_the_wrong_form_are_refused_before_the_database(store, store_url, cycle, unchanged):
    goal = store.goals.create(cycle.id, goal_type="educator", what="Use exit tickets")
    with unchanged(store_url):
        with pytest.raises(RecordNotFoundError) as caught:
            store.goals.get(12345)
        assert str(caught.value) == "No goal with id 12345 is in this store."
        with pytest.raises(RecordNotFoundError, match="No goal with id x{39}\u2026 is in this store."):
            store.goals.get("x" * 300)
        with pytest.raises(StoreError) as caught:
            store.goals.update(goal.id, expected_version="1", what="changed")
        assert str(caught.value) == ("To save a goal, say which version was opened: a whole number from 1 "
                                     "(as in record.version), not '1'.")
        with pytest.raises(StoreError, match="a whole number from 1 .*not 4294967296"):
            store.goals.update(goal.id, expected_version=2**32, what="changed")
        with pytest.raises(StoreError) as caught:
            store.goals.create(7, goal_type="educator", what="x")
        assert str(caught.value) == ("The goal was not saved: its cycle (7) is not in this store. "
                                     "Choose a cycle from the list.")
        with pytest.raises(RecordValueError) as caught:
            store.plan_links.create(cycle.id, plan_id={"id": 1}, link_type="standard", ref="x")
        assert str(caught.value) == ("The learning plan link was not saved: plan id must be the id of a plan "
                                     "saved in this store, not {'id': 1}.")
    assert store.goals.list(123) == []


def test_lists_refuse_an_unknown_filter_or_a_value_no_record_can_hold(store, cycle):
    with pytest.raises(StoreError) as caught:
        store.plan_links.list(cycle.id, plan=1)
    assert str(caught.value) == ("The learning plan link records cannot be listed by 'plan': a learning plan "
                                 "link has no such field (its fields are: plan_id, link_type, ref, note).")
    with pytest.raises(StoreError) as caught:
        store.coaching_sessions.list(cycle.id, minutes=2**40)
    assert str(caught.value) == ("The coaching session records cannot be listed that way: minutes must be at "
                                 "most 2,147,483,647, not 1099511627776.")
    assert store.observations.list(cycle.id, level_of_use="iva") == []


def test_an_unknown_kind_is_named(store):
    with pytest.raises(StoreError) as caught:
        store.records("nonsense")
    assert str(caught.value).startswith("The store keeps no records of the kind 'nonsense'; its kinds are: cycle, goal,")


def test_an_author_name_that_cannot_be_stored_is_refused(store, store_url, cycle, unchanged):
    with unchanged(store_url), pytest.raises(StoreError) as caught:
        store.goals.create(cycle.id, by="ana\x00", goal_type="educator", what="x")
    assert str(caught.value) == (
        "The goal was not saved: the name of who saves it cannot be used (it contains an invisible NUL character "
        "(at character 4); remove it and save again). Set KIT_AUTHOR to your name or initials.")


def test_choices_are_matched_whatever_the_case_and_kept_as_declared(store, cycle):
    observation = store.observations.create(cycle.id, educator_id="E1", date="2025-10-02", component="Modelling",
                                            rating=3, level_of_use="iva")
    assert observation.level_of_use == "IVA"


@pytest.mark.postgres
def test_an_unknown_option_in_a_postgresql_url_is_named_without_the_password(backend, store_url):
    if backend != "postgresql":
        pytest.skip("a PostgreSQL URL")
    url = store_url + "&nonsense=1"
    with pytest.raises(StoreOpenError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "could not be opened: its URL has an option the database driver does not know. Remove or correct " \
           "the options after \u201c?\u201d in the URL." in message
    assert "kit-test-only" not in message and "***" in message


@pytest.mark.postgres
@pytest.mark.parametrize("change, words", [
    (lambda url: url.replace(":kit-test-only@", ":wrong-password@"),
     "the database server refused the login. Check the user name and password in the store's URL."),
    (lambda url: url.replace("/kit_test", "/no_such_database"),
     "the database named in its URL does not exist on the server. Create the database (see docs/store.md), or "
     "correct its name in the URL."),
    (lambda url: url.replace("@127.0.0.1:", "@127.0.0.1:1").replace(":15432", ":1"),
     "the database server cannot be reached. Check the server's name and port in the store's URL and that the "
     "server is running, then try again."),
], ids=["login", "database", "server"])
def test_a_server_that_says_no_is_named_without_the_password(backend, store_url, change, words):
    if backend != "postgresql":
        pytest.skip("a PostgreSQL URL")
    url = change(store_url)
    with pytest.raises(StoreOpenError) as caught:
        open_store(url)
    assert str(caught.value).endswith(f"could not be opened: {words}")
    assert "kit-test-only" not in str(caught.value) and "wrong-password" not in str(caught.value)

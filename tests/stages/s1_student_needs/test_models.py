"""Stage 1's model without widgets: what it decides ahead while the coach reads the page."""

import asyncio

import pytest

from kit.io import open_sample
from kit.privacy.cube import attached
from kit.stages.s1_student_needs.models import StudentNeedsModel


@pytest.fixture(scope="module")
def sample():
    return open_sample()


def decisions_of(model):
    return attached(model.results).for_unit(model.min_group_size)


def test_while_the_coach_reads_the_other_group_columns_windows_and_subjects_are_decided(sample):
    async def visit():
        model = StudentNeedsModel(sample)
        decisions = decisions_of(model)
        key = (model.subject, model.window)
        others = [group for group in model.group_columns if group != model.group]
        assert not any(decisions.decided(key, group) for group in others)  # the first view waits for none of them
        await model.ahead.finished()
        assert all(decisions.decided(key, group) for group in others)
        assert all(decisions.decided((model.subject, window), model.group) for window in model.options("window")[-3:])
        assert all(decisions.decided((subject, model.window), model.group) for subject in model.options("subject"))

        model.group = others[0]  # already decided: the change only looks it up
        before = dict(decisions._groups)
        model.group = others[1]
        assert decisions._groups.keys() == before.keys()
    asyncio.run(visit())


def test_a_change_drops_what_was_queued_for_the_last_choice_and_queues_for_the_new(sample):
    async def visit():
        model = StudentNeedsModel(sample)
        first_queue = model.ahead.waiting
        model.window = model.options("window")[0]  # before anything queued ran
        assert 0 < model.ahead.waiting <= first_queue
        await model.ahead.finished()
        assert decisions_of(model).decided((model.subject, model.options("window")[1]), model.group)
    asyncio.run(visit())


def test_without_a_running_loop_nothing_is_queued_and_every_figure_is_the_same(sample):
    async def read_after_the_ahead_work():
        model = StudentNeedsModel(sample)
        await model.ahead.finished()
        model.group = model.group_columns[-1]
        return model.by_group, model.gaps

    model = StudentNeedsModel(sample)
    assert model.ahead.waiting == 0
    model.group = model.group_columns[-1]
    by_group, gaps = asyncio.run(read_after_the_ahead_work())
    assert by_group.equals(model.by_group) and gaps.equals(model.gaps)

"""Start here's model, without widgets: it runs the data choice's actions and words the status line."""

import pytest

from kit.apps.components import DONE, FAILED
from kit.io import Dataset, open_sample
from kit.stages.s0_start_here.models import StartHereModel, summary_of


def test_the_sample_district_reads_as_ready():
    assert summary_of(open_sample()) == (DONE, "Data checked: 10 tables ready, no errors.")


def test_no_tables_and_errors_are_said_plainly():
    assert summary_of(Dataset()) == (FAILED, "No tables found yet. Add CSV or Excel files named after their tables "
                                             "(for example students.csv).")


def test_columns_waiting_for_their_codes_are_counted_in_the_status():
    state, message = summary_of(open_sample(), waiting=2)
    assert (state, message) == (DONE, 'Data checked: 10 tables ready, no errors. 2 columns not used until you say '
                                      'what their codes mean: see "Codes to explain".')


def test_an_action_changes_the_dataset_and_the_revision():
    model = StartHereModel()
    dataset = model.act("use_sample")
    assert dataset.has("students") and model.revision == 1 and model.summary()[0] == DONE
    with pytest.raises(ValueError):
        model.act("delete_everything")

"""The model of Start here: the data choice (`kit.apps.data_source.DataChoice`) and what the status
line says about it. No widgets: the app (`app.py`) builds the controls and calls these actions.

>>> model = StartHereModel()                       # doctest: +SKIP
>>> model.act("use_sample")                        # doctest: +SKIP
>>> model.summary()                                # doctest: +SKIP
('done', 'Data checked: 10 tables ready, no errors.')
"""

from __future__ import annotations

from traitlets import Instance, Int

from kit.apps.base import StageModel
from kit.apps.components import DONE, FAILED
from kit.apps.data_source import DataChoice
from kit.io import Dataset

#: The actions of `DataChoice` the app may call through `StartHereModel.act`.
ACTIONS = ("reopen", "use_sample", "use_folder", "add_uploads", "confirm", "choose_table", "map_column",
           "explain_codes", "choose_group", "set_wide_layout", "set_window_order", "forget", "undo",
           "remove_upload")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_of(dataset: Dataset, waiting: int = 0) -> tuple[str, str]:
    """(state, message) the status line shows for a dataset; `waiting` counts columns whose codes
    the coach has not explained yet.

    >>> summary_of(Dataset())
    ('failed', 'No tables found yet. Add CSV or Excel files named after their tables (for example students.csv).')
    """
    found = [name for name in dataset.loaded if dataset.loaded[name].ok]
    errors = dataset.error_count
    codes = (f" {_plural(waiting, 'column')} not used until you say what {'its' if waiting == 1 else 'their'} codes "
             "mean: see \"Codes to explain\"." if waiting else "")
    if errors:
        return FAILED, f"{_plural(errors, 'problem')} to fix before all tables can be used: see the list below.{codes}"
    if not dataset.loaded:
        return FAILED, "No tables found yet. Add CSV or Excel files named after their tables (for example students.csv)."
    message = f"Data checked: {_plural(len(found), 'table')} ready, no errors.{codes}"
    if dataset.problems and not codes:
        message += " Some warnings are listed below."
    return DONE, message


class StartHereModel(StageModel):
    """The coach's data choice and the status line's words about it. `act(name, ...)` runs one
    `DataChoice` action and says what came of it; `revision` goes up after each, so the view redraws."""

    stage_number = 0
    choice = Instance(DataChoice)
    revision = Int(0)

    def __init__(self, picker=None, choice: DataChoice | None = None):
        super().__init__(picker, Dataset())
        self.choice = choice if choice is not None else DataChoice()

    def act(self, name: str, *args) -> Dataset:
        """Run the data-choice action `name` with `args`, keep its dataset, and report the result."""
        if name not in ACTIONS:
            raise ValueError(f"StartHereModel.act: no action {name!r}")
        self.dataset = getattr(self.choice, name)(*args)
        self.report(*self.summary())
        self.revision += 1
        return self.dataset

    def summary(self) -> tuple[str, str]:
        return summary_of(self.dataset, len(self.choice.codes_to_explain()))

"""The stage-app base: every stage's models follow the open cycle, know the tables they lack, save
through one path and are the only writers of the status line; views only build controls and link them.

A stage's model subclasses `StageModel` and names its stage; a multi-step stage has one model per step:

>>> class GoalModel(StageModel):                                    # doctest: +SKIP
...     stage_number, step = 1, "goal"
...     def load(self):
...         self.goals = self.records("goals", goal_type="student_learning")
>>> model = GoalModel(picker.model, dataset)                        # doctest: +SKIP
>>> model.upsert("goal", "goals", None, goal_type="student_learning", what="...")   # doctest: +SKIP

The view builds its controls, calls the model's actions, and shows `model.state` beside its step.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar

import pandas as pd
from traitlets import HasTraits, List, Unicode

from kit.apps.components import FAILED, READY
from kit.errors import KitError
from kit.io import Dataset
from kit.registry import Stage, stage as stage_by_number
from kit.store import Record

# The state of one step, as the shell shows it beside the step's name.
NEEDS_DATA, STEP_READY, STEP_SAVED, STEP_FAILED = "needs data", "ready", "saved", "failed"
STEP_MARKS = {NEEDS_DATA: "\u25cb", STEP_READY: "", STEP_SAVED: "\u2713", STEP_FAILED: "!"}


class StageModel(HasTraits):
    """One stage's (or one step's) state: the open cycle, the tables it lacks, what it saved.

    `picker` is the `CyclePickerModel` every app shares (None for a model used on its own, in a test
    or a benchmark: no cycle, no store, nothing said); `dataset` the data chosen in Start here.
    Subclasses set `stage_number` (and `step` for a stage with several steps), override `load()` to
    read what the cycle has saved, and save through `save`/`upsert`, never the store directly.
    """

    stage_number: ClassVar[int]
    step: ClassVar[str] = ""
    #: The tables this step reads; by default the stage's own list from the registry.
    needs: ClassVar[tuple[str, ...] | None] = None

    cycle_id = Unicode(None, allow_none=True, help="the open cycle, followed from the picker")
    missing = List(help="the tables this step needs that the dataset lacks")
    state = Unicode(STEP_READY, help="needs data / ready / saved / failed")
    last_saved = Unicode("", help="when this model last saved (HH:MM), for the mark beside the button pressed")

    def __init__(self, picker=None, dataset: Dataset | None = None):
        super().__init__()
        self.picker = picker
        self.dataset = dataset if dataset is not None else Dataset()
        needed = self.needs if self.needs is not None else self.stage.needs
        self.missing = [name for name in needed if not self.dataset.has(name)]
        if self.missing:
            self.state = NEEDS_DATA
        self.observe(lambda _: self.load(), names="cycle_id")
        if picker is not None:
            picker.observe(lambda change: setattr(self, "cycle_id", change.new), names="cycle_id")
            self.cycle_id = picker.cycle_id
        if self.cycle_id is None:
            self.load()

    # -- what every step knows --------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        return stage_by_number(self.stage_number)

    @property
    def store(self):
        return self.picker.store if self.picker is not None else None

    @property
    def read_only(self) -> bool:
        return self.picker is None or self.picker.read_only

    @property
    def needs_data_message(self) -> str:
        """The one wording of "this step needs tables it does not have" ("" when it has them)."""
        return self.stage.missing_message(self.missing, what=self.step) if self.missing else ""

    def records(self, table: str, **where) -> list[Record]:
        """The open cycle's saved records of `table` (none without a store or a cycle)."""
        if self.store is None or self.cycle_id is None:
            return []
        return self.store.records(table).list(self.cycle_id, **where)

    def load(self) -> None:
        """Read what the open cycle has saved for this step (override; called when the cycle changes)."""

    # -- the status line: the models are its only writers --------------------------------------------
    def report(self, state: str, message: str) -> None:
        """Say something in the app's one status line (`state` from kit.apps.components)."""
        if self.picker is not None:
            self.picker.report(state, message)

    def report_problem(self, message: str) -> None:
        self.report(FAILED, message)
        self.state = STEP_FAILED

    def report_ready(self, message: str) -> None:
        self.report(READY, message)

    def has_cycle(self, action: str) -> bool:
        """True when a cycle is open; otherwise say what to do before `action`."""
        if self.cycle_id is None or self.store is None:
            self.report_problem(f"No cycle is open: create or choose a cycle at the top, then {action}.")
            return False
        return True

    # -- the one save path ----------------------------------------------------------------------------
    def save(self, what: str, action: Callable[[], Record], /, verb: str = "Saved") -> Record | None:
        """Run one save through the picker (the status line says what was saved and when, or why
        not; a conflict or refusal keeps the coach's values). Returns the record or None."""
        if self.picker is None:
            return None
        record = self.picker.save(what, action, verb=verb)
        self.state = STEP_SAVED if record is not None else STEP_FAILED
        if record is not None:
            self.last_saved = f"{verb.lower()} at {record.updated_at.astimezone():%H:%M}"
        return record

    def upsert(self, what: str, table: str, existing: Record | None, /, **values: Any) -> Record | None:
        """Update `existing` with `values`, or create a record of `table` in the open cycle (`what`
        names it in the status line; positional, so a field may be called "what" too)."""
        if existing is None and not self.has_cycle(f"save the {what}"):
            return None
        records = self.store.records(table)
        cycle_id = self.cycle_id
        return self.save(what, lambda: records.update(existing, **values) if existing is not None
                         else records.create(cycle_id, **values))

    def save_reflection(self, text: str, prompt: str = "") -> Record | None:
        """Save the coach's reflection on this stage (a `reflection` record with the stage's number)
        in the open cycle; the store records who wrote it and when."""
        if not (text or "").strip():
            self.report_problem("Write the reflection first.")
            return None
        record = self.upsert("reflection", "reflections", None, stage=self.stage_number, prompt=prompt or None,
                             text=text.strip())
        if record is not None:
            self.load()
        return record

    def archive(self, what: str, record: Record, archived: bool = True) -> Record | None:
        """Archive (or restore) one saved record: it leaves the figures but stays in the store."""
        records = self.store.records(record.kind)
        return self.save(what, lambda: records.archive(record, archived=archived),
                         verb="Archived" if archived else "Restored")

    def restore(self, what: str, record: Record) -> Record | None:
        """Bring an archived record back into the figures."""
        return self.archive(what, record, archived=False)

    def records_with_archived(self, table: str, **where) -> list[Record]:
        """The open cycle's records of `table`, archived ones too (for a list that can restore them)."""
        if self.store is None or self.cycle_id is None:
            return []
        return self.store.records(table).list(self.cycle_id, include_archived=True, **where)

    def history(self, record: Record) -> pd.DataFrame:
        """Who saved `record` and when, as the store keeps it: created, each later save counted by its
        version, the last change, and whether it is archived. Columns: change, by, when.

        >>> model.history(goal)["change"].tolist()                # doctest: +SKIP
        ['created', 'changed 2 times since; the last change', 'archived']
        """
        current = record
        if self.store is not None:
            try:
                current = self.store.records(record.kind).get(record.id)
            except KitError:  # gone from this store: show what the view holds
                current = record
        rows = [{"change": "created", "by": current.created_by, "when": _when(current.created_at)}]
        later = current.version - 1
        if later > 0:
            rows.append({"change": f"changed {later} time{'s' if later != 1 else ''} since; the last change",
                         "by": current.updated_by, "when": _when(current.updated_at)})
        if current.archived:
            rows.append({"change": "archived", "by": current.updated_by, "when": _when(current.updated_at)})
        return pd.DataFrame(rows, columns=["change", "by", "when"])


class ReflectionModel(StageModel):
    """The coach's reflections on a stage, saved in the open cycle as `reflection` records that carry
    the stage's number. A stage subclasses it and sets `stage_number`:

    >>> class EducatorLearningReflection(ReflectionModel):           # doctest: +SKIP
    ...     stage_number = 3
    """

    step, needs = "reflection", ()
    reflections = List(help="the open cycle's reflections on this stage (saved records)")

    def load(self) -> None:
        self.reflections = self.records("reflections", stage=self.stage_number)



def _when(moment) -> str:
    local = moment.astimezone()
    return f"{local:%d %b %Y, %H:%M}"

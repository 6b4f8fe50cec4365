"""The stage registry: the one list of the kit's stages, in theory-of-action order.

Navigation, Start here's stage list, serving, the browser and smoke tests, the benchmarks and the
docs check all read it; a stage is looked up by its number:

>>> stage(1).title
'Student learning needs'
>>> stage(1).app_module
'kit.stages.s1_student_needs.app'
>>> [s.number for s in STAGES][:3]
[0, 1, 2]
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from kit.workspace import PROJECT_ROOT

NOTEBOOK_FOLDER = PROJECT_ROOT / "notebooks"
DOCS_FOLDER = PROJECT_ROOT / "docs"
STAGES_PACKAGE = "kit.stages"


@dataclass(frozen=True)
class Saves:
    """What a stage keeps in the store: a record table, and a filter when several stages share it
    (reflections carry the stage's number)."""

    table: str
    where: tuple[tuple[str, object], ...] = ()

    def count(self, store, cycle_id: str) -> int:
        return len(store.records(self.table).list(cycle_id, **dict(self.where)))


@dataclass(frozen=True)
class Stage:
    """One stage: its number, words, folder (`kit/stages/<folder>`), notebook, the tables it reads,
    what it saves, the name of its app function in `<folder>/app.py`, and its docs page."""

    number: int
    title: str
    question: str
    folder: str
    notebook: str
    needs: tuple[str, ...]
    saves: tuple[Saves, ...]
    app_function: str
    docs: str

    @property
    def available(self) -> bool:
        """Whether this stage's notebook is in the kit yet."""
        return (NOTEBOOK_FOLDER / self.notebook).is_file()

    @property
    def heading(self) -> str:
        """How the stage's notebook and app open: "Stage 1: Student learning needs"."""
        return f"Stage {self.number}: {self.title}"

    @property
    def app_module(self) -> str:
        return f"{STAGES_PACKAGE}.{self.folder}.app"

    def app(self):
        """Build and return the stage's app (imported only when asked for)."""
        return getattr(importlib.import_module(self.app_module), self.app_function)()

    def missing_message(self, missing, what: str = "") -> str:
        """The one wording of "this stage (or step) needs tables the data does not have"."""
        names = [f"{name}.csv" for name in missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        subject = f"The {what} step" if what else "This stage"
        return (f"{subject} needs the {listed} table{'s' if len(names) != 1 else ''}: add "
                f"{'it' if len(names) == 1 else 'them'} in Start here, where an empty template of each "
                "can be downloaded.")

    def progress(self, available_tables, store=None, cycle_id: str | None = None) -> str:
        """Where the stage stands, in words: the data it still needs, else what the coach has saved
        in it for the cycle. `store` is a `kit.store.Store`, or None when no store is open."""
        missing = [name for name in self.needs if name not in available_tables]
        if missing:
            return "needs data: " + ", ".join(missing)
        if store is None or cycle_id is None or not self.saves:
            return "ready"
        saved = sum(saves.count(store, cycle_id) for saves in self.saves)
        return f"{saved} record{'s' if saved != 1 else ''} saved for this cycle" if saved else "ready, nothing saved yet"


def _reflections(number: int) -> Saves:
    return Saves("reflections", (("stage", number),))


STAGES: tuple[Stage, ...] = (
    Stage(0, "Start here", "What data do we have, and which cycle are we in?", "s0_start_here",
          "00_start_here.ipynb", (), (), "start_here_app", "your-data.md"),
    Stage(1, "Student learning needs", "Where are students, and which groups are not yet served well?",
          "s1_student_needs", "01_student_needs.ipynb", ("students", "assessments"),
          (Saves("goals", (("goal_type", "student_learning"),)), _reflections(1)), "student_needs_app", "student-needs.md"),
    Stage(2, "Standards-based professional learning",
          "What learning will educators do, and is it aligned to the standards?", "s2_professional_learning",
          "02_professional_learning.ipynb", ("learning_activities", "attendance", "educators"),
          (Saves("standard_ratings"), Saves("plans"), Saves("ic_maps"), _reflections(2)),
          "professional_learning_app", "professional-learning.md"),
    Stage(3, "Knowledge, skills and dispositions", "Did educators' knowledge, skills and beliefs change?",
          "s3_educator_learning", "03_knowledge_skills_dispositions.ipynb", ("educator_measures",),
          (_reflections(3),), "educator_learning_app", "educator-learning.md"),
    Stage(4, "Educator practice", "Did classroom practice change, how faithfully, and who gets it?",
          "s4_educator_practice", "04_educator_practice.ipynb", (),
          (Saves("observations"), Saves("coaching_sessions"), _reflections(4)), "educator_practice_app",
          "educator-practice.md"),
    Stage(5, "Student results", "Did students' results improve, for every group, and does it tie back to the learning?",
          "s5_student_results", "05_student_results.ipynb", ("students", "assessments", "rosters"),
          (_reflections(5),), "student_results_app", "student-results.md"),
    Stage(6, "Continuous improvement", "What worked, and what comes next?", "s6_continuous_improvement",
          "06_continuous_improvement.ipynb", ("assessments",), (Saves("decisions"), _reflections(6)),
          "continuous_improvement_app", "continuous-improvement.md"),
)

_BY_NUMBER = {s.number: s for s in STAGES}


def stage(number: int) -> Stage:
    """The stage with this number (a KeyError names the numbers there are)."""
    try:
        return _BY_NUMBER[number]
    except KeyError:
        raise KeyError(f"no stage {number}; the stages are {sorted(_BY_NUMBER)}") from None


def show_stage(number: int):
    """What each stage notebook's one code cell calls: the stage's app, ready to display."""
    return stage(number).app()

"""The kit's stages, in theory-of-action order: one notebook (and one app) each."""

from dataclasses import dataclass

from kit.workspace import PROJECT_ROOT

NOTEBOOK_FOLDER = PROJECT_ROOT / "notebooks"


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    question: str
    notebook: str
    needs: tuple[str, ...]  # the tables the stage reads
    saves: tuple[str, ...] = ()  # the store's record tables where the stage keeps the coach's work

    @property
    def available(self) -> bool:
        """Whether this stage's notebook is in the kit yet."""
        return (NOTEBOOK_FOLDER / self.notebook).is_file()


STAGES = (
    Stage(0, "Start here", "What data do we have, and which cycle are we in?", "00_start_here.ipynb", (), ("cycles",)),
    Stage(1, "Student learning needs", "Where are students, and which groups are not yet served well?",
          "01_student_needs.ipynb", ("students", "assessments"), ("goals",)),
    Stage(2, "Standards-based professional learning",
          "What learning will educators do, and is it aligned to the standards?", "02_professional_learning.ipynb",
          ("learning_activities", "attendance", "educators"), ("standard_ratings", "plans", "ic_maps")),
    Stage(3, "Knowledge, skills, dispositions", "Did educators' knowledge, skills and beliefs change?",
          "03_knowledge_skills_dispositions.ipynb", ("educator_measures", "concerns"), ("reflections",)),
    Stage(4, "Educator practice", "Did classroom practice change, and how faithfully?", "04_educator_practice.ipynb",
          ("observations",), ("observations", "coaching_sessions")),
    Stage(5, "Student results", "Did students' results improve, for every group?", "05_student_results.ipynb",
          ("students", "assessments", "rosters"), ("reflections",)),
    Stage(6, "Continuous improvement", "What worked, and what comes next?", "06_continuous_improvement.ipynb",
          ("assessments",), ("decisions",)),
)


def stage_progress(stage: Stage, available_tables, store=None, cycle_id: str | None = None) -> str:
    """Where a stage stands, in words: the data it still needs, else what the coach has saved in it
    for the cycle. `store` is a `kit.store.Store`, or None when no store is open."""
    missing = [name for name in stage.needs if name not in available_tables]
    if missing:
        return "needs data: " + ", ".join(missing)
    if store is None or cycle_id is None or stage.number == 0:
        return "ready"
    saved = 0
    for table in stage.saves:
        records = store.records(table).list(cycle_id)
        saved += sum(1 for record in records if table != "reflections" or record.stage == stage.number)
    return f"{saved} record{'s' if saved != 1 else ''} saved for this cycle" if saved else "ready, nothing saved yet"


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

    @property
    def available(self) -> bool:
        """Whether this stage's notebook is in the kit yet."""
        return (NOTEBOOK_FOLDER / self.notebook).is_file()


STAGES = (
    Stage(0, "Start here", "What data do we have, and which cycle are we in?", "00_start_here.ipynb", ()),
    Stage(1, "Student learning needs", "Where are students, and which groups are not yet served well?",
          "01_student_needs.ipynb", ("students", "assessments")),
    Stage(2, "Standards-based professional learning",
          "What learning will educators do, and is it aligned to the standards?", "02_professional_learning.ipynb",
          ("learning_activities", "attendance", "educators")),
    Stage(3, "Knowledge, skills, dispositions", "Did educators' knowledge, skills and beliefs change?",
          "03_knowledge_skills_dispositions.ipynb", ("educator_measures", "concerns")),
    Stage(4, "Educator practice", "Did classroom practice change, and how faithfully?", "04_educator_practice.ipynb",
          ("observations",)),
    Stage(5, "Student results", "Did students' results improve, for every group?", "05_student_results.ipynb",
          ("students", "assessments", "rosters")),
    Stage(6, "Continuous improvement", "What worked, and what comes next?", "06_continuous_improvement.ipynb",
          ("assessments",)),
)

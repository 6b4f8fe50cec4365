"""Stage 2, standards-based professional learning: rate the current learning against the standards,
plan the new learning backwards from the students' goal, see who is getting it, and describe the
practice it aims at (the Innovation Configuration map).

Each step is a tab; each has a model (`kit.stages.s2_professional_learning.models`) that calls the kit
and the store, and a view in its own module. Everything is saved in the coaching store as it is
entered (see docs/professional-learning.md).
"""

from __future__ import annotations

import ipywidgets as widgets

from kit.apps.shell import StageShell, app_entry
from kit.stages.s2_professional_learning.app.assessment import SelfAssessmentStep
from kit.stages.s2_professional_learning.app.ic import ICMapStep
from kit.stages.s2_professional_learning.app.participation import ParticipationStep
from kit.stages.s2_professional_learning.app.plan import PlanStep
from kit.stages.s2_professional_learning.models import ICMapModel, ParticipationModel, PlanModel, SelfAssessmentModel

STEP_TITLES = ("Standards self-assessment", "Plan backwards", "Participation and access", "Practice map")


class ProfessionalLearningApp:
    """The stage 2 app. `ProfessionalLearningApp().view` is the widget to display."""

    def __init__(self, shell: StageShell | None = None):
        self.shell = shell or StageShell(2)
        picker = self.shell.picker.model
        self.assessment = SelfAssessmentStep(SelfAssessmentModel(picker), self.shell)
        self.plan = PlanStep(PlanModel(picker), self.shell)
        self.participation = ParticipationStep(ParticipationModel(self.shell.dataset, picker), self.shell,
                                               self.plan.model.goal_text)
        self.ic_map = ICMapStep(ICMapModel(picker), self.shell)
        self.plan.model.observe(self.shell.guard(lambda _: self.participation.pick_group()), names="student_goals")
        steps = (self.assessment, self.plan, self.participation, self.ic_map)
        self.steps = self.shell.steps([(title, step.model, step.view) for title, step in zip(STEP_TITLES, steps)])
        self.view = self.shell.page(self.steps)


@app_entry
def professional_learning_app() -> widgets.VBox:
    """Build the stage 2 app and return its view (the notebook displays it)."""
    return ProfessionalLearningApp().view

"""The models of stage 3: change in learning (with hours and equity measures), Stages of Concern,
and the coach's reflection. No widgets: the app (`app.py`) builds controls and links them here.

>>> from kit.io import open_sample
>>> model = LearningChangeModel(None, open_sample())
>>> model.before, model.after
('2024-25 fall', '2025-26 spring')
"""

from __future__ import annotations

import pandas as pd
from traitlets import Any, Bool, Int, List, Unicode

from kit.apps.base import ReflectionModel as BaseReflectionModel, StageModel
from kit.apps.components import SAVED
from kit.errors import DataError, KitError
from kit.store.engine import view_only_default

from . import analysis as learning
from .tags import load_equity_tags, save_equity_tags

#: The groupings offered, with the tables each needs.
GROUPING_NEEDS = {"school_id": ("educators",), "role": ("educators",),
                  "design": ("educators", "learning_activities", "attendance")}
#: Questions to start a reflection from (the kit's own words).
REFLECTION_PROMPTS = (
    "What did educators learn, and where did the learning not take hold yet?",
    "What do the hours and the gains suggest about how much learning it takes?",
    "What do the equity measures say about beliefs we still need to examine?",
    "What are educators most concerned about now, and what will the next coaching moves be?",
)


def individuals_hidden(picker) -> bool:
    """True where no individual educator may be shown: a team's view-only app."""
    return view_only_default() or (picker is not None and picker.read_only and picker.store is not None)


class _WindowsModel(StageModel):
    """A step that compares a before and an after window."""

    before = Unicode(None, allow_none=True)
    after = Unicode(None, allow_none=True)
    by = Unicode(None, allow_none=True, help="None (all educators), school_id, role or design")
    revision = Int(0)

    def _start(self, windows: list[str]) -> None:
        self.windows = windows
        if len(windows) >= 2:
            self.set_trait("before", windows[0])
            self.set_trait("after", windows[-1])
        self.groups = learning.educator_groups(self.table("educators"), self.table("learning_activities"),
                                               self.table("attendance"))
        self.observe(lambda _: self.update(), names=["before", "after", "by"])
        self.update()

    def table(self, name: str) -> pd.DataFrame | None:
        return self.dataset.table(name) if self.dataset.has(name) else None

    def grouping_options(self) -> list[tuple[str, str | None]]:
        """All educators together, then each grouping whose tables are in the data."""
        options = [("All educators together", None)]
        options += [(f"By {learning.GROUPINGS[by]}", by) for by, needed in GROUPING_NEEDS.items()
                    if all(self.dataset.has(name) for name in needed)]
        return options

    def compare(self, compute) -> bool:
        """Run `compute` for the chosen windows; a window problem goes to the status line."""
        if self.before is None or self.after is None:
            return False
        try:
            compute()
        except KitError as error:
            self.report_problem(error.message)
            return False
        self.revision += 1
        return True


class LearningChangeModel(_WindowsModel):
    """Change in knowledge, skills and dispositions, participants against others, hours against
    change, and the equity-tagged measures, for the chosen windows and grouping."""

    stage_number, step = 3, "change"
    tagged = List(help="the measures the coach tagged as equity-related")
    change = Any(help="change_by_measure for the windows and grouping")
    participants = Any(help="participant_comparison, or None without attendance")
    dose = Any(help="dose_frame, or None without attendance")
    association = Any()
    line = Any(help="FittedLine, or None when there is no line to fit")
    bands = Any()
    individuals_hidden = Bool(False)

    def __init__(self, picker=None, dataset=None):
        super().__init__(picker, dataset)
        self.min_group_size = learning.EDUCATOR_MIN_GROUP_SIZE
        self.individuals_hidden = individuals_hidden(picker)
        self.measures = None
        if self.missing:
            return
        self.measures = self.dataset.table("educator_measures")
        self.measure_names = sorted(self.measures["measure"].dropna().astype(str).unique())
        self.tagged = learning.clean_tags(load_equity_tags(), self.measure_names)
        self.observe(lambda _: self.revision_bump(), names="tagged")
        self._start(learning.measure_windows(self.measures))

    def revision_bump(self) -> None:
        self.revision += 1

    def update(self) -> None:
        if self.measures is None:
            return
        self.compare(self._compute)

    def _compute(self) -> None:
        size = self.min_group_size
        self.change = learning.change_by_measure(self.measures, self.before, self.after, groups=self.groups,
                                                 by=self.by, min_group_size=size, coded=True)
        attendance = self.table("attendance")
        if attendance is None:
            self.participants = self.dose = self.association = self.line = self.bands = None
            return
        hours, self.hours_words = learning.hours_in_span(attendance, self.table("learning_activities"),
                                                         self.before, self.after)
        self.participants = learning.participant_comparison(self.measures, hours, self.before, self.after,
                                                            min_group_size=size)
        self.dose = learning.dose_frame(hours, learning.educator_learning_change(self.measures, self.before, self.after))
        self.association = learning.hours_association(self.dose, min_group_size=size)
        try:
            self.line = learning.fit_line(self.dose["hours"], self.dose["learning_change"]) \
                if len(self.dose) >= size else None
        except DataError:
            self.line = None
        self.bands = learning.change_by_hours_band(self.measures, hours, self.before, self.after, min_group_size=size)

    def summary(self) -> str:
        """The finding for all educators, in words."""
        if self.change is None:
            return ""
        everyone = self.change[self.change["group"] == learning.ALL_EDUCATORS]
        # A measure whose mean is coded near 0% or 100% keeps its verdict, not its change.
        shown = everyone[~everyone["suppressed"] & (everyone["mean_change"].notna() | everyone["mean_after_text"].ne(""))]
        if shown.empty:
            return f"From {self.before} to {self.after}: too few educators were measured in both windows to show."
        rose = shown[shown["verdict"] == "higher"]["measure"].tolist()
        text = f"From {self.before} to {self.after}, {len(rose)} of {len(shown)} measures rose"
        return text + (f" ({', '.join(rose)})." if rose else ".")

    def dose_words(self) -> str:
        if self.association is None:
            return "Add the attendance table to see learning hours against change."
        return f"{learning.dose_response_words(self.association, self.line)} {self.hours_words}"

    def equity_section(self) -> pd.DataFrame:
        return learning.equity_measure_change(self.change, self.tagged)

    def equity_words(self) -> str:
        return learning.equity_words(self.change, self.tagged)

    def suggested_tags(self) -> list[str]:
        return learning.suggest_equity_measures(self.measure_names)

    def set_equity_tags(self, measures) -> bool:
        """Keep `measures` as the equity-tagged measures (in the workspace); refused in view-only mode."""
        if self.individuals_hidden:
            self.report_problem("Tags are set by the coach; this view only shows them.")
            return False
        unknown = sorted(set(map(str, measures)) - set(self.measure_names))
        if unknown:
            self.report_problem(f"There is no measure called {unknown[0]!r} in the educator measures.")
            return False
        self.tagged = save_equity_tags(measures)
        self.report(SAVED, f"Kept {len(self.tagged)} measure{'s' if len(self.tagged) != 1 else ''} as "
                    "equity-related.")
        return True


class ConcernsModel(_WindowsModel):
    """Stages of Concern: scores, group profiles pre and post, peaks, the norm table, and an
    individual's profile for the coach (never in view-only mode)."""

    stage_number, step, needs = 3, "concerns", ("concerns",)
    norms = Any(None, allow_none=True, help="the checked norm table, or None (raw profiles)")
    norm_problems = List()
    profile = Any(help="group_profiles for the windows and grouping")
    peaks_before = Any()
    peaks_after = Any()
    individuals_hidden = Bool(False)

    def __init__(self, picker=None, dataset=None):
        super().__init__(picker, dataset)
        self.min_group_size = learning.EDUCATOR_MIN_GROUP_SIZE
        self.individuals_hidden = individuals_hidden(picker)
        self.scores = None
        if self.missing:
            return
        self.scores = learning.score_concerns(self.dataset.table("concerns"))
        self.observe(lambda _: self.update(), names="norms")
        self._start(learning.measure_windows(self.dataset.table("concerns")))

    def update(self) -> None:
        if self.scores is None:
            return
        self.compare(self._compute)

    def _compute(self) -> None:
        size, windows = self.min_group_size, [self.before, self.after]
        self.profile = learning.group_profiles(self.scores, windows, groups=self.groups, by=self.by,
                                               norms=self.norms, min_group_size=size)
        self.peaks_before = learning.peak_counts(self.scores, self.before, self.norms, min_group_size=size)
        self.peaks_after = learning.peak_counts(self.scores, self.after, self.norms, min_group_size=size)

    def load_norms(self, content: bytes, file_name: str) -> bool:
        """Read a norm table; on problems keep the raw profiles and list what to fix."""
        table, problems = learning.read_norm_table(content, file_name)
        self.norm_problems = [problem.message for problem in problems]
        if table is None:
            self.report_problem(f"The norm table {file_name} was not used: {len(problems)} problem"
                                f"{'s' if len(problems) != 1 else ''} to fix (listed below). Profiles stay raw.")
            return False
        self.norms = table
        self.report_ready(f"Percentiles now come from {file_name}.")
        return True

    def clear_norms(self) -> None:
        self.norms, self.norm_problems = None, []

    def summary(self) -> str:
        if self.profile is None:
            return ""
        words = learning.profile_words(self.profile[self.profile["group"] == self.profile["group"].iloc[0]],
                                       self.before, self.after) if self.by is None else ""
        unscored = int((~self.scores["scored"]).sum())
        rule = (f" {unscored} response{'s were' if unscored != 1 else ' was'} not scored: "
                f"{learning.MISSING_ITEM_RULE}") if unscored else ""
        raw = "" if self.norms is not None else " " + learning.RAW_ONLY_NOTE
        return (words + rule + raw).strip()

    def educator_options(self) -> list[str]:
        """Educators with a scored response, for the coach's individual view ([] in view-only mode)."""
        if self.individuals_hidden or self.scores is None:
            return []
        return sorted(self.scores.loc[self.scores["scored"], "educator_id"].unique())

    def individual(self, educator_id: str) -> pd.DataFrame | None:
        """One educator's profiles in the two windows, with peaks (coach only; None in view-only mode)."""
        if self.individuals_hidden:
            self.report_problem("Individual profiles are for the coach only; this view shows groups.")
            return None
        chosen = self.scores[(self.scores["educator_id"] == educator_id) & self.scores["window"].isin([self.before, self.after])]
        return learning.profiles(chosen, self.norms)

    def unscored(self) -> pd.DataFrame:
        """Responses left unscored (coach: who and why; view-only: nothing individual)."""
        frame = learning.unscored(self.scores) if self.scores is not None else pd.DataFrame()
        return frame.iloc[0:0] if self.individuals_hidden else frame


class ReflectionModel(BaseReflectionModel):
    """The coach's reflections on this stage, saved in the open cycle as `reflection` records (stage 3)."""

    stage_number = 3

"""The learning plan, planned backwards: from the students' learning goal to what educators must
know, do and believe, to the learning designs and dated activities, with the evidence to collect
at each of Guskey's five evaluation levels; and the alignment of the activities to the standards.

The plan is saved as one `plan` record: its title, and its parts as JSON in `summary`
(`LearningPlan.to_summary` / `LearningPlan.from_summary`), so it is saved and reopened exactly in
one transaction.

>>> plan = LearningPlan("Fractions", activities=[PlannedActivity("Number talks", "workshop", hours=3,
...                                                              standards=("learning-designs",))])
>>> LearningPlan.from_summary(plan.title, plan.to_summary()) == plan
True
>>> len(alignment_gaps(plan_activities_frame(plan)))
10
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pandas as pd

from kit import schema
from kit.standards import STANDARD_IDS, STANDARDS

PLAN_FORMAT = 1

#: What educators will gain, planned backwards from the student goal: (key, heading, prompt).
OUTCOME_DOMAINS = (
    ("knowledge", "Knowledge", "What will educators know or understand that they do not yet?"),
    ("skills", "Skills", "What will educators be able to do?"),
    ("dispositions", "Dispositions", "What beliefs, confidence or commitment do we hope to build?"),
    ("practice", "Practice to change", "What will we see in classrooms when the learning has taken hold?"),
)
OUTCOME_KEYS = tuple(key for key, _, _ in OUTCOME_DOMAINS)

#: The kinds of learning, as the learning_activities table allows them.
LEARNING_DESIGNS = schema.table_by_name("learning_activities").column("design").allowed

#: Guskey's five levels of evaluating professional learning, planned from 5 back to 1: (level, name, prompt).
EVALUATION_LEVELS = (
    (1, "Reactions", "How will you hear what participants thought of the learning?"),
    (2, "Learning", "How will you know what educators learned (knowledge, skills, beliefs)?"),
    (3, "Organisation support", "How will you check that the school supports the change (time, materials, leaders)?"),
    (4, "Use of new knowledge and skills", "How will you see whether educators use what they learned?"),
    (5, "Student learning outcomes", "Which student results will show whether students gained?"),
)
LEVEL_NUMBERS = tuple(level for level, _, _ in EVALUATION_LEVELS)

ACTIVITY_COLUMNS = ("activity_id", "title", "design", "date", "hours", "standards")


@dataclass
class PlannedActivity:
    """One planned learning activity. `activity_id` names it in learning_activities once it is there."""

    title: str
    design: str = "workshop"
    date: str = ""  # ISO date, e.g. 2025-10-06; empty when not yet scheduled
    hours: float = 0.0
    standards: tuple[str, ...] = ()
    activity_id: str = ""

    def __post_init__(self):
        self.standards = tuple(self.standards)
        self.hours = float(self.hours or 0)


@dataclass
class LearningPlan:
    """A cycle's learning plan. `outcomes` maps each of `OUTCOME_KEYS` to text; `evidence` maps each
    of `LEVEL_NUMBERS` to the evidence the coach will collect at that level."""

    title: str
    student_goal_id: str = ""
    outcomes: dict[str, str] = field(default_factory=dict)
    designs: list[str] = field(default_factory=list)
    activities: list[PlannedActivity] = field(default_factory=list)
    evidence: dict[int, str] = field(default_factory=dict)
    notes: str = ""

    def to_summary(self) -> str:
        """The plan's parts as JSON text, for the plan record's `summary`."""
        data = asdict(self)
        data.pop("title")
        data["evidence"] = {str(level): text for level, text in self.evidence.items()}
        data["activities"] = [dict(item, standards=list(item["standards"])) for item in data["activities"]]
        return json.dumps({"kit_plan": PLAN_FORMAT, **data}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_summary(cls, title: str, summary: str | None) -> "LearningPlan":
        """The plan saved as `summary`. A summary that is not the kit's JSON (typed elsewhere) becomes the notes."""
        try:
            data = json.loads(summary or "")
        except ValueError:
            data = None
        if not isinstance(data, dict) or "kit_plan" not in data:
            return cls(title, notes=summary or "")
        return cls(title, student_goal_id=data.get("student_goal_id", ""), outcomes=dict(data.get("outcomes", {})),
                   designs=list(data.get("designs", [])),
                   activities=[PlannedActivity(**item) for item in data.get("activities", [])],
                   evidence={int(level): text for level, text in data.get("evidence", {}).items()},
                   notes=data.get("notes", ""))


def split_standards(text) -> tuple[str, ...]:
    """Standard ids from a ';'-joined text (or a list), blanks dropped: "evidence; leadership" -> ids."""
    if text is None or (not isinstance(text, (list, tuple)) and pd.isna(text)):
        return ()
    items = text if isinstance(text, (list, tuple)) else str(text).split(";")
    return tuple(item.strip() for item in items if str(item).strip())


def plan_activities_frame(plan: LearningPlan) -> pd.DataFrame:
    """The plan's activities: activity_id, title, design, date, hours, standards (';'-joined ids)."""
    return pd.DataFrame([{"activity_id": a.activity_id, "title": a.title, "design": a.design, "date": a.date,
                          "hours": a.hours, "standards": ";".join(a.standards)} for a in plan.activities],
                        columns=list(ACTIVITY_COLUMNS))


def activities_from_data(learning_activities: pd.DataFrame) -> list[PlannedActivity]:
    """The learning_activities table as planned activities (to start a plan from what is on offer)."""
    return [PlannedActivity(row.title, row.design, "" if pd.isna(row.date) else pd.Timestamp(row.date).date().isoformat(),
                            float(row.hours), split_standards(row.standards), row.activity_id)
            for row in learning_activities.itertuples(index=False)]


def alignment_matrix(activities: pd.DataFrame) -> pd.DataFrame:
    """Activities x standards: one row per activity (its title), one boolean column per standard id
    (in the standards' order), True where the activity addresses the standard; then a last row,
    "activities", counting the activities that touch each standard."""
    rows = {}
    for position, row in enumerate(activities.itertuples(index=False)):
        named = set(split_standards(row.standards))
        rows[f"{position + 1}. {row.title}"] = [standard_id in named for standard_id in STANDARD_IDS]
    matrix = pd.DataFrame.from_dict(rows, orient="index", columns=list(STANDARD_IDS)).astype(bool)
    matrix.index.name = "activity"
    counts = matrix.sum().astype(int) if len(matrix) else pd.Series(0, index=list(STANDARD_IDS))
    return pd.concat([matrix.astype(object), pd.DataFrame([counts.tolist()], index=["activities"], columns=list(STANDARD_IDS))])


def alignment_gaps(activities: pd.DataFrame) -> pd.DataFrame:
    """The standards no activity of the plan addresses: standard_id, standard, group (standards' order)."""
    touched = {standard_id for text in activities["standards"] for standard_id in split_standards(text)}
    return pd.DataFrame([{"standard_id": s.id, "standard": s.label, "group": s.group}
                         for s in STANDARDS if s.id not in touched], columns=["standard_id", "standard", "group"])


def unknown_standards(activities: pd.DataFrame) -> list[str]:
    """Standard ids named by activities that are not among the kit's standards (typing slips)."""
    named = {standard_id for text in activities["standards"] for standard_id in split_standards(text)}
    return sorted(named - set(STANDARD_IDS))


def plan_checks(plan: LearningPlan, has_student_goal: bool) -> list[str]:
    """What the plan still lacks, in plain words, planned backwards (an empty list: the plan is complete)."""
    missing = [] if has_student_goal else ["Write the students' learning goal this plan serves."]
    missing += [f"Say what educators will gain in {heading.lower()}." for key, heading, _ in OUTCOME_DOMAINS
                if not plan.outcomes.get(key, "").strip()]
    if not plan.designs:
        missing.append("Choose at least one learning design.")
    if not plan.activities:
        missing.append("Add the activities, with dates and hours.")
    undated = [a.title for a in plan.activities if not a.date or not a.hours]
    if undated:
        missing.append(f"Give a date and hours to: {', '.join(undated)}.")
    missing += [f"Name the evidence for level {level} ({name.lower()})." for level, name, _ in EVALUATION_LEVELS
                if not plan.evidence.get(level, "").strip()]
    return missing

"""The Standards for Professional Learning (Learning Forward, 2022) as data.

The only list of the standards in the kit: every place that names a standard reads it from here.
Labels are the standards' short names; summaries are our own words, not the standards' text.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
    id: str
    label: str
    group: str
    summary: str
    later_label: str = ""

    @property
    def labels(self) -> str:
        """The label, with the later one in brackets where the standard was relabelled."""
        return f"{self.label} ({self.later_label})" if self.later_label else self.label


RIGOROUS_CONTENT = "Rigorous content for each learner"
TRANSFORMATIONAL_PROCESSES = "Transformational processes"
CONDITIONS_FOR_SUCCESS = "Conditions for success"
GROUPS = (RIGOROUS_CONTENT, TRANSFORMATIONAL_PROCESSES, CONDITIONS_FOR_SUCCESS)

# Learning Forward's site later relabelled the three equity standards (Learning Practices,
# Learning Drivers, Learning Foundations); both labels are kept, the 2022 one first.
STANDARDS = (
    Standard("equity-practices", "Equity Practices", RIGOROUS_CONTENT,
             "Educators learn to know their students well and to shape learning so each one thrives.",
             "Learning Practices"),
    Standard("curriculum-assessment-instruction", "Curriculum, Assessment, and Instruction", RIGOROUS_CONTENT,
             "Learning deepens educators' grasp of high-quality curriculum, assessment and teaching."),
    Standard("professional-expertise", "Professional Expertise", RIGOROUS_CONTENT,
             "Learning builds the knowledge and skill each educator's role calls for."),
    Standard("equity-drivers", "Equity Drivers", TRANSFORMATIONAL_PROCESSES,
             "Learning examines beliefs and systems so that every student is served fairly.",
             "Learning Drivers"),
    Standard("evidence", "Evidence", TRANSFORMATIONAL_PROCESSES,
             "Data of many kinds guide the planning, study and judging of professional learning."),
    Standard("learning-designs", "Learning Designs", TRANSFORMATIONAL_PROCESSES,
             "The way adults learn is chosen on purpose, drawing on how people learn best."),
    Standard("implementation", "Implementation", TRANSFORMATIONAL_PROCESSES,
             "Change is supported over time, with feedback, until new practice takes hold."),
    Standard("equity-foundations", "Equity Foundations", CONDITIONS_FOR_SUCCESS,
             "Structures and expectations make fair, high-quality learning the norm for all.",
             "Learning Foundations"),
    Standard("culture-of-collaborative-inquiry", "Culture of Collaborative Inquiry", CONDITIONS_FOR_SUCCESS,
             "Educators share responsibility and study their practice together."),
    Standard("leadership", "Leadership", CONDITIONS_FOR_SUCCESS,
             "Leaders build the capacity, advocacy and systems that professional learning needs."),
    Standard("resources", "Resources", CONDITIONS_FOR_SUCCESS,
             "Time, people, money and tools for professional learning are set aside and used well."),
)

STANDARD_IDS = tuple(standard.id for standard in STANDARDS)


def standard_by_id(standard_id: str) -> Standard:
    """The standard with this id, e.g. `standard_by_id("evidence").label == "Evidence"`."""
    for standard in STANDARDS:
        if standard.id == standard_id:
            return standard
    raise KeyError(standard_id)


def match_standard(text: str) -> str | None:
    """The id of the standard a coach's text names (id, label or later label, any case), else None.

    >>> match_standard("Learning Designs"), match_standard("learning drivers"), match_standard("x")
    ('learning-designs', 'equity-drivers', None)
    """
    wanted = " ".join(text.replace("-", " ").replace("_", " ").lower().split())
    for standard in STANDARDS:
        names = {standard.id.replace("-", " "), standard.label.lower(), standard.later_label.lower()}
        if wanted in names:
            return standard.id
    return None


def standards_frame():
    """One row per standard, in the standards' own order: id, standard, later label, group, summary.

    >>> standards_frame().shape
    (11, 5)
    """
    import pandas as pd

    return pd.DataFrame([{"id": s.id, "standard": s.label, "later label": s.later_label, "group": s.group,
                          "summary": s.summary} for s in STANDARDS])


def standards_in_group(group: str) -> tuple[Standard, ...]:
    """The standards of one group, e.g. `len(standards_in_group(CONDITIONS_FOR_SUCCESS)) == 4`."""
    return tuple(standard for standard in STANDARDS if standard.group == group)


def standard_label(standard_id: str) -> str:
    """The label of a standard id; an id the kit does not know is returned as it is (never raises)."""
    try:
        return standard_by_id(standard_id).label
    except KeyError:
        return standard_id


@dataclass(frozen=True)
class RatingLevel:
    value: int
    name: str
    description: str


# The 4-point scale a team uses to rate how its current professional learning meets each standard.
# The level names and descriptions are our own words.
RATING_SCALE = (
    RatingLevel(1, "Not yet", "Our professional learning does not reflect this standard yet."),
    RatingLevel(2, "Beginning", "Parts of it show up now and then, but not by design."),
    RatingLevel(3, "Meeting", "Most of our learning reflects it, and we can point to evidence."),
    RatingLevel(4, "Leading", "It is built into all our learning, and the evidence shows it working."),
)
RATING_VALUES = tuple(level.value for level in RATING_SCALE)
RATING_MIN, RATING_MAX = RATING_VALUES[0], RATING_VALUES[-1]


def rating_name(value: int) -> str:
    """The name of a rating on the scale, e.g. `rating_name(3) == "Meeting"`."""
    for level in RATING_SCALE:
        if level.value == value:
            return level.name
    raise KeyError(value)

"""The tables a coach brings, declared once as data.

This module is the only definition of the kit's tables: the loader, the validation, the empty
templates in `data/templates/`, the data dictionary in `docs/data-dictionary.md` and the sample
generator all read it. Add a column here and every one of them follows.
"""

from dataclasses import dataclass, field

from kit.instruments import CONCERNS_ITEM_COUNT, CONCERNS_ITEM_MAX, LEVELS_OF_USE

# Column kinds: how a value is read and checked.
ID = "id"                # an opaque code such as S00012; never a name
TEXT = "text"
CATEGORY = "category"    # one of `allowed` (any case)
INTEGER = "whole number"
NUMBER = "number"
DATE = "date"            # 2025-09-15 (also 9/15/2025)
YES_NO = "yes/no"        # yes/no, true/false, y/n, 1/0
STANDARD_LIST = "standards"  # standard ids separated by ";"

KINDS = (ID, TEXT, CATEGORY, INTEGER, NUMBER, DATE, YES_NO, STANDARD_LIST)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    example: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    links_to: str | None = None  # the table whose key this column names
    aliases: tuple[str, ...] = ()  # other headers coaches use for the same column
    default: str = ""  # the value taken when an optional column is absent or a cell is blank ("" = none)

    @property
    def range_text(self) -> str:
        """The allowed values or range in words, e.g. "0 to 7"."""
        if self.allowed:
            return ", ".join(self.allowed)
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{self.minimum:g} or more"
        return ""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    one_row_per: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    extra_columns_are: str = ""  # what extra columns mean; empty when they are ignored
    file_names: tuple[str, ...] = ()  # other file names districts give this table ("teachers", "classes")
    not_above: tuple[tuple[str, str], ...] = ()  # (column, column it may not exceed on the same row)
    used_by: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    @property
    def keeps_attributes(self) -> bool:
        """True when extra columns are kept as attributes to compare by (not as student groups)."""
        return self.name in ATTRIBUTE_TABLES

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"No column {name!r} in table {self.name!r}")


EDUCATOR_DOMAINS = ("knowledge", "skills", "dispositions")
CONCERNS_ITEMS = tuple(f"q{number}" for number in range(1, CONCERNS_ITEM_COUNT + 1))
GRADES = ("PK", "K") + tuple(str(grade) for grade in range(1, 13))
YES_NO_GROUPS = ("english_learner", "disability", "low_income")
STUDENT_GROUP_COLUMNS = ("gender", "race_ethnicity") + YES_NO_GROUPS
#: Tables whose extra columns are kept as attributes a stage can compare by (`Dataset.attributes`).
ATTRIBUTE_TABLES = ("educators", "rosters")
#: An extra students column of numbers (a birth year, a score), or with more different values than
#: this, is not taken as a student group unless the coach chooses it.
MAX_AUTOMATIC_GROUP_VALUES = 12
#: Defaults of optional columns that many districts' files leave out.
DEFAULT_ROLE = "teacher"
ALL_SUBJECTS = "all subjects"
ALL_TERMS = "all terms"


def _window(description: str = "When the data was collected: an ordered label such as fall, "
                                "winter, spring, pre, post, or a school year and season.") -> Column:
    return Column("window", TEXT, description, "2025-26 fall", aliases=("term_window", "period", "season"))


def _educator_id(links: bool = True) -> Column:
    return Column("educator_id", ID, "The educator's code (never a name).", "E0042",
                  links_to="educators" if links else None,
                  aliases=("teacher_id", "staff_id", "educator", "teacher", "emp_id", "employee_id"))


def _student_id(links: bool = True) -> Column:
    return Column("student_id", ID, "The student's code (never a name).", "S000123",
                  links_to="students" if links else None,
                  aliases=("stu_id", "student", "pupil_id", "learner_id", "sid", "student_number"))


def _school_id(links: bool = True) -> Column:
    return Column("school_id", ID, "The school's code.", "SCH1",
                  links_to="schools" if links else None, aliases=("school", "building_id", "site_id"))


TABLES = (
    Table(
        "schools", "Schools", "school", "The schools in the district or network.",
        (
            _school_id(links=False),
            Column("school_name", TEXT, "The school's name as the team knows it.", "Cedar Elementary",
                   aliases=("name", "school")),
            Column("level", CATEGORY, "The school's level.", "elementary",
                   allowed=("elementary", "middle", "high", "k-8", "k-12", "other"),
                   aliases=("school_level", "type")),
        ),
        key=("school_id",),
        used_by=("every stage: filters by school",),
    ),
    Table(
        "educators", "Educators", "educator", "The teachers and other educators taking part.",
        (
            _educator_id(links=False),
            _school_id(),
            Column("role", CATEGORY, f"What the educator does (when absent or blank: {DEFAULT_ROLE}).", "teacher",
                   required=False, default=DEFAULT_ROLE,
                   allowed=("teacher", "coach", "specialist", "principal", "assistant principal",
                            "paraprofessional", "other"), aliases=("position", "job")),
            Column("subject", TEXT, "The subject the educator mainly teaches.", "math", required=False,
                   aliases=("content_area",)),
            Column("grade_band", TEXT, "The grades the educator teaches.", "3-5", required=False,
                   aliases=("grades", "grade_level")),
            Column("years_experience", INTEGER, "Years in education.", "7", required=False,
                   minimum=0, maximum=60, aliases=("experience", "years", "yrs_experience")),
        ),
        key=("educator_id",),
        extra_columns_are="attributes to compare educators by (a program, a cohort, a degree)",
        file_names=("teachers", "staff", "teacher", "educator"),
        used_by=("2 Professional learning", "3 Knowledge, skills, dispositions", "4 Educator practice"),
    ),
    Table(
        "students", "Students", "student",
        "Each student once, with the groups used to see results for each group of students.",
        (
            _student_id(links=False),
            _school_id(),
            Column("grade", CATEGORY, "The student's grade (when absent, taken from the assessments' "
                   "grade_when_assessed, or from windows that are grades, in the latest window).", "4", required=False,
                   allowed=GRADES, aliases=("grade_level", "gr")),
            Column("gender", TEXT, "Gender as the school records it.", "female", required=False,
                   aliases=("sex",)),
            Column("race_ethnicity", TEXT, "Race or ethnicity as the school records it.", "Hispanic or Latino",
                   required=False, aliases=("race", "ethnicity")),
            Column("english_learner", YES_NO, "Is the student an English learner?", "no", required=False,
                   aliases=("el", "ell", "esl", "emergent_bilingual")),
            Column("disability", YES_NO, "Does the student have an identified disability (IEP or 504)?", "no",
                   required=False, aliases=("iep", "swd", "special_education", "sped")),
            Column("low_income", YES_NO, "Is the student from a low-income family (e.g. free or reduced lunch)?",
                   "yes", required=False, aliases=("frl", "econ_disadvantaged", "free_reduced_lunch")),
        ),
        key=("student_id",),
        extra_columns_are=("more student groups: an extra column is used as a group, except a column of numbers "
                           f"or one with more than {MAX_AUTOMATIC_GROUP_VALUES} different values, which is a group "
                           "only when you choose it"),
        file_names=("pupils", "learners", "student", "demographics"),
        used_by=("1 Student learning needs", "5 Student results"),
    ),
    Table(
        "rosters", "Class rosters", "student in an educator's class",
        "Which students each educator teaches; links students' results to their educators.",
        (
            _student_id(),
            _educator_id(),
            Column("subject", TEXT, f"The subject of the class (when absent or blank: {ALL_SUBJECTS}).", "math",
                   required=False, default=ALL_SUBJECTS, aliases=("course", "content_area")),
            Column("term", TEXT, f"The school year or term of the class (when absent or blank: {ALL_TERMS}).",
                   "2025-26", required=False, default=ALL_TERMS, aliases=("school_year", "year", "semester")),
        ),
        key=("student_id", "educator_id", "subject", "term"),
        extra_columns_are="attributes to compare classes by (a class type, a program, a cohort)",
        file_names=("classes", "class", "class_rosters", "roster", "enrollments", "enrollment", "sections"),
        used_by=("5 Student results", "6 Continuous improvement"),
    ),
    Table(
        "learning_activities", "Learning activities", "professional learning event",
        "The professional learning offered: workshops, coaching cycles, PLC meetings and more.",
        (
            Column("activity_id", ID, "The activity's code.", "A01", aliases=("activity", "event_id", "session_id")),
            Column("title", TEXT, "A short title.", "Number talks workshop", aliases=("name", "activity_name")),
            Column("date", DATE, "The day it took place (year-month-day).", "2025-09-15",
                   aliases=("activity_date", "session_date")),
            Column("hours", NUMBER, "How long it lasted, in hours.", "3", minimum=0, maximum=200,
                   aliases=("duration", "length_hours")),
            Column("design", CATEGORY, "The kind of learning.", "workshop",
                   allowed=("workshop", "coaching cycle", "professional learning community", "lab classroom",
                            "online course", "conference", "book study", "other"),
                   aliases=("learning_design", "format", "type")),
            Column("standards", STANDARD_LIST,
                   "The Standards for Professional Learning it addresses: ids separated by ';'.",
                   "learning-designs;implementation", required=False,
                   aliases=("standard", "standards_addressed")),
            Column("cost", NUMBER, "What the activity cost, in the district's currency units.", "1200",
                   required=False, minimum=0, aliases=("price", "budget", "spend", "expense")),
        ),
        key=("activity_id",),
        used_by=("2 Professional learning",),
    ),
    Table(
        "attendance", "Attendance", "educator at a learning activity",
        "Who took part in each learning activity, and for how long.",
        (
            Column("activity_id", ID, "The activity's code.", "A01", links_to="learning_activities",
                   aliases=("activity", "event_id", "session_id")),
            _educator_id(),
            Column("hours_attended", NUMBER, "Hours the educator took part.", "3", minimum=0, maximum=200,
                   aliases=("hours", "attended_hours")),
        ),
        key=("activity_id", "educator_id"),
        used_by=("2 Professional learning", "6 Continuous improvement"),
    ),
    Table(
        "educator_measures", "Educator measures", "score of an educator on one measure",
        "Knowledge, skills and dispositions measured before and after the learning.",
        (
            _educator_id(),
            _window(),
            Column("domain", CATEGORY, "What the measure looks at.", "knowledge", allowed=EDUCATOR_DOMAINS,
                   aliases=("area",)),
            Column("measure", TEXT, "The name of the measure (a quiz, a rubric, a survey scale).",
                   "Fractions content quiz", aliases=("instrument", "assessment")),
            Column("score", NUMBER, "The educator's score.", "14", minimum=0, aliases=("points", "value")),
            Column("max_score", NUMBER, "The highest possible score on this measure.", "20", minimum=0,
                   aliases=("maximum", "out_of", "possible")),
        ),
        key=("educator_id", "window", "measure"),
        not_above=(("score", "max_score"),),
        used_by=("3 Knowledge, skills, dispositions", "6 Continuous improvement"),
    ),
    Table(
        "concerns", "Stages of Concern", "educator's questionnaire in one window",
        "Stages of Concern questionnaire answers: 35 items, each rated 0 (lowest) to 7 (highest).",
        (
            _educator_id(),
            _window(),
        ) + tuple(
            Column(item, INTEGER, f"Answer to item {item[1:]}, 0 to {CONCERNS_ITEM_MAX}.", "3", minimum=0,
                   maximum=CONCERNS_ITEM_MAX,
                   aliases=(f"item{item[1:]}", f"item_{item[1:]}", f"question_{item[1:]}"))
            for item in CONCERNS_ITEMS
        ),
        key=("educator_id", "window"),
        used_by=("3 Knowledge, skills, dispositions",),
    ),
    Table(
        "observations", "Observations", "rating of one practice component in one classroom visit",
        "Classroom visits rated against the practice map (Innovation Configuration map).",
        (
            _educator_id(),
            Column("date", DATE, "The day of the visit.", "2025-10-02", aliases=("visit_date", "observation_date")),
            Column("observer_id", ID, "The observer's code.", "O3", required=False,
                   aliases=("observer", "rater", "rater_id")),
            _window(),
            Column("component", TEXT, "The practice component rated (a row of the practice map).",
                   "Student discourse", aliases=("element", "indicator", "practice")),
            Column("rating", INTEGER, "The rating: higher is closer to the ideal practice.", "3",
                   minimum=0, maximum=10, aliases=("score", "level", "variation")),
            Column("level_of_use", CATEGORY, "Level of Use seen (0, I, II, III, IVA, IVB, V, VI).", "III",
                   required=False, allowed=tuple(level for level, _ in LEVELS_OF_USE), aliases=("lou", "loU")),
        ),
        key=("educator_id", "date", "observer_id", "component"),
        used_by=("4 Educator practice", "6 Continuous improvement"),
    ),
    Table(
        "assessments", "Student assessments", "student's score in one subject and window",
        "Students' scores, by subject and window.",
        (
            _student_id(),
            Column("subject", TEXT, "The subject assessed.", "math", aliases=("content_area", "test_subject")),
            _window(),
            Column("score", NUMBER, "The scale score.", "212", minimum=0, maximum=9999,
                   aliases=("scale_score", "scaled_score", "result")),
            Column("proficient", YES_NO, "Met the proficiency bar?", "yes", required=False,
                   aliases=("met_standard", "is_proficient")),
            Column("grade_when_assessed", CATEGORY, "The student's grade when assessed (for data over several "
                   "years; the students table's grade is taken from it when that table has none).", "4",
                   required=False, allowed=GRADES, aliases=("grade", "grade_level", "gr", "tested_grade", "test_grade")),
        ),
        key=("student_id", "subject", "window"),
        file_names=("scores", "scores_long", "test_scores", "results", "assessment", "scores_wide"),
        used_by=("1 Student learning needs", "5 Student results", "6 Continuous improvement"),
    ),
)

TABLE_NAMES = tuple(table.name for table in TABLES)


def table_by_name(name: str) -> Table:
    """The table called `name`, e.g. `table_by_name("students").key == ("student_id",)`."""
    for table in TABLES:
        if table.name == name:
            return table
    raise KeyError(f"No table {name!r}; the kit's tables are {', '.join(TABLE_NAMES)}")


def links() -> list[tuple[str, str, str]]:
    """Every link between tables as (table, column, linked table)."""
    return [(table.name, column.name, column.links_to)
            for table in TABLES for column in table.columns if column.links_to]


def tables_overview():
    """One row per table: what it holds, one row per what, its required columns, and who uses it."""
    import pandas as pd

    return pd.DataFrame([{
        "table": table.name, "holds": table.description, "one row per": table.one_row_per,
        "required columns": ", ".join(table.required_columns) if len(table.required_columns) < 8
        else f"{', '.join(table.required_columns[:4])} ... ({len(table.required_columns)} in all)",
        "used by stages": "; ".join(table.used_by),
    } for table in TABLES])

"""Each goal of the cycle against what the evidence shows: met, partly, not met, or not measurable yet.

The rule (`VERDICT_RULE`): a goal is judged only when its target names a number the kit can read
(`parse_target`) and the data has the figure it needs, for a group large enough to report.
Then it is **met** when the latest figure reaches the target (a gap: is at or below it), **partly**
when it has not but moved toward the target since the first window of the cycle, **not met**
otherwise. Everything else is **not measurable yet**, with the reason.

Targets the kit reads: "70% proficient" (a share: of students proficient, of educators at or above
the practice line, or a mean score as a share of the maximum), "+5 points" (a mean gain in points),
"gap under 5 points" (a gap's size).

>>> parse_target("70% proficient by May")
Target(kind='share', value=0.7, text='70%')
>>> parse_target("close the gap to under 4 points").kind
'gap'
>>> verdict(0.62, 0.55, parse_target("70%"))
'partly'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import pandas as pd

from kit.analysis import equity
from kit.stages.s1_student_needs import analysis as needs

from kit.privacy import code_shares

from ._privacy import EDUCATORS, STUDENTS, Unit, unit_of

MET, PARTLY, NOT_MET, NOT_MEASURABLE = "met", "partly", "not met", "not measurable yet"
VERDICTS = (MET, PARTLY, NOT_MET, NOT_MEASURABLE)
VERDICT_RULE = (
    "A goal is judged only when its target gives a number (\"70% proficient\", \"+5 points\", \"gap under 5 "
    "points\") and the data holds the figure for a group large enough to report. Met: the latest figure reaches "
    "the target (a gap is at or below it). Partly: it has not, but it moved toward the target since the first "
    "window of the cycle. Not met: it did not move toward the target. Otherwise: not measurable yet, with the reason.")
VERDICT_COLUMNS = ["source", "goal", "target", "measure", "first_window", "last_window", "baseline", "figure",
                   "figure_text", "n", "verdict", "reason"]
#: The educator measures a goal's words point to (the domains of educator_measures, and practice).
DOMAIN_WORDS = {"practice": ("practice", "fidelity", "observ", "classroom", "implement"),
                "knowledge": ("knowledge", "understand", "know "), "skills": ("skill",),
                "dispositions": ("disposition", "belief", "confidence", "mindset")}

_GAP = re.compile(r"gap\D{0,40}?(\d+(?:\.\d+)?)", re.IGNORECASE)
_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_POINTS = re.compile(r"([+-]?\s*\d+(?:\.\d+)?)\s*(?:scale\s+)?(?:points?|pts?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """A number a goal aims for: `kind` "share" (0-1), "points" (a mean gain) or "gap" (a gap's size)."""

    kind: str
    value: float
    text: str


def parse_target(text) -> Target | None:
    """The number a goal's target names, or None when it names none the kit can read.

    >>> parse_target("+5 points on the spring test")
    Target(kind='points', value=5.0, text='+5 points')
    >>> parse_target("most students") is None
    True
    """
    words = str(text or "")
    for kind, pattern in (("gap", _GAP), ("share", _SHARE), ("points", _POINTS)):
        found = pattern.search(words)
        if found:
            number = float(found.group(1).replace(" ", ""))
            value = number / 100 if kind == "share" else number
            if kind == "share" and not 0 <= value <= 1:
                return None
            shown = found.group(0).strip() if kind != "gap" else f"gap of {number:g} points or less"
            return Target(kind, value, shown)
    return None


def verdict(figure: float, baseline: float, target: Target) -> str:
    """Met, partly or not met for a figure against its target (see the module's rule).

    >>> verdict(3.0, 6.0, Target("gap", 4.0, "")), verdict(5.0, 6.0, Target("gap", 4.0, ""))
    ('met', 'partly')
    >>> verdict(2.0, 0.0, Target("points", 5.0, "")), verdict(-1.0, 0.0, Target("points", 5.0, ""))
    ('partly', 'not met')
    """
    if target.kind == "gap":
        reached, closer = figure <= target.value + 1e-9, abs(figure) < abs(baseline) - 1e-9
    else:
        reached, closer = figure >= target.value - 1e-9, figure > baseline + 1e-9
    return MET if reached else PARTLY if closer else NOT_MET


# -- which students a student goal is about -------------------------------------------------------
def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower())


def goal_group(text: str, results: pd.DataFrame) -> tuple[str, str] | None:
    """The student group a goal's words name, as (group column, group), or None (all students).
    A yes/no column is named by its words ("English learners", "low-income", "students with
    disabilities"); another column by one of its values ("Hispanic or Latino").

    >>> frame = pd.DataFrame({"english_learner": ["yes", "no"], "race_ethnicity": ["Asian", "White"]})
    >>> frame.attrs["group_columns"] = ["english_learner", "race_ethnicity"]
    >>> goal_group("Grade 4 English learners explain their thinking", frame)
    ('english_learner', 'yes')
    """
    words = f" {_normal(text)} "
    for column in results.attrs.get("group_columns", needs.result_group_columns(results)):
        values = set(results[column].astype(str).unique())
        stem = _normal(column).strip()
        if values <= {"yes", "no", equity.NOT_RECORDED}:
            stems = {stem, stem[:-1] if stem.endswith("y") else stem, stem.replace("disability", "disabilit")}
            if any(f" {s}" in words for s in stems if s):
                return column, "yes"
            continue
        for value in sorted(values - {equity.NOT_RECORDED}, key=len, reverse=True):
            if f" {_normal(value).strip()} " in words:
                return column, value
    return None


def goal_subject(text: str, subjects) -> str | None:
    """The subject a goal names ("math", "reading"), or None when it names none or several."""
    words = f" {_normal(text)} "
    named = [s for s in subjects if f" {_normal(s).strip()} " in words or
             (str(s).lower() == "math" and " mathematics " in words)]
    return named[0] if len(named) == 1 else None


# -- figures --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """What the evidence shows for one goal: the first and latest figure, how many they describe
    (`n` the latest, `baseline_n` the first) and who (`unit`: a share of them is top- and bottom-coded
    when shown; None for a figure about one named educator, seen by the coach alone), words for the
    measure, and why there is no figure (`reason`) when there is none."""

    measure: str
    baseline: float = math.nan
    figure: float = math.nan
    n: int | None = None
    reason: str = ""
    baseline_n: int | None = None
    unit: Unit | None = None


def student_figure(results: pd.DataFrame, target: Target, text: str, first: str, last: str, *,
                   min_group_size: int | None = None) -> Figure:
    """The students' figure a student learning goal's target needs, from stage 1's `prepare` frame:
    share proficient (a share target), mean growth in points since `first` (a points target), or the
    gap to all other students (a gap target), for the group and subject the goal names."""
    unit = unit_of(STUDENTS, min_group_size)
    subject = goal_subject(text, results["subject"].astype(str).unique())
    chosen = needs.select(results, subject=subject) if subject else results
    named = goal_group(text, results)
    column, group = named if named else (chosen.attrs.get("group_columns", ["english_learner"])[0], equity.ALL_STUDENTS)
    who = equity.group_label(column, group) if named else equity.ALL_STUDENTS
    where = f"{subject or 'every subject'}, {who}"
    if target.kind == "gap":
        if not named:
            return Figure(f"gap ({where})", reason="the goal names no group of students whose gap to measure")
        gaps = equity.gaps(chosen[chosen["window"].isin([first, last])], "score", column, by=["window"],
                           min_group_size=unit.min_group_size)
        rows = gaps[gaps["group"] == group].set_index("window")
        return _figure(f"gap to all other students in points ({where})", rows, "gap", first, last, unit, absolute=True)
    table = needs.results_by_group(chosen[chosen["window"].isin([first, last])], column, by=["window"],
                                   min_group_size=unit.min_group_size)
    rows = table[table["group"] == group].set_index(table.loc[table["group"] == group, "window"].astype(str))
    if target.kind == "share":
        if not chosen["proficient"].notna().any():
            return Figure(f"share proficient ({where})", reason="the assessments have no proficient column")
        shown = _figure(f"share proficient ({where})", rows, "share_proficient", first, last, unit)
        if shown.reason:
            return shown
        # Stage 1's table holds a coded share at its band's edge: the goal is judged on the exact share.
        (before, before_n), (after, after_n) = (_share_proficient(chosen, column, group, w) for w in (first, last))
        return replace(shown, baseline=before, figure=after, n=after_n, baseline_n=before_n)
    shown = _figure(f"mean scale score ({where})", rows, "mean_score", first, last, unit)
    if shown.reason:
        return shown
    return Figure(f"mean gain in scale score points since {first} ({where})", 0.0, shown.figure - shown.baseline, shown.n)


def _share_proficient(chosen: pd.DataFrame, column: str, group: str, window: str) -> tuple[float, int]:
    """The exact share proficient of `group` in `window`, and how many students it is of (those with a
    proficient value), for judging a goal only: shown, it is coded (`figure_text`)."""
    members = chosen if group == equity.ALL_STUDENTS else chosen[equity.group_values(chosen[column]).to_numpy() == group]
    values = members.loc[members["window"].astype(str) == window, "proficient"].dropna().astype(float)
    return (float(values.mean()) if len(values) else math.nan), int(len(values))


def _figure(measure: str, rows: pd.DataFrame, column: str, first: str, last: str, unit, *,
            absolute: bool = False) -> Figure:
    if first not in rows.index or last not in rows.index:
        return Figure(measure, reason=f"no results in both {first} and {last}")
    if bool(rows.loc[first, "suppressed"]) or bool(rows.loc[last, "suppressed"]):
        return Figure(measure, reason=f"too few to report: groups of fewer than {unit.min_group_size} {unit.plural} are withheld")
    value = (lambda x: abs(float(x))) if absolute else float
    return Figure(measure, value(rows.loc[first, column]), value(rows.loc[last, column]), int(rows.loc[last, "n"]),
                  baseline_n=int(rows.loc[first, "n"]), unit=unit)


def educator_domain(text: str) -> str | None:
    """The educator measure a goal's words point to: practice, knowledge, skills or dispositions.

    >>> educator_domain("Teachers use discourse moves in every lesson (practice)"), educator_domain("be kind")
    ('practice', None)
    """
    words = f" {_normal(text)} "
    for domain, stems in DOMAIN_WORDS.items():
        if any(stem in words for stem in stems):
            return domain
    return None


def educator_figure(domain: str, target: Target, *, measures: pd.DataFrame | None, fidelity: pd.DataFrame | None,
                    first: str, last: str, line: float, min_educators: int | None = None) -> Figure:
    """The educators' figure for a knowledge, skills, dispositions or practice goal: a share target is
    the mean score as a share of the maximum (practice: the share of educators at or above the line
    `line`), a points target the mean gain in score points (practice: in percentage points of fidelity)
    of the educators measured in both windows; withheld under the educators' threshold."""
    unit = unit_of(EDUCATORS, min_educators)
    if target.kind == "gap":
        return Figure(domain, reason="a gap target is read for students' results only")
    if domain == "practice":
        if fidelity is None or not len(fidelity):
            return Figure("practice", reason="no observations of practice in the data")
        data = fidelity.rename(columns={"fidelity": "value"})[["educator_id", "window", "value"]]
        if target.kind == "share":
            data = data.assign(value=(data["value"] >= line - 1e-9).astype(float))
            words = f"share of observed educators at or above the line ({line:.0%} of components)"
        else:
            data = data.assign(value=data["value"] * 100)
            words = "mean gain in fidelity, percentage points"
    else:
        if measures is None or not len(measures) or domain not in set(measures["domain"]):
            return Figure(domain, reason=f"no {domain} measures in the data")
        data = measures[measures["domain"] == domain]
        score = pd.to_numeric(data["score"], errors="coerce")
        share = score / pd.to_numeric(data["max_score"], errors="coerce")
        data = pd.DataFrame({"educator_id": data["educator_id"], "window": data["window"],
                             "value": share if target.kind == "share" else score})
        words = (f"mean {domain} score, share of the maximum" if target.kind == "share"
                 else f"mean gain in {domain} score points")
    data = data.astype({"window": str, "educator_id": str})
    both = set(data.loc[data["window"] == first, "educator_id"]) & set(data.loc[data["window"] == last, "educator_id"])
    if target.kind == "points":
        data = data[data["educator_id"].isin(both)]
    means = (data[data["window"].isin([first, last])].groupby(["educator_id", "window"])["value"].mean()
                 .groupby("window").agg(["mean", "size"]))
    if first not in means.index or last not in means.index:
        return Figure(words, reason=f"no {domain} figures in both {first} and {last}")
    n = int(min(means.loc[first, "size"], means.loc[last, "size"]))
    if n < unit.min_group_size:
        return Figure(words, reason=f"too few to report: groups of fewer than {unit.min_group_size} {unit.plural} are withheld")
    before, after = float(means.loc[first, "mean"]), float(means.loc[last, "mean"])
    if target.kind == "points":
        return Figure(f"{words} since {first}", 0.0, after - before, n)
    return Figure(words, before, after, int(means.loc[last, "size"]), baseline_n=int(means.loc[first, "size"]),
                  unit=unit)


def figure_text(value: float, target: Target | None, n: int | None = None, unit: Unit | None = None) -> str:
    """A figure in the target's terms: "62%", "+3.4 points", "5.1 points". A share of a group of `n`
    of `unit` is top- and bottom-coded by the kit's one rule (`kit.privacy.code_shares`).

    >>> figure_text(1.0, Target("share", 0.8, "80%"), 40, STUDENTS), figure_text(0.62, Target("share", 0.8, "80%"))
    ('≥92%', '62%')
    """
    return _shown(value, target, n, unit)[0]


def _shown(value: float, target: Target | None, n: int | None, unit: Unit | None) -> tuple[str, bool]:
    """`figure_text`, and whether the share was coded (then its number is not shown either)."""
    if target is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return "", False
    if target.kind != "share":
        return (f"{value:+.1f} points" if target.kind == "points" else f"{value:.1f} points"), False
    if not n or unit is None:
        return f"{value:.0%}", False
    coded = code_shares([value], [n], unit).iloc[0]
    return str(coded["share_text"]), bool(coded["share_coded"])


def judge(source: str, goal: str, target_text: str, figure: Figure | None, target: Target | None,
          first: str, last: str, why_not: str = "") -> dict:
    """One row of the review (`VERDICT_COLUMNS`)."""
    row = {"source": source, "goal": goal, "target": target_text or "", "measure": figure.measure if figure else "",
           "first_window": first, "last_window": last, "baseline": math.nan, "figure": math.nan, "figure_text": "",
           "n": None, "verdict": NOT_MEASURABLE, "reason": why_not}
    if target is None:
        row["reason"] = why_not or "the target gives no number to check (write, for example, \"70% proficient\")"
        return row
    if figure is None or figure.reason:
        row["reason"] = why_not or (figure.reason if figure else "no figure")
        return row
    judged = verdict(figure.figure, figure.baseline, target)  # on the exact figures, before any coding
    latest, latest_coded = _shown(figure.figure, target, figure.n, figure.unit)
    start, start_coded = _shown(figure.baseline, target, figure.baseline_n, figure.unit)
    row.update(baseline=math.nan if start_coded else figure.baseline,
               figure=math.nan if latest_coded else figure.figure, figure_text=latest, n=figure.n, verdict=judged,
               reason=_because(judged, latest, start, target, first, last))
    return row


def _because(judged: str, latest: str, start: str, target: Target, first: str, last: str) -> str:
    if target.kind == "points":
        return f"{latest} from {first} to {last} against a target of {target.value:+g} points ({judged})"
    aim = f"{target.value:.0%}" if target.kind == "share" else f"{target.value:g} points or less"
    return f"{latest} in {last} (from {start} in {first}) against a target of {aim} ({judged})"


def verdict_counts(review: pd.DataFrame) -> pd.DataFrame:
    """How many goals got each verdict, in the order of `VERDICTS` (for the report's headline).

    >>> verdict_counts(pd.DataFrame({"verdict": ["met", "met", "partly"]}))["goals"].tolist()
    [2, 1, 0, 0]
    """
    counts = review["verdict"].value_counts() if len(review) else pd.Series(dtype=int)
    return pd.DataFrame({"verdict": VERDICTS, "goals": [int(counts.get(v, 0)) for v in VERDICTS]})


__all__ = ["MET", "PARTLY", "NOT_MET", "NOT_MEASURABLE", "VERDICTS", "VERDICT_RULE", "VERDICT_COLUMNS", "Target",
           "Figure", "parse_target", "verdict", "goal_group", "goal_subject", "student_figure", "educator_domain",
           "educator_figure", "figure_text", "judge", "verdict_counts"]

"""The cycle review: every goal saved in the cycle judged against the evidence, the reflections of
every stage in order, and the decision.

Goals come from the store as dicts of their saved values: stage 1's student learning goals
(`goal_type` "student_learning"), educator goals (`goal_type` "educator") and the outcomes of stage
2's learning plan (knowledge, skills, dispositions and practice, each a goal for educators).

>>> review = cycle_review([{"goal_type": "educator", "what": "Teachers grow their skills", "target": "+2 points"}],
...                       measures=pd.DataFrame({"educator_id": [f"E{i}" for i in range(6)] * 2,
...                           "window": ["fall"] * 6 + ["spring"] * 6, "domain": "skills", "measure": "rubric",
...                           "score": [8.0] * 6 + [11.0] * 6, "max_score": 16.0}),
...                       educator_windows=("fall", "spring"))
>>> review.loc[0, ["verdict", "figure_text"]].tolist()
['met', '+3.0 points']
"""

from __future__ import annotations

import json
from dataclasses import replace
from collections.abc import Mapping, Sequence

import pandas as pd

from .goals import (NOT_MEASURABLE, VERDICT_COLUMNS, educator_domain, educator_figure, judge, parse_target,
                    student_figure)

#: The three decisions a cycle ends with, and what each means for the next cycle.
DECISIONS = {
    "adopt": "Adopt: keep the learning and practice as they are and spread them (more educators, schools or subjects).",
    "adapt": "Adapt: keep the aim, change what did not work (the learning design, the dose, the support, the measure).",
    "abandon": "Abandon: stop this approach and choose another for the need, keeping what was learned.",
}
PLAN_OUTCOMES = ("knowledge", "skills", "dispositions", "practice")
REFLECTION_COLUMNS = ["stage", "stage_title", "prompt", "text", "written_by", "written_at"]


def plan_outcomes(plans: Sequence[Mapping]) -> list[dict]:
    """The educator outcomes of the cycle's learning plans (stage 2 keeps them as JSON in the plan's
    `summary`), one per outcome with words: {"source", "what", "domain"}.

    >>> plan_outcomes([{"title": "P", "summary": '{"kit_plan": 1, "outcomes": {"skills": "Lead talk: 80%"}}'}])
    [{'source': 'plan outcome (skills)', 'what': 'Lead talk: 80%', 'domain': 'skills'}]
    """
    found = []
    for plan in plans:
        try:
            data = json.loads(plan.get("summary") or "")
        except ValueError:
            continue
        outcomes = data.get("outcomes", {}) if isinstance(data, dict) else {}
        for key in PLAN_OUTCOMES:
            text = str(outcomes.get(key) or "").strip()
            if text:
                found.append({"source": f"plan outcome ({key})", "what": text, "domain": key})
    return found


def cycle_review(goals: Sequence[Mapping], plans: Sequence[Mapping] = (), *, results: pd.DataFrame | None = None,
                 result_windows: tuple[str, str] | None = None, measures: pd.DataFrame | None = None,
                 fidelity: pd.DataFrame | None = None, educator_windows: tuple[str, str] | None = None,
                 line: float = 0.8, min_group_size: int | None = None, min_educators: int | None = None,
                 internal: bool = False) -> pd.DataFrame:
    """One row per goal (`VERDICT_COLUMNS`): the student learning goals judged on students' results
    (stage 1's `prepare` frame, between `result_windows`), educator goals and the plan's outcomes on
    educator measures or fidelity (between `educator_windows`). A goal about one named educator is
    judged only in the coach's internal review (`internal`): elsewhere it would describe one person."""
    rows = []
    for goal in goals:
        what, target_text = str(goal.get("what") or ""), str(goal.get("target") or "")
        text = " ".join(str(goal.get(k) or "") for k in ("what", "who", "measure"))
        target = parse_target(target_text) or parse_target(str(goal.get("measure") or ""))
        if goal.get("goal_type") == "student_learning":
            rows.append(_student_row(what, target_text, text, target, results, result_windows, min_group_size))
        else:
            first, last = educator_windows or ("", "")
            if goal.get("educator_id") and not internal:
                rows.append(judge("educator goal", what, target_text, None, target, first, last,
                                  "about one educator: judged in the coach's internal version only"))
                continue
            rows.append(_educator_row("educator goal", what, target_text, text, target, measures, fidelity,
                                      educator_windows, line, min_educators, educator_id=goal.get("educator_id")))
    for outcome in plan_outcomes(plans):
        target = parse_target(outcome["what"])
        rows.append(_educator_row(outcome["source"], outcome["what"], target.text if target else "", outcome["domain"],
                                  target, measures, fidelity, educator_windows, line, min_educators))
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def _student_row(what, target_text, text, target, results, windows, min_group_size) -> dict:
    if results is None or windows is None:
        return judge("student learning goal", what, target_text, None, target, "", "",
                     "" if target is None else "no student results in both windows")
    first, last = windows
    figure = student_figure(results, target, text, first, last, min_group_size=min_group_size) if target else None
    return judge("student learning goal", what, target_text, figure, target, first, last)


def _educator_row(source, what, target_text, text, target, measures, fidelity, windows, line, min_educators,
                  educator_id=None) -> dict:
    first, last = windows or ("", "")
    domain = educator_domain(text)
    if target is None or domain is None or windows is None:
        reason = ("" if target is None else
                  "say which measure shows it: knowledge, skills, dispositions or practice" if domain is None else
                  "no educator measures or observations in two windows")
        return judge(source, what, target_text, None, target, first, last, reason)
    if educator_id:
        keep = lambda frame: None if frame is None else frame[frame["educator_id"].astype(str) == str(educator_id)]  # noqa: E731
        measures, fidelity, min_educators = keep(measures), keep(fidelity), 1
    figure = educator_figure(domain, target, measures=measures, fidelity=fidelity, first=first, last=last, line=line,
                             min_educators=min_educators)
    if educator_id:  # one named educator's own figure, for the coach alone: nothing to code it against
        figure = replace(figure, unit=None)
    return judge(source, what, target_text, figure, target, first, last)


def reflections_in_order(reflections: Sequence[Mapping], stage_titles: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Every stage's reflections, stage by stage and oldest first within a stage (`REFLECTION_COLUMNS`).

    >>> reflections_in_order([{"stage": 5, "text": "b", "created_at": 2}, {"stage": 1, "text": "a", "created_at": 3}])["text"].tolist()
    ['a', 'b']
    """
    titles = stage_titles or {}
    rows = [{"stage": int(r.get("stage") or 0), "stage_title": titles.get(int(r.get("stage") or 0), ""),
             "prompt": r.get("prompt") or "", "text": r.get("text") or "", "written_by": r.get("created_by") or "",
             "written_at": r.get("created_at")} for r in reflections]
    frame = pd.DataFrame(rows, columns=REFLECTION_COLUMNS)
    return frame.sort_values(["stage", "written_at"], kind="stable").reset_index(drop=True)


def decision_problem(decision: str, rationale: str) -> str:
    """Why a decision cannot be saved yet ("" when it can).

    >>> decision_problem("adopt", ""), decision_problem("keep", "x")[:30]
    ('Give the reasons for the decision: what in the evidence led to it.', 'Choose adopt, adapt or abandon')
    """
    if decision not in DECISIONS:
        return "Choose adopt, adapt or abandon as the decision."
    if not str(rationale or "").strip():
        return "Give the reasons for the decision: what in the evidence led to it."
    return ""


def unmeasured_goals(review: pd.DataFrame) -> list[str]:
    """The goals the evidence cannot judge yet, with why: what to fix for the next cycle."""
    rows = review[review["verdict"] == NOT_MEASURABLE]
    return [f"{row.goal}: {row.reason}" for row in rows.itertuples()]

"""The coaching log: sessions per educator and per component, and coaching cycles by model.

Two cycle models (DESIGN.md section 5, in our own words):
- "impact": identify a goal for students, learn a teaching strategy, improve until the goal is met
  (Knight's Impact Cycle);
- "student_centred": a 4-6 week cycle around a student learning target, with student work collected
  before (pre) and after (post) (Sweeney's student-centred coaching).

A cycle is an educator's run of sessions under one model and one student target (a session with no
target continues the cycle before it). Minutes of coaching join learning hours as dose in the chain.

>>> log = coaching_log([{"educator_id": "E1", "date": "2025-01-06", "minutes": 30, "cycle_model": "student_centred",
...                      "student_target": "explain a strategy", "evidence_pre": "exit tickets: 8 of 24"},
...                     {"educator_id": "E1", "date": "2025-02-10", "minutes": 45, "evidence_post": "19 of 24"}])
>>> coaching_cycles(log)[["educator_id", "model", "sessions", "weeks", "missing"]].to_dict("records")
[{'educator_id': 'E1', 'model': 'student-centred', 'sessions': 2, 'weeks': 5.0, 'missing': ''}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._privacy import MIN_EDUCATORS, withhold_educators

LOG_COLUMNS = ["educator_id", "date", "minutes", "focus", "component", "cycle_model", "student_target",
               "evidence_pre", "evidence_post", "next_step", "record_id"]
MODEL_WORDS = {"impact": "impact (identify, learn, improve)", "student_centred": "student-centred"}
CYCLE_WEEKS = (4, 6)  # a student-centred cycle runs four to six weeks


def coaching_log(records: Sequence[Mapping]) -> pd.DataFrame:
    """The store's coaching sessions (dicts, with `id`) as a table in date order; a field the store
    does not hold yet is blank."""
    frame = pd.DataFrame(list(records))
    frame = frame.rename(columns={"id": "record_id"}) if "id" in frame else frame
    for column in LOG_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame = frame[LOG_COLUMNS].copy()
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce").astype("datetime64[us]")
    frame["minutes"] = pd.to_numeric(frame["minutes"], errors="coerce").astype(float)
    text = [c for c in LOG_COLUMNS if c not in ("date", "minutes")]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    frame[text] = frame[text].map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
    return frame.sort_values(["date", "educator_id"], kind="stable").reset_index(drop=True)


def coaching_dose(log: pd.DataFrame) -> pd.DataFrame:
    """Minutes of coaching per educator: [educator_id, minutes]."""
    return log.groupby("educator_id", as_index=False)["minutes"].sum()


def sessions_by_educator(log: pd.DataFrame) -> pd.DataFrame:
    """Per educator: sessions, minutes, first and last date, the components worked on (coach only).

    >>> log = coaching_log([{"educator_id": "E1", "date": "2025-01-06", "minutes": 30, "component": "Talk"},
    ...                     {"educator_id": "E1", "date": "2025-01-20", "minutes": 20, "component": "Tasks"}])
    >>> sessions_by_educator(log)[["sessions", "minutes", "components"]].to_dict("records")
    [{'sessions': 2, 'minutes': 50.0, 'components': 'Talk; Tasks'}]
    """
    return (log.groupby("educator_id")
               .agg(sessions=("date", "size"), minutes=("minutes", "sum"), first=("date", "min"),
                    last=("date", "max"),
                    components=("component", lambda c: "; ".join(sorted(set(c.dropna())))))
               .reset_index())


def sessions_by_component(log: pd.DataFrame, *, min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Per component of the map worked on ("no component" for the rest): sessions, educators,
    minutes; a component coached with fewer than `min_educators` educators is withheld."""
    named = log.assign(component=log["component"].fillna("no component"))
    table = (named.groupby("component")
                  .agg(sessions=("date", "size"), educators=("educator_id", "nunique"), minutes=("minutes", "sum"))
                  .reset_index())
    table[["sessions", "minutes"]] = table[["sessions", "minutes"]].astype(float)
    return withhold_educators(table, "educators", ["sessions", "minutes"], min_educators=min_educators)


def coaching_cycles(log: pd.DataFrame) -> pd.DataFrame:
    """One row per coaching cycle: educator, model (in words), student target, first and last date,
    weeks, sessions, minutes, and `missing` (what the model asks for that is not recorded yet)."""
    columns = ["educator_id", "model", "student_target", "first", "last", "weeks", "sessions", "minutes", "missing"]
    rows = []
    for educator, sessions in log.groupby("educator_id", sort=True):
        current: list[int] = []
        for index, session in sessions.iterrows():
            starts_new = pd.notna(session["cycle_model"]) and (
                not current or session["cycle_model"] != log.at[current[0], "cycle_model"]
                or (pd.notna(session["student_target"])
                    and session["student_target"] != _target(log.loc[current])))
            if starts_new:
                if current:
                    rows.append(_cycle_row(educator, log.loc[current]))
                current = [index]
            elif current:
                current.append(index)
        if current:
            rows.append(_cycle_row(educator, log.loc[current]))
    return pd.DataFrame(rows, columns=columns)


def _target(sessions: pd.DataFrame) -> str | None:
    targets = sessions["student_target"].dropna()
    return targets.iloc[0] if len(targets) else None


def _cycle_row(educator: str, sessions: pd.DataFrame) -> dict:
    model = sessions["cycle_model"].iloc[0]
    first, last = sessions["date"].min(), sessions["date"].max()
    weeks = round((last - first).days / 7, 1) if pd.notna(first) and pd.notna(last) else np.nan
    missing = []
    if _target(sessions) is None:
        missing.append("a student learning target" if model == "student_centred" else "a goal for students")
    if sessions["evidence_pre"].isna().all():
        missing.append("student work before (pre)" if model == "student_centred" else "where students are now")
    if sessions["evidence_post"].isna().all():
        missing.append("student work after (post)" if model == "student_centred" else "whether the goal was met")
    if model == "student_centred" and sessions["evidence_post"].notna().any() and not (
            CYCLE_WEEKS[0] <= weeks <= CYCLE_WEEKS[1]):
        missing.append(f"a length of {CYCLE_WEEKS[0]}-{CYCLE_WEEKS[1]} weeks (this one ran {weeks:g})")
    return {"educator_id": educator, "model": MODEL_WORDS.get(model, model), "student_target": _target(sessions),
            "first": first, "last": last, "weeks": weeks, "sessions": len(sessions),
            "minutes": float(sessions["minutes"].sum()), "missing": "; ".join(missing)}


def cycles_by_model(cycles: pd.DataFrame, *, min_educators: int = MIN_EDUCATORS) -> pd.DataFrame:
    """Per model: cycles, educators, complete cycles (nothing missing), median weeks; small withheld."""
    table = (cycles.assign(complete=cycles["missing"] == "")
                   .groupby("model")
                   .agg(cycles=("educator_id", "size"), educators=("educator_id", "nunique"),
                        complete=("complete", "sum"), median_weeks=("weeks", "median"))
                   .reset_index())
    table[["cycles", "complete"]] = table[["cycles", "complete"]].astype(float)
    return withhold_educators(table, "educators", ["cycles", "complete", "median_weeks"], min_educators=min_educators)

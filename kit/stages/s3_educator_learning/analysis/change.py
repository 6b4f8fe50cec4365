"""Change in knowledge, skills and dispositions: the same educators before and after.

Scores on measures with different maximums are compared as shares of the maximum
(`score / max_score`, 0 to 1), so a quiz out of 20 and a rubric out of 16 read alike.

>>> import pandas as pd
>>> measures = pd.DataFrame({"educator_id": ["E1", "E1"], "window": ["fall", "spring"],
...     "domain": ["knowledge"] * 2, "measure": ["quiz"] * 2, "score": [10.0, 15.0], "max_score": [20.0] * 2})
>>> paired_shares(measures, "fall", "spring")[["educator_id", "before", "after", "change"]]
  educator_id  before  after  change
0          E1     0.5   0.75    0.25
"""

from __future__ import annotations

import math

import pandas as pd

from kit.analysis import stats
from kit.analysis.windows import order_windows
from kit.errors import DataError

from .withholding import EDUCATOR_MIN_GROUP_SIZE, NOT_RECORDED, code_edge_shares, withhold_small_groups

ALL_EDUCATORS = "all educators"
#: The groupings a coach can see change by, and the words for them.
GROUPINGS = {"school_id": "school", "role": "role", "design": "main design of learning"}
CHANGE_COLUMNS = ["domain", "measure", "group", "n", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high",
                  "standardised_change", "share_improved", "verdict", "reason"]
_CHANGE_NUMBERS = ["n", "mean_before", "mean_after", "mean_change", "ci_low", "ci_high", "standardised_change",
                   "share_improved"]
#: The shares a change table shows (means of scores as shares of the maximum, and the share improved).
CHANGE_SHARES = ["mean_before", "mean_after", "share_improved"]
#: What would give a coded mean away: the change beside the other, exact, mean.
_TELLING = {mean: ["mean_change", "ci_low", "ci_high", "standardised_change"] for mean in ("mean_before", "mean_after")}


def score_shares(measures: pd.DataFrame) -> pd.DataFrame:
    """A copy of `measures` with `share` = score / max_score. A maximum of 0 is refused by name.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"measure": ["quiz"], "score": [12.0], "max_score": [16.0]})
    >>> score_shares(frame)["share"].tolist()
    [0.75]
    """
    frame = measures.reset_index(drop=True).copy()
    maximum = pd.to_numeric(frame["max_score"], errors="coerce").astype(float)
    zero = ~(maximum > 0)
    if zero.any():
        name = frame.loc[zero.idxmax(), "measure"]
        raise DataError(f"The measure {name!r} has a highest possible score (max_score) of 0 or none; "
                        "give the real maximum so its scores can be read as a share of it.")
    frame["share"] = pd.to_numeric(frame["score"], errors="coerce").astype(float) / maximum
    return frame


def measure_windows(measures: pd.DataFrame) -> list[str]:
    """The windows of the measures, earliest first (see kit.analysis.windows)."""
    return order_windows(measures["window"].dropna().astype(str))


def paired_shares(measures: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """One row per educator and measure scored in both windows: educator_id, domain, measure,
    before, after (shares of the maximum) and change = after - before."""
    _check_windows(measures, before, after)
    shares = score_shares(measures)
    shares["window"] = shares["window"].astype(str)
    keys = ["educator_id", "domain", "measure"]
    first = shares[shares["window"] == before][keys + ["share"]].rename(columns={"share": "before"})
    last = shares[shares["window"] == after][keys + ["share"]].rename(columns={"share": "after"})
    pairs = first.merge(last, on=keys, how="inner").astype({key: str for key in keys})
    pairs["change"] = pairs["after"] - pairs["before"]
    return pairs.sort_values(["domain", "measure", "educator_id"], kind="stable").reset_index(drop=True)


def educator_groups(educators: pd.DataFrame | None, activities: pd.DataFrame | None = None,
                    attendance: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per educator: school_id, role and `design`, the design of learning they spent most hours in
    ("none" without attendance; ties go to the design named first alphabetically). A blank school
    or role reads "not recorded", which is never published as a group.

    >>> import pandas as pd
    >>> educators = pd.DataFrame({"educator_id": ["E1", "E2"], "school_id": ["S1", "S2"], "role": ["teacher"] * 2})
    >>> activities = pd.DataFrame({"activity_id": ["A", "B"], "design": ["workshop", "book study"]})
    >>> attendance = pd.DataFrame({"activity_id": ["A", "B"], "educator_id": ["E1", "E1"], "hours_attended": [3.0, 2.0]})
    >>> educator_groups(educators, activities, attendance)["design"].tolist()
    ['workshop', 'none']
    """
    columns = ["educator_id", "school_id", "role"]
    frame = pd.DataFrame(columns=columns) if educators is None else educators.reindex(columns=columns)
    frame = frame.astype(object).where(frame.notna(), NOT_RECORDED).astype(str).reset_index(drop=True)
    frame = frame.replace({"": NOT_RECORDED})
    frame["design"] = "none"
    if activities is not None and attendance is not None and len(attendance):
        joined = attendance.merge(activities[["activity_id", "design"]], on="activity_id", how="inner")
        hours = joined.groupby(["educator_id", "design"], observed=True)["hours_attended"].sum().reset_index()
        hours = hours.astype({"educator_id": str, "design": str})
        hours = hours.sort_values(["educator_id", "hours_attended", "design"], ascending=[True, False, True])
        main = hours.drop_duplicates("educator_id").set_index("educator_id")["design"]
        frame["design"] = frame["educator_id"].map(main).fillna("none")
    return frame


def change_by_measure(measures: pd.DataFrame, before: str, after: str, *, groups: pd.DataFrame | None = None,
                      by: str | None = None, min_group_size: int = EDUCATOR_MIN_GROUP_SIZE,
                      coded: bool = False) -> pd.DataFrame:
    """Paired change of each measure (shares of the maximum), for all educators and, with `by`
    (a column of `groups`: school_id, role or design), for each group of educators.

    Columns: CHANGE_COLUMNS plus `suppressed` and `note`. The interval is the paired t interval and
    the standardised change Becker's (kit.analysis.stats.paired_change). Groups under
    `min_group_size` educators are withheld, with complementary suppression within each measure.

    With `coded` (what stage 3 shows), each of CHANGE_SHARES near 0% or 100% of its educators reads
    only as its band in `<column>_text` ("≥75%"), its number missing (`code_edge_shares`): a coded mean
    takes the change, interval and standardised change with it (the other mean would give it away), and
    a group is withheld beside a coded one while the measure's all-educators row would narrow it.

    >>> m = pd.DataFrame({"educator_id": [f"E{i}" for i in range(12)] * 2, "window": ["pre"] * 12 + ["post"] * 12,
    ...     "domain": "knowledge", "measure": "Quiz", "score": [5.0] * 12 + [10.0] * 12, "max_score": 10.0})
    >>> change_by_measure(m, "pre", "post", coded=True)[["mean_before_text", "mean_after_text", "share_improved_text"]].values.tolist()
    [['50%', '≥75%', '≥75%']]
    """
    pairs = paired_shares(measures, before, after)
    rows = []
    for (domain, measure), pairs_of_measure in pairs.groupby(["domain", "measure"], sort=True):
        rows.append(_change_row(pairs_of_measure, domain, measure, ALL_EDUCATORS, min_group_size))
    figures = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    table = _with_notes(figures, min_group_size)
    if coded:
        table = _coded(table, figures, min_group_size)
    if by is None:
        return table
    if groups is None or by not in groups.columns:
        raise DataError(f"Change by {GROUPINGS.get(by, by)} needs the educators table (and, for designs, "
                        "the learning activities and attendance).")
    grouped = pairs.merge(groups[["educator_id", by]].astype(str), on="educator_id", how="left")
    grouped[by] = grouped[by].replace({"nan": NOT_RECORDED, "<NA>": NOT_RECORDED, "": NOT_RECORDED}).fillna(NOT_RECORDED)
    parts = pd.DataFrame([_change_row(part, domain, measure, group, min_group_size)
                          for (domain, measure, group), part in grouped.groupby(["domain", "measure", by], sort=True)],
                         columns=CHANGE_COLUMNS)
    by_group = withhold_small_groups(parts, "n", _CHANGE_NUMBERS + ["verdict"], min_group_size,
                                     by=["domain", "measure"], group_column="group")
    if coded:
        by_group = _coded(by_group, parts, min_group_size)
    by_group["reason"] = by_group["reason"].where(~by_group["suppressed"], "")
    combined = pd.concat([table, by_group], ignore_index=True)
    return combined.sort_values(["domain", "measure"], kind="stable").reset_index(drop=True)


def _coded(table: pd.DataFrame, figures: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """A change table with its shares coded, each measure a line whose all-educators total is known."""
    return code_edge_shares(table, CHANGE_SHARES, figures=figures, by=["domain", "measure"],
                            withheld_columns=_CHANGE_NUMBERS + ["verdict"], telling=_TELLING,
                            min_group_size=min_group_size)


def _change_row(pairs: pd.DataFrame, domain: str, measure: str, group: str, min_group_size: int) -> dict:
    result = stats.paired_change(pairs["before"], pairs["after"], label=measure, unit="educators",
                                 min_group_size=min_group_size).iloc[0]
    return {"domain": domain, "measure": measure, "group": group, **{c: result[c] for c in CHANGE_COLUMNS[3:]}}


def _with_notes(table: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """The all-educators rows: withheld alone when the whole measure has too few educators."""
    return withhold_small_groups(table, "n", _CHANGE_NUMBERS + ["verdict"], min_group_size,
                                 by=["domain", "measure", "group"])


PARTICIPANT_COLUMNS = ["domain", "measure", "n_participants", "n_others", "baseline_effect", "baseline_verdict",
                       "effect_after", "ci_low", "ci_high", "improvement_index", "verdict", "effect_of_change",
                       "change_ci_low", "change_ci_high", "adjusted_effect", "reason"]


def participant_comparison(measures: pd.DataFrame, hours: pd.DataFrame, before: str, after: str, *,
                           min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """Educators who took part in learning (more than 0 hours in `hours`) against those who did not,
    per measure, in shares of the maximum.

    baseline_effect: Hedges' g of the before scores and the WWC baseline-equivalence verdict;
    effect_after: Hedges' g of the after scores with its 95% interval and improvement index;
    effect_of_change: Hedges' g of the changes; adjusted_effect: effect_after - baseline_effect, the
    WWC difference-in-differences adjustment (WWC Procedures and Standards Handbook v5.0). When
    either group has fewer than `min_group_size` educators, both counts and every effect are withheld.
    """
    pairs = paired_shares(measures, before, after)
    took_part = set(hours.loc[pd.to_numeric(hours["hours"], errors="coerce") > 0, "educator_id"].astype(str))
    pairs["participant"] = pairs["educator_id"].isin(took_part)
    rows = []
    for (domain, measure), part in pairs.groupby(["domain", "measure"], sort=True):
        rows.append(_participant_row(part, domain, measure, min_group_size))
    return pd.DataFrame(rows, columns=PARTICIPANT_COLUMNS)


def _participant_row(pairs: pd.DataFrame, domain: str, measure: str, min_group_size: int) -> dict:
    yes, no = pairs[pairs["participant"]], pairs[~pairs["participant"]]
    labels = {"treatment_label": "educators who took part", "comparison_label": "educators who did not",
              "unit": "educators", "min_group_size": min_group_size}
    row = {"domain": domain, "measure": measure, "n_participants": len(yes), "n_others": len(no)}
    if min(len(yes), len(no)) < min_group_size:
        blank = {column: math.nan for column in PARTICIPANT_COLUMNS[4:]}
        return {**row, **blank, "n_participants": pd.NA, "n_others": pd.NA, "baseline_verdict": "not reported",
                "verdict": "not reported", "reason": _why_not_compared(len(yes), len(no), min_group_size)}
    baseline = stats.baseline_equivalence(yes["before"], no["before"], **labels).iloc[0]
    after = stats.hedges_g(yes["after"], no["after"], **labels).iloc[0]
    change = stats.hedges_g(yes["change"], no["change"], **labels).iloc[0]
    reason = "; ".join(dict.fromkeys(r for r in (baseline["reason"], after["reason"], change["reason"]) if r))
    return {**row, "baseline_effect": baseline["effect"], "baseline_verdict": baseline["verdict"],
            "effect_after": after["effect"], "ci_low": after["ci_low"], "ci_high": after["ci_high"],
            "improvement_index": after["improvement_index"], "verdict": after["verdict"],
            "effect_of_change": change["effect"], "change_ci_low": change["ci_low"],
            "change_ci_high": change["ci_high"],
            # WWC difference-in-differences adjustment: posttest g minus baseline g.
            "adjusted_effect": after["effect"] - baseline["effect"], "reason": reason}


def _why_not_compared(took_part: int, did_not: int, min_group_size: int) -> str:
    if did_not == 0:
        return "not compared: every educator measured took part in some learning"
    if took_part == 0:
        return "not compared: no educator measured took part in any learning"
    return f"not compared: fewer than {min_group_size} educators in one group"


def _check_windows(measures: pd.DataFrame, before: str, after: str) -> None:
    windows = measure_windows(measures)
    for label, window in (("before", before), ("after", after)):
        if window not in windows:
            raise DataError(f"The {label} window {window!r} is not in the educator measures; "
                            f"the windows there are: {', '.join(windows) or 'none'}.")
    if before == after:
        raise DataError("Choose two different windows: change is measured from one window to a later one.")

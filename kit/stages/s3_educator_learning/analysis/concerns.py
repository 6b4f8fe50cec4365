"""Stages of Concern: score the questionnaire, profile each educator and each group, name the peak.

The item key is kit.instruments.CONCERNS_STAGES (Hall, George & Rutherford 1977): seven stages of
five items each, every item answered 0 to 7, so a stage's raw score runs from 0 to 35.

Missing-item rule (the kit's own, stated here and in the app): a response is scored only when
every stage has at least `MIN_ANSWERED_PER_STAGE` (4) of its 5 items answered. A stage with one
item missing is scored as the mean of its 4 answered items times 5, rounded half up to a whole
number, so it stays on the 0-35 scale and can be looked up in a norm table. A response with any
stage under the minimum is not scored and is listed with the stages that fell short.

Percentiles come only from a norm table the coach supplies (`check_norm_table`); without one the
profiles are raw scores, and every view says so. The peak stage is the stage with the highest
percentile (raw score without norms); on a tie the lower stage is named and `tied` is True.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kit.instruments import CONCERNS_ITEM_COUNT, CONCERNS_ITEM_MAX, CONCERNS_STAGES
from kit.io.problems import Check, Problem
from kit.io.reading import read_bytes
from kit.privacy import EDUCATORS, code_edge_shares

from .withholding import EDUCATOR_MIN_GROUP_SIZE, NOT_RECORDED, withhold_small_groups

MIN_ANSWERED_PER_STAGE = 4
ITEMS_PER_STAGE = 5
STAGE_MAX = ITEMS_PER_STAGE * CONCERNS_ITEM_MAX  # 35
STAGES = tuple(sorted(CONCERNS_STAGES))
STAGE_NAMES = {stage: name for stage, (name, _) in CONCERNS_STAGES.items()}
RAW_COLUMNS = [f"stage_{stage}" for stage in STAGES]
RAW_SCALE = "raw score (0-35)"
PERCENTILE_SCALE = "percentile (from your norm table)"
RAW_ONLY_NOTE = ("These are raw-score profiles: no norm table was supplied, so no percentiles are shown. "
                 "Raw scores are not comparable across stages the way percentiles are; read them as a rough shape.")
MISSING_ITEM_RULE = (f"A response is scored when every stage has at least {MIN_ANSWERED_PER_STAGE} of its "
                     f"{ITEMS_PER_STAGE} items answered; a stage missing one item is scored as the mean of its "
                     f"answered items times {ITEMS_PER_STAGE}, rounded to a whole number.")

#: What a coach might do for a group whose concerns peak at each stage (the kit's own words).
COACHING_MOVES = {
    0: "Show why the work matters to these educators' own students, and make room for it in their week "
       "before asking for more.",
    1: "Share clear, short information: what the practice looks like, why it was chosen and what is expected, "
       "with examples from nearby classrooms.",
    2: "Talk one to one about how the change affects each person: time, role, being judged. Reassure, "
       "and keep the first steps small and safe.",
    3: "Help with logistics: model a lesson, co-plan, share ready materials and routines, and protect time "
       "to practise.",
    4: "Look at student work together and show how the practice is reaching students; help adjust it for "
       "the students it is not reaching yet.",
    5: "Set up ways for colleagues to share and refine the practice together: peer visits, shared planning, "
       "a team inquiry.",
    6: "Invite these educators to propose and try their own improvements, and give their ideas a place in "
       "the next cycle.",
}


def item_columns() -> dict[int, list[str]]:
    """Stage -> its five item columns (q-numbers from the item key)."""
    return {stage: [f"q{item}" for item in items] for stage, (_, items) in CONCERNS_STAGES.items()}


def score_concerns(concerns: pd.DataFrame, min_answered: int = MIN_ANSWERED_PER_STAGE) -> pd.DataFrame:
    """Raw stage scores per response: educator_id, window, stage_0 ... stage_6 (0-35, missing when
    the response is not scored), scored (bool) and reason (which stages had too few answers).

    >>> import pandas as pd
    >>> answers = {f"q{i}": 1 for i in range(1, 36)}
    >>> answers.update(q3=7, q12=7, q21=7, q23=7, q30=None)   # stage 0: four answers, one missing
    >>> row = score_concerns(pd.DataFrame([{"educator_id": "E1", "window": "fall", **answers}])).iloc[0]
    >>> int(row["stage_0"]), int(row["stage_1"]), bool(row["scored"])
    (35, 5, True)
    """
    items = item_columns()
    missing_items = [column for columns in items.values() for column in columns if column not in concerns.columns]
    if missing_items:
        from kit.errors import DataError

        raise DataError(f"The Stages of Concern table has no column {missing_items[0]}: it needs the answers "
                        f"q1 to q{CONCERNS_ITEM_COUNT}.")
    frame = concerns[["educator_id", "window"]].astype(str).reset_index(drop=True)
    short_of: list[list[str]] = [[] for _ in range(len(frame))]
    for stage, columns in items.items():
        answers = concerns[columns].apply(pd.to_numeric, errors="coerce").astype(float).to_numpy()
        answered = (~np.isnan(answers)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            prorated = np.nansum(answers, axis=1) * ITEMS_PER_STAGE / np.where(answered, answered, 1)
        # Round half up (not to even), so 17.5 becomes 18 as a coach scoring by hand would.
        frame[f"stage_{stage}"] = pd.array(np.where(answered >= min_answered, np.floor(prorated + 0.5), np.nan),
                                           dtype="Float64").astype("Int64")
        for position in np.flatnonzero(answered < min_answered):
            short_of[position].append(f"stage {stage} ({STAGE_NAMES[stage]}) has {answered[position]} of 5 answered")
    frame["scored"] = [not short for short in short_of]
    frame["reason"] = ["; ".join(short) for short in short_of]
    frame.loc[~frame["scored"], RAW_COLUMNS] = pd.NA
    return frame


def unscored(scores: pd.DataFrame) -> pd.DataFrame:
    """The responses left unscored by the missing-item rule, with why (for the coach only)."""
    return scores.loc[~scores["scored"], ["educator_id", "window", "reason"]].reset_index(drop=True)


# -- norm tables ---------------------------------------------------------------------------------------
NORM_TABLE = "Stages of Concern norm table"


def read_norm_table(content: bytes, file_name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check a norm table file (CSV or Excel). Returns (the checked table or None, problems)."""
    raw, problems = read_bytes(content, file_name, NORM_TABLE)
    if raw is None:
        return None, problems
    return check_norm_table(raw, file_name)


def check_norm_table(raw: pd.DataFrame, file_name: str = "") -> tuple[pd.DataFrame | None, list[Problem]]:
    """Check a norm table: a column `raw_score` (0 to 35, each once) and one column per stage
    (`stage_0` ... `stage_6`, or just `0` ... `6`) holding the percentile (0-100) of that raw score.
    Percentiles must not go down as raw scores go up. Every problem is collected; the table comes
    back (index raw score, columns stage numbers) only when there are none.

    Rows are numbered as in the spreadsheet when `raw` came from `read_bytes` (its index), else from 2.
    """
    problems: list[Problem] = []

    def problem(check: Check, message: str, how: str, row=None, column=None, value=None) -> None:
        problems.append(Problem(NORM_TABLE, check, message, how, row=row, column=column,
                                value=None if value is None else str(value), file=file_name or None))

    frame = raw.copy()
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.min() != 0:
        rows = list(frame.index)
    else:
        rows = [position + 2 for position in range(len(frame))]
    frame.columns = [str(column).strip().lower().replace(" ", "_") for column in frame.columns]
    wanted = {"raw_score": ("raw_score", "raw", "score")}
    wanted.update({f"stage_{s}": (f"stage_{s}", str(s), f"stage{s}") for s in STAGES})
    found = {}
    for name, aliases in wanted.items():
        match = next((alias for alias in aliases if alias in frame.columns), None)
        if match is None:
            problem(Check.MISSING_COLUMN, f"The norm table has no {name} column.",
                    "Add a raw_score column (0 to 35) and one percentile column per stage, stage_0 to stage_6.",
                    column=name)
        else:
            found[name] = match
    if problems:
        return None, problems
    values = {name: pd.to_numeric(frame[column], errors="coerce") for name, column in found.items()}
    for name, column in found.items():
        for position in np.flatnonzero(values[name].isna().to_numpy()):
            problem(Check.WRONG_TYPE, f"Row {rows[position]}: {name} is {frame[column].iloc[position]!r}, not a number.",
                    "Type a number in every cell of the norm table.", rows[position], name, frame[column].iloc[position])
    raw_score = values["raw_score"]
    bad_raw = raw_score.notna() & ~raw_score.isin(range(STAGE_MAX + 1))
    for position in np.flatnonzero(bad_raw.to_numpy()):
        problem(Check.OUT_OF_RANGE, f"Row {rows[position]}: raw score {raw_score.iloc[position]:g} is not a whole number from 0 to 35.",
                "Use the raw scores 0 to 35, one row each.", rows[position], "raw_score", raw_score.iloc[position])
    repeated = raw_score[raw_score.duplicated() & raw_score.notna()]
    for score in sorted(set(repeated)):
        problem(Check.DUPLICATE_KEY, f"Raw score {score:g} appears more than once.",
                "Keep one row per raw score.", column="raw_score", value=score)
    absent = sorted(set(range(STAGE_MAX + 1)) - set(raw_score.dropna()))
    if absent:
        problem(Check.MISSING_VALUE, f"The norm table has no row for raw score{'s' if len(absent) > 1 else ''} "
                f"{', '.join(str(a) for a in absent[:6])}{' ...' if len(absent) > 6 else ''}.",
                "Give a row for every raw score from 0 to 35.", column="raw_score")
    for stage in STAGES:
        name = f"stage_{stage}"
        out = values[name].notna() & ~values[name].between(0, 100)
        for position in np.flatnonzero(out.to_numpy()):
            problem(Check.OUT_OF_RANGE, f"Row {rows[position]}: the percentile for stage {stage} is "
                    f"{values[name].iloc[position]:g}; percentiles run from 0 to 100.",
                    "Correct the percentile.", rows[position], name, values[name].iloc[position])
    if problems:
        return None, problems
    table = pd.DataFrame({stage: values[f"stage_{stage}"].to_numpy(dtype=float) for stage in STAGES},
                         index=raw_score.astype(int).to_numpy()).sort_index()
    for stage in STAGES:
        falls = np.flatnonzero(np.diff(table[stage].to_numpy()) < 0)
        if len(falls):
            score = int(table.index[falls[0] + 1])
            problem(Check.INCONSISTENT, f"Stage {stage}'s percentile goes down at raw score {score}.",
                    "Percentiles must stay the same or rise as raw scores rise; check that row against the manual.",
                    column=f"stage_{stage}", value=score)
    return (None, problems) if problems else (table, [])


# -- profiles and peaks --------------------------------------------------------------------------------
def profiles(scores: pd.DataFrame, norms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long profiles of the scored responses: educator_id, window, stage, stage_name, raw, percentile
    (missing without norms), intensity (the percentile, or the raw score without norms) and scale."""
    scored = scores[scores["scored"]]
    long = scored.melt(id_vars=["educator_id", "window"], value_vars=RAW_COLUMNS, var_name="stage", value_name="raw")
    long["stage"] = long["stage"].str.removeprefix("stage_").astype(int)
    long["stage_name"] = long["stage"].map(STAGE_NAMES)
    long["raw"] = long["raw"].astype(float)
    return _with_intensity(long.sort_values(["educator_id", "window", "stage"]).reset_index(drop=True), norms)


def _with_intensity(long: pd.DataFrame, norms: pd.DataFrame | None) -> pd.DataFrame:
    if norms is None:
        long["percentile"] = np.nan
        long["intensity"] = long["raw"]
        long["scale"] = RAW_SCALE
    else:
        looked_up = [norms.at[int(math.floor(raw + 0.5)), stage] if not math.isnan(raw) else np.nan
                     for raw, stage in zip(long["raw"], long["stage"])]
        long["percentile"] = np.asarray(looked_up, dtype=float)
        long["intensity"] = long["percentile"]
        long["scale"] = PERCENTILE_SCALE
    return long


def peak_stages(profile: pd.DataFrame, keys: tuple[str, ...] = ("educator_id", "window")) -> pd.DataFrame:
    """Per profile (`keys`): peak_stage and second_stage (highest and second-highest intensity, the
    lower stage first on a tie), their names, and `tied` when the top two are equal.

    >>> import pandas as pd
    >>> profile = pd.DataFrame({"educator_id": "E1", "window": "fall", "stage": range(7),
    ...                         "intensity": [10, 30, 25, 30, 5, 5, 0]})
    >>> peak_stages(profile)[["peak_stage", "second_stage", "tied"]].values.tolist()
    [[1, 3, True]]
    """
    keys = list(keys)
    ranked = profile.dropna(subset=["intensity"]).sort_values(keys + ["intensity", "stage"],
                                                              ascending=[True] * len(keys) + [False, True])
    rows = []
    for key, part in ranked.groupby(keys, sort=True):
        top = part.head(2)
        first, second = top.iloc[0], top.iloc[1]
        rows.append({**dict(zip(keys, key if isinstance(key, tuple) else (key,))),
                     "peak_stage": int(first["stage"]), "peak_name": STAGE_NAMES[int(first["stage"])],
                     "second_stage": int(second["stage"]), "second_name": STAGE_NAMES[int(second["stage"])],
                     "tied": bool(math.isclose(first["intensity"], second["intensity"]))})
    return pd.DataFrame(rows, columns=keys + ["peak_stage", "peak_name", "second_stage", "second_name", "tied"])


def group_profiles(scores: pd.DataFrame, windows: list[str], *, groups: pd.DataFrame | None = None,
                   by: str | None = None, norms: pd.DataFrame | None = None,
                   min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """The mean raw score of each stage per window (and group, with `by`, a column of `groups`), over
    the scored responses; with norms, the percentile of the mean raw score (rounded half up).
    Columns: window, group, stage, stage_name, n, raw, percentile, intensity, scale, suppressed, note.
    Groups under `min_group_size` educators are withheld, with complementary suppression per window."""
    scored = scores[scores["scored"] & scores["window"].isin(windows)].copy()
    if by is None:
        scored["group"] = "all educators"
    else:
        labels = groups.set_index(groups["educator_id"].astype(str))[by].astype(str) if groups is not None else None
        scored["group"] = scored["educator_id"].map(labels).fillna(NOT_RECORDED) if labels is not None else NOT_RECORDED
    means = scored.groupby(["window", "group"], sort=True).agg(
        n=("educator_id", "nunique"), **{column: (column, "mean") for column in RAW_COLUMNS}).reset_index()
    means[RAW_COLUMNS] = means[RAW_COLUMNS].astype(float)
    shown = withhold_small_groups(means, "n", RAW_COLUMNS, min_group_size, by=["window"] if by else ["window", "group"],
                                  group_column="group")
    long = shown.melt(id_vars=["window", "group", "n", "suppressed", "note"], value_vars=RAW_COLUMNS,
                      var_name="stage", value_name="raw")
    long["stage"] = long["stage"].str.removeprefix("stage_").astype(int)
    long["stage_name"] = long["stage"].map(STAGE_NAMES)
    long = _with_intensity(long, norms)
    order = {window: place for place, window in enumerate(windows)}
    long = long.sort_values(["window", "group", "stage"], key=lambda c: c.map(order) if c.name == "window" else c)
    return long[["window", "group", "stage", "stage_name", "n", "raw", "percentile", "intensity", "scale",
                 "suppressed", "note"]].reset_index(drop=True)


def peak_counts(scores: pd.DataFrame, window: str, norms: pd.DataFrame | None = None, *,
                min_group_size: int = EDUCATOR_MIN_GROUP_SIZE) -> pd.DataFrame:
    """How many educators' concerns peak at each of the seven stages in `window` (`educators`), that as a
    share of the window's scored educators (`share`, `share_text`), and the coaching move for each stage.

    Every stage is listed, none too (a missing row would say "nobody peaks here"). A count under
    `min_group_size` (zero included) is withheld, with others so that the total minus the shown counts
    cannot give it back; a share near 0% or 100% ("12 of 12 peak at stage 3" tells each educator's peak)
    shows only its band, its count missing, with rows withheld beside it while the total would narrow
    it (`kit.privacy.code_edge_shares`, educators' unit).

    >>> peaks = [3] * 12 + [5] * 10 + [1] * 5 + [0] * 3  # 30 educators; 3 at stage 0 and 0 at 2, 4, 6
    >>> scores = pd.DataFrame({"educator_id": [f"E{i}" for i in range(30)], "window": "fall", "scored": True,
    ...                        **{f"stage_{s}": [30.0 if s == p else 5.0 for p in peaks] for s in STAGES}})
    >>> peak_counts(scores, "fall")[["educators", "share_text"]].T.values.tolist()
    [[<NA>, <NA>, <NA>, 12, <NA>, 10, <NA>], ['', '', '', '40%', '', '33%', '']]
    """
    peaks = peak_stages(profiles(scores[scores["window"] == window], norms))
    counts = peaks["peak_stage"].value_counts().reindex(STAGES, fill_value=0)
    total = int(counts.sum())
    figures = pd.DataFrame({"stage": list(STAGES), "stage_name": [STAGE_NAMES[s] for s in STAGES],
                            "educators": counts.to_numpy(), "share": counts.to_numpy() / max(total, 1),
                            "coaching_move": [COACHING_MOVES[s] for s in STAGES]})
    shown = withhold_small_groups(figures, "educators", ["share"], min_group_size)
    return code_edge_shares(shown, ["share"], EDUCATORS.with_threshold(min_group_size), figures=figures,
                            count_column="educators", sizes=[total] * len(STAGES), counts_with_share=["educators"])


def profile_words(group_profile: pd.DataFrame, before: str, after: str) -> str:
    """One or two sentences on how the group's peak concern moved between two windows."""
    peaks = peak_stages(group_profile[~group_profile["suppressed"]], keys=("window", "group"))
    found = {row["window"]: row for _, row in peaks.iterrows()}
    if before not in found or after not in found:
        return "The group profile is withheld or has no scored responses in one of the windows."
    first, last = found[before], found[after]
    scale = group_profile["scale"].iloc[0]
    if first["peak_stage"] == last["peak_stage"]:
        head = f"Concerns peaked at stage {first['peak_stage']} ({first['peak_name']}) in both {before} and {after}"
    else:
        head = (f"The peak concern moved from stage {first['peak_stage']} ({first['peak_name']}) in {before} "
                f"to stage {last['peak_stage']} ({last['peak_name']}) in {after}")
    note = "" if scale == PERCENTILE_SCALE else " (judged on raw scores; no norm table was supplied)"
    return f"{head}{note}. {COACHING_MOVES[last['peak_stage']]}"

"""The standards self-assessment: how a team rates its current professional learning against each
Standard for Professional Learning, and how far its raters agree.

Input: a ratings frame with one row per rater and standard, columns `standard_id`, `rater` and
`rating` (on `kit.standards.RATING_SCALE`, 1 to 4); other columns are ignored.

>>> import pandas as pd
>>> ratings = pd.DataFrame({"standard_id": ["evidence"] * 3, "rater": ["a", "b", "c"], "rating": [3, 3, 4]})
>>> row = standard_summary(ratings).set_index("standard_id").loc["evidence"]
>>> row[["mean", "exact_agreement", "within_one_agreement"]].astype(float).tolist()
[3.33, 0.33, 1.0]
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from kit.standards import GROUPS, RATING_MAX, RATING_MIN, RATING_SCALE, STANDARDS, rating_name

STRENGTH_FROM = 3.0  # a mean at "Meeting" or above
FOCUS_UP_TO = 2.0    # a mean at "Beginning" or below
STRENGTH, FOCUS, DEVELOPING, NOT_RATED = "strength", "focus area", "developing", "not rated"

#: The variance of ratings spread evenly over the scale: (A^2 - 1) / 12 for A points.
UNIFORM_VARIANCE = (len(RATING_SCALE) ** 2 - 1) / 12

SUMMARY_COLUMNS = ("standard_id", "standard", "group", "raters", "mean", "median", "lowest", "highest", "spread",
                   "exact_agreement", "within_one_agreement", "rwg", "level", "verdict")


def _checked(ratings: pd.DataFrame) -> pd.DataFrame:
    missing = {"standard_id", "rater", "rating"} - set(ratings.columns)
    if missing:
        raise ValueError(f"the ratings need the columns standard_id, rater and rating (missing: {', '.join(sorted(missing))})")
    frame = ratings.dropna(subset=["rating"]).copy()
    frame["rating"] = frame["rating"].astype(int)
    outside = ~frame["rating"].between(RATING_MIN, RATING_MAX)
    if outside.any():
        raise ValueError(f"ratings run from {RATING_MIN} to {RATING_MAX}; found {frame.loc[outside, 'rating'].iloc[0]}")
    return frame


def pairwise_agreement(values) -> tuple[int, float, float]:
    """(pairs of raters, share of pairs giving the same rating, share within one point).

    Percent agreement and adjacent (within-one) agreement, as used for rubric scoring. Shares are
    NaN when there are fewer than two ratings.

    >>> pairwise_agreement([2, 2, 3, 4])
    (6, 0.17, 0.67)
    """
    pairs = list(combinations(list(values), 2))
    if not pairs:
        return 0, float("nan"), float("nan")
    exact = sum(a == b for a, b in pairs) / len(pairs)
    within = sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs)
    return len(pairs), round(exact, 2), round(within, 2)


def rwg(values) -> float:
    """Within-group agreement r_wg = 1 - s^2 / sigma^2_EU (James, Demaree & Wolf 1984, Journal of
    Applied Psychology 69(1)), with s^2 the raters' variance (n - 1) and sigma^2_EU the variance of
    ratings spread evenly over the scale; 1 is full agreement, 0 no more than chance (negative
    values are set to 0, as is usual). NaN with fewer than two ratings.

    >>> rwg([3, 3, 3]), rwg([1, 4])
    (1.0, 0.0)
    """
    series = pd.Series(list(values), dtype=float)
    if len(series) < 2:
        return float("nan")
    return round(max(0.0, 1 - float(series.var(ddof=1)) / UNIFORM_VARIANCE), 2)


def verdict(mean: float) -> str:
    """Strength (mean at Meeting or above), focus area (Beginning or below), developing, or not rated."""
    if pd.isna(mean):
        return NOT_RATED
    return STRENGTH if mean >= STRENGTH_FROM else FOCUS if mean <= FOCUS_UP_TO else DEVELOPING


def standard_summary(ratings: pd.DataFrame) -> pd.DataFrame:
    """One row per standard (all eleven, in order; unrated ones have raters 0 and NaN figures).

    Columns: standard_id, standard, group, raters, mean, median, lowest, highest, spread (highest -
    lowest), exact_agreement and within_one_agreement (shares of rater pairs), rwg, level (the
    scale's name for the rounded mean), verdict (strength / developing / focus area / not rated).
    """
    frame = _checked(ratings)
    rows = []
    for standard in STANDARDS:
        values = frame.loc[frame["standard_id"] == standard.id, "rating"].tolist()
        _, exact, within = pairwise_agreement(values)
        mean = round(sum(values) / len(values), 2) if values else float("nan")
        rows.append({
            "standard_id": standard.id, "standard": standard.label, "group": standard.group, "raters": len(values),
            "mean": mean, "median": float(pd.Series(values, dtype=float).median()) if values else float("nan"),
            "lowest": min(values) if values else pd.NA, "highest": max(values) if values else pd.NA,
            "spread": max(values) - min(values) if values else pd.NA,
            "exact_agreement": exact, "within_one_agreement": within, "rwg": rwg(values),
            "level": rating_name(int(mean + 0.5)) if values else "", "verdict": verdict(mean),
        })
    summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for column in ("lowest", "highest", "spread"):
        summary[column] = summary[column].astype("Int64")
    return summary


def group_summary(ratings: pd.DataFrame) -> pd.DataFrame:
    """One row per group of standards: group, standards (in the group), standards_rated, ratings,
    mean (of every rating in the group), lowest_standard (the label of its lowest-rated standard)."""
    summary = standard_summary(ratings)
    frame = _checked(ratings)
    group_of = {standard.id: standard.group for standard in STANDARDS}
    rows = []
    for group in GROUPS:
        in_group = summary[summary["group"] == group]
        values = frame.loc[frame["standard_id"].map(group_of) == group, "rating"]
        rated = in_group.dropna(subset=["mean"])
        rows.append({"group": group, "standards": len(in_group), "standards_rated": len(rated),
                     "ratings": len(values), "mean": round(values.mean(), 2) if len(values) else float("nan"),
                     "lowest_standard": rated.sort_values("mean", kind="stable")["standard"].iloc[0] if len(rated) else ""})
    return pd.DataFrame(rows)


def rater_agreement(ratings: pd.DataFrame) -> pd.DataFrame:
    """Agreement over the whole self-assessment, one row: raters, standards_rated (by two or more
    raters), pairs (rater pairs over all standards), exact_agreement, within_one_agreement (shares
    of those pairs), mean_rwg (over standards with two or more raters), widest_spread (the standard
    whose ratings are furthest apart, to talk over first)."""
    frame = _checked(ratings)
    summary = standard_summary(frame)
    pairs = exact = within = 0
    for _, values in frame.groupby("standard_id")["rating"]:
        count, exact_share, within_share = pairwise_agreement(values.tolist())
        if count:
            pairs += count
            exact += exact_share * count
            within += within_share * count
    shared = summary[summary["raters"] >= 2]
    widest = shared.sort_values("spread", ascending=False, kind="stable")
    return pd.DataFrame([{
        "raters": frame["rater"].nunique(), "standards_rated": len(shared), "pairs": pairs,
        "exact_agreement": round(exact / pairs, 2) if pairs else float("nan"),
        "within_one_agreement": round(within / pairs, 2) if pairs else float("nan"),
        "mean_rwg": round(shared["rwg"].mean(), 2) if len(shared) else float("nan"),
        "widest_spread": widest["standard"].iloc[0] if len(widest) and widest["spread"].iloc[0] > 0 else "",
    }])


def strengths_and_focus(ratings: pd.DataFrame) -> pd.DataFrame:
    """The rated standards sorted from strongest to weakest with their verdict: columns standard,
    group, mean, raters, verdict. Strengths first, focus areas last."""
    summary = standard_summary(ratings)
    rated = summary[summary["raters"] > 0]
    return (rated.sort_values(["mean", "standard"], ascending=[False, True], kind="stable")
            [["standard", "group", "mean", "raters", "verdict"]].reset_index(drop=True))


def change_since(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Change in each standard's mean rating since an earlier self-assessment (e.g. the previous
    cycle's): standard_id, standard, previous_mean, current_mean, change (NaN where either is
    unrated), direction (up / down / same / "")."""
    now = standard_summary(current).set_index("standard_id")
    before = standard_summary(previous).set_index("standard_id")
    frame = pd.DataFrame({"standard": now["standard"], "previous_mean": before["mean"], "current_mean": now["mean"]})
    frame["change"] = (frame["current_mean"] - frame["previous_mean"]).round(2)
    frame["direction"] = ["" if pd.isna(c) else "up" if c > 0 else "down" if c < 0 else "same" for c in frame["change"]]
    return frame.reset_index()

"""Equity dispositions: the measures a coach tags as equity-related, shown as their own section.

The kit's equity position asks educators to examine their beliefs about students, so change on
measures of asset-based beliefs, bias awareness or culturally responsive practice is shown apart
from the rest. Which measures count is the coach's call; `suggest_equity_measures` only offers a
starting point from the measure names.

>>> suggest_equity_measures(["Beliefs about students survey", "Content knowledge quiz"])
['Beliefs about students survey']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from kit.privacy import is_coded_text

#: Words in a measure's name that suggest it looks at equity (a suggestion the coach confirms).
EQUITY_WORDS = ("belief", "bias", "equit", "asset", "culturally", "cultural", "deficit", "mindset", "inclusi",
                "anti-racis", "expectation")


def suggest_equity_measures(measure_names: Iterable[str]) -> list[str]:
    """The measure names that contain an equity word (case-insensitive), in the order given."""
    pattern = re.compile("|".join(re.escape(word) for word in EQUITY_WORDS), re.IGNORECASE)
    return list(dict.fromkeys(str(name) for name in measure_names if pattern.search(str(name))))


def clean_tags(tags: Iterable[str], measure_names: Iterable[str]) -> list[str]:
    """The tagged measures that exist in the data, sorted: a tag kept for a measure no longer in
    the file is ignored, not an error."""
    names = {str(name) for name in measure_names}
    return sorted({str(tag) for tag in tags if str(tag) in names})


def equity_measure_change(change_table: pd.DataFrame, tagged: Iterable[str]) -> pd.DataFrame:
    """The rows of a change table (`change_by_measure`) about the tagged measures, marked `equity` True."""
    tagged = set(tagged)
    rows = change_table[change_table["measure"].isin(tagged)].copy()
    rows["equity"] = True
    return rows.reset_index(drop=True)


def equity_words(change_table: pd.DataFrame, tagged: Iterable[str]) -> str:
    """The equity section's finding, in words, from the all-educators rows of the tagged measures."""
    tagged = sorted(set(tagged))
    if not tagged:
        return ("No measure is tagged as equity-related yet. Tag the measures of beliefs about students, "
                "bias awareness or culturally responsive practice to see them as their own section.")
    rows = equity_measure_change(change_table, tagged)
    rows = rows[rows["group"] == "all educators"]
    sentences = []
    for _, row in rows.iterrows():
        coded = [row.get(f"mean_{w}_text", "") for w in ("before", "after")]
        if not row["suppressed"] and pd.isna(row["mean_change"]) and is_coded_text(coded).any():
            sentences.append(f"{row['measure']}: {coded[0]} of the maximum before, {coded[1]} after "
                             f"({int(row['n'])} educators; a mean near 0% or 100% shows only its band, "
                             "so the change is not shown).")
            continue
        if row["suppressed"] or pd.isna(row["mean_change"]):
            sentences.append(f"{row['measure']}: withheld ({row['note'] or row['reason']}).")
            continue
        way = {"higher": "rose", "lower": "fell"}.get(row["verdict"], "did not clearly change")
        amount = "" if way.startswith("did") else f" by {abs(row['mean_change']) * 100:.1f} percentage points"
        sentences.append(f"{row['measure']} {way}{amount} (95% interval {row['ci_low'] * 100:+.1f} to "
                         f"{row['ci_high'] * 100:+.1f}; {int(row['n'])} educators).")
    return " ".join(sentences) or "The tagged measures have no educators scored in both windows."

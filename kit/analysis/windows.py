"""Put window labels ("2024-25 fall", "pre", "spring") in the order they happened.

Every stage that compares windows orders them here, so they always read the same way:

>>> order_windows(["2025-26 spring", "2024-25 winter", "2025-26 fall", "2024-25 fall"])
['2024-25 fall', '2024-25 winter', '2025-26 fall', '2025-26 spring']
>>> order_windows(["post", "pre"])
['pre', 'post']
>>> order_windows(["Unit 3", "Unit 1"])   # nothing to go by: first appearance
['Unit 3', 'Unit 1']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Words that place a window within a year, earliest first (a label may use any of them).
SEASON_ORDER = {
    "pre": 0, "baseline": 0, "beginning": 0, "boy": 0,
    "fall": 1, "autumn": 1,
    "mid": 2, "middle": 2, "moy": 2, "winter": 2,
    "spring": 3, "end": 4, "eoy": 4, "post": 4,
    "summer": 5,
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_WORD = re.compile(r"[a-z]+")


def window_key(label: str) -> tuple[int, int] | None:
    """(year, place in the year) read from a label, or None when the label has neither.

    A missing year counts as 0 and a missing season as -1, so "2024-25" sorts before "2024-25 fall".

    >>> window_key("2024-25 winter"), window_key("post"), window_key("Unit 1")
    ((2024, 2), (0, 4), None)
    """
    text = str(label).lower()
    year = _YEAR.search(text)
    season = next((SEASON_ORDER[word] for word in _WORD.findall(text) if word in SEASON_ORDER), None)
    if year is None and season is None:
        return None
    return (int(year.group(1)) if year else 0, -1 if season is None else season)


def order_windows(labels: Iterable) -> list[str]:
    """The distinct labels in time order: by year, then season (fall < winter < spring, pre < post);
    when any label gives neither, every label keeps the order in which it first appears."""
    distinct = list(dict.fromkeys(str(label) for label in labels if label is not None and label == label))
    keys = [window_key(label) for label in distinct]
    if any(key is None for key in keys):
        return distinct
    position = {label: index for index, label in enumerate(distinct)}
    return sorted(distinct, key=lambda label: (window_key(label), position[label]))

"""Where the coach's equity tags live: the workspace settings (kit.workspace), under one key.

None of the store's record kinds describes a measure, and a tag belongs to the measure (it holds
for every cycle), so the tagged measure names are kept as a small list in the workspace's
settings.json, written atomically by `kit.workspace.save_settings`.
"""

from __future__ import annotations

from collections.abc import Iterable

from kit.workspace import load_settings, save_settings

EQUITY_TAGS_SETTING = "educator_learning_equity_measures"


def load_equity_tags() -> list[str]:
    """The measure names the coach has tagged as equity-related ([] when none)."""
    tags = load_settings().get(EQUITY_TAGS_SETTING, [])
    return sorted({str(tag) for tag in tags}) if isinstance(tags, list) else []


def save_equity_tags(measures: Iterable[str]) -> list[str]:
    """Keep `measures` as the tagged measures (replacing the previous list); returns what was saved."""
    tags = sorted({str(name).strip() for name in measures if str(name).strip()})
    save_settings(**{EQUITY_TAGS_SETTING: tags})
    return tags

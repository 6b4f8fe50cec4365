"""Whose name goes on what is saved: the JupyterHub user when there is one, else the name the coach
gave once (remembered in the workspace settings), else `$KIT_AUTHOR` or the login name.

>>> remember_author("Ana Ruiz"); saved_author()               # doctest: +SKIP
'Ana Ruiz'
"""

from __future__ import annotations

import os

from kit.errors import KitError
from kit.workspace import load_settings, save_settings

AUTHOR_SETTING = "author"
NAME_MAX = 80


def hub_user() -> str:
    """The JupyterHub user's name, or "" outside JupyterHub."""
    return os.environ.get("JUPYTERHUB_USER", "").strip()


def saved_author() -> str | None:
    """The name to save under: `$KIT_AUTHOR`, the JupyterHub user, or the name remembered in the
    workspace; None when the kit must ask."""
    for name in (os.environ.get("KIT_AUTHOR", "").strip(), hub_user(), str(load_settings().get(AUTHOR_SETTING) or "").strip()):
        if name:
            return name
    return None


def clean_author(name: str) -> str:
    """The name as it will be saved, or a KitError in a coach's words.

    >>> clean_author("  Ana   Ruiz ")
    'Ana Ruiz'
    """
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise KitError("Type your name (or initials) so your team can see who saved what.")
    if len(cleaned) > NAME_MAX:
        raise KitError(f"Your name is longer than {NAME_MAX} characters: shorten it.")
    return cleaned


def remember_author(name: str) -> str:
    """Remember the coach's name in the workspace settings and return it cleaned."""
    cleaned = clean_author(name)
    save_settings(**{AUTHOR_SETTING: cleaned})
    return cleaned

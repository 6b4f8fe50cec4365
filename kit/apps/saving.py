"""Nothing typed is lost: text is saved as the coach types (after a short pause), and the time of
the last save is shown beside the button that saves.

>>> autosave = Autosave(lambda: model.save_plan(view.current()), delay=2.0)   # doctest: +SKIP
>>> autosave.watch(title_box, notes_box)                                      # doctest: +SKIP
>>> widgets.HBox([save_button, saved_mark(model, autosave)])                  # doctest: +SKIP

Leaving the page while text waits: the mark carries the class `kit-unsaved` while anything typed is
not saved yet, and watched boxes carry `kit-autosaved`; the kit's page template
(kit/share/voila/templates/kit/index.html.j2) asks before the page is left while either says so.

The save itself is the model's one save path (`StageModel.upsert`: versioned, reported in the status
line), so an autosave and a button press are the same save.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import threading
from typing import Callable

import ipywidgets as widgets
from traitlets import Bool, HasTraits, Unicode

#: Seconds of quiet typing after which the text is saved.
AUTOSAVE_DELAY = 1.5
#: The classes the page template's leave-page guard looks for (kit/share/voila/templates/kit).
UNSAVED_CLASS, AUTOSAVED_CLASS = "kit-unsaved", "kit-autosaved"


class Autosave(HasTraits):
    """Run `save` once the coach has paused typing for `delay` seconds (debounced); `pending` is
    True between a change and its save. `flush()` saves at once (a button press, a test, leaving a
    step). With `delay=0` every change saves at once.

    >>> saved = []
    >>> autosave = Autosave(lambda: saved.append("now") or True, delay=0)
    >>> autosave.touch(); saved, autosave.pending
    (['now'], False)
    """

    pending = Bool(False, help="typed but not saved yet")
    last_saved = Unicode("", help="when this autosave (or its save_now) last saved something (HH:MM)")

    def __init__(self, save: Callable[[], object], delay: float = AUTOSAVE_DELAY, guard=None):
        super().__init__()
        self._save = guard(save) if guard is not None else save
        self.delay = delay
        self._timer = None
        self._lock = threading.Lock()
        self.paused = False  # while a view fills its own boxes (loading a record), nothing is "typed"

    @contextlib.contextmanager
    def filling(self):
        """While a view fills its own boxes (from a saved record, or empty for a new one): what it
        sets is not typing, so nothing is saved for it.

        >>> autosave = Autosave(lambda: True, delay=0)
        >>> with autosave.filling():
        ...     autosave.touch()
        >>> autosave.pending
        False
        """
        self.paused = True
        try:
            yield
        finally:
            self.paused = False

    def watch(self, *boxes: widgets.Widget) -> None:
        """Save after the coach types in any of `boxes` (each marked `kit-autosaved`, so that the page
        guards text typed just before leaving, even before the mark has heard of it).

        >>> box = widgets.Textarea()
        >>> autosave = Autosave(lambda: True, delay=0); autosave.watch(box)
        >>> box.value = "typed"; autosave.pending, "kit-autosaved" in box._dom_classes
        (False, True)
        """
        for box in boxes:
            box.add_class(AUTOSAVED_CLASS)
            box.observe(lambda _: self.touch(), names="value")

    def touch(self) -> None:
        """Something was typed: save after the pause (restarting the wait)."""
        if self.paused:
            return
        self.pending = True
        if self.delay <= 0:
            self.flush()
            return
        self._cancel()
        try:  # in a kernel, the event loop runs the save on the kernel's own thread
            self._timer = asyncio.get_running_loop().call_later(self.delay, self.flush)
        except RuntimeError:  # no loop running (plain Python, tests): a timer thread
            self._timer = threading.Timer(self.delay, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Save now if anything is waiting."""
        self._cancel()
        with self._lock:
            if not self.pending:
                return
            result = self._save()
            self._after(result)

    def save_now(self, save: Callable[[], object] | None = None):
        """Save at once (a button press): cancel the wait and run `save` (by default the autosave's
        own save, which a button may replace by one that also says what is missing). Returns what
        `save` returned; the text stays marked unsaved when that is None or False.

        >>> autosave = Autosave(lambda: "record", delay=60)
        >>> autosave.save_now(), autosave.pending, autosave.last_saved.startswith("saved at")
        ('record', False, True)
        """
        self._cancel()
        with self._lock:
            result = (save or self._save)()
            self._after(result)
            return result

    def _after(self, result) -> None:
        self.pending = result is None or result is False
        if not self.pending and result is not True:  # True: nothing to keep yet, nothing saved
            moment = getattr(result, "updated_at", None) or dt.datetime.now(dt.timezone.utc)
            self.last_saved = f"saved at {moment.astimezone():%H:%M}"

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def saved_mark(model, autosave: Autosave | None = None, own: bool = False) -> widgets.HTML:
    """A small label for beside a save button: "saved at 14:05" after the model's last save, or
    "not saved yet" while typed text waits (driven by `model.last_saved` and `autosave.pending`).
    With `own`, the time is the autosave's own last save (`Autosave.last_saved`: its pauses and its
    `save_now`), for a model that saves several forms, each with its own mark."""
    mark = widgets.HTML()
    mark.add_class("kit-saved-mark")
    source, trait = (autosave, "last_saved") if own and autosave is not None else (model, "last_saved")

    def show(_change=None) -> None:
        if autosave is not None and autosave.pending:
            mark.value = (f'<span class="kit-saved-mark {UNSAVED_CLASS}">\u25cf not saved yet (saving when you '
                          'pause)</span>')
        elif getattr(source, trait):
            mark.value = f'<span class="kit-saved-mark">\u2713 {html.escape(getattr(source, trait))}</span>'
        else:
            mark.value = ""

    source.observe(show, names=trait)
    if autosave is not None:
        autosave.observe(show, names="pending")
    show()
    return mark

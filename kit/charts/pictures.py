"""Chart pictures a kernel has drawn, kept by what each was drawn from, so that no chart is drawn twice.

An app built again in the same kernel (a preheated kernel whose store changed before the visit
builds its app anew), or a view that comes back to figures it showed before, shows the kept PNG
instead of drawing it again: drawing a chart costs a tenth to half a CPU-second, a picture about
50 kB. The newest `PICTURES_KEPT` are kept.

>>> drawn = []
>>> first = picture(("example", 1), lambda: drawn.append(1) or b"png")
>>> again = picture(("example", 1), lambda: drawn.append(1) or b"png")
>>> first == again == b"png", len(drawn)
(True, 1)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

PICTURES_KEPT = 48
_KEPT: OrderedDict[tuple, bytes] = OrderedDict()


def picture(key: tuple, draw: Callable[[], bytes]) -> bytes:
    """The PNG `draw()` makes for `key` (which names the chart and everything it is drawn from),
    drawn only if this process has not kept one for `key`."""
    if key not in _KEPT:
        _KEPT[key] = draw()
        while len(_KEPT) > PICTURES_KEPT:
            _KEPT.popitem(last=False)
    _KEPT.move_to_end(key)
    return _KEPT[key]

"""The kit's one chart style: a colour-blind-safe palette and a helper that makes a fresh axes.

Charts never touch pyplot's global state (Voila runs many kernels' figures side by side), so a
figure is always built directly from `matplotlib.figure.Figure`.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision type.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Roles used across charts, so every chart colours the same idea the same way.
SERIES = OKABE_ITO["blue"]
REFERENCE = OKABE_ITO["black"]
HIGHLIGHT = OKABE_ITO["vermillion"]
MUTED = "#7F7F7F"
#: A value withheld to protect a small group (a cell or bar): light grey, drawn hatched by the
#: chart, so it never reads as a value.
WITHHELD = "#D9D9D9"
#: A colour map for an ordered quantity (a share, a score): readable with every common
#: colour-vision type and in greyscale.
SEQUENTIAL = "cividis"


def new_axes(figsize: tuple[float, float] = (8.0, 4.5)) -> Axes:
    """A single axes on a new Figure that is not registered with pyplot.

    >>> ax = new_axes()
    >>> ax.figure.get_size_inches().tolist()
    [8.0, 4.5]
    """
    figure = Figure(figsize=figsize, layout="constrained")
    return figure.add_subplot()


#: Colours for a few categories side by side (e.g. the three groups of standards), in a fixed order.
CATEGORIES = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"],
              OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"])

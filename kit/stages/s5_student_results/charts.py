"""Stage 5 charts: growth by implementation level, gap change by group, and the chain of evidence.

Data in (frames from `kit.stages.s5_student_results.analysis`, already withheld where small), axes
out; `ax=None` makes a new figure. A withheld value is drawn as withheld, never as a number, and the
title states the finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from kit.charts.style import CATEGORIES, HIGHLIGHT, MUTED, REFERENCE, SERIES, WITHHELD, new_axes

_NOTE_COLOUR = "#444444"


def growth_by_level_chart(table: pd.DataFrame, *, ax: Axes | None = None, unit: str = "points") -> Axes:
    """Mean growth with its 95% interval for each group of students (`analysis.growth_by_arm`), one
    row per group; a withheld group says so in place of its bar.

    >>> table = pd.DataFrame({"arm": ["at or above the line", "below the line"],
    ...     "words": ["students of educators at or above the line", "students of educators below the line"],
    ...     "students": [200, 80], "educators": [12, 6], "mean_growth": [15.0, 7.0], "low": [14.0, 5.5],
    ...     "high": [16.0, 8.5], "suppressed": [False, False], "note": ["", ""]})
    >>> growth_by_level_chart(table).get_title()
    'Students of educators at or above the line grew most: 15.0 points on average'
    """
    ax = ax if ax is not None else new_axes((8.0, 1.6 + 0.7 * len(table)))
    y = np.arange(len(table))[::-1]
    for position, (_, row) in zip(y, table.iterrows()):
        if row["suppressed"]:
            ax.barh(position, 1, left=0, color=WITHHELD, hatch="//", edgecolor="white", height=0.5)
            ax.text(0.02, position, row["note"], transform=ax.get_yaxis_transform(), va="center", fontsize=8,
                    color=_NOTE_COLOUR)
            continue
        ax.barh(position, row["mean_growth"], color=SERIES, height=0.5)
        if pd.notna(row["low"]):
            ax.errorbar(row["mean_growth"], position, xerr=[[row["mean_growth"] - row["low"]], [row["high"] - row["mean_growth"]]],
                        color=REFERENCE, capsize=4, linewidth=1.2)
        ax.text(row["high"] if pd.notna(row["high"]) else row["mean_growth"], position,
                f"  {row['mean_growth']:.1f} ({row['students']} students)", fontsize=8, va="center")
    ax.set_yticks(y, [_wrap(words) for words in table["words"]])
    ax.axvline(0, color=REFERENCE, linewidth=0.8)
    reach = pd.concat([table["high"], table["mean_growth"]]).abs().max()
    if pd.notna(reach) and reach > 0:
        ax.set_xlim(min(0, table["low"].min(skipna=True) if table["low"].notna().any() else 0) * 1.1, reach * 1.35)
    ax.set_xlabel(f"Mean growth, {unit} (bars: 95% interval)")
    shown = table[~table["suppressed"] & table["mean_growth"].notna()]
    if shown.empty:
        ax.set_title("Growth by group of educators: every group is withheld or empty")
    else:
        best = shown.loc[shown["mean_growth"].idxmax()]
        ax.set_title(f"{_capital(best['words'])} grew most: {best['mean_growth']:.1f} {unit} on average")
    return ax


def gap_change_chart(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Each gap's change in size (negative = narrower) with its 95% interval, one row per student
    group and group of educators (`analysis.gaps.gap_change_by_arm`); the grey band is the tolerance
    within which a gap is "about the same".

    >>> table = pd.DataFrame({"arm": ["high", "low"], "group_column": "el", "group": ["yes", "yes"],
    ...     "n_group": [40, 30], "change": [-4.0, -0.5], "ci_low": [-5.0, -1.5], "ci_high": [-3.0, 0.5],
    ...     "tolerance": [0.8, 0.8], "verdict": ["narrowed", "about the same"], "suppressed": [False, False],
    ...     "note": ["", ""]})
    >>> gap_change_chart(table).get_title()
    'Gaps narrowed in 1 of 2 shown (el: yes, high)'
    """
    ax = ax if ax is not None else new_axes((10.0, 1.8 + 0.4 * len(table)))
    y = np.arange(len(table))[::-1]
    arms = list(dict.fromkeys(table["arm"]))
    colours = {arm: CATEGORIES[index % len(CATEGORIES)] for index, arm in enumerate(arms)}
    tolerance = table["tolerance"].dropna()
    if len(tolerance):
        ax.axvspan(-tolerance.max(), tolerance.max(), color=WITHHELD, alpha=0.6, linewidth=0)
    for position, (_, row) in zip(y, table.iterrows()):
        if row["suppressed"] or pd.isna(row["change"]):
            ax.text(0.02, position, "withheld" if row["suppressed"] else "not reported",
                    transform=ax.get_yaxis_transform(), va="center", fontsize=8, color=_NOTE_COLOUR)
            continue
        ax.errorbar(row["change"], position, xerr=[[row["change"] - row["ci_low"]], [row["ci_high"] - row["change"]]],
                    fmt="o", color=colours[row["arm"]], capsize=3)
    ax.set_yticks(y, [_wrap(f"{row['group']} ({row['arm']})", 40) for _, row in table.iterrows()])
    ax.axvline(0, color=REFERENCE, linewidth=0.8)
    ax.set_xlabel("Change in the gap's size, points\n(left of zero: narrower; grey band: about the same)")
    if table["suppressed"].any():
        ax.text(0.005, 0.005, f"Withheld: {table.loc[table['suppressed'], 'note'].iloc[0]}.", transform=ax.figure.transFigure,
                fontsize=7, color=MUTED)
    shown = table[~table["suppressed"] & table["change"].notna()]
    narrowed = shown[shown["verdict"] == "narrowed"]
    names = ", ".join(f"{r['group_column'].replace('_', ' ')}: {r['group']}, {r['arm']}" for _, r in narrowed.head(2).iterrows())
    ax.set_title(f"Gaps narrowed in {len(narrowed)} of {len(shown)} shown" + (f" ({names})" if names else ""))
    return ax


def chain_diagram(links: pd.DataFrame, funnel: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """The chain of evidence: one box per step with the educators who made it that far, one arrow per
    link labelled with its association (Spearman's rho) and interval; an arrow whose interval does
    not lie above zero is dashed and coloured: that is where the chain breaks. A share near 0% or 100%
    shows only its band (the funnel's `share_through_text`, "≥85% through"), never its count.

    >>> links = pd.DataFrame({"from_step": ["dose"], "to_step": ["learning_change"], "educators": [40],
    ...     "association": [0.5], "low": [0.3], "high": [0.7], "made_it": [0.5], "words": [""]})
    >>> funnel = pd.DataFrame({"step": ["dose", "learning_change"], "words": ["took part", "grew"],
    ...     "educators": [40, 40], "moved": [35, 30], "through": [35, 28], "share_through": [0.875, 0.7],
    ...     "suppressed": [False, False], "note": ["", ""]})
    >>> chain_diagram(links, funnel).get_title()
    'The chain holds at every link shown (associations, not proof of cause)'
    """
    from .analysis.chain import STEP_SHORT, funnel_count_words

    ax = ax if ax is not None else new_axes((10.0, 3.6))
    steps = list(funnel["step"])
    x = {step: index * 2.2 for index, step in enumerate(steps)}
    for _, row in funnel.iterrows():
        count = "withheld" if row["suppressed"] else funnel_count_words(row, " through")
        ax.add_patch(FancyBboxPatch((x[row["step"]] - 0.8, -0.45), 1.6, 0.9, boxstyle="round,pad=0.05",
                                    facecolor="white", edgecolor=SERIES, linewidth=1.5))
        ax.text(x[row["step"]], 0.12, _wrap(STEP_SHORT.get(row["step"], row["step"]), 16), ha="center",
                va="center", fontsize=9, weight="bold")
        ax.text(x[row["step"]], -0.25, count, ha="center", va="center", fontsize=8)
    broken = []
    if "practice_change" in x and "practice_level" in x:  # one is part of the other: no association drawn
        ax.annotate("", xy=(x["practice_level"] - 0.85, 0.0), xytext=(x["practice_change"] + 0.85, 0.0),
                    arrowprops={"arrowstyle": "-", "linestyle": ":", "color": MUTED})
    for _, link in links.iterrows():
        if link["from_step"] not in x or link["to_step"] not in x:
            continue
        start, end = x[link["from_step"]], x[link["to_step"]]
        holds = pd.notna(link["low"]) and link["low"] > 0
        if not holds:
            broken.append(link)
        rho = link["association"]
        width = 1.0 + 4.0 * abs(rho) if pd.notna(rho) else 1.0
        arc = 0.0 if end - start < 2.5 else -0.35
        ax.add_patch(FancyArrowPatch((start + 0.85, 0.5 if arc else 0.0), (end - 0.85, 0.5 if arc else 0.0),
                                     arrowstyle="-|>", mutation_scale=14, linewidth=width,
                                     linestyle="-" if holds else "--", connectionstyle=f"arc3,rad={arc}",
                                     color=SERIES if holds else HIGHLIGHT))
        label = (f"rho {rho:.2f}\n({link['low']:.2f} to {link['high']:.2f})" if pd.notna(rho) else "withheld")
        ax.text((start + end) / 2, 0.95 if arc else 0.62, label, ha="center", va="bottom", fontsize=8,
                color=REFERENCE if holds else HIGHLIGHT)
    ax.set_xlim(-1.0, max(x.values(), default=0) + 1.0)
    ax.set_ylim(-0.7, 1.6)
    ax.axis("off")
    if broken:
        first = broken[0]
        ax.set_title(f"The chain breaks between {STEP_SHORT.get(first['from_step'], first['from_step'])} and "
                     f"{STEP_SHORT.get(first['to_step'], first['to_step'])} (associations, not proof of cause)")
    else:
        ax.set_title("The chain holds at every link shown (associations, not proof of cause)")
    ax.text(0.0, -0.05, "Dashed arrow: the interval does not lie above zero. Educators' counts under 5 are withheld.",
            transform=ax.transAxes, fontsize=7, color=MUTED)
    return ax


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

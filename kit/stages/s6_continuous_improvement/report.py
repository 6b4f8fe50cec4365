"""The cycle report's content: every section built from the stage's evidence, rendered by
`kit.report.cycle_report` into one self-contained HTML file.

The team version names no educator and no student: its tables are the withheld tables of each
stage's analysis, the reflections appear without their authors, and goals about one educator are
not judged. The coach's internal version adds the chain per educator and who wrote each
reflection, and is marked as internal on every page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kit.analysis.stats import RunChartSignals
from kit.report.cycle_report import WITHHELD, ReportFigure, ReportSection, frame_table, png_of, render_report
from kit.privacy import EDUCATORS, STUDENTS, is_coded_text, withheld_words

from .analysis.goals import VERDICT_RULE
from .analysis.review import DECISIONS
from .analysis.signals import RULE_CHOICES, run_chart_summary, run_chart_words

_PERCENT = lambda v: f"{float(v):.0%}"  # noqa: E731
_ONE = lambda v: f"{float(v):.1f}"  # noqa: E731
_TWO = lambda v: f"{float(v):.2f}"  # noqa: E731
_WHOLE = lambda v: f"{int(v):,}"  # noqa: E731


def _coded_withheld(frame: pd.DataFrame, text_columns: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """`frame` with `WITHHELD` in each empty cell of `columns` on a row where a share of `text_columns` is
    top- or bottom-coded ("≥85%"): the count or change that would tell the share is withheld, and reads so.

    >>> frame = pd.DataFrame({"educators": [pd.NA, 4], "share_text": ["≥75%", "40%"]})
    >>> _coded_withheld(frame, ["share_text"], ["educators"])["educators"].tolist()
    ['withheld', 4]
    """
    coded = pd.Series(False, index=frame.index)
    for column in text_columns:
        coded |= is_coded_text(frame[column])
    frame = frame.copy()
    for column in columns:
        frame[column] = frame[column].astype(object).where(~(coded & frame[column].isna()), WITHHELD)
    return frame


def _or_text(format_number):
    """A cell format that leaves text (a withheld mark) as it is."""
    return lambda v: v if isinstance(v, str) else format_number(v)


@dataclass
class CycleContent:
    """What the report is made of: the cycle's saved values, its goals (dicts), the review and
    reflections frames, the decision (dict or None), the evidence (`analysis.evidence.cycle_evidence`),
    the run charts ({title: signals}) and the windows compared."""

    cycle: Mapping
    goals: Sequence[Mapping]
    review: pd.DataFrame
    reflections: pd.DataFrame
    decision: Mapping | None
    evidence: Mapping
    charts: Mapping[str, RunChartSignals]
    windows: tuple[str, str]
    rules: str = "anhoej"
    stage_titles: Mapping[int, str] = field(default_factory=dict)


def _students_note(min_group_size: int | None = None) -> str:
    unit = STUDENTS if min_group_size is None else STUDENTS.with_threshold(min_group_size)
    return f"Values marked withheld are {withheld_words(unit)} (or would reveal one)."


def _educators_note() -> str:
    return f"Values marked withheld are {withheld_words(EDUCATORS)} (or would reveal one)."


def goal_section(content: CycleContent) -> ReportSection:
    cycle = content.cycle
    paragraphs = [f"Cycle: {cycle.get('name', '')}."]
    if cycle.get("focus"):
        paragraphs.append(f"Coaching focus: {cycle['focus']}")
    goals = pd.DataFrame([{"type": "student learning" if g.get("goal_type") == "student_learning" else "educator",
                           "what": g.get("what") or "", "who": g.get("who") or "", "target": g.get("target") or "",
                           "by": str(g.get("by_when") or "")} for g in content.goals],
                         columns=["type", "what", "who", "target", "by"])
    if goals.empty:
        paragraphs.append("No goal was saved in this cycle (stage 1 saves the student learning goal).")
    table = frame_table(goals, {"type": "Goal", "what": "What", "who": "Who", "target": "Target", "by": "By when"},
                        "The cycle's goals")
    return ReportSection("goal", "The goal", paragraphs, [table] if len(goals) else [])


def needs_section(content: CycleContent) -> ReportSection:
    changes = content.evidence.get("gap_changes")
    first = content.windows[0]
    if changes is None or changes.empty:
        return ReportSection("needs", "Stage 1: where students started", ["No student results to show."])
    table = frame_table(changes, {"subject": "Subject", "group": "Group", "gap_first": f"Gap in {first} (points)"},
                        f"Each group's gap to all other students in {first}", formats={"gap_first": _ONE},
                        note=_students_note())
    return ReportSection("needs", "Stage 1: where students started",
                         [f"The gaps the cycle set out from, in mean scale score points (negative: behind), in {first}."],
                         [table])


def learning_section(content: CycleContent) -> ReportSection:
    ev = content.evidence
    tables = []
    if ev.get("participation") is not None and len(ev["participation"]):
        tables.append(frame_table(ev["participation"], {"school_id": "School", "educators": "Educators",
                                                        "took_part_text": "Took part", "median_hours": "Median hours"},
                                  "Stage 2: learning hours by school", formats={"median_hours": _ONE},
                                  note=_educators_note()))
    change = ev.get("measure_change")
    if change is not None and len(change):
        windows = ev.get("educator_windows") or ("", "")
        texts = ["mean_before_text", "mean_after_text"]
        tables.append(frame_table(_coded_withheld(change, texts, ["mean_change", "ci_low", "ci_high"]),
                                  {"domain": "Domain", "measure": "Measure", "n": "Educators",
                                   "mean_before_text": f"Mean {windows[0]}", "mean_after_text": f"Mean {windows[1]}",
                                   "mean_change": "Change", "ci_low": "95% low", "ci_high": "95% high",
                                   "verdict": "Reading"},
                                  "Stage 3: change in knowledge, skills and dispositions (share of each measure's maximum)",
                                  formats={"n": _WHOLE, "mean_change": _or_text(_TWO), "ci_low": _or_text(_TWO),
                                           "ci_high": _or_text(_TWO)},
                                  note=_educators_note()))
    words = [] if tables else ["No learning activities or educator measures to show."]
    return ReportSection("learning", "Stages 2 and 3: professional learning and what educators learned", words, tables)


def practice_section(content: CycleContent) -> ReportSection:
    counts = content.evidence.get("implementation_counts")
    if counts is None or counts.empty:
        return ReportSection("practice", "Stage 4: educator practice", ["No observations of practice to show."])
    table = frame_table(_coded_withheld(counts, ["share_text"], ["educators"]),
                        {"implementation": "Implementation", "educators": "Educators", "share_text": "Share"},
                        "Stage 4: educators by implementation level (latest window observed)",
                        formats={"educators": _or_text(_WHOLE)}, note=_educators_note())
    return ReportSection("practice", "Stage 4: educator practice",
                         ["Implementation: an educator's share of practice-map components at or above the line."],
                         [table])


def chain_section(content: CycleContent) -> ReportSection:
    ev = content.evidence
    tables = []
    if ev.get("funnel") is not None and len(ev["funnel"]):
        funnel = ev["funnel"]
        share = "share_through_text" if "share_through_text" in funnel else "share_through"
        # A count missing on a shown step is withheld beside a coded share (stage 5's chain_funnel).
        funnel = funnel.assign(**{c: funnel[c].astype(object).where(funnel[c].notna(), WITHHELD)
                                  for c in ("moved", "through")})
        tables.append(frame_table(funnel, {"words": "Step", "educators": "Educators", "moved": "Moved",
                                           "through": "Through every step so far", share: "Share"},
                                  "Educators through each step of the chain",
                                  formats={"educators": _WHOLE, "moved": _or_text(_WHOLE), "through": _or_text(_WHOLE),
                                           "share_through": _PERCENT}, note=_educators_note()))
    if ev.get("links") is not None and len(ev["links"]):
        tables.append(frame_table(ev["links"], {"words": "Link", "educators": "Educators",
                                                "association": "Spearman", "low": "95% low", "high": "95% high"},
                                  "Each link of the chain (an association, not proof of cause)",
                                  formats={"association": _TWO, "low": _TWO, "high": _TWO}))
    return ReportSection("chain", "Stage 5: the chain of evidence", [ev.get("chain_words") or ""], tables)


def equity_section(content: CycleContent) -> ReportSection:
    ev, (first, last) = content.evidence, content.windows
    tables = []
    if ev.get("by_group") is not None and len(ev["by_group"]):
        tables.append(frame_table(ev["by_group"], {"subject": "Subject", "group": "Group", "n": "Students",
                                                   "mean_score": "Mean scale score",
                                                   "share_proficient_text": "Proficient"},
                                  f"Results by group in {last}", formats={"n": _WHOLE, "mean_score": _ONE},
                                  note=_students_note()))
    if ev.get("gap_changes") is not None and len(ev["gap_changes"]):
        tables.append(frame_table(ev["gap_changes"], {"subject": "Subject", "group": "Group",
                                                      "gap_first": f"Gap {first}", "gap_second": f"Gap {last}",
                                                      "direction": "The gap"},
                                  f"Gaps to all other students, {first} to {last} (points)",
                                  formats={"gap_first": _ONE, "gap_second": _ONE}, note=_students_note()))
    if ev.get("access") is not None and len(ev["access"]):
        # A gap beside a share in its band reads as the range the bands allow (kit.privacy.code_gaps).
        tables.append(frame_table(ev["access"], {"group": "Group", "n": "Students",
                                                 "share_text": "Classes at or above the line", "gap_text": "Gap to others"},
                                  "Access: the share of each group's classes taught at or above the practice line",
                                  formats={"n": _WHOLE}, note=_students_note()))
    return ReportSection("equity", "Equity: results and access by group",
                         ["Every group the data records, with the groups too small to report withheld."], tables)


def _draw(signals: RunChartSignals) -> bytes:
    from .charts import measure_run_chart

    return png_of(measure_run_chart(signals).figure)


def run_chart_section(content: CycleContent, chart_png=None) -> ReportSection:
    figures = []
    for title, signals in content.charts.items():
        png = chart_png(title) if chart_png is not None else _draw(signals)
        figures.append(ReportFigure(png, f"Run chart of {title}. {run_chart_words(signals)}", title))
    summary = run_chart_summary(dict(content.charts))
    table = frame_table(summary.assign(points=summary["points"].astype(str)),
                        {"chart": "Chart", "points": "Points", "words": "What it shows"}, "What each run chart shows")
    return ReportSection("run-charts", "Run charts across windows and cycles", [RULE_CHOICES.get(content.rules, "")],
                         [table], figures)


def review_section(content: CycleContent) -> ReportSection:
    review = content.review
    table = frame_table(review, {"source": "Goal from", "goal": "Goal", "target": "Target", "measure": "Measure",
                                 "figure_text": "Latest figure", "verdict": "Verdict", "reason": "Why"},
                        "Each goal against the evidence")
    return ReportSection("review", "Cycle review: each goal against the evidence", [VERDICT_RULE],
                         [table] if len(review) else [])


def reflections_section(content: CycleContent, internal: bool) -> ReportSection:
    items = []
    for row in content.reflections.itertuples():
        head = f"Stage {row.stage}" + (f" ({row.stage_title})" if row.stage_title else "")
        prompt = f" - {row.prompt}" if row.prompt else ""
        by = f" [{row.written_by}]" if internal and row.written_by else ""
        items.append(f"{head}{prompt}{by}:\n{row.text}")
    words = [] if items else ["No reflection was saved in this cycle."]
    return ReportSection("reflections", "Reflections, stage by stage", words, items=items)


def decision_section(content: CycleContent) -> ReportSection:
    decision = content.decision
    if not decision:
        return ReportSection("decision", "The decision", ["No decision saved yet."])
    choice = str(decision.get("decision") or "")
    words = [DECISIONS.get(choice, choice)]
    if decision.get("rationale"):
        words.append(f"Reasons: {decision['rationale']}")
    if decision.get("decided_on"):
        words.append(f"Decided on {decision['decided_on']}.")
    return ReportSection("decision", "The decision", words)


def educators_section(content: CycleContent) -> ReportSection | None:
    chain = content.evidence.get("educators")
    if chain is None or not len(chain):
        return None
    table = frame_table(chain, {"educator_id": "Educator", "dose": "Hours", "learning_change": "Learning change",
                                "practice_change": "Practice change", "practice_level": "Practice level",
                                "students": "Students", "growth_vs_typical": "Growth vs typical"},
                        "The chain per educator (internal)", formats={c: _TWO for c in ("dose", "learning_change",
                                                                                          "practice_change", "practice_level",
                                                                                          "growth_vs_typical")})
    return ReportSection("educators", "Internal: the chain per educator", ["For the coach's conversations only."], [table])


def report_sections(content: CycleContent, *, internal: bool = False, chart_png=None) -> list[ReportSection]:
    """Every section in the order the report shows them (the educators' section in the internal version
    only). `chart_png(title)` gives a run chart's PNG already drawn (else each is drawn here)."""
    sections = [goal_section(content), needs_section(content), learning_section(content), practice_section(content),
                chain_section(content), equity_section(content), run_chart_section(content, chart_png),
                review_section(content),
                reflections_section(content, internal), decision_section(content)]
    extra = educators_section(content) if internal else None
    return sections + ([extra] if extra else [])


def cycle_report_html(content: CycleContent, *, internal: bool = False, chart_png=None) -> str:
    """The cycle report as one self-contained HTML document."""
    name = content.cycle.get("name", "")
    subtitle = f"Student results from {content.windows[0]} to {content.windows[1]}."
    return render_report(f"Cycle report: {name}", report_sections(content, internal=internal, chart_png=chart_png),
                         subtitle=subtitle,
                         internal=internal)

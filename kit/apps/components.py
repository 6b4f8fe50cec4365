"""Pieces every app shares: the status line, the error boundary, tables and download links.

Everything a coach or visitor typed or uploaded is escaped before it reaches an HTML widget.
"""

import base64
import contextlib
import functools
import html
import logging
import traceback

import ipywidgets as widgets
import numpy as np
import pandas as pd

from kit.errors import KitError
from kit.workspace import workspace_dir

# App states, as the status line shows them: (text colour, background).
READY, WORKING, DONE, SAVED, FAILED, CONFLICT, VIEW_ONLY = (
    "ready", "working", "done", "saved", "failed", "conflict", "view-only")
_STATE_STYLE = {
    READY: ("#1f4e79", "#eef4fb"),
    WORKING: ("#5b4a00", "#fff8e1"),
    DONE: ("#1b5e20", "#edf7ee"),
    SAVED: ("#1b5e20", "#edf7ee"),
    FAILED: ("#8a1c1c", "#fdeeee"),
    CONFLICT: ("#5b4a00", "#fff8e1"),
    VIEW_ONLY: ("#444444", "#f2f2f2"),
}

APP_CSS = """
<style>
.kit-table { border-collapse: collapse; font-size: 13px; margin: 4px 0 10px 0; }
.kit-table th { text-align: left; background: #f0f0f0; padding: 4px 8px; border-bottom: 2px solid #999; }
.kit-table td { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
.kit-table-box { max-width: 100%; overflow-x: auto; }
.kit-chart img { max-width: 100%; height: auto; }
.jupyter-widgets.widget-text, .jupyter-widgets.widget-textarea, .jupyter-widgets.widget-dropdown,
.jupyter-widgets.widget-combobox, .jupyter-widgets.widget-select-multiple { max-width: 100%; }
.widget-hbox { flex-wrap: wrap; }  /* forms stack on a narrow screen */
.widget-label { min-width: max-content; }  /* whole labels, never "Student g..." */
.kit-error td { background: #fdeeee; }
.kit-note { color: #444; font-size: 13px; }
.kit-nav a, .kit-table a, .kit-note a { color: #1f4e79; text-decoration: underline; }
.jupyter-widgets.widget-tab > .lm-TabBar .lm-TabBar-tab,
.jupyter-widgets.widget-tab > .p-TabBar .p-TabBar-tab { flex: 0 0 auto; }  /* whole step names on tabs */
.kit-saved-mark { color: #1b5e20; font-size: 13px; padding: 4px 8px; }
.kit-saved-mark.kit-unsaved { color: #5b4a00; }
.kit-guide details > summary { cursor: pointer; color: #1f4e79; }
.kit-history { font-size: 12px; color: #444; }
.kit-help { font-size: 12px; color: #555; margin: 0 0 4px 0; }
@media (max-width: 900px) {
  .widget-hbox { flex-direction: column; align-items: stretch; }  /* a form row becomes a column */
  .jupyter-widgets.widget-text, .jupyter-widgets.widget-textarea, .jupyter-widgets.widget-dropdown,
  .jupyter-widgets.widget-combobox, .jupyter-widgets.widget-select-multiple, .jupyter-widgets.widget-datepicker {
    width: 100% !important; }
  .kit-chart img, .widget-image { max-width: 100% !important; height: auto; }
}
</style>
"""


def status_html(state: str, message: str) -> str:
    """The status line's HTML; `message` (which may hold a coach's text) is escaped."""
    colour, background = _STATE_STYLE[state]
    return (f'<div class="kit-status-{state}" style="color:{colour};background:{background};'
            f'padding:6px 10px;border-radius:4px">{html.escape(message)}</div>')


def set_status(line: widgets.HTML, state: str, message: str) -> None:
    line.value = status_html(state, message)


def maintainer_log() -> logging.Logger:
    """A log file in the workspace (`logs/kit.log`) where unexpected errors are written for maintainers."""
    logger = logging.getLogger("kit.apps")
    path = workspace_dir() / "logs" / "kit.log"
    if not any(getattr(handler, "baseFilename", None) == str(path) for handler in logger.handlers):
        for handler in list(logger.handlers):  # the workspace moved (tests do this): follow it
            logger.removeHandler(handler)
            handler.close()
        path.parent.mkdir(exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


UNEXPECTED = ("Something went wrong on our side; what you entered is still here. Try again, and if it "
              "happens again, tell your kit maintainer (the details are in the workspace's logs/kit.log).")


def guarded(report):
    """Wrap a widget callback so that no exception escapes it (Voila would swallow it silently).

    `report` is a status line widget, or a function taking a message. A `KitError` shows its own
    message; anything else shows a short apology and goes to the log. Nothing the coach typed is
    touched: the widgets keep their values.
    """
    if isinstance(report, widgets.HTML):
        line = report
        report = lambda message: set_status(line, FAILED, message)  # noqa: E731

    def wrap(callback):
        @functools.wraps(callback)
        def safe(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except KitError as error:
                report(error.message)
            except Exception:  # the boundary: report, log, keep the app alive
                maintainer_log().error("In %s:\n%s", callback.__qualname__, traceback.format_exc())
                report(UNEXPECTED)
            return None
        return safe
    return wrap


#: Column names that hold a person's code: a table with one stays in the kit (no download).
ID_COLUMNS = frozenset({"student_id", "educator_id", "observer_id", "student", "educator", "observer"})

#: Coach's words for the columns analysis frames return (schema columns take their table's words too).
COLUMN_LABELS = {
    "n": "count", "school_id": "school", "group_column": "group column", "mean_score": "mean scale score",
    "share_proficient": "share proficient", "suppressed": "withheld", "note": "note", "saved_by": "saved by",
    "saved_at": "saved at", "exact_agreement": "raters agreeing exactly", "rwg": "agreement (rwg, 0-1)",
    "share_without": "share with no hours", "share_without_text": "share with no hours",
    "mean_hours": "mean hours", "median_hours": "median hours", "total_hours": "total hours",
    "with_hours": "with any hours", "standard_id": "standard", "educator_id": "educator", "student_id": "student",
    "observer_id": "observer", "activity_id": "activity", "gap_points": "gap (points)",
}


def column_label(name) -> str:
    """The words a coach reads for a column: its label, else the name with spaces for underscores.

    >>> column_label("share_proficient"), column_label("exact_agreement"), column_label("gap (points)")
    ('share proficient', 'raters agreeing exactly', 'gap (points)')
    """
    text = str(name)
    return COLUMN_LABELS.get(text, text.replace("_", " "))


#: Help for a column, shown when the pointer rests on its header: analysis columns in a coach's words;
#: schema columns take their description from kit/schema.py (`column_help`).
COLUMN_HELP = {
    "exact_agreement": "Share of pairs of raters who gave the same rating.",
    "within_one_agreement": "Share of pairs of raters whose ratings are at most one point apart.",
    "rwg": "How far raters agree, from 0 (no more than chance) to 1 (full agreement).",
    "suppressed": "Yes when the cell is withheld: too few people to show safely.",
    "share_without": "Share of educators with no hours of professional learning in the period.",
    "gap_points": "Difference in mean scale score from the comparison group; negative means behind.",
}


def column_help(name) -> str:
    """A sentence about a column for its header's tooltip ("" when the kit has none).

    >>> column_help("rwg").startswith("How far raters agree")
    True
    """
    text = str(name)
    if text in COLUMN_HELP:
        return COLUMN_HELP[text]
    from kit.schema import TABLES

    return next((column.description for table in TABLES for column in table.columns if column.name == text), "")


def cell_text(value) -> str:
    """A cell as a coach reads it: blank for missing, yes/no for booleans, numbers with separators
    and at most two decimals.

    >>> cell_text(True), cell_text(1234567), cell_text(2.50), cell_text(float("nan")), cell_text("<b>")
    ('yes', '1,234,567', '2.5', '', '<b>')
    """
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return str(value)


def html_table(frame: pd.DataFrame, max_rows: int = 200, row_class=None, download: str | None = "table.csv") -> str:
    """The one table renderer: the frame as one escaped HTML table (one widget, however many rows),
    headers in a coach's words (`column_label`), no index, cells as `cell_text`, inside a box that
    scrolls on a narrow screen, with a CSV download of the whole table as shown (`download` is its
    file name; None for none). A table that names people's codes is never offered for download:
    ids stay in the kit. `row_class(row)` may return a CSS class for a row (it sees the frame's own
    column names).
    """
    if frame.empty:
        return '<p class="kit-note">Nothing to show.</p>'
    shown = frame.head(max_rows)
    labels = [column_label(column) for column in shown.columns]
    helps = [column_help(column) for column in shown.columns]
    header = "".join(f'<th title="{html.escape(help_text)}">{html.escape(label)}</th>' if help_text else
                     f"<th>{html.escape(label)}</th>" for label, help_text in zip(labels, helps))
    body = []
    for _, row in shown.iterrows():
        css = row_class(row) if row_class else ""
        cells = "".join(f"<td>{html.escape(cell_text(value))}</td>" for value in row)
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    more = (f'<p class="kit-note">Showing the first {max_rows} of {len(frame):,} rows.</p>'
            if len(frame) > max_rows else "")
    names_people = any(str(c) in ID_COLUMNS or label in ID_COLUMNS for c, label in zip(frame.columns, labels))
    link = ""
    if download and not names_people:
        csv = frame.map(cell_text).set_axis(labels, axis=1).to_csv(index=False)
        link = f'<p class="kit-note kit-download">{download_link(download, csv, "Download this table (CSV)")}</p>'
    return (f'<div class="kit-table-box"><table class="kit-table"><thead><tr>{header}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{more}{link}')


def chart_html(figure, alt: str, file_name: str = "chart.png") -> str:
    """A chart as an image with its alt text (what the chart shows, for a screen reader) and a link
    that downloads it as PNG. The figure is closed after drawing (no pyplot state is kept)."""
    encoded = base64.b64encode(figure_png(figure)).decode("ascii")
    return (f'<div class="kit-chart"><img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}" '
            f'style="max-width:100%;height:auto"><p class="kit-note kit-download"><a download="{html.escape(file_name)}" '
            f'href="data:image/png;base64,{encoded}">Download this chart (PNG)</a></p></div>')


def download_link(file_name: str, content: str, label: str, mime: str = "text/csv") -> str:
    """An HTML link that downloads `content` as `file_name` from the page itself (no server round trip)."""
    encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (f'<a download="{html.escape(file_name)}" href="data:{mime};charset=utf-8;base64,{encoded}">'
            f"{html.escape(label)}</a>")


def figure_png(figure) -> bytes:
    """A matplotlib Figure as PNG bytes, for an `ipywidgets.Image` (`image.value = figure_png(fig)`).

    Images in widgets work the same in JupyterLab, in Voila and in plain pytest, with no pyplot state.
    """
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


@contextlib.contextmanager
def busy(button: widgets.Button, model=None, message: str = "Working\u2026"):
    """While the body runs: the button is disabled and shows a spinner, and the status line (through
    `model.report`, when a model is given) says that work is going on. Everything is set back after,
    whatever happens in the body.

    >>> button = widgets.Button(description="Open")
    >>> with busy(button):
    ...     button.disabled
    True
    >>> button.disabled, button.icon
    (False, '')
    """
    before = (button.disabled, button.icon)
    button.disabled, button.icon = True, "spinner spin"
    if model is not None:
        model.report(WORKING, message)
    try:
        yield button
    finally:
        button.disabled, button.icon = before


def guidance_html(lead: str, more: str = "", summary: str = "More about this step") -> str:
    """Guidance as a short lead (always shown) and the rest folded in a <details> a coach can open.
    Both are HTML the kit wrote (never a coach's text).

    >>> "<details>" in guidance_html("<p>Choose.</p>", "<p>Why.</p>")
    True
    """
    folded = f"<details><summary>{html.escape(summary)}</summary>{more}</details>" if more else ""
    return f'<div class="kit-guide">{lead}{folded}</div>'


def printable_page(title: str, sections) -> str:
    """A self-contained printable HTML page: `title`, then each (heading, text or frame) section.
    Text is escaped; a frame is shown with `html_table` (no download link on paper).

    >>> "&lt;b&gt;" in printable_page("Goal <b>", [("What", "x")])
    True
    """
    parts = []
    for heading, content in sections:
        if isinstance(content, pd.DataFrame):
            body = html_table(content, download=None)
        else:
            body = "".join(f"<p>{html.escape(line)}</p>" for line in str(content or "").splitlines() if line.strip())
        parts.append(f"<h2>{html.escape(heading)}</h2>{body or '<p>(not written yet)</p>'}")
    style = ("body{font-family:sans-serif;max-width:800px;margin:2em auto;color:#111}"
             ".kit-table{border-collapse:collapse}.kit-table th,.kit-table td{border:1px solid #999;padding:4px 8px;"
             "text-align:left;vertical-align:top}h2{font-size:1.1em;margin-top:1.4em}"
             "@media print{body{margin:0}}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>{''.join(parts)}</body></html>")


def reflections_html(model) -> str:
    """The reflections a `kit.apps.base.ReflectionModel` holds for the open cycle, as one table (who
    wrote each and when), or a line saying there is no cycle or no reflection yet."""
    if model.cycle_id is None:
        return "<p class='kit-note'>No cycle is open yet.</p>"
    if not model.reflections:
        return "<p class='kit-note'>No reflection saved for this cycle yet.</p>"
    return html_table(pd.DataFrame([{"reflection": r.text, "prompt": r.prompt or "", "by": r.created_by,
                                     "saved": r.created_at.strftime("%Y-%m-%d %H:%M")} for r in model.reflections]))

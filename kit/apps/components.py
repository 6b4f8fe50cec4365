"""Pieces every app shares: the status line, the error boundary, tables and download links.

Everything a coach or visitor typed or uploaded is escaped before it reaches an HTML widget.
"""

import base64
import functools
import html
import logging
import traceback

import ipywidgets as widgets
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
.kit-error td { background: #fdeeee; }
.kit-note { color: #444; font-size: 13px; }
.kit-nav a, .kit-table a, .kit-note a { color: #1f4e79; text-decoration: underline; }
.jupyter-widgets.widget-tab > .lm-TabBar .lm-TabBar-tab,
.jupyter-widgets.widget-tab > .p-TabBar .p-TabBar-tab { flex: 0 0 auto; }  /* whole step names on tabs */
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


def html_table(frame: pd.DataFrame, max_rows: int = 200, row_class=None) -> str:
    """The frame as one escaped HTML table (one widget, however many rows). `row_class(row)` may
    return a CSS class for a row."""
    if frame.empty:
        return '<p class="kit-note">Nothing to show.</p>'
    shown = frame.head(max_rows)
    header = "".join(f"<th>{html.escape(str(column))}</th>" for column in shown.columns)
    body = []
    for _, row in shown.iterrows():
        css = row_class(row) if row_class else ""
        cells = "".join(f"<td>{'' if pd.isna(value) else html.escape(str(value))}</td>" for value in row)
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    more = (f'<p class="kit-note">Showing the first {max_rows} of {len(frame):,} rows.</p>'
            if len(frame) > max_rows else "")
    return f'<table class="kit-table"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>{more}'


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

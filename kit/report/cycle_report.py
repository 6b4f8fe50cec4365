"""The cycle report as one self-contained HTML file: sections of words, tables and charts.

Charts are embedded as base64 PNG with alt text, the styles are inline with a print stylesheet (the
browser prints a clean PDF), and there is no link to anything outside the file, so it opens offline.
Everything passes through Jinja2 with autoescaping on: text a coach typed shows as text, never as
markup. A withheld value reads `WITHHELD` in the table; the section's note says why, in the one
wording of `kit.privacy`. An internal version (which may name educators) is marked as such at the
top of the page and on every printed page.

>>> page = render_report("Cycle", [ReportSection("goal", "Goal", ["<b>Read</b> well"])])
>>> "&lt;b&gt;Read&lt;/b&gt; well" in page, "<b>" in page
(True, False)
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from jinja2 import Environment

#: What a withheld cell shows (the note under the table says why).
WITHHELD = "withheld"
INTERNAL_MARK = "INTERNAL: names educators. For the coach only; do not share or print for others."


@dataclass(frozen=True)
class ReportTable:
    """A table to show: `header` and `rows` of display text, a `caption` and a `note`."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class ReportFigure:
    """A chart: PNG bytes, the alt text that says what it shows, and a caption."""

    png: bytes
    alt: str
    caption: str = ""

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class ReportSection:
    """One section: an anchor `key`, a title, paragraphs, tables and figures (in that order)."""

    key: str
    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[ReportTable] = ()
    figures: Sequence[ReportFigure] = ()
    items: Sequence[str] = field(default_factory=tuple)


def _cell(value, formatter: Callable | None) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return formatter(value) if formatter else str(value)


def frame_table(frame: pd.DataFrame, columns: Mapping[str, str], caption: str, *,
                formats: Mapping[str, Callable] | None = None, note: str = "") -> ReportTable:
    """A `ReportTable` from `frame`'s `columns` ({column: heading}); a row with `suppressed` True shows
    `WITHHELD` in every empty value cell; `formats` turn values into text ({column: function}).

    >>> frame = pd.DataFrame({"group": ["a", "b"], "n": [pd.NA, 30], "suppressed": [True, False]})
    >>> frame_table(frame, {"group": "Group", "n": "Students"}, "Counts").rows
    (('a', 'withheld'), ('b', '30'))
    """
    formats = formats or {}
    withheld = frame["suppressed"].fillna(False).astype(bool) if "suppressed" in frame else pd.Series(False, index=frame.index)
    rows = []
    for index, row in frame.iterrows():
        cells = []
        for column in columns:
            text = _cell(row[column], formats.get(column))
            cells.append(WITHHELD if text == "" and bool(withheld.loc[index]) else text)
        rows.append(tuple(cells))
    return ReportTable(caption, tuple(columns.values()), tuple(rows), note)


def png_of(figure) -> bytes:
    """A matplotlib Figure as PNG bytes (dpi 96: sharp on screen and in print, small in the file). The
    figure's own layout is kept (no tight bounding box: that would draw every chart twice)."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, metadata={"Software": None})
    return buffer.getvalue()


_CSS = """
body { font-family: system-ui, Arial, sans-serif; margin: 24px auto; max-width: 980px; color: #111; line-height: 1.4; }
h1 { font-size: 24px; margin-bottom: 2px; } h2 { font-size: 19px; border-bottom: 2px solid #1f4e79; padding-bottom: 3px; margin-top: 28px; }
p.sub { color: #333; margin-top: 0; } nav ol { columns: 2; font-size: 14px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 4px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th { text-align: left; background: #eef1f5; border-bottom: 2px solid #888; padding: 4px 8px; }
td { border-bottom: 1px solid #ccc; padding: 3px 8px; vertical-align: top; }
td.withheld { color: #555; font-style: italic; }
p.note { font-size: 12px; color: #444; margin-top: 2px; }
figure { margin: 10px 0; } figure img { max-width: 100%; height: auto; } figcaption { font-size: 12px; color: #333; }
.internal { background: #8a1c1c; color: #fff; padding: 6px 10px; font-weight: 700; }
.reflection { border-left: 3px solid #1f4e79; padding: 2px 10px; margin: 8px 0; white-space: pre-wrap; }
footer { font-size: 12px; color: #444; margin-top: 30px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; } nav { display: none; }
  h2 { break-after: avoid; } table, figure, .reflection { break-inside: avoid; }
  .internal { position: fixed; top: 0; left: 0; right: 0; }
  .internal-space { height: 36px; }
  @page { margin: 16mm 14mm; }
}
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}{% if internal %} (internal){% endif %}</title><style>{{ css }}</style></head>
<body>
{% if internal %}<div class="internal" role="note">{{ internal_mark }}</div><div class="internal-space"></div>{% endif %}
<header><h1>{{ title }}</h1>{% if subtitle %}<p class="sub">{{ subtitle }}</p>{% endif %}</header>
<nav aria-label="Sections"><ol>{% for s in sections %}<li><a href="#{{ s.key }}">{{ s.title }}</a></li>{% endfor %}</ol></nav>
{% for s in sections %}
<section id="{{ s.key }}"><h2>{{ s.title }}</h2>
{% for p in s.paragraphs %}<p>{{ p }}</p>{% endfor %}
{% if s.items %}{% for item in s.items %}<div class="reflection">{{ item }}</div>{% endfor %}{% endif %}
{% for t in s.tables %}
<table><caption>{{ t.caption }}</caption><thead><tr>{% for h in t.header %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in t.rows %}<tr>{% for c in row %}<td{% if c == withheld %} class="withheld"{% endif %}>{{ c }}</td>{% endfor %}</tr>{%
endfor %}</tbody></table>
{% if t.note %}<p class="note">{{ t.note }}</p>{% endif %}
{% endfor %}
{% for f in s.figures %}<figure><img src="{{ f.data_uri }}" alt="{{ f.alt }}">{% if f.caption %}<figcaption>{{ f.caption }}</figcaption>{%
endif %}</figure>{% endfor %}
</section>
{% endfor %}
<footer>Made with the coaching kit on {{ made }}.{% if internal %} {{ internal_mark }}{% endif %}</footer>
</body></html>
"""

_ENVIRONMENT = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_COMPILED = _ENVIRONMENT.from_string(_TEMPLATE)


def render_report(title: str, sections: Sequence[ReportSection], *, subtitle: str = "", internal: bool = False,
                  made: datetime | None = None) -> str:
    """The whole report as one HTML document (see the module's example)."""
    when = (made or datetime.now()).strftime("%Y-%m-%d %H:%M")
    return _COMPILED.render(title=title, subtitle=subtitle, sections=list(sections), internal=internal,
                            internal_mark=INTERNAL_MARK, css=_CSS, withheld=WITHHELD, made=when)

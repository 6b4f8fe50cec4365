"""The Innovation Configuration map as a printable page: one self-contained HTML document.

Components are rows; their variations run from the ideal (left) to unacceptable (right); a thick
line marks where acceptable practice ends. Everything the coach typed is escaped.

>>> page = ic_map_page("Number talks", "Daily talk about strategies", [
...     {"name": "Student talk", "variations": ["Most students explain", "Some explain", "Teacher explains"],
...      "acceptable_line": 2}])
>>> page.startswith("<!DOCTYPE html>"), "Student talk" in page, page.count('class="unacceptable"')
(True, True, 1)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date

_CSS = """
body { font-family: system-ui, Arial, sans-serif; margin: 24px; color: #111; }
h1 { font-size: 22px; margin-bottom: 4px; }
p.innovation { margin-top: 0; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #888; padding: 6px 8px; vertical-align: top; text-align: left; }
thead th { background: #eee; }
th.component { width: 16%; background: #f6f6f6; }
td.unacceptable { background: repeating-linear-gradient(135deg, #fff, #fff 6px, #f1f1f1 6px, #f1f1f1 12px); }
td.line { border-right: 4px solid #000; }
p.key, p.made { font-size: 12px; color: #333; }
@media print { body { margin: 8mm; } a { display: none; } }
"""


def _component_row(component: Mapping, width: int) -> str:
    variations = list(component.get("variations") or [])
    line = int(component.get("acceptable_line") or len(variations))
    cells = []
    for position, text in enumerate(variations, start=1):
        classes = ["unacceptable"] if position > line else []
        if position == line and position < len(variations):
            classes.append("line")
        css = f' class="{" ".join(classes)}"' if classes else ""
        cells.append(f"<td{css}>{html.escape(str(text))}</td>")
    cells += ["<td></td>"] * (width - len(variations))
    return f'<tr><th class="component" scope="row">{html.escape(str(component.get("name", "")))}</th>{"".join(cells)}</tr>'


def ic_map_page(name: str, innovation: str, components: Sequence[Mapping], made_on: date | None = None) -> str:
    """The map as a self-contained HTML page. `components` (in order) are mappings with `name`,
    `variations` (ideal first) and `acceptable_line` (how many variations, from the ideal, are
    acceptable)."""
    width = max((len(component.get("variations") or []) for component in components), default=0)
    body_rows = "".join(_component_row(component, width) for component in components)
    header = "".join(f"<th>{'Ideal' if n == 1 else f'Variation {n}'}</th>" for n in range(1, width + 1))
    table = (f'<table><thead><tr><th class="component">Component</th>{header}</tr></thead><tbody>{body_rows}</tbody></table>'
             if components else "<p>No components yet.</p>")
    made = made_on or date.today()
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)}: practice map</title>'
            f"<style>{_CSS}</style></head><body><h1>{html.escape(name)}</h1>"
            f'<p class="innovation">{html.escape(innovation or "")}</p>{table}'
            '<p class="key">Each row is one part of the practice. Variations run from the ideal on the left; the '
            "thick line marks the last acceptable variation, and shaded cells are not yet acceptable.</p>"
            f'<p class="made">Made with the coaching notebook kit on {made.isoformat()}.</p></body></html>')

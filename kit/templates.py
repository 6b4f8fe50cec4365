"""Empty templates and the data dictionary, both written from the schema.

`python -m kit.templates` rewrites `data/templates/*.csv` and `docs/data-dictionary.md`;
a test fails when either is out of date with `kit/schema.py`.
"""

import sys
from pathlib import Path

from kit import schema
from kit.standards import STANDARDS
from kit.workspace import PROJECT_ROOT as ROOT, TEMPLATE_FOLDER

DICTIONARY_PATH = ROOT / "docs" / "data-dictionary.md"


def template_csv(table_name: str) -> str:
    """An empty CSV for the table: only the header row (the data dictionary gives an example of each column)."""
    return ",".join(schema.table_by_name(table_name).column_names) + "\n"


def data_dictionary_markdown() -> str:
    """The data dictionary: every table and column, with kinds, ranges, keys and links."""
    lines = ["# Data dictionary", "",
             "Generated from `kit/schema.py` by `python -m kit.templates`; do not edit by hand.", "",
             "Every table is optional: each stage says which tables it needs. Ids are codes, never names. "
             "Headers are matched ignoring case, spaces and punctuation; near misses are proposed for you "
             "to confirm. Empty templates are in `data/templates/`.", ""]
    for table in schema.TABLES:
        lines += [f"## {table.title} (`{table.name}.csv`)", "", f"{table.description} One row per {table.one_row_per}.",
                  "", f"- Each row is identified by: {', '.join(table.key)}"]
        if table.used_by:
            lines.append(f"- Used by: {'; '.join(table.used_by)}")
        if table.extra_columns_are:
            lines.append(f"- Extra columns: {table.extra_columns_are}")
        for smaller, larger in table.not_above:
            lines.append(f"- {smaller} may not be more than {larger}")
        lines += ["", "| column | required | kind | allowed | links to | example | meaning |",
                  "|---|---|---|---|---|---|---|"]
        for column in table.columns:
            lines.append(f"| {column.name} | {'yes' if column.required else 'no'} | {column.kind} | "
                         f"{column.range_text} | {column.links_to or ''} | {column.example} | {column.description} |")
        lines.append("")
    lines += ["## Standards ids (for `learning_activities.standards`)", "", "| id | standard | group |", "|---|---|---|"]
    lines += [f"| {standard.id} | {standard.labels} | {standard.group} |" for standard in STANDARDS]
    return "\n".join(lines) + "\n"


def write_all() -> list[Path]:
    """Rewrite the templates and the data dictionary; returns the files written."""
    TEMPLATE_FOLDER.mkdir(parents=True, exist_ok=True)
    written = []
    for table in schema.TABLES:
        path = TEMPLATE_FOLDER / f"{table.name}.csv"
        path.write_text(template_csv(table.name), encoding="utf-8")
        written.append(path)
    DICTIONARY_PATH.parent.mkdir(parents=True, exist_ok=True)
    DICTIONARY_PATH.write_text(data_dictionary_markdown(), encoding="utf-8")
    return written + [DICTIONARY_PATH]


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path.relative_to(ROOT), file=sys.stdout)

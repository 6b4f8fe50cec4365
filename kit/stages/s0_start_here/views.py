"""The parts of Start here that let a coach explain their files: which table a file holds, which
column is which, what codes mean, how a wide score file splits, the order of windows, and what
they have told the kit so far (each line with its own undo).

Each builder takes the model and `act(name, *args)` (the app's guarded way to run a model action)
and returns one widget; nothing here reads or writes data except through the model.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import schema
from kit.apps.components import html_table
from kit.apps.data_source import DataChoice, FileState
from kit.errors import KitError
from kit.io.values import MEANING_WORDS, valid_meanings
from kit.io.wide import SPLITS, WideLayout

WIDE_LABEL = "Use this layout"
_AUTO_LAYOUT = widgets.Layout(width="auto")


def _note(text: str) -> widgets.HTML:
    return widgets.HTML(f'<p class="kit-note">{html.escape(text)}</p>')


def _button(description: str, on_click, style: str = "") -> widgets.Button:
    button = widgets.Button(description=description, button_style=style, layout=_AUTO_LAYOUT)
    button.on_click(lambda _: on_click())
    return button


def file_box(choice: DataChoice, state: FileState, act) -> widgets.VBox:
    """One file: the table it holds (choose it when the kit cannot tell) and one row to map any of
    its columns to any column of that table, the kit's proposal first."""
    title = widgets.HTML(f"<b>{html.escape(state.name)}</b>"
                         + (f" holds the <b>{html.escape(state.table)}</b> table" if state.table
                            else ": the kit cannot tell which table it holds")
                         + ("" if state.kept else " (not used yet: see the problems below)"))
    table = widgets.Dropdown(options=[("choose a table", "")] + [(f"{t.name}: {t.title}", t.name) for t in schema.TABLES],
                             value=state.table or "", description="Table:", layout=widgets.Layout(width="22em"))
    use_table = _button("This is the table", lambda: table.value and act("choose_table", state.name, table.value))
    rows: list[widgets.Widget] = [title, widgets.HBox([table, use_table])]
    if state.table and state.headers:
        header = widgets.Dropdown(options=list(state.headers), description="Your column:",
                                  layout=widgets.Layout(width="22em"), style={"description_width": "initial"})
        column = widgets.Dropdown(description="is", layout=widgets.Layout(width="26em"))

        def offer(_change=None) -> None:
            column.options = choice.column_options(state.name, header.value)

        header.observe(offer, names="value")
        offer()
        use_column = _button("Use this", lambda: act("map_column", state.name, header.value, column.value), "primary")
        rows.append(widgets.HBox([header, column, use_column]))
        rows += group_choices(choice, state, act)
    box = widgets.VBox(rows)
    box.add_class("kit-file")
    return box


def group_choices(choice: DataChoice, state: FileState, act) -> list[widgets.Widget]:
    """For a students file: each of the coach's own columns, with whether it is a student group."""
    if state.table != "students" or choice.dataset is None or not choice.dataset.has("students"):
        return []
    attributes = choice.dataset.attributes("students")
    used = set(choice.dataset.table("students").columns)
    extras = [header for header in attributes.columns if header not in schema.table_by_name("students").column_names]
    boxes = []
    for header in extras:
        box = widgets.Checkbox(value=header in used, description=f"'{header}' is a student group", indent=False,
                               layout=_AUTO_LAYOUT)
        box.observe(lambda change, h=header: act("choose_group", state.name, h, change.new), names="value")
        boxes.append(box)
    return [_note("Your own columns: tick those that are groups of students to see results for."),
            widgets.HBox(boxes)] if boxes else []


def codes_box(choice: DataChoice, name: str, column: str, act) -> widgets.VBox:
    """The codes of one column with their counts and meanings, and a drop-down per code to say what
    it means; nothing is read until the coach presses the button."""
    codes = choice.codes(name, column)
    table = schema.table_by_name(choice.file(name).table)
    meanings = valid_meanings(table.column(column))
    pickers = {}
    for code in codes["value"]:
        if code == "":
            continue
        pickers[code] = widgets.Dropdown(options=[("?", None)] + [(MEANING_WORDS.get(m, m), m) for m in meanings],
                                         value=None, description=f"'{code}' means", layout=widgets.Layout(width="18em"),
                                         style={"description_width": "initial"})
    use = _button("Use these meanings", lambda: act("explain_codes", name, column,
                                                  {code: p.value for code, p in pickers.items() if p.value is not None}),
                  "primary")
    shown = codes.rename(columns={"value": "code", "count": "rows", "meaning": "read as", "how": "how"})
    return widgets.VBox([
        widgets.HTML(f"<b>{html.escape(column)}</b> in {html.escape(name)}: say what each code means. "
                     + ("Until you do, this column is not used." if table.column(column).kind == schema.YES_NO
                        else "Until you do, the rows with codes the kit does not allow are errors.")
                     + html_table(shown)),
        widgets.HBox(list(pickers.values()), layout=widgets.Layout(flex_flow="row wrap")), use])


def wide_box(choice: DataChoice, name: str, act) -> widgets.VBox:
    """The kit's reading of a wide score file, every part editable, a preview, and a confirm button."""
    proposal = choice.wide_proposal(name)
    headers = list(choice.file(name).headers)
    ids = widgets.SelectMultiple(options=headers, value=proposal.id_columns if proposal else (),
                                 description="Id columns:", rows=min(6, len(headers)))
    scores = widgets.SelectMultiple(options=headers, value=proposal.score_columns if proposal else (),
                                    description="Scores:", rows=min(8, len(headers)))
    split = widgets.Dropdown(options=list(SPLITS), value=proposal.split if proposal else SPLITS[0],
                             description="Name holds:")
    separator = widgets.Text(value=proposal.separator if proposal else " ", description="Split at:",
                             layout=widgets.Layout(width="12em"))
    subject = widgets.Text(value=proposal.subject if proposal else "", description="Subject:")
    window = widgets.Text(value=proposal.window if proposal else "", description="Window:")
    shown = widgets.HTML()

    def layout() -> WideLayout:
        return WideLayout(tuple(ids.value), tuple(scores.value), split.value, separator.value or " ",
                          subject.value.strip(), window.value.strip())

    def show_preview() -> None:
        chosen = layout()
        shown.value = (f'<p class="kit-note">{html.escape(chosen.describe())} The first rows would read:</p>'
                       + html_table(choice.wide_preview(name, chosen)))

    preview = _button("Preview", show_preview)
    confirm = _button(WIDE_LABEL, lambda: act("set_wide_layout", name, layout()), "primary")
    if proposal:
        try:
            show_preview()
        except KitError:  # a proposal that does not fit shows no preview; the coach edits it first
            shown.value = ""
    return widgets.VBox([widgets.HTML(f"<b>{html.escape(name)}</b> is a wide score file (a column per subject or "
                                      "window). Check how it reads, then use it."),
                         widgets.HBox([ids, scores]), widgets.HBox([split, separator]), widgets.HBox([subject, window]),
                         shown, widgets.HBox([preview, confirm])])


def window_box(choice: DataChoice, table: str, act) -> widgets.VBox:
    """A table's window order in words (saying when it is a guess), editable one window per line."""
    order = choice.window_order(table)
    lines = widgets.Textarea(value="\n".join(order.labels), description="Order:",
                             layout=widgets.Layout(width="24em", height=f"{min(12, len(order.labels) + 1) * 1.6}em"))
    save = _button("Save this order", lambda: act("set_window_order", table,
                                                 [line.strip() for line in lines.value.splitlines() if line.strip()]),
                   "primary")
    mine = table in choice.window_orders
    reset = _button("Use the kit's order", lambda: act("forget", "", "window_order", table))
    reset.layout.display = "flex" if mine else "none"
    css = "kit-warning" if order.guessed else "kit-note"
    return widgets.VBox([widgets.HTML(f'<p class="{css}"><b>{html.escape(table)}</b>: {html.escape(order.explanation)}'
                                      "</p>"), widgets.HBox([lines, widgets.VBox([save, reset])])])


def told_box(choice: DataChoice, act) -> widgets.VBox:
    """What the coach has told the kit, one sentence per line, each with its own undo."""
    rows = []
    for name, sentence, part, item in choice.mappings_in_words():
        undo = _button("Undo", lambda n=name, p=part, i=item: act("forget", n, p, i))
        rows.append(widgets.HBox([widgets.HTML(html.escape(sentence) + "&nbsp;"), undo]))
    if not rows:
        return widgets.VBox([])
    return widgets.VBox([widgets.HTML("<h4>What you told the kit</h4>"), *rows])


def kept_box(choice: DataChoice, act) -> widgets.VBox:
    """The uploaded tables kept in the workspace, each with a Remove button."""
    rows = []
    for entry in choice.kept_uploads():
        remove = _button("Remove", lambda f=entry["file"]: act("remove_upload", f), "warning")
        rows.append(widgets.HBox([widgets.HTML(
            f"{html.escape(entry['file'])} ({html.escape(entry['table'])}, {entry['size']:,} bytes, saved "
            f"{html.escape(entry['saved'])})&nbsp;"), remove]))
    if not rows:
        return widgets.VBox([])
    return widgets.VBox([widgets.HTML("<h4>Uploaded tables kept in your workspace</h4><p class='kit-note'>These are "
                                      "used when you choose Upload my files. Remove any you no longer want.</p>"),
                         *rows])


__all__ = ["file_box", "group_choices", "codes_box", "wide_box", "window_box", "told_box", "kept_box"]

"""Stage 0, start here: choose the data, see the data check, explain the files, get templates, go to
the stages.

The data check always shows the data in use (its heading names it): switching the choice or typing
a path that is not a folder leaves the data in use, and the check, as they were until new data opens.
While data loads, the buttons are disabled and a bar shows the progress.
"""

import html

import ipywidgets as widgets

from kit import schema
from kit.apps.components import WORKING, download_link, html_table
from kit.apps.data_source import FOLDER, SAMPLE, UPLOADS, DataChoice
from kit.apps.shell import StageShell, app_entry
from kit.io import Check, Dataset, problems_frame
from kit.registry import STAGES
from kit.stages.s0_start_here import views
from kit.stages.s0_start_here.models import StartHereModel
from kit.templates import template_csv

_SOURCE_LABELS = {SAMPLE: "The sample district", FOLDER: "A folder of my tables", UPLOADS: "Upload my files"}
_PROBLEM_COLUMNS = {"severity": "kind", "table": "table", "file": "file", "row": "row", "column": "column",
                    "message": "what is wrong", "how_to_fix": "how to fix it"}
_CHECK_COLUMNS = {"table": "table", "holds": "holds", "file": "file", "rows": "rows", "errors": "errors",
                  "warnings": "warnings", "status": "status"}
FOLDER_HELP = ("The folder must be on the server that runs the kit, not on your own computer: type its path "
               "there (ask whoever set up the kit where to put your files), or choose Upload my files instead.")
FOLDER_PLACEHOLDER = "a folder on the server, for example /srv/coaching/school-data"


class StartHereApp:
    """The start-here app. `StartHereApp().view` is the widget to display."""

    def __init__(self, choice: DataChoice | None = None, picker=None):
        self.shell = StageShell(0, dataset=Dataset(), picker=picker)
        self.model = StartHereModel(self.shell.picker.model, choice)
        self.choice = self.model.choice
        self.status = self.shell.status
        self.source = widgets.ToggleButtons(options=[(label, key) for key, label in _SOURCE_LABELS.items()],
                                            value=self.choice.source, description="Data:")
        self.folder = widgets.Text(value=self.choice.folder, placeholder=FOLDER_PLACEHOLDER,
                                   description="Folder on the server:", style={"description_width": "initial"},
                                   layout=widgets.Layout(width="60%"))
        self.open_folder = widgets.Button(description="Open this folder", button_style="primary", icon="folder-open")
        self.upload = widgets.FileUpload(accept=".csv,.tsv,.txt,.xlsx", multiple=True, description="Choose files")
        self.check_uploads = widgets.Button(description="Check these files", button_style="primary", icon="check")
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description="Working:",
                                              layout=widgets.Layout(display="none", width="40%"))
        self.working = widgets.HTML()
        self.in_use = widgets.HTML()
        self.data_check = widgets.HTML()
        self.problems = widgets.HTML()
        self.confirmations = widgets.VBox()
        self.files = widgets.VBox()
        self.codes = widgets.VBox()
        self.wide = widgets.VBox()
        self.windows = widgets.VBox()
        self.told = widgets.VBox()
        self.kept = widgets.VBox()
        self.undo = widgets.Button(description="Undo the last change", icon="undo", layout=widgets.Layout(width="auto"))
        self.templates = widgets.HTML()
        self.stage_links = widgets.HTML()
        self.folder_row = widgets.VBox([widgets.HBox([self.folder, self.open_folder]),
                                        widgets.HTML(f'<p class="kit-note">{html.escape(FOLDER_HELP)}</p>')])
        self.upload_row = widgets.HBox([self.upload, self.check_uploads])
        self.explain = widgets.VBox([self.files, self.codes, self.wide, self.windows, self.told, self.undo])

        guard = self.shell.guard
        self.source.observe(guard(self._on_source), names="value")
        self.open_folder.on_click(guard(lambda _: self.act("use_folder", self.folder.value)))
        self.check_uploads.on_click(guard(lambda _: self.act("add_uploads", self.upload.value)))
        self.undo.on_click(guard(lambda _: self.act("undo")))
        self.choice.observe(self._on_busy, names=["busy", "progress", "working_on"])
        self.shell.picker.observe(guard(lambda _: self._show_stages()), names="cycle_id")
        self.shell.editing(self.folder_row, self.upload_row, self.source, self.explain, self.kept)
        self.view = self.shell.page(
            widgets.HTML("<h3>The stages of the cycle</h3>"), self.stage_links,
            widgets.HTML("<h3>Your data</h3><p>Choose the data for this cycle. The kit checks every table and "
                         "tells you, in plain words, anything to fix.</p>"),
            self.source, self.folder_row, self.upload_row, widgets.HBox([self.progress, self.working]),
            self.in_use, self.data_check, self.confirmations, self.explain, self.problems, self.kept, self.templates,
        )
        self._show_source_controls()
        guard(self.act)("reopen")

    # -- actions ----------------------------------------------------------------------------------------
    def act(self, name: str, *args) -> None:
        """Run one model action (inside the error boundary) and show what it gave."""
        self.model.report(WORKING, "Checking your data...")
        try:
            self.model.act(name, *args)
        finally:
            self._show(self.choice.dataset or self.model.dataset)

    def _guarded_act(self, name: str, *args) -> None:
        self.shell.guard(self.act)(name, *args)

    def _on_source(self, change) -> None:
        self._show_source_controls()
        if change["new"] == SAMPLE:
            self.act("use_sample")
        else:
            self.model.report(WORKING, ("Type the folder's path on the server and press Open this folder."
                                        if change["new"] == FOLDER else "Choose your files, then press Check these "
                                        f"files. Until then the data in use is still {self.choice.in_use}."))

    def _on_busy(self, _change=None) -> None:
        busy = self.choice.busy
        self.progress.layout.display = "flex" if busy else "none"
        self.progress.value = self.choice.progress
        self.working.value = f'<span class="kit-note">{html.escape(self.choice.working_on)}...</span>' if busy else ""
        for control in (self.open_folder, self.check_uploads, self.undo, self.source):
            control.disabled = busy

    def _show_source_controls(self) -> None:
        if self.shell.view_only:
            return  # a team looks at the data the coach chose; the controls stay hidden
        self.folder_row.layout.display = "flex" if self.source.value == FOLDER else "none"
        self.upload_row.layout.display = "flex" if self.source.value == UPLOADS else "none"

    # -- what is shown ------------------------------------------------------------------------------------
    def _show(self, dataset: Dataset) -> None:
        self.shell.dataset = dataset
        self._show_stages()
        self.in_use.value = f"<h3>Data check: {html.escape(self.choice.in_use)}</h3>"
        check = dataset.data_check()[list(_CHECK_COLUMNS)].rename(columns=_CHECK_COLUMNS)
        self.data_check.value = html_table(check, row_class=lambda row: "kit-error" if row["errors"] else "")
        self._show_problems(dataset)
        self._show_confirmations()
        self._show_explain(dataset)
        self.kept.children = views.kept_box(self.choice, self._guarded_act).children
        self._show_templates(dataset)

    def _show_explain(self, dataset: Dataset) -> None:
        if self.shell.view_only:
            return
        act = self._guarded_act
        files = self.choice.files() if self.choice.source != SAMPLE else []
        self.files.children = ([widgets.HTML("<h4>Your files</h4><p class='kit-note'>Say which table a file holds "
                                             "and which of your columns is which; the kit keeps it for next time.</p>")]
                               + [views.file_box(self.choice, state, act) for state in files]) if files else []
        waiting = self.choice.codes_to_explain() + self.choice.codes_not_allowed()
        self.codes.children = ([widgets.HTML("<h4>Codes to explain</h4>")]
                               + [views.codes_box(self.choice, name, column, act) for name, column in waiting]
                               if waiting else [])
        wide = [problem.file for problem in dataset.problems if problem.check == Check.WIDE_FILE and problem.file]
        self.wide.children = ([widgets.HTML("<h4>Wide score files</h4>")]
                              + [views.wide_box(self.choice, name, act) for name in dict.fromkeys(wide)]
                              if wide else [])
        windowed = [name for name, frame in dataset.tables.items() if "window" in frame.columns]
        self.windows.children = ([widgets.HTML("<h4>Order of the windows</h4>")]
                                 + [views.window_box(self.choice, name, act) for name in windowed]
                                 if windowed and self.choice.source != SAMPLE else [])
        self.told.children = views.told_box(self.choice, act).children
        self.undo.layout.display = "flex" if self.choice.mappings.files else "none"

    def _show_problems(self, dataset: Dataset) -> None:
        if not dataset.problems:
            self.problems.value = ""
            return
        frame = problems_frame(dataset.problems)[list(_PROBLEM_COLUMNS)].rename(columns=_PROBLEM_COLUMNS)
        self.problems.value = "<h4>Problems found</h4>" + html_table(
            frame, row_class=lambda row: "kit-error" if row["kind"] == "error" else "")

    def _show_confirmations(self) -> None:
        rows = []
        for table, header, column in self.choice.proposals():
            button = widgets.Button(description=f"Yes, use it as {column}", layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, t=table, h=header, c=column: self._guarded_act("confirm", t, h, c))
            rows.append(widgets.HBox([widgets.HTML(
                f"In <b>{html.escape(table)}</b>, is your column <b>{html.escape(header)}</b> the kit's "
                f"<b>{html.escape(column)}</b>?&nbsp;"), button]))
        self.confirmations.children = rows

    def _show_stages(self) -> None:
        """The stages in theory-of-action order, each with its question and where it stands."""
        tables = self.shell.dataset.tables
        picker = self.shell.picker
        rows = []
        for stage in STAGES[1:]:
            label = html.escape(f"{stage.number}. {stage.title}")
            link = f'<a href="{stage.notebook}">{label}</a>' if stage.available else label
            where = (stage.progress(tables, picker.store, picker.cycle_id) if stage.available
                     else "not in this version of the kit yet")
            rows.append(f"<tr><td>{link}</td><td>{html.escape(stage.question)}</td><td>{html.escape(where)}</td></tr>")
        self.stage_links.value = ('<table class="kit-table"><thead><tr><th>stage</th><th>the question</th>'
                                  f'<th>where it stands</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')

    def _show_templates(self, dataset: Dataset) -> None:
        missing = dataset.missing
        if not missing:
            self.templates.value = ""
            return
        links = "".join(f"<li>{download_link(f'{name}.csv', template_csv(name), f'{name}.csv')}: "
                        f"{html.escape(schema.table_by_name(name).description)}</li>" for name in missing)
        self.templates.value = ("<h4>Tables you have not provided</h4><p class='kit-note'>Each is optional; a "
                                f"stage tells you when it needs one. Empty templates:</p><ul>{links}</ul>")


@app_entry
def start_here_app() -> widgets.VBox:
    """Build the start-here app and return its view (the notebook displays it)."""
    return StartHereApp().view

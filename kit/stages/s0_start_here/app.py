"""Stage 0, start here: choose the data, see the data check, get templates, go to the stages."""

import html

import ipywidgets as widgets

from kit import schema
from kit.apps.components import DONE, FAILED, WORKING, download_link, html_table, set_status
from kit.apps.data_source import FOLDER, SAMPLE, UPLOADS, DataChoice
from kit.apps.shell import StageShell, app_entry
from kit.io import Dataset, problems_frame
from kit.registry import STAGES
from kit.templates import template_csv

_SOURCE_LABELS = {SAMPLE: "The sample district", FOLDER: "A folder of my tables", UPLOADS: "Upload my files"}
_PROBLEM_COLUMNS = {"severity": "kind", "table": "table", "file": "file", "row": "row", "column": "column",
                    "message": "what is wrong", "how_to_fix": "how to fix it"}


class StartHereApp:
    """The start-here app. `StartHereApp().view` is the widget to display."""

    def __init__(self, choice: DataChoice | None = None, picker=None):
        self.choice = choice or DataChoice()
        self.shell = StageShell(0, dataset=Dataset(), picker=picker)
        self.status = self.shell.status
        self.source = widgets.ToggleButtons(options=[(label, key) for key, label in _SOURCE_LABELS.items()],
                                            value=self.choice.source, description="Data:")
        self.folder = widgets.Text(value=self.choice.folder, placeholder="for example C:\\Users\\me\\school-data",
                                   description="Folder:", layout=widgets.Layout(width="60%"))
        self.open_folder = widgets.Button(description="Open this folder", button_style="primary", icon="folder-open")
        self.upload = widgets.FileUpload(accept=".csv,.tsv,.txt,.xlsx", multiple=True,
                                         description="Choose files")
        self.check_uploads = widgets.Button(description="Check these files", button_style="primary", icon="check")
        self.data_check = widgets.HTML()
        self.problems = widgets.HTML()
        self.confirmations = widgets.VBox()
        self.templates = widgets.HTML()
        self.stage_links = widgets.HTML()
        self.folder_row = widgets.HBox([self.folder, self.open_folder])
        self.upload_row = widgets.HBox([self.upload, self.check_uploads])

        guard = self.shell.guard
        self.source.observe(guard(self._on_source), names="value")
        self.open_folder.on_click(guard(lambda _: self._load(self.choice.use_folder, self.folder.value)))
        self.check_uploads.on_click(guard(lambda _: self._load(self.choice.add_uploads, self.upload.value)))
        self.shell.picker.observe(guard(lambda _: self._show_stages()), names="cycle_id")
        self.shell.editing(self.folder_row, self.upload_row, self.source)
        self.view = self.shell.page(
            widgets.HTML("<h3>The stages of the cycle</h3>"), self.stage_links,
            widgets.HTML("<h3>Your data</h3><p>Choose the data for this cycle. The kit checks every table and "
                         "tells you, in plain words, anything to fix.</p>"),
            self.source, self.folder_row, self.upload_row,
            widgets.HTML("<h3>Data check</h3>"), self.data_check, self.confirmations, self.problems, self.templates,
        )
        self._show_source_controls()
        guard(self._load)(self.choice.reopen)

    def _on_source(self, change) -> None:
        self._show_source_controls()
        if change["new"] == SAMPLE:
            self._load(self.choice.use_sample)
        else:
            set_status(self.status, WORKING, "Type the folder's path and press Open this folder."
                       if change["new"] == FOLDER else "Choose your files, then press Check these files.")

    def _show_source_controls(self) -> None:
        if self.shell.view_only:
            return  # a team looks at the data the coach chose; the controls stay hidden
        self.folder_row.layout.display = "flex" if self.source.value == FOLDER else "none"
        self.upload_row.layout.display = "flex" if self.source.value == UPLOADS else "none"

    def _load(self, action, *args) -> None:
        set_status(self.status, WORKING, "Checking your data...")
        dataset = action(*args)
        self._show(dataset)

    def _show(self, dataset: Dataset) -> None:
        self.shell.dataset = dataset
        self._show_stages()
        check = dataset.data_check()
        self.data_check.value = html_table(check, row_class=lambda row: "kit-error" if row["errors"] else "")
        found = [name for name in check["table"] if name in dataset.loaded]
        errors = dataset.error_count
        if errors:
            set_status(self.status, FAILED, f"{errors} problem{'s' if errors != 1 else ''} to fix before all "
                       "tables can be used: see the list below.")
        elif not found:
            set_status(self.status, FAILED, "No tables found yet. Add CSV or Excel files named after their "
                       "tables (for example students.csv).")
        else:
            set_status(self.status, DONE, f"Data checked: {len(found)} table{'s' if len(found) != 1 else ''} "
                       "ready, no errors." + (" Some warnings are listed below." if dataset.problems else ""))
        self._show_problems(dataset)
        self._show_confirmations()
        self._show_templates(dataset)

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
            button.on_click(self.shell.guard(
                lambda _, t=table, h=header, c=column: self._load(self.choice.confirm, t, h, c)))
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

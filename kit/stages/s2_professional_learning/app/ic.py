"""Step 4 of stage 2: the Innovation Configuration map (practice map) builder."""

from __future__ import annotations

import re

import ipywidgets as widgets

from kit.apps.components import download_link, html_table
from kit.apps.records_view import saved_records_view
from kit.stages.s2_professional_learning.models import ICMapModel

GUIDANCE = ("<p>Describe the practice the learning aims at, so everyone pictures the same thing. Split it into "
            "components (for example <i>student discourse</i>). For each, write the variations from the ideal "
            "down to unacceptable, one per line, and say how many of them, from the ideal, are acceptable. "
            "Stage 4 rates classroom visits against this map.</p>")
NEW = "new"


def _file_name(name: str) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "practice-map") + ".html"


class ICMapStep:
    """`view` is the step's widget; the map lives in `model` and the store."""

    def __init__(self, model: ICMapModel, shell):
        self.model, self.shell = model, shell
        wide = widgets.Layout(width="100%", max_width="720px")
        self.map_name = widgets.Text(description="Map name", placeholder="e.g. Number talks", layout=wide)
        self.innovation = widgets.Textarea(description="Practice", placeholder="The practice in a sentence or two",
                                           layout=widgets.Layout(width="100%", max_width="720px", height="54px"))
        self.save_map = widgets.Button(description="Save map", button_style="primary", icon="save")
        self.choice = widgets.Dropdown(description="Edit", layout=widgets.Layout(width="100%", max_width="520px"))
        self.component = widgets.Text(description="Component", placeholder="e.g. Student discourse", layout=wide)
        self.variations = widgets.Textarea(description="Variations",
                                           placeholder="One per line, the ideal first, unacceptable last",
                                           layout=widgets.Layout(width="100%", max_width="720px", height="110px"))
        self.line = widgets.BoundedIntText(description="Acceptable", value=2, min=1, max=10,
                                           tooltip="How many variations, from the ideal, are acceptable")
        self.save_component = widgets.Button(description="Save component", button_style="primary", icon="save")
        self.remove = widgets.Button(description="Remove component", icon="trash")
        self.table = widgets.HTML()
        self.download = widgets.HTML()
        editing = widgets.VBox([self.map_name, self.innovation, self.save_map, widgets.HTML("<h4>Components</h4>"),
                                self.choice, self.component, self.variations, self.line,
                                widgets.HBox([self.save_component, self.remove])])
        shell.editing(editing)
        guard = shell.guard
        self.save_map.on_click(guard(lambda _: model.save_map(self.map_name.value, self.innovation.value)))
        self.save_component.on_click(guard(lambda _: self._save_component()))
        self.remove.on_click(guard(lambda _: self._remove()))
        self.choice.observe(guard(lambda _: self._fill_form()), names="value")
        model.observe(guard(lambda _: self.show()), names=["components", "map_name", "innovation"])
        self.saved = saved_records_view(
            model, "practice map component", "ic_components",
            lambda c: {"component": c.name, "variations": len(c.variations), "acceptable up to": c.acceptable_line},
            on_edit=lambda c: setattr(self.choice, "value", c.id), watch=("components",), read_only=shell.view_only,
            where=lambda: {"map_id": model.map.id} if model.map is not None else None, download=None)
        self.view = widgets.VBox([widgets.HTML(GUIDANCE), editing, widgets.HTML("<h4>The map</h4>"), self.table,
                                  self.download, widgets.HTML("<h4>Components</h4>" if shell.view_only else
                                               "<h4>Components: change, archive, restore</h4>"),
                                  self.saved])
        self.show()

    def _chosen(self):
        return next((c for c in self.model.components if c.id == self.choice.value), None)

    def _save_component(self) -> None:
        lines = self.variations.value.splitlines()
        if self.model.save_component(self.component.value, lines, self.line.value, self._chosen()) is not None:
            self.choice.value = NEW
            self._fill_form()

    def _remove(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            self.model.report_problem("Choose the component to remove in the Edit list first.")
        elif self.model.remove_component(chosen) is not None:
            self.choice.value = NEW

    def _fill_form(self) -> None:
        chosen = self._chosen()
        self.component.value = chosen.name if chosen else ""
        self.variations.value = "\n".join(chosen.variations) if chosen else ""
        self.line.value = chosen.acceptable_line if chosen else 2
        self.remove.disabled = chosen is None

    def show(self) -> None:
        model = self.model
        self.map_name.value, self.innovation.value = model.map_name, model.innovation
        keep = self.choice.value
        self.choice.options = [("A new component", NEW)] + [(c.name, c.id) for c in model.components]
        self.choice.value = keep if keep in [v for _, v in self.choice.options] else NEW
        self._fill_form()
        if not model.components:
            self.table.value = '<p class="kit-note">No components yet.</p>'
            self.download.value = ""
            return
        self.table.value = html_table(model.frame())
        self.download.value = download_link(_file_name(model.map_name), model.page(), "Download the map as a printable page",
                                            mime="text/html")

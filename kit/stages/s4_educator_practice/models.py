"""The model behind the stage 4 app: the open cycle's practice map, walkthroughs, coaching log and
reflection, merged with the imported tables into every frame the app shows. No widgets.

Everything typed is saved in the store first and the frames are recomputed from the store, so a
walkthrough or a coaching session shows in every figure at once and after a restart. A save
recomputes only the frames it can change: each group of frames (`FRAME_PARTS`) is worked out again
only when what it is computed from changed (`frame_key`), what depends on the dataset alone is
worked out once, and the chain and access (`WORKED_OUT_WHEN_READ`) wait until a step reads them.

>>> from kit.io import open_sample
>>> model = PracticeModel(None, open_sample())
>>> model.scale["basis"].iloc[0]
'assumed: the upper half of the ratings seen'
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd
from traitlets import Float, Int, Unicode

from kit.analysis import equity
from kit.apps.base import ReflectionModel as BaseReflectionModel
from kit.apps.base import StageModel
from kit.io import Dataset
from kit.stages.s1_student_needs import analysis as needs
from kit.stages.s4_educator_practice import analysis as a
from kit.stages.s4_educator_practice.analysis.chain import chain_breaks, change_by_group
from kit.stages.s4_educator_practice.analysis.observations import ASSUMED_BASIS, FROM_APP, rating_of_variation, windows_of
from kit.store import Record

CHAIN_STEPS = ("dose", "learning_change", "practice_change")
COACHING_FIELDS = ("educator_id", "date", "minutes", "focus", "component", "cycle_model", "student_target",
                   "evidence_pre", "evidence_post", "next_step")
#: What a session carries over from the last one (the date is today's).
CARRIED_OVER = ("educator_id", "minutes", "component", "cycle_model", "student_target")
REFLECTION_PROMPT = ("What did the observations show about practice, and for whom? Where does the chain break, "
                     "and what will the coaching do about it?")
#: The groups of frames `PracticeModel.recompute` works out, in order, each from the ones before it:
#: the observations (walkthroughs and the map), the coaching log, what the fidelity line decides,
#: the chain (fidelity change and coaching dose), and access (levels, group and term).
FRAME_PARTS = ("observations", "coaching", "line", "chain", "access")
#: The parts worked out when one of their frames is first read, not at each change: the app's first
#: step shows neither, so a build or a save on another step leaves them (about 0.2 CPU-s on the sample).
WORKED_OUT_WHEN_READ = ("chain", "access")


def _values(record: Record) -> dict:
    return {"id": record.id, **dict(record.values)}


def frame_key(*parts) -> tuple:
    """Everything in `parts` (frames, lists, numbers, text) as one comparable value: two keys are
    equal when every frame has the same columns, index and values. The model recomputes, and the app
    redraws, only what was made from something whose key changed.

    >>> frame = pd.DataFrame({"share": [0.25, 0.5]})
    >>> frame_key(frame, "fall") == frame_key(frame.copy(), "fall"), frame_key(frame) == frame_key(frame * 2)
    (True, False)
    """
    return tuple(part.to_csv() if isinstance(part, pd.DataFrame) else repr(part) for part in parts)


def records_key(records: Sequence[Record]) -> tuple:
    """Which saved records these are and which version of each (a save or an archive changes it)."""
    return tuple((r.id, r.version, r.archived) for r in records)


class _ReadFrom:
    """A frame of one of `WORKED_OUT_WHEN_READ`: reading it brings its part up to date first."""

    def __init__(self, part: str):
        self.part = part

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, model, owner=None):
        if model is None:
            return self
        model.bring_up_to_date(self.part)
        return model._frames[self.name]


class PracticeModel(StageModel):
    """Stage 4's state: the practice map, the merged observations and every frame drawn from them.

    `revision` goes up whenever the frames may have changed (after a load, a save or a setting), so
    a view looks again once per change; `computed` counts how often each part of `FRAME_PARTS` was
    worked out (a part whose inputs did not change is kept). `names_educators` is False in view-only
    mode: the frames that name an educator are then empty.
    """

    stage_number = 4
    needs = ()  # walkthroughs typed in the app are enough to start; each figure says what it lacks

    fidelity_line = Float(a.DEFAULT_FIDELITY_LINE, help="fidelity an educator needs to count as at the line")
    group = Unicode(None, allow_none=True, help="the student group column for access")
    term = Unicode(None, allow_none=True, help="the roster term for access")
    revision = Int(0)

    # The chain so far (per educator, its links, by school, where it breaks) and access by group.
    per_educator, links, changes_by_school = _ReadFrom("chain"), _ReadFrom("chain"), _ReadFrom("chain")
    breaks, broken_at = _ReadFrom("chain"), _ReadFrom("chain")
    access, access_sentences = _ReadFrom("access"), _ReadFrom("access")

    def __init__(self, picker=None, dataset: Dataset | None = None):
        self._ready = False
        self._inputs: dict[str, tuple] = {}  # what each part of FRAME_PARTS was last worked out from
        self._frames: dict[str, object] = {}  # the frames of the parts worked out when read
        self.computed: Counter[str] = Counter()
        self.typed: list[Record] = []
        self.sessions: list[Record] = []
        super().__init__(picker, dataset)
        data = self.dataset
        self.educators = data.table("educators") if data.has("educators") else pd.DataFrame(
            columns=["educator_id", "school_id", "role"])
        self.school_names = (dict(zip(data.table("schools")["school_id"].astype(str),
                                      data.table("schools")["school_name"].astype(str))) if data.has("schools") else {})
        self.hours, self.learning = self._stage3_frames()
        self.staff = self._staff()
        self.student_groups = (equity.group_columns(data.table("students"))
                               if data.has("students") and data.has("rosters") else [])
        self.terms = (sorted(data.table("rosters")["term"].dropna().astype(str).unique())
                      if data.has("rosters") and "term" in data.table("rosters") else [])
        self.set_trait("group", self.student_groups[0] if self.student_groups else None)
        self.set_trait("term", self.terms[-1] if self.terms else None)
        self._ready = True
        self.observe(lambda _: self.recompute(), names=["fidelity_line", "group", "term"])
        self.load()

    # -- reading ----------------------------------------------------------------------------------------
    @property
    def names_educators(self) -> bool:
        """Whether the figures may name an educator (the coach's own view, not a team's)."""
        return not self.read_only

    def _stage3_frames(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        from kit.stages.s3_educator_learning.analysis import educator_hours, educator_learning_change

        data = self.dataset
        hours = educator_hours(data.table("attendance")) if data.has("attendance") else None
        if hours is not None and data.has("educators"):  # no attendance recorded is no learning hours
            staff = data.table("educators")["educator_id"].astype(str)
            absent = sorted(set(staff) - set(hours["educator_id"]))
            hours = pd.concat([hours, pd.DataFrame({"educator_id": absent, "hours": 0.0})], ignore_index=True)
        learning = (educator_learning_change(data.table("educator_measures"))
                    if data.has("educator_measures") else None)
        return hours, learning

    def _staff(self) -> pd.DataFrame:
        """The educators with their learning hours and hours band (the dataset's alone: worked out once)."""
        staff = self.educators.assign(educator_id=self.educators["educator_id"].astype(str))
        if self.hours is not None:
            staff = staff.merge(self.hours, on="educator_id", how="left")
            staff["learning hours"] = a.hours_band(staff["hours"].fillna(0))
        return staff

    def load(self) -> None:
        """Read the open cycle's map, walkthroughs, coaching sessions and reflection, then recompute
        what they changed (a new cycle's)."""
        if not getattr(self, "_ready", False):
            return
        maps = self.records("ic_maps")
        self.map_record = maps[0] if maps else None
        components = self.records("ic_components", map_id=self.map_record.id) if self.map_record else []
        self.map_components = [dict(c.values) for c in sorted(components, key=lambda c: c.position or 0)]
        self.typed = self.records("observations")
        self.sessions = self.records("coaching_sessions")
        self.load_reflections()
        self.recompute()

    def load_walkthroughs(self) -> None:
        """Read the open cycle's walkthroughs again (after one is saved, archived or restored) and
        recompute what depends on the observations; the coaching log is kept."""
        self.typed = self.records("observations")
        self.recompute()

    def load_sessions(self) -> None:
        """Read the open cycle's coaching sessions again (after one is saved, archived or restored) and
        recompute the log and the chain; the observations' frames are kept."""
        self.sessions = self.records("coaching_sessions")
        self.recompute()

    def load_reflections(self) -> None:
        """Read the open cycle's stage 4 reflections only (after a reflection is saved: no figure
        depends on them, so nothing is recomputed)."""
        self.reflections = self.records("reflections", stage=self.stage_number)
        self.reflection = self.reflections[-1] if self.reflections else None

    def visit_of(self, record: Record) -> list[Record]:
        """Every saved record of the walkthrough `record` belongs to (same educator, date and
        observer; one record per component seen), for putting the whole visit back in the form."""
        key = (record.educator_id, str(record.date), record.observer_id or "")
        return [r for r in self.typed if (r.educator_id, str(r.date), r.observer_id or "") == key]

    def recompute(self) -> None:
        """The frames from the imported tables and the saved records: each part of `FRAME_PARTS` is
        worked out again only when what it is computed from changed since the last time (those of
        `WORKED_OUT_WHEN_READ` when a frame of theirs is next read)."""
        for part in FRAME_PARTS:
            if part not in WORKED_OUT_WHEN_READ:
                self.bring_up_to_date(part)
        self.revision += 1

    def bring_up_to_date(self, part: str) -> None:
        """Work out the frames of `part` (one of `FRAME_PARTS`) again if what they are computed from
        changed since they were last worked out."""
        inputs_of, compute = {
            "observations": (self._observation_inputs, self._observation_frames),
            "coaching": (lambda: (repr([_values(r) for r in self.sessions]),), self._coaching_frames),
            "line": (lambda: (self.fidelity_line, *frame_key(self.fidelity)), self._line_frames),
            "chain": (lambda: frame_key(self.change, self.log), self._chain_frames),
            "access": (lambda: (self.group, self.term, *frame_key(self.levels)), self._access_frames)}[part]
        inputs = inputs_of()
        if self._inputs.get(part) != inputs:
            compute()
            self._inputs[part] = inputs
            self.computed[part] += 1

    def _observation_inputs(self) -> tuple:
        return (repr(self.map_components), repr([_values(r) for r in self.typed]), self.names_educators)

    def _observation_frames(self) -> None:
        imported = self.dataset.table("observations") if self.dataset.has("observations") else None
        self.observations = a.merge_observations(imported, a.typed_observations([_values(r) for r in self.typed]))
        self.scale = a.practice_scale(self.map_components, self.observations)
        self.problems = a.scale_problems(self.observations, self.scale)
        self.windows = windows_of(self.observations)
        self.distribution = a.rating_distribution(self.observations, self.scale)
        self.fidelity = a.fidelity_by_educator(self.observations, self.scale)
        self.change = a.practice_change(self.fidelity)
        self.unobserved = (a.unobserved_educators(self.educators, self.observations) if self.names_educators
                           else pd.DataFrame(columns=["educator_id"]))
        self.levels_of_use = a.levels_of_use(self.observations)
        self.school_change = self._school_change(self.staff)

    def _coaching_frames(self) -> None:
        self.log = a.coaching_log([_values(r) for r in self.sessions])

    def _line_frames(self) -> None:
        """What the fidelity line decides: each educator's level, and fidelity by group."""
        self.levels = a.implementation_levels(self.fidelity, self.fidelity_line,
                                              educators=self.educators["educator_id"])
        staff = self.staff
        self.by_group = {by: a.fidelity_by_group(self.fidelity, staff, by, line=self.fidelity_line)
                         for by in ("school_id", "role", "learning hours") if by in staff}

    def _chain_frames(self) -> None:
        staff, names = self.staff, self.school_names
        per_educator = a.chain_per_educator(self.hours, self.learning, self.change,
                                            a.coaching_dose(self.log) if len(self.log) else None)
        by_school = (change_by_group(per_educator, staff, CHAIN_STEPS) if "school_id" in staff else pd.DataFrame())
        breaks = chain_breaks(by_school, CHAIN_STEPS, names=names) if len(by_school) else []
        broken_at = [names.get(s, s) for s in by_school.get("school_id", pd.Series(dtype=str)).unique()
                     if any(text.startswith(f"At {names.get(s, s)},") for text in breaks)]
        self._frames.update(per_educator=per_educator, links=a.chain_links(per_educator, list(CHAIN_STEPS)),
                            changes_by_school=by_school, breaks=breaks, broken_at=broken_at)

    def _school_change(self, staff: pd.DataFrame) -> pd.DataFrame:
        """Mean fidelity before and after per school (what a team sees instead of each educator),
        coded near 0% and 100% (`practice_change_by_group`)."""
        if self.change.empty or "school_id" not in staff:
            return pd.DataFrame(columns=["school", "educators", "fidelity_before", "fidelity_before_text",
                                         "fidelity_after", "fidelity_after_text", "suppressed", "note"])
        table = a.practice_change_by_group(self.change, staff)
        return table.assign(school=table["school_id"].map(lambda s: self.school_names.get(s, s)))

    def _access_frames(self) -> None:
        data = self.dataset
        if self.group is None or not (data.has("rosters") and data.has("students")):
            self._frames.update(access=pd.DataFrame(), access_sentences=[])
            return
        access = a.access_by_group(data.table("rosters"), data.table("students"), self.levels, self.group,
                                   term=self.term, min_group_size=data.min_group_size,
                                   elsewhere=self._stage_1_figures(self.group))
        names = {school: self.school_names.get(school, school) for school in access["school_id"].unique()}
        self._frames.update(access=access, access_sentences=a.access_gap_sentences(access, names))

    def _stage_1_figures(self, group: str) -> pd.DataFrame | None:
        """Stage 1's figures for `group` with their fates (`decided_figures`): access counts the same
        students where each has a teacher observed, so a figure with the same count follows stage 1.
        Stage 1's frame and its decision are made once per dataset."""
        data = self.dataset
        if not data.has("assessments"):
            return None
        if getattr(self, "_stage_1", None) is None:
            self._stage_1 = needs.prepare(data.table("students"), data.table("assessments"))
        return needs.decided_figures(self._stage_1, group, min_group_size=data.min_group_size)

    # -- what the coach sees ----------------------------------------------------------------------------
    @property
    def has_map(self) -> bool:
        return bool(self.map_components)

    def scale_note(self) -> str:
        """How ratings are judged against the line, in words."""
        if self.scale.empty:
            return ("No practice map and no observations yet: build the map in stage 2, or import an observations "
                    "table, then type walkthroughs here.")
        if self.scale["basis"].iloc[0] == ASSUMED_BASIS:
            top, line = int(self.scale["top_rating"].max()), int(self.scale["acceptable_rating"].min())
            return (f"This cycle has no practice map yet, so the ratings (1 to {top}, higher is nearer the ideal) "
                    f"are judged against an assumed line: {line} or higher counts as acceptable. The rating charts "
                    "and their change do not depend on it; fidelity does. Build the map in stage 2 to set the line.")
        return (f"Ratings are judged against the practice map \"{self.map_record.name}\": each component's variations "
                "from the ideal down to its acceptable line count as at or above the line.")

    def walkthrough_components(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Each component with its choices as (words, rating), the ideal first: the map's variations,
        or without a map the ratings seen."""
        if self.has_map:
            return [(c["name"], [(f"{position}. {text}", rating_of_variation(position, len(c["variations"])))
                                 for position, text in enumerate(c["variations"], start=1)])
                    for c in self.map_components]
        return [(row.component, [(f"rating {rating}", rating) for rating in range(int(row.top_rating), 0, -1)])
                for row in self.scale.itertuples()]

    def educator_options(self) -> list[str]:
        ids = set(self.educators["educator_id"].astype(str)) | set(self.observations["educator_id"].dropna())
        return sorted(ids)

    def typed_walkthroughs(self) -> pd.DataFrame:
        """The walkthroughs typed in the app for this cycle, one row per visit (coach only)."""
        typed = self.observations[self.observations["source"] == FROM_APP]
        if typed.empty or not self.names_educators:
            return pd.DataFrame(columns=["educator_id", "date", "observer_id", "window", "components", "note"])
        return (typed.groupby(["educator_id", "date", "observer_id"], sort=False)
                     .agg(window=("window", "first"), components=("component", "size"),
                          note=("note", lambda n: "; ".join(sorted(set(n.dropna())))))
                     .reset_index().sort_values("date", ascending=False)
                     .assign(date=lambda t: t["date"].dt.strftime("%Y-%m-%d")))

    # -- saving -----------------------------------------------------------------------------------------
    def save_walkthrough(self, educator_id: str, date: dt.date | None, observer_id: str, window: str | None,
                         ratings: Mapping[str, int | None], note: str = "", level_of_use: str | None = None,
                         editing: Sequence[Record] = ()) -> list[Record] | None:
        """Save one visit: a rating (higher is nearer the ideal) for each component seen, and the Level
        of Use judged (optional). Returns the saved records, or None when nothing was saved (the
        status line says why).

        `editing` holds the saved records of a visit being corrected (`visit_of`): each component's
        record is changed in place, even when the educator or the date changed, and a component no
        longer seen is archived (it leaves the figures, and can be restored)."""
        educator_id, observer_id = (educator_id or "").strip(), " ".join((observer_id or "").split())
        seen = {component: int(rating) for component, rating in ratings.items() if rating is not None}
        if not educator_id:
            self.report_problem("Choose the educator you visited first.")
            return None
        if date is None:
            self.report_problem("Give the date of the visit.")
            return None
        if not seen:
            self.report_problem("Choose a variation for at least one component you saw.")
            return None
        if not self.has_cycle("save the walkthrough"):
            return None
        earlier = {(r.educator_id, str(r.date), r.observer_id or "", r.component): r for r in self.typed}
        edited = {r.component: r for r in editing if not r.archived}
        saved: list[Record] = []

        def write() -> Record:
            records = self.store.records("observations")
            for component, rating in seen.items():
                values = dict(educator_id=educator_id, date=date, observer_id=observer_id or None,
                              window=window or None, component=component, rating=rating,
                              level_of_use=level_of_use or None, note=note.strip() or None)
                old = edited.get(component) or earlier.get((educator_id, str(date), observer_id, component))
                saved.append(records.update(old, **values) if old else records.create(self.cycle_id, **values))
            for component, old in edited.items():
                if component not in seen:
                    records.archive(old)
            return saved[-1]

        if self.save(f"walkthrough of {educator_id}", write) is None:
            return None
        self.load_walkthroughs()
        return saved

    def session_defaults(self) -> dict:
        """Defaults for the next coaching session: today's date and, from the last session saved,
        the educator, minutes, component, cycle model and student target."""
        defaults = {"date": dt.date.today(), "minutes": 30}
        if self.sessions:
            last = max(self.sessions, key=lambda r: (str(r.date), r.created_at))
            defaults.update({name: last.values.get(name) for name in CARRIED_OVER
                             if last.values.get(name) not in (None, "")})
        return defaults

    def save_coaching_session(self, existing: Record | None = None, /, **values) -> Record | None:
        """Save one coaching session (fields of `COACHING_FIELDS`); blanks are left out. With
        `existing` (a saved session being corrected) that session is changed instead, and a field
        made blank is emptied."""
        unknown = set(values) - set(COACHING_FIELDS)
        if unknown:
            raise TypeError(f"not a coaching session field: {sorted(unknown)}")
        cleaned = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
        cleaned = {name: (None if value == "" else value) for name, value in cleaned.items()}
        if existing is None:
            cleaned = {name: value for name, value in cleaned.items() if value is not None}
        if not cleaned.get("educator_id"):
            self.report_problem("Choose the educator you coached first.")
            return None
        if not cleaned.get("date"):
            self.report_problem("Give the date of the coaching session.")
            return None
        record = self.upsert("coaching session", "coaching_sessions", existing, **cleaned)
        if record is not None:
            self.load_sessions()
        return record

    def save_reflection(self, text: str) -> Record | None:
        """Save the cycle's stage 4 reflection (updating the earlier one)."""
        if not (text or "").strip():
            self.report_problem("Write a few words of reflection before saving it.")
            return None
        record = self.upsert("reflection", "reflections", self.reflection, stage=self.stage_number,
                             prompt=REFLECTION_PROMPT, text=text.strip())
        if record is not None:
            self.reflection = record
        return record


class PracticeReflectionModel(BaseReflectionModel):
    """The coach's reflections on practice, saved in the open cycle as `reflection` records (stage 4),
    kept apart from `PracticeModel` so that saving one recomputes no figure."""

    stage_number = 4

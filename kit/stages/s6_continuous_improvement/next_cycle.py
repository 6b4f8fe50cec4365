"""The next cycle, created from this one in one step: its goals, learning plan (with its links),
practice maps (with their components) and coaching focus carried forward as editable copies.

Every copy is a new record in the new cycle: editing it never touches the old cycle, which stays
exactly as it was (nothing in it is written). References inside the copies are remapped to the
copies: a plan's student goal, a link's plan, a component's map. Carried over: every kind in
`CARRIED`; not carried: the evidence of the old cycle (ratings, walkthroughs, coaching sessions,
reflections, decisions), which belongs to the cycle it describes.
"""

from __future__ import annotations

import json

from kit.store import Record

#: The kinds copied into the next cycle, in the order they are created (parents before children).
CARRIED = ("goals", "plans", "plan_links", "ic_maps", "ic_components")


def _values(record: Record) -> dict:
    return {name: value for name, value in record.values.items() if value is not None}


def _plan_summary(summary: str | None, goal_ids: dict[str, str]) -> str | None:
    """The plan's summary with its student goal pointing to the copy (stage 2 keeps it in the JSON)."""
    try:
        data = json.loads(summary or "")
    except ValueError:
        return summary
    if isinstance(data, dict) and data.get("student_goal_id") in goal_ids:
        data["student_goal_id"] = goal_ids[data["student_goal_id"]]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)
    return summary


def next_cycle_focus(cycle: Record) -> str:
    """The coaching focus the next cycle starts from: the old cycle's focus, as a copy to edit."""
    return str(cycle.values.get("focus") or "")


def create_next_cycle(store, cycle_id: str, name: str, *, start_date=None, end_date=None) -> Record:
    """Create the cycle `name` from the cycle `cycle_id` and copy its goals, plans, plan links, maps
    and map components into it; return the new cycle. One write per record, each its own
    transaction; if one fails the new cycle is archived, so no half-made cycle is offered, and the
    old one is never written."""
    old = store.cycles.get(cycle_id)
    new = store.cycles.create(name=name, focus=next_cycle_focus(old), start_date=start_date, end_date=end_date,
                              status="planning")
    try:
        _copy_records(store, cycle_id, new.id)
    except Exception:
        store.cycles.archive(new)
        raise
    return new


def _copy_records(store, old_id: str, new_id: str) -> None:
    goal_ids, plan_ids, map_ids = {}, {}, {}
    for goal in store.goals.list(old_id):
        goal_ids[goal.id] = store.goals.create(new_id, **_values(goal)).id
    for plan in store.plans.list(old_id):
        values = _values(plan)
        values["summary"] = _plan_summary(plan.values.get("summary"), goal_ids)
        plan_ids[plan.id] = store.plans.create(new_id, **values).id
    for link in store.plan_links.list(old_id):
        if link.plan_id in plan_ids:
            store.plan_links.create(new_id, **{**_values(link), "plan_id": plan_ids[link.plan_id]})
    for ic_map in store.ic_maps.list(old_id):
        map_ids[ic_map.id] = store.ic_maps.create(new_id, **_values(ic_map)).id
    for component in store.ic_components.list(old_id):
        if component.map_id in map_ids:
            store.ic_components.create(new_id, **{**_values(component), "map_id": map_ids[component.map_id]})


def cycle_snapshot(store, cycle_id: str) -> dict:
    """Everything saved in a cycle (every kind, archived records too, with versions and times), for
    checking that a cycle is unchanged."""
    from kit.store.kinds import KINDS

    snapshot = {"cycle": store.cycles.get(cycle_id)}
    for kind in KINDS.values():
        if kind.in_cycle:
            snapshot[kind.table] = store.records(kind.table).list(cycle_id, include_archived=True)
    return snapshot

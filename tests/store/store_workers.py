"""Programs the crash and concurrency tests run in separate processes (run with `python store_workers.py ...`).

crash  URL CYCLE_ID LOG SEED
    Writes goals without end (new ones, and updates of its own), until killed. After each commit it
    appends one line to LOG and fsyncs it: "C id version sha" or "U id version sha". Every record is
    self-checking: `measure` is the sha256 of `what`, and `who` is "v<version>".

race  URL SHARED_IDS OWN_ID ATTEMPTS SEED START_AT
    From START_AT (a time.time() value), makes ATTEMPTS read-add-one-save attempts on the counter in
    `target` of the shared goals (comma-separated ids) and of its own goal, and prints JSON:
    {"attempts": n, "saved": {id: n}, "conflicts": {id: n}}.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time


def payload(token: str, rng: random.Random) -> str:
    """A long text (1-16 KB) that is different for every write."""
    block = hashlib.sha256(token.encode()).hexdigest()
    return f"{token}:" + block * rng.randint(16, 256)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def crash(url: str, cycle_id: str, log_path: str, seed: str) -> None:
    from kit.store import open_store

    rng = random.Random(seed)
    store = open_store(url, author=f"crash-{seed}")
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    mine = []
    for step in range(10**9):
        what = payload(f"{seed}-{step}", rng)
        if mine and rng.random() < 0.4:
            record = rng.choice(mine)
            saved = store.goals.update(record, what=what, measure=sha(what), who=f"v{record.version + 1}")
            mine[mine.index(record)] = saved
            line = f"U {saved.id} {saved.version} {sha(what)}\n"
        else:
            saved = store.goals.create(cycle_id, goal_type="educator", what=what, measure=sha(what), who="v1")
            mine.append(saved)
            line = f"C {saved.id} {saved.version} {sha(what)}\n"
        os.write(log, line.encode())
        os.fsync(log)


def race(url: str, shared_ids: str, own_id: str, attempts: int, seed: str, start_at: float) -> None:
    from kit.store import ConflictError, open_store

    rng = random.Random(seed)
    store = open_store(url, author=f"race-{seed}")
    targets = shared_ids.split(",")
    saved = {goal_id: 0 for goal_id in [*targets, own_id]}
    conflicts = dict.fromkeys(saved, 0)
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(attempts):
        goal_id = own_id if rng.random() < 0.25 else rng.choice(targets)
        opened = store.goals.get(goal_id)
        time.sleep(rng.random() * 0.003)  # the coach types
        try:
            store.goals.update(opened, target=str(int(opened.target) + 1), who=f"race-{seed}")
            saved[goal_id] += 1
        except ConflictError as conflict:
            assert conflict.unsaved == {"target": str(int(opened.target) + 1), "who": f"race-{seed}"}
            conflicts[goal_id] += 1
    print(json.dumps({"attempts": attempts, "saved": saved, "conflicts": conflicts}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "crash":
        crash(args[0], args[1], args[2], args[3])
    elif command == "race":
        race(args[0], args[1], args[2], int(args[3]), args[4], float(args[5]))
    else:
        raise SystemExit(f"unknown command {command}")

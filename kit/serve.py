"""Serve the stage notebooks as Voila apps with the kit's settings: `python -m kit.serve [--team] [voila options]`.

The fixed settings live in `voila.json` at the top of the project (bound to 127.0.0.1, sources
stripped, tracebacks hidden, kernels over IPC, idle kernels culled). This module adds what depends
on the stage registry and on who is served:

- one pool of preheated kernels per served app (`Stage.available`), sized by a `Setting`: the
  laptop default keeps one kernel waiting per app; `--team` keeps more for several visitors;
- Start here's pool fills first; every other app's pool waits until Start here has been visited (or
  `first_visit_wait` seconds have passed) and then fills one kernel at a time, each when the server's
  kernels are quiet, so the first page is not slowed by six kernels competing for the cores;
- a kernel used by a visit is replaced only when the server's kernels are quiet and the visit's page
  has had `fill_delay` seconds to load, so a replacement never competes with the page being opened;
- every page gets the `_xsrf` cookie, which Voila's page sends back when it is left so that its
  kernel is shut down (without the cookie the shutdown was refused and kernels piled up).

>>> [stage.notebook for stage in served_stages()][:1]
['00_start_here.ipynb']
>>> pool_sizes(LAPTOP, served_stages()[:2])
{'00_start_here.ipynb': 1, '01_student_needs.ipynb': 1}
"""

import asyncio
import inspect
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kit.registry import STAGES, Stage
from kit.workspace import PROJECT_ROOT

TEMPLATE_ROOT = Path(__file__).resolve().parent / "share"  # holds voila/templates/kit


@dataclass(frozen=True)
class Setting:
    """How many kernels wait for visitors, and how soon a used one is replaced."""

    name: str
    start_here_pool: int  # kernels waiting for Start here, the first page every visitor opens
    app_pool: int  # kernels waiting for each other app
    fill_delay: float  # seconds before a used kernel is replaced (the visit's page loads meanwhile)
    first_visit_wait: float  # seconds the other apps' pools wait for Start here's first visit


# One coach on a laptop: Start here opens at once, every other app from a ready kernel; 7 apps hold
# about 1.4 GB. The other pools fill after the coach's first page, which is what the coach waits for.
LAPTOP = Setting("laptop", start_here_pool=1, app_pool=1, fill_delay=4, first_visit_wait=30)
# A team on a shared server: a burst of visitors to one app finds ready kernels (docs/deployment.md).
TEAM = Setting("team", start_here_pool=3, app_pool=2, fill_delay=2, first_visit_wait=0)
SETTINGS = {setting.name: setting for setting in (LAPTOP, TEAM)}
LONGEST_FILL_WAIT = 60  # seconds, so that one slow app never holds back the pools after it


def served_stages() -> list[Stage]:
    """The stages whose notebook is in the kit, in registry order (Start here first)."""
    return [stage for stage in STAGES if stage.available]


def pool_sizes(setting: Setting, stages: list[Stage], every_app: int | None = None) -> dict[str, int]:
    """Preheated kernels per notebook; `every_app` gives all apps the same size (`make serve POOL=n`).

    >>> pool_sizes(TEAM, served_stages()[:2], every_app=0)
    {'00_start_here.ipynb': 0, '01_student_needs.ipynb': 0}
    """
    def size(stage: Stage) -> int:
        if every_app is not None:
            return every_app
        return setting.start_here_pool if stage.number == 0 else setting.app_pool
    return {stage.notebook: size(stage) for stage in stages}


def kernel_pools_config(sizes: dict[str, int]) -> dict:
    """Voila's `VoilaKernelManager.kernel_pools_config` for these sizes; any other notebook gets none.

    >>> kernel_pools_config({"00_start_here.ipynb": 1})
    {'default': {'pool_size': 0}, '00_start_here.ipynb': {'pool_size': 1}}
    """
    return {"default": {"pool_size": 0}, **{notebook: {"pool_size": size} for notebook, size in sizes.items()}}


def voila_environment(base: dict | None = None) -> dict:
    """The environment Voila needs to find the kit's template (JUPYTER_PATH)."""
    environment = dict(os.environ if base is None else base)
    environment["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), environment.get("JUPYTER_PATH")]))
    return environment


def voila_command(*options: str) -> list[str]:
    """The command that serves the kit (run it from PROJECT_ROOT with `voila_environment()`)."""
    return [sys.executable, "-m", "kit.serve", *options]


def wait_for_request() -> None:
    """In a kernel Voila preheated, wait until a visitor opens the page, then take the visit's request
    (URL, query string) into the environment; elsewhere return at once. The same as
    `voila.utils.wait_for_request`, without importing Voila's server into every kernel (about 2 s of
    CPU and 50 MB each).

    >>> wait_for_request()  # not in a preheated kernel: returns at once
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    server_url = os.environ.get("VOILA_SERVER_URL", "/")
    url = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{os.environ.get('VOILA_APP_PORT', '8866')}{os.environ.get('VOILA_WS_BASE_URL', server_url)}"
           f"voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}")
    try:
        with connect(url, open_timeout=5) as websocket:
            request = json.loads(websocket.recv())
    except (OSError, TimeoutError, ValueError, WebSocketException):
        return  # no server to ask (the app shows what it built)
    os.environ.update({str(key): str(value) for key, value in request.items()})


def _kit_voila_class():
    """The Voila application with the kit's pools and cookie (built on demand: importing voila is slow)."""
    from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider
    from traitlets import Enum, Float, Int, Type
    from voila.app import Voila

    class KitIdentityProvider(PasswordIdentityProvider):
        """Voila's own identity provider that also hands every page the `_xsrf` cookie: the page sends
        it back in the shutdown request when the visitor leaves, and Voila refuses the request without it."""

        async def get_user(self, handler):
            user = super().get_user(handler)
            if inspect.isawaitable(user):
                user = await user
            if handler.request.method == "GET":
                handler.current_user = user  # what Jupyter's handler sets next; the token depends on it
                handler.xsrf_token  # reading it sets the cookie (tornado reuses one already set)
            return user

    class KitVoila(Voila):
        """Voila serving the stage apps with pools sized from the registry and filled one app at a time."""

        setting = Enum(list(SETTINGS), "laptop", config=True, help="laptop (one coach) or team (a shared server)")
        pool = Int(-1, config=True, help="preheated kernels for every app, instead of the setting's sizes")
        first_visit_wait = Float(-1, config=True, help="seconds the other apps' pools wait for Start here's "
                                 "first visit, instead of the setting's (0: they fill at once)")
        flags = {**Voila.flags, "team": ({"KitVoila": {"setting": "team"}}, "Serve a team: more kernels waiting per app.")}
        aliases = {**Voila.aliases, "pool": "KitVoila.pool", "setting": "KitVoila.setting"}
        identity_provider_class = Type(KitIdentityProvider, klass=IdentityProvider, config=True,
                                       help="Voila's identity provider, handing every page the _xsrf cookie")

        def init_settings(self):
            chosen = SETTINGS[self.setting]
            self.kit_pools = pool_sizes(chosen, served_stages(), every_app=None if self.pool < 0 else self.pool)
            if self.first_visit_wait < 0:
                self.first_visit_wait = chosen.first_visit_wait
            first = next(iter(self.kit_pools), None)
            # Only Start here's pool fills when the kernel manager starts; the others follow in turn.
            self.config.VoilaKernelManager.kernel_pools_config = kernel_pools_config(
                {notebook: size for notebook, size in self.kit_pools.items() if notebook == first})
            if "fill_delay" not in self.config.VoilaKernelManager:
                self.config.VoilaKernelManager.fill_delay = chosen.fill_delay
            settings = super().init_settings()
            if self.voila_configuration.preheat_kernel:
                self.prepare_filling(self.kernel_manager)
                asyncio.get_event_loop().create_task(self.fill_in_turn(self.kernel_manager, first))
            return settings

        def prepare_filling(self, manager) -> None:
            self.first_visit = asyncio.Event()
            self.one_kernel_at_a_time = asyncio.Lock()
            self.pages_being_built: set[asyncio.Future] = set()  # visits whose app is not shown yet
            self.refill_when_quiet(manager)

        def refill_when_quiet(self, manager) -> None:
            """Replace a kernel a visit took only once the visit's app is shown, its page has had
            `fill_delay` seconds to load, and the server's kernels are quiet (Voila replaces it after a
            fixed delay, so on a busy machine the replacement's build slowed the very page the visitor
            waited for)."""
            fill_now = manager.fill_if_needed
            take = manager.get_rendered_notebook

            def fill_if_needed(delay=None, notebook_name=None, **kwargs):
                if delay is not None:  # a fill the kit asked for (or Voila's at start): at once
                    return fill_now(delay=delay, notebook_name=notebook_name, **kwargs)
                asyncio.get_event_loop().create_task(self.fill_when_quiet(manager, fill_now, notebook_name, kwargs))

            async def get_rendered_notebook(notebook_name, *args, **kwargs):
                if notebook_name == next(iter(self.kit_pools), None):
                    self.first_visit.set()
                taken = await take(notebook_name, *args, **kwargs)
                render_task = taken[0]  # done when the notebook's cell has shown the app
                self.pages_being_built.add(render_task)
                render_task.add_done_callback(self.pages_being_built.discard)
                return taken

            manager.fill_if_needed = fill_if_needed
            manager.get_rendered_notebook = get_rendered_notebook

        async def fill_when_quiet(self, manager, fill_now, notebook: str, kwargs: dict) -> None:
            await asyncio.sleep(0)  # the visit that asked for this fill registers its page first
            await self.pages_loaded(manager.fill_delay)
            async with self.one_kernel_at_a_time:
                await self.wait_until_quiet()
                fill_now(delay=0, notebook_name=notebook, **kwargs)
                await self.kernels_started(manager, notebook)

        async def fill_in_turn(self, manager, first: str | None):
            """Fill the pools in registry order, one kernel at a time, each when the server's kernels
            are quiet: a kernel building its app, or a visitor's page being served, is never slowed.
            The apps after Start here wait for its first visit (at most `first_visit_wait` seconds):
            until the coach's first page is usable, nothing else competes with it for the cores."""
            if first is not None and self.first_visit_wait > 0:
                try:
                    await asyncio.wait_for(self.first_visit.wait(), self.first_visit_wait)
                    await self.pages_loaded(manager.fill_delay)
                except asyncio.TimeoutError:
                    pass
            for notebook, size in self.kit_pools.items():
                manager.kernel_pools_config[notebook] = {"pool_size": size}
                for wanted in range(1, size + 1):
                    async with self.one_kernel_at_a_time:
                        await self.wait_until_quiet()
                        manager.kernel_pools_config[notebook] = {"pool_size": wanted}
                        manager.fill_if_needed(delay=0, notebook_name=notebook)
                        await self.kernels_started(manager, notebook)
                manager.kernel_pools_config[notebook] = {"pool_size": size}
            self.log.info("Every app's pool is filled: %s", self.kit_pools)

        async def pages_loaded(self, delay: float) -> None:
            """Wait until every visit's app is shown (at most LONGEST_FILL_WAIT seconds), then `delay`
            seconds more while the visitor's browser draws it."""
            if self.pages_being_built:
                await asyncio.wait(list(self.pages_being_built), timeout=LONGEST_FILL_WAIT)
            await asyncio.sleep(delay)

        async def kernels_started(self, manager, notebook: str) -> None:
            """Wait until the kernels being started for `notebook`'s pool have started."""
            for pending in list(manager._pools.get(notebook, [])):
                try:
                    await pending
                except Exception:  # a kernel that failed to start is Voila's to report; go on
                    pass

        async def wait_until_quiet(self) -> None:
            """Wait until none of the server's kernels is running (each preheated kernel has built its
            app and no visitor's page is being built), at most LONGEST_FILL_WAIT seconds. A kernel's
            state, not its share of the CPU, tells it: on a busy machine a running kernel gets little."""
            deadline = time.monotonic() + LONGEST_FILL_WAIT
            while time.monotonic() < deadline and await self.kernels_running():
                pass

        async def kernels_running(self, samples: int = 5) -> bool:
            """Whether any kernel process was running (not waiting) in at least two of `samples` looks."""
            import psutil

            processes = []
            for kernel_id in list(self.kernel_manager.list_kernel_ids()):
                try:
                    processes.append(psutil.Process(self.kernel_manager.get_kernel(kernel_id).provisioner.pid))
                except (psutil.Error, KeyError, AttributeError, TypeError):
                    pass  # ended meanwhile, or not a local process
            seen_running = dict.fromkeys(processes, 0)
            for _ in range(samples):
                for process in processes:
                    try:
                        seen_running[process] += process.status() in (psutil.STATUS_RUNNING, psutil.STATUS_DISK_SLEEP)
                    except psutil.Error:
                        pass
                await asyncio.sleep(0.1)
            return any(count >= 2 for count in seen_running.values())

    return KitVoila


def main(argv: list[str] | None = None) -> None:
    os.chdir(PROJECT_ROOT)  # Voila reads voila.json from the folder it starts in
    os.environ.update(voila_environment())
    app = _kit_voila_class()
    app.launch_instance(argv=["notebooks", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

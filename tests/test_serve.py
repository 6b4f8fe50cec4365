"""How the kit serves its apps: pools sized from the stage registry, the settings, the light wait for a visit."""

import asyncio
import dataclasses
import json
import os
import socket
import threading

import pytest

import kit.serve as serve
from kit.registry import STAGES
from kit.workspace import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_only_stages_whose_notebook_exists_are_served_in_registry_order(monkeypatch):
    missing = dataclasses.replace(STAGES[1], number=9, notebook="09_not_written_yet.ipynb")
    monkeypatch.setattr(serve, "STAGES", (STAGES[0], missing, STAGES[1]))
    assert [stage.notebook for stage in serve.served_stages()] == [STAGES[0].notebook, STAGES[1].notebook]


def test_a_new_stage_notebook_is_served_without_touching_the_config(monkeypatch):
    monkeypatch.setattr(type(STAGES[0]), "available", property(lambda stage: stage.number in (0, 5)))
    sizes = serve.pool_sizes(serve.LAPTOP, serve.served_stages())
    assert list(sizes) == [STAGES[0].notebook, STAGES[5].notebook]


def test_the_laptop_default_keeps_one_kernel_waiting_for_each_app():
    sizes = serve.pool_sizes(serve.LAPTOP, list(STAGES))
    assert set(sizes.values()) == {1} and len(sizes) == len(STAGES)


def test_the_team_setting_keeps_more_kernels_for_start_here_than_for_the_other_apps():
    sizes = serve.pool_sizes(serve.TEAM, list(STAGES))
    assert sizes[STAGES[0].notebook] == serve.TEAM.start_here_pool > serve.TEAM.app_pool == sizes[STAGES[6].notebook]


def test_pool_gives_every_app_the_same_size():
    assert set(serve.pool_sizes(serve.TEAM, list(STAGES), every_app=0).values()) == {0}


def test_notebooks_outside_the_registry_get_no_waiting_kernel():
    config = serve.kernel_pools_config({"00_start_here.ipynb": 2})
    assert config == {"default": {"pool_size": 0}, "00_start_here.ipynb": {"pool_size": 2}}


def test_kernels_talk_over_ipc_so_that_kernels_starting_together_never_race_for_ports():
    settings = json.loads((PROJECT_ROOT / "voila.json").read_text())
    assert settings["KernelManager"]["transport"] == "ipc"
    assert settings["Voila"]["ip"] == "127.0.0.1"


def test_make_serve_runs_the_kit_voila_and_finds_the_kit_template():
    assert serve.voila_command("--team")[1:] == ["-m", "kit.serve", "--team"]
    assert str(serve.TEMPLATE_ROOT) in serve.voila_environment({"JUPYTER_PATH": "/elsewhere"})["JUPYTER_PATH"]


def test_the_command_line_chooses_the_team_setting_and_a_pool_size():
    app = serve._kit_voila_class()()
    app.parse_command_line(["--team", "--pool=2"])
    assert (app.setting, app.pool) == ("team", 2)


def test_an_unknown_setting_stops_with_the_settings_there_are(capfd):
    app = serve._kit_voila_class()()
    with pytest.raises(SystemExit):
        app.parse_command_line(["--setting=school"])
    assert "expected any of ['laptop', 'team'], not the str 'school'" in capfd.readouterr().err


def test_outside_a_preheated_kernel_waiting_for_a_visit_returns_at_once(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    assert serve.wait_for_request() is None


def test_a_preheated_kernel_without_its_server_stops_waiting(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("VOILA_KERNEL_ID", "k1")
    assert serve.wait_for_request() is None


def test_a_preheated_kernel_takes_the_visits_request_into_its_environment(monkeypatch):
    from websockets.sync.server import serve as websocket_server

    asked = []

    def answer(connection):
        asked.append(connection.request.path)
        connection.send(json.dumps({"QUERY_STRING": "cycle=spring", "SERVER_PORT": "8866"}))

    port = free_port()
    with websocket_server(answer, "127.0.0.1", port) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        monkeypatch.setenv("VOILA_KERNEL_ID", "2667caa8-3c3e-48d2-88d6-41002183287b")
        monkeypatch.setenv("QUERY_STRING", "")
        serve.wait_for_request()
        server.shutdown()
    assert asked == ["/voila/query/2667caa8-3c3e-48d2-88d6-41002183287b"]
    assert os.environ["QUERY_STRING"] == "cycle=spring"


class FakeKernelManager:
    """What the kit's filling asks of Voila's kernel manager: fills are recorded; a visit takes a kernel
    whose notebook cell (the app) finishes when the test says, and asks for a refill as Voila does."""

    fill_delay = 0

    def __init__(self):
        self.fills, self.kernel_pools_config, self._pools = [], {}, {}
        self.app_shown = None

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        self.fills.append((delay, notebook_name))

    async def get_rendered_notebook(self, notebook_name, **kwargs):
        self.app_shown = asyncio.get_running_loop().create_future()
        self.fill_if_needed(delay=None, notebook_name=notebook_name)  # Voila's refill after a visit
        return self.app_shown, [], "a-kernel"


def filling_app(first_visit_wait: float = 5.0):
    """The kit's Voila with two one-kernel pools, its kernels always quiet, and a fake kernel manager."""
    app = serve._kit_voila_class()()
    app.kit_pools = {STAGES[0].notebook: 1, STAGES[1].notebook: 1}
    app.first_visit_wait = first_visit_wait
    manager = FakeKernelManager()

    async def quiet():
        return None

    app.wait_until_quiet = quiet
    app.prepare_filling(manager)
    return app, manager


def test_a_used_kernel_is_replaced_only_once_the_visits_app_is_shown():
    async def visit_and_refill():
        app, manager = filling_app()
        await manager.get_rendered_notebook(STAGES[1].notebook)
        await asyncio.sleep(0.05)
        assert manager.fills == []  # the visitor's app is still being built: nothing competes with it
        manager.app_shown.set_result(([], None))
        await asyncio.sleep(0.05)
        assert manager.fills == [(0, STAGES[1].notebook)]

    asyncio.run(visit_and_refill())


def test_the_other_apps_pools_wait_for_start_heres_first_visit():
    async def cold_start():
        app, manager = filling_app()
        filling = asyncio.create_task(app.fill_in_turn(manager, STAGES[0].notebook))
        await asyncio.sleep(0.1)
        assert manager.fills == [] and STAGES[1].notebook not in manager.kernel_pools_config
        await manager.get_rendered_notebook(STAGES[0].notebook)  # the coach opens Start here
        assert app.first_visit.is_set()
        await asyncio.sleep(0.1)
        assert manager.fills == []  # its app is not shown yet
        manager.app_shown.set_result(([], None))
        await asyncio.wait_for(filling, 5)
        assert (0, STAGES[1].notebook) in manager.fills
        assert manager.kernel_pools_config[STAGES[1].notebook] == {"pool_size": 1}

    asyncio.run(cold_start())


def test_without_a_visit_the_other_pools_fill_after_the_first_visit_wait():
    async def nobody_comes():
        app, manager = filling_app(first_visit_wait=0.2)
        await asyncio.wait_for(app.fill_in_turn(manager, STAGES[0].notebook), 5)
        assert [notebook for _, notebook in manager.fills] == [STAGES[0].notebook, STAGES[1].notebook]

    asyncio.run(nobody_comes())


def test_the_laptop_default_waits_for_start_heres_visit_and_the_team_setting_does_not():
    assert serve.LAPTOP.first_visit_wait > 0 and serve.TEAM.first_visit_wait == 0
    app = serve._kit_voila_class()()
    app.parse_command_line(["--KitVoila.first_visit_wait=0"])
    assert app.first_visit_wait == 0

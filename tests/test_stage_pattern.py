"""Every registered stage follows the stage pattern (docs/adding-a-stage.md): one folder, one registry
entry, one notebook with one call, one tests folder and a browser test, one docs page; stages use only
earlier stages' analysis; and each stage's app opens on the sample district."""

import ast
import json
from pathlib import Path

import ipywidgets as widgets
import pytest

from kit.registry import DOCS_FOLDER, NOTEBOOK_FOLDER, STAGES, stage

ROOT = Path(__file__).resolve().parents[1]
STAGE_FOLDER = ROOT / "kit" / "stages"
MODULES = ("models", "app", "analysis", "charts")
ONE_CALL = ("# NBVAL_IGNORE_OUTPUT\n# (the app's widgets have new ids on every run)\n"
            "from kit.registry import show_stage\n\nshow_stage({number})")
NUMBERED = pytest.mark.parametrize("number", [s.number for s in STAGES])


def _has_module(folder: Path, name: str) -> bool:
    return (folder / f"{name}.py").is_file() or (folder / name / "__init__.py").is_file()


def test_stages_are_numbered_in_order_and_found_by_number():
    assert [s.number for s in STAGES] == list(range(len(STAGES)))
    assert all(stage(s.number) is s for s in STAGES)
    with pytest.raises(KeyError, match="no stage 99"):
        stage(99)


@NUMBERED
def test_each_stage_has_its_folder_with_the_same_module_names(number):
    s = stage(number)
    folder = STAGE_FOLDER / s.folder
    required = MODULES if number else MODULES[:2]  # Start here has no analysis or charts of its own
    assert (folder / "__init__.py").is_file(), f"stage {number} needs kit/stages/{s.folder}/"
    missing = [name for name in required if not _has_module(folder, name)]
    assert not missing, f"kit/stages/{s.folder} lacks {missing}"


@NUMBERED
def test_each_stage_notebook_opens_with_its_heading_and_has_one_call(number):
    s = stage(number)
    cells = json.loads((NOTEBOOK_FOLDER / s.notebook).read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert "".join(cells[0]["source"]).startswith(f"# {s.heading}\n")
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert len(code) == 1 and "".join(code[0]["source"]).strip() == ONE_CALL.format(number=number)


@NUMBERED
def test_each_stage_has_its_tests_and_a_browser_test(number):
    folder = ROOT / "tests" / "stages" / stage(number).folder
    assert (folder / "__init__.py").is_file()
    assert list(folder.glob("test_*.py")), f"tests/stages/{folder.name} has no tests"
    assert (ROOT / "tests" / "browser" / f"test_{folder.name}.py").is_file()


@NUMBERED
def test_each_stage_has_its_docs_page(number):
    page = DOCS_FOLDER / stage(number).docs
    assert page.is_file(), f"docs/{page.name} is missing"
    assert len(page.read_text(encoding="utf-8").split()) > 80, f"docs/{page.name} says too little"


def _stage_imports(folder: Path) -> list[tuple[Path, str]]:
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found += [(path, node.module)] + [(path, f"{node.module}.{alias.name}") for alias in node.names]
            elif isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
    return [(path, name) for path, name in found if name.startswith("kit.stages.")]


@NUMBERED
def test_a_stage_imports_only_earlier_stages_analysis(number):
    """import-linter keeps apps and models apart; this adds the order of the theory of action."""
    own = stage(number).folder
    numbers = {s.folder: s.number for s in STAGES}
    for path, name in _stage_imports(STAGE_FOLDER / own):
        other = name.split(".")[2]
        if other == own or other not in numbers:
            continue
        assert numbers[other] < number and name.split(".")[3:4] in (["analysis"], []), (
            f"{path.relative_to(ROOT)} imports {name}: a stage may use only an earlier stage's analysis")


def test_the_import_contracts_hold():
    """The layering in pyproject.toml ([tool.importlinter]): analysis and charts stay pure, shared
    engines never import a stage, stages share only analysis."""
    import subprocess
    import sys

    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and ", 0 broken" in result.stdout


@pytest.mark.slow
@NUMBERED
def test_each_stage_app_opens_on_the_sample_without_a_failure(number, fresh_workspace):
    from kit.apps.components import FAILED

    view = stage(number).app()
    assert isinstance(view, widgets.VBox), "the app failed while building (see the workspace log)"
    status = [w for w in view.children if isinstance(w, widgets.VBox) and "kit-cycle-picker" in w._dom_classes]
    assert status, "every stage page shows the cycle picker and its status line"
    assert f"kit-status-{FAILED}" not in status[0].children[-1].value


def test_no_stage_app_imports_scipy_stats():
    """scipy.stats costs about a CPU-second to import, on every visit to a served app; the kit's
    distribution values come from scipy.special (kit.analysis.stats.distributions)."""
    import subprocess
    import sys

    modules = "; ".join(f"import {s.app_module}" for s in STAGES)
    code = f"import sys; {modules}; print(sorted(m for m in sys.modules if m.startswith('scipy.stats')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"

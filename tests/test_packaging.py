"""Set-up promises: conda and pip name the same packages, and CI runs the README's test command."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(item) for item in project["dependencies"] + project["optional-dependencies"]["test"]}
    conda_names = set()
    dependencies = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    for line in dependencies.splitlines():
        item = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+)", line)
        if item and item.group(1) not in {"python", "pip"}:
            conda_names.add(_name(item.group(1)))
    assert conda_names == pip_names


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert commands[:2] == ["make serve", "make test"]
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_kit_is_imported_as_an_installed_package_not_through_sys_path():
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert "sys.path" not in notebook.read_text()


def test_the_code_has_no_undefined_names_or_unused_imports():
    """ruff's pyflakes rules: a NameError in a widget callback would otherwise surface only in the app."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "kit", "tests",
                             "scripts", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

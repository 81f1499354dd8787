"""The layers of docs/architecture.md hold, and the contracts that keep them fail when broken."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dyade"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_LINES = 400


def _sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_of_the_tree(tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    shutil.copytree(PACKAGE, copy / "dyade", ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_every_contract_holds_on_the_tree() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_view_that_queries_another_apps_model_breaks_a_contract(tmp_path: Path) -> None:
    copy = _copy_of_the_tree(tmp_path)
    views = copy / "dyade" / "sessions" / "views.py"
    source = views.read_text()
    # Drop the questionnaires access module and reach for its model instead.
    assert "from dyade.questionnaires import access as questionnaires_access\n" in source
    source = source.replace(
        "from dyade.questionnaires import access as questionnaires_access\n",
        "from dyade.questionnaires.models import Administration\n",
    ).replace(
        "questionnaires_access.case_administrations(request.user, case)",
        "Administration.objects.filter(case=case)",
    )
    views.write_text(source)
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert "sessions views reach other apps' data only through their access modules BROKEN" in (
        result.stdout.replace("\n", " ")
    )
    assert "dyade.sessions.views -> dyade.questionnaires.models" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    copy = _copy_of_the_tree(tmp_path)
    policy = copy / "dyade" / "cases" / "policy.py"
    policy.write_text(policy.read_text() + "\nfrom dyade.diary.models import DiaryEntry  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode == 1
    out = result.stdout.replace("\n", " ")
    assert "Apps form layers with no upward import BROKEN" in out
    assert "The policy core imports no feature app BROKEN" in out


def test_django_in_the_clinical_core_breaks_its_contract(tmp_path: Path) -> None:
    copy = _copy_of_the_tree(tmp_path)
    module = copy / "dyade" / "clinic" / "visibility.py"
    module.write_text(module.read_text() + "\nimport django  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert "The clinical core is pure: no Django, no other Dyade package BROKEN" in (
        result.stdout.replace("\n", " ")
    )


def _function_level_dyade_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name == "dyade" or name.startswith("dyade."):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_no_import_inside_a_function_dodges_a_cycle() -> None:
    found = [hit for path in _sources() for hit in _function_level_dyade_imports(path)]
    # Django's documented place to connect signal receivers is AppConfig.ready().
    assert sorted(found) == [
        "dyade/accounts/apps.py:12 dyade.accounts",
        "dyade/overview/apps.py:16 dyade.overview",  # what makes the stored order out of date
        "dyade/progress/apps.py:12 dyade.progress",  # hands the sessions layer its reader
    ]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_file_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"

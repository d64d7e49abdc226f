"""``make typecheck`` runs ``mypy --strict`` over every package: each workspace member and each example."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _typechecked() -> set[str]:
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    recipe = re.search(r"^typecheck:.*\n\t(.+)$", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no typecheck recipe"
    assert "mypy --strict" in recipe.group(1)
    return set(recipe.group(1).split())


def _packages() -> set[str]:
    """Every importable package of the repository: the engine, each workspace member's, each example's."""
    members = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]["members"]
    roots = [ROOT] + [path for member in members for path in sorted(ROOT.glob(member))]
    roots += sorted(path.parent for path in (ROOT / "examples").glob("*/pyproject.toml"))
    found = set()
    for root in roots:
        flat = sorted(root.glob("*/__init__.py")) if root != ROOT else []  # the root's tests/ is no package
        for init in flat + sorted(root.glob("src/*/__init__.py")):
            found.add(str(init.parent.relative_to(ROOT)))
    return found | {str(path.relative_to(ROOT)) for path in (ROOT / "examples").glob("*.py")}


def test_every_package_and_example_is_type_checked_strictly() -> None:
    packages = _packages()
    assert {
        "src/interview_engine",
        "adapters/web/src/interview_web",
        "examples/explain_plugin/explain_plugin",
    } <= packages
    assert sorted(packages - _typechecked()) == []

"""The debugging content pack: scenarios, concepts and the rubric, loaded and checked once.

Layout under ``content/``::

    pack.toml            name and version (the kbVersion)
    concepts.toml        [concepts.<tag>] title, keywords, summary
    rubric.toml          [specs.mid], [specs.senior] (RubricSpec) and [scoring] (module numbers)
    scenarios/<id>.toml  one BugScenario each
"""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from attrs import field, frozen

from interview_debugging.scenario import BugScenario, Concept
from interview_debugging.scoring_spec import ScoringSpec
from interview_engine import ContentError, Difficulty, PackInfo, RubricSpec, Track, rubric_from_data
from interview_engine.content import load_editorials, read_data_file, structure_content

__all__ = ["MODULE", "DebugPack", "load_pack"]

MODULE = "debugging"


@frozen
class DebugPack:
    info: PackInfo
    scenarios: dict[str, BugScenario]
    concepts: dict[str, Concept]
    specs: dict[Difficulty, RubricSpec]
    scoring: ScoringSpec
    #: scenario id -> the editorial shown after a session (why the fix works, its cost, the trap)
    editorials: dict[str, str] = field(factory=dict)

    def scenario(self, scenario_id: str) -> BugScenario:
        from interview_engine import NotFound

        try:
            return self.scenarios[scenario_id]
        except KeyError:
            raise NotFound(f"no bug scenario {scenario_id!r}", field="scenarioId") from None

    def select(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[BugScenario]:
        return [
            s
            for s in self.scenarios.values()
            if (track is None or s.track is track) and (difficulty is None or s.difficulty is difficulty)
        ]


def _table(data: Any, key: str, source: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, dict):
        raise ContentError(f"{source}: $.{key}: a table is required")
    return value


def load_pack_from(root: Traversable) -> DebugPack:
    """Load and validate the pack at ``root``; a bad file raises ContentError naming file and field."""
    pack_file = root / "pack.toml"
    pack_data = read_data_file(pack_file)
    info = PackInfo(MODULE, str(pack_data.get("name", "")), str(pack_data.get("version", "")))
    if not info.name or not info.version:
        raise ContentError(f"{pack_file}: $.name and $.version are required")

    concepts_file = root / "concepts.toml"
    raw_concepts = _table(read_data_file(concepts_file), "concepts", str(concepts_file))
    concepts = {
        tag: structure_content(value, Concept, source=f"{concepts_file}: concepts.{tag}")
        for tag, value in raw_concepts.items()
    }

    rubric_file = root / "rubric.toml"
    rubric_data = read_data_file(rubric_file)
    raw_specs = _table(rubric_data, "specs", str(rubric_file))
    specs = {}
    for level in Difficulty:
        if level.value not in raw_specs:
            raise ContentError(f"{rubric_file}: $.specs.{level.value}: a rubric is required")
        specs[level] = rubric_from_data(raw_specs[level.value], source=f"{rubric_file}: specs.{level.value}")
    scoring = structure_content(
        _table(rubric_data, "scoring", str(rubric_file)), ScoringSpec, source=f"{rubric_file}: scoring"
    )
    for level, spec in specs.items():
        if set(spec.dimension_names) != set(scoring.dimensions):
            raise ContentError(f"{rubric_file}: specs.{level.value}.dimensions must be {', '.join(scoring.dimensions)}")

    scenarios: dict[str, BugScenario] = {}
    folder = root / "scenarios"
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"{folder}/{entry.name}"
        scenario = structure_content(read_data_file(entry), BugScenario, source=source)
        if f"{scenario.id}.toml" != entry.name:
            raise ContentError(f"{source}: $.id must match the file name, got {scenario.id!r}")
        for tag in scenario.root_cause.concepts:
            if tag not in concepts:
                raise ContentError(f"{source}: $.root_cause.concepts: unknown concept {tag!r}")
        scenarios[scenario.id] = scenario
    if not scenarios:
        raise ContentError(f"{folder}: no scenarios")
    editorials = load_editorials(root / "editorials.toml", scenarios)
    return DebugPack(
        info=info, scenarios=scenarios, concepts=concepts, specs=specs, scoring=scoring, editorials=editorials
    )


@functools.cache
def load_pack() -> DebugPack:
    """The bundled pack (loaded once per process)."""
    return load_pack_from(resources.files("interview_debugging") / "content")

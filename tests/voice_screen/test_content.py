"""The knowledge base: one full validation, and errors that name the file and the field."""

from __future__ import annotations

import json
import shutil
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from interview_engine import ContentCheck, Engine
from interview_engine.errors import ContentError
from interview_voice_screen.bank import (
    KnowledgeBase,
    Question,
    check_knowledge_base,
    content_root,
    knowledge_base,
    load_knowledge_base,
)
from interview_voice_screen.canonical_check import check_canonical_answers
from interview_voice_screen.plugin import study_resources


def test_the_bundled_pack_passes_every_check(sqlite_engine: Engine) -> None:
    checks = sqlite_engine.module("voice_screen").validate_content(sqlite_engine.context)
    failed = [c for c in checks if not c.passed]
    assert failed == []
    kb = knowledge_base()
    for track in kb.pack.tracks:
        questions = kb.track_questions(track)
        assert len(questions) >= 60 and len(kb.topics(track)) >= 8
        assert {q.difficulty for q in questions} == {"mid", "senior"}
        for sheet in kb.sheets[track].values():
            assert 250 <= sheet.words <= 600


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    with as_file(content_root()) as source:
        shutil.copytree(source, tmp_path / "content")
    return tmp_path / "content"


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_a_question_without_key_points_names_file_and_field(pack_copy: Path) -> None:
    _edit(pack_copy / "questions" / "backend.json", lambda d: d["questions"][3].pop("key_points"))
    with pytest.raises(ContentError, match=r"backend\.json.*questions\[3\]\.key_points"):
        load_knowledge_base(pack_copy)


def test_duplicate_ids_and_missing_fact_sheets_are_caught(pack_copy: Path) -> None:
    path = pack_copy / "questions" / "mobile.json"
    _edit(path, lambda d: d["questions"][1].update(id=d["questions"][0]["id"]))
    with pytest.raises(ContentError, match="unique question ids"):
        load_knowledge_base(pack_copy)
    _edit(path, lambda d: d["questions"][1].update(id="mo-new-1", topic="quantum"))
    with pytest.raises(ContentError, match="mo-new-1: topic has a fact sheet"):
        load_knowledge_base(pack_copy)


def test_a_topic_with_one_senior_question_fails_the_per_level_check(pack_copy: Path) -> None:
    def one_senior_security(data: dict[str, Any]) -> None:
        senior = [q for q in data["questions"] if q["topic"] == "security" and q["difficulty"] == "senior"]
        for question in senior[1:]:
            question["difficulty"] = "mid"

    _edit(pack_copy / "questions" / "backend.json", one_senior_security)
    with pytest.raises(ContentError, match=r"backend: at least 2 questions per topic at each level: security/senior=1"):
        load_knowledge_base(pack_copy)


def test_short_fact_sheet_fails_its_check(pack_copy: Path) -> None:
    path = pack_copy / "fact_sheets" / "frontend.toml"
    text = path.read_text()
    start = text.index('body = """', text.index('topic = "react"'))
    end = text.index('"""', start + 10)
    path.write_text(text[:start] + 'body = """Too short."""' + text[end + 3 :])
    with pytest.raises(ContentError, match="react: fact sheet has 250-600 words"):
        load_knowledge_base(pack_copy)


def test_checks_report_every_track() -> None:
    names = {c.check for c in check_knowledge_base(knowledge_base())}
    assert {
        "backend: at least 60 questions",
        "frontend: at least 2 questions per topic at each level",
        "frontend: at least 8 topics",
        "mobile: mid and senior questions",
    } <= names


def test_study_resources_offer_the_fact_sheet_and_practice() -> None:
    found = study_resources(topic="caching", track="backend")
    kinds = [r.kind for r in found]
    assert kinds[0] == "fact_sheet" and kinds.count("practice") == 3
    assert all(r.module == "voice_screen" for r in found)
    assert study_resources(topic="no-such-topic", track="backend") == []


def test_a_fact_sheet_without_review_date_or_sources_fails_its_check(pack_copy: Path) -> None:
    path = pack_copy / "fact_sheets" / "mobile.toml"
    text = path.read_text()
    start = text.index('reviewed = "2026-12-01"', text.index('topic = "mobile-security"'))
    path.write_text(text[:start] + 'reviewed = "last winter"' + text[start + len('reviewed = "2026-12-01"') :])
    with pytest.raises(ContentError, match="mobile-security: fact sheet names its review date and sources"):
        load_knowledge_base(pack_copy)


#: Facts that were true once and are not in 2026: no canonical answer or fact sheet states them,
#: and no key point gives credit for the retired API.
RETIRED_CLAIMS = ("the default in modern browsers", "reduces bridge overhead", "encryptedsharedpreferences-style")
RETIRED_CREDIT = ("safetynet", "encryptedsharedpreferences", "encrypted shared preferences")


def test_no_retired_fact_is_taught_or_credited() -> None:
    kb = knowledge_base()
    for track in kb.pack.tracks:
        for question in kb.track_questions(track):
            assert not [c for c in RETIRED_CLAIMS if c in question.canonical.lower()], question.id
            phrases = {p.lower() for point in question.key_points for p in point.phrases}
            assert not phrases & set(RETIRED_CREDIT), question.id
        for sheet in kb.sheets[track].values():
            assert not [c for c in RETIRED_CLAIMS if c in sheet.body.lower()], sheet.topic
            assert sheet.reviewed == "2026-12-01" and len(sheet.sources) >= 2, sheet.topic
    security = kb.sheet("frontend", "web-security")
    assert security is not None and "React 19 neutralises javascript: URLs" in security.body
    assert "Firefox and Safari do not" in security.body


def _canonical_check_failures(kb: KnowledgeBase, broken: Question) -> list[ContentCheck]:
    """The canonical checks that fail once ``broken`` replaces its question in the bank."""
    track = next(t for t in kb.pack.tracks if broken.id in {q.id for q in kb.track_questions(t)})
    questions = tuple(broken if q.id == broken.id else q for q in kb.questions[track])
    checks = check_canonical_answers(evolve(kb, questions={**kb.questions, track: questions}))
    return [c for c in checks if not c.passed]


def test_a_model_answer_that_states_none_of_its_key_points_fails_the_canonical_check() -> None:
    kb = knowledge_base()
    question = kb.question("be-conc-01")
    elsewhere = kb.question("fe-css-01")  # another track's points: the answer states none of them
    failed = _canonical_check_failures(kb, evolve(question, key_points=elsewhere.key_points))
    assert [c.item for c in failed] == ["questions/backend.json: be-conc-01"]
    assert "under 3.5" in failed[0].detail


def test_a_model_answer_that_leaves_one_key_point_unstated_fails_naming_it() -> None:
    kb = knowledge_base()
    question = kb.question("mo-net-01")
    timeouts = question.key_points[0]
    assert "timeout" in timeouts.point
    # The model answer without its sentence on timeouts still scores well on the other four points.
    said = [s for s in question.canonical.split(". ") if "timeout" not in s]
    failed = _canonical_check_failures(kb, evolve(question, canonical=". ".join(said)))
    assert [c.item for c in failed] == ["questions/mobile.json: mo-net-01"]
    assert failed[0].detail == f'key point "{timeouts.point}" not credited'


def test_a_key_point_the_model_answer_does_not_state_fails_naming_it() -> None:
    kb = knowledge_base()
    question = kb.question("be-conc-01")
    foreign = kb.question("fe-css-01").key_points[0]  # a layout point that no locking answer states
    failed = _canonical_check_failures(kb, evolve(question, key_points=(*question.key_points, foreign)))
    assert [c.item for c in failed] == ["questions/backend.json: be-conc-01"]
    assert failed[0].detail == f'key point "{foreign.point}" not credited'

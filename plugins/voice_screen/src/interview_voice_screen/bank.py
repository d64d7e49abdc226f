"""The knowledge base: question banks and fact sheets per track, versioned as one content pack.

Files (package data under ``content/``)::

    pack.toml                 name, version, tracks, interviewer budget, security red flags
    questions/<track>.json    {"track", "questions": [Question, ...]}
    fact_sheets/<track>.toml  [[sheets]] topic, title, reviewed (ISO date), sources, body (250-600 words)
    rubric/<difficulty>.toml  the RubricSpec of that difficulty

Loading validates every file: a structural error names the file and the field
(``ContentError``), and :func:`check_knowledge_base` runs the content rules
that ``interview content validate`` reports.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from attrs import evolve, field, frozen

from interview_engine import ContentCheck, PackInfo, RubricSpec, read_data_file, structure_content
from interview_engine.converter import make_engine_converter
from interview_engine.errors import ContentError
from interview_engine.rubric import rubric_from_data

__all__ = [
    "MODULE_NAME",
    "FactSheet",
    "KeyPoint",
    "KnowledgeBase",
    "Misconception",
    "Question",
    "check_knowledge_base",
    "content_root",
    "knowledge_base",
    "load_knowledge_base",
]

MODULE_NAME = "voice_screen"
LEVELS = ("mid", "senior")
MIN_QUESTIONS_PER_TRACK = 60
MIN_TOPICS_PER_TRACK = 8
#: Questions per topic at each level, so that a screen at either level can rotate through every topic.
MIN_PER_TOPIC_AND_LEVEL = 2
SHEET_WORDS = (250, 600)
PRODUCT_WEIGHTS = {
    "correctness": 0.35,
    "depth": 0.25,
    "practicality": 0.20,
    "clarity": 0.15,
    "autonomy": 0.05,
}


def _nonempty(instance: object, attribute: Any, value: Any) -> None:
    if not value or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must not be empty")


@frozen
class KeyPoint:
    """What a good answer must contain, with the phrasings a local scorer accepts for it.

    ``nudges`` are probing questions that point at the key point without giving
    it away; the interviewer's first hint for a missing key point is one of them.
    ``wordings`` are whole sentences an expert might say for the point in their own
    words; the judging core reads them (with the phrases of two or more words) as
    other wordings of the point, by meaning, never word for word.
    """

    point: str = field(validator=_nonempty)
    phrases: tuple[str, ...] = field(validator=_nonempty)
    nudges: tuple[str, ...] = ()
    wordings: tuple[str, ...] = ()


@frozen
class Misconception:
    """A common wrong claim, with phrasings that reveal it.

    ``wordings`` are other statements of the same false claim, as a candidate who believes it
    would say it; the judging core reads a sentence close to any of them as asserting the claim.
    """

    claim: str = field(validator=_nonempty)
    phrases: tuple[str, ...] = field(validator=_nonempty)
    wordings: tuple[str, ...] = ()


@frozen
class Question:
    id: str = field(validator=_nonempty)
    topic: str = field(validator=_nonempty)
    difficulty: str
    prompt: str = field(validator=_nonempty)
    canonical: str = field(validator=_nonempty)
    key_points: tuple[KeyPoint, ...] = field(validator=_nonempty)
    misconceptions: tuple[Misconception, ...] = ()
    follow_ups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    nudges: tuple[str, ...] = ()  # probing questions for the first hint when no key point has its own

    def __attrs_post_init__(self) -> None:
        if self.difficulty not in LEVELS:
            raise ValueError(f"Question.difficulty must be one of {', '.join(LEVELS)}, got {self.difficulty!r}")


@frozen
class QuestionFile:
    track: str
    questions: tuple[Question, ...]


@frozen
class FactSheet:
    """What hints and the voice agent's knowledge base draw on for one topic.

    Attributes:
        reviewed: when the facts were last checked against their sources (ISO date).
        sources: the references the facts were checked against, by name.
    """

    topic: str = field(validator=_nonempty)
    title: str = field(validator=_nonempty)
    body: str = field(validator=_nonempty)
    reviewed: str = ""
    sources: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return len(self.body.split())


@frozen
class SheetFile:
    sheets: tuple[FactSheet, ...]


@frozen
class SpokenBudget:
    mid: int
    senior: int


@frozen
class Budget:
    mid: int
    senior: int
    time_limit_s: int = 1800
    voice: SpokenBudget | None = None


@frozen
class PackFile:
    name: str
    version: str
    tracks: tuple[str, ...]
    budget: Budget
    security_red_flags: tuple[str, ...] = ()


@frozen
class KnowledgeBase:
    """Everything the phone screen knows, for every track."""

    pack: PackFile
    questions: dict[str, tuple[Question, ...]]
    sheets: dict[str, dict[str, FactSheet]]
    rubrics: dict[str, RubricSpec]
    voice_rubrics: dict[str, RubricSpec] = field(factory=dict)

    @property
    def info(self) -> PackInfo:
        return PackInfo(MODULE_NAME, self.pack.name, self.pack.version)

    def track_questions(self, track: str) -> tuple[Question, ...]:
        return self.questions.get(track, ())

    def question(self, question_id: str) -> Question:
        for questions in self.questions.values():
            for question in questions:
                if question.id == question_id:
                    return question
        raise KeyError(question_id)

    def sheet(self, track: str, topic: str) -> FactSheet | None:
        return self.sheets.get(track, {}).get(topic)

    def topics(self, track: str) -> list[str]:
        return sorted({q.topic for q in self.track_questions(track)})

    def budget(self, difficulty: str, mode: str = "offline") -> int:
        """How many main questions a screen asks at most; a spoken one has its own budget."""
        budget: Any = self.pack.budget
        if mode == "voice" and budget.voice is not None:
            budget = budget.voice
        return int(getattr(budget, difficulty))

    def rubric(self, difficulty: str, mode: str = "offline") -> RubricSpec:
        """The difficulty's spec; a spoken screen's differs only in the pass rules ``rubric/voice.toml`` sets."""
        if mode == "voice" and difficulty in self.voice_rubrics:
            return self.voice_rubrics[difficulty]
        return self.rubrics[difficulty]

    def snapshot_data(self, track: str) -> dict[str, Any]:
        """The track's questions and fact sheets as stored in a ``question_sets`` snapshot."""
        from interview_engine import unstructure

        return {
            "track": track,
            "questions": [unstructure(q) for q in self.track_questions(track)],
            "factSheets": [unstructure(s) for s in self.sheets.get(track, {}).values()],
        }


def _converter() -> Any:
    return make_engine_converter()


def _spoken_rubrics(rubrics: dict[str, RubricSpec], data: Any, source: str) -> dict[str, RubricSpec]:
    """Each level's spec with the pass-rule values ``rubric/voice.toml`` replaces (``[<level>.<rule id>]``)."""
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        raise ContentError(f"{source}: $.version: required string")
    spoken = {}
    for level, spec in rubrics.items():
        changes = data.get(level) or {}
        if not isinstance(changes, dict):
            raise ContentError(f"{source}: $.{level}: expected a table of pass rules")
        known = {rule.id for rule in spec.pass_rules}
        for rule_id, change in changes.items():
            if rule_id not in known:
                raise ContentError(f"{source}: $.{level}.{rule_id}: rubric/{level}.toml has no such pass rule")
            if (
                not isinstance(change, dict)
                or isinstance(change.get("value"), bool)
                or not isinstance(change.get("value"), int | float)
            ):
                raise ContentError(f"{source}: $.{level}.{rule_id}.value: required number")
        rules = tuple(
            evolve(
                rule,
                value=float(changes[rule.id]["value"]),
                description=str(changes[rule.id].get("description") or ""),
            )
            if rule.id in changes
            else rule
            for rule in spec.pass_rules
        )
        spoken[level] = evolve(
            spec, name=f"{spec.name}/voice", version=f"{spec.version}+voice.{data['version']}", pass_rules=rules
        )
    return spoken


def content_root() -> Traversable:
    return files("interview_voice_screen") / "content"


def load_knowledge_base(root: Traversable | None = None) -> KnowledgeBase:
    """Read and validate the pack; any broken rule raises ``ContentError`` naming file and field."""
    base = root or content_root()
    conv = _converter()
    pack_path = base / "pack.toml"
    pack = structure_content(read_data_file(pack_path), PackFile, source=str(pack_path), conv=conv)
    questions: dict[str, tuple[Question, ...]] = {}
    sheets: dict[str, dict[str, FactSheet]] = {}
    for track in pack.tracks:
        path = base / "questions" / f"{track}.json"
        loaded = structure_content(read_data_file(path), QuestionFile, source=str(path), conv=conv)
        if loaded.track != track:
            raise ContentError(f"{path}: $.track: expected {track!r}, got {loaded.track!r}")
        questions[track] = loaded.questions
        sheet_path = base / "fact_sheets" / f"{track}.toml"
        sheet_file = structure_content(read_data_file(sheet_path), SheetFile, source=str(sheet_path), conv=conv)
        by_topic: dict[str, FactSheet] = {}
        for index, sheet in enumerate(sheet_file.sheets):
            if sheet.topic in by_topic:
                raise ContentError(f"{sheet_path}: $.sheets[{index}].topic: duplicate topic {sheet.topic!r}")
            by_topic[sheet.topic] = sheet
        sheets[track] = by_topic
    rubrics = {}
    for level in LEVELS:
        path = base / "rubric" / f"{level}.toml"
        rubrics[level] = rubric_from_data(read_data_file(path), source=str(path))
    voice_path = base / "rubric" / "voice.toml"
    voice_rubrics = (
        _spoken_rubrics(rubrics, read_data_file(voice_path), str(voice_path)) if voice_path.is_file() else {}
    )
    kb = KnowledgeBase(pack=pack, questions=questions, sheets=sheets, rubrics=rubrics, voice_rubrics=voice_rubrics)
    failed = [check for check in check_knowledge_base(kb) if not check.passed]
    if failed:
        first = failed[0]
        raise ContentError(f"{first.item or 'content'}: {first.check}: {first.detail}")
    return kb


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """The bundled pack, loaded once per process."""
    return load_knowledge_base()


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check(check: str, passed: bool, detail: str = "", item: str = "") -> ContentCheck:
    return ContentCheck(module=MODULE_NAME, check=check, passed=passed, detail=detail, item=item)


def check_knowledge_base(kb: KnowledgeBase) -> list[ContentCheck]:
    """Every content rule of the phone screen, passed or not."""
    checks: list[ContentCheck] = []
    ids = Counter(q.id for questions in kb.questions.values() for q in questions)
    duplicates = sorted(qid for qid, count in ids.items() if count > 1)
    checks.append(_check("unique question ids", not duplicates, ", ".join(duplicates), "questions"))
    for track in kb.pack.tracks:
        questions = kb.track_questions(track)
        source = f"questions/{track}.json"
        topics = Counter(q.topic for q in questions)
        levels = Counter(q.difficulty for q in questions)
        checks.append(
            _check(
                f"{track}: at least {MIN_QUESTIONS_PER_TRACK} questions",
                len(questions) >= MIN_QUESTIONS_PER_TRACK,
                f"{len(questions)} questions",
                source,
            )
        )
        checks.append(
            _check(
                f"{track}: at least {MIN_TOPICS_PER_TRACK} topics",
                len(topics) >= MIN_TOPICS_PER_TRACK,
                f"{len(topics)} topics",
                source,
            )
        )
        checks.append(
            _check(
                f"{track}: mid and senior questions",
                all(levels[level] > 0 for level in LEVELS),
                ", ".join(f"{level}={levels[level]}" for level in LEVELS),
                source,
            )
        )
        for question in questions:
            where = f"{source}: {question.id}"
            sheet = kb.sheet(track, question.topic)
            checks.append(_check("topic has a fact sheet", sheet is not None, f"topic {question.topic!r}", where))
            problems = _question_problems(question)
            checks.append(_check("question is complete", not problems, "; ".join(problems), where))
        cells = Counter((q.topic, q.difficulty) for q in questions)
        thin = [
            f"{topic}/{level}={cells[topic, level]}"
            for topic in sorted(topics)
            for level in LEVELS
            if cells[topic, level] < MIN_PER_TOPIC_AND_LEVEL
        ]
        checks.append(
            _check(
                f"{track}: at least {MIN_PER_TOPIC_AND_LEVEL} questions per topic at each level",
                not thin,
                ", ".join(thin) or f"{len(topics)} topics x {len(LEVELS)} levels",
                source,
            )
        )
        for topic, sheet in sorted(kb.sheets.get(track, {}).items()):
            low, high = SHEET_WORDS
            checks.append(
                _check(
                    f"fact sheet has {low}-{high} words",
                    low <= sheet.words <= high,
                    f"{sheet.words} words",
                    f"fact_sheets/{track}.toml: {topic}",
                )
            )
            checks.append(
                _check(
                    "fact sheet names its review date and sources",
                    _is_date(sheet.reviewed) and bool(sheet.sources) and all(s.strip() for s in sheet.sources),
                    f"reviewed {sheet.reviewed or 'never'}, {len(sheet.sources)} sources",
                    f"fact_sheets/{track}.toml: {topic}",
                )
            )
    specs = [(level, spec, "offline") for level, spec in kb.rubrics.items()]
    specs += [(level, spec, "voice") for level, spec in kb.voice_rubrics.items()]
    for level, spec, mode in specs:
        weights = {d.name: d.weight for d in spec.dimensions}
        checks.append(
            _check(
                "rubric weights match the product spec",
                weights == PRODUCT_WEIGHTS,
                str(weights),
                f"rubric/{level}.toml",
            )
        )
        needed = max((r.value for r in spec.pass_rules if r.metric == "questionsAttempted"), default=0)
        budget = kb.budget(level, mode)
        checks.append(
            _check(
                "interviewer budget reaches the attempts rule",
                budget >= needed,
                f"budget {budget}, rule {needed:g}",
                f"pack.toml: budget.{'voice.' if mode == 'voice' else ''}{level}",
            )
        )
    return checks


def _question_problems(question: Question) -> list[str]:
    problems = []
    if len(question.canonical.split()) < 30:
        problems.append("canonical answer shorter than 30 words")
    if len(question.key_points) < 3:
        problems.append("fewer than 3 key points")
    if not question.misconceptions:
        problems.append("no common misconception")
    if not question.follow_ups:
        problems.append("no follow-up")
    if not question.tags:
        problems.append("no tags")
    for point in question.key_points:
        if any(not phrase.strip() for phrase in point.phrases):
            problems.append(f"empty phrase in key point {point.point!r}")
        if any(not wording.strip() for wording in point.wordings):
            problems.append(f"empty wording in key point {point.point!r}")
    for nudge in [*question.nudges, *(n for point in question.key_points for n in point.nudges)]:
        if not nudge.rstrip().endswith("?"):
            problems.append(f"nudge is not a question: {nudge!r}")
        quoted = quoted_phrasings(question, nudge)
        if quoted:
            problems.append(f"nudge {nudge!r} quotes accepted phrasings {quoted}")
    return problems


def quoted_phrasings(question: Question, text: str) -> list[str]:
    """The accepted phrasings of ``question`` that ``text`` contains word for word."""
    lowered = " ".join(text.lower().split())
    return [
        phrase
        for point in question.key_points
        for phrase in point.phrases
        if re.search(rf"(?<![\w-]){re.escape(phrase.lower())}(?![\w-])", lowered)
    ]

"""Interview-practice engine: sessions, plugins, rubrics, content packs and storage.

The public API for teams that embed the engine; see ``examples/embed.py``.

Names are imported on first use (PEP 562): ``from interview_engine.commands import current`` or
``from interview_engine import hookimpl`` must not pull in SQLAlchemy, the plugins or the sandbox,
so that ``interview --help`` starts in a fraction of the time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interview_engine.actions import Action, Caller, Cap, Cost, Routes, StartRoute
    from interview_engine.content import ContentCheck, PackInfo, load_content, read_data_file, structure_content
    from interview_engine.converter import converter, dumps, structure, unstructure
    from interview_engine.domain import (
        ContentSnapshot,
        Decision,
        Difficulty,
        Evaluation,
        Evidence,
        HistoryRow,
        Session,
        SessionStatus,
        Submission,
        TestRun,
        TopicScore,
        Track,
        TranscriptSegment,
        User,
        new_id,
        utcnow,
    )
    from interview_engine.engine import Engine, SessionSummary
    from interview_engine.errors import (
        ClientError,
        Conflict,
        ContentError,
        EngineError,
        Forbidden,
        InternalError,
        InvalidInput,
        LimitExceeded,
        NotFound,
        NotGraded,
        PluginError,
        SandboxBusy,
        StorageError,
        Unauthenticated,
        Unavailable,
    )
    from interview_engine.hookspecs import hookimpl, hookspec
    from interview_engine.module import ActionResult, InterviewModule, Item, ModuleContext
    from interview_engine.pages import ModulePages
    from interview_engine.plugins import LoadedPlugin, make_plugin_manager
    from interview_engine.progress import ItemProgress
    from interview_engine.records import RecordKind
    from interview_engine.rubric import (
        Dimension,
        Disqualifier,
        RubricResult,
        RubricSpec,
        Rule,
        rubric_from_data,
        score_rubric,
    )
    from interview_engine.runner import (
        CallCase,
        CaseOutcome,
        CaseStatus,
        CodeRunner,
        GrowthPoint,
        GrowthReport,
        Limits,
        RunResult,
        RunStatus,
    )
    from interview_engine.scoring import AnswerScore, AnswerScoringRequest
    from interview_engine.storage import Store
    from interview_engine.study import StudyResource

_WHERE = {
    "Action": "interview_engine.actions",
    "ActionResult": "interview_engine.module",
    "Caller": "interview_engine.actions",
    "Cap": "interview_engine.actions",
    "Routes": "interview_engine.actions",
    "StartRoute": "interview_engine.actions",
    "Cost": "interview_engine.actions",
    "AnswerScore": "interview_engine.scoring",
    "AnswerScoringRequest": "interview_engine.scoring",
    "CallCase": "interview_engine.runner",
    "CaseOutcome": "interview_engine.runner",
    "CaseStatus": "interview_engine.runner",
    "ClientError": "interview_engine.errors",
    "CodeRunner": "interview_engine.runner",
    "Conflict": "interview_engine.errors",
    "ContentCheck": "interview_engine.content",
    "ContentError": "interview_engine.errors",
    "ContentSnapshot": "interview_engine.domain",
    "Decision": "interview_engine.domain",
    "Difficulty": "interview_engine.domain",
    "Dimension": "interview_engine.rubric",
    "Disqualifier": "interview_engine.rubric",
    "Engine": "interview_engine.engine",
    "EngineError": "interview_engine.errors",
    "Evaluation": "interview_engine.domain",
    "Evidence": "interview_engine.domain",
    "Forbidden": "interview_engine.errors",
    "GrowthPoint": "interview_engine.runner",
    "GrowthReport": "interview_engine.runner",
    "HistoryRow": "interview_engine.domain",
    "InternalError": "interview_engine.errors",
    "InterviewModule": "interview_engine.module",
    "InvalidInput": "interview_engine.errors",
    "Item": "interview_engine.module",
    "ItemProgress": "interview_engine.progress",
    "LimitExceeded": "interview_engine.errors",
    "Limits": "interview_engine.runner",
    "LoadedPlugin": "interview_engine.plugins",
    "ModuleContext": "interview_engine.module",
    "NotFound": "interview_engine.errors",
    "NotGraded": "interview_engine.errors",
    "PackInfo": "interview_engine.content",
    "PluginError": "interview_engine.errors",
    "SandboxBusy": "interview_engine.errors",
    "RubricResult": "interview_engine.rubric",
    "RubricSpec": "interview_engine.rubric",
    "Rule": "interview_engine.rubric",
    "RunResult": "interview_engine.runner",
    "RunStatus": "interview_engine.runner",
    "Session": "interview_engine.domain",
    "SessionStatus": "interview_engine.domain",
    "SessionSummary": "interview_engine.engine",
    "StorageError": "interview_engine.errors",
    "Store": "interview_engine.storage",
    "StudyResource": "interview_engine.study",
    "ModulePages": "interview_engine.pages",
    "RecordKind": "interview_engine.records",
    "Submission": "interview_engine.domain",
    "TestRun": "interview_engine.domain",
    "TopicScore": "interview_engine.domain",
    "Track": "interview_engine.domain",
    "TranscriptSegment": "interview_engine.domain",
    "Unauthenticated": "interview_engine.errors",
    "Unavailable": "interview_engine.errors",
    "User": "interview_engine.domain",
    "converter": "interview_engine.converter",
    "dumps": "interview_engine.converter",
    "hookimpl": "interview_engine.hookspecs",
    "hookspec": "interview_engine.hookspecs",
    "load_content": "interview_engine.content",
    "make_plugin_manager": "interview_engine.plugins",
    "new_id": "interview_engine.domain",
    "read_data_file": "interview_engine.content",
    "rubric_from_data": "interview_engine.rubric",
    "score_rubric": "interview_engine.rubric",
    "structure": "interview_engine.converter",
    "structure_content": "interview_engine.content",
    "unstructure": "interview_engine.converter",
    "utcnow": "interview_engine.domain",
}

__all__ = [
    "Action",
    "ActionResult",
    "AnswerScore",
    "AnswerScoringRequest",
    "CallCase",
    "Caller",
    "Cap",
    "CaseOutcome",
    "CaseStatus",
    "ClientError",
    "CodeRunner",
    "Conflict",
    "ContentCheck",
    "ContentError",
    "ContentSnapshot",
    "Cost",
    "Decision",
    "Difficulty",
    "Dimension",
    "Disqualifier",
    "Engine",
    "EngineError",
    "Evaluation",
    "Evidence",
    "Forbidden",
    "GrowthPoint",
    "GrowthReport",
    "HistoryRow",
    "InternalError",
    "InterviewModule",
    "InvalidInput",
    "Item",
    "ItemProgress",
    "LimitExceeded",
    "Limits",
    "LoadedPlugin",
    "ModuleContext",
    "ModulePages",
    "NotFound",
    "NotGraded",
    "PackInfo",
    "PluginError",
    "RecordKind",
    "Routes",
    "RubricResult",
    "RubricSpec",
    "Rule",
    "RunResult",
    "RunStatus",
    "SandboxBusy",
    "Session",
    "SessionStatus",
    "SessionSummary",
    "StartRoute",
    "StorageError",
    "Store",
    "StudyResource",
    "Submission",
    "TestRun",
    "TopicScore",
    "Track",
    "TranscriptSegment",
    "Unauthenticated",
    "Unavailable",
    "User",
    "converter",
    "dumps",
    "hookimpl",
    "hookspec",
    "load_content",
    "make_plugin_manager",
    "new_id",
    "read_data_file",
    "rubric_from_data",
    "score_rubric",
    "structure",
    "structure_content",
    "unstructure",
    "utcnow",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'interview_engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

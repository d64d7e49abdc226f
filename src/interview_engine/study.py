"""Study resources: what a study plan recommends for a weak topic."""

from __future__ import annotations

from attrs import frozen

__all__ = ["StudyResource"]


@frozen
class StudyResource:
    """One thing to study or practise, and why it is in the plan.

    Attributes:
        kind: ``fact_sheet``, ``reference`` or ``practice``.
        module: for practice items, the module that runs them.
        item_id: for practice items, the question, problem or scenario id.
        difficulty: for practice items, used to order them.
        url: a link for references, or a path in the app for practice.
    """

    topic: str
    kind: str
    title: str
    why: str
    module: str = ""
    item_id: str = ""
    difficulty: str = ""
    url: str = ""
    body: str = ""

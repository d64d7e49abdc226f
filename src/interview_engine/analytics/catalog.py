"""What a study plan can recommend for one topic, pinned to the content packs it came from.

A :class:`TopicCatalog` holds, for one track and one topic, the practice items
of that topic in every installed module's pack (from ``InterviewModule.items``)
and the resources plugins answer through the ``study_resources`` hook (fact
sheets, references, practice).  It is a pure function of the installed packs,
whose kb versions it records.

Every catalog a plan uses is kept as a content snapshot (kind
:data:`CATALOG_SNAPSHOT_KIND`, key ``study-catalog:<track>:<topic>``, version
:func:`kb_key` of the packs' versions), so a plan can be rebuilt exactly after
a pack has changed: :func:`topic_catalog` with the old ``kb_versions`` reads
the snapshot instead of the installed packs.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from attrs import evolve, field, frozen

from interview_engine._convert import as_tuple
from interview_engine.converter import converter
from interview_engine.domain import ContentSnapshot, Track
from interview_engine.errors import Conflict
from interview_engine.module import Item
from interview_engine.study import StudyResource

if TYPE_CHECKING:  # annotations only: analytics must not import storage (SQLAlchemy) on its own
    from interview_engine.engine import Engine
    from interview_engine.storage import Store

__all__ = [
    "CATALOG_SNAPSHOT_KIND",
    "TopicCatalog",
    "installed_kb_versions",
    "kb_key",
    "topic_catalog",
    "track_items",
]

#: The snapshot table plan catalogs are kept in.
CATALOG_SNAPSHOT_KIND = "study_catalogs"

_SAVED: weakref.WeakKeyDictionary[Store, set[tuple[str, str]]] = weakref.WeakKeyDictionary()


@frozen
class TopicCatalog:
    """Every resource the installed packs offer for ``topic`` on ``track``."""

    topic: str
    track: str
    kb_versions: dict[str, str]
    resources: tuple[StudyResource, ...] = field(converter=as_tuple, default=())


def installed_kb_versions(engine: Engine) -> dict[str, str]:
    """Module name to the kb version of its installed content pack."""
    return {name: engine.modules[name].pack_info().kb_version for name in sorted(engine.modules)}


def kb_key(kb_versions: Mapping[str, str]) -> str:
    """A short, stable name for a set of pack versions (snapshot versions are at most 100 characters)."""
    canonical = json.dumps(dict(sorted(kb_versions.items())), separators=(",", ":"))
    return "kb-" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _snapshot_key(track: str, topic: str) -> str:
    key = f"study-catalog:{track}:{topic}"
    if len(key) <= 100:
        return key
    return f"study-catalog:{track}:#" + hashlib.sha256(topic.encode()).hexdigest()[:40]


def track_items(engine: Engine, track: str) -> list[Item]:
    """Every item of every installed module on ``track``, by module and id."""
    items: list[Item] = []
    for name in sorted(engine.modules):
        items.extend(engine.modules[name].items(Track(track), None))
    return sorted(items, key=lambda item: (item.module, item.id))


def _practice(item: Item, topic: str, titles: Mapping[str, str]) -> StudyResource:
    title = titles.get(item.module, item.module)
    return StudyResource(
        topic=topic,
        kind="practice",
        title=item.title,
        why=f"a {item.difficulty.value} {title.lower()} item on {topic}",
        module=item.module,
        item_id=item.id,
        difficulty=item.difficulty.value,
    )


def _identity(resource: StudyResource) -> tuple[str, ...]:
    if resource.kind == "practice":
        return ("practice", resource.module, resource.item_id)
    return (resource.kind, resource.title, resource.url)


def _live_catalog(engine: Engine, track: str, topic: str, items: Sequence[Item]) -> TopicCatalog:
    titles = {name: module.title for name, module in engine.modules.items()}
    found: list[StudyResource] = []
    for answered in engine.hooks.study_resources(topic=topic, track=track):
        found.extend(evolve(resource, topic=topic) for resource in answered or ())
    found.extend(_practice(item, topic, titles) for item in items if topic in item.topics)
    unique: dict[tuple[str, ...], StudyResource] = {}
    for resource in found:
        unique.setdefault(_identity(resource), resource)  # a plugin's own entry wins over the bare item
    return TopicCatalog(topic=topic, track=track, kb_versions=installed_kb_versions(engine), resources=unique.values())


def _keep(store: Store, catalog: TopicCatalog) -> None:
    key, version = _snapshot_key(catalog.track, catalog.topic), kb_key(catalog.kb_versions)
    saved = _SAVED.setdefault(store, set())
    if (key, version) in saved:
        return
    snapshot = ContentSnapshot(CATALOG_SNAPSHOT_KIND, key, version, converter.unstructure(catalog))
    try:
        store.save_snapshot(snapshot)
    except Exception:
        # Another process may have kept the same catalog a moment before: that is as good.
        if store.get_snapshot(CATALOG_SNAPSHOT_KIND, key, version) is None:
            raise
    saved.add((key, version))


def topic_catalog(
    engine: Engine,
    track: str,
    topic: str,
    *,
    kb_versions: Mapping[str, str] | None = None,
    items: Sequence[Item] | None = None,
) -> TopicCatalog:
    """The catalog of ``topic`` on ``track``, from the installed packs or from ``kb_versions``'s snapshot.

    Args:
        kb_versions: the pack versions to use; ``None`` or the installed ones build from the installed
            packs (and keep a snapshot), others read the snapshot kept when a plan used them.
        items: :func:`track_items` when the caller already has them.

    Raises:
        Conflict: ``kb_versions`` are not installed and no plan on those packs covered ``topic``.
    """
    installed = installed_kb_versions(engine)
    if kb_versions is None or dict(kb_versions) == installed:
        live = _live_catalog(engine, track, topic, items if items is not None else track_items(engine, track))
        _keep(engine.store, live)
        return live
    found = engine.store.get_snapshot(CATALOG_SNAPSHOT_KIND, _snapshot_key(track, topic), kb_key(kb_versions))
    if found is None:
        wanted = ", ".join(f"{m} {v}" for m, v in sorted(kb_versions.items()))
        raise Conflict(
            f"no plan was built for topic {topic!r} on {track} from the packs {wanted}; "
            "a plan can be rebuilt only from the pack versions it was built from",
            field="kb_versions",
        )
    catalog: TopicCatalog = converter.structure(found.data, TopicCatalog)
    return catalog

"""The installed interview modules and what sessions can be about."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, get
from litestar.params import FromQuery

from interview_web.api.mapping import item_out
from interview_web.api.responses import ERRORS
from interview_web.api.schemas import ItemOut, ModuleOut
from interview_web.deps import EngineDep, PathName


class ModuleController(Controller):
    path = "/api/modules"
    tags = ["modules"]

    @get("/", operation_id="listModules", responses=ERRORS, sync_to_thread=False)
    def list_modules(self, engine: EngineDep) -> list[ModuleOut]:
        return [
            ModuleOut(
                name=m.name,
                title=m.title,
                description=m.description,
                actions=[a.name for a in engine.actions(m.name)],
                kbVersion=m.pack_info().kb_version,
            )
            for m in engine.modules.values()
        ]

    @get("/{module:str}/items", operation_id="listItems", responses=ERRORS, sync_to_thread=False)
    def list_items(
        self,
        engine: EngineDep,
        module: PathName,
        track: FromQuery[Literal["backend", "frontend", "mobile"] | None] = None,
        difficulty: FromQuery[Literal["mid", "senior"] | None] = None,
    ) -> list[ItemOut]:
        """Questions, problems or scenarios of a module, filtered by track and difficulty."""
        return [item_out(item) for item in engine.items(module, track, difficulty)]

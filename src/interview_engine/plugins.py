"""Build plugin managers: bundled and third-party plugins load the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pluggy

from interview_engine import hookspecs
from interview_engine.errors import PluginError

__all__ = ["LoadedPlugin", "loaded_plugins", "make_plugin_manager", "modules_by_plugin"]


def make_plugin_manager(
    *, load_entry_points: bool = True, plugins: Iterable[object] = (), blocked: Iterable[str] = ()
) -> pluggy.PluginManager:
    """Return a fresh plugin manager.

    Args:
        load_entry_points: load every plugin of the ``interview_engine`` entry-point group.
        plugins: extra plugin objects (modules, classes or instances) to register.
        blocked: entry-point names not to load.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in blocked:
        pm.set_blocked(name)
    if load_entry_points:
        try:
            pm.load_setuptools_entrypoints(hookspecs.PROJECT)
        except Exception as exc:  # an import error inside a third-party plugin
            raise PluginError(f"a plugin failed to load: {exc}") from exc
    for plugin in plugins:
        label = getattr(plugin, "__name__", None) or type(plugin).__name__
        pm.register(plugin, name=label if pm.get_plugin(label) is None else None)
    pm.check_pending()
    return pm


@attrs.frozen
class LoadedPlugin:
    """A plugin as ``interview plugins`` shows it."""

    name: str
    distribution: str | None
    version: str | None
    modules: tuple[str, ...]


def modules_by_plugin(pm: pluggy.PluginManager) -> list[tuple[object, list[Any]]]:
    """Call each plugin's ``register_modules`` once: (plugin, the modules it registers), in call order."""
    found: list[tuple[object, list[Any]]] = []
    for impl in reversed(pm.hook.register_modules.get_hookimpls()):
        registered: Any = impl.function()
        found.append((impl.plugin, list(registered)))
    return found


def loaded_plugins(
    pm: pluggy.PluginManager, registered: list[tuple[object, list[Any]]] | None = None
) -> list[LoadedPlugin]:
    """Describe every registered plugin with the modules it registers.

    Args:
        registered: what :func:`modules_by_plugin` returned, when the caller already has it (an engine
            does), so that modules are not built again just to be named.
    """
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    by_plugin: dict[int, list[str]] = {}
    for plugin, modules in registered if registered is not None else modules_by_plugin(pm):
        by_plugin.setdefault(id(plugin), []).extend(module.name for module in modules)
    result = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        modules_named = by_plugin.get(id(plugin), [])
        dist = dists.get(id(plugin))
        result.append(
            LoadedPlugin(
                name=name,
                distribution=dist.metadata["name"] if dist is not None else None,
                version=dist.version if dist is not None else None,
                modules=tuple(modules_named),
            )
        )
    return sorted(result, key=lambda p: p.name)

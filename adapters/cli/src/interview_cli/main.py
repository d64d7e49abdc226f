"""The ``interview`` command: a thin shell on the engine.

Plugins add sub-commands through the ``cli_commands`` hook.  Every engine
error becomes one line on stderr and a non-zero exit code; never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from interview_cli import core_commands
from interview_cli.output import fail
from interview_engine import EngineError
from interview_engine.commands import CommandContext
from interview_engine.plugins import make_plugin_manager


class InterviewGroup(click.Group):
    """A group that also lists the commands plugins contribute, and maps engine errors at the edge."""

    _plugin_commands: dict[str, click.Command] | None = None

    def _load_plugin_commands(self) -> dict[str, click.Command]:
        if self._plugin_commands is None:
            found: dict[str, click.Command] = {}
            try:
                pm = make_plugin_manager()
            except EngineError as exc:
                fail(str(exc), exc.exit_code)
            for contributed in pm.hook.cli_commands():
                for command in contributed:
                    if command.name and command.name not in self.commands:
                        found[command.name] = command
            self._plugin_commands = found
        return self._plugin_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self._load_plugin_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands.get(cmd_name) or self._load_plugin_commands().get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EngineError as exc:
            fail(str(exc), exc.exit_code)
        except ValueError as exc:  # a validator of a domain class named the field
            fail(str(exc), 2)


@click.group(cls=InterviewGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar="INTERVIEW_DATABASE_URL",
    default=None,
    help="Database URL (default: a SQLite file in your user data dir).",
)
@click.option("--user", "user_email", envvar="INTERVIEW_USER", default=None, help="Who is practising.")
@click.version_option(package_name="interview-cli")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, user_email: str | None) -> None:
    """Practise software-engineering interviews: phone screen, live coding, debugging."""
    state = CommandContext(database_url=database_url, user_email=user_email)
    ctx.obj = state
    ctx.call_on_close(state.close)


core_commands.register(cli)


def main() -> None:
    try:
        cli(prog_name="interview")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)

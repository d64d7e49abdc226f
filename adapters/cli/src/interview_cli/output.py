"""Printing for the CLI: JSON for machines, Rich for people, one line for errors."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from rich.console import Console

from interview_engine import unstructure

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr, then exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(code)


def emit_json(data: Any) -> None:
    """Print attrs objects or plain data as JSON on stdout."""
    sys.stdout.write(json.dumps(unstructure(data), indent=2, ensure_ascii=False) + "\n")

"""``python -m interview_sandbox fetch|doctor|run`` (the same group the ``interview`` CLI mounts)."""

from interview_sandbox.cli import sandbox

sandbox(prog_name="python -m interview_sandbox")

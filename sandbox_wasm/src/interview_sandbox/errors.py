"""Errors of the sandbox's own infrastructure (never the candidate's)."""


class SandboxError(Exception):
    """Base of the sandbox's own errors."""


class RuntimeUnavailable(SandboxError):
    """The guest runtime cannot be fetched, verified or loaded."""

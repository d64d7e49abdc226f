"""The `interview` command."""

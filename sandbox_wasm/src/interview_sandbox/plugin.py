"""Entry-point plugin."""

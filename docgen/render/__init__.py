"""Render templates into document bytes. Nothing here writes files."""

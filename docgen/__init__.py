"""docgen: teacher-training paperwork from structured data."""

# The one version number: pyproject.toml reads it (dynamic = ["version"]); CHANGELOG.md has its entry.
__version__ = "0.2.0"

"""docgen: teacher-training paperwork from structured data."""

__version__ = "0.1.0"

"""Pydantic models of the data: no I/O here."""

"""Errors that fail a cycle because of its input; each message names the file and what to fix."""


class ExportError(Exception):
    """A blocking problem with an export file: missing, unreadable, empty, or missing a column."""

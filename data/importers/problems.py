"""The one kind of error a file that cannot be imported gives: a plain-English sentence, never a traceback."""

from __future__ import annotations


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message names the problem in plain English."""

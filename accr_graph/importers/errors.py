from __future__ import annotations


class DataFileError(Exception):
    """A data file cannot be imported; the message names the file, the row and the reason."""

"""The kit's own errors: every message is written for a coach, not a programmer."""


class KitError(Exception):
    """A problem a coach can act on. `str(error)` says what is wrong and how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DataError(KitError):
    """A data file or table cannot be used as it is."""

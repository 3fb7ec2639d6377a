"""The exceptions provgate raises."""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class ProvgateError(Exception):
    """Base class of provgate's errors. ``exit_code`` is the CLI's exit code for the same
    failure: 2 for invalid input, 3 for an operational failure."""

    exit_code: int = 3

    def __init__(self, message: str, diagnostics: Optional[List[str]] = None,
                 details: Optional[List[Dict[str, Any]]] = None) -> None:
        super().__init__(message)
        self.message = message
        #: The CLI's lines for the failure (``file:line:column: error: ...``), one per problem.
        self.diagnostics: List[str] = list(diagnostics or [])
        #: The same problems as dicts: severity, code, message, file, line, column, pointer, text.
        self.details: List[Dict[str, Any]] = list(details or [])

    def __str__(self) -> str:
        if not self.diagnostics:
            return self.message
        shown = self.diagnostics[:20]
        more = len(self.diagnostics) - len(shown)
        text = self.message + "\n" + "\n".join(shown)
        if more > 0:
            text += "\n... and %d more" % more
        return text


class InvalidInput(ProvgateError, ValueError):
    """The input is invalid: a manifest, rule pack, waivers file, option or argument that
    cannot be used as given (the CLI's exit code 2). ``diagnostics`` says where and why."""

    exit_code = 2


class OperationalError(ProvgateError, OSError):
    """The check could not run: a file could not be read or written, a key could not be used
    (the CLI's exit code 3)."""

    exit_code = 3

    def __init__(self, message: str, diagnostics: Optional[List[str]] = None,
                 details: Optional[List[Dict[str, Any]]] = None) -> None:
        ProvgateError.__init__(self, message, diagnostics, details)

    def __reduce__(self):  # OSError's own pickling would lose the diagnostics.
        return (type(self), (self.message, self.diagnostics, self.details))

    def __str__(self) -> str:
        return ProvgateError.__str__(self)


def _reduce(self):
    return (type(self), (self.message, self.diagnostics, self.details))


ProvgateError.__reduce__ = _reduce  # type: ignore[assignment]
InvalidInput.__reduce__ = _reduce  # type: ignore[assignment]

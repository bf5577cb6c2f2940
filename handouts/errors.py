"""The project's own error types.

Every problem a user can cause is raised as a HandoutsError and turned into
one line on standard error by the CLI: what is wrong, where, and how to fix it.
"""

from __future__ import annotations


class HandoutsError(Exception):
    """A problem the user can fix; never shown with a traceback."""

    exit_code = 1

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None):
        super().__init__(what)
        self.what = what
        self.where = where
        self.fix = fix

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text = f"{text.rstrip('.')}. {self.fix[0].upper()}{self.fix[1:]}"
        return text


class UsageProblem(HandoutsError):
    """The command line itself is wrong (exit code 2, like Click's own)."""

    exit_code = 2


class ProfileError(HandoutsError):
    """The clinic profile cannot be used."""


class ContentError(HandoutsError):
    """The bundled content or a template is broken (a bug in this project)."""


class RenderError(HandoutsError):
    """The PDF could not be produced safely."""


class OutputError(HandoutsError):
    """The PDF could not be written where asked."""

"""Where the project's own assets live, installed or in a source checkout.

The wheel places templates/ and locales/ inside the package (see
pyproject.toml); a source checkout keeps them at the top level. Everything
that reads an asset asks here, so the two layouts never drift apart.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def asset_dir(name: str) -> Path:
    """The folder holding one kind of asset: templates, locales, fonts or data."""
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    checkout = PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"handouts is missing its {name} folder; reinstall the package")


def asset_roots() -> tuple[Path, ...]:
    """Every folder the renderer may read from on the project's side."""
    return tuple(asset_dir(name) for name in ("templates", "fonts", "data"))

"""`handouts init`: write a commented starter clinic profile."""

from __future__ import annotations

from pathlib import Path

from handouts.errors import OutputError
from handouts.output import write_atomically
from handouts.resources import asset_dir

DEFAULT_PROFILE = "clinic.toml"


def run_init(path: Path, force: bool) -> Path:
    if path.is_dir():
        path = path / DEFAULT_PROFILE
    if path.exists() and not force:
        raise OutputError(
            "already exists", where=str(path), fix="choose another path, or add --force to replace it"
        )
    write_atomically(path, (asset_dir("data") / "starter-clinic.toml").read_bytes())
    return path

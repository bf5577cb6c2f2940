"""Each clinic's own folder in a batch that prints for several clinics.

The folder is the profile's path relative to the manifest, without `.toml`:
`clinics = ["north/clinic.toml", "south/clinic.toml"]` writes `north/clinic/`
and `south/clinic/`, and `riverside.toml` writes `riverside/`. It depends on
that one profile's path only, so adding a clinic never moves another's files.
A profile outside the manifest's folder uses its folder's name and its own:
`../east/clinic.toml` writes `east-clinic/`. Two clinics that would still
share a folder, or write one inside the other's, are refused.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from handouts.errors import HandoutsError


def clinic_folders(profiles: list[str], manifest: Path, error: type[HandoutsError]) -> dict[str, str]:
    """Profile path as written in the manifest -> its output folder."""
    folders: dict[str, str] = {}
    for profile in profiles:
        folder = _folder(profile, manifest.parent)
        for other, taken in folders.items():
            if _overlap(folder, taken):
                where_to = (
                    f"the same folder '{folder}'"
                    if folder.casefold() == taken.casefold()
                    else f"folders one inside the other ('{taken}', '{folder}')"
                )
                raise error(
                    f"[batch] clinics '{other}' and '{profile}' would write to {where_to}",
                    where=str(manifest),
                    fix="list each profile once, or rename one profile's file or folder",
                )
        folders[profile] = folder
    return folders


def _folder(profile: str, base: Path) -> str:
    path = Path(os.path.abspath(base / profile))
    try:
        inside = PurePosixPath(*path.relative_to(os.path.abspath(base)).parts)
    except ValueError:
        return f"{path.parent.name}-{path.stem}" if path.parent.name else path.stem
    # "." (the manifest's own folder, not a profile) overlaps every folder, so it is refused.
    return str(inside.with_suffix("")) if inside.name else "."


def _overlap(one: str, two: str) -> bool:
    first, second = PurePosixPath(one.casefold()), PurePosixPath(two.casefold())
    return first == second or first in second.parents or second in first.parents

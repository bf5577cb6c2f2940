"""Check the translation catalogs the way CI does, and print a summary.

    python tools/check_catalogs.py            # every shipped language
    python tools/check_catalogs.py es ar      # some of them

Fails (exit 1) when locales/messages.pot is stale against the sources, when
a catalog is stale against the .pot (messages missing or obsolete), when
Babel's compiler reports an error (placeholders, plural forms), or when a
translation uses a character that the language's bundled fonts cannot draw.
Run from the repository root.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

from handouts.catalogs import load_catalog
from handouts.checks import catalog_problems
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent


def _message_keys(path: Path) -> set[tuple[str, str]]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {(message.context or "", str(message.id)) for message in catalog if message.id}


def pot_is_fresh(config: str = "babel.cfg", template: str = "messages.pot") -> list[str]:
    """The template against a fresh extraction: patient pages (babel.cfg, messages.pot),
    or the web app's nurse-facing text (babel-web.cfg, web.pot)."""
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.pot"
        subprocess.run(
            [
                # pybabel, from the Python running this check: a venv need not be on PATH.
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "--quiet",
                "extract",
                "-F",
                config,
                "-o",
                str(fresh),
                "-c",
                "TRANSLATORS:",
                "--sort-output",
                ".",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        wanted, have = _message_keys(fresh), _message_keys(ROOT / "locales" / template)
    problems = [f"{template} lacks {key!r}" for key in sorted(wanted - have)]
    problems += [f"{template} has a message no source uses: {key!r}" for key in sorted(have - wanted)]
    if problems:
        problems.append("run the extract command in the README, then update the catalogs")
    return problems


def main(argv: list[str]) -> int:
    tags = argv or [tag for tag in LANGUAGES if tag != SOURCE_LANGUAGE]
    problems = pot_is_fresh() + pot_is_fresh("babel-web.cfg", "web.pot") if not argv else []
    for tag in tags:
        found = catalog_problems(tag)
        _translations, status = load_catalog(tag)
        state = "ok" if not found else "PROBLEMS"
        print(f"{tag:8} {status.translated:4}/{status.total} translated  review: {status.review:9} {state}")
        problems += found
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

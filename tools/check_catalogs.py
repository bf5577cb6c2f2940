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

from handouts.catalogs import catalog_path, load_catalog, template_path
from handouts.fonts import describe_characters, uncovered_characters
from handouts.localization import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent


def _message_keys(path: Path) -> set[tuple[str, str]]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {(message.context or "", str(message.id)) for message in catalog if message.id}


def pot_is_fresh() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "fresh.pot"
        subprocess.run(
            [
                "pybabel",
                "--quiet",
                "extract",
                "-F",
                "babel.cfg",
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
        wanted, have = _message_keys(fresh), _message_keys(ROOT / "locales" / "messages.pot")
    problems = [f"messages.pot lacks {key!r}" for key in sorted(wanted - have)]
    problems += [f"messages.pot has a message no source uses: {key!r}" for key in sorted(have - wanted)]
    if problems:
        problems.append("run the extract command in the README, then update the catalogs")
    return problems


def catalog_problems(tag: str) -> list[str]:
    language = LANGUAGES[tag]
    path = catalog_path(tag)
    _translations, status = load_catalog(tag)
    problems = [f"{tag}: {error}" for error in status.errors]
    if status.missing:
        problems.append(
            f"{tag}: {len(status.missing)} of {status.total} messages untranslated or fuzzy, "
            f"e.g. {status.missing[0]!r}"
        )
    obsolete = _message_keys(path) - _message_keys(template_path())
    if obsolete:
        problems.append(f"{tag}: {len(obsolete)} messages not in messages.pot (run pybabel update)")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        missing = uncovered_characters("".join(strings), language.font_stack)
        if missing:
            problems.append(
                f"{tag}: {str(message.id)[:50]!r} uses {describe_characters(missing)}, "
                "which no bundled font for this language draws"
            )
    return problems


def main(argv: list[str]) -> int:
    tags = argv or [tag for tag in LANGUAGES if tag != SOURCE_LANGUAGE]
    problems = pot_is_fresh() if not argv else []
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

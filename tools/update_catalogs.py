"""Bring every catalog up to date with locales/messages.pot (the `update` step).

Like `pybabel update`, but it keeps the review-status header lines Babel
drops, and turns a reviewed catalog back into a draft when its messages
changed: new or changed text has not been reviewed yet.

    python tools/update_catalogs.py
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
HEADER = re.compile(r'^"(X-Review-Status|X-Reviewed-By|X-Reviewed-On): *(.*?)\\n"$', re.MULTILINE)


def update(path: Path, template_path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    review = dict(HEADER.findall(text))
    with path.open("rb") as handle:
        catalog = read_po(handle)
    before = {(m.context, str(m.id)) for m in catalog if m.id}
    with template_path.open("rb") as handle:
        template = read_po(handle)
    # No fuzzy guesses: a new message starts empty, so nobody ships a guess.
    catalog.update(template, no_fuzzy_matching=True)
    after = {(m.context, str(m.id)) for m in catalog if m.id}
    changed = before != after
    if changed and review.get("X-Review-Status") == "reviewed":
        review = {"X-Review-Status": "draft", "X-Reviewed-By": "", "X-Reviewed-On": ""}
    review = {"X-Review-Status": "draft", "X-Reviewed-By": "", "X-Reviewed-On": "", **review}
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76, omit_header=False, ignore_obsolete=True)
    written = path.read_text(encoding="utf-8")
    lines = "".join(f'"{key}: {value}\\n"\n' for key, value in review.items())
    written = written.replace('"Generated-By:', lines + '"Generated-By:', 1)
    path.write_text(written, encoding="utf-8")
    return f"{path.relative_to(ROOT)}: {len(after - before)} new, {len(before - after)} removed" + (
        " (reviewed -> draft)" if changed and "X-Review-Status: reviewed" in text else ""
    )


def main() -> None:
    template = ROOT / "locales" / "messages.pot"
    for path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po")):
        print(update(path, template))


if __name__ == "__main__":
    main()

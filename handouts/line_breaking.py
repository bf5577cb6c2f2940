"""Korean breaks lines between words, not inside them.

Pango follows Unicode's line-breaking rules, which allow a break between any
two Hangul syllables ("부탁하세|요."), and WeasyPrint 70 rejects the CSS that
would forbid it (`word-break: keep-all`). So before layout a WORD JOINER
(U+2060, invisible, no width, not in the PDF's text) goes between each Hangul
character and its neighbours within a word, in the page's text only: never in
tags, attributes (alt text), <title>, <style> or <script>. The stylesheet's
`overflow-wrap: break-word` still breaks a word longer than its line.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
# Hangul syllables, Jamo and compatibility Jamo.
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_INSIDE_KOREAN_WORD = re.compile(rf"(?<=[{_HANGUL}])(?=[^\s{WORD_JOINER}])|(?<=[^\s{WORD_JOINER}])(?=[{_HANGUL}])")
# Text between tags, and the elements whose text is not laid out as lines.
_TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<(title|style|script)\b.*?</\2\s*>|<[^>]*>)|([^<]+)", re.DOTALL | re.I)


def keep_korean_words(html: str) -> str:
    """The HTML with a word joiner inside every word that has Hangul in it,
    also where the word runs across inline tags (<strong>1½정</strong>을)."""
    if not re.search(f"[{_HANGUL}]", html):
        return html
    parts: list[str] = []
    last = " "  # the last character of the text before, across tags
    for match in _TAG_OR_TEXT.finditer(html):
        text = match.group(3)
        if text is None:  # a tag, comment or unlaid-out element: unchanged
            parts.append(match.group(0))
            continue
        joined = _INSIDE_KOREAN_WORD.sub(WORD_JOINER, text)
        if _joins(last, text[0]):
            joined = WORD_JOINER + joined
        parts.append(joined)
        last = text[-1]
    return "".join(parts)


def _joins(before: str, after: str) -> bool:
    """Two characters of one word, at least one of them Hangul."""
    return bool(_INSIDE_KOREAN_WORD.search(before + after))

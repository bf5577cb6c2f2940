"""The one place the tool asks what day it is.

SOURCE_DATE_EPOCH (the reproducible-builds convention) stands in for the
clock, so the same inputs give the same PDF bytes on any day.
"""

from __future__ import annotations

import datetime
import os

from handouts.errors import UsageProblem


def today() -> datetime.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.date.today()
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageProblem(
            f"SOURCE_DATE_EPOCH '{epoch[:20]}' is not a number of seconds since 1970-01-01",
            fix="unset it, or set it to whole seconds, e.g. SOURCE_DATE_EPOCH=1796083200",
        ) from None

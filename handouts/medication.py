"""The medicine's facts, read from its content folder
(`templates/<medication>/medication.toml`): name, products, label maximum,
doses a day and handouts. Python knows what a taper is, not what baclofen is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from handouts.errors import ContentError
from handouts.resources import asset_dir

FILE_NAME = "medication.toml"


@dataclass(frozen=True)
class Product:
    form: str
    strengths_mg: tuple[Decimal, ...] = ()
    may_split: bool = False
    concentrations_mg_per_ml: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class Medication:
    name: str
    label_maximum_daily_mg: Decimal
    ceiling_daily_mg: Decimal
    doses_per_day: tuple[int, ...]
    handouts: tuple[str, ...]
    products: dict[str, Product]
    # RxNorm codes (RxCUIs) that name this medicine, listed only once verified.
    rxnorm: tuple[str, ...] = ()

    def doses_per_day_text(self) -> str:
        low, high = min(self.doses_per_day), max(self.doses_per_day)
        return f"{low} to {high}" if low != high else str(low)


@cache
def load_medication(name: str) -> Medication:
    """The named medication's facts from the bundled content."""
    return read_medication(asset_dir("templates") / name / FILE_NAME)


def read_medication(path: Path) -> Medication:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _medication(data)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise ContentError(f"the medication file is broken: {error!r}", where=str(path)) from None


def _decimals(values: Any) -> tuple[Decimal, ...]:
    return tuple(Decimal(str(value)) for value in values)


def _medication(data: dict[str, Any]) -> Medication:
    products = {
        form: Product(
            form=form,
            strengths_mg=_decimals(entry.get("strengths_mg", ())),
            may_split=bool(entry.get("may_split", False)),
            concentrations_mg_per_ml=_decimals(entry.get("concentrations_mg_per_ml", ())),
        )
        for form, entry in data["forms"].items()
    }
    doses = tuple(int(count) for count in data["doses_per_day"])
    if not doses or any(not 1 <= count <= 4 for count in doses):
        raise ValueError("doses_per_day must list counts from 1 to 4 (the four dose times)")
    return Medication(
        name=str(data["name"]),
        label_maximum_daily_mg=Decimal(str(data["label_maximum_daily_mg"])),
        ceiling_daily_mg=Decimal(str(data["ceiling_daily_mg"])),
        doses_per_day=doses,
        handouts=tuple(data["handouts"]),
        products=products,
        rxnorm=tuple(str(code) for code in data.get("rxnorm", ())),
    )

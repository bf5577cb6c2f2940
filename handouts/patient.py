"""The patient file: one discharge order in TOML (see examples/), checked by
the one order schema (`order.py`)."""

from __future__ import annotations

from pathlib import Path

from handouts.input_files import read_toml
from handouts.medication import Medication
from handouts.order import DischargeOrder, OrderError, Source, Style, build_order


def load_patient_file(path: Path, medication: Medication) -> DischargeOrder:
    data = read_toml(path, OrderError, "patient file", "give the path of a patient file (see examples/)")
    return build_order(data, Source(str(path), Style.FILE), medication)

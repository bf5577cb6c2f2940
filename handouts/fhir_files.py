"""The FHIR files of `handouts discharge`: `--fhir` read in, `--fhir-out` and
`--fhir-plan-out` written beside the sheet (all together, or none)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts.application import content_medication
from handouts.catalogs import load_catalog
from handouts.clinic import ClinicProfile
from handouts.content import load_content
from handouts.errors import UsageProblem
from handouts.fhir_in import FhirOrder, load_fhir_file
from handouts.fhir_out import plan_request, record_bundle, sheet_xhtml
from handouts.order import DischargeOrder
from handouts.output import check_writable_file
from handouts.page import PageOptions
from handouts.rendering import Renderer

# What FHIR does not carry and the command line may add: the date when the
# Encounter has no end, and the smallest volume the patient can measure.
_OPTIONS_WITH_FHIR = {("discharge", "date"), ("medication", "smallest_ml")}


def load_fhir_order(
    path: Path, patient_file: Path | None, options: dict[str, dict[str, Any]]
) -> tuple[DischargeOrder, FhirOrder]:
    if patient_file is not None:
        raise UsageProblem(
            "give either --fhir or --patient, not both", fix="the FHIR file is the whole order"
        )
    for section, values in options.items():
        for key in values:
            if (section, key) not in _OPTIONS_WITH_FHIR:
                raise UsageProblem(
                    f"--{key.replace('_', '-')} cannot be given with --fhir",
                    fix="the FHIR order gives it; only --date and --smallest-ml may be added",
                )
    return load_fhir_file(path, content_medication(), options)


@dataclass
class FhirOutputs:
    bundle_path: Path | None
    plan_path: Path | None
    links: FhirOrder | None
    files_written: list[tuple[Path, bytes]] = field(default_factory=list)

    def check(self, order: DischargeOrder) -> None:
        """Before rendering: the paths can be written, and the plan can be expressed."""
        for path, option in ((self.bundle_path, "--fhir-out"), (self.plan_path, "--fhir-plan-out")):
            if path is not None:
                check_writable_file(path, example=f"{option} record.json")
        if self.plan_path is not None:
            self._plan(order)

    def files(
        self,
        order: DischargeOrder,
        pdf: bytes,
        renderer: Renderer,
        clinic: ClinicProfile,
        options: PageOptions,
    ) -> list[tuple[Path, bytes]]:
        files: list[tuple[Path, bytes]] = []
        if self.bundle_path is not None:
            xhtml = sheet_xhtml(renderer.discharge_html(order, clinic, options))
            translations, _status = load_catalog(options.language.tag, options.catalog)
            title = translations.gettext(load_content().discharge.title)
            subject, encounter = (self.links.subject, self.links.encounter) if self.links else (None, None)
            bundle = record_bundle(order, pdf, xhtml, options.language.tag, title, subject, encounter)
            files.append((self.bundle_path, _json(bundle)))
        if self.plan_path is not None:
            files.append((self.plan_path, _json(self._plan(order))))
        self.files_written = files
        return files

    def _plan(self, order: DischargeOrder) -> dict[str, Any]:
        subject, encounter = (self.links.subject, self.links.encounter) if self.links else (None, None)
        return plan_request(order, subject, encounter)


def _json(resource: dict[str, Any]) -> bytes:
    return (json.dumps(resource, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

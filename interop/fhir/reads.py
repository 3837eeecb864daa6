"""Reading resources: one by id, a page of a search, a patient's everything.

A type drawn from several sources pages through them in order (each source by pk), so
a page costs a count and a read per source whatever its size.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, Q, QuerySet

from interop.fhir import registry
from interop.fhir.search import Search
from interop.fhir.systems import canonical
from interop.fhir.types import FhirType, Resource, Source

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practice.models import Clinic, User

PATIENT = "Patient"


@dataclass(frozen=True)
class Found:
    resource: Resource
    # The patient whose record it is (for the access log); None for a definition.
    patient_id: int | None
    mode: str = "match"


def patient_path(fhir_type: FhirType, source: Source) -> str | None:
    return "pk" if fhir_type.name == PATIENT else source.patient


def may_read(user: User | AnonymousUser, source: Source, clinic: Clinic) -> bool:
    """A source of rows needs the role's view permission on its model; a fixed list
    (the instruments) is public knowledge."""
    rows = source.rows(clinic)
    if not isinstance(rows, QuerySet):
        return True
    meta = rows.model._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}")


def readable(user: User | AnonymousUser, fhir_type: FhirType, clinic: Clinic) -> bool:
    return all(may_read(user, source, clinic) for source in fhir_type.sources)


def _instant(value: datetime.datetime | datetime.date | None) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return None


def _found(fhir_type: FhirType, source: Source, row: Any) -> Found:
    resource = source.render(row)
    updated = _instant(getattr(row, "fhir_updated", None))
    if updated:
        resource = {**resource, "meta": {"lastUpdated": updated}}
    patient_id = getattr(row, "fhir_patient", None)
    return Found(resource, patient_id)


def _annotated(fhir_type: FhirType, source: Source, rows: QuerySet[Any]) -> QuerySet[Any]:
    extra: dict[str, Any] = {}
    if source.last_updated:
        extra["fhir_updated"] = F(source.last_updated)
    path = patient_path(fhir_type, source)
    if path:
        extra["fhir_patient"] = F(path)
    return rows.annotate(**extra) if extra else rows


def _is_date(model: type[models.Model], path: str) -> bool:
    """Whether an ORM path ends at a DateField (a local day) rather than a moment."""
    field: Any = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def _filtered(
    fhir_type: FhirType, source: Source, rows: QuerySet[Any], search: Search
) -> QuerySet[Any]:
    if search.ids:
        pks = [int(i[len(source.prefix) :]) for i in search.ids if _is_own(source, i)]
        rows = rows.filter(pk__in=pks)
    if search.patient is not None:
        rows = rows.filter(**{str(patient_path(fhir_type, source)): search.patient})
    for date_range in search.dates:
        path = str(source.date)
        rows = rows.filter(date_range.q(path, is_date=_is_date(rows.model, path)))
    for updated in search.last_updated:
        rows = rows.filter(updated.q(str(source.last_updated), is_date=False))
    return rows


def _is_own(source: Source, resource_id: str) -> bool:
    rest = resource_id[len(source.prefix) :] if resource_id.startswith(source.prefix) else ""
    return rest.isdigit() and (source.prefix != "" or resource_id.isdigit())


def _fixed(source: Source, clinic: Clinic, search: Search) -> list[Any]:
    rows = list(source.rows(clinic))
    if search.ids and source.key is not None:
        rows = [row for row in rows if source.key(row) in search.ids]
    return rows


def search_page(fhir_type: FhirType, clinic: Clinic, search: Search) -> tuple[list[Found], int]:
    """The page `search` asks for and the total number of matches."""
    found: list[Found] = []
    total = 0
    skip, room = search.offset, search.count
    for source in fhir_type.sources:
        rows = source.rows(clinic)
        if isinstance(rows, QuerySet):
            filtered = _filtered(fhir_type, source, rows, search).order_by("pk")
            matches: QuerySet[Any] | list[Any] = filtered
            size = filtered.count()
        else:
            matches = _fixed(source, clinic, search)
            size = len(matches)
        total += size
        if room and skip < size:
            chosen = matches[skip : skip + room]
            if isinstance(chosen, QuerySet):
                chosen = _annotated(fhir_type, source, chosen)
            page = [_found(fhir_type, source, row) for row in chosen]
            found += page
            room -= len(page)
        skip = max(0, skip - size)
    return found, total


def read_one(fhir_type: FhirType, clinic: Clinic, resource_id: str) -> Found | None:
    for source in fhir_type.sources:
        rows = source.rows(clinic)
        if isinstance(rows, QuerySet):
            if _is_own(source, resource_id):
                pk = int(resource_id[len(source.prefix) :])
                row = _annotated(fhir_type, source, rows.filter(pk=pk)).first()
                if row is not None:
                    return _found(fhir_type, source, row)
        elif source.key is not None:
            for row in rows:
                if source.key(row) == resource_id:
                    return _found(fhir_type, source, row)
    return None


def _canonicals(value: Any) -> Iterator[str]:
    """Every canonical URL a resource names (instantiatesCanonical, questionnaire, ...)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _canonicals(item)
    elif isinstance(value, list):
        for item in value:
            yield from _canonicals(item)
    elif (
        isinstance(value, str)
        and value.startswith(("http://", "https://"))
        and "/fhir/R4/" in value
    ):
        yield value.split("|", 1)[0]


def everything(clinic: Clinic, patient_id: int, readable_types: Sequence[FhirType]) -> list[Found]:
    """The patient's resources of the types the reader may read, then the definitions
    (plans, activities, questionnaires) they instantiate, so every canonical they name
    is answered in the same bundle."""
    found: list[Found] = []
    definitions: list[tuple[FhirType, Source]] = []
    for fhir_type in readable_types:
        for source in fhir_type.sources:
            path = patient_path(fhir_type, source)
            rows = source.rows(clinic)
            if path is None or not isinstance(rows, QuerySet):
                definitions.append((fhir_type, source))
                continue
            mine = _annotated(fhir_type, source, rows.filter(Q(**{path: patient_id}))).order_by(
                "pk"
            )
            found += [_found(fhir_type, source, row) for row in mine]
    wanted = {url for item in found for url in _canonicals(item.resource)}
    for fhir_type, source in definitions:
        rows = source.rows(clinic)
        if isinstance(rows, QuerySet):
            if source.canonical_key:
                stem = canonical(fhir_type.name, "")
                keys = [url.removeprefix(stem) for url in wanted if url.startswith(stem)]
                rows = rows.filter(**{f"{source.canonical_key}__in": keys})
            rows = _annotated(fhir_type, source, rows)
        for row in rows:
            item = _found(fhir_type, source, row)
            if item.resource.get("url") in wanted:
                found.append(Found(item.resource, None, mode="include"))
    return found


def resource_types() -> dict[str, FhirType]:
    return registry.types()

"""Reading resources: one by id, a page of a search, a page of a patient's everything.

A type drawn from several sources pages through them in order (each source by pk), and
`$everything` pages through the patient's sources and then the definitions they name,
so a page costs a count and a read per source whatever the record's size.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, QuerySet

from interop.fhir.search import Search, is_whole
from interop.fhir.systems import canonical
from interop.fhir.types import FhirType, Resource, Source

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from practice.models import Clinic, User

PATIENT = "Patient"
# A definition may name others (a plan its activities); rounds of following them.
_DEFINITION_DEPTH = 3


@dataclass(frozen=True)
class Found:
    resource: Resource
    # The patient whose record it is (for the access log); None for a definition.
    patient_id: int | None
    mode: str = "match"


@dataclass(frozen=True)
class _Part:
    """One source's rows in a page's sequence."""

    fhir_type: FhirType
    source: Source
    rows: QuerySet[Any] | list[Any]
    mode: str = "match"


def patient_path(fhir_type: FhirType, source: Source) -> str | None:
    return "pk" if fhir_type.name == PATIENT else source.patient


def may_read(user: User | AnonymousUser, source: Source, clinic: Clinic) -> bool:
    """A source of rows needs the role's view permission on its model and on what its
    resources also tell (`Source.requires`); a fixed list (the instruments) is public."""
    rows = source.rows(clinic)
    if not isinstance(rows, QuerySet):
        return True
    meta = rows.model._meta
    return user.has_perms([f"{meta.app_label}.view_{meta.model_name}", *source.requires])


def readable(user: User | AnonymousUser, fhir_type: FhirType, clinic: Clinic) -> bool:
    return all(may_read(user, source, clinic) for source in fhir_type.sources)


def _instant(value: datetime.datetime | datetime.date | None) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return None


def _found(fhir_type: FhirType, source: Source, row: Any, mode: str = "match") -> Found:
    resource = source.render(row)
    updated = _instant(getattr(row, "fhir_updated", None))
    if updated:
        resource = {**resource, "meta": {"lastUpdated": updated}}
    return Found(resource, getattr(row, "fhir_patient", None), mode)


def _annotated(fhir_type: FhirType, source: Source, rows: QuerySet[Any]) -> QuerySet[Any]:
    extra: dict[str, Any] = {}
    if source.last_updated is not None:
        last = source.last_updated
        extra["fhir_updated"] = F(last) if isinstance(last, str) else last
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


def _pk_of(source: Source, resource_id: str) -> int | None:
    """The pk an id names in this source, or None when it cannot be one of its ids."""
    if not resource_id.startswith(source.prefix):
        return None
    rest = resource_id[len(source.prefix) :]
    return int(rest) if is_whole(rest) else None


def _keys(fhir_type: FhirType, urls: Sequence[str]) -> list[str]:
    stem = canonical(fhir_type.name, "")
    return [url.removeprefix(stem) for url in urls if url.startswith(stem)]


def _filtered(
    fhir_type: FhirType, source: Source, rows: QuerySet[Any], search: Search, clinic: Clinic
) -> QuerySet[Any]:
    rows = _annotated(fhir_type, source, rows)
    for name, value in search.custom:
        rows = source.filters[name](rows, value, clinic)
    if search.ids:
        pks = [pk for i in search.ids if (pk := _pk_of(source, i)) is not None]
        rows = rows.filter(pk__in=pks)
    if search.urls and source.canonical_key:
        rows = rows.filter(**{f"{source.canonical_key}__in": _keys(fhir_type, search.urls)})
    if search.patient is not None:
        rows = rows.filter(**{str(patient_path(fhir_type, source)): search.patient})
    for date_range in search.dates:
        path = str(source.date)
        rows = rows.filter(date_range.q(path, is_date=_is_date(rows.model, path)))
    for updated in search.last_updated:
        rows = rows.filter(updated.q("fhir_updated", is_date=False))
    return rows.order_by("pk")


def _fixed(source: Source, clinic: Clinic, search: Search) -> list[Any]:
    rows = list(source.rows(clinic))
    if search.ids and source.key is not None:
        rows = [row for row in rows if source.key(row) in search.ids]
    if search.urls:
        rows = [row for row in rows if source.render(row).get("url") in search.urls]
    return rows


def _page(parts: Sequence[_Part], offset: int, count: int) -> tuple[list[Found], int]:
    """Entries offset..offset+count of the parts one after another, and their total."""
    found: list[Found] = []
    total = 0
    skip, room = offset, count
    for part in parts:
        size = part.rows.count() if isinstance(part.rows, QuerySet) else len(part.rows)
        total += size
        if room and skip < size:
            chosen = part.rows[skip : skip + room]
            page = [_found(part.fhir_type, part.source, row, part.mode) for row in chosen]
            found += page
            room -= len(page)
        skip = max(0, skip - size)
    return found, total


def search_page(fhir_type: FhirType, clinic: Clinic, search: Search) -> tuple[list[Found], int]:
    """The page `search` asks for and the total number of matches."""
    parts = []
    for source in fhir_type.sources:
        rows = source.rows(clinic)
        if isinstance(rows, QuerySet):
            parts.append(
                _Part(fhir_type, source, _filtered(fhir_type, source, rows, search, clinic))
            )
        else:
            parts.append(_Part(fhir_type, source, _fixed(source, clinic, search)))
    return _page(parts, search.offset, search.count)


def read_one(fhir_type: FhirType, clinic: Clinic, resource_id: str) -> Found | None:
    for source in fhir_type.sources:
        rows = source.rows(clinic)
        if isinstance(rows, QuerySet):
            pk = _pk_of(source, resource_id)
            if pk is not None:
                row = _annotated(fhir_type, source, rows.filter(pk=pk)).first()
                if row is not None:
                    return _found(fhir_type, source, row)
        elif source.key is not None:
            for row in rows:
                if source.key(row) == resource_id:
                    return _found(fhir_type, source, row)
    return None


def _definitions(
    clinic: Clinic, sources: Sequence[tuple[FhirType, Source]], wanted: set[str]
) -> list[_Part]:
    """The definitions the canonical URLs in `wanted` name, and those they name in turn."""
    chosen: dict[int, _Part] = {}
    for _ in range(_DEFINITION_DEPTH):
        named = set(wanted)
        for index, (fhir_type, source) in enumerate(sources):
            rows = source.rows(clinic)
            if isinstance(rows, QuerySet) and source.canonical_key:
                keys = _keys(fhir_type, sorted(wanted))
                rows = _annotated(fhir_type, source, rows)
                rows = rows.filter(**{f"{source.canonical_key}__in": keys}).order_by("pk")
            elif isinstance(rows, QuerySet):
                continue  # a definition with no canonical key is never named
            else:
                rows = [row for row in rows if source.render(row).get("url") in wanted]
            chosen[index] = _Part(fhir_type, source, rows, mode="include")
            if source.names is not None and isinstance(rows, QuerySet):
                named |= set(source.names(rows))
        if named == wanted:
            break
        wanted = named
    return [chosen[index] for index in sorted(chosen)]


def everything_page(
    clinic: Clinic, patient_id: int, readable_types: Sequence[FhirType], *, offset: int, count: int
) -> tuple[list[Found], int]:
    """A page of the patient's resources of the types the reader may read, followed by
    the definitions (plans, activities, questionnaires) they instantiate, so every
    canonical URL they name is answered in the same bundle; and the bundle's total."""
    parts: list[_Part] = []
    definitions: list[tuple[FhirType, Source]] = []
    wanted: set[str] = set()
    for fhir_type in readable_types:
        for source in fhir_type.sources:
            path = patient_path(fhir_type, source)
            rows = source.rows(clinic)
            if path is None or not isinstance(rows, QuerySet):
                definitions.append((fhir_type, source))
                continue
            mine = _annotated(fhir_type, source, rows.filter(**{path: patient_id})).order_by("pk")
            parts.append(_Part(fhir_type, source, mine))
            if source.names is not None:
                wanted |= set(source.names(mine))
    parts += _definitions(clinic, definitions, wanted)
    return _page(parts, offset, count)

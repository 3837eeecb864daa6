"""How a FHIR resource type is drawn from the models."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.db.models.expressions import Combinable

    from practice.models import Clinic

Resource = dict[str, Any]
Filter = Callable[["QuerySet[Any]", str, "Clinic"], "QuerySet[Any]"]


@dataclass(frozen=True)
class Source:
    """One model (or fixed list) a resource type is drawn from.

    `rows(clinic)` is the clinic's rows, with what `render` reads selected or
    prefetched so a page of any size costs the same queries; a fixed list (the
    questionnaires) is the same for every clinic. `render(row)` is the resource as
    JSON-ready data with its `resourceType` and `id`; the views add `meta`.
    """

    rows: Callable[[Clinic], QuerySet[Any] | Sequence[Any]]
    render: Callable[[Any], Resource]
    # id = prefix + the row's pk; a type drawn from two models tells them apart by it.
    prefix: str = ""
    # ORM paths: the patient's id (the `patient` search and $everything), the clinical
    # date or time the `date` search filters, and when the row last changed
    # (`_lastUpdated` and meta.lastUpdated). None: the type has no such thing.
    patient: str | None = None
    date: str | None = None
    # An expression where no one column tells (the latest of the row and what it shows).
    last_updated: str | Combinable | None = None
    # A fixed list's rows are told apart by this instead of a pk.
    key: Callable[[Any], str] | None = None
    # A definition's ORM path of the key its canonical URL ends in (`systems.canonical`),
    # for the `url` search and for $everything to read only the definitions it names.
    canonical_key: str | None = None
    # The canonical URLs (without |version) the resources of these rows name, read from
    # the rows' keys rather than by rendering them: what $everything must include.
    names: Callable[[QuerySet[Any]], Iterable[str]] | None = None
    # Permissions a reader needs besides viewing the rows' model, for what else the
    # resources tell (an Encounter names the diagnosis and the visit note's kind).
    requires: tuple[str, ...] = ()
    # The type's own search parameters: name -> the rows matching one value of it (a
    # value may list alternatives, comma-separated); raises BadSearch for a value it
    # cannot read. A type takes a parameter every one of its sources answers.
    filters: Mapping[str, Filter] = field(default_factory=dict)


@dataclass(frozen=True)
class FhirType:
    name: str
    sources: tuple[Source, ...]
    # What the CapabilityStatement says of the type.
    documentation: str = ""


def reference(resource_type: str, resource_id: object, display: str | None = None) -> Resource:
    """A literal reference, relative to the server's base."""
    ref: Resource = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        ref["display"] = display
    return ref


def coding(system: str, code: str, display: str | None = None) -> Resource:
    found: Resource = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> Resource:
    found: Resource = {"coding": [coding(system, code, display)]}
    if text:
        found["text"] = text
    return found

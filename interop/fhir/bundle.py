"""Searchset bundles with their paging links."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.utils import timezone
from rest_framework.request import Request

from interop.fhir.reads import Found
from interop.fhir.search import Search
from interop.fhir.types import Resource

BASE_PATH = "/fhir/R4/"


def full_url(request: Request, resource: Resource) -> str:
    return request.build_absolute_uri(f"{BASE_PATH}{resource['resourceType']}/{resource['id']}")


def _link(request: Request, relation: str, search: Search, offset: int) -> Resource:
    query = [*search.given, ("_offset", str(offset))] if offset else list(search.given)
    url = request.build_absolute_uri(request.path)
    return {"relation": relation, "url": f"{url}?{urlencode(query)}" if query else url}


def searchset(request: Request, *, found: Sequence[Found], total: int, search: Search) -> Resource:
    links = [_link(request, "self", search, search.offset)]
    if search.offset:
        links.append(_link(request, "first", search, 0))
        links.append(_link(request, "previous", search, max(0, search.offset - search.count)))
    if search.offset + search.count < total:
        links.append(_link(request, "next", search, search.offset + search.count))
        last = (total - 1) // search.count * search.count
        links.append(_link(request, "last", search, last))
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(),
        "total": total,
        "link": links,
        "entry": [
            {
                "fullUrl": full_url(request, item.resource),
                "resource": item.resource,
                "search": {"mode": item.mode},
            }
            for item in found
        ],
    }

"""A walk of the admin as a person clicks through it: the start page, every link it
offers, then every link those pages offer (two steps), with GET only.

Links are read from the pages' HTML, so a new page (a Today page, a calendar, a patient
summary) is walked as soon as a page links to it, without editing the tests. Each page
is reduced to what the tests judge (`Page`) as it is opened, so the walk keeps no HTML."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.http.response import HttpResponseBase
from django.test import Client

from audit.models import RecordAccess
from patients.models import Patient

START = "/admin/"
REDIRECTS = (301, 302, 303, 307, 308)
# Links that change something on GET or lead out of the admin's pages: signing out, the
# "view on site" redirect, the JavaScript catalogue.
_SKIPPED_PATH = re.compile(r"^/admin/(logout|jsi18n|r)/")
# A pop-up's chooser is the list itself in another frame.
_SKIPPED_PARAMS = {"_popup", "_to_field"}
# Preserved filters ride along on every link of a filtered list; the page is the same.
_DROPPED_PARAMS = {"_changelist_filters"}
_ID = re.compile(r"/\d+(?=/)")
# A drop-down of patients to pick from is not a patient's record read.
_SELECT = re.compile(r"<select\b.*?</select>", re.DOTALL | re.IGNORECASE)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def normalized(url: str) -> str | None:
    """The path and query of an admin page worth opening, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith(START) or _SKIPPED_PATH.match(parts.path):
        return None
    params = parse_qsl(parts.query, keep_blank_values=True)
    if any(name in _SKIPPED_PARAMS for name, _ in params):
        return None
    query = urlencode(sorted((n, v) for n, v in params if n not in _DROPPED_PARAMS))
    return f"{parts.path}?{query}" if query else parts.path


def links_of(html: str, base: str) -> list[str]:
    """The admin pages a page links to (path and query, fragments dropped), in order."""
    parser = _Links()
    parser.feed(html)
    found = (normalized(urljoin(base, href.strip())) for href in parser.hrefs)
    return list(dict.fromkeys(url for url in found if url is not None))


def shape(url: str) -> str:
    """Pages that differ only in the row they show or a parameter's value share a shape."""
    parts = urlsplit(url)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return _ID.sub("/<id>", parts.path) + "?" + "&".join(names)


@dataclass(frozen=True)
class Page:
    """What the tests judge of one opened page."""

    url: str
    depth: int
    referrer: str
    status: int
    location: str  # where a redirect leads, normalized ("" if none or out of the admin)
    admin_refusal: bool  # a 403 rendered as the admin's own page that says why
    secrets: tuple[str, ...]  # which of the watched texts it showed
    shown: frozenset[int]  # watched patients whose name or MRN it showed, not in a drop-down
    logged: frozenset[int]  # patients the access log gained for the user while it opened


def _last_access_id() -> int:
    return RecordAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@dataclass
class Crawl:
    """Breadth first from the start page, `steps` links deep. A shape is opened at most
    `per_shape` times and the walk at most `cap` pages, so its time stays bounded as
    rows and filters grow while every kind of page is still reached."""

    client: Client
    user_id: int
    patients: Iterable[Patient] = ()
    secrets: Iterable[str] = ()
    steps: int = 2
    per_shape: int = 2
    cap: int = 400
    pages: list[Page] = field(default_factory=list)
    left_out: int = 0

    def __post_init__(self) -> None:
        self._markers = {
            p.pk: (p.mrn, p.full_name, f"{p.last_name}, {p.first_name}") for p in self.patients
        }
        self.secrets = tuple(self.secrets)

    def walk(self) -> list[Page]:
        queue: deque[tuple[str, int, str]] = deque([(START, 0, "")])
        seen = {START}
        shapes: dict[str, int] = {}
        while queue:
            url, depth, referrer = queue.popleft()
            if len(self.pages) >= self.cap:
                self.left_out += 1
                continue
            page, links = self._open(url, depth, referrer)
            self.pages.append(page)
            if depth >= self.steps:
                continue
            for link in links:
                kind = shape(link)
                if link in seen or shapes.get(kind, 0) >= self.per_shape:
                    continue
                seen.add(link)
                shapes[kind] = shapes.get(kind, 0) + 1
                queue.append((link, depth + 1, url))
        return self.pages

    def _open(self, url: str, depth: int, referrer: str) -> tuple[Page, list[str]]:
        since = _last_access_id()
        response = self.client.get(url)
        logged = RecordAccess.objects.filter(pk__gt=since, user_id=self.user_id)
        html = response.content.decode(errors="replace")
        location = ""
        if response.status_code in REDIRECTS:
            location = normalized(urljoin(url, response["Location"])) or ""
        links = [location] if location else []
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            links = links_of(html, url)
        page = Page(
            url=url,
            depth=depth,
            referrer=referrer,
            status=response.status_code,
            location=location,
            admin_refusal=_is_admin_refusal(response),
            secrets=tuple(s for s in self.secrets if s in html),
            shown=frozenset(self._shown(html)) if response.status_code == 200 else frozenset(),
            logged=frozenset(logged.values_list("patient_id", flat=True)),
        )
        return page, links

    def _shown(self, html: str) -> Iterator[int]:
        text = _SELECT.sub("", html)
        for pk, markers in self._markers.items():
            if any(marker in text for marker in markers):
                yield pk


def _is_admin_refusal(response: HttpResponseBase) -> bool:
    templates = getattr(response, "templates", None) or []
    return response.status_code == 403 and any(t.name == "admin/403.html" for t in templates)

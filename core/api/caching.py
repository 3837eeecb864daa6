"""Answers under /api/ are one caller's, in one language: what caches may do with them.

Every answer under /api/ says `Vary: Authorization, Accept-Language` and
`Cache-Control: private, no-cache`: no shared cache (a proxy, a CDN) keeps one, and the
phone's own cache asks again each time, with the ETag it holds, rather than guess how
long an answer stays fresh. A GET answered 200 gets an ETag made from the body and the
authenticated user, so one caller's ETag never matches another's answer even when the
two bodies are the same; `django.middleware.http.ConditionalGetMiddleware`, above this
one, then answers a matching If-None-Match with a 304 and no body. The view ran in full
first, so a 304 is a read like a 200 (the access log has it). An answer the view marked
`no-store` gets `private, no-store`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from .errors import API_PREFIX

VARY = ("Authorization", "Accept-Language")


def _etag(request: HttpRequest, body: bytes) -> str:
    user = getattr(request, "user", None)
    caller = str(user.pk) if user is not None and user.is_authenticated else ""
    digest = hashlib.md5(caller.encode() + b"\0" + body, usedforsecurity=False)
    return quote_etag(digest.hexdigest())


class ApiCacheHeadersMiddleware:
    """Below ConditionalGetMiddleware in MIDDLEWARE, so the 304 it makes copies these
    headers. DRF sets `request.user` to the token's user when it authenticates, which
    is what the ETag is made with."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        patch_vary_headers(response, VARY)
        # An answer the view marked no-store (a secret shown once) keeps it alone: it
        # may not be kept at all, so "revalidate before use" has no place beside it.
        if "no-store" in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        if (
            request.method == "GET"
            and response.status_code == HTTPStatus.OK
            and not response.streaming
            and not response.has_header("ETag")
        ):
            content = getattr(response, "content", b"")
            if content:
                response.headers["ETag"] = _etag(request, content)
        return response

"""A write that contradicts what is already stored, raised by services: the API answers
409 naming the fields (core.api.errors), as a ValidationError is a 400."""

from __future__ import annotations


class ConflictError(Exception):
    def __init__(self, detail: str, *, fields: dict[str, str]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields

"""Buttons other apps add to a prescription's admin page.

The page offers actions of apps above this one (the printable handout, in interop),
which this app may not import. Those apps register a `Button` here from their own admin
modules; `admin.autodiscover` imports every app's admin when Django starts, so the
registry is complete before the first request, and the page reads it each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from practice.admin_base import ClinicScopedAdmin
    from practice.models import User

    from .models import Prescription

    _AdminBase = ClinicScopedAdmin
else:
    _AdminBase = object


@dataclass(frozen=True)
class Button:
    """`url` gives the address the button opens for the prescription."""

    label: str
    url: Callable[[Prescription], str]
    permission: str | None = None  # None: every user who opens the page sees it
    # Whether the button fits this prescription (a handout only of an open program);
    # None: every prescription's page shows it.
    shown_for: Callable[[Prescription], bool] | None = None


_buttons: dict[str, tuple[int, Button]] = {}


def register_button(button: Button, *, order: int) -> None:
    """Show `button` among the page's tools, at `order` among the others."""
    _buttons[button.label] = (order, button)


def buttons_shown_to(user: User) -> tuple[Button, ...]:
    ordered = [button for _, button in sorted(_buttons.values(), key=lambda entry: entry[0])]
    return tuple(b for b in ordered if b.permission is None or user.has_perm(b.permission))


class PrescriptionButtonsMixin(_AdminBase):
    """Hands the registered buttons to the change page's object tools."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        prescription = self.get_object(request, unquote(object_id))
        buttons = (
            [
                {"label": button.label, "url": button.url(prescription)}
                for button in buttons_shown_to(request.user)  # type: ignore[arg-type]
                if button.shown_for is None or button.shown_for(prescription)
            ]
            if prescription is not None
            else []
        )
        extra_context = {**(extra_context or {}), "prescription_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

"""`manage.py seed_demo`: demo clinics, staff and patients for local development."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.seed import DEMO_PATIENT, demo_seed


class Command(BaseCommand):
    help = "Create demo clinics, staff and patients (once) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", ""),
            help="Password for every demo login (default: $DEMO_PASSWORD, else generated).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off (never on a real clinic's database).",
        )

    def handle(self, *args: Any, password: str, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to add demo patients with DEBUG off; pass --force.")
        password = password or secrets.token_urlsafe(9)
        logins = demo_seed(password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {password})"))
        for login in logins:
            line = f"  {login.username:<18} {login.role:<20} {login.clinic}"
            self.stdout.write(f"{line:<60} {login.patient}".rstrip())
        demo = next((login for login in logins if login.username == DEMO_PATIENT), None)
        if demo is not None:
            self.stdout.write(
                f"{DEMO_PATIENT} is {demo.patient}: six weeks of sessions, questionnaires, "
                "visits and open alerts."
            )

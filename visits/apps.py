from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """Visit notes, plan of care and billing: what a visit documents and what it bills."""

    name = "visits"
    verbose_name = "Visits and billing"

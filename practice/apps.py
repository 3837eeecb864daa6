from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice"

    def ready(self) -> None:
        from .roles import sync_role_groups  # noqa: PLC0415  it imports the models, not loaded yet

        # Role groups follow the permission map in roles.py; re-syncing after every
        # migrate keeps them in step when the map or the models change.
        post_migrate.connect(sync_role_groups, dispatch_uid="practice.sync_role_groups")

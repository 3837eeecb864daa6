from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import sync_role_groups

        # Role groups follow the permission map in roles.py; re-syncing after every
        # migrate keeps them in step when the map or the models change.
        post_migrate.connect(sync_role_groups, dispatch_uid="practice.sync_role_groups")

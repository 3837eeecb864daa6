from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The staff's screens that draw on every app: the Today page, the patient summary."""

    name = "workspace"
    verbose_name = "Workspace"

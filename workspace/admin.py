"""The workspace's admin parts, found by the admin's autodiscovery: the patient summary
(the patient page's header and the list's columns)."""

from . import admin_summary  # noqa: F401 (registers its sections on import)

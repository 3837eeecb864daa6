"""The settings profiles under the names deployments already use.

The profiles live in config.settings; `DJANGO_SETTINGS_MODULE=practice.settings.production`
(and `.local`, `.test`) keeps naming the same settings, so an environment written for
those names goes on working.
"""

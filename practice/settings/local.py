"""config.settings.local under the name deployments already use."""

from config.settings.local import *  # noqa: F403 (the whole profile, re-exported)

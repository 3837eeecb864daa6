"""config.settings.production under the name deployments already use."""

from config.settings.production import *  # noqa: F403 (the whole profile, re-exported)

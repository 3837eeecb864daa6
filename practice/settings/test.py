"""config.settings.test under the name deployments already use."""

from config.settings.test import *  # noqa: F403 (the whole profile, re-exported)

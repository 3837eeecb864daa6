"""config.wsgi under the name deployments already use (`gunicorn practice.wsgi:application`)."""

from config.wsgi import application

__all__ = ["application"]

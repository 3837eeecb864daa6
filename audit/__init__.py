"""HIPAA audit controls: an append-only log of who read or changed which patient's
record through the API or the admin (see audit.services and core.access_log)."""

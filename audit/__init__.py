"""HIPAA audit controls: an append-only log of who read or changed which patient's
record through the API (see audit.services and practice.api.audit)."""

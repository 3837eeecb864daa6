"""Keeps calendar feed tokens out of the server's log.

The token in a feed's URL is its only credential, and Django logs the path of every
4xx answer ("Not Found: /ical/<token>.ics" on the `django.request` logger), so anyone
reading the log could subscribe to whatever feed a mistyped or revoked URL named.
`FeedTokenFilter`, set on that logger in the settings' LOGGING, writes such paths as
`/ical/<token>`; the access log names the feed by its id instead (see views).
"""

from __future__ import annotations

import logging
import re

# Everything after /ical/ up to the end of the path: a token that fails the URL's
# pattern is as secret as one that matches it.
_FEED_PATH = re.compile(r"/ical/[^\s\"'?#]+")
REDACTED = "/ical/<token>"


def redact_feed_tokens(text: str) -> str:
    return _FEED_PATH.sub(REDACTED, text)


class FeedTokenFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed logging call: logging reports it, as without us
            return True
        if "/ical/" in message:
            record.msg = redact_feed_tokens(message)
            record.args = None
        return True

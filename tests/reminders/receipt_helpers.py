"""What the delivery-receipt tests share: Twilio's status callback URL, the token it is
signed with, the moment the tests stand at, and fresh message sids."""

from __future__ import annotations

import datetime
import itertools

from reminders.models import Notification

Receipt = Notification.Receipt
URL = "http://testserver/webhooks/sms/status/"
TOKEN = "status-token"
NOW = datetime.datetime(2027, 3, 14, 12, 0, tzinfo=datetime.UTC)
new_sids = (f"SM{n:032x}" for n in itertools.count(1))

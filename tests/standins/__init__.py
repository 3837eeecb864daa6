"""Loopback stand-ins for the outside world: HTTP servers on 127.0.0.1 that speak the
providers' real protocols, so the transports are tested (and benchmarked) end to end
without reaching a provider.

- ``tests.standins.twilio.TwilioStandIn``: Twilio's Messages API.
- ``tests.standins.google.GoogleStandIn``: Google's OAuth 2.0 token endpoint for service
  accounts and Firebase Cloud Messaging's HTTP v1 send endpoint.
- ``tests.standins.smtp.SmtpStandIn``: an SMTP server (what Django's email backend talks to).

Each is a context manager giving its base URL::

    twilio = TwilioStandIn(latency=0.2)
    with twilio as url:
        ...  # point SMS_API_URL at url; read twilio.messages afterwards
"""

from .base import Recorded, Reply, StandIn

__all__ = ["Recorded", "Reply", "StandIn"]

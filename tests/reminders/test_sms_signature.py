"""The webhook's signature check computes what Twilio computes."""

from __future__ import annotations

from reminders.webhooks import signature

# Twilio's published request-validation example (its helper libraries' tests use it).
TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


def test_the_signature_matches_twilios_published_example():
    assert signature(TWILIO_URL, TWILIO_PARAMS, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_a_repeated_field_is_signed_as_twilio_signs_it():
    params = {"Sid": "CA123", "SidAccount": "AC123", "Digits": ["5678", "1234", "1234"]}
    assert signature(TWILIO_URL, params, "12345") == "IK+Dwps556ElfBT0I3Rgjkr1wJU="

"""Request and response bodies of the device endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from reminders.models import Device, StaffDevice
from reminders.models.devices import validate_token_bytes


class PushTokenField(serializers.CharField):
    """A push token, bounded as the model bounds it: in characters and in bytes (what the
    unique index stores)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", Device._meta.get_field("token").max_length)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        # Before the length validators, so a token too long either way has one message;
        # the serializer names the field in the ValidationError this raises.
        validate_token_bytes(value)
        return value


class DeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["id", "token", "platform", "created_at", "last_seen_at"]
        read_only_fields = fields


class StaffDeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffDevice
        fields = ["id", "token", "platform", "created_at", "last_seen_at"]
        read_only_fields = fields


class DeviceRegisterSerializer(serializers.Serializer):
    token = PushTokenField(help_text="The push token from the OS.")
    platform = serializers.ChoiceField(choices=Device.Platform.choices)


class DeviceRemoveSerializer(serializers.Serializer):
    token = PushTokenField()

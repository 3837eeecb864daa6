"""Request and response bodies of the device endpoints."""

from __future__ import annotations

from rest_framework import serializers

from reminders.models import Device, StaffDevice


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
    token = serializers.CharField(max_length=4096, help_text="The push token from the OS.")
    platform = serializers.ChoiceField(choices=Device.Platform.choices)


class DeviceRemoveSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=4096)

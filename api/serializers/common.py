"""Small shapes every answer shares: a person, a named thing."""
from __future__ import annotations

from typing import Any

from rest_framework import serializers


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class NamedOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LabelledOut(serializers.Serializer):
    """Bilingual reference data (fault categories): the label in the caller's language."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="label")


def person_or_none(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None

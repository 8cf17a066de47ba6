from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def service_contacts(request: HttpRequest) -> dict[str, object]:
    """CT1: the service contacts in every page footer."""
    return {
        "service_contact": {
            "name": settings.SERVICE_CONTACT_NAME_EN if get_language() == "en" else settings.SERVICE_CONTACT_NAME,
            "phone": settings.SERVICE_CONTACT_PHONE,
            "email": settings.SERVICE_CONTACT_EMAIL,
        }
    }

"""The kinds of import, by name: what `manage.py import_directory --kind`
accepts and what each admin's Import button reads.

The organisation's kinds are registered by this package; an app above the
ground floor adds its own from its `imports` module (tickets.imports: assets),
found the way the admin finds `admin` modules, so this floor never imports it.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from .resources import DirectoryResource

_KINDS: dict[str, ImportKind] = {}


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: Promise
    resource_class: type[DirectoryResource]


def import_kind_register(kind: ImportKind) -> None:
    _KINDS[kind.name] = kind


def import_kinds() -> dict[str, ImportKind]:
    """Every kind, once every installed app's `imports` module has registered its own."""
    autodiscover_modules("imports")
    return dict(sorted(_KINDS.items()))


def import_kind(name: str) -> ImportKind | None:
    return import_kinds().get(name)

"""Imports of the organisation and its equipment from CSV or Excel files
(django-import-export): departments, positions and people here, assets from
tickets.imports. One run (runs.import_run) serves the admin's preview and
confirmed import and `manage.py import_directory`: the file is read
(reading), every row checked by its resource (resources, widgets), and the
whole file written in one transaction, or nothing when a row is refused."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .kinds import ImportKind, import_kind_register
from .resources import DepartmentResource, PersonResource, PositionResource

import_kind_register(ImportKind("departments", _("departments"), DepartmentResource))
import_kind_register(ImportKind("positions", _("positions"), PositionResource))
import_kind_register(ImportKind("people", _("people"), PersonResource))

"""Assets from the asset register's CSV or Excel export (the admin's Import
button on assets, `manage.py import_directory --kind assets`).

Registered as an import kind with helpdesk.accounts.imports, which finds this
module the way the admin finds `admin` modules.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from helpdesk.accounts.imports.kinds import ImportKind, import_kind_register
from helpdesk.accounts.imports.resources import DirectoryResource
from helpdesk.accounts.imports.widgets import DayWidget, DepartmentWidget, PersonWidget, TextWidget, text_of
from helpdesk.core.input_bounds import DateBounds

from .models import Asset, AssetType

# Equipment installed in the last thirty years, and not in the future.
INSTALLED = DateBounds(years_back=30, years_ahead=None)

# What registers call the types besides our own labels.
TYPE_ALIASES = {
    "pc": AssetType.DESKTOP, "데스크톱": AssetType.DESKTOP, "데스크탑": AssetType.DESKTOP,
    "notebook": AssetType.LAPTOP, "노트북": AssetType.LAPTOP,
    "모니터": AssetType.MONITOR, "프린터": AssetType.PRINTER, "복합기": AssetType.PRINTER,
    "network": AssetType.NETWORK, "네트워크": AssetType.NETWORK, "스위치": AssetType.NETWORK,
    "기타": AssetType.OTHER,
}


class AssetTypeWidget(widgets.Widget):
    """The type as its code (laptop), its label in Korean or English, or a usual alias."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = text_of(value)
        if not text:
            return ""
        key = text.casefold().replace(" ", "")
        names: dict[str, str] = {}
        for choice in AssetType:
            names[choice.value] = choice.value
            for language in ("ko", "en"):
                with translation.override(language):
                    names[str(choice.label).casefold().replace(" ", "")] = choice.value
        found = names.get(key) or TYPE_ALIASES.get(key)
        if found is None:
            raise ValueError(
                _("%(value)s is not a type of equipment; write one of %(types)s.")
                % {"value": text, "types": ", ".join(str(choice.label) for choice in AssetType)}
            )
        return str(found)


class AssetResource(DirectoryResource):
    tag = Field(attribute="tag", column_name="tag", widget=TextWidget())
    asset_type = Field(attribute="asset_type", column_name="type", widget=AssetTypeWidget())
    model_name = Field(attribute="model_name", column_name="model", widget=TextWidget())
    serial = Field(attribute="serial", column_name="serial", widget=TextWidget())
    owner = Field(attribute="owner", column_name="owner", widget=PersonWidget())
    department = Field(attribute="department", column_name="department", widget=DepartmentWidget())
    location = Field(attribute="location", column_name="location", widget=TextWidget())
    installed_on = Field(attribute="installed_on", column_name="installed_on", widget=DayWidget(bounds=INSTALLED))

    column_help = [
        ("tag", gettext_lazy("asset tag, unique; twice in one file is refused")),
        ("type", gettext_lazy("desktop, laptop, monitor, printer, network or other (Korean names too)")),
        ("model", gettext_lazy("model name")),
        ("serial", gettext_lazy("serial number")),
        ("owner", gettext_lazy("the user's username or employee number; empty for shared equipment")),
        ("department", gettext_lazy("department code; empty: the owner's department")),
        ("location", gettext_lazy("where it is, e.g. 본관 3층")),
        ("installed_on", gettext_lazy("installation date, e.g. 2024-03-15")),
    ]
    required_columns = ("tag", "type")
    column_aliases = {
        "자산번호": "tag", "자산 번호": "tag", "종류": "type", "유형": "type", "장비유형": "type",
        "모델": "model", "모델명": "model", "일련번호": "serial", "시리얼": "serial", "s/n": "serial",
        "사용자": "owner", "소유자": "owner", "사번": "owner",
        "부서코드": "department", "부서": "department", "위치": "location", "설치장소": "location",
        "설치일": "installed_on", "설치일자": "installed_on", "도입일": "installed_on",
    }
    key_column = "tag"

    class Meta:
        model = Asset
        fields = ("tag", "asset_type", "model_name", "serial", "owner", "department", "location", "installed_on")
        import_id_fields = ("tag",)

    def import_instance(self, instance: Asset, row: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Shared equipment names its department; a person's follows them when the file leaves it empty.
        if instance.department_id is None and "department" not in errors:
            if instance.owner is not None and instance.owner.department_id is not None:
                instance.department = instance.owner.department
            elif "owner" not in errors:
                errors["department"] = [_("Give the department code, or an owner whose department is known.")]
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance: Asset, import_validation_errors: dict[str, Any] | None = None, validate_unique: bool = True
    ) -> None:
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        if "owner" in errors:
            exclude.add("department")  # it would have come from the owner: one reason is enough
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def describe(self, instance: Asset) -> str:
        owner = instance.owner.display_name if instance.owner_id else _("shared")
        department = instance.department.name if instance.department_id else ""
        return " · ".join(filter(None, [str(instance), owner, department]))


import_kind_register(ImportKind("assets", gettext_lazy("assets"), AssetResource))

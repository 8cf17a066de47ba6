"""django-import-export resources for the organisation: departments,
positions and people. tickets.imports adds assets on the same base.

Each resource says which columns it reads (`column_help`, shown on the
admin's import page and in the README), which of them a file must have, the
Korean headings it also accepts, and one key column: a row whose key is
already in the database updates that row, any other creates one, and a key
that comes twice in one file refuses the second row (the first would silently
lose to it).
"""
from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field

from ..models import Department, Position, User
from ..roles import Role
from .widgets import (
    DepartmentWidget,
    DivisionWidget,
    PhoneWidget,
    PositionWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
)


class DirectoryResource(resources.ModelResource):
    """Row checks every import shares: the key column's duplicates, line numbers."""

    #: (column, what it holds) in the order the import page lists them.
    column_help: ClassVar[list[tuple[str, Promise]]] = []
    #: Columns a file must have; the others may be left out (and then change nothing).
    required_columns: ClassVar[tuple[str, ...]] = ()
    #: Headings Korean spreadsheets use, to our column names.
    column_aliases: ClassVar[dict[str, str]] = {}
    #: The column that finds an existing row.
    key_column: ClassVar[str] = ""

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_html_diff = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: The file line of each data row (set by the import run); row n is lines[n - 1].
        self.lines: list[int] = []
        self.seen_keys: dict[str, int] = {}

    @classmethod
    def column_names(cls) -> list[str]:
        return [column for column, _help in cls.column_help]

    def line_of(self, row_number: int) -> int:
        return self.lines[row_number - 1] if 0 < row_number <= len(self.lines) else row_number + 1

    def get_instance(self, instance_loader: Any, row: Any) -> Any:
        # Keys are typed by people: the file's "pc-000001" is our PC-000001.
        field = self.fields[self.key_column]
        value = field.clean(row)
        if value in (None, ""):
            return None
        return self._meta.model.objects.filter(**{f"{field.attribute}__iexact": value}).order_by("pk").first()

    def import_field(self, field: Field, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any) -> None:
        if instance.pk is not None and field.attribute == self.fields[self.key_column].attribute:
            return  # an existing row keeps its key as it is written here
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        field = self.fields[self.key_column]
        key = str(row.get(field.column_name) or "").strip().casefold()
        if not key:
            raise ValidationError({field.attribute: _("This column must not be empty.")})
        line = self.line_of(kwargs.get("row_number", 0))
        first = self.seen_keys.setdefault(key, line)
        if first != line:
            raise ValidationError(
                {
                    field.attribute: _("%(value)s appears again in this file (first on line %(line)d).")
                    % {"value": row.get(field.column_name), "line": first}
                }
            )

    def describe(self, instance: Any) -> str:
        """What the preview says about a row besides its key."""
        return str(instance)


class DepartmentResource(DirectoryResource):
    code = Field(attribute="code", column_name="code", widget=TextWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    division = Field(attribute="division", column_name="division", widget=DivisionWidget())

    column_help = [
        ("code", gettext_lazy("department code, unique (people and assets refer to it)")),
        ("name", gettext_lazy("department name")),
        ("division", gettext_lazy("the division's code or name; the division must exist")),
    ]
    required_columns = ("code", "name", "division")
    column_aliases = {"부서코드": "code", "코드": "code", "부서명": "name", "부서": "name", "사업부": "division"}
    key_column = "code"

    class Meta:
        model = Department
        fields = ("code", "name", "division")
        import_id_fields = ("code",)

    def describe(self, instance: Department) -> str:
        return f"{instance.name} ({instance.division.name})" if instance.division_id else instance.name


class PositionResource(DirectoryResource):
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    name_en = Field(attribute="name_en", column_name="name_en", widget=TextWidget())
    rank = Field(attribute="rank", column_name="rank", widget=WholeNumberWidget(low=0, high=32767))

    column_help = [
        ("name", gettext_lazy("position name in Korean, unique (people refer to it)")),
        ("name_en", gettext_lazy("position name in English")),
        ("rank", gettext_lazy("rank, higher is more senior")),
        ("vip", gettext_lazy("optional check, Y or N: VIP follows from the rank, and a row that disagrees is refused")),
    ]
    required_columns = ("name", "rank")
    column_aliases = {"직위": "name", "직위명": "name", "직책": "name", "영문명": "name_en", "직급": "rank", "서열": "rank"}
    key_column = "name"

    class Meta:
        model = Position
        fields = ("name", "name_en", "rank")
        import_id_fields = ("name",)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        # VIP is not stored: it is rank >= VIP_MIN_RANK. A file that says
        # otherwise was written with another threshold in mind.
        if "vip" not in row:
            return
        try:
            said = YesNoWidget().clean(row["vip"])
            rank = WholeNumberWidget().clean(row.get("rank"))
        except ValueError as error:
            raise ValidationError({"rank": str(error)}) from error
        if said is not None and rank is not None and said != (rank >= settings.VIP_MIN_RANK):
            raise ValidationError(
                {
                    "rank": _("VIP follows from the rank: positions ranked %(min)d or higher are VIP.")
                    % {"min": settings.VIP_MIN_RANK}
                }
            )

    def describe(self, instance: Position) -> str:
        vip = _("VIP") if instance.rank is not None and instance.rank >= settings.VIP_MIN_RANK else ""
        return " ".join(filter(None, [f"{instance.name} ({instance.rank})", vip]))


class PersonResource(DirectoryResource):
    """People: new ones get no password (they sign in with the company account,
    or set one through "forgot your password") and the customer role."""

    username = Field(attribute="username", column_name="username", widget=TextWidget(lower=True))
    employee_no = Field(attribute="employee_no", column_name="employee_no", widget=TextWidget())
    last_name = Field(attribute="last_name", column_name="last_name", widget=TextWidget())
    first_name = Field(attribute="first_name", column_name="first_name", widget=TextWidget())
    department = Field(attribute="department", column_name="department", widget=DepartmentWidget())
    position = Field(attribute="position", column_name="position", widget=PositionWidget())
    phone = Field(attribute="phone", column_name="phone", widget=PhoneWidget())
    office_phone = Field(attribute="office_phone", column_name="office_phone", widget=PhoneWidget())
    email = Field(attribute="email", column_name="email", widget=TextWidget())
    active = Field(attribute="is_active", column_name="active", widget=YesNoWidget(default=True))

    column_help = [
        ("username", gettext_lazy("sign-in name, the same as in the company directory (unique)")),
        ("employee_no", gettext_lazy("employee number (unique)")),
        ("last_name", gettext_lazy("family name, e.g. 김")),
        ("first_name", gettext_lazy("given name, e.g. 민지")),
        ("department", gettext_lazy("department code; the department must exist")),
        ("position", gettext_lazy("position name (Korean or English); the position must exist")),
        ("phone", gettext_lazy("mobile number, e.g. 010-1234-5678 (text messages go here)")),
        ("office_phone", gettext_lazy("office number, e.g. 052-203-1234")),
        ("email", gettext_lazy("e-mail address")),
        ("active", gettext_lazy("Y or N; N stops the person signing in (empty: Y)")),
    ]
    required_columns = ("username", "last_name", "first_name", "department")
    column_aliases = {
        "아이디": "username", "사용자명": "username", "계정": "username",
        "사번": "employee_no", "직원번호": "employee_no",
        "성": "last_name", "이름": "first_name",
        "부서코드": "department", "부서": "department",
        "직위": "position", "직책": "position",
        "휴대전화": "phone", "휴대폰": "phone", "핸드폰": "phone",
        "사무실전화": "office_phone", "내선": "office_phone", "전화": "office_phone",
        "이메일": "email", "전자우편": "email",
        "재직": "active", "사용": "active", "재직여부": "active",
    }
    key_column = "username"

    class Meta:
        model = User
        fields = (
            "username", "employee_no", "last_name", "first_name", "department", "position",
            "phone", "office_phone", "email", "active",
        )
        import_id_fields = ("username",)

    def after_init_instance(self, instance: User, new: bool, row: Any, **kwargs: Any) -> None:
        if new:
            # No password until they sign in with the company account or reset one.
            instance.set_unusable_password()

    def import_instance(self, instance: User, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        # An empty employee number is "none", not a second person with "" (the column is unique).
        if not instance.employee_no:
            instance.employee_no = None

    def do_instance_save(self, instance: User, is_create: bool) -> None:
        super().do_instance_save(instance, is_create)
        if is_create:
            instance.groups.add(*Group.objects.filter(name=Role.CUSTOMER))

    def describe(self, instance: User) -> str:
        parts = [instance.display_name]
        if instance.department_id:
            parts.append(instance.department.name)
        if instance.position_id:
            parts.append(str(instance.position))
        if not instance.is_active:
            parts.append(_("cannot sign in"))
        return " · ".join(parts)

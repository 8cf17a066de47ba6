"""Cells to values for the imports, each refusal in words a person can act on.

django-import-export turns a ValueError raised here into a refused row, with
the message beside the column; its own widgets' messages are English and
technical ("Department matching query does not exist"), so every column that
can be wrong has one of these.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from import_export import widgets

from helpdesk.core.input_bounds import DateBounds
from helpdesk.core.times import iso_or_empty

from ..models import Department, Division, Position, User
from ..phones import phone_parse
from ..selectors import position_named

YES = {"y", "yes", "true", "1", "o", "예", "네", "사용", "재직", "활성"}
NO = {"n", "no", "false", "0", "x", "아니오", "아니요", "미사용", "퇴직", "퇴사", "비활성"}


def text_of(value: Any) -> str:
    return "" if value is None else str(value).strip()


class TextWidget(widgets.CharWidget):
    """Trimmed text; `lower` for keys compared without case (usernames)."""

    def __init__(self, *, lower: bool = False) -> None:
        super().__init__(allow_blank=True)
        self.lower = lower

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = text_of(value)
        return text.lower() if self.lower else text


class YesNoWidget(widgets.Widget):
    """Y/N, yes/no, 1/0, 예/아니오, 재직/퇴직…; empty is `default`."""

    def __init__(self, *, default: bool | None = None) -> None:
        super().__init__()
        self.default = default

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        text = text_of(value).lower()
        if not text:
            return self.default
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("Write Y or N (yes or no), not %(value)s.") % {"value": text_of(value)})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else ("Y" if value else "N")


class WholeNumberWidget(widgets.Widget):
    def __init__(self, *, low: int = 0, high: int = 32767) -> None:
        super().__init__()
        self.low, self.high = low, high

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = text_of(value)
        if not text:
            return None
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise ValueError(_("Write a whole number, not %(value)s.") % {"value": text})
        number = int(text)
        if not self.low <= number <= self.high:
            raise ValueError(
                _("Write a number from %(low)d to %(high)d.") % {"low": self.low, "high": self.high}
            )
        return number


class PhoneWidget(widgets.Widget):
    """A Korean phone number in any usual writing, stored as E.164; empty clears it."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = text_of(value)
        if not text:
            return ""
        number = phone_parse(text)
        if number is None:
            raise ValueError(_("%(value)s is not a Korean phone number.") % {"value": text})
        return number

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(value or "")


class DayWidget(widgets.Widget):
    """A date as 2024-03-15, 2024.03.15, 2024/03/15 or 20240315, or an Excel
    date; within `bounds`."""

    def __init__(self, *, bounds: DateBounds) -> None:
        super().__init__()
        self.bounds = bounds

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            day: date | None = value
        else:
            text = text_of(value)
            if not text:
                return None
            compact = re.sub(r"[./]", "-", text.rstrip("."))
            if re.fullmatch(r"\d{8}", compact):
                compact = f"{compact[:4]}-{compact[4:6]}-{compact[6:]}"
            try:
                day = parse_date(compact) if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", compact) else None
            except ValueError:  # the right shape, an impossible day: 2024-02-30
                day = None
            if day is None:
                raise ValueError(_("%(value)s is not a date; write it as 2024-03-15.") % {"value": text})
        first, last = self.bounds.span()
        if not first <= day <= last:
            raise ValueError(self.bounds.message())
        return day

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return iso_or_empty(value)


class DepartmentWidget(widgets.Widget):
    """A department by its code."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Department | None:
        code = text_of(value)
        if not code:
            return None
        department = Department.objects.filter(code__iexact=code).first()
        if department is None:
            raise ValueError(_("No department has the code %(code)s.") % {"code": code})
        return department

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if value else ""


class DivisionWidget(widgets.Widget):
    """A division by its code or its name."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Division | None:
        text = text_of(value)
        if not text:
            return None
        division = Division.objects.filter(Q(code__iexact=text) | Q(name=text)).order_by("pk").first()
        if division is None:
            raise ValueError(
                _("No division has the code or name %(value)s; add the division in the admin first.")
                % {"value": text}
            )
        return division

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if value else ""


class PositionWidget(widgets.Widget):
    """A position by its Korean or English name."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Position | None:
        name = text_of(value)
        if not name:
            return None
        position = position_named(name)
        if position is None:
            raise ValueError(
                _("No position is called %(name)s; import the positions first, or add it in the admin.")
                % {"name": name}
            )
        return position

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value else ""


class PersonWidget(widgets.Widget):
    """A person by username or employee number."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> User | None:
        text = text_of(value)
        if not text:
            return None
        person = User.objects.filter(Q(username__iexact=text) | Q(employee_no=text)).order_by("pk").first()
        if person is None:
            raise ValueError(_("No person has the username or employee number %(value)s.") % {"value": text})
        return person

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.username if value else ""

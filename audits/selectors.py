"""Every read of misconduct reports and audit cases.

One rule decides who may read them (`may_handle_cases`), and every view goes
through `cases_for` / `case_for`, which raise a 404 for anyone else. The rule
asks the database whether the person holds `audits.handle_case` through a
role (group) or a direct grant, and ignores superuser status: Django's
`has_perm` is always true for a superuser, and the demo `admin` is one, yet an
administrator without the auditor role must not read these cases (CR2).
"""
from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.http import Http404

from helpdesk.accounts.models import User

from .models import AuditCase, CaseView, MisconductReport

PERM_APP, PERM_CODENAME = "audits", "handle_case"


def _handle_case_permission() -> QuerySet[Permission]:
    return Permission.objects.filter(content_type__app_label=PERM_APP, codename=PERM_CODENAME)


def may_handle_cases(user: User) -> bool:
    """Whether `user` is an auditor: active and holding `audits.handle_case`
    through a group or directly, superuser or not."""
    if not (user.is_authenticated and user.is_active):
        return False
    cached = user.__dict__.get("_may_handle_cases")
    if cached is None:
        cached = _handle_case_permission().filter(Q(group__user=user) | Q(user=user)).exists()
        user.__dict__["_may_handle_cases"] = cached
    return cached


def auditors() -> QuerySet[User]:
    """The active people who handle cases (told of a new report), by the same rule."""
    perm = _handle_case_permission().first()
    if perm is None:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
        .order_by("pk")
    )


def cases_for(user: User, *, state: str = "") -> QuerySet[AuditCase]:
    """The cases `user` may read: all of them for an auditor, except one about
    the auditor themself; a 404 for anyone else."""
    if not may_handle_cases(user):
        raise Http404
    qs = AuditCase.objects.exclude(accused_id=user.pk).select_related("report", "handler", "accused")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-opened_at", "-pk")


def case_for(user: User, pk: int) -> AuditCase:
    try:
        return cases_for(user).select_related("report__reporter", "report__ticket", "closed_by").get(pk=pk)
    except AuditCase.DoesNotExist:
        raise Http404 from None


def case_history(case: AuditCase) -> QuerySet:
    return case.events.select_related("actor")


def case_view_log(case: AuditCase) -> QuerySet[CaseView]:
    return case.views.select_related("viewer")


def report_of_reporter(user: User, reference: str) -> MisconductReport | None:
    """The reporter's own report, for the acknowledgement (its reference only)."""
    return MisconductReport.objects.filter(reporter_id=user.pk, reference=reference).first()

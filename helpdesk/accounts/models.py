"""Users and the organisation they belong to."""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .roles import Role


class Division(models.Model):
    """사업부: the top of the customer organisation."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """부서. Visit rules (SV5) are shown on every engineer's visit card."""

    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="departments", verbose_name=_("division")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, unique=True)
    visit_rules = models.TextField(
        _("visit rules"),
        blank=True,
        help_text=_("Access, hours and dress rules engineers must follow when visiting."),
    )
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_departments",
        verbose_name=_("supervising department"),
        help_text=_("The department whose approvers approve this department's large-scale work."),
    )

    class Meta:
        ordering = ["division__name", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """팀: a unit of a department. Maintenance teams receive tickets."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("team lead"),
    )
    handles_tickets = models.BooleanField(
        _("handles tickets"), default=False, help_text=_("A maintenance team that works tickets.")
    )
    phone = models.CharField(_("team phone"), max_length=30, blank=True)
    served_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="serving_teams",
        verbose_name=_("departments served"),
        help_text=_("New tickets from these departments go to this team."),
    )

    class Meta:
        ordering = ["department__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """직위/직책 with a rank; VIP status (MT8) follows from the rank."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("Higher is more senior. Department heads and above are VIP.")
    )

    class Meta:
        ordering = ["-rank"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_vip(self) -> bool:
        return self.rank >= settings.VIP_MIN_RANK


def display_name_of(last_name: str | None, first_name: str | None, username: str | None) -> str:
    """A person's name as every page shows it, also from a row's columns (values()):
    Korean names read family name first with no space (홍길동); the username when
    there is no name."""
    return f"{last_name or ''}{first_name or ''}".strip() or (username or "")


class User(AbstractUser):
    """An employee: a customer, a member of staff, or both."""

    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    employee_no = models.CharField(
        _("employee number"), max_length=20, unique=True, null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("position"),
    )
    phone = PhoneNumberField(_("phone"), blank=True, region="KR")
    # The desk phone from the company directory (telephoneNumber); `phone` stays
    # the mobile, the number text messages go to.
    office_phone = PhoneNumberField(_("office phone"), blank=True, region="KR")
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.KOREAN
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["last_name", "first_name"], name="user_name_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name_of(self.last_name, self.first_name, self.username)

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def is_vip(self) -> bool:
        return self.position is not None and self.position.is_vip

    @property
    def phone_display(self) -> str:
        from .phones import phone_format

        return phone_format(self.phone)

    def has_role(self, role: Role | str) -> bool:
        # Cached per request object: templates ask several times per page.
        cache = self.__dict__.setdefault("_role_cache", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self.__dict__["_role_cache"] = cache
        return str(role) in cache or (self.is_superuser and str(role) == Role.ADMIN)

    @property
    def is_staff_member(self) -> bool:
        """Works tickets (desk, engineer, lead, chief, admin) — not the same as Django's is_staff."""
        return self.has_perm("tickets.work_ticket")


class AbsenceQuerySet(models.QuerySet["Absence"]):
    def covering(self, moment: datetime) -> AbsenceQuerySet:
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class Absence(models.Model):
    """Time off or out of office, with the colleague who covers (OV5)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("absent person"),
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="covering_absences",
        verbose_name=_("backup"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["user", "ends_at"], name="absence_user_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(backup=models.F("user")), name="absence_backup_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.backup}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The absence must end after it starts.")
        if self.user_id and self.backup_id and self.user_id == self.backup_id:
            errors["backup"] = _("Someone else must cover the absence.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now < self.ends_at

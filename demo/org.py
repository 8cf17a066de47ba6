"""The demo organisation: divisions, departments, teams, positions, people,
equipment and fault categories. Every function is idempotent — it creates
what is missing and leaves what exists — so `seed_demo` can run again."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from helpdesk.accounts.models import Absence, Department, Division, Position, Team, User
from helpdesk.accounts.roles import Role, roles_sync
from helpdesk.accounts.services import absence_create
from tickets.fault_categories import fault_categories_review
from tickets.models import Asset, AssetType, FaultCategory, SymptomQuestion

from . import DEMO_PASSWORD, data

GENERATED_PREFIX = "cust"
ENGINEER_PREFIX = "eng"
# Where generated engineers work: PC faults are half the work.
ENGINEER_TEAMS = [("PC", 2), ("PRN", 1), ("NET", 1)]
# Customers per department in the demo; the bulk generator adds more at scale.
BASE_CUSTOMERS = 120


@dataclass
class Org:
    divisions: dict[str, Division]
    departments: dict[str, Department]
    teams: dict[str, Team]
    positions: dict[str, Position]
    people: dict[str, User]


def password_hash() -> str:
    # One hash for every demo account: hashing thousands of passwords with
    # Argon2 would take minutes and they all share the documented password.
    return make_password(DEMO_PASSWORD)


def positions_ensure() -> dict[str, Position]:
    out: dict[str, Position] = {}
    for name, name_en, rank in data.POSITIONS:
        position, _created = Position.objects.update_or_create(
            name=name, defaults={"name_en": name_en, "rank": rank}
        )
        out[name] = position
    return out


def structure_ensure() -> tuple[dict[str, Division], dict[str, Department], dict[str, Team]]:
    divisions = {
        code: Division.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in data.DIVISIONS
    }
    departments: dict[str, Department] = {}
    for spec in data.DEPARTMENTS:
        dept, created = Department.objects.get_or_create(
            code=spec.code,
            defaults={"division": divisions[spec.division], "name": spec.name, "visit_rules": spec.visit_rules},
        )
        departments[spec.code] = dept
    # BS2: the IT strategy department approves every customer department's large-scale work.
    supervisor = departments[data.SUPERVISING_DEPARTMENT]
    Department.objects.filter(
        code__in=[spec.code for spec in data.DEPARTMENTS if spec.customers and spec.code != data.SUPERVISING_DEPARTMENT],
        supervisor__isnull=True,
    ).update(supervisor=supervisor)
    maintenance = departments[data.MAINTENANCE_DEPARTMENT]
    teams: dict[str, Team] = {}
    for spec in data.TEAMS:
        team, created = Team.objects.get_or_create(
            code=spec.code,
            defaults={"department": maintenance, "name": spec.name, "handles_tickets": True, "phone": spec.phone},
        )
        if created:
            team.served_departments.set([departments[c] for c in spec.serves])
        teams[spec.code] = team
    return divisions, departments, teams


def people_ensure(
    *, departments: dict[str, Department], teams: dict[str, Team], positions: dict[str, Position], hashed: str
) -> dict[str, User]:
    groups = {g.name: g for g in Group.objects.all()}
    people: dict[str, User] = {}
    for spec in data.PEOPLE:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "last_name": spec.last_name,
                "first_name": spec.first_name,
                "email": f"{spec.username}@example.com",
                "employee_no": f"N{len(people) + 1:05d}",
                "department": departments[spec.department],
                "team": teams[spec.team] if spec.team else None,
                "position": positions[spec.position],
                "phone": spec.phone,
                "language": spec.language,
                "password": hashed,
                "is_staff": spec.is_admin,
                "is_superuser": spec.is_admin,
            },
        )
        if created:
            user.groups.add(*(groups[r] for r in spec.roles))
        people[spec.username] = user
        if spec.leads and teams[spec.leads].lead_id is None:
            teams[spec.leads].lead = user
            teams[spec.leads].save(update_fields=["lead"])
    return people


def _generated_person(n: int, seed: int, departments: list[Department], positions: dict[str, Position]) -> User:
    # Seeded by the customer's number, so customer n is the same person
    # whichever run or batch creates them.
    rng = random.Random(f"{seed}:customer:{n}")
    family = rng.choices([f for f, _w in data.FAMILY_NAMES], weights=[w for _f, w in data.FAMILY_NAMES])[0]
    position = rng.choices(
        [p for p, _w in data.CUSTOMER_POSITION_WEIGHTS], weights=[w for _p, w in data.CUSTOMER_POSITION_WEIGHTS]
    )[0]
    username = f"{GENERATED_PREFIX}{n:05d}"
    return User(
        username=username,
        last_name=family,
        first_name=rng.choice(data.GIVEN_NAMES),
        email=f"{username}@example.com",
        employee_no=f"C{n:06d}",
        department=departments[n % len(departments)],
        position=positions[position],
        phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}",
        date_joined=timezone.now(),
    )


def _generated_ensure(
    *, prefix: str, role: str, target: int, make: Callable[[int], User], hashed: str | None, batch_size: int = 2000
) -> int:
    """Top up people named <prefix><n> to `target`; returns how many were created."""
    existing = User.objects.filter(username__startswith=prefix).count()
    if existing >= target:
        return 0
    hashed = hashed or password_hash()
    group = Group.objects.get(name=role)
    through = User.groups.through
    created = 0
    for start in range(existing + 1, target + 1, batch_size):
        users = [make(n) for n in range(start, min(start + batch_size, target + 1))]
        for user in users:
            user.password = hashed
        with transaction.atomic():
            User.objects.bulk_create(users)
            # Fetched by name: not every backend returns bulk-inserted keys.
            ids = User.objects.filter(username__in=[u.username for u in users]).values_list("pk", flat=True)
            through.objects.bulk_create([through(user_id=pk, group_id=group.pk) for pk in ids])
        created += len(users)
    return created


def customers_ensure(*, target: int, seed: int, hashed: str | None = None) -> int:
    positions = {p.name: p for p in Position.objects.all()}
    departments = list(
        Department.objects.filter(code__in=[d.code for d in data.DEPARTMENTS if d.customers]).order_by("code")
    )
    return _generated_ensure(
        prefix=GENERATED_PREFIX,
        role=Role.CUSTOMER,
        target=target,
        make=lambda n: _generated_person(n, seed, departments, positions),
        hashed=hashed,
    )


def engineers_ensure(*, target: int, seed: int, hashed: str | None = None) -> int:
    """More engineers for bigger data sets, spread over the repair teams, so
    each person's queue stays the size a real one would be."""
    teams = [Team.objects.get(code=code) for code, weight in ENGINEER_TEAMS for _ in range(weight)]
    department = Department.objects.get(code=data.MAINTENANCE_DEPARTMENT)
    positions = {p.name: p for p in Position.objects.all()}

    def make(n: int) -> User:
        rng = random.Random(f"{seed}:engineer:{n}")
        family = rng.choices([f for f, _w in data.FAMILY_NAMES], weights=[w for _f, w in data.FAMILY_NAMES])[0]
        username = f"{ENGINEER_PREFIX}{n:04d}"
        return User(
            username=username,
            last_name=family,
            first_name=rng.choice(data.GIVEN_NAMES),
            email=f"{username}@example.com",
            employee_no=f"S{n:06d}",
            department=department,
            team=teams[n % len(teams)],
            position=positions[rng.choice(["사원", "대리", "대리", "과장"])],
            phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}",
            date_joined=timezone.now(),
        )

    return _generated_ensure(prefix=ENGINEER_PREFIX, role=Role.ENGINEER, target=target, make=make, hashed=hashed)


def categories_ensure() -> dict[str, FaultCategory]:
    """The reviewed fault categories (the data migration seeds them; a flushed
    test database, or one migrated before them, gets them here)."""
    return fault_categories_review(FaultCategory, SymptomQuestion)


class _Tags:
    """Hands out the next free tag per prefix (PC-000123)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, asset_type: str) -> str:
        prefix = data.TAG_PREFIX[asset_type]
        if prefix not in self.next:
            last = (
                Asset.objects.filter(tag__startswith=f"{prefix}-").order_by("-tag").values_list("tag", flat=True).first()
            )
            self.next[prefix] = int(last.split("-")[1]) + 1 if last else 1
        n = self.next[prefix]
        self.next[prefix] = n + 1
        return f"{prefix}-{n:06d}"


def _asset(rng: random.Random, tags: _Tags, asset_type: str, department_id: int, owner_id: int | None) -> Asset:
    installed = timezone.localdate() - timedelta(days=rng.randint(60, 6 * 365))
    return Asset(
        tag=tags.take(asset_type),
        asset_type=asset_type,
        model_name=rng.choice(data.MODELS[asset_type]),
        serial="".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", k=10)),
        owner_id=owner_id,
        department_id=department_id,
        location=rng.choice(data.LOCATIONS).format(f=rng.randint(1, 6)),
        installed_on=installed,
    )


def assets_ensure(*, seed: int, batch_size: int = 5000) -> int:
    """Every customer gets a PC and a monitor (a third also a laptop); every
    customer department gets shared printers and network devices."""
    tags = _Tags()
    created = 0
    pending: list[Asset] = []

    def flush() -> None:
        nonlocal created, pending
        Asset.objects.bulk_create(pending)
        created += len(pending)
        pending = []

    customers = (
        User.objects.filter(groups__name=Role.CUSTOMER, department__isnull=False, assets__isnull=True)
        .order_by("pk")
        .values_list("pk", "username", "department_id")
    )
    for pk, username, department_id in customers.iterator(chunk_size=5000):
        rng = random.Random(f"{seed}:assets:{username}")
        pending.append(_asset(rng, tags, AssetType.DESKTOP, department_id, pk))
        pending.append(_asset(rng, tags, AssetType.MONITOR, department_id, pk))
        # Named demo people always have a laptop too, so their stories find one.
        if rng.random() < 0.33 or not username.startswith(GENERATED_PREFIX):
            pending.append(_asset(rng, tags, AssetType.LAPTOP, department_id, pk))
        if len(pending) >= batch_size:
            flush()
    customer_codes = [d.code for d in data.DEPARTMENTS if d.customers]
    for dept in Department.objects.filter(code__in=customer_codes).order_by("code"):
        rng = random.Random(f"{seed}:shared:{dept.code}")
        shared = set(
            Asset.objects.filter(department=dept, owner__isnull=True).values_list("asset_type", flat=True)
        )
        for asset_type, count in ((AssetType.PRINTER, rng.randint(1, 3)), (AssetType.NETWORK, rng.randint(1, 2))):
            if asset_type not in shared:
                pending.extend(_asset(rng, tags, asset_type, dept.pk, None) for _ in range(count))
    flush()
    return created


def absence_ensure(people: dict[str, User]) -> Absence | None:
    """One engineer away this week, covered by another (OV5)."""
    absent_name, backup_name, reason = data.ABSENT
    absent = people[absent_name]
    now = timezone.now()
    if Absence.objects.covering(now).filter(user=absent).exists():
        return None
    today = timezone.localdate(now)
    monday = timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), time.min))
    # Early on a Monday the week has barely begun; start a day back so the
    # demo's "assigned just now" story still falls inside the absence.
    starts_at = min(monday, now - timedelta(days=1))
    return absence_create(
        user=absent, backup=people[backup_name], starts_at=starts_at, ends_at=monday + timedelta(days=7), reason=reason
    )


def org_ensure(*, seed: int, customers: int = BASE_CUSTOMERS) -> Org:
    roles_sync()
    hashed = password_hash()
    positions = positions_ensure()
    divisions, departments, teams = structure_ensure()
    people = people_ensure(departments=departments, teams=teams, positions=positions, hashed=hashed)
    customers_ensure(target=customers, seed=seed, hashed=hashed)
    categories_ensure()
    assets_ensure(seed=seed)
    absence_ensure(people)
    return Org(divisions=divisions, departments=departments, teams=teams, positions=positions, people=people)

"""A plausible, deterministic company for demos and benchmarks.

Pure Python (no Django): ``generate_company(seed=7, size="small")`` returns the
org-unit tree and the people, always the same rows for the same seed and size.
The shape is a real company's: one CEO, a C-suite heading the departments,
functional heads ("Head of …", leader level *senior*) over sub-units, team leads
(*operational*) over teams, and everyone else in those teams. ``small`` is about
3,000 people with 150 leaders; ``large`` is SPEC.md's scale, 100,000 people with
5,000 leaders.

People are listed so that every manager comes before their reports, and units so
that every parent comes before its children: both can be inserted in one pass.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bellwether.demo.departments import DEPARTMENTS, Department
from bellwether.demo.names import FIRST_NAMES, LAST_NAMES, LOCATIONS, TEAM_NAMES
from bellwether.framework.catalogue import LEVEL_EXECUTIVE, LEVEL_OPERATIONAL, LEVEL_SENIOR

# Leader levels as the framework names them (``Person.leader_level``).
EXECUTIVE = LEVEL_EXECUTIVE
SENIOR = LEVEL_SENIOR
OPERATIONAL = LEVEL_OPERATIONAL


@dataclass(frozen=True, slots=True)
class SizeSpec:
    employees: int
    senior: int
    operational: int

    @property
    def leaders(self) -> int:
        return 1 + len(DEPARTMENTS) + self.senior + self.operational


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class PersonRow:
    employee_id: str
    name: str
    email: str
    title: str
    org_unit_code: str
    manager_employee_id: str | None
    leader_level: str
    location: str
    start_date: date
    active: bool


@dataclass(frozen=True, slots=True)
class Company:
    units: tuple[UnitRow, ...]
    people: tuple[PersonRow, ...]

    @property
    def ceo(self) -> PersonRow:
        return self.people[0]

    def leaders(self, level: str) -> list[PersonRow]:
        return [p for p in self.people if p.leader_level == level]


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(employees=3_000, senior=30, operational=108),
    "large": SizeSpec(employees=100_000, senior=400, operational=4_588),
}

# Fixed, so a seed gives the same company whatever day it is generated.
_EARLIEST_START = date(1999, 1, 4)
_LATEST_START = date(2025, 12, 1)


def _allocate(total: int, weights: Sequence[int], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each at least ``minimum``."""
    count = len(weights)
    if total < minimum * count:
        raise ValueError("total too small for the minimum")
    spare = total - minimum * count
    weight_sum = sum(weights)
    exact = [spare * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(count), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: spare - sum(shares)]:
        shares[i] += 1
    return [share + minimum for share in shares]


def _ascii_slug(text: str) -> str:
    normalised = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in normalised.lower() if ch.isalnum())


class _People:
    """Builds person rows with unique ids and email addresses."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        self.domain = domain
        self.rows: list[PersonRow] = []
        self._emails: dict[str, int] = {}
        self._locations = [name for name, _ in LOCATIONS]
        self._location_weights = [weight for _, weight in LOCATIONS]

    def _email(self, first: str, last: str) -> str:
        local = f"{_ascii_slug(first)}.{_ascii_slug(last)}"
        seen = self._emails.get(local, 0) + 1
        self._emails[local] = seen
        return f"{local}{seen if seen > 1 else ''}@{self.domain}"

    def location(self) -> str:
        return self.rng.choices(self._locations, self._location_weights)[0]

    def add(
        self,
        *,
        title: str,
        unit: str,
        manager: str | None,
        level: str,
        location: str | None = None,
        earliest: date = _EARLIEST_START,
        active: bool = True,
    ) -> str:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        employee_id = f"NW{len(self.rows) + 1:06d}"
        span = (_LATEST_START - earliest).days
        self.rows.append(
            PersonRow(
                employee_id=employee_id,
                name=f"{first} {last}",
                email=self._email(first, last),
                title=title,
                org_unit_code=unit,
                manager_employee_id=manager,
                leader_level=level,
                location=location or self.location(),
                start_date=earliest + timedelta(days=rng.randrange(span)),
                active=active,
            )
        )
        return employee_id


def generate_company(
    *, seed: int = 7, size: str = "small", domain: str = "northwind.example"
) -> Company:
    """The demo company for ``seed`` and ``size`` ("small" or "large")."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    spec = SIZES[size]
    rng = random.Random(seed)
    people = _People(rng, domain)
    units: list[UnitRow] = [UnitRow("NW", "Northwind Group", None)]
    headquarters = LOCATIONS[0][0]

    # Leaders who have been around longer: earlier start dates are possible for them all,
    # later ones are ruled out for the C-suite so nobody is a CEO since last month.
    ceo = people.add(
        title="Chief Executive Officer",
        unit="NW",
        manager=None,
        level=EXECUTIVE,
        location=headquarters,
        earliest=_EARLIEST_START,
    )
    office = "NW-CEO"
    units.append(UnitRow(office, "Office of the CEO", "NW"))
    for title in ("Chief of Staff", "Executive Assistant", "Executive Assistant"):
        people.add(title=title, unit=office, manager=ceo, level="", location=headquarters)

    seniors_per_department = _allocate(spec.senior, [d.weight for d in DEPARTMENTS], minimum=1)
    operational_per_department = _allocate(
        spec.operational, [d.weight for d in DEPARTMENTS], minimum=1
    )

    # (unit code, leader id, department) for every unit whose people sit at the bottom.
    leaf_units: list[tuple[str, str, Department]] = []
    leaf_weights: list[float] = []
    for department, senior_count, operational_count in zip(
        DEPARTMENTS, seniors_per_department, operational_per_department, strict=True
    ):
        executive = people.add(
            title=department.executive_title,
            unit=department.code,
            manager=ceo,
            level=EXECUTIVE,
            location=headquarters if rng.random() < 0.8 else None,
        )
        units.append(UnitRow(department.code, department.name, "NW"))
        teams_per_senior = _allocate(operational_count, [1] * senior_count)
        department_leaves: list[tuple[str, str, Department]] = []
        for index in range(senior_count):
            function = department.functions[index % len(department.functions)]
            repeat = index // len(department.functions)
            site = people.location()
            # Large departments repeat a function in several sites: "Contact Centre – Dublin".
            name = function if repeat == 0 else f"{function} – {site} {repeat + 1}"
            senior_unit = f"{department.code}-{index + 1:03d}"
            units.append(UnitRow(senior_unit, name, department.code))
            head = people.add(
                title=f"Head of {function}",
                unit=senior_unit,
                manager=executive,
                level=SENIOR,
                location=site,
            )
            if teams_per_senior[index] == 0:
                department_leaves.append((senior_unit, head, department))
            for team in range(teams_per_senior[index]):
                team_name = TEAM_NAMES[team % len(TEAM_NAMES)]
                suffix = "" if team < len(TEAM_NAMES) else f" {team // len(TEAM_NAMES) + 1}"
                team_unit = f"{senior_unit}-{team + 1:03d}"
                units.append(UnitRow(team_unit, f"{function} {team_name}{suffix}", senior_unit))
                lead = people.add(
                    title=f"Team Lead, {function}",
                    unit=team_unit,
                    manager=head,
                    level=OPERATIONAL,
                    location=site if rng.random() < 0.85 else None,
                )
                department_leaves.append((team_unit, lead, department))
        leaf_units.extend(department_leaves)
        leaf_weights.extend([department.weight / len(department_leaves)] * len(department_leaves))

    # Everyone else works in a team; bigger departments have bigger teams.
    contributors = spec.employees - len(people.rows)
    scale = 1000  # integer weights for the allocation, precise enough for team sizes
    team_sizes = _allocate(contributors, [round(w * scale) for w in leaf_weights])
    for (unit, lead, department), team_size in zip(leaf_units, team_sizes, strict=True):
        lead_location = people.rows[int(lead[2:]) - 1].location
        for _ in range(team_size):
            people.add(
                title=rng.choice(department.roles),
                unit=unit,
                manager=lead,
                level="",
                location=lead_location if rng.random() < 0.9 else None,
                # About one in a hundred has left but is still in the HRIS export.
                active=rng.random() >= 0.01,
            )
    return Company(units=tuple(units), people=tuple(people.rows))

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

EXECUTIVE = "executive"
SENIOR = "senior"
OPERATIONAL = "operational"


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


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    executive_title: str
    # Relative headcount: Operations and Customer Service are big, Legal is small.
    weight: int
    functions: tuple[str, ...]
    roles: tuple[str, ...]


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "FIN",
        "Finance",
        "Chief Financial Officer",
        5,
        (
            "Financial Planning & Analysis",
            "Accounting",
            "Treasury",
            "Tax",
            "Procurement",
            "Internal Audit",
        ),
        (
            "Financial Analyst",
            "Accountant",
            "Senior Accountant",
            "Finance Associate",
            "Procurement Specialist",
        ),
    ),
    Department(
        "OPS",
        "Operations",
        "Chief Operating Officer",
        20,
        (
            "Manufacturing",
            "Quality Assurance",
            "Facilities",
            "Field Operations",
            "Process Excellence",
            "Health & Safety",
        ),
        (
            "Operations Associate",
            "Production Technician",
            "Quality Inspector",
            "Field Engineer",
            "Process Analyst",
        ),
    ),
    Department(
        "TEC",
        "Technology",
        "Chief Technology Officer",
        12,
        (
            "Platform Engineering",
            "Infrastructure",
            "Information Security",
            "Enterprise Applications",
            "Data Engineering",
            "IT Service Desk",
        ),
        (
            "Software Engineer",
            "Senior Software Engineer",
            "Systems Administrator",
            "Security Analyst",
            "Service Desk Analyst",
        ),
    ),
    Department(
        "AID",
        "AI & Data",
        "Chief AI Officer",
        4,
        (
            "Data Science",
            "Machine Learning Engineering",
            "Analytics",
            "Data Governance",
            "AI Enablement",
        ),
        (
            "Data Scientist",
            "Machine Learning Engineer",
            "Data Analyst",
            "Analytics Engineer",
            "AI Product Specialist",
        ),
    ),
    Department(
        "PPL",
        "People",
        "Chief Human Resources Officer",
        4,
        (
            "Talent Acquisition",
            "Learning & Development",
            "Reward",
            "HR Business Partners",
            "Employee Relations",
        ),
        ("HR Advisor", "Recruiter", "Learning Designer", "Reward Analyst", "People Partner"),
    ),
    Department(
        "SAL",
        "Sales",
        "Chief Revenue Officer",
        14,
        (
            "Enterprise Sales",
            "Mid-Market Sales",
            "Inside Sales",
            "Partner Sales",
            "Sales Operations",
            "Key Accounts",
        ),
        (
            "Account Executive",
            "Sales Development Representative",
            "Account Manager",
            "Sales Analyst",
            "Solutions Consultant",
        ),
    ),
    Department(
        "MKT",
        "Marketing",
        "Chief Marketing Officer",
        5,
        ("Brand", "Digital Marketing", "Product Marketing", "Communications", "Market Insights"),
        (
            "Marketing Specialist",
            "Content Strategist",
            "Campaign Manager",
            "Communications Officer",
            "Insights Analyst",
        ),
    ),
    Department(
        "CUS",
        "Customer Service",
        "Chief Customer Officer",
        18,
        (
            "Contact Centre",
            "Customer Success",
            "Complaints & Resolution",
            "Service Quality",
            "Customer Onboarding",
        ),
        (
            "Customer Service Advisor",
            "Senior Customer Advisor",
            "Customer Success Manager",
            "Quality Analyst",
            "Onboarding Specialist",
        ),
    ),
    Department(
        "LEG",
        "Legal",
        "General Counsel",
        2,
        ("Commercial Legal", "Compliance", "Privacy", "Company Secretariat"),
        (
            "Legal Counsel",
            "Paralegal",
            "Compliance Analyst",
            "Privacy Analyst",
            "Contracts Manager",
        ),
    ),
    Department(
        "RSK",
        "Risk",
        "Chief Risk Officer",
        3,
        ("Enterprise Risk", "Credit Risk", "Operational Risk", "Model Risk"),
        (
            "Risk Analyst",
            "Senior Risk Analyst",
            "Credit Analyst",
            "Model Validator",
            "Controls Tester",
        ),
    ),
    Department(
        "SCM",
        "Supply Chain",
        "Chief Supply Chain Officer",
        13,
        (
            "Logistics",
            "Warehousing",
            "Demand Planning",
            "Sourcing",
            "Distribution",
            "Inventory Control",
        ),
        (
            "Logistics Coordinator",
            "Warehouse Operative",
            "Demand Planner",
            "Buyer",
            "Inventory Analyst",
        ),
    ),
)

SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(employees=3_000, senior=30, operational=108),
    "large": SizeSpec(employees=100_000, senior=400, operational=4_588),
}

# Headquarters first; the weights make London and Manchester the big sites.
LOCATIONS: tuple[tuple[str, int], ...] = (
    ("London", 30),
    ("Manchester", 18),
    ("Edinburgh", 8),
    ("Dublin", 10),
    ("Amsterdam", 8),
    ("Berlin", 7),
    ("New York", 8),
    ("Toronto", 5),
    ("Singapore", 6),
)

TEAM_NAMES: tuple[str, ...] = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Delivery",
    "Planning",
    "Quality",
    "Core",
    "Growth",
    "Improvement",
    "Support",
    "Projects",
    "Service",
    "Operations",
    "Partnerships",
)

FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah",
    "Aaron",
    "Abigail",
    "Adam",
    "Adebayo",
    "Aditi",
    "Agnieszka",
    "Ahmed",
    "Aidan",
    "Aisha",
    "Alejandro",
    "Alex",
    "Alice",
    "Amara",
    "Amelia",
    "Amir",
    "Ana",
    "Andrea",
    "Andrew",
    "Angela",
    "Anika",
    "Anna",
    "Arjun",
    "Astrid",
    "Ben",
    "Bianca",
    "Bilal",
    "Bronwen",
    "Callum",
    "Camille",
    "Carlos",
    "Caroline",
    "Catherine",
    "Chen",
    "Chloe",
    "Chidi",
    "Claire",
    "Connor",
    "Daniel",
    "Daniela",
    "David",
    "Deepa",
    "Diego",
    "Dmitri",
    "Eilidh",
    "Elena",
    "Eleanor",
    "Eli",
    "Emeka",
    "Emily",
    "Emma",
    "Eoin",
    "Erik",
    "Esther",
    "Fatima",
    "Felix",
    "Fiona",
    "Francesca",
    "Freya",
    "Gabriel",
    "Grace",
    "Greta",
    "Hamza",
    "Hannah",
    "Harry",
    "Hassan",
    "Helen",
    "Hiroshi",
    "Ibrahim",
    "Imogen",
    "Ines",
    "Isaac",
    "Isabel",
    "Ivan",
    "Jack",
    "Jacob",
    "James",
    "Jasmine",
    "Javier",
    "Jia",
    "Joanna",
    "Johan",
    "Jonathan",
    "Jorge",
    "Joseph",
    "Julia",
    "Kai",
    "Karen",
    "Karim",
    "Katarzyna",
    "Kavya",
    "Kenji",
    "Kwame",
    "Laila",
    "Lars",
    "Laura",
    "Layla",
    "Leah",
    "Leo",
    "Liam",
    "Lina",
    "Lucas",
    "Lucy",
    "Luis",
    "Maeve",
    "Maja",
    "Marcus",
    "Maria",
    "Mark",
    "Marta",
    "Mateo",
    "Matthew",
    "Maya",
    "Mei",
    "Michael",
    "Mohammed",
    "Naomi",
    "Nathan",
    "Niamh",
    "Nikhil",
    "Nina",
    "Noah",
    "Nora",
    "Oliver",
    "Olivia",
    "Omar",
    "Oscar",
    "Paolo",
    "Patrick",
    "Paul",
    "Pedro",
    "Peter",
    "Pooja",
    "Priya",
    "Rachel",
    "Rafael",
    "Rahul",
    "Rebecca",
    "Riya",
    "Robert",
    "Rosa",
    "Ruth",
    "Ryan",
    "Saanvi",
    "Samuel",
    "Sara",
    "Sean",
    "Sebastian",
    "Sergei",
    "Sofia",
    "Sophie",
    "Stefan",
    "Sunita",
    "Tariq",
    "Thomas",
    "Tomasz",
    "Umar",
    "Valentina",
    "Victor",
    "Wei",
    "William",
    "Xavier",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zara",
    "Zoe",
)

LAST_NAMES: tuple[str, ...] = (
    "Abbott",
    "Adeyemi",
    "Ahmed",
    "Ali",
    "Allen",
    "Andersen",
    "Baker",
    "Banerjee",
    "Barnes",
    "Becker",
    "Bell",
    "Bennett",
    "Bianchi",
    "Brennan",
    "Brown",
    "Byrne",
    "Campbell",
    "Carter",
    "Chan",
    "Chatterjee",
    "Chen",
    "Clarke",
    "Collins",
    "Cooper",
    "Costa",
    "Davies",
    "Dias",
    "Doherty",
    "Dubois",
    "Edwards",
    "Evans",
    "Fernandes",
    "Fischer",
    "Fitzgerald",
    "Fraser",
    "Garcia",
    "Gill",
    "Gonzalez",
    "Graham",
    "Green",
    "Gupta",
    "Hall",
    "Hansen",
    "Harris",
    "Hassan",
    "Hughes",
    "Hussain",
    "Iyer",
    "Jackson",
    "Jansen",
    "Jensen",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Kim",
    "King",
    "Kowalski",
    "Kumar",
    "Larsen",
    "Lee",
    "Lewis",
    "Li",
    "Lopez",
    "MacDonald",
    "Martin",
    "Martinez",
    "McCarthy",
    "Mehta",
    "Meyer",
    "Miller",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Murray",
    "Nakamura",
    "Nguyen",
    "Nielsen",
    "Novak",
    "Nowak",
    "Obi",
    "O'Brien",
    "Okafor",
    "Okonkwo",
    "O'Neill",
    "Osei",
    "Owen",
    "Patel",
    "Pereira",
    "Petrov",
    "Phillips",
    "Price",
    "Quinn",
    "Rahman",
    "Reid",
    "Reyes",
    "Richards",
    "Roberts",
    "Robertson",
    "Rodriguez",
    "Rossi",
    "Russo",
    "Sato",
    "Schmidt",
    "Scott",
    "Shah",
    "Sharma",
    "Silva",
    "Singh",
    "Smith",
    "Sokolova",
    "Stewart",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Van Dijk",
    "Walker",
    "Wang",
    "Ward",
    "Watson",
    "Weber",
    "White",
    "Williams",
    "Wilson",
    "Wong",
    "Wood",
    "Wright",
    "Wu",
    "Yamamoto",
    "Yang",
    "Young",
    "Zhang",
    "Zielinski",
)

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

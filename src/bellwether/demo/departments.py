"""The demo company's departments: each one's executive, functions and roles, and its
relative headcount. Data only, read by ``generator.py``."""

from __future__ import annotations

from dataclasses import dataclass


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

"""§2.1 AI Vision Co-Creation Process: the visioning sessions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VisioningSession:
    key: str
    number: int
    name: str
    duration: str
    agenda: tuple[str, ...]
    outcomes: tuple[str, ...]


VISIONING_SESSIONS = (
    VisioningSession(
        "vision.reality_and_opportunity",
        1,
        "AI Reality and Opportunity",
        "Half-day",
        (
            "AI competitive landscape analysis",
            "Industry AI transformation case studies",
            "Organization-specific AI opportunity assessment",
            "Current state AI capability audit",
            "AI threat and opportunity scenario planning",
        ),
        (
            "Shared understanding of AI competitive imperative",
            "Agreement on AI transformation urgency",
            "Identification of highest-impact AI opportunities",
            "Recognition of AI transformation complexity",
        ),
    ),
    VisioningSession(
        "vision.vision_and_strategy",
        2,
        "AI Vision and Strategy Development",
        "Full day",
        (
            "Organizational AI vision statement creation",
            "AI strategy alignment with business strategy",
            "AI transformation success metrics definition",
            "Resource requirements and investment planning",
            "Timeline and milestone establishment",
        ),
        (
            "Executive-authored AI vision and strategy",
            "Committed AI investment and resource allocation",
            "Agreed success metrics and accountability",
            "Unified leadership messaging and communication",
        ),
    ),
    VisioningSession(
        "vision.role_definition",
        3,
        "Leadership Role Definition",
        "Half-day",
        (
            "Individual leader AI responsibilities",
            "Cross-functional AI collaboration requirements",
            "Leadership communication and modeling expectations",
            "AI governance and decision-making processes",
            "Personal AI development commitments",
        ),
        (
            "Clear leadership accountability and expectations",
            "Personal AI development plans for each leader",
            "Communication and change management responsibilities",
            "Governance structure and decision-making processes",
        ),
    ),
)

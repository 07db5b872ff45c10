"""What a user reads on the engagement pages is the catalogue's words, never its keys
(``band.champion``, ``barrier.skill_gap_anxiety``)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bellwether.assessments.tests.factories import record_result
from bellwether.engagement import services

pytestmark = pytest.mark.django_db

KEY = re.compile(r"\b(?:band|barrier|concern|target|rule)\.[a-z_.]+\b")


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, attributes, scripts or styles."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_plan_page_and_pdf_name_their_rules_in_words(client_for, org, coachee):
    record_result(organisation=org, person=coachee, total=88)
    services.generate_plan(person=coachee, actor=None)
    client = client_for("admin")
    html = client.get(reverse("engagement:plan", args=[coachee.pk])).text
    assert "Rules behind this plan" in html
    assert KEY.findall(visible_text(html)) == []


def test_the_checklist_history_names_its_lines_in_words(client_for, leader_person):
    client = client_for("leader")
    url = reverse("engagement:barriers", args=[leader_person.pk])
    client.post(url, {"mark-barrier.skill_gap_anxiety": "primary"})
    text = visible_text(client.get(url).text)
    assert KEY.findall(text) == []
    history = text[text.index("History") :]
    assert "Skill Gap Anxiety" in history

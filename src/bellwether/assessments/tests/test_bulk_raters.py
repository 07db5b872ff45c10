"""Raters in bulk: by rule (manager + N peers of the unit + direct reports) or from a
CSV/XLSX rater list, previewed with what is left out and why, then applied all or
nothing (audited); refused roles change nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bellwether.assessments import services
from bellwether.assessments.models import Rater
from bellwether.assessments.tests.helpers import add_raters, close, launch
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people.models import Person

pytestmark = pytest.mark.django_db


def _url(cycle) -> str:
    return reverse("assessments:bulk_raters", args=[cycle.pk])


def _csv(*lines: str) -> SimpleUploadedFile:
    text = "\n".join(["leader_email,rater_email,kind", *lines]) + "\n"
    return SimpleUploadedFile("raters.csv", text.encode(), content_type="text/csv")


def test_the_rule_preview_lists_additions_and_explains_skips_and_writes_nothing(
    client_for, org, team
) -> None:
    lead = team.leaders[0]
    Person.objects.filter(pk=team.reports[2].pk).update(email="")
    cycle = launch(org, [team.boss, *team.leaders], scheduled=True)
    add_raters(cycle, lead, manager=[team.boss])
    client = client_for("admin")
    response = client.post(
        _url(cycle), {"action": "preview_rule", "manager": "on", "peers": "2", "reports": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    plan = response.context["plan"]
    mine = {(r.person_name, r.category) for r in plan.adds if r.leader_id == lead.pk}
    # Same unit, same level first, by name: the member Lena Leader, then Peer 0.
    assert mine == {
        ("Lena Leader", "peer"),
        ("Peer 0", "peer"),
        ("Report 0", "direct_report"),
        ("Report 1", "direct_report"),
    }
    reasons = {(s.leader_name, s.person_name, s.reason) for s in plan.skips}
    assert ("Ada Leader", "Bo Boss", "already a rater (manager)") in reasons
    assert ("Ada Leader", "Report 2", "has no e-mail address") in reasons
    assert ("Bo Boss", "—", "no manager on record") in reasons
    assert "Review before adding" in html
    assert "Has no e-mail address" in html
    assert Rater.objects.count() == 1  # the preview saved nothing


def test_applying_the_reviewed_rows_adds_and_invites_them_audited(client_for, org, team) -> None:
    cycle = launch(org, team.leaders)
    client = client_for("admin")
    preview = client.post(_url(cycle), {"action": "preview_rule", "peers": "1", "reports": "on"})
    tokens = [r.token for r in preview.context["plan"].adds]
    assert tokens
    mail.outbox.clear()
    response = client.post(_url(cycle), {"action": "apply", "source": "rule", "add": tokens[:-1]})
    assert response.status_code == 302
    assert Rater.objects.filter(cycle=cycle, status="approved").count() == len(tokens) - 1
    event = AuditEvent.objects.get(action="readiness.raters_bulk_assigned")
    assert event.details == {
        "source": "rule",
        "leaders": len({t.split(":")[0] for t in tokens[:-1]}),
        "raters": len(tokens) - 1,
    }
    assert all(r.invitation_id for r in Rater.objects.filter(cycle=cycle))


def test_applying_is_all_or_nothing(client_for, org, team) -> None:
    cycle = launch(org, team.leaders)
    lead = team.leaders[0]
    good = f"{lead.pk}:{team.reports[0].pk}:direct_report"
    itself = f"{lead.pk}:{lead.pk}:peer"
    response = client_for("admin").post(
        _url(cycle), {"action": "apply", "add": [good, itself]}, follow=True
    )
    assert response.status_code == 400
    assert "Ada Leader: A leader rates themself" in response.content.decode()
    assert not Rater.objects.exists()
    damaged = client_for("admin").post(_url(cycle), {"action": "apply", "add": ["1:x:peer"]})
    assert damaged.status_code == 400
    assert not Rater.objects.exists()


def test_a_rater_list_with_bad_rows_is_refused_with_each_line_and_saves_nothing(
    client_for, org, team
) -> None:
    cycle = launch(org, team.leaders[:2])
    lead, other = team.leaders[0], team.leaders[1]
    upload = _csv(
        f"{lead.email},{team.reports[0].email},direct_report",
        f"{lead.email},nobody@example.com,peer",
        f"{team.boss.email},{lead.email},manager",
        f"{lead.email},{other.email},friend",
        f"{lead.email},{team.reports[0].email},direct_report",
    )
    response = client_for("admin").post(_url(cycle), {"action": "preview_file", "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 3 (rater_email): No active person has the address “nobody@example.com”." in html
    assert "Line 4 (leader_email): Bo Boss is not assessed in this cycle." in html
    assert "Line 5 (kind): “friend” is not a kind" in html
    assert "Line 6 (rater_email): Line 2 already lists Report 0 for Ada Leader." in html
    assert 'name="add"' not in html
    assert not Rater.objects.exists()
    missing = client_for("admin").post(
        _url(cycle),
        {
            "action": "preview_file",
            "file": SimpleUploadedFile("r.csv", b"leader,rater\na@x,b@x\n"),
        },
    )
    assert "Line 1 (kind): The file has no kind column" in missing.content.decode()


def test_a_good_xlsx_rater_list_is_previewed_then_applied(client_for, org, team) -> None:
    cycle = launch(org, team.leaders[:2], scheduled=True)
    lead, other = team.leaders[0], team.leaders[1]
    add_raters(cycle, lead, manager=[team.boss])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Leader email", "Rater email", "Kind"])
    sheet.append([lead.email, team.boss.email, "manager"])
    sheet.append([lead.email, other.email.upper(), "Peer"])
    sheet.append([other.email, lead.email, "peer"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for("admin")
    upload = SimpleUploadedFile("raters.xlsx", buffer.getvalue())
    response = client.post(_url(cycle), {"action": "preview_file", "file": upload})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [(r.line, r.person_name) for r in plan.adds] == [(3, other.name), (4, lead.name)]
    assert [s.reason for s in plan.skips] == ["already a rater"]
    tokens = [r.token for r in plan.adds]
    client.post(_url(cycle), {"action": "apply", "source": "file", "add": tokens})
    assert Rater.objects.filter(cycle=cycle).count() == 3
    assert (
        AuditEvent.objects.get(action="readiness.raters_bulk_assigned").details["source"] == "file"
    )


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach"])
def test_other_roles_are_refused_and_nothing_changes(client_for, org, team, role) -> None:
    cycle = launch(org, team.leaders)
    lead = team.leaders[0]
    client = client_for(role)
    assert client.get(_url(cycle)).status_code == 403
    token = f"{lead.pk}:{team.reports[0].pk}:direct_report"
    assert client.post(_url(cycle), {"action": "apply", "add": [token]}).status_code == 403
    assert not Rater.objects.exists()


def test_another_organisations_cycle_is_not_found(client_for, org, team) -> None:
    cycle = launch(org, team.leaders)
    assert client_for("outsider").get(_url(cycle)).status_code == 404


def test_a_closed_cycle_refuses_bulk_raters(org, team) -> None:
    cycle = launch(org, team.leaders)
    close(cycle)
    with pytest.raises(DomainError, match="closed"):
        services.plan_by_rule(cycle=cycle, actor=None, peers=1)
    with pytest.raises(DomainError, match="closed"):
        services.apply_bulk_raters(
            cycle=cycle,
            actor=None,
            rows=[f"{team.leaders[0].pk}:{team.reports[0].pk}:direct_report"],
            source="rule",
        )
    assert not Rater.objects.exists()


def test_the_cycle_page_links_to_bulk_raters(client_for, org, team) -> None:
    cycle = launch(org, team.leaders, scheduled=True)
    html = client_for("admin").get(reverse("assessments:cycle", args=[cycle.pk])).content.decode()
    assert _url(cycle) in html

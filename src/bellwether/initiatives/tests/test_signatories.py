"""Issue 19: a package names its required signatories and alignment is measured over them;
an executive who stays silent counts against alignment, one who was not named does not
count. Service, form page, API, initiative page, portfolio, organisation figure and inbox."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.initiatives import selectors, services
from bellwether.initiatives.models import Initiative, Signatory
from bellwether.initiatives.tests.factories import agree_on_everything
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/initiatives"


@pytest.fixture
def live(initiative) -> Initiative:
    return services.change_stage(
        initiative=initiative, actor=None, stage="stage.learning_only_pilot"
    )


def test_a_silent_signatory_counts_against_alignment_everywhere(
    org, live, executive, second_executive
) -> None:
    services.set_signatories(initiative=live, actor=None, people=[executive, second_executive])
    agree_on_everything(live, executive)

    package = selectors.initiative_package(live, series_days=0)
    [row] = selectors.portfolio(Initiative.objects.filter(pk=live.pk))
    whole = selectors.organisation_alignment(org)
    for summary in (package.alignment, row.alignment, whole):
        assert (summary.executives, summary.aligned, summary.share) == (2, 1, 0.5)
        assert summary.pending == (second_executive.pk,)
    assert [(s.person, s.signed) for s in package.signers] == [
        (executive, True),
        (second_executive, False),
    ]
    event = AuditEvent.objects.get(action="initiative.signatories_set")
    assert event.details["added"] == sorted([executive.pk, second_executive.pk])


def test_a_position_from_an_executive_not_named_is_not_counted(
    org, live, executive, second_executive
) -> None:
    services.set_signatories(initiative=live, actor=None, people=[executive])
    agree_on_everything(live, second_executive)  # not named: shown, not counted
    summary = selectors.initiative_package(live, series_days=0).alignment
    assert (summary.executives, summary.aligned) == (1, 0)
    assert selectors.organisation_alignment(org).aligned == 0
    assert Signatory.objects.get(person=second_executive).required is False


def test_nobody_named_means_alignment_is_not_measured(org, live, executive) -> None:
    agree_on_everything(live, executive)
    assert selectors.initiative_package(live, series_days=0).alignment.share is None
    assert selectors.organisation_alignment(org).share is None


def test_taking_an_executive_off_the_list(live, executive, second_executive) -> None:
    services.set_signatories(initiative=live, actor=None, people=[executive, second_executive])
    agree_on_everything(live, executive)
    services.set_signatories(initiative=live, actor=None, people=[])
    # The one who spoke keeps their positions on the page; the silent one is gone.
    assert list(Signatory.objects.values_list("person_id", "required")) == [(executive.pk, False)]
    event = AuditEvent.objects.filter(action="initiative.signatories_set").latest("id")
    assert event.details["removed"] == sorted([executive.pk, second_executive.pk])
    # Named again, they count again.
    services.set_signatories(initiative=live, actor=None, people=[executive])
    assert selectors.initiative_package(live, series_days=0).alignment.aligned == 1


def test_only_executives_of_the_organisation_may_be_named(live, executive, leader_person) -> None:
    with pytest.raises(DomainError) as refused:
        services.set_signatories(initiative=live, actor=None, people=[executive, leader_person])
    assert refused.value.field_errors == {"signatories": ["Lena Leader is not an executive."]}
    assert not Signatory.objects.exists()


def test_the_inbox_asks_the_named_signatories_only(org, live, executive, second_executive) -> None:
    from bellwether.accounts.roles import Role
    from bellwether.testing.factories import make_member

    named = make_member(org, Role.SPONSOR, email="eve@acme.test", person=executive)
    unnamed = make_member(org, Role.SPONSOR, email="xavier@acme.test", person=second_executive)
    services.set_signatories(initiative=live, actor=None, people=[executive])
    services.record_alignment(
        initiative=live,
        actor=None,
        executive=second_executive,
        element="alignment.gates",
        agrees=True,
    )
    today = datetime.date(2026, 6, 1)
    assert [i.kind for i in selectors.inbox_items(named, today=today)] == ["initiatives.align"]
    assert selectors.inbox_items(unnamed, today=today) == []


def test_the_sponsor_names_them_on_a_form_and_the_page_shows_who_has_not_signed(
    client_for, live, executive, second_executive, leader_person
) -> None:
    client = client_for("sponsor")
    url = reverse("initiatives:signatories", args=[live.pk])
    form = client.get(url).content.decode()
    assert 'type="checkbox"' in form
    assert "Xavier Exec" in form
    assert "Lena Leader" not in form  # executives only
    response = client.post(url, {"signatories": [executive.pk, second_executive.pk]})
    assert response.status_code == 302
    agree_on_everything(live, executive)
    html = client.get(reverse("initiatives:detail", args=[live.pk])).content.decode()
    assert "<strong>1 of 2</strong> required signatories agree" in html
    assert "<strong>Not signed yet:</strong> Xavier Exec." in html
    assert "Has not signed</span> (0 of 5 elements answered)" in html


def test_the_form_refuses_a_person_who_is_not_an_executive(client_for, live, leader_person) -> None:
    url = reverse("initiatives:signatories", args=[live.pk])
    response = client_for("sponsor").post(url, {"signatories": [leader_person.pk]})
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert not Signatory.objects.exists()


def test_the_api_names_signatories_and_reports_who_has_signed(
    members, live, executive, second_executive, leader_person
) -> None:
    client = api_client_for(members["sponsor"])
    url = f"{BASE}/{live.pk}/signatories"
    response = client.put(
        url, {"person_ids": [executive.pk, second_executive.pk]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["alignment"]["share"] == 0
    agree_on_everything(live, executive)
    detail = client.get(f"{BASE}/{live.pk}").json()
    assert [(s["name"], s["signed"], s["aligned"]) for s in detail["signatories"]] == [
        ("Eve Executive", True, True),
        ("Xavier Exec", False, False),
    ]
    assert detail["alignment"]["pending"] == [second_executive.pk]
    for bad, message in (
        ([leader_person.pk], "Lena Leader is not an executive."),
        ([10**9], "There is no such person."),
    ):
        refused = client.put(url, {"person_ids": bad}, content_type="application/json")
        assert refused.status_code == 400
        assert message in str(refused.json()["error"])
    assert Signatory.objects.filter(required=True).count() == 2


def test_existing_signatories_default_to_required(live, executive) -> None:
    """The migration's default: rows from before the field were named or had spoken."""
    row = Signatory.objects.create(
        organisation=live.organisation, initiative=live, person=executive
    )
    assert row.required is True

import pytest
from django.test import Client

from bellwether.accounts.roles import Role
from bellwether.core import audit
from bellwether.core.models import AuditEvent, AuditLogIsAppendOnly
from bellwether.testing.factories import OrganisationFactory, make_member


@pytest.mark.parametrize("role", ["admin", "sponsor", "leader", "coach", "reviewer"])
def test_every_member_sees_their_organisation_home(client_for, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert b"Acme Corp" in response.content
    assert b"Globex" not in response.content


def test_the_home_counts_people_and_leaders_in_sql(
    client_for, members, django_assert_max_num_queries
):
    client = client_for("admin")
    # The admin's home also shows the KPIs, what is running and the task inbox
    # (insights/tests/test_home.py bounds it as the organisation grows).
    with django_assert_max_num_queries(60):
        response = client.get("/")
    summary = response.context["home"].programme["summary"]
    # leader_person (senior), coachee (operational); both active.
    assert (summary["people"], summary["leaders"], summary["org_units"]) == (2, 2, 1)


def test_a_user_without_membership_is_told_so(db):
    user = make_member(OrganisationFactory(), Role.ADMIN).user
    user.memberships.update(is_active=False)
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert b"not a member of any organisation" in response.content


def test_the_admin_browses_the_audit_log_of_their_organisation_only(
    client_for, members, org, other_org
):
    audit.record(action="people.imported", organisation=org, actor=members["admin"].user)
    audit.record(action="people.imported", organisation=other_org, actor=members["outsider"].user)
    response = client_for("admin").get("/audit/", {"action": "people."})
    assert response.status_code == 200
    labels = [event.actor_label for event in response.context["page"]]
    assert labels == ["admin@acme.test"]


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
def test_the_audit_log_is_refused_to_other_roles_and_the_refusal_is_logged(
    client_for, members, role
):
    before = AuditEvent.objects.filter(action="permission.denied").count()
    response = client_for(role).get("/audit/")
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(action="permission.denied").order_by("-id")
    assert denied.count() == before + 1
    event = denied.first()
    assert event.actor == members[role].user
    assert event.details["check"] == "accounts.view_audit_log"
    assert event.organisation == members[role].organisation


def test_audit_events_cannot_be_changed_or_deleted(org):
    event = audit.record(action="test.happened", organisation=org)
    event.action = "test.rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def test_a_member_of_two_organisations_can_switch_between_them(members, other_org):
    user = members["admin"].user
    membership = make_member(other_org, Role.SPONSOR)
    membership.user = user
    membership.save()
    client = Client()
    client.force_login(user)
    assert client.get("/").context["membership"].organisation.name == "Acme Corp"
    client.post("/organisation/switch/", {"organisation": other_org.pk})
    assert client.get("/").context["membership"].organisation.name == "Globex"


def test_switching_to_an_organisation_one_does_not_belong_to_does_nothing(client_for, other_org):
    client = client_for("admin")
    client.post("/organisation/switch/", {"organisation": other_org.pk})
    assert client.get("/").context["membership"].organisation.name == "Acme Corp"


def test_unknown_pages_get_the_friendly_404_page_and_api_paths_the_json_error(client_for):
    client = client_for("admin")
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert b"There is nothing here" in page.content
    api = client.get("/api/v1/no-such-endpoint")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"


def test_the_navigation_marks_only_the_most_specific_item_as_current(client_for):
    response = client_for("admin").get("/people/import/")
    current = [item["label"] for item in response.context["nav_items"] if item["active"]]
    assert current == ["Import"]
    response = client_for("admin").get("/people/")
    assert [item["label"] for item in response.context["nav_items"] if item["active"]] == ["People"]

"""The respondent's personal link: the form, drafts, one submission, clear dead-link pages."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from bellwether.surveys import services
from bellwether.surveys.models import Ballot, Completion, Invitation, Response
from bellwether.surveys.tests.helpers import close, launch, people_in, token_for


def _setup(org, unit):
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    return campaign, person, token_for(campaign, person)


def test_the_link_shows_the_questions_without_signing_in(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    page = Client().get(reverse("surveys:respond", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "I have confidence in our leadership&#x27;s direction on AI." in html
    assert "Acme Corp" in html
    assert 'hx-post="' + reverse("surveys:save_draft", args=[token]) + '"' in html
    assert "<script>" not in html
    assert "style=" not in html


def test_saving_and_coming_back_restores_the_draft(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    client = Client()
    url = reverse("surveys:respond", args=[token])
    saved = client.post(url, {"confidence": "4", "action": "save"})
    assert saved.status_code == 302
    html = Client().get(url).content.decode()
    assert 'name="confidence" value="4" checked' in html
    assert Response.objects.count() == 0


def test_the_htmx_draft_save_answers_with_a_status_line(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    answer = Client().post(reverse("surveys:save_draft", args=[token]), {"clarity": "2"})
    assert answer.status_code == 200
    assert "Saved at" in answer.content.decode()
    assert services.open_draft(Invitation.objects.get()) == {"clarity": 2}


def test_submitting_thanks_the_respondent_and_a_replay_changes_nothing(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    url = reverse("surveys:respond", args=[token])
    data = {"confidence": "5", "clarity": "4", "comment": "Keep going", "action": "submit"}
    first = Client().post(url, data)
    assert first.status_code == 302
    assert first["Location"] == reverse("surveys:thanks")
    replay = Client().post(url, data)
    assert replay.status_code == 410
    assert "Your answers were received" in replay.content.decode()
    assert (Ballot.objects.count(), Completion.objects.count()) == (1, 1)


def test_a_missing_answer_is_marked_and_the_others_kept(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    page = Client().post(
        reverse("surveys:respond", args=[token]), {"confidence": "3", "action": "submit"}
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="err-clarity"' in html
    assert 'name="confidence" value="3" checked' in html
    assert Response.objects.count() == 0


def test_dead_links_get_a_clear_page_never_an_error(org, unit) -> None:
    campaign, person, token = _setup(org, unit)
    forged = Client().get(reverse("surveys:respond", args=["12.abc~nope"]))
    assert (forged.status_code, "This link does not work" in forged.content.decode()) == (410, True)
    invitation = Invitation.objects.get()
    services.reissue_invitation(invitation=invitation, actor=None, send_email=False)
    old = Client().get(reverse("surveys:respond", args=[token]))
    assert "withdrawn" in old.content.decode()
    close(campaign)
    expired = Client().get(reverse("surveys:respond", args=[token_for(campaign, person)]))
    assert (expired.status_code, "has closed" in expired.content.decode()) == (410, True)
    late = Client().post(
        reverse("surveys:save_draft", args=[token_for(campaign, person)]), {"clarity": "2"}
    )
    assert late.status_code == 410
    assert services.open_draft(Invitation.objects.get()) == {}


def test_the_api_takes_a_draft_and_one_submission_by_token(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    client = Client()
    survey = client.get(f"/api/v1/surveys/respond/{token}").json()
    assert [q["key"] for q in survey["questions"]] == ["confidence", "clarity", "comment"]
    assert survey["anonymous"] is True
    draft = client.put(
        f"/api/v1/surveys/respond/{token}/draft",
        data={"answers": {"confidence": 2}},
        content_type="application/json",
    )
    assert draft.json() == {"status": "saved"}
    body = {"answers": {"confidence": 4, "clarity": 4}}
    done = client.post(
        f"/api/v1/surveys/respond/{token}", data=body, content_type="application/json"
    )
    assert done.status_code == 201
    again = client.post(
        f"/api/v1/surveys/respond/{token}", data=body, content_type="application/json"
    )
    assert again.status_code == 410
    assert again.json()["error"]["message"].startswith("Your answers were received")
    assert Ballot.objects.count() == 1
    assert Response.objects.count() == 0


def test_the_api_refuses_incomplete_answers_with_the_fields(org, unit) -> None:
    _campaign, _person, token = _setup(org, unit)
    answer = Client().post(
        f"/api/v1/surveys/respond/{token}",
        data={"answers": {"confidence": 9}},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {
        "confidence": ["Please choose one of the options."],
        "clarity": ["Please answer this question."],
    }

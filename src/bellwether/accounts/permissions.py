"""Every permission decision in Bellwether is made here.

Views, API endpoints and commands ask these functions; they never inspect roles
themselves. Two kinds of refusal:

* an object outside the member's organisation, or one they may not see, is
  reported as missing (404), so nobody learns what exists elsewhere;
* a page or action their role does not allow is refused outright (403).

Both are written to the audit log by ``deny``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.core import audit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.people.models import ImportJob, OrgUnit, Person


# --- role-level questions ------------------------------------------------------


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN)


def can_view_organisation_home(membership: Membership | None) -> bool:
    return membership is not None and membership.is_active


def can_view_framework(membership: Membership | None) -> bool:
    return can_view_organisation_home(membership)


def can_browse_people(membership: Membership | None) -> bool:
    """The people directory: everyone for admins and sponsors, coachees for coaches,
    reviewees for reviewers."""
    return membership is not None and membership.has_role(
        Role.ADMIN, Role.SPONSOR, Role.COACH, Role.REVIEWER
    )


def can_view_org_chart(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_import_people(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_export_people(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_view_audit_log(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_manage_members(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_use_api(membership: Membership | None) -> bool:
    return membership is not None and membership.is_active


# --- object-level questions ----------------------------------------------------


def visible_people(membership: Membership | None, people: QuerySet[Person]) -> QuerySet[Person]:
    """Restrict a queryset of people to those the member may see."""
    if membership is None:
        return people.none()
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return people
    kinds = []
    if membership.has_role(Role.COACH):
        kinds.append(Assignment.Kind.COACHEE)
    if membership.has_role(Role.REVIEWER):
        kinds.append(Assignment.Kind.REVIEWEE)
    assigned = Assignment.objects.filter(membership=membership, kind__in=kinds).values("person_id")
    if membership.person_id is not None:
        return people.filter(Q(pk__in=assigned) | Q(pk=membership.person_id))
    return people.filter(pk__in=assigned)


def can_view_person(membership: Membership | None, person: Person) -> bool:
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person.pk:
        return True
    kinds = []
    if membership.has_role(Role.COACH):
        kinds.append(Assignment.Kind.COACHEE)
    if membership.has_role(Role.REVIEWER):
        kinds.append(Assignment.Kind.REVIEWEE)
    return (
        bool(kinds)
        and Assignment.objects.filter(membership=membership, person=person, kind__in=kinds).exists()
    )


def can_edit_person(membership: Membership | None, person: Person) -> bool:
    return (
        membership is not None
        and is_admin(membership)
        and person.organisation_id == membership.organisation_id
    )


def can_view_org_unit(membership: Membership | None, unit: OrgUnit) -> bool:
    return (
        membership is not None
        and unit.organisation_id == membership.organisation_id
        and can_view_org_chart(membership)
    )


# --- enforcement -----------------------------------------------------------------


def deny(
    request: HttpRequest | None,
    membership: Membership | None,
    *,
    check: str,
    target: str = "",
    not_found: bool = False,
) -> NoReturn:
    """Record a refused permission check and raise 403 (or 404 for hidden objects)."""
    user = membership.user if membership is not None else None
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    event = audit.record(
        action="permission.denied",
        organisation=membership.organisation if membership is not None else None,
        actor=user,
        target_label=target,
        details={
            "check": check,
            "path": audit.redacted_path(request.path) if request is not None else "",
            "method": request.method if request is not None else "",
            "refused_as": "404" if not_found else "403",
        },
        request=request,
    )
    audit.mark_refusal_audited(request, event)  # the refusal middleware need not repeat it
    if not_found:
        raise Http404("Not found")
    raise PermissionDenied("You do not have access to this page.")


def require(
    request: HttpRequest | None, membership: Membership | None, allowed: bool, *, check: str
) -> None:
    """Refuse with 403 (audited) unless ``allowed``."""
    if not allowed:
        deny(request, membership, check=check)


def _person_or_404(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    allowed: Callable[[Membership | None, Person], bool],
    check: str,
    people: QuerySet[Person] | None = None,
) -> Person:
    """The person with this id in the member's organisation (among ``people``, default
    everyone) if ``allowed`` says the member may see them; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    rows = people if people is not None else Person.objects.all()
    person = (
        rows.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if person is None or not allowed(membership, person):
        deny(request, membership, check=check, target=f"person {pk}", not_found=True)
    assert person is not None
    return person


def get_person_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Person:
    """The person with this id if the member may see them; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    return _person_or_404(
        request,
        membership,
        pk,
        allowed=can_view_person,
        check="can_view_person",
        people=Person.objects.select_related("org_unit", "manager"),
    )


def get_org_unit_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> OrgUnit:
    from bellwether.people.models import OrgUnit

    unit = (
        OrgUnit.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if unit is None or not can_view_org_unit(membership, unit):
        deny(
            request, membership, check="can_view_org_unit", target=f"org unit {pk}", not_found=True
        )
    return unit


def get_import_job_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> ImportJob:
    """An import job of the member's organisation if they may import; otherwise 404 (audited).

    The uploaded file itself is not loaded.
    """
    from bellwether.people.models import ImportJob

    job = None
    if membership is not None:
        job = (
            ImportJob.objects.defer("content")
            .select_related("created_by")
            .filter(pk=pk, organisation_id=membership.organisation_id)
            .first()
        )
    if job is None or not can_import_people(membership):
        deny(
            request,
            membership,
            check="can_import_people",
            target=f"import job {pk}",
            not_found=True,
        )
    return job


# --- AI initiatives (issue 6) ---------------------------------------------------------
# Admins and executive sponsors see and edit every initiative; a leader sees the ones
# they sponsor, own or are asked to sign; coaches and reviewers see none.

if TYPE_CHECKING:
    from bellwether.initiatives.models import DecisionLogEntry, Initiative


def can_view_initiatives(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR, Role.LEADER)


def can_manage_initiatives(membership: Membership | None) -> bool:
    """Create initiatives, configure bottleneck teams, see the whole portfolio."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def visible_initiatives(
    membership: Membership | None, initiatives: QuerySet[Initiative]
) -> QuerySet[Initiative]:
    if membership is None or not can_view_initiatives(membership):
        return initiatives.none()
    initiatives = initiatives.filter(organisation_id=membership.organisation_id)
    if can_manage_initiatives(membership):
        return initiatives
    person = membership.person_id
    if person is None:
        return initiatives.none()
    from bellwether.initiatives.models import Signatory

    signed = Signatory.objects.filter(person_id=person).values("initiative_id")
    return initiatives.filter(
        Q(sponsor_id=person)
        | Q(business_owner_id=person)
        | Q(model_owner_id=person)
        | Q(operational_owner_id=person)
        | Q(pk__in=signed)
    )


def can_view_initiative(membership: Membership | None, initiative: Initiative) -> bool:
    if membership is None or initiative.organisation_id != membership.organisation_id:
        return False
    if can_manage_initiatives(membership):
        return True
    if not can_view_initiatives(membership) or membership.person_id is None:
        return False
    person = membership.person_id
    if person in {
        initiative.sponsor_id,
        initiative.business_owner_id,
        initiative.model_owner_id,
        initiative.operational_owner_id,
    }:
        return True
    from bellwether.initiatives.models import Signatory

    return Signatory.objects.filter(initiative=initiative, person_id=person).exists()


def is_initiative_sponsor(membership: Membership | None, initiative: Initiative) -> bool:
    return (
        membership is not None
        and membership.person_id is not None
        and membership.person_id == initiative.sponsor_id
    )


def can_edit_initiative(membership: Membership | None, initiative: Initiative) -> bool:
    return can_view_initiative(membership, initiative) and (
        can_manage_initiatives(membership) or is_initiative_sponsor(membership, initiative)
    )


def can_change_initiative_stage(membership: Membership | None, initiative: Initiative) -> bool:
    return can_view_initiative(membership, initiative) and (
        is_admin(membership) or is_initiative_sponsor(membership, initiative)
    )


def is_executive_member(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.is_active
        and membership.person is not None
        and membership.person.leader_level == "executive"
    )


def can_endorse_gates(membership: Membership | None, initiative: Initiative) -> bool:
    """Endorsing or waiving a gate, and recording alignment: executives who are members."""
    return is_executive_member(membership) and can_view_initiative(membership, initiative)


def can_override_capacity(membership: Membership | None, initiative: Initiative) -> bool:
    """Only the initiative's sponsor may start work beyond a bottleneck team's cap."""
    return is_initiative_sponsor(membership, initiative)


def get_initiative_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Initiative:
    """The initiative if the member may see it: 403 for roles that see no initiatives,
    404 (audited) for one of another organisation or one they don't sign."""
    from bellwether.initiatives.models import Initiative

    if membership is not None and not can_view_initiatives(membership):
        deny(request, membership, check="can_view_initiatives")
    initiative = (
        Initiative.objects.select_related(
            "sponsor", "business_owner", "model_owner", "operational_owner"
        )
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if initiative is None or not can_view_initiative(membership, initiative):
        deny(
            request,
            membership,
            check="can_view_initiative",
            target=f"initiative {pk}",
            not_found=True,
        )
    return initiative


def get_decision_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> DecisionLogEntry:
    """An entry of the AI decision log, for members who manage initiatives; 404 (audited)
    for one of another organisation."""
    from bellwether.initiatives.models import DecisionLogEntry

    if membership is not None and not can_manage_initiatives(membership):
        deny(request, membership, check="can_manage_initiatives")
    entry = (
        DecisionLogEntry.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if entry is None:
        deny(request, membership, check="get_decision_for", target=f"decision {pk}", not_found=True)
    return entry


# --- surveys (issue 3) -----------------------------------------------------------------
# Admins build instruments, run campaigns and see results; executive sponsors see the
# aggregated results of closed campaigns; respondents use only their token link.

if TYPE_CHECKING:
    from bellwether.surveys.models import Campaign, Instrument, Invitation


def can_manage_surveys(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_view_survey_results_page(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_view_campaign_results(membership: Membership | None, campaign: Campaign) -> bool:
    if membership is None or campaign.organisation_id != membership.organisation_id:
        return False
    if is_admin(membership):
        return True
    from django.utils import timezone

    return membership.has_role(Role.SPONSOR) and campaign.closes_at <= timezone.now()


def get_campaign_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    results: bool = False,
) -> Campaign:
    """A campaign of the member's organisation they may manage (or, with ``results``,
    whose results they may see); otherwise 404 (audited)."""
    from bellwether.surveys.models import Campaign

    rows = Campaign.objects.select_related("version__instrument", "organisation")
    if results:
        # A 360's answers are read only through the readiness reports and their rules.
        rows = rows.filter(mode=Campaign.Mode.ANONYMOUS)
    campaign = (
        rows.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    allowed = campaign is not None and (
        can_view_campaign_results(membership, campaign)
        if results
        else can_manage_surveys(membership)
    )
    if not allowed:
        deny(
            request,
            membership,
            check="can_view_campaign_results" if results else "can_manage_surveys",
            target=f"campaign {pk}",
            not_found=True,
        )
    assert campaign is not None
    return campaign


def get_instrument_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Instrument:
    """An instrument of the member's organisation an admin may build; otherwise 404."""
    from bellwether.surveys.models import Instrument

    instrument = (
        Instrument.objects.select_related("organisation")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if instrument is None or not can_manage_surveys(membership):
        deny(
            request,
            membership,
            check="can_manage_surveys",
            target=f"instrument {pk}",
            not_found=True,
        )
    return instrument


def get_invitation_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Invitation:
    """An invitation an admin of its organisation may revoke or reissue; otherwise 404."""
    from bellwether.surveys.models import Invitation

    invitation = (
        Invitation.objects.select_related("campaign", "organisation")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if invitation is None or not can_manage_surveys(membership):
        deny(
            request,
            membership,
            check="can_manage_surveys",
            target=f"invitation {pk}",
            not_found=True,
        )
    return invitation


def is_coach_of(membership: Membership | None, person_id: int) -> bool:
    """The member coaches this person (a coachee assignment in the same organisation)."""
    return (
        membership is not None
        and membership.has_role(Role.COACH)
        and Assignment.objects.filter(
            membership=membership,
            person_id=person_id,
            kind=Assignment.Kind.COACHEE,
            organisation_id=membership.organisation_id,
        ).exists()
    )


# --- readiness assessment (issue 4) -------------------------------------------------------
# Admins run cycles and see every report; executive sponsors see every report and the
# organisation views; a leader sees their own report; a coach their coachees' reports.
# Nobody sees an individual rater's answers.


def can_view_readiness(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(
        Role.ADMIN, Role.SPONSOR, Role.LEADER, Role.COACH
    )


if TYPE_CHECKING:
    from bellwether.assessments.models import Rater, ReadinessCycle


def can_manage_readiness(membership: Membership | None) -> bool:
    """Launch and close cycles, choose raters, approve nominations, send reminders."""
    return is_admin(membership)


def can_view_readiness_cycles(membership: Membership | None) -> bool:
    """The cycles list and progress pages (completion counts only, never answers)."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_view_readiness_band(membership: Membership | None, person_id: int) -> bool:
    """A leader's current band: admins and sponsors all, a leader their own, a coach their
    coachees'."""
    if membership is None:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person_id and membership.has_role(Role.LEADER):
        return True
    return is_coach_of(membership, person_id)


def can_nominate_readiness_raters(membership: Membership | None, cycle: ReadinessCycle) -> bool:
    """A leader nominates raters for their own assessment in a "nominated" cycle."""
    if membership is None or membership.person_id is None:
        return False
    if cycle.organisation_id != membership.organisation_id or cycle.rater_mode != "nominated":
        return False
    return (
        membership.has_role(Role.LEADER)
        and cycle.leaders.filter(person_id=membership.person_id).exists()
    )


def get_readiness_cycle_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> ReadinessCycle:
    """A cycle of the member's organisation; otherwise 404 (audited). Pages check the
    role (``can_view_readiness_cycles``, ``can_nominate_readiness_raters``) themselves."""
    from bellwether.assessments.models import ReadinessCycle

    cycle = (
        ReadinessCycle.objects.select_related("campaign", "organisation")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if cycle is None:
        deny(
            request,
            membership,
            check="get_readiness_cycle_for",
            target=f"readiness cycle {pk}",
            not_found=True,
        )
    return cycle


def get_readiness_rater_for(
    request: HttpRequest | None, membership: Membership | None, cycle: ReadinessCycle, pk: int
) -> Rater:
    """A rater row of this cycle: admins any; a leader their own nominations."""
    from bellwether.assessments.models import Rater

    rater = (
        Rater.objects.select_related("cycle__organisation", "invitation")
        .filter(pk=pk, cycle=cycle)
        .first()
    )
    allowed = rater is not None and (
        can_manage_readiness(membership)
        or (membership is not None and rater.leader_id == membership.person_id)
    )
    if not allowed:
        deny(
            request,
            membership,
            check="can_manage_readiness",
            target=f"readiness rater {pk}",
            not_found=True,
        )
    assert rater is not None
    return rater


def can_view_readiness_report(membership: Membership | None, person: Person) -> bool:
    """A leader's individual readiness report: admins and sponsors all, a leader their own,
    a coach their coachees'; reviewers none."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person.pk and can_view_readiness(membership):
        return True
    return is_coach_of(membership, person.pk)


def can_view_readiness_organisation(membership: Membership | None) -> bool:
    """The organisation views (distribution, heatmap, transitions, export)."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def get_readiness_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """The leader whose readiness report the member may open; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    return _person_or_404(
        request,
        membership,
        pk,
        allowed=can_view_readiness_report,
        check="can_view_readiness_report",
        people=Person.objects.select_related("org_unit"),
    )


# (end of readiness assessment section)


# --- influence map (issue 5) --------------------------------------------------------------
# Admins see and edit the map; executive sponsors see it; coaches see and edit their
# coachees' influence profiles. Leaders do not see the map (it labels their peers).


def can_view_influence_map(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


if TYPE_CHECKING:
    from bellwether.influence.models import PlannerRun, Tie


def can_edit_influence_map(membership: Membership | None) -> bool:
    """Ties, tie imports, recomputing the analytics and running the planner."""
    return is_admin(membership)


def can_open_influence_profiles(membership: Membership | None) -> bool:
    """The role may open profile pages at all (which ones: ``can_view_influence_profile``)."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR, Role.COACH)


def can_view_influence_profile(membership: Membership | None, person: Person) -> bool:
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    return is_coach_of(membership, person.pk)


def can_edit_influence_profile(membership: Membership | None, person: Person) -> bool:
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    return is_admin(membership) or is_coach_of(membership, person.pk)


def get_influence_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """An active leader whose influence profile the member may see; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    return _person_or_404(
        request,
        membership,
        pk,
        allowed=can_view_influence_profile,
        check="can_view_influence_profile",
        people=Person.objects.select_related("org_unit")
        .filter(active=True)
        .exclude(leader_level=""),
    )


def get_tie_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Tie:
    """A tie of the member's organisation if they may see the map; otherwise 404 (audited)."""
    from bellwether.influence.models import Tie

    tie = (
        Tie.objects.select_related("source", "target")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if tie is None or not can_view_influence_map(membership):
        deny(
            request, membership, check="can_view_influence_map", target=f"tie {pk}", not_found=True
        )
    return tie


def get_planner_run_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> PlannerRun:
    from bellwether.influence.models import PlannerRun

    run = (
        PlannerRun.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if run is None or not can_view_influence_map(membership):
        deny(
            request,
            membership,
            check="can_view_influence_map",
            target=f"planner run {pk}",
            not_found=True,
        )
    return run


# (end of influence map section)


# --- barriers and engagement plans (issue 5) ----------------------------------------------
# Admins see and edit every plan; sponsors read them; a coach sees and edits their
# coachees' plans and barriers; a leader sees their own plan and fills their own barriers.


def can_view_engagement_plans(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(
        Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER
    )


def can_view_barrier_frequency(membership: Membership | None) -> bool:
    """The organisation-wide barrier counts: admins and executive sponsors."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_view_engagement_of(membership: Membership | None, person: Person) -> bool:
    """A leader's plan and barrier checklist: admins and sponsors all, a coach their
    coachees', a leader their own."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.has_role(Role.LEADER) and membership.person_id == person.pk:
        return True
    return is_coach_of(membership, person.pk)


def can_edit_engagement_plan(membership: Membership | None, person: Person) -> bool:
    """Generate and edit a plan: admins, and a coach for their coachees."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    return is_admin(membership) or is_coach_of(membership, person.pk)


def can_edit_barriers(membership: Membership | None, person: Person) -> bool:
    """Fill the barrier checklist: admins, the leader's coach, the leader (own)."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if is_admin(membership) or is_coach_of(membership, person.pk):
        return True
    return membership.has_role(Role.LEADER) and membership.person_id == person.pk


def visible_engagement_people(
    membership: Membership | None, people: QuerySet[Person]
) -> QuerySet[Person]:
    """The people whose plans and checklists the member may see."""
    if membership is None or not can_view_engagement_plans(membership):
        return people.none()
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return people
    allowed = Q(pk__in=[])
    if membership.has_role(Role.COACH):
        allowed |= Q(
            pk__in=Assignment.objects.filter(
                membership=membership, kind=Assignment.Kind.COACHEE
            ).values("person_id")
        )
    if membership.has_role(Role.LEADER) and membership.person_id is not None:
        allowed |= Q(pk=membership.person_id)
    return people.filter(allowed)


def get_engagement_person_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: str = "",
) -> Person:
    """The leader whose plan or checklist is asked for: 403 for roles without plans,
    404 (audited) for someone of another organisation or whom the member may not see,
    403 when ``edit`` ("plan" or "barriers") is asked and the member may only read."""
    from bellwether.people.models import Person

    if membership is not None and not can_view_engagement_plans(membership):
        deny(request, membership, check="can_view_engagement_plans")
    person = _person_or_404(
        request,
        membership,
        pk,
        allowed=can_view_engagement_of,
        check="can_view_engagement_of",
        people=Person.objects.select_related("org_unit", "organisation"),
    )
    if edit == "plan" and not can_edit_engagement_plan(membership, person):
        deny(request, membership, check="can_edit_engagement_plan", target=f"person {pk}")
    if edit == "barriers" and not can_edit_barriers(membership, person):
        deny(request, membership, check="can_edit_barriers", target=f"person {pk}")
    return person


# (end of barriers and engagement plans section)

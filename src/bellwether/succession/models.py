"""Development pathways (§4.2), succession (§4.3) and the learnings log (§4.3).

Framework vocabulary (pathway, plan-item kind, readiness, phase and learning kind keys)
is stored by key; names come from the catalogue."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel
from bellwether.framework.catalogue import (
    CATALOGUE,
    LEARNING_KINDS,
    PLAN_ITEM_KINDS,
    PROGRAMME_PHASES,
    SUCCESSION_READINESS,
)
from bellwether.initiatives.models import Initiative
from bellwether.people.models import OrgUnit, Person

PATHWAY_CHOICES = [(p.key, p.name) for p in CATALOGUE.development_pathways]
PLAN_ITEM_CHOICES = [(k.key, k.name) for k in PLAN_ITEM_KINDS]
READINESS_CHOICES = [(r.key, r.name) for r in SUCCESSION_READINESS]
PHASE_CHOICES = [(p.key, p.name) for p in PROGRAMME_PHASES]
LEARNING_KIND_CHOICES = [(k.key, k.name) for k in LEARNING_KINDS]


class PathwayPlacement(TenantModel):
    """A leader placed on one development pathway, with its plan items."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="pathway")
    pathway = models.CharField(max_length=60, choices=PATHWAY_CHOICES)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["person__name", "id"]

    def __str__(self) -> str:
        return f"{self.person} on {self.get_pathway_display()}"


class ChecklistItem(TenantModel):
    """One line of a checklist (a pathway plan, a knowledge transfer): what to do, and the
    day it was done (None: still open)."""

    text = models.CharField(max_length=300)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class PlanItem(ChecklistItem):
    placement = models.ForeignKey(PathwayPlacement, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=40, choices=PLAN_ITEM_CHOICES)


class CriticalPosition(TenantModel):
    title = models.CharField(max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incumbent = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Successor(TenantModel):
    position = models.ForeignKey(
        CriticalPosition, on_delete=models.CASCADE, related_name="successors"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    readiness = models.CharField(max_length=40, choices=READINESS_CHOICES)
    high_potential = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["position_id", "readiness", "id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "person"], name="one_successor_entry")
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.position}"


class TransferItem(ChecklistItem):
    """Knowledge to hand over for a critical position (§4.3 "knowledge transfer")."""

    position = models.ForeignKey(
        CriticalPosition, on_delete=models.CASCADE, related_name="transfer_items"
    )


class Learning(TenantModel):
    """A documented transformation learning or best practice (§4.3 legacy systems)."""

    kind = models.CharField(max_length=40, choices=LEARNING_KIND_CHOICES)
    title = models.CharField(max_length=200)
    body = models.TextField()
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase = models.CharField(max_length=40, choices=PHASE_CHOICES, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "phase"])]

    def __str__(self) -> str:
        return self.title

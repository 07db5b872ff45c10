"""SCIM's own records: the organisation's provisioning tokens, and the link between a
SCIM resource (its ``id``, ``userName``, ``externalId``) and the person or org unit it
stands for. People and units themselves belong to the people app and are written only
through its services."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from bellwether.core.bearer_tokens import BearerToken
from bellwether.core.models import TenantModel
from bellwether.people.models import OrgUnit, Person


class ScimToken(TenantModel, BearerToken):
    """A bearer token an identity provider uses for ``/scim/v2/``: scoped to SCIM and
    to one organisation. Only its SHA-256 digest is stored; the secret is shown once."""

    prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        """How the audit log names changes made with this token."""
        return f"scim token {self.prefix}…"


class ScimResource(TenantModel):
    """What every SCIM resource's link row holds: its SCIM ``id``, the client's
    ``externalId``, the attributes with no column of their own, and when the link ended
    (``deleted_at``; the row stays, so history does)."""

    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=254, blank=True)
    # The SCIM attributes that have no column on the person or unit (name parts, email
    # types…), as the client sent them, so a read gives back what was written.
    attributes = models.JSONField(default=dict, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class ScimUser(ScimResource):
    """A person as a SCIM User. Deleting the User only ends the link (``deleted_at``)
    and deactivates the person: history stays."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(max_length=254)
    # userName compares case-insensitively (RFC 7643 §4.1.1): the casefolded form.
    user_name_key = models.CharField(max_length=254)

    class Meta(ScimResource.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user_name_key"],
                condition=Q(deleted_at__isnull=True),
                name="scim_unique_user_name",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=Q(deleted_at__isnull=True) & ~Q(external_id=""),
                name="scim_unique_user_external_id",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(deleted_at__isnull=True),
                name="scim_one_live_user_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(ScimResource):
    """An org unit as a SCIM Group; its members are the SCIM Users placed in the unit."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

    class Meta(ScimResource.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit"],
                condition=Q(deleted_at__isnull=True),
                name="scim_one_live_group_per_unit",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=Q(deleted_at__isnull=True) & ~Q(external_id=""),
                name="scim_unique_group_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"group {self.scim_id}"

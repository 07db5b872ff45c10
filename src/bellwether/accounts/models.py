"""Accounts: users, their membership of organisations, roles, API tokens and sign-in state."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from bellwether.accounts import tokens
from bellwether.accounts.roles import ROLE_CHOICES, Role
from bellwether.core.bearer_tokens import BearerToken
from bellwether.core.models import Organisation


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("a user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may do depends on their memberships."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Where a session starts. Set by the first organisation the person joins and never
    # moved by another organisation: joining a second one must not change where they land.
    default_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.display_name or self.email


class Membership(models.Model):
    """A user's place in one organisation: the roles they hold and the person they are."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"

    @property
    def roles(self) -> frozenset[Role]:
        # Cached per instance: permission checks ask many times per request.
        cached: frozenset[Role] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(Role(grant.role) for grant in self.role_grants.all())
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)


class RoleGrant(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="one_grant_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.role}"


class Assignment(models.Model):
    """Who a coach coaches and whom a reviewer reviews: the people they may see."""

    class Kind(models.TextChoices):
        COACHEE = "coachee", "Coachee"
        REVIEWEE = "reviewee", "Reviewee"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "person", "kind"], name="one_assignment_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} → {self.person} ({self.kind})"


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiToken(BearerToken):
    """A personal API token. Only its SHA-256 digest is stored; the secret is shown once.

    It expires (at most a year after creation) and has a scope: a read-only token may
    only make GET requests. No token can list, create or revoke tokens.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12, db_index=True)
    # The model's defaults suit rows made directly (tests, fixtures); the service makes
    # the member choose both, read-only and 90 days being the suggested answers.
    scope = models.CharField(
        max_length=20, choices=TokenScope.choices, default=TokenScope.READ_WRITE
    )
    expires_at = models.DateTimeField(default=tokens.default_expiry)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"


class SignInThrottle(models.Model):
    """Failed password sign-ins per email address and client IP, for lock-out.

    Per address *and* IP: someone typing a victim's address with wrong passwords locks
    only themselves out, never the victim signing in from elsewhere.
    """

    email = models.CharField(max_length=254)
    ip_address = models.CharField(max_length=45, blank=True, default="")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "ip_address"], name="one_sign_in_throttle_per_address_and_ip"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} from {self.ip_address or '?'}: {self.failures} failures"


class ThrottleHit(models.Model):
    """One counted request (a failed sign-in, a sign-in email asked for, a failed API
    token) from one client IP. Rows older than the window are deleted as new ones come."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} at {self.created_at:%H:%M:%S}"


class SignInCode(models.Model):
    """A one-time sign-in link and code sent by email. Only digests are stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_codes")
    link_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    # A code is dead after this many wrong guesses: with 6 digits that leaves 5 in a million.
    MAX_ATTEMPTS = 5

    def __str__(self) -> str:
        return f"sign-in code for {self.user}"


class MembershipInvitation(models.Model):
    """An organisation's offer of membership, which the person accepts or declines.

    Until accepted it grants nothing: no membership row exists, the person is not
    listed as a member and nothing of theirs is visible to the organisation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="membership_invitations"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    roles = models.JSONField(default=list)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"invitation of {self.user} to {self.organisation} ({self.status})"

    @property
    def role_list(self) -> list[Role]:
        known = {role.value for role in Role}
        return [Role(value) for value in self.roles if value in known]

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role in self.role_list]

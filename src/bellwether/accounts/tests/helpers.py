"""Small helpers shared by the accounts tests."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from django.test import Client
from django.utils import timezone

from bellwether.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT

SIGN_IN_URL = "/accounts/sign-in/"


@contextmanager
def frozen_at(moment: datetime):
    """Pin django.utils.timezone.now (which services, middleware and auto_now use)."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def later(**delta: float) -> datetime:
    return timezone.now() + timedelta(**delta)


def post_password(client: Client, email: str, password: str):
    return client.post(SIGN_IN_URL, {"email": email, "password": password})


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def age_session(client: Client, *, signed_in_ago: timedelta, last_seen_ago: timedelta) -> None:
    session = client.session
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT] = now - signed_in_ago.total_seconds()
    session[LAST_SEEN_AT] = now - last_seen_ago.total_seconds()
    session.save()

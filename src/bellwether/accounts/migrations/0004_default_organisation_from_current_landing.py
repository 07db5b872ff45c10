"""Data: every existing user's default organisation is the one they land in today.

Until now a session started in the first of the user's organisations by name; writing
that down keeps everyone landing where they did, and from now on a newly joined
organisation never moves them.
"""

from django.db import migrations


def set_default_organisations(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    first_by_name: dict[int, int] = {}
    rows = (
        Membership.objects.filter(is_active=True, user__default_organisation__isnull=True)
        .order_by("user_id", "organisation__name", "organisation_id")
        .values_list("user_id", "organisation_id")
    )
    for user_id, organisation_id in rows.iterator():
        first_by_name.setdefault(user_id, organisation_id)
    for user_id, organisation_id in first_by_name.items():
        User.objects.filter(pk=user_id).update(default_organisation_id=organisation_id)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_token_expiry_scope_invitations_ip_throttles")]

    operations = [migrations.RunPython(set_default_organisations, migrations.RunPython.noop)]
